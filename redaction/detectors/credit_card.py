"""Payment card numbers (tier 1 ``CREDIT_CARD``).

13-19 digits, compact or in the groupings cards are printed in (4-4-4-4[-1..3], 4-4-4-1..4,
Amex 4-6-5, Diners 4-6-4), groups separated by spaces, dashes, dots, slashes or a mix of them
(``4111.1111/1111-1111``, ``4111 - 1111 - ...``), or by one line break where the card was
wrapped (``4111 1111\\n1111 1111``); or one separator between every digit (``4 1 1 1 1 1 1 1
...``, the printed grouping may show as wider separators). A candidate must pass Luhn
(`stdnum.luhn`), start with a card network's major industry digit (2-6) and not be one digit
repeated. The span keeps the separators.

A compact card glued to letters (``card4111111111111111exp``, ``CC4111111111111111``: OCR and
log keys drop the space) counts only in its network's own prefix and length (Visa 16 or 19,
Mastercard 16, Amex 15, ...), on the left only after a card word (``txn_4519961983914549`` is
an id), and outside a hex digest of 32 or more characters.

Not cards: runs in other groupings (Amazon orders ``321-5232635-8356602``, phone numbers
``+82 10 2612 6183``, or compact after a ``+``: ``+4915112345678``), ISBNs ``978-1-414-88321-2``),
other numbers glued to letters (hex digests,
``SO63858597``) or decimals, a column of numbers (two or more line breaks), EAN/ISBN-13s
that start with 9, and a compact 13-digit run that is a valid EAN-13 (``4027615504453``:
13-digit cards are all but extinct, EANs are everywhere). A per-digit run must be exactly the
card, with one separator throughout (or a different one only between its printed groups):
``1.5 2.5 3.5 ...`` or single digits glued to a longer number (``10 1 2 3 ...``) are lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import ClassVar

from stdnum import ean

from .._spans import Span
from ._idscan import (
    SEPX,
    ShapePattern,
    digit_separators,
    grouped_at,
    luhn_sum_ok,
    per_digit_runs,
    scan,
    shape_matches,
)

__all__ = ["CreditCardDetector"]

_LOOKBACK = 64  # a card's first group starts at most this far before a group inside it
# In the separator shape (see `_idscan`: dots and slashes are separators there too).
SEP = SEPX
# A run of digit groups joined by separators (possessive: linear on `1 1 1 1 ...`).
_RUN = re.compile(rb"0++(?:" + SEP + rb"0++)*+")
# Inside a run: the longest card grouping that starts at a group (4-6-5/4 Amex and Diners,
# 4-4-4-4-1..3, 4-4-4-1..4). Shorter groupings are tried in Python when Luhn says no.
_GROUPED = re.compile(
    rb"(?<!0)0000" + SEP + rb"(?:000000" + SEP + rb"0{4,5}|0000" + SEP + rb"0000" + SEP
    + rb"(?:0000" + SEP + rb"0{1,3}|0{1,4}))(?!0)"
)  # fmt: skip
# 13-19 digits standing alone; a comma on either side separates (a CSV row), a dot may make
# them part of a decimal.
_COMPACT = re.compile(rb"0{13}(?<![0Aa]0{13})(?<!0[.]0{13})0{0,6}(?![0Aa]|[.]0)")
_SIXTEEN = re.compile(rb"(?:0000" + SEP + rb"){3}0000")
_WIDE2, _WIDE3 = b"0000ss0000", b"0000sss0000"
_WIDE_CONTEXT = 40
# 4-4-4-4 split by commas (kept in the shape), underscores (folded to `a`) or other punctuation
# (`~` in the shape: `|`, `+` of a form-encoded space, `~`, `*`, `:`, `;`, `#`, `=`), one of
# them throughout, maybe with a space on each side (`4111 | 1111 | ...`).
_ODD_SEPARATED = tuple(
    b"0000" + s + b"0000" + s + b"0000" + s + b"0000" for s in (b",", b"a", b"~", b"s~s", b"s,s")
)
_ODD_CHARS = frozenset(",_|+~*:;#=")
_CARD_WORD = re.compile(
    r"(?i)(?<![a-z])(?:card|cc|visa|mastercard|amex|pan|carte|karte|tarjeta|cartão)(?![a-z])"
)
# A card word glued to the number (`card4111...`, `CC_4111...`, `visa#4111...`).
_CARD_WORD_BEFORE = re.compile(
    r"(?i)(?<![a-z])(?:card|cc|ccn|cardno|visa|mastercard|mc|amex|discover|pan|carte|karte|tarjeta)[#_:-]?\Z"
    r"|%B\Z"  # a magnetic stripe's track 1: `%B4111...^DOE/JOHN^2712...?`
)
# An expiry glued to a card by a dash or a dot: `-12/27`, `.1227`, `-12/2027`.
_EXPIRY_TAIL = re.compile(r"[-.](?:0[1-9]|1[0-2])/?(?:20)?[0-9]{2}(?![0-9A-Za-z])")
# After a card in a dump's row: one delimiter, the expiry (`12/27`, `1227`, `12|2027`), the same
# delimiter, a 3-4 digit code standing alone.
_DUMP_TAIL = re.compile(
    r"(?P<d>[|;,:\t ])(?:0[1-9]|1[0-2])(?:(?P=d)|[/-])?(?:20)?[0-9]{2}(?P=d)"
    # Not a decimal's part (`,12/27,123.45`); a CSV row's next field may start with digits.
    r"(?P<cvv>[0-9]{3,4})(?![0-9A-Za-z/-]|[.,][0-9]{1,2}(?![0-9]))"
)
_DEVICE_ID_BEFORE = re.compile(r"(?i)(?<![a-z])(?:imei|meid|iccid|imsi)[ \t]*[:#=]?[ \t]*\Z")
# 13 digits, then a dash (`s` in the shape) or a dot, then a digit: where `_expiry_glued` looks.
_GLUED_DASH, _GLUED_DOT = b"0" * 13 + b"s0", b"0" * 13 + b".0"


def _device_length(text: str, span: Span) -> bool:
    """The digits have a device id's length: IMEI/IMSI 15, MEID 14, ICCID 19-20 (a 16-digit
    card pasted after `IMEI:` is still a card)."""
    digits = len(text[span.start : span.end].translate(_NOT_DIGITS))
    return digits in (14, 15) or digits >= 19


_YEARS = re.compile(r"(?:19|20)\d\d(?:(?:19|20)\d\d){3}")
_FIFTEEN = b"0" * 15  # the shortest card a network issues glued to letters (Amex)
_HEX = frozenset(b"0123456789abcdefABCDEF")
_DIGEST_MIN = 32  # an MD5 in hex: shorter alphanumeric runs are not digests
_DIGEST_MAX = 128  # a SHA-512 in hex
# Where a per-digit card may show its printed grouping: 4-4-4-4[-x], Amex 4-6-5, Diners 4-6-4.
_CUTS = ((4, 8, 12, 16), (4, 10))
# Everything but ASCII digits dropped (the separators of a matched card).
_NOT_DIGITS = {c: None for c in range(128) if not chr(c).isdigit()}


def _luhn_valid(digits: str) -> bool:
    # `stdnum.luhn.is_valid` at C speed: the same sum for a non-empty run of ASCII digits, which
    # is all a candidate holds (tests/detectors/test_credit_card.py checks the two agree).
    return bool(digits) and luhn_sum_ok(digits)


def _ean13_valid(digits: str) -> bool:
    return bool(ean.is_valid(digits))


def _end_of(regex: re.Pattern[bytes], shape: bytes, pos: int) -> int:
    match = regex.match(shape, pos)
    assert match is not None, "called where the shape is known to match"
    return match.end()


def _free_before(shape: bytes, start: int, *, letters: bool = False) -> bool:
    """Not glued to a digit or (unless ``letters``) a letter (``x4111...``), nor the decimals
    of a number (``1.4111``)."""
    if start == 0:
        return True
    prev = shape[start - 1 : start]
    if prev == b"0" or (prev in (b"A", b"a") and not letters):
        return False
    # A comma separates (`42,4111...`: a CSV row): a card-shaped run is never part of an amount.
    return not (prev == b"." and shape[start - 2 : start - 1] == b"0")


def _free_after(shape: bytes, end: int, *, letters: bool = False) -> bool:
    """Not glued to a letter (unless ``letters``: ``...1111abc``) nor the integer part of a
    decimal (``...1111.50``); a comma separates (``...1111,42``: a CSV row)."""
    nxt = shape[end : end + 1]
    if nxt in (b"A", b"a") and not letters:
        return False
    return not (nxt == b"." and shape[end + 1 : end + 2] == b"0")


def _network_length(digits: str) -> bool:
    """The number has the prefix and length of a card network that issues it: Visa (16, 19),
    Mastercard (51-55, 2221-2720; 16), Amex (34, 37; 15), Discover (6011, 644-649, 65; 16-19),
    JCB (3528-3589; 16-19), UnionPay (62; 16-19), Mir (2200-2204; 16)."""
    n = len(digits)
    if digits[0] == "4":
        return n in (16, 19)
    two, four = int(digits[:2]), int(digits[:4])
    if two in (34, 37):
        return n == 15
    if 51 <= two <= 55 or 2221 <= four <= 2720 or 2200 <= four <= 2204:
        return n == 16
    if four == 6011 or two in (62, 65) or 644 <= int(digits[:3]) <= 649 or 3528 <= four <= 3589:
        return 16 <= n <= 19
    return False


def _in_digest(shape: bytes, text: str, start: int, end: int) -> bool:
    """``text[start:end]`` lies in a run of 32+ letters and digits that are all hex digits (read
    at most `_DIGEST_MAX` each way: linear however long the run)."""
    lo, hi = max(0, start - _DIGEST_MAX), min(len(shape), end + _DIGEST_MAX)
    while start > lo and shape[start - 1] in b"0Aa":
        start -= 1
    while end < hi and shape[end] in b"0Aa":
        end += 1
    return end - start >= _DIGEST_MIN and all(ord(c) in _HEX for c in text[start:end])


class CreditCardDetector:
    """``CREDIT_CARD``: a Luhn-valid card number in a card's printed grouping."""

    name = "credit_card"
    KIND = "CREDIT_CARD"
    # Shape patterns (see `_idscan`): two 4+-digit groups joined by a separator, widened to
    # the whole run of groups around them; or 13-19 digits in a row.
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("grouped", b"0000s0000", _GROUPED),
        ShapePattern("compact", b"0000000000000", _COMPACT),
    )

    def validate(self, digits: str) -> bool:
        """Luhn plus the cheap structural checks that reject obvious non-cards."""
        if digits[0] not in "23456" or digits.count(digits[0]) == len(digits):
            return False
        if len(digits) == 16 and _YEARS.fullmatch(digits):
            years = [int(digits[i : i + 4]) for i in range(0, 16, 4)]
            if years == sorted(years):
                return False  # `EXPOSE 2023 2024 2025 2026`: four years in order, not a card
        if len(digits) == 13 and _ean13_valid(digits):
            return False
        return _luhn_valid(digits)

    def detect(self, text: str) -> Iterator[Span]:
        if b"0000" not in scan(text).shape:
            yield from self._per_digit(text)
            return  # every other form holds four digits in a row: most texts stop here
        for span in chain(
            self._compact(text), self._glued(text), self._expiry_glued(text), self._odd_separators(text),
            self._grouped(text), self._per_digit(text),
        ):  # fmt: skip
            device = _DEVICE_ID_BEFORE.search(text, max(0, span.start - 16), span.start)
            if device is not None and _device_length(text, span):
                continue  # an IMEI or a SIM's ICCID passes Luhn too: a device's id, not a card
            yield span
            # A card dump's row (`4111...|12/27|123`): the code after the expiry is the CVV.
            tail = _DUMP_TAIL.match(text, span.end)
            if tail is not None:
                yield Span(*tail.span("cvv"), "CVV", f"rules:{self.name}", 1.0, "dump")

    def _expiry_glued(self, text: str) -> Iterator[Span]:
        """A compact card with its expiry glued on by a dash or a dot (`4111...1111-12/27`,
        `4111...1111.1227`), which `_compact` reads as one longer number or a decimal."""
        found = scan(text)
        shape = found.shape
        if _GLUED_DASH not in shape and _GLUED_DOT not in shape:
            return  # the common case: no 13+ digits run on into `-1` or `.1` (two C-speed tests)
        for at in found.literal_hits(self.PATTERNS[1].literal):
            if not _free_before(shape, at):
                continue  # inside a run (a hit every 13 digits of it): the run's start decides
            end = at + 13
            while end - at <= 19 and shape[end : end + 1] == b"0":
                end += 1  # at most 20 steps: a longer run is no card
            if (
                end - at <= 19
                and text[end : end + 1] in ("-", ".")
                and _EXPIRY_TAIL.match(text, end) is not None
                and _network_length(text[at:end])
                and self.validate(text[at:end])
            ):
                yield Span(at, end, self.KIND, f"rules:{self.name}", 1.0, "compact")

    def _compact(self, text: str) -> Iterator[Span]:
        for start, end in shape_matches(text, self.PATTERNS[1]):
            if self.validate(text[start:end]):
                yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, "compact")

    def _odd_separators(self, text: str) -> Iterator[Span]:
        """4-4-4-4 with commas, underscores, bars or other punctuation between the groups
        (`4526_0181_5908_3012`, a form that split the number; `4526+0181+...` form-encoded;
        `4526 | 0181 | ...`): one of them throughout, nothing glued around; with commas only
        after a card word (`card 4526,0181,5908,3012`)."""
        shape = scan(text).shape
        for literal in _ODD_SEPARATED:
            width = (len(literal) - 16) // 3  # of one separator
            at = shape.find(literal)
            while at != -1:
                end = at + 16 + 3 * width
                sep = text[at + 4 : at + 4 + width]
                core = sep.strip(" ")  # the punctuation itself
                step = 4 + width
                if (
                    len(core) == 1
                    and core in _ODD_CHARS
                    and text[at + step : at + step + 4].isdigit()
                    and text[at + step + 4 : at + step + 4 + width] == sep
                    and text[at + 2 * step + 4 : end - 4] == sep
                    and shape[at - 1 : at] not in (b"0", b"A", b"a")
                    and text[at - 1 : at] != core
                    and text[max(0, at - width) : at] != sep  # a fifth group: a row of numbers
                    and shape[end : end + 1] not in (b"0", b"A", b"a")
                    and text[end : end + 1] != core
                    and text[end : end + width] != sep
                ):
                    digits = text[at:end].translate(_NOT_DIGITS)
                    # Four 4-digit numbers with commas are as often a CSV row of counts: those
                    # need a card word before them.
                    named = "," not in sep or _CARD_WORD.search(text, max(0, at - 40), at) is not None
                    if named and _network_length(digits) and self.validate(digits):
                        yield Span(at, end, self.KIND, f"rules:{self.name}", 1.0, "grouped")
                at = shape.find(literal, at + 1)

    def _glued(self, text: str) -> Iterator[Span]:
        """Compact cards with a letter on one side or both (`_compact` takes the others)."""
        shape = scan(text).shape
        at = shape.find(_FIFTEEN)
        while at != -1:
            end = at + 15  # `find` is left to right past each run: the run starts at `at`
            while shape[end : end + 1] == b"0":
                end += 1
            before, after = shape[at - 1 : at] if at else b"", shape[end : end + 1]
            if (
                end - at <= 19
                and (before in (b"A", b"a") or after in (b"A", b"a"))
                # Glued on the left only to a card word (`card4111...`, `CC4111...`): ids such as
                # `txn_4519961983914549` or `PO4532015112830366` pass Luhn one time in ten.
                and (
                    before not in (b"A", b"a")
                    or _CARD_WORD_BEFORE.search(text, max(0, at - 16), at) is not None
                )
                and _free_before(shape, at, letters=True)
                and _free_after(shape, end, letters=True)
                and _network_length(text[at:end])
                and self.validate(text[at:end])
                and not _in_digest(shape, text, at, end)
            ):
                yield Span(at, end, self.KIND, f"rules:{self.name}", 1.0, "glued")
            at = shape.find(_FIFTEEN, end)

    def _per_digit(self, text: str) -> Iterator[Span]:
        for start, end in per_digit_runs(text):
            digits = text[start:end].translate(_NOT_DIGITS)
            if not 13 <= len(digits) <= 19 or not self.validate(digits):
                continue
            seps = digit_separators(text, start, end)
            if "\n" not in "".join(seps) and any(grouped_at(seps, cuts) for cuts in _CUTS):
                yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, "per_digit")

    def _grouped(self, text: str) -> Iterator[Span]:
        found = scan(text)
        shape, sep = found.shape, found.sepshape  # the shape for bounds, sepshape for groups
        done = 0  # text before this offset is handled
        hits = found.literal_hits(self.PATTERNS[0].literal, sep=True)
        # Wider separators between groups: three in a row (`4111 - 1111`), or two (`4111  1111`, a
        # receipt's layout) after a card word: a fixed-width report's columns are two spaces apart.
        spaced = found.literal_hits(_WIDE3, sep=True) if _WIDE3 in sep else []
        if _WIDE2 in sep:
            spaced += [
                at
                for at in found.literal_hits(_WIDE2, sep=True)
                if _CARD_WORD.search(text, max(0, at - _WIDE_CONTEXT), at) is not None
            ]
        for at in sorted(hits + spaced) if spaced else hits:
            if at < done:
                continue
            # A card holding the hit starts at most `_LOOKBACK` before it (`_GROUPED` only
            # starts at a group) and ends where the run of digit groups from the hit ends.
            pos, stop = max(done, at - _LOOKBACK), _end_of(_RUN, sep, at)
            while (card := _GROUPED.search(sep, pos, stop)) is not None:
                end = self._valid_end(text, shape, card.start(), card.end())
                if end is None:
                    pos = card.start() + 1
                    continue
                yield Span(card.start(), end, self.KIND, f"rules:{self.name}", 1.0, "grouped")
                pos = end
            done = stop

    def _valid_end(self, text: str, shape: bytes, start: int, end: int) -> int | None:
        """Where the card starting at ``start`` ends: the whole match, or for 4-4-4-4-x (17-19
        digits, rare) possibly only its first 16 digits."""
        if not _free_before(shape, start, letters=True) or shape.count(b"\n", start, end) > 1:
            return None  # a card wraps once at most; more is a column of numbers
        digits = text[start:end].translate(_NOT_DIGITS)
        if shape[start - 1 : start] in (b"A", b"a") or shape[end : end + 1] in (b"A", b"a"):
            # Glued to a letter (`Visa4111 1111 1111 1111`): only in its network's own length,
            # and on the left only to a card word.
            left_ok = shape[start - 1 : start] not in (b"A", b"a") or (
                _CARD_WORD_BEFORE.search(text, max(0, start - 16), start) is not None
            )
            ok = (
                left_ok
                and _free_after(shape, end, letters=True)
                and _network_length(digits)
                and self.validate(digits)
            )
            return end if ok else None
        if _free_after(shape, end) and self.validate(digits):
            return end
        if len(digits) > 16 and self.validate(digits[:16]):
            end = _end_of(_SIXTEEN, scan(text).sepshape, start)
            return end if _free_after(shape, end) else None
        return None
