"""MCP through the official SDK's stdio client: ``redaction-gateway mcp`` (the tool server) and
``redaction-gateway mcp-wrap`` around tests/mcp/canary_server.py, a real MCP server that
returns canary values."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import McpError

from app.models import RehydrateRequest, ScrubRequest

from . import canary_server

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).parents[2]
CANARIES = (
    canary_server.EMAIL, canary_server.PHONE, canary_server.SSN, canary_server.CARD, "415-555-0132",
    canary_server.NAME, "Canarylace",
)  # fmt: skip


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(
        REDACTION_DATA_DIR=str(tmp_path / "data"), REDACTION_SPACY_ENABLED="false",
        PYTHONPATH=str(ROOT), **extra,
    )  # fmt: skip
    return env


@asynccontextmanager
async def _session(args: list[str], env: dict[str, str], errlog: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "app.cli", *args], env=env, cwd=str(ROOT)
    )
    with errlog.open("w") as err:
        async with stdio_client(params, errlog=err) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


def _texts(result: Any) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False)


def _assert_clean(blob: str, where: str) -> None:
    for canary in CANARIES:
        assert canary not in blob, f"a canary value reached {where}"


async def test_the_tool_server_scrubs_rehydrates_and_forgets_in_process(tmp_path: Path) -> None:
    text = f"Mail {canary_server.EMAIL} or call {canary_server.PHONE}; SSN {canary_server.SSN}."
    errlog = tmp_path / "stderr.txt"
    async with _session(["mcp"], _env(tmp_path), errlog) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == {"scrub", "rehydrate", "forget"}
        assert (
            tools["scrub"].inputSchema["properties"].keys()
            == ScrubRequest.model_json_schema()["properties"].keys()
        )
        assert tools["rehydrate"].inputSchema["required"] == RehydrateRequest.model_json_schema()["required"]

        scrubbed = await session.call_tool(
            "scrub", {"task_id": "t-mcp", "items": [{"id": "memo", "text": text}]}
        )
        assert not scrubbed.isError
        body = scrubbed.structuredContent
        assert body is not None
        _assert_clean(_texts(scrubbed), "the scrub tool's result")
        out = body["items"][0]["scrubbed_text"]
        assert "[EMAIL_1]" in out
        assert "[REDACTED:US_SSN]" in out

        back = await session.call_tool(
            "rehydrate",
            {"task_id": "t-mcp", "map_handle": body["map_handle"], "items": [{"id": "r", "text": out}]},
        )
        assert not back.isError
        assert back.structuredContent is not None
        assert canary_server.EMAIL in back.structuredContent["items"][0]["rehydrated_text"]

        gone = await session.call_tool("forget", {"task_id": "t-mcp", "map_handle": body["map_handle"]})
        assert not gone.isError, _texts(gone)
        again = await session.call_tool(
            "rehydrate",
            {"task_id": "t-mcp", "map_handle": body["map_handle"], "items": [{"id": "r", "text": out}]},
        )
        assert again.isError
        assert again.structuredContent == {"error": "map_expired", "status": 410}

        bad = await session.call_tool(
            "scrub", {"task_id": "t", "items": [{"id": "x", "text": text, "extra": text}]}
        )
        assert bad.isError
        assert bad.structuredContent is not None
        assert bad.structuredContent["error"] == "bad_request"
        _assert_clean(_texts(bad), "an error of the scrub tool")
    _assert_clean(errlog.read_text(), "the tool server's stderr")


async def test_the_wrapper_scrubs_what_comes_back_and_rehydrates_what_goes_out(tmp_path: Path) -> None:
    received = tmp_path / "received.jsonl"
    env = _env(tmp_path, CANARY_SERVER_LOG=str(received))
    errlog = tmp_path / "stderr.txt"
    known = tmp_path / "known.json"
    known.write_text(json.dumps({"persons": [canary_server.NAME]}))
    server = [sys.executable, str(Path(canary_server.__file__))]
    wrapped = ["mcp-wrap", "--known-entities", str(known), "--", *server]
    async with _session(wrapped, env, errlog) as session:
        seen: list[str] = []

        result = await session.call_tool("lookup_customer", {"customer_id": "c-1"})
        seen.append(_texts(result))
        text = result.content[0].text  # type: ignore[union-attr]
        assert "[EMAIL_1]" in text
        assert "[PHONE_1]" in text
        assert "[PERSON_1]" in text, "known entities are caught by the in-process map"
        assert "[REDACTED:US_SSN]" in text, "tier-1 values are dropped"
        assert "[REDACTED:CREDIT_CARD]" in text, "tier-1 values are dropped"

        sent = await session.call_tool(
            "send_email", {"to": "[EMAIL_1]", "body": "Hi [EMAIL_1], re [PHONE_1] [NOPE_9]"}
        )
        seen.append(_texts(sent))
        assert sent.content[0].text == "sent to [EMAIL_1]", "one map per session: the same token comes back"  # type: ignore[union-attr]

        resource = await session.read_resource("customers://7")  # type: ignore[arg-type]
        seen.append(_texts(resource))
        assert "[EMAIL_1]" in resource.contents[0].text  # type: ignore[union-attr]

        prompt = await session.get_prompt("follow_up", {"customer_id": "7"})
        seen.append(_texts(prompt))
        assert "[EMAIL_1]" in prompt.messages[0].content.text  # type: ignore[union-attr]

        with pytest.raises(McpError) as caught:
            await session.read_resource("customers://missing")  # type: ignore[arg-type]
        seen.append(caught.value.error.model_dump_json())
        assert "no customer; ask [EMAIL_1]" in caught.value.error.message, (
            "the error passes through, scrubbed"
        )
        with pytest.raises(McpError) as caught:  # a protocol error keeps its code
            await session.complete(
                types.PromptReference(type="ref/prompt", name="follow_up"),
                {"name": "customer_id", "value": "c"},
            )
        assert caught.value.error.code == types.METHOD_NOT_FOUND

        failed = await session.call_tool("fail_loudly", {"reason": "timeout"})
        seen.append(_texts(failed))
        assert failed.isError

        # A multi-megabyte result while other calls are in flight: no deadlock, nothing leaks.
        results: dict[str, Any] = {}

        async def call(name: str, args: dict[str, Any]) -> None:
            results[f"{name}{len(results)}"] = await session.call_tool(name, args)

        with anyio.fail_after(120):
            async with anyio.create_task_group() as group:
                group.start_soon(call, "bulk_export", {"rows": 20_000})
                for i in range(5):
                    group.start_soon(call, "lookup_customer", {"customer_id": f"c-{i}"})
        assert len(results) == 6
        big = next(r for k, r in results.items() if k.startswith("bulk_export"))
        assert len(big.content[0].text) > 4_000_000
        assert big.content[0].text.count("[EMAIL_1]") == 20_000
        seen.extend(_texts(r) for r in results.values())

    for blob in seen:
        _assert_clean(blob, "the MCP client")
    calls = [json.loads(line) for line in received.read_text().splitlines()]
    email = next(c for c in calls if c["tool"] == "send_email")["arguments"]
    assert email["to"] == canary_server.EMAIL, "the real server must get the real value back"
    assert email["body"] == f"Hi {canary_server.EMAIL}, re {canary_server.PHONE} [NOPE_9]"
    _assert_clean(errlog.read_text(), "the wrapper's stderr")


async def test_the_wrapper_fails_closed_when_it_cannot_scrub(tmp_path: Path) -> None:
    from tests.ports import free_port

    env = _env(tmp_path, CANARY_SERVER_LOG=str(tmp_path / "received.jsonl"))
    dead = f"http://127.0.0.1:{free_port()}"
    wrapped = ["mcp-wrap", "--url", dead, "--", sys.executable, str(Path(canary_server.__file__))]
    async with _session(wrapped, env, tmp_path / "stderr.txt") as session:
        with pytest.raises(McpError) as caught:
            await session.call_tool("lookup_customer", {"customer_id": "c-1"})
        assert "could not process" in caught.value.error.message
        _assert_clean(
            caught.value.error.model_dump_json(), "the client (a result that could not be scrubbed)"
        )
    _assert_clean((tmp_path / "stderr.txt").read_text(), "the wrapper's stderr")


async def test_the_tool_server_uses_a_running_service_with_url(tmp_path: Path) -> None:
    from tests.service.processes import free_port, service_process

    port = free_port()
    key = "mcp-test-key-0123456789abcdef"
    with service_process(port, tmp_path / "svc.log", data_dir=str(tmp_path / "svc"), api_key=key):
        env = _env(tmp_path, REDACTION_API_KEY=key)
        args = ["mcp", "--url", f"http://127.0.0.1:{port}"]
        async with _session(args, env, tmp_path / "stderr.txt") as session:
            text = f"Mail {canary_server.EMAIL}"
            result = await session.call_tool(
                "scrub", {"task_id": "t-url", "items": [{"id": "a", "text": text}]}
            )
            assert not result.isError, _texts(result)
            assert result.structuredContent is not None
            assert result.structuredContent["items"][0]["scrubbed_text"] == "Mail [EMAIL_1]"
            _assert_clean(_texts(result), "the scrub tool's result")
    assert "/scrub" in (tmp_path / "svc.log").read_text(), "the call went to the running service"
