"""The Redis map store against a real redis-server (docs/architecture.md §7): ciphertext only in Redis and its
files, server-side TTL and its extension, tombstones, the eviction and key checks, a Redis that
crashes, restarts or refuses, and a reply lost on the wire."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.crypto import Keyring, key_id, new_key
from app.settings import Settings
from app.store import RedisMapStore, build_store, handle_hash
from redaction import ScrubState
from redaction.errors import MapExpired, MapNotFound, StoreError

from ..logs import LogCapture
from ..redis_server import RedisServer
from .conftest import add_person, state_of

CANARY = "Zebulon Quartermaine-Canary"
CANARY_MAIL = "zebulon.canary@quartermaine.example"


def _store(server: RedisServer, keyring: Keyring, **options: Any) -> RedisMapStore:
    options.setdefault("ttl_seconds", 3600)
    store = RedisMapStore(server.url, keyring, **options)
    store.open()
    return store


@pytest.fixture
def store(redis_server: RedisServer, keyring: Keyring) -> Iterator[RedisMapStore]:
    s = _store(redis_server, keyring, guard_seconds=0)
    yield s
    s.close()


def _everything_in_redis(server: RedisServer) -> bytes:
    client = server.client()
    keys = list(client.scan_iter(count=1000))
    return b"\n".join(keys + [client.dump(k) or b"" for k in keys])


def test_redis_and_its_files_hold_no_value_handle_or_task_id(
    store: RedisMapStore, redis_server: RedisServer
) -> None:
    record = store.create("task-canary-1", state_of(CANARY, CANARY_MAIL))
    store.extend(record.handle, "task-canary-1", add_person("Jane Doe"))
    raw = _everything_in_redis(redis_server)
    files = b"".join(p.read_bytes() for p in redis_server.files())
    assert files, "the append-only file should exist"
    for needle in (CANARY, CANARY_MAIL, "Jane Doe", record.handle, "task-canary-1"):
        for encoded in (needle.encode(), needle.encode("utf-16-le")):
            assert encoded not in raw, f"Redis must hold only ciphertext and hashes, found {needle!r}"
            assert encoded not in files, f"Redis's files must hold only ciphertext, found {needle!r}"
    assert store.load(record.handle, "task-canary-1").token_map["[PERSON_1]"] == CANARY


def test_keys_are_namespaced_and_named_by_the_handle_hash(
    store: RedisMapStore, redis_server: RedisServer
) -> None:
    record = store.create("t", state_of(CANARY))
    tag = handle_hash(record.handle).hex()
    keys = {k.decode() for k in redis_server.client().scan_iter()}
    assert {f"redaction:map:{{{tag}}}", f"redaction:gone:{{{tag}}}"} <= keys
    assert all(k.startswith("redaction:") for k in keys), keys


def test_namespaces_do_not_share_maps(redis_server: RedisServer, keyring: Keyring) -> None:
    a = _store(redis_server, keyring, namespace="tenant-a")
    b = _store(redis_server, keyring, namespace="tenant-b")
    record = a.create("t", state_of(CANARY))
    with pytest.raises(MapNotFound):
        b.load(record.handle, "t")
    assert a.count() == (1, 0)
    assert b.count() == (0, 0)


def _keys(handle: str) -> tuple[str, str]:
    tag = "{" + handle_hash(handle).hex() + "}"
    return f"redaction:map:{tag}", f"redaction:gone:{tag}"


def test_ttl_is_server_side_and_a_late_caller_hears_expired(
    store: RedisMapStore, redis_server: RedisServer
) -> None:
    record = store.create("t", state_of(CANARY))
    map_key, gone_key = _keys(record.handle)
    client = redis_server.client()
    assert 3_590_000 < client.pttl(map_key) <= 3_600_000, "the map's TTL must be Redis's own"
    assert client.pttl(gone_key) > 7 * 86_400_000, "the tombstone must outlive the map"
    client.pexpire(map_key, 1)  # as if its TTL ran out: Redis deletes it
    _until_gone(client, map_key)
    with pytest.raises(MapExpired):
        store.load(record.handle, "t")
    with pytest.raises(MapExpired):
        store.extend(record.handle, "t", add_person("Jane Doe"))
    client.pexpire(gone_key, 1)  # the tombstone runs out too
    _until_gone(client, gone_key)
    with pytest.raises(MapNotFound):
        store.load(record.handle, "t")
    assert store.sweep() == 0, "nothing to sweep: Redis expires maps itself"


def test_every_extension_restarts_the_ttl(store: RedisMapStore, redis_server: RedisServer) -> None:
    record = store.create("t", ScrubState())
    map_key, gone_key = _keys(record.handle)
    client = redis_server.client()
    for i in range(3):
        client.pexpire(map_key, 5_000)  # most of the TTL has gone by
        client.pexpire(gone_key, 5_000)
        store.extend(record.handle, "t", add_person(f"Person{i} Zed"))
        assert client.pttl(map_key) > 3_590_000, "an extension must restart the map's TTL"
        assert client.pttl(gone_key) > 7 * 86_400_000, "and its tombstone's"
    assert len(store.load(record.handle, "t")) == 3


def _until_gone(client: Any, key: str) -> None:
    deadline = time.monotonic() + 10
    while client.exists(key):
        assert time.monotonic() < deadline
        time.sleep(0.005)


@pytest.mark.parametrize(
    ("field", "value"), [("kid", b"\xff\xfe"), ("created", b"yesterday"), ("nonce", b"short")]
)
def test_a_malformed_record_is_store_error_not_a_crash(
    store: RedisMapStore, redis_server: RedisServer, field: str, value: bytes
) -> None:
    record = store.create("t", state_of(CANARY))
    redis_server.client().hset(_keys(record.handle)[0], field, value)
    with pytest.raises(StoreError) as caught:
        store.load(record.handle, "t")
    assert not isinstance(caught.value, MapNotFound | MapExpired)


def test_taking_the_turn_is_idempotent(store: RedisMapStore, redis_server: RedisServer) -> None:
    # A re-sent take (its reply lost) must find its own token, not wait out its own lease.
    turn = "redaction:turn:{00}"
    assert store._take(keys=[turn], args=["mine", 10_000]) == 1
    assert store._take(keys=[turn], args=["mine", 10_000]) == 1
    assert store._take(keys=[turn], args=["theirs", 10_000]) == 0
    assert redis_server.client().get(turn) == b"mine"


def test_a_hung_redis_fails_fast_for_queued_callers(keyring: Keyring) -> None:
    # A server that accepts connections and never answers: one check waits out the timeout,
    # the callers queued behind it get its failure at once instead of each waiting in turn.
    hung = socket.create_server(("127.0.0.1", 0), backlog=64)
    try:
        store = RedisMapStore(
            f"redis://127.0.0.1:{hung.getsockname()[1]}/0", keyring, ttl_seconds=60, timeout_s=0.5
        )
        store._open = True
        checks = 0
        real_info = store._redis.info

        def counted_info(*args: Any) -> Any:
            nonlocal checks
            checks += 1
            return real_info(*args)

        store._redis.info = counted_info
        errors: list[Exception] = []

        def load() -> None:
            try:
                store.load("A" * 32, "t")
            except StoreError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=load) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(errors) == 8, "every caller must get a StoreError (503)"
        assert checks == 1, f"the safety check ran {checks} times: callers queued to repeat a failure"
    finally:
        hung.close()


def test_a_ciphertext_moved_to_another_handle_does_not_decrypt(
    store: RedisMapStore, redis_server: RedisServer
) -> None:
    a = store.create("task", state_of(CANARY))
    b = store.create("task", state_of("Someone Else"))
    client = redis_server.client()
    key_a, key_b = (f"redaction:map:{{{handle_hash(r.handle).hex()}}}" for r in (a, b))
    client.hset(key_b, "ct", client.hget(key_a, "ct") or b"")
    client.hset(key_b, "nonce", client.hget(key_a, "nonce") or b"")
    with pytest.raises(StoreError):
        store.load(b.handle, "task")
    assert store.load(a.handle, "task").token_map["[PERSON_1]"] == CANARY


@pytest.mark.parametrize("policy", ["allkeys-lru", "volatile-lru", "volatile-ttl", "allkeys-random"])
def test_an_evicting_redis_is_not_ready_and_refuses_requests(
    store: RedisMapStore, redis_server: RedisServer, policy: str, captured_logs: LogCapture
) -> None:
    record = store.create("t", state_of(CANARY))
    redis_server.client().config_set("maxmemory-policy", policy)
    with pytest.raises(StoreError, match="noeviction"):
        store.check_ready()
    for call in (
        lambda: store.load(record.handle, "t"),
        lambda: store.extend(record.handle, "t", add_person("Jane Doe")),
        lambda: store.create("t", ScrubState()),
    ):
        with pytest.raises(StoreError, match="noeviction"):
            call()
    assert any(r.getMessage() == "redis_eviction_policy_unsafe" for r in captured_logs.records)
    redis_server.client().config_set("maxmemory-policy", "noeviction")
    store.check_ready()
    assert len(store.load(record.handle, "t")) == 1


def test_a_replica_with_another_map_key_is_refused_and_the_others_keep_serving(
    redis_server: RedisServer,
) -> None:
    first = _store(redis_server, Keyring(os.urandom(32)), guard_seconds=0)
    record = first.create("t", state_of(CANARY))
    stranger = _store(redis_server, Keyring(os.urandom(32)), guard_seconds=0)
    with pytest.raises(StoreError, match="does not hold"):
        stranger.check_ready()
    with pytest.raises(StoreError, match="does not hold"):
        stranger.create("t", ScrubState())
    first.check_ready()
    assert first.load(record.handle, "t").token_map["[PERSON_1]"] == CANARY


def test_a_lone_misconfigured_replica_blocks_others_only_while_it_runs(redis_server: RedisServer) -> None:
    # The documented edge: if the stranger is the only replica running, it announces its key.
    stranger = _store(redis_server, Keyring(os.urandom(32)), guard_seconds=0, announce_seconds=0.2)
    stranger.check_ready()
    right = _store(redis_server, Keyring(os.urandom(32)), guard_seconds=0, announce_seconds=0.2)
    with pytest.raises(StoreError, match="does not hold"):
        right.check_ready()
    stranger.close()  # it stops announcing; its announcement lapses on Redis's clock
    deadline = time.monotonic() + 10
    while True:
        try:
            right.check_ready()
            break
        except StoreError:
            assert time.monotonic() < deadline, "the announcement of a stopped replica must lapse"
            time.sleep(0.05)


def test_a_full_redis_still_serves_reads(store: RedisMapStore, redis_server: RedisServer) -> None:
    record = store.create("t", state_of(CANARY))
    client = redis_server.client()
    for i in range(2000):
        client.set(f"filler:{i}", b"x" * 1000)
    client.config_set("maxmemory", max(1, client.info("memory")["used_memory"] - 100_000))
    assert store.load(record.handle, "t").token_map["[PERSON_1]"] == CANARY, "rehydration must go on"
    with pytest.raises(StoreError):
        store.create("t", ScrubState())
    with pytest.raises(StoreError):
        store.extend(record.handle, "t", add_person("Jane Doe"))
    with pytest.raises(StoreError):
        store.check_ready()
    assert store.load(record.handle, "t").token_map["[PERSON_1]"] == CANARY


def test_key_rotation_in_two_steps_keeps_every_replica_ready(redis_server: RedisServer) -> None:
    old, new = os.urandom(32), os.urandom(32)
    a = _store(redis_server, Keyring(old), guard_seconds=0)
    b = _store(redis_server, Keyring(old, [new]), guard_seconds=0)  # step 1: new key accepted
    record = a.create("t", state_of(CANARY))
    c = _store(redis_server, Keyring(new, [old]), guard_seconds=0)  # step 2: new key current
    c.check_ready()
    b.check_ready()  # still on the old key, but it can read what c writes
    assert c.load(record.handle, "t").token_map["[PERSON_1]"] == CANARY
    c.extend(record.handle, "t", add_person("Jane Doe"))  # now sealed under the new key
    assert len(b.load(record.handle, "t")) == 2
    with pytest.raises(StoreError, match="does not hold"):
        a.check_ready()  # skipped step 1: it could not read c's maps, so it is unready
    kids = {k.decode() for k in redis_server.client().hkeys("redaction:keycheck")}
    assert kids == {key_id(old), key_id(new)}


def test_a_crash_of_redis_loses_no_committed_map(redis_server: RedisServer, keyring: Keyring) -> None:
    store = _store(redis_server, keyring)
    committed = []
    for i in range(30):
        record = store.create(f"t-{i}", state_of(f"Person{i} Zed"))
        if i % 3 == 0:
            store.extend(record.handle, f"t-{i}", add_person(f"Other{i} Zed"))
        committed.append((record.handle, f"t-{i}", dict(store.load(record.handle, f"t-{i}").token_map)))
    redis_server.kill()  # kill -9 right after the last commit
    redis_server.start()  # same port, same append-only file
    for handle, task, token_map in committed:
        assert store.load(handle, task).token_map == token_map, "a committed map was lost in the crash"


def test_redis_down_is_store_error_and_the_same_store_recovers(
    redis_server: RedisServer, keyring: Keyring
) -> None:
    store = _store(redis_server, keyring, guard_seconds=0, timeout_s=0.5)
    record = store.create("t", state_of(CANARY))
    redis_server.kill()
    for call in (
        store.check_ready,
        lambda: store.load(record.handle, "t"),
        lambda: store.extend(record.handle, "t", add_person("Jane Doe")),
        lambda: store.create("t", ScrubState()),
    ):
        with pytest.raises(StoreError) as caught:
            call()
        assert not isinstance(caught.value, MapNotFound | MapExpired), "a down store is not a missing map"
    redis_server.start()
    store.check_ready()  # pooled connections to the dead server are replaced, no restart needed
    assert store.load(record.handle, "t").token_map["[PERSON_1]"] == CANARY
    store.extend(record.handle, "t", add_person("Jane Doe"))


def test_an_unreachable_redis_at_start_is_unready_not_fatal(
    redis_server: RedisServer, keyring: Keyring
) -> None:
    redis_server.kill()
    store = RedisMapStore(redis_server.url, keyring, ttl_seconds=60, timeout_s=0.3)
    store.open()  # nothing listens: the service starts, unready
    with pytest.raises(StoreError):
        store.check_ready()
    redis_server.start()
    store.check_ready()
    record = store.create("t", state_of(CANARY))
    assert len(store.load(record.handle, "t")) == 1


def test_a_password_in_the_url_reaches_no_log_and_no_error(
    redis_server: RedisServer, keyring: Keyring, captured_logs: LogCapture
) -> None:
    secret = "Pw-Canary-7f3a9c1e"
    redis_server.client().config_set("requirepass", "the-right-password")
    store = RedisMapStore(f"redis://:{secret}@127.0.0.1:{redis_server.port}/0", keyring, ttl_seconds=60)
    store.open()  # a wrong password: AUTH fails
    with pytest.raises(StoreError) as caught:
        store.check_ready()
    assert secret not in str(caught.value)
    for record in captured_logs.records:
        assert secret not in record.getMessage()
        assert secret not in str(record.__dict__)


class _ReplyDropper:
    """A TCP proxy to Redis that, when armed, forwards the next script call but swallows its
    reply and cuts the connection: the write happened, the client never heard."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.armed = threading.Event()
        self.dropped = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        with client, server:
            while data := client.recv(65536):
                drop = self.armed.is_set() and (b"EVALSHA" in data.upper() or b"EVAL" in data.upper())
                server.sendall(data)
                reply = server.recv(65536)
                if drop:
                    self.armed.clear()
                    self.dropped += 1
                    return  # the script ran; its reply is lost with the connection
                client.sendall(reply)

    def close(self) -> None:
        self.listener.close()


