"""Bounds on the caller's dictionary (``known_entities``): its size, and the memory its compiled
forms may keep (docs/architecture.md §8).

A dictionary costs CPU to compile (about 13 s for 100,000 distinct persons on one core) and
memory to keep (about 1.9 KB per person: the Aho-Corasick trie plus each word's entry), so:

- `check_known_entities`: 413 ``payload_too_large`` with ``limit`` ``known_entities`` over
  ``REDACTION_MAX_KNOWN_ENTITIES`` values (all fields together), or ``known_entities_chars``
  over ``REDACTION_MAX_KNOWN_ENTITIES_CHARS`` characters, before anything is compiled;
- `KnownEntitiesCache`: the compiled dictionaries of recent requests (an agent sends the same
  one every call), bounded by their estimated bytes (`KnownEntities.estimated_bytes` plus the
  cache key's strings) to ``REDACTION_KNOWN_ENTITIES_CACHE_BYTES``, least recently used out
  first. A dictionary larger than the whole budget is compiled for its request and not kept.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Protocol

from redaction import KnownEntities

from .errors import PayloadTooLarge
from .settings import Settings

__all__ = ["KNOWN_FIELDS", "KnownEntitiesCache", "check_known_entities", "known_entities_cache"]

KNOWN_FIELDS = ("persons", "orgs", "funds", "emails", "locations")

_Key = tuple[tuple[str, ...], ...]


class _Known(Protocol):
    """`app.models.KnownEntitiesIn`'s fields (lists of values)."""

    persons: list[str]
    orgs: list[str]
    funds: list[str]
    emails: list[str]
    locations: list[str]


def check_known_entities(known: _Known, settings: Settings) -> None:
    """413 over the count or total-characters limit of the caller's dictionary."""
    values = [getattr(known, name) for name in KNOWN_FIELDS]
    if sum(map(len, values)) > settings.max_known_entities:
        raise PayloadTooLarge("known_entities", settings.max_known_entities)
    if sum(len(v) for field in values for v in field) > settings.max_known_entities_chars:
        raise PayloadTooLarge("known_entities_chars", settings.max_known_entities_chars)


def _key_bytes(key: _Key) -> int:
    return sum(sys.getsizeof(v) + 8 for field in key for v in field)


class KnownEntitiesCache:
    """Compiled dictionaries by content, bounded by estimated bytes. Thread-safe; compiling
    happens outside the lock, so a 100k-entry compile never stalls other requests."""

    def __init__(self, budget_bytes: int = 256 * 1024 * 1024) -> None:
        self.budget_bytes = budget_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[_Key, tuple[KnownEntities, int]] = OrderedDict()
        self._bytes = 0

    @property
    def held_bytes(self) -> int:
        """Estimated bytes of everything cached now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, known: _Known) -> KnownEntities | None:
        """The compiled dictionary for ``known`` (None when it is empty)."""
        key: _Key = tuple(tuple(getattr(known, name)) for name in KNOWN_FIELDS)
        if not any(key):
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
        compiled = KnownEntities(dict(zip(KNOWN_FIELDS, key, strict=True)))
        size = compiled.estimated_bytes + _key_bytes(key)
        with self._lock:
            if size > self.budget_bytes or key in self._items:
                return compiled
            self._items[key] = (compiled, size)
            self._bytes += size
            while self._bytes > self.budget_bytes:
                _, (_, evicted) = self._items.popitem(last=False)
                self._bytes -= evicted
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


known_entities_cache = KnownEntitiesCache()  # one per process; its budget is set by create_app
