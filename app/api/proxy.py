"""The provider proxy routes: ``POST /v1/messages``, ``/v1/chat/completions``, ``/v1/responses``.

Also what the SDKs call beside them: ``POST /v1/messages/count_tokens`` (scrubbed like a message,
so the count is of what the model would be sent) and ``GET /v1/models[/{id}]`` (passed through:
no user data).

Drop-in for the official SDKs (docs/architecture.md §11): point ``base_url`` at the gateway
and nothing else changes. Per request:

1. Refuse early, in the provider's error shape (`app.proxy.replies`): upstream not
   configured (404 ``proxy_not_configured``), a body that is not a JSON object (400),
   images/audio/files (422 ``unscannable_content``), bad ``X-Redaction-*`` headers (400).
2. Scrub every string the model will read (`app.proxy.outbound`) exactly as ``POST /scrub``
   does, one item per string, one map for the request (or the map named by
   ``X-Redaction-Task-Id`` + ``X-Redaction-Map-Handle``, extended).
3. Send the scrubbed body to the configured upstream with the provider's own headers only
   (`app.proxy.upstream`); the client disconnecting cancels the upstream call.
4. Answer with every text restored (`app.proxy.anthropic`, `openai_chat`,
   `openai_responses`): JSON at once, or SSE event by event. Upstream errors pass through
   with their status and body. Every answer after step 2 carries ``X-Redaction-Map-Handle``.

Logs and metrics get counts only: strings scrubbed, tokens, upstream status and time.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import re
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, Literal, TypeVar, cast
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Request
from pydantic import ValidationError
from starlette.requests import ClientDisconnect
from starlette.responses import Response, StreamingResponse

from redaction import ScrubState
from redaction.errors import InputError, NerUnavailable, RedactionError

from ..errors import ProxyNotConfigured, UpstreamUnavailable
from ..limits import check_known_entities
from ..middleware import log_fields, proxy_api
from ..models import ID_MAX_CHARS, KnownEntitiesIn, ScrubItem, ScrubRequest
from ..proxy.anthropic import AnthropicStream, rehydrate_message
from ..proxy.inbound import Rehydration
from ..proxy.openai_chat import ChatStream, rehydrate_completion
from ..proxy.openai_responses import ResponsesStream, rehydrate_response
from ..proxy.outbound import Api, CapturingStore, extract
from ..proxy.replies import error_event, provider_error
from ..proxy.sse import SseParser
from ..proxy.upstream import Upstream, UpstreamReply, forwarded_headers, passed_back_headers
from ..responses import json_bytes
from ..store import MapStore, check_handle, new_handle
from .common import error_responses
from .deps import Gateway, GatewayDep
from .rehydrate import OutputBudget
from .scrub import ScrubOutcome, run_scrub

__all__ = ["MAP_HANDLE_HEADER", "router"]

T = TypeVar("T")

MAP_HANDLE_HEADER: Final = "X-Redaction-Map-Handle"
_DEFAULT_TASK_ID: Final = "proxy"
_NER_MODES: Final = ("auto", "llm", "rules_only", "qwen")
_INLINE_ANSWER_BYTES: Final = 64 * 1024  # restored in the event loop, no response scan
_INLINE_SCAN_BYTES: Final = 4 * 1024  # restored and scanned in the event loop


@dataclass(frozen=True, slots=True)
class _Route:
    api: Api
    path: str  # the route template (log and metric label)
    upstream_path: str  # appended to the configured base URL
    rehydrate: Callable[[Any, Rehydration], Any]
    stream: Callable[[Rehydration], Any]
    responses: bool = False  # the Responses API's stream error event


def _counted(answer: Any, rehydration: Rehydration) -> Any:
    """A token count's answer (``{"input_tokens": N}``) holds no text: it passes as it is."""
    return answer


_MESSAGES = _Route("anthropic", "/v1/messages", "/v1/messages", rehydrate_message, AnthropicStream)
# Counted on the scrubbed request: what the model would be sent through the gateway.
_COUNT_TOKENS = _Route(
    "anthropic", "/v1/messages/count_tokens", "/v1/messages/count_tokens", _counted, AnthropicStream
)
_CHAT = _Route("openai", "/v1/chat/completions", "/chat/completions", rehydrate_completion, ChatStream)
_RESPONSES = _Route("openai", "/v1/responses", "/responses", rehydrate_response, ResponsesStream, True)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Runs inside the app's own lifespan (FastAPI merges router lifespans), after the gateway exists.
    gateway: Gateway = app.state.gateway
    upstream = Upstream(gateway.settings)
    app.state.proxy_upstream = upstream
    try:
        yield
    finally:
        await upstream.aclose()


