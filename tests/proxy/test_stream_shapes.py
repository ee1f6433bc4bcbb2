"""Stream events beyond plain text, sent verbatim by the scripted provider: Anthropic thinking
and signature deltas, citations, a block without its start; OpenAI refusals, several choices,
Responses reasoning summaries. Each restored, placeholders split across events, the SDKs
still parsing the stream."""

from __future__ import annotations

import re
from typing import Any

from .conftest import EMAIL, PERSON, Proxy, assert_no_canary

USER = f"Write to {PERSON} at {EMAIL}."


def _tokens(proxy: Proxy) -> tuple[str, str, dict[str, str]]:
    proxy.script(text="ok")
    with proxy.anthropic(**{"X-Redaction-Task-Id": "shapes"}) as client:
        raw = client.messages.with_raw_response.create(
            model="m", max_tokens=8, messages=[{"role": "user", "content": USER}]
        )
    sent = proxy.upstream.last.json["messages"][0]["content"]
    person, email = re.findall(r"\[[A-Z]+_\d+\]", sent)
    return (
        person,
        email,
        {"X-Redaction-Task-Id": "shapes", "X-Redaction-Map-Handle": raw.headers["x-redaction-map-handle"]},
    )


def _ev(kind: str, **data: Any) -> tuple[str, dict[str, Any]]:
    return kind, {"type": kind, **data}


def _delta(index: int, kind: str, **fields: str) -> tuple[str, dict[str, Any]]:
    return _ev("content_block_delta", index=index, delta={"type": kind, **fields})


def test_anthropic_thinking_citations_and_signatures(proxy: Proxy) -> None:
    person, email, headers = _tokens(proxy)
    message = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
               "stop_reason": None, "stop_sequence": None,
               "usage": {"input_tokens": 1, "output_tokens": 1}}  # fmt: skip
    citation = {"type": "char_location", "cited_text": f"mail {email}", "document_index": 0,
                "document_title": None, "start_char_index": 0, "end_char_index": 5}  # fmt: skip
    proxy.script(events=[
        _ev("message_start", message=message),
        _ev("content_block_start", index=0, content_block={"type": "thinking", "thinking": ""}),
        _delta(0, "thinking_delta", thinking=f"Ask {person[:4]}"),
        _delta(0, "thinking_delta", thinking=f"{person[4:]} first"),
        _delta(0, "signature_delta", signature="c2lnbmF0dXJl"),
        _ev("content_block_stop", index=0),
        _ev("content_block_start", index=1, content_block={"type": "text", "text": "", "citations": []}),
        _ev("content_block_delta", index=1, delta={"type": "citations_delta", "citation": citation}),
        _delta(1, "text_delta", text=f"Mail {email[:-1]}"),
        _delta(1, "text_delta", text=email[-1]),
        _ev("content_block_stop", index=1),
        _ev("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 9}),
        _ev("message_stop"),
    ])  # fmt: skip
    with (
        proxy.anthropic(**headers) as client,
        client.messages.stream(model="m", max_tokens=8, messages=[{"role": "user", "content": USER}]) as s,
    ):
        final = s.get_final_message()
    thinking, text = final.content
    assert thinking.type == "thinking"
    assert thinking.thinking == f"Ask {PERSON} first"
    assert thinking.signature == "c2lnbmF0dXJl", "signatures pass untouched"
    assert text.type == "text"
    assert text.text == f"Mail {EMAIL}"
    assert text.citations[0].cited_text == f"mail {EMAIL}"
    assert final.stop_reason == "end_turn"
    assert_no_canary(proxy.upstream.requests)


def test_chat_refusal_and_two_choices(proxy: Proxy) -> None:
    person, email, headers = _tokens(proxy)
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}

    def chunk(*choices: dict[str, Any]) -> tuple[None, dict[str, Any]]:
        return None, {**base, "choices": list(choices)}

    def choice(i: int, finish: str | None = None, **delta: Any) -> dict[str, Any]:
        return {"index": i, "delta": delta, "finish_reason": finish}

    proxy.script(events=[
        chunk(choice(0, role="assistant", content=""), choice(1, role="assistant", content="")),
        chunk(choice(0, content=f"Hi {person[:3]}"), choice(1, refusal=f"No, {email[:5]}")),
        chunk(choice(0, content=person[3:]), choice(1, refusal=email[5:])),
        chunk(choice(0, "stop"), choice(1, "stop")),
        (None, "[DONE]"),
    ])  # fmt: skip
    with (
        proxy.openai(**headers) as client,
        client.chat.completions.stream(model="m", messages=[{"role": "user", "content": USER}], n=2) as s,
    ):
        for _ in s:
            pass
        final = s.get_final_completion()
    assert final.choices[0].message.content == f"Hi {PERSON}"
    assert final.choices[1].message.refusal == f"No, {EMAIL}"


def test_responses_reasoning_summary(proxy: Proxy) -> None:
    person, _email, headers = _tokens(proxy)
    resp = {"id": "r1", "object": "response", "created_at": 1, "status": "in_progress", "model": "m",
            "output": [], "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}  # fmt: skip
    item = {"type": "reasoning", "id": "rs_1", "summary": []}
    done_item = {**item, "summary": [{"type": "summary_text", "text": f"On {person}"}]}
    common = {"item_id": "rs_1", "output_index": 0, "summary_index": 0}
    proxy.script(events=[
        _ev("response.created", sequence_number=0, response=resp),
        _ev("response.output_item.added", sequence_number=1, output_index=0, item=item),
        _ev("response.reasoning_summary_text.delta", sequence_number=2, delta=f"On {person[:2]}", **common),
        _ev("response.reasoning_summary_text.delta", sequence_number=3, delta=person[2:], **common),
        _ev("response.reasoning_summary_text.done", sequence_number=4, text=f"On {person}", **common),
        _ev("response.output_item.done", sequence_number=5, output_index=0, item=done_item),
        _ev("response.completed", sequence_number=6, response={**resp, "status": "completed",
                                                               "output": [done_item]}),
    ])  # fmt: skip
    with proxy.openai(**headers) as client, client.responses.stream(model="m", input=USER) as s:
        events = list(s)
        final = s.get_final_response()
    deltas = "".join(e.delta for e in events if e.type == "response.reasoning_summary_text.delta")
    done = [e.text for e in events if e.type == "response.reasoning_summary_text.done"]
    assert deltas == done[0] == f"On {PERSON}"
    assert final.output[0].summary[0].text == f"On {PERSON}"
