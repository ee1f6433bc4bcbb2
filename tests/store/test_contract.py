"""What every map store backend promises (`app.store.base.MapStore`), run against SQLite and a
real Redis: round trip, handle binding, all-or-nothing mutations, extensions that neither lose
an entry nor give one number to two values, in one process and across processes."""

from __future__ import annotations

import os
import threading

import pytest

from app.crypto import Keyring
from app.store import MapStore, new_handle
from redaction import ScrubState
from redaction.errors import MapExpired, MapNotFound, StoreError

from ..service.fakes import Clock
from .conftest import StoreFactory, add_person, assert_bijective, state_of

CANARY = "Zebulon Quartermaine-Canary"


def test_a_created_map_loads_back_whole(store: MapStore) -> None:
    state = state_of(CANARY, "Jane Doe")
    record = store.create("task-1", state)
    assert record.entries == 2
    assert store.load(record.handle, "task-1").token_map == state.token_map


def test_create_and_extend_report_expiry_from_the_ttl(make_store: StoreFactory) -> None:
    clock = Clock()
    store = make_store(ttl_seconds=600, clock=clock)
    record = store.create("t", state_of(CANARY))
    assert (record.created_at, record.expires_at) == (clock.now, clock.now + 600)
    clock.now += 100
    extended, text = store.extend(record.handle, "t", add_person("Jane Doe"))
    assert text == "[PERSON_2]"
    assert (extended.created_at, extended.expires_at, extended.entries) == (
        record.created_at,
        clock.now + 600,
        2,
    )


@pytest.mark.parametrize(
    "handle", ["", "x" * 65, "../etc/passwd", "'; DROP TABLE maps; --", "a b", "\x00", "é" * 10]
)
def test_malformed_handles_name_no_map(store: MapStore, handle: str) -> None:
    with pytest.raises(MapNotFound):
        store.load(handle, "t")
    with pytest.raises(MapNotFound):
        store.extend(handle, "t", add_person("Jane Doe"))


def test_unknown_handle_is_not_found_and_another_task_is_expired(store: MapStore) -> None:
    record = store.create("t", state_of(CANARY))
    with pytest.raises(MapNotFound):
        store.load(new_handle(), "t")
    with pytest.raises(MapExpired, match="another task"):
        store.load(record.handle, "other-task")
    with pytest.raises(MapExpired, match="another task"):
        store.extend(record.handle, "other-task", add_person("Jane Doe"))
    assert len(store.load(record.handle, "t")) == 1


def test_a_handle_is_never_given_to_two_maps(store: MapStore) -> None:
    handle = new_handle()
    store.create("t", state_of(CANARY), handle=handle)
    with pytest.raises(StoreError):
        store.create("t", state_of("Someone Else"), handle=handle)
    assert store.load(handle, "t").token_map == state_of(CANARY).token_map, "the first map must stand"


def test_a_failed_mutation_writes_nothing(store: MapStore) -> None:
    record = store.create("t", state_of(CANARY))

    def fail(state: ScrubState) -> None:
        add_person("Jane Doe")(state)
        raise ValueError("rejected")

    with pytest.raises(ValueError, match="rejected"):
        store.extend(record.handle, "t", fail)
    assert len(store.load(record.handle, "t")) == 1


def test_concurrent_extensions_in_one_process_lose_nothing(store: MapStore) -> None:
    record = store.create("t", ScrubState())
    values = [f"Person{i:03d} Zed" for i in range(40)]
    barrier = threading.Barrier(8)

    def worker(chunk: list[str]) -> None:
        barrier.wait()
        for value in chunk:
            store.extend(record.handle, "t", add_person(value))

    threads = [threading.Thread(target=worker, args=(values[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert_bijective(store.load(record.handle, "t"), values)


def test_an_extension_racing_another_process_is_retried_not_lost(make_store: StoreFactory) -> None:
    mine, theirs = make_store(), make_store()  # two processes on the same backend
    record = mine.create("t", ScrubState())
    calls = 0

    def racing(state: ScrubState) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # while we scrub, the other process commits its own extension
            theirs.extend(record.handle, "t", add_person("Ann Other"))
        add_person("Jane Doe")(state)

    mine.extend(record.handle, "t", racing)
    assert calls == 2, "the compare-and-swap must detect the other writer and re-run the mutation"
    assert_bijective(mine.load(record.handle, "t"), ["Ann Other", "Jane Doe"])
    assert mine.load(record.handle, "t").token_map["[PERSON_1]"] == "Ann Other"


def test_contended_extensions_across_processes_all_commit(make_store: StoreFactory) -> None:
    stores = [make_store(), make_store(), make_store()]
    record = stores[0].create("t", ScrubState())
    values = [f"Person{i:03d} Zed" for i in range(60)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(12)

    def worker(store: MapStore, chunk: list[str]) -> None:
        barrier.wait()
        for value in chunk:
            try:
                store.extend(record.handle, "t", add_person(value))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(stores[i % 3], values[i::12])) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, f"a contended extension must wait its turn, not fail: {errors[:3]}"
    assert_bijective(stores[1].load(record.handle, "t"), values)


def test_rotated_keys_keep_old_maps_readable_and_unknown_keys_refuse(make_store: StoreFactory) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    before = make_store(keyring=Keyring(old_key))
    record = before.create("t", state_of(CANARY))
    after = make_store(keyring=Keyring(new_key, [old_key]))
    assert CANARY in after.load(record.handle, "t").token_map.values()
    after.extend(record.handle, "t", add_person("Jane Doe"))
    assert len(after.load(record.handle, "t")) == 2
    stranger = make_store(keyring=Keyring(os.urandom(32)))
    with pytest.raises(StoreError):
        stranger.load(record.handle, "t")


def test_a_closed_store_refuses(make_store: StoreFactory) -> None:
    store = make_store()
    record = store.create("t", state_of(CANARY))
    store.close()
    with pytest.raises(StoreError):
        store.create("t", ScrubState())
    with pytest.raises(StoreError):
        store.load(record.handle, "t")