router = APIRouter(tags=["provider proxy"], lifespan=_lifespan)

_REQUEST_BODY: Final = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "The provider's own request body, passed through scrubbed.",
                }
            }
        },
    }
}
_ANSWERS: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "The provider's answer, rehydrated: JSON, or SSE when `stream` is true.",
        "content": {"application/json": {"schema": {"type": "object"}}, "text/event-stream": {}},
        "headers": {MAP_HANDLE_HEADER: {"schema": {"type": "string"}, "description": "the request's map"}},
    },
}


def _responses() -> dict[int | str, dict[str, Any]]:
    codes = error_responses(
        "bad_request", "unknown_map_handle", "unauthorized", "proxy_not_configured", "map_expired",
        "payload_too_large", "tier1_detected", "ner_unavailable", "descriptive_unredactable",
        "unscannable_content", "scrub_failed", "upstream_unavailable", "store_unavailable",
        "upstream_timeout",
    )  # fmt: skip
    for entry in codes.values():
        entry.pop("model", None)
        entry["description"] += " (in the provider's error shape); upstream errors pass through"
    return {**_ANSWERS, **codes}


@dataclass(frozen=True, slots=True)
class _Options:
    """The ``X-Redaction-*`` request headers of a proxied request."""

    task_id: str
    map_handle: str | None
    known_entities: KnownEntitiesIn
    ner: Literal["auto", "llm", "rules_only", "qwen"]
    tier1_action: Literal["drop", "reject"]
    profile: str | None = None  # X-Redaction-Profile: a policy profile (docs/architecture.md §12)


def _options(request: Request) -> _Options:
    """Read the gateway's own headers. Policy profiles (``X-Redaction-Profile``, §12) are
    read here: this is the one place that turns a request into scrub options."""
    headers = request.headers
    task_id = headers.get("x-redaction-task-id", _DEFAULT_TASK_ID)
    if not 0 < len(task_id) <= ID_MAX_CHARS:
        raise InputError("X-Redaction-Task-Id must be 1-256 characters")
    handle = headers.get("x-redaction-map-handle")
    if handle is not None:
        check_handle(handle)
    known = KnownEntitiesIn()
    encoded = headers.get("x-redaction-known-entities")
    if encoded is not None:
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            known = KnownEntitiesIn.model_validate(json.loads(raw))
        except (binascii.Error, ValueError, ValidationError):
            raise InputError("X-Redaction-Known-Entities must be base64url JSON of known_entities") from None
    ner = headers.get("x-redaction-ner", "auto")
    if ner not in _NER_MODES:
        raise InputError("X-Redaction-Ner must be auto, llm or rules_only")
    tier1 = headers.get("x-redaction-tier1-action", "drop")
    if tier1 not in ("drop", "reject"):
        raise InputError("X-Redaction-Tier1-Action must be drop or reject")
    profile = headers.get("x-redaction-profile")
    return _Options(task_id, handle, known, cast(Any, ner), cast(Literal["drop", "reject"], tier1), profile)


async def _until_disconnect(request: Request, job: Awaitable[T]) -> T:
    """``job``, cancelled if the client disconnects first (its body is already read)."""
    task = asyncio.ensure_future(job)

    async def watch() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(watch())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task  # the upstream request is closed before the route returns
            raise _ClientGone
    return task.result()


class _ClientGone(Exception):
    """The client disconnected while the upstream was being asked (its call is cancelled)."""


class _Scrubbed:
    def __init__(
        self,
        body: bytes,
        handle: str,
        rehydration: Rehydration,
        saving: asyncio.Future[ScrubOutcome],
        stream: bool,
    ) -> None:
        self.body = body
        self.handle = handle
        self.rehydration = rehydration
        self.saving = saving  # the map's write: every answer that names the handle waits for it
        self.stream = stream


def _settle(future: asyncio.Future[T], value: T) -> None:
    if not future.done():
        future.set_result(value)


def _abandon(task: asyncio.Future[Any]) -> None:
    """Let ``task`` finish on its own if nobody awaits it: its error is retrieved, not raised
    (awaiting it still raises)."""
    task.add_done_callback(lambda done: done.cancelled() or done.exception())


