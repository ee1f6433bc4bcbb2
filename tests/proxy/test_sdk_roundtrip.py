"""The official SDKs, pointed at the gateway, against the scripted provider: what reaches the
provider carries no canary in any form, and what the SDK returns is restored byte for byte,
JSON and streamed, text and tool calls."""

from __future__ import annotations

import json

import pytest

from .conftest import EMAIL, ORG, PERSON, PROVIDER_KEY, SOURCE, Proxy, assert_no_canary

TOOL_ARGS = {"to": EMAIL, "cc": [PERSON], "note": f'ask "{ORG}"\nby phone', "n": 3}


# -- Anthropic --------------------------------------------------------------------------------


def test_anthropic_message_is_scrubbed_out_and_restored_back(proxy: Proxy) -> None:
    proxy.script()
    with proxy.anthropic() as client:
        raw = client.messages.with_raw_response.create(
            model="claude-test", max_tokens=64, system=f"You help {PERSON}.",
            messages=[{"role": "user", "content": SOURCE}],
        )  # fmt: skip
        message = raw.parse()
    assert raw.headers.get("x-redaction-map-handle"), "every proxied answer names its map"
    assert_no_canary(proxy.upstream.requests)
    assert message.content[0].type == "text"
    assert message.content[0].text == "ECHO:" + SOURCE, "the client reads every value restored"
    assert message.usage.input_tokens == 21
    assert message.stop_reason == "end_turn"
    sent = proxy.upstream.last.headers
    assert PROVIDER_KEY in sent.get("x-api-key", sent.get("authorization", "")), "the key goes upstream"
    assert sent["anthropic-version"], "the provider's headers are forwarded"
    assert not any(k.startswith(("x-redaction", "x-stainless")) for k in sent), "only provider headers go"


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 11])
def test_anthropic_stream_restores_text_and_tool_input(proxy: Proxy, chunk: int) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS), chunk=chunk)
    with proxy.anthropic() as client:
        user = f"{SOURCE} Mail {EMAIL} with note {TOOL_ARGS['note']}"
        with client.messages.stream(
            model="claude-test", max_tokens=64, messages=[{"role": "user", "content": user}]
        ) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
    assert_no_canary(proxy.upstream.requests)
    assert text == "ECHO:" + user
    tool = next(b for b in final.content if b.type == "tool_use")
    assert tool.input == TOOL_ARGS, "tool input arrives rehydrated and parsed by the SDK"


def test_anthropic_tool_input_restored_without_stream(proxy: Proxy) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS))
    with proxy.anthropic() as client:
        message = client.messages.create(
            model="claude-test", max_tokens=64,
            messages=[{"role": "user", "content": f"{SOURCE} {TOOL_ARGS['note']}"}],
        )  # fmt: skip
    tool = next(b for b in message.content if b.type == "tool_use")
    assert tool.input == TOOL_ARGS
    assert tool.name == "send_mail"


# -- OpenAI Chat Completions ------------------------------------------------------------------


def test_chat_completion_is_scrubbed_out_and_restored_back(proxy: Proxy) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS))
    with proxy.openai() as client:
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-test",
            messages=[{"role": "system", "content": f"Assist {PERSON}."},
                      {"role": "user", "content": SOURCE + " " + TOOL_ARGS["note"]}],
        )  # fmt: skip
        completion = raw.parse()
    assert raw.headers.get("x-redaction-map-handle")
    assert_no_canary(proxy.upstream.requests)
    message = completion.choices[0].message
    assert message.content == "ECHO:" + SOURCE + " " + TOOL_ARGS["note"]
    call = message.tool_calls[0]
    assert json.loads(call.function.arguments) == TOOL_ARGS, "arguments: valid JSON, values restored"
    assert completion.choices[0].finish_reason == "tool_calls"
    assert completion.usage.total_tokens == 34


@pytest.mark.parametrize("chunk", [1, 2, 4, 9])
def test_chat_stream_restores_content_and_arguments(proxy: Proxy, chunk: int) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS), chunk=chunk)
    user = SOURCE + " " + TOOL_ARGS["note"]
    with proxy.openai() as client:
        stream = client.chat.completions.create(
            model="gpt-test", messages=[{"role": "user", "content": user}], stream=True,
            stream_options={"include_usage": True},
        )  # fmt: skip
        content, args, usage, finish = [], [], None, None
        for chunk_ in stream:
            if chunk_.usage:
                usage = chunk_.usage
            for choice in chunk_.choices:
                content.append(choice.delta.content or "")
                for call in choice.delta.tool_calls or []:
                    args.append(call.function.arguments or "")
                finish = choice.finish_reason or finish
    assert_no_canary(proxy.upstream.requests)
    assert "".join(content) == "ECHO:" + user
    assert json.loads("".join(args)) == TOOL_ARGS
    assert finish == "tool_calls"
    assert usage is not None
    assert usage.total_tokens == 34


def test_chat_stream_helper_accumulates_restored_message(proxy: Proxy) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS), chunk=3)
    with (
        proxy.openai() as client,
        client.chat.completions.stream(
            model="gpt-test", messages=[{"role": "user", "content": SOURCE + TOOL_ARGS["note"]}]
        ) as stream,
    ):
        for _ in stream:
            pass
        final = stream.get_final_completion()
    message = final.choices[0].message
    assert message.content == "ECHO:" + SOURCE + TOOL_ARGS["note"]
    assert json.loads(message.tool_calls[0].function.arguments) == TOOL_ARGS


# -- OpenAI Responses -------------------------------------------------------------------------


def test_response_is_scrubbed_out_and_restored_back(proxy: Proxy) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS))
    with proxy.openai() as client:
        response = client.responses.create(
            model="gpt-test", instructions=f"Assist {PERSON}.", input=SOURCE + TOOL_ARGS["note"]
        )
    assert_no_canary(proxy.upstream.requests)
    assert response.output_text == "ECHO:" + SOURCE + TOOL_ARGS["note"]
    call = next(o for o in response.output if o.type == "function_call")
    assert json.loads(call.arguments) == TOOL_ARGS


@pytest.mark.parametrize("chunk", [1, 3, 8])
def test_responses_stream_restores_deltas_and_done_events(proxy: Proxy, chunk: int) -> None:
    proxy.script(tool=("send_mail", TOOL_ARGS), chunk=chunk)
    user = SOURCE + TOOL_ARGS["note"]
    with proxy.openai() as client:
        deltas, arg_deltas, done_text, done_args = [], [], None, None
        with client.responses.stream(model="gpt-test", input=[{"role": "user", "content": user}]) as stream:
            for event in stream:
                if event.type == "response.output_text.delta":
                    deltas.append(event.delta)
                elif event.type == "response.output_text.done":
                    done_text = event.text
                elif event.type == "response.function_call_arguments.delta":
                    arg_deltas.append(event.delta)
                elif event.type == "response.function_call_arguments.done":
                    done_args = event.arguments
            final = stream.get_final_response()
    assert_no_canary(proxy.upstream.requests)
    assert "".join(deltas) == done_text == "ECHO:" + user, "the *.done text is the restored deltas"
    assert "".join(arg_deltas) == done_args
    assert json.loads(done_args or "") == TOOL_ARGS
    assert final.output_text == "ECHO:" + user
