"""Credentials in HTTP authorization: `Bearer <token>`, `Authorization: token|Basic <value>`.

Only the credential is the span: `Authorization: Bearer [REDACTED:API_KEY]` keeps the header
readable. Basic credentials are `base64(user:password)`, reversible, so they count as a
PASSWORD. A token must look like credential material (`Bearer authentication`, `Bearer <token>`
and `Bearer $TOKEN` are prose or templates).
"""

from __future__ import annotations

import re
from typing import ClassVar

from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, credential_like, is_placeholder

__all__ = ["BearerTokenDetector"]

# RFC 6750 b64token, plus `:` seen in some vendors' opaque tokens.
_CREDENTIAL = r"(?P<v>[A-Za-z0-9._~+/=:-]{1,8192})"
# Scheme names and structured credentials that are not a secret token themselves.
_NOT_TOKENS = frozenset({"bearer", "basic", "token", "digest", "negotiate", "ntlm", "hoba", "mutual"})


class BearerTokenDetector(SecretDetector):
    """Bearer tokens and `Authorization` header credentials, kind ``API_KEY``."""

    name = "bearer"
    KIND = "API_KEY"
    # fmt: off
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        # Below the vendor-specific detectors (a JWT keeps its own kind on the same span).
        SecretPattern("bearer", re.compile(r"(?i:bearer)[ \t]{1,8}" + _CREDENTIAL), 0.9, "v",
                      anchors=("bearer",), wraps=True),
        # `Authorization: Basic dXNlcjpwYXNz`
        SecretPattern(
            "basic",
            re.compile(r"(?i:authorization)\\?[\"']?[ \t]{0,4}[:=][ \t]{0,4}\\?[\"']?"
                       r"(?i:basic)[ \t]{1,8}(?P<v>[A-Za-z0-9+/]{4,4096}={0,2})"),
            0.9, "v", anchors=("authorization",), wraps=True, kind="PASSWORD",
        ),
        # `Authorization: token ghp_...`, `Authorization: <bare value>`
        SecretPattern(
            "authorization",
            re.compile(r"(?i:authorization)\\?[\"']?[ \t]{0,4}[:=][ \t]{0,4}\\?[\"']?"
                       r"(?!(?i:bearer|basic|digest|negotiate|ntlm|aws4-hmac)\b)"
                       r"(?:(?i:token|apikey|api-key|sso-key|key)[ \t]{1,8})?" + _CREDENTIAL),
            0.85, "v", anchors=("authorization",), wraps=True,
        ),
    )
    # fmt: on

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        start = match.start()
        if start and match.string[start - 1].isalnum():  # `nonbearer`, `reauthorization`
            return False
        if value.lower() in _NOT_TOKENS or is_placeholder(value):
            return False
        if pattern.name == "basic":
            return len(value) >= 8
        # Opaque tokens: long enough and not a word (`Bearer authentication`).
        return len(value) >= 12 and credential_like(value)