async def _scrub(
    route: _Route, payload: dict[str, Any], options: _Options, gateway: Gateway, fields: dict[str, Any]
) -> _Scrubbed:
    """The scrubbed upstream body, once the engine is done: a new map is still being written
    (`_Scrubbed.saving`) while the caller sends it upstream, which hides the store's write
    behind the provider's latency. An extended map is written first (its scrub may run twice)."""
    extraction = extract(route.api, payload)
    texts = extraction.texts
    items = [ScrubItem(id=str(i), text=t) for i, t in enumerate(texts)] or [ScrubItem(id="0", text="")]
    req = ScrubRequest(
        task_id=options.task_id, items=items, known_entities=options.known_entities,
        tier1_action=options.tier1_action, ner=options.ner, map_handle=options.map_handle,
    )  # fmt: skip
    check_known_entities(req.known_entities, gateway.settings)  # the /scrub limits (413)
    handle = options.map_handle if options.map_handle is not None else new_handle()
    policy = gateway.policies.resolve(options.profile)  # 400 unknown_profile before any NER work
    store = CapturingStore(gateway.store)
    fields.update(strings=len(texts), chars=sum(map(len, texts)))
    loop = asyncio.get_running_loop()
    early: asyncio.Future[tuple[ScrubState, list[str]]] = loop.create_future()

    def scrubbed(state: ScrubState, out: list[str]) -> None:  # in the worker thread
        loop.call_soon_threadsafe(_settle, early, (state, out))

    saving = asyncio.ensure_future(
        run_scrub(
            gateway, req, cast(MapStore, store), policy, handle,
            scrubbed if options.map_handle is None else None,
        )
    )  # fmt: skip
    _abandon(saving)  # whichever way the request ends, the write's error never goes unretrieved
    await asyncio.wait((early, saving), return_when=asyncio.FIRST_COMPLETED)
    if early.done():
        state, out = early.result()
    else:
        outcome = saving.result()  # a refusal (tier-1 reject, policy, NER, store) is raised here
        assert store.state is not None
        state, out = store.state, outcome.texts
    body = json_bytes(extraction.fill(out[: len(texts)]))
    # One output budget for the whole answer (JSON or stream): values it hands out are charged.
    budget = OutputBudget(state.token_map, gateway.settings.max_output_bytes)
    rehydration = Rehydration(budget, gateway.settings.response_scan, state.custom_types)
    return _Scrubbed(body, handle, rehydration, saving, payload.get("stream") is True)


async def _stored(route: _Route, scrubbed: _Scrubbed, gateway: Gateway, fields: dict[str, Any]) -> None:
    """Wait for the map's write (a failure raises: the handle would not work), then log and count."""
    outcome = await scrubbed.saving
    fields.update(outcome.log)
    strings = fields.get("strings", 0)
    gateway.metrics.observe_proxy(route.path, scrubbed.stream, strings, outcome.by_type, outcome.tier1)


