"""Fixtures for the map store tests: a keyring, a real redis-server, and ``make_store``, which
builds stores over one backend (SQLite file or Redis server) as several processes would."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.crypto import Keyring
from app.store import MapStore, RedisMapStore, SQLiteMapStore
from redaction import ScrubState, scrub

from ..redis_server import RedisServer, redis_server_or_skip

StoreFactory = Callable[..., MapStore]
BACKENDS = ("sqlite", "redis")


def state_of(*values: str) -> ScrubState:
    """A map holding each of ``values`` as a known person."""
    state = ScrubState()
    for value in values:
        scrub(value, known_entities={"persons": [value]}, state=state)
    return state


def add_person(value: str) -> Callable[[ScrubState], str]:
    """A mutation for `MapStore.extend`: scrub ``value`` as a known person into the map."""
    return lambda state: scrub(value, known_entities={"persons": [value]}, state=state).text


def assert_bijective(state: ScrubState, values: list[str]) -> None:
    token_map = dict(state.token_map)
    assert sorted(token_map.values()) == sorted(set(values)), "an entry was lost or duplicated"
    assert len(set(token_map)) == len(token_map) == len(set(token_map.values())), "one token, two values"


@pytest.fixture
def keyring() -> Keyring:
    return Keyring(os.urandom(32))


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with redis_server_or_skip(tmp_path / "redis") as server:
        yield server


@pytest.fixture(params=BACKENDS)
def make_store(request: pytest.FixtureRequest, tmp_path: Path, keyring: Keyring) -> Iterator[StoreFactory]:
    """Opened stores over one backend; every call is another "process" on the same data."""
    opened: list[MapStore] = []
    server = request.getfixturevalue("redis_server") if request.param == "redis" else None

    def make(**options: Any) -> MapStore:
        options.setdefault("ttl_seconds", 3600)
        ring = options.pop("keyring", keyring)
        store: MapStore
        if server is not None:
            store = RedisMapStore(server.url, ring, **options)
        else:
            store = SQLiteMapStore(tmp_path / "data" / "maps.sqlite3", ring, **options)
        store.open()
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: StoreFactory) -> MapStore:
    return make_store()
