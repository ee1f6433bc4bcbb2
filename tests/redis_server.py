"""A real ``redis-server`` on 127.0.0.1 at a free port, in a directory of its own: started,
killed, restarted on the same port and data (the store tests, the benchmarks).

Without a ``redis-server`` binary the tests that need one skip with a reason naming what went
untested, unless ``REDACTION_REQUIRE_REDIS=1`` (which CI sets): then they fail. The switch is
read at import, before the service tests' fixtures clear every ``REDACTION_*`` variable.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from .ports import free_port

__all__ = ["REDIS_REQUIRED", "RedisServer", "redis_server_or_skip"]

REDIS_REQUIRED = os.environ.get("REDACTION_REQUIRE_REDIS", "") not in ("", "0", "false")
REDIS_BINARY = shutil.which("redis-server")


class RedisServer:
    """One redis-server process: append-only file with ``appendfsync always`` by default (no
    committed write is lost to a crash), no RDB snapshots, ``noeviction`` (Redis's default)."""

    def __init__(
        self, directory: Path, *, binary: str, port: int | None = None, fsync: str = "always"
    ) -> None:
        self.directory = directory
        self.binary = binary
        self.fsync = fsync
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> None:
        args = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
            "--appendonly", "yes", "--appendfsync", self.fsync, "--save", "",
            "--maxmemory-policy", "noeviction", "--daemonize", "no", "--loglevel", "warning",
        ]  # fmt: skip
        log = (self.directory / "redis.log").open("ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                pass
            except redis.ResponseError:  # "LOADING": replaying the append-only file
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"redis-server did not start: {(self.directory / 'redis.log').read_text()}"
                )
            time.sleep(0.02)

    def kill(self) -> None:
        """``kill -9``: no shutdown, no final fsync (the append-only file must be enough)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def files(self) -> Iterator[Path]:
        """Every file Redis wrote (append-only file parts, manifest, any snapshot)."""
        return (p for p in self.directory.rglob("*") if p.is_file() and p.name != "redis.log")


@contextmanager
def redis_server_or_skip(directory: Path) -> Iterator[RedisServer]:
    """A started server, stopped afterwards; a loud skip (or, in CI, a failure) without one."""
    if REDIS_BINARY is None:
        message = (
            "redis-server is not installed: the Redis map store is NOT tested here "
            "(apt-get install redis-server; CI sets REDACTION_REQUIRE_REDIS=1 and fails instead)"
        )
        if REDIS_REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(directory, binary=REDIS_BINARY)
    server.start()
    try:
        yield server
    finally:
        server.kill()
