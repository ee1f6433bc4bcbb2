"""The stream helper fed by the official ``anthropic`` SDK's ``text_stream``, against a scripted
Messages API server on 127.0.0.1 that answers with real SSE: the integration an agent runs,
with the real client library, and Claude's placeholders split mid-token."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anthropic

from app.client import GatewayClient, RehydrateStats

from .conftest import EMAIL, KNOWN, ORG, PERSON, SOURCE, Gateway

# Claude's reply as text deltas: placeholders split across deltas, a stray `[` at a delta end.
REPLY = ["Thanks, [PER", "SON_1]. I'll loop in [", "ORG_1] and write to [EMAIL", "_1] [", "soon]."]
PAUSE_AFTER = 2  # deltas sent before the server pauses for the test's signal


@dataclass
class ScriptedClaude:
    url: str
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[dict[str, Any]] = field(default_factory=list)
    released_by_client: list[bool] = field(default_factory=list)


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


@contextmanager
def scripted_claude() -> Iterator[ScriptedClaude]:
    """``POST /v1/messages`` with ``stream: true`` answered as the Messages API does, pausing
    after `PAUSE_AFTER` text deltas until ``release`` is set (or 5 s pass)."""
    script = ScriptedClaude("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            script.requests.append(
                {"path": self.path, "body": body, "api_key": self.headers.get("x-api-key")}
            )
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.end_headers()  # HTTP/1.0: the body ends when the connection closes
            message = {
                "id": "msg_test", "type": "message", "role": "assistant", "model": body["model"],
                "content": [], "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": 12, "output_tokens": 1},
            }  # fmt: skip
            self.wfile.write(_sse("message_start", {"type": "message_start", "message": message}))
            block = {"type": "text", "text": ""}
            self.wfile.write(
                _sse(
                    "content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}
                )
            )
            self.wfile.write(_sse("ping", {"type": "ping"}))
            for i, text in enumerate(REPLY):
                if i == PAUSE_AFTER:
                    self.wfile.flush()
                    script.released_by_client.append(script.release.wait(5))
                delta = {"type": "text_delta", "text": text}
                self.wfile.write(
                    _sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
                )
                self.wfile.flush()
            self.wfile.write(_sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
            stop = {"stop_reason": "end_turn", "stop_sequence": None}
            self.wfile.write(
                _sse(
                    "message_delta", {"type": "message_delta", "delta": stop, "usage": {"output_tokens": 20}}
                )
            )
            self.wfile.write(_sse("message_stop", {"type": "message_stop"}))

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield script
    finally:
        script.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_anthropic_text_stream_is_rehydrated_as_it_arrives(gateway: Gateway) -> None:
    with (
        GatewayClient(gateway.url, timeout=5) as redaction,
        scripted_claude() as claude_server,
        anthropic.Anthropic(base_url=claude_server.url, api_key="test", max_retries=0) as claude,
    ):
        scrubbed = redaction.scrub(SOURCE, task_id="t-agent", known_entities=KNOWN, ner="rules_only")
        pieces: list[str] = []
        with claude.messages.stream(
            model="claude-test",
            max_tokens=256,
            messages=[{"role": "user", "content": f"Draft a reply to: {scrubbed.text}"}],
        ) as stream:
            rehydrated = redaction.rehydrate_stream(
                stream.text_stream, task_id="t-agent", map_handle=scrubbed.map_handle
            )
            for piece in rehydrated:
                if not pieces:
                    claude_server.release.set()  # the SSE stream is paused mid-reply right now
                pieces.append(piece)
            final = stream.get_final_message()

    assert claude_server.released_by_client == [True], (
        "the first rehydrated piece must arrive while Claude's stream is still open"
    )
    reply = "".join(REPLY)
    assert final.content[0].type == "text"
    assert final.content[0].text == reply, "the SDK parsed the scripted SSE as Claude's reply"
    batch = redaction_batch(gateway.url, reply, scrubbed.map_handle)
    assert "".join(pieces) == batch == f"Thanks, {PERSON}. I'll loop in {ORG} and write to {EMAIL} [soon]."
    assert rehydrated.stats == RehydrateStats(tokens_substituted=3, unknown_tokens=0)
    # What Claude saw: placeholders only.
    (request,) = claude_server.requests
    assert request["path"] == "/v1/messages"
    assert request["body"]["stream"] is True
    sent = json.dumps(request["body"])
    assert "[PERSON_1]" in sent
    assert not [v for v in (PERSON, ORG, EMAIL, "Canary") if v in sent], "a real value reached the LLM"


def redaction_batch(url: str, text: str, handle: str) -> str:
    with GatewayClient(url, timeout=5) as c:
        return c.rehydrate(text, task_id="t-agent", map_handle=handle).text
