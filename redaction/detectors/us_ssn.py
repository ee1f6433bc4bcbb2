"""US Social Security numbers (tier 1 ``US_SSN``) and ITINs (tier 1 ``US_ITIN``).

``AAA-GG-SSSS`` stands on its own with any separators between the groups: dashes, spaces,
dots, slashes, a mix of them, a spaced dash (``123 - 45 - 6789``), or one between every digit
where the groups still show (``1 2 3 - 4 5 - 6 7 8 9``). A bare 9-digit run counts only right
after an SSN context word (``SSN``, ``social security``, ``SS#``), since bare it is any other
9-digit number. An SSN must be a number the SSA can issue: area not 000 or 666, group not 00,
serial not 0000. Area 9xx is never an SSN but an IRS taxpayer id in the same format, still a
national id: ``US_ITIN`` (label ``itin`` when its group is in the IRS's ITIN ranges,
`stdnum.us.itin`, ``itin_format`` otherwise).

Not SSNs: numbers glued to letters or joined to more digit groups (``ORD-123-45-6789-1``,
ISBN fragments ``978-12-9359-...``, ``12/123/45/6789``), decimals (``1.123-45-6789``), 9-digit
runs without context (order numbers, routing numbers), per-digit runs whose separators do not
show the 3-2-4 grouping (``1 2 3 4 5 6 7 8 9``: a count, unless a label says SSN), masks
(``***-**-****``), line-wrapped groups. A form's boxes split by ``|`` (a W-9's
``3 3 8 | 1 8 | 8 5 7 6``) count after an SSN context word only: a table's row looks the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum.us import itin

from .._spans import Span
from ._idscan import (
    ShapePattern,
    bounded,
    digit_separators,
    free_after,
    free_before,
    grouped_at,
    per_digit_runs,
    preceded_by,
    scan,
    shape_matches,
)

__all__ = ["UsSsnDetector"]

# A context word, then only non-digits up to the number (`SSN: `, `"ssn":"`, `social
# security number is `).
_CONTEXT = re.compile(
    r"(?i)(?<![a-z])(?:ssns?|ss\s?\#|ss\s?nos?\.?|soc\.?\s?sec\.?|social[\s_-]+security)"
    r"(?![a-z])[^0-9;\x01\x02]{0,28}\Z"  # \x01, \x02: a value stood there (see `_scrub._masked`)
)
_CONTEXT_WINDOW = 64
# The label glued to the number (`SSN536-22-8714`, `ssn#536-22-8714`): not the end of a word.
_GLUED_LABEL = re.compile(r"(?<![A-Za-z])(?i:ssn)#?\Z")
# In the separator shape (see `_idscan`): the 3-digit area, 1-3 separators, the group, 1-3
# separators, the serial. Matched at a few offsets before each hit of the group-serial literal.
_SEPARATED = re.compile(rb"000s{1,3}00s{1,3}0000")
# The group and the serial with the separator before the group (the group is two digits, not
# the end of a longer one), 1-3 separators between them: one C-speed pass finds every hit
# (no two can overlap: each starts at a separator that no other hit holds before a digit).
_GROUP_SERIAL = re.compile(rb"s00s{1,3}0000")
# Between groups: spaces around at most one dash, dot or slash (`-`, ` `, ` - `, `.`, `/`).
_GROUP_SEP = re.compile(r" {0,2}[-./]? {0,2}|\t")
_NOT_DIGITS = {c: None for c in range(128) if not chr(c).isdigit()}
# A form's boxes (a W-9's `3 3 8 | 1 8 | 8 5 7 6`, `338 | 18 | 8576`): the groups split by `|`,
# their digits maybe spaced. Read only after an SSN context word: a table row looks the same.
_BOXED = re.compile(
    r"(?<![0-9|])[0-9](?:[ ]?[0-9]){2}[ ]{0,2}\|[ ]{0,2}[0-9][ ]?[0-9][ ]{0,2}\|[ ]{0,2}[0-9](?:[ ]?[0-9]){3}"
    r"(?![0-9]|[ ]?\|)"
)
_CONTEXT_HINTS = ("SSN", "ssn", "Ssn", "ocial", "OCIAL", "SS#", "ss#", "oc. sec", "oc sec", "OC SEC")


def _issuable(digits: str) -> bool:
    """Area, group and serial of an SSN the SSA can issue, or of an ITIN (area 9xx)."""
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and group != "00" and serial != "0000"


def kind_of(digits: str) -> tuple[str, str]:
    """(kind, label) of 9 SSN-format digits: ``US_ITIN`` for area 9xx, else ``US_SSN``."""
    if digits[0] == "9":
        return "US_ITIN", "itin" if itin.is_valid(digits) else "itin_format"
    return "US_SSN", ""


class UsSsnDetector:
    """``US_SSN``/``US_ITIN``: separated SSN-format numbers, bare 9 digits after an SSN word."""

    name = "us_ssn"
    KIND = "US_SSN"
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("separated", b"00s0000", _SEPARATED),
        ShapePattern("bare", b"000000000", bounded(b"000000000"), 0.9, needs_context=True),
    )

    def validate(self, value: str) -> bool:
        """An issuable SSN or ITIN, compact or with separators between its three groups."""
        digits = value.translate(_NOT_DIGITS)
        return len(digits) == 9 and digits.isascii() and _issuable(digits)

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        sep = found.sepshape
        hits = [match.start() + 1 for match in _GROUP_SERIAL.finditer(sep)]  # at the group
        if hits:  # most texts have none: one C-speed pass, no call
            yield from self._separated(text, hits)
        yield from self._per_digit(text)  # `per_digit_runs` tests its literals once per text
        if "|" in text and any(hint in text for hint in _CONTEXT_HINTS):
            for boxed in _BOXED.finditer(text):
                value = boxed.group()
                if self.validate(value) and preceded_by(text, boxed.start(), _CONTEXT, _CONTEXT_WINDOW):
                    yield self._span(*boxed.span(), value.translate(_NOT_DIGITS), 0.9, "boxed")
        bare = self.PATTERNS[1]
        for start, end in shape_matches(text, bare):
            value = text[start:end]
            if self.validate(value) and preceded_by(text, start, _CONTEXT, _CONTEXT_WINDOW):
                yield self._span(start, end, value, bare.score, "bare")

    def _span(self, start: int, end: int, digits: str, score: float, name: str) -> Span:
        kind, label = kind_of(digits)
        return Span(start, end, kind, f"rules:{self.name}", score, label or name)

    def _separated(self, text: str, hits: list[int]) -> Iterator[Span]:
        found = scan(text)
        sep = found.sepshape
        shape = found.shape
        for at in hits:
            serial_end = sep.index(b"0000", at + 2) + 4
            for back in (4, 5, 6):  # 3 area digits and 1-3 separators before the group
                match = _SEPARATED.match(sep, at - back) if at >= back else None
                if match is None or match.end() != serial_end:
                    continue
                start, end = match.span()
                glued = _GLUED_LABEL.search(text, max(0, start - 4), start) is not None  # `SSN536-22-8714`
                if not ((glued or free_before(text, shape, start)) and free_after(text, shape, end)):
                    break
                value = text[start:end]
                seps = (value[3 : at - start], value[at - start + 2 : -4])
                if all(_GROUP_SEP.fullmatch(s) for s in seps) and self.validate(value):
                    yield self._span(start, end, value.translate(_NOT_DIGITS), 1.0, "separated")
                break

    def _per_digit(self, text: str) -> Iterator[Span]:
        for start, end in per_digit_runs(text):
            digits = text[start:end].translate(_NOT_DIGITS)
            if len(digits) != 9 or not self.validate(digits):
                continue
            seps = digit_separators(text, start, end)
            # The 3-2-4 grouping must show: a different separator after digits 3 and 5.
            if seps[2] == seps[4] != seps[0] and grouped_at(seps, (3, 5)):
                yield self._span(start, end, digits, 1.0, "per_digit")
