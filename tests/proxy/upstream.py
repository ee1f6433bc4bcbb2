"""A scripted provider on 127.0.0.1: Anthropic Messages, OpenAI Chat Completions and Responses.

It answers like the real APIs (JSON bodies and SSE event sequences as the services send them,
the same fields the SDKs read), records every request it receives (path, headers, raw body),
and plays what the test scripted: the reply text (by default an echo of the last user text it
received, placeholders and all), a tool call, how the text is cut into stream events, an
error status, a delay before answering, or a connection dropped mid-stream.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Script:
    text: str | None = None  # the reply; None: "ECHO:" + the last user text received
    tool: tuple[str, dict[str, Any]] | None = None  # (name, arguments) of one tool call
    tool_args_raw: str | None = None  # the arguments as exact JSON text (else json.dumps)
    events: list[tuple[str | None, Any]] | None = None  # a stream sent verbatim instead
    pieces: list[int] | None = None  # cut points of the reply text / arguments in the stream
    chunk: int | None = None  # or: stream events of this many characters
    status: int = 200
    error_body: dict[str, Any] | None = None
    delay_before_headers: float = 0.0
    drop_after_events: int | None = None  # close the socket after this many events
    pause_after_events: int | None = None  # wait for `release` (or 10 s) after this many events
    release: threading.Event = field(default_factory=threading.Event)
    stream_closed: threading.Event = field(default_factory=threading.Event)  # we saw the client go


@dataclass
class Upstream:
    url: str
    script: Script = field(default_factory=Script)
    requests: list[Recorded] = field(default_factory=list)

    @property
    def anthropic_base(self) -> str:
        return self.url

    @property
    def openai_base(self) -> str:
        return self.url + "/v1"

    @property
    def last(self) -> Recorded:
        return self.requests[-1]


def _cut(text: str, script: Script) -> list[str]:
    if script.pieces is not None:
        points = [0, *[p for p in script.pieces if 0 < p < len(text)], len(text)]
        return [text[a:b] for a, b in itertools.pairwise(points) if b > a] or [""]
    size = script.chunk or 7
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _last_user_text(api: str, body: dict[str, Any]) -> str:
    if api == "responses":
        items = body.get("input")
        if isinstance(items, str):
            return items
        messages = [i for i in items if i.get("role") == "user"]
    else:
        messages = [m for m in body.get("messages", []) if m.get("role") == "user"]
    if not messages:
        return ""
    content = messages[-1]["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are separate writes: with Nagle on, the body waits for the ACK of the
    # headers, which the client delays by up to 40 ms (a real API's server sends at once).
    disable_nagle_algorithm = True
    upstream: Upstream

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length", "0")))
        up = self.upstream
        up.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, raw))
        script = up.script
        if script.delay_before_headers:
            time.sleep(script.delay_before_headers)
        if self.path == "/v1/messages/count_tokens":
            # Anthropic's count: a deterministic stand-in (a quarter of the body's bytes).
            self._json(200, {"input_tokens": max(1, len(raw) // 4)})
            return
        api = {"/v1/messages": "anthropic", "/v1/chat/completions": "chat", "/v1/responses": "responses"}.get(
            self.path
        )
        if api is None:
            self._json(404, {"error": {"type": "not_found_error", "message": "no such path"}})
            return
        body = json.loads(raw)
        if script.status != 200:
            self._json(script.status, script.error_body or {"error": {"message": "scripted", "type": "x"}})
            return
        text = script.text if script.text is not None else "ECHO:" + _last_user_text(api, body)
        args = None
        if script.tool is not None:
            args = script.tool_args_raw if script.tool_args_raw is not None else json.dumps(script.tool[1])
        model = body.get("model", "m")
        if body.get("stream"):
            self._stream(api, model, text, args, body)
        else:
            self._json(200, _WHOLE[api](model, text, script.tool[0] if script.tool else None, args))

    def do_GET(self) -> None:
        up = self.upstream
        headers = {k.lower(): v for k, v in self.headers.items()}
        up.requests.append(Recorded(self.path, headers, b""))
        path, _, query = self.path.partition("?")
        anthropic = "anthropic-version" in headers
        if not path.startswith("/v1/models"):
            self._json(404, {"error": {"type": "not_found_error", "message": "no such path"}})
            return
        models = [_model(anthropic, name) for name in ("model-large", "model-small")]
        wanted = path.removeprefix("/v1/models").removeprefix("/")
        if wanted:
            found = [m for m in models if m["id"] == wanted]
            if found:
                self._json(200, found[0])
            elif anthropic:
                self._json(404, {"type": "error", "error": {"type": "not_found_error", "message": "model"}})
            else:
                self._json(
                    404, {"error": {"message": "model", "type": "invalid_request_error", "code": None}}
                )
            return
        if anthropic:
            limit = int(dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("limit", "20"))
            page = models[:limit]
            self._json(200, {"data": page, "has_more": len(page) < len(models),
                             "first_id": page[0]["id"], "last_id": page[-1]["id"]})  # fmt: skip
        else:
            self._json(200, {"object": "list", "data": models})

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_scripted")
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.upstream.script.stream_closed.set()  # the gateway hung up (it was told to cancel)

    def _stream(self, api: str, model: str, text: str, args: str | None, body: dict[str, Any]) -> None:
        script = self.upstream.script
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True
        name = script.tool[0] if script.tool else None
        events = script.events or _EVENTS[api](
            model, _cut(text, script), name, _cut(args, script) if args is not None else None, body
        )
        try:
            for n, (event, data) in enumerate(events):
                if script.drop_after_events is not None and n == script.drop_after_events:
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                if script.pause_after_events is not None and n == script.pause_after_events:
                    self.wfile.flush()
                    script.release.wait(10)
                head = f"event: {event}\n" if event else ""
                payload = data if isinstance(data, str) else json.dumps(data)
                self.wfile.write(f"{head}data: {payload}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            script.stream_closed.set()
            return
        if script.pause_after_events is not None:
            # the client went away during the pause: our next write fails
            try:
                for _ in range(50):
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                    time.sleep(0.02)
            except (BrokenPipeError, ConnectionResetError):
                script.stream_closed.set()


def _model(anthropic: bool, name: str) -> dict[str, Any]:
    if anthropic:
        return {
            "type": "model",
            "id": name,
            "display_name": name.title(),
            "created_at": "2025-01-01T00:00:00Z",
        }
    return {"id": name, "object": "model", "created": 1735689600, "owned_by": "scripted"}


# -- Anthropic Messages --------------------------------------------------------------------


def _anthropic_whole(model: str, text: str, tool: str | None, args: str | None) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": text}]
    if tool is not None and args is not None:
        content.append({"type": "tool_use", "id": "toolu_01", "name": tool, "input": json.loads(args)})
    return {
        "id": "msg_01", "type": "message", "role": "assistant", "model": model, "content": content,
        "stop_reason": "tool_use" if tool else "end_turn", "stop_sequence": None,
        "usage": {"input_tokens": 21, "output_tokens": 13},
    }  # fmt: skip


def _anthropic_events(
    model: str, pieces: list[str], tool: str | None, arg_pieces: list[str] | None, body: Any
):
    message = {
        "id": "msg_01", "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 21, "output_tokens": 1},
    }  # fmt: skip
    yield "message_start", {"type": "message_start", "message": message}
    yield (
        "content_block_start",
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    )
    yield "ping", {"type": "ping"}
    for piece in pieces:
        delta = {"type": "text_delta", "text": piece}
        yield "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
    yield "content_block_stop", {"type": "content_block_stop", "index": 0}
    if tool is not None and arg_pieces is not None:
        block = {"type": "tool_use", "id": "toolu_01", "name": tool, "input": {}}
        yield "content_block_start", {"type": "content_block_start", "index": 1, "content_block": block}
        for piece in arg_pieces:
            delta = {"type": "input_json_delta", "partial_json": piece}
            yield "content_block_delta", {"type": "content_block_delta", "index": 1, "delta": delta}
        yield "content_block_stop", {"type": "content_block_stop", "index": 1}
    stop = {"stop_reason": "tool_use" if tool else "end_turn", "stop_sequence": None}
    yield "message_delta", {"type": "message_delta", "delta": stop, "usage": {"output_tokens": 13}}
    yield "message_stop", {"type": "message_stop"}


# -- OpenAI Chat Completions -----------------------------------------------------------------


def _chat_whole(model: str, text: str, tool: str | None, args: str | None) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
    if tool is not None:
        message["tool_calls"] = [
            {"id": "call_01", "type": "function", "function": {"name": tool, "arguments": args}}
        ]
    return {
        "id": "chatcmpl-01", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None,
                     "finish_reason": "tool_calls" if tool else "stop"}],
        "usage": {"prompt_tokens": 21, "completion_tokens": 13, "total_tokens": 34},
        "system_fingerprint": "fp_scripted", "service_tier": "default",
    }  # fmt: skip


def _chat_events(model: str, pieces: list[str], tool: str | None, arg_pieces: list[str] | None, body: Any):
    base = {"id": "chatcmpl-01", "object": "chat.completion.chunk", "created": 1700000000, "model": model,
            "system_fingerprint": "fp_scripted"}  # fmt: skip

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    yield None, chunk({"role": "assistant", "content": "", "refusal": None})
    for piece in pieces:
        yield None, chunk({"content": piece})
    if tool is not None and arg_pieces is not None:
        first = {"index": 0, "id": "call_01", "type": "function", "function": {"name": tool, "arguments": ""}}
        yield None, chunk({"tool_calls": [first]})
        for piece in arg_pieces:
            yield None, chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
    yield None, chunk({}, "tool_calls" if tool else "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        yield (
            None,
            {
                **base,
                "choices": [],
                "usage": {"prompt_tokens": 21, "completion_tokens": 13, "total_tokens": 34},
            },
        )
    yield None, "[DONE]"


# -- OpenAI Responses ----------------------------------------------------------------------


def _responses_output(text: str, tool: str | None, args: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"type": "message", "id": "msg_01", "status": "completed", "role": "assistant",
         "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]}
    ]  # fmt: skip
    if tool is not None:
        out.append({"type": "function_call", "id": "fc_01", "call_id": "call_01", "name": tool,
                    "arguments": args, "status": "completed"})  # fmt: skip
    return out


def _response(model: str, status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "resp_01", "object": "response", "created_at": 1700000000, "status": status, "model": model,
        "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
        "temperature": 1.0, "top_p": 1.0, "text": {"format": {"type": "text"}}, "error": None,
        "incomplete_details": None, "instructions": None, "metadata": {},
        "usage": {"input_tokens": 21, "output_tokens": 13, "total_tokens": 34,
                  "input_tokens_details": {"cached_tokens": 0},
                  "output_tokens_details": {"reasoning_tokens": 0}}
        if status == "completed" else None,
    }  # fmt: skip


def _responses_whole(model: str, text: str, tool: str | None, args: str | None) -> dict[str, Any]:
    return _response(model, "completed", _responses_output(text, tool, args))


def _responses_events(
    model: str, pieces: list[str], tool: str | None, arg_pieces: list[str] | None, body: Any
):
    seq = iter(range(1000))
    text = "".join(pieces)
    args = "".join(arg_pieces) if arg_pieces is not None else None

    def ev(kind: str, **data: Any) -> tuple[str, dict[str, Any]]:
        return kind, {"type": kind, "sequence_number": next(seq), **data}

    yield ev("response.created", response=_response(model, "in_progress", []))
    yield ev("response.in_progress", response=_response(model, "in_progress", []))
    item = {"type": "message", "id": "msg_01", "status": "in_progress", "role": "assistant", "content": []}
    yield ev("response.output_item.added", output_index=0, item=item)
    part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    yield ev("response.content_part.added", item_id="msg_01", output_index=0, content_index=0, part=part)
    for piece in pieces:
        yield ev("response.output_text.delta", item_id="msg_01", output_index=0, content_index=0, delta=piece,
                 logprobs=[])  # fmt: skip
    yield ev(
        "response.output_text.done", item_id="msg_01", output_index=0, content_index=0, text=text, logprobs=[]
    )
    yield ev(
        "response.content_part.done",
        item_id="msg_01",
        output_index=0,
        content_index=0,
        part={**part, "text": text},
    )
    output = _responses_output(text, tool, args)
    yield ev("response.output_item.done", output_index=0, item=output[0])
    if tool is not None and arg_pieces is not None:
        call = {"type": "function_call", "id": "fc_01", "call_id": "call_01", "name": tool, "arguments": "",
                "status": "in_progress"}  # fmt: skip
        yield ev("response.output_item.added", output_index=1, item=call)
        for piece in arg_pieces:
            yield ev("response.function_call_arguments.delta", item_id="fc_01", output_index=1, delta=piece)
        yield ev("response.function_call_arguments.done", item_id="fc_01", output_index=1, arguments=args)
        yield ev("response.output_item.done", output_index=1, item=output[1])
    yield ev("response.completed", response=_response(model, "completed", output))


_WHOLE = {"anthropic": _anthropic_whole, "chat": _chat_whole, "responses": _responses_whole}
_EVENTS = {"anthropic": _anthropic_events, "chat": _chat_events, "responses": _responses_events}


@contextmanager
def scripted_upstream() -> Iterator[Upstream]:
    upstream = Upstream("")
    handler = type("Handler", (_Handler,), {"upstream": upstream})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    upstream.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield upstream
    finally:
        upstream.script.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
