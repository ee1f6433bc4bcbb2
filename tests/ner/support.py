"""Helpers shared by the NER wiring tests: request bodies, the app's store, metric samples."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from app.store import SQLiteMapStore
from tests.service.conftest import asgi_client

__all__ = ["TASK", "maps_stored", "metric", "running", "scrub", "scrub_body", "store_of"]

TASK = "task-ner"


def scrub_body(*texts: str, ner: str = "auto", map_handle: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "task_id": TASK,
        "items": [{"id": f"item-{i}", "text": t} for i, t in enumerate(texts)],
        "ner": ner,
        "map_handle": map_handle,
        **extra,
    }


async def scrub(client: httpx.AsyncClient, *texts: str, **kw: Any) -> httpx.Response:
    body = scrub_body(*texts, **kw)
    # ASCII escapes, so any str (lone surrogates included) can be sent.
    return await client.post("/scrub", content=json.dumps(body), headers={"content-type": "application/json"})


def store_of(app: FastAPI) -> SQLiteMapStore:
    store = app.state.gateway.store
    assert isinstance(store, SQLiteMapStore)
    return store


def maps_stored(app: FastAPI) -> int:
    return store_of(app).count()[0]


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition ``text`` (0.0 when the series is absent)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, over the ASGI transport."""
    async with asgi_client(app) as client:
        yield client
