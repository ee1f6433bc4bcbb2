"""A stream client that leaves mid-send is a 200 in the log and metrics, as docs/api.md says (issue 13,
item 7): before, the server's next send raised Starlette's ``WebSocketDisconnect``, which the
route took for an internal error (an error line, status 500, ``scrub_failed``)."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

from .conftest import running_server

CANARY = "Canary-Stream-Person Quixotic"
# A long value: each delta rehydrates to ~50 KB, so the server is blocked writing to a client
# that does not read when that client resets the connection.
LONG_NAME = CANARY + " Zebulon" * 120


def test_a_client_that_disconnects_mid_stream_is_logged_as_200(tmp_path: Path) -> None:
    with running_server(tmp_path) as server, httpx.Client(base_url=server.url, timeout=10) as c:
        r = c.post(
            "/scrub",
            json={"task_id": "t", "items": [{"id": "a", "text": f"{LONG_NAME} called."}],
                  "known_entities": {"persons": [LONG_NAME]}, "ner": "rules_only"},
        )  # fmt: skip
        assert r.status_code == 200, r.text
        handle = r.json()["map_handle"]
        token = r.json()["items"][0]["scrubbed_text"].split(" ")[0]
        ws_context = connect(f"ws://127.0.0.1:{server.port}/rehydrate/stream", max_size=None)
        ws = ws_context.__enter__()
        try:
            ws.send(json.dumps({"type": "start", "task_id": "t", "map_handle": handle}))
            assert json.loads(ws.recv(timeout=10))["type"] == "ready"
            for _ in range(200):  # never read: the server's writes back up, then we leave
                ws.send(json.dumps({"type": "delta", "text": f"{token} " * 50}))
            sock = ws.socket
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # a reset: no close frame, unread replies dropped
        finally:
            with contextlib.suppress(OSError, ConnectionError, RuntimeError):
                ws_context.__exit__(None, None, None)
        deadline = time.monotonic() + 20
        line = None
        while time.monotonic() < deadline and line is None:
            for entry in server.log_lines():
                if entry.get("event") == "request" and entry.get("route") == "/rehydrate/stream":
                    line = entry
            time.sleep(0.2)
        assert line is not None, "the stream must write its request line"
        assert line["status"] == 200, line
        assert line["level"] == "info", line
        assert line.get("error") in (None, "disconnected"), line
        stream_counts = [
            line for line in c.get("/metrics").text.splitlines()
            if line.startswith("redaction_requests_total{") and 'route="/rehydrate/stream"' in line
        ]  # fmt: skip
        assert stream_counts, "the stream is counted"
        assert all('status="200"' in line for line in stream_counts), stream_counts
        assert CANARY not in server.log.read_text()
