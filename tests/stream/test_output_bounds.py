"""Output bounds and backpressure (issue 13 item 2), and the response scan on the service
(docs/architecture.md §11): `/rehydrate` and the WebSocket stream.

A map holding a 10,000-character value and a request naming it 10,000 times must be refused
before the 100 MB output exists; a WebSocket client that never reads must stop being read
and be dropped, with the server's buffers for it bounded. Assertions are on sizes, codes and
log fields, never on timings (waits have generous deadlines only).
"""

from __future__ import annotations

import gc
import json
import logging
import socket
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.client import ClientProtocol
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri

from app.logging import JsonFormatter
from app.main import create_app
from app.settings import Settings
from tests.logs import LogCapture

from .conftest import Gateway, SettingsFactory, drain, running_gateway

LONG_ORG = ("Canaryvale " * 910).strip()  # 10,009 characters, a canary
KNOWN_LONG = {"orgs": [LONG_ORG]}
INVENTED_CARD = "4539 1488 0343 6467"  # a card the model "wrote": never in the map
# A value the map holds (a known person's handle) that the password detector matches once the
# model writes it after a label: it was the caller's, so it comes back.
MAP_SECRET = "Tr0ub4dor&3x"


@contextmanager
def long_value_gateway(make_settings: SettingsFactory, **overrides: Any) -> Iterator[Gateway]:
    """A gateway whose map (``gw.handle``) holds ``[ORG_1]`` = `LONG_ORG`, ``[PERSON_1]`` =
    `MAP_SECRET`."""
    # The service's own default scan (the stream tests' factory turns it off for their gateways).
    overrides.setdefault("response_scan", Settings.model_fields["response_scan"].default)
    settings = make_settings(spacy_enabled=False, **overrides)
    with running_gateway(create_app(settings)) as gw:
        r = gw.post(
            "/scrub",
            {
                "task_id": gw.task_id,
                "items": [{"id": "s", "text": f"Deal with {LONG_ORG}, ask {MAP_SECRET}."}],
                "known_entities": {**KNOWN_LONG, "persons": [MAP_SECRET]},
                "ner": "rules_only",
            },
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["items"][0]["scrubbed_text"] == "Deal with [ORG_1], ask [PERSON_1].", body
        gw.handle = body["map_handle"]
        yield gw


def _rehydrate(gw: Gateway, text: str, **options: Any) -> Any:
    return gw.post(
        "/rehydrate",
        {"task_id": gw.task_id, "map_handle": gw.handle, "items": [{"id": "r", "text": text}], **options},
    )


def _gateway_lines(logs: LogCapture) -> str:
    """Every log line as the service writes it (`JsonFormatter`), and every record above DEBUG
    or of our own loggers whole. websockets' DEBUG frame traces hold frame text in their
    arguments by design; the formatter drops them (as in tests/stream/test_websocket.py)."""
    formatter = JsonFormatter()
    parts = [formatter.format(r) for r in logs.records]
    parts += [
        repr(r.__dict__) + r.getMessage()
        for r in logs.records
        if r.levelno > logging.DEBUG or r.name.startswith("redaction_gateway")
    ]
    return "\n".join(parts)


# -- POST /rehydrate ---------------------------------------------------------------------------


def test_amplified_output_is_413_before_it_is_built(
    make_settings: SettingsFactory, captured_logs: LogCapture
) -> None:
    with long_value_gateway(make_settings) as gw:
        tracemalloc.start()
        try:
            r = _rehydrate(gw, "[ORG_1]" * 10_000)  # 70 KB in, 100 MB out
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert r.status_code == 413
    assert r.json() == {"error": "payload_too_large", "limit": "output", "max": 16 * 1024 * 1024}
    assert peak < 40 * 1024 * 1024, f"the refused output was built anyway: peak {peak / 2**20:.0f} MiB"
    assert "canary" not in r.text.lower()
    assert "canary" not in _gateway_lines(captured_logs).lower(), "a value reached a log line"


def test_output_limit_is_exact(make_settings: SettingsFactory) -> None:
    limit = 64 * 1024
    with long_value_gateway(make_settings, max_output_bytes=limit) as gw:
        tokens = "[ORG_1]" * 6  # 60,054 bytes out
        fits = tokens + "x" * (limit - len(LONG_ORG) * 6)
        r = _rehydrate(gw, fits)
        assert r.status_code == 200, r.text
        assert len(r.json()["items"][0]["rehydrated_text"].encode()) == limit
        r = _rehydrate(gw, fits + "x")
        assert r.status_code == 413
        assert r.json() == {"error": "payload_too_large", "limit": "output", "max": limit}
        # all items together
        half = {"id": "a", "text": fits[: len(fits) // 2]}
        body = {"task_id": gw.task_id, "map_handle": gw.handle, "items": [half, {"id": "b", "text": fits}]}
        assert gw.post("/rehydrate", body).status_code == 413


# fmt: off
SCAN_CASES = [
    # (scan option, reply, expected text, expected stats.masked)
    (None, f"Pay [ORG_1] with {INVENTED_CARD}.", f"Pay {LONG_ORG} with [REDACTED:CREDIT_CARD].",
     {"CREDIT_CARD": 1}),
    ("tier1", f"Card {INVENTED_CARD}", "Card [REDACTED:CREDIT_CARD]", {"CREDIT_CARD": 1}),
    ("off", f"Card {INVENTED_CARD}", f"Card {INVENTED_CARD}", None),
    ("all", "Mail bob.smith@example.org", "Mail [REDACTED:EMAIL]", {"EMAIL": 1}),
    ("tier1", "Mail bob.smith@example.org", "Mail bob.smith@example.org", None),
    # a value the map holds, rehydrated or written out, comes back: it was the caller's
    ("tier1", "the password: [PERSON_1] ok", f"the password: {MAP_SECRET} ok", None),
    ("all", f"the password: {MAP_SECRET} ok", f"the password: {MAP_SECRET} ok", None),
    ("tier1", "the password: Zq7vX9kLm2 ok", "the password: [REDACTED:PASSWORD] ok", {"PASSWORD": 1}),
]
# fmt: on


@pytest.mark.parametrize(("scan", "reply", "expected", "masked"), SCAN_CASES)
def test_rehydrate_scans_the_reply(
    make_settings: SettingsFactory, scan: str | None, reply: str, expected: str, masked: dict[str, int] | None
) -> None:
    with long_value_gateway(make_settings, response_scan="tier1") as gw:
        options = {} if scan is None else {"scan": scan}
        r = _rehydrate(gw, reply, **options)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["items"][0]["rehydrated_text"] == expected
    assert body["stats"].get("masked") == masked


def test_masked_values_reach_no_log_line_or_stats(
    make_settings: SettingsFactory, captured_logs: LogCapture
) -> None:
    invented = "canary-key ghp_Zx8Kq2Lm9Nb4Vc7Xs1Dw3Fe5Gr6Ht0Jy2Ui8"  # an API key the model made up
    with long_value_gateway(make_settings) as gw:
        r = _rehydrate(gw, f"Use {invented} for [PERSON_1]", scan="tier1")
        with gw.socket() as ws:
            ws.send(gw.start(scan="all"))
            ws.send(_delta(f"Use {invented} for [PERSON_1]"))
            ws.send(json.dumps({"type": "end"}))
            got = drain(ws)
    assert r.json()["items"][0]["rehydrated_text"] == f"Use canary-key [REDACTED:API_KEY] for {MAP_SECRET}"
    assert got.text == f"Use canary-key [REDACTED:API_KEY] for {MAP_SECRET}"
    assert r.json()["stats"]["masked"] == got.last["stats"]["masked"] == {"API_KEY": 1}
    lines = _gateway_lines(captured_logs)
    assert "ghp_" not in lines, "a masked value reached a log line"
    assert MAP_SECRET not in lines, "a map value reached a log line"


def test_rehydrate_scan_option_is_validated(make_settings: SettingsFactory) -> None:
    with long_value_gateway(make_settings) as gw:
        r = _rehydrate(gw, f"Card {INVENTED_CARD}", scan="everything")
    assert r.status_code == 400
    assert INVENTED_CARD not in r.text


def test_scan_setting_off_keeps_the_old_behaviour(make_settings: SettingsFactory) -> None:
    with long_value_gateway(make_settings, response_scan="off") as gw:
        r = _rehydrate(gw, f"Card {INVENTED_CARD}")
    assert r.json()["items"][0]["rehydrated_text"] == f"Card {INVENTED_CARD}"


# -- the WebSocket stream ----------------------------------------------------------------------


def _delta(text: str) -> str:
    return json.dumps({"type": "delta", "text": text})


def test_stream_output_over_the_bound_is_4413(
    make_settings: SettingsFactory, captured_logs: LogCapture
) -> None:
    limit = 1024 * 1024
    with long_value_gateway(make_settings, max_output_bytes=limit) as gw, gw.socket() as ws:
        ws.send(gw.start(scan="off"))  # no held-back tail: the delivered size is exact
        for _ in range(3):
            ws.send(_delta("[ORG_1]" * 50))  # ~500 KB out each
        got = drain(ws)
    assert got.frames[-1] == {"type": "error", "error": "payload_too_large", "limit": "output", "max": limit}
    assert (got.code, got.reason) == (4413, "payload_too_large")
    assert len(got.text.encode()) <= limit
    assert len(got.text) == 100 * len(LONG_ORG), "the two frames within the bound were delivered whole"
    assert max(len(f.get("text", "")) for f in got.frames) <= 64 * 1024, "output frames are bounded"
    assert "canary" not in json.dumps(got.frames[-1]).lower()
    assert "canary" not in _gateway_lines(captured_logs).lower()


def test_stream_scans_split_values(make_settings: SettingsFactory) -> None:
    with long_value_gateway(make_settings) as gw, gw.socket() as ws:
        ws.send(gw.start(strict=True))  # scan: the setting's default, tier1
        reply = f"Password: [PERSON_1] is yours, {INVENTED_CARD} is not."
        for ch in reply:
            ws.send(_delta(ch))
        ws.send(json.dumps({"type": "end"}))
        got = drain(ws)
    assert got.text == f"Password: {MAP_SECRET} is yours, [REDACTED:CREDIT_CARD] is not."
    assert got.last == {
        "type": "done",
        "stats": {"tokens_substituted": 1, "unknown_tokens": 0, "masked": {"CREDIT_CARD": 1}},
    }


@pytest.mark.parametrize(("scan", "expected"), [("off", INVENTED_CARD), ("all", "[REDACTED:CREDIT_CARD]")])
def test_stream_scan_option(make_settings: SettingsFactory, scan: str, expected: str) -> None:
    with long_value_gateway(make_settings) as gw, gw.socket() as ws:
        ws.send(gw.start(scan=scan))
        ws.send(_delta(f"card {INVENTED_CARD}"))
        ws.send(json.dumps({"type": "end"}))
        got = drain(ws)
    assert got.text == f"card {expected}"


def test_stream_scan_option_is_validated(make_settings: SettingsFactory) -> None:
    with long_value_gateway(make_settings) as gw, gw.socket() as ws:
        ws.send(gw.start(scan="tier2"))
        got = drain(ws)
    assert got.frames == [
        {"type": "error", "error": "bad_request", "detail": [{"loc": "frame.scan", "type": "literal_error"}]}
    ]
    assert got.code == 4400


def _server_write_buffers() -> list[int]:
    """Bytes queued in the in-process uvicorn's WebSocket transports (this test's server)."""
    return [
        p.transport.get_write_buffer_size()
        for p in gc.get_objects()
        if type(p) is WebSocketsSansIOProtocol  # (a dead weak proxy would raise on isinstance)
        and p.transport is not None
        and not p.transport.is_closing()
    ]


class RawClient:
    """A WebSocket client on a plain socket with a small receive buffer that reads only when
    told to (a library client reads on a thread of its own, which would hide backpressure)."""

    def __init__(self, ws_url: str) -> None:
        self.protocol = ClientProtocol(parse_uri(ws_url))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
        host, port = ws_url.split("//")[1].split("/")[0].split(":")
        self.sock.settimeout(30)
        self.sock.connect((host, int(port)))
        self.protocol.send_request(self.protocol.connect())
        self._flush()
        while self.protocol.state is State.CONNECTING:
            self.protocol.receive_data(self.sock.recv(4096))  # nothing but the handshake is sent yet
        (response,) = self.protocol.events_received()
        assert isinstance(response, Response)
        assert response.status_code == 101, response.status_code
        self.request_id = response.headers["x-request-id"]

    def _flush(self) -> None:
        self.sock.sendall(b"".join(self.protocol.data_to_send()))

    def send(self, text: str) -> None:
        self.protocol.send_text(text.encode())
        self._flush()

    def read_until_closed(self) -> tuple[int, int | None]:
        """Read everything until the connection ends: (delta characters received, close code)."""
        chars = 0
        code = None
        while True:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                data = b""
            if data:
                self.protocol.receive_data(data)
            else:
                self.protocol.receive_eof()
            for event in self.protocol.events_received():
                if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                    chars += len(json.loads(bytes(event.data)).get("text", ""))
                elif isinstance(event, Frame) and event.opcode is Opcode.CLOSE:
                    code = Close.parse(event.data).code
            if not data:
                return chars, code

    def close(self) -> None:
        self.sock.close()


def test_client_that_never_reads_stops_being_read_and_is_dropped(
    make_settings: SettingsFactory, captured_logs: LogCapture
) -> None:
    frames = 400  # each names the 10 KB value 100 times: 400 MB of output if nothing pushed back
    with long_value_gateway(
        make_settings, stream_idle_seconds=1.0, max_output_bytes=1024**3, max_item_chars=10_000_000
    ) as gw:
        client = RawClient(gw.ws_url)
        try:
            client.send(gw.start(scan="off"))
            for _ in range(frames):  # 280 KB of frames: the socket buffers take them, sends return
                client.send(_delta("[ORG_1]" * 100))
            peak_queued = 0
            deadline = time.monotonic() + 60  # a bound on the wait, not an assertion on time
            while _stream_line(captured_logs, client.request_id) is None and time.monotonic() < deadline:
                peak_queued = max([peak_queued, *_server_write_buffers()])
                time.sleep(0.05)
            line = _stream_line(captured_logs, client.request_id)
            assert line is not None, "the server never gave up on a client that does not read"
            received, code = client.read_until_closed()
        finally:
            client.close()
    fields: dict[str, Any] = {k: getattr(line, k, None) for k in ("status", "error", "chars", "bytes_out")}
    assert (fields["status"], fields["error"]) == (408, "idle_timeout"), fields
    assert fields["chars"] < frames * 700, f"the server kept reading a client that did not read: {fields}"
    assert fields["bytes_out"] < 32 * 1024 * 1024, f"output kept coming for a stalled client: {fields}"
    assert received <= fields["bytes_out"]
    assert code is None, "no close frame can reach a client that does not read: the connection just ends"
    assert peak_queued <= 256 * 1024, f"{peak_queued} bytes queued in the server for one client"
    assert "canary" not in _gateway_lines(captured_logs).lower()


def _stream_line(logs: LogCapture, request_id: str) -> logging.LogRecord | None:
    lines = [
        r
        for r in logs.records
        if getattr(r, "route", None) == "/rehydrate/stream" and getattr(r, "request_id", None) == request_id
    ]
    return lines[0] if lines else None
