"""Refusals and failures, as the SDKs see them: the gateway's own in the provider's error shape
(so the SDK raises its usual exception, the gateway's code in the message), the provider's
passed through with their status, and every upstream failure bounded."""

from __future__ import annotations

import base64
import json
import threading
import time
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from app.settings import Settings
from app.store import MapRecord, build_store
from redaction import ScrubState

from ..service.fakes import BrokenStore
from .conftest import CANARIES, PERSON, PROVIDER_KEY, SOURCE, Proxy, assert_no_canary, running_proxy

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).decode()


@pytest.mark.parametrize(
    ("api", "content"),
    [
        ("anthropic", [{"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                     "data": PNG}}]),
        ("anthropic", [{"type": "document", "source": {"type": "url", "url": "https://example.com/a.pdf"}}]),
        ("anthropic", [{"type": "tool_result", "tool_use_id": "t1", "content": [
            {"type": "image", "source": {"type": "url", "url": "https://example.com/x.png"}}]}]),
        ("chat", [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}]),
        ("chat", [{"type": "input_audio", "input_audio": {"data": PNG, "format": "wav"}}]),
        ("chat", [{"type": "file", "file": {"file_id": "file-1"}}]),
        ("responses", [{"type": "input_image", "image_url": "https://example.com/x.png"}]),
        ("responses", [{"type": "input_file", "file_id": "file-1"}]),
    ],
)  # fmt: skip
def test_unscannable_content_is_refused_before_the_upstream(proxy: Proxy, api: str, content: list) -> None:
    before = len(proxy.upstream.requests)
    parts = [{"type": "input_text" if api == "responses" else "text", "text": SOURCE}, *content]
    if api == "anthropic":
        with proxy.anthropic() as client, pytest.raises(anthropic.UnprocessableEntityError) as caught:
            client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": parts}])
    else:
        with proxy.openai() as client:
            if api == "chat":
                with pytest.raises(openai.UnprocessableEntityError) as caught:
                    client.chat.completions.create(model="m", messages=[{"role": "user", "content": parts}])
            else:
                with pytest.raises(openai.UnprocessableEntityError) as caught:
                    client.responses.create(model="m", input=[{"role": "user", "content": parts}])
        assert caught.value.code == "unscannable_content"
    assert "unscannable_content" in str(caught.value)
    assert PERSON not in str(caught.value)
    assert PNG not in str(caught.value)
    assert len(proxy.upstream.requests) == before, "nothing of a refused request reaches the provider"


def test_unconfigured_upstream_is_404_in_the_provider_shape(tmp_path: Path) -> None:
    with running_proxy(tmp_path, anthropic_upstream=None, openai_upstream=None) as p:
        p.upstream.url = p.url  # unused: nothing may be sent
        with p.anthropic() as client, pytest.raises(anthropic.NotFoundError) as caught:
            client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}])
        assert "proxy_not_configured" in str(caught.value)
        with p.openai() as client:
            with pytest.raises(openai.NotFoundError) as caught_o:
                client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
            assert caught_o.value.code == "proxy_not_configured"
            with pytest.raises(openai.NotFoundError):
                client.responses.create(model="m", input=SOURCE)
        assert p.upstream.requests == []


@pytest.mark.parametrize(
    ("status", "anthropic_exc", "openai_exc"),
    [
        (400, anthropic.BadRequestError, openai.BadRequestError),
        (401, anthropic.AuthenticationError, openai.AuthenticationError),
        (429, anthropic.RateLimitError, openai.RateLimitError),
        (500, anthropic.InternalServerError, openai.InternalServerError),
    ],
)
def test_upstream_errors_pass_through_with_their_status(
    proxy: Proxy, status: int, anthropic_exc: type[Exception], openai_exc: type[Exception]
) -> None:
    proxy.script(
        status=status, error_body={"type": "error", "error": {"type": "x", "message": "upstream says no"}}
    )
    with proxy.anthropic() as client, pytest.raises(anthropic_exc) as caught:
        client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}])
    assert "upstream says no" in str(caught.value)
    assert caught.value.response.headers.get("x-redaction-map-handle")  # type: ignore[attr-defined]
    proxy.script(
        status=status, error_body={"error": {"message": "upstream says no", "type": "x", "code": "c"}}
    )
    with proxy.openai() as client, pytest.raises(openai_exc) as caught_o:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
    assert caught_o.value.code == "c"  # type: ignore[attr-defined]


