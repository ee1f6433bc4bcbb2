"""FHIR resources in JSON: a person's names and identifiers, by their keys.

A FHIR ``HumanName`` spells a name as ``"family": "Chalmers", "given": ["Peter", "James"]``: keys
that mean a name only inside FHIR (``family`` is a font's or an address family's elsewhere), and an
``identifier`` holds its number under a bare ``"value"``. Read only in a text that holds
``"resourceType"`` (every FHIR resource names its type):

- ``family`` and each string of ``given`` (or a ``given`` string): ``PERSON``;
- each ``"value"`` of an ``identifier`` array or object: ``ID`` (a medical record or member
  number), or ``US_SSN`` (tier 1) when its ``system`` is the US SSN's
  (``http://hl7.org/fhir/sid/us-ssn``) and the value has nine digits.

Dates of birth (``birthDate``), phones and addresses are the other detectors' (by key or shape).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._spans import Span
from .us_ssn import kind_of

__all__ = ["FhirDetector"]

_FAMILY = re.compile(r'"family"[ \t]*:[ \t]*"(?P<v>[^"\\\n]{1,80})"')
_GIVEN = re.compile(r'"given"[ \t]*:[ \t]*(?:"(?P<one>[^"\\\n]{1,80})"|\[(?P<list>[^\[\]]{1,400})\])')
_STRING = re.compile(r'"([^"\\\n]{1,80})"')
_IDENTIFIER = re.compile(r'"identifier"[ \t]*:[ \t]*[\[{]')
_VALUE = re.compile(r'"value"[ \t]*:[ \t]*"(?P<v>[^"\\\n]{1,80})"')
_SSN_SYSTEM = "us-ssn"
_REACH = 4000  # an identifier array's characters read at most


class FhirDetector:
    """``PERSON`` names and ``ID``/``US_SSN`` identifiers of FHIR resources in JSON."""

    name = "fhir"

    def detect(self, text: str) -> Iterator[Span]:
        if '"resourceType"' not in text:
            return
        source = f"rules:{self.name}"
        for family in _FAMILY.finditer(text):
            yield Span(*family.span("v"), "PERSON", source, 0.9, "fhir_name")
        for given in _GIVEN.finditer(text):
            if given.group("one") is not None:
                yield Span(*given.span("one"), "PERSON", source, 0.9, "fhir_name")
                continue
            offset = given.start("list")
            for name in _STRING.finditer(given.group("list")):
                yield Span(offset + name.start(1), offset + name.end(1), "PERSON", source, 0.9, "fhir_name")
        for identifier in _IDENTIFIER.finditer(text):
            yield from self._identifiers(text, identifier.end() - 1, source)

    @staticmethod
    def _identifiers(text: str, start: int, source: str) -> Iterator[Span]:
        """The values of the identifier array or object opening at ``start``, each typed by the
        object it stands in."""
        depth, at, stop = 0, start, min(len(text), start + _REACH)
        end = stop
        while at < stop:  # the bracket that closes it (strings hold no brackets in practice)
            char = text[at]
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    end = at + 1
                    break
            at += 1
        region = text[start:end]
        for value in _VALUE.finditer(region):
            v_start, v_end = start + value.start("v"), start + value.end("v")
            # The object holding this value: back to its `{`, forward to its `}`.
            lo = region.rfind("{", 0, value.start())
            hi = region.find("}", value.end())
            holder = region[lo + 1 : hi if hi != -1 else len(region)]
            digits = "".join(c for c in value.group("v") if c.isdigit())
            kind = kind_of(digits)[0] if _SSN_SYSTEM in holder and len(digits) == 9 else "ID"
            yield Span(v_start, v_end, kind, source, 0.9, "fhir_identifier")
