"""OpenAI Chat Completions replies, rehydrated: the JSON completion and its SSE chunks.

Stream (``data: {chunk}`` ... ``data: [DONE]``): one `TextStream` per choice for
``content``, one for ``refusal``, and one JSON-escaping stream per tool call of a choice
for ``function.arguments``. A chunk keeps its shape with each text replaced by what is safe
to show now (possibly ``""``); when a choice finishes (``finish_reason`` set), what its
rehydrators still hold is appended to that chunk's own delta (so the text stays in order);
when the stream ends without one, it goes out in one extra chunk (same id, model and
created, ``finish_reason: null``). Usage, logprobs and finish reasons pass.
"""

from __future__ import annotations

from typing import Any

from .inbound import Rehydration, TextStream
from .sse import SseEvent, encode_event, event_object, json_event

__all__ = ["ChatStream", "rehydrate_completion"]

_TEXT_FIELDS = ("content", "refusal", "reasoning_content")


def rehydrate_completion(completion: Any, rehydration: Rehydration) -> Any:
    """A non-streamed chat completion with every text the client reads restored."""
    return rehydration.json_value(completion)


class ChatStream:
    def __init__(self, rehydration: Rehydration) -> None:
        self.r = rehydration
        # (choice, field) and (choice, "tool", tool call index) -> stream
        self.streams: dict[tuple[Any, ...], TextStream] = {}
        self.template: dict[str, Any] = {}
        self.complete = False  # data: [DONE] (or an error) seen: the stream ended properly

    def event(self, sse: SseEvent) -> list[bytes]:
        if sse.data.strip() == "[DONE]":
            self.complete = True
            return [*self._flush(None), encode_event("[DONE]")]
        chunk = event_object(sse)
        if "error" in chunk:
            self.complete = True
            return [json_event(chunk, sse.event)]
        self.template = {
            k: chunk[k] for k in ("id", "object", "created", "model", "system_fingerprint") if k in chunk
        }
        out: list[bytes] = []
        choices = chunk.get("choices")
        if isinstance(choices, list):
            new_choices = []
            for choice in choices:
                if not isinstance(choice, dict):
                    new_choices.append(choice)
                    continue
                index = choice.get("index", 0)
                choice = dict(choice)
                delta = choice.get("delta")
                if isinstance(delta, dict):
                    choice["delta"] = self._delta(index, delta)
                if choice.get("finish_reason") is not None:
                    # What the streams still hold follows this chunk's own text, in this chunk.
                    choice["delta"] = self._close(index, choice.get("delta"))
                new_choices.append(choice)
            chunk = {**chunk, "choices": new_choices}
        out.append(json_event(chunk, sse.event))
        return out

    def _delta(self, index: Any, delta: dict[str, Any]) -> dict[str, Any]:
        delta = dict(delta)
        for name in _TEXT_FIELDS:
            value = delta.get(name)
            if isinstance(value, str):
                stream = self.streams.get((index, name))
                if stream is None:
                    stream = self.streams[index, name] = self.r.stream()
                delta[name] = stream.feed(value)
        calls = delta.get("tool_calls")
        if isinstance(calls, list):
            new_calls = []
            for call in calls:
                function = call.get("function") if isinstance(call, dict) else None
                args = function.get("arguments") if isinstance(function, dict) else None
                if isinstance(args, str) and isinstance(function, dict):
                    key = (index, "tool", call.get("index", 0))
                    stream = self.streams.get(key)
                    if stream is None:
                        stream = self.streams[key] = self.r.json_stream()
                    call = {**call, "function": {**function, "arguments": stream.feed(args)}}
                new_calls.append(call)
            delta["tool_calls"] = new_calls
        for name in ("audio",):  # anything else with text in it: restored whole
            if name in delta:
                delta[name] = self.r.json_value(delta[name], name)
        return delta

    def _close(self, index: Any, delta: Any) -> Any:
        """``delta`` (the finishing chunk's) with what choice ``index``'s streams hold appended."""
        rests = self._rests(index)
        if not rests:
            return delta
        out = dict(delta) if isinstance(delta, dict) else {}
        for key, rest in rests:
            if key[1] != "tool":
                previous = out.get(key[1])
                out[key[1]] = (previous if isinstance(previous, str) else "") + rest
                continue
            calls = list(out.get("tool_calls") or [])
            for i, call in enumerate(calls):
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and call.get("index", 0) == key[2]:
                    args = function.get("arguments")
                    args = (args if isinstance(args, str) else "") + rest
                    calls[i] = {**call, "function": {**function, "arguments": args}}
                    break
            else:
                calls.append({"index": key[2], "function": {"arguments": rest}})
            out["tool_calls"] = calls
        return out

    def _rests(self, index: Any) -> list[tuple[tuple[Any, ...], str]]:
        """Close choice ``index``'s (None: every choice's) streams: what each still held."""
        keys = [k for k in self.streams if index is None or k[0] == index]
        rests = [(key, self.streams.pop(key).close()) for key in keys]
        return [(key, rest) for key, rest in rests if rest]

    def _flush(self, index: Any) -> list[bytes]:
        """One chunk with what choice ``index``'s (None: every choice's) streams still hold."""
        deltas: dict[Any, dict[str, Any]] = {}
        for key, rest in self._rests(index):
            delta = deltas.setdefault(key[0], {})
            if key[1] == "tool":
                call = {"index": key[2], "function": {"arguments": rest}}
                delta.setdefault("tool_calls", []).append(call)
            else:
                delta[key[1]] = rest
        if not deltas:
            return []
        choices = [{"index": i, "delta": d, "finish_reason": None} for i, d in deltas.items()]
        return [json_event({**self.template, "choices": choices})]

    def finish(self) -> list[bytes]:
        """The upstream ended without ``[DONE]``: flush what is held."""
        return self._flush(None)
