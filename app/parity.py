"""``redaction-gateway parity``: prove that a vendored engine, or a running service, is this one.

docs/architecture.md §14; docs/vendoring.md is the user's guide. Two checks, one per target:

- ``--vendored DIR``: DIR is a copy of the ``redaction`` package (the directory holding its
  ``__init__.py``). The golden corpus shipped with *this* installation is replayed through
  the copy in a subprocess (`isolated_argv`: ``python -I -S`` with DIR's parent first on
  ``sys.path``, so neither the installed engine nor an editable install's import hook can
  shadow it; the copy's third-party dependencies come from this environment's ``sys.path``).
  The replay code is this installation's ``redaction/golden/_replay.py``, loaded by path: the
  copy only scrubs. Then the copy's source digest is compared with ``redaction.SOURCE_DIGEST``
  (a changed file the corpus does not exercise still fails), naming the files that differ.
- ``--url URL``: every golden case goes to the service's ``POST /scrub`` (``ner=rules_only``,
  API key from ``REDACTION_API_KEY``) and each item's ``scrubbed_text`` and ``tokens_used``
  are compared with the expectations; cases that need a scripted NER layer cannot be sent
  over HTTP and are skipped (and said so). The engine fingerprint the service reports in
  ``GET /health`` must equal ``redaction.ENGINE_FINGERPRINT`` too. Each map a case created is
  erased at once with ``POST /forget``.

Both may be given (the copy is checked first). Exit status: 0 identical; 1 a difference (the
first differing case ids and their count, or which digest differs); 2 a usage error (no
target, DIR not a package, the service unreachable or refusing the key). Output names case
ids, fields and files, never the texts.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

import redaction
from redaction import ENGINE_FINGERPRINT, SOURCE_DIGEST, golden
from redaction._identity import source_digest, source_listing

__all__ = ["EXIT_DIFFERS", "EXIT_OK", "EXIT_USAGE", "isolated_argv", "run_parity"]

EXIT_OK, EXIT_DIFFERS, EXIT_USAGE = 0, 1, 2
_SHOWN = 10  # differing case ids printed before "... and N more"
_TIMEOUT_S = 600.0

# Runs in the child (the copy's parent already first on sys.path): load the installed replay by
# path, scrub every case with the copy, answer one JSON line. Per-case errors: their type only.
_DRIVER = r"""
import importlib, importlib.util, json, sys
job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
spec = importlib.util.spec_from_file_location("_parity_replay", job["replay"])
replay = importlib.util.module_from_spec(spec)
spec.loader.exec_module(replay)
try:
    engine = importlib.import_module(job["name"])
except Exception as exc:
    print(json.dumps({"import_error": f"{type(exc).__name__}: {exc}"}))
    raise SystemExit(0)
records = []
for case in job["cases"]:
    try:
        records.append(replay.run_case(case, engine.scrub, engine.ScrubState))
    except Exception as exc:
        records.append({"id": case["id"], "error": type(exc).__name__})
print(json.dumps({"engine_file": engine.__file__, "records": records}, ensure_ascii=True))
"""


def isolated_argv(front: Sequence[Path], code: str) -> list[str]:
    """``python -I -S -c code`` with ``front`` first on ``sys.path``, then this process's
    ``sys.path`` (third-party packages, without running ``.pth`` import hooks)."""
    paths = [str(p) for p in front] + [p for p in sys.path if p]
    prelude = f"import sys; sys.path[:0] = {paths!r}\n"
    return [sys.executable, "-I", "-S", "-c", prelude + code]


def _say(line: str) -> None:
    print(line, flush=True)


def _fail(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _report_cases(differing: Sequence[tuple[str, str]], total: int, checked: int) -> None:
    shown = ", ".join(f"{case_id} ({what})" for case_id, what in differing[:_SHOWN])
    more = f", ... and {len(differing) - _SHOWN} more" if len(differing) > _SHOWN else ""
    _fail(f"outputs: {len(differing)} of {checked} golden cases differ (corpus: {total}): {shown}{more}")


def _record_diff(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str:
    """Which parts of a case differ: field names and item indexes, never the texts."""
    if "error" in actual:
        return f"raised {actual['error']}"
    parts = []
    for key in ("scrubbed", "audit"):
        exp, got = expected.get(key, []), actual.get(key, [])
        if len(exp) != len(got):
            parts.append(f"{key}: {len(got)} items, expected {len(exp)}")
            continue
        parts += [f"{key}[{i}]" for i, (e, g) in enumerate(zip(exp, got, strict=True)) if e != g]
    if expected.get("token_map") != actual.get("token_map"):
        parts.append("token_map")
    return ", ".join(parts) or "encoding"


# -- --vendored -----------------------------------------------------------------------------------


def _vendored_outputs(package: Path) -> list[tuple[str, str]] | str:
    """Differing (case id, what) pairs of the copy's replay, or a one-line reason it cannot run."""
    cases = golden.cases()
    job = {
        "name": package.name,
        "replay": str(Path(golden.__file__).with_name("_replay.py")),
        "cases": cases,
    }
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and driver; the copy is the input)
            isolated_argv([package.parent], _DRIVER),
            input=json.dumps(job, ensure_ascii=True).encode("ascii"),
            capture_output=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"the replay subprocess did not finish in {_TIMEOUT_S:.0f} s"
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        return f"the replay subprocess failed (exit {done.returncode}): {' | '.join(tail)}"
    answer = json.loads(lines[-1])
    if "import_error" in answer:
        return f"the vendored engine cannot be imported: {answer['import_error']}"
    loaded = Path(answer["engine_file"]).resolve().parent
    if loaded != package.resolve():
        return f"the vendored engine was shadowed: {package.name} was imported from {loaded}"
    expected = {e["id"]: e for e in golden.expected()}
    differing = []
    for record in answer["records"]:
        exp = expected[record["id"]]
        if golden.dump_jsonl([record]) != golden.dump_jsonl([exp]):
            differing.append((record["id"], _record_diff(exp, record)))
    return differing


