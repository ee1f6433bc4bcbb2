"""Engine throughput, and Presidio's pattern recognizers on the same text for comparison.

    .venv/bin/python -m benchmarks.engine            # ~1-2 minutes
    .venv/bin/python -m benchmarks.engine --quick    # smaller corpus, for a smoke run

(a) Rules + dictionary: `redaction.scrub` over a mixed synthetic corpus of >= 5 MB
    (tests/corpus/generate.py, fixed seed), records grouped into agent-sized items and scrubbed
    item by item in one process, each item with its own map and known-entities dictionary.
    Presidio: presidio-analyzer's predefined pattern recognizers for the same PII families
    (e-mail, phone, IP, URL, card, IBAN, US SSN/ABA/bank/passport, KR RRN, date) through an
    `AnalyzerEngine` with the no-op NLP engine (no spaCy: no NER on either side), then the
    spans replaced by hand (no AnonymizerEngine), on a subset of the same items.
(b) A 100k-entry known-entities dictionary: build time, and the scan of 1 MB of text with it.
(c) The map remembers: a later turn of a map of 100 / 1,000 / 10,000 values (names, e-mails),
    the recall dictionary's build time, and a 2 KB turn scrubbed under the map against the same
    turn on a fresh map.
(d) With ``--baseline DIR`` (another checkout, e.g. `git worktree add /tmp/base HEAD~5`): the
    same items scrubbed by both engines, each in its own subprocess, alternated three times;
    before/after figures from one run (on the PII-dense corpus too).
(e) A PII-dense corpus (``--dense-mb``, default 1 MB): records of the same generator that hold
    at least 20 planted values per KB, grouped the same way; with ``--datafog-python PY`` (an
    interpreter of a separate venv with datafog 4.9.0: never a dependency of this project)
    datafog's regex scan + redaction of the same items, in a subprocess, for comparison.
(f) ``--profile``: cProfile of the rules + dictionary scrub of the repo corpus, top 10 by
    cumulative and by own time, for this checkout and (with ``--baseline``) the baseline.

Prints a markdown table and writes benchmarks/out/engine.json. Figures are wall-clock on one
core, with this process's CPU time beside them (steadier on a shared machine); the JSON
records the machine and its load so figures can be compared honestly.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from redaction import KnownEntities, ScrubState, scrub
from tests.corpus.generate import DEFAULT_SEED, iter_records

T = TypeVar("T")
OUT = Path(__file__).resolve().parent / "out" / "engine.json"
RECORDS_PER_ITEM = 8


@dataclass(frozen=True)
class Item:
    text: str
    known_entities: dict[str, list[str]] | None
    size: int  # UTF-8 bytes


def build_items(min_bytes: int, seed: int = DEFAULT_SEED) -> list[Item]:
    """Records concatenated into items (what an agent sends as one `items[]` entry)."""
    items: list[Item] = []
    total = 0
    records = iter_records(None, seed=seed)
    while total < min_bytes:
        batch = [next(records) for _ in range(RECORDS_PER_ITEM)]
        text = "\n\n".join(r.text for r in batch)
        known: dict[str, list[str]] = {}
        for record in batch:
            for field, values in (record.known_entities or {}).items():
                known.setdefault(field, []).extend(values)
        size = len(text.encode("utf-8"))
        items.append(Item(text, known or None, size))
        total += size
    return items


DENSE_PER_KB = 20  # planted values per KB of a record of the PII-dense corpus


def build_dense_items(min_bytes: int, seed: int = DEFAULT_SEED) -> tuple[list[Item], float]:
    """Items of only the records that hold at least `DENSE_PER_KB` planted values per KB
    (contact blocks, memos, JSON records), grouped like `build_items`; and the values per KB
    of the whole corpus."""
    items: list[Item] = []
    total = planted = 0
    records = (
        r for r in iter_records(None, seed=seed) if len(r.spans) * 1000 >= DENSE_PER_KB * len(r.text.encode())
    )
    while total < min_bytes:
        batch = [next(records) for _ in range(RECORDS_PER_ITEM)]
        text = "\n\n".join(r.text for r in batch)
        known: dict[str, list[str]] = {}
        for record in batch:
            planted += len(record.spans)
            for field, values in (record.known_entities or {}).items():
                known.setdefault(field, []).extend(values)
        size = len(text.encode("utf-8"))
        items.append(Item(text, known or None, size))
        total += size
    return items, round(planted * 1000 / total, 1)


def _mb(n: int) -> float:
    return n / 1_000_000


class _Clock:
    """Wall-clock and this process's CPU time since creation."""

    def __init__(self) -> None:
        self.started, self.cpu_started = time.perf_counter(), time.process_time()

    def wall(self) -> float:
        return time.perf_counter() - self.started

    def cpu(self) -> float:
        return time.process_time() - self.cpu_started

    def rates(self, size: int) -> dict[str, float]:
        wall, cpu, mb = self.wall(), self.cpu(), _mb(size)
        return {
            "mb": round(mb, 3),
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "mb_per_s": round(mb / wall, 3),
            "mb_per_cpu_s": round(mb / cpu, 3),
        }


