"""Credentials in HTTP authorization: `Bearer <token>`, `Authorization: token|Basic <value>`,
and the values of `Cookie:` / `Set-Cookie:` headers.

Only the credential is the span: `Authorization: Bearer [REDACTED:API_KEY]` keeps the header
readable. Basic credentials are `base64(user:password)`, reversible, so they count as a
PASSWORD. A token must look like credential material (`Bearer authentication`, `Bearer <token>`
and `Bearer $TOKEN` are prose or templates).

In a cookie header every `name=value` pair whose value reads like credential material (8+
characters mixing letters and digits: session ids, CSRF and remember-me tokens, signed
cookies) is dropped as an ``API_KEY``; the names stay, and so do plain settings (`theme=dark`,
`lang=en-US`, `logged_in=yes`) and `Set-Cookie` attributes (`Path=/`, `Expires=...`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, credential_like, is_placeholder

__all__ = ["BearerTokenDetector"]

# RFC 6750 b64token, plus `:` seen in some vendors' opaque tokens.
_CREDENTIAL = r"(?P<v>[A-Za-z0-9._~+/=:-]{1,8192})"
# Scheme names and structured credentials that are not a secret token themselves.
_NOT_TOKENS = frozenset({"bearer", "basic", "token", "digest", "negotiate", "ntlm", "hoba", "mutual"})
# One `name=value` pair of a cookie header; the value may be quoted.
_COOKIE_PAIR = re.compile(
    r"[ \t]*(?P<name>[^=;,\s]{1,128})[ \t]*=[ \t]*\"?(?P<v>[^;\s\"]{0,4096})\"?[ \t]*[;,]?"
)
# `Set-Cookie` attributes: their values are not the cookie's.
_COOKIE_ATTRIBUTES = frozenset(
    {"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority", "partitioned",
     "version", "comment"}
)  # fmt: skip


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
        # `Cookie: a=1; sessionid=...` and `Set-Cookie: ...`: the pairs are judged one by one.
        SecretPattern("cookie", re.compile(r"(?i:cookie)\\?[\"']?[ \t]{0,4}[:=][ \t]{0,4}\\?[\"']?"),
                      0.85, anchors=("cookie",)),
    )
    # fmt: on

    def spans_of(
        self, text: str, pattern: SecretPattern, found: Iterable[re.Match[str]] | None = None
    ) -> Iterator[Span]:
        if pattern.name != "cookie":
            yield from super().spans_of(text, pattern, found)
            return
        done = 0  # pairs already read: a `cookie` inside them starts no header of its own
        line_end = -1  # end of the current line, found once per line
        for header in found if found is not None else pattern.regex.finditer(text):
            start = header.start()
            if start < done or (start and (text[start - 1].isalnum() or text[start - 1] == "_")):
                continue  # `fortunecookie:`, `my_cookie=`
            pos = header.end()
            if line_end < pos:
                line_end = text.find("\n", pos)
                line_end = len(text) if line_end == -1 else line_end
            while pos < line_end:
                pair = _COOKIE_PAIR.match(text, pos, line_end)
                if pair is None or pair.end() == pos:
                    break
                pos = done = pair.end()
                value = pair.group("v")
                if pair.group("name").lower() in _COOKIE_ATTRIBUTES or len(value) < 8:
                    continue
                if credential_like(value) and not is_placeholder(value):
                    yield Span(
                        pair.start("v"), pair.end("v"), self.KIND, f"rules:{self.name}", 0.85, "cookie"
                    )

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
