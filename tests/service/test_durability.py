"""Durability (docs/architecture.md §7): a map committed before ``/scrub`` answers 200 survives ``kill -9``.

The server runs as a real subprocess (``python -m app.cli serve``) on a temporary data dir.
"""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import httpx

from .conftest import post_json
from .processes import free_port, service_process

KNOWN = {"persons": ["Jane Doe", "Wei Zhang"], "orgs": ["Acme Holdings"]}


def test_every_map_that_got_a_200_survives_kill_9(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    texts = [
        f"Jane Doe told Wei Zhang about deal {i} at Acme Holdings; person{i}@example.com." for i in range(40)
    ]
    answered: list[tuple[str, str, str]] = []  # (handle, scrubbed, original)
    with (
        service_process(port, tmp_path / "server.log", data_dir=str(data_dir)) as proc,
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
        service_process(port, tmp_path / "server.log", data_dir=str(data_dir)),
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
