"""The outbound walker's allowlist, as a table: which strings pass untouched and which are
handed to the scrubber, with look-alike negatives (the same key in a place where it is text)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.errors import UnscannableContent
from app.proxy.outbound import extract

V = "VALUE"  # the string under test: it must be extracted (scrubbed) or kept


def blocks(*content: dict[str, Any]) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": list(content)}]}


def schema(**keywords: Any) -> dict[str, Any]:
    return {"tools": [{"name": "t", "input_schema": keywords}]}


# fmt: off
CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    # (api, case, body, VALUE is scrubbed)
    ("anthropic", "model", {"model": V}, False),
    ("anthropic", "message role", {"messages": [{"role": V, "content": "x"}]}, False),
    ("anthropic", "block type", blocks({"type": V}), False),
    ("anthropic", "tool_use id", blocks({"type": "tool_use", "id": V, "input": {}}), False),
    ("anthropic", "tool name in tools", {"tools": [{"name": V, "description": "d"}]}, False),
    ("anthropic", "tool_choice name", {"tool_choice": {"type": "tool", "name": V}}, False),
    ("anthropic", "signature", blocks({"type": "thinking", "signature": V}), False),
    ("anthropic", "redacted_thinking data", blocks({"type": "redacted_thinking", "data": V}), False),
    ("anthropic", "schema type keyword", schema(type="object", properties={"a": {"type": V}}), False),
    ("anthropic", "schema required", schema(required=[V]), False),
    # look-alikes: the same names where they hold text
    ("anthropic", "system string", {"system": V}, True),
    ("anthropic", "text block", blocks({"type": "text", "text": V}), True),
    ("anthropic", "data outside redacted_thinking", blocks({"type": "x", "data": V}), True),
    ("anthropic", "name outside a tool", blocks({"type": "x", "name": V}), True),
    ("anthropic", "type key inside tool input", blocks({"type": "tool_use", "input": {"type": V}}), True),
    ("anthropic", "id key inside metadata", {"metadata": {"id": V}}, True),
    ("anthropic", "tool description", {"tools": [{"name": "t", "description": V}]}, True),
    ("anthropic", "schema description", schema(properties={"a": {"description": V}}), True),
    ("anthropic", "schema enum", schema(properties={"a": {"enum": [V]}}), True),
    ("anthropic", "stop sequence", {"stop_sequences": [V]}, True),
    ("anthropic", "unknown key", {"future": {"deeper": [V]}}, True),
    ("anthropic", "tool_result string", blocks({"type": "tool_result", "content": V}), True),
    ("anthropic", "text document", blocks({"type": "document", "source": {"type": "text", "data": V}}), True),
    ("openai", "tool_call_id", {"messages": [{"role": "tool", "tool_call_id": V, "content": "x"}]}, False),
    ("openai", "function name", {"tools": [{"type": "function", "function": {"name": V}}]}, False),
    ("openai", "fc name", {"input": [{"type": "function_call", "name": V, "arguments": ""}]}, False),
    ("openai", "modalities", {"modalities": [V]}, False),
    ("openai", "participant name", {"messages": [{"role": "user", "name": V, "content": "x"}]}, True),
    ("openai", "user", {"user": V}, True),
    ("openai", "instructions", {"instructions": V}, True),
    ("openai", "responses input string", {"input": V}, True),
    ("openai", "custom tool input", {"input": [{"type": "custom_tool_call", "input": V}]}, True),
    ("openai", "function_call_output", {"input": [{"type": "function_call_output", "output": V}]}, True),
    ("openai", "stop list", {"stop": [V]}, True),
    ("openai", "list of strings under an unknown key", {"tags": [V]}, True),
]
# fmt: on


@pytest.mark.parametrize(("api", "case", "body", "scrubbed"), CASES, ids=[c[1] for c in CASES])
def test_allowlist(api: str, case: str, body: dict[str, Any], scrubbed: bool) -> None:
    extraction = extract(api, body)  # type: ignore[arg-type]
    assert (V in extraction.texts) == scrubbed, f"{case}: scrubbed must be {scrubbed}"
    filled = extraction.fill(["S" * len(t) for t in extraction.texts])
    assert (V in json.dumps(filled)) != scrubbed, f"{case}: the filled body must match"


def test_arguments_json_values_scrubbed_keys_and_types_kept() -> None:
    args = json.dumps({"to": "a@b.example", "n": 3, "tags": ["x"], "nested": {"k": "v"}})
    body = {
        "messages": [{"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": args}}]}]
    }
    extraction = extract("openai", body)
    assert sorted(extraction.texts) == ["a@b.example", "v", "x"]
    filled = extraction.fill([f"<{t}>" for t in extraction.texts])
    out = json.loads(filled["messages"][0]["tool_calls"][0]["function"]["arguments"])
    assert out == {"to": "<a@b.example>", "n": 3, "tags": ["<x>"], "nested": {"k": "<v>"}}
    assert body["messages"][0]["tool_calls"][0]["function"]["arguments"] == args, "the input is not mutated"


def test_arguments_that_are_not_json_are_scrubbed_as_text() -> None:
    body = {"input": [{"type": "function_call", "name": "f", "arguments": "not json {"}]}
    assert extract("openai", body).texts == ["not json {"]


# fmt: off
UNSCANNABLE = [
    ("anthropic", {"type": "image", "source": {"type": "base64", "data": "x"}}, "image"),
    ("anthropic", {"type": "document", "source": {"type": "base64", "data": "x"}}, "document"),
    ("anthropic", {"type": "document", "source": {"type": "file", "file_id": "f"}}, "document"),
    ("anthropic", {"type": "container_upload", "file_id": "f"}, "file"),
    ("openai", {"type": "image_url", "image_url": {"url": "u"}}, "image"),
    ("openai", {"type": "input_audio", "input_audio": {"data": "x"}}, "audio"),
    ("openai", {"type": "input_file", "file_id": "f"}, "file"),
    ("openai", {"type": "computer_screenshot", "image_url": "u"}, "image"),
]
# fmt: on


@pytest.mark.parametrize(("api", "block", "kind"), UNSCANNABLE)
def test_unscannable_kinds(api: str, block: dict[str, Any], kind: str) -> None:
    with pytest.raises(UnscannableContent) as caught:
        extract(api, blocks({"type": "text", "text": "hi"}, block))  # type: ignore[arg-type]
    assert caught.value.kind == kind


def test_readable_document_sources_are_not_refused() -> None:
    content = {"type": "content", "content": [{"type": "text", "text": "t"}]}
    for source in ({"type": "text", "data": "d"}, content):
        assert extract("anthropic", blocks({"type": "document", "source": source})).texts
