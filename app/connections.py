"""The HTTP connection guard: what uvicorn lacks against slow and flooding clients (docs/architecture.md §8).

uvicorn (0.55, with httptools or h11) bounds a keep-alive connection's idle time
(``timeout_keep_alive``, armed only after a response) but never a request's header read: a
client that sends half a request line and waits holds its socket (and a file descriptor)
forever; ``h11_max_incomplete_event_size`` bounds the head's size under h11 only (httptools has
no bound), and ``limit_concurrency`` counts half-open sockets too and then answers 503 to every
request, the liveness probe included. Hypercorn and Granian were not needed: the protocol
classes below are uvicorn's own, extended. `GuardedHttpToolsProtocol` and
`GuardedH11Protocol` are uvicorn's own HTTP protocols plus:

- a **header deadline**: a connection must deliver a complete request head within
  ``REDACTION_HEADER_TIMEOUT_SECONDS`` of being accepted, and the next one within that time
  of the previous response (a total, not an idle timer: dripping a byte a second does not
  reset it), or it is closed; at most `MAX_HEADER_BYTES` may arrive before the head is
  complete, else 400;
- a **connection bound**: beyond ``REDACTION_MAX_CONNECTIONS`` open connections, a new one
  first evicts the oldest connection that is waiting for a request head (half-open or idle
  keep-alive: it has no request in flight, so nothing is lost); when every connection has a
  request in flight, the new one is still read, but its request is answered 503
  ``overloaded`` (``GET``/``HEAD /health`` excepted, so liveness probes keep answering) and it
  is closed after that response. At most `OVERFLOW_CONNECTIONS` more are accepted that way;
  past that a connection is closed at once. Open file descriptors thus stay bounded, whatever
  the number of clients;
- HTTP parser errors (``Content-Length: 12a``, a TLS hello on the plain port) answered with the
  service's JSON ``bad_request`` body and an ``X-Request-ID``, instead of uvicorn's text/plain.

The body read timeout (a body shorter than its ``Content-Length``) is enforced in the ASGI
stack (`app.middleware.BodyLimitMiddleware`, 408 ``request_timeout``), where a JSON answer can
still be sent. Limits are per worker process; `configure` sets them (`app.server.serve` and
each worker's app factory do).
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import secrets
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from .errors import Overloaded
from .middleware import log_fields
from .responses import error_response
from .settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools comes with uvicorn[standard]
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

__all__ = [
    "MAX_HEADER_BYTES",
    "OVERFLOW_CONNECTIONS",
    "OVERFLOW_SCOPE_KEY",
    "ConnectionLimits",
    "GuardedH11Protocol",
    "OverflowMiddleware",
    "configure",
    "http_protocol",
    "limits",
]

MAX_HEADER_BYTES = 64 * 1024  # a request line plus headers; nginx's default buffers hold 8-32 KB
OVERFLOW_CONNECTIONS = 64  # beyond the bound, connections still read (to answer 503) at once
OVERFLOW_SCOPE_KEY = "redaction_gateway.overflow"  # set on requests of connections over the bound
_RESERVED_FILES = 256  # descriptors kept for the store, logs, the model, outbound clients
_SUMMARY_EVERY_S = 10.0  # closed-connection counts are logged at most this often (no log flood)

log = logging.getLogger("redaction_gateway.connections")
access_log = logging.getLogger("redaction_gateway.access")


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """The guard's limits: seconds to deliver a request head, open connections per process."""

    header_timeout: float = 10.0
    max_connections: int = 1000

    @classmethod
    def from_settings(cls, settings: Settings) -> ConnectionLimits:
        """The configured limits, the connection bound fitted to the open-file limit.

        Raises this process's soft ``RLIMIT_NOFILE`` towards its hard limit as far as the bound
        needs; if even that is too low, lowers the bound (warning ``max_connections_lowered``),
        since a bound the process cannot reach would not protect it.
        """
        wanted = settings.max_connections
        needed = wanted + OVERFLOW_CONNECTIONS + _RESERVED_FILES
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            if soft != resource.RLIM_INFINITY and soft < needed:
                target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
                resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
                soft = target
        except (OSError, ValueError):  # pragma: no cover - a platform without the limit
            soft = resource.RLIM_INFINITY
        if soft != resource.RLIM_INFINITY and soft < needed:
            wanted = max(1, soft - OVERFLOW_CONNECTIONS - _RESERVED_FILES)
            log.warning("max_connections_lowered", extra={"connections": wanted})
        return cls(settings.header_timeout_seconds, wanted)


_limits = ConnectionLimits()


def configure(new: ConnectionLimits) -> None:
    """Set the limits every guarded connection of this process uses from now on."""
    global _limits
    _limits = new


def limits() -> ConnectionLimits:
    """The limits in force in this process."""
    return _limits


class _Registry:
    """Per server: the connections waiting for a request head, oldest first, and counters."""

    def __init__(self) -> None:
        self.waiting: OrderedDict[_Guard, None] = OrderedDict()
        self.closed: dict[str, int] = {}
        self.summary_at = time.monotonic()

    def count(self, reason: str) -> None:
        self.closed[reason] = self.closed.get(reason, 0) + 1
        now = time.monotonic()
        if now - self.summary_at >= _SUMMARY_EVERY_S:
            for name, n in sorted(self.closed.items()):
                log.warning("connections_closed", extra={"error": name, "connections": n})
            self.closed.clear()
            self.summary_at = now


_registries: weakref.WeakKeyDictionary[ServerState, _Registry] = weakref.WeakKeyDictionary()


def _registry(state: ServerState) -> _Registry:
    registry = _registries.get(state)
    if registry is None:
        registry = _registries[state] = _Registry()
    return registry


