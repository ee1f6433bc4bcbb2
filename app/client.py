"""A Python client for redaction-gateway: ``/scrub``, ``/rehydrate`` and ``/rehydrate/stream``.

    from app.client import GatewayClient

    with GatewayClient("http://127.0.0.1:8787", api_key=None) as gateway:
        scrubbed = gateway.scrub(memo, task_id="t-42", known_entities={"persons": ["Jane Doe"]})
        ...  # send scrubbed.text to Claude, stream its reply:
        for piece in gateway.rehydrate_stream(
            stream.text_stream, task_id="t-42", map_handle=scrubbed.map_handle
        ):
            print(piece, end="", flush=True)

Results are frozen dataclasses (`ScrubResponse`, `RehydrateResponse`). Every error answer
raises a `GatewayError` (``status``, ``code``, ``body``: the safe fields of the error body,
never input text); the documented codes raise a subclass that is also the engine's exception
for the same condition, so ``except MapExpired`` or ``except UnknownTokens`` works the same
in-process and over the wire::

    GatewayError (redaction.errors.RedactionError)
    ├── BadRequestError               400 bad_request            (+ InputError)
    ├── UnknownMapHandleError         400 unknown_map_handle     (+ MapNotFound)
    ├── UnauthorizedError             401 unauthorized           (+ app.errors.Unauthorized)
    ├── UnknownTokensError            409 unknown_tokens         (+ UnknownTokens)
    ├── MapExpiredError               410 map_expired            (+ MapExpired)
    ├── PayloadTooLargeError          413 payload_too_large      (+ app.errors.PayloadTooLarge)
    ├── Tier1RejectedError            422 tier1_detected         (+ Tier1Rejected)
    ├── NerUnavailableError           422 ner_unavailable        (+ NerUnavailable)
    ├── DescriptiveUnredactableError  422 descriptive_unredactable (+ DescriptiveUnredactable)
    ├── StoreUnavailableError         503 store_unavailable      (+ StoreError)
    ├── IdleTimeoutError              408 idle_timeout           (stream only)
    └── GatewayConnectionError        status 0: the gateway could not be reached or answered
                                      something that is not the protocol

The stream helper takes any iterator of text deltas (the Anthropic SDK's ``text_stream``,
the ``delta.content`` pieces of an OpenAI stream) and yields rehydrated text as it becomes
safe to show; see `GatewayClient.rehydrate_stream`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from redaction.errors import (
    DescriptiveUnredactable,
    InputError,
    MapExpired,
    MapNotFound,
    NerUnavailable,
    PolicyBlocked,
    RedactionError,
    StoreError,
    Tier1Rejected,
    UnknownTokens,
)

from .errors import STATUS_BY_CODE, PayloadTooLarge, Unauthorized

__all__ = [
    "DEFAULT_ITEM_ID",
    "BadRequestError",
    "DescriptiveFlag",
    "DescriptiveUnredactableError",
    "GatewayClient",
    "GatewayConnectionError",
    "GatewayError",
    "IdleTimeoutError",
    "MapExpiredError",
    "NerUnavailableError",
    "PayloadTooLargeError",
    "PolicyBlockedError",
    "PolicyError",
    "RehydrateResponse",
    "RehydrateStats",
    "RehydrateStream",
    "RehydratedItem",
    "ScrubResponse",
    "ScrubStats",
    "ScrubbedItem",
    "StoreUnavailableError",
    "Tier1RejectedError",
    "UnauthorizedError",
    "UnknownMapHandleError",
    "UnknownTokensError",
]

T = TypeVar("T")

DEFAULT_ITEM_ID = "item"  # the item id used when a single text is passed
_STREAM_PATH = "/rehydrate/stream"
_SUBPROTOCOL = Subprotocol("redaction-gateway.v1")  # app.api.stream.SUBPROTOCOL
# A delta is sent in pieces of at most this many characters: even escaped (6 bytes a
# character) such a frame stays under the server's default 64 KiB frame limit.
_MAX_FRAME_CHARS = 8192


# -- errors -----------------------------------------------------------------------------------


class GatewayError(RedactionError):
    """An error answer from the gateway.

    ``status``: the HTTP status (for a stream error, the HTTP status of its code); ``code``:
    the error code of docs/architecture.md §5; ``body``: the JSON error body, which holds safe fields only
    (ids, kinds, placeholders, limit names), never input text or a map value.
    """

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        # Not super().__init__: with an engine class as second base, that would be its
        # constructor (UnknownTokens(tokens)...), called with a message.
        Exception.__init__(self, f"{code} ({status})" if status else code)
        self.status = status
        self.code = code
        self.body: dict[str, Any] = dict(body or {})


class BadRequestError(GatewayError, InputError):
    """400 ``bad_request``: ``detail`` lists ``{"loc", "type"}`` pairs naming fields."""

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        detail = self.body.get("detail")
        self.detail: list[dict[str, Any]] = list(detail) if isinstance(detail, list) else []


class UnknownMapHandleError(GatewayError, MapNotFound):
    """400 ``unknown_map_handle``: ``/scrub`` was given a handle that never existed."""


class UnauthorizedError(GatewayError, Unauthorized):
    """401 ``unauthorized``: the gateway wants a caller key and got none or a wrong one."""


class UnknownTokensError(GatewayError, UnknownTokens):
    """409 ``unknown_tokens``: strict rehydration met placeholders the map does not hold.

    ``tokens``: the distinct placeholders (at most 100), ``count``: how many in all.
    """

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        self.tokens = [t for t in self.body.get("tokens", ()) if isinstance(t, str)]
        count = self.body.get("count")
        self.count = count if isinstance(count, int) else len(self.tokens)


class MapExpiredError(GatewayError, MapExpired):
    """410 ``map_expired``: the handle expired, is unknown, or belongs to another task_id."""


class PayloadTooLargeError(GatewayError, PayloadTooLarge):
    """413 ``payload_too_large``: ``limit`` names the limit, ``maximum`` is its value."""

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        self.limit = str(self.body.get("limit", ""))
        maximum = self.body.get("max")
        self.maximum = maximum if isinstance(maximum, int) else 0


class Tier1RejectedError(GatewayError, Tier1Rejected):
    """422 ``tier1_detected``: ``spans`` lists ``(item id, kinds)``, never values."""

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        self.spans = [
            (str(s.get("item")), [str(k) for k in s.get("kinds", ())])
            for s in self.body.get("spans", ())
            if isinstance(s, dict)
        ]


class NerUnavailableError(GatewayError, NerUnavailable):
    """422 ``ner_unavailable``: ``layer`` could not do its job, ``reason`` says how."""

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        self.layer = str(self.body.get("layer", ""))
        self.reason = str(self.body.get("reason", ""))


class DescriptiveUnredactableError(GatewayError, DescriptiveUnredactable):
    """422 ``descriptive_unredactable``: ``items`` holds the ids of the items concerned."""

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        self.items = [str(i) for i in self.body.get("items", ())]


class PolicyBlockedError(GatewayError, PolicyBlocked):
    """422 ``policy_blocked``: ``spans`` lists ``(item id, kinds)`` the policy blocks, never values."""

    def __init__(self, status: int, code: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, code, body)
        self.spans = [
            (str(s.get("item")), [str(k) for k in s.get("kinds", ())])
            for s in self.body.get("spans", ())
            if isinstance(s, dict)
        ]


class PolicyError(GatewayError):
    """A policy refusal (docs/architecture.md §12): 400 ``invalid_policy`` (``body`` names the
    key and rule), 400 ``unknown_profile``, 403 ``policy_override_forbidden``."""


class StoreUnavailableError(GatewayError, StoreError):
    """503 ``store_unavailable``: the gateway's map store cannot be read or written."""


