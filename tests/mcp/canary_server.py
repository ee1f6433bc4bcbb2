"""A small MCP server (official SDK, stdio) that returns canary values, for the wrapper tests.

It records every tool call's arguments as one JSON line in the file named by
``CANARY_SERVER_LOG``, so a test can check what the real server received.
"""

from __future__ import annotations

import json
import os

from mcp.server.fastmcp import FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import ErrorData

EMAIL = "jane.canary@example.com"
PHONE = "+1 415-555-0132"
SSN = "078-05-1120"
CARD = "4111 1111 1111 1111"
NAME = "Ada Canarylace"

server = FastMCP("canary")


def _record(tool: str, arguments: dict[str, object]) -> None:
    with open(os.environ["CANARY_SERVER_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"tool": tool, "arguments": arguments}) + "\n")


@server.tool()
def lookup_customer(customer_id: str) -> str:
    """A customer record with contact data and a tier-1 value."""
    _record("lookup_customer", {"customer_id": customer_id})
    return f"Customer {customer_id} ({NAME}): email {EMAIL}, phone {PHONE}, SSN {SSN}, card {CARD}."


@server.tool()
def send_email(to: str, body: str) -> str:
    """Pretend to send an e-mail; answers with what it sent."""
    _record("send_email", {"to": to, "body": body})
    return f"sent to {to}"


@server.tool()
def bulk_export(rows: int) -> str:
    """A large result: ``rows`` lines, each with a canary e-mail."""
    _record("bulk_export", {"rows": rows})
    return "\n".join(f"row {i}: contact {EMAIL} " + "x" * 200 for i in range(rows))


@server.tool()
def fail_loudly(reason: str) -> str:
    """A tool error whose message quotes a canary."""
    _record("fail_loudly", {"reason": reason})
    raise ValueError(f"cannot reach {EMAIL}: {reason}")


@server.resource("customers://{customer_id}")
def customer_resource(customer_id: str) -> str:
    if customer_id == "missing":
        raise McpError(ErrorData(code=-32002, message=f"no customer; ask {EMAIL}"))
    return f"Customer file {customer_id}: {EMAIL}, {PHONE}"


@server.prompt()
def follow_up(customer_id: str) -> str:
    return f"Write a follow-up to {EMAIL} about customer {customer_id}."


if __name__ == "__main__":
    server.run("stdio")
