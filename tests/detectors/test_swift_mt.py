"""SWIFT MT messages: the account line of a party field (`:50K:/`, `:59:/`, `:57A:/`) is dropped;
an IBAN there is the IBAN detector's; the customer's name and address lines are tokenized (the
structured `:50F:` by line number); institutions (option A) and the other fields stay."""

from __future__ import annotations

import pytest

import redaction
from redaction.detectors.swift_mt import SwiftMtDetector

DETECTOR = SwiftMtDetector()
A = "US_BANK_ACCOUNT"

MT103 = (
    "{4:\n:20:REF123\n:32A:240703EUR94879,76\n:50K:/6303748625\nJOHN DOE\n"
    ":59:/DE89370400440532013000\nJANE ROE\n:57A:/CH/123456\n:71A:SHA\n-}"
)

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (MT103, [("6303748625", A), ("123456", A), ("JOHN DOE", "PERSON"), ("JANE ROE", "PERSON")]),
    (":59:/6303748625", [("6303748625", A)]),
    (":20:REF1\n:59F:/1234-5678-90\n1/JOHN DOE", [("1234-5678-90", A), ("JOHN DOE", "PERSON")]),
    ("{4:\n:59:/DE89370400440532013000\nACME TRADING GMBH\nHAUPTSTRASSE 5\n10115 BERLIN\n:71A:SHA",
     [("ACME TRADING GMBH", "ORG"), ("HAUPTSTRASSE 5\n10115 BERLIN", "ADDRESS")]),
    ("{4:\n:50F:/12345678\n1/JOHN SMITH\n2/12 HIGH STREET\n3/GB/LONDON\n4/19800115\n5/GB/LEEDS\n"
     "7/GB/QQ123456C\n-}",
     [("12345678", A), ("JOHN SMITH", "PERSON"), ("12 HIGH STREET", "ADDRESS"), ("LONDON", "ADDRESS"),
      ("19800115", "DATE"), ("QQ123456C", "NATIONAL_ID")]),
    # Institutions (option A: a BIC), the other fields, a line longer than a field's 35.
    (":59A:/12345678\nDEUTDEFF\n:50A:COBADEFF\n:70:INVOICE 123\n:71A:SHA", [("12345678", A)]),
    (":59:" + "X" * 40, []),
    ("duration\n:59:59.999 elapsed\n:59:JOHN DOE", []),  # a time; no message's other tags
    # Documentation: a tag before a space or mid-sentence.
    (":50K: Ordering Customer\nTag :59: holds the beneficiary, see https://www.swift.com/", []),
    # Not account lines: no slash, too few digits, a code of letters, a tag inside a word.
    (":57A:/123\n:52A:/ABCDEFGH\nx:59:/6303748625", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_swift_account_lines(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)] == expected


def test_no_account_of_an_mt103_survives_the_scrub() -> None:
    out = redaction.scrub(MT103).text
    for value in ("6303748625", "DE89370400440532013000", "123456"):
        assert value not in out
    assert ":71A:SHA" in out
