"""JSON Web Tokens: signed and encrypted, whole, also wrapped over line breaks; look-alikes left alone.

Tokens are built at import time from their parts, so no token literal sits in this file.
"""

from __future__ import annotations

import base64
import json
import time

import pytest

import redaction
from redaction.detectors.jwt import JwtDetector

DETECTOR = JwtDetector()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(alg: str, sig_bytes: int, claims: dict[str, object] | None = None) -> str:
    header = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = _b64(
        json.dumps(claims or {"sub": "0aefa500-988e", "iat": 1714588061, "scope": "read"}).encode()
    )
    signature = _b64(bytes((i * 37 + 11) % 256 for i in range(sig_bytes)))
    return f"{header}.{payload}.{signature}"


HS256 = _jwt("HS256", 32)
RS256 = _jwt("RS256", 256, {"sub": "c176a5d7", "iss": "https://auth.example.com", "exp": 1704336642})
ES256 = _jwt("ES256", 64)
UNSIGNED = _jwt("none", 0)
JWE = ".".join([_b64(json.dumps({"alg": "dir", "enc": "A256GCM"}).encode()), "", _b64(b"iv-iv-iv-iv-"),
                _b64(b"ciphertext " * 6), _b64(b"tag-tag-tag-tag-")])  # fmt: skip
J = "JWT"

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (f'{{"id_token": "{HS256}", "user": 1}}', [(HS256, J)]),
    (f"-H 'Authorization: Bearer {RS256}'", [(RS256, J)]),
    (f"cookie: session={ES256}; Path=/", [(ES256, J)]),
    (f"unsigned {UNSIGNED} token", [(UNSIGNED, J)]),
    (f"encrypted: {JWE}", [(JWE, J)]),
    # wrapped: inside the payload, and inside the signature (completed from the header's alg)
    (f"token:\n{HS256[:50]}\n{HS256[50:]}\nnext", [(f"{HS256[:50]}\n{HS256[50:]}", J)]),
    (f"{RS256[:-100]}\n{RS256[-100:]}\nThanks", [(f"{RS256[:-100]}\n{RS256[-100:]}", J)]),
    # a complete token never swallows the next line
    (f"{HS256}\nB2C3D4E5F6G7H8 next", [(HS256, J)]),
    (f"jwt={ES256}\n2024-05-25T08:18:32Z INFO", [(ES256, J)]),
    # -- look-alikes --
    ("tokens start with eyJ, the base64 of '{\"'", []),
    ("config blob eyJmb28iOiJiYXIiLCJiYXoiOjF9 (base64 JSON, not a token)", []),
    ("eyJhbGciOiJIUzI1NiJ9 alone is just a header", []),
    ("version 1.22.98 and a.b.c and www.example.com", []),
    ("img iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk.YPhfDwAChwGA60e6kgAAAABJRU5E", []),
    ("eyJxxxxxxxxxxxxx.yyyyyyyyyyy.zzzzzzzzzz looks shaped but the header is not JSON", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_jwt(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_scrub_drops_the_token_and_keeps_the_header_name() -> None:
    scrubbed = redaction.scrub(f"Authorization: Bearer {RS256}\nok").text
    assert scrubbed == "Authorization: Bearer [REDACTED:JWT]\nok"
    assert RS256.split(".")[1][:12] not in scrubbed


@pytest.mark.parametrize(
    "unit", ["eyJ", "eyJa", "eyJaaaaaaaaaa.", "eyJaaaaaaaaaa.a.", "eyJaaaaaaaaaa\n", ".", "a\n"]
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, "a detector must stay linear on any input"
