"""StreamRehydrator: rehydrate an LLM's streamed reply as it arrives (docs/architecture.md §9)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ._rehydrate import rehydrate_detailed
from ._spans import TOKEN_TYPES
from ._tokens import MAX_TOKEN_LEN
from .errors import UnknownTokens

__all__ = ["StreamRehydrator"]

# A tail that the token grammar could still complete: `[`, `[PER`, `[PERSON_`, `[PERSON_1`,
# `[PERSON_1.2`, `[AMOUNT_1: $1M-`... (the grammar of `_tokens._LOOSE` cut at any point).
_PARTIAL = re.compile(
    r"\[[ \t]{0,3}(?:([A-Za-z]{1,12})(?:[_ ](?:[0-9]{1,9}(?:\.[0-9]{0,5})?"
    r"(?:[ \t]{0,3}(?::[^\[\]\n]{0,48})?)?)?)?)?"
)
_TYPES = tuple(TOKEN_TYPES)


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
    """

    __slots__ = ("_held", "_map", "_strict", "substituted", "tolerated", "unknown")

    def __init__(self, token_map: Mapping[str, str], *, strict: bool = False) -> None:
        self._map = token_map
        self._strict = strict
        self._held = ""
        self.substituted = 0
        self.tolerated = 0
        self.unknown: list[str] = []

    def _emit(self, text: str) -> str:
        result = rehydrate_detailed(text, self._map)
        if result.unknown and self._strict:
            self._held = ""
            raise UnknownTokens(result.unknown)
        self.substituted += result.substituted
        self.tolerated += result.tolerated
        self.unknown.extend(result.unknown)
        return result.text

    def feed(self, chunk: str) -> str:
        buffer = self._held + chunk
        cut = buffer.rfind("[", max(0, len(buffer) - MAX_TOKEN_LEN))
        if cut != -1 and _could_complete(buffer[cut:]):
            self._held = buffer[cut:]
            buffer = buffer[:cut]
        else:
            self._held = ""
        return self._emit(buffer) if buffer else ""

    def close(self) -> str:
        held, self._held = self._held, ""
        return self._emit(held) if held else ""
