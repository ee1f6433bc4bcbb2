"""StreamRehydrator: rehydrate an LLM's streamed reply as it arrives (docs/architecture.md §9)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from ._rehydrate import rehydrate_detailed
from ._response_scan import ResponseScanner, ScanMode, scan_response
from ._spans import TOKEN_TYPES
from ._tokens import MAX_CUSTOM_TOKEN_LEN, MAX_TOKEN_LEN
from .errors import UnknownTokens

__all__ = ["StreamRehydrator"]

# A tail that the token grammar could still complete: `[`, `[PER`, `[PERSON_`, `[PERSON_1`,
# `[PERSON_1.2`, `[AMOUNT_1: $1M-`... (the grammar of `_tokens._LOOSE` cut at any point).
_PARTIAL = re.compile(
    r"\[[ \t\r\n]{0,3}(?:([A-Za-z]{1,12})(?:[_ -][ \t\r\n]{0,2}(?:[0-9]{1,9}(?:\. ?[0-9]{0,5})?"
    r"(?:[ \t\r\n]{0,3}(?::[^\[\]\n]{0,48})?)?)?)?)?"
)
_TYPES = tuple(TOKEN_TYPES)
# The same for a map with custom types (docs/architecture.md §12): any type-shaped run is held.
_PARTIAL_CUSTOM = re.compile(
    r"\[[ \t\r\n]{0,3}(?:[A-Za-z][A-Za-z0-9_]{0,30}(?:[_ -][ \t\r\n]{0,2}(?:[0-9]{1,9}(?:\. ?[0-9]{0,5})?"
    r"(?:[ \t\r\n]{0,3}(?::[^\[\]\n]{0,48})?)?)?)?)?"
)


def _could_complete(tail: str) -> bool:
    m = _PARTIAL.fullmatch(tail)
    if m is None:
        return False
    letters = m.group(1)
    if letters is None:
        return True
    if m.end(1) < len(tail):  # the type is complete: a separator follows it
        return letters.upper() in _TYPES
    return any(t.startswith(letters.upper()) for t in _TYPES)


class StreamRehydrator:
    """Feed text deltas, get rehydrated text that is safe to show now.

    ``feed`` holds back only a trailing run that could still become a token (at most
    `MAX_TOKEN_LEN` characters, so a stray `[` never stalls the stream); ``close`` flushes
    it. For every way of splitting a text, the concatenated output equals
    ``rehydrate(text, token_map)``. Per-chunk cost is linear in the chunk and independent of
    the map's size. With ``strict=True``, `UnknownTokens` is raised as soon as a complete
    token that the map does not hold is seen; nothing after it is emitted.

    With ``scan`` ``"tier1"`` or ``"all"``, the rehydrated text then goes through the response
    scan (docs/architecture.md §11): for every split, the output equals
    ``scan_response(rehydrate(text, token_map), token_map, scan).text``. The scan holds back a
    bounded tail so a value split across chunks is still caught: 128 to 384 characters, up to
    16 KiB while a long unbroken value is arriving (see `redaction._response_scan`).
    ``masked`` counts the masked values by kind.
    """

    __slots__ = ("_custom", "_held", "_map", "_scanner", "_strict", "substituted", "tolerated", "unknown")

    def __init__(
        self,
        token_map: Mapping[str, str],
        *,
        strict: bool = False,
        types: Collection[str] | None = None,
        scan: ScanMode = "off",
    ) -> None:
        scan_response("", token_map, scan)  # refuses an unknown mode (InputError) up front
        self._scanner = None if scan == "off" else ResponseScanner(token_map, scan)
        self._map = token_map
        self._strict = strict
        # The map's custom types (`[TICKET_1]`, `ScrubState.custom_types`): the map itself is
        # never iterated, so a caller whose map has them passes them.
        self._custom = frozenset(types or ())
        self._held = ""
        self.substituted = 0
        self.tolerated = 0
        self.unknown: list[str] = []

    def _emit(self, text: str) -> str:
        custom = self._custom  # without custom types, the call the engine always made
        result = (
            rehydrate_detailed(text, self._map, custom) if custom else rehydrate_detailed(text, self._map)
        )
        if result.unknown and self._strict:
            self._held = ""
            raise UnknownTokens(result.unknown)
        self.substituted += result.substituted
        self.tolerated += result.tolerated
        self.unknown.extend(result.unknown)
        return result.text

    @property
    def masked(self) -> Mapping[str, int]:
        """Values masked by the response scan so far, by kind (empty when ``scan="off"``)."""
        return {} if self._scanner is None else dict(sorted(self._scanner.masked.items()))

    def feed(self, chunk: str) -> str:
        text = self._feed(chunk)
        return text if self._scanner is None else self._scanner.feed(text)

    def close(self) -> str:
        held, self._held = self._held, ""
        text = self._emit(held) if held else ""
        if self._scanner is None:
            return text
        return self._scanner.feed(text) + self._scanner.close()

    def _feed(self, chunk: str) -> str:
        buffer = self._held + chunk
        if self._custom:
            cut = buffer.rfind("[", max(0, len(buffer) - MAX_CUSTOM_TOKEN_LEN))
            held = cut != -1 and _PARTIAL_CUSTOM.fullmatch(buffer, cut) is not None
        else:
            cut = buffer.rfind("[", max(0, len(buffer) - MAX_TOKEN_LEN))
            held = cut != -1 and _could_complete(buffer[cut:])
        if held:
            self._held = buffer[cut:]
            buffer = buffer[:cut]
        else:
            self._held = ""
        return self._emit(buffer) if buffer else ""
