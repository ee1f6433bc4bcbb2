"""Pure-ASGI middleware, outermost first: request context, caller auth, body limit.

- `RequestContextMiddleware` gives each request an id (``X-Request-ID`` response header),
  turns any unhandled exception into a generic 500 ``scrub_failed`` (its type name is logged,
  never its message), writes one ``request`` log line and the request metrics. The route
  label is the matched route template (``/scrub``), or ``unmatched``: a raw path is never
  logged or used as a label, since a path can carry anything.
  With ``REDACTION_AUDIT_LOG`` set it is also the one place that writes the audit record of
  every `AUDITED_ROUTES` call (`app.audit`), from the route's log fields, before the
  response starts; a record that cannot be written turns the answer into 503
  ``audit_unavailable``.
- `AuthMiddleware`: with ``REDACTION_API_KEY`` set, every path except ``/health`` needs
  ``Authorization: Bearer <key>`` (constant-time compare), else 401 ``unauthorized``. It runs
  before the body is read. On the provider proxy's paths (`PROXY_PATHS`) ``Authorization``
  belongs to the provider, so the caller key travels as ``X-Redaction-Key: <key>`` instead.
- `BodyLimitMiddleware` reads the body before the app does, answering 413
  ``payload_too_large`` as soon as ``Content-Length`` or the bytes received pass
  ``REDACTION_MAX_BODY_BYTES`` (a large body is never parsed), and 400 ``bad_request``
  (``{"loc": "body", "type": "invalid_utf8"}``) for a body that is not valid UTF-8. The whole
  body must arrive within ``REDACTION_BODY_TIMEOUT_SECONDS`` of the request head, else 408
  ``request_timeout`` and the connection is closed (a body shorter than its
  ``Content-Length`` would otherwise hold the request forever).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redaction.errors import InputError, RedactionError

from .audit import AuditLog, request_record
from .errors import AuditUnavailable, PayloadTooLarge, RequestTimeout, Unauthorized
from .metrics import Metrics
from .proxy.replies import provider_error
from .responses import JSONResponse, error_response

__all__ = [
    "AUDITED_ROUTES",
    "LOG_FIELDS_KEY",
    "PROXY_PATHS",
    "SCRUBBING_PROXY_PATHS",
    "AuthMiddleware",
    "BodyLimitMiddleware",
    "RequestContextMiddleware",
    "is_proxy_path",
    "log_fields",
    "proxy_api",
]

LOG_FIELDS_KEY = "redaction_gateway.log"  # scope key: counts a route adds to its request log line
_OPEN_PATHS = frozenset({"/health"})
# The provider proxy's routes (app.api.proxy) that scrub a request, and all of its paths: on
# these ``Authorization`` is the provider's (`is_proxy_path`).
SCRUBBING_PROXY_PATHS = frozenset(
    {"/v1/messages", "/v1/messages/count_tokens", "/v1/chat/completions", "/v1/responses"}
)
PROXY_PATHS = SCRUBBING_PROXY_PATHS | {"/v1/models", "/v1/models/{model_id}"}
# Routes with one audit record per call (app.audit): scrub, rehydrate, forget, the proxy's scrubs.
AUDITED_ROUTES = frozenset({"/scrub", "/rehydrate", "/forget"}) | SCRUBBING_PROXY_PATHS


def is_proxy_path(path: str) -> bool:
    """Whether ``path`` (a request's, or a route template) is one of the provider proxy's."""
    return path in PROXY_PATHS or path.startswith("/v1/models/")


access_log = logging.getLogger("redaction_gateway.access")


def log_fields(scope: MutableMapping[str, Any]) -> dict[str, Any]:
    """The mutable dict of safe fields (counts, timings, error code) for this request's log."""
    fields: dict[str, Any] = scope.setdefault(LOG_FIELDS_KEY, {})
    return fields


async def _send_error(scope: Scope, receive: Receive, send: Send, exc: RedactionError) -> None:
    log_fields(scope)["error"] = exc.code
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    if is_proxy_path(scope.get("path", "")):  # the SDK reads the provider's error shape
        await provider_error(proxy_api(scope), exc, headers)(scope, receive, send)
        return
    await error_response(exc, headers)(scope, receive, send)


async def _send_bad_request(scope: Scope, receive: Receive, send: Send, loc: str, kind: str) -> None:
    if is_proxy_path(scope.get("path", "")):
        await _send_error(scope, receive, send, InputError(f"{loc}: {kind}"))
        return
    log_fields(scope)["error"] = "bad_request"
    body = {"error": "bad_request", "detail": [{"loc": loc, "type": kind}]}
    await JSONResponse(body, status_code=400)(scope, receive, send)


def proxy_api(scope: Scope) -> Literal["anthropic", "openai"]:
    """Whose API a proxy path is (the model list: whose SDK sent it, by its headers)."""
    path: str = scope.get("path", "")
    if path.startswith("/v1/messages"):
        return "anthropic"
    if path.startswith("/v1/models"):
        names = {name for name, _ in scope.get("headers", ())}
        return "anthropic" if b"anthropic-version" in names or b"x-api-key" in names else "openai"
    return "openai"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics, known_paths: frozenset[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.known_paths = known_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = secrets.token_hex(8)
        fields = log_fields(scope)
        status = 500
        started = False
        audit = _audit_log(scope)
        body: list[bytes] = []
        replaced = False  # the audit record could not be written: a 503 went out instead
        if audit is not None:
            receive = _capture(receive, body)

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started, replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                if audit is not None and not await self._audited(audit, scope, request_id, status, body):
                    replaced = True
                    status = 503
                    await error_response(AuditUnavailable("audit log unavailable"))(scope, receive, send_id)
                    return
                message = _with_request_id(message, request_id)
            await send(message)

        async def send_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_request_id(message, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:  # the last line of defence: generic body, type name only
            fields["error"] = "scrub_failed"
            fields["exc_type"] = type(exc).__name__
            if not started:
                await error_response(RedactionError("internal error"))(scope, receive, send_wrapper)
        duration = time.perf_counter() - start
        route = self._route(scope)
        outcome = fields.get("error") or ("ok" if status < 400 else "error")
        self.metrics.observe_request(route, scope["method"], status, duration, str(outcome))
        level = logging.ERROR if status >= 500 else logging.INFO
        if access_log.isEnabledFor(level):
            access_log.log(
                level,
                "request",
                extra={
                    **fields,
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(duration * 1000, 3),
                },
            )

    async def _audited(
        self, audit: AuditLog, scope: Scope, request_id: str, status: int, body: list[bytes]
    ) -> bool:
        """Write the audit record of an audited route before its response starts (so it is
        durable first); False when it cannot be written (the caller then fails closed)."""
        route = self._route(scope)
        if route not in AUDITED_ROUTES:
            # Refused before routing (401, 413): the raw path, when it is one of ours.
            route = scope.get("path", "")
            if route not in AUDITED_ROUTES:
                return True
        fields = log_fields(scope)
        record = request_record(
            audit, route=route, method=scope["method"], status=status, request_id=request_id,
            fields=fields, body=b"".join(body), authenticated=status != 401, task_header=_task_header(scope),
        )  # fmt: skip
        try:
            await asyncio.to_thread(audit.append, record)
        except OSError:
            fields["error"] = "audit_unavailable"
            access_log.error("audit_write_failed", extra={"request_id": request_id})
            return False
        return True

    def _route(self, scope: Scope) -> str:
        route = scope.get("route")
        path = getattr(route, "path", None)
        if isinstance(path, str):
            return path
        raw = scope.get("path", "")
        return raw if raw in self.known_paths else "unmatched"


class AuthMiddleware:
    def __init__(self, app: ASGIApp, api_key: str | None) -> None:
        self.app = app
        self.expected = f"Bearer {api_key}".encode() if api_key else None
        self.expected_proxy = api_key.encode() if api_key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.expected is None or scope["type"] != "http" or scope.get("path") in _OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        if is_proxy_path(scope.get("path", "")):
            await self._proxy(scope, receive, send)
            return
        provided = b""
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                provided = value
                break
        # Scheme is case-insensitive (RFC 7235); the key itself is compared in constant time.
        if provided[:7].lower() == b"bearer ":
            provided = b"Bearer " + provided[7:]
        if not hmac.compare_digest(provided, self.expected):
            await _send_error(scope, receive, send, Unauthorized("missing or wrong caller key"))
            return
        await self.app(scope, receive, send)

    async def _proxy(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.expected_proxy is not None
        provided = b""
        for name, value in scope.get("headers", ()):
            if name == b"x-redaction-key":
                provided = value
                break
        if not hmac.compare_digest(provided, self.expected_proxy):
            await _send_error(scope, receive, send, Unauthorized("missing or wrong caller key"))
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout: float | None = None) -> None:
        self.app = app
        self.limit = max_body_bytes
        self.timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLarge("body_bytes", self.limit)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.isdigit():
                    await _send_bad_request(scope, receive, send, "header.content-length", "int_parsing")
                    return
                if int(value) > self.limit:
                    await _send_error(scope, receive, send, too_large)
                    return
        chunks: list[bytes] = []
        size = 0
        deadline = None if self.timeout is None else asyncio.get_running_loop().time() + self.timeout
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                log_fields(scope)["error"] = RequestTimeout.code
                late = error_response(RequestTimeout("body read timeout"), {"Connection": "close"})
                await late(scope, receive, send)
                return
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await _send_error(scope, receive, send, too_large)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        log_fields(scope)["bytes_in"] = size
        body = b"".join(chunks)
        try:
            # JSON must be UTF-8 (RFC 8259). json.loads would otherwise accept UTF-16, and
            # encoded surrogates ("\xed\xa0\x80") through its 'surrogatepass' decoding.
            body.decode("utf-8")
        except UnicodeDecodeError:
            await _send_bad_request(scope, receive, send, "body", "invalid_utf8")
            return
        await self.app(scope, _replay(body, receive), send)


def _with_request_id(message: Message, request_id: str) -> Message:
    headers = list(message.get("headers", []))
    headers.append((b"x-request-id", request_id.encode("ascii")))
    return {**message, "headers": headers}


def _task_header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-redaction-task-id":  # the proxy's task id (app.api.proxy)
            return str(value.decode("latin-1"))
    return None


def _audit_log(scope: Scope) -> AuditLog | None:
    """The app's audit log (``app.state.audit``, opened by the lifespan), if configured."""
    state = getattr(scope.get("app"), "state", None)
    audit = getattr(state, "audit", None)
    return audit if isinstance(audit, AuditLog) else None


def _capture(receive: Receive, chunks: list[bytes]) -> Receive:
    """A ``receive`` that keeps the body's chunks (for the audit record's task id)."""

    async def capturing() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
        return message

    return capturing


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A ``receive`` that yields the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
