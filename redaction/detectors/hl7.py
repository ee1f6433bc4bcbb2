"""HL7 v2 messages: the patient's, next of kin's, insured's and guarantor's fields, by position.

An HL7 v2 segment is a line of ``|``-separated fields whose meaning is their number, not a label
(``PID|1||123456^^^HOSP^MR||DOE^JOHN^Q||19620314|M|||1 MAIN ST^^SPRINGFIELD^IL^62704``): no other
detector can tell a name, a birth date or an address there. This one reads the segments that hold
a person's data and types each field by the standard's table:

- ``PID`` (patient): 3 identifiers, 5 name, 6 mother's maiden name, 7 date of birth, 11 address,
  13/14 phones, 18 account number, 19 SSN, 20 driver's licence;
- ``NK1`` (next of kin): 2 name, 4 address, 5/6 phones;
- ``IN1`` (insurance): 16 insured's name, 18 insured's date of birth, 19 address, 36 policy number,
  49 insured's identifiers;
- ``GT1`` (guarantor): 3 name, 5 address, 6/7 phones, 8 date of birth, 12 SSN.

An identifier list (``CX``: ``id^check^scheme^authority^type``, repeated with ``~``) is typed by its
type code: ``SS`` an SSN (tier 1), ``NI``/``DL`` a national id or licence (tier 1), ``PPN`` a
passport (tier 1), anything else a record number (``ID``, tier 2). A name keeps its family, given
and middle components in one span; a date of birth must be a calendar date (``YYYYMMDD`` and an
optional time); an address or phone is its whole repetition; a phone needs seven digits.

Segments start a line (``\\r``, ``\\n``, or the JSON-escaped ``\\r``/``\\n`` of a message inside a
string), in a text that holds a message header (``MSH|``), or, pasted without it, hold HL7's
component separator ``^`` (``PID|1||123^^^MR||DOE^JOHN``): a table of ``ps`` output
(``PID|PPID|USER``) or a page about HL7 that lists a segment's fields has neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._spans import Span
from .us_ssn import kind_of

__all__ = ["Hl7Detector"]

# (segment, field number) -> what the field holds.
_FIELDS: dict[str, dict[int, str]] = {
    "PID": {3: "ids", 5: "name", 6: "name", 7: "dob", 11: "address", 13: "phone", 14: "phone", 18: "id",
            19: "ssn", 20: "license"},
    "NK1": {2: "name", 4: "address", 5: "phone", 6: "phone"},
    "IN1": {16: "name", 18: "dob", 19: "address", 36: "id", 49: "ids"},
    "GT1": {3: "name", 5: "address", 6: "phone", 7: "phone", 8: "dob", 12: "ssn"},
}  # fmt: skip
_SEGMENT = re.compile(r"(?:(?<![^\r\n])|(?<=\\[rn]))(PID|NK1|IN1|GT1)\|")
# A segment ends at a line break, or at an escaped one or the closing quote of a JSON string.
_SEGMENT_END = re.compile(r"[\r\n\"]|\\[rn]")
# A date of birth: YYYYMMDD, then maybe a time (HHMM[SS[.S]]) and a zone.
_DATE = re.compile(
    r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"(?:[0-9]{2,6}(?:\.[0-9]{1,4})?)?(?:[+-][0-9]{4})?"
)
_TYPES = {"SS": "US_SSN", "NI": "NATIONAL_ID", "DL": "NATIONAL_ID", "PPN": "PASSPORT"}
_MIN_PHONE_DIGITS = 7
_PLACEHOLDER = re.compile(r"[<{\[]")
_MAX_SEGMENT = 4096  # a segment's characters read at most (many on one line stay linear)


class Hl7Detector:
    """Personal fields of HL7 v2 ``PID``, ``NK1``, ``IN1`` and ``GT1`` segments, by position."""

    name = "hl7"

    def detect(self, text: str) -> Iterator[Span]:
        if "|" not in text or ("^" not in text and "MSH|" not in text):
            return  # every segment holds a bar; one without a header holds a `^` too
        header = "MSH|" in text  # a message starts with its header: a table of `ps` output does not
        for segment in _SEGMENT.finditer(text):
            reach = min(len(text), segment.end() + _MAX_SEGMENT)
            end = _SEGMENT_END.search(text, segment.end(), reach)
            stop = reach if end is None else end.start()
            if header or text.find("^", segment.end(), stop) != -1:
                yield from self._segment(text, segment.group(1), segment.end(), stop)

    def _segment(self, text: str, name: str, start: int, stop: int) -> Iterator[Span]:
        fields = _FIELDS[name]
        number, at = 1, start
        while at <= stop and number <= max(fields):
            bar = text.find("|", at, stop)
            end = stop if bar == -1 else bar
            what = fields.get(number)
            if what is not None and end > at:
                yield from self._field(text, what, at, end)
            if bar == -1:
                break
            number, at = number + 1, bar + 1

    def _field(self, text: str, what: str, start: int, end: int) -> Iterator[Span]:
        source = f"rules:{self.name}"
        at = start
        for repetition in text[start:end].split("~"):
            r_start = at
            at += len(repetition) + 1  # the next repetition, after its `~`
            components = repetition.split("^")
            first = components[0]
            if _PLACEHOLDER.search(repetition):
                continue  # a template's or a spec's field (`<LAST>^<FIRST>`, `{{name}}`, `[id]`)
            if what in ("ids", "id", "license", "ssn"):
                if not any(c.isalnum() for c in first):
                    continue
                kind = "NATIONAL_ID" if what == "license" else "ID"
                if what == "ids" and len(components) > 4:
                    kind = _TYPES.get(components[4], "ID")
                if what == "ssn" or kind == "US_SSN":
                    digits = "".join(c for c in first if c.isdigit())
                    kind = kind_of(digits)[0] if len(digits) == 9 else "NATIONAL_ID"  # area 9xx: an ITIN
                yield Span(r_start, r_start + len(first), kind, source, 0.9, f"hl7_{what}")
            elif what == "name":
                length = len("^".join(components[:3]).rstrip("^"))  # family, given, middle
                if any(c.isalpha() for c in repetition[:length]):
                    yield Span(r_start, r_start + length, "PERSON", source, 0.9, "hl7_name")
            elif what == "dob":
                if _DATE.fullmatch(first):
                    yield Span(r_start, r_start + len(first), "DATE", source, 0.95, "dob")
            elif what == "address":
                length = len(repetition.rstrip("^"))
                if length and any(c.isalpha() for c in repetition):
                    yield Span(r_start, r_start + length, "ADDRESS", source, 0.9, "hl7_address")
            elif sum(c.isdigit() for c in repetition) >= _MIN_PHONE_DIGITS:  # a phone
                length = len(repetition.rstrip("^"))
                yield Span(r_start, r_start + length, "PHONE", source, 0.9, "hl7_phone")
