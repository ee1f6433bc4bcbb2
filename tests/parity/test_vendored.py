"""``parity --vendored DIR``: a byte-identical copy passes, any drift fails (docs/architecture.md §14).

Each run replays the golden corpus through the copy in a subprocess; a failing mutated copy
is also the proof that the copy, not the installed engine, was the one replayed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.parity import EXIT_DIFFERS, EXIT_OK, EXIT_USAGE, isolated_argv, run_parity

from .conftest import CopyFactory, mutate


def test_a_pristine_copy_passes(engine_copy: CopyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    copy = engine_copy("pristine")
    status = run_parity(copy, None, None)
    out = capsys.readouterr()
    assert status == EXIT_OK, out.out + out.err
    assert "identical on all" in out.out
    assert "source digest: identical" in out.out


def test_a_pattern_changed_by_one_character_fails_naming_the_case(
    engine_copy: CopyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = engine_copy("pattern")
    # A JWT header must start `eyX` instead of `eyJ`: the detector misses every real token.
    mutate(copy / "detectors" / "jwt.py", 'r"(?P<h>eyJ(?<!', 'r"(?P<h>eyX(?<!')
    status = run_parity(copy, None, None)
    err = capsys.readouterr().err
    assert status == EXIT_DIFFERS
    assert "golden cases differ" in err, err
    assert "jwt (scrubbed[0], audit[0])" in err, err
    assert "source digest: differs" in err, err
    assert "changed: detectors/jwt.py" in err, err
    assert "eyJhbGci" not in err, "parity output must name cases and files, never the texts"


def test_a_copy_missing_a_detector_module_fails(
    engine_copy: CopyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = engine_copy("missing")
    (copy / "detectors" / "kr_rrn.py").unlink()
    mutate(copy / "detectors" / "__init__.py", "from .kr_rrn import KrRrnDetector\n", "")
    mutate(copy / "detectors" / "__init__.py", "    KrRrnDetector(),\n", "")
    status = run_parity(copy, None, None)
    err = capsys.readouterr().err
    assert status == EXIT_DIFFERS
    assert "kr-rrn (" in err, err
    assert "missing: detectors/kr_rrn.py" in err, err


def test_a_copy_that_cannot_import_fails(
    engine_copy: CopyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = engine_copy("broken")
    (copy / "detectors" / "kr_rrn.py").unlink()  # still imported by detectors/__init__.py
    status = run_parity(copy, None, None)
    err = capsys.readouterr().err
    assert status == EXIT_DIFFERS
    assert "cannot be imported: ModuleNotFoundError" in err, err


def test_a_source_change_the_corpus_does_not_see_still_fails(
    engine_copy: CopyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = engine_copy("comment")
    path = copy / "detectors" / "iban.py"
    path.write_text(path.read_text(encoding="utf-8") + "# a local tweak\n", encoding="utf-8")
    status = run_parity(copy, None, None)
    out = capsys.readouterr()
    assert status == EXIT_DIFFERS
    assert "identical on all" in out.out, "the outputs are unchanged: only the digest may differ"
    assert "source digest: differs" in out.err, out.err
    assert "changed: detectors/iban.py" in out.err, out.err


def test_the_copy_reports_a_vendored_version(engine_copy: CopyFactory) -> None:
    copy = engine_copy("version")
    code = "import redaction; print(redaction.__file__); print(redaction.__version__)"
    done = subprocess.run(
        isolated_argv([copy.parent], code), capture_output=True, text=True, check=True, timeout=120
    )
    where, version = done.stdout.split()
    assert Path(where).resolve().parent == copy.resolve()
    assert version.endswith("+vendored"), "a copy must not borrow the installed distribution's version"


# fmt: off
USAGE_ERRORS = [
    ([], "give --vendored DIR, --url URL, or both"),
    (["--url", "http://127.0.0.1:9"], "cannot reach the service"),
    (["--vendored", "{nowhere}"], "is not a directory"),
    (["--vendored", "{empty}"], "is not a package"),
    (["--url", "ftp://example.com"], "must start with http"),
    (["--vendored", "redaction"], "this command itself imported the engine from"),
]
# fmt: on


@pytest.mark.parametrize(("argv", "needle"), USAGE_ERRORS)
def test_usage_errors_exit_2(tmp_path: Path, argv: list[str], needle: str) -> None:
    (tmp_path / "empty").mkdir()
    args = [a.format(copy=tmp_path, nowhere=tmp_path / "nowhere", empty=tmp_path / "empty") for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "parity", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
    assert needle in done.stderr, done.stderr