_MAX_DEPTH: Final = 128  # the providers' bodies nest a few dozen levels (tool schemas) at most


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's json would accept them


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` levels (iterative: a
    deep body must not exhaust the stack of the walker that reads it)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


async def _proxy(route: _Route, request: Request, gateway: GatewayDep) -> Response:
    fields = log_fields(request.scope)
    fields["api"] = route.api
    settings = gateway.settings
    base = settings.anthropic_upstream if route.api == "anthropic" else settings.openai_upstream
    handle_header: dict[str, str] = {}
    try:
        if base is None:
            raise ProxyNotConfigured(route.api)
        try:
            payload = json.loads(await request.body(), parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise InputError("the body must be a JSON object") from None
        if not isinstance(payload, dict):
            raise InputError("the body must be a JSON object")
        if _deeper_than(payload, _MAX_DEPTH):
            raise InputError(f"the body nests more than {_MAX_DEPTH} levels deep")
        options = _options(request)
        provider_headers = forwarded_headers(request.headers)  # 400 before any work
        fields.update(
            stream=payload.get("stream") is True, ner=options.ner, new_map=options.map_handle is None
        )
        scrubbed = await _scrub(route, payload, options, gateway, fields)
        upstream: Upstream = request.app.state.proxy_upstream
        started = time.perf_counter()
        send = upstream.send(base + route.upstream_path, provider_headers, scrubbed.body)
        try:
            reply = await _until_disconnect(request, send)
        except RedactionError:  # the upstream failed: its error names the map once it is written
            await _stored(route, scrubbed, gateway, fields)
            handle_header = {MAP_HANDLE_HEADER: scrubbed.handle}
            raise
        try:
            await _stored(route, scrubbed, gateway, fields)
        except BaseException:
            await reply.aclose()
            raise
        handle_header = {MAP_HANDLE_HEADER: scrubbed.handle}
        upstream_s = time.perf_counter() - started
        gateway.metrics.proxy_upstream_seconds.labels(route.path).observe(upstream_s)
        fields["upstream_ms"] = round(upstream_s * 1000, 3)
        fields["upstream_status"] = reply.status
        headers = {**passed_back_headers(reply.response.headers), **handle_header}
        if reply.status >= 400:
            fields["error"] = "upstream_error"
            body = await _until_disconnect(request, reply.read())
            media = reply.response.headers.get("content-type", "application/json")
            return Response(body, status_code=reply.status, headers=headers, media_type=media)
        if reply.is_event_stream:
            return _RelayResponse(
                _relay(route, reply, scrubbed.rehydration, gateway, fields),
                media_type="text/event-stream", headers={**headers, "cache-control": "no-cache"},
            )  # fmt: skip
        raw = await _until_disconnect(request, reply.read())
        try:
            answer = json.loads(raw)
        except ValueError:
            raise UpstreamUnavailable("malformed_answer") from None
        rehydration = scrubbed.rehydration
        job = partial(route.rehydrate, answer, rehydration)
        # Rehydration alone is cheap (a pass over the text); the response scan runs the rules
        # layer (about 0.6 ms per KB), which belongs in a worker thread unless the answer is
        # small: below these sizes a thread hop costs more than the work it moves.
        inline = _INLINE_ANSWER_BYTES if rehydration.scan == "off" else _INLINE_SCAN_BYTES
        small = len(raw) <= inline
        restored = job() if small else await gateway.run(job)
        _count_rehydration(gateway, rehydration, fields)
        return Response(
            json_bytes(restored), status_code=reply.status, headers=headers, media_type="application/json"
        )
    except _ClientGone:
        fields["error"] = "client_disconnected"
        return Response(status_code=499)  # never read: the client is gone
    except RedactionError as exc:
        fields["error"] = exc.code
        if isinstance(exc, NerUnavailable):
            fields["layer"] = exc.layer
        return provider_error(route.api, exc, handle_header or None)


def _count_rehydration(gateway: Gateway, rehydration: Rehydration, fields: dict[str, Any]) -> None:
    fields.update(
        tokens_substituted=rehydration.substituted,
        unknown_tokens=rehydration.unknown,
        masked=rehydration.masked,
    )
    gateway.metrics.rehydrated.labels("substituted").inc(rehydration.substituted)
    gateway.metrics.rehydrated.labels("unknown").inc(rehydration.unknown)


class _RelayResponse(StreamingResponse):
    """A stream whose relay is closed before the route returns, whatever ended it: a client
    that went away is then logged and counted (``client_disconnected``) on its own line."""

    def __init__(self, relay: AsyncGenerator[bytes, None], **kwargs: Any) -> None:
        super().__init__(relay, **kwargs)
        self._relay = relay

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except ClientDisconnect:
            pass  # the relay is closed below: it records the disconnect
        finally:
            await self._relay.aclose()


async def _relay(
    route: _Route, reply: UpstreamReply, rehydration: Rehydration, gateway: Gateway, fields: dict[str, Any]
) -> AsyncGenerator[bytes, None]:
    """The upstream's SSE, event by event, rehydrated; a failure mid-stream ends it with one
    error event in the provider's format. Closing this generator (the client went away)
    closes the upstream response."""
    parser = SseParser()
    transformer = route.stream(rehydration)
    events = 0
    try:
        async for chunk in reply.chunks():
            # Every event this chunk completes goes out in one write: no waiting, fewer sends.
            out: list[bytes] = []
            for event in parser.feed(chunk):
                events += 1
                out.extend(transformer.event(event))
            if out:
                yield b"".join(out)
        last = parser.close()
        tail = [] if last is None else transformer.event(last)
        events += last is not None
        tail.extend(transformer.finish())
        if tail:
            yield b"".join(tail)
        if not transformer.complete:  # cut off before its last event: the client must not take it as whole
            raise UpstreamUnavailable("stream_truncated")
    except RedactionError as exc:
        fields["error"] = exc.code
        yield error_event(route.api, exc, responses=route.responses)
    except (GeneratorExit, asyncio.CancelledError):
        fields["error"] = "client_disconnected"  # closed mid-stream: the client went away
        raise
    finally:
        await reply.aclose()
        fields["events"] = events
        _count_rehydration(gateway, rehydration, fields)


@router.post("/v1/messages", openapi_extra=_REQUEST_BODY, responses=_responses())
async def anthropic_messages(request: Request, gateway: GatewayDep) -> Response:
    """Anthropic Messages, scrubbed out and rehydrated back (``stream`` true or false)."""
    return await _proxy(_MESSAGES, request, gateway)


@router.post("/v1/messages/count_tokens", openapi_extra=_REQUEST_BODY, responses=_responses())
async def anthropic_count_tokens(request: Request, gateway: GatewayDep) -> Response:
    """Anthropic's token count of a Messages request, counted on the request as scrubbed."""
    return await _proxy(_COUNT_TOKENS, request, gateway)


@router.post("/v1/chat/completions", openapi_extra=_REQUEST_BODY, responses=_responses())
async def openai_chat_completions(request: Request, gateway: GatewayDep) -> Response:
    """OpenAI Chat Completions, scrubbed out and rehydrated back (``stream`` true or false)."""
    return await _proxy(_CHAT, request, gateway)


@router.post("/v1/responses", openapi_extra=_REQUEST_BODY, responses=_responses())
async def openai_responses(request: Request, gateway: GatewayDep) -> Response:
    """OpenAI Responses, scrubbed out and rehydrated back (``stream`` true or false)."""
    return await _proxy(_RESPONSES, request, gateway)


# -- models ---------------------------------------------------------------------------------

_MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}")
_MODELS_QUERY: Final = ("limit", "after_id", "before_id")  # Anthropic's pagination; OpenAI sends none
_MODEL_ANSWERS: Final[dict[int | str, dict[str, Any]]] = {
    200: {"description": "The provider's answer, as it sent it.", "content": {"application/json": {}}},
    **{
        code: {"description": entry["description"] + " (in the provider's error shape)"}
        for code, entry in error_responses(
            "bad_request", "unauthorized", "proxy_not_configured", "upstream_unavailable", "upstream_timeout"
        ).items()
    },
}


async def _models(request: Request, gateway: Gateway, model_id: str | None) -> Response:
    """The provider's model list (or one model), passed through: it holds no user data, so
    nothing is scrubbed, no map is made, and only the provider's own headers go upstream."""
    api = proxy_api(request.scope)  # both SDKs list models at `/v1/models`: told apart by headers
    fields = log_fields(request.scope)
    fields["api"] = api
    settings = gateway.settings
    try:
        base = settings.anthropic_upstream if api == "anthropic" else settings.openai_upstream
        if base is None:
            raise ProxyNotConfigured(api)
        url = base + ("/v1/models" if api == "anthropic" else "/models")
        if model_id is not None:
            if _MODEL_ID.fullmatch(model_id) is None:
                raise InputError("not a model id")
            url += "/" + quote(model_id, safe="")
        query = {k: v for k, v in request.query_params.items() if k in _MODELS_QUERY}
        if query:
            url += "?" + urlencode(query)
        upstream: Upstream = request.app.state.proxy_upstream
        headers = {k: v for k, v in forwarded_headers(request.headers).items() if k != "content-type"}
        reply = await _until_disconnect(request, upstream.send(url, headers, None, method="GET"))
        fields["upstream_status"] = reply.status
        body = await _until_disconnect(request, reply.read())
        media = reply.response.headers.get("content-type", "application/json")
        return Response(body, status_code=reply.status, headers=passed_back_headers(reply.response.headers),
                        media_type=media)  # fmt: skip
    except _ClientGone:
        fields["error"] = "client_disconnected"
        return Response(status_code=499)
    except RedactionError as exc:
        fields["error"] = exc.code
        return provider_error(api, exc)


@router.get("/v1/models", responses=_MODEL_ANSWERS)
async def list_models(request: Request, gateway: GatewayDep) -> Response:
    """The provider's models (Anthropic or OpenAI, told apart by the SDK's headers)."""
    return await _models(request, gateway, None)


@router.get("/v1/models/{model_id:path}", responses=_MODEL_ANSWERS)
async def get_model(model_id: str, request: Request, gateway: GatewayDep) -> Response:
    """One of the provider's models."""
    return await _models(request, gateway, model_id)
