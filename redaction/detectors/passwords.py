"""Passwords and secrets by the name they are given: `password=...`, `"client_secret": "..."`,
`PASSWORD: ...`, `--token ...`, `Password=...;` in connection strings, `?password=...` in JDBC
URLs, `<password>...</password>`, `.netrc` entries, "the password is ...", `curl -u user:pass`
and `mysql -pPASS`.

Only the value is the span, so the field name stays readable. Password-like names
(`password`, `passwd`, `pwd`, `passphrase`, `secret`, `client_secret`) give ``PASSWORD``;
names of machine credentials (`token`, `api_key`, `access_key`, `aws_secret_access_key`) give
``API_KEY``.

Values that are not secrets are refused: templates and environment references
(`${DB_PASSWORD}`, `<your-password>`, `%(pw)s`), masks (`********`), literals (`null`, `None`),
code (`os.environ["PW"]`, `self.password`, `db_password`), paths, numbers and words under
names that are not passwords. After `name: value` without quotes (YAML, prose) or `name value`
(flags, "password is ...") the value must read like credential material.

Field names are found case-insensitively with `str.find` on anchors (`pass`, `pw`, `secret`,
`token`, `key`) and the grammar is matched at each occurrence, so the detector costs a few
substring searches on text that names no secret. Userinfo passwords (`postgres://u:pw@h`) are
the url_credentials detector's.
"""

from __future__ import annotations

import re
from typing import ClassVar

from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, credential_like, is_placeholder, lowered

__all__ = ["PasswordDetector"]

# A field name is read from its secret word on (the anchor): `DB_`, `client_`, `aws_` before it
# do not matter. `key` names a credential only after an owner (`api_key`, `x-api-key`,
# `accessKey`), checked by fixed-width lookbehinds so that `cache key=` or `<add key="Password"`
# match nothing at all.
_KEY_OWNERS = "|".join(
    f"(?<={owner}{sep})"
    for owner in ("api", "access", "private", "account", "shared access", "shared_access", "shared-access",
                  "sharedaccess", "auth", "signing", "encryption", "master")
    for sep in ("", "_", "-", " ")
)  # fmt: skip
# Short names must start a word: `bypass=`, `compass:`, `impasse:`, `npw` are not fields.
_NAME = (
    r"(?P<key>(?i:password|passwd|passwort|passphrase|passcode|(?<![a-z])(?:passe|pass|pwd|pw)"
    r"|secret(?:[ _-]?access)?(?:[ _-]?key)?|token|(?:" + _KEY_OWNERS + r")key"
    # German, Spanish, Portuguese, Dutch, Chinese, Japanese, Korean (`mot de passe` is `passe`)
    r"|kennwort|contraseña|senha|wachtwoord|密码|密碼|パスワード|비밀번호))"
    # Encodings of the same secret: `secret_key_base`, `password_b64`, `token_value`.
    r"(?i:[_-](?:base64|base|value|b64|hex|str|string|data))?"
)
# How the value is attached: `=`, `:`, `:=`, `=>`, `==` with optional quotes around the name
# (JSON, also JSON inside a string, `cfg['password'] = ...`), a call `setPassword("...")` on a
# string literal, an XML element, "is/was" (`ist`, `est`, `是`, `は`, ...), or a plain space
# (flags and .netrc, judged in `validate`).
_SEP = (
    r"(?:(?P<sep>\\?[\"']?\]?[ \t]{0,4}(?::=|=>|={1,3}|:)[ \t]{0,4}\\?|\([ \t]{0,4}(?=[\"'`]))"
    r"|(?P<attr>\\?[\"'][ \t]{1,8}(?i:value)[ \t]{0,2}=[ \t]{0,2})"  # <add key="Password" value="..."/>
    r"|(?P<xml>>)(?=[^<\n]{1,256}</)"
    r"|(?P<prose>[ \t]{1,4}(?i:is|was|will be|est|ist|lautet)[ \t:]{1,4}|[ \t]{0,4}[是为為は는은][ \t:]{0,4})"
    r"|(?P<space>[ \t]{1,8}))"
)
# A quoted value runs to its closing quote (an escaped quote ends it too); a bare value stops at
# whitespace, quotes, `,;<>`, at `&` before the next query parameter (`&user=`), and does not
# end in sentence punctuation.
_BARE = r"(?:[^\s\"'`,;&<>]|&(?![\w.\[\]-]{1,64}=)){0,255}[^\s\"'`,;&<>.)\]}]"
_VALUE = r"(?P<q>[\"'`])?(?P<v>(?(q)(?:(?!\\?(?P=q))[^\n]){1,256}|" + _BARE + r"))"

