"""``X-Redaction-Profile`` on the provider proxy (docs/architecture.md §11, §12): the named
profile scrubs what the provider reads, and its custom tokens come back restored, streamed in
pieces of any size included."""

from __future__ import annotations

from pathlib import Path

import anthropic
import pytest

from ..proxy.conftest import running_proxy

CARD = "4111 1111 1111 1111"
REF = "NW-2025-0091"
POLICY = """\
[profiles.payments]
actions = { CREDIT_CARD = "tokenize" }

[[profiles.payments.rules]]
name = "customer-ref"
pattern = 'NW-\\d{4}-\\d{4}'
type = "CUSTOMER_REF"
"""
TEXT = f"Refund {CARD} for customer {REF} today."


@pytest.mark.parametrize("chunk", [None, 1, 3])
def test_the_profile_header_scrubs_and_restores_custom_tokens(tmp_path: Path, chunk: int | None) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, "utf-8")
    with running_proxy(tmp_path / "data", policy_file=policy) as proxy:
        proxy.script(chunk=chunk)  # the scripted provider echoes what it read
        client = proxy.anthropic(**{"X-Redaction-Profile": "payments"})
        messages = [{"role": "user", "content": TEXT}]
        if chunk is None:
            reply = client.messages.create(model="m", max_tokens=64, messages=messages)  # type: ignore[arg-type]
            text = "".join(block.text for block in reply.content if block.type == "text")
        else:
            with client.messages.stream(model="m", max_tokens=64, messages=messages) as stream:  # type: ignore[arg-type]
                text = "".join(stream.text_stream)
        sent = proxy.upstream.last.body.decode()
        assert CARD not in sent, "the provider must read placeholders only"
        assert REF not in sent, "the provider must read placeholders only"
        assert "[CREDIT_CARD_1]" in sent
        assert "[CUSTOMER_REF_1]" in sent
        assert TEXT in text, "the client reads the real values back"


def test_an_unknown_profile_header_is_refused(tmp_path: Path) -> None:
    with running_proxy(tmp_path / "data") as proxy:
        client = proxy.anthropic(**{"X-Redaction-Profile": "nope"})
        with pytest.raises(anthropic.BadRequestError) as info:
            client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": "hi"}])
        assert "unknown_profile" in str(info.value.body)
        assert proxy.upstream.requests == [], "nothing reaches the provider"
