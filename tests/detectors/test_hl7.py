"""HL7 v2 segments: the personal fields of PID, NK1, IN1 and GT1 are typed by their position;
identifiers by their type code; other segments, empty fields and non-dates stay."""

from __future__ import annotations

import pytest

import redaction
from redaction.detectors.hl7 import Hl7Detector

DETECTOR = Hl7Detector()


def _segment(name: str, fields: dict[int, str]) -> str:
    """A segment with ``fields`` at their numbers and every other field empty."""
    return name + "|" + "|".join(fields.get(n, "") for n in range(1, max(fields) + 1))


PID = _segment("PID", {
    1: "1", 3: "123456^^^HOSP^MR~536228714^^^USA^SS~71012739136^^^PL^NI~X1234567^^^USA^PPN",
    5: "DOE^JOHN^Q^JR",
    7: "19620314", 8: "M", 11: "1 MAIN ST^^SPRINGFIELD^IL^62704^USA", 13: "(217)555-0123",
    14: "^WPN^PH^^1^217^5550199", 18: "987654", 19: "536-22-8714", 20: "D1234567",
})  # fmt: skip
IN1 = _segment(
    "IN1", {1: "1", 4: "BLUE CROSS", 16: "DOE^JANE", 18: "19650102", 19: "2 OAK AVE^^X^IL", 36: "POL123"}
)
MSH = "MSH|^~\\&|A|B\r"
GT1 = _segment("GT1", {1: "1", 3: "ROE^RICHARD", 6: "2175550111", 8: "19400101", 12: "912-34-5678"})

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("MSH|^~\\&|ADT1|HOSP|||202401010930||ADT^A01|MSG1|P|2.5\r" + PID,
     [("123456", "ID"), ("536228714", "US_SSN"), ("71012739136", "NATIONAL_ID"), ("X1234567", "PASSPORT"),
      ("DOE^JOHN^Q", "PERSON"), ("19620314", "DATE"), ("1 MAIN ST^^SPRINGFIELD^IL^62704^USA", "ADDRESS"),
      ("(217)555-0123", "PHONE"), ("^WPN^PH^^1^217^5550199", "PHONE"), ("987654", "ID"),
      ("536-22-8714", "US_SSN"), ("D1234567", "NATIONAL_ID")]),
    ("MSH|^~\\&|A|B\rNK1|1|DOE^JANE|SPO|1 MAIN ST^^SPRINGFIELD^IL^62704|(217)555-0124",
     [("DOE^JANE", "PERSON"), ("1 MAIN ST^^SPRINGFIELD^IL^62704", "ADDRESS"), ("(217)555-0124", "PHONE")]),
    (MSH + IN1, [("DOE^JANE", "PERSON"), ("19650102", "DATE"), ("2 OAK AVE^^X^IL", "ADDRESS"),
                 ("POL123", "ID")]),
    (MSH + GT1, [("ROE^RICHARD", "PERSON"), ("2175550111", "PHONE"), ("19400101", "DATE"),
           ("912-34-5678", "US_ITIN")]),
    # A message inside a JSON string: segments after an escaped line break.
    ('{"hl7": "MSH|^~\\\\&|A|B\\rPID|1||||ROE^ANN||19700101"}',
     [("ROE^ANN", "PERSON"), ("19700101", "DATE")]),
    # Not personal: other segments, a PID not at a line's start, no date, empty fields, a short phone.
    ("MSH|^~\\&|A|B\rPV1|1|I|W^389^1\rOBX|1|NM|GLU^Glucose||95|mg/dL", []),
    # A segment pasted without its message, its components `^`-separated.
    ("PID|1||12345^^^HOSP^MR||DOE^JOHN^A||19800101|M\nNK1|1|DOE^JANE|SPO",
     [("12345", "ID"), ("DOE^JOHN^A", "PERSON"), ("19800101", "DATE"), ("DOE^JANE", "PERSON")]),
    # Without a message header or a `^`: a table of `ps` output, a page listing a segment's fields.
    ("PID|PPID|USER|STAT|START|TIME|COMMAND\nNK1|Set ID|Name|Relationship|Address|Phone", []),
    ("see PID|1||123456 in the spec; PID|1|||||||99999999|||||12", []),
    ("PID|PPID|USER\n1|0|root\nx^y", []),  # a `^` on another line
    ("NK1|1|<LAST>^<FIRST>|SPO\nPID|1||[MRN]^^^HOSP^MR||{{family}}^{{given}}", []),  # a template's fields
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_hl7_fields(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)] == expected


def test_no_personal_field_of_an_adt_message_survives_the_scrub() -> None:
    out = redaction.scrub("MSH|^~\\&|ADT1|HOSP|||202401010930||ADT^A01|MSG1|P|2.5\r" + PID).text
    for value in ("123456", "536228714", "DOE", "JOHN", "19620314", "MAIN ST", "5550123", "536-22-8714"):
        assert value not in out
    assert out.startswith("MSH|^~\\&|ADT1|HOSP|")
