"""The FastAPI application: `create_app(settings)`, and ``app.main:app`` for ASGI servers.

``app.main:app`` is built on first access from the environment (`Settings()`), so importing
this module reads no configuration and touches no disk. `create_app` builds an app whose
lifespan opens the map store (creating the data directory and key file on first run),
sweeps expired maps every ``REDACTION_SWEEP_INTERVAL_SECONDS``, and closes the store on
shutdown. Nothing is served before the store is open.

Error handling: every failure reaches the caller as ``{"error": code, ...}`` with the status
of docs/architecture.md §5 (`app.errors`). Validation errors become 400 ``bad_request`` whose ``detail``
lists ``{"loc", "type"}`` pairs: the location path names only fields of the contract (any
other key, which the caller chose and may be a value, shows as ``*``), and neither pydantic's
message nor the offending input is ever included.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from redaction.detectors import Detector
from redaction.errors import NerUnavailable, RedactionError, StoreError

from . import connections
from .api import ROUTERS, stream
from .api.deps import Gateway
from .audit import AuditLog
from .connections import OverflowMiddleware
from .embedded_ner import EmbeddedNer
from .limits import known_entities_cache
from .logging import configure_logging
from .metrics import Metrics
from .middleware import AuthMiddleware, BodyLimitMiddleware, RequestContextMiddleware, log_fields
from .models import field_names
from .ner import ConfiguredLayer, NerService, build_layers
from .openapi import build_openapi
from .policy_file import exit_on_startup_error, policies_from_settings
from .responses import JSONResponse, error_response
from .settings import Settings
from .store import MapStore, build_store

__all__ = ["create_app", "create_app_from_env"]

log = logging.getLogger("redaction_gateway")

_MAX_DETAIL = 20
_LOC_WORDS = field_names() | {"body", "query", "path", "header", "cookie"}
_ERROR_TYPE = re.compile(r"[a-z_]{1,40}")
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def _safe_loc(loc: Sequence[Any]) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(str(part))
        else:
            parts.append(part if part in _LOC_WORDS else "*")
    return ".".join(parts)


def _safe_type(kind: object) -> str:
    return kind if isinstance(kind, str) and _ERROR_TYPE.fullmatch(kind) else "invalid"


async def _on_redaction_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RedactionError)
    fields = log_fields(request.scope)
    fields["error"] = exc.code
    if isinstance(exc, NerUnavailable):
        fields["layer"] = exc.layer
    return error_response(exc)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    detail = [
        {"loc": _safe_loc(e.get("loc", ())), "type": _safe_type(e.get("type"))} for e in errors[:_MAX_DETAIL]
    ]
    log_fields(request.scope)["error"] = "bad_request"
    return JSONResponse({"error": "bad_request", "detail": detail}, status_code=400)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status) or ("bad_request" if 400 <= status < 500 else "scrub_failed")
    log_fields(request.scope)["error"] = code
    # Starlette's detail is ours (e.g. "There was an error parsing the body"), still not echoed.
    return JSONResponse({"error": code}, status_code=status, headers=exc.headers)


async def _sweep_forever(store: MapStore, metrics: Metrics, interval: float) -> None:
    while True:
        try:
            swept = await run_in_threadpool(store.sweep)
        except StoreError:
            log.warning("sweep_failed")
        else:
            if swept:
                metrics.swept.inc(swept)
                log.info("maps_swept", extra={"swept": swept})
        await asyncio.sleep(interval)


def create_app(
    settings: Settings | None = None,
    *,
    store: MapStore | None = None,
    layers: Sequence[ConfiguredLayer] | None = None,
    detectors: Sequence[Detector] | None = None,
    embedded: EmbeddedNer | None = None,
) -> FastAPI:
    """The service for ``settings`` (default: from the environment).

    ``store``, ``layers`` and ``detectors`` replace the configured map store, NER layers and
    the engine's detector tuple (tests, embedding); the lifespan opens and closes ``store``.
    ``embedded``: the model of the spaCy layer, when the settings enable it (one loaded model
    shared by several apps). The lifespan starts loading the NER layers in the background
    (`NerService.start`): the app serves at once, ``/ready`` says when they are loaded.
    """
    settings = settings if settings is not None else Settings()
    metrics = Metrics()
    known_entities_cache.budget_bytes = settings.known_entities_cache_bytes  # one cache per process
    policies = policies_from_settings(settings)  # PolicyFileError: refused before anything starts

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        the_store = store if store is not None else await run_in_threadpool(build_store, settings)
        await run_in_threadpool(the_store.open)
        # After the store: a derived audit key needs the map key file the store creates.
        app.state.audit = await run_in_threadpool(AuditLog.from_settings, settings)
        configured = tuple(layers) if layers is not None else build_layers(settings, embedded=embedded)
        ner = NerService(configured, metrics, owns_layers=layers is None)
        ner.start()
        executor = ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="redaction-worker")
        app.state.gateway = Gateway(settings, the_store, ner, metrics, executor, detectors, policies)
        # Which policy this process scrubs under (docs/architecture.md §12): hashes, never terms.
        log.info("policy_loaded", extra={"policy_source": policies.source, "policy_hashes": ",".join(
            f"{name}={digest}" for name, digest in policies.hashes.items())})  # fmt: skip
        sweeper = asyncio.create_task(_sweep_forever(the_store, metrics, settings.sweep_interval_seconds))
        log.info("service_started")  # the bound address is uvicorn's `listening` line
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await run_in_threadpool(executor.shutdown)
            await ner.aclose()
            await run_in_threadpool(the_store.close)
            if app.state.audit is not None:
                app.state.audit.close()
            log.info("service_stopped")

    app = FastAPI(
        title="redaction-gateway",
        version="0.1.0",
        summary="Scrub context to placeholders before a hosted LLM sees it; rehydrate the reply.",
        lifespan=lifespan,
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN; /openapi.json stays
        redoc_url=None,
        default_response_class=JSONResponse,
    )
    app.openapi = lambda: build_openapi(app, settings)  # type: ignore[method-assign]
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(stream.router)  # GET /rehydrate/stream (WebSocket)
    app.add_exception_handler(RedactionError, _on_redaction_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    # Added innermost first: the request context wraps auth, which wraps the body limit.
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout_seconds,
    )
    api_key = settings.api_key.get_secret_value() if settings.api_key else None
    app.add_middleware(AuthMiddleware, api_key=api_key)
    app.add_middleware(OverflowMiddleware)  # connections over REDACTION_MAX_CONNECTIONS: 503
    # From the routers themselves: app.routes holds wrapper objects without a path in recent
    # FastAPI versions, and a request refused before routing (401, 413) must still log its route.
    known_paths = frozenset(
        path
        for router in (*ROUTERS, stream.router)
        for route in router.routes
        if isinstance(path := getattr(route, "path", None), str)
    ) | {"/openapi.json"}
    app.add_middleware(RequestContextMiddleware, metrics=metrics, known_paths=known_paths)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ASGI servers and worker processes: JSON logging plus `Settings()`."""
    try:
        settings = Settings()  # validates REDACTION_POLICY_FILE too
    except ValueError as exc:  # pydantic's ValidationError: exit 2, as `serve` does
        exit_on_startup_error(exc)
    configure_logging(settings.log_level)
    connections.configure(connections.ConnectionLimits.from_settings(settings))  # this worker's guard
    return create_app(settings)


_app: FastAPI | None = None


def __getattr__(name: str) -> FastAPI:
    # ``app.main:app`` without building an app (and reading the environment) at import time.
    global _app
    if name == "app":
        if _app is None:
            _app = create_app_from_env()
        return _app
    raise AttributeError(name)
