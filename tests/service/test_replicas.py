"""Several replicas on one Redis (docs/architecture.md §7): two real service processes share maps with no
sticky sessions, extend one map concurrently without losing an entry, answer 503 (never a 500,
never a fresh map) while Redis is down, lose nothing that got a 200 when Redis crashes with its
append-only file on, and recover without a restart. No value reaches their logs, Redis, or disk.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.crypto import new_key

from ..redis_server import RedisServer, redis_server_or_skip
from .conftest import post_json
from .processes import free_port, service_process

PERSON, OTHER, ORG = "Zebulon Canaryman", "Quillon Canarywright", "Canaryfield Holdings"
EMAIL = "zeb.canary@canary-mail.example"
KNOWN = {"persons": [PERSON, OTHER], "orgs": [ORG], "emails": [EMAIL]}
CANARIES = (PERSON, OTHER, ORG, EMAIL, "Canaryman", "Canarywright", "canary-mail")
UNAVAILABLE = {"error": "store_unavailable"}


@dataclass
class Replicas:
    redis: RedisServer
    urls: list[str]
    logs: list[Path]
    data_dirs: list[Path]
    clients: list[httpx.Client] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # every response body but rehydrations

    def post(self, replica: int, path: str, body: dict[str, Any]) -> httpx.Response:
        r = post_json(self.clients[replica], path, body)
        if path != "/rehydrate" or r.status_code != 200:
            self.bodies.append(r.text)
        return r

    def ready(self, replica: int) -> httpx.Response:
        r = self.clients[replica].get("/ready")
        self.bodies.append(r.text)
        return r


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[Replicas]:
    with redis_server_or_skip(tmp_path / "redis") as redis, ExitStack() as stack:
        ports = [free_port(), free_port()]
        shared = {"store_url": redis.url, "map_key": new_key()}
        logs = [tmp_path / f"replica-{i}.log" for i in range(2)]
        data_dirs = [tmp_path / f"replica-{i}" for i in range(2)]
        for port, log, data_dir in zip(ports, logs, data_dirs, strict=True):
            stack.enter_context(service_process(port, log, data_dir=str(data_dir), **shared))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        clients = [stack.enter_context(httpx.Client(base_url=url, timeout=30)) for url in urls]
        yield Replicas(redis, urls, logs, data_dirs, clients)


def _scrub(text: str, task: str, handle: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"task_id": task, "items": [{"id": "m", "text": text}], "known_entities": KNOWN}
    if handle is not None:
        body["map_handle"] = handle
    return body


def _rehydrate(handle: str, task: str, *texts: str) -> dict[str, Any]:
    items = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    return {"task_id": task, "map_handle": handle, "items": items}


def _assert_no_value_escaped(replicas: Replicas) -> None:
    """The privacy guarantee of the whole deployment, searched byte by byte."""
    places: dict[str, bytes] = {
        f"log of replica {i}": log.read_bytes() for i, log in enumerate(replicas.logs)
    }
    places["response bodies"] = "\n".join(replicas.bodies).encode()
    for path in replicas.redis.files():
        places[f"Redis file {path.name}"] = path.read_bytes()
    client = replicas.redis.client()
    places["Redis keys and values"] = b"\n".join(
        k + b"=" + (client.dump(k) or b"") for k in client.scan_iter()
    )
    for where, data in places.items():
        for canary in CANARIES:
            for encoded in (canary.encode(), canary.lower().encode(), canary.encode("utf-16-le")):
                assert encoded not in data, f"{canary!r} reached the {where}"
    for data_dir in replicas.data_dirs:
        written = [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.exists() else []
        assert not written, (
            f"with Redis, a replica must write nothing to disk (no SQLite fallback): {written}"
        )


def test_scrub_on_one_replica_extend_on_the_other_rehydrate_on_the_first(replicas: Replicas) -> None:
    for i in (0, 1):
        ready = replicas.ready(i)
        assert ready.status_code == 200, ready.text
        assert ready.json()["store"] == "ok"
    first = replicas.post(0, "/scrub", _scrub(f"{PERSON} ({EMAIL}) joined {ORG}.", "t-1"))
    assert first.status_code == 200, first.text
    handle = first.json()["map_handle"]
    second = replicas.post(1, "/scrub", _scrub(f"{OTHER} met {PERSON}.", "t-1", handle))
    assert second.status_code == 200, second.text
    assert second.json()["items"][0]["scrubbed_text"] == "[PERSON_2] met [PERSON_1].", "B must extend A's map"
    texts = [first.json()["items"][0]["scrubbed_text"], second.json()["items"][0]["scrubbed_text"]]
    back = replicas.post(0, "/rehydrate", _rehydrate(handle, "t-1", *texts))
    assert back.status_code == 200, back.text
    assert [i["rehydrated_text"] for i in back.json()["items"]] == [
        f"{PERSON} ({EMAIL}) joined {ORG}.",
        f"{OTHER} met {PERSON}.",
    ]
    assert replicas.post(1, "/rehydrate", _rehydrate(handle, "another-task", texts[0])).status_code == 410
    _assert_no_value_escaped(replicas)


def test_concurrent_extensions_from_both_replicas_stay_bijective(replicas: Replicas) -> None:
    start = replicas.post(0, "/scrub", _scrub(f"{PERSON} opened the task.", "race"))
    handle = start.json()["map_handle"]
    names = [f"Person{i:02d} Zed" for i in range(32)]

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=60) as client:
            calls = [
                client.post(
                    f"{replicas.urls[i % 2]}/scrub",
                    json={
                        "task_id": "race",
                        "map_handle": handle,
                        "items": [{"id": "x", "text": f"{n} met {PERSON}."}],
                        "known_entities": {"persons": [n, PERSON]},
                    },
                )
                for i, n in enumerate(names)
            ]
            return list(await asyncio.gather(*calls))

    responses = asyncio.run(burst())
    assert [r.status_code for r in responses] == [200] * len(names), [
        r.text for r in responses if r.status_code != 200
    ]
    scrubbed = [r.json()["items"][0]["scrubbed_text"] for r in responses]
    tokens = [s.split(" met ")[0] for s in scrubbed]
    assert len(set(tokens)) == len(names), "two values were given one token"
    assert all(s.endswith(" met [PERSON_1].") for s in scrubbed), "the shared value changed token"
    for replica in (0, 1):
        back = replicas.post(replica, "/rehydrate", _rehydrate(handle, "race", *scrubbed))
        assert back.status_code == 200, back.text
        assert [i["rehydrated_text"] for i in back.json()["items"]] == [f"{n} met {PERSON}." for n in names]


def test_a_redis_crash_mid_run_is_503_then_recovers_with_every_committed_map(replicas: Replicas) -> None:
    committed: list[tuple[str, str, str, str]] = []  # (task, handle, scrubbed, original) of every 200
    statuses: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def traffic(replica: int) -> None:
        handle: str | None = None
        for turn in range(10_000):
            if stop.is_set():
                return
            task = f"task-{replica}"
            text = f"Turn {turn}: {PERSON} wrote to {EMAIL} about Person{turn} Zed."
            body = _scrub(text, task, handle)
            body["known_entities"] = {**KNOWN, "persons": [PERSON, f"Person{turn} Zed"]}
            r = replicas.post(replica, "/scrub", body)
            with lock:
                statuses.append(r.status_code)
            if r.status_code == 200:
                handle = r.json()["map_handle"]
                with lock:
                    committed.append((task, handle, r.json()["items"][0]["scrubbed_text"], text))

    workers = [threading.Thread(target=traffic, args=(i,)) for i in (0, 1)]
    for w in workers:
        w.start()
    try:
        _wait_for(lambda: len(committed) >= 20)
        replicas.redis.kill()  # kill -9, while both replicas are writing
        for replica in (0, 1):
            ready = replicas.ready(replica)
            assert (ready.status_code, ready.json()["error"], ready.json()["store"]) == (
                503, "store_unavailable", "unavailable",
            )  # fmt: skip
        handle = committed[0][1]
        for path, body in (
            ("/scrub", _scrub(f"{PERSON} again.", "task-0")),
            ("/scrub", _scrub(f"{PERSON} again.", committed[0][0], handle)),
            ("/rehydrate", _rehydrate(handle, committed[0][0], committed[0][2])),
        ):
            r = replicas.post(1, path, body)
            assert (r.status_code, r.json()) == (503, UNAVAILABLE), f"{path} with Redis down: {r.text}"
        _wait_for(lambda: statuses.count(503) >= 4)  # the traffic saw the outage too
        replicas.redis.start()  # same port, same append-only file; the replicas are not restarted
        for replica in (0, 1):
            _wait_for(lambda r=replica: replicas.ready(r).status_code == 200)
        seen = len(committed)
        _wait_for(lambda: len(committed) >= seen + 10)  # both replicas commit again
    finally:
        stop.set()
        for w in workers:
            w.join(30)
    assert set(statuses) <= {200, 503}, f"a store outage must be 503, never {sorted(set(statuses))}"
    for i, (task, handle, scrubbed, original) in enumerate(committed):
        back = replicas.post(i % 2, "/rehydrate", _rehydrate(handle, task, scrubbed))
        assert back.status_code == 200, f"a map that got a 200 was lost in the crash: {back.text}"
        assert back.json()["items"][0]["rehydrated_text"] == original
    _assert_no_value_escaped(replicas)


def test_an_evicting_redis_makes_every_replica_unready_and_refuse(replicas: Replicas) -> None:
    handle = replicas.post(0, "/scrub", _scrub(f"{PERSON} joined.", "t")).json()["map_handle"]
    replicas.redis.client().config_set("maxmemory-policy", "volatile-lru")
    for replica in (0, 1):
        ready = replicas.ready(replica)
        assert (ready.status_code, ready.json()["error"]) == (503, "store_unavailable"), ready.text
        r = replicas.post(replica, "/scrub", _scrub(f"{OTHER} joined.", "t", handle))
        assert (r.status_code, r.json()) == (503, UNAVAILABLE), "a map Redis may evict must not be extended"
    replicas.redis.client().config_set("maxmemory-policy", "noeviction")
    for replica in (0, 1):
        assert replicas.ready(replica).status_code == 200
        assert replicas.post(replica, "/scrub", _scrub(f"{OTHER} joined.", "t", handle)).status_code == 200


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)
