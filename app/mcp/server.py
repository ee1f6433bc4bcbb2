"""``redaction-gateway mcp``: the gateway's routes as MCP tools over stdio.

Tools ``scrub``, ``rehydrate`` and ``forget`` take exactly the JSON bodies of ``POST /scrub``,
``POST /rehydrate`` and ``POST /forget`` (their input schemas are the API models' schemas,
`app.models`) and answer with the route's JSON body as structured content. An error answer
is a tool error whose content is the route's error body (``{"error": code, ...}``: codes,
field names, kinds, never values). Input is validated by the service, not by the SDK,
whose validation messages would quote the input.

Backend: with ``--url`` a running service over HTTP (caller key from ``REDACTION_API_KEY``);
without it, the service's own app in this process (`app.main.create_app` over an in-memory
ASGI transport, settings from the environment): the same engine, map store, NER layers,
policies and audit log as ``serve``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

__all__ = ["TOOLS", "run_server", "tool_schemas"]

TOOLS: Mapping[str, tuple[str, str]] = {
    "scrub": (
        "/scrub",
        "Replace every sensitive value of the items' texts by a placeholder such as [PERSON_1]; "
        "tier-1 values (keys, card numbers, ...) are dropped. Returns the scrubbed texts and a "
        "map_handle for rehydrate (pass it back to extend the same map).",
    ),
    "rehydrate": (
        "/rehydrate",
        "Put the real values back into text that contains placeholders, using the map_handle "
        "and task_id of the scrub that produced them.",
    ),
    "forget": ("/forget", "Erase a map now (task_id and map_handle), before it expires."),
}

_FORGET_FALLBACK: dict[str, Any] = {
    "type": "object",
    "properties": {
        "task_id": {"type": "string", "minLength": 1},
        "map_handle": {"type": "string", "minLength": 1},
    },
    "required": ["task_id", "map_handle"],
    "additionalProperties": False,
}


def tool_schemas() -> dict[str, dict[str, Any]]:
    """Tool name -> input schema: the request models of the HTTP API."""
    from .. import models

    schemas = {
        "scrub": models.ScrubRequest.model_json_schema(),
        "rehydrate": models.RehydrateRequest.model_json_schema(),
    }
    forget = getattr(models, "ForgetRequest", None)
    schemas["forget"] = forget.model_json_schema() if forget is not None else _FORGET_FALLBACK
    return schemas


@contextlib.asynccontextmanager
async def _backend(url: str | None, api_key: str | None) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    if url is not None:
        async with httpx.AsyncClient(base_url=url.rstrip("/"), headers=headers, timeout=300) as client:
            yield client
        return
    from ..main import create_app
    from ..settings import Settings

    settings = Settings()
    app = create_app(settings)
    if settings.api_key is not None:
        headers = {"Authorization": f"Bearer {settings.api_key.get_secret_value()}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mcp", headers=headers) as client:
            yield client


async def _call(
    client: httpx.AsyncClient, path: str, arguments: Mapping[str, Any]
) -> tuple[bool, dict[str, Any]]:
    """(ok, JSON body) of one route call; transport problems become a safe error body."""
    try:
        response = await client.post(path, json=dict(arguments))
    except httpx.HTTPError as exc:
        return False, {"error": "gateway_unreachable", "reason": type(exc).__name__}
    try:
        body = response.json()
    except ValueError:
        return False, {"error": "gateway_unreachable", "reason": "not_json", "status": response.status_code}
    if not isinstance(body, dict):
        return False, {
            "error": "gateway_unreachable",
            "reason": "not_an_object",
            "status": response.status_code,
        }
    if response.status_code != 200:
        body.setdefault("status", response.status_code)
        return False, body
    return True, body


async def _serve(url: str | None, api_key: str | None) -> None:
    from mcp import types
    from mcp.server.lowlevel import Server
    from mcp.server.stdio import stdio_server

    server: Server[Any, Any] = Server("redaction-gateway")
    schemas = tool_schemas()

    @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return [
            types.Tool(name=name, description=description, inputSchema=schemas[name])
            for name, (_, description) in TOOLS.items()
        ]

    async with _backend(url, api_key) as client:

        @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
        async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
            if name not in TOOLS:
                body: dict[str, Any] = {"error": "unknown_tool"}
                ok = False
            else:
                ok, body = await _call(client, TOOLS[name][0], arguments)
            text = json.dumps(body, ensure_ascii=False)
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=text)],
                structuredContent=body,
                isError=not ok,
            )

        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())


def run_server(*, url: str | None, api_key: str | None) -> int:
    """Serve until the client closes stdin; the exit status."""
    import anyio

    anyio.run(_serve, url, api_key)
    return 0
