"""``GET /health``, ``GET /ready``, ``GET /metrics``.

- ``/health``: the process is up and its event loop answers. Never touches the store, never
  needs the caller key (orchestrator liveness probes carry none).
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

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from redaction.errors import StoreError

from ..responses import JSONResponse
from .deps import GatewayDep, MetricsDep

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> JSONResponse:
    """Liveness: 200 while the process serves requests."""
    return JSONResponse({"status": "ok"})


@router.get("/ready")
async def ready(gateway: GatewayDep) -> JSONResponse:
    """Readiness: the store is writable and every configured NER layer is ready."""
    try:
        await gateway.run(gateway.store.check_ready)
        store_ok = True
    except StoreError:
        store_ok = False
    ner_ok, ner = await gateway.ner.report()
    report = {"store": "ok" if store_ok else "unavailable", "ner": ner}
    if store_ok and ner_ok:
        return JSONResponse({"status": "ready", **report})
    error = "store_unavailable" if not store_ok else "ner_unavailable"
    return JSONResponse({"error": error, "status": "not_ready", **report}, status_code=503)


@router.get("/metrics")
async def metrics(metrics: MetricsDep) -> Response:
    """Prometheus exposition: counts and latencies, no values."""
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
