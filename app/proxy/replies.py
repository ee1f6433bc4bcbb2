"""The gateway's refusals in each provider's own error shape (docs/architecture.md §11).

An SDK raises its usual exception for a status (``BadRequestError`` 400,
``AuthenticationError`` 401, ``NotFoundError`` 404, ``UnprocessableEntityError`` 422,
``InternalServerError`` 5xx) and quotes the body in its message; the gateway's code is the
message's first word and, for OpenAI, also the error's ``code``. The gateway's safe body
(`app.errors.error_body`: code plus kinds, counts, limit names) rides along under
``redaction``. Mid-stream failures (after the 200 headers went out) are one final SSE error
event in the provider's stream format, which both SDKs raise as ``APIError``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from redaction.errors import RedactionError

from ..errors import error_body, status_for
from ..responses import JSONResponse
from .outbound import Api
from .sse import encode_event

__all__ = ["error_event", "provider_error", "provider_error_body"]

_ANTHROPIC_TYPES: Final = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 409: "invalid_request_error", 410: "invalid_request_error",
    413: "request_too_large", 422: "invalid_request_error", 429: "rate_limit_error",
}  # fmt: skip
_OPENAI_TYPES: Final = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 409: "invalid_request_error", 410: "invalid_request_error",
    413: "invalid_request_error", 422: "invalid_request_error", 429: "rate_limit_error",
}  # fmt: skip


def provider_error_body(api: Api, exc: RedactionError) -> dict[str, Any]:
    status = status_for(exc.code)
    safe = error_body(exc)
    message = f"{exc.code}: refused by redaction-gateway"
    if api == "anthropic":
        kind = _ANTHROPIC_TYPES.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}, "redaction": safe}
    kind = _OPENAI_TYPES.get(status, "server_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": exc.code}, "redaction": safe}


def provider_error(api: Api, exc: RedactionError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The refusal ``exc`` as a JSON response in ``api``'s error shape, documented status."""
    return JSONResponse(provider_error_body(api, exc), status_code=status_for(exc.code), headers=headers)


def error_event(api: Api, exc: RedactionError, *, responses: bool = False) -> bytes:
    """The refusal as the final event of a stream (Anthropic ``event: error``; OpenAI data)."""
    body = provider_error_body(api, exc)
    if api == "anthropic":
        return encode_event(json.dumps(body), "error")
    if responses:  # the Responses stream's error event, with the object the SDK checks for
        inner = body["error"]
        body = {"type": "error", "code": exc.code, "message": inner["message"], **body}
        return encode_event(json.dumps(body), "error")
    return encode_event(json.dumps(body))
