"""The data dir deleted under a running service (issue 13, item 5): unready and 503, never a 200
whose map is gone at the next start. Before, SQLite kept writing to the unlinked file: ``/ready``
stayed 200 and ``/scrub`` answered 200 with maps no restart would find."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from .conftest import running_server

CANARY = "Canary-Deleted-Dir Ostrogoth"


def _scrub(c: httpx.Client, handle: str | None = None) -> httpx.Response:
    body: dict[str, object] = {
        "task_id": "t", "items": [{"id": "a", "text": f"{CANARY} wrote."}],
        "known_entities": {"persons": [CANARY]}, "ner": "rules_only",
    }  # fmt: skip
    if handle is not None:
        body["map_handle"] = handle
    return c.post("/scrub", json=body)


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_deleted_or_replaced_data_dir_makes_the_service_unready(tmp_path: Path, how: str) -> None:
    with running_server(tmp_path) as server, httpx.Client(base_url=server.url, timeout=10) as c:
        first = _scrub(c)
        assert first.status_code == 200, first.text
        handle = first.json()["map_handle"]
        assert c.get("/ready").status_code == 200
        shutil.rmtree(server.data_dir)
        if how == "replaced":  # an operator "fixing" it: a fresh, empty dir at the same path
            server.data_dir.mkdir(mode=0o700)
            (server.data_dir / "maps.sqlite3").write_bytes(b"")
        ready = c.get("/ready")
        assert ready.status_code == 503, ready.text
        assert ready.json()["error"] == "store_unavailable"
        assert ready.json()["store"] == "unavailable"
        for response in (
            _scrub(c),
            _scrub(c, handle),
            c.post("/rehydrate", json={"task_id": "t", "map_handle": handle,
                                       "items": [{"id": "r", "text": "[PERSON_1]"}]}),
        ):  # fmt: skip
            assert response.status_code == 503, response.text
            assert response.json() == {"error": "store_unavailable"}
        assert c.get("/health").status_code == 200, "liveness is not readiness"
        events = [line.get("event") for line in server.log_lines()]
        assert "store_file_lost" in events
        assert CANARY not in server.log.read_text()
