"""Cheque MICR lines: the routing number in the transit field and the account number after it
are dropped, in Unicode E-13B symbols and in the letters MICR fonts use; the check number stays."""

from __future__ import annotations

import pytest

import redaction
from redaction.detectors.micr import MicrDetector

DETECTOR = MicrDetector()
R, A = "US_BANK_ROUTING", "US_BANK_ACCOUNT"

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # -- Unicode symbols: personal and business layouts, a Canadian transit, spaces in the account --
    ("MICR: ⑆021000021⑆ 123456789⑈ 1001", [("021000021", R), ("123456789", A)]),
    ("⑈001234⑈ ⑆021000021⑆ 12 3456 789⑈", [("021000021", R), ("12 3456 789", A)]),
    ("⑆12345⑉003⑆ 1234567⑈ 042", [("12345⑉003", R), ("1234567", A)]),
    ("⑆ 011000015 ⑆ 4400123987", [("011000015", R), ("4400123987", A)]),  # OCR spacing, no on-us
    # The transit symbols name the field: its checksum is not asked for.
    ("⑆123456789⑆ 55501234⑈", [("123456789", R), ("55501234", A)]),
    # -- the letters of MICR fonts: the routing number must pass the ABA checksum --
    ("T021000021T 123456789U 1001", [("021000021", R), ("123456789", A)]),
    ("A021000021A 0012345678C 0101", [("021000021", R), ("0012345678", A)]),
    # -- the bars an OCR text layer draws for the symbols --
    ("|:269045990|: 3621135363||' 236", [("269045990", R), ("3621135363", A)]),
    # -- not MICR lines --
    ("Model T123456789T ships; A123456789A (no checksum); ⑆123⑆ short; see |:docs|: here", []),
    # Between letters or bars an account must follow: the routing number alone is no MICR line.
    ("T021000021T 1234567890123456789012 (too long an account); T021000021T 12345678Up (glued)", []),
    ("Model T021000021T rev B; | Col |:822758207|: x |", []),
    # A MICR line starts its line (a check number may come first): not a product code in prose.
    ("SKU A287013182A 48248816 units", []),
    ("C001234C T021000021T 123456789U", [("021000021", R), ("123456789", A)]),
    ("T021000021 T 123456789U (the letters differ in place)", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_micr_line(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)] == expected


def test_micr_line_leaves_no_digit_of_routing_or_account() -> None:
    text = "Pay to the order of ACME  $125.00\n⑈004512⑈ ⑆021000021⑆ 483920117⑈ 4512"
    out = redaction.scrub(text).text
    assert "021000021" not in out
    assert "483920117" not in out
    assert "4512" in out  # the check number is no personal data
