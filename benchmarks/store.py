"""Map store backends side by side: SQLite, and Redis with ``appendfsync always`` and
``everysec``; cost per operation and bytes per map entry. Not part of the test suite.

    .venv/bin/python -m benchmarks.store            # ~30 s; needs redis-server (apt-get install redis-server)
    .venv/bin/python -m benchmarks.store --quick

(a) Per operation, one thread, a map of 10 entries (names and e-mails, sealed with AES-GCM):
    ``create`` (a new map), ``extend`` (load, add one entry, compare-and-swap, renew the TTL),
    ``load``: median and p99 microseconds. Then ``create`` from 8 threads at once (the
    service's default worker threads): operations per second.
(b) Redis memory per map: ``MEMORY USAGE`` of a map's keys for maps of 1 to 10,000 entries;
    the slope is the cost of one entry, the intercept the fixed cost of a map.

Each Redis server is started here on 127.0.0.1 (append-only file on, in a temporary
directory). Prints markdown tables and writes benchmarks/out/store.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.crypto import Keyring
from app.store import MapStore, RedisMapStore, SQLiteMapStore, handle_hash
from redaction import ScrubState, scrub
from tests.redis_server import REDIS_BINARY, RedisServer

OUT = Path(__file__).resolve().parent / "out" / "store.json"
BACKENDS = ("sqlite", "redis-always", "redis-everysec")
SIZES = (1, 10, 100, 1_000, 10_000)


def state_of(entries: int, offset: int = 0) -> ScrubState:
    """A map of ``entries``: alternately a person and an e-mail address (values of 12-30 bytes)."""
    state = ScrubState()
    persons = [f"Person{offset + i:05d} Zedlander" for i in range(0, entries, 2)]
    mails = [f"analyst.{offset + i:05d}@example-fund.com" for i in range(1, entries, 2)]
    scrub(" ".join(persons + mails), known_entities={"persons": persons}, state=state)
    return state


@contextmanager
def open_store(backend: str, workdir: Path) -> Iterator[tuple[MapStore, RedisServer | None]]:
    keyring = Keyring(os.urandom(32))
    if backend == "sqlite":
        sqlite = SQLiteMapStore(workdir / "sqlite" / "maps.sqlite3", keyring, ttl_seconds=7200)
        sqlite.open()
        try:
            yield sqlite, None
        finally:
            sqlite.close()
        return
    assert REDIS_BINARY is not None
    server = RedisServer(workdir / backend, binary=REDIS_BINARY, fsync=backend.split("-", 1)[1])
    server.start()
    store = RedisMapStore(server.url, keyring, ttl_seconds=7200, max_connections=16)
    store.open()
    try:
        yield store, server
    finally:
        store.close()
        server.kill()


def _us(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "median_us": statistics.median(samples) * 1e6,
        "p99_us": samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1e6,
    }


def _timed(n: int, op: Callable[[int], object]) -> list[float]:
    out = []
    for i in range(n):
        started = time.perf_counter()
        op(i)
        out.append(time.perf_counter() - started)
    return out


def bench_ops(store: MapStore, n: int) -> dict[str, Any]:
    state = state_of(10)
    handles = [store.create(f"task-{i}", state).handle for i in range(100)]

    def extend(i: int) -> None:
        value = f"Added{i:06d} Person"
        store.extend(
            handles[i % 100],
            f"task-{i % 100}",
            lambda s: scrub(value, known_entities={"persons": [value]}, state=s),
        )

    result = {
        "create": _us(_timed(n, lambda i: store.create(f"t-{i}", state))),
        "extend": _us(_timed(n, extend)),
        "load": _us(_timed(n, lambda i: store.load(handles[i % 100], f"task-{i % 100}"))),
    }
    per_thread = max(1, n // 8)
    barrier = threading.Barrier(8)

    def creator() -> None:
        barrier.wait()
        for i in range(per_thread):
            store.create(f"c-{i}", state)

    threads = [threading.Thread(target=creator) for _ in range(8)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result["create_8_threads_per_s"] = 8 * per_thread / (time.perf_counter() - started)
    return result


def bench_memory(store: RedisMapStore, server: RedisServer) -> dict[str, Any]:
    client = server.client()
    rows = []
    for size in SIZES:
        state = state_of(size, offset=size)
        record = store.create(f"mem-{size}", state)
        tag = "{" + handle_hash(record.handle).hex() + "}"
        map_bytes = client.memory_usage(f"redaction:map:{tag}", samples=0) or 0
        gone_bytes = client.memory_usage(f"redaction:gone:{tag}", samples=0) or 0
        plaintext = len(state.to_json().encode("ascii"))
        rows.append(
            {"entries": size, "map_bytes": map_bytes, "gone_bytes": gone_bytes, "plaintext": plaintext}
        )
    big, small = rows[-1], rows[2]
    per_entry = (big["map_bytes"] - small["map_bytes"]) / (big["entries"] - small["entries"])
    fixed = rows[0]["map_bytes"] + rows[0]["gone_bytes"] - per_entry
    return {"rows": rows, "bytes_per_entry": per_entry, "fixed_bytes_per_map": fixed}


def render(report: dict[str, Any]) -> str:
    lines = [
        f"Map of 10 entries, {report['n']} operations each, one thread (microseconds, median / p99):",
        "",
        "| backend | create | extend | load | create, 8 threads (ops/s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for backend, r in report["ops"].items():
        cells = [f"{r[op]['median_us']:,.0f} / {r[op]['p99_us']:,.0f}" for op in ("create", "extend", "load")]
        lines.append(f"| {backend} | {' | '.join(cells)} | {r['create_8_threads_per_s']:,.0f} |")
    memory = report.get("memory")
    if memory:
        lines += [
            "",
            "Redis memory per map (`MEMORY USAGE`, map key + tombstone key):",
            "",
            "| entries | map key bytes | tombstone key bytes | plaintext JSON bytes |",
            "|---:|---:|---:|---:|",
        ]
        for row in memory["rows"]:
            lines.append(
                f"| {row['entries']:,} | {row['map_bytes']:,} | {row['gone_bytes']:,} "
                f"| {row['plaintext']:,} |"
            )
        lines += [
            "",
            f"Per entry: **{memory['bytes_per_entry']:.0f} bytes**; fixed per map: "
            f"**{memory['fixed_bytes_per_map']:.0f} bytes**.",
        ]
    lines += ["", f"{report['machine']}, load average {report['load_before']} before"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="operations per measurement")
    parser.add_argument("--quick", action="store_true", help="200 operations per measurement")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    n = 200 if args.quick else args.n
    backends = BACKENDS if REDIS_BINARY else ("sqlite",)
    if not REDIS_BINARY:
        print("redis-server not installed: SQLite only (apt-get install redis-server)")
    report: dict[str, Any] = {
        "n": n,
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "ops": {},
    }
    with tempfile.TemporaryDirectory(prefix="redaction-store-bench-") as tmp:
        for backend in backends:
            print(f"{backend} ...", flush=True)
            with open_store(backend, Path(tmp)) as (store, server):
                report["ops"][backend] = bench_ops(store, n)
                if server is not None and backend == "redis-always":
                    assert isinstance(store, RedisMapStore)
                    report["memory"] = bench_memory(store, server)
    print(render(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
