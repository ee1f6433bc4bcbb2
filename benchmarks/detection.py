"""Detection quality per failure class of issue 10: leak rates per class and per type, rules-only
and with the embedded spaCy layer, against the issue's targets.

    .venv/bin/python -m benchmarks.run detection            # ~2-3 minutes on 2 cores
    .venv/bin/python -m benchmarks.run detection --quick    # ~15 s

Corpora (in memory, fixed seed): the base synthetic corpus (`tests/corpus/generate.py`, its
families shown as ``base:<family>``) and one generator per class of issue 10
(`tests/corpus/classes.py`: separators, labels, ITIN, MRZ, secrets by context, national ids,
phones, obfuscated e-mails, addresses, URLs, DOB/BIC, multi-turn, NER plain words and names).

Systems: ``rules``: `redaction.scrub` with the record's known entities (the dictionary) and
no NER; ``spacy``: the same plus `app.embedded_ner.EmbeddedNer().propose` as ``ner_fn``, on a
smaller slice of the same records (the model runs at ~20 KB/s). Multi-turn records are scrubbed
turn by turn under one `ScrubState`, known entities in turn 1 only.

Metrics (defined in `tests/corpus/measure.py`): span leak rate (value, separators-removed
ident, street, position and name-word rules), tier-1 leaks, negative records modified,
collateral (non-PII characters replaced in PII records), round trip exactness. When
../shared/eval exists, its scorer also runs on public.jsonl (rules through its
adapter_engine.py, spaCy through benchmarks/eval_adapter_spacy.py) and its OVERALL lines are
printed. Targets (issue 10) are checked and printed as met / NOT met. Writes
benchmarks/out/detection.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.corpus.classes import CLASSES, class_records
from tests.corpus.generate import DEFAULT_SEED, Record, generate
from tests.corpus.measure import Outcome, Summary, run, summarize

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "detection.json"
EVAL = ROOT.parent / "shared" / "eval"
SPACY_ADAPTER = ROOT / "benchmarks" / "eval_adapter_spacy.py"

# (system, metric, ceiling): issue 10's targets on the repo corpus.
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("rules", "tier-1 leak", 0.0),
    ("rules", "EMAIL leak", 0.01),
    ("rules", "PHONE leak", 0.01),
    ("rules", "IP leak", 0.01),
    ("rules", "ADDRESS leak", 0.05),
    ("rules", "negative records modified", 0.02),
    ("spacy", "PERSON leak", 0.12),
    ("spacy", "ORG leak", 0.15),
    ("spacy", "LOC leak", 0.12),
    ("spacy", "negative records modified", 0.08),
    ("spacy", "collateral", 0.03),
)


def _sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"base": 300, "per_class": 60, "spacy_base": 60, "spacy_per_class": 15, "eval_spacy": 100}
    # spaCy runs at ~20 KB/s: ~0.8 MB of corpus plus the 0.5 MB public corpus, about 2 minutes.
    return {"base": 2000, "per_class": 300, "spacy_base": 1000, "spacy_per_class": 200, "eval_spacy": 0}


def corpus(base: int, per_class: int, seed: int) -> tuple[list[Record], list[Record]]:
    """(base records, class records); family "base:<family>" for the first."""
    base_records = [
        Record(r.id, f"base:{r.family}", r.text, r.spans, r.known_entities, r.turns)
        for r in generate(base, seed=seed)
    ]
    class_recs = [r for name in CLASSES for r in class_records(name, per_class, seed=seed)]
    return base_records, class_recs


def _metric(summary: Summary, name: str) -> tuple[float | None, str]:
    """(value, counts) of a target metric."""
    if name == "tier-1 leak":
        t = summary.overall
        return (t.tier1_leaked / t.tier1 if t.tier1 else None), f"{t.tier1_leaked}/{t.tier1}"
    if name == "negative records modified":
        t = summary.overall
        return (
            t.negatives_modified / t.negatives if t.negatives else None
        ), f"{t.negatives_modified}/{t.negatives}"
    if name == "collateral":
        t = summary.overall
        rate = t.collateral_changed / t.collateral_chars if t.collateral_chars else None
        return rate, f"{t.collateral_changed}/{t.collateral_chars} chars"
    kind = name.split()[0]
    typed = summary.by_type.get(kind)
    if typed is None or not typed.spans:
        return None, "0/0"
    return typed.leaked / typed.spans, f"{typed.leaked}/{typed.spans}"


def _pct(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f}%"


def _class_order(summary: Summary) -> list[str]:
    names = [c for c in CLASSES if c in summary.by_class]
    return names + sorted(c for c in summary.by_class if c not in CLASSES)


def render_classes(rules: Summary, spacy: Summary | None) -> list[str]:
    head = (
        "| class | records | spans | leaked | leak | tier-1 leaked | neg. modified | collateral "
        "| round trip |"
    )
    lines = ["### Per class", ""]
    for title, summary in (("rules + dictionary", rules), ("with spaCy", spacy)):
        if summary is None:
            continue
        lines += [f"{title}:", "", head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name in [*_class_order(summary), "ALL"]:
            t = summary.overall if name == "ALL" else summary.by_class[name]
            d = t.as_dict()
            tier1 = f"{t.tier1_leaked}/{t.tier1}" if t.tier1 else "-"
            neg = f"{t.negatives_modified}/{t.negatives}" if t.negatives else "-"
            lines.append(
                f"| {name} | {t.records} | {t.spans} | {t.leaked} | {_pct(d['leak_rate'])} | {tier1} | {neg} "
                f"| {_pct(d['collateral_rate'], 2)} | {_pct(d['roundtrip_exact_rate'])} |"
            )
        lines.append("")
    return lines


def render_types(rules: Summary, spacy: Summary | None, rules_slice: Summary | None) -> list[str]:
    lines = [
        "### Per type",
        "",
        "`rules` on the full corpus; `rules (slice)` and `spaCy` on the slice spaCy ran on.",
        "",
        "| type | spans | leaked | rules | rules (slice) | spaCy |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind in sorted(rules.by_type):
        t = rules.by_type[kind]
        sl = rules_slice.by_type.get(kind) if rules_slice else None
        sp = spacy.by_type.get(kind) if spacy else None
        slice_rate = _pct(sl.as_dict()["leak_rate"]) if sl else "-"
        spacy_rate = _pct(sp.as_dict()["leak_rate"]) if sp else "-"
        rate = _pct(t.as_dict()["leak_rate"])
        lines.append(f"| {kind} | {t.spans} | {t.leaked} | {rate} | {slice_rate} | {spacy_rate} |")
    return [*lines, ""]


def render_overreach(summary: Summary, limit: int = 15) -> list[str]:
    rows = sorted(
        ((k, t) for k, t in summary.by_variant.items() if t.overreach), key=lambda kt: -kt[1].overreach
    )
    if not rows:
        return ["No replacement took non-PII text next to a planted span (overreach 0).", ""]
    lines = ["### Overreach: replacements that took non-PII text next to a span", "",
             "| class/type:variant | spans | overreach |", "|---|---:|---:|"]  # fmt: skip
    lines += [f"| {k} | {t.spans} | {t.overreach} |" for k, t in rows[:limit]]
    return [*lines, ""]


def render_variants(summary: Summary, limit: int = 45) -> list[str]:
    rows = sorted(
        ((k, t) for k, t in summary.by_variant.items() if t.leaked),
        key=lambda kt: (-kt[1].tier1_leaked, -kt[1].leaked / kt[1].spans, kt[0]),
    )
    lines = [
        f"### Leaking variants, rules + dictionary (worst {limit}, tier-1 first)",
        "",
        "| class/type:variant | spans | leaked | example |",
        "|---|---:|---:|---|",
    ]
    for key, t in rows[:limit]:
        example = (summary.examples.get(key) or [""])[0].replace("|", "\\|").replace("\n", "\\n")[:110]
        lines.append(f"| {key} | {t.spans} | {t.leaked} | `{example}` |")
    negatives = [(k, v) for k, v in summary.examples.items() if k.endswith(":negative")]
    if negatives:
        lines += ["", "Negative records modified (examples):", ""]
        for key, outputs in sorted(negatives):
            lines.append(f"- {key}: `{outputs[0][:140].replace(chr(10), ' / ')}`")
    return [*lines, ""]


def check_targets(summaries: dict[str, Summary | None]) -> tuple[list[str], list[dict[str, Any]]]:
    lines = [
        "### Issue 10 targets",
        "",
        "| system | metric | value | target | status |",
        "|---|---|---:|---:|---|",
    ]
    results = []
    for system, name, ceiling in TARGETS:
        summary = summaries.get(system)
        if summary is None:
            value, counts, status = None, "", "not run"
        else:
            value, counts = _metric(summary, name)
            status = "-" if value is None else "met" if value <= ceiling + 1e-12 else "NOT met"
        results.append({"system": system, "metric": name, "value": value, "counts": counts,
                        "target": ceiling, "status": status})  # fmt: skip
        label = "rules + dictionary" if system == "rules" else "with spaCy"
        lines.append(f"| {label} | {name} | {_pct(value, 2)} ({counts}) | <= {_pct(ceiling, 0)} | {status} |")
    return [*lines, ""], results


def run_eval(adapter: Path, limit: int, roundtrip: bool) -> dict[str, Any]:
    """../shared/eval/score.py on public.jsonl with ``adapter``: its header and OVERALL lines."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "score.json"
        cmd = [sys.executable, str(EVAL / "score.py"), "--system", str(adapter), "--corpus",
               str(EVAL / "public.jsonl"), "--json", str(out)]  # fmt: skip
        if limit:
            cmd += ["--limit", str(limit)]
        if not roundtrip:
            cmd.append("--no-roundtrip")
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if proc.returncode != 0 or not out.exists():
            return {"error": (proc.stderr or proc.stdout)[-800:], "seconds": seconds}
        report = json.loads(out.read_text(encoding="utf-8"))
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("==", "OVERALL"))]
    return {
        "lines": lines,
        "overall": report.get("overall"),
        "by_type": report.get("by_type"),
        "limit": limit,
        "seconds": round(seconds, 1),
    }


