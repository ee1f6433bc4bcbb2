"""MCP (Model Context Protocol) faces of the gateway (docs/architecture.md §13).

- `app.mcp.server`: ``redaction-gateway mcp``, a stdio MCP server whose ``scrub``, ``rehydrate``
  and ``forget`` tools are the HTTP API's routes (same input schemas, same answers and error
  codes), backed by a running service (``--url``) or by the service's app run in-process.
- `app.mcp.wrap`: ``redaction-gateway mcp-wrap -- CMD ARGS``, a relay between an MCP client and
  another MCP server that scrubs what comes back (tool results, resources, prompts, errors)
  and rehydrates the tool-call arguments that go out, with one map per session.

Both use the official MCP Python SDK (the ``mcp`` extra) only where the protocol needs it:
the server is an SDK server; the wrapper relays the SDK's wire format (JSON-RPC lines) itself.
"""

from __future__ import annotations

__all__: list[str] = []
