"""JSON responses that never fail to encode, and the error responses built on them.

Starlette's ``JSONResponse`` writes UTF-8 and raises on a lone surrogate, which is a legal
Python ``str`` (it arrives as the JSON escape ``"\\ud800"``). `json_bytes` writes compact
UTF-8 when it can and falls back to ASCII escapes (``\\ud800``) when it cannot: both decode
to the same JSON value, so a client always gets back exactly the string it sent.
"""

from __future__ import annotations

import json
from typing import Any

from starlette import responses

from redaction.errors import RedactionError

from .errors import error_body, status_for

__all__ = ["JSONResponse", "error_response", "json_bytes"]


def json_bytes(content: Any) -> bytes:
    """Compact JSON; UTF-8, or ASCII escapes when the content holds lone surrogates."""
    try:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except UnicodeEncodeError:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode()


class JSONResponse(responses.JSONResponse):
    # A subclass of Starlette's, so FastAPI documents a route's `response_model` in OpenAPI.
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else json_bytes(content)


def error_response(exc: RedactionError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The documented status and top-level body for ``exc``."""
    return JSONResponse(error_body(exc), status_code=status_for(exc.code), headers=headers)
