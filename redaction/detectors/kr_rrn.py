"""Korean resident registration numbers (tier 1 ``KR_RRN``), also alien registration numbers.

``YYMMDD-GNNNNNN``: a date of birth, a gender/century digit 1-8 (1-4 citizens, 5-8
foreigners; 1 2 5 6 born 19xx, 3 4 7 8 born 20xx), six more digits. The date must exist in
the century the gender digit names. The last digit was a checksum until October 2020 and is
random since, so it is not required. The compact 13-digit form counts only after an RRN
context word (``주민등록번호``, ``RRN``) or, without one, with a valid pre-2020 check digit when
the run is not a valid EAN-13 as well, since 13 bare digits are just as often an EAN-13
(``4009071693254`` reads as 1940-09-07, gender 1).

The separator may also be a space, a dot or a spaced dash (``740803 1345821``,
``740803 - 1345821``), or one between every digit (``7 4 0 8 0 3 - 1 3 4 5 8 2 1``, the
6-7 grouping still visible); the span keeps it. A slash (``790510/2802912``) or one separator
throughout a per-digit run (``7-7-0-6-1-1-2-0-3-3-7-2-7``) count only with a valid pre-2020
check digit as well.

Not RRNs: impossible dates (``991332-1...``), gender digits 0 and 9 (born 18xx), a slash or
an ungrouped per-digit run whose check digit fails (``740803/1345822``), longer runs or runs
joined to more digit groups, compact runs without context, lists of single digits
(``0 1 2 3 4 5 6 7 8 9``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import ClassVar

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

__all__ = ["KrRrnDetector"]

_CONTEXT = re.compile(
    r"(?i)(?:주민\s?(?:등록)?\s?번호|주민등록|(?<![a-z])rrns?(?![a-z])|resident\s+registration)"
    r"[^0-9;\x01\x02]{0,24}\Z"  # \x01, \x02: a value stood there (see `_scrub._masked`)
)
_CONTEXT_WINDOW = 48
# Between the birth date and the rest: a dash, a space or a dot, spaces around a dash allowed.
_SEPARATOR = re.compile(r"[-. ]| {0,2}- {0,2}")
# In the separator shape: 6 digits, 1-3 separators, 7 digits. One regex pass (its literal
# prefix is found at C speed); matched spans are taken by separator count, then left to right.
_SEPARATED = re.compile(rb"000000s{1,3}0000000")
# Wrapped at the dash's place (``830106\n2741622``): with its context word or a valid pre-2020
# check digit, as two lines of digits are just as often two numbers. In the shape; taken in
# the order no separator, one before the break, one after it, both.
_WRAPPED = re.compile(rb"000000(s?)\n(s?)0000000")
_NOT_DIGITS = {c: None for c in range(128) if not chr(c).isdigit()}
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
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


def _check_digit_ok(digits: str) -> bool:
    """The check digit of numbers issued before October 2020 (weights 2-9, 2-5; mod 11)."""
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False))
    return (11 - total % 11) % 10 == int(digits[12])


def _ean13_ok(digits: str) -> bool:
    return (sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) == 0


def _bare_ok(digits: str) -> bool:
    """13 bare digits without context: the pre-2020 check digit must hold, and the run must
    not be a valid EAN-13 as well (a product barcode reads as a birth date as often)."""
    return _check_digit_ok(digits) and not _ean13_ok(digits)


def _slashed(value: str) -> bool:
    """``790510/2802912``: a slash is a date's separator as often, so the check digit decides."""
    digits = value[:6] + value[-7:]
    return (
        value[6:-7].strip() == "/"
        and digits.isdigit()
        and _birth_date_exists(digits)
        and _check_digit_ok(digits)
    )


class KrRrnDetector:
    """``KR_RRN``: ``YYMMDD-GNNNNNN`` with a real date, or the compact form after context."""

    name = "kr_rrn"
    KIND = "KR_RRN"
    # Shape patterns (see `_idscan`); separated forms are read from the separator shape.
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("compact", b"0000000000000", bounded(b"0000000000000"), 0.9, needs_context=True),
    )

    def validate(self, value: str) -> bool:
        """A real birth date and gender digit; a separated value must use `_SEPARATOR`."""
        if len(value) > 13:
            if not _SEPARATOR.fullmatch(value[6:-7]):
                return False
            value = value[:6] + value[-7:]
        return value.isdigit() and value.isascii() and _birth_date_exists(value)

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        # Every form but the per-digit one holds seven digits in a row: a text without them
        # (most windows of a reply) skips their searches on one C-speed search; otherwise the
        # two regex passes start where a match can (its 7 digits start at most 9 after it).
        first = found.shape.find(b"0000000")
        long_run, begin = first != -1, max(0, first - 9)
        # A match overlapping an earlier one starts right after a digit, which `free_before`
        # rejects: one pass finds what a pass per separator count found.
        separated = [match.span() for match in _SEPARATED.finditer(found.sepshape, begin)] if long_run else []
        if len(separated) > 1:
            separated.sort(key=lambda span: span[1] - span[0])  # stable: by separator count
        for start, end in separated:
            free = free_before(text, found.shape, start) and free_after(text, found.shape, end)
            if free and (self.validate(text[start:end]) or _slashed(text[start:end])):
                yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, "separated")
        wrapped = (
            [(len(m[1]) + 2 * len(m[2]), m.start(), m.end()) for m in _WRAPPED.finditer(found.shape, begin)]
            if long_run
            else []
        )
        if len(wrapped) > 1:
            wrapped.sort(key=lambda hit: hit[0])  # stable
        for _, start, end in wrapped:
            if not (free_before(text, found.shape, start) and free_after(text, found.shape, end)):
                continue
            digits = text[start:end].translate(_NOT_DIGITS)
            if _birth_date_exists(digits) and (
                _check_digit_ok(digits) or preceded_by(text, start, _CONTEXT, _CONTEXT_WINDOW)
            ):
                yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, "wrapped")
        for start, end in per_digit_runs(text):
            digits = text[start:end].translate(_NOT_DIGITS)
            if len(digits) != 13 or not _birth_date_exists(digits):
                continue
            seps = digit_separators(text, start, end)
            # The 6-7 grouping must show (another separator after the birth date), or, with
            # one separator throughout, the pre-2020 check digit must hold.
            grouped = seps[5] != seps[0] and grouped_at(seps, (6,))
            if grouped or (len(set(seps)) == 1 and _check_digit_ok(digits)):
                yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, "per_digit")
        for pattern in self.PATTERNS if long_run else ():
            for start, end in shape_matches(text, pattern):
                if not self.validate(text[start:end]):
                    continue
                if (
                    pattern.needs_context
                    and not preceded_by(text, start, _CONTEXT, _CONTEXT_WINDOW)
                    and not _bare_ok(text[start:end])
                ):
                    continue
                yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)
