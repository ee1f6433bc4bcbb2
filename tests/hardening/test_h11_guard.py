"""The guard over uvicorn's h11 protocol (what runs where httptools is not installed): the same
header deadline and JSON parser errors as the httptools protocol the service runs by default."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from app import connections
from app.connections import ConnectionLimits, GuardedH11Protocol

from .conftest import read_reply, wait_closed


async def _app(scope: Scope, receive: Receive, send: Send) -> None:  # a bare ASGI app
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def h11_port() -> Iterator[int]:
    before = connections.limits()
    connections.configure(ConnectionLimits(header_timeout=1.0, max_connections=10))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(_app, http=GuardedH11Protocol, log_config=None, lifespan="off", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        connections.configure(before)


def test_h11_half_open_connections_are_closed_and_others_served(h11_port: int) -> None:
    held = [socket.create_connection(("127.0.0.1", h11_port)) for _ in range(30)]
    try:
        for sock in held:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        with socket.create_connection(("127.0.0.1", h11_port), timeout=5) as probe:
            probe.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert read_reply(probe, within=10).startswith(b"HTTP/1.1 200"), "over the bound, idle ones go"
        assert all(wait_closed(sock, within=10) for sock in held)
    finally:
        for sock in held:
            sock.close()


def test_h11_parser_errors_are_json(h11_port: int) -> None:
    with socket.create_connection(("127.0.0.1", h11_port), timeout=5) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12a\r\n\r\n")
        reply = read_reply(sock, within=10)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"x-request-id: " in head
    assert json.loads(body)["error"] == "bad_request"
