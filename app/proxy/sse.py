"""Server-sent events as the providers write them: an incremental parser and a writer.

The parser follows the WHATWG event-stream rules the SDKs implement (``event:``, ``data:``
lines, one blank line per event, ``\\r\\n``/``\\r``/``\\n`` line ends, comments and ``id:``/
``retry:`` ignored), and is fed the upstream's bytes as they arrive: an event is yielded as
soon as its blank line is seen, so the proxy adds no buffering beyond one partial event.
The parser bounds one pending event (`MAX_EVENT_BYTES`): a line that never ends cannot grow
without limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import UpstreamUnavailable

__all__ = ["MAX_EVENT_BYTES", "SseEvent", "SseParser", "encode_event", "event_object", "json_event"]

MAX_EVENT_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SseEvent:
    event: str | None  # the ``event:`` field; None when absent
    data: str  # the ``data:`` lines joined by "\n"


def event_object(sse: SseEvent) -> dict[str, Any]:
    """An upstream event's data as a JSON object; anything else is a malformed upstream (502)."""
    try:
        data = json.loads(sse.data)
    except ValueError:
        raise UpstreamUnavailable("malformed_event") from None
    if not isinstance(data, dict):
        raise UpstreamUnavailable("malformed_event")
    return data


def encode_event(data: str, event: str | None = None) -> bytes:
    """One event in the providers' layout: ``event: NAME\\ndata: DATA\\n\\n``."""
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    head = f"event: {event}\n" if event is not None else ""
    return f"{head}{lines}\n".encode()


def json_event(data: Any, event: str | None = None) -> bytes:
    """`encode_event` of compact JSON: UTF-8, or ASCII escapes if a lone surrogate needs them."""
    try:
        return encode_event(json.dumps(data, ensure_ascii=False, separators=(",", ":")), event)
    except UnicodeEncodeError:
        return encode_event(json.dumps(data, separators=(",", ":")), event)


class SseParser:
    """Feed bytes, get complete events; ``close`` checks nothing is left half-sent."""

    __slots__ = ("_buffer", "_data", "_event", "_has_data")

    def __init__(self) -> None:
        self._buffer = b""
        self._event: str | None = None
        self._data: list[str] = []
        self._has_data = False

    def feed(self, chunk: bytes) -> list[SseEvent]:
        buffer = self._buffer + chunk
        events: list[SseEvent] = []
        start = 0
        size = len(buffer)
        while start < size:
            cr = buffer.find(b"\r", start)
            lf = buffer.find(b"\n", start)
            if cr == -1 and lf == -1:
                break
            if cr != -1 and (lf == -1 or cr < lf):
                if cr + 1 == size:
                    break  # "\r" at the end: "\r\n" may still follow
                end, nxt = cr, cr + 2 if buffer[cr + 1 : cr + 2] == b"\n" else cr + 1
            else:
                end, nxt = lf, lf + 1
            line = buffer[start:end].decode("utf-8", errors="replace")
            start = nxt
            event = self._line(line)
            if event is not None:
                events.append(event)
        self._buffer = buffer[start:]
        if len(self._buffer) + sum(len(d) for d in self._data) > MAX_EVENT_BYTES:
            raise UpstreamUnavailable("event_too_large")
        return events

    def _line(self, line: str) -> SseEvent | None:
        if not line:
            if not self._has_data:
                self._event = None
                return None
            event = SseEvent(self._event, "\n".join(self._data))
            self._event, self._data, self._has_data = None, [], False
            return event
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
            self._has_data = True
        return None

    def close(self) -> SseEvent | None:
        """The last event if the stream ended without its blank line (the SDKs accept it)."""
        rest = self._buffer
        self._buffer = b""
        if rest:
            self._line(rest.decode("utf-8", errors="replace").rstrip("\r"))
        if self._has_data:
            event = SseEvent(self._event, "\n".join(self._data))
            self._event, self._data, self._has_data = None, [], False
            return event
        return None
