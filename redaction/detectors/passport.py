"""Passport numbers (tier 1 ``PASSPORT``).

Passport numbers have no checksum a reader can verify and look exactly like order or ticket
numbers (``A56375155``, ``125811037``, ``06UX91441``), so they are taken only right after a
passport context word: ``passport``, ``passport no.``, ``passport_no``, ``travel document``,
``여권``. The value is one token of 6-9 capitals and digits with at least four digits: one or
two letters and 6-8 digits (US, KR, CN, IN), nine digits (US, UK), two digits, two letters,
five digits (FR), or the mixed 9-character German form (``C01X00T47``). A Russian internal
passport is found by its own words, series and number (``серия 4510 номер 123456``).

Not passports: the same tokens without context (order and invoice numbers), dates and short
numbers after ``passport`` (``passport expires 2031-05-01``), lowercase words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern
from ._idscan import find_all

__all__ = ["PassportDetector"]


class PassportDetector:
    """``PASSPORT``: a passport-like token within a few words after a passport context word."""

    name = "passport"
    KIND = "PASSPORT"
    # Needles to find the context words at C speed: (needle, offset back to the word start).
    HINTS: ClassVar[tuple[tuple[str, int], ...]] = (
        ("assport", 1), ("ASSPORT", 1), ("ravel document", 1), ("여권", 0),
    )  # fmt: skip
    # Anchored at a context word; up to 40 characters (a newline or a date may intervene)
    # before the first token that looks like a passport number, not glued to an id prefix.
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "passport",
            re.compile(
                # Not past a value that stood there (`\x01`, `\x02`: see `_scrub._masked`).
                r"(?:(?i:(?<![a-z])(?:passports?|travel\s+documents?)(?![a-z]))|여권)[^\x01\x02]{0,40}?"
                r"(?<![0-9A-Za-z])(?<![0-9A-Za-z][-_/])((?=(?:[A-Z]*[0-9]){4})[A-Z0-9]{6,9})"
                r"(?![0-9A-Za-z])"
            ),
            score=0.9,
            group=1,
        ),
    )

    def validate(self, value: str) -> bool:
        return value.count(value[0]) != len(value)  # `000000000` is a placeholder

    def detect(self, text: str) -> Iterator[Span]:
        yield from self._russian(text)
        for pattern in self.PATTERNS:
            done = 0
            for at in find_all(text, self.HINTS):
                match = pattern.regex.match(text, at)
                if match is None or match.start(pattern.group) < done:
                    continue
                start, end = match.span(pattern.group)
                if self.validate(text[start:end]):
                    yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)
                    done = end

    def _russian(self, text: str) -> Iterator[Span]:
        """A Russian internal passport by its series and number (`серия 4510 номер 123456`,
        `серия 45 10 № 123456`): the two words name it whatever stands before them."""
        if text.isascii():
            return
        for at in find_all(text, _SERIES_HINTS):
            match = _RU_SERIES.match(text, at)
            if match is not None and self.validate(match.group(1) + match.group(2)):
                yield Span(match.start(1), match.end(2), self.KIND, f"rules:{self.name}", 0.9, "ru_series")


_SERIES_HINTS = (("ерия", 1), ("ЕРИЯ", 1), ("ер.", 1))
# `серия 4510 номер 123456`, `Серия: 45 10, № 123456` (`No` in the detection view), `сер. 4510 N 123456`.
_RU_SERIES = re.compile(
    r"(?i:серия|сер\.)[ \t:]{0,3}([0-9]{2}[ ]?[0-9]{2})[ \t,;]{0,3}(?:(?i:номер|ном\.)|№|No\.?|N)?[ \t:]{0,3}"
    r"([0-9]{6})(?![0-9])"
)
