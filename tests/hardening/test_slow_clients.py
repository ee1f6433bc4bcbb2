"""Slow and flooding clients (issue 13, item 1): header and body deadlines, a connection bound.

Before `app.connections` a client that sent half a request head held its socket forever, a
body shorter than its ``Content-Length`` hung its request forever, and enough such clients
exhausted the file descriptors until ``/health`` stopped answering.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from .conftest import Server, open_fds, read_reply, running_server, wait_closed

HALF_OPEN = 300
MAX_CONNECTIONS = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(
        tmp_path_factory.mktemp("slow-clients"),
        header_timeout_seconds="2",
        body_timeout_seconds="2",
        max_connections=str(MAX_CONNECTIONS),
    ) as srv:
        yield srv


def _connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def _split(reply: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def test_half_open_connections_cannot_starve_health_and_are_closed(server: Server) -> None:
    socks = []
    try:
        for _ in range(HALF_OPEN):
            sock = _connect(server)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never finished
            socks.append(sock)
        with httpx.Client(base_url=server.url, timeout=10) as c:
            for _ in range(5):
                r = c.get("/health", headers={"Connection": "close"})
                assert r.status_code == 200, "liveness must answer while half-open sockets are held"
        assert open_fds(server.pid) < HALF_OPEN, "the half-open sockets must not each hold a descriptor"
        closed = [wait_closed(sock, within=20) for sock in socks]
        assert all(closed), f"{closed.count(False)} half-open connections were never closed"
    finally:
        for sock in socks:
            sock.close()


def test_a_head_dripped_byte_by_byte_still_meets_the_deadline(server: Server) -> None:
    with _connect(server) as sock:
        request = b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Drip: " + b"a" * 200
        deadline = time.monotonic() + 20
        closed = False
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.05)
            if time.monotonic() > deadline:
                break
        assert closed or wait_closed(sock, within=10), "a byte now and then must not reset the deadline"


def test_a_body_shorter_than_its_content_length_gets_408_and_a_close(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /scrub HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n" + b'{"task_id": "t"'
        )
        reply = read_reply(sock, within=20)
    assert reply, "the server must answer a stalled body, not hang"
    status, headers, body = _split(reply)
    assert status == 408
    assert json.loads(body) == {"error": "request_timeout"}
    assert headers.get("connection") == "close"
    assert "x-request-id" in headers


def test_an_idle_keep_alive_connection_meets_the_deadline_too(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # the second head never ends
        assert wait_closed(sock, within=20)


def test_a_head_over_the_size_bound_is_a_json_400(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000)
        reply = read_reply(sock, within=20)
    status, headers, body = _split(reply)
    assert status == 400
    assert json.loads(body) == {"error": "bad_request", "detail": [{"loc": "header", "type": "too_large"}]}
    assert headers["content-type"] == "application/json"
    assert "x-request-id" in headers


def test_beyond_the_bound_busy_connections_get_503_but_health_answers(server: Server) -> None:
    busy = []
    try:
        # Requests in flight (their bodies never finish): not evictable, unlike half-open heads.
        for _ in range(MAX_CONNECTIONS):
            sock = _connect(server)
            sock.sendall(b"POST /scrub HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            busy.append(sock)
        time.sleep(0.5)
        with httpx.Client(base_url=server.url, timeout=10) as c:
            r = c.post("/scrub", json={"task_id": "t", "items": [{"id": "a", "text": "hello"}]})
            assert r.status_code == 503, r.text
            assert r.json() == {"error": "overloaded"}
            assert r.headers["retry-after"] == "1"
            assert "x-request-id" in r.headers
            assert c.get("/health").status_code == 200, "liveness is answered even over the bound"
            assert c.head("/health").status_code == 200
        for sock in busy:  # their bodies time out (408), freeing the connections
            wait_closed(sock, within=20)
        with httpx.Client(base_url=server.url, timeout=10) as c:
            r = c.post("/scrub", json={"task_id": "t", "items": [{"id": "a", "text": "hello"}]})
            assert r.status_code == 200, r.text
    finally:
        for sock in busy:
            sock.close()


def test_parser_errors_are_json_with_a_request_id(server: Server) -> None:
    for raw in (
        b"POST /scrub HTTP/1.1\r\nHost: x\r\nContent-Length: 12a\r\n\r\n{}",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello on the plain port
    ):
        with _connect(server) as sock:
            sock.sendall(raw)
            reply = read_reply(sock, within=10)
        status, headers, body = _split(reply)
        assert status == 400, reply[:80]
        assert headers["content-type"] == "application/json"
        detail = [{"loc": "http", "type": "invalid_http"}]
        assert json.loads(body) == {"error": "bad_request", "detail": detail}
        assert len(headers["x-request-id"]) == 16


def test_closed_connections_are_summarised_without_values(server: Server) -> None:
    canary = "Canary-Slowloris-Value-77"
    with _connect(server) as sock:
        sock.sendall(b"GET /health?q=" + canary.encode() + b" HTTP/1.1\r\nX-Name: " + canary.encode())
        assert wait_closed(sock, within=20)
    with _connect(server) as sock:
        raw = b"POST /" + canary.encode() + b" HTTP/1.1\r\nContent-Length: x" + canary.encode()
        sock.sendall(raw + b"\r\n\r\n")
        read_reply(sock, within=10)
    text = server.log.read_text()
    assert canary not in text, "a slow or malformed request must not put its bytes in a log"
