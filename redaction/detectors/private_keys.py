"""Private keys: PEM/OpenSSH/PGP armoured blocks from `-----BEGIN ... PRIVATE KEY-----` to END,
age secret keys, a keypair written as its 64 bytes (Solana's `id.json`), and a JSON Web Key's
private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`).

The whole block is the span, armour included. A block is found with `str.find` for its END
line (no regex spans the body, so a body of any shape costs linear time); the search result is
reused for every BEGIN before it, so a text of many BEGIN lines stays linear. A block whose
END is missing (a truncated paste) is still dropped: the BEGIN line and the key-material lines
after it. Newlines escaped as `\\n` (a key inside a JSON string) are bodies like any other.
Certificates and public keys are not secrets and are left alone.

A Solana keypair file (and `Keypair.fromSecretKey(Uint8Array.from([...]))`) is a JSON array of
64 integers 0-255: the secret key and the public key after it. Only 64 bytes that look random
count (at least 40 distinct values, at least 8 of them 128 or more, neighbours 40 apart on
average): a row of pixels, a gradient, a run of counters or a lookup table repeats its values,
stays low or changes smoothly. And only as a keypair: the whole text (a pasted `id.json`), or
after a keypair's context (`Keypair.fromSecretKey`, `solana`, `wallet`, `secretKey`, `id.json`)
within a few lines; a digest's test vector, an S-box or a noise table is random-looking too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import ClassVar

from .._spans import Span
from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, char_classes, looks_random

__all__ = ["PrivateKeyDetector"]

_BEGIN = re.compile(r"-----BEGIN (?P<label>[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?)-----")
_END_LINE = re.compile(r"-----END [A-Z0-9 ]{0,48}-----")
# Key material: a run of base64 no word of prose has.
_KEY_MATERIAL = re.compile(r"[A-Za-z0-9+/]{20}")
# 64 integers in brackets, with spaces or line breaks anywhere (`solana-keygen` writes none).
_GAP = r"[ \t\r\n]{0,8}"
_BYTE_ARRAY = re.compile(rf"\[(?:{_GAP}[0-9]{{1,3}}{_GAP},){{63}}{_GAP}[0-9]{{1,3}}{_GAP}\]")
_BYTE = re.compile(r"[0-9]{1,3}")
# A keypair's context before its array: the call that takes it, its file, its name.
_KEYPAIR_BEFORE = re.compile(r"(?i)solana|keypair|secret[ _-]?key|private[ _-]?key|wallet|id\.json|signer")
# Random 64 bytes: ~56 distinct, ~32 of them >= 128, neighbours ~85 apart on average.
_MIN_DISTINCT, _MIN_HIGH, _MIN_STEP = 40, 8, 40
# Random bytes near a keypair's words that are no key: a signature, a hash, a message.
_NOT_KEYPAIR_BEFORE = re.compile(r"(?i)signature|\bsig\b|sign(?:ed)?[A-Z_ ]?message|hash|digest|not a key")
_JWK_REACH = 2048  # a JWK's members stand within this of its `"kty"`
_WORDS_ONLY = re.compile(r"[A-Z0-9]+(?:_[A-Z0-9]+)+|[a-z0-9]+(?:-[a-z0-9]+)+")  # UPPER_SNAKE, kebab-case
_MAX_BLOCK = 65536  # an RSA-16384 key is ~12 KB; a PGP block with subkeys stays well below
# Body of a truncated block: lines (real or `\n`-escaped) of base64 or RFC 1421 headers.
_TRUNCATED_BODY = re.compile(
    r"(?:(?:[ \t]|\r?\n|\\[rn]){1,8}"
    r"(?:(?:Proc-Type|DEK-Info|Comment|Version|Hash):[^\n]{1,200}|[A-Za-z0-9+/]{8,65536}={0,2}))*+"
)


class PrivateKeyDetector(SecretDetector):
    """Armoured private keys and age identities, kind ``PRIVATE_KEY``."""

    name = "private_keys"
    KIND = "PRIVATE_KEY"
    # Both regexes start with a literal: their own scan is the prefilter.
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        SecretPattern("pem", _BEGIN),
        SecretPattern("age", re.compile(r"AGE-SECRET-KEY-1[0-9A-Z]{58}")),
        SecretPattern("byte_array", _BYTE_ARRAY),
        # A JSON Web Key's private members (RSA `d`, `p`, `q`, `dp`, `dq`, `qi`; EC/OKP `d`;
        # symmetric `k`), in a text that holds a JWK (`"kty"`); `n`, `e`, `x`, `y` are public.
        SecretPattern(
            "jwk",
            re.compile(r"\"(?:d|p|q|dp|dq|qi|k)\"[ \t]*:[ \t]*\"(?P<v>[A-Za-z0-9_-]{16,8192})\""),
            group="v",
            hints=('"kty"',),
        ),
    )

    def detect(self, text: str) -> Iterator[Span]:
        for pattern in self.PATTERNS:
            if pattern.hints and not any(hint in text for hint in pattern.hints):
                continue
            # One C-speed search first: most texts hold neither literal, and a `finditer` scanner
            # and the generators below cost several times that search.
            first = pattern.regex.search(text)
            if first is None:
                continue
            if pattern.name == "pem":
                yield from self._pem_blocks(text, pattern, first.start())
            else:
                yield from self.spans_of(text, pattern, pattern.regex.finditer(text, first.start()))

    def _pem_blocks(self, text: str, pattern: SecretPattern, begin: int = 0) -> Iterator[Span]:
        """The blocks of ``text`` from ``begin`` (the first BEGIN line: nothing before it is read)."""
        source = f"rules:{self.name}"
        cursor = 0  # blocks never overlap: a BEGIN inside a reported block is part of it
        end_at = -1  # position of the next `-----END` at or after the current BEGIN, cached
        for match in pattern.regex.finditer(text, begin):
            start = match.start()
            if start < cursor:
                continue
            if end_at != len(text) and end_at < match.end():
                found = text.find("-----END", match.end())
                end_at = len(text) if found == -1 else found
            nxt = text.find("-----BEGIN", match.end(), end_at) if end_at < len(text) else -1
            if end_at < len(text) and nxt == -1 and end_at - start <= _MAX_BLOCK:
                end_line = _END_LINE.match(text, end_at)
                end = end_line.end() if end_line else end_at + len("-----END")
                label = "pem"
            else:
                # No END before the next BEGIN (or at all): drop what follows as key material.
                body = _TRUNCATED_BODY.match(text, match.end())
                end = body.end() if body else match.end()
                label = "pem_truncated"
            # `files start with -----BEGIN PRIVATE KEY----- and end with -----END ...`: prose.
            if _KEY_MATERIAL.search(text, match.end(), end) is None:
                continue
            cursor = end
            yield Span(start, end, self.KIND, source, pattern.score, label)

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "byte_array":
            text, start = match.string, match.start()
            alone = not text[:start].strip(" \t\r\n") and not text[match.end() :].strip(" \t\r\n;")
            if not alone and (
                _KEYPAIR_BEFORE.search(text, max(0, start - 160), start) is None
                or _NOT_KEYPAIR_BEFORE.search(text, max(0, start - 80), start) is not None
            ):
                return False  # a digest, a signature, an S-box: random-looking bytes, no key
            values = [int(byte) for byte in _BYTE.findall(value)]
            return (
                max(values) <= 255
                and len(set(values)) >= _MIN_DISTINCT
                and sum(byte >= 128 for byte in values) >= _MIN_HIGH
                and sum(abs(a - b) for a, b in pairwise(values)) >= _MIN_STEP * (len(values) - 1)
            )
        if pattern.name == "jwk":
            text, start = match.string, match.start()
            near = text.find('"kty"', max(0, start - _JWK_REACH), start + _JWK_REACH) != -1
            # A placeholder (`PRIVATE_EXPONENT_BASE64URL`, `base64url-encoded-secret-key`) reads as words.
            return near and _WORDS_ONLY.fullmatch(value) is None and looks_random(value, min_len=16)
        return char_classes(value) >= 2
