"""FHIR JSON: a HumanName's family and given names, an identifier's values (an SSN by its
system); the same keys outside a FHIR resource stay."""

from __future__ import annotations

import pytest

import redaction
from redaction.detectors.fhir import FhirDetector

DETECTOR = FhirDetector()

PATIENT = (
    '{"resourceType": "Patient", "identifier": [{"use": "usual", "type": {"coding": [{"code": "MR"}]}, '
    '"system": "urn:oid:1.2.36", "value": "12345"}, {"system": "http://hl7.org/fhir/sid/us-ssn", '
    '"value": "536-22-8714"}], "name": [{"use": "official", "family": "Chalmers", "given": ["Peter", '
    '"James"]}], "gender": "male", "birthDate": "1974-12-25"}'
)

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (PATIENT, [("Chalmers", "PERSON"), ("Peter", "PERSON"), ("James", "PERSON"), ("12345", "ID"),
               ("536-22-8714", "US_SSN")]),
    ('{"resourceType": "RelatedPerson", "name": {"family": "Roe", "given": "Ann"}, '
     '"identifier": {"value": "A1"}}',
     [("Roe", "PERSON"), ("Ann", "PERSON"), ("A1", "ID")]),
    # The same keys outside FHIR: a font's family, a form's given answers, a config's value.
    ('{"font": {"family": "Helvetica"}, "given": ["yes"], "identifier": {"value": "x"}}', []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_fhir_names_and_identifiers(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)] == expected


def test_no_name_or_identifier_of_a_patient_survives_the_scrub() -> None:
    out = redaction.scrub(PATIENT).text
    for value in ("Chalmers", "Peter", "James", "12345", "536-22-8714", "1974-12-25"):
        assert value not in out
