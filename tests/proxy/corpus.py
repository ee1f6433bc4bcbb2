"""Real request bodies of each API, as the SDKs produce them: every content-block and tool
shape, each string carrying a canary where a user or a tool could put one."""

from __future__ import annotations

import json
from typing import Any

from .conftest import EMAIL, ORG, PERSON, PHONE

P, G, E, T = PERSON, ORG, EMAIL, PHONE
ARGS = {"recipient": E, "subject": f"Re: {G}", "people": [P], "phone": T}

ANTHROPIC: dict[str, dict[str, Any]] = {
    "system string, text, multi-turn": {
        "model": "claude-x",
        "max_tokens": 100,
        "system": f"You assist {P} of {G}.",
        "messages": [
            {"role": "user", "content": f"Mail {E}"},
            {"role": "assistant", "content": f"Sure, {P}."},
            {
                "role": "user",
                "content": [{"type": "text", "text": f"Call {T}", "cache_control": {"type": "ephemeral"}}],
            },
        ],
        "stop_sequences": [f"Regards, {P}"],
        "metadata": {"user_id": E},
        "temperature": 0.2,
    },
    "system blocks, tools, tool_use and tool_result (string and blocks)": {
        "model": "claude-x",
        "max_tokens": 100,
        "system": [
            {"type": "text", "text": f"Agent for {G}", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
        ],
        "tools": [
            {
                "name": "send_mail",
                "description": f"Sends mail as {P}",
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "recipient": {"type": "string", "description": f"e.g. {E}", "format": "email"},
                        "subject": {"type": "string", "enum": [f"Hi {P}", "Other"], "default": f"For {G}"},
                        "phone": {"type": "string", "pattern": "^[+0-9 ]+$", "examples": [T]},
                    },
                    "required": ["recipient", "subject"],
                },
                "cache_control": {"type": "ephemeral"},
            },
            {
                "type": "web_search_20250305",
                "name": "web_search",
                "max_uses": 2,
                "user_location": {"type": "approximate", "city": f"home of {P}"},
            },
        ],
        "tool_choice": {"type": "tool", "name": "send_mail"},
        "messages": [
            {"role": "user", "content": f"Write to {E}"},
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": f"{P} wants mail", "signature": "sig-abc"},
                    {"type": "redacted_thinking", "data": "opaque-data"},
                    {"type": "text", "text": f"Mailing {P}"},
                    {"type": "tool_use", "id": "toolu_1", "name": "send_mail", "input": ARGS},
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": f"sent to {E}"},
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_2",
                        "is_error": True,
                        "content": [{"type": "text", "text": f"bounce from {T}"}],
                    },
                    {"type": "text", "text": f"Thanks {P}"},
                ],
            },
        ],
    },
    "plain-text documents, search results, citations": {
        "model": "claude-x",
        "max_tokens": 100,
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "document",
                        "source": {"type": "text", "media_type": "text/plain", "data": f"Memo by {P}, {E}"},
                        "title": f"{G} memo",
                        "context": f"from {T}",
                        "citations": {"enabled": True},
                    },
                    {
                        "type": "document",
                        "source": {"type": "content", "content": [{"type": "text", "text": f"Part by {P}"}]},
                    },
                    {
                        "type": "search_result",
                        "source": f"https://x.example/ {P}",
                        "title": f"{G} result",
                        "content": [{"type": "text", "text": f"{P} at {E}"}],
                        "citations": {"enabled": True},
                    },
                    {"type": "text", "text": "Summarize."},
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {
                        "type": "text",
                        "text": f"{P} wrote it",
                        "citations": [
                            {
                                "type": "char_location",
                                "cited_text": f"Memo by {P}",
                                "document_index": 0,
                                "document_title": f"{G} memo",
                                "start_char_index": 0,
                                "end_char_index": 10,
                            }
                        ],
                    }
                ],
            },
            {"role": "user", "content": "more?"},
        ],
        "thinking": {"type": "enabled", "budget_tokens": 2000},
        "some_future_field": {"note": f"to {E}", "list": [P, {"deep": T}]},
    },
}

