"""The golden replay, written against an engine passed in rather than imported.

It imports nothing from `redaction`, so `redaction-gateway parity --vendored` can load this
very file (by path, in a subprocess) and drive a vendored copy of the engine with it: the
installed kit replays, the copy under test only scrubs. `redaction.golden` binds it to the
engine it ships with.

A case (one line of ``inputs.jsonl``): ``id``, ``items`` (texts scrubbed in order under one
map), optional ``known_entities``, ``bucket`` and ``ner`` (``[surface, label]`` proposals of
a scripted NER layer). A record (one line of ``expected.jsonl``): the scrubbed items, the
final token map and a per-item audit summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["dump_jsonl", "load_jsonl", "run_case"]


def load_jsonl(data: bytes) -> list[dict[str, Any]]:
    """One JSON object a line; blank lines are skipped."""
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def dump_jsonl(records: Iterable[Mapping[str, Any]]) -> bytes:
    """One JSON object a line, readable UTF-8. Lone surrogates (legal in a str, not in UTF-8)
    are written as ``\\uXXXX`` escapes, which json.loads reads back as the same code points."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return text.encode("utf-8", "backslashreplace")


def _ner_fn(proposals: Sequence[Sequence[str]]) -> Callable[[str], list[tuple[str, str]]]:
    pairs = [(surface, label) for surface, label in proposals]
    return lambda text: [(s, label) for s, label in pairs if s in text]


def run_case(
    case: Mapping[str, Any], scrub: Callable[..., Any], new_state: Callable[[], Any]
) -> dict[str, Any]:
    """Scrub the case's items in order under one fresh map with the given engine functions
    (``redaction.scrub`` and ``redaction.ScrubState``); the record ``expected.jsonl`` holds."""
    state = new_state()
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
