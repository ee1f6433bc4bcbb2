"""``/rehydrate/stream`` over a real WebSocket on 127.0.0.1 (docs/architecture.md §9): the known failures of
other systems as test cases, every documented error with its close code, and leak canaries."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from app.logging import JsonFormatter
from app.main import create_app
from app.store import build_store
from redaction import ScrubState

from ..logs import LogCapture
from ..service.fakes import BrokenStore, Clock
from .conftest import (
    EMAIL,
    ORG,
    PERSON,
    Closed,
    Gateway,
    SettingsFactory,
    drain,
    exchange,
    running_gateway,
    serve,
)


def delta(text: str) -> str:
    return json.dumps({"type": "delta", "text": text})


END = json.dumps({"type": "end"})


def test_split_placeholders_are_restored_and_match_batch(gateway: Gateway) -> None:
    reply = "Dear [PERSON_1], about [ORG_1]: write to [EMAIL_1] [ or [PERSON_1]."
    # Every token is split mid-way, and a stray `[` sits at a chunk end.
    chunks = ["Dear [PER", "SON_1], about [", "ORG_1]: write to [EMAIL", "_1] [", " or [PERSON_1", "]."]
    assert "".join(chunks) == reply
    got = exchange(gateway, [gateway.start(), *map(delta, chunks), END])
    batch = gateway.batch(reply, strict=True)
    assert got.frames[0] == {"type": "ready"}
    assert (
        got.text
        == batch["items"][0]["rehydrated_text"]
        == f"Dear {PERSON}, about {ORG}: write to {EMAIL} [ or {PERSON}."
    )
    assert "[PER" not in got.text, "a placeholder split across frames must be restored, not leaked"
    assert got.last == {"type": "done", "stats": batch["stats"]}
    assert (got.code, got.reason) == (1000, "")
    assert all(f["text"] for f in got.frames if f["type"] == "delta"), "delta frames are never empty"


def test_first_piece_arrives_before_the_stream_ends(gateway: Gateway) -> None:
    with gateway.socket() as ws:
        ws.send(gateway.start())
        assert json.loads(ws.recv(timeout=5)) == {"type": "ready"}
        ws.send(delta("Hello [PERSON_1], and [PER"))
        first = json.loads(ws.recv(timeout=5))
        assert first == {"type": "delta", "text": f"Hello {PERSON}, and "}, "no whole-stream buffering"
        ws.send(delta("SON_1]"))
        ws.send(END)
        rest = drain(ws)
    assert rest.text == PERSON
    assert rest.last["stats"] == {"tokens_substituted": 2, "unknown_tokens": 0}


def test_held_back_tail_is_flushed_at_the_end(gateway: Gateway) -> None:
    got = exchange(gateway, [gateway.start(), delta("costs [AMOUNT_1"), delta(" or [PER"), END])
    assert got.text == "costs [AMOUNT_1 or [PER", "the held-back tail must not be dropped at the end"
    assert got.last["stats"] == {"tokens_substituted": 0, "unknown_tokens": 0}


def test_empty_stream_and_empty_deltas(gateway: Gateway) -> None:
    got = exchange(gateway, [gateway.start(strict=True), delta(""), END])
    assert got.frames == [
        {"type": "ready"},
        {"type": "done", "stats": {"tokens_substituted": 0, "unknown_tokens": 0}},
    ]


def test_strict_stops_at_the_first_complete_unknown_token(gateway: Gateway) -> None:
    with gateway.socket() as ws:
        ws.send(gateway.start())
        ws.send(delta("Hi [PERSON_1] and [PERS"))
        assert json.loads(ws.recv(timeout=5)) == {"type": "ready"}
        assert json.loads(ws.recv(timeout=5)) == {"type": "delta", "text": f"Hi {PERSON} and "}
        ws.send(delta("ON_9] then [PERSON_1]"))
        got = drain(ws)
    assert got.frames == [{"type": "error", "error": "unknown_tokens", "tokens": ["[PERSON_9]"], "count": 1}]
    assert (got.code, got.reason) == (4409, "unknown_tokens")


def test_strict_is_the_default_and_checks_the_flushed_tail(gateway: Gateway) -> None:
    got = exchange(gateway, [gateway.start(), delta("ok [ORG_7"), delta("]"), END])
    assert got.last["error"] == "unknown_tokens"
    assert got.code == 4409
    assert "ok " in got.text


def test_lenient_leaves_unknown_tokens_and_counts_them(gateway: Gateway) -> None:
    reply = "Hi [PERSON_1], not [PERSON_9] nor [FUND_3]."
    got = exchange(gateway, [gateway.start(strict=False), delta(reply[:10]), delta(reply[10:]), END])
    batch = gateway.batch(reply, strict=False)
    assert got.text == batch["items"][0]["rehydrated_text"]
    assert (
        got.last
        == {"type": "done", "stats": {"tokens_substituted": 1, "unknown_tokens": 2}}
        == {
            "type": "done",
            "stats": batch["stats"],
        }
    )


@pytest.mark.parametrize("case", ["wrong_task_id", "unknown_handle", "malformed_handle"])
def test_handle_problems_are_map_expired(gateway: Gateway, case: str) -> None:
    start = {
        "wrong_task_id": gateway.start(task_id="another-task"),
        "unknown_handle": gateway.start(map_handle="A" * 32),
        "malformed_handle": gateway.start(map_handle="not a handle!"),
    }[case]
    got = exchange(gateway, [start, delta("[PERSON_1]"), END])
    assert got.frames == [{"type": "error", "error": "map_expired"}], (
        "nothing is rehydrated with a bad handle"
    )
    assert (got.code, got.reason) == (4410, "map_expired")


def test_expired_handle_is_map_expired(make_settings: SettingsFactory) -> None:
    settings = make_settings(map_ttl_seconds=100, spacy_enabled=False)
    clock = Clock()
    app = create_app(settings, store=build_store(settings, clock=clock))
    with running_gateway(app) as gw:
        assert exchange(gw, [gw.start(), delta("[PERSON_1]"), END]).text == PERSON
        clock.now += 101
        got = exchange(gw, [gw.start(), delta("[PERSON_1]"), END])
    assert got.frames == [{"type": "error", "error": "map_expired"}]
    assert got.code == 4410


def test_oversized_frame(make_settings: SettingsFactory) -> None:
    with running_gateway(create_app(make_settings(stream_max_frame_bytes=1024, spacy_enabled=False))) as gw:
        ok = exchange(gw, [gw.start(), delta("x" * 990), END])  # 1,019 bytes with the JSON
        assert ok.last["type"] == "done"
        # 400 three-byte characters: 1,200 UTF-8 bytes in a frame of 412 characters.
        got = exchange(gw, [gw.start(), delta("é" * 5), delta("€" * 400), END])
    assert got.frames[-1] == {
        "type": "error",
        "error": "payload_too_large",
        "limit": "frame_bytes",
        "max": 1024,
    }
    assert (got.code, got.reason) == (4413, "payload_too_large")


def test_total_size_limits(make_settings: SettingsFactory) -> None:
    settings = make_settings(
        max_body_bytes=4096, max_item_chars=100_000, stream_max_frame_bytes=2048, spacy_enabled=False
    )
    with running_gateway(create_app(settings)) as gw:
        got = exchange(gw, [gw.start(), *[delta("y" * 1500)] * 3, END])
        assert got.last == {"type": "error", "error": "payload_too_large", "limit": "body_bytes", "max": 4096}
        assert got.code == 4413
        assert got.text == "y" * 1500 * 2, "frames under the total are rehydrated as they come"
    settings = make_settings(max_item_chars=2000, spacy_enabled=False)
    with running_gateway(create_app(settings)) as gw:
        got = exchange(gw, [gw.start(), *[delta("z" * 1500)] * 2, END])
    assert got.last == {"type": "error", "error": "payload_too_large", "limit": "item_chars", "max": 2000}


def test_binary_frame_is_refused(gateway: Gateway) -> None:
    got = exchange(gateway, [gateway.start(), delta("Hi "), b'{"type": "delta", "text": "[PERSON_1]"}', END])
    assert got.text == "Hi "
    assert got.last == {
        "type": "error",
        "error": "bad_request",
        "detail": [{"loc": "frame", "type": "binary_frame"}],
    }
    assert (got.code, got.reason) == (4400, "bad_request")


def test_idle_client_is_closed(make_settings: SettingsFactory) -> None:
    with running_gateway(create_app(make_settings(stream_idle_seconds=0.3, spacy_enabled=False))) as gw:
        with gw.socket() as ws:
            ws.send(gw.start())
            ws.send(delta("Hi [PERSON_1] [PER"))
            began = time.monotonic()
            got = drain(ws)
            waited = time.monotonic() - began
        assert got.frames == [
            {"type": "ready"},
            {"type": "delta", "text": f"Hi {PERSON} "},
            {"type": "error", "error": "idle_timeout"},
        ]
        assert (got.code, got.reason) == (4408, "idle_timeout")
        assert 0.2 < waited < 3
        with gw.socket() as ws:  # the wait for `start` counts too
            got = drain(ws)
        assert got.frames == [{"type": "error", "error": "idle_timeout"}]
        assert got.code == 4408


EXTRA = json.dumps({"type": "delta", "text": "x", PERSON: ORG})  # a key named like a value

# fmt: off
BAD_FRAMES = [
    # (frames after a valid start or, with start=False, from the first frame; expected detail)
    ("not_json", True, ["{oops"], {"loc": "frame", "type": "json_invalid"}),
    ("array", True, ["[1, 2]"], {"loc": "frame", "type": "dict_type"}),
    ("deep", True, ["[" * 50_000], {"loc": "frame", "type": "json_invalid"}),
    ("no_type", True, ['{"text": "x"}'], {"loc": "frame.type", "type": "missing"}),
    ("bad_type", True, ['{"type": "flush"}'], {"loc": "frame.type", "type": "literal_error"}),
    ("no_text", True, ['{"type": "delta"}'], {"loc": "frame.text", "type": "missing"}),
    ("text_int", True, ['{"type": "delta", "text": 5}'], {"loc": "frame.text", "type": "string_type"}),
    ("extra", True, [EXTRA], {"loc": "frame.*", "type": "extra_forbidden"}),
    ("second_start", True, ["START"], {"loc": "frame.type", "type": "start_repeated"}),
    ("delta_first", False, ['{"type":"delta","text":"x"}'], {"loc": "frame.type", "type": "start_expected"}),
    ("strict_str", False, ["START:strict"], {"loc": "frame.strict", "type": "bool_type"}),
    ("empty_task", False, ["START:task"], {"loc": "frame.task_id", "type": "string_too_short"}),
    ("no_handle", False, ['{"type": "start", "task_id": "t"}'], {"loc": "frame.map_handle", "type": "missing"}),  # noqa: E501
]
# fmt: on


def test_bad_frames_are_bad_request(gateway: Gateway) -> None:
    specials = {
        "START": gateway.start(),
        "START:strict": gateway.start(strict="false"),
        "START:task": gateway.start(task_id=""),
    }
    for name, after_start, frames, detail in BAD_FRAMES:
        sent = [specials.get(f, f) for f in frames]
        got = exchange(gateway, [gateway.start(), *sent] if after_start else sent)
        assert got.last == {"type": "error", "error": "bad_request", "detail": [detail]}, name
        assert got.code == 4400, name


def test_lone_surrogates_round_trip(gateway: Gateway) -> None:
    got = exchange(
        gateway, [gateway.start(), json.dumps({"type": "delta", "text": "\ud800 [PERSON_1] \udfff"}), END]
    )
    assert got.text == f"\ud800 {PERSON} \udfff"


def test_caller_key_applies_at_the_handshake(make_settings: SettingsFactory) -> None:
    key = "k" * 32
    settings = make_settings(api_key=key, spacy_enabled=False)
    with running_gateway(create_app(settings), headers={"Authorization": f"Bearer {key}"}) as gw:
        for headers in ({}, {"Authorization": "Bearer " + "x" * 32}, {"Authorization": key}):
            with pytest.raises(InvalidStatus) as refused:
                exchange(gw, [gw.start(), END], additional_headers=headers)
            assert refused.value.response.status_code == 401
            assert json.loads(refused.value.response.body or b"") == {"error": "unauthorized"}
        assert exchange(gw, [gw.start(), delta("[ORG_1]"), END]).text == ORG
        lower = exchange(gw, [gw.start(), END], additional_headers={"authorization": f"bearer {key}"})
        assert lower.last["type"] == "done"
        # Browsers: the key as a subprotocol; the server selects only the v1 protocol.
        import base64

        bearer = "bearer." + base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")
        with gw.socket(additional_headers={}, subprotocols=["redaction-gateway.v1", bearer]) as ws:
            assert ws.subprotocol == "redaction-gateway.v1"
            ws.send(gw.start())
            ws.send(delta("[PERSON_1]"))
            ws.send(END)
            assert drain(ws).text == PERSON
        with pytest.raises(InvalidStatus):
            exchange(
                gw, [END], additional_headers={}, subprotocols=["redaction-gateway.v1", "bearer.d3Jvbmc"]
            )


def test_client_leaving_mid_stream_is_not_an_error(gateway: Gateway, captured_logs: LogCapture) -> None:
    with gateway.socket() as ws:
        request_id = ws.response.headers["x-request-id"]
        ws.send(gateway.start())
        ws.send(delta("Hello [PERSON_1] [PER"))
        ws.recv(timeout=5)
        ws.recv(timeout=5)
    line = _line(captured_logs, request_id)
    assert line.levelno == logging.INFO
    assert line.status == 200
    assert (line.tokens_substituted, line.entries, line.strict) == (1, 3, True)
    assert not [r for r in captured_logs.records if r.levelno >= logging.ERROR]


def _stream_lines(logs: LogCapture, request_id: str | None = None) -> list[logging.LogRecord]:
    return [
        r
        for r in logs.records
        if getattr(r, "route", None) == "/rehydrate/stream" and request_id in (None, r.request_id)
    ]


def _line(logs: LogCapture, request_id: str) -> logging.LogRecord:
    """The stream's log line (written as the server finishes, maybe just after the close)."""
    deadline = time.monotonic() + 5
    while not _stream_lines(logs, request_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    (line,) = _stream_lines(logs, request_id)
    return line


def _leaks(blob: str) -> list[str]:
    return [n for n in ("canary", "zebulon") if n in blob.lower()]


def test_no_canary_in_error_frames_logs_or_metrics(gateway: Gateway, captured_logs: LogCapture) -> None:
    # Canaries in every place a careless implementation could echo them: frame text, field
    # names, task ids, handles; and map values (the canaries themselves) behind every token.
    canary = f"{PERSON} {ORG} {EMAIL}"
    cases: list[list[str | bytes]] = [
        [gateway.start(), delta(f"{canary} [PERSON_1] [PERSON_9]"), END],
        [gateway.start(), delta(f"[PERSON_1] {canary} [ORG_1"), delta("] [FUND_9]")],
        [gateway.start(task_id=canary), delta(canary)],
        [gateway.start(map_handle=canary), delta(canary)],
        [gateway.start(), json.dumps({"type": "delta", "text": canary, canary: canary})],
        [gateway.start(), json.dumps({"type": canary, "text": canary})],
        [gateway.start(), "{" + canary],
        [gateway.start(), canary.encode()],
        [gateway.start(), json.dumps({"type": "delta", "text": [canary]})],
        [gateway.start(strict=canary)],
        [json.dumps({"type": "start", "task_id": canary * 20, "map_handle": canary})],
        [gateway.start(), delta(canary * 3000)],  # over the frame limit
    ]
    for frames in cases:
        got = exchange(gateway, frames)
        errors = [f for f in got.frames if f["type"] == "error"]
        assert len(errors) == 1, frames
        blob = json.dumps(errors) + str(got.reason)
        assert not _leaks(blob), f"an error frame must not echo stream text or map values: {blob}"
    with httpx.Client(base_url=gateway.url) as c:
        metrics = c.get("/metrics").text
    assert 'redaction_requests_total{method="GET",route="/rehydrate/stream",status="409"}' in metrics
    assert not _leaks(metrics)
    deadline = time.monotonic() + 5
    while len(_stream_lines(captured_logs)) < len(cases) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(_stream_lines(captured_logs)) >= len(cases)
    formatter = JsonFormatter()
    for record in captured_logs.records:
        line = formatter.format(record)
        assert not _leaks(line), f"a log line carries a canary: {record.name} {record.msg!r}"
        # websockets' DEBUG frame traces (server and test client) hold frame text in their
        # arguments by design: the formatter above drops them. Every other record is whole clean.
        if record.levelno > logging.DEBUG or record.name.startswith("redaction_gateway"):
            blob = repr(record.__dict__) + record.getMessage()
            assert not _leaks(blob), f"a log record carries a canary: {record.name} {record.msg!r}"


def test_closed_state_after_done(gateway: Gateway) -> None:
    got: Closed = exchange(gateway, [gateway.start(), END, delta("after the end")])
    assert [f["type"] for f in got.frames] == ["ready", "done"]


class ExplodingStore(BrokenStore):
    """A store that fails in a way nobody planned for, with a value in its message."""

    def load(self, handle: str, task_id: str) -> ScrubState:
        raise RuntimeError(f"unexpected failure near {PERSON}")


def test_store_failures_are_error_frames(make_settings: SettingsFactory, captured_logs: LogCapture) -> None:
    cases = [(BrokenStore(), "store_unavailable", 4503, 503), (ExplodingStore(), "scrub_failed", 4500, 500)]
    for store, code, close, status in cases:
        with serve(create_app(make_settings(spacy_enabled=False), store=store)) as url:
            gw = Gateway(url, "task-1", "A" * 32, "")
            with gw.socket() as ws:
                request_id = ws.response.headers["x-request-id"]
                ws.send(gw.start())
                got = drain(ws)
        assert got.frames == [{"type": "error", "error": code}], code
        assert (got.code, got.reason) == (close, code)
        line = _line(captured_logs, request_id)
        assert (line.status, line.error) == (status, code)
    assert line.exc_type == "RuntimeError", "an unexpected failure is logged by type name only"
    assert not [r for r in captured_logs.records if "Exception in ASGI" in str(r.msg)]
    for record in captured_logs.records:
        assert not _leaks(JsonFormatter().format(record) + repr(record.__dict__)), record.msg
