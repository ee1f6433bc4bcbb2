"""Provider proxy overhead: the gateway in front of a scripted provider vs the provider direct.

    .venv/bin/python -m benchmarks.proxy            # ~60 s
    .venv/bin/python -m benchmarks.proxy --quick    # fewer repetitions, for a smoke run

Both sides in the same run, interleaved request by request, against one scripted provider on
127.0.0.1 (tests/proxy/upstream.py: the same JSON and SSE the real APIs send). The gateway is
a subprocess exactly as deployed (``python -m app.cli serve``, uvicorn, logs at WARNING).

(a) Non-streamed Chat Completions with a 2 KB prompt (names, e-mails, amounts),
    ``X-Redaction-Ner: rules_only``: p50/p99 latency direct and through the gateway, and the
    difference (the issue's goal: < 5 ms added at p50).
(b) Streamed Anthropic Messages: a 2,000-character reply in 400 text deltas. Time to first
    byte, time to first text delta, total, and the added cost per event; with the response
    scan ``off`` and ``tier1`` (the default, which holds back up to 288 characters).
(c) Multi-turn: a 10-turn conversation re-sent in full every turn (spaCy NER on), each turn
    with its map reused (``X-Redaction-Task-Id`` + ``X-Redaction-Map-Handle``) vs a new map
    per turn: gateway time per turn. With the map reused, the NER cache means a turn costs
    its new text only.

Prints markdown tables and writes benchmarks/out/proxy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from tests.ports import free_port
from tests.proxy.upstream import Script, scripted_upstream
from tests.service.processes import service_process

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "proxy.json"

NAMES = ("Maria Lopez", "Jonas Weber", "Aiko Tanaka", "Samuel Osei", "Priya Raman")
ORGS = ("Northwind Capital", "Bluefin Partners", "Lakeside Fund II")


def prompt(chars: int, seed: int = 0) -> str:
    """About ``chars`` characters of business prose with a value every ~80 characters."""
    parts: list[str] = []
    i = seed
    while sum(map(len, parts)) < chars:
        name, org = NAMES[i % len(NAMES)], ORGS[i % len(ORGS)]
        parts.append(
            f"{name} of {org} asked about the Q{i % 4 + 1} allocation of ${(i % 9 + 1) * 125},000; "
            f"reply to {name.split()[0].lower()}.{i}@example.com before the review. "
        )
        i += 1
    return "".join(parts)[:chars]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def bench_json(gw: str, upstream: str, n: int) -> dict[str, Any]:
    body = {"model": "gpt-bench", "messages": [{"role": "user", "content": prompt(2048)}]}
    headers = {"authorization": "Bearer sk-bench", "X-Redaction-Ner": "rules_only"}
    direct: list[float] = []
    proxied: list[float] = []
    with httpx.Client(timeout=30) as c:
        for _ in range(20):  # warm both paths (connections, caches)
            c.post(upstream + "/v1/chat/completions", json=body, headers=headers)
            c.post(gw + "/v1/chat/completions", json=body, headers=headers)
        for _ in range(n):
            t = time.perf_counter()
            r = c.post(upstream + "/v1/chat/completions", json=body, headers=headers)
            direct.append(time.perf_counter() - t)
            t = time.perf_counter()
            r2 = c.post(gw + "/v1/chat/completions", json=body, headers=headers)
            proxied.append(time.perf_counter() - t)
            assert r.status_code == 200, r.text
            assert r2.status_code == 200, r2.text
    scrub_only: list[float] = []
    scrub_body = {
        "task_id": "bench",
        "ner": "rules_only",
        "items": [{"id": "p", "text": body["messages"][0]["content"]}],
    }
    with httpx.Client(timeout=30) as c:
        for _ in range(n):
            t = time.perf_counter()
            c.post(gw + "/scrub", json=scrub_body)
            scrub_only.append(time.perf_counter() - t)
    return {
        "requests": n,
        "prompt_bytes": len(json.dumps(body)),
        "scrub_route_p50_ms": ms(pct(scrub_only, 0.5)),
        "direct_p50_ms": ms(pct(direct, 0.5)), "direct_p99_ms": ms(pct(direct, 0.99)),
        "gateway_p50_ms": ms(pct(proxied, 0.5)), "gateway_p99_ms": ms(pct(proxied, 0.99)),
        "added_p50_ms": ms(pct(proxied, 0.5) - pct(direct, 0.5)),
        "added_p99_ms": ms(pct(proxied, 0.99) - pct(direct, 0.99)),
    }  # fmt: skip


def _stream_once(
    c: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[float, ...]:
    t = time.perf_counter()
    first = first_text = None
    events = 0
    with c.stream("POST", url, json=body, headers=headers) as r:
        for line in r.iter_lines():
            now = time.perf_counter()
            if first is None:
                first = now - t
            if line.startswith("data:") and '"text_delta"' in line:
                events += 1
                if first_text is None:
                    first_text = now - t
    total = time.perf_counter() - t
    return (first or total, first_text or total, total, events)


def bench_stream(gw: str, upstream: str, n: int, deltas: int) -> dict[str, Any]:
    body = {"model": "claude-bench", "max_tokens": 1024, "stream": True,
            "messages": [{"role": "user", "content": prompt(2048)}]}  # fmt: skip
    headers = {"x-api-key": "sk-bench", "anthropic-version": "2023-06-01", "X-Redaction-Ner": "rules_only"}
    rows: dict[str, list[tuple[float, ...]]] = {"direct": [], "gateway": []}
    with httpx.Client(timeout=30) as c:
        for i in range(n + 5):
            d = _stream_once(c, upstream + "/v1/messages", body, headers)
            g = _stream_once(c, gw + "/v1/messages", body, headers)
            if i >= 5:
                rows["direct"].append(d)
                rows["gateway"].append(g)
    out: dict[str, Any] = {"requests": n, "upstream_deltas": deltas}
    for side, values in rows.items():
        out[f"{side}_ttfb_p50_ms"] = ms(statistics.median(v[0] for v in values))
        out[f"{side}_first_text_p50_ms"] = ms(statistics.median(v[1] for v in values))
        out[f"{side}_total_p50_ms"] = ms(statistics.median(v[2] for v in values))
        out[f"{side}_text_events"] = rows[side][-1][3]
    added = out["gateway_total_p50_ms"] - out["direct_total_p50_ms"]
    out["added_total_p50_ms"] = round(added, 3)
    out["added_per_event_us"] = round(added * 1000 / deltas, 1)
    return out


def bench_turns(gw: str, turns: int) -> dict[str, Any]:
    headers = {"authorization": "Bearer sk-bench"}
    result: dict[str, Any] = {}
    with httpx.Client(timeout=120) as c:
        for label, reuse in (("new_map_each_turn", False), ("map_reused", True)):
            messages: list[dict[str, str]] = []
            handle: str | None = None
            per_turn: list[float] = []
            task = f"bench-{label}-{time.time_ns()}"
            for turn in range(turns):
                messages.append({"role": "user", "content": prompt(600, seed=turn * 7 + (1 if reuse else 0))})
                h = dict(headers)
                if reuse:
                    h["X-Redaction-Task-Id"] = task
                    if handle:
                        h["X-Redaction-Map-Handle"] = handle
                t = time.perf_counter()
                r = c.post(gw + "/v1/chat/completions", json={"model": "m", "messages": messages}, headers=h)
                per_turn.append(time.perf_counter() - t)
                assert r.status_code == 200, r.text
                handle = r.headers["x-redaction-map-handle"]
                messages.append(
                    {"role": "assistant", "content": r.json()["choices"][0]["message"]["content"]}
                )
            result[label] = {
                "turn_ms": [ms(s) for s in per_turn],
                "last_turn_chars": sum(len(m["content"]) for m in messages[:-1]),
            }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-spacy", action="store_true", help="skip the multi-turn part (needs spaCy)")
    args = parser.parse_args(argv)
    n = 50 if args.quick else 300
    n_stream = 10 if args.quick else 40
    deltas = 400
    report: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
    }
    with scripted_upstream() as upstream, tempfile.TemporaryDirectory() as tmp:
        reply = "".join(f"Noted, item {i} is fine. " for i in range(200))[:2000]
        upstream.script = Script(text=reply, chunk=len(reply) // deltas)
        for scan in ("off", "tier1"):
            port = free_port()
            settings = {
                "anthropic_upstream": upstream.anthropic_base, "openai_upstream": upstream.openai_base,
                "data_dir": str(Path(tmp) / scan), "log_level": "WARNING", "spacy_enabled": "false",
                "response_scan": scan,
            }  # fmt: skip
            with service_process(port, Path(tmp) / "gw.log", **settings):
                gw = f"http://127.0.0.1:{port}"
                upstream.script = Script(text=None)  # the reply echoes the 2 KB prompt
                report[f"json_rules_only_scan_{scan}"] = bench_json(gw, upstream.url, n)
                upstream.script = Script(text=reply, chunk=len(reply) // deltas)
                report[f"stream_scan_{scan}"] = bench_stream(gw, upstream.url, n_stream, deltas)
        if not args.no_spacy:
            upstream.script = Script(text="Thanks, noted.")
            port = free_port()
            settings = {
                "openai_upstream": upstream.openai_base, "data_dir": str(Path(tmp) / "turns"),
                "log_level": "WARNING", "spacy_enabled": "true",
            }  # fmt: skip
            with service_process(port, Path(tmp) / "gw-turns.log", **settings):
                gw = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 120
                while httpx.get(gw + "/ready").status_code != 200 and time.monotonic() < deadline:
                    time.sleep(0.5)
                report["multi_turn_spacy"] = bench_turns(gw, 5 if args.quick else 10)
    _print(report)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    return 0


def _print(report: dict[str, Any]) -> None:
    print("### (a) non-streamed, 2 KB prompt echoed back, rules_only\n")
    print("| scan | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms | /scrub alone p50 ms |")
    print("|---|---|---|---|---|")
    for scan in ("off", "tier1"):
        j = report[f"json_rules_only_scan_{scan}"]
        print(
            f"| {scan} | {j['direct_p50_ms']} / {j['direct_p99_ms']} | {j['gateway_p50_ms']} / "
            f"{j['gateway_p99_ms']} | **{j['added_p50_ms']}** / {j['added_p99_ms']} "
            f"| {j['scrub_route_p50_ms']} |"
        )
    print()
    print("### (b) streamed, 400 deltas\n")
    print("| scan | path | TTFB ms | first text ms | total ms | text events | added per event µs |")
    print("|---|---|---|---|---|---|---|")
    for scan in ("off", "tier1"):
        s = report[f"stream_scan_{scan}"]
        for side in ("direct", "gateway"):
            per = s["added_per_event_us"] if side == "gateway" else ""
            print(
                f"| {scan} | {side} | {s[f'{side}_ttfb_p50_ms']} | {s[f'{side}_first_text_p50_ms']} "
                f"| {s[f'{side}_total_p50_ms']} | {s[f'{side}_text_events']} | {per} |"
            )
    if "multi_turn_spacy" in report:
        t = report["multi_turn_spacy"]
        print("\n### (c) multi-turn, full history re-sent, spaCy on (ms per turn)\n")
        print("| turn | " + " | ".join(str(i + 1) for i in range(len(t["map_reused"]["turn_ms"]))) + " |")
        print("|---|" + "---|" * len(t["map_reused"]["turn_ms"]))
        for label in ("new_map_each_turn", "map_reused"):
            print(f"| {label} | " + " | ".join(str(round(v, 1)) for v in t[label]["turn_ms"]) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
