"""``GET /health``, ``GET /ready``, ``GET /metrics``.

- ``/health``: the process is up and its event loop answers. Never touches the store, never
  needs the caller key (orchestrator liveness probes carry none).
- ``/ready``: the map store can be written now and every configured NER layer is loaded.
  200 ``{"status": "ready", "ner_layers": [...]}``; else 503 ``{"error": "store_unavailable"}``
  or 503 ``{"error": "ner_unavailable", "layer": ..., "reason": ...}``.
- ``/metrics``: Prometheus text exposition (see `app.metrics`).

With ``REDACTION_API_KEY`` set, ``/ready`` and ``/metrics`` need the key like every other
route: they reveal traffic volumes and the deployment's configuration.
"""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from redaction.errors import NerUnavailable, StoreError

from ..responses import JSONResponse, error_response
from .deps import GatewayDep, MetricsDep

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> JSONResponse:
    """Liveness: 200 while the process serves requests."""
    return JSONResponse({"status": "ok"})


@router.get("/ready")
async def ready(gateway: GatewayDep) -> JSONResponse:
    """Readiness: the store is writable and every configured NER layer is loaded."""
    layers = gateway.layers
    try:
        await gateway.run(gateway.store.check_ready)
        for configured in layers:
            await gateway.run(configured.layer.load)
    except StoreError:
        return error_response(StoreError("not ready"))
    except NerUnavailable as exc:
        response = error_response(exc)
        response.status_code = 503
        return response
    return JSONResponse({"status": "ready", "ner_layers": [c.name for c in layers]})


@router.get("/metrics")
async def metrics(metrics: MetricsDep) -> Response:
    """Prometheus exposition: counts and latencies, no values."""
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
