"""``POST /forget`` (docs/architecture.md §12): the map is erased now, on SQLite and on Redis.

The encrypted record is deleted, a tombstone keeps every later use at 410 ``map_expired``,
forgetting twice is fine, the handle never reaches a log line or a metric, and a stream that
is open on the map closes with 4410 before it rehydrates another frame.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.api import forget as forget_module
from app.crypto import Keyring, new_key
from app.main import create_app
from app.settings import Settings
from app.store import MapStore, RedisMapStore, SQLiteMapStore
from redaction import ScrubState, scrub
from redaction.errors import MapExpired, MapNotFound

from ..redis_server import redis_server_or_skip
from ..service.conftest import SettingsFactory, apost_json, asgi_client
from ..stream.conftest import drain, running_gateway

PERSON = "Zebulon Forgetful"
TEXT = f"{PERSON} mailed zeb.forget@example.com"


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MapStore]:
    keyring = Keyring(secrets.token_bytes(32))
    the_store: MapStore
    if request.param == "sqlite":
        the_store = SQLiteMapStore(tmp_path / "maps" / "maps.db", keyring, ttl_seconds=3600)
        the_store.open()
        yield the_store
        the_store.close()
        return
    with redis_server_or_skip(tmp_path / "redis") as server:
        the_store = RedisMapStore(server.url, keyring, ttl_seconds=3600)
        the_store.open()
        yield the_store
        the_store.close()


def _map() -> ScrubState:
    state = ScrubState()
    scrub(TEXT, state=state, known_entities={"persons": [PERSON]})
    return state


def test_forget_erases_the_map_and_later_use_is_expired(store: MapStore) -> None:
    record = store.create("task-1", _map())
    keep = store.create("task-1", _map())
    assert store.forget(record.handle, "task-1") is True
    assert store.forgotten(record.handle)
    assert not store.forgotten(keep.handle)
    with pytest.raises(MapExpired):
        store.load(record.handle, "task-1")
    with pytest.raises(MapExpired):
        store.extend(record.handle, "task-1", lambda state: None)
    assert store.forget(record.handle, "task-1") is False, "forget is idempotent"
    assert len(store.load(keep.handle, "task-1")) == 2, "other maps are untouched"


def test_forget_refuses_unknown_handles_and_other_tasks(store: MapStore) -> None:
    with pytest.raises(MapNotFound):
        store.forget("A" * 32, "task-1")
    record = store.create("task-1", _map())
    with pytest.raises(MapExpired):
        store.forget(record.handle, "another-task")
    assert len(store.load(record.handle, "task-1")) == 2, "a map of another task is not erased"


def test_the_encrypted_record_is_deleted_from_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "maps" / "maps.db"
    store = SQLiteMapStore(path, Keyring(secrets.token_bytes(32)), ttl_seconds=3600)
    store.open()
    try:
        record = store.create("task-1", _map())
        store.forget(record.handle, "task-1")
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT key_id, nonce, ciphertext FROM maps").fetchall()
    assert rows == [("forgotten", None, None)], "only a tombstone remains"


def test_the_encrypted_record_is_deleted_from_redis(tmp_path: Path) -> None:
    with redis_server_or_skip(tmp_path / "redis") as server:
        store = RedisMapStore(server.url, Keyring(secrets.token_bytes(32)), ttl_seconds=3600)
        store.open()
        try:
            record = store.create("task-1", _map())
            store.forget(record.handle, "task-1")
        finally:
            store.close()
        client = server.client()
        assert list(client.scan_iter(match="redaction:map:*")) == [], "the map's hash must be gone"
        (gone,) = list(client.scan_iter(match="redaction:gone:*"))
        assert client.get(gone) == b"forgotten", "a tombstone remains"
        assert client.pttl(gone) > 0, "the tombstone expires"


@pytest.fixture(params=["sqlite", "redis"])
def settings(
    request: pytest.FixtureRequest, make_settings: SettingsFactory, tmp_path: Path
) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield make_settings()
        return
    with redis_server_or_skip(tmp_path / "redis") as server:
        yield make_settings(store_url=server.url, map_key=new_key())


pytestmark = pytest.mark.anyio


async def test_forget_over_http(settings: Settings, captured_logs: Any) -> None:
    async with asgi_client(create_app(settings)) as c:
        scrubbed = await apost_json(
            c, "/scrub", {"task_id": "t-1", "items": [{"id": "a", "text": TEXT}], "ner": "rules_only"}
        )
        handle = scrubbed.json()["map_handle"]
        forget = {"task_id": "t-1", "map_handle": handle}
        assert (await apost_json(c, "/forget", {**forget, "task_id": "t-2"})).status_code == 410
        first = await apost_json(c, "/forget", forget)
        assert (first.status_code, first.json()) == (200, {"task_id": "t-1", "forgotten": True})
        again = await apost_json(c, "/forget", forget)
        assert (again.status_code, again.json()) == (200, {"task_id": "t-1", "forgotten": True})
        reply = {"task_id": "t-1", "map_handle": handle, "items": [{"id": "r", "text": "[PERSON_1]"}]}
        assert (await apost_json(c, "/rehydrate", reply)).json() == {"error": "map_expired"}
        more = {
            "task_id": "t-1",
            "map_handle": handle,
            "items": [{"id": "b", "text": "x"}],
            "ner": "rules_only",
        }
        late = await apost_json(c, "/scrub", more)
        assert (late.status_code, late.json()) == (410, {"error": "map_expired"})
        unknown = await apost_json(c, "/forget", {"task_id": "t-1", "map_handle": "B" * 32})
        assert (unknown.status_code, unknown.json()) == (400, {"error": "unknown_map_handle"})
        malformed = await apost_json(c, "/forget", {"task_id": "t-1", "map_handle": "not a handle!"})
        assert malformed.status_code == 400
        metrics = (await c.get("/metrics")).text
    assert 'redaction_maps_forgotten_total{outcome="erased"} 1.0' in metrics
    assert 'redaction_maps_forgotten_total{outcome="already_gone"} 1.0' in metrics
    assert handle not in metrics
    lines = [repr(r.__dict__) + r.getMessage() for r in captured_logs.records]
    assert not [line for line in lines if handle in line], "the handle must never be logged"
    forgets = [r for r in captured_logs.records if getattr(r, "route", "") == "/forget"]
    assert [getattr(r, "erased", None) for r in forgets if getattr(r, "status", 0) == 200] == [True, False]


def _delta(text: str) -> str:
    return json.dumps({"type": "delta", "text": text})


@pytest.mark.parametrize("how", ["route", "other_process"])
def test_a_stream_of_a_forgotten_map_closes_with_4410(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    app = create_app(make_settings())
    with running_gateway(app) as gw, gw.socket() as ws:
        ws.send(gw.start(scan="off"))  # no response-scan hold-back: the first delta comes at once
        assert json.loads(ws.recv(timeout=5)) == {"type": "ready"}
        ws.send(_delta("Hello [PERSON_1]. "))
        first = json.loads(ws.recv(timeout=5))
        assert first["type"] == "delta"
        assert "[PERSON_1]" not in first["text"]
        if how == "route":
            r = gw.post("/forget", {"task_id": gw.task_id, "map_handle": gw.handle})
            assert r.status_code == 200, r.text
        else:
            # Another replica erased it: no in-process signal, the stream asks the store.
            monkeypatch.setattr(forget_module, "RECHECK_SECONDS", 0.0)
            store = app.state.gateway.store
            assert store.forget(gw.handle, gw.task_id) is True
        ws.send(_delta("Bye [PERSON_1]."))
        closed = drain(ws)
    assert closed.code == 4410
    assert closed.reason == "map_expired"
    assert closed.frames == [{"type": "error", "error": "map_expired"}], "nothing is rehydrated after forget"


def test_a_new_stream_of_a_forgotten_map_is_refused(make_settings: SettingsFactory) -> None:
    with running_gateway(create_app(make_settings())) as gw:
        assert gw.post("/forget", {"task_id": gw.task_id, "map_handle": gw.handle}).status_code == 200
        with gw.socket() as ws:
            ws.send(gw.start())
            closed = drain(ws)
    assert (closed.code, closed.frames) == (4410, [{"type": "error", "error": "map_expired"}])


def test_the_client_forgets(make_settings: SettingsFactory) -> None:
    from app.client import GatewayClient, MapExpiredError, PolicyBlockedError, PolicyError

    with running_gateway(create_app(make_settings())) as gw, GatewayClient(gw.url) as client:
        scrubbed = client.scrub(TEXT, task_id="t-9", ner="rules_only", profile="default",
                                policy={"deny": [{"term": "zeb.forget", "type": "HANDLE"}]})  # fmt: skip
        assert scrubbed.stats.policy["profile"] == "default"
        assert client.policy()["profiles"]["default"]["hash"] != scrubbed.stats.policy["hash"]
        with pytest.raises(PolicyBlockedError) as blocked:
            client.scrub(TEXT, task_id="t-9", ner="rules_only", policy={"actions": {"EMAIL": "block"}})
        assert blocked.value.spans == [("item", ["EMAIL"])]
        with pytest.raises(PolicyError) as refused:
            client.scrub(TEXT, task_id="t-9", ner="rules_only", policy={"allow": ["Zebulon"]})
        assert refused.value.code == "policy_override_forbidden"
        client.forget(task_id="t-9", map_handle=scrubbed.map_handle)
        client.forget(task_id="t-9", map_handle=scrubbed.map_handle)  # idempotent
        with pytest.raises(MapExpiredError):
            client.rehydrate("[PERSON_1]", task_id="t-9", map_handle=scrubbed.map_handle)