class IdleTimeoutError(GatewayError):
    """``idle_timeout`` (stream only): no frame reached the gateway within its idle timeout."""


class GatewayConnectionError(GatewayError):
    """The gateway could not be reached, or its answer was not the protocol (``status`` 0)."""

    def __init__(self, reason: str) -> None:
        super().__init__(0, "connection_error", {"reason": reason})
        self.reason = reason


_ERRORS: dict[str, type[GatewayError]] = {
    "bad_request": BadRequestError,
    "unknown_map_handle": UnknownMapHandleError,
    "unauthorized": UnauthorizedError,
    "unknown_tokens": UnknownTokensError,
    "map_expired": MapExpiredError,
    "payload_too_large": PayloadTooLargeError,
    "tier1_detected": Tier1RejectedError,
    "policy_blocked": PolicyBlockedError,
    "invalid_policy": PolicyError,
    "unknown_profile": PolicyError,
    "policy_override_forbidden": PolicyError,
    "ner_unavailable": NerUnavailableError,
    "descriptive_unredactable": DescriptiveUnredactableError,
    "store_unavailable": StoreUnavailableError,
    "idle_timeout": IdleTimeoutError,
}
_STATUS = {**STATUS_BY_CODE, "idle_timeout": 408}


def _error(status: int, body: Any) -> GatewayError:
    """The exception for an error answer; an unparseable body keeps only the status."""
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return GatewayError(status, "unexpected_response")
    safe = {k: v for k, v in body.items() if k != "type"}
    code: str = safe["error"]
    return _ERRORS.get(code, GatewayError)(status, code, safe)


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScrubbedItem:
    id: str
    scrubbed_text: str
    tokens_used: tuple[str, ...]  # "PERSON_1", "PERSON_1.2", in order of first use


