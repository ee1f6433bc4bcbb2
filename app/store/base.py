"""The map store interface (docs/architecture.md §7): what every backend (SQLite, Redis, ...) provides.

A *map* is one `ScrubState` (the pseudonym map ``token -> real value`` and its counters),
stored encrypted under an opaque ``map_handle`` and bound to the ``task_id`` that created it.

Handles are ``secrets.token_urlsafe(24)`` (192 random bits, 32 URL-safe characters). Backends
key records by ``handle_hash(handle)``, never by the handle itself, so a copied database does
not reveal live handles. A string that is not handle-shaped (empty, longer than 64
characters, outside the URL-safe alphabet) cannot name a map: `check_handle` refuses it
with `MapNotFound` before any backend is touched.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TypeVar

from redaction import ScrubState
from redaction.errors import MapExpired, MapNotFound, StoreError

from ..crypto import Keyring

__all__ = [
    "HANDLE_MAX_CHARS",
    "HandleLocks",
    "MapRecord",
    "MapStore",
    "check_handle",
    "handle_hash",
    "new_handle",
    "new_map_keys",
    "task_hash",
    "unseal",
]

T = TypeVar("T")

log = logging.getLogger("redaction_gateway.store")

HANDLE_MAX_CHARS = 64
_HANDLE_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{HANDLE_MAX_CHARS}}}")


def new_handle() -> str:
    """A fresh map handle: 192 bits from `secrets`, URL-safe."""
    return secrets.token_urlsafe(24)


def check_handle(handle: str) -> None:
    """Raise `MapNotFound` unless ``handle`` has the shape of a handle (cheap, no I/O)."""
    if not isinstance(handle, str) or _HANDLE_SHAPE.fullmatch(handle) is None:
        raise MapNotFound("malformed map handle")


def handle_hash(handle: str) -> bytes:
    """The record key for ``handle``: sha256, so stored keys cannot be used as handles."""
    return hashlib.sha256(b"map_handle\x00" + handle.encode("ascii")).digest()


def task_hash(task_id: str) -> bytes:
    """The stored form of the ``task_id`` a map is bound to."""
    return hashlib.sha256(b"task_id\x00" + task_id.encode("utf-8", "surrogatepass")).digest()


class HandleLocks:
    """One lock per map, held by `extend` across load, mutation and commit: extensions of one
    map in one process queue up instead of racing each other's compare-and-swap (only other
    processes can make a commit retry). A lock lives only while someone holds or waits for it.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locks: dict[bytes, tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def hold(self, key: bytes) -> Iterator[None]:
        with self._mutex:
            lock, users = self._locks.setdefault(key, (threading.Lock(), [0]))
            users[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._mutex:
                users[0] -= 1
                if users[0] == 0:
                    del self._locks[key]


def new_map_keys(handle: str | None, task_id: str) -> tuple[str, bytes, bytes]:
    """(handle, handle hash, task hash) of a map about to be created: ``handle`` checked, or a
    fresh one."""
    if handle is None:
        handle = new_handle()
    else:
        check_handle(handle)
    return handle, handle_hash(handle), task_hash(task_id)


def unseal(
    keyring: Keyring, kid: str, nonce: bytes, ciphertext: bytes, hh: bytes, stored_task: bytes, th: bytes
) -> ScrubState:
    """The map in a live record, opened for the task hashed ``th``.

    `MapExpired` if the record is bound to another task (the caller learns nothing more);
    `StoreError` if it fails authentication or does not hold a map.
    """
    if stored_task != th:
        log.info("map_task_mismatch")
        raise MapExpired("map bound to another task")
    plaintext = keyring.decrypt(kid, nonce, ciphertext, hh + th)
    try:
        return ScrubState.from_json(plaintext)
    except (ValueError, KeyError, TypeError):
        raise StoreError("map record does not hold a map") from None


@dataclass(frozen=True, slots=True)
class MapRecord:
    """What a caller may learn about a stored map: never its content."""

    handle: str
    created_at: float  # Unix seconds
    expires_at: float  # Unix seconds; extended by every successful `extend`
    entries: int  # tokens in the map


class MapStore(Protocol):
    """A store of encrypted maps. Methods are blocking and called from worker threads:
    implementations must be thread-safe (and safe across processes sharing the backend).

    Errors: `MapNotFound` (the handle never existed or is malformed), `MapExpired` (expired,
    or bound to another ``task_id``), `StoreError` (the backend cannot be read or written,
    or a record fails authentication). Nothing else escapes.
    """

    def open(self) -> None:
        """Prepare the backend (create files, check schema). Raises `StoreError`."""

    def close(self) -> None:
        """Release every resource; later calls raise `StoreError`."""

    def create(self, task_id: str, state: ScrubState, *, handle: str | None = None) -> MapRecord:
        """Store ``state`` as a new map bound to ``task_id``; durable when this returns.

        ``handle``: one the caller minted with `new_handle` before the map existed (the
        service scopes its NER cache to it while the first turn is examined); default: a
        fresh one.
        """

    def extend(self, handle: str, task_id: str, mutate: Callable[[ScrubState], T]) -> tuple[MapRecord, T]:
        """Atomically load the map, apply ``mutate`` to it, save it and extend its TTL.

        If ``mutate`` raises, nothing is written and the exception propagates. Concurrent
        extensions of one map are serialized: none loses an entry, and no number is given to
        two values. Durable when this returns.
        """

    def load(self, handle: str, task_id: str) -> ScrubState:
        """The map, read-only (its TTL is not extended)."""

    def sweep(self) -> int:
        """Delete the content of expired maps; returns how many were swept."""

    def forget(self, handle: str, task_id: str) -> bool:
        """Erase the map now (``POST /forget``, docs/architecture.md §12): the encrypted record
        is deleted and a tombstone keeps every later use at `MapExpired` (410). Idempotent:
        True if a live map was erased, False if it was gone already (expired or forgotten).

        `MapNotFound` if the handle never existed; `MapExpired` if a live map is bound to
        another task (nothing is erased).
        """

    def forgotten(self, handle: str) -> bool:
        """True if ``handle``'s map was erased by `forget` (an expired map is not)."""

    def check_ready(self) -> None:
        """Raise `StoreError` unless the backend can be written now."""
