"""Response scanning: mask values the model wrote that the map never held (docs/architecture.md §11).

A reply is rehydrated first, then scanned by the rules layer (the detectors of §3.1, nothing
else). A detected value is left alone when it lies inside an occurrence of a map value (it was
in the prompt, or it is a rehydrated value); any other value of a scanned kind is replaced by
`[REDACTED:KIND]`. Modes: ``off``; ``tier1`` (tier-1 kinds only, the default of the service);
``all`` (every kind the rules layer replaces when scrubbing).

The scan is one incremental algorithm, `ResponseScanner`, used whole by `scan_response` and
chunk by chunk by `StreamRehydrator`; its output depends only on the text, never on how it was
split. It reads the text in windows at positions fixed by the text itself:

- Window ``k`` owns the spans that start in its region ``[R, R_next)``; it is scanned over
  ``[R - _LEFT, E)``, so a label before a value ("password: ...") is in view, and its end
  ``E`` lies ``_stride(R) + _AHEAD`` after ``R``, moved forward to the next whitespace so no word
  is ever cut (a key or JWT of any length is seen whole), at most ``_CAP`` after ``R``.
- A span that reaches ``E`` may continue (a PEM block, a wrapped value): the window doubles
  and is scanned again, up to ``_CAP``.
- Overlapping spans are merged exactly as `scrub` does; a merged value is written out once no
  later window can still join it.

Held back in a stream: between ``_AHEAD`` and ``_STRIDE + _AHEAD`` characters (128 to 384, plus
the rest of a word; the first regions are shorter, so a reply's first text shows after 160) in
the common case; up to ``_CAP`` (16 KiB) while a long unbroken value (a
key, a JWT, a PEM block) is still arriving. Each character is scanned about twice (overlap);
the cost per chunk is linear in the chunk and independent of the map's size, except for one
index of the map's values built the first time a window holds a detected value.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Literal, NamedTuple, get_args

import ahocorasick

from ._escapes import escaped_spans, outside_escapes
from ._normalize import is_plain, normalize
from ._scrub import _ID_KINDS, _REDACTED_MARK, _masked, _outside, _resolve, _widened_ids
from ._spans import TIER1_KINDS, Span
from ._tokens import iter_token_refs
from .detectors import DEFAULT_DETECTORS
from .errors import InputError

__all__ = ["SCAN_MODES", "ResponseScanner", "ScanMode", "ScanResult", "scan_response"]

ScanMode = Literal["off", "tier1", "all"]
SCAN_MODES: tuple[ScanMode, ...] = get_args(ScanMode)

_STRIDE = 256  # a window's region: the spans starting in it are its own (larger: fewer windows)
_FIRST_STRIDE = 32  # the first regions grow from this to `_STRIDE`: a reply starts showing sooner
_AHEAD = 128  # right context past the region: any value this long starting in it is seen whole
_LEFT = 96  # left context (labels before a value; longer than any placeholder, MAX_TOKEN_LEN 90)
_CAP = 16_384  # longest window: an RSA-16384 PEM block (~12 KB) fits
_VALUE_BACK = 512  # a map value containing a span may start this far before the region
_MIN_VALUE = 3  # shorter map values cannot contain a detected value
_SPACE = re.compile(r"\s")


def _stride(region: int) -> int:
    """The length of the region that starts at ``region``: 32, 32, 64, 128, then 256."""
    return min(_STRIDE, max(_FIRST_STRIDE, region))


class ScanResult(NamedTuple):
    text: str  # the reply with each invented value replaced by `[REDACTED:KIND]`
    masked: Mapping[str, int]  # kind -> values masked: counts only, never a value


_TIER1 = frozenset(TIER1_KINDS)
# Detectors that only ever propose tier-2 kinds: a `tier1` scan skips them (the resolver lets a
# tier-1 span win every overlap, so they cannot change what it masks); about half the cost.
_TIER2_ONLY = frozenset({"email", "phone", "ip", "date", "money", "address", "places", "url", "bic"})
_TIER1_DETECTORS = tuple(d for d in DEFAULT_DETECTORS if d.name not in _TIER2_ONLY)


def _kinds(mode: object) -> frozenset[str] | None:
    """The kinds a mode masks (empty: every kind); None for ``off``."""
    if mode == "off":
        return None
    if mode == "tier1":
        return _TIER1
    if mode == "all":
        return frozenset()
    raise InputError(f"scan must be one of {list(SCAN_MODES)}")


class _ValueIndex:
    """Where the map's values occur in a text: one Aho-Corasick automaton, built once."""

    __slots__ = ("_automaton",)

    def __init__(self, token_map: Mapping[str, str]) -> None:
        self._automaton: ahocorasick.Automaton | None = None
        values = {v for v in token_map.values() if len(v) >= _MIN_VALUE}
        if values:
            automaton = ahocorasick.Automaton()
            for value in values:
                automaton.add_word(value, len(value))
            automaton.make_automaton()
            self._automaton = automaton

    def outside_values(self, text: str, offset: int, spans: list[Span]) -> list[Span]:
        """``spans`` (absolute) less those lying inside an occurrence of a map value in
        ``text`` (which starts at absolute ``offset``)."""
        if self._automaton is None or not spans:
            return spans
        occurrences = sorted(
            (offset + last + 1 - length, offset + last + 1) for last, length in self._automaton.iter(text)
        )
        if not occurrences:
            return spans
        starts = [start for start, _ in occurrences]
        reach: list[int] = []  # the furthest end of any occurrence starting at or before each
        for _, end in occurrences:
            reach.append(max(end, reach[-1]) if reach else end)
        kept: list[Span] = []
        for span in spans:
            at = bisect_right(starts, span.start) - 1
            if at < 0 or reach[at] < span.end:
                kept.append(span)
        return kept


