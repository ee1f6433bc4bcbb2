"""Token syntax: `[TYPE_N]`, `[TYPE_N.V]` (variant), `[TYPE_N: hint]` (bucketed), `[REDACTED:KIND]`.

One loose grammar is shared by rehydration (which tolerates the usual LLM mangling such as
`[person_1]` or `[ PERSON_1 ]`) and by scrubbing (which escapes any input text that this
grammar would read as a token, so literal brackets can never be rehydrated into a value).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import NamedTuple

from ._spans import TOKEN_TYPES

__all__ = [
    "ANY_TYPE",
    "MAX_CUSTOM_TOKEN_LEN",
    "TokenRef",
    "custom_types",
    "format_token",
    "iter_token_refs",
    "parse_canonical",
]

# Bounded everywhere (type, number, variant, hint) so a stray `[` costs O(1) to reject.
# Line breaks inside the brackets, a dash for the underscore and a space after the variant's dot
# are how models and mail clients mangle tokens (`[PERSON-1]`, `[PERSON_\n1]`, `[PERSON_1. 2]`).
_LOOSE = re.compile(
    r"\[[ \t\r\n]{0,3}([A-Za-z]{2,12})[_ -][ \t\r\n]{0,2}([0-9]{1,9})(?:\. ?([0-9]{1,5}))?"
    r"(?:[ \t]{0,3}:[^\[\]\n]{0,48})?[ \t\r\n]{0,3}\]"
)
_TYPES = frozenset(TOKEN_TYPES)
MAX_TOKEN_LEN = 93  # longest text _LOOSE can match: the stream hold-back bound (docs/architecture.md §9)
# Operators' custom types and tokenized tier-1 kinds (docs/architecture.md §12): `[TICKET_1]`,
# `[CREDIT_CARD_1]`. Read only where such types are in play (``types`` below), so text like
# `[Q3_2024]` means what it always meant to a map without them.
_CUSTOM = re.compile(
    r"\[[ \t\r\n]{0,3}([A-Za-z][A-Za-z0-9_]{1,30})[_ -][ \t\r\n]{0,2}([0-9]{1,9})(?:\. ?([0-9]{1,5}))?"
    r"(?:[ \t]{0,3}:[^\[\]\n]{0,48})?[ \t\r\n]{0,3}\]"
)
MAX_CUSTOM_TOKEN_LEN = 113  # longest text _CUSTOM can match


class _AnyType:
    """A set that holds every type name: `iter_token_refs` then reads every custom-shaped token."""

    def __contains__(self, item: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True


ANY_TYPE: Collection[str] = _AnyType()  # type: ignore[assignment]


def custom_types(tokens: Iterable[str]) -> frozenset[str]:
    """The types of ``tokens`` (map keys) that are not built-in token types."""
    found: set[str] = set()
    for token in tokens:
        kind = token[1:-1].rpartition("_")[0]
        if kind not in _TYPES:
            found.add(kind)
    return frozenset(found)


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


def iter_token_refs(text: str, start: int = 0, types: Collection[str] | None = None) -> list[TokenRef]:
    """Every token-like run whose type is a token type, in order.

    ``types``: custom types read as well (`ANY_TYPE`: all of them); without it only the
    built-in types, with the built-in grammar.
    """
    refs: list[TokenRef] = []
    for m in (_CUSTOM if types else _LOOSE).finditer(text, start):
        kind, number, variant = m.group(1), m.group(2), m.group(3)
        upper = kind.upper()
        if upper not in _TYPES and not (types and upper in types):
            continue
        key = _key(kind, number, variant)
        raw = m.group(0)
        canonical = raw == key or (raw.startswith(key[:-1] + ": ") and kind.isupper())
        refs.append(TokenRef(m.start(), m.end(), key, canonical))
    return refs


def parse_canonical(token: str) -> tuple[str, int, int] | None:
    """`"[PERSON_1.2]"` -> `("PERSON", 1, 2)`; None if not a canonical map key."""
    m = _LOOSE.fullmatch(token) or _CUSTOM.fullmatch(token)
    if not m or _key(m.group(1), m.group(2), m.group(3)) != token:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3) or 1)
