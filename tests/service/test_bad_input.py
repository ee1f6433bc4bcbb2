"""The bad-input catalogue over real HTTP: each answered with its documented 4xx (never a
500, never an echo of the input) while the server stays up."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.settings import Settings

from .conftest import live_server

MAX_BODY = 1_000_000
JSON = {"content-type": "application/json"}


def _scrub(**fields: Any) -> bytes:
    body: dict[str, Any] = {"task_id": "t", "items": [{"id": "a", "text": "Jane Doe"}]}
    body.update(fields)
    return json.dumps(body).encode()


def _rehydrate(**fields: Any) -> bytes:
    body: dict[str, Any] = {
        "task_id": "t",
        "map_handle": "A" * 32,
        "items": [{"id": "a", "text": "[PERSON_1]"}],
    }
    body.update(fields)
    return json.dumps(body).encode()


HOSTILE_HANDLES = [
    "h" * 10_240,  # 10 KB
    "' OR '1'='1",
    "x'; DROP TABLE maps; --",
    '" UNION SELECT ciphertext FROM maps --',
    "../../../../etc/passwd",
    "..%2F..%2Fdata%2Fmaps.sqlite3",
    "/dev/zero",
    "C:\\Windows\\system32",
    "%00",
    "\x00",
    "",
    "a b",
    "é" * 20,
    "*",
]

BAD = (400, "bad_request")
BIG = (413, "payload_too_large")
UNKNOWN = (400, "unknown_map_handle")
GONE = (410, "map_expired")
INVALID_UTF8 = b'{"task_id": "t", "items": [{"id": "a", "text": "\xc3\x28 \xff"}]}'
ENCODED_SURROGATE = b'{"task_id": "t", "items": [{"id": "a", "text": "\xed\xa0\x80"}]}'
TEN_THOUSAND = [{"id": str(i), "text": "x"} for i in range(10_000)]
NO_HANDLE = b'{"task_id": "t", "items": [{"id": "a", "text": "x"}]}'

# (name, path, body bytes, headers, (expected status, expected error code))
# fmt: off
CASES: list[tuple[str, str, bytes, dict[str, str], tuple[int, str]]] = [
    ("malformed json", "/scrub", b'{"task_id": "t", "items": [', JSON, BAD),
    ("trailing garbage", "/scrub", _scrub() + b"}", JSON, BAD),
    ("empty body", "/scrub", b"", JSON, BAD),
    ("json null", "/scrub", b"null", JSON, BAD),
    ("json array", "/scrub", b"[1, 2]", JSON, BAD),
    ("json string", "/scrub", b'"Jane Doe"', JSON, BAD),
    ("deeply nested", "/scrub", b"[" * 200_000 + b"]" * 200_000, JSON, BAD),
    ("wrong type: text int", "/scrub", _scrub(items=[{"id": "a", "text": 5}]), JSON, BAD),
    ("wrong type: items object", "/scrub", _scrub(items={"id": "a"}), JSON, BAD),
    ("wrong type: bool as string", "/scrub", _scrub(bucket={"amounts": "true"}), JSON, BAD),
    ("wrong type: task_id number", "/scrub", _scrub(task_id=42), JSON, BAD),
    ("wrong type: infinity", "/scrub", b'{"task_id": 1e999, "items": []}', JSON, BAD),
    ("wrong type: known entity", "/scrub", _scrub(known_entities={"persons": [1]}), JSON, BAD),
    ("bad enum: ner", "/scrub", _scrub(ner="spacy"), JSON, BAD),
    ("bad enum: tier1_action", "/scrub", _scrub(tier1_action="DROP"), JSON, BAD),
    ("missing task_id", "/scrub", b'{"items": [{"id": "a", "text": "x"}]}', JSON, BAD),
    ("missing items", "/scrub", b'{"task_id": "t"}', JSON, BAD),
    ("missing item text", "/scrub", _scrub(items=[{"id": "a"}]), JSON, BAD),
    ("empty items", "/scrub", _scrub(items=[]), JSON, BAD),
    ("empty task_id", "/scrub", _scrub(task_id=""), JSON, BAD),
    ("oversized item id", "/scrub", _scrub(items=[{"id": "i" * 300, "text": "x"}]), JSON, BAD),
    ("unknown field", "/scrub", _scrub(callback="http://evil"), JSON, BAD),
    ("unknown nested field", "/scrub", _scrub(bucket={"amounts": True, "names": True}), JSON, BAD),
    ("unknown known_entities field", "/scrub", _scrub(known_entities={"phones": []}), JSON, BAD),
    ("duplicate item ids", "/scrub", _scrub(items=[{"id": "a", "text": "x"}] * 2), JSON, BAD),
    ("no content type", "/scrub", _scrub(), {}, BAD),
    ("text/plain", "/scrub", _scrub(), {"content-type": "text/plain"}, BAD),
    ("invalid utf-8", "/scrub", INVALID_UTF8, JSON, BAD),
    ("utf-8 encoded surrogate", "/scrub", ENCODED_SURROGATE, JSON, BAD),
    ("body over the limit", "/scrub", _scrub(items=[{"id": "a", "text": "x" * MAX_BODY}]), JSON, BIG),
    ("10,000 items", "/scrub", _scrub(items=TEN_THOUSAND), JSON, BIG),
    ("rehydrate 10,000 items", "/rehydrate", _rehydrate(items=TEN_THOUSAND), JSON, BIG),
    ("rehydrate strict as string", "/rehydrate", _rehydrate(strict="no"), JSON, BAD),
    ("rehydrate missing handle", "/rehydrate", NO_HANDLE, JSON, BAD),
    ("rehydrate null handle", "/rehydrate", _rehydrate(map_handle=None), JSON, BAD),
    *[(f"scrub handle {h[:12]!r}", "/scrub", _scrub(map_handle=h), JSON, UNKNOWN) for h in HOSTILE_HANDLES],
    *[(f"rehydrate handle {h[:12]!r}", "/rehydrate", _rehydrate(map_handle=h), JSON, GONE)
      for h in HOSTILE_HANDLES],
]
# fmt: on


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("bad-input") / "data",
        max_body_bytes=MAX_BODY,
        max_items=256,
        api_key=None,
        spacy_enabled=False,  # the embedded model's own hostile-input tests are in tests/ner
    )
    with live_server(create_app(settings)) as url:
        yield url


@pytest.mark.parametrize(("name", "path", "content", "headers", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_documented_4xx_and_the_server_stays_up(
    server: str, name: str, path: str, content: bytes, headers: dict[str, str], expected: tuple[int, str]
) -> None:
    status, code = expected
    with httpx.Client(base_url=server, timeout=30) as c:
        r = c.post(path, content=content, headers=headers)
        assert r.status_code == status, f"{name}: {r.status_code} {r.text[:200]}"
        assert r.json()["error"] == code, name
        assert len(r.content) < 2000, f"{name}: error bodies stay small (no echo)"
        assert c.get("/health").status_code == 200, f"the server must survive {name}"


def test_streamed_body_over_the_limit_without_content_length(server: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"task_id": "t", "items": [{"id": "a", "text": "'
        for _ in range(40):
            yield b"x" * 50_000
        yield b'"}]}'

    with httpx.Client(base_url=server, timeout=30) as c:
        r = c.post("/scrub", content=chunks(), headers=JSON)
        assert r.status_code == 413
        assert r.json() == {"error": "payload_too_large", "limit": "body_bytes", "max": MAX_BODY}
        assert c.get("/health").status_code == 200


def test_lone_surrogates_in_text_and_known_entities_round_trip(server: str) -> None:
    body = {
        "task_id": "t",
        "items": [{"id": "a", "text": "Jane Doe \ud83d alone \udfff"}],
        "known_entities": {"persons": ["Jane Doe", "\ud800\ud800"]},
    }
    with httpx.Client(base_url=server) as c:
        r = c.post("/scrub", content=json.dumps(body), headers=JSON)
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["items"][0]["scrubbed_text"] == "[PERSON_1] \ud83d alone \udfff"
        back = c.post(
            "/rehydrate",
            content=json.dumps({"task_id": "t", "map_handle": out["map_handle"],
                                "items": [{"id": "r", "text": out["items"][0]["scrubbed_text"] + "\ud800"}]}),
            headers=JSON,
        )  # fmt: skip
        assert back.json()["items"][0]["rehydrated_text"] == "Jane Doe \ud83d alone \udfff\ud800"


def test_lone_surrogates_in_identifiers_are_a_400(server: str) -> None:
    body = {"task_id": "t\ud800", "actor": "\udfff", "items": [{"id": "a\udc00", "text": "x"}]}
    with httpx.Client(base_url=server) as c:
        r = c.post("/scrub", content=json.dumps(body), headers=JSON)
        assert r.status_code == 400
        assert r.json() == {
            "error": "bad_request",
            "detail": [
                {"loc": "body.task_id", "type": "string_unicode"},
                {"loc": "body.actor", "type": "string_unicode"},
                {"loc": "body.items.0.id", "type": "string_unicode"},
            ],
        }


def test_malformed_http_is_refused_by_the_server_which_stays_up(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    for raw in (
        b"POST /scrub HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        b"POST /scrub HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello on the plain port
        b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n",
    ):
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(raw)
            try:
                reply = sock.recv(200)
            except OSError:
                reply = b""
        assert not reply or reply.startswith(b"HTTP/1.1 4"), reply[:40]
    with httpx.Client(base_url=server) as c:
        assert c.get("/health").status_code == 200