@dataclass(frozen=True, slots=True)
class DescriptiveFlag:
    item: str
    count: int
    action: str  # "dropped" | "reported"


@dataclass(frozen=True, slots=True)
class ScrubStats:
    tier1_dropped: int
    tier2_tokenized: int
    distinct_entities: int
    descriptive_flags: tuple[DescriptiveFlag, ...]
    by_type: Mapping[str, int]
    # {"profile", "hash", "outcomes"}: which policy scrubbed the data (docs/architecture.md §12)
    policy: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScrubResponse:
    task_id: str
    map_handle: str
    expires_at: str  # ISO 8601 UTC, "2026-01-02T05:04:05Z"
    items: tuple[ScrubbedItem, ...]
    stats: ScrubStats

    @property
    def texts(self) -> dict[str, str]:
        """Item id -> scrubbed text."""
        return {item.id: item.scrubbed_text for item in self.items}

    @property
    def text(self) -> str:
        """The scrubbed text of a one-item request (`ValueError` for several items)."""
        return _only(self.items).scrubbed_text


@dataclass(frozen=True, slots=True)
class RehydratedItem:
    id: str
    rehydrated_text: str


@dataclass(frozen=True, slots=True)
class RehydrateStats:
    tokens_substituted: int
    unknown_tokens: int  # left in place (lenient mode); strict mode raises instead
    masked: Mapping[str, int] = field(default_factory=dict)  # response scan: kind -> values masked


@dataclass(frozen=True, slots=True)
class RehydrateResponse:
    items: tuple[RehydratedItem, ...]
    stats: RehydrateStats

    @property
    def texts(self) -> dict[str, str]:
        """Item id -> rehydrated text."""
        return {item.id: item.rehydrated_text for item in self.items}

    @property
    def text(self) -> str:
        """The rehydrated text of a one-item request (`ValueError` for several items)."""
        return _only(self.items).rehydrated_text


def _only(items: Sequence[T]) -> T:
    if len(items) != 1:
        raise ValueError(f"the response holds {len(items)} items; use .texts")
    return items[0]


def _scrub_response(body: dict[str, Any]) -> ScrubResponse:
    stats = body["stats"]
    return ScrubResponse(
        task_id=body["task_id"],
        map_handle=body["map_handle"],
        expires_at=body["expires_at"],
        items=tuple(
            ScrubbedItem(i["id"], i["scrubbed_text"], tuple(i["tokens_used"])) for i in body["items"]
        ),
        stats=ScrubStats(
            tier1_dropped=stats["tier1_dropped"],
            tier2_tokenized=stats["tier2_tokenized"],
            distinct_entities=stats["distinct_entities"],
            descriptive_flags=tuple(
                DescriptiveFlag(f["item"], f["count"], f["action"]) for f in stats["descriptive_flags"]
            ),
            by_type=dict(stats["by_type"]),
            policy=dict(stats.get("policy", {})),
        ),
    )


