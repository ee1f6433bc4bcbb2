"""Schemathesis against the live service: every route of /openapi.json, every check.

The service runs as a real process on 127.0.0.1 (tests/service/processes.py) with a caller key,
so the auth checks (ignored_auth) run too. schemathesis.toml names the documented statuses of
requests the schema alone cannot judge; st_hooks.py adds two checks of ours (400s for valid data
are exactly the documented ones; no error body repeats request input). Bounded: a fixed seed,
15 examples per operation plus the stateful phase (under a minute on 2 cores);
REDACTION_CONTRACT_EXAMPLES and REDACTION_CONTRACT_SEED widen or vary the search.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.service.processes import free_port, service_process

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
KEY = "contract-test-caller-key-0123456789"


def test_the_live_service_conforms_to_its_openapi_document(tmp_path: Path) -> None:
    port = free_port()
    examples = os.environ.get("REDACTION_CONTRACT_EXAMPLES", "15")
    seed = os.environ.get("REDACTION_CONTRACT_SEED", "20261204")
    with service_process(port, tmp_path / "server.log", data_dir=str(tmp_path / "data"), api_key=KEY):
        result = subprocess.run(
            [
                sys.executable, "-m", "schemathesis.cli", "--no-color",
                "--config-file", str(HERE / "schemathesis.toml"),
                "run", f"http://127.0.0.1:{port}/openapi.json",
                "--checks", "all",
                "--header", f"Authorization: Bearer {KEY}",
                "--header", f"X-Redaction-Key: {KEY}",  # the provider proxy's routes
                "--max-examples", examples, "--seed", seed, "--workers", "1",
                "--request-timeout", "30", "--output-truncate", "true",
            ],
            cwd=ROOT, env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.contract.st_hooks"},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, f"the service violates its OpenAPI document:\n{report}"
    # Every operation of the document was exercised (routes other modules add are covered too).
    selected = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert selected, report
    assert tested, report
    assert selected[1] == selected[2] == tested[1], f"operations left untested:\n{report}"
