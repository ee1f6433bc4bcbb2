"""Fixtures for the streaming tests: a real uvicorn server on 127.0.0.1 with WebSockets on, a
map created through ``/scrub``, and raw WebSocket helpers that keep every frame received."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from app.main import create_app
from app.settings import Settings

from ..ports import serve_app

SettingsFactory = Callable[..., Settings]

# Canary values: every one contains "canary", so one search finds any of them in a log or frame.
PERSON = "Zebulon Canaryman"
ORG = "Canaryfield Holdings"
EMAIL = "zeb.canary@canary-mail.example"
KNOWN = {"persons": [PERSON], "orgs": [ORG], "emails": [EMAIL]}
SOURCE = f"{PERSON} of {ORG} wrote from {EMAIL}."


# These tests are about placeholder rehydration and its hold-back of a partial token only; the
# response scan (on by default) holds back more, and is tested with it on in
# tests/stream/test_output_bounds.py and tests/test_response_scan.py.
_PLACEHOLDERS_ONLY: dict[str, Any] = {"response_scan": "off"}


def _clear_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's REDACTION_* variables must not change what the tests see.
    for name in list(os.environ):
        if name.startswith("REDACTION_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_environment(monkeypatch)


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    def make(**overrides: Any) -> Settings:
        overrides.setdefault("data_dir", tmp_path / "data")
        for name, value in _PLACEHOLDERS_ONLY.items():
            overrides.setdefault(name, value)
        return Settings(_env_file=None, **overrides)

    return make


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn (WebSockets on) on 127.0.0.1 at a free port; yields the
    base URL ``http://127.0.0.1:PORT``."""
    with serve_app(app, ws="websockets-sansio") as url:
        yield url


@dataclass
class Gateway:
    """A running gateway and one map in it (``SOURCE`` scrubbed with ``KNOWN``)."""

    url: str
    task_id: str
    handle: str
    scrubbed: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/rehydrate/stream"

    def post(self, path: str, body: Any) -> httpx.Response:
        with httpx.Client(base_url=self.url, headers=self.headers) as c:
            return c.post(path, content=json.dumps(body), headers={"content-type": "application/json"})

    def batch(self, text: str, strict: bool = False) -> dict[str, Any]:
        body = {"task_id": self.task_id, "map_handle": self.handle, "items": [{"id": "r", "text": text}]}
        r = self.post("/rehydrate", {**body, "strict": strict})
        result: dict[str, Any] = r.json()
        return result

    def start(self, **fields: Any) -> str:
        frame = {"type": "start", "task_id": self.task_id, "map_handle": self.handle, **fields}
        return json.dumps(frame)

    @contextmanager
    def socket(self, **kw: Any) -> Iterator[ClientConnection]:
        kw.setdefault("additional_headers", self.headers)
        with connect(self.ws_url, open_timeout=5, close_timeout=5, **kw) as ws:
            yield ws


@contextmanager
def running_gateway(app: FastAPI, headers: dict[str, str] | None = None) -> Iterator[Gateway]:
    with serve(app) as url:
        gw = Gateway(url, "task-1", "", "", dict(headers or {}))
        r = gw.post(
            "/scrub",
            {
                "task_id": "task-1",
                "items": [{"id": "s", "text": SOURCE}],
                "known_entities": KNOWN,
                "ner": "rules_only",
            },
        )
        assert r.status_code == 200, r.text
        body = r.json()
        gw.handle = body["map_handle"]
        gw.scrubbed = body["items"][0]["scrubbed_text"]
        yield gw


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """One gateway per test module with default limits (a server start costs ~0.3 s)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_environment(monkeypatch)
        data_dir = tmp_path_factory.mktemp("data")
        settings = Settings(_env_file=None, data_dir=data_dir, spacy_enabled=False, **_PLACEHOLDERS_ONLY)
    with running_gateway(create_app(settings)) as gw:
        yield gw


@dataclass
class Closed:
    """Everything the server sent on one socket, and how it closed it."""

    frames: list[dict[str, Any]]
    code: int | None
    reason: str | None

    @property
    def text(self) -> str:
        return "".join(f["text"] for f in self.frames if f["type"] == "delta")

    @property
    def last(self) -> dict[str, Any]:
        return self.frames[-1]


def drain(ws: ClientConnection, timeout: float = 5) -> Closed:
    """Receive every frame until the server closes the socket."""
    frames: list[dict[str, Any]] = []
    try:
        while True:
            raw = ws.recv(timeout=timeout)
            assert isinstance(raw, str), "the server sends text frames only"
            frames.append(json.loads(raw))
    except ConnectionClosed as exc:
        rcvd = exc.rcvd
        return Closed(frames, rcvd.code if rcvd else None, rcvd.reason if rcvd else None)


def exchange(gw: Gateway, frames: list[str | bytes], **kw: Any) -> Closed:
    """Open a socket, send ``frames``, and drain it."""
    with gw.socket(**kw) as ws:
        for frame in frames:
            try:
                ws.send(frame)
            except ConnectionClosed:
                break  # the server already closed (after an error frame): drain reads it
        return drain(ws)
