"""Private keys: armoured blocks dropped whole (armour included), truncated ones too; public material kept.

Armour lines and bodies are assembled at import time so that private-key scanners reading this
file find nothing to flag.
"""

from __future__ import annotations

import base64
import random
import time

import pytest

import redaction
from redaction.detectors.private_keys import PrivateKeyDetector

DETECTOR = PrivateKeyDetector()
DASH = "-" * 5


def _armour(label: str, body: str) -> str:
    return f"{DASH}BEGIN {label}{DASH}\n{body}\n{DASH}END {label}{DASH}"


def _body(seed: int, lines: int = 6, width: int = 64) -> str:
    raw = base64.b64encode(bytes((i * seed + 7) % 256 for i in range(lines * width * 3 // 4))).decode()
    return "\n".join(raw[i : i + width] for i in range(0, len(raw), width))


PK = "PRIVATE KEY"
PKCS8 = _armour(PK, _body(31))
RSA = _armour("RSA " + PK, _body(17, 8))
EC = _armour("EC " + PK, _body(5, 3))
OPENSSH = _armour("OPENSSH " + PK, _body(13, 5, 70))
ENCRYPTED = _armour("RSA " + PK, "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,6F9F3A8B\n\n" + _body(3, 4))
PGP = _armour("PGP " + PK + " BLOCK", "Version: GnuPG v2\n\n" + _body(11, 5))
CERT = _armour("CERTIFICATE", _body(19))
PUBLIC = _armour("PUBLIC KEY", _body(23, 3))
AGE = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS2Q8Y4F"
P = "PRIVATE_KEY"

JSON_ESCAPED = PKCS8.replace("\n", "\\n")
FLATTENED = PKCS8.replace("\n", " ")
TRUNCATED_HEAD = f"{DASH}BEGIN RSA {PK}{DASH}\n" + _body(17, 3)
TRUNCATED = f"cat key.pem\n{TRUNCATED_HEAD}\n(output cut here)\nDoes this look right?"

# A Solana keypair's 64 bytes (random, fixed seed); a pixel row, a counter and a lookup table.
KEYPAIR = [(i * 167 + 59) * 101 % 251 for i in range(64)]
SOLANA = "[" + ",".join(map(str, KEYPAIR)) + "]"
SOLANA_SPACED = "[\n  " + ",\n  ".join(map(str, KEYPAIR)) + "\n]"
PIXELS = "[" + ", ".join(str(min(255, 90 + i * 2)) for i in range(64)) + "]"
COUNTER = "[" + ",".join(map(str, range(64))) + "]"
LOW = "[" + ",".join(str(i * 7 % 120) for i in range(64)) + "]"
TOO_BIG = "[" + ",".join(str(v + 300 if i == 5 else v) for i, v in enumerate(KEYPAIR)) + "]"

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (f"cat > /tmp/deploy_key <<'EOF'\n{PKCS8}\nEOF\nchmod 600", [(PKCS8, P)]),
    (f"{RSA}\n\n{EC}", [(RSA, P), (EC, P)]),
    (f"id_ed25519:\n{OPENSSH}\n", [(OPENSSH, P)]),
    (ENCRYPTED, [(ENCRYPTED, P)]),
    (f"gpg export:\n{PGP}", [(PGP, P)]),
    (f'{{"type": "service_account", "private_key": "{JSON_ESCAPED}\\n", "client_email": "x"}}',
     [(JSON_ESCAPED, P)]),
    (f"key: {FLATTENED} end", [(FLATTENED, P)]),
    (TRUNCATED, [(TRUNCATED_HEAD, P)]),
    # a truncated block before a whole one: each is dropped on its own
    (f"{TRUNCATED_HEAD}\n\n{EC}", [(TRUNCATED_HEAD, P), (EC, P)]),
    (f"export SOPS_AGE_KEY={AGE}", [(AGE, P)]),
    (f"cat ~/.config/solana/id.json\n{SOLANA}", [(SOLANA, P)]),
    (f"Keypair.fromSecretKey(Uint8Array.from({SOLANA_SPACED}))", [(SOLANA_SPACED, P)]),
    # A JSON Web Key's private members; its public ones (`n`, `e`, `x`, `y`) and a JSON without `kty`.
    ('{"kty": "RSA", "e": "AQAB", "d": "X4cTteJY_gn4FYPsXB8rdXix5vwsg1FLN5E3", "qi": "GyM_p5ZGnq6z7UHbYrxA"}',
     [("X4cTteJY_gn4FYPsXB8rdXix5vwsg1FLN5E3", P), ("GyM_p5ZGnq6z7UHbYrxA", P)]),
    ('{"kty": "EC", "x": "f83OJ3D2xF1Bg8vub9tL", "y": "x_FEzRu9m36HLN_tue65"}', []),
    ('{"d": "X4cTteJY_gn4FYPsXB8rdXix5vwsg1FLN5E3"}', []),  # no JWK in the text
    # -- look-alikes: public material and prose about keys --
    (f"server.crt:\n{CERT}", []),
    (f"id_rsa.pub:\n{PUBLIC}", []),
    (f"Key files start with {DASH}BEGIN {PK}{DASH} and end with {DASH}END {PK}{DASH}.", []),
    (f"grep -l '{DASH}BEGIN RSA {PK}' ~/.ssh/*", []),
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host", []),
    # 64 numbers that are no key: a gradient, a counter, low values, a value over 255, 63 bytes.
    (f"row = {PIXELS}", []), (f"ids = {COUNTER}", []), (f"table = {LOW}", []), (TOO_BIG, []),
    (f"SHA-512 test vector, expected digest:\n{SOLANA}\n", []),  # random bytes, no keypair
    (f"# fuzz seed input 1\nseed = {SOLANA}", []),
    (f"Wallet debug: message hash (sha512) = {SOLANA}", []),  # a wallet's word, a hash's bytes
    (f"wallet.signMessage() -> Uint8Array(64) signature {SOLANA}", []),
    ("[" + SOLANA[SOLANA.index(",") + 1 :], []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_private_keys(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_scrub_drops_the_whole_block() -> None:
    scrubbed = redaction.scrub(f"deploy key:\n{RSA}\nthanks").text
    assert scrubbed == "deploy key:\n[REDACTED:PRIVATE_KEY]\nthanks"


# fmt: off
ADVERSARIAL = [
    f"{DASH}BEGIN", f"{DASH}BEGIN RSA {PK}{DASH}\n", f"{DASH}BEGIN {PK}{DASH}\nMIIEvQIBADANBgkqhkiG9w0\n",
    f"{DASH}END {PK}{DASH}", f"{DASH}BEGIN {PK}{DASH}a{DASH}END", "-", "a", "\\n",
]
# fmt: on


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, "a detector must stay linear on any input"


_KEYPAIR_CONTEXTS = [
    ("", ""), ("$ cat ~/.config/solana/id.json\n", "\n"), ("Keypair.fromSecretKey(Uint8Array.from(", "));"),
    ("const secretKey = ", ";"), ("wallet:\n", ""),
]


def test_every_random_keypair_array_is_found() -> None:
    rng = random.Random(64)
    for _ in range(300):
        values = [rng.randrange(256) for _ in range(64)]
        sep = rng.choice([",", ", ", ",\n  "])
        array = "[" + sep.join(map(str, values)) + "]"
        before, after = rng.choice(_KEYPAIR_CONTEXTS)
        assert _found(f"{before}{array}{after}") == [(array, P)]
        assert _found(f"expected = {array};") == []  # random bytes without a keypair's context
