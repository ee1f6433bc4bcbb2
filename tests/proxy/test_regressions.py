"""Regressions from an outside test of the proxy: stream text order when a final chunk carries
text, the output bound on answers, fail-closed structural keys, escaped tool-call arguments,
log fields, client disconnects and Responses sequence numbers."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import pytest

from app.logging import JsonFormatter
from app.proxy.outbound import extract, looks_structural
from tests.logs import LogCapture

from .conftest import EMAIL, PERSON, SOURCE, Proxy, assert_no_canary, known_header, running_proxy

USER = f"Write to {PERSON} at {EMAIL}."
WORDS = " ".join(f"w{i}" for i in range(150))  # no placeholder: only the scan holds text back


def _map(proxy: Proxy, task: str) -> tuple[str, str, dict[str, str]]:
    proxy.script(text="ok")
    with proxy.anthropic(**{"X-Redaction-Task-Id": task}) as client:
        raw = client.messages.with_raw_response.create(
            model="m", max_tokens=8, messages=[{"role": "user", "content": USER}]
        )
    sent = proxy.upstream.last.json["messages"][0]["content"]
    person, email = re.findall(r"\[[A-Z]+_\d+\]", sent)
    handle = raw.headers["x-redaction-map-handle"]
    return person, email, {"X-Redaction-Task-Id": task, "X-Redaction-Map-Handle": handle}


def _chunk(delta: dict[str, Any], finish: str | None = None) -> tuple[None, dict[str, Any]]:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    head = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    return None, {**head, "choices": [choice]}


def _chat_stream(proxy: Proxy, headers: dict[str, str]) -> list[dict[str, Any]]:
    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": USER}]}
    r = httpx.post(
        proxy.url + "/v1/chat/completions",
        json=body,
        headers={"X-Redaction-Known-Entities": known_header(), **headers},
        timeout=20,
    )
    assert r.status_code == 200
    return [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: {")]


# -- 1. a final chunk that carries text --------------------------------------------------------


@pytest.mark.parametrize("cut", [5, 200, 300, len(WORDS) - 3])
def test_chat_text_in_the_finishing_chunk_keeps_its_order(proxy: Proxy, cut: int) -> None:
    proxy.script(events=[
        _chunk({"role": "assistant", "content": ""}),
        _chunk({"content": WORDS[:cut]}),
        _chunk({"content": WORDS[cut:]}, "stop"),
        (None, "[DONE]"),
    ])  # fmt: skip
    chunks = _chat_stream(proxy, {})
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks) == WORDS
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_chat_placeholder_and_arguments_in_the_finishing_chunk(proxy: Proxy) -> None:
    person, email, headers = _map(proxy, "finishing")
    reply = f"Dear {person}, {WORDS} mail {email}"
    args = json.dumps({"to": email, "q": WORDS})
    call = {"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": args[:40]}}
    proxy.script(events=[
        _chunk({"role": "assistant", "content": reply[:30]}),
        _chunk({"content": reply[30:], "tool_calls": [call]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[40:]}}]}, "tool_calls"),
        (None, "[DONE]"),
    ])  # fmt: skip
    chunks = _chat_stream(proxy, headers)
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert "".join(d.get("content") or "" for d in deltas) == f"Dear {PERSON}, {WORDS} mail {EMAIL}"
    sent = "".join(tc["function"].get("arguments") or "" for d in deltas for tc in d.get("tool_calls") or [])
    assert json.loads(sent) == {"to": EMAIL, "q": WORDS}


def test_anthropic_block_left_open_is_flushed_before_message_stop(proxy: Proxy) -> None:
    message: dict[str, Any] = {
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
        "stop_reason": None, "usage": {"input_tokens": 1, "output_tokens": 1},
    }  # fmt: skip
    proxy.script(events=[
        ("message_start", {"type": "message_start", "message": message}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                 "delta": {"type": "text_delta", "text": WORDS}}),
        ("message_stop", {"type": "message_stop"}),
    ])  # fmt: skip
    r = httpx.post(
        proxy.url + "/v1/messages",
        json={"model": "m", "max_tokens": 8, "stream": True, "messages": [{"role": "user", "content": "hi"}]},
        timeout=20,
    )
    events = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ")]
    assert events[-1]["type"] == "message_stop"
    assert "".join(e["delta"]["text"] for e in events if e["type"] == "content_block_delta") == WORDS


# -- 2. the output bound -----------------------------------------------------------------------


def test_answer_multiplying_a_value_is_refused_at_the_output_bound(tmp_path: Path) -> None:
    with running_proxy(tmp_path, max_output_bytes=1024) as p:
        person, _email, headers = _map(p, "bound")
        messages: Any = [{"role": "user", "content": USER}]
        p.script(text=f"{person} " * 20)  # 20 x 19 characters: under the bound
        with p.anthropic(**headers) as client:
            ok = client.messages.create(model="m", max_tokens=8, messages=messages)
        assert ok.content[0].text == f"{PERSON} " * 20  # type: ignore[union-attr]
        p.script(text=f"{person} " * 200)
        with p.anthropic(**headers) as client, pytest.raises(anthropic.APIStatusError) as caught:
            client.messages.create(model="m", max_tokens=8, messages=messages)
        assert caught.value.status_code == 413
        assert caught.value.body["redaction"]["limit"] == "output"  # type: ignore[index]
        with p.openai(**headers) as oc, pytest.raises(openai.APIStatusError) as caught_o:
            oc.chat.completions.create(model="m", messages=messages)
        assert caught_o.value.status_code == 413
        assert caught_o.value.code == "payload_too_large"
        for api in ("anthropic", "chat", "responses"):
            p.script(text=f"{person} " * 200, chunk=40)
            path = {"anthropic": "/v1/messages", "chat": "/v1/chat/completions", "responses": "/v1/responses"}
            body: dict[str, Any] = {"model": "m", "max_tokens": 8, "stream": True}
            body.update({"input": USER} if api == "responses" else {"messages": messages})
            r = httpx.post(p.url + path[api], json=body, headers=headers, timeout=20)
            assert r.status_code == 200
            assert "payload_too_large" in r.text.splitlines()[-2], f"{api}: the stream ends with the error"
            assert r.text.count(PERSON) <= 1024 // len(PERSON), f"{api}: no more values than the bound"


# -- 3. fail-closed structural keys ------------------------------------------------------------

# fmt: off
STRUCTURAL = [
    ("toolu_01A09q90qw90lq9178lq9", False), ("toolu_01A09q90qw90lq917835lq9", True),
    ("call_abc", False), ("end_turn", False),
    ("claude-3-5-sonnet-20241022", True), ("gpt-4o-2024-08-06", False), ("image/png", False),
    ("SSN 123-45-6789", True), ("4111 1111 1111 1111", True), ("4111111111111111", True),
    ("jane@example.com", True), ("DE89370400440532013000", True), ("a" * 201, True), ("", True),
]
# fmt: on


@pytest.mark.parametrize(("value", "scrubbed"), STRUCTURAL)
def test_structural_value_must_look_structural(value: str, scrubbed: bool) -> None:
    assert looks_structural("id", value) is not scrubbed


def test_structural_keys_with_text_values_are_scrubbed() -> None:
    block = {"type": "text", "text": "hi", "status": "SSN 123-45-6789", "id": "4111 1111 1111 1111"}
    texts = extract("anthropic", {"model": "m", "messages": [{"role": "user", "content": [block]}]}).texts
    assert "SSN 123-45-6789" in texts
    assert "4111 1111 1111 1111" in texts
    body = {"model": "m", "messages": [{"role": "user", "content": "x", "summary": EMAIL, "object": "chat"}]}
    texts = extract("openai", body).texts
    assert EMAIL in texts
    assert "chat" not in texts
    assert "m" not in texts
    thinking = {"type": "redacted_thinking", "data": "QUJD" * 40}
    assert extract("anthropic", {"messages": [{"role": "user", "content": [thinking]}]}).texts == []


def test_structural_keys_do_not_carry_values_upstream(proxy: Proxy) -> None:
    proxy.script(text="ok")
    block = {"type": "text", "text": "hi", "status": f"mail {EMAIL}", "id": f"{PERSON} 4111 1111 1111 1111"}
    messages: Any = [{"role": "user", "content": [block]}]
    with proxy.anthropic() as client:
        client.messages.create(model="m", max_tokens=8, messages=messages)
    assert_no_canary([proxy.upstream.last], [EMAIL, PERSON, "4111 1111 1111 1111"])


# -- 4. escaped tool-call arguments ------------------------------------------------------------


def test_escaped_invented_card_in_arguments_is_masked(proxy: Proxy) -> None:
    person, _email, headers = _map(proxy, "escapes")
    raw = '{"card": "5555\\u00205555\\u00205555\\u00204444", "who": "' + person + '", "plain": "x"}'
    proxy.script(text="", tool=("f", {}), tool_args_raw=raw)
    with proxy.openai(**headers) as client:
        done = client.chat.completions.create(model="m", messages=[{"role": "user", "content": USER}])
    calls = done.choices[0].message.tool_calls
    assert calls is not None
    args = json.loads(calls[0].function.arguments)  # type: ignore[union-attr]
    assert "5555 5555 5555 4444" not in args["card"]
    assert args["who"] == PERSON
    assert args["plain"] == "x"


# -- 5. logs, disconnects, sequence numbers ----------------------------------------------------


def test_proxy_log_fields_survive_the_json_logger(proxy: Proxy, captured_logs: LogCapture) -> None:
    proxy.script(text="ok", chunk=1)
    with (
        proxy.anthropic() as client,
        client.messages.stream(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}]) as s,
    ):
        "".join(s.text_stream)
    deadline = time.monotonic() + 10
    while True:  # the request line is written once the stream is over, maybe after the client read it
        lines = [json.loads(JsonFormatter().format(r)) for r in captured_logs.records]
        found = [x for x in lines if x.get("route") == "/v1/messages"]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    line = found[-1]
    for name in ("strings", "upstream_status", "upstream_ms", "events"):
        assert name in line, name
    assert line["upstream_status"] == 200
    assert line["events"] > 3


def test_client_gone_mid_stream_is_counted_as_client_disconnected(proxy: Proxy) -> None:
    script = proxy.script(text="word " * 200, chunk=50, pause_after_events=13)

    def disconnected() -> float:
        metrics = httpx.get(proxy.url + "/metrics").text
        found = re.search(r'outcome="client_disconnected",route="/v1/messages"} (\S+)', metrics)
        return float(found.group(1)) if found else 0.0

    before = disconnected()
    with (
        proxy.anthropic() as client,
        client.messages.stream(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}]) as s,
    ):
        next(iter(s.text_stream))
    script.release.set()
    deadline = time.monotonic() + 10
    while disconnected() <= before:
        assert time.monotonic() < deadline, "a client gone mid-stream was not counted as client_disconnected"
        time.sleep(0.1)


def test_responses_sequence_numbers_stay_unique_and_increasing(proxy: Proxy) -> None:
    person, _email, headers = _map(proxy, "sequence")
    proxy.script(text=f"Dear {person}", chunk=3)
    r = httpx.post(
        proxy.url + "/v1/responses",
        json={"model": "m", "stream": True, "input": USER},
        headers={"X-Redaction-Known-Entities": known_header(), **headers},
        timeout=20,
    )
    events = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ")]
    numbers = [e["sequence_number"] for e in events]
    assert numbers == sorted(set(numbers)), numbers
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert deltas == f"Dear {PERSON}"


@pytest.mark.parametrize(
    "extra",
    ["NaN", "Infinity", "-Infinity", "[" * 3000 + "]" * 3000, '{"a":' * 200 + "1" + "}" * 200],
    ids=["NaN", "Infinity", "-Infinity", "3000 levels", "200 levels"],
)
@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/messages", "/v1/messages/count_tokens"])
def test_bodies_json_cannot_hold_are_refused_as_bad_requests(proxy: Proxy, path: str, extra: str) -> None:
    # Python's json reads NaN and Infinity, and a deep body exhausts a recursive walker: each
    # was a 500 in the gateway's shape; it is a 400 in the provider's, and nothing goes upstream.
    before = len(proxy.upstream.requests)
    body = (
        '{"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}], "x": ' + extra + "}"
    )
    r = httpx.post(proxy.url + path, content=body, headers={"content-type": "application/json"}, timeout=20)
    assert r.status_code == 400, r.text
    assert "bad_request" in r.text
    assert ("type" in r.json()) == (path != "/v1/chat/completions"), "the provider's error shape"
    assert len(proxy.upstream.requests) == before