# -- ours ---------------------------------------------------------------------------------------


def bench_ours(items: Sequence[Item]) -> dict[str, Any]:
    for item in items[:20]:  # warm-up: lazy tables (phone metadata, suffix list), regex caches
        scrub(item.text, known_entities=item.known_entities)
    clock = _Clock()
    spans = 0
    for item in items:
        result = scrub(item.text, known_entities=item.known_entities, state=ScrubState())
        spans += result.audit.tier1_dropped + result.audit.tier2_tokenized
    return {"items": len(items), **clock.rates(sum(item.size for item in items)), "spans": spans}


# -- Presidio -----------------------------------------------------------------------------------


def presidio_analyzer(*, phone: bool = True) -> Any:
    """presidio-analyzer with only its predefined pattern recognizers and no NLP model.

    ``phone=False`` leaves out PhoneRecognizer (libphonenumber's matcher over eight regions),
    which takes most of Presidio's time on this corpus: a second figure for context.
    """
    import tldextract
    import tldextract.tldextract

    # EmailRecognizer validates with the module-level extractor, which would try to download
    # the public suffix list: use the bundled snapshot, no cache directory, no network.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        AbaRoutingRecognizer,
        CreditCardRecognizer,
        DateRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        KrRrnRecognizer,
        PhoneRecognizer,
        UrlRecognizer,
        UsBankRecognizer,
        UsPassportRecognizer,
        UsSsnRecognizer,
    )

    recognizers = [
        EmailRecognizer(), IpRecognizer(), UrlRecognizer(), CreditCardRecognizer(), IbanRecognizer(),
        UsSsnRecognizer(), AbaRoutingRecognizer(), UsBankRecognizer(), UsPassportRecognizer(),
        KrRrnRecognizer(), DateRecognizer(), *([PhoneRecognizer()] if phone else []),
    ]  # fmt: skip
    return AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=recognizers),
        nlp_engine=NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}]),
        supported_languages=["en"],
    )


def presidio_scrub(analyzer: Any, text: str) -> str:
    """analyze + replace: overlapping results resolved longest-then-highest-score first."""
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


def bench_presidio(items: Sequence[Item], budget_s: float, *, phone: bool = True) -> dict[str, Any]:
    analyzer = presidio_analyzer(phone=phone)
    for item in items[:3]:
        presidio_scrub(analyzer, item.text)
    clock = _Clock()
    done = size = 0
    for item in items:
        presidio_scrub(analyzer, item.text)
        done += 1
        size += item.size
        if clock.wall() > budget_s:
            break
    return {"items": done, **clock.rates(size)}


# -- 100k-entry dictionary ----------------------------------------------------------------------


def dictionary_100k(seed: int = 7) -> dict[str, list[str]]:
    """70k persons, 20k orgs, 5k funds, 5k e-mails. Names are built from syllables, not taken
    from Faker's pools, so the corpus's own Faker names do not match: the scan then sees
    exactly the mentions planted in it, at a known density."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ran", "tes", "vo", "zu", "pel", "dri", "gan", "sho", "ber", "lin", "tor",
                 "qua", "nex", "fi", "dam", "rue", "sol"]  # fmt: skip

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()

    persons: dict[str, None] = {}
    while len(persons) < 70_000:
        persons[f"{word()} {word()}"] = None
    person_list = list(persons)
    suffixes = ["Holdings", "Capital", "Partners", "Group", "LLC", "Ventures"]
    return {
        "persons": person_list,
        "orgs": [f"{word()} {rng.choice(suffixes)} {i}" for i in range(20_000)],
        "funds": [f"{word()} Growth Fund {i}" for i in range(5_000)],
        "emails": [
            f"{p.replace(' ', '.').lower()}{i}@example.com" for i, p in enumerate(person_list[:5_000])
        ],
    }


def _timed(fn: Callable[[], T], repeat: int) -> tuple[list[float], list[float], T]:
    """(wall-clock times, CPU times, last result) of ``repeat`` calls."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        clock = _Clock()
        value = fn()
        walls.append(clock.wall())
        cpus.append(clock.cpu())
    return walls, cpus, value


