"""``POST /rehydrate``: put the real values back into an LLM's reply (docs/architecture.md §5).

Only tokens the map holds are replaced, each by its exact original value (hints and variants
included). A handle that is expired, unknown, malformed or bound to another ``task_id`` is
410 ``map_expired``: rehydration never says which. With ``strict`` (the default), any
token-like run the map does not hold (hallucinated or smuggled) is a 409 ``unknown_tokens``
listing those placeholders; without it they are left in place and counted. Rehydration
reads the map and does not extend its TTL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from fastapi import APIRouter, Request
from starlette.responses import Response

from redaction import rehydrate_detailed
from redaction.errors import MapExpired, MapNotFound, UnknownTokens

from ..middleware import log_fields
from ..models import RehydrateRequest, RehydrateResponse
from ..responses import json_bytes
from ..store import MapStore
from .common import check_items, error_responses
from .deps import GatewayDep

__all__ = ["RehydrateOutcome", "rehydrate_request", "router"]

router = APIRouter(tags=["rehydrate"])


@dataclass(frozen=True, slots=True)
class RehydrateOutcome:
    body: bytes
    substituted: int
    unknown: int
    entries: int


def rehydrate_request(req: RehydrateRequest, store: MapStore) -> RehydrateOutcome:
    """Rehydrate every item of ``req``; blocking (run it in a thread).

    Raises `MapExpired` (every handle problem), `UnknownTokens` (strict), `StoreError`.
    """
    try:
        state = store.load(req.map_handle, req.task_id)
    except MapNotFound:
        raise MapExpired("unknown map handle") from None
    token_map = state.token_map
    items = []
    unknown: list[str] = []
    substituted = 0
    for item in req.items:
        result = rehydrate_detailed(item.text, token_map)
        items.append({"id": item.id, "rehydrated_text": result.text})
        substituted += result.substituted
        unknown.extend(result.unknown)
    if req.strict and unknown:
        raise UnknownTokens(unknown)
    body = {"items": items, "stats": {"tokens_substituted": substituted, "unknown_tokens": len(unknown)}}
    return RehydrateOutcome(json_bytes(body), substituted, len(unknown), len(state))


@router.post(
    "/rehydrate",
    response_model=RehydrateResponse,
    responses=error_responses(
        "bad_request",
        "unauthorized",
        "unknown_tokens",
        "map_expired",
        "payload_too_large",
        "scrub_failed",
        "store_unavailable",
    ),
)
async def rehydrate_items(body: RehydrateRequest, request: Request, gateway: GatewayDep) -> Response:
    """Replace the map's tokens in every item by their original values."""
    check_items(body.items, gateway.settings)
    fields = log_fields(request.scope)
    fields.update(items=len(body.items), chars=sum(len(i.text) for i in body.items), strict=body.strict)
    outcome = await gateway.run(partial(rehydrate_request, body, gateway.store))
    fields.update(
        tokens_substituted=outcome.substituted, unknown_tokens=outcome.unknown, entries=outcome.entries
    )
    gateway.metrics.observe_rehydrate(len(body.items), outcome.substituted, outcome.unknown)
    return Response(outcome.body, media_type="application/json")
