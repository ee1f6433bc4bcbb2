"""Stored password hashes are dropped whole as PASSWORD (shadow files, htpasswd, user tables,
Django and LDAP formats); prices, prose and masks with the same prefixes are left alone."""

from __future__ import annotations

import pytest

import redaction
from redaction.detectors.password_hashes import PasswordHashDetector

DETECTOR = PasswordHashDetector()
P = "PASSWORD"

# Real hashes of throwaway passwords (crypt(3), htpasswd, argon2-cffi, Django, slappasswd).
SHA512 = (
    "$6$xaLZ5oJzGFfcGn1/$qX9TNqsrAwzqtzuUsQcB5Fb3MNxkY7GUUzl47ggHkUE9TOV.MM9gfHFAELBTPGoIeVExtAA7D77mVGEKpLu"
    "KI."
)
SHA512_ROUNDS = (
    "$6$rounds=5000$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoC"
    "T6dfnj."
)
SHA256 = "$5$uMoPWepg86WkFQaw$PyEBpIrbg2rN8WV8saLZBvcm8BgxpnPULGH8h9IlL5/"
MD5 = "$1$MOpPksRt$m9dSQ.MxmKjVy3kYfBK7j0"
BCRYPT = "$2b$12$zFeXhBjeSOIX0b2LBEOUTee/dvADLevel8vBFDAyVpmHBNhcMBQrK"
BCRYPT_2Y = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"
APR1 = "$apr1$Vh2nQ8xz$HqJZimcKQFAMYayBlzkrA/"
YESCRYPT = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7"
ARGON2 = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21l$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
DJANGO = "pbkdf2_sha256$260000$Wg1xS3cRTnVjS3dK$Yp9rS5xjK3nQ8m2vB6tL0zW4aF7cH1eD9gJ5kM3pR8s="
DJANGO_ARGON2 = "argon2$argon2id$v=19$m=102400,t=2,p=8$WXk3b0FqRjJ1cG5x$VvDJRmbd7Lq0pFq0mFVm2A"
SCRAM = "SCRAM-SHA-256$4096:c2FsdHNhbHQ=$StoredKeyStoredKeyStoredKey12345678=:ServerKeyServerKeyServer123="
SSHA = "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g3ZQ7xa3Qf"
SSHA512_LDAP = "{SSHA512}" + "Qm9iYnlUYWJsZXM" * 3 + "x=="

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # -- /etc/shadow, htpasswd, user tables --
    (f"root:{SHA512}:19000:0:99999:7:::", [(SHA512, P)]),
    (f"svc:{SHA512_ROUNDS}:19000::::::", [(SHA512_ROUNDS, P)]),
    (f"deploy:{SHA256}:19720:0:99999:7:::\nbackup:{MD5}:19720:0:99999:7:::", [(SHA256, P), (MD5, P)]),
    (f"alice:{APR1}\nbob:{BCRYPT_2Y}", [(APR1, P), (BCRYPT_2Y, P)]),
    (f"ops:{YESCRYPT}:19800:0:99999:7:::", [(YESCRYPT, P)]),
    (f"INSERT INTO users (email, password_hash) VALUES ('a@example.com', '{BCRYPT}');", [(BCRYPT, P)]),
    (f'{{"user": "bob", "hash": "{ARGON2}"}}', [(ARGON2, P)]),
    (f"| 42 | bob | {BCRYPT} |", [(BCRYPT, P)]),
    # -- framework formats --
    (f"password = {DJANGO}", [(DJANGO, P)]),
    (f"auth_user.password: {DJANGO_ARGON2}", [(DJANGO_ARGON2, P)]),
    (f"userPassword: {SSHA}", [(SSHA, P)]),
    (f"dn: uid=bob\nuserPassword:: {SSHA512_LDAP}", [(SSHA512_LDAP, P)]),
    # -- phpass, MySQL, PostgreSQL (md5, SCRAM), pwdump, Django's legacy hashers, empty salts --
    ("wp_users: $P$BxCMxU9mK0pA7Ve8vRe1qA.wOPnbDg/", [("$P$BxCMxU9mK0pA7Ve8vRe1qA.wOPnbDg/", P)]),
    ("mysql: *94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29 pg: md5a3556571e93b0d20722ba62be61e8c2d",
     [("*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29", P), ("md5a3556571e93b0d20722ba62be61e8c2d", P)]),
    (f"pg_authid: {SCRAM}", [(SCRAM, P)]),
    ("Administrator:500:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::",
     [("aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0", P)]),
    ("sha1$a1b2c3$6b86b273ff34fce19d6b804eff5a3f5747ada4ea and $1$$m9dSQ.MxmKjVy3kYfBK7j0",
     [("sha1$a1b2c3$6b86b273ff34fce19d6b804eff5a3f5747ada4ea", P), ("$1$$m9dSQ.MxmKjVy3kYfBK7j0", P)]),
    ("{PBKDF2-SHA512}10000$c2FsdA$6b86b273ff34fce19d6b804eff5a3f5747ada4ea",
     [("{PBKDF2-SHA512}10000$c2FsdA$6b86b273ff34fce19d6b804eff5a3f5747ada4ea", P)]),
    # -- not hashes --
    ("md5 checksum: d41d8cd98f00b204e9800998ecf8427e, **bold** * list", []),
    ("a*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29", []),
    ("It costs $1$ per seat; $2b$ is bcrypt's prefix and $6$ sha512-crypt's.", []),
    ("Prices: $5 $6 $12.50, budget $2b, shell vars $1$2$3", []),
    ("$2b$12$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", []),  # a mask
    ("$2b$12$zFeXhBjeSOIX0b2LBEOUTee/dvADLe", []),  # cut short: not a bcrypt hash
    ("template {name}{value} and {SSHA} alone, {sha}", []),
    ("pbkdf2_sha256 is Django's default; argon2$ is its prefix", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_password_hashes(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize("value", [SHA512, BCRYPT, APR1, ARGON2, DJANGO, SSHA])
def test_scrub_drops_the_whole_hash_and_is_idempotent(value: str) -> None:
    result = redaction.scrub(f"root:{value}:19000:0:99999:7:::")
    assert result.text == "root:[REDACTED:PASSWORD]:19000:0:99999:7:::"
    assert redaction.scrub(result.text).text == result.text