def _raw_json_response(status: bytes, body: dict[str, Any]) -> bytes:
    """A complete HTTP/1.1 response that closes the connection (written straight to the socket)."""
    payload = json.dumps(body, separators=(",", ":")).encode("ascii")
    request_id = secrets.token_hex(8)
    access_log.info(
        "request",
        extra={"request_id": request_id, "route": "unparsed", "status": int(status[:3]), **_log_error(body)},
    )
    head = (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(payload)).encode("ascii") + b"\r\nconnection: close\r\nx-request-id: "
        + request_id.encode("ascii") + b"\r\n\r\n"
    )  # fmt: skip
    return head + payload


def _log_error(body: dict[str, Any]) -> dict[str, str]:
    return {"error": str(body.get("error", ""))}


class OverflowMiddleware:
    """ASGI: a request on a connection over the bound gets 503 ``overloaded`` (``Retry-After``),
    except ``GET``/``HEAD /health``; either way the connection closes after the response.
    Inside the request context, so these answers carry ``X-Request-ID``, a log line, metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get(OVERFLOW_SCOPE_KEY):
            await self.app(scope, receive, send)
            return

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        if scope.get("path") == "/health" and scope.get("method") in ("GET", "HEAD"):
            await self.app(scope, receive, send_closing)
            return
        exc = Overloaded("over the connection limit")
        log_fields(scope)["error"] = exc.code
        await error_response(exc, {"Retry-After": "1"})(scope, receive, send_closing)


def _mark_overflow(app: Callable[..., Any]) -> ASGIApp:
    async def overflow_app(scope: Scope, receive: Receive, send: Send) -> None:
        scope[OVERFLOW_SCOPE_KEY] = True
        await app(scope, receive, send)

    return overflow_app


class _Guard:
    """The guard itself, mixed into a uvicorn HTTP protocol (attributes below are uvicorn's)."""

    transport: asyncio.Transport
    connections: set[Any]
    server_state: ServerState
    cycle: Any
    app: Any
    loop: asyncio.AbstractEventLoop

    _guard_registry: _Registry
    _guard_timer: asyncio.TimerHandle | None
    _guard_cycle: Any
    _guard_bytes: int
    _guard_waiting: bool

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._guard_registry = _registry(self.server_state)
        self._guard_timer = None
        self._guard_waiting = False
        bound = _limits.max_connections
        if len(self.connections) > bound and not self._evict_one():
            if len(self.connections) > bound + OVERFLOW_CONNECTIONS:
                self._guard_registry.count("over_connection_limit")
                transport.close()
                return
            # Every connection has a request in flight: read this one, answer 503 (app.middleware).
            self.app = _mark_overflow(self.app)
        self._wait_for_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if not self._guard_waiting or self.transport.is_closing():
            return  # upgraded to a WebSocket, or refused by the parser
        if self.cycle is not self._guard_cycle:
            self._stop_waiting()  # a request head is complete: its body has its own deadline
            return
        self._guard_bytes += len(data)
        if self._guard_bytes > MAX_HEADER_BYTES:
            self._stop_waiting()
            self._guard_registry.count("header_too_large")
            body = {"error": "bad_request", "detail": [{"loc": "header", "type": "too_large"}]}
            self.transport.write(_raw_json_response(b"400 Bad Request", body))
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            self._wait_for_head()  # keep-alive: the next head has the same deadline

    def handle_websocket_upgrade(self, *args: Any) -> None:
        self._stop_waiting()  # the WebSocket route bounds its own idle time
        super().handle_websocket_upgrade(*args)  # type: ignore[misc]

    def send_400_response(self, msg: str) -> None:
        self._stop_waiting()
        body = {"error": "bad_request", "detail": [{"loc": "http", "type": "invalid_http"}]}
        self.transport.write(_raw_json_response(b"400 Bad Request", body))
        self.transport.close()

    # -- the deadline ---------------------------------------------------------------------------

    def _wait_for_head(self) -> None:
        self._stop_waiting()
        self._guard_waiting = True
        self._guard_cycle = self.cycle
        self._guard_bytes = 0
        self._guard_registry.waiting[self] = None
        self._guard_timer = self.loop.call_later(_limits.header_timeout, self._head_overdue)

    def _stop_waiting(self) -> None:
        if self._guard_timer is not None:
            self._guard_timer.cancel()
            self._guard_timer = None
        if self._guard_waiting:
            self._guard_waiting = False
            self._guard_registry.waiting.pop(self, None)

    def _head_overdue(self) -> None:
        self._guard_timer = None
        if self._guard_waiting and self.cycle is self._guard_cycle:
            self._stop_waiting()
            self._guard_registry.count("header_timeout")
            if not self.transport.is_closing():
                self.transport.close()

    def _evict_one(self) -> bool:
        """Close the oldest connection waiting for a request head; False if there is none."""
        waiting = self._guard_registry.waiting
        for victim in waiting:
            if victim is not self:
                victim._stop_waiting()
                self._guard_registry.count("evicted")
                victim.transport.close()
                return True
        return False


class GuardedH11Protocol(_Guard, H11Protocol):
    """uvicorn's h11 protocol with the guard (used when httptools is not installed)."""


if HttpToolsProtocol is not None:

    class GuardedHttpToolsProtocol(_Guard, HttpToolsProtocol):
        """uvicorn's httptools protocol with the guard (what `serve` runs)."""

    __all__ += ["GuardedHttpToolsProtocol"]


def http_protocol() -> type[asyncio.Protocol]:
    """The guarded protocol class over the fastest parser installed (httptools, else h11)."""
    if HttpToolsProtocol is not None:
        return GuardedHttpToolsProtocol
    return GuardedH11Protocol  # pragma: no cover - httptools comes with uvicorn[standard]
