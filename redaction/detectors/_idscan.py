"""Scanning helpers shared by the financial and national-ID detectors (tier 1).

Python's `re` tries a pattern at every position its first character class allows, so a
pattern that starts with ``\\d`` costs one attempt per digit of the text: 15-25 ms per MB of
mixed text, per detector. These detectors scan a *shape* of the text instead: one byte per
code point, every digit folded to ``0``, every letter to ``A``/``a``, so that a candidate such
as ``000s00s0000`` (an SSN) is a literal that `bytes.find` locates at C speed. The real
characters are read only at the few places the shape points to. Context words (``account``,
``passport``) are found the same way: `str.find` for a few case variants, then an anchored
regex at each hit.

Digits written with dots or slashes between their groups (``4111.1111.1111.1111``,
``123/45/6789``) are read from the *separator shape* (`Scan.sepshape`), the shape with ``.``
and ``/`` folded to ``s`` as well; the plain shape still tells a decimal (``1.5``) from a
separator when a detector checks what stands around a value (`free_before`, `free_after`).
Digits with a separator between every one of them (``4 1 1 1 ...``) are found once per text
by `per_digit_runs` and shared by every detector.

Neither the shape nor the literal hits hold a value of the text (no digit or letter survives
the folding), so the one-slot cache below, which lets every detector of one scrub share
them, keeps nothing sensitive between calls. A detector reads the cached `Scan` once per call
and returns at once when its literals are absent: most texts hold no candidate at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

__all__ = [
    "SEP", "SEPX", "Scan", "ShapePattern", "base64_runs", "bounded", "find_all", "free_after", "free_before",
    "literal_hits", "luhn_sum_ok", "preceded_by", "scan", "shape_matches", "text_shape",
]  # fmt: skip


def _shape_table() -> bytes:
    table = bytearray(b"~" * 256)
    table[ord("0") : ord("9") + 1] = b"0" * 10
    table[ord("A") : ord("Z") + 1] = b"A" * 26
    table[ord("a") : ord("z") + 1] = b"a" * 26
    table[ord("_")] = ord("a")
    for c in b" \t\r-":
        table[c] = ord("s")
    for c in b"\n.,>/":
        table[c] = c
    return bytes(table)


_SHAPE_TABLE = _shape_table()
# `[A-Za-z0-9/+]` folded to `x`, everything else to a space (see `base64_runs`).
_BASE64_TABLE = bytes(
    0x78 if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "/+") else 0x20 for c in range(256)
)
# The separator shape: dots and slashes between digits read as separators too (`s`), so one
# literal (``0000s0000``) finds ``4111.1111``, ``4111/1111`` and ``4111-1111`` alike. Commas
# stay: ``1,234,567`` is an amount, never an id.
_SEP_TABLE = bytes.maketrans(b"./", b"ss")

# Between two digit groups of one printed number, in shape bytes: a space or a dash (`s`),
# or one line break where the value was wrapped (a `>` quote marker may follow it in a
# quoted e-mail).
SEP = rb"(?:s|s?\n[s>]{0,4})"
# The same in the separator shape (`Scan.sepshape`), where dots and slashes are `s` too; up to
# three in a row (``123 - 45 - 6789``) but still one line break at most.
SEPX = rb"(?:s{1,3}|s?\n[s>]{0,4})"


class Scan:
    """The shape of one text and the literal hits found in it so far.

    Keyed by the text's identity, length and hash (never a reference to the text itself).
    Every detector of one scrub sees the same view object, so the shape is built once per
    scrub rather than once per detector. A stale key cannot match another live text: `id`
    is unique among live objects, and length and hash must agree as well.
    """

    __slots__ = (
        "_base64", "_sepshape", "hits", "ident", "length", "runs", "sep_hits", "shape", "text_hash",
    )  # fmt: skip

    def __init__(self, text: str) -> None:
        self.ident, self.length, self.text_hash = id(text), len(text), hash(text)
        # `replace` writes one `?` per unencodable code point: offsets stay those of `text`.
        # Both folded copies come from one encoding: every scrub reads both (`base64_runs`).
        ascii_bytes = text.encode("ascii", "replace")
        self.shape = ascii_bytes.translate(_SHAPE_TABLE)
        self.hits: dict[bytes, list[int]] = {}
        self.sep_hits: dict[bytes, list[int]] = {}
        self._sepshape: bytes | None = None
        self._base64: bytes | None = ascii_bytes.translate(_BASE64_TABLE)
        self.runs: list[tuple[int, int]] | None = None  # `per_digit_runs`, shared

    @property
    def sepshape(self) -> bytes:
        """The shape with ``.`` and ``/`` folded to ``s`` (built on first use)."""
        if self._sepshape is None:
            self._sepshape = self.shape.translate(_SEP_TABLE)
        return self._sepshape

    def literal_hits(self, literal: bytes, *, sep: bool = False, start: int = 0) -> list[int]:
        """Non-overlapping offsets of ``literal`` in the shape (in the separator shape with
        ``sep``), left to right (memoized). A caller that knows no occurrence begins before
        ``start`` may say so: the search starts there, with the same result."""
        memo = self.sep_hits if sep else self.hits
        found = memo.get(literal)
        if found is None:
            found = []
            shape = self.sepshape if sep else self.shape
            at = shape.find(literal, start)
            while at != -1:
                found.append(at)
                at = shape.find(literal, at + len(literal))
            memo[literal] = found
        return found


_last: Scan | None = None  # one slot: the last text scanned


def scan(text: str) -> Scan:
    """The `Scan` of ``text``, built on the first call for it."""
    global _last
    last = _last
    if last is None or last.ident != id(text) or last.length != len(text) or last.text_hash != hash(text):
        last = _last = Scan(text)
    return last


def base64_runs(text: str, length: int) -> list[int]:
    """Starts of the maximal runs of at least ``length`` characters of ``[A-Za-z0-9/+]`` in
    ``text``, left to right: where long key material can start. C-speed `bytes.find` calls on
    a folded copy (one byte per code point, ``x`` for those characters) kept on the text's
    `Scan`; most texts have no such run and cost one `find`."""
    found = scan(text)
    folded = found._base64
    if folded is None:
        folded = found._base64 = text.encode("ascii", "replace").translate(_BASE64_TABLE)
    needle = b"x" * length
    starts: list[int] = []
    at = folded.find(needle)
    while at != -1:  # the first hit after a run's end starts the next run
        starts.append(at)
        end = folded.find(b" ", at + length)
        if end == -1:
            break
        at = folded.find(needle, end)
    return starts


def text_shape(text: str) -> bytes:
    """One byte per code point of ``text``: ``0`` digit, ``A`` capital, ``a`` small letter or
    ``_``, ``s`` space, tab, CR or dash, ``\\n . , > /`` as themselves, ``~`` anything else
    (non-ASCII letters included)."""
    return scan(text).shape


def literal_hits(text: str, literal: bytes) -> list[int]:
    """Non-overlapping offsets of ``literal`` in the shape of ``text``, left to right.

    Non-overlapping is enough for digit literals: the next number starts after the current
    one ends. Shared between detectors through the cache (``000000000`` serves both the SSN
    and the routing detector).
    """
    return scan(text).literal_hits(literal)


def bounded(literal: bytes) -> re.Pattern[bytes]:
    """Match at a hit of ``literal`` when it stands as a whole number: no digit or letter
    glued to either side, not the decimals or the integer part of a number (``1.`` in front,
    ``.5`` behind). A space before or after is fine (``DOB 1980 123-45-6789``); a dash is
    told apart from a space on the real text, by `shape_matches`."""
    lit = re.escape(literal)
    return re.compile(lit + rb"(?<![0Aa]" + lit + rb")(?<!0[.,]" + lit + rb")(?![0Aa]|[.,]0)")


class ShapePattern(NamedTuple):
    """A named candidate pattern over the shape: ``literal`` locates it at C speed, ``regex``
    (matched at each hit, so it starts with the literal) confirms and delimits it."""

    name: str
    literal: bytes
    regex: re.Pattern[bytes]
    score: float = 1.0
    needs_context: bool = False


def shape_matches(text: str, pattern: ShapePattern) -> list[tuple[int, int]]:
    """Spans where ``pattern`` matches the shape of ``text`` and the match is not joined by a
    dash to another digit group (``12-`` in front or ``-12`` behind) nor, compact, after a
    ``+`` (up to 15 digits: E.164's longest), left to right."""
    found = scan(text)
    hits = found.literal_hits(pattern.literal)
    if not hits:
        return []  # the common case: no candidate at all
    shape = found.shape
    spans: list[tuple[int, int]] = []
    for at in hits:
        match = pattern.regex.match(shape, at)
        if match is None:
            continue
        start, end = match.span()
        if start and text[start - 1] == "+" and end - start <= 15 and text[start:end].isdigit():
            continue  # `+5511072624012`: a phone number in international form (E.164: 15 digits at most)
        if start >= 2 and text[start - 1] == "-" and shape[start - 2] == 0x30:
            continue
        if text[end : end + 1] == "-" and shape[end + 1 : end + 2] == b"0":
            continue
        spans.append((start, end))
    return spans


def free_before(text: str, shape: bytes, start: int) -> bool:
    """Nothing glued in front of ``start``: no digit or letter, not the decimals of a number
    (``1.``), not a further digit group joined by a dash (``12-``), or by a slash when the
    value is written with slashes (``12/123/45/6789``). A comma separates (``42,123-45-6789``:
    a CSV row; an id-shaped run is never part of an amount), and so does a slash before a value
    written otherwise (``10.0.0.1/123-45-6789``: a list). Seven to fifteen digits in a row after
    a ``+`` are a phone number in international form."""
    if start == 0:
        return True
    prev = shape[start - 1]
    if prev in b"0Aa":
        return False
    if (
        text[start - 1] == "+"
        and shape.startswith(b"0000000", start)
        and shape[start + 15 : start + 16] != b"0"
    ):
        return False  # `+5511072624012`: a phone number in international form (E.164: 15 digits at most)
    if prev == 0x2F:  # "/"
        joined = _own_separator(text, shape, start, 1) == "/"
    else:
        joined = prev == 0x2E or text[start - 1] == "-"
    return not (joined and shape[start - 2 : start - 1] == b"0")


def free_after(text: str, shape: bytes, end: int) -> bool:
    """Nothing glued after ``end``: no digit or letter, not the integer part of a decimal
    (``.5``), not a further digit group joined by a dash (``-12``) or by a slash when the value
    is written with slashes (``123/45/6789/1``). A comma separates (``123-45-6789,42``), and so
    does a slash after a value written otherwise (``123-45-6789/10.0.0.1``)."""
    nxt = shape[end : end + 1]
    if not nxt:
        return True
    if nxt in (b"0", b"A", b"a"):
        return False
    if nxt == b"/":
        joined = _own_separator(text, shape, end - 1, -1) == "/"
    else:
        joined = nxt == b"." or text[end] == "-"
    return not (joined and shape[end + 1 : end + 2] == b"0")


def _own_separator(text: str, shape: bytes, at: int, step: int) -> str:
    """The first character that is not a digit from ``at`` on, walking by ``step`` (a value's
    own separator next to its edge group), within 12 characters; "" when there is none."""
    for _ in range(12):
        if not 0 <= at < len(shape):
            return ""
        if shape[at] != 0x30:
            return text[at]
        at += step
    return ""


def find_all(text: str, needles: Iterable[tuple[str, int]]) -> list[int]:
    """Sorted, distinct positions ``at - back`` for every occurrence ``at`` of each
    ``(needle, back)`` (exact case: one C-speed `str.find` pass per needle)."""
    hits: set[int] = set()
    for needle, back in needles:
        at = text.find(needle)
        while at != -1:
            hits.add(max(0, at - back))
            at = text.find(needle, at + 1)
    return sorted(hits)


def preceded_by(text: str, start: int, context: re.Pattern[str], window: int) -> bool:
    """Whether ``context`` matches in the ``window`` characters before ``start`` and ends
    exactly at ``start`` (write it with a trailing ``\\Z``)."""
    return context.search(text, max(0, start - window), start) is not None


# One digit, then more single digits each after 1-3 separators (possessive: linear).
_PER_DIGIT = re.compile(rb"0(?:s{1,3}0)++")
_DIGIT_THEN_SEPS = re.compile(rb"0s{1,3}\Z")
# Where a run can start: `0s0s0`, `0ss0` or `0sss0` (one C pass instead of three `in` tests).
_RUN_START = re.compile(rb"0s(?:0s0|s0|ss0)")


def per_digit_runs(text: str) -> list[tuple[int, int]]:
    """Runs of single digits each separated by 1-3 separators (``4 1 1 1 ...``,
    ``1 2 3 - 4 5 - 6 7 8 9``, ``4.1.1.1``), at least three digits, standing alone: no
    multi-digit group glued to either end (``10 1 2 3 4`` is a list of numbers)."""
    found = scan(text)
    if found.runs is not None:
        return found.runs  # another detector of this scrub asked first
    sep = found.sepshape
    runs: list[tuple[int, int]] = []
    found.runs = runs
    shape = found.shape
    done = 0
    # One C pass over the separator shape. Its matches do not overlap, yet every run holding
    # one of its three literals holds a match (a match lies inside one run: digits and
    # separators only), and a run is read from its first digit whichever hit comes first.
    for hit in _RUN_START.finditer(sep):
        at = hit.start()
        if at < done:
            continue
        # Back to the run's first digit (a hit of a wide separator may lie inside it).
        while at > done and (back := _DIGIT_THEN_SEPS.search(sep, max(done, at - 4), at)):
            at = back.start()
        match = _PER_DIGIT.match(sep, at)
        if match is None:
            continue
        end = done = match.end()
        if sep[end : end + 1] == b"0":
            continue  # a multi-digit group ends the run: a list of numbers
        if free_before(text, shape, at) and free_after(text, shape, end):
            runs.append((at, end))
    return runs


def digit_separators(text: str, start: int, end: int) -> list[str]:
    """The separators between the single digits of a per-digit run, in order."""
    return re.split(r"[0-9]", text[start:end])[1:-1]


def grouped_at(separators: list[str], cuts: Iterable[int]) -> bool:
    """Whether a per-digit run's separators are one and the same except, possibly, a
    different one exactly after each digit count of ``cuts`` (its printed grouping)."""
    cut_set = set(cuts)
    inner = {s for i, s in enumerate(separators, 1) if i not in cut_set}
    outer = {s for i, s in enumerate(separators, 1) if i in cut_set}
    return len(inner) <= 1 and len(outer) <= 1


# ASCII digit -> ASCII digit of its doubled digit sum (Luhn): 0 2 4 6 8 1 3 5 7 9.
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def luhn_sum_ok(digits: str) -> bool:
    """The Luhn sum of ASCII ``digits``, at C speed: every second digit from the right doubled
    (as its digit sum), the total a multiple of 10."""
    raw = digits.encode("ascii")
    return (sum(raw[-1::-2]) + sum(raw[-2::-2].translate(_DOUBLED)) - 48 * len(raw)) % 10 == 0
