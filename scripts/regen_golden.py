"""Regenerate tests/golden/expected.jsonl from tests/golden/inputs.jsonl (`make golden`).

Run it after an intended change to the engine's output, then review the diff of
expected.jsonl like code: every changed line is a changed scrub.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.golden.golden import EXPECTED, INPUTS, dump_jsonl, load_jsonl, run_all  # noqa: E402


def main() -> int:
    cases = load_jsonl(INPUTS)
    new = dump_jsonl(run_all(cases))
    old = EXPECTED.read_bytes() if EXPECTED.exists() else b""
    if new == old:
        print(f"{EXPECTED.relative_to(ROOT)}: unchanged ({len(cases)} cases)")
        return 0
    EXPECTED.write_bytes(new)
    changed = sum(a != b for a, b in zip(old.splitlines(), new.splitlines(), strict=False))
    changed += abs(len(old.splitlines()) - len(new.splitlines()))
    print(
        f"{EXPECTED.relative_to(ROOT)}: rewritten, {changed} of {len(cases)} cases changed; review the diff"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
