"""Fail-closed outbound scrubbing over a corpus of real request bodies, and the leak checks every
route gets: no canary and no provider key in logs, metrics, error bodies or the data dir."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.logs import LogCapture

from .conftest import (
    CANARIES,
    PERSON,
    PROVIDER_KEY,
    SOURCE,
    Proxy,
    assert_no_canary,
    known_header,
    running_proxy,
)
from .corpus import ANTHROPIC, CHAT, RESPONSES

_PATHS = {"anthropic": "/v1/messages", "chat": "/v1/chat/completions", "responses": "/v1/responses"}
_CASES = [
    *(("anthropic", name, body) for name, body in ANTHROPIC.items()),
    *(("chat", name, body) for name, body in CHAT.items()),
    *(("responses", name, body) for name, body in RESPONSES.items()),
]


def _post(proxy: Proxy, api: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    key = {"x-api-key": PROVIDER_KEY} if api == "anthropic" else {"authorization": f"Bearer {PROVIDER_KEY}"}
    all_headers = {"X-Redaction-Known-Entities": known_header(), **key, **headers}
    return httpx.post(proxy.url + _PATHS[api], json=body, headers=all_headers, timeout=20)


def _shape(value: Any) -> Any:
    """The structure a request keeps through scrubbing: keys, types of values, and the
    allowlisted fields' values."""
    if isinstance(value, dict):
        keep = {"type", "role", "id", "model", "tool_use_id", "tool_call_id", "call_id", "signature"}
        return {k: (v if k in keep and isinstance(v, str) else _shape(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize(("api", "name", "body"), _CASES, ids=[f"{a}: {n}" for a, n, _ in _CASES])
def test_corpus_reaches_the_upstream_without_a_canary(proxy: Proxy, api: str, name: str, body: dict) -> None:
    proxy.script(text="ok")
    r = _post(proxy, api, body)
    assert r.status_code == 200, r.text
    sent = proxy.upstream.last
    assert_no_canary([sent])
    received = sent.json
    assert _shape(received) == _shape(body), "structure, ids, types and tool names pass untouched"
    for path in ("tools",):
        for tool_in, tool_out in zip(body.get(path, []), received.get(path, []), strict=True):
            name_in = tool_in.get("name") or tool_in.get("function", {}).get("name")
            name_out = tool_out.get("name") or tool_out.get("function", {}).get("name")
            assert name_in == name_out


def test_arguments_stay_valid_json_with_scrubbed_values(proxy: Proxy) -> None:
    proxy.script(text="ok")
    _post(proxy, "chat", CHAT["roles, names, content parts, stop, user"])
    calls = proxy.upstream.last.json["messages"][4]["tool_calls"]
    args = json.loads(calls[0]["function"]["arguments"])
    assert set(args) == {"recipient", "subject", "people", "phone"}
    assert "[" in args["recipient"]


def test_one_map_for_the_whole_request(proxy: Proxy) -> None:
    proxy.script(text="ok")
    body = {"model": "m", "max_tokens": 5, "system": f"Help {PERSON}",
            "messages": [{"role": "user", "content": f"Ask {PERSON}"}]}  # fmt: skip
    _post(proxy, "anthropic", body)
    sent = proxy.upstream.last.json
    token = sent["system"].removeprefix("Help ")
    assert token.startswith("[PERSON_")
    assert sent["messages"][0]["content"] == f"Ask {token}"


def test_map_reuse_across_requests_keeps_tokens(proxy: Proxy) -> None:
    proxy.script(text="ok")
    body = {"model": "m", "messages": [{"role": "user", "content": SOURCE}]}
    first = _post(proxy, "chat", body, **{"X-Redaction-Task-Id": "conv-1"})
    handle = first.headers["x-redaction-map-handle"]
    seen_first = proxy.upstream.last.json["messages"][0]["content"]
    body2 = {
        "model": "m",
        "messages": [*body["messages"], {"role": "user", "content": "and again: " + SOURCE}],
    }
    second = _post(
        proxy, "chat", body2, **{"X-Redaction-Task-Id": "conv-1", "X-Redaction-Map-Handle": handle}
    )
    assert second.headers["x-redaction-map-handle"] == handle
    seen = proxy.upstream.last.json["messages"]
    assert seen[0]["content"] == seen_first
    assert seen[1]["content"] == "and again: " + seen_first
    wrong_task = _post(
        proxy, "chat", body, **{"X-Redaction-Task-Id": "other", "X-Redaction-Map-Handle": handle}
    )
    assert wrong_task.status_code == 410
    assert wrong_task.json()["error"]["code"] == "map_expired"


def test_invented_tier1_value_is_masked(proxy: Proxy) -> None:
    card = "4111 1111 1111 1111"
    proxy.script(text=f"Use card {card} for {PERSON}")
    r = _post(proxy, "chat", {"model": "m", "messages": [{"role": "user", "content": SOURCE}]})
    text = r.json()["choices"][0]["message"]["content"]
    assert card not in text, "a value the model invented is masked (scan tier1)"
    assert "[REDACTED:" in text


def test_nothing_leaks_to_logs_metrics_errors_or_disk(proxy: Proxy, captured_logs: LogCapture) -> None:
    bodies = []
    for api, _name, body in _CASES:
        proxy.script(text="ECHO")
        bodies.append(_post(proxy, api, body).text)
        proxy.script(status=400, error_body={"error": {"message": "bad", "type": "x"}})
        bodies.append(_post(proxy, api, body).text)
    bodies.append(
        _post(
            proxy,
            "anthropic",
            {
                "model": "m",
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": SOURCE},
                            {"type": "image", "source": {"type": "url", "url": "u"}},
                        ],
                    }
                ],
            },
        ).text
    )
    bodies.append(_post(proxy, "chat", {"model": "m", "messages": []}, **{"X-Redaction-Ner": "bad"}).text)
    metrics = httpx.get(proxy.url + "/metrics").text
    logs = "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in captured_logs.records)
    assert "/v1/responses" in logs, "the proxy's request lines were captured: the check can fail"
    files = b"".join(p.read_bytes() for p in proxy.data_dir.rglob("*") if p.is_file())
    for where, blob in (("logs", logs), ("metrics", metrics), ("answers and error bodies", "".join(bodies))):
        assert "CANARYKEY" not in blob, f"the provider key leaked into {where}"
        for canary in CANARIES:
            assert canary not in blob, f"a canary leaked into {where}"
    assert files, "the data dir holds the map store: the check can fail"
    assert b"CANARYKEY" not in files, "the provider key reached the data dir"
    assert not any(c.encode() in files for c in CANARIES), "a canary reached the data dir unencrypted"


