"""Machine-readable zones (ICAO 9303): a passport, visa or ID-card zone is dropped whole, in any
layout it is pasted in; `<<` in code and filler runs are left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.mrz import MrzDetector, check_digit

DETECTOR = MrzDetector()
P, N = "PASSPORT", "NATIONAL_ID"

# ICAO 9303 specimens (part 4, 5, 7) and one of the issue's own.
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
GB = ("P<GBRSMITH<<JOHN<JAMES<<<<<<<<<<<<<<<<<<<<<<", "1234567897GBR8001014M2501017<<<<<<<<<<<<<<04")
DE = ("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
VISA = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<")
# The GB zone with its check digits mistyped: the structure alone is unmistakable.
GB_TYPO = (GB[0], "1234567891GBR8001011M2501012<<<<<<<<<<<<<<00")

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # -- every layout a zone is pasted in --
    ("\n".join(GB), [("\n".join(GB), P)]),
    (f"MRZ:\n{TD3[0]}\r\n{TD3[1]}\nend", [(f"{TD3[0]}\r\n{TD3[1]}", P)]),
    (f'{{"mrz": "{TD3[0]}\\n{TD3[1]}", "ok": true}}', [(f"{TD3[0]}\\n{TD3[1]}", P)]),
    (f"    {TD3[0]}\n    {TD3[1]}\n", [(f"{TD3[0]}\n    {TD3[1]}", P)]),
    (f"scan: {TD3[0]}{TD3[1]} (one line)", [(TD3[0] + TD3[1], P)]),
    (f"scan: {TD3[0]} {TD3[1]}", [(f"{TD3[0]} {TD3[1]}", P)]),
    (f"> {GB[0]}\n> {GB[1]}", [(f"{GB[0]}\n> {GB[1]}", P)]),
    ("\n".join(DE), [("\n".join(DE), P)]),
    ("\n".join(GB_TYPO), [("\n".join(GB_TYPO), P)]),
    # -- ID cards (TD1, TD2) and visas --
    ("ID card:\n" + "\n".join(TD1) + "\nthanks", [("\n".join(TD1), N)]),
    ('"mrz": "' + "\\n".join(TD1) + '"', [("\\n".join(TD1), N)]),
    ("".join(TD1), [("".join(TD1), N)]),
    ("\n".join(TD2), [("\n".join(TD2), N)]),
    ("\n".join(VISA), [("\n".join(VISA), P)]),
    # -- zones copied by hand (a line too long) and national formats (the old French ID card) --
    ("P<FRADUPONT<<MARIE<CLAIRE<<<<<<<<<<<<<<<<<<<<\n18AB123456FRA8507159F3001019<<<<<<<<<<<<<<02",
     [("P<FRADUPONT<<MARIE<CLAIRE<<<<<<<<<<<<<<<<<<<<\n18AB123456FRA8507159F3001019<<<<<<<<<<<<<<02", P)]),
    ("IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013\n0506932020438CHRISTIANE<<NI2906209F3",
     [("IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013\n0506932020438CHRISTIANE<<NI2906209F3", N)]),
    # -- one line of a zone --
    (f"names line {GB[0]} only", [(GB[0], P)]),
    ("P<GBRSMITH<<JOHN<JAMES<<<", [("P<GBRSMITH<<JOHN<JAMES<<<", P)]),
    (f"data line {TD3[1]} only", [(TD3[1], P)]),
    (f"card line {TD1[0]}", [(TD1[0], N)]),
    (f"P<GBRSMITH<<JOHN\n{GB[1][:28]}", [(f"P<GBRSMITH<<JOHN\n{GB[1][:28]}", P)]),
    # -- look-alikes --
    ("std::cout << x << std::endl; cat <<EOF\nhi\nEOF", []),
    ("<<" * 40, []),
    ("git log <<<<<<< HEAD\n=======\n>>>>>>> feature", []),
    ("ORDER<<1234567890<<SHIPPED<<2024", []),
    ("PO<<ACME<<INVOICE 123456", []),
    ("HEADER<<SECTION<<ONE<<<<\nVERSION<<2<<BUILD<<20240501", []),
    ("SECTION<<HEADER<<ONE<<<<<<<<<<<<<<\nVERSION 2 BUILD 20240501 OF THE TOOL", []),
    ("ABCDEFGHIJ<<KLMNOPQRST<<<\nTHE QUICK BROWN FOX 123456", []),
    # a data line whose check digits fail, with no names line: an order code, not a zone
    ("1234567891GBR8001011M2501012<<<<<<<<<<<<<<00", []),
    # a card line with a wrong document-number check digit
    ("I<UTOD231458901<<<<<<<<<<<<<<<", []),
    ("P<GBR", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_mrz(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("field", "digit"),
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("D23145890", 7), ("123456789", 7), ("<<<<<<<<<", 0)],
)
def test_check_digit(field: str, digit: int) -> None:
    assert check_digit(field) == digit


def test_scrub_drops_the_whole_zone() -> None:
    text = f"Guest passport scan:\n{GB[0]}\n{GB[1]}\nRoom 12."
    scrubbed = redaction.scrub(text).text
    assert scrubbed == "Guest passport scan:\n[REDACTED:PASSPORT]\nRoom 12."
    for part in ("SMITH", "JOHN", "123456789", "800101"):
        assert part not in scrubbed


_NAME = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _date() -> st.SearchStrategy[str]:
    return st.tuples(st.integers(0, 99), st.integers(1, 12), st.integers(1, 28)).map(
        lambda t: f"{t[0]:02d}{t[1]:02d}{t[2]:02d}"
    )


def _td3(
    code: str, state: str, surname: str, given_name: str, number: str, dob: str, exp: str, sex: str
) -> str:
    names = f"{surname}<<{given_name}"[:39].ljust(39, "<")
    line1 = f"{code}<{state}{names}"
    doc = number + str(check_digit(number))
    personal = "<" * 14 + "0"
    line2 = f"{doc}{state}{dob}{check_digit(dob)}{sex}{exp}{check_digit(exp)}{personal}"
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    return f"{line1}\n{line2}{check_digit(composite)}"


@settings(max_examples=150, deadline=None)
@given(
    code=st.sampled_from("PV"),
    state=st.sampled_from(["GBR", "UTO", "D<<", "FRA", "KOR", "USA"]),
    surname=_NAME,
    given_name=_NAME,
    number=st.text(alphabet=_ALNUM, min_size=9, max_size=9),
    dob=_date(),
    exp=_date(),
    sex=st.sampled_from("MF<"),
    sep=st.sampled_from(["\n", "\r\n", "\\n", "\n    ", " ", ""]),
    before=st.sampled_from(["", "MRZ: ", "scan\n", '{"mrz": "']),
)
def test_generated_passport_zones_are_found_whole(
    code: str, state: str, surname: str, given_name: str, number: str, dob: str, exp: str, sex: str,
    sep: str, before: str,
) -> None:  # fmt: skip
    zone = _td3(code, state, surname, given_name, number, dob, exp, sex).replace("\n", sep)
    text = f"{before}{zone} done."
    assert _found(text) == [(zone, P)]
    scrubbed = redaction.scrub(text).text
    assert number not in scrubbed
    assert f"{surname}<<" not in scrubbed


@pytest.mark.parametrize(
    "text",
    ["<<" * 50_000, "P<" * 50_000, "P<GBRA<<B" * 10_000, "1234567891GBR8001011M2501012<<" * 3_000,
     "I<UTO" + "1<" * 50_000, "A<" * 30_000 + "\\n" * 10_000],
)  # fmt: skip
def test_adversarial_input_holds_no_zone(text: str) -> None:
    # Linear time is checked by tests/test_redos.py (it collects this module's patterns); here
    # the hostile shapes must simply not be read as zones.
    assert _found(text) == []
