"""UsSsnDetector: issuable SSNs, dashed or spaced; bare 9 digits only after an SSN context word."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.us_ssn import UsSsnDetector

DETECTOR = UsSsnDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ('"dob":"July 24, 1997","ssn":"318-99-6734","address"', [("318-99-6734", "US_SSN")]),
    ("DOB 5/21/1965, SSN 457-63-9722. Caller requested", [("457-63-9722", "US_SSN")]),
    ("ssn:524-11-1450;name='Jordan'", [("524-11-1450", "US_SSN")]),
    ("DOB 10/08/1957, SSN 413 25 6770. Caller", [("413 25 6770", "US_SSN")]),
    ("areas 665, 772 and 899 are issued: 665-21-5940, 772-01-0001, 899-99-9999",
     [("665-21-5940", "US_SSN"), ("772-01-0001", "US_SSN"), ("899-99-9999", "US_SSN")]),
    ("no context needed for 123-45-6789 in a sentence", [("123-45-6789", "US_SSN")]),
    # The label glued to the number; other letters glued to it are no label.
    ("SSN536-22-8714 and ssn#524-11-1450", [("536-22-8714", "US_SSN"), ("524-11-1450", "US_SSN")]),
    ("xSSN536-22-8714 ABC536-22-8714", []),
    ("Smith, John 01/02/1980 123-45-6789 123 Main St", [("123-45-6789", "US_SSN")]),
    # Bare 9 digits after a context word, in any case and form.
    ("DOB October 11, 1987, SSN 394205285. Caller", [("394205285", "US_SSN")]),
    ('{"customer_ssn": "394205285"}', [("394205285", "US_SSN")]),
    ("Social Security Number: 078051120", [("078051120", "US_SSN")]),
    ("social security no. is 219099999 per the form", [("219099999", "US_SSN")]),
    ("SS# 512345678; soc. sec. 512345679", [("512345678", "US_SSN"), ("512345679", "US_SSN")]),
    # Any separators between the groups: dots, slashes, mixed, spaced dashes, tabs.
    ("mixed separators 123-45 6789 and 123 45-6789",
     [("123-45 6789", "US_SSN"), ("123 45-6789", "US_SSN")]),
    ("SSN 123.45.6789, alt 219/09/9999, or 078 - 05 - 1120.",
     [("123.45.6789", "US_SSN"), ("219/09/9999", "US_SSN"), ("078 - 05 - 1120", "US_SSN")]),
    ("tab\t524\t11\t1450\tok", [("524\t11\t1450", "US_SSN")]),
    # One separator between every digit, the 3-2-4 grouping still visible.
    ("ssn is 1 2 3 - 4 5 - 6 7 8 9 ok", [("1 2 3 - 4 5 - 6 7 8 9", "US_SSN")]),
    # A W-9's boxes after the label; without one, or as a table's cells, they stay.
    ("SSN: 3 3 8 | 1 8 | 8 5 7 6; Social security number 338 | 18 | 8576",
     [("3 3 8 | 1 8 | 8 5 7 6", "US_SSN"), ("338 | 18 | 8576", "US_SSN")]),
    ("totals 3 3 8 | 1 8 | 8 5 7 6; | SSN | 338 | 18 | 8576 | 1", []),
    ("read back: 4-5-7  6-3  9-7-2-2.", [("4-5-7  6-3  9-7-2-2", "US_SSN")]),
    # Area 9xx: an ITIN, still tier 1 (valid ITIN groups, and the same format otherwise).
    ("ITIN 912-70-1234 and 900-55-3456 and 987-99-4321",
     [("912-70-1234", "US_ITIN"), ("900-55-3456", "US_ITIN"), ("987-99-4321", "US_ITIN")]),
    ("taxpayer 900-12-3456, 9 0 0 - 7 0 - 1 2 3 4",
     [("900-12-3456", "US_ITIN"), ("9 0 0 - 7 0 - 1 2 3 4", "US_ITIN")]),
    ("SSN 900123456 is an ITIN, SSN 000123456 is not issued", [("900123456", "US_ITIN")]),
    # A comma or a slash next to a value written with dashes separates: CSV rows, lists.
    ("123-45-6789,42 and 42,587-65-4320", [("123-45-6789", "US_SSN"), ("587-65-4320", "US_SSN")]),
    ("123-45-6789/10.0.0.1 and 10.0.0.1/587-65-4320", [("123-45-6789", "US_SSN"), ("587-65-4320", "US_SSN")]),
    # Look-alikes: not issuable, not standing alone, no context, other number kinds.
    ("invalid areas 000-12-3456, 666-12-3456", []),
    ("invalid group or serial 123-00-4567, 123-45-0000", []),
    ("dates and versions 12.03.1971, 2024/05/01, 10.0.0.1, 3.16.5.2, 1.123.45.6789", []),
    ("ids 12/123/45/6789 and 123/45/6789/1 and 123.45.6789.5 and 123-45-6789-0001", []),
    ("per digit, no grouping: 1 2 3 4 5 6 7 8 9 and 1 2 3 - 4 5 - 6 7 8 9 0", []),
    ("scores 10 1 2 3 - 4 5 - 6 7 8 9 and 1.5 2.5 3.5 4.5 5.5", []),
    ("wrapped 123-45-\n6789 and 123--45--6789x", []),
    ("ISBN 978-12-9359-051-5 and ISBN 978-21-3524-138-1", []),
    ("ORD-123-45-6789-1, 1.123-45-6789, 12-123-45-6789, 123-45-67890, 123-45-6789a", []),
    ("order 123456789 shipped, invoice 219099999, routing 021000021", []),
    ("verify that 2^32 = 4294967296 and 1023/1024 = 0.9990234375", []),
    ("phone 212-555-0100, +1 415 555 0132, (02) 6041-7140", []),
    ("date 2024-05-25T08:18:32.553Z, uuid db2320aa-76e3-4500-88ca-325f16973067", []),
    ("ssn_hash BYTEA, -- sha256 of the normalised SSN, never the SSN itself", []),
    ("Placeholders like ***-**-**** are rendered verbatim", []),
    ("SSN on file; order 123456789 is unrelated to it at all, see ticket", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_us_ssn_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_ssn_is_dropped_by_scrub_even_in_fullwidth_digits() -> None:
    for text, ssn in [
        ("SSN ２３２－２０－７０２４", "２３２－２０－７０２４"),
        ("SSN: 394205285.", "394205285"),
    ]:
        scrubbed = redaction.scrub(text).text
        assert ssn not in scrubbed, "an SSN must never reach the LLM"
        assert "[REDACTED:US_SSN]" in scrubbed


@pytest.mark.parametrize(
    "text",
    ["1" * 100_000, "123-45-" * 15_000, "1 1 " * 25_000, "SSN " * 25_000, "SSN 123456789 " * 7_000],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
