"""OpenAI Responses replies, rehydrated: the JSON response and its typed SSE events.

Stream: every ``*.delta`` event of a text the model writes (output text, refusal, function
and MCP call arguments, custom tool input, reasoning text and summaries) goes through one
`TextStream` per output item and part; a delta whose rehydrated text is empty is not sent.
Its ``*.done`` event carries the full text, which becomes exactly the concatenation of the
rehydrated deltas sent (what a rehydrator still held is sent first, as one more delta).
Sequence numbers are renumbered from the upstream's first so that such an added delta keeps
them unique and increasing; text still held when a terminal event (``response.completed``...)
arrives is sent before it. Events that carry whole objects
(``response.created``/``completed``, ``output_item.added``/``done``,
``content_part.added``/``done``, annotations) are restored whole, with the same result
(batch and stream rehydration agree for every split, docs/architecture.md §9).
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from .inbound import Rehydration, TextStream
from .sse import SseEvent, event_object, json_event

__all__ = ["ResponsesStream", "rehydrate_response"]


class _Family(NamedTuple):
    done: str  # the closing event's type
    field: str  # the done event's full-text field
    json: bool  # the text is JSON (arguments): values escaped when restored
    part: str  # the field that tells parts of one item apart


_FAMILIES: Final = {
    "response.output_text.delta": _Family("response.output_text.done", "text", False, "content_index"),
    "response.refusal.delta": _Family("response.refusal.done", "refusal", False, "content_index"),
    "response.function_call_arguments.delta": _Family(
        "response.function_call_arguments.done", "arguments", True, "output_index"
    ),
    "response.mcp_call_arguments.delta": _Family(
        "response.mcp_call_arguments.done", "arguments", True, "output_index"
    ),
    "response.custom_tool_call_input.delta": _Family(
        "response.custom_tool_call_input.done", "input", False, "output_index"
    ),
    "response.reasoning_text.delta": _Family("response.reasoning_text.done", "text", False, "content_index"),
    "response.reasoning_summary_text.delta": _Family(
        "response.reasoning_summary_text.done", "text", False, "summary_index"
    ),
}
_TERMINAL: Final = frozenset({"response.completed", "response.failed", "response.incomplete", "error"})
_DONE: Final = {family.done: (delta, family) for delta, family in _FAMILIES.items()}


def rehydrate_response(response: Any, rehydration: Rehydration) -> Any:
    """A non-streamed Responses object with every text the client reads restored."""
    return rehydration.json_value(response)


def _key(delta_type: str, family: _Family, data: dict[str, Any]) -> tuple[Any, ...]:
    return (delta_type, data.get("output_index"), data.get("item_id"), data.get(family.part))


class ResponsesStream:
    def __init__(self, rehydration: Rehydration) -> None:
        self.r = rehydration
        self.streams: dict[tuple[Any, ...], TextStream] = {}
        self.complete = False  # a terminal event seen: the stream ended properly
        self.sequence: int | None = None  # the next sequence_number sent (from the upstream's first)

    def event(self, sse: SseEvent) -> list[bytes]:
        return [json_event(self._number(data), name) for data, name in self._events(sse)]

    def _number(self, data: dict[str, Any]) -> dict[str, Any]:
        """Renumbered: a held-back delta sent before its done event takes a number of its own,
        so the client sees unique, increasing sequence numbers."""
        number = data.get("sequence_number")
        if not isinstance(number, int) or isinstance(number, bool):
            return data
        if self.sequence is None:
            self.sequence = number
        data = {**data, "sequence_number": self.sequence}
        self.sequence += 1
        return data

    def _events(self, sse: SseEvent) -> list[tuple[dict[str, Any], str | None]]:
        data = event_object(sse)
        kind = data.get("type")
        name = sse.event
        if kind in _TERMINAL:
            self.complete = True
            # Text still held by a stream whose done event never came goes out before the end.
            return [*self._held(data.get("sequence_number")), (self._whole(data), name)]
        family = _FAMILIES.get(kind) if isinstance(kind, str) else None
        if family is not None and isinstance(data.get("delta"), str):
            key = _key(str(kind), family, data)
            stream = self.streams.get(key)
            if stream is None:
                stream = self.streams[key] = self.r.json_stream() if family.json else self.r.stream()
            text = stream.feed(data["delta"])
            return [({**data, "delta": text}, name)] if text else []
        closing = _DONE.get(kind) if isinstance(kind, str) else None
        if closing is not None:
            return self._done(data, name, *closing)
        return [(self._whole(data), name)]

    def _whole(self, data: dict[str, Any]) -> dict[str, Any]:
        return data if data.get("type") == "error" else dict(self.r.json_value(data))

    def _done(
        self, data: dict[str, Any], name: str | None, delta_type: str, family: _Family
    ) -> list[tuple[dict[str, Any], str | None]]:
        stream = self.streams.pop(_key(delta_type, family, data), None)
        out: list[tuple[dict[str, Any], str | None]] = []
        if stream is None:  # no deltas came: the full text is restored whole
            value = data.get(family.field)
            if isinstance(value, str):
                whole = self.r.arguments(value) if family.json else self.r.text(value)
                data = {**data, family.field: whole}
            return [(data, name)]
        rest = stream.close()
        if rest:
            extra = {k: v for k, v in data.items() if k != family.field}
            extra.update(type=delta_type, delta=rest)
            out.append((extra, delta_type))
        out.append(({**data, family.field: stream.text}, name))
        return out

    def _held(self, number: Any) -> list[tuple[dict[str, Any], str | None]]:
        out: list[tuple[dict[str, Any], str | None]] = []
        for key, stream in list(self.streams.items()):
            rest = stream.close()
            if rest:
                delta = {"type": key[0], "output_index": key[1], "item_id": key[2], "delta": rest}
                if number is not None:
                    delta["sequence_number"] = number  # renumbered by `_number`
                out.append((delta, key[0]))
        self.streams.clear()
        return out

    def finish(self) -> list[bytes]:
        """Streams left open when the upstream ended: their held text as final deltas."""
        return [json_event(self._number(data), name) for data, name in self._held(None)]
