"""Korean resident registration numbers (tier 1 ``KR_RRN``), also alien registration numbers.

``YYMMDD-GNNNNNN``: a date of birth, a gender/century digit 1-8 (1-4 citizens, 5-8
foreigners; 1 2 5 6 born 19xx, 3 4 7 8 born 20xx), six more digits. The date must exist in
the century the gender digit names. The last digit was a checksum until October 2020 and is
random since, so it is not required. The compact 13-digit form counts only after an RRN
context word (``주민등록번호``, ``RRN``), since 13 bare digits are just as often an EAN-13
(``4009071693254`` reads as 1940-09-07, gender 1).

Not RRNs: impossible dates (``991332-1...``), gender digits 0 and 9 (born 18xx), a space
instead of the dash, longer runs, compact runs without context.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._idscan import ShapePattern, bounded, preceded_by, shape_matches

__all__ = ["KrRrnDetector"]

_CONTEXT = re.compile(
    r"(?i)(?:주민\s?(?:등록)?\s?번호|주민등록|(?<![a-z])rrns?(?![a-z])|resident\s+registration)"
    r"[^0-9;]{0,24}\Z"
)
_CONTEXT_WINDOW = 48
_CENTURY = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000, "8": 2000}


def _birth_date_exists(digits: str) -> bool:
    century = _CENTURY.get(digits[6])
    if century is None:
        return False
    try:
        datetime.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return True


class KrRrnDetector:
    """``KR_RRN``: ``YYMMDD-GNNNNNN`` with a real date, or the compact form after context."""

    name = "kr_rrn"
    KIND = "KR_RRN"
    # Shape patterns (see `_idscan`); `s` must be a dash.
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("dashed", b"000000s0000000", bounded(b"000000s0000000")),
        ShapePattern("compact", b"0000000000000", bounded(b"0000000000000"), 0.9, needs_context=True),
    )

    def validate(self, value: str) -> bool:
        if len(value) == 14:
            if value[6] != "-":
                return False
            value = value[:6] + value[7:]
        return _birth_date_exists(value)

    def detect(self, text: str) -> Iterator[Span]:
        for pattern in self.PATTERNS:
            for start, end in shape_matches(text, pattern):
                if not self.validate(text[start:end]):
                    continue
                if pattern.needs_context and not preceded_by(text, start, _CONTEXT, _CONTEXT_WINDOW):
                    continue
                yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)
