"""Golden parity: the engine reproduces redaction/golden/expected.jsonl exactly.

Every caller of the engine (service, CLI, CI, vendoring repositories) must get byte-identical
output (docs/architecture.md §2); this pins it. The corpus ships inside the package
(`redaction.golden`, §14), so this reads the very copy `redaction-gateway parity` replays.
The inputs are committed data, not regenerated from Faker.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest

from redaction import golden, rehydrate, residual_tokens

CASES = golden.cases()
EXPECTED_BY_ID = {e["id"]: e for e in golden.expected()}
HOW_TO_FIX = (
    "run `make golden` if this change is intended, and review the diff of redaction/golden/expected.jsonl"
)


def _pretty(obj: Any) -> list[str]:
    return json.dumps(obj, ensure_ascii=True, indent=1).splitlines()


def test_inputs_and_expected_list_the_same_cases() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids in redaction/golden/inputs.jsonl"
    assert ids == [e["id"] for e in golden.expected()], f"golden files out of step: {HOW_TO_FIX}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_output_is_reproduced_exactly(case: dict[str, Any]) -> None:
    expected = EXPECTED_BY_ID.get(case["id"])
    assert expected is not None, f"no expected output for {case['id']}: {HOW_TO_FIX}"
    actual = golden.run_case(case)
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(_pretty(expected), _pretty(actual), "expected", "actual", lineterm="")
        )
        pytest.fail(
            f"engine output changed for golden case {case['id']!r}; {HOW_TO_FIX}\n{diff}", pytrace=False
        )


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_cases_round_trip(case: dict[str, Any]) -> None:
    expected = EXPECTED_BY_ID.get(case["id"])
    if expected is None:
        pytest.skip("no expected output yet")
    items = zip(case["items"], expected["scrubbed"], expected["audit"], strict=True)
    for i, (text, scrubbed, audit) in enumerate(items):
        # A later item may carry tokens the map already issued (multi-turn): those rehydrate to values.
        if (i == 0 or not residual_tokens(text)) and not audit["tier1"] and not audit["descriptive"]:
            assert rehydrate(scrubbed, expected["token_map"]) == text, (
                "round trip must be exact (docs/architecture.md §4)"
            )