def test_slow_upstream_is_a_bounded_504(proxy: Proxy) -> None:
    proxy.script(delay_before_headers=3.0)  # the gateway's read timeout in these tests: 2 s
    with proxy.openai() as client, pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
    assert caught.value.status_code == 504
    assert caught.value.code == "upstream_timeout"
    with proxy.anthropic() as client, pytest.raises(anthropic.InternalServerError) as caught_a:
        client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}])
    assert caught_a.value.status_code == 504
    assert "upstream_timeout" in str(caught_a.value)


def test_dropped_stream_ends_with_an_error_event(proxy: Proxy) -> None:
    proxy.script(drop_after_events=4, chunk=3)
    with (
        proxy.anthropic() as client,
        pytest.raises(anthropic.APIError),
        client.messages.stream(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}]) as s,
    ):
        "".join(s.text_stream)
    proxy.script(drop_after_events=4, chunk=3)
    with proxy.openai() as client, pytest.raises(openai.APIError):
        for _ in client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": SOURCE}], stream=True
        ):
            pass


def test_unreachable_upstream_is_502(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p:
        dead = httpx.URL(p.upstream.url)
    with running_proxy(tmp_path, anthropic_upstream=str(dead), openai_upstream=str(dead) + "/v1") as p2:
        with p2.openai() as client, pytest.raises(openai.InternalServerError) as caught:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
        assert caught.value.status_code == 502
        assert caught.value.code == "upstream_unavailable"
        assert PROVIDER_KEY not in str(caught.value.body)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Redaction-Map-Handle", "not-a-handle"),
        ("X-Redaction-Known-Entities", "%%%"),
        ("X-Redaction-Known-Entities", base64.urlsafe_b64encode(b'{"people": ["x"]}').decode()),
        ("X-Redaction-Ner", "fast"),
    ],
)
def test_bad_gateway_headers_are_400(proxy: Proxy, header: str, value: str) -> None:
    with proxy.openai(**{header: value}) as client, pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
    assert caught.value.code in ("bad_request", "unknown_map_handle")


def test_caller_key_is_x_redaction_key_and_authorization_goes_upstream(tmp_path: Path) -> None:
    gateway_key = "gateway-caller-key-0123456789"
    with running_proxy(tmp_path, api_key=gateway_key) as p:
        with p.openai() as client, pytest.raises(openai.AuthenticationError) as caught:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
        assert "unauthorized" in str(caught.value)
        with p.openai(**{"X-Redaction-Key": gateway_key}) as client:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
        sent = p.upstream.last.headers
        assert sent["authorization"] == f"Bearer {PROVIDER_KEY}"
        assert gateway_key not in str(sent), "the caller key stays at the gateway"
        r = httpx.post(p.url + "/scrub", json={"task_id": "t", "items": [{"id": "a", "text": "x"}]},
                       headers={"X-Redaction-Key": gateway_key})  # fmt: skip
        assert r.status_code == 401, "X-Redaction-Key is for the proxy routes only"


def test_client_disconnect_cancels_the_upstream_stream(proxy: Proxy) -> None:
    # paused after 10 deltas (500 characters: past what the response scan may hold back)
    script = proxy.script(text="word " * 200, chunk=50, pause_after_events=13)
    with (
        proxy.anthropic() as client,
        client.messages.stream(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}]) as s,
    ):
        next(iter(s.text_stream))
        # the SDK closed its connection mid-stream; the gateway must drop the upstream call
    script.release.set()
    deadline = time.monotonic() + 10
    while not script.stream_closed.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert script.stream_closed.is_set(), "the upstream connection was not closed after the client left"


