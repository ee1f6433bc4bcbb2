"""A real service process per test module (``python -m app.cli serve``), with the limits under test.

Hardening is about the server underneath the app (uvicorn's protocol, file descriptors, the
event loop): only a real process on a real socket shows it.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.crypto import new_key
from tests.service.processes import free_port, service_process

__all__ = ["Server", "open_fds", "read_reply", "running_server", "wait_closed"]


@dataclass
class Server:
    url: str
    port: int
    pid: int
    log: Path
    data_dir: Path

    def log_lines(self) -> list[dict[str, object]]:
        lines = []
        for raw in self.log.read_text(errors="replace").splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                lines.append({"unparsed": raw})
        return lines


@contextmanager
def running_server(tmp_path: Path, **settings: str) -> Iterator[Server]:
    data_dir = tmp_path / "data"
    port = free_port()
    log = tmp_path / "server.log"
    settings = {"data_dir": str(data_dir), "map_key": new_key(), **settings}
    with service_process(port, log, **settings) as proc:
        yield Server(f"http://127.0.0.1:{port}", port, proc.pid, log, data_dir)


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def wait_closed(sock: socket.socket, within: float) -> bool:
    """True once the peer has closed ``sock`` (EOF or reset), reading any reply on the way."""
    deadline = time.monotonic() + within
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:
            return True
    return False


def read_reply(sock: socket.socket, within: float) -> bytes:
    """Everything the server sends until it closes the connection (or ``within`` passes)."""
    deadline = time.monotonic() + within
    sock.settimeout(0.2)
    data = b""
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data
