"""Credentials in HTTP authorization: `Bearer <token>`, `Authorization: token|Basic|SSWS <value>`,
and the values of `Cookie:` / `Set-Cookie:` headers.

Only the credential is the span: `Authorization: Bearer [REDACTED:API_KEY]` keeps the header
readable. Basic credentials are `base64(user:password)`, reversible, so they count as a
PASSWORD. A token after a bare `Bearer` must look like credential material (`Bearer
authentication`, `Bearer <token>` and `Bearer $TOKEN` are prose or templates); a bare
`Authorization: <value>` must be 8+ characters mixing letters and digits.

In an `Authorization: Bearer` header the value is the credential whatever it looks like
(`Authorization: Bearer abc123`, `-H 'Authorization: Bearer P@ssw0rd123'`): it runs to the
next space or quote. Refused there: templates and masks (`$TOKEN`, `${TOKEN}`, `<token>`,
`{{token}}`, `***`, `YOUR_TOKEN_HERE`), variable names (`ACCESS_TOKEN`, `accessToken`), scheme
words (`token`), and a lower-case word that prose goes on after ("Authorization: Bearer
authentication is required").

In a cookie header every `name=value` pair whose value reads like credential material (8+
characters mixing letters and digits: session ids, CSRF and remember-me tokens, signed
cookies) is dropped as an ``API_KEY``, and so is any value of 4+ characters under a
credential name (`session_id=letmein`, `sid`, `auth`, `token`, `jwt`, `csrf`, `remember`,
`secret`); the names stay, and so do plain settings (`theme=dark`, `lang=en-US`,
`logged_in=yes`), booleans and short numbers (`remember_me=1`, `auth=true`) and `Set-Cookie`
attributes (`Path=/`, `Expires=...`).
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
_NOT_TOKENS = frozenset(
    {"bearer", "basic", "token", "digest", "negotiate", "ntlm", "hoba", "mutual", "ssws", "splunk", "oauth"}
)
# One `name=value` pair of a cookie header; the value may be quoted.
_COOKIE_PAIR = re.compile(
    r"[ \t]*(?P<name>[^=;,\s]{1,128})[ \t]*=[ \t]*\"?(?P<v>[^;\s\"]{0,4096})\"?[ \t]*[;,]?"
)
# Cookie names that hold a credential whatever its value looks like (`session_id=letmein`),
# unless they name a setting about it (`auth_provider=google`).
_CREDENTIAL_COOKIE = re.compile(
    r"(?i)sess|token|auth|jwt|remember|csrf|xsrf|secret|passw|credential|saml|api[_-]?key"
    r"|(?<![a-z])sid(?![a-z])|sid\Z"
)
_CLEARED = frozenset({"deleted", "expired", "invalid", "logout", "loggedout", "guest", "anonymous"})
_COOKIE_SETTING = re.compile(
    r"(?i)provider|method|type|mode|redirect|return|url|lang|locale|theme|consent|pref"
)
# The header before a `Bearer` value: there the value is a credential whatever it looks like.
_HEADER = r"(?i:authorization)\\?[\"']?[ \t]{0,4}[:=][ \t]{0,4}\\?[\"']?"
_HEADER_BEFORE = re.compile(_HEADER + r"\Z")
# A variable standing for the token (`ACCESS_TOKEN`, `accessToken`, `jwt`), not the token.
_TOKEN_VARIABLE = re.compile(r"(?i)[a-z_]*(?:token|key|secret|jwt|auth|cred|pass)[a-z_]*")
_PROSE_GOES_ON = re.compile(r"[ \t]+[a-z]")
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
        # `Authorization: Bearer <anything>` (the header makes any value a credential: group
        # `b`, the value runs to a space or quote), `Authorization: token ghp_...`,
        # `Authorization: <bare value>`. One pattern: one anchor scan per text.
        SecretPattern(
            "authorization",
            re.compile(_HEADER + r"(?:(?P<b>(?i:bearer)[ \t]{1,8})"
                       r"|(?!(?i:bearer|basic|digest|negotiate|ntlm|aws4-hmac)\b)"
                       r"(?:(?i:token|apikey|api-key|sso-key|key|ssws|splunk|geniekey|oauth)[ \t]{1,8})?)"
                       r"(?P<v>(?(b)[^\s\"'`\\,;]|[A-Za-z0-9._~+/=:-]){1,8192})"),
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
                name = pair.group("name")
                if name.lower() in _COOKIE_ATTRIBUTES or len(value) < 4 or is_placeholder(value):
                    continue
                if (len(value) >= 8 and credential_like(value)) or (
                    _CREDENTIAL_COOKIE.search(name) is not None
                    and _COOKIE_SETTING.search(name) is None
                    and not (value.isdigit() and len(value) < 6)
                    and value.lower() not in _CLEARED
                ):
                    yield Span(
                        pair.start("v"), pair.end("v"), self.KIND, f"rules:{self.name}", 0.85, "cookie"
                    )

    def value_span(self, text: str, match: re.Match[str], pattern: SecretPattern) -> tuple[int, int]:
        start, end = super().value_span(text, match, pattern)
        if pattern.name == "authorization" and match.group("b") is not None:
            # Sentence punctuation after the value is not part of it (`... Bearer abc123.`).
            while end > start + 1 and (
                text[end - 1] == "." or (text[end - 1] == ")" and "(" not in text[start:end])
            ):
                end -= 1
        return start, end

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        start = match.start()
        if start and match.string[start - 1].isalnum():  # `nonbearer`, `reauthorization`
            return False
        if pattern.name == "bearer" and _HEADER_BEFORE.search(match.string, max(0, start - 32), start):
            return False  # `Authorization: Bearer ...`: the header's own pattern judges it
        if value.lower() in _NOT_TOKENS or is_placeholder(value):
            return False
        if pattern.name == "basic":
            return len(value) >= 8
        if pattern.name == "authorization" and match.group("b") is not None:
            # (`_TOKEN_VARIABLE` holds letters and `_` only: most tokens fail a C-speed test first.)
            if len(value) < 3 or (value.replace("_", "").isalpha() and _TOKEN_VARIABLE.fullmatch(value)):
                return False  # `Bearer ACCESS_TOKEN`, `Bearer accessToken`
            # "Authorization: Bearer authentication is required": a word the sentence goes on after.
            end = match.end("v")
            return not (value.isalpha() and value.islower() and _PROSE_GOES_ON.match(match.string, end))
        if pattern.name == "authorization":
            return len(value) >= 8 and credential_like(value)
        # Opaque tokens: long enough and not a word (`Bearer authentication`).
        return len(value) >= 12 and credential_like(value)