def bench_dictionary(items: Sequence[Item], repeat: int) -> dict[str, Any]:
    known = dictionary_100k()
    entries = sum(len(v) for v in known.values())
    build_times, build_cpu, compiled = _timed(lambda: KnownEntities(known), repeat)

    # 1 MB of corpus text with a dictionary mention after every record (~1 per 400 characters).
    rng = random.Random(11)
    names = known["persons"] + known["orgs"]
    paragraphs = [p for item in items for p in item.text.split("\n\n")]
    pieces: list[str] = []
    size = 0
    while size < 1_000_000:
        piece = f"{paragraphs[len(pieces) % len(paragraphs)]} {rng.choice(names)}. "
        pieces.append(piece)
        size += len(piece.encode("utf-8"))
    text = "".join(pieces)
    # The same records without the planted mentions: the automaton's base cost per MB.
    plain = "".join(paragraphs[i % len(paragraphs)] + " " for i in range(len(pieces)))
    plain_times, _, plain_result = _timed(lambda: scrub(plain, known_entities=compiled, detectors=()), repeat)
    dict_times, dict_cpu, result = _timed(lambda: scrub(text, known_entities=compiled, detectors=()), repeat)
    full_times, full_cpu, _ = _timed(lambda: scrub(text, known_entities=compiled), repeat)
    tokens = result.audit.tier2_tokenized
    return {
        "entries": entries, "build_s_best": round(min(build_times), 3),
        "build_s_median": round(statistics.median(build_times), 3),
        "build_cpu_s_best": round(min(build_cpu), 3),
        "text_mb": round(_mb(len(text.encode("utf-8"))), 3), "mentions_tokenized": tokens,
        "scan_dictionary_only_ms_best": round(min(dict_times) * 1000, 1),
        "scan_dictionary_only_cpu_ms_best": round(min(dict_cpu) * 1000, 1),
        "scan_without_planted_mentions_ms_best": round(min(plain_times) * 1000, 1),
        "scan_without_planted_mentions_mb": round(_mb(len(plain.encode("utf-8"))), 3),
        "mentions_without_planted": plain_result.audit.tier2_tokenized,
        "scrub_all_layers_ms_best": round(min(full_times) * 1000, 1),
        "scrub_all_layers_cpu_ms_best": round(min(full_cpu) * 1000, 1),
    }  # fmt: skip


# -- the map remembers ----------------------------------------------------------------------------