def _source_report(package: Path) -> list[str]:
    """Lines naming the files of the copy that differ from this installation's engine."""
    theirs = source_listing(package)
    ours = source_listing(Path(redaction.__file__).resolve().parent)
    changed = sorted(rel for rel in theirs.keys() & ours.keys() if theirs[rel] != ours[rel])
    lines = [f"  changed: {rel}" for rel in changed]
    lines += [f"  missing: {rel}" for rel in sorted(ours.keys() - theirs.keys())]
    lines += [f"  extra:   {rel}" for rel in sorted(theirs.keys() - ours.keys())]
    if source_digest() != SOURCE_DIGEST:
        lines.append("  (this installation's own source differs from SOURCE_DIGEST: run `make golden`)")
    return lines


def _check_vendored(directory: Path) -> int:
    package = directory
    if not (package / "__init__.py").is_file() and (directory / "redaction" / "__init__.py").is_file():
        package = directory / "redaction"
    if not (package / "__init__.py").is_file() or not package.name.isidentifier():
        _fail(f"parity: {directory} is not a package (no __init__.py): pass the vendored `redaction/`")
        return EXIT_USAGE
    if package.resolve() == Path(redaction.__file__).resolve().parent:
        # The kit would compare the copy with its own expectations: nothing proven.
        _fail(f"parity: this command itself imported the engine from {package}; run it where")
        _fail("  redaction-gateway is installed and the vendored directory is not on PYTHONPATH")
        return EXIT_USAGE
    _say(f"parity: vendored engine {package} against redaction {redaction.__version__}")
    outputs = _vendored_outputs(package)
    total = len(golden.cases())
    status = EXIT_OK
    if isinstance(outputs, str):
        _fail(f"outputs: {outputs}")
        status = EXIT_DIFFERS
    elif outputs:
        _report_cases(outputs, total, total)
        status = EXIT_DIFFERS
    else:
        _say(f"outputs: identical on all {total} golden cases (engine fingerprint {ENGINE_FINGERPRINT})")
    theirs = source_digest(package)
    if theirs == SOURCE_DIGEST:
        _say(f"source digest: identical ({SOURCE_DIGEST})")
    else:
        _fail(f"source digest: differs (copy {theirs}, expected {SOURCE_DIGEST})")
        for line in _source_report(package):
            _fail(line)
        status = EXIT_DIFFERS
    return status


# -- --url ---------------------------------------------------------------------------------------


def _bucket(value: Any) -> dict[str, bool]:
    if isinstance(value, bool):
        return {"amounts": value, "dates": value}
    spec = value or {}
    return {"amounts": bool(spec.get("amounts", False)), "dates": bool(spec.get("dates", False))}


def _scrub_body(case: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "task_id": f"parity-{case['id']}",
        "actor": "redaction-gateway-parity",
        "items": [{"id": str(i), "text": text} for i, text in enumerate(case["items"])],
        "known_entities": case.get("known_entities") or {},
        "tier1_action": "drop",
        "bucket": _bucket(case.get("bucket")),
        "ner": "rules_only",
    }


class _Unusable(Exception):
    """The service cannot be checked (unreachable, refuses the key): a usage error, exit 2."""