CHAT: dict[str, dict[str, Any]] = {
    "roles, names, content parts, stop, user": {
        "model": "gpt-x",
        "messages": [
            {"role": "developer", "content": f"Assist {P}."},
            {"role": "system", "content": [{"type": "text", "text": f"Org: {G}"}]},
            {"role": "user", "name": "zeb_canaryman", "content": f"Mail {E}"},
            {"role": "user", "content": [{"type": "text", "text": f"Call {T}"}]},
            {
                "role": "assistant",
                "content": None,
                "refusal": f"not for {P}",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "send_mail", "arguments": json.dumps(ARGS)},
                    },
                    {"id": "call_2", "type": "custom", "custom": {"name": "raw", "input": f"raw {E}"}},
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": f"sent to {E}"},
            {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": f"ok {P}"}]},
            {
                "role": "assistant",
                "function_call": {"name": "legacy", "arguments": json.dumps({"who": P})},
                "content": f"{G} done",
            },
            {"role": "function", "name": "legacy", "content": f"legacy result {T}"},
        ],
        "stop": [f"Bye {P}"],
        "user": E,
        "metadata": {"who": P},
        "prompt_cache_key": f"k-{E}",
        "safety_identifier": E,
        "temperature": 0,
        "n": 1,
        "logit_bias": {"50256": -100},
        "stream_options": {"include_usage": True},
        "modalities": ["text"],
        "reasoning_effort": "low",
    },
    "tools, tool_choice, response_format schema, prediction, web search": {
        "model": "gpt-x",
        "messages": [{"role": "user", "content": f"For {P}"}],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "send_mail",
                    "description": f"Mail as {P}",
                    "strict": True,
                    "parameters": {
                        "type": "object",
                        "properties": {
                            "recipient": {"type": "string", "description": f"like {E}"},
                            "kind": {"type": "string", "enum": [f"{G} internal", "external"]},
                        },
                        "required": ["recipient", "kind"],
                        "additionalProperties": False,
                    },
                },
            },
            {"type": "custom", "custom": {"name": "raw", "description": f"raw for {G}"}},
        ],
        "tool_choice": {"type": "function", "function": {"name": "send_mail"}},
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "reply",
                "description": f"for {P}",
                "schema": {"type": "object", "properties": {"to": {"type": "string", "const": E}}},
            },
        },
        "prediction": {"type": "content", "content": f"Dear {P},"},
        "web_search_options": {
            "search_context_size": "low",
            "user_location": {"type": "approximate", "approximate": {"city": f"home of {P}", "region": G}},
        },
    },
}

RESPONSES: dict[str, dict[str, Any]] = {
    "string input, instructions": {
        "model": "gpt-x", "instructions": f"Assist {P}", "input": f"Mail {E} or {T}",
    },
    "items: messages, function calls and outputs, reasoning, custom tools": {
        "model": "gpt-x", "instructions": f"For {G}",
        "input": [
            {"role": "user", "content": f"Write {P}"},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": f"at {E}"}]},
            {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
             "content": [{"type": "output_text", "text": f"OK {P}", "annotations": []}]},
            {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": f"{P} asked"}],
             "encrypted_content": "enc-opaque"},
            {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "send_mail",
             "arguments": json.dumps(ARGS), "status": "completed"},
            {"type": "function_call_output", "call_id": "call_1", "output": f"sent to {E}"},
            {"type": "custom_tool_call", "call_id": "call_2", "name": "raw", "input": f"raw {T}"},
            {"type": "custom_tool_call_output", "call_id": "call_2", "output": f"done {G}"},
            {"type": "item_reference", "id": "msg_0"},
        ],
        "tools": [{"type": "function", "name": "send_mail", "description": f"as {P}", "strict": True,
                   "parameters": {"type": "object", "properties": {"recipient": {"type": "string",
                   "description": f"e.g. {E}"}}, "required": ["recipient"]}},
                  {"type": "custom", "name": "raw", "description": f"raw {G}"},
                  {"type": "web_search", "user_location": {"type": "approximate", "city": f"home of {P}"}}],
        "tool_choice": {"type": "function", "name": "send_mail"},
        "text": {"format": {"type": "json_schema", "name": "reply", "schema": {"type": "object",
                 "properties": {"to": {"type": "string", "description": f"to {P}"}}}}, "verbosity": "low"},
        "reasoning": {"effort": "low", "summary": "auto"}, "include": ["reasoning.encrypted_content"],
        "metadata": {"owner": E}, "user": P, "prompt": {"id": "pmpt_1", "variables": {"name": P}},
        "previous_response_id": "resp_0", "truncation": "auto", "store": False,
    },
}  # fmt: skip