CARD = "4111 1111 1111 1111"


@pytest.mark.parametrize("scan", ["off", "tier1", "all"])
def test_invented_values_are_masked_per_scan_setting_in_streams_too(tmp_path: Path, scan: str) -> None:
    reply = f"Charge {CARD} and write to invented.person@gmail.com for {PERSON}."
    with running_proxy(tmp_path, response_scan=scan) as p:
        p.script(text=reply, chunk=3)  # the card split across many events
        with p.openai() as client:
            chunks = client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": SOURCE}], stream=True
            )
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        p.script(text=reply)
        with p.anthropic() as client:
            whole = client.messages.create(
                model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}]
            )
    for got in (text, whole.content[0].text):
        assert PERSON in got, "a value of the map is restored, never masked"
        assert (CARD in got) == (scan == "off"), f"tier-1 value with scan={scan}"
        invented_email_kept = "invented.person@gmail.com" in got
        assert invented_email_kept == (scan != "all"), f"tier-2 value with scan={scan}"


def test_escaped_values_never_reach_the_upstream(proxy: Proxy) -> None:
    # A card, an SSN and an e-mail as a URL, a form body, HTML and JSON text carry them.
    card, ssn, email = "4111 1111 1111 1111", "123-45-6789", "zeb.canary@canary-mail.example"
    body = {
        "model": "m",
        "system": f"Context: <p>card {card.replace(' ', '&#32;')}</p>",
        "messages": [
            {"role": "user", "content": f"Open https://pay.example/?card={card.replace(' ', '%20')}&ok=1"},
            {"role": "user", "content": f"form: q={card.replace(' ', '+')}&ssn={ssn.replace('-', '%2D')}"},
            {"role": "user", "content": 'json: {"to": "' + email.replace("@", "\\u0040") + '"}'},
        ],
    }
    r = _post(proxy, "chat", body)
    assert r.status_code == 200, r.text
    sent = proxy.upstream.last
    blob = sent.body.decode()
    for digits in ("4111", "6789"):
        assert digits not in blob, "an escaped tier-1 value reached the upstream"
    assert "zeb.canary" not in blob
    assert "canary-mail" not in blob
    assert_no_canary([sent], (card, ssn, email))