_XML_OPEN = re.compile(r"<[a-z0-9_:.-]{0,32}\Z")
_NETRC_LOGIN = re.compile(r"(?:^|\s)login[ \t]+\S+[ \t]+\Z")
# Bare values that are code rather than a literal: calls and subscripts, dotted attributes,
# snake_case and UPPER_SNAKE names, URLs and filesystem paths.
_CODE = re.compile(
    r"[A-Za-z_][\w.]*[\(\[].*|[a-z_][A-Za-z_]*(?:\.[A-Za-z_]\w*)+|[a-z]+(?:_[a-z]+)+"
    r"|[A-Z]+(?:_[A-Z0-9]+)+|[A-Za-z][A-Za-z0-9+.-]*://.*|(?:~|\.{1,2})?/[\w.-]+(?:/[\w.-]*)*",
    re.DOTALL,
)
# An identifier that names a secret (`dbPassword`, `secretKey`) is a variable, not its value.
_SECRET_WORD = re.compile(r"(?i)pass|pwd|secret|token|key|cred")
# Quoted prose under a password field: a validation message, not a password.
_MESSAGE = re.compile(
    r"(?i)\b(?:required|invalid|incorrect|must|should|too (?:short|long|weak)|characters"
    r"|do(?:es)? not match|enter|missing|expired|wrong|reset|forgot)\b"
)


class PasswordDetector(SecretDetector):
    """Values of password, secret, token and key fields, kind ``PASSWORD`` or ``API_KEY``."""

    name = "passwords"
    KIND = "PASSWORD"
    # fmt: off
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        SecretPattern("field", re.compile(_NAME + _SEP + _VALUE), 0.9, "v",
                      anchors=("pass", "pw", "secret", "token", "key", "kennwort", "contrase", "senha",
                               "wachtwoord", "密码", "密碼", "パスワード", "비밀번호")),
        SecretPattern(
            "basic_auth_flag",  # curl -u user:password
            re.compile(r"-(?:u|-user)[ \t]{1,4}[\"']?[^\s:\"']{1,64}:(?P<v>[^\s\"']{1,128})"),
            0.9, "v", hints=("-u", "--user"),
        ),
        SecretPattern(
            "mysql_flag",  # mysql -u root -pPASSWORD
            re.compile(r"mysql\w{0,10}[ \t][^\n]{0,120}?[ \t]-p[\"']?(?P<v>[^\s\"']{3,128})"),
            0.9, "v",
        ),
    )
    # fmt: on

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "field":
            return self._field_value_ok(value, match)
        text, start = match.string, match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            return False  # `xmysql`, `a-u`: not the command or the flag
        return len(value) >= 3 and not is_placeholder(value)

    def _field_value_ok(self, value: str, match: re.Match[str]) -> bool:
        # Cheap structural checks first: an adversarial text can hold a candidate every few bytes.
        text, start = match.string, match.start()
        key = match.group("key").lower()
        machine = key == "token" or key.endswith("key")
        if len(value) < (8 if machine else 4):
            return False  # `token: 5`, `pw=?`
        before = lowered(text[max(0, start - 40) : start])
        quoted = match.group("q") is not None
        # How the value is attached decides how much it must look like a credential.
        must_look_like_one = machine or match.group("prose") is not None
        if match.group("xml") is not None:
            if not _XML_OPEN.search(before):
                return False
        elif match.group("space") is not None:
            line = before[before.rfind("\n") + 1 :]
            if before.endswith("-"):  # --password hunter2, --client-secret ...
                must_look_like_one = must_look_like_one or not quoted
            elif key == "password" and _NETRC_LOGIN.search(line):  # machine h login u password p
                pass
            elif (
                key == "password"
                and not line.strip()
                and text[match.end() : match.end() + 1] in ("", "\n", "\r")
            ):
                must_look_like_one = True  # `password p` alone on its line (.netrc)
            else:
                return False  # `password reset`, `token limit`
        elif not quoted and ":" in (match.group("sep") or "").replace(":=", ""):
            must_look_like_one = True  # `Password: Tundra-maple-quartz26` yes; `password: required` no
        if is_placeholder(value):
            return False
        if not quoted:
            if _CODE.fullmatch(value):
                return False
            if value.replace("_", "").isalpha() and _SECRET_WORD.search(value):
                return False
        elif " " in value and _MESSAGE.search(value):
            return False
        if machine:
            # Tokens and keys are machine-made: long and mixed (`tokens: 842` is a count).
            return not value.isdigit() and (credential_like(value) or len(value) >= 16)
        return not must_look_like_one or credential_like(value)

    def kind_of(self, value: str, match: re.Match[str], pattern: SecretPattern) -> str:
        if pattern.name == "field":
            key = match.group("key").lower()
            if key == "token" or key.endswith("key"):
                return "API_KEY"
        return self.KIND