def test_client_disconnect_cancels_a_waiting_upstream_call(proxy: Proxy) -> None:
    proxy.script(delay_before_headers=1.5)
    done = threading.Event()

    def call() -> None:
        with httpx.Client(timeout=0.3) as c, pytest.raises(httpx.ReadTimeout):
            c.post(proxy.url + "/v1/chat/completions", json={"model": "m", "messages": []})
        done.set()

    call()
    assert done.is_set()
    deadline = time.monotonic() + 10
    metrics = ""
    while 'outcome="client_disconnected",route="/v1/chat/completions"' not in metrics:
        assert time.monotonic() < deadline, "the gateway never noticed the client leaving"
        time.sleep(0.1)
        metrics = httpx.get(proxy.url + "/metrics").text


def test_answer_over_the_size_bound_is_502(tmp_path: Path) -> None:
    with running_proxy(tmp_path, upstream_max_response_bytes=2048) as p:
        p.script(text="x" * 4096)
        with p.openai() as client, pytest.raises(openai.InternalServerError) as caught:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
        assert caught.value.status_code == 502
        assert caught.value.code == "upstream_too_large"
        p.script(text="x" * 4096, chunk=100)
        messages = [{"role": "user", "content": SOURCE}]
        with (
            p.anthropic() as client,
            pytest.raises(anthropic.APIError) as caught_a,
            client.messages.stream(model="m", max_tokens=8, messages=messages) as stream,  # type: ignore[arg-type]
        ):
            "".join(stream.text_stream)
        assert "upstream_too_large" in str(caught_a.value)


def test_known_entities_over_the_limit_are_refused_like_on_scrub(tmp_path: Path) -> None:
    # The /scrub limits on the caller's dictionary hold on the proxy too: 413 in the SDK's shape.
    with running_proxy(tmp_path, max_known_entities=1) as p:
        with p.anthropic() as client, pytest.raises(anthropic.APIStatusError) as caught:
            client.messages.create(
                model="m", max_tokens=10, messages=[{"role": "user", "content": SOURCE}]
            )  # the default header names more than one known entity
        assert caught.value.status_code == 413
        assert "known_entities" in str(caught.value.body)
        assert PERSON not in str(caught.value.body)
        assert p.upstream.requests == [], "nothing reaches the upstream"


def test_refusals_before_the_route_are_in_the_providers_shape_too(tmp_path: Path) -> None:
    # The caller key, the body limit and UTF-8 are checked by middleware, before any route:
    # on the proxy's paths its answers are the provider's errors all the same.
    with running_proxy(tmp_path, api_key="gateway-caller-key-0123456789", max_body_bytes=1024) as p:
        anthropic_401 = httpx.post(p.url + "/v1/messages", json={}, headers={"x-api-key": "k"})
        assert anthropic_401.status_code == 401
        assert anthropic_401.json()["type"] == "error"
        assert anthropic_401.json()["error"]["type"] == "authentication_error"
        openai_401 = httpx.get(p.url + "/v1/models", headers={"authorization": "Bearer k"})
        assert openai_401.status_code == 401
        assert openai_401.json()["error"]["code"] == "unauthorized"
        keyed = {"X-Redaction-Key": "gateway-caller-key-0123456789", "content-type": "application/json"}
        too_large = httpx.post(
            p.url + "/v1/chat/completions", content=b"{" + b" " * 2000 + b"}", headers=keyed
        )
        assert too_large.status_code == 413
        assert too_large.json()["error"]["code"] == "payload_too_large"
        utf16 = httpx.post(p.url + "/v1/messages", content='{"a": "b"}'.encode("utf-16"), headers=keyed)
        assert utf16.status_code == 400
        assert utf16.json()["error"]["type"] == "invalid_request_error"
        assert not p.upstream.requests


