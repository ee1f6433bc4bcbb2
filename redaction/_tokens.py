"""Token syntax: `[TYPE_N]`, `[TYPE_N.V]` (variant), `[TYPE_N: hint]` (bucketed), `[REDACTED:KIND]`.

One loose grammar is shared by rehydration (which tolerates the usual LLM mangling such as
`[person_1]` or `[ PERSON_1 ]`) and by scrubbing (which escapes any input text that this
grammar would read as a token, so literal brackets can never be rehydrated into a value).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ._spans import TOKEN_TYPES

__all__ = ["TokenRef", "format_token", "iter_token_refs", "parse_canonical"]

# Bounded everywhere (type, number, variant, hint) so a stray `[` costs O(1) to reject.
_LOOSE = re.compile(
    r"\[[ \t]{0,3}([A-Za-z]{2,12})[_ ]([0-9]{1,9})(?:\.([0-9]{1,5}))?"
    r"(?:[ \t]{0,3}:[^\[\]\n]{0,48})?[ \t]{0,3}\]"
)
_TYPES = frozenset(TOKEN_TYPES)
MAX_TOKEN_LEN = 90  # longest text _LOOSE can match: the stream hold-back bound (docs/architecture.md §9)


class TokenRef(NamedTuple):
    """A token-like run of text: where it is, and the canonical map key it names."""

    start: int
    end: int
    key: str  # canonical form without hint, e.g. "[PERSON_1.2]"
    canonical: bool  # written exactly as the engine writes it (hint aside)


def format_token(kind: str, number: int, variant: int = 1, hint: str | None = None) -> str:
    """The map key (`hint=None`) or the text shown to the LLM for a token."""
    body = f"{kind}_{number}" if variant == 1 else f"{kind}_{number}.{variant}"
    return f"[{body}: {hint}]" if hint else f"[{body}]"


def _key(kind: str, number: str, variant: str | None) -> str:
    n = int(number)
    v = int(variant) if variant else 1
    return format_token(kind.upper(), n, v)


def iter_token_refs(text: str, start: int = 0) -> list[TokenRef]:
    """Every token-like run whose type is a token type, in order."""
    refs: list[TokenRef] = []
    for m in _LOOSE.finditer(text, start):
        kind, number, variant = m.group(1), m.group(2), m.group(3)
        if kind.upper() not in _TYPES:
            continue
        key = _key(kind, number, variant)
        raw = m.group(0)
        canonical = raw == key or (raw.startswith(key[:-1] + ": ") and kind.isupper())
        refs.append(TokenRef(m.start(), m.end(), key, canonical))
    return refs


def parse_canonical(token: str) -> tuple[str, int, int] | None:
    """`"[PERSON_1.2]"` -> `("PERSON", 1, 2)`; None if not a canonical map key."""
    m = _LOOSE.fullmatch(token)
    if not m or _key(m.group(1), m.group(2), m.group(3)) != token:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3) or 1)
