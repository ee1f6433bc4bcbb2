"""Anthropic Messages replies, rehydrated: the JSON message and its SSE stream.

Stream (``message_start``, ``content_block_start``, ``content_block_delta``...,
``content_block_stop``, ``message_delta``, ``message_stop``, ``ping``, ``error``): one
`TextStream` per content block index. ``text_delta``/``thinking_delta`` text goes through a
plain rehydrator, ``input_json_delta`` fragments through a JSON-escaping one; a delta whose
rehydrated text is empty (all of it held back) is not sent, and what a block's rehydrator
still holds is sent as one more delta of the same kind right before its
``content_block_stop``. Every other event passes with its strings rehydrated (ids, types,
stop reasons and usage untouched), in order, one event out per event in.
"""

from __future__ import annotations

from typing import Any, Final

from .inbound import Rehydration, TextStream
from .sse import SseEvent, event_object, json_event

__all__ = ["AnthropicStream", "rehydrate_message"]

# delta type -> the field holding its text, for the block types that stream text.
_DELTA_FIELDS: Final = {
    "text_delta": "text",
    "thinking_delta": "thinking",
    "input_json_delta": "partial_json",
}
_START_DELTAS: Final = {
    "text": "text_delta", "thinking": "thinking_delta",
    "tool_use": "input_json_delta", "server_tool_use": "input_json_delta", "mcp_tool_use": "input_json_delta",
}  # fmt: skip


def rehydrate_message(message: Any, rehydration: Rehydration) -> Any:
    """A non-streamed Messages reply with every text the client reads restored."""
    return rehydration.json_value(message)


class AnthropicStream:
    """Turns the upstream's events into the client's, one at a time."""

    def __init__(self, rehydration: Rehydration) -> None:
        self.r = rehydration
        self.blocks: dict[int, tuple[TextStream, str]] = {}  # index -> (stream, delta type)
        self.complete = False  # message_stop (or an error event) seen: the stream ended properly

    def event(self, sse: SseEvent) -> list[bytes]:
        data = event_object(sse)
        kind = data.get("type")
        name = sse.event if sse.event is not None else (kind if isinstance(kind, str) else None)
        if kind == "content_block_start":
            return [json_event(self._start(data), name)]
        if kind == "content_block_delta":
            delta = self._delta(data)
            return [] if delta is None else [json_event(delta, name)]
        if kind == "content_block_stop":
            out = self._flush(data.get("index"))
            return [*out, json_event(data, name)]
        if kind in ("message_stop", "error"):
            self.complete = True
        if kind == "message_stop":  # a block never stopped: its held text still precedes the end
            return [*self.finish(), json_event(data, name)]
        if kind in ("ping", "error"):
            return [json_event(data, name)]
        return [json_event(self.r.json_value(data), name)]

    def _start(self, data: dict[str, Any]) -> dict[str, Any]:
        index, block = data.get("index"), data.get("content_block")
        if not isinstance(index, int) or not isinstance(block, dict):
            return dict(self.r.json_value(data))
        delta_type = _START_DELTAS.get(str(block.get("type")))
        if delta_type is None:  # a whole block (search results...): restored at once
            return {**data, "content_block": self.r.json_value(block)}
        stream = self.r.json_stream() if delta_type == "input_json_delta" else self.r.stream()
        self.blocks[index] = (stream, delta_type)
        field = _DELTA_FIELDS[delta_type]
        block = dict(block)
        if field in block and isinstance(block[field], str) and block[field]:
            block[field] = stream.feed(block[field])
        if block.get("input"):
            block["input"] = self.r.json_value({"type": "tool_use", "input": block["input"]})["input"]
        return {**data, "content_block": block}

    def _delta(self, data: dict[str, Any]) -> dict[str, Any] | None:
        index, delta = data.get("index"), data.get("delta")
        if not isinstance(delta, dict):
            return data
        field = _DELTA_FIELDS.get(str(delta.get("type")))
        held = self.blocks.get(index) if isinstance(index, int) else None
        if field is None or not isinstance(delta.get(field), str):
            if delta.get("type") == "signature_delta":
                return data
            return dict(self.r.json_value(data))  # citations_delta and anything newer
        if held is None:  # a delta without its block start: restore it whole
            held = (self.r.json_stream() if field == "partial_json" else self.r.stream(), str(delta["type"]))
            self.blocks[index] = held  # type: ignore[index]
        text = held[0].feed(delta[field])
        if not text:
            return None
        return {**data, "delta": {**delta, field: text}}

    def _flush(self, index: object) -> list[bytes]:
        held = self.blocks.pop(index, None) if isinstance(index, int) else None
        if held is None:
            return []
        stream, delta_type = held
        rest = stream.close()
        if not rest:
            return []
        delta = {
            "type": "content_block_delta",
            "index": index,
            "delta": {"type": delta_type, _DELTA_FIELDS[delta_type]: rest},
        }
        return [json_event(delta, "content_block_delta")]

    def finish(self) -> list[bytes]:
        """The upstream ended: what any unclosed block still holds."""
        out: list[bytes] = []
        for index in list(self.blocks):
            out.extend(self._flush(index))
        return out
