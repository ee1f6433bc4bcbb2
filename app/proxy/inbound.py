"""Inbound: the pieces every provider's reply rehydration shares (docs/architecture.md §9, §11).

`Rehydration` holds the request's map and the response-scan mode
(``REDACTION_RESPONSE_SCAN``). A whole text is rehydrated, then scanned
(`redaction.scan_response`); a streamed text goes through one `redaction.StreamRehydrator`
per content block / choice / output item, created with ``scan=`` the same mode, so a
placeholder (or a value) split across events is held back and restored whole.

Tool-call arguments are JSON text; streamed, they arrive as fragments that cannot be parsed
yet. Their rehydrator reads a view of the map whose values are JSON-escaped
(`JsonEscapedMap`), so a restored value containing a quote or a newline still yields valid
JSON once the fragments are joined; whole arguments are restored the same way (identical
bytes, streamed or not), with a parse / restore / re-serialize fallback should the result
not parse; whole arguments holding a JSON escape are always parsed, their decoded strings
restored and scanned, and re-serialized. Streamed argument fragments are scanned as written
(escapes undecoded): docs/threat-model.md names that limit.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, ValuesView
from typing import Any, Final

from redaction import StreamRehydrator, rehydrate_detailed, scan_response

__all__ = ["JsonEscapedMap", "Rehydration", "TextStream"]

_RESPONSE_STRUCTURAL: Final = frozenset(
    {
        "id", "type", "model", "role", "object", "stop_reason", "finish_reason",
        "status", "signature", "tool_use_id", "tool_call_id", "call_id", "item_id", "service_tier",
        "system_fingerprint", "encrypted_content", "name", "previous_response_id", "created_at",
    }
)  # fmt: skip


class JsonEscapedMap(Mapping[str, str]):
    """``token -> value`` as the value is written inside a JSON string (no quotes around it).

    A view: escaping happens per lookup, so building it costs nothing whatever the map's size.
    """

    __slots__ = ("_map",)

    def __init__(self, token_map: Mapping[str, str]) -> None:
        self._map = token_map

    def __getitem__(self, key: str) -> str:
        return _escape(self._map[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)

    def values(self) -> ValuesView[str]:
        # Read from the underlying map's own values(): an output budget wrapping it does not
        # charge them (the response scan's index, not output).
        return dict(zip(self._map, map(_escape, self._map.values()), strict=True)).values()


def _escape(value: str) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate: ASCII escapes parse to the same string
        text = json.dumps(value, ensure_ascii=True)
    return text[1:-1]


class TextStream:
    """One streamed text (a content block, a choice's content, an output item): rehydrated,
    scanned, and remembered whole so a closing event can carry the full text."""

    __slots__ = ("_owner", "_rehydrator", "emitted")

    def __init__(self, owner: Rehydration, token_map: Mapping[str, str]) -> None:
        self._owner = owner
        self._rehydrator = StreamRehydrator(token_map, scan=owner.scan, types=owner.types)
        self.emitted: list[str] = []

    def feed(self, chunk: str) -> str:
        out = self._rehydrator.feed(chunk)
        self.emitted.append(out)
        return out

    def close(self) -> str:
        out = self._rehydrator.close()
        self.emitted.append(out)
        self._owner.substituted += self._rehydrator.substituted
        self._owner.unknown += len(self._rehydrator.unknown)
        return out

    @property
    def text(self) -> str:
        return "".join(self.emitted)


class Rehydration:
    """The map and scan mode of one proxied request, and what rehydrating it counted.

    ``token_map`` may be an output budget (`app.api.rehydrate.OutputBudget`): every value
    handed out, to whole texts and streams alike, is charged to it, so one answer cannot
    multiply a long value beyond ``REDACTION_MAX_OUTPUT_BYTES``.
    """

    def __init__(self, token_map: Mapping[str, str], scan: Any, types: Collection[str] = ()) -> None:
        self.map = token_map
        self.types = frozenset(types)  # the map's custom token types (docs/architecture.md §12)
        self.json_map = JsonEscapedMap(token_map)
        self.scan = scan
        self.substituted = 0
        self.unknown = 0
        self.masked = 0

    def text(self, text: str) -> str:
        """A whole text the model wrote: rehydrated, then scanned."""
        if "[" in text:
            result = rehydrate_detailed(text, self.map)
            self.substituted += result.substituted
            self.unknown += len(result.unknown)
            text = result.text
        scanned = scan_response(text, self.map, self.scan)
        self.masked += sum(scanned.masked.values())
        return scanned.text

    def arguments(self, text: str) -> str:
        """Tool-call arguments (JSON text): restored in place with JSON-escaped values, as a
        stream restores them (same bytes, same formatting); should that not parse while the
        original did, the JSON is parsed, its string values restored, and re-serialized.

        JSON text with a backslash escape is always parsed and re-serialized: the scan must
        read the decoded strings (``5555\\u00205555...`` is a card once decoded)."""
        if "\\" in text:
            try:
                parsed = json.loads(text)
            except ValueError:
                pass
            else:
                return json.dumps(self._data(parsed), ensure_ascii=False)
        stream = self.json_stream()
        restored = stream.feed(text) + stream.close()
        try:
            json.loads(restored)
        except ValueError:
            try:
                parsed = json.loads(text)
            except ValueError:
                return restored  # the model wrote no JSON: nothing to keep valid
            return json.dumps(self._data(parsed), ensure_ascii=False)
        return restored

    def _data(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self._data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._data(v) for v in value]
        return value

    def json_value(self, value: Any, key: str | None = None) -> Any:
        """A reply object: every string rehydrated and scanned, except structural fields
        (ids, types, model, stop reasons, names of tools); ``arguments`` as JSON text;
        a tool call's ``input`` object wholly."""
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                if isinstance(v, str):
                    if k in _RESPONSE_STRUCTURAL:
                        out[k] = v
                    elif k == "arguments":
                        out[k] = self.arguments(v)
                    else:
                        out[k] = self.text(v)
                elif k == "input" and value.get("type") in ("tool_use", "server_tool_use", "mcp_tool_use"):
                    out[k] = self._data(v)
                else:
                    out[k] = self.json_value(v, k)
            return out
        if isinstance(value, list):
            return [self.json_value(v, key) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def stream(self) -> TextStream:
        return TextStream(self, self.map)

    def json_stream(self) -> TextStream:
        return TextStream(self, self.json_map)
