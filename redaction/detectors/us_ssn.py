"""US Social Security numbers (tier 1 ``US_SSN``).

``AAA-GG-SSSS`` and ``AAA GG SSSS`` stand on their own; a bare 9-digit run counts only right
after an SSN context word (``SSN``, ``social security``, ``SS#``), since bare it is any other
9-digit number. Every form must be a number the SSA can issue: area not 000, 666 or 9xx
(9xx are ITINs and never SSNs), group not 00, serial not 0000.

Not SSNs: numbers glued to letters or joined to more digit groups (``ORD-123-45-6789-1``,
ISBN fragments ``978-12-9359-...``), mixed separators (``123-45 6789``), 9-digit runs
without context (order numbers, routing numbers), masks (``***-**-****``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._idscan import ShapePattern, bounded, preceded_by, shape_matches

__all__ = ["UsSsnDetector"]

# A context word, then only non-digits up to the number (`SSN: `, `"ssn":"`, `social
# security number is `).
_CONTEXT = re.compile(
    r"(?i)(?<![a-z])(?:ssns?|ss\s?\#|ss\s?nos?\.?|soc\.?\s?sec\.?|social[\s_-]+security)"
    r"(?![a-z])[^0-9;]{0,28}\Z"
)
_CONTEXT_WINDOW = 64


def _issuable(digits: str) -> bool:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


class UsSsnDetector:
    """``US_SSN``: dashed or spaced SSNs, and bare 9-digit ones after an SSN context word."""

    name = "us_ssn"
    KIND = "US_SSN"
    # Shape patterns (see `_idscan`); `s` is a space or a dash, the same one twice.
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("separated", b"000s00s0000", bounded(b"000s00s0000")),
        ShapePattern("bare", b"000000000", bounded(b"000000000"), 0.9, needs_context=True),
    )

    def validate(self, value: str) -> bool:
        if len(value) == 11:
            if value[3] != value[6] or value[3] not in "- ":
                return False
            value = value[:3] + value[4:6] + value[7:]
        return _issuable(value)

    def detect(self, text: str) -> Iterator[Span]:
        for pattern in self.PATTERNS:
            for start, end in shape_matches(text, pattern):
                if not self.validate(text[start:end]):
                    continue
                if pattern.needs_context and not preceded_by(text, start, _CONTEXT, _CONTEXT_WINDOW):
                    continue
                yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)
