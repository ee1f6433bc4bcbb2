"""A placeholder cut at every offset across stream events is restored whole, in all three APIs,
in text and in tool-call arguments, and the streams still parse in the SDKs."""

from __future__ import annotations

import json
import re

from .conftest import EMAIL, PERSON, Proxy, assert_no_canary

USER = f"Write to {PERSON} at {EMAIL}."


def _map(proxy: Proxy) -> tuple[str, str, dict[str, str]]:
    proxy.script(text="ok")
    with proxy.anthropic(**{"X-Redaction-Task-Id": "splits"}) as client:
        raw = client.messages.with_raw_response.create(
            model="m", max_tokens=8, messages=[{"role": "user", "content": USER}]
        )
    handle = raw.headers["x-redaction-map-handle"]
    sent = proxy.upstream.last.json["messages"][0]["content"]
    person, email = re.findall(r"\[[A-Z]+_\d+\]", sent)
    return person, email, {"X-Redaction-Task-Id": "splits", "X-Redaction-Map-Handle": handle}


def test_text_placeholder_split_at_every_offset(proxy: Proxy) -> None:
    person, email, headers = _map(proxy)
    reply = f"Dear {person}, see {email}."
    expected = f"Dear {PERSON}, see {EMAIL}."
    cuts = range(reply.index(person), reply.index(email) + len(email) + 1)
    with proxy.anthropic(**headers) as a, proxy.openai(**headers) as o:
        for cut in cuts:
            proxy.script(text=reply, pieces=[cut, cut + 1])
            with a.messages.stream(
                model="m", max_tokens=8, messages=[{"role": "user", "content": USER}]
            ) as s:
                assert "".join(s.text_stream) == expected, f"anthropic, cut at {cut}"
            chunks = o.chat.completions.create(
                model="m", messages=[{"role": "user", "content": USER}], stream=True
            )
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            assert text == expected, f"chat, cut at {cut}"
            with o.responses.stream(model="m", input=USER) as rs:
                deltas = [e.delta for e in rs if e.type == "response.output_text.delta"]
                assert "".join(deltas) == expected == rs.get_final_response().output_text, f"responses, {cut}"
    assert_no_canary(proxy.upstream.requests)


def test_argument_placeholder_split_at_every_offset(proxy: Proxy) -> None:
    person, email, headers = _map(proxy)
    raw_args = json.dumps({"to": email, "name": person})
    expected = {"to": EMAIL, "name": PERSON}
    with proxy.anthropic(**headers) as a, proxy.openai(**headers) as o:
        for cut in range(1, len(raw_args)):
            proxy.script(text="", tool=("send", {}), tool_args_raw=raw_args, pieces=[cut])
            with a.messages.stream(
                model="m", max_tokens=8, messages=[{"role": "user", "content": USER}]
            ) as s:
                final = s.get_final_message()
            tool = next(b for b in final.content if b.type == "tool_use")
            assert tool.input == expected, f"anthropic, cut at {cut}"
            chunks = o.chat.completions.create(
                model="m", messages=[{"role": "user", "content": USER}], stream=True
            )
            args = "".join(
                call.function.arguments or ""
                for c in chunks if c.choices for call in (c.choices[0].delta.tool_calls or [])
            )  # fmt: skip
            assert json.loads(args) == expected, f"chat, cut at {cut}"
            with o.responses.stream(model="m", input=USER) as rs:
                done = [e.arguments for e in rs if e.type == "response.function_call_arguments.done"]
            assert json.loads(done[0]) == expected, f"responses, cut at {cut}"