def bench_recall(items: Sequence[Item], sizes: Sequence[int] = (100, 1_000, 10_000)) -> list[dict[str, Any]]:
    turn = next(item.text for item in items if 1_500 <= item.size <= 3_000)
    rows = []
    rng = random.Random(5)
    for size in sizes:
        state = ScrubState()
        persons = [f"Given{rng.randrange(10**9)} Family{i}" for i in range(size // 2)]
        emails = [f"person{i}@example{i % 97}.com" for i in range(size - len(persons))]
        scrub(" ".join(persons + emails), known_entities={"persons": persons, "emails": emails}, state=state)
        loaded = state.to_json()
        builds, turns, fresh = [], [], []
        for _ in range(5):
            again = ScrubState.from_json(loaded)
            clock = _Clock()
            again.recall()
            builds.append(clock.wall())
            clock = _Clock()
            scrub(turn, state=again)
            turns.append(clock.wall())
            clock = _Clock()
            scrub(turn, state=ScrubState())
            fresh.append(clock.wall())
        rows.append(
            {
                "map_values": len(state),
                "recall_build_ms": round(statistics.median(builds) * 1000, 2),
                "turn_scrub_ms": round(statistics.median(turns) * 1000, 2),
                "fresh_map_scrub_ms": round(statistics.median(fresh) * 1000, 2),
                "turn_kb": round(len(turn.encode("utf-8")) / 1000, 2),
            }
        )
    return rows


# -- before/after ---------------------------------------------------------------------------------

_TIMER = """
import json, sys, time
from redaction import ScrubState, scrub
items = json.load(open(sys.argv[1], encoding="utf-8"))
for item in items[:20]:
    scrub(item["text"], known_entities=item["known"])
wall, cpu = time.perf_counter(), time.process_time()
for item in items:
    scrub(item["text"], known_entities=item["known"], state=ScrubState())
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
import redaction
print(json.dumps({"wall": wall, "cpu": cpu, "engine": redaction.__file__}))
"""


def bench_before_after(items: Sequence[Item], baseline: Path, rounds: int = 3) -> dict[str, Any]:
    """The same items through this checkout's engine and ``baseline``'s, each in a subprocess
    whose ``sys.path`` starts with that checkout, alternated; best of ``rounds`` for each."""
    import subprocess
    import tempfile

    here = Path(__file__).resolve().parent.parent
    size = sum(item.size for item in items)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "items.json"
        data.write_text(json.dumps([{"text": i.text, "known": i.known_entities} for i in items]))
        runs: dict[str, list[dict[str, Any]]] = {"after": [], "before": []}
        for _ in range(rounds):
            for name, root in (("after", here), ("before", baseline.resolve())):
                env = {**os.environ, "PYTHONPATH": str(root)}
                out = subprocess.run(
                    [sys.executable, "-c", _TIMER, str(data)], env=env, cwd=root, check=True,
                    capture_output=True, text=True,
                ).stdout  # fmt: skip
                runs[name].append(json.loads(out))
    result: dict[str, Any] = {"mb": round(_mb(size), 3), "rounds": rounds}
    for name, got in runs.items():
        assert all(Path(r["engine"]).resolve().is_relative_to(here if name == "after" else baseline.resolve())
                   for r in got), f"the {name} engine was not imported from its checkout"  # fmt: skip
        best = min(got, key=lambda r: r["wall"])
        result[name] = {"mb_per_s": round(_mb(size) / best["wall"], 3),
                        "mb_per_cpu_s": round(_mb(size) / min(r["cpu"] for r in got), 3)}  # fmt: skip
    result["change"] = round(result["after"]["mb_per_s"] / result["before"]["mb_per_s"] - 1, 3)
    return result


_PROFILER = """
import cProfile, json, pstats, sys
from pathlib import Path
from redaction import ScrubState, scrub
items = json.load(open(sys.argv[1], encoding="utf-8"))
for item in items[:20]:
    scrub(item["text"], known_entities=item["known"])
profile = cProfile.Profile()
profile.enable()
for item in items:
    scrub(item["text"], known_entities=item["known"], state=ScrubState())
profile.disable()
rows = [{"function": f"{Path(file).name}:{line}({name})", "calls": calls, "own_s": round(own, 3),
         "cumulative_s": round(cum, 3)}
        for (file, line, name), (_, calls, own, cum, _) in pstats.Stats(profile).stats.items()]
print(json.dumps({key: sorted(rows, key=lambda r: -r[key])[:10] for key in ("cumulative_s", "own_s")}))
"""


def bench_profile(items: Sequence[Item], roots: Mapping[str, Path]) -> dict[str, Any]:
    """cProfile of the scrub of ``items`` by each checkout of ``roots`` (name -> root), each in
    its own subprocess: top 10 functions by cumulative and by own time."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "items.json"
        data.write_text(json.dumps([{"text": i.text, "known": i.known_entities} for i in items]))
        out: dict[str, Any] = {}
        for name, root in roots.items():
            env = {**os.environ, "PYTHONPATH": str(root.resolve())}
            stdout = subprocess.run(
                [sys.executable, "-c", _PROFILER, str(data)], env=env, cwd=root, check=True,
                capture_output=True, text=True,
            ).stdout  # fmt: skip
            out[name] = json.loads(stdout)
    return out


# -- datafog (optional, its own venv) -----------------------------------------------------------

_DATAFOG = """
import json, sys, time
from importlib import metadata
from datafog.engine import redact, scan
texts = json.load(open(sys.argv[1], encoding="utf-8"))
for text in texts[:3]:
    redact(text, scan(text, engine="regex").entities)
wall, cpu = time.perf_counter(), time.process_time()
found = 0
for text in texts:
    entities = scan(text, engine="regex").entities
    found += len(entities)
    redact(text, entities)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "spans": found, "version": metadata.version("datafog")}))
