"""rehydrate(): put real values back, only for tokens the map holds."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import NamedTuple

from ._spans import TOKEN_TYPES
from ._tokens import ANY_TYPE, iter_token_refs

_BUILTIN = frozenset(TOKEN_TYPES)

__all__ = ["Rehydration", "rehydrate", "rehydrate_detailed", "residual_tokens"]


class Rehydration(NamedTuple):
    text: str
    substituted: int  # tokens replaced by their value
    unknown: tuple[str, ...]  # token-like runs the map does not hold (hallucinated or smuggled)
    tolerated: int  # of the substituted, how many were mangled (`[person_1]`, `[ PERSON_1 ]`)


def rehydrate_detailed(text: str, token_map: Mapping[str, str], types: Collection[str] = ()) -> Rehydration:
    """Replace each token of ``text`` that ``token_map`` holds by its exact value.

    Tokens of operators' custom types (`[TICKET_1]`, docs/architecture.md §12) are restored
    like any other; one the map does not hold counts as unknown when its type is in ``types``
    (a map's custom types: `ScrubState.custom_types`), else it is left as plain text.

    One left-to-right pass over a bounded token grammar: no regex is ever built from values,
    a restored value is never scanned again, and the cost does not depend on the map's size.
    Hints (`[AMOUNT_1: $1M-$5M]`) and variants (`[PERSON_1.2]`) restore the exact value.
    """
    out: list[str] = []
    unknown: list[str] = []
    substituted = tolerated = 0
    pos = 0
    for ref in iter_token_refs(text, types=ANY_TYPE) if "[" in text else ():
        value = token_map.get(ref.key)
        if value is None:
            kind = ref.key[1:-1].rpartition("_")[0]
            if kind in _BUILTIN or kind in types:
                unknown.append(ref.key)
            continue
        out.append(text[pos : ref.start])
        out.append(value)
        pos = ref.end
        substituted += 1
        tolerated += not ref.canonical
    out.append(text[pos:])
    return Rehydration("".join(out), substituted, tuple(unknown), tolerated)


def rehydrate(text: str, token_map: Mapping[str, str]) -> str:
    """``rehydrate_detailed(text, token_map).text``."""
    return rehydrate_detailed(text, token_map).text


def residual_tokens(text: str) -> list[str]:
    """Canonical keys of every token-like run in ``text`` (e.g. to audit an LLM-bound payload)."""
    return [ref.key for ref in iter_token_refs(text)]
