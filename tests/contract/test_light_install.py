"""`pip install redaction-gateway` (no extra) gives the engine, the client and the CLI, without FastAPI.

The package is built as a wheel from a copy of the sources, installed into a fresh virtualenv
(not ``--system-site-packages``: nothing of this venv leaks in) with its declared dependencies
only, and exercised in subprocesses: the engine scrubs, the client imports and talks to nothing,
the CLI answers ``--help`` and says that ``serve`` needs the ``[server]`` extra. Dependencies
come from the package index through pip's cache, so a second run is fast; the first needs the
network. It takes about 30 s, so it runs in `make test-packaging` (which .ci/run calls), or
with ``REDACTION_PACKAGING_TESTS=1``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SERVER_ONLY = (
    "fastapi", "starlette", "uvicorn", "pydantic", "pydantic_settings", "spacy", "presidio_analyzer",
    "cryptography", "prometheus_client", "redis",
)  # fmt: skip

pytestmark = pytest.mark.skipif(
    os.environ.get("REDACTION_PACKAGING_TESTS") != "1",
    reason="builds and installs the package (~30 s): `make test-packaging`",
)

PROBE = """
import importlib.util, json, sys
present = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None]
from redaction import scrub
from app.client import GatewayClient, MapExpiredError
result = scrub("Mail jane.doe@example.com, card 4111 1111 1111 1111.")
from importlib.metadata import metadata
out = {"present": present, "text": result.text, "client": GatewayClient.__name__}
out["license"] = metadata("redaction-gateway")["License-Expression"]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def light_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("light")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("redaction", "app"):
        shutil.copytree(ROOT / package, source / package, ignore=ignore)
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
        check=True,
    )
    (wheel,) = dist.glob("redaction_gateway-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True)
    return env_dir


def test_the_engine_and_the_client_work_without_the_server_dependencies(light_venv: Path) -> None:
    import json

    out = subprocess.run(
        [light_venv / "bin" / "python", "-c", PROBE, *SERVER_ONLY],
        check=True, capture_output=True, text=True, cwd=light_venv,
    )  # fmt: skip
    probe = json.loads(out.stdout)
    assert probe["present"] == [], f"the light install pulled in server dependencies: {probe['present']}"
    assert "jane.doe@example.com" not in probe["text"]
    assert "4111" not in probe["text"]
    assert probe["client"] == "GatewayClient"
    assert probe["license"] == "Apache-2.0", "PEP 639 license metadata (LICENSE ships in the wheel)"


def test_the_cli_works_and_serve_names_the_server_extra(light_venv: Path) -> None:
    cli = light_venv / "bin" / "redaction-gateway"
    helped = subprocess.run([cli, "--help"], capture_output=True, text=True, cwd=light_venv)
    assert helped.returncode == 0, helped.stderr
    assert "serve" in helped.stdout
    # An engine-only command works: `scan` finds a tier-1 value (exit 1) and never prints it.
    (light_venv / "notes.txt").write_text("card 4111 1111 1111 1111\n", encoding="utf-8")
    scanned = subprocess.run([cli, "scan", "notes.txt"], capture_output=True, text=True, cwd=light_venv)
    assert scanned.returncode == 1, scanned.stdout + scanned.stderr
    assert "4111" not in scanned.stdout + scanned.stderr
    served = subprocess.run([cli, "serve"], capture_output=True, text=True, cwd=light_venv, timeout=60)
    assert served.returncode == 2, served.stdout + served.stderr
    assert "redaction-gateway[server]" in served.stderr
    assert "Traceback" not in served.stderr
