"""``POST /rehydrate``: put the real values back into an LLM's reply (docs/architecture.md §5).

Only tokens the map holds are replaced, each by its exact original value (hints and variants
included). A handle that is expired, unknown, malformed or bound to another ``task_id`` is
410 ``map_expired``: rehydration never says which. With ``strict`` (the default), any
token-like run the map does not hold (hallucinated or smuggled) is a 409 ``unknown_tokens``
listing those placeholders; without it they are left in place and counted. Rehydration
reads the map and does not extend its TTL.

Response scanning (docs/architecture.md §11): ``scan`` (default ``REDACTION_RESPONSE_SCAN``,
``tier1``) masks as ``[REDACTED:KIND]`` the values the rules layer finds in the rehydrated
text that are not map values (the model invented them); ``stats.masked`` counts them by kind.

Output bound: the rehydrated texts of one request together may not exceed
``REDACTION_MAX_OUTPUT_BYTES`` (UTF-8 bytes), else 413 ``payload_too_large`` with ``limit:
"output"``. The bound is enforced while substituting (`OutputBudget`), so a short text naming
a long value many times is refused before its output is ever built.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, ValuesView
from dataclasses import dataclass
from functools import partial

from fastapi import APIRouter, Request
from starlette.responses import Response

from redaction import ScanMode, rehydrate_detailed, scan_response
from redaction.errors import MapExpired, MapNotFound, UnknownTokens

from ..errors import PayloadTooLarge
from ..middleware import log_fields
from ..models import RehydrateRequest, RehydrateResponse
from ..responses import json_bytes
from ..settings import Settings
from ..store import MapStore
from .common import check_items, error_responses
from .deps import GatewayDep

__all__ = ["OutputBudget", "RehydrateOutcome", "rehydrate_request", "router", "utf8_size"]

router = APIRouter(tags=["rehydrate"])


@dataclass(frozen=True, slots=True)
class RehydrateOutcome:
    body: bytes
    substituted: int
    unknown: int
    entries: int
    masked: int  # values the response scan masked


def utf8_size(text: str) -> int:
    """UTF-8 bytes of ``text`` (a lone surrogate counts as the 3 bytes of its escape-free form)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class OutputBudget(Mapping[str, str]):
    """The map as rehydration reads it, charging each value it hands out to a budget.

    Rehydration joins the values it looks up only at the end, so refusing a lookup is what
    keeps a 70 KB text of `[ORG_1]` x 10,000 from ever becoming a 100 MB string. The budget is
    the limit in characters: the rehydrated text holds every value handed out, so once they
    exceed it the text does too (a refusal is never wrong); the exact byte count is checked on
    the output. ``values()`` is not charged (it builds the response scan's index, not output).
    """

    __slots__ = ("_left", "_limit", "_map")

    def __init__(self, token_map: Mapping[str, str], limit: int) -> None:
        self._map = token_map
        self._limit = limit
        self._left = limit

    def _charge(self, value: str) -> str:
        self._left -= len(value)
        if self._left < 0:
            raise PayloadTooLarge("output", self._limit)
        return value

    def __getitem__(self, key: str) -> str:
        return self._charge(self._map[key])

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        value = self._map.get(key)
        return default if value is None else self._charge(value)

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)

    def values(self) -> ValuesView[str]:
        return self._map.values()


def rehydrate_request(req: RehydrateRequest, store: MapStore, settings: Settings) -> RehydrateOutcome:
    """Rehydrate (then scan) every item of ``req``; blocking (run it in a thread).

    Raises `MapExpired` (every handle problem), `UnknownTokens` (strict), `PayloadTooLarge`
    (``output``), `StoreError`.
    """
    try:
        state = store.load(req.map_handle, req.task_id)
    except MapNotFound:
        raise MapExpired("unknown map handle") from None
    token_map = state.token_map
    scan: ScanMode = req.scan if req.scan is not None else settings.response_scan
    limit = settings.max_output_bytes
    budget = OutputBudget(token_map, limit)
    items = []
    unknown: list[str] = []
    masked: dict[str, int] = {}
    substituted = size = 0
    for item in req.items:
        result = rehydrate_detailed(item.text, budget, state.custom_types)
        text = result.text
        if scan != "off":
            scanned = scan_response(text, token_map, scan)
            text = scanned.text
            for kind, count in scanned.masked.items():
                masked[kind] = masked.get(kind, 0) + count
        size += utf8_size(text)
        if size > limit:
            raise PayloadTooLarge("output", limit)
        items.append({"id": item.id, "rehydrated_text": text})
        substituted += result.substituted
        unknown.extend(result.unknown)
    if req.strict and unknown:
        raise UnknownTokens(unknown)
    stats: dict[str, object] = {"tokens_substituted": substituted, "unknown_tokens": len(unknown)}
    if masked:
        stats["masked"] = dict(sorted(masked.items()))
    body = {"items": items, "stats": stats}
    return RehydrateOutcome(json_bytes(body), substituted, len(unknown), len(state), sum(masked.values()))


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
    outcome = await gateway.run(partial(rehydrate_request, body, gateway.store, gateway.settings))
    fields.update(
        tokens_substituted=outcome.substituted,
        unknown_tokens=outcome.unknown,
        entries=outcome.entries,
        masked=outcome.masked,
    )
    gateway.metrics.observe_rehydrate(len(body.items), outcome.substituted, outcome.unknown)
    return Response(outcome.body, media_type="application/json")