def _spacy_fn() -> Callable[[str], list[tuple[str, str]]] | str:
    """EmbeddedNer().propose, loaded; or why it is unavailable."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
            from app.embedded_ner import EmbeddedNer

            ner = EmbeddedNer()
            ner.load()
            ner.propose("Warm-up: Alice Example met Bob at Example Corp in Paris.")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return ner.propose


def _timed(records: Sequence[Record], ner_fn: Callable[[str], list[tuple[str, str]]] | None) -> tuple[
        list[Outcome], float]:  # fmt: skip
    started = time.perf_counter()
    outcomes = run(records, ner_fn)
    return outcomes, time.perf_counter() - started


def _spacy_line(info: dict[str, Any]) -> str:
    if "records" not in info:
        return f"spaCy: skipped ({info['skipped']})"
    return (
        f"spaCy: {info['records']} records, {info['chars'] / 1e3:.0f} KB in {info['seconds']}s "
        f"({info['kb_per_s']} KB/s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpora (~15 s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--base", type=int, help="base corpus records (rules)")
    parser.add_argument("--per-class", type=int, help="records per class (rules)")
    parser.add_argument("--spacy-base", type=int, help="base records scrubbed with spaCy")
    parser.add_argument("--spacy-per-class", type=int, help="records per class scrubbed with spaCy")
    parser.add_argument("--no-spacy", action="store_true", help="rules + dictionary only")
    parser.add_argument("--no-eval", action="store_true", help="skip ../shared/eval/score.py")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sizes = _sizes(args.quick)
    for key in ("base", "per_class", "spacy_base", "spacy_per_class"):
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)

    load_before = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    base, classes = corpus(sizes["base"], sizes["per_class"], args.seed)
    gen_s = time.perf_counter() - started
    records = base + classes
    chars = sum(len(r.text) for r in records)
    print(
        f"{len(records)} records ({chars / 1e6:.2f} MB) generated in {gen_s:.1f}s; scrubbing ...",
        file=sys.stderr,
    )
    rules_out, rules_s = _timed(records, None)
    rules = summarize(rules_out)

    spacy: Summary | None = None
    rules_slice: Summary | None = None
    spacy_info: dict[str, Any] = {"skipped": "--no-spacy"} if args.no_spacy else {}
    if not args.no_spacy:
        ner_fn = _spacy_fn()
        if isinstance(ner_fn, str):
            spacy_info = {"skipped": ner_fn}
        else:
            per_class = sizes["spacy_per_class"]
            slice_ids = {r.id for r in base[: sizes["spacy_base"]]}
            counts: dict[str, int] = {}
            for r in classes:
                counts[r.family] = counts.get(r.family, 0) + 1
                if counts[r.family] <= per_class:
                    slice_ids.add(r.id)
            subset = [r for r in records if r.id in slice_ids]
            print(f"spaCy on {len(subset)} records ...", file=sys.stderr)
            spacy_out, spacy_s = _timed(subset, ner_fn)
            spacy = summarize(spacy_out)
            rules_slice = summarize([o for o in rules_out if o.record.id in slice_ids])
            slice_chars = sum(len(r.text) for r in subset)
            spacy_info = {"records": len(subset), "chars": slice_chars, "seconds": round(spacy_s, 1),
                          "kb_per_s": round(slice_chars / 1000 / spacy_s, 1)}  # fmt: skip

    evals: dict[str, Any] = {}
    if args.no_eval:
        evals["skipped"] = "--no-eval"
    elif not (EVAL / "score.py").exists():
        evals["skipped"] = f"{EVAL} not found"
    else:
        print("scorer on public.jsonl (rules) ...", file=sys.stderr)
        evals["rules"] = run_eval(EVAL / "adapter_engine.py", 0, roundtrip=True)
        if spacy is not None:
            print("scorer on public.jsonl (spaCy) ...", file=sys.stderr)
            evals["spacy"] = run_eval(SPACY_ADAPTER, sizes["eval_spacy"], roundtrip=False)

    target_lines, targets = check_targets({"rules": rules, "spacy": spacy})
    lines = [
        f"## Detection per class (issue 10), seed {args.seed}",
        "",
        f"rules + dictionary: {len(records)} records, {chars / 1e6:.2f} MB, scrubbed in {rules_s:.1f}s "
        f"({chars / 1e6 / rules_s:.2f} MB/s incl. matching back); "
        + _spacy_line(spacy_info),
        "",
        *target_lines,
        *render_classes(rules, spacy),
        *render_types(rules, spacy, rules_slice),
        *render_variants(rules),
        *render_overreach(rules),
        "### ../shared/eval/score.py on public.jsonl",
        "",
    ]  # fmt: skip
    if "skipped" in evals:
        lines.append(f"skipped: {evals['skipped']}")
    for system in ("rules", "spacy"):
        result = evals.get(system)
        if not result:
            continue
        if "error" in result:
            lines.append(f"- {system}: scorer failed: {result['error'][-300:]}")
            continue
        scope = f" (first {result['limit']} records, no round trip)" if result["limit"] else ""
        lines.append(f"- {system}{scope}, {result['seconds']}s:")
        lines += [f"      {line}" for line in result["lines"]]
    print("\n".join(lines))

    report = {
        "seed": args.seed,
        "sizes": sizes,
        "targets": targets,
        "rules": {**rules.as_dict(), "seconds": round(rules_s, 2), "records": len(records), "chars": chars},
        "spacy": {**spacy.as_dict(), **spacy_info} if spacy else spacy_info,
        "rules_on_spacy_slice": rules_slice.as_dict() if rules_slice else None,
        "eval": evals,
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
