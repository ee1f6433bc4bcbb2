"""Health checks that work with a caller key: /health?ready=1, and the probes we ship using it.

The compose example (docs/compose/compose.yaml) and the Dockerfile HEALTHCHECK are parsed and
their commands run, as written, against a live service that has ``REDACTION_API_KEY`` set:
they pass when it is ready, fail when it is not. The probe is open like /health and says no
more than ready or not: the per-layer report stays behind the key at /ready.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.ports import free_port
from tests.service.processes import service_process

ROOT = Path(__file__).parents[2]
KEY = "probe-test-caller-key-0123456789"


def _compose_probe() -> list[str]:
    compose = yaml.safe_load((ROOT / "docs" / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    test = compose["services"]["gateway"]["healthcheck"]["test"]
    assert test[0] == "CMD", "the probe runs without a shell"
    return list(test[1:])


def _dockerfile_probe() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    (line,) = [row for row in text.splitlines() if row.startswith("HEALTHCHECK")]
    probe: list[str] = json.loads(line.split(" CMD ", 1)[1])
    return probe


PROBES = {"compose": _compose_probe, "dockerfile": _dockerfile_probe}


def _run(probe: list[str], port: int) -> subprocess.CompletedProcess[str]:
    assert probe[0] == "python"
    command = [sys.executable, *(part.replace("127.0.0.1:8787", f"127.0.0.1:{port}") for part in probe[1:])]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
def ready_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    tmp = tmp_path_factory.mktemp("ready")
    port = free_port()
    with service_process(port, tmp / "log", data_dir=str(tmp / "data"), api_key=KEY):
        yield port


@pytest.fixture(scope="module")
def unready_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    # A configured LLM backstop that nothing answers: every ner=auto request would be refused.
    tmp = tmp_path_factory.mktemp("unready")
    port = free_port()
    llm = f"http://127.0.0.1:{free_port()}/v1"
    with service_process(port, tmp / "log", data_dir=str(tmp / "data"), api_key=KEY, llm_base_url=llm):
        yield port


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_shipped_probe_passes_on_a_ready_service_with_a_caller_key(name: str, ready_server: int) -> None:
    result = _run(PROBES[name](), ready_server)
    assert result.returncode == 0, f"{name} healthcheck fails on a ready service: {result.stderr[-500:]}"


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_shipped_probe_fails_on_an_unready_service(name: str, unready_server: int) -> None:
    result = _run(PROBES[name](), unready_server)
    assert result.returncode != 0, f"{name} healthcheck passes on a service that is not ready"


def test_ready_needs_the_key_and_the_open_probe_reveals_only_ready_or_not(
    ready_server: int, unready_server: int
) -> None:
    with httpx.Client() as client:
        assert client.get(f"http://127.0.0.1:{ready_server}/ready").status_code == 401
        up = client.get(f"http://127.0.0.1:{ready_server}/health", params={"ready": "1"})
        assert up.status_code == 200
        assert up.json()["ready"] is True
        assert up.json()["status"] == "ok"
        down = client.get(f"http://127.0.0.1:{unready_server}/health?ready=1")
        assert down.status_code == 503
        assert down.json() == {"error": "ner_unavailable", "status": "not_ready"}, "no layer details"
        # The plain liveness probe is unchanged: up while the process serves.
        assert client.get(f"http://127.0.0.1:{unready_server}/health").status_code == 200
        bad = client.get(f"http://127.0.0.1:{ready_server}/health?ready=maybe")
        assert bad.status_code == 400
        assert bad.json()["error"] == "bad_request"