class _SlowStore:
    """The configured SQLite store, with every new map's write taking ``delay`` seconds."""

    def __init__(self, data_dir: Path, delay: float) -> None:
        self._store = build_store(Settings(_env_file=None, data_dir=data_dir))
        self.delay = delay

    def create(self, task_id: str, state: ScrubState, *, handle: str | None = None) -> MapRecord:
        time.sleep(self.delay)
        return self._store.create(task_id, state, handle=handle)

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def test_a_new_map_is_written_before_any_answer_names_it(tmp_path: Path) -> None:
    # The proxy sends the scrubbed body while the new map is still being written; the answer
    # waits for the write, so the handle it names works at once on the next turn.
    with running_proxy(tmp_path, store=_SlowStore(tmp_path, delay=0.4)) as p:  # type: ignore[arg-type]
        p.script(text="Noted.")
        with p.openai() as client:
            first = client.chat.completions.with_raw_response.create(
                model="m",
                messages=[{"role": "user", "content": SOURCE}],
                extra_headers={"X-Redaction-Task-Id": "t"},
            )
            handle = first.headers["x-redaction-map-handle"]
            p.script(text=f"Yes, {PERSON} again.")
            second = client.chat.completions.create(
                model="m",
                messages=[{"role": "user", "content": f"And {PERSON}?"}],
                extra_headers={"X-Redaction-Task-Id": "t", "X-Redaction-Map-Handle": handle},
            )
        assert second.choices[0].message.content == f"Yes, {PERSON} again."
        sent = [json.loads(r.body)["messages"][0]["content"] for r in p.upstream.requests]
        assert sent[0].startswith("[PERSON_1]")
        assert sent[1] == "And [PERSON_1]?", "the map was remembered"
        assert_no_canary(p.upstream.requests, CANARIES)


@pytest.mark.parametrize("stream", [False, True])
def test_a_failed_map_write_refuses_the_answer(tmp_path: Path, stream: bool) -> None:
    # The write fails after the scrubbed body went upstream: the caller gets 503
    # store_unavailable and no handle (it would not work), the provider got placeholders only.
    with running_proxy(tmp_path, store=BrokenStore()) as p:  # type: ignore[arg-type]
        p.script(text=f"Hello {PERSON}.")
        with p.openai() as client, pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": SOURCE}], stream=stream
            )
        assert caught.value.status_code == 503
        assert caught.value.code == "store_unavailable"
        assert "x-redaction-map-handle" not in caught.value.response.headers
        assert PERSON not in caught.value.response.text
        assert_no_canary(p.upstream.requests, CANARIES)


@pytest.mark.parametrize("header", ["x-api-key", "anthropic-version", "openai-organization"])
def test_a_provider_header_that_is_not_ascii_is_400_before_any_work(proxy: Proxy, header: str) -> None:
    # HTTP cannot carry it upstream: refused in the provider's shape, the value never echoed.
    value = "caf\u00e9-CANARYKEY"
    body = {"model": "m", "messages": [{"role": "user", "content": SOURCE}]}
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (header.encode(), value.encode("latin-1"))]
    sent = len(proxy.upstream.requests)
    response = httpx.post(proxy.url + "/v1/chat/completions", content=raw, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert "CANARYKEY" not in response.text
    assert "x-redaction-map-handle" not in response.headers
    assert len(proxy.upstream.requests) == sent, "nothing reaches the upstream"


@pytest.mark.parametrize("status", [600, 999])
def test_an_upstream_status_that_is_not_http_is_502(proxy: Proxy, status: int) -> None:
    proxy.script(status=status)
    with proxy.openai() as client, pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
    assert caught.value.status_code == 502
    assert caught.value.code == "upstream_unavailable"
