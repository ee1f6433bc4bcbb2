"""``POST /forget``: erase a map now, before its TTL (docs/architecture.md §12).

``{"task_id", "map_handle"}`` -> 200 ``{"task_id", "forgotten": true}``. The encrypted record
is deleted from the store (SQLite with ``secure_delete``, or Redis) and a tombstone keeps every
later use of the handle at 410 ``map_expired``: ``/scrub`` with it, ``/rehydrate``, a new
stream. Idempotent: forgetting a map that is gone already (expired or forgotten) is 200 too.
A handle that never existed is 400 ``unknown_map_handle``; a live map bound to another
``task_id`` is 410 ``map_expired`` and is not erased.

Streams already open on the map (``GET /rehydrate/stream``, app.api.stream) are closed with
4410 ``map_expired`` before they answer another frame (`ForgetWatch`): at once in this
process, and within `RECHECK_SECONDS` in other processes sharing the store.

The request log line carries ``erased`` (true, or false when the map was gone already), and
``redaction_maps_forgotten_total{outcome}`` counts them; never the handle.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial

from fastapi import APIRouter, Request

from redaction.errors import MapExpired

from ..middleware import log_fields
from ..models import ForgetRequest, ForgetResponse
from ..responses import JSONResponse
from ..store import check_handle, handle_hash
from .common import error_responses
from .deps import Gateway, GatewayDep

__all__ = ["RECHECK_SECONDS", "ForgetWatch", "router"]

router = APIRouter(tags=["rehydrate"])

RECHECK_SECONDS = 1.0  # how often an open stream asks the store whether its map was forgotten

# Open streams per map (handle hash -> events), in this process's event loop.
_watchers: dict[bytes, set[asyncio.Event]] = {}


def _notify(handle: str) -> None:
    for event in _watchers.get(handle_hash(handle), ()):
        event.set()


@router.post(
    "/forget",
    response_model=ForgetResponse,
    responses=error_responses(
        "bad_request", "unknown_map_handle", "unauthorized", "map_expired", "store_unavailable"
    ),
)
async def forget_map(body: ForgetRequest, request: Request, gateway: GatewayDep) -> JSONResponse:
    """Erase the map now; later use of the handle is 410."""
    check_handle(body.map_handle)  # malformed: 400 unknown_map_handle, before the store
    erased = await gateway.run(partial(gateway.store.forget, body.map_handle, body.task_id))
    _notify(body.map_handle)
    log_fields(request.scope)["erased"] = erased
    gateway.metrics.forgotten.labels("erased" if erased else "already_gone").inc()
    return JSONResponse({"task_id": body.task_id, "forgotten": True})


class ForgetWatch:
    """What an open stream asks before each frame it answers: was its map forgotten?

    Set at once by ``POST /forget`` in this process; other processes sharing the store are
    asked at most every `RECHECK_SECONDS` (a store read of the tombstone, never the map).
    """

    def __init__(self, gateway: Gateway, handle: str) -> None:
        self._gateway = gateway
        self._handle = handle
        self._key = handle_hash(handle)
        self._event = asyncio.Event()
        _watchers.setdefault(self._key, set()).add(self._event)
        self._checked = time.monotonic()

    async def check(self) -> None:
        """Raise `MapExpired` (the stream closes with 4410) if the map was forgotten."""
        if not self._event.is_set() and time.monotonic() - self._checked >= RECHECK_SECONDS:
            store = self._gateway.store
            if await self._gateway.run(partial(store.forgotten, self._handle)):
                self._event.set()
            self._checked = time.monotonic()
        if self._event.is_set():
            raise MapExpired("map forgotten")

    def close(self) -> None:
        events = _watchers.get(self._key)
        if events is not None:
            events.discard(self._event)
            if not events:
                del _watchers[self._key]
