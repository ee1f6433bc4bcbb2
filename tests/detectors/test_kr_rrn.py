"""KrRrnDetector: YYMMDD-GNNNNNN with a real date and gender digit; compact only with context."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.kr_rrn import KrRrnDetector

DETECTOR = KrRrnDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("제 이름은 박영철입니다. 주민등록번호는 740803-1345821이고 연락처는",
     [("740803-1345821", "KR_RRN")]),
    ("[본인확인 요청] 고객 이준서 / 주민등록번호 680109-1149584 / 휴대폰",
     [("680109-1149584", "KR_RRN")]),
    # Born 2000s (3/4), foreigners (5-8), no valid check digit (issued since Oct 2020).
    ("RRN 051214-3947977, ARN 991231-5123456, ARN 010101-8123456",
     [("051214-3947977", "KR_RRN"), ("991231-5123456", "KR_RRN"), ("010101-8123456", "KR_RRN")]),
    ("leap day 000229-3123456 and 560521-1996891",
     [("000229-3123456", "KR_RRN"), ("560521-1996891", "KR_RRN")]),
    # Other separators: a space, a dot, a spaced dash, one between every digit.
    ("주민번호 740803 1345821, 740803.1345821, 740803 - 1345821.",
     [("740803 1345821", "KR_RRN"), ("740803.1345821", "KR_RRN"), ("740803 - 1345821", "KR_RRN")]),
    ("RRN 7 4 0 8 0 3 - 1 3 4 5 8 2 1 ok", [("7 4 0 8 0 3 - 1 3 4 5 8 2 1", "KR_RRN")]),
    # Compact after a context word.
    ("고객 김지아 / 주민등록번호 7003192351090 / 휴대폰", [("7003192351090", "KR_RRN")]),
    ("주민번호: 8511031285937", [("8511031285937", "KR_RRN")]),
    ("Resident registration number 8511031285937.", [("8511031285937", "KR_RRN")]),
    # Look-alikes: impossible dates, gender digits 0/9, glued or longer, compact without context.
    ("991332-1234567 and 990230-1234567 and 011301-3123456", []),
    ("010229-3123456 (2001 is not a leap year)", []),
    ("800101-9123456 and 800101-0123456", []),
    ("order 1-0781787-1683755 and 321-5232635-8356602", []),
    ("740803-13458210 and 12-740803-1345821 and 740803-1345821-2", []),
    # A slash, or one separator throughout a per-digit run: only with a valid check digit.
    ("740803/1345821 with a slash, 7 4 0 8 0 3 1 3 4 5 8 2 1 without grouping",
     [("740803/1345821", "KR_RRN"), ("7 4 0 8 0 3 1 3 4 5 8 2 1", "KR_RRN")]),
    ("id 790510/2802912, 7-7-0-6-1-1-2-0-3-3-7-2-7, 9 9 0 5 1 6 1 7 5 0 6 7 6.",
     [("790510/2802912", "KR_RRN"), ("7-7-0-6-1-1-2-0-3-3-7-2-7", "KR_RRN"),
      ("9 9 0 5 1 6 1 7 5 0 6 7 6", "KR_RRN")]),
    # ... a failing check digit there is a date and a serial, or a list of digits.
    ("740803/1345822 with a slash, 7 4 0 8 0 3 1 3 4 5 8 2 2 without grouping", []),
    ("790510/2802913 and 7-7-0-6-1-1-2-0-3-3-7-2-8 and 9.9.0.5.1.6.1.7.5.0.6.7.5", []),
    ("0 1 2 3 4 5 6 7 8 9, rows: 3 5 2 8 1 9 4 7 6 0, 1 2 3 4 5 6 7 8 9 0 1 2 3", []),
    ("740803-1345821-2 and 1.740803 1345821 and 740803 13458219", []),
    ("EAN 4009071693254 and 9780761534624 and 7003192351090 without context", []),
    # Wrapped at the dash's place: with context, or a valid pre-2020 check digit.
    ('<field name="resident registration number">830106\n2741622</field>',
     [("830106\n2741622", "KR_RRN")]),
    ("rows:\n830106\n2741623\n", []),
    ("rows:\n720923\n1735723\n", [("720923\n1735723", "KR_RRN")]),
    # Compact without context: the check digit, and not an EAN-13 as well.
    ("Number 7209231735723 here", [("7209231735723", "KR_RRN")]),
    ("Number 7209231735724 here", []),
    ("2024-05-25T08:18:32.553Z", []),
    # A comma or a slash separates (a CSV row, a list).
    ("800101-1234567,42 and 10.0.0.1/800101-1234567",
     [("800101-1234567", "KR_RRN"), ("800101-1234567", "KR_RRN")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_kr_rrn_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_rrn_is_dropped_by_scrub() -> None:
    text = "주민등록번호는 740803-1345821이고 연락처는 없습니다"
    scrubbed = redaction.scrub(text).text
    assert "1345821" not in scrubbed, "an RRN must never reach the LLM"
    assert scrubbed == "주민등록번호는 [REDACTED:KR_RRN]이고 연락처는 없습니다"


@pytest.mark.parametrize("text", ["1" * 100_000, "740803-" * 14_000, "주민등록번호 " * 14_000, "1-" * 50_000])
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