class ResponseScanner:
    """Feed rehydrated text in pieces; each call returns the part that is final, masked.

    For every way of splitting a text, ``"".join(feed(piece) ...) + close()`` is the same
    string: `scan_response` is this class fed the whole text at once. ``masked`` counts the
    values masked so far, by kind.
    """

    __slots__ = (
        "_buf", "_emitted", "_final", "_index", "_kinds", "_map", "_off", "_pending", "_region",
        "_searched", "_want", "masked",
    )  # fmt: skip

    def __init__(self, token_map: Mapping[str, str], mode: ScanMode) -> None:
        kinds = _kinds(mode)
        if kinds is None:
            raise InputError("a scanner needs scan 'tier1' or 'all'")
        self._kinds = kinds
        self._map = token_map
        self._index: _ValueIndex | None = None  # built the first time a window holds a span
        self._buf = ""  # the text from absolute position `_off` on
        self._off = 0
        self._region = 0  # start of the next window's region
        self._want = _stride(0) + _AHEAD  # where its window should end (before the word rule)
        self._emitted = 0  # text before this position has been returned
        self._searched = 0  # no whitespace between the wanted end and here: never searched twice
        self._pending: list[Span] = []  # spans of a merge that a later window may still join
        self._final = False
        self.masked: dict[str, int] = {}

    @property
    def _avail(self) -> int:
        return self._off + len(self._buf)

    def feed(self, chunk: str) -> str:
        if self._final:
            raise InputError("feed after close")
        if not chunk:
            return ""
        self._buf += chunk
        return self._advance()

    def close(self) -> str:
        self._final = True
        return self._advance()

    def _edge(self, base: int) -> int | None:
        """The window's end for a wanted end ``base``: the next whitespace at or after it (a
        word is never cut), at most `_CAP` past the region; None until the text decides."""
        avail = self._avail
        if base >= avail:
            return avail if self._final else None
        cap = self._region + _CAP
        start = max(base, self._searched)
        found = _SPACE.search(self._buf, start - self._off, min(avail, cap) - self._off)
        if found is not None:
            return found.start() + self._off
        self._searched = min(avail, cap)
        if avail >= cap:
            return cap
        return avail if self._final else None

    def _advance(self) -> str:
        out: list[str] = []
        while self._region < self._avail:
            window = self._window()
            if window is None:
                break  # the text does not decide this window yet
            end, nxt, spans = window
            self._commit(nxt, end, spans, out)
        if self._final:
            self._flush(self._avail, out)
        self._trim()
        return "".join(out)

    def _window(self) -> tuple[int, int, list[Span]] | None:
        """The current window, once the text decides it: its end, the end of its region and
        its spans; a span of the region that reaches the end widens the window (doubling)."""
        region = self._region
        while True:
            end = self._edge(self._want)
            if end is None:
                return None
            final = self._final and end >= self._avail
            nxt = end if final else max(region + _stride(region), end - _AHEAD)
            spans = self._scan(end)
            if final or end >= region + _CAP:
                return end, nxt, spans
            if not any(span.end >= end and span.start < nxt for span in spans):
                return end, nxt, spans
            if end >= self._avail:
                return None  # the value may go on: wait for more text
            self._want = min(region + 2 * (end - region), region + _CAP)

    def _commit(self, nxt: int, end: int, spans: list[Span], out: list[str]) -> None:
        region = self._region
        own = [span for span in spans if region <= span.start < nxt]
        if own:
            if self._index is None:
                self._index = _ValueIndex(self._map)
            lo = max(0, region - _VALUE_BACK)
            own = self._index.outside_values(self._buf[lo - self._off : end - self._off], lo, own)
            self._pending.extend(own)
        self._region = nxt
        self._want = nxt + _stride(nxt) + _AHEAD
        self._flush(nxt, out)

    def _scan(self, end: int) -> list[Span]:
        """Rules spans of the window ending at ``end``, in absolute positions."""
        lo = max(0, self._region - _LEFT)
        text = self._buf[lo - self._off : end - self._off]
        view = None if is_plain(text) else normalize(text)
        view_text = _masked(text if view is None else view.text)
        proposals: list[Span] = []
        detectors = _TIER1_DETECTORS if self._kinds is _TIER1 else DEFAULT_DETECTORS
        for detector in detectors:
            proposals.extend(detector.detect(view_text))
        proposals.extend(escaped_spans(view_text, detectors))  # `4111%201111...`, `\u0040`
        if not proposals:
            return proposals
        # As `scrub` does by default: of the dates, only dates of birth are values.
        proposals = [s for s in proposals if s.kind != "DATE" or s.label == "dob"]
        if view is not None and not view.is_identity:
            proposals = [
                Span(*view.to_original(s.start, s.end), s.kind, s.source, s.confidence, s.label, s.entity)
                for s in proposals
            ]
        if any(span.kind in _ID_KINDS for span in proposals):
            proposals = _widened_ids(text, proposals)
        proposals = outside_escapes(text, proposals)
        protected = [(ref.start, ref.end) for ref in iter_token_refs(text)] if "[" in text else []
        protected.extend(m.span() for m in _REDACTED_MARK.finditer(text))
        protected.sort()
        return [
            Span(s.start + lo, s.end + lo, s.kind, s.source, s.confidence, s.label, s.entity)
            for s in _outside(proposals, protected)
        ]

    def _flush(self, final_before: int, out: list[str]) -> None:
        """Write out the text up to ``final_before`` (no span can start before it any more),
        stopping at a merged value that reaches past it: a later span may still join it."""
        pos = self._emitted
        limit = final_before
        if self._pending:
            keep_from: int | None = None
            for merged in _resolve(list(self._pending)):
                if merged.end > final_before:
                    keep_from = merged.start
                    break
                out.append(self._buf[pos - self._off : merged.start - self._off])
                if not self._kinds or merged.kind in self._kinds:
                    out.append(f"[REDACTED:{merged.kind}]")
                    self.masked[merged.kind] = self.masked.get(merged.kind, 0) + 1
                else:
                    out.append(self._buf[merged.start - self._off : merged.end - self._off])
                pos = merged.end
            if keep_from is None:
                self._pending = []
            else:
                limit = keep_from
                self._pending = [span for span in self._pending if span.start >= keep_from]
        if limit > pos:
            out.append(self._buf[pos - self._off : limit - self._off])
            pos = limit
        self._emitted = pos

    def _trim(self) -> None:
        # Keep what is not yet emitted and the context the next window reads.
        keep = min(self._emitted, max(0, self._region - max(_LEFT, _VALUE_BACK)))
        if keep > self._off:
            self._buf = self._buf[keep - self._off :]
            self._off = keep


def scan_response(text: str, token_map: Mapping[str, str], mode: ScanMode) -> ScanResult:
    """Mask the values of ``text`` (a rehydrated reply) that the rules layer detects and that
    are not values of ``token_map``, per ``mode``; placeholders and markers stay as they are.

    Deterministic, and identical to `StreamRehydrator(..., scan=mode)` fed the same text in any
    pieces. Raises `InputError` for a non-``str`` text or an unknown mode.
    """
    if not isinstance(text, str):
        raise InputError("text must be a str")
    if _kinds(mode) is None:
        return ScanResult(text, {})
    scanner = ResponseScanner(token_map, mode)
    masked_text = scanner.feed(text) + scanner.close()
    return ScanResult(masked_text, dict(sorted(scanner.masked.items())))
