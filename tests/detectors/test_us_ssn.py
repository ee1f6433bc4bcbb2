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
    ("Smith, John 01/02/1980 123-45-6789 123 Main St", [("123-45-6789", "US_SSN")]),
    # Bare 9 digits after a context word, in any case and form.
    ("DOB October 11, 1987, SSN 394205285. Caller", [("394205285", "US_SSN")]),
    ('{"customer_ssn": "394205285"}', [("394205285", "US_SSN")]),
    ("Social Security Number: 078051120", [("078051120", "US_SSN")]),
    ("social security no. is 219099999 per the form", [("219099999", "US_SSN")]),
    ("SS# 512345678; soc. sec. 512345679", [("512345678", "US_SSN"), ("512345679", "US_SSN")]),
    # Look-alikes: not issuable, not standing alone, no context, other number kinds.
    ("invalid areas 000-12-3456, 666-12-3456, 900-12-3456, 987-65-4321", []),
    ("invalid group or serial 123-00-4567, 123-45-0000", []),
    ("mixed separators 123-45 6789 and 123 45-6789", []),
    ("ISBN 978-12-9359-051-5 and ISBN 978-21-3524-138-1", []),
    ("ORD-123-45-6789-1, 1.123-45-6789, 12-123-45-6789, 123-45-67890, 123-45-6789a", []),
    ("order 123456789 shipped, invoice 219099999, routing 021000021", []),
    ("verify that 2^32 = 4294967296 and 1023/1024 = 0.9990234375", []),
    ("phone 212-555-0100, +1 415 555 0132, (02) 6041-7140", []),
    ("date 2024-05-25T08:18:32.553Z, uuid db2320aa-76e3-4500-88ca-325f16973067", []),
    ("ssn_hash BYTEA, -- sha256 of the normalised SSN, never the SSN itself", []),
    ("Placeholders like ***-**-**** are rendered verbatim", []),
    ("SSN on file; order 123456789 is unrelated to it at all, see ticket", []),
    ("SSN 900123456 is an ITIN, SSN 000123456 is not issued", []),
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
