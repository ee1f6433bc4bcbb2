"""The service as a real subprocess (``python -m app.cli serve``) on 127.0.0.1 at a free port:
what durability and replica tests need, since a crash or a second replica is another process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ..ports import free_port

__all__ = ["free_port", "running", "service_process"]

ROOT = Path(__file__).parents[2]


@contextmanager
def service_process(port: int, log: Path, **settings: str) -> Iterator[subprocess.Popen[bytes]]:
    """A started service (``/health`` answers) with ``REDACTION_<NAME>`` set from ``settings``
    and nothing else of the caller's ``REDACTION_*`` environment; its output goes to ``log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(REDACTION_LOG_LEVEL="INFO", REDACTION_SPACY_ENABLED="false")
    env.update({f"REDACTION_{name.upper()}": value for name, value in settings.items()})
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env=env, stdout=out, stderr=out, cwd=ROOT,
        )  # fmt: skip
    with running(proc, f"http://127.0.0.1:{port}", log):
        yield proc


@contextmanager
def running(proc: subprocess.Popen[bytes], url: str, log: Path) -> Iterator[None]:
    """Wait until the service ``proc`` answers ``/health`` at ``url`` (30 s at most; its output
    in ``log`` explains an early exit), then stop it when the block ends."""
    try:
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=url) as c:
            while True:
                try:
                    if c.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.05)
        yield
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(10)