def test_a_commit_whose_reply_was_lost_is_not_applied_twice_nor_refused(
    redis_server: RedisServer, keyring: Keyring
) -> None:
    proxy = _ReplyDropper(redis_server.port)
    try:
        store = RedisMapStore(f"redis://127.0.0.1:{proxy.port}/0", keyring, ttl_seconds=60)
        store.open()
        proxy.armed.set()
        record = store.create("t", state_of(CANARY))  # redis-py re-sends after the cut
        assert proxy.dropped == 1
        calls = 0

        def counted(state: ScrubState) -> str:
            nonlocal calls
            calls += 1
            return add_person("Jane Doe")(state)

        proxy.armed.set()
        store.extend(record.handle, "t", counted)
        assert proxy.dropped == 2
        assert calls == 1, "the re-sent commit must find its own write, not a conflict"
        assert dict(store.load(record.handle, "t").token_map) == {
            "[PERSON_1]": CANARY,
            "[PERSON_2]": "Jane Doe",
        }
    finally:
        proxy.close()


def test_build_store_picks_redis_and_insists_on_a_shared_key(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    def settings(**overrides: Any) -> Settings:
        return Settings(_env_file=None, data_dir=tmp_path / "data", store_url=redis_server.url, **overrides)

    with pytest.raises(ValueError, match="REDACTION_MAP_KEY"):
        build_store(settings())
    assert not (tmp_path / "data" / "map.key").exists(), "no per-replica key may be created for Redis"
    store = build_store(settings(map_key=new_key()))
    assert isinstance(store, RedisMapStore)
    with pytest.raises(ValueError, match="REDACTION_REDIS_NAMESPACE"):
        settings(redis_namespace="a:b{c}")
