"""Start-up failures (issue 13, item 8): the documented exit status and JSON log lines only.

Exit 2: the configuration cannot work (a setting, or a data dir that is a file, unwritable...);
exit 3: the service cannot start serving (the port is taken). Before, a data dir problem was a
Python traceback with exit 1, the mode-tightening warnings were plain text, and
``map_key_created`` was never logged (logging was configured after the key file was made).
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.crypto import new_key
from tests.service.processes import ROOT, free_port

from .conftest import running_server

CANARY_KEY = "Canary-Api-Key-!"  # too short a key would be refused; this one is just invalid text


def _serve(env: dict[str, str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    base.update(REDACTION_SPACY_ENABLED="false", **env)
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", *args],
        env=base, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"a start-up line is not JSON: {line[:200]!r}")
    return proc.returncode, parsed, proc.stderr + proc.stdout


def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root ignores modes: a kernel filesystem refuses instead
        return Path("/sys/redaction-gateway-test/data")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "data"


@pytest.mark.parametrize("case", ["file", "below_a_file", "unwritable"])
def test_an_unusable_data_dir_exits_2_with_a_json_line(tmp_path: Path, case: str) -> None:
    if case == "file":
        data_dir = tmp_path / "data"
        data_dir.write_text("not a directory")
    elif case == "below_a_file":
        (tmp_path / "plain").write_text("x")
        data_dir = tmp_path / "plain" / "data"
    else:
        data_dir = _unwritable(tmp_path)
    status, lines, raw = _serve({"REDACTION_DATA_DIR": str(data_dir), "REDACTION_PORT": str(free_port())})
    assert status == 2, raw
    assert "Traceback" not in raw
    failures = [line for line in lines if line["event"] == "invalid_configuration"]
    assert failures, raw
    assert failures[0]["setting"] == "REDACTION_DATA_DIR"
    assert failures[0]["error"] in ("not_a_directory", "permission_denied"), failures


def test_an_invalid_setting_exits_2_naming_it_never_its_value(tmp_path: Path) -> None:
    status, lines, raw = _serve({"REDACTION_API_KEY": CANARY_KEY + " spaced", "REDACTION_PORT": "99999"})
    assert status == 2
    settings = {line["setting"] for line in lines if line["event"] == "invalid_configuration"}
    assert {"REDACTION_API_KEY", "REDACTION_PORT"} <= settings
    assert CANARY_KEY not in raw


def test_a_taken_port_exits_3(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"REDACTION_DATA_DIR": str(tmp_path / "data"), "REDACTION_MAP_KEY": new_key()}
        status, lines, raw = _serve(env, "--port", str(port))
    assert status == 3, raw
    assert any(line["level"] == "error" for line in lines)


def test_start_up_lines_are_json_and_say_what_happened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)  # whatever the umask
    with running_server(tmp_path, map_key="") as server, httpx.Client(base_url=server.url) as c:
        assert c.head("/health").status_code == 200, "HEAD /health is a liveness probe too"
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        lines = server.log_lines()
    assert all("unparsed" not in line for line in lines), [line for line in lines if "unparsed" in line]
    events = [line["event"] for line in lines]
    assert "data_dir_mode_tightened" in events
    assert "map_key_created" in events
    listening = [line for line in lines if line["event"] == "listening"]
    assert len(listening) == 1, "the listening address is stated once"
    assert listening[0]["host"] == "127.0.0.1"
    assert listening[0]["port"] == server.port
    assert not any("%s" in str(event) or "%d" in str(event) for event in events), "no raw templates"
