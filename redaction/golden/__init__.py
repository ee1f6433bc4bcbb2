"""The golden corpus, shipped with the engine (docs/architecture.md §14).

`inputs.jsonl` holds the cases, `expected.jsonl` what this engine outputs for each of them
(see `redaction.golden._replay` for both formats). Both are data: the inputs are never
regenerated from Faker, so a Faker upgrade cannot move them, while any change to the
engine's output shows up as a changed line of `expected.jsonl`.

``redaction.ENGINE_FINGERPRINT`` is `fingerprint` of the expected file: the SHA-256 of its
bytes, so ``sha256sum redaction/golden/expected.jsonl`` prints it too. The repository's
``make golden`` rewrites the expected file and the committed digests together.

    >>> from redaction import golden
    >>> golden.replay() == golden.expected()
    True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from .._scrub import scrub
from .._state import ScrubState
from ._replay import dump_jsonl, load_jsonl
from ._replay import run_case as _run_case

__all__ = [
    "cases",
    "dump_jsonl",
    "expected",
    "expected_bytes",
    "fingerprint",
    "inputs_bytes",
    "load_jsonl",
    "replay",
    "run_case",
]


def inputs_bytes() -> bytes:
    """The committed ``inputs.jsonl``."""
    return resources.files(__name__).joinpath("inputs.jsonl").read_bytes()


def expected_bytes() -> bytes:
    """The committed ``expected.jsonl``."""
    return resources.files(__name__).joinpath("expected.jsonl").read_bytes()


def cases() -> list[dict[str, Any]]:
    """The golden cases, in file order."""
    return load_jsonl(inputs_bytes())


def expected() -> list[dict[str, Any]]:
    """The expected record of every case, in the order of `cases`."""
    return load_jsonl(expected_bytes())


def fingerprint(expected_jsonl: bytes) -> str:
    """Hex SHA-256 of an expected file's bytes: the engine's behaviour in one value."""
    return hashlib.sha256(expected_jsonl).hexdigest()


def run_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """Scrub one case with this engine, under one fresh map; the record the expected file holds."""
    return _run_case(case, scrub, ScrubState)


def replay(selected: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Run every case (or ``selected``) through this engine."""
    return [run_case(case) for case in (cases() if selected is None else selected)]
