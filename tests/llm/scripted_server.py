"""A scripted OpenAI-compatible server on 127.0.0.1, over real HTTP, for the backstop tests.

Each test decides what ``/v1/chat/completions`` and ``/v1/models`` answer (a fixed `Reply`, or a
function of the request), and reads back every request that reached the server. Delays and
trickled bodies wait on an event that ``stop()`` sets, so the server always shuts down at once
and joins its threads (no socket is left for the garbage collector to warn about).
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = [
    "DOCUMENT",
    "Received",
    "Reply",
    "ScriptedServer",
    "answer",
    "chat",
    "closed_port",
    "json_reply",
    "oracle",
]

# The envelope the backstop puts around each chunk: the closing tag must repeat the opening id.
DOCUMENT = re.compile(r"<document-([0-9a-f]{16})>\n(.*)\n</document-\1>", re.DOTALL)
MODEL_ID = "scripted-model"


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or None

    @property
    def user_message(self) -> str:
        content: str = next(m["content"] for m in self.body["messages"] if m["role"] == "user")
        return content

    @property
    def document(self) -> str:
        match = DOCUMENT.search(self.user_message)
        assert match is not None, "the chunk is not inside a matching <document-ID> envelope"
        return match.group(2)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between body bytes (headers go out at once)
    content_type: str = "application/json"


Handler = Callable[[Received], Reply]


def json_reply(obj: Any, *, status: int = 200, delay: float = 0.0, trickle: float = 0.0) -> Reply:
    return Reply(status, json.dumps(obj).encode(), delay, trickle)


def chat(content: str | Mapping[str, Any] | None, finish_reason: str | None = "stop", **kw: Any) -> Reply:
    """An OpenAI chat-completion body whose message content is ``content`` (a dict is dumped)."""
    text = content if content is None or isinstance(content, str) else json.dumps(content)
    choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish_reason}
    return json_reply({"id": "c1", "object": "chat.completion", "model": MODEL_ID, "choices": [choice]}, **kw)


def answer(
    persons: Iterable[str] = (),
    orgs: Iterable[str] = (),
    locations: Iterable[str] = (),
    descriptive: Iterable[str] = (),
    **kw: Any,
) -> Reply:
    """A well-formed reply with exactly these values, whatever the document says."""
    lists = {"persons": persons, "orgs": orgs, "locations": locations, "descriptive": descriptive}
    return chat({key: list(values) for key, values in lists.items()}, **kw)


def oracle(
    persons: Iterable[str] = (),
    orgs: Iterable[str] = (),
    locations: Iterable[str] = (),
    descriptive: Iterable[str] = (),
) -> Handler:
    """A correct model: it reports the given values that occur in the document it received."""
    lists = {"persons": persons, "orgs": orgs, "locations": locations, "descriptive": descriptive}
    known = {key: list(values) for key, values in lists.items()}

    def handle(request: Received) -> Reply:
        document = request.document
        return chat({key: [v for v in values if v in document] for key, values in known.items()})

    return handle


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    request_queue_size = 128  # the default backlog of 5 drops bursts of connections
    scripted: ScriptedServer


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5  # an idle client cannot hold a handler thread for long

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        scripted = self.server.scripted
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        request = Received(self.command, self.path, dict(self.headers.items()), body)
        scripted.enter(request)
        try:
            self._reply(scripted, scripted.reply_for(request))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout under test): expected
        finally:
            scripted.leave()

    def _reply(self, scripted: ScriptedServer, reply: Reply) -> None:
        if reply.delay and scripted.stopping.wait(reply.delay):
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if not reply.trickle:
            self.wfile.write(reply.body)
            return
        for i in range(len(reply.body)):
            self.wfile.write(reply.body[i : i + 1])
            self.wfile.flush()
            if scripted.stopping.wait(reply.trickle):
                return


@dataclass
class ScriptedServer:
    """``with ScriptedServer(chat=...) as server:`` serves on ``server.url`` until the block ends."""

    chat: Handler | Reply = field(default_factory=lambda: answer())
    models: Reply = field(default_factory=lambda: json_reply({"object": "list", "data": [{"id": MODEL_ID}]}))
    received: list[Received] = field(default_factory=list)
    max_in_flight: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: int = 0
    _httpd: _Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def chats(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == "/v1/chat/completions"]

    @property
    def documents(self) -> list[str]:
        return [r.document for r in self.chats]

    def reply_for(self, request: Received) -> Reply:
        if request.method == "GET" and request.path == "/v1/models":
            return self.models
        if request.method == "POST" and request.path == "/v1/chat/completions":
            return self.chat(request) if callable(self.chat) else self.chat
        return json_reply({"error": "not found"}, status=404)

    def enter(self, request: Received) -> None:
        with self._lock:
            self.received.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def start(self) -> None:
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.scripted = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01})
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
