"""Run the ``redaction-gateway`` console script as a subprocess, as a user or CI would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


def _entry_point() -> list[str]:
    script = Path(sys.executable).parent / "redaction-gateway"
    found = str(script) if script.exists() else shutil.which("redaction-gateway")
    assert found, "the redaction-gateway console script must be installed (pip install -e .)"
    return [found]


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(REDACTION_DATA_DIR=str(tmp_path / "data"), COLUMNS="200", NO_COLOR="1")
    return env


@pytest.fixture
def run(clean_env: dict[str, str], tmp_path: Path) -> Run:
    def run(
        *args: str, stdin: str | None = None, cwd: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_entry_point(), *args], input=stdin, capture_output=True, text=True, timeout=120,
            cwd=cwd or tmp_path, env={**clean_env, **env},
        )  # fmt: skip

    return run
