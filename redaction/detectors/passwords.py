"""Passwords and secrets by the name they are given: `password=...`, `"client_secret": "..."`,
`PASSWORD: ...`, `api_key: >-` (YAML block), `--token ...`, `Password=...;` in connection
strings, `?password=...` in JDBC URLs, `<password>...</password>`, `.netrc` entries, "the
password is ..." (also `la contraseña es`, `a senha é`, `la password è`, `le mot de passe est`,
`das Passwort ist`), `curl -u user:pass`, `mysql -pPASS`, `sshpass -p PW`, `docker login -p PW`,
`htpasswd -b FILE USER PW` / `htpasswd -nb USER PW` (the password argument, read word by word;
`htpasswd -c FILE USER` prompts and holds none), other tools' password flags (`redis-cli -a`,
`sqlcmd -P`, `ldapsearch -w`, `keytool -storepass`, `zip -P`, `7z -p`, `xfreerdp /p:`,
`smbclient -U u%pw`, `net user u pw`), labels in Markdown/HTML, after dot leaders, `|` or `-`, or
with the value on the next line, Kubernetes/HAR name-value pairs, Go DSNs, SQL user statements,
`.pgpass` lines, "set the password to ...", the `sig=` of a signed (Azure SAS) URL, and an AWS
secret key after a mention of AWS.

Only the value is the span, so the field name stays readable. Password-like names
(`password`, `passwd`, `pwd`, `passphrase`, `secret`, `client_secret`, `Passwort`, `mot de
passe`, `contraseña`, `비밀번호`, `密码`) give ``PASSWORD``; names of machine credentials
(`token`, `api_key`, `access_key`, `aws_secret_access_key`, `session_id`, `PHPSESSID`, `auth`,
`credentials`, and "API key" in French, Spanish, Portuguese, Italian and German: `clé API`,
`clé d'API`, `cle API`, `clave (de) API`, `chave (de) API`, `chiave API`, `API-Schlüssel`) give
``API_KEY``.

Values that are not secrets are refused: templates and environment references
(`${DB_PASSWORD}`, `<your-password>`, `%(pw)s`), masks (`********`), literals (`null`, `None`),
code (`os.environ["PW"]`, `self.password`, `db_password`), paths, numbers and words under
names that are not passwords. After `name: value` without quotes (YAML, prose) or `name value`
(flags, "password is ...") the value must read like credential material (letters and digits,
three character classes, or a passphrase `correct-horse-battery-staple`), except that a single
word or number alone on its line under a password name is the password (`Passwort: geheim`,
`passcode: 4821`) unless it describes the field (`Password: required`, `optional`, `hidden`).

Field names are found case-insensitively with `str.find` on anchors (`pass`, `pw`, `secret`,
`token`, `key`, `sess`, `auth`, `cred`, `aws`, `api`, `schlüssel`) and the grammar is matched at
each occurrence, so the detector costs a few substring searches on text that names no secret.
Userinfo passwords (`postgres://u:pw@h`) are the url_credentials detector's; cookie headers the
bearer detector's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern
from ._secrets import (
    SecretDetector,
    SecretPattern,
    char_classes,
    credential_like,
    entropy_at_least,
    is_placeholder,
    looks_random,
    lowered,
)

__all__ = ["PasswordDetector"]

# A field name is read from its secret word on (the anchor): `DB_`, `client_`, `aws_` before it
# do not matter. `key` names a credential only after an owner (`api_key`, `x-api-key`,
# `accessKey`), checked by lookbehinds so that `cache key=` or `<add key="Password"` match
# nothing at all. The lookbehinds follow the literal `key` (one per length: a lookbehind has a
# fixed width), so the other anchors' positions never evaluate them.
_KEY_OWNER_WORDS = (
    "api", "access", "private", "account", "shared access", "shared_access", "shared-access", "sharedaccess",
    "auth", "signing", "encryption", "master", "app", "client", "consumer", "subscription", "service",
    "session", "storage", "admin", "license", "hmac", "jwt", "primary", "secondary", "webhook", "ingest",
    "write", "sas", "application", "developer", "integration", "merchant", "partner", "deployer", "wallet",
    "relayer",
)  # fmt: skip
_OWNED_KEYS = sorted(
    {f"{owner}{sep}key" for owner in _KEY_OWNER_WORDS for sep in ("", "_", "-", " ")}, key=len
)


def _owner_lookbehinds(tail: str) -> str:
    """``(?<=(?:api|app|jwt|sas)<tail>)|...``: one lookbehind per owner length (a lookbehind has
    a fixed width), not one alternative per owned key: sre tries them in turn at every `key`."""
    return "|".join(
        "(?<=(?:" + "|".join(re.escape(o) for o in sorted(_KEY_OWNER_WORDS) if len(o) == n) + ")" + tail + ")"
        for n in sorted({len(o) for o in _KEY_OWNER_WORDS})
    )


# Every `{owner}{sep}key` of `_OWNED_KEYS`: the separated forms only after a `[ _-]` (checked once).
_KEY_OWNERS = r"(?<=[ _-]key)(?:" + _owner_lookbehinds("[ _-]key") + ")|" + _owner_lookbehinds("key")
# What can follow a name: an encoding suffix or the first character of `_SEP`. Checked right
# after `key`, before its lookbehinds: most `key`s of a text (`the key,`) fail here.
_AFTER_NAME = r"(?=[_\-\\\"'\] \t:=(>是为為は는은*<.])"
# A type between a name and its value: `db_password: str = "pw"`, `JWT_SECRET: &str = "pw"`
# (Rust), `password: string = "pw"` (TypeScript), `var password string = "pw"` (Go).
_TYPED = (
    r"(?::[ \t]{0,4})?&?(?:'static[ \t]+)?(?:str|string|String|SecretStr|Optional\[str\])"
    r"(?:[ \t]{0,2}\|[ \t]{0,2}None)?[ \t]{0,4}=(?!=)"
)
# Short names must start a word: `bypass=`, `compass:`, `impasse:`, `npw` are not fields.
_NAME = (
    r"(?P<key>(?i:password|passwd|passwort|passphrase|passcode|(?<![a-z])(?:passe|pass|pwd|pw)"
    r"|secret(?:[ _-]?access)?(?:[ _-]?key)?|token|key" + _AFTER_NAME + "(?:" + _KEY_OWNERS + r")"
    # Session ids (`sessionid`, `session_key`, `PHPSESSID`), `auth: ...`, `credentials: ...`.
    r"|session(?:[ _-]?(?:id|key|token|secret))?(?![a-z])|sessid"
    r"|(?<![a-z])(?:auth|creds?|credentials?)(?![a-z])"
    # Redis (`requirepass`, `masterauth`), Wi-Fi pre-shared keys (`psk=`, `wpa_psk=`), Erlang's
    # cluster cookie (`RABBITMQ_ERLANG_COOKIE=`).
    r"|requirepass|masterauth|(?<![a-z])(?:wpa_)?psk(?![a-z])|erlang[ _-]?cookie"
    # German, Spanish, Portuguese, Dutch, Chinese, Japanese, Korean (`mot de passe` is `passe`)
    r"|kennwort|contraseña|senha|wachtwoord|密码|密碼|パスワード|비밀번호"
    # Polish, Russian/Ukrainian, Turkish, Swedish, Finnish, Danish, Norwegian, Hungarian,
    # Czech, Italian (`пароль` also as the detection view folds its look-alike letters to
    # Latin: `пapoль`); `pswd` and `pass-word` (spellings that dodge filters).
    r"|hasło|hasla|пароль|пapoль|şifre|sifre|lösenord|losenord|salasana|adgangskode|passord|jelszó"
    r"|heslo|parola d'ordine|parola|haslo|jelszo|kodeord|pswd|psw|passw|pass-word|p@ssw(?:or)?d"
    # Arabic, Indonesian/Malay, Vietnamese, Thai, Hindi, Hebrew.
    r"|كلمة المرور|كلمة السر|kata sandi|mật khẩu|mat khau|รหัสผ่าน|पासवर्ड|סיסמה|סיסמא"
    # "API key" in French, Spanish, Portuguese, Italian (`clé API`, `clé d'API`, `clave de API`,
    # `chiave API`) and German (`API-Schlüssel`): read from `api` / `schlüssel`, the words
    # before them checked by fixed-width lookbehinds.
    # The literal first, then the lookbehinds (which repeat it): every position this regex is
    # matched at tries these alternatives, and a literal fails faster than ten lookbehinds.
    r"|api(?:(?<=cl[eé][ _-]api)|(?<=cl[eé] d'api)|(?<=cl[eé] d’api)|(?<=clave[ _-]api)|(?<=clave de api)"
    r"|(?<=chave[ _-]api)|(?<=chave de api)|(?<=chiave[ _-]api)|(?<=chiave api)|(?<=chiave di api))(?![a-z])"
    r"|schl(?:(?<=api[ _-]schl)|(?<=apischl))(?:ü|ue)ssel)"
    r")"
    # Encodings of the same secret: `secret_key_base`, `password_b64`, `token_value`.
    r"(?i:[_-](?:base64|base|value|b64|hex|str|string|data))?"
)
# How the value is attached: `=`, `:`, `:=`, `=>`, `==` with optional quotes around the name
# (JSON, also JSON inside a string, `cfg['password'] = ...`), a call `setPassword("...")` on a
# string literal, an XML element, "is/was" (`ist`, `est`, `是`, `は`, ...), or a plain space
# (flags and .netrc, judged in `validate`).
# Markup that closes a label: `**Password:**`, `<b>Password:</b>`, `__Password__:`.
_CLOSE = r"(?:\*{1,2}|_{1,2}|</(?i:b|strong|em|i|u|label|dt|span|th)>)?"
_SEP = (
    r"(?:(?P<sep>" + _CLOSE + r"\\?[\"']?\]?[ \t]{0,24}(?:\.{2,40}[ \t]{0,4})?"  # `Password.....: `
    # `Password | pw`; a backslash after it only before a quote (`\"pw\"` in JSON in JSON), never
    # the one of an escaped line break (`Password:\npw`).
    r"(?::=|\?=|\+=|=>|={1,3}|"  # Make's `?=` and `+=` too
    + _TYPED
    + r"|:|(?<=[ \t])[|\-–](?=[ \t]))[ \t]{0,2}"
    + _CLOSE
    + r"[ \t]{0,24}(?:\\(?=[\"'`]))?"  # `kubectl describe` aligns its values in a column
    r"(?:\([ \t]{0,4}\r?\n[ \t]{0,16}(?=[\"'`]))?"  # `password = (\n    'pw'\n)`
    # A YAML block, or a line break (and one blank line) before the value.
    r"(?:[|>][+-]?[ \t]{0,4}\r?\n[ \t]{1,16}|(?P<nl>\r?\n(?:[ \t]*\r?\n)?)[ \t]{0,16})?"
    r"(?:<(?i:code|kbd|tt|samp|b|strong)>)?"  # `Password: <code>pw</code>`
    r"|\([ \t]{0,4}(?=[\"'`]))"
    # define('DB_PASSWORD', 'pw'), getenv("PW", "pw"), add_argument("--password", default="pw")
    r"|(?P<arg>[\"'][ \t]{0,4},[ \t]{0,4}(?:default[ \t]{0,2}=[ \t]{0,2})?(?=[\"']))"
    # A literal after the name as its fallback: `process.env.DB_PASSWORD || 'pw'`, `?? "pw"`,
    # `os.environ.get("DB_PASSWORD") or "pw"`.
    r"|(?P<fallback>[\"']?\)?[ \t]{0,4}(?:\|\||\?\?|(?<=[ \t)])or)[ \t]{0,4}(?=[\"'`]))"
    # `<td>Password</td><td>pw</td>`, `<td>Password:</td>\n  <td>pw`, `<dt>Password</dt><dd>pw`
    r"|(?P<cell>:?</(?i:t[dh]|dt)>\s{0,40}<(?i:td|dd)(?:[ \t][^<>\n]{0,80})?>)"
    r"|(?P<attr>\\?[\"'][ \t]{1,8}(?i:value)[ \t]{0,2}=[ \t]{0,2})"  # <add key="Password" value="..."/>
    r"|(?P<xml>>)(?=[^<\n]{1,256}</)"
    # "is" in English, French, German, Spanish, Portuguese, Italian; CJK particles.
    # "is now", "has been changed to", "became", "are" (`credentials are admin:pw`).
    r"|(?P<prose>[ \t]{1,4}(?:(?i:is|was|will be|are|were|has been|had been|became|becomes)"
    r"(?:[ \t]+(?i:now|still|currently|also|just|simply|actually))?"
    r"(?:[ \t]+(?i:changed|set|reset|updated|rotated)[ \t]+(?i:to))?"
    r"|(?i:changed|reset|updated|rotated)[ \t]+(?i:to)"
    r"|(?i:est|ist|lautet|es|era|é|è|(?<=as[łl]o[ \t])to|jest|je|är|er)"  # Polish `Hasło to pw`
    r"(?:[ \t]+(?i:jetzt|nun|maintenant|désormais|ahora|agora|adesso|ora|teraz|nyt|nu))?)"
    r"[ \t:]{1,4}"
    r"|[ \t]{0,4}[是为為は는은][ \t:]{0,4})"
    r"|(?P<space>[ \t]{1,8}))"
)
# A quoted value runs to its closing quote (an escaped quote ends it too); a bare value stops at
# whitespace, quotes, `,;<>`, at `&` before the next query parameter (`&user=`), and does not
# end in sentence punctuation.
# An escaped line break or tab (`\n` in a JSON string) ends it too: the next line is not the value.
_BARE = (
    r"(?:[^\s\"'`,;&<>\\\u3040-\u309f。、]|\\(?![nrt])|&(?![\w.\[\]-]{1,64}=)){0,255}"
    r"[^\s\"'`,;&<>.)\]}\\\u3040-\u309f。、]"  # hiragana: a particle after the value (`です`)
)
# Before a quote: a string prefix (`b'...'`, `r"..."`), a constructor that wraps a literal
# (`String::from("...")`, `SecretStr("...")`, `Buffer.from('...')`); triple quotes count as one.
_WRAP = (
    r"(?:(?:new[ \t]+)?(?:String::(?:from|new)|str|String|Secret(?:Str|String|Bytes)?(?:::new)?"
    r"|SecureString|Sensitive(?:String)?|Buffer\.from|bytes|(?:base64\.)?b64decode)\([ \t]{0,4}(?=[\"'`])"
    r"|(?i:[bru]|rb|br)(?=[\"']))?"
)
_VALUE = _WRAP + r"(?P<q>\"\"\"|'''|[\"'`])?(?P<v>(?(q)(?:(?!\\?(?P=q))[^\n]){1,256}|" + _BARE + r"))"

# One argument of a call before the password: a string literal, a name or an expression.
_ARG = r"(?:\"[^\"\n]{0,200}\"|'[^'\n]{0,200}'|[\w.$\[\]>-]{1,80})(?:\.\w{1,16}\(\))?"  # `"u".to_string()`

_XML_OPEN = re.compile(r"<[a-z0-9_:.-]{0,32}\Z")
# A command-line flag up to the name: `--`, `--client-`, `--api` (of `--apikey`), `-`.
_FLAG_BEFORE = re.compile(r"(?:^|\s)--?[a-z0-9_-]{0,24}\Z")
_NETRC_LOGIN = re.compile(r"(?:^|\s)login[ \t]+\S+[ \t]+\Z")
# A SQL statement that sets a user's password (in the lower-cased text before the name).
_SQL_USER = re.compile(r"(?:create|alter)[ \t]+(?:user|role|login)[ \t][^;\n]{0,60}\Z")
# A user's name and value just before (`login: admin password hunter2`, `user bob pwd s3cret9`):
# a credential pair, where the password after its name needs no colon.
_USER_BEFORE = re.compile(
    r"(?:^|[\s(\[,;])(?:user(?:name)?|login|usr|uid)[ \t]*[:=]?[ \t]*\S{1,64}[ \t,;/]+\Z"
)
# A user's name in other languages (the words between a password's name and its value).
_USER_WORDS = re.compile(
    r"(?i)benutzer|utilisateur|usuario|utente|usuário|användare|bruger|bruker|käyttäjä|użytkownik"
    r"|uživatel|χρήστ|пользовател|користувач|учётн|учетн|kullanıcı|gebruiker|사용자|ユーザー|用户|用戶|المستخدم|משתמש"
    r"|उपयोगकर्ता|ผู้ใช้|người dùng|pengguna|akun|account|kont[oa]|compte|cuenta"
)


def _in_reference(text: str, at: int) -> bool:
    """Whether the identifier holding ``text[at]`` is a variable's reference (``$NAME``,
    ``${NAME}``, ``%NAME%``): its name says nothing about what follows it."""
    lo = max(0, at - 64)
    while at > lo and (text[at - 1].isalnum() or text[at - 1] == "_"):
        at -= 1
    return text[at - 1 : at] in ("$", "%") or text[at - 2 : at] == "${"


# Where a value given in prose ends: the line, a comma, a semicolon, a sentence's end.
_CLAUSE_END = re.compile(r"[ \t]*(?:[,;)]|[.!?]?(?:\s*\n|\s*\Z)|[.!?][ \t])")
# Words with a digit that name a scheme, a step or an event, not a password (`sha512`, `oauth2`).
_TECH_WORD = re.compile(
    r"(?i:sha|md|argon|pbkdf|bcrypt|scrypt|oauth|ntlm|rsa|aes|des|crc|utf|attempt|step|section|part|v"
    r"|version|reset|expired|policy|rule|level|tier|phase|round|stage|try|retry|iso|rfc)[0-9]+[a-z]{0,3}"
)
# A Windows or UNC path (`C:\\Users\\x`, `\\\\host\\share`) or a buffer of escapes (`\\x00\\x00`): no literal
# password, quoted or not (`_literal_value`).
_WINDOWS_PATH = re.compile(r"[A-Za-z]:\\.*|\\{2,4}[\w.$-]+\\.*|(?:\\{1,2}x[0-9A-Fa-f]{2})+")
# Bare values that are code rather than a literal: calls and subscripts, dotted attributes,
# snake_case and UPPER_SNAKE names, URLs and filesystem paths. (`hvs.CAESIJ1k2...`, digits
# inside a dotted part, is a token, not an attribute.)
_CODE_VALUE = re.compile(
    # (PHP: `$_POST['pw']`, `$request->input(...)`, `$this->pw`, `Foo::$pw`.)
    r"\$[A-Za-z_]\w*(?:\[|->?|\(|::).*|[A-Za-z_][\w.]*(?:::\w+)*[\(\[].*|"
    + _WINDOWS_PATH.pattern
    + r"|[a-z_][A-Za-z_]*(?:\.[A-Za-z_][A-Za-z_]*[0-9]{0,2})+|[a-z]+(?:_[a-z]+)+"
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
# Single words that describe a password field rather than fill it (`Password: optional`).
_NOT_PASSWORDS = frozenset(
    {"wymagane", "wymagany", "обязательно", "обязательный", "obligatorisk", "pakollinen", "kötelező",
     "povinné", "obbligatorio", "obbligatoria", "richiesto", "richiesta", "vereist", "verplicht",
     "zorunlu", "gerekli", "optional", "forgotten", "changed", "updated", "sent", "saved", "set", "unset",
     "protected",
     "hidden", "encrypted", "hashed", "unknown", "same", "see", "below", "above", "attached",
     "provided", "managed", "rotated", "strong", "weak", "ok", "okay", "verified", "enabled",
     "disabled", "accepted", "rejected", "pending", "masked", "blank", "empty", "unchanged",
     "generated", "stored", "none", "null", "nil", "undefined", "true", "false", "yes", "no",
     "secret", "private", "confidential", "policy", "manager", "login", "field", "hint", "length",
     "strength", "protection", "authentication", "prompt", "redacted", "omitted", "removed",
     "tbd", "todo", "n/a", "na", "default", "random", "expires", "valid", "correct",
     "mandatory", "needed", "ignored", "locked", "compromised", "leaked", "required",
     "vergessen", "erforderlich", "geändert", "geandert", "oublié", "oublie", "requis", "obligatoire",
     "olvidada", "olvidado", "requerida", "requerido", "obligatorio", "cambiada", "modifié", "modifie"}
)  # fmt: skip


# First words of a description where a passphrase would stand (`passphrase: see the vault`).
_NOT_A_PHRASE = frozenset(
    {"see", "ask", "check", "use", "stored", "saved", "kept", "managed", "in", "on", "from", "via", "not",
     "same", "none", "is", "was", "will", "has", "must", "should", "please"}
)  # fmt: skip


# A secret's name right before a value: the field pattern's case.
_NAMED_BEFORE = re.compile(
    r"(?i)(?:secret|key|token|pass\w{0,6}|pwd|credentials?)[\"'\]]{0,2}"
    r"(?:[ \t]{0,4}(?::=|=>|={1,3}|:)|[ \t]{1,4}(?:is|was)[ \t:]{1,4})[ \t]{0,4}[\"'`]?\Z"
)
# A passphrase of joined words (`correct-horse-battery-staple`): no digit, still a password.
_PASSPHRASE = re.compile(r"[A-Za-z]{3,}(?:[-_.+~ ][A-Za-z]{3,}){2,}")
# After `passphrase:` (unquoted) the rest of the line is the value when it is a few words
# (`passphrase: correct horse battery staple`): a passphrase is words by design.
_MORE_WORDS = re.compile(r"(?:[ \t][A-Za-z]{3,24}){1,7}(?=[ \t]*(?:\r?\n|[,;.]|\Z))")
# A secret's name and `=` at the head of a value (`creds: STRIPE_KEY=<key>`); `abc=` is not one.
_NESTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,40}=(?!=)")
# Patterns that yield nothing a named pattern already reported (see `PasswordDetector.detect`).
# Patterns whose name may end an identifier (`ParameterValue`, `NetworkCredential(`, `BasicAuth(`).
_GLUED_NAMES = frozenset(("name_value", "call_password", "name_arg"))
_BY_SHAPE = frozenset(
    (
        "bare_key",
        "unnamed_key",
        "azure_devops_pat",
        "password_phrase",
        "password_chat",
        "password_chat_bare",
        "name_value",
        "slash_pair",
        "login_with",
        "admin_pair",
    )
)
_OWNERS = frozenset(k.split(" ")[0] for k in _OWNED_KEYS if " " in k)
# An identifier of capitalized words and numbers (`UserProfileCacheEntry2024`), not key material.
_CAMEL_WORDS = re.compile(r"(?:[A-Z][a-z]++|[0-9]++)++")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_DIGIT = re.compile(r"[0-9]")
# Names of machine-made credentials: their values must look machine-made (`tokens: 842` is not).
_MACHINE_NAMES = re.compile(r"token|.*key|sess.*|auth|creds?|credentials?|api|schl(?:ü|ue)ssel")
# Password names under which a single word, alone on its line, is the password itself
# (`Passwort: geheim`, `mot de passe: Soleil`, `contraseña: secreto`).
_WORD_PASSWORD_NAMES = frozenset(
    {"password", "passwd", "passwort", "passphrase", "passcode", "passe", "pwd", "kennwort", "contraseña",
     "senha", "wachtwoord", "密码", "密碼", "パスワード", "비밀번호", "hasło", "hasla", "пароль", "пapoль",
     "şifre", "sifre", "lösenord", "losenord", "salasana", "adgangskode", "passord", "jelszó", "heslo",
     "parola d'ordine", "pswd", "pass-word", "كلمة المرور", "كلمة السر", "kata sandi", "mật khẩu", "mat khau",
     "รหัสผ่าน", "पासवर्ड", "סיסמה", "סיסמא"}
)  # fmt: skip
_LINE_END = frozenset(("", "\n", "\r", ",", ";"))


def _random_base64(value: str) -> bool:
    """Key material rather than a path or a run of words: upper, lower and digits, few slashes,
    a varied alphabet (not `ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd`-like runs of one case)."""
    return (
        _UPPER.search(value) is not None
        and _LOWER.search(value) is not None
        and _DIGIT.search(value) is not None
        and value.count("/") <= 4
        and entropy_at_least(value, 4.0)
        and not is_placeholder(value)
    )


# ASCII bytes by class: `A` upper, `a` lower, `0` digit, `~` anything else.
_CLASS_SHAPE = bytes(
    ord("A") if 65 <= b <= 90 else ord("a") if 97 <= b <= 122 else ord("0") if 48 <= b <= 57 else ord("~")
    for b in range(256)
)
_SUCCESSOR = bytes((b + 1) % 256 for b in range(256))


def _steps(raw: bytes) -> int:
    """How many bytes of an ASCII value are their predecessor plus one (`AB`, `12`): the zero
    bytes of ``raw[1:] XOR (raw + 1)[:-1]``, found with C calls, not a loop per pair."""
    if len(raw) < 2:
        return 0
    diff = int.from_bytes(raw[1:], "big") ^ int.from_bytes(raw.translate(_SUCCESSOR)[:-1], "big")
    return diff.to_bytes(len(raw) - 1, "big").count(0)


def _slashed_key(value: str) -> bool:
    """Base64 key material that holds slashes, not a filesystem path (see `_field_value_ok`)."""
    if "." in value or not _random_base64(value):
        return False
    longest = max(value.split("/"), key=len)
    return len(longest) >= 16 and _CAMEL_WORDS.fullmatch(longest) is None and char_classes(longest) >= 3


# One shell word of an htpasswd command line: quoted, bare, or a control operator.
_SHELL_WORD = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'|[;|&<>]+|[^\s;|&<>]+")


def _htpasswd_password(text: str, start: int, end: int) -> tuple[int, int]:
    """The password argument of `htpasswd -b [-c|-B|-C cost ...] FILE USER PASSWORD` or
    `htpasswd -nb USER PASSWORD` in ``text[start:end]``, or an empty span. Without `-b` the
    password is prompted for and the line holds none."""
    flags = ""
    takes_value = False
    positionals: list[tuple[int, int]] = []
    for word in _SHELL_WORD.finditer(text, start, end):
        token = word.group()
        if token[0] in ";|&<>":
            break  # the next command, or a redirection
        if takes_value:
            takes_value = False  # `-C 10`, `-r 5000`: the option's number
        elif token.startswith("-") and not positionals:
            flags += token[1:]
            takes_value = token[-1] in "Cr"
        else:
            positionals.append(word.span())
    need = 2 if "n" in flags else 3
    if "b" not in flags or len(positionals) < need:
        return start, start
    at, to = positionals[need - 1]
    if text[at] in "\"'":
        at, to = at + 1, to - 1
    return at, to


# The whole name of a field whose secret word ends it: `DB_PASS`, `client_secret`, `dbPassword`.
_FIELD_NAME_BEFORE = re.compile(r"[A-Za-z0-9]{1,40}[_.-]\Z|[a-z0-9]{1,40}\Z")


def _code_name(text: str, start: int, length: int) -> bool:
    """The field's name is a code identifier (`DB_PASS`, `client_secret`, `dbPassword`,
    `PGPASSWORD`), not a word of prose: config, where a plain word of at least six letters
    alone on its line is the value (`DB_PASS: sunshine`), not a description of the field."""
    if length < 6:
        return False
    head = _FIELD_NAME_BEFORE.search(text, max(0, start - 41), start)
    if head is not None:
        return True  # `DB_` + `PASS`, `client_` + `secret`, `db` + `Password`
    word = text[start : start + 12]
    return word[:4].isupper() and word[:4].isalpha()  # `PASSWORD:`, `SECRET:`, `TOKEN:`


def _is_machine(key: str) -> bool:
    return _MACHINE_NAMES.fullmatch(key) is not None


# Where a command starts on its line: the line's start, a shell operator, a prompt, a quote
# (a command in JSON), `sudo`/`exec`/`env`, or "run:".
# (`history`'s line number before a command counts as the line's start: `  541  openssl …`.)
_COMMAND_START = re.compile(
    r"(?:^[ \t]*(?:[0-9]{1,6}[ \t]+)?|[;&|(`\"'$#>:]|(?<![\w-])(?:sudo|exec|env|time|nohup|xargs|run))"
    r"[ \t]*\Z"
)
_SNAKE = re.compile(r"[a-z]+(?:_[a-z]+)+")
# A chat's account line before `user / password`: a label's `:` or an arrow, then the user.
_PAIR_HEAD = re.compile(r"(?:->|:)[ \t]{0,4}[\w.@+-]{2,40}[ \t]{1,3}\Z")
# Words that put a chat's `user / value` or `admin:value` among credentials (the line or the list's
# header before it): `Office WiFi: Guest / …`, `Accounts:\n- Jenkins: …`, "log in to the router".
_CREDENTIAL_CUE = re.compile(r"(?i)wi-?fi|cred|log[ -]?in|sign[ -]?in|account|passw|pwd|ssid|vpn|ssh|access")
_CUE_REACH = 160
_VERSION = re.compile(r"[0-9]\.[0-9]")
_ALNUM = re.compile(r"[A-Za-z0-9]")
# A symbol a password holds and a version, tag or word list does not (`-`, `.`, `_` separate those).
_STRONG_SYMBOL = re.compile(r"[!@#$%^&*+=?~(){}\[\]<>|\\;,'\"`]")
_USERLIST_HASH = re.compile(r"md5[0-9a-f]{32}\Z|SCRAM-SHA-256\$")
# A quoted argument's name up to its secret word (`"DD-API-` before `KEY"`), and the header
# names a server directive sets a secret in.
_ARG_NAME_BEFORE = re.compile(r"[\"']([\w-]{0,30})\Z")
_SECRET_HEADER = re.compile(
    r"(?i)(?:authorization|(?:api|access|auth|app|client|secret|private|subscription|account)[-_]?key"
    r"|token|secret|password|passwd)\Z"
)
_CODE_PUNCTUATION = frozenset(");,]}")
_CODE_AFTER = re.compile(r"[ (]")  # code goes on with a space or a call; `}yc-bUf8|,4F` is a password
# Where an unquoted value stops though a generated password may go on (see `value_span`), and that
# tail: up to the line's end, no `=` or `&` (another setting) and no space in it.
_CUT_AT = frozenset("<>,;)]}.`|")
_CLOSING = ".,;)]}"
# An unquoted value's whole token: no space, no quote, no `&name=` (a query's next pair), at most 128
# characters, then the line's end, the next `name=` on the line (an inventory's host line) or a
# query's next `&name=`.
_TOKEN = re.compile(
    r"(?:[^\s\"'&]|&(?![\w.\[\]-]{1,64}=)){1,128}+"
    r"(?=[ \t]*(?:\r?\n|\Z)|[ \t]+[A-Za-z_][\w.-]{0,40}=|&[\w.\[\]-]{1,64}=)"
)
# Both start only where a word starts and read it possessively: linear on any text.
_ASSIGNMENT = re.compile(r"(?<![\w.-])[A-Za-z_][\w.-]*+=")
_CALL = re.compile(r"(?<!\w)[A-Za-z_]{3,}+\w*+\(")
_NEXT_SETTING = re.compile(r"[;,&|][ ]?[A-Za-z_][\w .-]{0,40}=")
_ANONYMOUS = frozenset(("anonymous", "anonymous@", "guest", "ftp@", "ftp"))
_NOT_SECRET_PREFIX = re.compile(
    r"(?i)(?:request|idempotency|correlation|trace|page|continuation|sync)[-_]?\Z"
)
_DIGEST_BEFORE = re.compile(r"(?i)sha-?(?:1|256|384|512)|hash|digest|checksum|blake|nix|cid")
_FILE_AFTER = re.compile(r"[ \t]{1,2}\*?[\w./-]{1,200}\.[A-Za-z0-9]{1,8}[ \t]*$", re.M)
_INNER_SYMBOL = re.compile(r"[^A-Za-z0-9][A-Za-z0-9]")  # a symbol inside a value, not a label's colon
_SQL_VARIABLE = re.compile(r"[&:@$]{1,2}\w+")
# What may follow a value on its own line: blanks and a short remark (`Tr0ub4dor3 (temporary)`).
_LINE_REST = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:\r?\n|\Z|[\"'`<])")
# Calls whose first argument names a setting and whose second is its value (or default).
_ARG_CALL = re.compile(
    r"(?:define|getenv|environ\.get|env\.get|ENV\.fetch|getProperty|setdefault|setenv|putenv|Setenv"
    r"|LookupEnv|config\.set|set_password|put|putString|setProperty|setItem|setString|setValue|SetValue"
    r"|\.set|\.Set|\.add|\.Add|store|(?<![\w.])env|get_env|Getenv|(?<![\w.])config|settings\.get"
    r"|add_argument)[ \t]*\([ \t]*[\"'][\w.-]{0,40}\Z"
)


# What sets a password "to" a value: `set the password to`, `reset the admin pw to`.
_SET_VERB = re.compile(
    r"(?i)(?<![a-z])(?:set|reset|change|changed|update|updated)[ \t]+"
    r"(?:(?:the|my|your|his|her|their|our|its)[ \t]+)?(?:[\w-]{1,20}[ \t]+)?\Z"
)


# A value named after it: "Use Tr0ub4dor&3 as the password", "I picked 'hunter22' as my new
# Wi-Fi password". Matched at each ` as `; the value and its verb are read before it
# (`_VALUE_BEFORE`). A password *thing* ("as the password hash", "as a password manager") is none.
_AS_PASSWORD = re.compile(
    r"[ \t]+(?i:as)[ \t]+(?:(?i:the|your|my|our|a|an|their|his|her|its|new|admin|root|default|initial"
    r"|temporary|temp|login|account|user|wifi|wi-fi|vpn|master|db|database|shared|server|router|sudo"
    r"|one-time|app|email)[ \t]+|[A-Z][A-Z0-9-]{1,8}[ \t]+){0,3}"  # `as the SSH password`
    r"(?i:password|passwort|passwd|passphrase|passcode|pwd|pw)(?![\w-])"
    # A noun after the password word names another thing ("as the password grant", "... hash",
    # "... encoding"); anything else ("going forward", "again", "- it expires") does not.
    r"(?![ \t]+(?i:hash|hashes|hashing|field|reset|manager|policy|prompt|hint|input|box|column|salt"
    r"|length|rule|requirement|generator|strength|format|validat\w*|storage|vault|store|check|algorithm"
    r"|scheme|grant|encoding|cipher|protocol|kdf|type|error|flow|mechanism|option|parameter|setting"
    r"|attribute|value|method|function|provider|authentication|login|page|screen|form|dialog|file"
    r"|list|database|table|change|recovery|expiry|expiration|history|complexity|rotation|entropy"
    r"|spray|cracking|attack|replacement)\b)"
)
_VALUE_BEFORE = re.compile(
    r"(?<![\w'-])(?i:use|using|used|try|tried|choose|chose|chosen|pick|picked|enter|entered|type|typed"
    r"|set|put|keep|kept|gave|give|add|added|paste|pasted|input|entering|typing|picking|choosing)"
    r"[ \t]+(?P<q>[\"'`]?)(?P<v>[^\s\"'`]{4,64}?)(?P=q)[.,;:]?\Z"
)


# What describes how a password is kept, not what it is: "is now Okta-managed", "SSO-managed",
# "AES-encrypted", "has been changed to SHA-512".
_DESCRIPTOR = re.compile(
    r"(?i)[a-z0-9]+-(?:managed|based|backed|encrypted|hashed|protected|generated|rotated|synced|stored"
    r"|enabled|driven|signed|salted|compliant|only)"
    r"|(?:sha|aes|md5|rsa|des|3des|rc4|hmac|pbkdf2|bcrypt|scrypt|argon2(?:id|i|d)?|ecdsa|ed25519|blake2[bs]?)"
    r"(?:-?(?:1|128|192|224|256|384|512|1024|2048|3072|4096))?"
)
# A value that is a regular expression (`r'[A-Za-z0-9]{8,}'`, `r'^\S+$'`), not a literal password.
_REGEX_PART = re.compile(r"\[[^\]\n]{1,100}\][*+?{]|\\[dswSDW][*+?{]")
# Words that name a type, a state or a store where a value would stand (`dbPassword: Boolean`,
# `client_secret: Opaque`, `Password | expired`): never the password itself.
_TYPE_WORDS = frozenset(
    {"boolean", "bool", "text", "string", "str", "chararray", "char", "varchar", "nvarchar", "opaque",
     "base64", "deprecated", "vault", "int", "integer", "bytes", "bytearray", "securestring", "any",
     "object", "expired", "active", "inactive", "locked", "unlocked", "revoked", "valid", "invalid",
     "reset", "unchanged", "rotated", "encrypted", "plaintext", "inherit", "environment", "fixme",
     "unicode", "stdin",
     # Code where a value would stand (`const secret = await client.get(...)`).
     "await", "new", "yield", "async", "lambda", "require", "import", "function", "typeof", "this", "self"}
)  # fmt: skip


_WORD_PATH = re.compile(r"[A-Za-z_.-]+(?:/[A-Za-z_.-]+)+")  # `prod/db/password`: a secret's name
_REPEATED = re.compile(r"[ \t]*\*[ \t]*\d")
_CMDLET = re.compile(
    r"(?:Get|Set|New|ConvertTo|ConvertFrom|Read|Add|Remove|Invoke|Import|Export)-[A-Z][A-Za-z]+"
)
_UI_WORD = re.compile(r"[A-Za-z]+\?")
_FLAG_VALUE = re.compile(r"--?[A-Za-z][A-Za-z-]*")  # `-AsPlainText`, `--force`; not `-Xk92!ab`
# The words of a form field's caption (`'Confirm Password'`, `'Repeat your secret'`).
_CAPTION_WORD = re.compile(
    r"(?i)\b(?:password|passwort|passphrase|pwd|secret|token|key|credentials?|confirm|repeat|forgot|reset|enter)\b"
)
_MORE_ARGS = re.compile(r"[ \t]*,")
# The object a `put`/`set`/`add` call is made on, and receivers that hold no secrets (rules,
# labels, translations, types, error codes, messages, schemas).
_RECEIVER = re.compile(
    r"(?<!\w)(\w{1,40})[ \t]{0,4}\.[ \t]{0,4}\w{1,40}[ \t]{0,4}\([ \t]{0,4}[\"'][\w.-]{0,40}\Z"
)
_NOT_SECRET_STORES = frozenset(
    {"rules", "rule", "labels", "label", "i18n", "l10n", "translations", "translation", "messages", "message",
     "msgs", "msg", "types", "errors", "error", "codes", "validators", "validations", "schema", "schemas",
     "columns", "fields", "hints", "placeholders", "titles", "texts", "captions", "tooltips", "locales",
     "lang", "strings", "attrs", "attributes"}
)  # fmt: skip
_WORD_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _last_word(name: str) -> str:
    """The last word of an identifier (`errorCodes` -> `codes`, `field_labels` -> `labels`)."""
    parts = _WORD_PARTS.findall(name)
    return parts[-1].lower() if parts else name.lower()


# The first bytes of public DER structures in base64: an X.509 certificate or CSR (SEQUENCE of
# SEQUENCE), RSA/EC/Ed25519 SubjectPublicKeyInfo, and a PEM certificate or public key that was
# base64-encoded again (a Kubernetes secret's `tls.crt`).
_PUBLIC_DER = re.compile(
    r"MII[A-Za-z0-9+/]{2,3}CCA|MIIBIjANBgkqhkiG9w0BAQEFAAOC|MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
    r"|MCowBQYDK2VwAyEA|LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS|LS0tLS1CRUdJTiBQVUJMSUMgS0VZ"
)
_PUBLIC_BLOCK = re.compile(
    r"-----BEGIN (?:CERTIFICATE|PUBLIC KEY|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST"
    r"|X509 CRL|TRUSTED CERTIFICATE|RSA PUBLIC KEY|PKCS7)-----"
)
_PUBLIC_BLOCK_SPAN = 16384  # a certificate chain's lines are read this far back at most


def _in_public_block(text: str, start: int) -> bool:
    """``start`` lies inside an armoured certificate, CSR or public key (a `-----BEGIN` of one
    before it, no `-----END` between)."""
    begin = text.rfind("-----BEGIN ", max(0, start - _PUBLIC_BLOCK_SPAN), start)
    return (
        begin != -1
        and _PUBLIC_BLOCK.match(text, begin) is not None
        and text.find("-----END ", begin, start) == -1
    )


# The key type before an SSH public key's base64 (`authorized_keys`, `known_hosts`, `.pub`).
_PUBLIC_KEY_TYPE = re.compile(
    r"(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d{3}|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com"
    r"|ssh-(?:rsa|ed25519)-cert-v01@openssh\.com)[ \t]+\Z"
)


# The `name` field before a `value` field (see the `name_value` pattern): a name holding a
# secret word, then only quotes, commas and white space up to `value`.
_PAIR_NAME = re.compile(
    r"(?i)(?<![a-z])(?:name|key|field|parameter|param|parameter_?key)[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?"
    # The secret word ends the name: `DB_PASSWORD`, `/prod/db/password`, `API_TOKEN2`; not
    # `PASSWORD_POLICY`, `passwordStrength`, `passenger`, `secretary`, `SECRET_NAME`.
    r"(?P<name>[\w./\[-]{0,60}?(?:password|passwd|passphrase|passcode|pwd|(?<![a-z])pass|secret|token"
    r"|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[0-9]{0,3}\]?)"
    r"[\"']?[ \t]{0,4}[,;]?\s{0,60}[\"']?\Z"
)


def _password_shaped(value: str) -> bool:
    """A value with no name before it that still reads as a password: letters, digits and a
    symbol that is no separator of words or versions (`Company@123`, `+k4*ysnv…`, `Maple-3551!`;
    not `Release-x64`, `macOS-14`, `GitHub.`, `16-alpine`, `focal-20240123`)."""
    return (
        char_classes(value) >= 3
        and _DIGIT.search(value) is not None  # with a symbol and three classes: a letter too
        and _STRONG_SYMBOL.search(value) is not None
        and _VERSION.search(value) is None  # `npm@10.2.4`, `torch2.1+cu121`, `v2.0+beta`
        and not is_placeholder(value)
    )


def _is_machine_name(name: str) -> bool:
    """A pair's name of a machine credential (`API_TOKEN`, `stripe_api_key`), not a password."""
    low = name.lower()
    return "pass" not in low and "pwd" not in low and "secret" not in low