def _rehydrate_stats(stats: Mapping[str, Any]) -> RehydrateStats:
    return RehydrateStats(stats["tokens_substituted"], stats["unknown_tokens"], dict(stats.get("masked", {})))


def _rehydrate_response(body: dict[str, Any]) -> RehydrateResponse:
    return RehydrateResponse(
        items=tuple(RehydratedItem(i["id"], i["rehydrated_text"]) for i in body["items"]),
        stats=_rehydrate_stats(body["stats"]),
    )


# -- transport helpers ------------------------------------------------------------------------


def _json(content: Any) -> str:
    """Compact JSON; ASCII escapes when the content holds a lone surrogate (legal in a str,
    not encodable as UTF-8), so the gateway gets back exactly the string passed."""
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(content, separators=(",", ":"))
    return text


def _items(items: str | Mapping[str, str]) -> list[dict[str, str]]:
    if isinstance(items, str):
        return [{"id": DEFAULT_ITEM_ID, "text": items}]
    return [{"id": item_id, "text": text} for item_id, text in items.items()]


def _pieces(text: str) -> Iterator[str]:
    for start in range(0, len(text), _MAX_FRAME_CHARS):
        yield text[start : start + _MAX_FRAME_CHARS]


_END = object()


def _next_delta(source: Iterator[str]) -> Any:
    """The next non-empty delta, or `_END`."""
    for delta in source:
        if not isinstance(delta, str):
            raise TypeError(f"text deltas must be str, got {type(delta).__name__}")
        if delta:
            return delta
    return _END


# -- the stream -------------------------------------------------------------------------------


class _Sender(threading.Thread):
    """Pulls deltas from the caller's iterator and sends them, so that receiving (and the
    caller's loop) never waits for the next delta."""

    def __init__(self, conn: ClientConnection, first: Any, source: Iterator[str]) -> None:
        super().__init__(name="redaction-gateway-stream-sender", daemon=True)
        self.conn = conn
        self.first = first
        self.source = source
        self.stopped = threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            delta = self.first
            while delta is not _END:
                for piece in _pieces(delta):
                    if self.stopped.is_set():
                        return
                    self.conn.send(_json({"type": "delta", "text": piece}))
                delta = _next_delta(self.source)
            self.conn.send('{"type":"end"}')
        except ConnectionClosed:
            pass  # the receiving side reports why the socket closed
        except Exception as exc:  # the caller's iterator failed: the caller gets this error
            self.error = exc
            self.conn.close()


