"""The engine's committed identity is what the engine does and is (docs/architecture.md §14).

``ENGINE_FINGERPRINT`` and ``SOURCE_DIGEST`` are constants in redaction/_fingerprint.py,
written by `make golden`; these tests recompute both, so an engine change that skipped
`make golden` fails here (and in every vendoring repository's parity check).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import redaction
from app.parity import isolated_argv
from redaction import golden
from redaction._fingerprint import VERSION
from redaction._identity import source_digest, source_files

from .conftest import mutate

ENGINE = Path(redaction.__file__).resolve().parent
HOW_TO_FIX = "run `make golden` and review the diff of redaction/golden/expected.jsonl"


def test_engine_fingerprint_is_what_the_golden_replay_computes() -> None:
    replayed = golden.dump_jsonl(golden.replay())
    assert golden.fingerprint(replayed) == redaction.ENGINE_FINGERPRINT, f"output changed: {HOW_TO_FIX}"


def test_engine_fingerprint_is_the_sha256_of_the_shipped_expectations() -> None:
    shipped = (ENGINE / "golden" / "expected.jsonl").read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == redaction.ENGINE_FINGERPRINT, HOW_TO_FIX


def test_source_digest_is_the_digest_of_this_source() -> None:
    assert source_digest() == redaction.SOURCE_DIGEST, f"engine source changed: {HOW_TO_FIX}"


def test_source_digest_covers_the_engine_and_nothing_else() -> None:
    files = source_files(ENGINE)
    for engine_file in ("__init__.py", "detectors/email.py", "data/ner_glossary.txt", "py.typed"):
        assert engine_file in files
    excluded = ("_fingerprint.py", "testing.py", "_canaries.py", "pytest_plugin.py")
    assert not [f for f in files if f in excluded or f.startswith("golden/")], "the digest covers the engine"
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]
    assert files == sorted(files)


def test_source_digest_ignores_caches_and_sees_every_byte(tmp_path: Path) -> None:
    copy = tmp_path / "redaction"
    for rel in source_files(ENGINE):
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_bytes((ENGINE / rel).read_bytes())
    assert source_digest(copy) == source_digest(ENGINE)
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"junk")
    (copy / "_fingerprint.py").write_text("ENGINE_FINGERPRINT = 'other'\n")
    assert source_digest(copy) == source_digest(ENGINE), "caches and the digest file itself are excluded"
    email = copy / "detectors" / "email.py"
    email.write_bytes(email.read_bytes().replace(b"\n", b"\r\n", 1))
    assert source_digest(copy) != source_digest(ENGINE), "one changed byte changes the digest"


def test_version_is_the_distribution_version() -> None:
    with (ENGINE.parent / "pyproject.toml").open("rb") as f:
        project_version = tomllib.load(f)["project"]["version"]
    assert project_version == VERSION, f"pyproject's version moved: {HOW_TO_FIX}"
    assert redaction.__version__ == metadata.version("redaction-gateway") == project_version


def test_make_golden_rewrites_the_expectations_and_both_digests(tmp_path: Path) -> None:
    # On a copy of the checkout (engine, script, pyproject) whose JWT detector changed by one
    # character; `python -I -S` so the editable install cannot substitute this checkout's engine.
    shutil.copytree(ENGINE, tmp_path / "redaction", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "scripts").mkdir()
    shutil.copy(ENGINE.parent / "scripts" / "regen_golden.py", tmp_path / "scripts")
    shutil.copy(ENGINE.parent / "pyproject.toml", tmp_path)
    mutate(tmp_path / "redaction" / "detectors" / "jwt.py", 'r"(?P<h>eyJ(?<!', 'r"(?P<h>eyX(?<!')
    script = str(tmp_path / "scripts" / "regen_golden.py")
    code = f"import runpy; runpy.run_path({script!r}, run_name='__main__')"

    def regen() -> str:
        argv = isolated_argv([tmp_path], code)
        return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=300).stdout

    first = regen()
    assert "redaction/golden/expected.jsonl: rewritten, 2 of" in first, first
    assert "redaction/_fingerprint.py: rewritten" in first, first
    new_expected = (tmp_path / "redaction" / "golden" / "expected.jsonl").read_bytes()
    constants: dict[str, str] = {}
    exec((tmp_path / "redaction" / "_fingerprint.py").read_text(encoding="utf-8"), constants)
    assert constants["ENGINE_FINGERPRINT"] == hashlib.sha256(new_expected).hexdigest()
    assert constants["ENGINE_FINGERPRINT"] != redaction.ENGINE_FINGERPRINT
    assert constants["SOURCE_DIGEST"] == source_digest(tmp_path / "redaction")
    second = regen()
    assert "expected.jsonl: unchanged" in second, second
    assert "_fingerprint.py: unchanged" in second, second