def _service_engine(client: httpx.Client) -> Mapping[str, Any]:
    try:
        r = client.get("/health")
    except httpx.HTTPError as exc:
        raise _Unusable(f"cannot reach the service: {type(exc).__name__}") from None
    if r.status_code != 200:
        raise _Unusable(f"GET /health answered {r.status_code}")
    engine = r.json().get("engine")
    return engine if isinstance(engine, dict) else {}


def _forget(client: httpx.Client, answer: Mapping[str, Any]) -> None:
    """Erase the map the replay created (best effort: a service without ``/forget`` lets it expire)."""
    body = {"task_id": answer.get("task_id"), "map_handle": answer.get("map_handle")}
    with contextlib.suppress(httpx.HTTPError):
        client.post("/forget", json=body)


def _service_case(client: httpx.Client, case: Mapping[str, Any], expected: Mapping[str, Any]) -> str | None:
    """What differs for one case (None when identical)."""
    body = json.dumps(_scrub_body(case), ensure_ascii=True).encode("ascii")
    try:
        r = client.post("/scrub", content=body, headers={"content-type": "application/json"})
    except httpx.HTTPError as exc:
        raise _Unusable(f"cannot reach the service: {type(exc).__name__}") from None
    if r.status_code == 401:
        raise _Unusable("the service refused the API key (401): set REDACTION_API_KEY")
    if r.status_code != 200:
        code = r.json().get("error", "?") if r.headers.get("content-type") == "application/json" else "?"
        return f"HTTP {r.status_code} {code}"
    answer = json.loads(r.content)
    _forget(client, answer)
    items = answer["items"]
    if len(items) != len(expected["scrubbed"]):
        return f"{len(items)} items, expected {len(expected['scrubbed'])}"
    parts = []
    for i, (item, text, audit) in enumerate(zip(items, expected["scrubbed"], expected["audit"], strict=True)):
        if item["scrubbed_text"] != text:
            parts.append(f"scrubbed[{i}]")
        if item["tokens_used"] != [t[1:-1] for t in audit["tokens_used"]]:
            parts.append(f"tokens_used[{i}]")
    return ", ".join(parts) or None


def _check_url(url: str, api_key: str | None) -> int:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    cases = golden.cases()
    expected = {e["id"]: e for e in golden.expected()}
    sendable = [c for c in cases if not c.get("ner")]
    skipped = [c["id"] for c in cases if c.get("ner")]
    differing: list[tuple[str, str]] = []
    with httpx.Client(base_url=url, headers=headers, timeout=60.0) as client:
        engine = _service_engine(client)
        version = engine.get("version", "?")
        _say(f"parity: service {url} (engine {version}) against redaction {redaction.__version__}")
        for case in sendable:
            what = _service_case(client, case, expected[case["id"]])
            if what is not None:
                differing.append((case["id"], what))
    status = EXIT_OK
    if differing:
        _report_cases(differing, len(cases), len(sendable))
        status = EXIT_DIFFERS
    else:
        _say(f"outputs: identical on {len(sendable)} of {len(cases)} golden cases")
    if skipped:
        _say(f"skipped {len(skipped)} cases that need a scripted NER layer: {', '.join(skipped)}")
    reported = engine.get("fingerprint")
    if reported == ENGINE_FINGERPRINT:
        _say(f"engine fingerprint: identical ({ENGINE_FINGERPRINT})")
    else:
        reported = reported or "not reported"
        _fail(f"engine fingerprint: differs (service {reported}, expected {ENGINE_FINGERPRINT})")
        status = EXIT_DIFFERS
    return status


def run_parity(vendored: Path | None, url: str | None, api_key: str | None) -> int:
    """Check ``vendored``, ``url`` or both (the copy first); the exit status: 2 if a check could
    not run, else 1 if any differs, else 0."""
    if vendored is None and url is None:
        _fail("parity: give --vendored DIR, --url URL, or both")
        return EXIT_USAGE
    if vendored is not None and not vendored.is_dir():
        _fail(f"parity: {vendored} is not a directory")
        return EXIT_USAGE
    if url is not None and not url.startswith(("http://", "https://")):
        _fail("parity: --url must start with http:// or https://")
        return EXIT_USAGE
    statuses = []
    if vendored is not None:
        statuses.append(_check_vendored(vendored))
    if url is not None:
        try:
            statuses.append(_check_url(url.rstrip("/"), api_key))
        except _Unusable as exc:
            _fail(f"parity: {exc}")
            statuses.append(EXIT_USAGE)
    return EXIT_USAGE if EXIT_USAGE in statuses else max(statuses)
