"""Values written with escapes: `4111%201111%201111%201111`, `123%2D45%2D6789`, `jane\\u0040x.com`.

URLs, form bodies, HTML and JSON escape characters, and a value copied from one of them reaches
the engine escaped: the detectors, which read characters, would see `%20` where a card has a
space. `escaped_spans` decodes the escapes of the detection view (percent escapes, HTML numeric
and a few named character references, `\\uXXXX` and `\\xXX`, and a form-encoded `+` between
digits) into a second view and runs the detectors over it, around the escapes only. A span found
there is kept when it holds a decoded escape (the escape is what hid it) and is a kind whose miss
leaks (tier 1, e-mail, phone) or a mention of the caller's known entities, deny terms or the
map's values. Its original extent covers the escapes, so a tokenized value is restored exactly
as it was written.

Only escapes that decode to a printable ASCII character are decoded: they are what a value's
separators and `@` are made of, and nothing else changes length in ways the detectors could
misread. Cost: one regex search on a text without escapes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from ._spans import TIER1_KINDS, Span
from .detectors import Detector

__all__ = ["escaped_spans"]

_ESCAPE = re.compile(
    r"%(?P<pct>[0-9A-Fa-f]{2})"
    r"|&#(?P<dec>[0-9]{1,7});|&#[xX](?P<hex>[0-9A-Fa-f]{1,6});"
    r"|&(?P<named>commat|period|hyphen|dash|plus|colon|lpar|rpar|sol|nbsp|num|lowbar);"
    r"|\\u(?P<u>[0-9A-Fa-f]{4})|\\x(?P<x>[0-9A-Fa-f]{2})"
    r"|(?P<plus>\+)(?<=[0-9]\+)(?=[0-9])"
)
_NAMED = {
    "commat": "@", "period": ".", "hyphen": "-", "dash": "-", "plus": "+", "colon": ":",
    "lpar": "(", "rpar": ")", "sol": "/", "nbsp": " ", "num": "#", "lowbar": "_",
}  # fmt: skip
_KEPT_KINDS = frozenset({*TIER1_KINDS, "EMAIL", "PHONE"})
_CONTEXT = 160  # characters around the escapes the detectors also read: labels, the rest of a value
_GAP = 512  # escapes closer than this share one window
_FORM_BACK = 64  # how far back a form value's `=` may be (bounded: linear time on `1+1+1+...`)
_SPACE = re.compile(r"\s")


def _decoded(match: re.Match[str]) -> str | None:
    """The character an escape stands for, or None to leave it as written."""
    group = match.lastgroup
    raw = match.group(group) if group is not None else ""
    if group == "named":
        return _NAMED[raw]
    if group == "plus":
        # A form-encoded space only inside a form value (`q=4111+1111+...`): `2+2` stays a sum.
        text, at = match.string, match.start()
        back = max(0, at - _FORM_BACK)
        word_start = (
            max(text.rfind(" ", back, at), text.rfind("\n", back, at), text.rfind("\t", back, at)) + 1
        )
        return " " if "=" in text[max(back, word_start) : at] else None
    code = int(raw, 10 if group == "dec" else 16)
    return chr(code) if 0x20 <= code <= 0x7E else None


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
        """``span`` in original offsets, if it holds a decoded escape; else None."""
        first = bisect_right(self._decoded_starts, span.start - 1)
        if first >= len(self._decoded_starts) or self._decoded_starts[first] >= span.end:
            return None  # no escape inside: the first pass sees this value as it is
        start = self._original(span.start)
        end = self._original(span.end - 1) + 1
        last = bisect_right(self._decoded_starts, span.end - 1) - 1
        if last >= 0 and self._decoded_starts[last] == span.end - 1:
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
    ("%", re.compile(r"%[0-9A-Fa-f]{2}")),
    ("&", re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[a-z]{2,6});")),
    ("\\", re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")),
    ("+", re.compile(r"\+(?<=[0-9]\+)(?=[0-9])")),
)


def _escape_positions(text: str) -> list[int]:
    positions: list[int] = []
    for literal, family in _FAMILIES:
        if literal in text:
            for found in family.finditer(text):
                match = _ESCAPE.match(text, found.start())
                if match is not None and _decoded(match) is not None:
                    positions.append(found.start())
    positions.sort()
    return positions


def escaped_spans(
    view_text: str,
    detectors: Sequence[Detector],
    finders: Sequence[Callable[[str], Iterable[Span]]] = (),
) -> list[Span]:
    """Spans, in ``view_text`` offsets, of leak-prone values that only its decoded escapes reveal.

    ``finders``: the caller's own lists (known entities, the map's values, deny terms and custom
    rules), every span of which is kept, whatever its kind.
    """
    positions = _escape_positions(view_text)
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
