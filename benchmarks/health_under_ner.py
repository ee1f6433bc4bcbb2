"""``/health`` and small-request latency while a 1 MB ``ner=auto`` scrub runs (issue 13, item 3).

    .venv/bin/python -m benchmarks.health_under_ner              # 1 MB item, spaCy on
    .venv/bin/python -m benchmarks.health_under_ner --mb 0.25 --rounds 1

The service runs as a subprocess (``python -m app.cli serve``) on a temporary data dir, exactly
as deployed, with the embedded spaCy layer on. Once ``/ready`` answers, one client sends a
``/scrub`` of one item of ``--mb`` megabytes of CRM-style prose (names, organisations, places)
with ``ner=auto``; meanwhile a second client calls ``GET /health`` back to back and a third
sends a small ``/scrub`` (one 200-character item, ``ner=rules_only``) back to back. Reported:
the big scrub's wall time and the latency percentiles of both probes over the big scrub's
duration. ``--switch-interval`` runs the server with another GIL switch interval (Python's
default is 0.005 s). Not part of the test suite (timings are never asserted in tests). Prints markdown.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from app.crypto import new_key
from tests.ports import free_port

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]

_FIRST = ["Jane", "Wei", "Maria", "Tomas", "Aiko", "Peter", "Fatima", "Oliver", "Sofia", "Rahul"]
_LAST = ["Doe", "Zhang", "Garcia", "Novak", "Tanaka", "Brown", "Haddad", "Smith", "Rossi", "Mehta"]
_ORGS = ["Acme Holdings", "Blue Harbor Capital", "Northwind Traders", "Globex Corporation"]
_PLACES = ["Boston", "Lisbon", "Osaka", "Nairobi", "Toronto", "Munich"]


def prose(size: int) -> str:
    """Deterministic CRM-style notes of about ``size`` characters, in paragraphs."""
    parts: list[str] = []
    total = i = 0
    while total < size:
        person = f"{_FIRST[i % 10]} {_LAST[(i * 7) % 10]}"
        sentence = (
            f"On call {i}, {person} of {_ORGS[i % 4]} said the team in {_PLACES[i % 6]} will review "
            f"the allocation and send the signed side letter before the quarter closes. "
        )
        parts.append(sentence + ("\n\n" if i % 5 == 4 else ""))
        total += len(parts[-1])
        i += 1
    return "".join(parts)[:size]


# `python -m app.cli serve ...` under the GIL switch interval argv[1].
_WITH_INTERVAL = (
    "import sys; sys.setswitchinterval(float(sys.argv.pop(1))); "
    "from app.cli import main; raise SystemExit(main(sys.argv[1:]))"
)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _probe(url: str, method: str, body: dict[str, object] | None, stop: threading.Event) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        while not stop.is_set():
            started = time.perf_counter()
            response = client.request(method, "/health" if body is None else "/scrub", json=body)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            time.sleep(0.01)
    return times


def _round(url: str, text: str) -> dict[str, float]:
    stop = threading.Event()
    results: dict[str, list[float]] = {}
    small = {"task_id": "small", "items": [{"id": "s", "text": prose(200)}], "ner": "rules_only"}

    def run(name: str, body: dict[str, object] | None, method: str) -> None:
        results[name] = _probe(url, method, body, stop)

    probes = [
        threading.Thread(target=run, args=("health", None, "GET")),
        threading.Thread(target=run, args=("small", small, "POST")),
    ]
    for thread in probes:
        thread.start()
    time.sleep(0.5)
    big = {"task_id": "big", "items": [{"id": "big", "text": text}], "ner": "auto"}
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=600) as client:
        status = client.post("/scrub", json=big).status_code
    wall = time.perf_counter() - started
    stop.set()
    for thread in probes:
        thread.join()
    assert status == 200, f"the big scrub answered {status}"
    health, small_times = results["health"], results["small"]
    return {
        "scrub_s": wall,
        "health_n": len(health),
        "health_p50_ms": _percentile(health, 0.5) * 1000,
        "health_p99_ms": _percentile(health, 0.99) * 1000,
        "health_max_ms": max(health) * 1000,
        "small_n": len(small_times),
        "small_p50_ms": _percentile(small_times, 0.5) * 1000,
        "small_p99_ms": _percentile(small_times, 0.99) * 1000,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the big item in MB (default 1)")
    parser.add_argument("--rounds", type=int, default=1, help="big scrubs to time (default 1)")
    parser.add_argument(
        "--switch-interval", type=float, default=None, help="the server's GIL switch interval in seconds"
    )
    args = parser.parse_args(argv)
    # A timeout's SIGTERM must still stop the server (the finally below), not orphan it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    text = prose(int(args.mb * 1_000_000))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
        env.update(
            REDACTION_DATA_DIR=data, REDACTION_MAP_KEY=new_key(), REDACTION_LOG_LEVEL="WARNING",
            REDACTION_SPACY_ENABLED="true", REDACTION_MAX_BODY_BYTES=str(16 * 1024 * 1024),
            REDACTION_MAX_ITEM_CHARS=str(4_000_000),
        )  # fmt: skip
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
        if args.switch_interval is not None:
            command[1:3] = ["-c", _WITH_INTERVAL, str(args.switch_interval)]
        server = subprocess.Popen(
            command,
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            with httpx.Client(base_url=url) as client:
                while True:
                    try:
                        if client.get("/ready").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if server.poll() is not None or time.monotonic() > deadline:
                        print("the service did not become ready", file=sys.stderr)
                        return 1
                    time.sleep(0.2)
            rows = [_round(url, text) for _ in range(args.rounds)]
        finally:
            server.terminate()
            server.wait(30)
    interval = args.switch_interval if args.switch_interval is not None else sys.getswitchinterval()
    print(f"1 item of {len(text):,} characters, ner=auto (spaCy), {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}, switch interval {interval}\n")  # fmt: skip
    print("| round | scrub s | /health n | p50 ms | p99 ms | max ms | small /scrub n | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for index, row in enumerate(rows, 1):
        print(
            f"| {index} | {row['scrub_s']:.1f} | {row['health_n']:.0f} | {row['health_p50_ms']:.1f} | "
            f"{row['health_p99_ms']:.1f} | {row['health_max_ms']:.1f} | {row['small_n']:.0f} | "
            f"{row['small_p50_ms']:.1f} | {row['small_p99_ms']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
