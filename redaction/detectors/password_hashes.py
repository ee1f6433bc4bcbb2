"""Stored password hashes: the modular crypt format and the framework formats built like it.

A hash is a credential: an offline attacker cracks weak passwords from it, and a system that
accepts it as-is (pass-the-hash, a leaked `/etc/shadow` restored elsewhere) needs no cracking.
Found whole, as one ``PASSWORD`` drop, wherever it stands (`/etc/shadow`, htpasswd files, a
`users` table dump, a config):

- crypt(3): ``$1$`` (md5crypt), ``$2a$``/``$2b$``/``$2x$``/``$2y$`` (bcrypt), ``$5$``/``$6$``
  (sha-crypt, with ``rounds=N$``), ``$y$``/``$gy$``/``$7$`` (yescrypt, scrypt), ``$apr1$``
  (Apache), ``$argon2i$``/``$argon2d$``/``$argon2id$`` (PHC strings), ``$scrypt$``,
  ``$pbkdf2-sha256$`` (passlib);
- Django ``pbkdf2_sha256$<iterations>$<salt>$<hash>`` and ``argon2$argon2id$...``;
- LDAP ``{SSHA}``, ``{SSHA256}``, ``{SSHA512}``, ``{SHA}``, ``{SMD5}``, ``{CRYPT}`` + base64.

Each form needs its salt-and-hash material after the identifier (bcrypt: cost then 53
characters), so ``$1$`` in a price list or ``$2b$`` in prose stays. Without this detector the
`$2b` of a bcrypt hash read as an amount and the rest as an unnamed key: partly dropped, and a
second scrub changed it again.
"""

from __future__ import annotations

import re
from typing import ClassVar

from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern

__all__ = ["PasswordHashDetector"]

_B64 = r"[A-Za-z0-9./+=_-]"  # crypt's alphabet, base64 and base64url
_END = r"(?![A-Za-z0-9./+=_$-])"
# A PHC argon2 string after its `$`: variant, version, parameters, salt, hash.
_ARGON2 = r"argon2(?:id|i|d)\$(?:v=\d{1,3}\$)?m=\d{1,9},t=\d{1,9},p=\d{1,9}\$" + _B64 + r"{8,128}\$"
_ARGON2 += _B64 + r"{16,256}"

# fmt: off
_CRYPT = re.compile(
    r"\$(?<![A-Za-z0-9_$]\$)(?:"  # not inside a Django hash (`argon2$argon2id$...`)
    r"2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}"  # bcrypt: cost, 22 salt + 31 hash characters
    r"|(?:1|apr1)\$[./A-Za-z0-9]{0,8}\$[./A-Za-z0-9]{22}"  # md5crypt (an empty salt too)
    r"|[PH]\$[./A-Za-z0-9]{31}"  # phpass (WordPress, phpBB)
    r"|[56]\$(?:rounds=\d{1,9}\$)?[^$:\s]{1,16}\$[./A-Za-z0-9]{43,86}"  # sha256/sha512-crypt
    r"|(?:y|gy|7)\$[./A-Za-z0-9]{1,64}\$[./A-Za-z0-9]{1,128}\$[./A-Za-z0-9]{20,128}"  # yescrypt
    r"|" + _ARGON2 + r"|(?:scrypt|pbkdf2(?:-sha\d{1,3})?)\$[^$\s]{1,64}\$" + _B64 + r"{8,128}\$"
    + _B64 + r"{16,256})" + _END
)
# Django's hashers: algorithm$iterations$salt$hash (argon2's tail is a PHC string).
_DJANGO = re.compile(
    r"(?<![A-Za-z0-9_])(?:(?:pbkdf2_sha(?:1|256)|bcrypt_sha256|bcrypt|scrypt|argon2)\$"
    r"(?:\d{1,9}\$[A-Za-z0-9./+=_-]{4,128}\$" + _B64 + r"{20,256}"
    r"|" + _ARGON2 + r"|\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53})"
    # the legacy hashers: salted SHA-1 and MD5, unsalted MD5
    r"|sha1\$[A-Za-z0-9]{0,32}\$[0-9a-f]{40}|md5\$[A-Za-z0-9]{0,32}\$[0-9a-f]{32}|unsalted_md5\$\$?[0-9a-f]{32})"
    + _END
)
_LDAP = re.compile(
    r"\{(?i:ssha(?:256|384|512)?|sha(?:256|384|512)?|smd5|md5|crypt|pbkdf2(?:-sha(?:1|256|512))?|argon2|bcrypt)\}"
    r"[A-Za-z0-9+/$.=,-]{16,512}" + _END
)
# MySQL's `PASSWORD()` (`*` + 40 hex), PostgreSQL's `md5` + 32 hex and SCRAM verifiers.
_DATABASE = re.compile(
    r"\*(?<![A-Za-z0-9*]\*)[0-9A-F]{40}(?![0-9A-Za-z])"
    r"|md5(?<![A-Za-z0-9_]md5)[0-9a-f]{32}(?![0-9A-Za-z])"
    r"|SCRAM-SHA-256\$\d{1,7}:[A-Za-z0-9+/=]{8,64}\$[A-Za-z0-9+/=]{20,128}:[A-Za-z0-9+/=]{20,128}"
)
# A pwdump / secretsdump line: `user:RID:LM:NT:::`, the two hashes.
_PWDUMP = re.compile(r"(?<=:)[0-9]{1,10}:(?P<v>[0-9a-fA-F]{32}:[0-9a-fA-F]{32})(?=:::)")
# fmt: on


class PasswordHashDetector(SecretDetector):
    """Stored password hashes (crypt, PHC, Django, LDAP), kind ``PASSWORD``."""

    name = "password_hashes"
    KIND = "PASSWORD"
    HINTS = ("$", "{", "*", "md5", ":::")
    # fmt: off
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        SecretPattern("crypt", _CRYPT, 1.0, hints=("$",)),
        SecretPattern("django", _DJANGO, 1.0,
                      hints=("pbkdf2_sha", "bcrypt", "argon2$", "scrypt$", "sha1$", "md5$")),
        SecretPattern("database", _DATABASE, 1.0, hints=("*", "md5", "SCRAM-SHA-256$")),
        SecretPattern("pwdump", _PWDUMP, 1.0, "v", hints=(":::",)),
        SecretPattern("ldap", _LDAP, 1.0, hints=("}",)),
    )
    # fmt: on

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        # A mask (`$2b$12$xxxx...`) or a run of one character is no hash.
        if pattern.name in ("database", "pwdump"):
            tail = value.rsplit("$", 1)[-1][-32:]
        else:
            tail = value.rsplit("$", 1)[-1] if pattern.name != "ldap" else value.split("}", 1)[-1]
        return len(set(tail)) > 4
