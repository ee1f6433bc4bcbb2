"""Load test of the running service over loopback: ``/scrub`` of 2 KB items and ``/rehydrate``
of a 10 KB reply, at 1, 8 and 64 concurrent clients. Not part of the test suite.

    .venv/bin/python -m benchmarks.service_load                 # wrk if installed, else Python
    .venv/bin/python -m benchmarks.service_load --duration 20 --workers 2 --generator python
    .venv/bin/python -m benchmarks.service_load --stores sqlite,redis   # both, in one run

The server runs as a subprocess (``python -m app.cli serve``) on a temporary data dir, exactly
as deployed: uvicorn (uvloop + httptools when installed), JSON logs at WARNING, every scrub
committing a new encrypted map (``/scrub`` bodies carry no map_handle). ``--stores`` runs the
same load once per map store: SQLite in the data dir, and Redis (a redis-server started here
on 127.0.0.1 with its append-only file on and ``appendfsync always``; the default includes it
whenever ``redis-server`` is installed).
The load generator runs in another process: ``wrk`` with a Lua script when available
(``apt-get install wrk``), else an asyncio + httpx generator (heavier: it competes with the
server for the CPU, so its figures are lower bounds). Latencies are closed-loop (each client
sends its next request when the previous answer arrives). The server's own engine and store
time per request are read from ``/metrics``. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.crypto import new_key
from tests.ports import free_port
from tests.redis_server import REDIS_BINARY, RedisServer

ROOT = Path(__file__).resolve().parents[1]

KNOWN = {
    "persons": ["Jane Doe", "Wei Zhang", "Lars Ødegård"],
    "orgs": ["Acme Holdings", "Blue Harbor Capital"],
    "funds": ["Acme Growth Fund IV"],
}

# A CRM-style note: prose with a realistic density of values (names, e-mail, phone, amounts).
_NOTE = (
    "Call notes, Tuesday. Jane Doe from Acme Holdings called about the follow-on allocation to "
    "Acme Growth Fund IV. She confirmed the commitment of $2,300,000 and asked that the side "
    "letter be sent to jane.doe@example.com before the end of the quarter. Wei Zhang (Blue Harbor "
    "Capital) joined for the second half; he wants the capital call schedule and the fee terms "
    "compared with last year's vintage. Action items: legal to review the MFN clause, finance to "
    "reconcile the wire, and Ms. Doe to confirm her availability for the annual meeting. Her direct "
    "line is +1 415 555 0134. General discussion covered portfolio construction, the pacing model, "
    "and how the team thinks about concentration risk in late-stage rounds. "
)


def two_kb_item() -> str:
    text = (_NOTE * 4)[:2048]
    return text[: text.rfind(" ")]


def ten_kb_reply() -> str:
    sentence = "Per [PERSON_1] at [ORG_1], the [AMOUNT_1] commitment to [FUND_1] stands; write to [EMAIL_1]. "
    filler = "The committee discussed pacing, fees and the schedule of capital calls in some detail. "
    out = ""
    while len(out) < 10_240:
        out += sentence + filler
    return out[:10_240]


@dataclass
class Result:
    store: str
    route: str
    clients: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float  # server CPU (all its processes) per request
    engine_ms: float  # server-side mean engine time per request (wall, in the worker thread)
    store_ms: float  # server-side mean store time per request (wall, in the worker thread)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- wrk ------------------------------------------------------------------------------------------

_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(
    url: str, body: bytes, clients: int, duration: float, workdir: Path
) -> tuple[int, float, float, float, int]:
    body_file = workdir / "body.json"
    body_file.write_bytes(body)
    script = workdir / "post.lua"
    script.write_text(_LUA)
    cmd = [
        "wrk",
        "-t1",
        f"-c{clients}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "BENCH_BODY": str(body_file)}, check=True
    )
    match = re.search(r"RESULT (\{.*\})", out.stdout)
    if match is None:
        raise RuntimeError(f"wrk gave no result: {out.stdout[-500:]} {out.stderr[-500:]}")
    r = json.loads(match.group(1))
    return r["requests"], r["duration_us"] / 1e6, r["p50_us"] / 1e3, r["p99_us"] / 1e3, r["errors"]


# -- Python fallback (run in its own process) -------------------------------------------------------


async def _python_load(url: str, body: bytes, clients: int, duration: float) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        stop = time.perf_counter() + duration

        async def one_client() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                started = time.perf_counter()
                r = await client.post(url, content=body, headers={"content-type": "application/json"})
                latencies.append(time.perf_counter() - started)
                errors += r.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
        "errors": errors,
    }


def run_python(
    url: str, body: bytes, clients: int, duration: float, workdir: Path
) -> tuple[int, float, float, float, int]:
    body_file = workdir / "body.json"
    body_file.write_bytes(body)
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.service_load",
        "--generate",
        url,
        str(body_file),
        str(clients),
        str(duration),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["requests"], r["seconds"], r["p50_ms"], r["p99_ms"], r["errors"]


def _measure(
    store: str,
    workdir: Path,
    args: argparse.Namespace,
    levels: list[int],
    generate: Callable[[str, bytes, int, float, Path], tuple[int, float, float, float, int]],
    item: str,
    reply: str,
) -> list[Result]:
    """The whole load (both routes, every level) against one server on ``store``."""
    workdir.mkdir(parents=True)
    with ExitStack() as stack:
        settings: dict[str, str] = {}
        if store == "redis":
            if REDIS_BINARY is None:
                raise SystemExit("--stores redis needs redis-server (apt-get install redis-server)")
            redis = RedisServer(workdir / "redis", binary=REDIS_BINARY)
            redis.start()
            stack.callback(redis.kill)
            settings = {"REDACTION_STORE_URL": redis.url, "REDACTION_MAP_KEY": new_key()}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(workdir / "data", port, args.workers, workdir / "server.log", settings)
        stack.callback(proc.wait, 30)
        stack.callback(proc.terminate)
        headers = {"content-type": "application/json"}
        scrub_body = json.dumps(
            {"task_id": "bench", "items": [{"id": "note", "text": item}], "known_entities": KNOWN,
             "ner": "rules_only"}
        ).encode()  # fmt: skip
        httpx.post(f"{base}/scrub", content=scrub_body, headers=headers).raise_for_status()
        seed = json.dumps(
            {"task_id": "bench", "items": [{"id": "seed", "text": item + " Amount: $2,300,000."}],
             "known_entities": KNOWN, "ner": "rules_only", "bucket": {"amounts": False}}
        ).encode()  # fmt: skip
        handle = httpx.post(f"{base}/scrub", content=seed, headers=headers).json()["map_handle"]
        rehydrate_body = json.dumps(
            {"task_id": "bench", "map_handle": handle, "items": [{"id": "reply", "text": reply}],
             "strict": False}
        ).encode()  # fmt: skip
        httpx.post(f"{base}/rehydrate", content=rehydrate_body, headers=headers).raise_for_status()

        generate(f"{base}/scrub", scrub_body, 8, 2.0, workdir)  # warm-up
        results: list[Result] = []
        for route, body in (("/scrub", scrub_body), ("/rehydrate", rehydrate_body)):
            for clients in levels:
                before = httpx.get(f"{base}/metrics").text
                cpu = _tree_cpu_seconds(proc.pid)
                n, seconds, p50, p99, errors = generate(
                    f"{base}{route}", body, clients, args.duration, workdir
                )
                cpu_ms = (_tree_cpu_seconds(proc.pid) - cpu) / max(n, 1) * 1e3
                engine_ms, store_ms = _server_means(before, httpx.get(f"{base}/metrics").text, route)
                results.append(
                    Result(store, route, clients, n, seconds, p50, p99, errors, cpu_ms, engine_ms, store_ms)
                )
        return results


# -- server ------------------------------------------------------------------------------------------


def start_server(
    data_dir: Path, port: int, workers: int, log: Path, settings: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(REDACTION_DATA_DIR=str(data_dir), REDACTION_LOG_LEVEL="WARNING", **(settings or {}))
    cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def _metric(text: str, name: str, labels: str = "") -> tuple[float, float]:
    """(sum, count) of a histogram in the exposition text; zeros when absent."""
    total = re.search(rf"^{name}_sum{re.escape(labels)} (\S+)$", text, re.M)
    count = re.search(rf"^{name}_count{re.escape(labels)} (\S+)$", text, re.M)
    return (float(total.group(1)) if total else 0.0, float(count.group(1)) if count else 0.0)


def _server_means(before: str, after: str, route: str) -> tuple[float, float]:
    """Mean engine and store milliseconds per request between two /metrics snapshots."""
    if route == "/scrub":
        engine = ("redaction_scrub_seconds", "")
        store = ("redaction_store_seconds", '{op="create"}')
    else:
        return float("nan"), float("nan")
    out = []
    for name, labels in (engine, store):
        s0, c0 = _metric(before, name, labels)
        s1, c1 = _metric(after, name, labels)
        out.append((s1 - s0) / (c1 - c0) * 1e3 if c1 > c0 else float("nan"))
    return out[0], out[1]


def _tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children (uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if int(entry.name) == pid or ppid == pid:
            total += (utime + stime) / tick
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--clients", default="1,8,64", help="comma-separated concurrency levels")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--stores", default="", help="comma-separated: sqlite, redis (default: both when redis-server exists)"
    )
    parser.add_argument(
        "--generate", nargs=4, metavar=("URL", "BODY", "CLIENTS", "SECONDS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    if args.generate:  # the Python load generator's own process
        url, body_path, clients, seconds = args.generate
        result = asyncio.run(_python_load(url, Path(body_path).read_bytes(), int(clients), float(seconds)))
        print(json.dumps(result))
        return 0

    use_wrk = args.generator == "wrk" or (args.generator == "auto" and shutil.which("wrk"))
    generate = run_wrk if use_wrk else run_python
    levels = [int(c) for c in args.clients.split(",")]
    stores = args.stores.split(",") if args.stores else ["sqlite", *(["redis"] if REDIS_BINARY else [])]

    item, reply = two_kb_item(), ten_kb_reply()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="redaction-bench-") as tmp:
        for store in stores:
            print(f"{store} ...", flush=True)
            results += _measure(store, Path(tmp) / store, args, levels, generate, item, reply)

    print(
        f"\nredaction-gateway load, {os.cpu_count()} CPUs, {args.workers} worker(s), "
        f"generator: {'wrk' if use_wrk else 'python (asyncio + httpx)'}, {args.duration:.0f} s per row\n"
    )
    print(
        f"/scrub item: {len(item.encode())} bytes, ner=rules_only, a new encrypted map committed per request"
    )
    print(f"/rehydrate item: {len(reply.encode())} bytes, {reply.count('[')} tokens\n")
    print(
        "| store | route | clients | requests/s | p50 ms | p99 ms | errors "
        "| CPU ms/req | engine ms | store ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.store} | `{r.route}` | {r.clients} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
            f"| {r.errors} "
            f"| {r.cpu_ms:.2f} | {r.engine_ms:.2f} | {r.store_ms:.2f} |"
        )
    print(
        "\nCPU ms/req: CPU time of the server's processes per answered request (its inverse times "
        "the cores is the throughput ceiling). engine/store ms: server-side wall time per /scrub in the "
        "worker thread (GIL waits included)."
    )
    if args.workers > 1:
        print("With several workers, engine/store means come from whichever worker answered /metrics.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
