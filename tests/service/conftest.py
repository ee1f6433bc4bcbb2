"""Fixtures for the service tests: settings in a temporary data dir, an ASGI client with the
lifespan running, and a real uvicorn server on 127.0.0.1 at a free port."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings

from ..ports import serve_app

SettingsFactory = Callable[..., Settings]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's REDACTION_* variables must not change what the tests see.
    for name in list(os.environ):
        if name.startswith("REDACTION_"):
            monkeypatch.delenv(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_settings(data_dir: Path) -> SettingsFactory:
    def make(**overrides: Any) -> Settings:
        overrides.setdefault("data_dir", data_dir)
        # The embedded spaCy layer (on by default in production) takes seconds to load: tests
        # that want it ask for it (tests/ner).
        overrides.setdefault("spacy_enabled", False)
        return Settings(_env_file=None, **overrides)

    return make


@asynccontextmanager
async def asgi_client(app: FastAPI, **headers: str) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client over the ASGI transport, with the app's lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers) as c:
            yield c


@pytest.fixture
async def client(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(create_app(make_settings())) as c:
        yield c


def post_json(client: httpx.Client, path: str, body: Any, **kw: Any) -> httpx.Response:
    """POST ``body`` as JSON with ASCII escapes (so lone surrogates can be sent)."""
    headers = {"content-type": "application/json", **kw.pop("headers", {})}
    return client.post(path, content=json.dumps(body), headers=headers, **kw)


async def apost_json(client: httpx.AsyncClient, path: str, body: Any, **kw: Any) -> httpx.Response:
    headers = {"content-type": "application/json", **kw.pop("headers", {})}
    return await client.post(path, content=json.dumps(body), headers=headers, **kw)


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 at a free port in a thread; yields the base URL."""
    with serve_app(app, ws="none") as url:
        yield url