class RehydrateStream(Iterator[str]):
    """Rehydrated text from a stream of deltas: iterate it; ``stats`` is set once it ends.

    Iteration opens the WebSocket when the first delta is available (so time the model
    spends before its first text never counts against the gateway's idle timeout), sends
    every delta from a helper thread as the iterator yields it, and yields each rehydrated
    piece as soon as the gateway answers it: the first piece arrives long before the last
    delta. Errors are raised from iteration: a `GatewayError`, or whatever the deltas
    iterator raised. ``close()`` (or leaving a ``with`` block) ends the stream early.
    """

    def __init__(
        self,
        open_socket: Callable[[ExitStack], ClientConnection],
        deltas: Iterable[str],
        start: Mapping[str, Any],
    ) -> None:
        self.stats: RehydrateStats | None = None
        self._run = self._iterate(open_socket, iter(deltas), dict(start))

    def __iter__(self) -> RehydrateStream:
        return self

    def __next__(self) -> str:
        return next(self._run)

    def close(self) -> None:
        self._run.close()

    def __enter__(self) -> RehydrateStream:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _iterate(
        self,
        open_socket: Callable[[ExitStack], ClientConnection],
        source: Iterator[str],
        start: dict[str, Any],
    ) -> Generator[str, None, None]:
        first = _next_delta(source)
        with ExitStack() as stack:
            conn = open_socket(stack)
            sender = _Sender(conn, first, source)
            try:
                conn.send(_json({"type": "start", **start}))
                sender.start()
                while True:
                    try:
                        raw = conn.recv()
                    except ConnectionClosed as exc:
                        if sender.error is not None:
                            raise sender.error from None
                        rcvd = exc.rcvd
                        raise _closed(rcvd.code if rcvd else 1006, rcvd.reason if rcvd else "") from None
                    frame = _frame(raw)
                    kind = frame.get("type")
                    if kind == "delta" and isinstance(frame.get("text"), str):
                        yield frame["text"]
                    elif kind == "done" and isinstance(frame.get("stats"), dict):
                        self.stats = _rehydrate_stats(frame["stats"])
                        return
                    elif kind == "error":
                        raise _error(_STATUS.get(str(frame.get("error")), 500), frame)
                    elif kind != "ready":
                        raise GatewayConnectionError("unexpected frame")
            finally:
                sender.stopped.set()
                conn.close()
                # After `done` the sender has sent `end` and is finishing. Otherwise it may be
                # waiting on the caller's iterator: it stops at its next delta, and being a
                # daemon thread it never keeps the process alive, so nobody waits for it.
                if self.stats is not None and sender.is_alive():
                    sender.join(timeout=1.0)


def _frame(raw: str | bytes) -> dict[str, Any]:
    try:
        frame = json.loads(raw)
    except ValueError:
        frame = None
    if not isinstance(frame, dict):
        raise GatewayConnectionError("unexpected frame")
    return frame


def _closed(code: int, reason: str) -> GatewayError:
    """The error for a close that no error frame explained (4000 + status, reason = code)."""
    if 4000 <= code < 5000 and reason in _ERRORS:
        return _error(code - 4000, {"error": reason})
    return GatewayConnectionError(f"stream closed with code {code}")


# -- the client -------------------------------------------------------------------------------