"""


def bench_datafog(items: Sequence[Item], python: Path) -> dict[str, Any]:
    """datafog's regex scan and its token redaction (`datafog.engine.scan(text, engine="regex")`,
    then `redact`) over ``items``, run by ``python``, the interpreter of a venv that has
    datafog (kept out of this project's dependencies)."""
    import subprocess
    import tempfile

    size = sum(item.size for item in items)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "texts.json"
        data.write_text(json.dumps([item.text for item in items]))
        try:
            done = subprocess.run(
                [str(python), "-c", _DATAFOG, str(data)], cwd=tmp, capture_output=True, text=True,
                env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            )  # fmt: skip
        except OSError as exc:
            return {"skipped": f"cannot run {python}: {exc.strerror}"}
    if done.returncode != 0:
        return {"skipped": f"datafog did not run: {done.stderr.strip().splitlines()[-1:] or '?'}"}
    got = json.loads(done.stdout)
    mb = _mb(size)
    return {"version": got["version"], "mb": round(mb, 3), "spans": got["spans"],
            "mb_per_s": round(mb / got["wall"], 3), "mb_per_cpu_s": round(mb / got["cpu"], 3)}  # fmt: skip


# -- report -------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("presidio-analyzer", "faker", "pyahocorasick", "phonenumbers"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def render(report: dict[str, Any]) -> str:
    ours, presidio, dic = report["ours"], report["presidio"], report["dictionary"]
    nophone = report["presidio_without_phone"]
    lines = [
        "| benchmark | wall clock | CPU time | goal |",
        "|---|---|---|---|",
        f"| rules + dictionary scrub, {ours['mb']} MB in {ours['items']} items "
        f"| {ours['mb_per_s']} MB/s | {ours['mb_per_cpu_s']} MB/CPU-s | |",
        f"| Presidio pattern recognizers, analyze + replace, {presidio['mb']} MB "
        f"| {presidio['mb_per_s']} MB/s | {presidio['mb_per_cpu_s']} MB/CPU-s | |",
        f"| ours / Presidio | {report['ratio']}x | {report['ratio_cpu']}x | |",
        f"| Presidio without PhoneRecognizer, {nophone['mb']} MB "
        f"| {nophone['mb_per_s']} MB/s | {nophone['mb_per_cpu_s']} MB/CPU-s | |",
        f"| 100k-entry dictionary build ({dic['entries']} entries) | {dic['build_s_best']} s "
        f"(median {dic['build_s_median']} s) | {dic['build_cpu_s_best']} s | <= 1 s |",
        f"| scan of {dic['text_mb']} MB with it, {dic['mentions_tokenized']} mentions (dictionary only) "
        f"| {dic['scan_dictionary_only_ms_best']} ms | {dic['scan_dictionary_only_cpu_ms_best']} ms "
        "| <= 100 ms |",
        f"| the same records without planted mentions, {dic['scan_without_planted_mentions_mb']} MB, "
        f"{dic['mentions_without_planted']} mentions "
        f"| {dic['scan_without_planted_mentions_ms_best']} ms | | |",
        f"| scrub of the text with mentions, all layers | {dic['scrub_all_layers_ms_best']} ms "
        f"| {dic['scrub_all_layers_cpu_ms_best']} ms | |",
    ]
    lines.append("\n| map values | recall build | 2 KB turn under the map | same turn, fresh map |")
    lines.append("|---:|---:|---:|---:|")
    for row in report["recall"]:
        lines.append(
            f"| {row['map_values']:,} | {row['recall_build_ms']} ms | {row['turn_scrub_ms']} ms "
            f"| {row['fresh_map_scrub_ms']} ms |"
        )
    if "dense" in report:
        dense = report["dense"]
        ours_dense = dense["ours"]
        lines.append(
            f"\nPII-dense corpus ({dense['values_per_kb']} planted values per KB), "
            f"{ours_dense['mb']} MB in {ours_dense['items']} items: rules + dictionary "
            f"{ours_dense['mb_per_s']} MB/s ({ours_dense['mb_per_cpu_s']} MB/CPU-s)"
        )
        datafog = dense.get("datafog")
        if datafog and "skipped" not in datafog:
            lines.append(
                f"datafog {datafog['version']} regex scan + replace, same items: {datafog['mb_per_s']} MB/s "
                f"({datafog['mb_per_cpu_s']} MB/CPU-s); ours / datafog "
                f"{ours_dense['mb_per_s'] / datafog['mb_per_s']:.1f}x "
                f"({ours_dense['mb_per_cpu_s'] / datafog['mb_per_cpu_s']:.1f}x CPU)"
            )
        elif datafog:
            lines.append(f"datafog: {datafog['skipped']}")
    for key, corpus in (("before_after", "repo corpus"), ("before_after_dense", "PII-dense corpus")):
        if key not in report:
            continue
        ba = report[key]
        lines.append(
            f"\nbefore/after, {corpus}, same {ba['mb']} MB, best of {ba['rounds']} alternated subprocess "
            f"runs: before {ba['before']['mb_per_s']} MB/s ({ba['before']['mb_per_cpu_s']} MB/CPU-s), "
            f"after {ba['after']['mb_per_s']} MB/s ({ba['after']['mb_per_cpu_s']} MB/CPU-s), "
            f"change {ba['change'] * 100:+.1f}%"
        )
    for name, top in report.get("profile", {}).items():
        for key, title in (("cumulative_s", "cumulative"), ("own_s", "own time")):
            lines.append(f"\nprofile ({name}), top 10 by {title}:\n")
            lines.append("| function | calls | own s | cumulative s |\n|---|---:|---:|---:|")
            lines.extend(
                f"| `{row['function']}` | {row['calls']} | {row['own_s']} | {row['cumulative_s']} |"
                for row in top[key]
            )
    machine, versions = report["machine"], report["versions"]
    lines.append(
        f"\n{machine['platform']}, {machine['cpus']} CPUs, load average {machine['load_before']} before"
    )
    lines.append(f"Python {versions['python']}, presidio-analyzer {versions['presidio-analyzer']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="engine throughput vs Presidio's pattern recognizers")
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size for our engine (default 5)")
    parser.add_argument("--presidio-seconds", type=float, default=30.0, help="time budget for Presidio")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the dictionary timings")
    parser.add_argument("--quick", action="store_true", help="0.5 MB, 5 s of Presidio, one repetition")
    parser.add_argument("--baseline", type=Path, help="another checkout: before/after in the same run")
    parser.add_argument("--dense-mb", type=float, default=1.0, help="PII-dense corpus size (0: skip it)")
    parser.add_argument(
        "--datafog-python", type=Path,
        help="interpreter of a separate venv with datafog 4.9.0: its regex scan on the dense corpus",
    )  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="cProfile top 10 (and the baseline's)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.mb, args.presidio_seconds, args.repeat = 0.5, 5.0, 1
        args.dense_mb = min(args.dense_mb, 0.25)

    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"generating {args.mb} MB of synthetic items ...", file=sys.stderr)
    items = build_items(int(args.mb * 1_000_000))
    print("scrubbing with redaction ...", file=sys.stderr)
    ours = bench_ours(items)
    print(f"Presidio (up to {args.presidio_seconds:.0f} s) ...", file=sys.stderr)
    presidio = bench_presidio(items, args.presidio_seconds)
    presidio_no_phone = bench_presidio(items, args.presidio_seconds / 3, phone=False)
    print("100k-entry dictionary ...", file=sys.stderr)
    dictionary = bench_dictionary(items, args.repeat)
    print("map recall ...", file=sys.stderr)
    recall = bench_recall(items)
    extra: dict[str, Any] = {}
    dense_items: list[Item] = []
    if args.dense_mb > 0:
        print(f"PII-dense corpus, {args.dense_mb} MB ...", file=sys.stderr)
        dense_items, per_kb = build_dense_items(int(args.dense_mb * 1_000_000))
        dense: dict[str, Any] = {"values_per_kb": per_kb, "ours": bench_ours(dense_items)}
        if args.datafog_python is not None:
            print(f"datafog with {args.datafog_python} ...", file=sys.stderr)
            dense["datafog"] = bench_datafog(dense_items, args.datafog_python)
        else:
            dense["datafog"] = {"skipped": "no --datafog-python (a venv with datafog 4.9.0) given"}
        extra["dense"] = dense
    if args.baseline is not None:
        print(f"before/after against {args.baseline} ...", file=sys.stderr)
        extra["before_after"] = bench_before_after(items, args.baseline)
        if dense_items:
            extra["before_after_dense"] = bench_before_after(dense_items, args.baseline)
    if args.profile:
        print("profiles ...", file=sys.stderr)
        roots = {"this checkout": Path(__file__).resolve().parent.parent}
        if args.baseline is not None:
            roots["baseline"] = args.baseline
        extra["profile"] = bench_profile(items[: max(1, len(items) // 4)], roots)
    report = {
        "ours": ours,
        "presidio": presidio,
        "presidio_without_phone": presidio_no_phone,
        "ratio": round(ours["mb_per_s"] / presidio["mb_per_s"], 1),
        "ratio_cpu": round(ours["mb_per_cpu_s"] / presidio["mb_per_cpu_s"], 1),
        "dictionary": dictionary,
        "recall": recall,
        **extra,
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": _versions(),
        "corpus": {"seed": DEFAULT_SEED, "records_per_item": RECORDS_PER_ITEM},
    }
    print(render(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
