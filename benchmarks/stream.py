"""Streaming rehydration: per-chunk latency by map size, and time to first rehydrated byte.

    .venv/bin/python -m benchmarks.stream            # ~30 s
    .venv/bin/python -m benchmarks.stream --quick    # fewer repetitions, for a smoke run

(a) Engine: `StreamRehydrator.feed` per chunk, over a Claude-like reply (a placeholder about
    every 60 characters, each drawn from the whole map) cut into random 2-24 character deltas,
    so placeholders are split at every offset. Maps of 10, 1,000, 10,000 (and 100,000) entries
    built by `redaction.scrub`, read through the same read-only view the service uses.
(b) Service: one WebSocket per map size on the running gateway (a subprocess, exactly as
    deployed: ``python -m app.cli serve``, uvicorn, JSON logs at WARNING); per chunk the round
    trip of one ``delta`` frame that completes a placeholder to its rehydrated ``delta``
    frame, beside the same round trip for a chunk without placeholders (the transport alone).
(c) Time to first rehydrated byte: `GatewayClient.rehydrate_stream` (socket opened at the
    first delta) vs ``POST /rehydrate`` of the whole reply once its last delta has arrived;
    with the reply arriving at a model's pace (one delta every ``--pace-ms``) and with the
    whole reply available at once (the transport overhead alone).

Prints markdown tables and writes benchmarks/out/stream.json (with the machine and its load).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from app.client import GatewayClient
from redaction import ScrubState, StreamRehydrator, rehydrate, scrub

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "stream.json"
SIZES = (10, 1_000, 10_000)
SEED = 20260102
WORDS = ("the", "fund", "update", "for", "next", "quarter", "is", "attached", "and", "we", "should", "review")


def emails(n: int) -> str:
    """A text holding ``n`` distinct e-mail addresses: scrubbed, a map of ``n`` entries."""
    return ", ".join(f"analyst.{i}@example-{i % 97}.com" for i in range(n))


def reply(entries: int, chars: int, rng: random.Random) -> str:
    """A Claude-like reply in placeholders: prose with one ``[EMAIL_k]`` every ~60 characters."""
    out: list[str] = []
    size = 0
    while size < chars:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10)))
        piece = f"{words} [EMAIL_{rng.randint(1, entries)}], "
        out.append(piece)
        size += len(piece)
    return "".join(out)


def cut(text: str, rng: random.Random, low: int = 2, high: int = 24) -> list[str]:
    pieces = []
    at = 0
    while at < len(text):
        step = rng.randint(low, high)
        pieces.append(text[at : at + step])
        at += step
    return pieces


def quantiles(samples_us: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples_us)
    return {
        "median_us": round(statistics.median(ordered), 2),
        "p99_us": round(ordered[int(len(ordered) * 0.99) - 1], 2),
        "max_us": round(ordered[-1], 2),
        "mean_us": round(statistics.fmean(ordered), 2),
        "samples": len(ordered),
    }


# -- (a) engine -------------------------------------------------------------------------------


def engine_per_chunk(entries: int, repeat: int) -> dict[str, Any]:
    state = ScrubState()
    result = scrub(emails(entries), state=state)
    assert len(state) == entries, f"expected a map of {entries}, got {len(state)}"
    token_map = state.token_map
    rng = random.Random(SEED + entries)
    text = reply(entries, 20_000, rng)
    chunks = cut(text, rng)
    expected = rehydrate(text, token_map)
    samples: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(repeat):
        stream = StreamRehydrator(token_map, strict=True)
        out = []
        for chunk in chunks:
            began = clock()
            piece = stream.feed(chunk)
            samples.append((clock() - began) / 1000)
            out.append(piece)
        out.append(stream.close())
        assert "".join(out) == expected, "the stream must equal batch rehydrate"
    del result
    mean_chunk = statistics.fmean(len(c) for c in chunks)
    return {"entries": entries, "mean_chunk_chars": round(mean_chunk, 1), **quantiles(samples)}


# -- the service ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(
        REDACTION_DATA_DIR=str(data_dir), REDACTION_LOG_LEVEL="WARNING", REDACTION_SPACY_ENABLED="false"
    )
    cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
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


def make_map(client: GatewayClient, entries: int, task_id: str) -> str:
    scrubbed = client.scrub(emails(entries), task_id=task_id, ner="rules_only")
    assert scrubbed.stats.tier2_tokenized == entries
    return scrubbed.map_handle


def ws_round_trips(url: str, task_id: str, handle: str, entries: int, n: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    with_token: list[float] = []
    plain: list[float] = []
    with connect(url.replace("http://", "ws://") + "/rehydrate/stream", max_size=None) as ws:
        ws.send(json.dumps({"type": "start", "task_id": task_id, "map_handle": handle}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "ready"}
        for i in range(n * 2):
            if i % 2:
                frame = json.dumps({"type": "delta", "text": f"see [EMAIL_{rng.randint(1, entries)}] "})
                bucket = with_token
            else:
                frame = json.dumps({"type": "delta", "text": "and the fund update "})
                bucket = plain
            began = time.perf_counter_ns()
            ws.send(frame)
            answer = json.loads(ws.recv(timeout=10))
            bucket.append((time.perf_counter_ns() - began) / 1000)
            assert answer["type"] == "delta", answer
        ws.send('{"type":"end"}')
        done = json.loads(ws.recv(timeout=10))
        assert done["type"] == "done", done
        assert done["stats"]["tokens_substituted"] == n, done
    return {
        "entries": entries,
        "with_placeholder": quantiles(with_token),
        "no_placeholder": quantiles(plain),
    }


def paced(deltas: Sequence[str], pace_s: float, t0: list[float]) -> Iterator[str]:
    """Yield ``deltas`` as a model would: one every ``pace_s`` seconds (the first at once)."""
    t0.append(time.perf_counter())
    for i, delta in enumerate(deltas):
        if i and pace_s:
            time.sleep(pace_s)
        yield delta


def first_byte(
    client: GatewayClient, task_id: str, handle: str, deltas: Sequence[str], pace_s: float
) -> dict[str, float]:
    t0: list[float] = []
    first = None
    out = []
    for piece in client.rehydrate_stream(paced(deltas, pace_s, t0), task_id=task_id, map_handle=handle):
        if first is None:
            first = time.perf_counter()
        out.append(piece)
    stream_end = time.perf_counter()
    assert first is not None
    # Batch: the reply must be complete before it can be sent.
    t0b: list[float] = []
    whole = "".join(paced(deltas, pace_s, t0b))
    arrived = time.perf_counter()
    batch = client.rehydrate(whole, task_id=task_id, map_handle=handle)
    batch_end = time.perf_counter()
    assert "".join(out) == batch.text, "stream and batch must agree"
    return {
        "stream_first_byte_ms": (first - t0[0]) * 1e3,
        "stream_last_byte_ms": (stream_end - t0[0]) * 1e3,
        "batch_first_byte_ms": (batch_end - t0b[0]) * 1e3,
        "batch_request_ms": (batch_end - arrived) * 1e3,
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}


# -- report -----------------------------------------------------------------------------------


def print_report(report: dict[str, Any]) -> None:
    print("(a) engine: StreamRehydrator.feed per chunk (microseconds)\n")
    print("| map entries | mean chunk | median | p99 | max | samples |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in report["engine"]:
        print(
            f"| {r['entries']:,} | {r['mean_chunk_chars']} chars | {r['median_us']} | {r['p99_us']} | "
            f"{r['max_us']} | {r['samples']:,} |"
        )
    print("\n(b) service: WebSocket round trip per chunk, one socket per map (microseconds)\n")
    print("| map entries | with placeholder: median | p99 | no placeholder: median | p99 |")
    print("|---:|---:|---:|---:|---:|")
    for r in report["websocket"]:
        w, p = r["with_placeholder"], r["no_placeholder"]
        print(f"| {r['entries']:,} | {w['median_us']} | {w['p99_us']} | {p['median_us']} | {p['p99_us']} |")
    t = report["first_byte"]
    print(
        f"\n(c) time to first rehydrated byte (ms, median of {t['runs']} runs): a reply of "
        f"{t['reply_chars']:,} characters in {t['deltas']} deltas, arriving one delta every "
        f"{t['pace_ms']} ms (a model's pace) or all at once\n"
    )
    print("| map entries | paced: stream | paced: batch | at once: stream | at once: batch |")
    print("|---:|---:|---:|---:|---:|")
    for r in t["by_map"]:
        p, u = r["paced"], r["unpaced"]
        print(
            f"| {r['entries']:,} | {p['stream_first_byte_ms']} | {p['batch_first_byte_ms']} | "
            f"{u['stream_first_byte_ms']} | {u['batch_first_byte_ms']} |"
        )
    m = report["machine"]
    load = f"load average {m['load_before']} before, {m['load_after']} after"
    print(f"\n{m['platform']}, {m['cpus']} CPUs, {load}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--pace-ms", type=float, default=10.0, help="model pace for (c) (default 10 ms)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    repeat, trips, runs = (3, 300, 1) if args.quick else (20, 2_000, 3)
    load_before = [round(x, 2) for x in os.getloadavg()]

    engine = [engine_per_chunk(n, repeat) for n in (*SIZES, 100_000)]

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_server(Path(tmp) / "data", port, Path(tmp) / "server.log")
        url = f"http://127.0.0.1:{port}"
        try:
            with GatewayClient(url, timeout=60) as client:
                handles = {n: make_map(client, n, f"bench-{n}") for n in SIZES}
                websocket = [ws_round_trips(url, f"bench-{n}", handles[n], n, trips) for n in SIZES]
                pace = args.pace_ms / 1000
                rng = random.Random(SEED)
                by_map = []
                for n in SIZES:
                    text = reply(n, 2_000, rng)
                    deltas = cut(text, rng, 4, 16)  # ~10 characters: about what Claude streams per event
                    task, handle = f"bench-{n}", handles[n]
                    first_byte(client, task, handle, deltas, 0)  # warm-up
                    paced_runs = [first_byte(client, task, handle, deltas, pace) for _ in range(runs)]
                    unpaced_runs = [first_byte(client, task, handle, deltas, 0) for _ in range(runs * 3)]
                    by_map.append(
                        {"entries": n, "paced": median_of(paced_runs), "unpaced": median_of(unpaced_runs)}
                    )
        finally:
            proc.terminate()
            proc.wait(10)

    report: dict[str, Any] = {
        "engine": engine,
        "websocket": websocket,
        "first_byte": {
            "reply_chars": len(text),
            "deltas": len(deltas),
            "pace_ms": args.pace_ms,
            "runs": runs,
            "by_map": by_map,
        },
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {
            name: metadata.version(name) for name in ("uvicorn", "websockets", "starlette", "httpx")
        },
    }
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
