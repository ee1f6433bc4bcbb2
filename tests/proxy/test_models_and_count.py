"""What the SDKs call beside a completion: Anthropic's token count (scrubbed like a message) and
both providers' model lists (passed through), through the official SDKs."""

from __future__ import annotations

from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from tests.logs import LogCapture

from .conftest import CANARIES, PERSON, PROVIDER_KEY, SOURCE, Proxy, assert_no_canary, running_proxy


def _key_of(headers: dict[str, str]) -> str:
    """The provider key as the SDK sent it (Anthropic's SDK: ``x-api-key`` or a bearer token)."""
    return headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")


def test_count_tokens_counts_the_scrubbed_request(proxy: Proxy) -> None:
    client = proxy.anthropic()
    counted = client.messages.count_tokens(
        model="claude-x",
        system=f"You help {PERSON}.",
        messages=[{"role": "user", "content": SOURCE}],
        tools=[{"name": "mail", "description": f"Mail {PERSON}", "input_schema": {"type": "object"}}],
    )
    sent = proxy.upstream.last
    assert sent.path == "/v1/messages/count_tokens"
    assert_no_canary([sent])
    assert _key_of(sent.headers) == PROVIDER_KEY, "the provider's key goes upstream (and only there)"
    assert "[PERSON_1]" in sent.json["system"]
    assert counted.input_tokens == max(1, len(sent.body) // 4), "the provider's count, as it sent it"


def test_count_tokens_with_a_reused_map_counts_the_same_tokens(proxy: Proxy) -> None:
    first = proxy.anthropic(**{"X-Redaction-Task-Id": "count-1"}).messages.with_raw_response.count_tokens(
        model="m", messages=[{"role": "user", "content": SOURCE}]
    )
    handle = first.headers["x-redaction-map-handle"]
    seen = proxy.upstream.last.json["messages"][0]["content"]
    again = proxy.anthropic(**{"X-Redaction-Task-Id": "count-1", "X-Redaction-Map-Handle": handle})
    again.messages.count_tokens(model="m", messages=[{"role": "user", "content": SOURCE}])
    assert proxy.upstream.last.json["messages"][0]["content"] == seen


def test_count_tokens_refuses_a_tier1_value_in_reject_mode(proxy: Proxy) -> None:
    client = proxy.anthropic(**{"X-Redaction-Tier1-Action": "reject"})
    before = len(proxy.upstream.requests)
    with pytest.raises(anthropic.UnprocessableEntityError, match="tier1_detected"):
        client.messages.count_tokens(
            model="m", messages=[{"role": "user", "content": "card 4111 1111 1111 1111"}]
        )
    assert len(proxy.upstream.requests) == before, "nothing went upstream"


def test_models_are_listed_for_both_sdks(proxy: Proxy) -> None:
    listed = proxy.anthropic().models.list(limit=1)
    assert [m.id for m in listed.data] == ["model-large"]
    sent = proxy.upstream.last
    assert sent.path == "/v1/models?limit=1"
    assert _key_of(sent.headers) == PROVIDER_KEY
    assert proxy.anthropic().models.retrieve("model-small").display_name == "Model-Small"

    models = proxy.openai().models.list()
    assert [m.id for m in models.data] == ["model-large", "model-small"]
    sent = proxy.upstream.last
    assert sent.path == "/v1/models"
    assert _key_of(sent.headers) == PROVIDER_KEY
    assert "anthropic-version" not in sent.headers
    assert proxy.openai().models.retrieve("model-small").owned_by == "scripted"


def test_model_errors_and_odd_ids(proxy: Proxy) -> None:
    with pytest.raises(anthropic.NotFoundError):
        proxy.anthropic().models.retrieve("no-such-model")
    with pytest.raises(openai.NotFoundError):
        proxy.openai().models.retrieve("no-such-model")
    before = len(proxy.upstream.requests)
    r = httpx.get(proxy.url + "/v1/models/..%2F..%2Fadmin", headers={"authorization": "Bearer k"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bad_request"
    # Only the pagination parameters travel: nothing else of the caller's query string.
    httpx.get(proxy.url + "/v1/models?limit=2&secret=x", headers={"x-api-key": "k", "anthropic-version": "1"})
    assert proxy.upstream.last.path == "/v1/models?limit=2"
    assert len(proxy.upstream.requests) == before + 1


def test_without_an_upstream_the_routes_answer_proxy_not_configured(tmp_path: Path) -> None:
    with running_proxy(tmp_path, anthropic_upstream=None, openai_upstream=None) as p:
        with pytest.raises(anthropic.NotFoundError, match="proxy_not_configured"):
            p.anthropic().models.list()
        with pytest.raises(openai.NotFoundError, match="proxy_not_configured"):
            p.openai().models.list()
        with pytest.raises(anthropic.NotFoundError, match="proxy_not_configured"):
            p.anthropic().messages.count_tokens(model="m", messages=[{"role": "user", "content": "hi"}])
        assert not p.upstream.requests


def test_no_canary_or_key_in_logs_of_these_routes(proxy: Proxy, captured_logs: LogCapture) -> None:
    proxy.anthropic().messages.count_tokens(model="m", messages=[{"role": "user", "content": SOURCE}])
    proxy.anthropic().models.list()
    proxy.openai().models.list()
    # The gateway's own records (the SDKs in this process log their requests at DEBUG).
    ours = [r for r in captured_logs.records if r.name.startswith(("redaction", "app", "uvicorn"))]
    text = "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in ours)
    assert "/v1/messages/count_tokens" in text, "the routes' request lines were captured: the check can fail"
    assert "/v1/models" in text
    for value in (*CANARIES, PROVIDER_KEY):
        assert value not in text


def test_the_caller_key_guards_these_routes_as_the_other_proxy_routes(tmp_path: Path) -> None:
    gateway_key = "gateway-caller-key-0123456789"
    with running_proxy(tmp_path, api_key=gateway_key) as p:
        with pytest.raises(anthropic.AuthenticationError, match="unauthorized"):
            p.anthropic().models.list()
        with pytest.raises(openai.AuthenticationError, match="unauthorized"):
            p.openai().models.retrieve("model-small")
        with pytest.raises(anthropic.AuthenticationError, match="unauthorized"):
            p.anthropic().messages.count_tokens(model="m", messages=[{"role": "user", "content": "hi"}])
        assert not p.upstream.requests, "nothing went upstream without the caller key"
        keyed = {"X-Redaction-Key": gateway_key}
        assert [m.id for m in p.openai(**keyed).models.list().data] == ["model-large", "model-small"]
        assert p.anthropic(**keyed).models.retrieve("model-large").id == "model-large"
        assert p.anthropic(**keyed).messages.count_tokens(
            model="m", messages=[{"role": "user", "content": "hi"}]
        )
        for sent in p.upstream.requests:
            assert _key_of(sent.headers) == PROVIDER_KEY
            assert gateway_key not in str(sent.headers), "the caller key stays at the gateway"