class PasswordDetector(SecretDetector):
    """Values of password, secret, token and key fields, kind ``PASSWORD`` or ``API_KEY``."""

    name = "passwords"
    KIND = "PASSWORD"
    # fmt: off
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        SecretPattern("field", re.compile(_NAME + _SEP + _VALUE), 0.9, "v",
                      anchors=("pass", "pw", "secret", "token", "key", "sess", "auth", "cred", "kennwort",
                               "contrase", "senha", "wachtwoord", "密码", "密碼", "パスワード", "비밀번호",
                               "api", "schlüssel", "schluessel", "hasło", "hasla", "пароль", "пapoль",
                               "şifre", "sifre", "lösenord", "losenord", "salasana", "adgangskode", "jelszó",
                               "heslo", "parola", "pswd", "psw", "haslo", "jelszo", "kodeord", "p@ss",
                               "كلمة", "kata sandi", "mật khẩu", "mat khau", "รหัสผ่าน", "पासवर्ड", "סיסמ",
                               "requirepass", "masterauth", "psk", "wpa_psk", "erlang")),
        SecretPattern(
            "basic_auth_flag",  # curl -u user:password; httpie --auth=user:password
            re.compile(r"-(?:u|-user|-auth)(?:[ \t]{1,4}|(?<=auth)=)[\"']?[^\s:\"'=]{1,64}:"
                       r"(?P<v>[^\s\"']{1,128})"),
            0.9, "v",  # no `-u` hint: `in` costs as much as this regex's own search for `-`
        ),
        SecretPattern(
            # httpie's `http -a user:password URL` (`-a` is too common a flag to read alone).
            "httpie_auth",
            # The command where a command starts (a line, a prompt, after a shell operator).
            re.compile(r"(?m)(?:^[ \t$>]{0,8}|[;&|][ \t]{0,4})https?[ \t](?:[^\n;&|]{0,160}?[ \t])?"
                       r"-a[ \t]{1,4}[\"']?[^\s:\"'/]{1,64}:(?P<v>(?!/)[^\s\"']{1,128})"),
            0.9, "v", hints=("http ", "https "),
        ),
        SecretPattern(
            "mysql_flag",  # mysql -u root -pPASSWORD
            re.compile(r"mysql\w{0,10}[ \t][^\n]{0,120}?[ \t]-p[\"']?(?P<v>[^\s\"']{3,128})"),
            0.9, "v", hints=("mysql",),
        ),
        SecretPattern(
            # htpasswd -b FILE USER PASSWORD, htpasswd -nb USER PASSWORD: read in `value_span`.
            "htpasswd", re.compile(r"htpasswd(?:\.exe)?[ \t]+(?P<v>[^\n]{1,400})"), 0.9, "v",
            hints=("htpasswd",),
        ),
        SecretPattern(
            "p_flag",  # sshpass -p 'pw' ssh host; docker login -u bob -p pw registry
            re.compile(r"(?:sshpass|login)(?=[ \t])[^\n]{0,120}?[ \t]-p[ \t]{1,4}[\"']?"
                       r"(?P<v>[^\s\"']{3,128})"),
            0.9, "v", hints=(" -p ",),
        ),
        SecretPattern(
            # An AWS secret access key without its name, after a mention of AWS (`AWS creds:\n
            # AKIA...\nwJalr...`): 40 (36-44: a copy may lose or gain one) of base64 with upper,
            # lower and digits, within 24 words; the regex steps word by word (possessive runs),
            # so a hit costs one pass over its window.
            "aws_secret",
            re.compile(r"(?i:aws)(?:[A-Za-z0-9/+=]{0,100}+[^A-Za-z0-9/+=]{1,100}+){1,24}?(?P<v>[A-Za-z0-9/+]{36,44}+)"
                       r"(?![A-Za-z0-9/+=])"),
            0.9, "v", anchors=("aws",), kind="API_KEY",
        ),
        SecretPattern(
            # A bare `key` (no owner: `key=`, `"key": "..."`) names a cache key or a setting as
            # often as a credential, so its value counts only when it is long random key
            # material (24+ base64 characters with upper, lower and digits, high entropy).
            "bare_key",
            # (URL-safe base64 too: `FERNET_KEY=ZmDfcTF7_60Grr...Pg=`.)
            re.compile(r"(?i:key)[\"']?[ \t]{0,4}(?::=|=>|={1,2}|:)[ \t]{0,4}[\"'`]?"
                       r"(?P<v>[A-Za-z0-9/+_-]{24,128}+={0,2})(?![A-Za-z0-9/+=_-])"),
            0.9, "v", anchors=("key",), kind="API_KEY", min_run=24,
        ),
        SecretPattern(
            # Key material with no name at all (`Sample config: bLC2G38n...`): 32-100 base64
            # characters standing alone, with two or more each of upper, lower and digits, and
            # the entropy of random text (an identifier of words, `getUserProfileById2024`, has
            # not). A dropped base64 blob is the price: it could hold anything.
            "unnamed_key",
            re.compile(r"(?<![A-Za-z0-9/+_.\\-])(?P<v>[A-Za-z0-9/+]{32,100}+={0,2})(?![A-Za-z0-9/+=_.-])"),
            0.8, "v", kind="API_KEY", min_run=32, at_runs=True,
        ),
        SecretPattern(
            # An Azure DevOps personal access token standing alone: exactly 52 characters of
            # lowercase base32 (`[a-z2-7]`). Nothing else common has that shape (an onion
            # address has 56, a Nix hash 32 of another alphabet); the digits and the entropy
            # of random base32 keep out a long lowercase word.
            "azure_devops_pat",
            re.compile(r"(?<![A-Za-z0-9/+_.\\-])(?P<v>[a-z2-7]{52})(?![A-Za-z0-9/+=_.-])"),
            0.9, "v", kind="API_KEY", min_run=52, at_runs=True,
        ),
        SecretPattern(
            # "The password for the server is Summer2024!": a few words between the name and
            # `is`; the value must read like a password (three character classes, or letters and
            # digits), and a sentence's final period or comma is not part of it.
            "password_phrase",
            # Also a prompt's answer: `[sudo] password for bob: hunter2`, "Password for the VPN: ...".
            re.compile(r"(?:(?i:password|passwort|passcode|passphrase)|(?<![A-Za-z])(?i:pwd|pw|pass))"
                       r"[ \t]+(?i:for|of|to|on|at)[ \t]+"
                       r"(?:(?:[\w.@-]{1,40}[ \t]+){0,4}?(?i:is|was)[ \t:]{1,4}"
                       r"|(?:[\w.@-]{1,40}[ \t]+){0,3}?[\w.@-]{1,40}:[ \t]{1,4})[\"'`]?"
                       r"(?P<v>[^\s\"'`]{4,64}?)(?=[\"'`]|[.,;]?(?:\s|\Z))"),
            0.9, "v", anchors=("pass", "pw"),
        ),
        SecretPattern(
            # The same in chat, in other languages: a password's name (with a possessive ending:
            # `Salasanani`, `lösenordet`), up to four words ("du wifi", "fürs WLAN", "от wi-fi"),
            # then a copula or a colon (`c'est`, `ist`, `es`, `è`, `er`, `är`, `on`, `je`,
            # `είναι`, `היא`, `هي`, `là`, `adalah`, `:`, `—`) or an opening quote (`「`, `“`, `«`).
            "password_chat",
            re.compile(r"(?:(?<=[Dd]e[ \t])(?i:passe)|(?<![A-Za-z])(?i:mdp)"
                       r"|(?i:passwort|password|clave|contraseña|senha|wachtwoord|hasło|haslo|heslo|пароль"
                       r"|κωδικός|סיסמה|كلمة المرور|รหัสผ่าน|mật khẩu|kata sandi|비번|비밀번호|пасс"
                       r"|パスワード|密码|密碼)"
                       # Possessive and definite endings: `lösenordet`, `Salasanani`, `Şifrem`, `parolam`.
                       r"|(?i:lösenord|passord|kode|salasana|şifre|sifre|parola)\w{0,3})(?![\w])"
                       r"(?:[ \t]+[^\s:：=<>\\]{1,30}){0,4}?"
                       r"(?:[ \t]+(?i:c'est|est|ist|es|è|é|is|er|är|on|je|jest|είναι|היא|هي|là|adalah|era)"
                       r"[ \t]+"
                       r"|[ \t]?[:：=—][ \t]*|[ \t]?(?=[「“«]))"
                       r"[\"'`«“「]?[ \t]?(?P<v>[^\s\"'`«»“”「」<>\\]{4,64}?)"
                       r"(?=[\"'`»”」]|[.,;!。]?(?:\s|\Z))"),
            0.9, "v",
            anchors=("passe", "mdp", "passw", "clave", "contrase", "senha", "wachtwoord", "lösenord",
                     "passord", "kode", "salasana", "hasło", "haslo", "heslo", "şifre", "sifre", "parola",
                     "пароль", "пасс",
                     "κωδικ", "סיסמ", "كلمة", "รหัสผ่าน", "mật khẩu", "kata sandi", "비번", "비밀번호",
                     "パスワード", "密码", "密碼"),
        ),
        SecretPattern(
            # Languages that need no copula (`Şifrem Galata2024`, `Мой пароль Медведь2024`): the
            # value right after the name, when it holds letters and digits (`пароль 123456` and
            # `пароль изменён` stay: a number alone, a word alone).
            "password_chat_bare",
            # Up to three words may stand between, none with a digit ("пароль от вайфая kvartira42",
            # "hasło do wifi to żubrówka12", "كلمة سر الواي فاي dubai2024"); Thai glues them to
            # the name ("รหัสผ่านของฉันคือ Bangkok2024"; `รหัส` alone is any code: `รหัสสินค้า` a
            # product's). The English names are not here: "password for user admin123" names a user.
            re.compile(r"(?:(?:(?i:пароль|парол|şifre|sifre|parola|hasło|haslo|heslo|κωδικός|salasana|lösenord"
                       r"|passord|kodeord|adgangskode|wachtwoord|senha|contraseña|passwort|비번|비밀번호"
                       r"|पासवर्ड|كلمة سر|كلمة السر|باسورد)\w{0,3}"
                       r"|(?<=[Dd]e[ \t])(?i:passe))(?![\w])"
                       r"(?P<gap>(?:[ \t]{1,4}[^\W\d][^\s\d\"'`<>:=?!.,;]{0,19}){0,3}?)"
                       r"|(?:รหัสผ่าน|รหัสไวไฟ|รหัส(?i:wi-?fi)|พาสเวิร์ด)[\u0E00-\u0E7F]{0,16}(?:[ \t]*[:：])?)"
                       r"[ \t]{1,4}"
                       r"(?P<v>(?=[^\s\"'`<>]{0,63}[0-9])(?=[^\s\"'`<>]{0,63}[^\W\d_])[^\s\"'`<>\\]{6,64}?)"
                       r"(?=[.,;!。]?(?:\s|\Z))"),
            0.9, "v",
            anchors=("пароль", "парол", "şifre", "sifre", "parola", "hasło", "haslo", "heslo", "κωδικ",
                     "salasana", "lösenord", "passord", "kodeord", "adgangskode", "wachtwoord", "senha",
                     "contrase", "passw", "passe", "비번", "비밀번호", "पासवर्ड", "كلمة", "باسورد", "รหัส",
                     "พาสเวิร์ด"),
        ),
        SecretPattern(
            # "I set the password to Summer2024!", "reset the admin pw to hunter2": the value must
            # read like a password ("changed my password to something stronger" stays).
            "password_set_to",
            # Matched at the password word (the field pattern's anchors), the verb read before it.
            re.compile(r"(?i:password|passwd|passcode|passphrase|pwd|pw)[ \t]+(?i:to)"
                       r"[ \t]+[\"'`]?(?P<v>[^\s\"'`]{4,64}?)(?=[\"'`]|[.,;]?(?:\s|\Z))"),
            0.9, "v", anchors=("pass", "pw"),
        ),
        SecretPattern(
            # A secret's name in one field and its value in the next: Kubernetes `env` (`- name:
            # DB_PASSWORD` / `value: "pw"`), HAR and form dumps (`{"name": "password", "value":
            # "pw"}`), parameter stores. Read at `value`; the name is checked in `validate`.
            "name_value",
            # (CloudFormation's `ParameterValue` after its `ParameterKey` too.)
            re.compile(r"(?i:value)(?:(?<![A-Za-z]value)(?<![A-Za-z]Value)(?<![A-Za-z]VALUE)"
                       r"|(?<=[Pp]arameterValue)|(?<=parameter_value)|(?<=PARAMETER_VALUE))"
                       r"[\"']?[ \t]{0,4}[:=][ \t]{0,4}"
                       r"(?P<q>[\"'])?(?P<v>(?(q)[^\"'\n]{1,256}|[^\s\"',;&<>}\]]{1,256}))"),
            0.9, "v", anchors=("value",),
        ),
        SecretPattern(
            # Terraform: `variable "db_password" { ... default = "pw" }`.
            "tf_variable",
            re.compile(r"variable[ \t]+\"[\w-]{0,60}?(?i:password|passwd|secret|token|api_key|apikey"
                       r"|private_key"
                       r"|access_key)\"[ \t]*\{[^{}]{0,300}?(?<![\w])default[ \t]*=[ \t]*"
                       r"\"(?P<v>[^\"\n]{1,256})\""),
            0.9, "v", hints=("variable",),
        ),
        SecretPattern(
            # Go's MySQL DSN: `user:pw@tcp(host:3306)/db` (no scheme: not a URL).
            "go_dsn",
            re.compile(r"(?<![\w.-])[\w.-]{1,64}:(?P<v>[^\s@/:\"'`]{1,128})@(?:tcp|unix|udp)(?:6)?\("),
            0.9, "v", hints=("@tcp(", "@unix(", "@udp(", "@tcp6("),
        ),
        SecretPattern(
            # Command-line passwords: `redis-cli -a pw`, `sqlcmd -P pw`, `ldapsearch -w pw`,
            # `keytool -storepass pw`, `zip -P pw`, `7z a -ppw`, `xfreerdp /p:pw`, `smbclient -U
            # user%pw`, `net user bob pw`, `aws configure set aws_secret_access_key pw`.
            "cli_password",
            # The flag must belong to the same command: no shell operator (`;`, `|`, `&`) between.
            re.compile(r"(?<![\w.-])(?:redis-cli[^\n;|&]{0,120}?[ \t]-a[ \t]{1,4}"
                       r"|(?:sqlcmd|bcp|osql)[^\n;|&]{0,120}?[ \t]-P[ \t]{1,4}"
                       r"|ldap\w{2,12}[^\n;|&]{0,120}?[ \t]-w[ \t]{1,4}"
                       r"|keytool[^\n;|&]{0,160}?[ \t]"
                       r"-(?:store|key|src|dest|srcstore|deststore|srckey|destkey)pass[ \t]{1,4}"
                       r"|(?:un)?zip[^\n;|&]{0,120}?[ \t]-P[ \t]{1,4}|7za?[ \t][^\n;|&]{0,120}?[ \t]-p"
                       r"|mongo(?:sh|dump|restore|import|export)?[ \t][^\n;|&]{0,120}?[ \t]"
                       r"(?:-p|--password)[ \t]{1,4}"
                       r"|xfreerdp[^\n;|&]{0,160}?[ \t]/p:"
                       r"|smbclient[^\n;|&]{0,120}?[ \t]-U[ \t]{1,4}[\"']?[^\s%\"']{1,64}%"
                       r"|(?i:net)[ \t]+(?i:user)[ \t]+[^\s/]{1,64}[ \t]+"
                       r"|aws[ \t]+configure[ \t]+set[ \t]+(?:[\w-]{1,40}\.)?aws_secret_access_key[ \t]+"
                       r"|openssl[^\n;|&]{0,160}?[ \t](?:-k[ \t]{1,4}|-pass(?:in|out)?[ \t]{1,4}pass:)"
                       r"|ssh-keygen[^\n;|&]{0,120}?[ \t]-[NP][ \t]{1,4}"
                       r"|lftp[^\n;|&]{0,120}?[ \t]-u[ \t]{1,4}[\"']?[^\s,\"']{1,64},"
                       r"|rdesktop[^\n;|&]{0,120}?[ \t]-p[ \t]{1,4}"
                       r"|mosquitto_(?:pub|sub|rr)[^\n;|&]{0,160}?[ \t]-P[ \t]{1,4}"
                       # `net use Z: \\srv\share PW /user:X` (or after the user)
                       r"|(?i:net)[ \t]+(?i:use)[ \t]+(?:[A-Za-z]:[ \t]+|\*[ \t]+)?\\\\[^\s]{1,200}[ \t]+"
                       r"(?:/(?i:user):[^\s]{1,64}[ \t]+)?(?!/|[0-9]?[<>])"  # not `2>nul`
                       r"|wpa_passphrase[ \t]+(?:\"[^\"\n]{1,64}\"|'[^'\n]{1,64}'|[^\s\"']{1,64})[ \t]+"
                       r"|gh[ \t]+secret[ \t]+set[^\n;|&]{0,120}?[ \t](?:--body|-b)[ \t]{1,4}"
                       r"|setx[ \t]+\w{0,40}(?i:pass|password|passwd|secret|token|key|pwd)"
                       r"(?:_(?:PROD|DEV|TEST|STAGING|STG|QA|UAT|LOCAL|PRIMARY|SECONDARY|MAIN|OLD|NEW|ADMIN|RO|RW"
                       r"|[0-9]{1,3}))?[ \t]+)"
                       # Unquoted, a shell operator or an escaped line break (`\n` in JSON) ends it; a `*`
                       # inside belongs to it (`W*8C=i`), one in front is a mask or a glob.
                       r"[\"']?(?P<v>(?<=[\"'])[^\"'\n]{3,128}(?=[\"'])|(?<![\"'])(?![-/*])(?:[^\s\"';|&\\]|\\(?![nrt])){3,128})"),
            # Anchored at the tool's name: read from the anchor pass the field pattern pays for.
            0.9, "v", anchors=("redis-cli", "sqlcmd", "bcp", "osql", "ldap", "keytool", "zip", "unzip", "7z",
                               "mongo", "xfreerdp", "smbclient", "net", "aws", "openssl", "lftp", "rdesktop",
                               "wpa_passphrase", "gh secret", "setx", "ssh-keygen", "mosquitto_"),
        ),
        SecretPattern(
            # A password piped into the command that reads it: `echo 'bob:pw' | chpasswd`.
            "chpasswd",
            re.compile(r"(?:echo|printf)[ \t]+(?:-[neE][ \t]+)?(?P<q>[\"']?)[\w.-]{1,32}:"
                       r"(?P<v>[^\s\"':|]{3,128})(?P=q)[ \t]*\|[ \t]*(?:sudo[ \t]+)?chpasswd"),
            0.9, "v", hints=("chpasswd",),
        ),
        SecretPattern(
            # `echo pw | docker login --password-stdin -u bob` (podman, helm, oras, skopeo ...).
            "password_stdin",
            # Quoted, anything but its quote (`echo "mD&_js$,_3A!" | ...`); bare, no `$` (a variable).
            re.compile(r"(?:echo|printf)[ \t]+(?:-[neE][ \t]+)?(?P<q>[\"'])?"
                       r"(?P<v>(?(q)(?!\$)[^\"'\n]{3,128}|[^\s\"'|$]{3,128}))(?(q)(?P=q))"
                       r"[ \t]*\|[ \t]*(?:sudo[ \t]+)?[\w-]{1,20}(?:[ \t]+[\w-]{1,20}){0,2}[ \t]+login"
                       r"[^\n|;&]{0,200}?--password-stdin"),
            0.9, "v", hints=("password-stdin",),
        ),
        SecretPattern(
            # A password passed by position to a call that takes one there: `smtp.login(u, 'pw')`,
            # `HTTPBasicAuth('u', 'pw')`, `auth=('u', 'pw')`, `NetworkCredential("u", "pw")`,
            # `getConnection(url, "u", "pw")`, `new PDO($dsn, 'u', 'pw')`,
            # `keyring.set_password('svc', 'u', 'pw')`, PowerShell `ConvertTo-SecureString 'pw'
            # -AsPlainText`. Only a string literal: a variable names the password, holds none.
            "call_password",
            # Also an LDAP bind (`simple_bind_s(dn, 'pw')`), a JWT's signing secret
            # (`jwt.encode(payload, 'pw')`), Go's `smtp.PlainAuth("", u, 'pw', host)`, `new
            # Sequelize(db, u, 'pw')`, `mysqli_connect(h, u, 'pw')`, Django's `create_user(name,
            # mail, 'pw')`, Rust's `Credentials::new(u, 'pw')`, Redis's `("AUTH", 'pw')`, JavaMail's
            # `PasswordAuthentication(u, 'pw')`, `pymysql.connect(h, u, 'pw')`, `FTP(h, u, 'pw')`,
            # Ruby's `Net::FTP.open(h, u, 'pw')`, `Twilio::REST::Client.new(sid, 'token')`.
            re.compile(r"(?:(?:(?i:login)|Auth|(?i:auth)[ \t]*=[ \t]*|(?i:credentials?)(?:::new)?"
                       r"|simple_bind(?:_s)?|bind_s|jwt\.(?:encode|sign)|PasswordAuthentication"
                       r"|UsernamePassword(?:Credentials|AuthenticationToken)|BasicAWSCredentials"
                       r"|Twilio::REST::Client\.new)[ \t]*\([ \t]*" + _ARG
                       + r"[ \t]*,|(?:getConnection|PDO|(?i:set_password)|PlainAuth|Sequelize|mysqli_connect"
                       r"|create_user|create_superuser|(?:pymysql|MySQLdb)\.connect"
                       r"|(?<![\w])FTP(?:_TLS)?(?:\.(?:open|new))?)[ \t]*\([ \t]*"
                       + _ARG + r"[ \t]*,[ \t]*" + _ARG + r"[ \t]*,"
                       r"|(?<=[\"'])AUTH[\"'][ \t]*,"  # Redis's command, not a config section `'auth'`
                       r"|(?i:securestring)[ \t]+(?:-String[ \t]+)?"
                       r"(?=[\"'][^\"'\n]{1,256}[\"'][ \t]+-AsPlainText))"
                       r"[ \t]*(?P<q>[\"'`])(?P<v>[^\"'`\n]{1,256})(?P=q)"
                       r"(?:\.(?:to_string|to_owned|into|toCharArray)\(\))?"
                       r"[ \t]*(?:[,)]|(?<=[\"'])[ \t]+-)"),
            0.9, "v",
            anchors=("login", "auth", "cred", "getconnection", "pdo", "set_password", "securestring",
                     "simple_bind", "bind_s", "jwt.", "plainauth", "sequelize", "mysqli_connect",
                     "create_user", "create_superuser", "passwordauthentication", "usernamepassword",
                     "basicawscredentials", "twilio::", "pymysql", "mysqldb", "ftp"),
        ),
        SecretPattern(
            # Commands and protocol lines that carry a password without naming it: a Cisco
            # config's `password 0 pw` (type 0 plain, 7 reversible), an SNMP community, RabbitMQ's
            # `add_user u pw`, `echo pw | sudo -S`, `gh secret set NAME --body pw`, a Redis
            # MONITOR line's `"AUTH" "pw"`, an IMAP `LOGIN u pw`, SMTP's `AUTH PLAIN <base64>`.
            "command_password",
            re.compile(r"(?:(?<![^\n])[ \t]*(?:username[ \t]+\S{1,64}[ \t]+"
                       r"(?:privilege[ \t]+[0-9]{1,2}[ \t]+)?|enable[ \t]+)?"
                       r"(?:password|secret|key(?:-string)?)[ \t]+[07][ \t]+"
                       r"|snmp-server[ \t]+community[ \t]+(?!(?:public|private)\b)"
                       r"|rabbitmqctl[ \t]+(?:add_user|change_password)[ \t]+\S{1,64}[ \t]+"
                       r"|(?:echo|printf)[ \t]+(?=[^\n|]{1,130}\|[ \t]*sudo[ \t]+(?:-[A-Za-z]+[ \t]+)*-S)"
                       r"|gh[ \t]+secret[ \t]+set[ \t]+\S{1,64}[ \t]+(?:--body|-b)[ \t=]+"
                       r"|\"AUTH\"[ \t]+(?=\")"
                       # An IMAP client's line: a tag with a digit, LOGIN, the user, the password.
                       r"|(?<![^\n])(?:[CS]:[ \t]*)?[A-Za-z]{0,4}[0-9][A-Za-z0-9.]{0,6}[ \t]+LOGIN[ \t]+"
                       r"\S{1,64}[ \t]+"
                       r"|AUTH[ \t]+PLAIN[ \t]+(?=[A-Za-z0-9+/]{12,}={0,2}(?![^\s])))"  # base64: not `LOGIN`
                       r"(?P<q>[\"']?)(?P<v>[^\s\"'|]{3,128})(?P=q)(?![^\s;,)|])"),
            0.9, "v",
            hints=("password 0", "password 7", "secret 0", "secret 7", "key 7", "key 0", "string 7",
                   "snmp-server", "rabbitmqctl", "sudo -S", "secret set", '"AUTH"', " LOGIN ", "AUTH PLAIN"),
        ),
        SecretPattern(
            # Oracle's `CONNECT scott/pw@orcl`, `sqlplus scott/pw@//db:1521/orcl`.
            "oracle_connect",
            re.compile(r"(?:(?i:conn(?:ect)?|sqlplus|sqlldr|expdp|impdp|exp|imp|rman)[ \t]+(?:-[sSlL][ \t]+)?"
                       r"|(?i:jdbc:oracle:(?:thin|oci8?|kprb):))"  # `jdbc:oracle:thin:scott/pw@//db:1521/x`
                       r"[\w$#]{1,30}/(?P<v>[^\s@/\"']{1,128})@"),
            0.9, "v", anchors=("conn", "sqlplus", "sqlldr", "expdp", "impdp", "exp", "imp", "rman", "jdbc"),
        ),
        SecretPattern(
            # SQL: `ALTER USER app IDENTIFIED BY Tr0ub4dor&3xyz;`, `CREATE USER 'bob'@'%'
            # IDENTIFIED WITH mysql_native_password BY 'pw'` (Oracle, MySQL, MariaDB); only in
            # a CREATE/ALTER USER statement or a GRANT ... TO (`users identified by email`, `a
            # research grant identified by its award number` are prose).
            "sql_identified_by",
            # A statement may run over several lines (`CREATE USER 'app'@'%'\n  IDENTIFIED BY ...`).
            re.compile(r"(?:(?i:create|alter)[ \t]+(?i:user|role|login)|(?i:connect)[ \t]+(?i:to)"
                       r"|(?i:grant)\s[^;]{0,200}?\s(?i:to))"
                       r"\s[^;]{0,200}?(?i:identified)(?:\s+(?i:with)\s+\w{1,40})?"
                       r"\s+(?i:by)\s+(?:(?i:password)\s+)?"
                       r"(?P<q>[\"'`])?(?P<v>(?(q)[^\"'`\n]{3,128}|[^\s\"'`;]{3,128}))"
                       # Quoted: up to its closing quote. Bare: the statement must end there or go
                       # on with a clause (`REPLACE old`); prose goes on with words or punctuation.
                       r"(?(q)(?=(?P=q))|(?<![.,])(?=[ \t]*(?:;|\n|\Z|[ \t]+"
                       r"(?i:replace|password|account|default|with|require|using)(?![\w]))))"),
            0.9, "v", hints=("IDENTIFIED", "identified", "Identified"),
        ),
        SecretPattern(
            # MySQL/MariaDB `SET PASSWORD FOR 'bob'@'%' = 'pw'` (without FOR, and `= PASSWORD('pw')`,
            # are the field pattern's); DB2 and embedded SQL `CONNECT TO db USER bob USING 'pw'`.
            "sql_set_password",
            # (A database link's `CONNECT TO u IDENTIFIED BY pw USING 'alias'`: the alias is no
            # password; the `sql_identified_by` pattern takes the password.)
            re.compile(r"(?:(?i:set)[ \t]+(?i:password)[ \t]+(?i:for)[ \t]+[^\n=;]{1,200}?[ \t]*="
                       r"|(?i:connect)[ \t]+(?i:to)[ \t](?:(?!(?i:identified))[^\n;]){1,200}?[ \t](?i:using))"
                       r"[ \t]*(?P<q>[\"'])?(?P<v>(?(q)[^\"'\n]{1,128}|[^\s\"';]{3,128}))"
                       r"(?(q)(?=(?P=q))|(?=[ \t]*(?:;|\r?\n|\Z)))"),  # bare: DB2's `... using pw`
            0.9, "v", anchors=("set", "connect"),
        ),
        SecretPattern(
            # A PostgreSQL password file line (`.pgpass`): host:port:database:user:password, on
            # the default port or `*` (other five-field lines are too common to read as one);
            # indented, or quoted in a command (`echo 'db:5432:app:bob:pw' >> ~/.pgpass`).
            "pgpass",
            re.compile(r"(?m)(?:^[ \t]{0,16}|(?<=[ \t][\"']))[\w.*-]{1,253}:(?:5432|\*):[^\s:\"']{1,63}:"
                       r"[^\s:\"']{1,63}:(?P<v>(?:[^\s\"'\\]|\\(?![nrt])){1,128})(?=[\"']|[ \t]*$|\\[nr])"),
            0.9, "v", hints=(":5432:", ":*:"),
        ),
        SecretPattern(
            # A header or field set by a call that takes its name and its value as two string
            # arguments: `.header("DD-API-KEY", "...")`, `setRequestProperty("X-API-KEY", "...")`,
            # `AuthenticationHeaderValue("Bearer", "...")`, `headers.add("Authorization", "Basic
            # ...")`. Matched at the name's secret word; the rest of the name (`DD-API-`, `X-`)
            # back to its quote is checked in `validate`.
            "name_arg",
            re.compile(r"(?P<name>(?i:key|token|secret|pass(?:word|wd)?|auth(?:orization)?|bearer|basic"
                       r"|session(?:[_-]?(?:id|token|key))?|sessid)"
                       r"(?i:[_-]?(?:key|token|value))?)"
                       r"[\"'][ \t]*,[ \t]*[\"'](?:(?i:basic|bearer|token)[ ])?"
                       r"(?P<v>[^\s\"'\\]{6,512})[\"']"),
            0.9, "v", anchors=("key", "token", "secret", "pass", "auth", "bearer", "basic", "sess"),
        ),
        SecretPattern(
            # nginx's and Apache's header directives: `proxy_set_header Authorization "Basic ..."`,
            # `RequestHeader set X-Api-Key "..."`.
            "header_directive",
            re.compile(r"(?:proxy_set_header|add_header|RequestHeader[ \t]+(?:set|append|add))[ \t]+"
                       r"(?P<name>[\w-]{1,40})[ \t]+[\"']?(?:(?i:basic|bearer|token)[ ])?"
                       r"(?P<v>[^\s\"';\\]{6,512})"),
            0.9, "v", hints=("proxy_set_header", "add_header", "RequestHeader"),
        ),
        SecretPattern(
            # A chat's account list: `Office WiFi: AcmeGuest / Company@123`, `- Jenkins: ci-bot /
            # +k4*ysnv...`, `staging creds -> postgres / mOk97...`. Read at the `/`; the label
            # and the user before it on the line are checked in `validate`, the value must have
            # a password's shape (`_password_shaped`) and end its line or clause.
            "slash_pair",
            re.compile(r"/(?<=[ \t]/)[ \t]{1,3}(?P<v>[^\s/\"'`]{6,64})(?=[ \t]*(?:\r?\n|\Z|[,;)]))"),
            0.85, "v", hints=(" / ",),
        ),
        SecretPattern(
            # "login with dbadmin and $^qG4U8LdF", "sign in as alice / Tr0ub4dor&9".
            "login_with",
            re.compile(r"(?i:log[ -]?in|sign[ -]?in)[ \t]+(?i:with|using|as)[ \t]+[\w.@+-]{2,40}[ \t]+"
                       r"(?:(?i:and|with)|/)[ \t]+(?:(?i:password|pw|pass)[ \t]+)?(?P<q>[\"']?)"
                       r"(?P<v>[^\s\"']{6,64})(?P=q)"),
            0.85, "v", anchors=("login", "log in", "log-in", "sign in", "signin", "sign-in"),
        ),
        SecretPattern(
            # A default account's `user:password` in a sentence: "admin:Maple-3551! works for me".
            # Only `admin`: `root:`, `postgres:`, `ubuntu:` name images and tags (`postgres:16-alpine`).
            "admin_pair",
            re.compile(r"(?i:admin(?:istrator)?)(?<![\w/@:.-]admin)(?<![\w/@:.-]administrator)"
                       r":(?P<v>[^\s:/@\"'`]{5,64}+)(?=[\s,;)]|\Z)"),
            0.85, "v", anchors=("admin",),
        ),
        SecretPattern(
            # PgBouncer's auth file (`userlist.txt`): `"user" "password"` lines; an `md5…` or
            # `SCRAM-SHA-256$…` value is the hash detector's.
            "userlist",
            re.compile(r"(?m)^[ \t]{0,8}\"[^\"\n]{1,64}\"[ \t]+\"(?P<v>[^\"\n]{1,256})\"[ \t]*$"),
            0.9, "v", hints=("userlist", "pgbouncer", "auth_file"),
        ),
        SecretPattern(
            # Azure SAS and other signed URLs: `...&sig=<url-encoded HMAC>` is the credential.
            "url_signature", re.compile(r"sig=(?<=[?&;]sig=)(?P<v>[A-Za-z0-9%+/=_-]{16,512})"),
            0.9, "v", kind="API_KEY", hints=("sig=",),
        ),
    )
    # fmt: on

    def detect(self, text: str) -> Iterator[Span]:
        # The by-shape patterns (and `name_value`) come after the field pattern and yield
        # nothing it already reported (`aws_secret_access_key = <key>` is the field pattern's,
        # not a second span; so is `<add key="Password" value="...">`).
        starts: set[int] = set()
        spans: set[tuple[int, int]] = set()
        for span in super().detect(text):
            if span.label in _BY_SHAPE and (span.start in starts or span.end - 1 in starts):
                continue
            if (span.start, span.end) in spans:
                continue  # `setx API_KEY <key>`: the field pattern's already, a command's too
            starts.add(span.start)
            starts.add(span.end - 1)
            spans.add((span.start, span.end))
            yield span
        for word in (" as ", " AS ", " As "):  # three C-speed searches; most texts hold one
            at = text.find(word)
            while at != -1:
                named = self._named_after(text, at)
                if named is not None and named.start not in starts:
                    yield named
                at = text.find(word, at + 3)

    @staticmethod
    def _after_gap_ok(value: str, match: re.Match[str]) -> bool:
        """A value a few words after a password's name ("пароль от вайфая kvartira42") ends its
        clause, is mostly Latin (a password typed on any keyboard; `갤럭시S24` is a phone), and
        the words between name no user ("Passwort für Benutzer admin1" names a user) and no
        product ("Пароль от Windows10 можно сбросить" goes on)."""
        if _USER_WORDS.search(match.group("gap")) or not _CLAUSE_END.match(match.string, match.end("v")):
            return False
        if _TECH_WORD.fullmatch(value):
            return False  # "Hasło zgodne z normą ISO27001"
        return sum(map(str.isascii, value)) * 3 >= len(value) * 2

    def _named_after(self, text: str, at: int) -> Span | None:
        """The password of "Use VALUE as the password" whose ` as ` is at ``at``."""
        if _AS_PASSWORD.match(text, at) is None:
            return None
        before = _VALUE_BEFORE.search(text, max(0, at - 96), at)
        if before is None:
            return None
        value = before.group("v")
        if value.lower() in _TYPE_WORDS or _DESCRIPTOR.fullmatch(value):
            return None
        if before.group("q"):
            ok = value.lower() not in _NOT_PASSWORDS
        else:
            ok = char_classes(value) >= 3 or credential_like(value)
        if not ok or is_placeholder(value):
            return None
        return Span(before.start("v"), before.end("v"), self.KIND, f"rules:{self.name}", 0.9, "password_as")

    def value_span(self, text: str, match: re.Match[str], pattern: SecretPattern) -> tuple[int, int]:
        if pattern.name == "htpasswd":
            return _htpasswd_password(text, match.start("v"), match.end("v"))
        start, end = super().value_span(text, match, pattern)
        if pattern.name == "field" and match.group("q") is None:
            nested = _NESTED_NAME.match(text, start, end)
            if nested is not None and nested.end() < end and _SECRET_WORD.search(nested.group()):
                start = nested.end()  # `creds: key=<key>`, `creds: STRIPE_KEY=<key>`: the key only
        if (
            pattern.name == "field"
            and match.group("q") is None
            and match.group("key").lower() == "passphrase"
        ):
            more = _MORE_WORDS.match(text, end)
            if more is not None:
                end = more.end()
        if (
            pattern.name == "field"
            and match.group("q") is None
            and text[end : end + 1] in _CUT_AT
            and not _is_machine(match.group("key").lower())  # `auth=OAuth2[scope:read]`: a setting
        ):
            # `ssh_pass=2Ja}$!k%<STnqf-g<G`, `password: q6`p$}5P-F%:74]G~<`: an unquoted value
            # stops at a character prose or code ends a value with; when the whole token reads as
            # a generated password and ends the line (or the next `name=` follows), it is one.
            token = _TOKEN.match(text, start)
            if token is not None and token.end() > end:
                whole = token.group().rstrip(_CLOSING)
                tail = whole[end - start :]
                if (
                    _ALNUM.search(tail)
                    and "</" not in whole
                    and _NEXT_SETTING.search(tail) is None  # `;EndpointSuffix=…`, `;Encrypt=True`
                    and _ASSIGNMENT.search(tail) is None  # `FAILED(code=401)`
                    and _CALL.search(whole) is None  # `env(API_KEY_V2),required`: code, not a value
                    and char_classes(whole) >= 3  # the name says password: no digit needed
                    and _STRONG_SYMBOL.search(whole) is not None
                ):
                    end = start + len(whole)
        return start, end

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "field":
            return self._field_value_ok(value, match)
        text, start = match.string, match.start()
        if pattern.name == "bare_key":
            if text[start - 1 : start] in ("?", "&") and text[match.start("v") - 1 : match.start("v")] == "=":
                # A URL's `?key=` (Google Maps, Sentry, most REST APIs): an API key in any
                # alphabet, hex included, when it reads as key material, not `key=value`, `key=id`.
                # (`?key=logs/AWSLogs/…`: an object's path, not a key)
                random_key = looks_random(value, min_len=16) and _DIGIT.search(value) is not None
                return random_key and "/" not in value
            before = text[max(0, start - 24) : start]
            words = before[:-1].split() if before[-1:] == " " else []
            owner = words[-1].lower() if words else ""
            return (
                not (start and text[start - 1].isalpha() and text[start] == "k")  # `monkey`, `hockey`
                and owner not in _OWNERS  # `API key: ...` is the field pattern's
                and _CAMEL_WORDS.fullmatch(value) is None
                and _random_base64(value)
            )
        glued = start and (text[start - 1].isalnum() or text[start - 1] == "_")
        # Hebrew and Arabic glue articles and prepositions to the word (`הסיסמה`, `بكلمة`).
        glued = glued and not (pattern.name.startswith("password_chat") and not text[start - 1].isascii())
        if glued and pattern.name not in _GLUED_NAMES:
            return False  # `xmysql`, `a-u`: not the command or the flag
        if pattern.name == "aws_secret":
            # Under its own name (`aws_secret_access_key = ...`) the field pattern reports it.
            named = _NAMED_BEFORE.search(text, max(0, match.start("v") - 48), match.start("v"))
            return named is None and _random_base64(value)
        if pattern.name == "unnamed_key":
            if _PUBLIC_KEY_TYPE.search(text, max(0, start - 48), start):
                return False  # an SSH public key (`ssh-ed25519 AAAAC3...`) is public by design
            if _PUBLIC_DER.match(value) or _in_public_block(text, start):
                return False  # a certificate, a CSR or a public key (DER in base64): public
            core = value.rstrip("=")
            # The pattern's alphabet is ASCII: classes counted on the bytes' shape (C calls).
            raw = core.encode("ascii")
            shape = raw.translate(_CLASS_SHAPE)
            return (
                shape.count(b"A") >= 2
                and shape.count(b"a") >= 2
                and shape.count(b"0") >= 2
                and core.count("/") <= 3
                and _CAMEL_WORDS.fullmatch(core) is None
                and _steps(raw) * 4 < len(core)  # no `ABCD..`
                and entropy_at_least(core, 4.2)
                and not is_placeholder(core)
            )
        if pattern.name == "azure_devops_pat":
            # A base32 SHA-256 digest has the same shape: after a hash's name, or in a checksum
            # line (`<digest>  file.tar.gz`), it is one.
            if _DIGEST_BEFORE.search(text, max(0, start - 48), start) or _FILE_AFTER.match(text, match.end()):
                return False
            return sum(map(str.isdigit, value)) >= 3 and entropy_at_least(value, 4.0)
        if pattern.name == "password_set_to" and _SET_VERB.search(text, max(0, start - 48), start) is None:
            return False
        gap = pattern.name == "password_chat_bare" and match.group("gap")
        if gap and not self._after_gap_ok(value, match):
            return False
        if pattern.name in ("password_phrase", "password_set_to", "password_chat", "password_chat_bare"):
            # `Медведь2024`: letters of any script and digits
            mixed = any(map(str.isalpha, value)) and any(map(str.isdigit, value))
            return (
                not is_placeholder(value)
                and value.lower() not in _TYPE_WORDS
                and not (pattern.name.startswith("password_chat") and _CODE_VALUE.fullmatch(value))
                and (char_classes(value) >= 3 or credential_like(value) or (len(value) >= 6 and mixed))
            )
        if pattern.name == "name_value":
            return self._named_value_ok(value, match)
        if pattern.name == "url_signature":
            return credential_like(value) and not is_placeholder(value)
        if pattern.name == "slash_pair":
            head = _PAIR_HEAD.search(text, max(0, start - 64), match.start())
            return (
                head is not None
                and _CREDENTIAL_CUE.search(text, max(0, start - _CUE_REACH), start) is not None
                and _password_shaped(value)
            )
        cue = _CREDENTIAL_CUE.search(text, max(0, start - _CUE_REACH), start)
        if pattern.name == "admin_pair" and cue is None:
            return False  # `role admin:Read+Write2`, `(admin:Ops#42)`: a role or a handle, no login
        if pattern.name in ("login_with", "admin_pair"):
            return _password_shaped(value) and value.lower() not in _NOT_PASSWORDS
        if pattern.name == "userlist":
            return _USERLIST_HASH.match(value) is None and not is_placeholder(value)
        if pattern.name in ("name_arg", "header_directive"):
            return self._header_value_ok(value, match, pattern.name)
        if pattern.name == "p_flag" and value.isdigit() and len(value) <= 5:
            return False  # `ssh login ... -p 2222` is a port
        if pattern.name == "cli_password":
            return self._cli_value_ok(value, match)
        if pattern.name == "tf_variable" and (
            _CODE_VALUE.fullmatch(value) or _WORD_PATH.fullmatch(value) or value.lower() in _TYPE_WORDS
        ):
            return False  # `default = "prod/db/password"`: a path to the secret, not the secret
        if pattern.name == "call_password":  # a literal, not a message (`login("Welcome", "Sign in")`)
            if value.lower() in _ANONYMOUS:
                return False  # anonymous FTP's customary password: no secret
            return (
                len(value) >= 4
                and (" " not in value or credential_like(value.replace(" ", "")))
                and value.lower() not in _NOT_PASSWORDS
                and _MESSAGE.search(value) is None
                and not is_placeholder(value)
            )
        if pattern.name in ("sql_identified_by", "sql_set_password", "oracle_connect") and (
            _SNAKE.fullmatch(value) or _SQL_VARIABLE.fullmatch(value)
        ):
            return False  # the manuals' samples (`'auth_string'`), variables (`&pw`, `:pw`)
        return len(value) >= 3 and not is_placeholder(value)

    @staticmethod
    def _cli_value_ok(value: str, match: re.Match[str]) -> bool:
        """A command's password flag: the tool stands where a command starts (not "the zip -P
        option" in prose), and where the flag is ambiguous (`7z -p`, `net user NAME X`) the
        value reads like a password."""
        text, start = match.string, match.start()
        line = text[max(text.rfind("\n", max(0, start - 200), start) + 1, start - 200) : start]
        if _COMMAND_START.search(line) is None or is_placeholder(value):
            return False
        if value.lower() in _TYPE_WORDS or value.startswith(("env:", "file:", "fd:")):
            return False  # `openssl enc -k stdin`, `-k env:PASS`: where the password is read from
        tool = match.group()[:3].lower()
        if tool in ("7z ", "7za", "net"):
            return credential_like(value) or char_classes(value) >= 3
        return True

    def _field_value_ok(self, value: str, match: re.Match[str]) -> bool:
        # Cheap structural checks first: an adversarial text can hold a candidate every few bytes.
        text, start = match.string, match.start()
        key = match.group("key").lower()
        machine = _is_machine(key)
        operator = match.group("sep") or ""
        # A secret key set to a literal in code is the secret whatever it reads like
        # (`SECRET_KEY = 'dragon'`, `app.secret_key = "sunshine"`): shorter and plainer than a token.
        coded = match.group("q") is not None and "secret" in key and ("=" in operator or ":" in operator)
        if len(value) < (8 if machine and not coded else 4):
            return False  # `token: 5`, `pw=?`
        if operator.strip().startswith("==") and match.group("q") is None:
            return False  # `if user.password == hashed:`: a comparison with a variable
        if _in_reference(text, match.start("key")):
            return False  # `-e PW=$POSTGRES_PASSWORD postgres:16`: a variable's name, then an argument
        before = lowered(text[max(0, start - 40) : start])
        quoted = match.group("q") is not None
        if quoted and value[:1] in _CODE_PUNCTUATION and _CODE_AFTER.search(value):
            return False  # `t("pw", "Password:"); put(`: a literal's closing quote, then code
        if not self._literal_value(value, match, quoted):
            return False
        # How the value is attached decides how much it must look like a credential.
        must_look_like_one = machine or match.group("prose") is not None
        if match.group("xml") is not None:
            if not _XML_OPEN.search(before):
                return False
        elif match.group("space") is not None:
            line = before[before.rfind("\n") + 1 :]
            if _FLAG_BEFORE.search(before):  # --password hunter2, --client-secret, --apikey ...
                must_look_like_one = must_look_like_one or not quoted
            elif key == "password" and _NETRC_LOGIN.search(line):  # machine h login u password p
                pass
            elif (
                not machine
                and not quoted
                and _USER_BEFORE.search(line)
                and credential_like(value)
                and _CLAUSE_END.match(text, match.end())
                and _TECH_WORD.fullmatch(value) is None
            ):  # fmt: skip
                must_look_like_one = True  # `login: admin password hunter2`: a credential pair that
                # ends its clause ("user alice password reset2024 requested" is a log line)
            elif (
                key == "password"
                and not line.strip()
                and text[match.end() : match.end() + 1] in ("", "\n", "\r")
            ):
                must_look_like_one = True  # `password p` alone on its line (.netrc)
            elif not machine and char_classes(value) >= 3:
                must_look_like_one = True  # `passwd Hunter2Secret!`: a password's own shape
            elif key in ("requirepass", "masterauth"):
                pass  # a Redis config's directive: its argument is the password, whatever it reads like
            elif quoted and _SQL_USER.search(before) and not _SNAKE.fullmatch(value):  # not `'new_password'`
                pass  # `CREATE USER bob PASSWORD 'sunshine'`: the statement's literal, whatever it reads
            elif quoted and (credential_like(value) or _PASSPHRASE.fullmatch(value)):
                must_look_like_one = True  # `password 'bluefalcon77'`, `"blue sky over paris"`
            elif (
                machine and len(value) >= 16 and credential_like(value) and entropy_at_least(value, 3.0)
                and _CAMEL_WORDS.fullmatch(value) is None
            ):  # fmt: skip
                must_look_like_one = True  # "auth token 425fda0516d0ac09...": key material after its name
            else:
                return False  # `password reset`, `token limit`
        elif match.group("arg") is not None and (
            (call := _ARG_CALL.search(text, max(0, start - 80), start)) is None
            or (call.group().startswith("add_argument") and "default" not in match.group("arg"))
        ):
            return False  # `t("password", "Contraseña")`; argparse's second argument is a flag or help
        elif (
            match.group("nl") is not None
            or match.group("arg") is not None
            or match.group("cell") is not None
            or match.group("fallback") is not None
        ):
            # `Password:\nhunter2` (the value is its line), `<td>Password</td><td>pw</td>`: the
            # value must read like a password. A quoted literal set under a secret's name
            # (`define('DB_PASSWORD', 'correcthorsebattery')`) is the value whatever it reads like.
            if match.group("nl") is not None and (
                "=" in (match.group("sep") or "") or _LINE_REST.match(text, match.end()) is None
            ):
                return False  # `PASSWORD=` (empty) then `USER=app`: the next line is no value
            # A quoted literal passed under a secret's name, or as its fallback, is the value.
            must_look_like_one = (
                match.group("arg") is None and match.group("fallback") is None
            ) or not quoted
        elif not quoted and any(c in (match.group("sep") or "").replace(":=", "") for c in ":|-–"):
            must_look_like_one = True  # `Password: Tundra-maple-quartz26` yes; `password: required` no
            sep = match.group("sep") or ""
            if not (":" in sep or "=" in sep) and not (_DIGIT.search(value) and any(map(str.isalpha, value))):
                return False  # after ` | ` or ` - ` (a title, a breadcrumb): letters and digits only
        if is_placeholder(value) or value.startswith("-----BEGIN "):
            return False  # an armoured key is the private-key detector's, whole and with its kind
        if not quoted:
            # Key material may hold `/` (base64): a "path" of 20+ random characters whose
            # longest segment is 16+ random ones is a key (`AWS_SECRET_ACCESS_KEY=/78r4KNw...`,
            # `/rQUJz5imHRcTH1PW1ic0DN0UA/ST9jRh...`); `/etc/ssl/x.key` or
            # `/Users/JohnSmith/Documents/report2024` is a path.
            if _CODE_VALUE.fullmatch(value) and not (len(value) >= 20 and _slashed_key(value)):
                return False
            if value.replace("_", "").isalpha() and _SECRET_WORD.search(value):
                return False
        elif " " in value and _MESSAGE.search(value):
            return False
        if machine:
            # Tokens and keys are machine-made: long and mixed (`tokens: 842` is a count).
            return not value.isdigit() and (
                credential_like(value) or len(value) >= 16 or (coded and len(value) >= 4 and " " not in value)
            )
        if " " in value and (value.split(" ", 1)[0].lower() in _NOT_A_PHRASE or _MESSAGE.search(value)):
            return False  # `passphrase: see the vault entry`
        if not must_look_like_one or credential_like(value) or _PASSPHRASE.fullmatch(value):
            return True
        # `Passwort: geheim` alone on its line, `passcode: 4821`: under a password name a plain
        # word or a number is the password (but `Password: required.` is a message, above). Not
        # after ` | ` or ` - `: "Reset Password - Acme", "Login | Password | Register" are titles.
        sep = match.group("sep") or ""
        if not (":" in sep or "=" in sep) and any(c in sep for c in "|-–"):
            return False
        return (
            (key in _WORD_PASSWORD_NAMES or _code_name(text, start, len(value)))
            and match.group("prose") is None
            # any script: `geheim`, `4821`, `사랑해요123`; or a short one in three classes (`P@ss`)
            and (value.isalnum() or char_classes(value) >= 3)
            and text[match.end() : match.end() + 1] in _LINE_END
            and value.lower() not in _NOT_PASSWORDS
            and _MESSAGE.search(value) is None
        )

    @staticmethod
    def _literal_value(value: str, match: re.Match[str], quoted: bool) -> bool:
        r"""Not a type, a state, a pattern, a flag or an expression where a value would stand:
        `dbPassword: Boolean`, `password = r'^\S+$'`, `password -AsPlainText`, `valueFrom:`,
        `b'\x00' * 16`, "is now Okta-managed", `map.put("password", ...)` on a map of rules."""
        text, end = match.string, match.end()
        low = value.lower()
        if low in _TYPE_WORDS or (match.group("prose") is not None and _DESCRIPTOR.fullmatch(value)):
            return False
        anchored = value.startswith("^") and value.endswith("$") and any(c in value for c in "\\[(*+")
        if anchored or _REGEX_PART.search(value):
            return False  # a regular expression (`r'[A-Za-z0-9]{8,}'`, `r'^\\S+$'`), not a literal
        if _WINDOWS_PATH.fullmatch(value):
            return False  # `r'C:\\Users\\Public'`, `b'\\x00\\x00'`: a path, a buffer of escapes
        if _REPEATED.match(text, end + (1 if quoted else 0)):
            return False  # `b'\x00' * 16`: a filler repeated, not a literal password
        mapping_key = value.endswith(":") and match.group("nl") is not None
        if not quoted and (mapping_key or _CMDLET.fullmatch(value)):
            return False  # a YAML mapping's key, a PowerShell cmdlet
        space = match.group("space") is not None
        caption = quoted and " " in value and (value.istitle() or _CAPTION_WORD.search(value) is not None)
        if space and (_FLAG_VALUE.fullmatch(value) or caption):
            return False  # `$password -AsPlainText`, `password 'Confirm Password'`, `'Cafe Wifi'`
        if space and quoted and _UI_WORD.fullmatch(value):
            return False  # `the password 'Forgot?' link`
        sep = match.group("sep") or ""
        if (
            sep.startswith("(")
            and _MORE_ARGS.match(text, end + (1 if quoted else 0))
            and text[max(0, match.start() - 12) : match.start()].lower().endswith("keyring.set_")
        ):
            return False  # `keyring.set_password('svc', user, pw)`: the service comes first
        if match.group("arg") is not None:
            receiver = _RECEIVER.search(text, max(0, match.start() - 80), match.start())
            if receiver is not None and _last_word(receiver.group(1)) in _NOT_SECRET_STORES:
                return False  # `rules.add("password", "required|min:8")`, `labels.put(...)`
        return True

    @staticmethod
    def _header_value_ok(value: str, match: re.Match[str], pattern: str) -> bool:
        """A header's or a field's value set by a call or a server directive: the name is a
        secret's (the call's first argument is quoted whole, `"X-API-KEY"`), the value a literal
        that reads like one (a password mixes classes; a key or token looks random)."""
        text, start = match.string, match.start()
        name = match.group("name")
        if pattern == "name_arg":
            head = _ARG_NAME_BEFORE.search(text, max(0, start - 32), start)
            prefix = "" if head is None else head.group(1)
            glued = prefix[-1:].isalnum() and not (prefix[-1].islower() and name[0].isupper())  # not `apiKey`
            if head is None or (glued and not prefix.lower().endswith(_KEY_OWNER_WORDS)):
                return False  # `"monkey", "x"`: the secret word must start a word of the name
            if name[:3].lower() == "key" and not prefix.lower().rstrip("_-").endswith(_KEY_OWNER_WORDS):
                return False  # a key needs its owner: `X-API-KEY`, not `Idempotency-Key`, `sort_key`
            if _NOT_SECRET_PREFIX.search(prefix):
                return False  # `X-Request-Token`, `next_page_token`: an id, not a credential
            name = prefix + name
        if pattern == "header_directive" and _SECRET_HEADER.search(name) is None:
            return False  # `X-Frame-Options`, `X-Token-Expiry`: the name must end in a secret's word
        if is_placeholder(value) or _CODE_VALUE.fullmatch(value) or "%{" in value or "${" in value:
            return False  # Apache's `expr=%{HTTP:Authorization}`, a shell or Helm template
        if "pass" in name.lower():
            # A call's "password" argument is a form label, a rule or a test's literal as often
            # (`t("password", "Contraseña")`, `rules.add("password", "required|min:8")`,
            # `assertEquals("password", "PasswordField1")`): only a mixed ASCII value counts.
            return (
                value.isascii()
                and char_classes(value) >= 3
                and "|" not in value
                and _CAMEL_WORDS.fullmatch(value) is None
                # a digit or a symbol inside: `Password:` is a label
                and (_DIGIT.search(value) is not None or _INNER_SYMBOL.search(value) is not None)
            )
        return looks_random(value, min_len=12)

    @staticmethod
    def _named_value_ok(value: str, match: re.Match[str]) -> bool:
        """A `value` field right after a `name` field that names a secret, holding a literal."""
        text, start = match.string, match.start()
        for prefix in ("parameter", "parameter_"):  # `"ParameterKey": ..., "ParameterValue"`
            if text[start - len(prefix) : start].lower() == prefix:
                start -= len(prefix)
                break
        named = _PAIR_NAME.search(text, max(0, start - 160), start)
        if named is None or is_placeholder(value) or len(value) < 4:
            return False
        if match.group("q") is None and _CODE_VALUE.fullmatch(value):
            return False  # `value: secretKeyRef`, `value: $(DB_PASSWORD)`
        if _is_machine_name(named.group("name")):
            return credential_like(value) or len(value) >= 16
        return True

    def kind_of(self, value: str, match: re.Match[str], pattern: SecretPattern) -> str:
        if pattern.name == "field" and _is_machine(match.group("key").lower()):
            return "API_KEY"
        if pattern.name == "cli_password" and "aws_secret_access_key" in match.group():
            return "API_KEY"
        if pattern.name in ("name_arg", "header_directive"):
            return "PASSWORD" if "pass" in match.group("name").lower() else "API_KEY"
        if pattern.name == "name_value":
            named = _PAIR_NAME.search(match.string, max(0, match.start() - 160), match.start())
            if named is not None and _is_machine_name(named.group("name")):
                return "API_KEY"
        return pattern.kind or self.KIND
