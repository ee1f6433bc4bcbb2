"""Durability (DESIGN §7): a map committed before ``/scrub`` answers 200 survives ``kill -9``.

The server runs as a real subprocess (``python -m app.cli serve``) on a temporary data dir.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .conftest import post_json

KNOWN = {"persons": ["Jane Doe", "Wei Zhang"], "orgs": ["Acme Holdings"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def _server(data_dir: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(
        REDACTION_DATA_DIR=str(data_dir), REDACTION_LOG_LEVEL="WARNING", REDACTION_SPACY_ENABLED="false"
    )
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env=env, stdout=out, stderr=out, cwd=Path(__file__).parents[2],
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            while True:
                try:
                    if c.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.05)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(10)


def test_every_map_that_got_a_200_survives_kill_9(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()
    texts = [
        f"Jane Doe told Wei Zhang about deal {i} at Acme Holdings; person{i}@example.com." for i in range(40)
    ]
    answered: list[tuple[str, str, str]] = []  # (handle, scrubbed, original)
    with (
        _server(data_dir, port, tmp_path / "server.log") as proc,
        httpx.Client(base_url=f"http://127.0.0.1:{port}") as c,
    ):
        handle = None
        for i, text in enumerate(texts):
            body = {"task_id": f"t-{i % 4}", "items": [{"id": "x", "text": text}], "known_entities": KNOWN}
            if i >= 4:  # later turns extend the four maps created first
                body["map_handle"] = answered[i % 4][0]
            r = post_json(c, "/scrub", body)
            assert r.status_code == 200, r.text
            handle = r.json()["map_handle"]
            answered.append((handle, r.json()["items"][0]["scrubbed_text"], text))
        os.kill(proc.pid, signal.SIGKILL)  # right after the last 200: no shutdown, no checkpoint
        proc.wait(10)

    db = data_dir / "maps.sqlite3"
    for path in (db, db.with_name(db.name + "-wal")):
        assert path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    with (
        _server(data_dir, port, tmp_path / "server.log"),
        httpx.Client(base_url=f"http://127.0.0.1:{port}") as c,
    ):
        for i, (handle, scrubbed, original) in enumerate(answered):
            r = post_json(
                c,
                "/rehydrate",
                {"task_id": f"t-{i % 4}", "map_handle": handle, "items": [{"id": "r", "text": scrubbed}]},
            )
            assert r.status_code == 200, (
                f"scrub {i} got a 200 but its map did not survive the crash: {r.text}"
            )
            assert r.json()["items"][0]["rehydrated_text"] == original
