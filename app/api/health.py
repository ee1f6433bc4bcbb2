"""``GET /health``, ``GET /ready``, ``GET /metrics``.

- ``/health``: the process is up and its event loop answers. Never touches the store, never
  needs the caller key (orchestrator liveness probes carry none). Answers ``{"status": "ok",
  "engine": {"version", "fingerprint"}}``: the engine it runs (docs/architecture.md §14).
- ``/health?ready=1``: the readiness probe for orchestrators that carry no key (compose,
  k8s ``httpGet``): the same checks as ``/ready``, open like ``/health``, answering only
  ``{"status": "ok", ..., "ready": true}`` or 503 ``{"error", "status": "not_ready"}``:
  the per-layer report stays behind the key at ``/ready``.
- ``/ready``: the map store can be written now and every configured NER layer is ready
  (spaCy loaded with verified weights, the LLM server answering its probe; every configured
  layer is required by ``ner=auto``). It reports each part:
  ``{"status": "ready", "store": "ok", "ner": {"spacy": S, "llm": L}}`` with S one of
  ``ready``, ``loading``, ``failed:<reason>``, ``disabled`` and L one of ``ready``,
  ``unavailable``, ``not_configured``. Otherwise 503 with the same report, ``"status":
  "not_ready"`` and ``"error"``: ``store_unavailable`` (store ``"unavailable"``) or
  ``ner_unavailable``. A failed probe also opens the backstop's circuit: requests that need
  it are refused at once until a probe succeeds.
- ``/metrics``: Prometheus text exposition (see `app.metrics`).

With ``REDACTION_API_KEY`` set, ``/ready`` and ``/metrics`` need the key like every other
route: they reveal traffic volumes and the deployment's configuration.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import PlainTextResponse, Response

from redaction import ENGINE_FINGERPRINT, __version__
from redaction.errors import StoreError

from ..models import HealthResponse, NotReadyProbe, NotReadyResponse, ReadyResponse
from ..responses import JSONResponse
from .common import error_responses
from .deps import Gateway, GatewayDep, MetricsDep, get_gateway

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.head("/health", include_in_schema=False)  # probes that send HEAD (uvicorn strips the body)
@router.get(
    "/health",
    response_model=HealthResponse,
    responses={
        503: {"model": NotReadyProbe, "description": "with ?ready=1: `store_unavailable`, `ner_unavailable`"},
        **error_responses("bad_request"),
    },
)
async def health(
    request: Request,
    ready: Annotated[bool, Query(description="also check readiness, as /ready does (no key needed)")] = False,
) -> JSONResponse:
    """Liveness: 200 while the process serves requests; names the engine it runs (§14)."""
    engine = {"version": __version__, "fingerprint": ENGINE_FINGERPRINT}
    if not ready:
        return JSONResponse({"status": "ok", "engine": engine})
    error, _ = await _readiness(await get_gateway(request))
    if error is not None:
        return JSONResponse({"error": error, "status": "not_ready"}, status_code=503)
    return JSONResponse({"status": "ok", "engine": engine, "ready": True})


async def _readiness(gateway: Gateway) -> tuple[str | None, dict[str, object]]:
    """(the error code when not ready, else None; the per-part report of ``/ready``)."""
    try:
        await gateway.run(gateway.store.check_ready)
        store_ok = True
    except StoreError:
        store_ok = False
    ner_ok, ner = await gateway.ner.report()
    report: dict[str, object] = {"store": "ok" if store_ok else "unavailable", "ner": ner}
    if store_ok and ner_ok:
        return None, report
    return ("store_unavailable" if not store_ok else "ner_unavailable"), report


@router.get(
    "/ready",
    response_model=ReadyResponse,
    responses={
        503: {"model": NotReadyResponse, "description": "`store_unavailable`, `ner_unavailable`"},
        **error_responses("unauthorized"),
    },
)
async def ready(gateway: GatewayDep) -> JSONResponse:
    """Readiness: the store is writable and every configured NER layer is ready."""
    error, report = await _readiness(gateway)
    if error is None:
        return JSONResponse({"status": "ready", **report})
    return JSONResponse({"error": error, "status": "not_ready", **report}, status_code=503)


@router.get(
    "/metrics",
    response_class=PlainTextResponse,  # documents text/plain; the body is Prometheus' exposition
    responses={200: {"description": "Prometheus text exposition"}, **error_responses("unauthorized")},
)
async def metrics(metrics: MetricsDep) -> Response:
    """Prometheus exposition: counts and latencies, no values."""
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
