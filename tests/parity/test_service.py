"""``parity --url URL``: a running service replays the golden corpus byte for byte (§14).

Real servers on 127.0.0.1: the checkout's service (``python -m app.cli serve``) and one whose
engine is a copy with a one-character change to the JWT detector.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import redaction
from app.parity import EXIT_DIFFERS, EXIT_OK, EXIT_USAGE, run_parity
from redaction import golden
from tests.service.processes import free_port, service_process

from .conftest import CopyFactory, mutate, serve_engine

KEY = "parity-test-key-0123456789abcdef0123456789"


def test_the_service_matches_and_needs_its_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port, log = free_port(), tmp_path / "server.log"
    with service_process(port, log, data_dir=str(tmp_path / "data"), api_key=KEY):
        url = f"http://127.0.0.1:{port}"
        health = httpx.get(f"{url}/health").json()
        engine = {"version": redaction.__version__, "fingerprint": redaction.ENGINE_FINGERPRINT}
        assert health["engine"] == engine

        status = run_parity(None, url, KEY)
        out = capsys.readouterr()
        assert status == EXIT_OK, out.out + out.err
        assert "engine fingerprint: identical" in out.out
        assert "skipped 2 cases that need a scripted NER layer" in out.out

        assert run_parity(None, url, None) == EXIT_USAGE
        assert "set REDACTION_API_KEY" in capsys.readouterr().err
    assert run_parity(None, url, KEY) == EXIT_USAGE, "an unreachable service is a usage error"
    assert "cannot reach the service" in capsys.readouterr().err

    lines = log.read_text(encoding="utf-8")
    sent = [c for c in golden.cases() if not c.get("ner")]
    assert lines.count('"route":"/forget","status":200') == len(sent), "every map the replay made is erased"
    values = {v for e in golden.expected() for v in e["token_map"].values() if len(v) >= 6}
    assert values, "the corpus has tokenized values"
    assert not [v for v in values if v in lines], "a golden value reached the service's log"


def test_a_service_running_a_different_engine_fails(
    tmp_path: Path, engine_copy: CopyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = engine_copy("served")
    mutate(copy / "detectors" / "jwt.py", 'r"(?P<h>eyJ(?<!', 'r"(?P<h>eyX(?<!')
    log, data = tmp_path / "server.log", str(tmp_path / "data")
    with serve_engine(copy.parent, free_port(), log, data_dir=data) as url:
        status = run_parity(None, url, None)
    err = capsys.readouterr().err
    assert status == EXIT_DIFFERS
    assert "jwt (scrubbed[0])" in err, err
    assert "eyJhbGci" not in err, "parity output must name cases, never the texts"
