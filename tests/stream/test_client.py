"""`app.client`: typed results, documented errors as exceptions, and the stream helper against
a real gateway on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from app.client import (
    BadRequestError,
    GatewayClient,
    GatewayConnectionError,
    GatewayError,
    MapExpiredError,
    PayloadTooLargeError,
    RehydrateStats,
    ScrubbedItem,
    Tier1RejectedError,
    UnauthorizedError,
    UnknownMapHandleError,
    UnknownTokensError,
)
from app.main import create_app
from redaction.errors import InputError, MapExpired, MapNotFound, RedactionError, Tier1Rejected, UnknownTokens

from ..logs import LogCapture
from .conftest import EMAIL, KNOWN, ORG, PERSON, SOURCE, Gateway, SettingsFactory, running_gateway


@pytest.fixture
def client(gateway: Gateway) -> Iterator[GatewayClient]:
    with GatewayClient(gateway.url, timeout=5) as c:
        yield c


def test_scrub_and_rehydrate_return_typed_results(client: GatewayClient) -> None:
    scrubbed = client.scrub(SOURCE, task_id="t-7", known_entities=KNOWN, ner="rules_only")
    assert scrubbed.task_id == "t-7"
    assert scrubbed.text == "[PERSON_1] of [ORG_1] wrote from [EMAIL_1]."
    assert scrubbed.items == (ScrubbedItem("item", scrubbed.text, ("PERSON_1", "ORG_1", "EMAIL_1")),)
    assert scrubbed.stats.tier2_tokenized == 3
    assert dict(scrubbed.stats.by_type) == {"EMAIL": 1, "ORG": 1, "PERSON": 1}
    back = client.rehydrate(scrubbed.text, task_id="t-7", map_handle=scrubbed.map_handle)
    assert back.text == SOURCE
    assert back.stats == RehydrateStats(tokens_substituted=3, unknown_tokens=0)
    # Several items, and a map extended by a second call.
    more = client.scrub(
        {"a": f"{PERSON} again", "b": "Mail ops@example.org"},
        task_id="t-7",
        map_handle=scrubbed.map_handle,
        known_entities=KNOWN,
        ner="rules_only",
    )
    assert more.texts == {"a": "[PERSON_1] again", "b": "Mail [EMAIL_2]"}
    with pytest.raises(ValueError, match="2 items"):
        _ = more.text
    back = client.rehydrate(more.texts, task_id="t-7", map_handle=more.map_handle, strict=False)
    assert back.texts == {"a": f"{PERSON} again", "b": "Mail ops@example.org"}


def test_documented_errors_are_exceptions(client: GatewayClient, gateway: Gateway) -> None:
    handle = gateway.handle
    with pytest.raises(MapExpiredError) as gone:
        client.rehydrate("[PERSON_1]", task_id="another", map_handle=handle)
    assert isinstance(gone.value, MapExpired), "the engine's class works in an except clause"
    assert (gone.value.status, gone.value.code, gone.value.body) == (
        410,
        "map_expired",
        {"error": "map_expired"},
    )

    with pytest.raises(UnknownTokens) as unknown:
        client.rehydrate("[PERSON_9] [PERSON_9] [FUND_2]", task_id=gateway.task_id, map_handle=handle)
    assert isinstance(unknown.value, UnknownTokensError)
    assert (unknown.value.tokens, unknown.value.count, unknown.value.status) == (
        ["[PERSON_9]", "[FUND_2]"],
        3,
        409,
    )

    with pytest.raises(UnknownMapHandleError) as missing:
        client.scrub("x", task_id="t", map_handle="B" * 32, ner="rules_only")
    assert isinstance(missing.value, MapNotFound)

    with pytest.raises(BadRequestError) as bad:
        client.scrub("x", task_id="", ner="rules_only")
    assert isinstance(bad.value, InputError)
    assert bad.value.detail == [{"loc": "body.task_id", "type": "string_too_short"}]

    with pytest.raises(Tier1RejectedError) as rejected:
        client.scrub(
            {"card": "pay 4111 1111 1111 1111"}, task_id="t", tier1_action="reject", ner="rules_only"
        )
    assert isinstance(rejected.value, Tier1Rejected)
    assert rejected.value.spans == [("card", ["CREDIT_CARD"])]
    assert "4111" not in str(rejected.value) + repr(rejected.value.body)


def test_limits_auth_and_connection_errors(make_settings: SettingsFactory) -> None:
    key = "k" * 32
    settings = make_settings(api_key=key, max_item_chars=100, spacy_enabled=False)
    with running_gateway(create_app(settings), headers={"Authorization": f"Bearer {key}"}) as gw:
        with GatewayClient(gw.url, timeout=5) as anonymous:
            with pytest.raises(UnauthorizedError) as denied:
                anonymous.rehydrate("x", task_id=gw.task_id, map_handle=gw.handle)
            assert denied.value.status == 401
            with pytest.raises(UnauthorizedError):
                list(anonymous.rehydrate_stream(["x"], task_id=gw.task_id, map_handle=gw.handle))
        with GatewayClient(gw.url, api_key=key, timeout=5) as c:
            with pytest.raises(PayloadTooLargeError) as large:
                c.rehydrate("x" * 101, task_id=gw.task_id, map_handle=gw.handle)
            assert (large.value.limit, large.value.maximum) == ("item_chars", 100)
            assert (
                "".join(c.rehydrate_stream(["[PERSON_1]"], task_id=gw.task_id, map_handle=gw.handle))
                == PERSON
            )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with GatewayClient(f"http://127.0.0.1:{port}", timeout=2) as c:
            with pytest.raises(GatewayConnectionError) as refused:
                c.rehydrate("x", task_id="t", map_handle="h")
            assert refused.value.status == 0
            assert isinstance(refused.value, GatewayError)
            assert isinstance(refused.value, RedactionError)
            with pytest.raises(GatewayConnectionError):
                list(c.rehydrate_stream(["x"], task_id="t", map_handle="h"))


def test_stream_yields_before_the_input_ends(client: GatewayClient, gateway: Gateway) -> None:
    reply = ["Dear [PER", "SON_1], [ORG_1] thanks you", " ([EMAIL", "_1]) [", "ok]"]
    first_out = threading.Event()

    def deltas() -> Iterator[str]:
        yield reply[0]
        yield reply[1]
        # Hold the rest back until the caller has seen rehydrated text (or give up).
        first_out.wait(5)
        yield from reply[2:]

    pieces = []
    seen_before_rest = False
    stream = client.rehydrate_stream(deltas(), task_id=gateway.task_id, map_handle=gateway.handle)
    for piece in stream:
        if not pieces:
            seen_before_rest = not first_out.is_set()
            first_out.set()
        pieces.append(piece)
    assert seen_before_rest, "the first rehydrated piece must arrive before the input stream ends"
    assert pieces[:2] == ["Dear ", f"{PERSON}, {ORG} thanks you"]
    expected = gateway.batch("".join(reply), strict=True)
    assert (
        "".join(pieces)
        == expected["items"][0]["rehydrated_text"]
        == f"Dear {PERSON}, {ORG} thanks you ({EMAIL}) [ok]"
    )
    assert stream.stats == RehydrateStats(**expected["stats"])


def test_stream_edge_inputs(client: GatewayClient, gateway: Gateway) -> None:
    ids = {"task_id": gateway.task_id, "map_handle": gateway.handle}
    empty = client.rehydrate_stream(iter(()), **ids)
    assert list(empty) == []
    assert empty.stats == RehydrateStats(0, 0)
    big = "[PERSON_1] " * 20_000  # one delta of 220,000 characters: sent in frame-sized pieces
    assert "".join(client.rehydrate_stream(["", big, ""], **ids)) == f"{PERSON} " * 20_000
    odd = ["\ud800 [PER", "SON_1] é \udfff"]  # lone surrogates round trip
    assert "".join(client.rehydrate_stream(odd, **ids)) == f"\ud800 {PERSON} é \udfff"
    with pytest.raises(TypeError, match="must be str"):
        list(client.rehydrate_stream([b"bytes"], **ids))  # type: ignore[list-item]


def test_stream_errors(client: GatewayClient, gateway: Gateway) -> None:
    stream = client.rehydrate_stream(
        ["Hi [PERSON_1] [PERS", "ON_4] x"], task_id=gateway.task_id, map_handle=gateway.handle
    )
    got = [next(stream)]
    with pytest.raises(UnknownTokensError) as unknown:
        next(stream)
    assert got == [f"Hi {PERSON} "]
    assert (unknown.value.tokens, unknown.value.status) == (["[PERSON_4]"], 409)
    lenient = client.rehydrate_stream(
        ["[PERSON_4] [PERSON_1]"], task_id=gateway.task_id, map_handle=gateway.handle, strict=False
    )
    assert "".join(lenient) == f"[PERSON_4] {PERSON}"
    assert lenient.stats == RehydrateStats(1, 1)
    with pytest.raises(MapExpiredError):
        next(client.rehydrate_stream(["x"], task_id="other", map_handle=gateway.handle))


def test_failing_input_iterator_raises_its_own_error(client: GatewayClient, gateway: Gateway) -> None:
    def deltas() -> Iterator[str]:
        yield "[PERSON_1] and "
        time.sleep(0.05)
        raise ConnectionResetError("upstream went away")

    with pytest.raises(ConnectionResetError, match="upstream went away"):
        for _ in client.rehydrate_stream(deltas(), task_id=gateway.task_id, map_handle=gateway.handle):
            pass


def test_leaving_early_closes_the_stream(
    client: GatewayClient, gateway: Gateway, captured_logs: LogCapture
) -> None:
    release = threading.Event()

    def deltas() -> Iterator[str]:
        yield "[PERSON_1] first. "
        release.wait(5)
        yield "[ORG_1] never read"

    with client.rehydrate_stream(deltas(), task_id=gateway.task_id, map_handle=gateway.handle) as stream:
        assert next(stream) == f"{PERSON} first. "
    release.set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [r for r in captured_logs.records if getattr(r, "route", None) == "/rehydrate/stream"]
        if lines:
            break
        time.sleep(0.01)
    # (A stream of an earlier test may log late: every line here is a normal ending.)
    assert lines
    assert {(r.levelno, r.status) for r in lines} == {(logging.INFO, 200)}
    # The sender thread ends at the next delta, without sending it.
    while time.monotonic() < deadline and _senders():
        time.sleep(0.01)
    assert not _senders()


def _senders() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("redaction-gateway-stream")]
