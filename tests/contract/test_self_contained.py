"""The repository stands on its own: nothing cites documents it does not contain.

Code, docs, tests, requirements and the Makefile cite docs/architecture.md, never the design
notes this project was built from (``DESIGN.md``, ``DESIGN §N``) or files outside the
repository (``../shared/...``). The one exception: the benchmarks run the public PII scorer
when its checkout (``../shared/eval``) happens to sit beside the repository, and say so.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]
FORBIDDEN = re.compile(r"DESIGN\.md|DESIGN §|\.\./shared/(?!eval\b)|MODELS\.md")
OPTIONAL_EVAL = re.compile(r"\.\./shared/eval|shared/eval")
MAY_NAME_THE_SCORER = ("benchmarks/", "Makefile")  # optional, skipped when absent
SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".yaml", ".yml", ".json", ".lock", ""}


def _tracked_and_new_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [ROOT / name for name in listed if Path(name).suffix in SUFFIXES and (ROOT / name).is_file()]


def test_nothing_cites_the_design_notes_or_files_outside_the_repository() -> None:
    offenders = []
    for path in _tracked_and_new_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tests/contract/test_self_contained.py":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            names_the_scorer = OPTIONAL_EVAL.search(line) is not None
            if FORBIDDEN.search(line) or (names_the_scorer and not relative.startswith(MAY_NAME_THE_SCORER)):
                offenders.append(f"{relative}:{number}")
    assert not offenders, f"cite docs/architecture.md instead: {offenders}"


def test_the_detection_benchmark_runs_without_the_public_scorer() -> None:
    source = (ROOT / "benchmarks" / "detection.py").read_text(encoding="utf-8")
    assert 'evals["skipped"]' in source, "make eval must skip the public scorer when it is absent"
