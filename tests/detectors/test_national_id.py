"""NationalIdDetector: other countries' national ids by printed shape and checksum, no label."""

from __future__ import annotations

import random
import time

import pytest
from stdnum import verhoeff
from stdnum.br import cpf
from stdnum.fr import nir

import redaction
from redaction.detectors.national_id import NationalIdDetector, nino_valid

DETECTOR = NationalIdDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # A bare 11-digit CPF by its two check digits; not when they fail, glued, or one digit.
    ("Number 70483233536 attached.", [("70483233536", "NATIONAL_ID")]),
    ("order 12345678901, id 00000000000, 704832335361, 70483233536x", []),
    ("NIR 1 84 12 76 451 089 46 ok, 2 55 08 14 168 025 38",
     [("1 84 12 76 451 089 46", "NATIONAL_ID"), ("2 55 08 14 168 025 38", "NATIONAL_ID")]),
    ("sécu: 1841276451089 46.", [("1841276451089 46", "NATIONAL_ID")]),
    ("DNI 12345678Z, 12345678-Z, NIE X1234567L y Y0000000Z",
     [("12345678Z", "NATIONAL_ID"), ("12345678-Z", "NATIONAL_ID"), ("X1234567L", "NATIONAL_ID"),
      ("Y0000000Z", "NATIONAL_ID")]),
    ("codice fiscale RSSMRA85T10A562S.", [("RSSMRA85T10A562S", "NATIONAL_ID")]),
    ("居民身份证 11010519491231002X 与 110105 19491231 002X",
     [("11010519491231002X", "NATIONAL_ID"), ("110105 19491231 002X", "NATIONAL_ID")]),
    ("NI QQ 12 34 56 C and AB123456C and JG 10 37 64 A",
     [("QQ 12 34 56 C", "NATIONAL_ID"), ("AB123456C", "NATIONAL_ID"), ("JG 10 37 64 A", "NATIONAL_ID")]),
    ("aadhaar 2345 6789 0124 and 2345-6789-0124",
     [("2345 6789 0124", "NATIONAL_ID"), ("2345-6789-0124", "NATIONAL_ID")]),
    ("CPF 123.456.789-09, responsavel", [("123.456.789-09", "NATIONAL_ID")]),
    # One separator between every digit: Aadhaar (Verhoeff; 4-4-4 may show), NIR (mod 97).
    ("aadhaar 9 7 3 0 3 6 2 4 4 9 8 4, 9.7.3.0  3.6.2.4  4.9.8.4 and 1-8-4-1-2-7-6-4-5-1-0-8-9-4-6",
     [("9 7 3 0 3 6 2 4 4 9 8 4", "NATIONAL_ID"), ("9.7.3.0  3.6.2.4  4.9.8.4", "NATIONAL_ID"),
      ("1-8-4-1-2-7-6-4-5-1-0-8-9-4-6", "NATIONAL_ID")]),
    # ... a failing checksum, a first digit 0/1, mixed separators, or a list of digits.
    ("9 7 3 0 3 6 2 4 4 9 8 5, 0 7 3 0 3 6 2 4 4 9 8 4, 9 7-3 0 3.6 2 4 4 9-8 4", []),
    ("0 1 2 3 4 5 6 7 8 9, rows: 3 5 2 8 1 9 4 7 6 0, 1 8 4 1 2 7 6 4 5 1 0 8 9 4 7", []),
    # Look-alikes: checksum fails, part of longer runs, glued, lowercase, bare digit runs.
    ("NIR 1 84 12 76 451 089 47, DNI 12345678A, NIE X1234567A, CF RSSMRA85T10A562T", []),
    ("aadhaar 2345 6789 0123, 0234 5678 9012, card 4111 2345 6789 0124, +91 2345 6789 0124 5", []),
    ("CN 11010519491231002Y, 110105194912310021X, 99010519491231002X", []),
    ("NINO DQ123456C, QQ123456E, GB123456A, ab123456c, XAB123456C, AB1234567C", []),
    ("CPF 123.456.789-00 and 1.123.456.789-09 and 123.456.789-091", []),
    ("SKU 12345678X0, invoice 123456789012, order 2024 0501 1234, RSSMRA85T10A562Sx", []),
    # A compact NIR stands alone with its key and a NIR's head (sex digit, month).
    ("Number on file is 241055262465881.", [("241055262465881", "NATIONAL_ID")]),
    ("IMEI 541055262465828, 184139926246579, 1241055262465881, 241055262465882", []),
    # Born in Corsica: department 2A/2B in place of two digits, compact or printed.
    ("Ref 248032B84897487 below, NIR 2 48 03 2B 848 974 87, 163022A06084641.",
     [("248032B84897487", "NATIONAL_ID"), ("2 48 03 2B 848 974 87", "NATIONAL_ID"),
      ("163022A06084641", "NATIONAL_ID")]),
    ("Ref 248032B84897488 (bad key), 248032C84897487, 948032B84897487, X248032B84897487", []),
    # Groups dash-glued to hex or letters are a UUID's; a NINO shape after a product word is a code.
    ("id 61859ffb-2007-4214-8434-ab039d0b2b52 and x-2345-6789-0124 and 2345-6789-0124-ab", []),
    ("Model CG967367D, SKU: AB123456C, part no. JG103764A; NI AB123456C",
     [("AB123456C", "NATIONAL_ID")]),
    ("version 3.16.5.2, date 2024-05-01, IP 10.0.0.1, amount 1.234.567,89", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_national_id_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_national_ids_are_dropped_by_scrub() -> None:
    text = "Patient NIR 1 84 12 76 451 089 46, DNI 12345678Z, CF RSSMRA85T10A562S."
    scrubbed = redaction.scrub(text).text
    assert scrubbed == (
        "Patient NIR [REDACTED:NATIONAL_ID], DNI [REDACTED:NATIONAL_ID], CF [REDACTED:NATIONAL_ID]."
    )


def test_nino_letter_rules() -> None:
    assert nino_valid("AB 12 34 56 C")
    assert nino_valid("QQ123456D")
    assert not any(nino_valid(v) for v in ["DA123456A", "AO123456A", "BG123456A", "AB123456E"])


def _cpf_check_digits(digits: str) -> str:
    first = sum((10 - i) * int(n) for i, n in enumerate(digits)) * 10 % 11 % 10
    second = sum((11 - i) * int(n) for i, n in enumerate(digits + str(first))) * 10 % 11 % 10
    return f"{first}{second}"


def test_random_valid_ids_in_their_printed_shapes_are_always_found() -> None:
    rng = random.Random(4)
    for _ in range(500):
        body = str(rng.randrange(2 * 10**10, 10**11))
        aadhaar = body + verhoeff.calc_check_digit(body)
        if aadhaar == aadhaar[::-1]:
            continue
        printed = f"{aadhaar[:4]}{rng.choice(' -')}{aadhaar[4:8]}{rng.choice(' -')}{aadhaar[8:]}"
        assert _found(f"UID {printed}.") == [(printed, "NATIONAL_ID")], printed
        digits = f"{rng.randrange(10**8, 10**9)}"
        number = digits + _cpf_check_digits(digits)
        assert cpf.is_valid(number), number
        if len(set(number)) > 1:
            printed = f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}"
            assert _found(f"CPF {printed}") == [(printed, "NATIONAL_ID")], printed
        head = f"{rng.choice('12')}{rng.randrange(0, 99):02d}{rng.randrange(1, 12):02d}"
        head += f"{rng.randrange(1, 95):02d}{rng.randrange(1, 999):03d}{rng.randrange(1, 999):03d}"
        key = nir.calc_check_digits(head)
        printed = f"{head[0]} {head[1:3]} {head[3:5]} {head[5:7]} {head[7:10]} {head[10:13]} {key}"
        assert _found(f"n° {printed}.") == [(printed, "NATIONAL_ID")], printed


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "12345678Z" * 11_000,
        "AB123456C " * 10_000,
        "1 84 " * 25_000,
        "2345 " * 20_000,
        "RSSMRA85T10A562S" * 6_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0


def test_a_checksum_library_error_is_no_match() -> None:
    # python-stdnum raises KeyError (not its ValidationError) for some county codes: a text
    # holding such a number must scrub like any other, not fail.
    text = "ids 515094438903116137 and 326957014608173554 end"
    assert _found(text) == []
    assert redaction.scrub(text).text.startswith("ids ")
