"""The HTTP face of `redaction.errors`: transport errors, status codes and error bodies.

The engine's hierarchy (see `redaction.errors`) covers everything a scrub can go wrong with;
this module adds only what the engine has no business knowing (``Unauthorized``,
``PayloadTooLarge``) and the table that turns an error code into an HTTP status.

Every error body is top-level JSON ``{"error": "<code>", ...}``. The extra fields are safe
context only (item ids, kinds, placeholder tokens, limit names), built here from the
exception's attributes, never from ``str(exc)``: no input text, known-entity value or map
value can reach an error body through this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redaction.errors import (
    DescriptiveUnredactable,
    NerUnavailable,
    RedactionError,
    Tier1Rejected,
    UnknownTokens,
)

__all__ = [
    "MAX_LISTED_TOKENS",
    "STATUS_BY_CODE",
    "PayloadTooLarge",
    "Unauthorized",
    "error_body",
    "status_for",
]

# docs/architecture.md §5, plus the two routing errors every HTTP service has.
STATUS_BY_CODE: Mapping[str, int] = {
    "bad_request": 400,
    "unknown_map_handle": 400,
    "unauthorized": 401,
    "not_found": 404,
    "method_not_allowed": 405,
    "unknown_tokens": 409,
    "map_expired": 410,
    "payload_too_large": 413,
    "tier1_detected": 422,
    "ner_unavailable": 422,
    "descriptive_unredactable": 422,
    "scrub_failed": 500,
    "store_unavailable": 503,
}

MAX_LISTED_TOKENS = 100  # a 409 lists at most this many distinct unknown tokens (plus a count)


class Unauthorized(RedactionError):
    """A caller key is configured and the request carried no key or a wrong one."""

    code = "unauthorized"


class PayloadTooLarge(RedactionError):
    """The request is over a configured limit: ``limit`` names it, ``maximum`` is its value."""

    code = "payload_too_large"

    def __init__(self, limit: str, maximum: int) -> None:
        self.limit = limit  # "body_bytes" | "items" | "item_chars"
        self.maximum = maximum
        super().__init__(f"request over the {limit} limit ({maximum})")


def status_for(code: str) -> int:
    """The HTTP status of an error code; unknown codes are 500."""
    return STATUS_BY_CODE.get(code, 500)


def error_body(exc: RedactionError) -> dict[str, Any]:
    """The top-level JSON body for ``exc``: its code plus safe, typed context."""
    body: dict[str, Any] = {"error": exc.code}
    if isinstance(exc, Tier1Rejected):
        body["spans"] = [{"item": item, "kinds": list(kinds)} for item, kinds in exc.spans]
    elif isinstance(exc, UnknownTokens):
        distinct = list(dict.fromkeys(exc.tokens))
        body["tokens"] = distinct[:MAX_LISTED_TOKENS]  # placeholders like "[PERSON_9]", never values
        body["count"] = len(exc.tokens)
    elif isinstance(exc, NerUnavailable):
        body["layer"] = exc.layer
        body["reason"] = exc.reason  # a fixed word chosen by the layer ("timeout"), never text
    elif isinstance(exc, DescriptiveUnredactable):
        body["items"] = list(exc.items)
    elif isinstance(exc, PayloadTooLarge):
        body["limit"] = exc.limit
        body["max"] = exc.maximum
    return body
