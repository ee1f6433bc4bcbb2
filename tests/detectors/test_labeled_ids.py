"""LabeledIdDetector: tier-1 values right after their label, in six languages; look-alikes kept."""

from __future__ import annotations

import random
import time

import pytest

import redaction
from redaction.detectors.labeled_ids import LabeledIdDetector

DETECTOR = LabeledIdDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # SSN words: bare, separated, per digit, a few words between, JSON/YAML keys; 9xx is an ITIN.
    ("SSN 123456789 and SSN: 123 45 6789", [("123456789", "US_SSN"), ("123 45 6789", "US_SSN")]),
    ("the SSN on file is 1 2 3 4 5 6 7 8 9.", [("1 2 3 4 5 6 7 8 9", "US_SSN")]),
    ('{"ssn": "900-70-1234"}, social security no. 078051120',
     [("900-70-1234", "US_ITIN"), ("078051120", "US_SSN")]),
    ("SSN: 000-12-3456 (mistyped, still an SSN)", [("000-12-3456", "US_SSN")]),
    ("ITIN 912 71 2345, Individual Taxpayer Identification Number: 900701234",
     [("912 71 2345", "US_ITIN"), ("900701234", "US_ITIN")]),
    ("ssn:\n  219-09-9999", [("219-09-9999", "US_SSN")]),
    # Bank: account and routing words in EN, DE, FR, ES, KO, ZH; separators kept in the span.
    ("Kontonummer: 1234 5678 90, Kontonr. 12345678, BLZ 370 400 44",
     [("1234 5678 90", "US_BANK_ACCOUNT"), ("12345678", "US_BANK_ACCOUNT"),
      ("370 400 44", "US_BANK_ROUTING")]),
    ("n° de compte : 12345678901", [("12345678901", "US_BANK_ACCOUNT")]),
    ("número de cuenta 0123-4567-89-0123456789", [("0123-4567-89-0123456789", "US_BANK_ACCOUNT")]),
    ("account number 1234-5678-9012, routing: 021-000-021, sort code 12-34-56",
     [("1234-5678-9012", "US_BANK_ACCOUNT"), ("021-000-021", "US_BANK_ROUTING"),
      ("12-34-56", "US_BANK_ROUTING")]),
    ("Routing number:\n  021000021\nAccount number:\n  4400012345",
     [("021000021", "US_BANK_ROUTING"), ("4400012345", "US_BANK_ACCOUNT")]),
    ("계좌번호 110-123-456789 입니다", [("110-123-456789", "US_BANK_ACCOUNT")]),
    ("账号：6222021234567890123。", [("6222021234567890123", "US_BANK_ACCOUNT")]),
    # IBAN label: also when the check digits are wrong (a mistyped IBAN is still one).
    ("IBAN : GB82 WEST 1234 5698 7654 33 BIC X", [("GB82 WEST 1234 5698 7654 33", "IBAN")]),
    ("iban=DE89370400440532013000", [("DE89370400440532013000", "IBAN")]),
    # Cards: any card word, Luhn not required after the label; an expiry after it is not part of it.
    ("card_number=4111 1111 1111 1111 12/26", [("4111 1111 1111 1111", "CREDIT_CARD")]),
    ("Kreditkartennummer 4111-1111-1111-1112, carte bancaire : 4970 1012 3456 7890",
     [("4111-1111-1111-1112", "CREDIT_CARD"), ("4970 1012 3456 7890", "CREDIT_CARD")]),
    ("tarjeta de crédito 5500 0000 0000 0004", [("5500 0000 0000 0004", "CREDIT_CARD")]),
    ("카드번호는 4111-1111-1111-1111 이고 卡号：6222 0212 3456 7890",
     [("4111-1111-1111-1111", "CREDIT_CARD"), ("6222 0212 3456 7890", "CREDIT_CARD")]),
    ("CC# 4111111111111111", [("4111111111111111", "CREDIT_CARD")]),
    # CVV and PIN: only their short codes, in one piece.
    ("CVV 123, CVC: 4567, security code 918, cvv2=042",
     [("123", "CVV"), ("4567", "CVV"), ("918", "CVV"), ("042", "CVV")]),
    ("PIN 4821, PIN code 12345678, pin: 1 2 3 4, 密码：123456, 비밀번호 5821",
     [("4821", "PIN"), ("12345678", "PIN"), ("1 2 3 4", "PIN"), ("123456", "PIN"), ("5821", "PIN")]),
    # Passports in other languages.
    ("pasaporte AB1234567, Reisepassnummer: C01X00T47, numéro de passeport 12AB34567, 护照号 E12345678",
     [("AB1234567", "PASSPORT"), ("C01X00T47", "PASSPORT"), ("12AB34567", "PASSPORT"),
      ("E12345678", "PASSPORT")]),
    # National ids by label, with or without a valid checksum.
    ("numéro de sécurité sociale 1 84 12 76 451 089 46", [("1 84 12 76 451 089 46", "NATIONAL_ID")]),
    ("Steuer-ID: 12 345 678 901, BSN 1234.56.782, DNI 12345678-Z, NIE X-1234567-L",
     [("12 345 678 901", "NATIONAL_ID"), ("1234.56.782", "NATIONAL_ID"), ("12345678-Z", "NATIONAL_ID"),
      ("X-1234567-L", "NATIONAL_ID")]),
    ("Aadhaar 234567890124, CPF 12345678909, Ausweisnummer L01X00T47",
     [("234567890124", "NATIONAL_ID"), ("12345678909", "NATIONAL_ID"), ("L01X00T47", "NATIONAL_ID")]),
    ("Sozialversicherungsnummer 12 150780 J 005 and NINO: QQ 12 34 56 C",
     [("12 150780 J 005", "NATIONAL_ID"), ("QQ 12 34 56 C", "NATIONAL_ID")]),
    ("número de la seguridad social 28 12345678 40", [("28 12345678 40", "NATIONAL_ID")]),
    ("Reisepassnummer C01X00T47", [("C01X00T47", "PASSPORT")]),
    ("身份证号 11010519491231002X, 주민등록번호: 740803 1345821",
     [("11010519491231002X", "NATIONAL_ID"), ("740803 1345821", "KR_RRN")]),
    # Look-alikes: another word after the label, amounts, dates, counts, plurals, compounds.
    ("account manager 555 0100, card balance $1,200, PIN code reset link, card game 12345678901234", []),
    ("account opened 2021-03-04, 3 accounts, SSN field is required, card ending in 4242, account 12345", []),
    ("accounts 12345678, accounting 2024 12345678, account_id 12345678, MyAccount 12345678", []),
    ("cardinal 123456789012, discard 4111111111111111, shipping 12345678", []),
    ("database 123456789, pinned 1234, spinach 4821, abacus 021000021", []),
    ("account 2023-2024, PIN 2024, CVV 12, account 1.200.000, account 99.50, account 000000", []),
    ("SSN on file; order 123456789 is unrelated, SSN (last 4): 6789, SSN 1234567890", []),
    ("passport expires 2031-05-01, passport status: VERIFIED, card 12/26", []),
    ("IBAN: see below, IBAN DE, card: **** **** **** 4242", []),
    ("account INV-90572233, SSN123456789, account 12345678abc, PIN 1234@host", []),
    ("date of birth 12/03/1971, account 05/2027, CVV 12/26, PIN 12:30", []),
    ("[09:28] mark: my number is 0141 496 0792, call me; id 2024 of 3", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_labeled_ids_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_labeled_values_are_dropped_by_scrub() -> None:
    text = 'Customer: {"ssn": "123456789", "card_number": "4111 1111 1111 1112", "cvv": "918"}'
    scrubbed = redaction.scrub(text).text
    for value in ("123456789", "4111 1111 1111 1112", "918"):
        assert value not in scrubbed, "a labeled tier-1 value must never reach the LLM"
    for kind in ("US_SSN", "CREDIT_CARD", "CVV"):
        assert f"[REDACTED:{kind}]" in scrubbed


def test_random_ssns_after_random_labels_are_always_found() -> None:
    rng = random.Random(5)
    labels = ["SSN", "ssn:", '"ssn": "', "Social Security Number", "SSN on file is", "SS#", "ssn=\n"]
    seps = ["", "-", " ", ".", "/"]
    for _ in range(1_000):
        digits = f"{rng.randrange(1, 899):03d}{rng.randrange(1, 99):02d}{rng.randrange(1, 9999):04d}"
        sep = rng.choice(seps)
        value = f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"
        if len(set(digits)) == 1:
            continue
        text = f"{rng.choice(labels)} {value} thanks"
        assert _found(text) == [(value, "US_SSN")], text


@pytest.mark.parametrize(
    "text",
    [
        "SSN " * 25_000,
        "account 1 " * 10_000,
        "card: " * 16_000,
        "PIN " * 25_000,
        "IBAN GB82 " * 10_000,
        "ssn is the is the " * 5_000,
        "account " + "1 " * 50_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
