"""AddressDetector: house number + street words + a known suffix, then unit, city, postcode."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.address import AddressDetector

DETECTOR = AddressDetector()


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.kind, s.label) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("Address: 6601 Graham Crescent, Suite 784, Chicago, FL 03799\nPhone: 1",
     [("6601 Graham Crescent, Suite 784, Chicago, FL 03799", "ADDRESS", "street")]),
    ('"address":{"line1":"3704 Suarez Street","city":"Portland"}',
     [("3704 Suarez Street", "ADDRESS", "street")]),
    ("Ashley Long\n4161 Sara Way\nSeattle, WA 00741\n",
     [("4161 Sara Way\nSeattle, WA 00741", "ADDRESS", "street")]),
    ("is she still at 6276 Yvonne Pass, Leeds CT5X 2YB?",
     [("6276 Yvonne Pass, Leeds CT5X 2YB", "ADDRESS", "street")]),
    ("DOB: 1968\nAddress: 7053 Gallagher Rest, Newcastle upon Tyne S92 6TN",
     [("7053 Gallagher Rest, Newcastle upon Tyne S92 6TN", "ADDRESS", "street")]),
    ("mailed to\n9599 Joshua Street, Apt. 435, Atlanta, SD 43074",
     [("9599 Joshua Street, Apt. 435, Atlanta, SD 43074", "ADDRESS", "street")]),
    ('{"line1":"691 Paul Trace"}', [("691 Paul Trace", "ADDRESS", "street")]),
    ("We met at 221B Baker Street.", [("221B Baker Street", "ADDRESS", "street")]),
    ("Send it to 12 Main St. Apt 5, Boston, MA 02101 please",
     [("12 Main St. Apt 5, Boston, MA 02101", "ADDRESS", "street")]),
    ("Ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500",
     [("1600 Pennsylvania Avenue NW, Washington, DC 20500", "ADDRESS", "street")]),
    ("lives at 12 Pine Ridge", [("12 Pine Ridge", "ADDRESS", "street")]),
    ("left at 58 boulevard Virginie Gautier, 54632 Toulouse. Please",
     [("58 boulevard Virginie Gautier, 54632 Toulouse", "ADDRESS", "rue")]),
    ("Address: 84 chemin de Picard, 36766 Rennes", [("84 chemin de Picard, 36766 Rennes", "ADDRESS", "rue")]),
    ("Billing address: Luigi-Hermighausen-Straße 61, 93118 Hamburg",
     [("Luigi-Hermighausen-Straße 61, 93118 Hamburg", "ADDRESS", "strasse")]),
    ("Bitte an Hauptstraße 12 senden", [("Hauptstraße 12", "ADDRESS", "strasse")]),
    ("Berliner Straße 5, 10115 Berlin", [("Berliner Straße 5, 10115 Berlin", "ADDRESS", "strasse")]),
    ("left at 广东省石家庄县友好昆明路K座 441887",
     [("广东省石家庄县友好昆明路K座 441887", "ADDRESS", "cjk")]),
    ('"shipping": {"street": "158 rue de Benoit", "postcode": "97629"}',
     [("158 rue de Benoit", "ADDRESS", "rue"), ("97629", "ADDRESS", "keyed")]),
    ('{"zip": "90210", "street": "1 Infinite Loop"}',
     [("90210", "ADDRESS", "keyed"), ("1 Infinite Loop", "ADDRESS", "street")]),
    # Look-alikes that are not addresses.
    ("5 Ways to improve your code", []),
    ("Top 10 Key Points from the keynote", []),
    ("3 Park tickets and 2 Green Tea", []),
    ("In 2019 Supreme Court judges ruled", []),
    ("the 5 Hidden Valley Ranch episodes", []),
    ("step 5/6 Docker Road and build 2 Rapid Run", []),
    ("ISBN 978-1-414-88321-2 Main Street; INV-905722 Foo Street; version 1.2 Main Street", []),
    ("Special Offer 5, Platz 3 im Ranking, in Spring 2024", []),
    ("rue de Rivoli without a number; 5 Square Miles", []),
    ('"address": "jane@example.com", "street": "unknown"', []),
    ("Release 10.5.33 (01.05.2023), 842 passed, 3 skipped in 225.51s", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_address_detector_table(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


def test_addresses_are_tokenized_and_round_trip() -> None:
    text = "Please ship to 3212 Morrison Lane, Philadelphia, DC 72059 by Friday."
    result = redaction.scrub(text)
    assert "Morrison Lane" not in result.text, "the street line must never reach the LLM"
    assert result.text == "Please ship to [ADDRESS_1] by Friday."
    assert redaction.rehydrate(result.text, result.token_map) == text


@pytest.mark.parametrize(
    "text",
    [
        "1 A" * 33_000,
        "1 " * 50_000,
        "12 Main " * 12_000,
        "1 Main Street, " * 7_000,
        "Ab-" * 33_000 + "straße 1",
        "a straße 1 " * 9_000,
        "省" * 50_000 + "路",
        '"zip": "' * 12_000,
        "1 rue " * 16_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
