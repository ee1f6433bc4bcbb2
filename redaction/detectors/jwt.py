"""JSON Web Tokens: `header.payload.signature`, each base64url, the header a JSON object (`eyJ`).

The header is decoded to confirm the structure and to learn the signature's length from its
`alg`: a token wrapped over a line break is joined only while its signature is still short, so
the line after a complete token is never swallowed. JWE (five segments) is covered too.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import ClassVar

from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, continue_over_breaks

__all__ = ["JwtDetector"]

_SEG = r"[A-Za-z0-9_-]"
# A segment may be wrapped at line breaks: the dots that must follow keep this unambiguous.
_WRAPPED = r"(?:\r?\n" + _SEG + r"{1,4096}+){0,16}+"

# Signature lengths (base64url, unpadded) by algorithm; RSA depends on the key size.
_SIG_LENGTHS: dict[str, frozenset[int]] = {
    "HS256": frozenset({43}), "HS384": frozenset({64}), "HS512": frozenset({86}),
    "ES256": frozenset({86}), "ES256K": frozenset({86}), "ES384": frozenset({128}),
    "ES512": frozenset({176}), "EdDSA": frozenset({86, 152}), "none": frozenset({0}),
    **{
        f"{family}{bits}": frozenset({171, 342, 512, 683})
        for family in ("RS", "PS") for bits in (256, 384, 512)
    },
}  # fmt: skip


def _header(segment: str) -> dict[str, object] | None:
    """The decoded JOSE header, or None where the segment is not base64url JSON."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        return None
    return decoded if isinstance(decoded, dict) else None


class JwtDetector(SecretDetector):
    """Signed (JWS) and encrypted (JWE) compact tokens, kind ``JWT``."""

    name = "jwt"
    KIND = "JWT"
    # fmt: off
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        SecretPattern(
            "jwt",
            re.compile(
                r"(?P<h>eyJ(?<![A-Za-z0-9_-]eyJ)" + _SEG + r"{8,4096}+" + _WRAPPED + r")"
                r"\.(?P<p>" + _SEG + r"{0,65536}+" + _WRAPPED + r")"
                r"\.(?P<s>" + _SEG + r"{0,4096}+)"
                # JWE: encrypted key . iv . ciphertext . tag (the second segment may be empty)
                r"(?P<jwe>(?:\." + _SEG + r"{1,65536}){2})?"
            ),
            score=1.0,
        ),
    )
    # fmt: on

    def value_span(self, text: str, match: re.Match[str], pattern: SecretPattern) -> tuple[int, int]:
        start, end = match.span()
        if match.group("jwe") is not None or end >= len(text) or text[end] not in "\r\n":
            return start, end
        header = _header(_strip_breaks(match.group("h")))
        lengths = _SIG_LENGTHS.get(str(header.get("alg"))) if header else None
        if lengths is not None and len(match.group("s")) in lengths:
            return start, end  # complete: what follows the break is another line
        return start, continue_over_breaks(text, end)

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        header = _header(_strip_breaks(match.group("h")))
        if header is not None:
            return "alg" in header or "enc" in header or "typ" in header
        # Header not decodable (mangled): keep it when the payload is JSON-shaped too.
        return match.group("p").startswith("eyJ")


def _strip_breaks(segment: str) -> str:
    return segment.replace("\r", "").replace("\n", "")
