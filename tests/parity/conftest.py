"""Copies of the engine to vendor, mutate and serve (docs/architecture.md §14).

Every copy is a fresh directory named ``redaction`` (the way a repository vendors it), made
from this checkout without ``__pycache__``; a test mutates its own copy and nothing else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import redaction
from app.parity import isolated_argv

from ..service.processes import running

ENGINE = Path(redaction.__file__).resolve().parent
ROOT = ENGINE.parent

CopyFactory = Callable[[str], Path]


@pytest.fixture
def engine_copy(tmp_path: Path) -> CopyFactory:
    """``engine_copy(name)``: a pristine copy of the engine at ``tmp_path/name/redaction``."""

    def make(name: str) -> Path:
        target = tmp_path / name / "redaction"
        shutil.copytree(ENGINE, target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return make


def mutate(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path`` (fails if the target moved)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"mutation target not found once in {path.name}: update this test"
    path.write_text(text.replace(old, new), encoding="utf-8")


@contextmanager
def serve_engine(engine_parent: Path, port: int, log: Path, **settings: str) -> Iterator[str]:
    """The real service in a subprocess whose ``redaction`` is the copy under ``engine_parent``
    (``python -I -S``: neither the checkout nor the editable install can shadow it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(REDACTION_LOG_LEVEL="INFO", REDACTION_SPACY_ENABLED="false")
    env.update({f"REDACTION_{name.upper()}": value for name, value in settings.items()})
    code = (
        f"import runpy; sys.argv = ['redaction-gateway', 'serve', '--port', '{port}']\n"
        "runpy.run_module('app.cli', run_name='__main__')\n"
    )
    with log.open("ab") as out:
        proc = subprocess.Popen(isolated_argv([engine_parent, ROOT], code), env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    with running(proc, url, log):
        yield url
