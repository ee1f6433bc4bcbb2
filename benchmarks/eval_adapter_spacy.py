"""Scorer adapter (../shared/eval/score.py) for the engine with the embedded spaCy layer.

Like ../shared/eval/adapter_engine.py (rules + the caller's dictionary), plus
`app.embedded_ner.EmbeddedNer().propose` as ``ner_fn``: what the service runs with spaCy on.

    .venv/bin/python ../shared/eval/score.py --system benchmarks/eval_adapter_spacy.py \\
        --corpus ../shared/eval/public.jsonl --no-roundtrip
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the scorer runs it by path

NAME = "engine+spacy"
_state: dict[str, Any] = {}


class Blocked(Exception):
    """Raised where the system cannot restore the text (tier-1 values are dropped by design)."""


def setup() -> None:
    import redaction
    from app.embedded_ner import EmbeddedNer

    ner = EmbeddedNer()
    ner.load()
    _state["redaction"], _state["ner"] = redaction, ner.propose


def redact(text: str) -> str:
    return str(_state["redaction"].scrub(text, ner_fn=_state["ner"]).text)


def redact_with_entities(text: str, known: dict[str, list[str]]) -> str:
    return str(_state["redaction"].scrub(text, known_entities=known, ner_fn=_state["ner"]).text)


def roundtrip(text: str) -> str:
    r = _state["redaction"]
    scrubbed, token_map, _audit = r.scrub(text, ner_fn=_state["ner"])
    if "[REDACTED:" in scrubbed:
        raise Blocked("tier-1 values are dropped by design")
    return str(r.rehydrate(scrubbed, token_map))
