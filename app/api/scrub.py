"""``POST /scrub``: the engine over every item, one map per task (docs/architecture.md §5).

The items of a request are scrubbed in order with one `ScrubState`, exactly as a caller of
`redaction.scrub` would do it, so the service's output is byte-identical to the engine's.
With ``map_handle`` the stored map is extended atomically (load, scrub every item, save,
extend the TTL); without it a new map is created. The engine, the store and the encoding of
the response all run in a worker thread: the event loop keeps serving ``/health`` and small
requests while a large one is scrubbed.

``tier1_action=reject`` scrubs everything, and if any tier-1 value was found answers 422
``tier1_detected`` with ``spans: [{item, kinds}]`` and stores nothing (no map is created,
an extended map is left as it was).

NER (`app.ner`): the layers the ``ner`` mode requires are ready, or the request is refused
with 422 ``ner_unavailable`` before anything is stored. The LLM backstop is asked about every
item on the event loop first; the spaCy layer runs inside the engine's ``ner_fn`` in the
worker thread. A new map's handle is minted before NER runs, so the NER caches are scoped to
it from the first turn on. Short descriptive phrases the backstop flagged but could not
locate are reported as ``{"item", "count", "action": "reported"}`` flags (never the phrases).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from redaction import (
    ENGINE_FINGERPRINT,
    BucketSpec,
    NerFn,
    ScrubResult,
    ScrubState,
    __version__,
    scrub,
)
from redaction.detectors import DEFAULT_DETECTORS, Detector
from redaction.errors import NerUnavailable, PolicyBlocked, Tier1Rejected

from ..limits import check_known_entities, known_entities_cache
from ..middleware import log_fields
from ..models import ScrubRequest, ScrubResponse
from ..ner import NerPlan, cache_scope
from ..policy_file import ResolvedPolicy, builtin_policies
from ..responses import json_bytes
from ..store import MapRecord, MapStore, check_handle, new_handle
from .common import check_items, error_responses, iso_utc
from .deps import Gateway, GatewayDep

__all__ = ["ScrubOutcome", "Scrubbed", "router", "run_scrub", "scrub_request"]

# A new map's finished state and scrubbed texts, before the map is written (`scrub_request`).
Scrubbed = Callable[[ScrubState, list[str]], None]

router = APIRouter(tags=["scrub"])

# Every response names the engine that produced it, so a CI job can check it against its copy (§14).
_ENGINE = {"version": __version__, "fingerprint": ENGINE_FINGERPRINT}


@dataclass(slots=True)
class ScrubOutcome:
    """A finished /scrub: the encoded 200 body plus what the log line and metrics need."""

    body: bytes
    record: MapRecord
    by_type: dict[str, int]  # token type -> spans tokenized, over all items
    tier1: dict[str, int]  # tier-1 kind -> values dropped, over all items
    scrub_seconds: float
    store_seconds: float
    log: dict[str, Any] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # each item's scrubbed text, in order (the proxy's)


def _token_name(token: str) -> str:
    return token[1:-1]  # "[PERSON_1.2]" -> "PERSON_1.2"


def _entity(token: str) -> str:
    return token[1:-1].split(".", 1)[0]  # variants share their entity: "PERSON_1"


def scrub_request(
    req: ScrubRequest,
    store: MapStore,
    ner_fn: NerFn | None,
    detectors: Sequence[Detector] | None = None,
    *,
    handle: str | None = None,
    reported: Mapping[str, int] | None = None,
    policy: ResolvedPolicy | None = None,
    scrubbed: Scrubbed | None = None,
) -> ScrubOutcome:
    """Scrub every item of ``req`` into a new or extended map; blocking (run it in a thread).

    ``handle``: the handle a new map gets (minted in advance); ``reported``: item id ->
    descriptive phrases reported, not removed (for the stats); ``policy``: the request's
    resolved policy (`PolicySet.resolve`; default: today's behaviour, or ``req.profile`` and
    ``req.policy`` resolved against the built-in profiles). A blocked kind raises
    `PolicyBlocked` and nothing is stored. ``scrubbed``: for a new map, called with the
    finished state and texts before the map is written (the proxy sends them upstream
    while the store writes); a map that is extended may be scrubbed twice (a concurrent
    writer), so it gets no early call.

    Raises `Tier1Rejected` (reject mode), `MapNotFound`/`MapExpired`/`StoreError` (store),
    `NerUnavailable`/`DescriptiveUnredactable` (NER layers).
    """
    known = known_entities_cache.get(req.known_entities)
    spec = BucketSpec(req.bucket.amounts, req.bucket.dates)
    chosen = DEFAULT_DETECTORS if detectors is None else detectors
    engine_seconds = 0.0
    resolved = policy if policy is not None else builtin_policies().resolve(req.profile, req.policy)
    engine_policy = resolved.engine_policy

    def scrub_all(state: ScrubState) -> list[ScrubResult]:
        nonlocal engine_seconds
        started = time.perf_counter()
        results = [
            scrub(
                item.text, known_entities=known, bucket=spec, state=state, ner_fn=ner_fn, detectors=chosen,
                policy=engine_policy,
            )
            for item in req.items
        ]  # fmt: skip
        engine_seconds += time.perf_counter() - started
        if engine_policy is not None:  # docs/architecture.md §12: a blocked kind refuses the request
            blocked = [(item.id, list(r.audit.blocked)) for item, r in zip(req.items, results, strict=True)]
            if any(kinds for _, kinds in blocked):
                raise PolicyBlocked([(item, kinds) for item, kinds in blocked if kinds])
        if req.tier1_action == "reject":
            spans = [(item.id, list(r.audit.tier1)) for item, r in zip(req.items, results, strict=True)]
            if any(kinds for _, kinds in spans):
                raise Tier1Rejected([(item, kinds) for item, kinds in spans if kinds])
        return results

    started = time.perf_counter()
    if req.map_handle is None:
        state = ScrubState()
        results = scrub_all(state)
        if scrubbed is not None:
            scrubbed(state, [result.text for result in results])
        stored = time.perf_counter()
        record = store.create(req.task_id, state, handle=handle)
        store_seconds = time.perf_counter() - stored
    else:
        record, results = store.extend(req.map_handle, req.task_id, scrub_all)
        store_seconds = time.perf_counter() - started - engine_seconds

    return _outcome(req, results, record, engine_seconds, store_seconds, reported or {}, resolved)


def _outcome(
    req: ScrubRequest,
    results: list[ScrubResult],
    record: MapRecord,
    engine_s: float,
    store_s: float,
    reported: Mapping[str, int],
    policy: ResolvedPolicy,
) -> ScrubOutcome:
    items = []
    outcomes: dict[str, dict[str, int]] = {}  # policy actions beyond the defaults
    for result in results:
        for action, kinds in result.audit.policy.items():
            counts = outcomes.setdefault(action, {})
            for kind, n in kinds.items():
                counts[kind] = counts.get(kind, 0) + n
    by_type: dict[str, int] = {}
    tier1: dict[str, int] = {}
    entities: set[str] = set()
    flags = []
    tier1_dropped = tier2_tokenized = descriptive = 0
    for item, result in zip(req.items, results, strict=True):
        audit = result.audit
        items.append(
            {
                "id": item.id,
                "scrubbed_text": result.text,
                "tokens_used": [_token_name(t) for t in audit.tokens_used],
            }
        )
        tier1_dropped += audit.tier1_dropped
        tier2_tokenized += audit.tier2_tokenized
        for kind, n in audit.by_type.items():
            by_type[kind] = by_type.get(kind, 0) + n
        for kind, n in audit.tier1.items():
            tier1[kind] = tier1.get(kind, 0) + n
        entities.update(_entity(t) for t in audit.tokens_used if not t.startswith("[LITERAL_"))
        if audit.descriptive:
            descriptive += audit.descriptive
            flags.append({"item": item.id, "count": audit.descriptive, "action": "dropped"})
        if reported.get(item.id):
            flags.append({"item": item.id, "count": reported[item.id], "action": "reported"})
    acted = {action: dict(sorted(kinds.items())) for action, kinds in sorted(outcomes.items())}
    policy_stats = {**policy.stats, "outcomes": acted}
    body = {
        "task_id": req.task_id,
        "map_handle": record.handle,
        "expires_at": iso_utc(record.expires_at),
        "items": items,
        "stats": {
            "tier1_dropped": tier1_dropped,
            "tier2_tokenized": tier2_tokenized,
            "distinct_entities": len(entities),
            "descriptive_flags": flags,
            "by_type": dict(sorted(by_type.items())),
            "engine": _ENGINE,
            "policy": policy_stats,
        },
    }
    log = {
        "tier1_dropped": tier1_dropped,
        "tier2_tokenized": tier2_tokenized,
        "distinct_entities": len(entities),
        "descriptive": descriptive,
        "entries": record.entries,
        "scrub_ms": round(engine_s * 1000, 3),
        "store_ms": round(store_s * 1000, 3),
        # For the audit record (app.audit); the JSON log formatter keeps scalars only.
        "by_type": dict(sorted(by_type.items())),
        "tier1": sorted(tier1),
    }
    texts = [result.text for result in results]
    return ScrubOutcome(json_bytes(body), record, by_type, tier1, engine_s, store_s, log, texts)


async def run_scrub(
    gateway: Gateway,
    body: ScrubRequest,
    store: MapStore,
    policy: ResolvedPolicy,
    handle: str,
    scrubbed: Scrubbed | None = None,
) -> ScrubOutcome:
    """Scrub ``body`` under the NER plan of its map (``handle``: the request's, or the one a new
    map will get) in the gateway's worker pool; shared by ``/scrub`` and the provider proxy. A
    layer that cannot answer is reported to the NER service and re-raised (fail closed).
    ``scrubbed``: as for `scrub_request` (called from the worker thread)."""
    ner = gateway.ner
    plan: NerPlan | None = None
    try:
        plan = await ner.prepare(
            body.ner, [(i.id, i.text) for i in body.items], cache_scope(handle, body.task_id)
        )
        job = partial(
            scrub_request, body, store, plan.ner_fn, gateway.detectors,
            handle=handle if body.map_handle is None else None, reported=plan.reported, policy=policy,
            scrubbed=scrubbed,
        )  # fmt: skip
        return await gateway.run(job)
    except NerUnavailable as exc:
        ner.refused(exc)
        raise
    finally:
        ner.finish(plan)


@router.post(
    "/scrub",
    response_model=ScrubResponse,
    responses=error_responses(
        "bad_request",
        "unknown_map_handle",
        "unauthorized",
        "map_expired",
        "payload_too_large",
        "tier1_detected",
        "ner_unavailable",
        "descriptive_unredactable",
        "scrub_failed",
        "store_unavailable",
        "invalid_policy",
        "unknown_profile",
        "policy_override_forbidden",
        "policy_blocked",
    ),
)
async def scrub_items(body: ScrubRequest, request: Request, gateway: GatewayDep) -> Response:
    """Replace every sensitive value of every item by a placeholder; answer with a map handle."""
    check_items(body.items, gateway.settings)
    check_known_entities(body.known_entities, gateway.settings)
    fields = log_fields(request.scope)
    fields.update(
        items=len(body.items),
        chars=sum(len(i.text) for i in body.items),
        ner=body.ner,
        new_map=body.map_handle is None,
    )
    if body.map_handle is not None:
        check_handle(body.map_handle)  # a malformed handle is refused before any NER work
    # Profile and request policy (docs/architecture.md §12), refused before any NER work too.
    resolved = gateway.policies.resolve(body.profile, body.policy)
    fields.update(profile=resolved.profile, policy=resolved.policy.digest)
    # A new map's handle exists before NER runs, so turn 1 is cached under it too.
    handle = body.map_handle if body.map_handle is not None else new_handle()
    outcome = await run_scrub(gateway, body, gateway.store, resolved, handle)
    fields.update(outcome.log)
    metrics = gateway.metrics
    metrics.scrub_seconds.observe(outcome.scrub_seconds)
    metrics.store_seconds.labels("create" if body.map_handle is None else "extend").observe(
        outcome.store_seconds
    )
    metrics.observe_scrub(len(body.items), outcome.by_type, outcome.tier1)
    return Response(outcome.body, media_type="application/json")
