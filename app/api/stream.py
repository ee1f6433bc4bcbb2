"""``GET /rehydrate/stream``: rehydrate an LLM's streamed reply as it arrives (docs/architecture.md §9).

A WebSocket. The client sends Claude's text deltas as they arrive and receives rehydrated
text as soon as it is safe to show: only a possible partial token at the end of what was
received so far (at most 90 characters after a ``[``) is held back, and flushed at the end.
Per-frame cost depends on the frame, never on the size of the map.

Opening. ``GET /rehydrate/stream`` with the usual WebSocket upgrade headers; no query
parameters. With ``REDACTION_API_KEY`` set, the caller key is checked at the handshake, as on
every other route: ``Authorization: Bearer <key>``, or (browsers cannot set headers on a
WebSocket) the subprotocols ``redaction-gateway.v1`` and ``bearer.<base64url(key)>`` offered
together. A missing or wrong key is answered with HTTP 401 ``{"error": "unauthorized"}`` and
no WebSocket. When a client offers ``redaction-gateway.v1``, the server selects it (never
the bearer subprotocol, which would echo the key). The handshake response carries an
``X-Request-ID``, the ``request_id`` of the stream's log line.

Frames. Every frame, both ways, is a text frame holding one JSON object with a ``type``.
Client to server, in this order:

- ``{"type": "start", "task_id": "t-42", "map_handle": "...", "strict": true, "scan": "tier1"}``:
  first and once. ``task_id`` and ``map_handle`` as for ``POST /rehydrate`` (same binding,
  same errors); ``strict`` defaults to true; ``scan`` (``off``, ``tier1``, ``all``) defaults
  to ``REDACTION_RESPONSE_SCAN`` and masks values the model invented, as ``POST /rehydrate``
  does (docs/architecture.md §11). The handle travels in a frame, not in the URL, so it never
  reaches a proxy's access log.
- ``{"type": "delta", "text": "..."}``: any number, any split (``"[PER"`` then ``"SON_1]"``).
- ``{"type": "end"}``: the reply is complete; the held-back tail is flushed.

Server to client:

- ``{"type": "ready"}``: the map is loaded (once, read-only, for the whole stream; its TTL
  is not extended, and a map that expires mid-stream does not stop the stream). A client
  may send deltas before it arrives.
- ``{"type": "delta", "text": "..."}``: rehydrated text, in order, never empty, at most
  ``REDACTION_STREAM_MAX_FRAME_BYTES`` characters each.
- ``{"type": "done", "stats": {"tokens_substituted": N, "unknown_tokens": M}}`` after
  ``end``, the stats of ``POST /rehydrate`` (with ``masked``, by kind, when the scan masked
  anything); then the server closes with code 1000.
- ``{"type": "error", "error": "<code>", ...}``: the body ``POST /rehydrate`` would answer
  for the same error, then the server closes with code 4000 + that HTTP status and the
  error code as the close reason. Nothing follows an error frame.

Errors on an open stream (error code, close code: when):

- ``bad_request``, 4400: not JSON, an unknown ``type``, a missing, mistyped or unknown field,
  a first frame that is not ``start``, a second ``start``, a binary frame. ``detail:
  [{"loc", "type"}]`` names fields (``frame.text``), never values.
- ``unknown_tokens``, 4409: strict, as soon as a complete token the map does not hold is
  seen; ``tokens`` (the placeholders) and ``count``.
- ``map_expired``, 4410: the handle is expired, unknown, malformed or bound to another
  ``task_id``; or the map was erased by ``POST /forget`` while the stream was open (checked
  before each frame is answered: app.api.forget).
- ``payload_too_large``, 4413: one frame over ``REDACTION_STREAM_MAX_FRAME_BYTES`` (``limit:
  "frame_bytes"``, UTF-8 bytes of the frame), all frames together over
  ``REDACTION_MAX_BODY_BYTES`` (``"body_bytes"``), the deltas together over
  ``REDACTION_MAX_ITEM_CHARS`` characters (``"item_chars"``): the stream is one item; or the
  rehydrated output together over ``REDACTION_MAX_OUTPUT_BYTES`` UTF-8 bytes (``"output"``,
  refused before that output is built, as on ``POST /rehydrate``).
- ``idle_timeout``, 4408: no frame from the client for ``REDACTION_STREAM_IDLE_SECONDS``
  (default 30; the wait for ``start`` counts too).

Backpressure: the server reads the next frame only once its output for the previous one has
been handed to the transport, and uvicorn hands it over only while the connection's write
buffer is below its high-water mark. A client that stops reading therefore stops being read
(its own sends block), and the server's memory for it stays at one output frame plus the
transport buffer. A client that does not read for ``REDACTION_STREAM_IDLE_SECONDS`` while
output waits is dropped: no error frame or close frame can reach it, so it sees the connection
end without one (1006); the log line says ``idle_timeout``, status 408.
- ``store_unavailable``, 4503: the map store cannot be read.
- ``scrub_failed``, 4500: anything else (generic).

In strict mode the text delivered before the unknown token stays delivered: a UI should mark
the reply as failed. A frame larger than the server's transport limit (uvicorn's
``--ws-max-size``, 16 MiB by default) is refused by uvicorn with close code 1009 and no error
frame. A client that closes before ``end`` abandons the stream: the held-back tail is
discarded. Lone surrogates travel as JSON escapes (``"\\ud800"``) and come back the same way.

No frame, log line or metric ever carries text from the stream or a map value. Each stream
writes one ``request`` log line (route ``/rehydrate/stream``, method ``GET``, the HTTP status
of its outcome: 200 when it ended with ``done`` or the client left, else the error's) with
counts only, and counts in ``redaction_requests_total`` and ``redaction_outcomes_total``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import logging
import secrets
import time
from functools import partial
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from redaction import SCAN_MODES, ScanMode, ScrubState, StreamRehydrator
from redaction.errors import MapExpired, MapNotFound, RedactionError, UnknownTokens

from ..audit import AuditLog, request_record
from ..errors import PayloadTooLarge, Unauthorized, error_body, status_for
from ..models import ID_MAX_CHARS
from ..responses import JSONResponse, json_bytes
from ..store import MapStore
from .deps import Gateway
from .forget import ForgetWatch
from .rehydrate import OutputBudget, utf8_size

__all__ = ["ROUTE", "SUBPROTOCOL", "IdleTimeout", "close_code", "router"]

ROUTE = "/rehydrate/stream"
SUBPROTOCOL = "redaction-gateway.v1"
_BEARER_PROTOCOL = "bearer."
_NORMAL_CLOSURE = 1000

router = APIRouter(tags=["rehydrate"])
access_log = logging.getLogger("redaction_gateway.access")

# type -> (fields allowed, fields required). Only these names may appear in a `detail` loc;
# any other key, which the client chose and may be a value, shows as "*".
_FRAMES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "start": (frozenset({"type", "task_id", "map_handle", "strict", "scan"}), ("task_id", "map_handle")),
    "delta": (frozenset({"type", "text"}), ("text",)),
    "end": (frozenset({"type"}), ()),
}
_FIELD_TYPES: dict[str, type] = {"task_id": str, "map_handle": str, "strict": bool, "scan": str, "text": str}
_TYPE_NAMES = {str: "string_type", bool: "bool_type"}


class IdleTimeout(RedactionError):
    """No frame from the client within ``REDACTION_STREAM_IDLE_SECONDS``."""

    code = "idle_timeout"


class _BadFrame(RedactionError):
    """A frame the protocol does not allow: ``loc`` names a field, ``kind`` the problem."""

    code = "bad_request"

    def __init__(self, loc: str, kind: str) -> None:
        self.loc = loc
        self.kind = kind
        super().__init__(f"bad frame at {loc}: {kind}")


class _Disconnected(Exception):
    """The client closed the socket (or the transport went away)."""


class _Stalled(Exception):
    """The client did not read our output for the idle timeout: nothing more can reach it."""


def close_code(code: str) -> int:
    """The WebSocket close code for an error code: 4000 + its HTTP status (4408 idle)."""
    return 4000 + (408 if code == IdleTimeout.code else status_for(code))


def _text(content: Any) -> str:
    # ASCII escapes when the content holds a lone surrogate, which UTF-8 cannot carry.
    return json_bytes(content).decode("utf-8")


def _parse(text: str) -> dict[str, Any]:
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):
        raise _BadFrame("frame", "json_invalid") from None
    if not isinstance(frame, dict):
        raise _BadFrame("frame", "dict_type")
    kind = frame.get("type")
    if not isinstance(kind, str) or kind not in _FRAMES:
        raise _BadFrame("frame.type", "missing" if kind is None else "literal_error")
    allowed, required = _FRAMES[kind]
    for key in frame:
        if key not in allowed:
            raise _BadFrame("frame.*", "extra_forbidden")
    for key in required:
        if key not in frame:
            raise _BadFrame(f"frame.{key}", "missing")
    for key, value in frame.items():
        expected = _FIELD_TYPES.get(key)
        if expected is not None and type(value) is not expected:
            raise _BadFrame(f"frame.{key}", _TYPE_NAMES[expected])
    return frame


def _check_start(frame: dict[str, Any], default_scan: ScanMode) -> tuple[str, str, bool, ScanMode]:
    task_id: str = frame["task_id"]
    if not 1 <= len(task_id) <= ID_MAX_CHARS:
        raise _BadFrame("frame.task_id", "string_too_short" if not task_id else "string_too_long")
    try:
        task_id.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: identifiers must be valid Unicode (app.models)
        raise _BadFrame("frame.task_id", "string_unicode") from None
    scan = frame.get("scan", default_scan)
    if scan not in SCAN_MODES:
        raise _BadFrame("frame.scan", "literal_error")
    return task_id, frame["map_handle"], frame.get("strict", True), scan


def _load(store: MapStore, handle: str, task_id: str) -> ScrubState:
    try:
        return store.load(handle, task_id)
    except MapNotFound:  # as on /rehydrate: every handle problem is one 410
        raise MapExpired("unknown map handle") from None


def _authorized(websocket: WebSocket, api_key: str) -> bool:
    expected = f"Bearer {api_key}".encode()
    provided = b""
    for name, value in websocket.scope.get("headers", ()):
        if name == b"authorization":
            provided = value
            break
    if provided[:7].lower() == b"bearer ":  # the scheme is case-insensitive (RFC 7235)
        provided = b"Bearer " + provided[7:]
    ok = hmac.compare_digest(provided, expected)
    for offered in websocket.scope.get("subprotocols", ()):
        if offered.startswith(_BEARER_PROTOCOL):
            encoded = offered[len(_BEARER_PROTOCOL) :]
            try:
                key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            except (binascii.Error, ValueError):
                key = b""
            ok |= hmac.compare_digest(b"Bearer " + key, expected)
    return ok


class _Stream:
    """One WebSocket session: the protocol above, plus its log line and metrics."""

    def __init__(self, websocket: WebSocket, gateway: Gateway) -> None:
        self.websocket = websocket
        self.gateway = gateway
        self.settings = gateway.settings
        self.request_id = secrets.token_hex(8)
        self.fields: dict[str, Any] = {}
        self.bytes_in = 0
        self.bytes_out = 0  # UTF-8 bytes of rehydrated text sent
        self.chars = 0
        self.task_id: str | None = None  # for the audit record only (hashed there), never logged

    async def run(self) -> None:
        started = time.perf_counter()
        status = 200
        outcome = "ok"
        try:
            api_key = self.settings.api_key
            if api_key is not None and not _authorized(self.websocket, api_key.get_secret_value()):
                status, outcome = 401, Unauthorized.code
                await self._deny(Unauthorized("missing or wrong caller key"))
                return
            offered = self.websocket.scope.get("subprotocols", ())
            await self.websocket.accept(
                subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None,
                headers=[(b"x-request-id", self.request_id.encode("ascii"))],
            )
            try:
                await self._serve()
            except _Disconnected:
                outcome = "disconnected"
            except _Stalled:  # no frame can reach it: it is dropped (see Backpressure above)
                status, outcome = 408, IdleTimeout.code
                self.fields["error"] = IdleTimeout.code
            except RedactionError as exc:
                status, outcome = close_code(exc.code) - 4000, exc.code
                await self._fail(exc)
            except Exception as exc:  # the last line of defence: generic frame, type name only
                status, outcome = 500, "scrub_failed"
                self.fields["exc_type"] = type(exc).__name__
                await self._fail(RedactionError("internal error"))
        except _Disconnected:
            outcome = "disconnected"
        except _Stalled:
            pass  # the error frame could not be delivered either: the error's status stands
        finally:
            self._observe(status, outcome, time.perf_counter() - started)
            await self._audit(status, outcome)

    async def _serve(self) -> None:
        start = _parse(await self._receive())
        if start["type"] != "start":
            raise _BadFrame("frame.type", "start_expected")
        task_id, handle, strict, scan = _check_start(start, self.settings.response_scan)
        self.task_id = task_id
        self.fields.update(strict=strict, scan=scan)
        gateway = self.gateway
        state = await gateway.run(partial(_load, gateway.store, handle, task_id))
        self.fields["entries"] = len(state)
        # Every value the stream hands out is charged to the output budget (app.api.rehydrate).
        budget = OutputBudget(state.token_map, self.settings.max_output_bytes)
        stream = StreamRehydrator(budget, strict=strict, scan=scan, types=state.custom_types)
        forgotten = ForgetWatch(gateway, handle)  # POST /forget closes the stream: 4410 (§12)
        await self._send({"type": "ready"})
        max_chars = self.settings.max_item_chars
        try:
            while True:
                frame = _parse(await self._receive())
                await forgotten.check()
                kind = frame["type"]
                if kind == "delta":
                    text: str = frame["text"]
                    self.chars += len(text)
                    if self.chars > max_chars:
                        raise PayloadTooLarge("item_chars", max_chars)
                    # Inline, not in a worker thread: a feed costs microseconds (linear in the
                    # frame, independent of the map) and a thread hop would dominate it.
                    await self._deltas(stream.feed(text))
                elif kind == "end":
                    await self._deltas(stream.close())
                    stats: dict[str, Any] = {
                        "tokens_substituted": stream.substituted,
                        "unknown_tokens": len(stream.unknown),
                    }
                    if stream.masked:
                        stats["masked"] = dict(stream.masked)
                    await self._send({"type": "done", "stats": stats})
                    await self._close(_NORMAL_CLOSURE, "")
                    return
                else:
                    raise _BadFrame("frame.type", "start_repeated")
        finally:
            forgotten.close()
            self.fields.update(
                tokens_substituted=stream.substituted,
                unknown_tokens=len(stream.unknown),
                masked=sum(stream.masked.values()),
            )

    async def _deltas(self, out: str) -> None:
        """Send ``out`` as delta frames of at most the frame limit, once it is within the output
        bound; each send waits while the client is not reading (backpressure)."""
        if not out:
            return
        self.bytes_out += utf8_size(out)
        limit = self.settings.max_output_bytes
        if self.bytes_out > limit:
            raise PayloadTooLarge("output", limit)
        step = self.settings.stream_max_frame_bytes
        for at in range(0, len(out), step):
            await self._send({"type": "delta", "text": out[at : at + step]})

    async def _receive(self) -> str:
        try:
            async with asyncio.timeout(self.settings.stream_idle_seconds):
                message = await self.websocket.receive()
        except TimeoutError:
            raise IdleTimeout("no frame within the idle timeout") from None
        if message["type"] == "websocket.disconnect":
            raise _Disconnected
        text: str | None = message.get("text")
        if text is None:
            raise _BadFrame("frame", "binary_frame")
        limit = self.settings.stream_max_frame_bytes
        # An ASCII frame (the common case) needs no encoding pass to count its bytes.
        size = len(text) if text.isascii() else len(text.encode("utf-8"))
        self.bytes_in += size
        if size > limit:
            raise PayloadTooLarge("frame_bytes", limit)
        if self.bytes_in > self.settings.max_body_bytes:
            raise PayloadTooLarge("body_bytes", self.settings.max_body_bytes)
        return text

    async def _send(self, frame: dict[str, Any]) -> None:
        # uvicorn's send waits while the transport's buffer is over its high-water mark: a
        # client that does not read holds us here, and the idle timeout counts that wait.
        try:
            async with asyncio.timeout(self.settings.stream_idle_seconds):
                await self.websocket.send({"type": "websocket.send", "text": _text(frame)})
        except TimeoutError:
            raise _Stalled from None
        # The client went away: uvicorn raises ClientDisconnected (an OSError), which Starlette
        # turns into WebSocketDisconnect once the socket is connected.
        except (OSError, RuntimeError, WebSocketDisconnect):
            raise _Disconnected from None

    async def _close(self, code: int, reason: str) -> None:
        try:
            async with asyncio.timeout(self.settings.stream_idle_seconds):
                await self.websocket.close(code, reason)
        except TimeoutError:
            raise _Stalled from None
        except (OSError, RuntimeError, WebSocketDisconnect):
            raise _Disconnected from None

    async def _fail(self, exc: RedactionError) -> None:
        self.fields["error"] = exc.code
        if isinstance(exc, UnknownTokens):
            self.fields["unknown_tokens"] = len(exc.tokens)
        body: dict[str, Any] = {"type": "error", **error_body(exc)}
        if isinstance(exc, _BadFrame):
            body["detail"] = [{"loc": exc.loc, "type": exc.kind}]
        await self._send(body)
        await self._close(close_code(exc.code), exc.code)

    async def _deny(self, exc: Unauthorized) -> None:
        self.fields["error"] = exc.code
        headers = {"WWW-Authenticate": "Bearer", "X-Request-ID": self.request_id}
        response = JSONResponse(error_body(exc), status_code=401, headers=headers)
        if "websocket.http.response" in self.websocket.scope.get("extensions", {}):
            await self.websocket.send_denial_response(response)
        else:  # a server without the denial extension answers 403 to a close before accept
            await self.websocket.close(1008)

    async def _audit(self, status: int, outcome: str) -> None:
        """The stream's audit record (app.audit), written when it ends: its counts are only
        known then. A write failure is logged; the text already sent cannot be recalled."""
        audit = getattr(self.websocket.app.state, "audit", None)
        if not isinstance(audit, AuditLog):
            return
        error = None if outcome in ("ok", "disconnected") else outcome
        fields = {**self.fields, "chars": self.chars, "error": error}
        if self.task_id is not None:
            fields["task_id"] = self.task_id
        record = request_record(
            audit, route=ROUTE, method="GET", status=status, request_id=self.request_id,
            fields=fields, body=b"", authenticated=status != 401,
        )  # fmt: skip
        try:
            await asyncio.to_thread(audit.append, record)
        except OSError:
            access_log.error("audit_write_failed", extra={"request_id": self.request_id})

    def _observe(self, status: int, outcome: str, seconds: float) -> None:
        metrics = self.gateway.metrics
        metrics.requests.labels(ROUTE, "GET", str(status)).inc()
        metrics.outcomes.labels(ROUTE, outcome).inc()
        if "entries" in self.fields:  # a map was loaded: the stream was one item
            metrics.items.labels(ROUTE).inc()
            metrics.rehydrated.labels("substituted").inc(self.fields.get("tokens_substituted", 0))
            metrics.rehydrated.labels("unknown").inc(self.fields.get("unknown_tokens", 0))
        level = logging.ERROR if status >= 500 else logging.INFO
        if access_log.isEnabledFor(level):
            access_log.log(
                level,
                "request",
                extra={
                    **self.fields,
                    "request_id": self.request_id,
                    "method": "GET",
                    "route": ROUTE,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                    "chars": self.chars,
                    "bytes_in": self.bytes_in,
                    "bytes_out": self.bytes_out,
                },
            )


@router.websocket(ROUTE)
async def rehydrate_stream(websocket: WebSocket) -> None:
    """Rehydrate a streamed reply frame by frame (protocol in the module docstring)."""
    gateway: Gateway = websocket.app.state.gateway
    await _Stream(websocket, gateway).run()
