"""Golden parity: committed inputs, committed expected outputs, one function between them.

`inputs.jsonl` holds one case a line: ``id``, ``items`` (texts scrubbed in order under one
map), optional ``known_entities``, ``bucket`` and ``ner`` (``[surface, label]`` proposals of
a scripted NER layer). `expected.jsonl` holds, per case, the scrubbed items, the final token
map and a per-item audit summary. Both are data: the inputs are never regenerated from Faker,
so a Faker upgrade cannot move them, while any change to the engine's output shows up here.

Regenerate the expected file with `make golden` (scripts/regen_golden.py) after an intended
change, and review its diff like code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from redaction import ScrubState, scrub

__all__ = ["EXPECTED", "INPUTS", "dump_jsonl", "load_jsonl", "run_all", "run_case"]

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs.jsonl"
EXPECTED = HERE / "expected.jsonl"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def dump_jsonl(records: Iterable[Mapping[str, Any]]) -> bytes:
    """One JSON object a line, readable UTF-8. Lone surrogates (legal in a str, not in UTF-8)
    are written as ``\\uXXXX`` escapes, which json.loads reads back as the same code points."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return text.encode("utf-8", "backslashreplace")


def _ner_fn(proposals: Sequence[Sequence[str]]) -> Any:
    pairs = [(surface, label) for surface, label in proposals]
    return lambda text: [(s, label) for s, label in pairs if s in text]


def run_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """Scrub the case's items in order under one fresh map; what the expected file records."""
    state = ScrubState()
    ner = case.get("ner")
    scrubbed: list[str] = []
    audits: list[dict[str, Any]] = []
    for text in case["items"]:
        result = scrub(
            text,
            known_entities=case.get("known_entities"),
            bucket=case.get("bucket", False),
            state=state,
            ner_fn=_ner_fn(ner) if ner else None,
        )
        scrubbed.append(result.text)
        audits.append(
            {
                "tier1": dict(result.audit.tier1),
                "by_type": dict(result.audit.by_type),
                "tokens_used": list(result.audit.tokens_used),
                "descriptive": result.audit.descriptive,
            }
        )
    return {"id": case["id"], "scrubbed": scrubbed, "token_map": dict(state.token_map), "audit": audits}


def run_all(cases: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    return [run_case(case) for case in (load_jsonl(INPUTS) if cases is None else cases)]
