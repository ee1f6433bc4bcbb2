"""The pseudonym map and its counters, carried across items and calls."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ._known_entities import KnownEntities
from ._normalize import normalize
from ._tokens import custom_types, format_token, parse_canonical

__all__ = ["ScrubState"]

_FORMAT_VERSION = 1
# A literal reserves its own number only far below the token grammar's 9-digit limit: input
# "[PERSON_999999999]" must not push the next real person to "[PERSON_1000000000]", which
# no rehydration could read. Bigger literals are escaped as `[LITERAL_N]` instead.
_MAX_RESERVED_NUMBER = 1_000_000


def _split_token(token: str) -> tuple[str, int, int]:
    """`"[PERSON_1.2]"` -> `("PERSON", 1, 2)` with string operations: loading a map of 10,000
    entries happens on every rehydrate, so it must not run the token grammar per entry."""
    body = token[1:-1] if token[:1] == "[" and token[-1:] == "]" else ""
    kind, _, numbers = body.rpartition("_")
    number, _, variant = numbers.partition(".")
    try:
        parsed = kind, int(number), int(variant or 1)
    except ValueError:
        raise ValueError("malformed token in ScrubState") from None
    if not kind or format_token(*parsed) != token:
        raise ValueError("malformed token in ScrubState")
    return parsed


class ScrubState:
    """Same value (same entity) -> same token, for as long as the state lives.

    Numbering is per state and per type, starts at 1 and is never reused. A second surface
    form of an entity gets a variant (`[PERSON_1.2]`) so rehydration restores it exactly.
    ``to_json``/``from_json`` round-trip everything; the JSON holds real values, so it is
    exactly as sensitive as the map (the service encrypts it at rest).

    The map remembers: `recall` is a dictionary of every value it holds, which `scrub` runs
    like the caller's known entities, so a later turn finds "Markus Weber" (and "Weber",
    "Mr. Weber") again under the same number without the caller re-sending anything.
    """

    __slots__ = (
        "_by_surface", "_counters", "_custom", "_custom_size", "_entities", "_indexed", "_recall",
        "_recall_size", "_token_map", "_variants",
    )  # fmt: skip

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}
        self._entities: dict[tuple[str, str], int] = {}  # (type, entity key) -> number
        self._variants: dict[tuple[str, int], int] = {}  # (type, number) -> variants issued
        self._by_surface: dict[tuple[str, int, str], str] = {}  # (type, number, surface) -> token
        self._token_map: dict[str, str] = {}  # token -> surface
        self._indexed = True  # False after from_json until a scrub needs the indices
        self._recall: KnownEntities | None = None
        self._recall_size = 0  # len(_token_map) when `_recall` was built: the map only grows
        self._custom: frozenset[str] = frozenset()
        self._custom_size = 0  # len(_token_map) when `_custom` was read

    @property
    def token_map(self) -> Mapping[str, str]:
        """Read-only live view: token (without hint) -> original value."""
        return MappingProxyType(self._token_map)

    def __len__(self) -> int:
        return len(self._token_map)

    @property
    def custom_types(self) -> frozenset[str]:
        """Types of this map's tokens that are not built-in (`[TICKET_1]`, a tokenized
        `[CREDIT_CARD_1]`: docs/architecture.md §12); read again only when the map grew."""
        if len(self._token_map) != self._custom_size:
            self._custom = custom_types(self._token_map)
            self._custom_size = len(self._token_map)
        return self._custom

    def entity_number(self, kind: str, entity: str) -> int | None:
        return self._entities.get((kind, entity))

    def token_for(self, kind: str, entity: str, surface: str) -> str:
        """The token for ``surface`` of ``entity``, issuing a number or variant if needed."""
        if not self._indexed:
            self._build_index()
        number = self._entities.get((kind, entity))
        if number is None:
            number = self._counters.get(kind, 0) + 1
            self._counters[kind] = number
            self._entities[(kind, entity)] = number
        token = self._by_surface.get((kind, number, surface))
        if token is None:
            variant = self._variants.get((kind, number), 0) + 1
            self._variants[(kind, number)] = variant
            token = format_token(kind, number, variant)
            self._by_surface[(kind, number, surface)] = token
            self._token_map[token] = surface
        return token

    def reserve_literal(self, token: str, surface: str) -> bool:
        """Let input text that looks like ``token`` stand for itself; False if it cannot.

        The map then holds ``token -> surface`` (the literal text), so rehydration gives the
        literal back and the number can never be issued to a real value. Refused when the
        token's number already belongs to an entity (the caller then escapes the literal).
        """
        existing = self._token_map.get(token)
        if existing is not None:
            return existing == surface
        if not self._indexed:
            self._build_index()
        parsed = parse_canonical(token)
        if parsed is None:
            return False
        kind, number, variant = parsed
        if number <= self._counters.get(kind, 0) or number > _MAX_RESERVED_NUMBER:
            return False
        self._counters[kind] = number
        self._entities[(kind, f"{kind}:{token}")] = number
        self._variants[(kind, number)] = variant
        self._by_surface[(kind, number, surface)] = token
        self._token_map[token] = surface
        return True

    def recall(self) -> KnownEntities | None:
        """The map's values as a known-entities dictionary; None while the map is empty.

        Each value matches under the identity its number was issued to, so it keeps its
        token, and a person's given and family names (with or without an honorific) become
        partial mentions of that person. Literals are never recalled. Built once per growth
        of the map: a scrub of an unchanged map (every item of a request after the first
        that added nothing, a rehydrate never) costs no rebuild.
        """
        if len(self._token_map) == self._recall_size:
            return self._recall
        if not self._indexed:
            self._build_index()  # checks every token: the parse below may trust them
        owners: dict[tuple[str, int], str] = {}
        for (kind, entity), number in self._entities.items():
            owners.setdefault((kind, number), entity)
        values: list[tuple[str, str, str]] = []
        for token, surface in self._token_map.items():
            # "[PERSON_12.2]" -> ("PERSON", 12), without the grammar: 10,000 entries are common.
            kind, _, numbers = token[1:-1].rpartition("_")
            owner = owners.get((kind, int(numbers.partition(".")[0])))
            if kind == "LITERAL" or owner is None or owner == f"{kind}:{token}":
                continue  # an escaped or reserved literal stands for itself, never a value
            values.append((kind, surface if surface.isascii() else normalize(surface).text, owner))
        self._recall = KnownEntities.from_map(values) if values else None
        self._recall_size = len(self._token_map)
        return self._recall

    def add_alias(self, kind: str, entity: str, number: int) -> None:
        """Let another entity key resolve to an existing number (e.g. a surname alone)."""
        self._entities.setdefault((kind, entity), number)

    # -- serialization ------------------------------------------------------------------------

    def to_json(self) -> str:
        entities = [[k, e, n] for (k, e), n in self._entities.items()]
        return json.dumps(
            {"v": _FORMAT_VERSION, "counters": self._counters, "entities": entities,
             "tokens": self._token_map},
            # ASCII escapes keep lone surrogates (legal in a str) encodable as UTF-8.
            ensure_ascii=True, separators=(",", ":"),
        )  # fmt: skip

    @classmethod
    def from_json(cls, data: str | bytes) -> ScrubState:
        raw: Any = json.loads(data)
        if not isinstance(raw, dict) or raw.get("v") != _FORMAT_VERSION:
            raise ValueError("not a ScrubState of a supported version")
        state = cls()
        state._counters = {str(k): int(v) for k, v in raw["counters"].items()}
        for kind, entity, number in raw["entities"]:
            state._entities[(str(kind), str(entity))] = int(number)
        state._token_map = {str(token): str(surface) for token, surface in raw["tokens"].items()}
        # Rehydration only reads the token map: the scrub indices are built on first use.
        state._indexed = False
        return state

    def _build_index(self) -> None:
        for token, surface in self._token_map.items():
            kind, number, variant = _split_token(token)
            self._by_surface[(kind, number, surface)] = token
            self._variants[(kind, number)] = max(self._variants.get((kind, number), 0), variant)
        self._indexed = True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ScrubState) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:  # never the values
        return f"<ScrubState tokens={len(self._token_map)}>"
