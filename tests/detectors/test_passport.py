"""PassportDetector: passport-like tokens, only right after a passport context word."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.passport import PassportDetector

DETECTOR = PassportDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("Clinic record - Tamara Obrien, passport no. A56375155, date of birth 05/2",
     [("A56375155", "PASSPORT")]),
    ("record - Suzanne Langlois, passport no. 06UX91441, date of birth", [("06UX91441", "PASSPORT")]),
    ("for Robert Preston.\nPassport number 694600530, date of birth 5 Feb", [("694600530", "PASSPORT")]),
    ('"passport_verified": true, "passport_no": "M37700111"}}', [("M37700111", "PASSPORT")]),
    ("PASSPORT NO: X1234567 (UK)", [("X1234567", "PASSPORT")]),
    ("German passport C01X00T47, issued 2019", [("C01X00T47", "PASSPORT")]),
    ("passport (expires 2031-05-01): 123456789", [("123456789", "PASSPORT")]),
    ("Travel document\nnumber: AB1234567", [("AB1234567", "PASSPORT")]),
    ("여권번호 M12345678 입니다", [("M12345678", "PASSPORT")]),
    # A Russian internal passport by its series and number, with or without the word passport.
    ("паспорт серия 4510 номер 123456", [("4510 номер 123456", "PASSPORT")]),
    ("Серия 45 10, № 123456, выдан ОВД", [("45 10, № 123456", "PASSPORT")]),
    ("СЕРИЯ: 4510 N 654321", [("4510 N 654321", "PASSPORT")]),
    ("серия игр 2024 года, серия 4510 из 12, серия 0000 000000", []),
    ("Passports: 123456789 and then passport 987654321",
     [("123456789", "PASSPORT"), ("987654321", "PASSPORT")]),
    # Look-alikes: no context, not a token of the right shape, glued to an id prefix.
    ("order 694600530 and ticket A56375155 and SO63858597", []),
    ("passport expires 2031-05-01", []),
    ("passport photo IMG_20240101.jpg and passport ref ORD-123456789", []),
    ("passport status: VERIFIED, KYCLEVEL high", []),
    ("passport 12345 and passport ABC12 and passport 1234567890", []),
    ("passport 000000000 is a placeholder", []),
    ("mypassport 123456789 and passportless 123456789", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_passport_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_passport_is_dropped_by_scrub() -> None:
    text = "Clinic record, passport no. A56375155, seen today."
    scrubbed = redaction.scrub(text).text
    assert "A56375155" not in scrubbed, "a passport number must never reach the LLM"
    assert scrubbed == "Clinic record, passport no. [REDACTED:PASSPORT], seen today."


@pytest.mark.parametrize(
    "text",
    ["passport " * 11_000, "passport A" * 10_000, "passport 1" * 10_000, "여권" * 50_000, "A1" * 50_000],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
