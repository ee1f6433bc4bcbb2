"""Values written with escapes: `4111%201111%201111%201111`, `123%2D45%2D6789`, `jane\\u0040x.com`.

URLs, form bodies, HTML and JSON escape characters, and a value copied from one of them reaches
the engine escaped: the detectors, which read characters, would see `%20` where a card has a
space, and `ssn%3D123456789` holds no `ssn=` label. `escaped_spans` decodes the escapes of the
detection view into a second view, around the escapes only, and runs the detectors and the
caller's lists over it: percent escapes (UTF-8 sequences included, `%C2%A0`; IE's `%u00A0`),
HTML numeric character references (with or without `;`, zero-padded) and a few named ones,
`\\uXXXX`, `\\u{X}`, `\\UXXXXXXXX`, `\\xXX`, the `\\t`, `\\n` and `\\r` of a JSON string or a
repr (a value right after an escaped line break reads glued to an `n`), and a form-encoded `+`
between digits. A match is kept when it is a kind whose miss leaks (tier 1, e-mail, phone) or a
mention of the caller's known entities, deny terms or the map's values, and it holds an escape
or lies within `_NEAR` characters of one (the escape hid its label or its boundary). Its
original extent covers the escapes, so a tokenized value is restored exactly as it was written.

An escape is decoded only when the character it stands for folds (as the detection view folds
it: NFKC, dashes, digits of every script) to one printable ASCII character or a tab: what a
value's digits, separators and `@` are made of. `outside_escapes` then keeps every span from
starting or ending inside an escape (`to%20jane@x.com` is `to%20` and an e-mail, not `to%` and
`20jane@x.com`). Cost: one `in` test per kind of escape on a text without escapes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from ._normalize import fold_char as _fold
from ._spans import TIER1_KINDS, Span
from .detectors import Detector

__all__ = ["escaped_spans", "outside_escapes"]

_ESCAPE = re.compile(
    r"%(?P<pct>[0-7][0-9A-Fa-f]|[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){1,3})|%[uU](?P<pu>[0-9A-Fa-f]{4})"
    r"|&#0*(?P<dec>[0-9]{1,7});?|&#[xX]0*(?P<hex>[0-9A-Fa-f]{1,6});?"
    r"|&(?P<named>commat|period|hyphen|dash|plus|colon|lpar|rpar|sol|nbsp|num|lowbar|Tab);"
    r"|\\u(?P<u>[0-9A-Fa-f]{4})|\\u\{0*(?P<ub>[0-9A-Fa-f]{1,6})\}|\\U(?P<uu>[0-9A-Fa-f]{8})"
    r"|\\x(?P<x>[0-9A-Fa-f]{2})|\\(?P<tab>t)|\\(?P<nl>[nr])"
    r"|(?P<plus>\+)(?<=[0-9]\+)(?=[0-9])"
)
_NAMED = {
    "commat": "@", "period": ".", "hyphen": "-", "dash": "-", "plus": "+", "colon": ":",
    "lpar": "(", "rpar": ")", "sol": "/", "nbsp": " ", "num": "#", "lowbar": "_", "Tab": "\t",
}  # fmt: skip
_HEX_GROUPS = ("pu", "hex", "u", "ub", "uu", "x")
_KEPT_KINDS = frozenset({*TIER1_KINDS, "EMAIL", "PHONE"})
_CONTEXT = 160  # characters around the escapes the detectors also read: labels, the rest of a value
_NEAR = 48  # a match this close to a decoded escape may owe it its label or its boundary
_GAP = 512  # escapes closer than this share one window
_FORM_BACK = 64  # how far back a form value's `=` may be (bounded: linear time on `1+1+1+...`)
_SPACE = re.compile(r"\s")


def _decoded(match: re.Match[str]) -> str | None:
    """The character an escape stands for, or None to leave it as written."""
    group = match.lastgroup
    raw = match.group(group) if group is not None else ""
    if group == "named":
        return _NAMED[raw]
    if group == "tab":
        return "\t"
    if group == "nl":  # a JSON or repr line break: `"wire to\\nGB29 NWBK ..."`
        return "\n" if raw == "n" else "\r"
    if group == "plus":
        # A form-encoded space only inside a form value (`q=4111+1111+...`): `2+2` stays a sum.
        text, at = match.string, match.start()
        back = max(0, at - _FORM_BACK)
        word_start = (
            max(text.rfind(" ", back, at), text.rfind("\n", back, at), text.rfind("\t", back, at)) + 1
        )
        return " " if "=" in text[max(back, word_start) : at] else None
    if group == "pct":
        try:
            char = bytes.fromhex(raw.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return None  # `%C3` alone, or bytes of no character: left as written
        return _folded(char) if len(char) == 1 else None
    code = int(raw, 16 if group in _HEX_GROUPS else 10)
    return _folded(chr(code)) if code <= 0x10FFFF else None


def _folded(char: str) -> str | None:
    """``char`` as the detection view reads it, if that is one printable ASCII character, a tab
    or a line break."""
    if "\x20" <= char <= "\x7e" or char in "\t\n\r":
        return char
    if 0xD800 <= ord(char) <= 0xDFFF:
        return None  # a lone surrogate: no character
    folded = _fold(char)
    return folded if len(folded) == 1 and ("\x20" <= folded <= "\x7e") else None


class _DecodedWindow:
    """``text[start:end]`` with its escapes decoded; maps spans back to ``text`` offsets."""

    __slots__ = ("_decoded_starts", "_shift", "_shifted", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start = start
        parts: list[str] = []
        self._decoded_starts: list[int] = []  # decoded offset of each decoded escape
        self._shift: list[int] = []  # original length - 1 of the escape there
        self._shifted = [0]  # characters the escapes before the k-th one added: prefix sums
        pos = start
        out = 0
        for match in _ESCAPE.finditer(text, start, end):
            char = _decoded(match)
            if char is None:
                continue
            parts.append(text[pos : match.start()])
            out += match.start() - pos
            parts.append(char)
            self._decoded_starts.append(out)
            self._shift.append(match.end() - match.start() - 1)
            self._shifted.append(self._shifted[-1] + self._shift[-1])
            out += 1
            pos = match.end()
        parts.append(text[pos:end])
        self.text = "".join(parts)

    @property
    def decoded_any(self) -> bool:
        return bool(self._decoded_starts)

    def _original(self, index: int) -> int:
        """The original offset of decoded offset ``index`` (the start of an escape for its char)."""
        before = bisect_right(self._decoded_starts, index - 1)  # escapes decoded before `index`
        return self.start + index + self._shifted[before]

    def span_back(self, span: Span) -> Span | None:
        """``span`` in original offsets, if it holds a decoded escape or lies within `_NEAR`
        characters of one; else None (the first pass sees that text as it is)."""
        starts = self._decoded_starts
        first = bisect_right(starts, span.start - 1 - _NEAR)  # the first escape not far before it
        if first >= len(starts) or starts[first] >= span.end + _NEAR:
            return None
        start = self._original(span.start)
        end = self._original(span.end - 1) + 1
        last = bisect_right(starts, span.end - 1) - 1
        if last >= 0 and starts[last] == span.end - 1:
            end += self._shift[last]  # the span ends with an escape: all of it
        return Span(start, end, span.kind, span.source, span.confidence, span.label, span.entity)


def _windows(text: str, positions: Iterable[int]) -> list[tuple[int, int]]:
    """Windows around clusters of escapes, widened to white space so no word is cut."""
    windows: list[tuple[int, int]] = []
    for at in positions:
        if windows and at - windows[-1][1] < _GAP:
            windows[-1] = (windows[-1][0], at)
        else:
            windows.append((at, at))
    out: list[tuple[int, int]] = []
    for first, last in windows:
        lo = max(0, first - _CONTEXT)
        space = _SPACE.search(text, min(len(text), last + _CONTEXT))
        hi = space.start() if space is not None else len(text)
        while lo > 0 and not text[lo - 1].isspace() and first - lo < 4 * _CONTEXT:
            lo -= 1
        out.append((lo, hi))
    return out


# Each kind of escape with the literal it starts with: a text without the literal (most texts)
# costs one C-speed `in` test per kind, not a regex scan.
_FAMILIES = (
    ("%", re.compile(r"%[0-9A-Fa-f]{2}|%[uU][0-9A-Fa-f]{4}")),
    ("&", re.compile(r"&#|&[a-zA-Z]{2,6};")),
    ("\\", re.compile(r"\\[uUxtnr]")),
    ("+", re.compile(r"\+(?<=[0-9]\+)(?=[0-9])")),
)


def _escapes(text: str) -> list[tuple[int, int]]:
    """(start, end) of every escape of ``text`` that decodes, left to right."""
    found: list[tuple[int, int]] = []
    for literal, family in _FAMILIES:
        if literal in text:
            for candidate in family.finditer(text):
                match = _ESCAPE.match(text, candidate.start())
                if match is not None and _decoded(match) is not None:
                    found.append(match.span())
    found.sort()
    return found


def outside_escapes(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` (in ``text`` offsets) with no end inside an escape of ``text``: one that
    starts inside one starts after it (and its white space), one that ends inside one ends
    before it; a span left empty is dropped."""
    escapes = _escapes(text)
    if not escapes:
        return spans
    starts = [start for start, _ in escapes]
    out: list[Span] = []
    for span in spans:
        start, end = span.start, span.end
        at = bisect_right(starts, start) - 1
        if at >= 0 and escapes[at][0] < start < escapes[at][1]:
            start = escapes[at][1]
            while start < end and text[start] in " \t":
                start += 1
        at = bisect_right(starts, end) - 1
        if at >= 0 and escapes[at][0] < end < escapes[at][1]:
            end = escapes[at][0]
            while end > start and text[end - 1] in " \t":
                end -= 1
        if (start, end) == (span.start, span.end):
            out.append(span)
        elif start < end:
            out.append(Span(start, end, span.kind, span.source, span.confidence, span.label, span.entity))
    return out


def escaped_spans(
    view_text: str,
    detectors: Sequence[Detector],
    finders: Sequence[Callable[[str], Iterable[Span]]] = (),
) -> list[Span]:
    """Spans, in ``view_text`` offsets, of leak-prone values that only its decoded escapes reveal.

    ``finders``: the caller's own lists (known entities, the map's values, deny terms and custom
    rules), every span of which is kept, whatever its kind.
    """
    positions = [start for start, _ in _escapes(view_text)]
    if not positions:
        return []
    found: list[Span] = []
    for lo, hi in _windows(view_text, positions):
        window = _DecodedWindow(view_text, lo, hi)
        if not window.decoded_any:
            continue
        for detector in detectors:
            for span in detector.detect(window.text):
                if span.kind in _KEPT_KINDS:
                    back = window.span_back(span)
                    if back is not None:
                        found.append(back)
        for finder in finders:
            for span in finder(window.text):
                back = window.span_back(span)
                if back is not None:
                    found.append(back)
    return found
