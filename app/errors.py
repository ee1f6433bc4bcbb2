"""The HTTP face of `redaction.errors`: transport errors, status codes and error bodies.

The engine's hierarchy (see `redaction.errors`) covers everything a scrub can go wrong with;
this module adds only what the engine has no business knowing (``Unauthorized``,
``PayloadTooLarge``, ``RequestTimeout``, ``Overloaded``, ``AuditUnavailable``, and the provider
proxy's ``ProxyNotConfigured``,
``UnscannableContent`` and ``UpstreamError`` family, the policy errors ``UnknownProfile`` and
``PolicyOverrideForbidden``, drawn in the tree of `redaction.errors`)
and the table that turns an error code into an HTTP status.

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
    PolicyBlocked,
    PolicyInvalid,
    RedactionError,
    Tier1Rejected,
    UnknownTokens,
)

__all__ = [
    "MAX_LISTED_TOKENS",
    "STATUS_BY_CODE",
    "AuditUnavailable",
    "Overloaded",
    "PayloadTooLarge",
    "PolicyOverrideForbidden",
    "ProxyNotConfigured",
    "RequestTimeout",
    "Unauthorized",
    "UnknownProfile",
    "UnscannableContent",
    "UpstreamError",
    "UpstreamTimeout",
    "UpstreamTooLarge",
    "UpstreamUnavailable",
    "error_body",
    "status_for",
]

# docs/architecture.md §5, plus the two routing errors every HTTP service has.
STATUS_BY_CODE: Mapping[str, int] = {
    "bad_request": 400,
    "unknown_map_handle": 400,
    "invalid_policy": 400,
    "unknown_profile": 400,
    "unauthorized": 401,
    "policy_override_forbidden": 403,
    "not_found": 404,
    "proxy_not_configured": 404,
    "method_not_allowed": 405,
    "request_timeout": 408,
    "unknown_tokens": 409,
    "map_expired": 410,
    "payload_too_large": 413,
    "tier1_detected": 422,
    "policy_blocked": 422,
    "ner_unavailable": 422,
    "descriptive_unredactable": 422,
    "unscannable_content": 422,
    "scrub_failed": 500,
    "upstream_unavailable": 502,
    "upstream_too_large": 502,
    "store_unavailable": 503,
    "overloaded": 503,
    "audit_unavailable": 503,
    "upstream_timeout": 504,
}

MAX_LISTED_TOKENS = 100  # a 409 lists at most this many distinct unknown tokens (plus a count)


class Unauthorized(RedactionError):
    """A caller key is configured and the request carried no key or a wrong one."""

    code = "unauthorized"


class RequestTimeout(RedactionError):
    """The request body did not arrive in full within ``REDACTION_BODY_TIMEOUT_SECONDS``."""

    code = "request_timeout"


class Overloaded(RedactionError):
    """Every connection the process allows (``REDACTION_MAX_CONNECTIONS``) has a request in
    flight: this one is refused (app.connections)."""

    code = "overloaded"


class AuditUnavailable(RedactionError):
    """``REDACTION_AUDIT_LOG`` is set and the record of this call could not be written: the
    response is refused rather than served unaudited (app.audit)."""

    code = "audit_unavailable"


class PayloadTooLarge(RedactionError):
    """The request is over a configured limit: ``limit`` names it, ``maximum`` is its value."""

    code = "payload_too_large"

    def __init__(self, limit: str, maximum: int) -> None:
        self.limit = limit  # "body_bytes" | "items" | "item_chars" | "output" (rehydrated bytes) | ...
        self.maximum = maximum
        super().__init__(f"request over the {limit} limit ({maximum})")


class ProxyNotConfigured(RedactionError):
    """A provider route whose upstream (``REDACTION_*_UPSTREAM``) is not set: ``api`` names it."""

    code = "proxy_not_configured"

    def __init__(self, api: str) -> None:
        self.api = api  # "anthropic" | "openai"
        super().__init__(f"no {api} upstream is configured")


class UnscannableContent(RedactionError):
    """A proxied request carries content the rules cannot read (an image, a document, audio).

    ``kind`` is the content's type name from a closed set (``image``, ``document``, ``audio``,
    ``file``), never a value from the request.
    """

    code = "unscannable_content"

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"request carries {kind} content, which cannot be scanned")


class UpstreamError(RedactionError):
    """The provider upstream could not be used; ``reason`` is a fixed word, never a message."""

    code = "upstream_unavailable"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"upstream failed: {reason}")


class UpstreamUnavailable(UpstreamError):
    """Connect failure, a dropped connection or an answer that is not the provider's format."""


class UpstreamTimeout(UpstreamError):
    """No connection or no bytes within ``REDACTION_UPSTREAM_*_TIMEOUT_SECONDS``."""

    code = "upstream_timeout"


class UpstreamTooLarge(UpstreamError):
    """The upstream's answer passed ``REDACTION_UPSTREAM_MAX_RESPONSE_BYTES``."""

    code = "upstream_too_large"


class UnknownProfile(RedactionError):
    """A request names a policy profile the service does not define (400, docs/architecture.md §12)."""

    code = "unknown_profile"


class PolicyOverrideForbidden(RedactionError):
    """A request relaxes its profile (allow terms, weaker actions) where the profile forbids
    it (403); ``fields`` names what it tried (``allow``, ``actions.EMAIL``), never a value."""

    code = "policy_override_forbidden"

    def __init__(self, profile: str, fields: list[str]) -> None:
        self.profile = profile
        self.fields = list(fields)
        super().__init__(f"the profile does not permit relaxing {', '.join(self.fields)}")


def status_for(code: str) -> int:
    """The HTTP status of an error code; unknown codes are 500."""
    return STATUS_BY_CODE.get(code, 500)


def error_body(exc: RedactionError) -> dict[str, Any]:
    """The top-level JSON body for ``exc``: its code plus safe, typed context."""
    body: dict[str, Any] = {"error": exc.code}
    if isinstance(exc, Tier1Rejected | PolicyBlocked):
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
    elif isinstance(exc, PolicyInvalid):
        body["key"] = exc.key  # where, e.g. "rules[0].pattern"; with the rule's name and why
        body["rule"] = exc.rule
        body["reason"] = exc.reason
    elif isinstance(exc, PolicyOverrideForbidden):
        body["profile"] = exc.profile
        body["fields"] = exc.fields
    elif isinstance(exc, PayloadTooLarge):
        body["limit"] = exc.limit
        body["max"] = exc.maximum
    elif isinstance(exc, UnscannableContent):
        body["kind"] = exc.kind
    elif isinstance(exc, UpstreamError):
        body["reason"] = exc.reason
    elif isinstance(exc, ProxyNotConfigured):
        body["api"] = exc.api
    return body