class GatewayClient:
    """A synchronous client for one gateway, over one `httpx.Client` (connections are reused).

    ``base_url``: where the gateway listens (``http://127.0.0.1:8787``; ``https://`` for TLS,
    the stream then uses ``wss://``). ``api_key``: sent as ``Authorization: Bearer`` when the
    gateway has ``REDACTION_API_KEY`` set. ``timeout``: seconds for each HTTP request and for
    opening a stream. Close it (or use ``with``) to release its connections.
    """

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8787",
        *,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout
        self._http = httpx.Client(base_url=self.base_url, headers=self._headers, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GatewayClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def scrub(
        self,
        items: str | Mapping[str, str],
        *,
        task_id: str,
        known_entities: Mapping[str, Sequence[str]] | None = None,
        tier1_action: str = "drop",
        bucket_amounts: bool = False,
        bucket_dates: bool = False,
        ner: str = "auto",
        map_handle: str | None = None,
        actor: str | None = None,
        profile: str | None = None,
        policy: Mapping[str, Any] | None = None,
    ) -> ScrubResponse:
        """``POST /scrub``. ``items``: one text (its item id is ``"item"``) or ``{id: text}``.

        ``map_handle`` extends an existing map (same values keep their tokens). ``profile``
        names a policy profile; ``policy`` adds to it: ``{"deny": [{"term", "type"}], "rules":
        [{"name", "pattern", "type", "action", ...}], "allow": [...], "actions": {TYPE: action}}``
        (docs/policies.md). The effective policy's hash is in ``stats.policy``.
        """
        body: dict[str, Any] = {
            "task_id": task_id,
            "items": _items(items),
            "tier1_action": tier1_action,
            "bucket": {"amounts": bucket_amounts, "dates": bucket_dates},
            "ner": ner,
        }
        if known_entities:
            body["known_entities"] = {kind: list(values) for kind, values in known_entities.items()}
        if map_handle is not None:
            body["map_handle"] = map_handle
        if actor is not None:
            body["actor"] = actor
        if profile is not None:
            body["profile"] = profile
        if policy is not None:
            body["policy"] = dict(policy)
        return _scrub_response(self._post("/scrub", body))

    def forget(self, *, task_id: str, map_handle: str) -> None:
        """``POST /forget``: erase the map now; later use of the handle raises `MapExpiredError`.
        Idempotent (forgetting a map that is gone already succeeds)."""
        self._post("/forget", {"task_id": task_id, "map_handle": map_handle})

    def policy(self) -> dict[str, Any]:
        """``GET /policy``: every profile's effective policy (no terms or patterns) and hash."""
        try:
            response = self._http.get("/policy")
        except httpx.TransportError as exc:
            raise GatewayConnectionError(type(exc).__name__) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200:
            raise _error(response.status_code, answer)
        if not isinstance(answer, dict):
            raise GatewayConnectionError("unexpected response")
        return answer

    def rehydrate(
        self,
        items: str | Mapping[str, str],
        *,
        task_id: str,
        map_handle: str,
        strict: bool = True,
        scan: Literal["off", "tier1", "all"] | None = None,
    ) -> RehydrateResponse:
        """``POST /rehydrate``. ``items``: one text (item id ``"item"``) or ``{id: text}``.
        ``scan``: mask values the model invented (``None``: the service's default)."""
        body: dict[str, Any] = {"task_id": task_id, "map_handle": map_handle, "items": _items(items)}
        body["strict"] = strict
        if scan is not None:
            body["scan"] = scan
        return _rehydrate_response(self._post("/rehydrate", body))

    def rehydrate_stream(
        self,
        deltas: Iterable[str],
        *,
        task_id: str,
        map_handle: str,
        strict: bool = True,
        scan: Literal["off", "tier1", "all"] | None = None,
    ) -> RehydrateStream:
        """``/rehydrate/stream``: iterate the result to get rehydrated text as it arrives.

        ``deltas``: any iterable of text pieces, split anywhere (``stream.text_stream`` of the
        Anthropic SDK, or ``chunk.choices[0].delta.content or ""`` of an OpenAI stream). It
        is consumed on a helper thread. The concatenated output equals ``rehydrate`` of the
        concatenated deltas; with ``strict``, iteration raises `UnknownTokensError` as soon
        as a placeholder the map does not hold is complete (text yielded before it stays
        yielded). After the last piece, ``.stats`` holds the counts of ``rehydrate``. ``scan``
        as for ``rehydrate``; when on, the service holds back a bounded tail (128 to 384
        characters) so a value split across deltas is still masked.
        """
        start: dict[str, Any] = {"task_id": task_id, "map_handle": map_handle, "strict": strict}
        if scan is not None:
            start["scan"] = scan
        return RehydrateStream(self._open_stream, deltas, start)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(
                path, content=_json(body).encode("utf-8"), headers={"content-type": "application/json"}
            )
        except httpx.TransportError as exc:
            raise GatewayConnectionError(type(exc).__name__) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200:
            raise _error(response.status_code, answer)
        if not isinstance(answer, dict):
            raise GatewayConnectionError("unexpected response")
        return answer

    def _open_stream(self, stack: ExitStack) -> ClientConnection:
        """Open the stream's WebSocket; ``stack`` closes it."""
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = urlunsplit((scheme, parts.netloc, parts.path + _STREAM_PATH, "", ""))
        try:
            return stack.enter_context(
                connect(
                    url,
                    additional_headers=self._headers,
                    subprotocols=[_SUBPROTOCOL],
                    open_timeout=self._timeout,
                    close_timeout=self._timeout,
                    max_size=None,  # rehydrated frames grow with the values: the gateway is trusted
                    # No permessage-deflate: compressed sizes of frames that mix model-chosen
                    # text with real values would be a side channel on the wire.
                    compression=None,
                )
            )
        except InvalidStatus as exc:  # refused at the handshake (401 unauthorized)
            response = exc.response
            try:
                body = json.loads(response.body or b"")
            except ValueError:
                body = None
            raise _error(response.status_code, body) from None
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise GatewayConnectionError(type(exc).__name__) from exc
