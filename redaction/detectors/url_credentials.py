"""Passwords in URL userinfo: `scheme://user:password@host`, and tokens as the whole userinfo.

The password is the span (`https://ci-bot:[REDACTED:URL_CREDENTIALS]@host/...`), so the user
and the host stay readable. Database and broker connection strings (`postgres://`, `redis://`,
`mongodb+srv://`, `amqp://`, JDBC URLs, ...) report their password as ``PASSWORD``; every other
scheme as ``URL_CREDENTIALS``.

The regex starts at the literal `://` (a fast prefix search); the scheme is read backwards from
there. A password may hold a raw `@` (the last `@` before the host ends it) and `/`, but not
`?` or `#` and not start as a port does (`8080/`), so `https://host:443/path?mail=a@b.c` and
`http://host:8080/users/@me` are never read as userinfo.

A token may be the whole userinfo, with no `:` (`https://<azure-devops-pat>@dev.azure.com/...`,
`https://<token>@github.com/o/r.git`): it counts when it reads as key material (20 or more
characters, letters and digits, high entropy, at most one plain word among its `-_.` parts, not
words and a number joined, not repeated in the URL's path), so a user name
(`https://jdoe@bitbucket.org/...`, `first.last.contractor`) or an Azure DevOps organisation
(`https://NorthwindTraders2024@dev.azure.com/NorthwindTraders2024/...`) stays.
"""

from __future__ import annotations

import re
from typing import ClassVar

from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, entropy_at_least, is_placeholder

__all__ = ["UrlCredentialsDetector"]

_PORT_PATH = re.compile(r"[0-9]{1,5}/")
_PARTS = re.compile(r"[-_.]+")
_WORD = re.compile(r"[a-z]{3,}")
_HAS_LETTER, _HAS_DIGIT = re.compile(r"[A-Za-z]"), re.compile(r"[0-9]")
# Capitalized words and a number, joined: an organisation's or a user's name, not a token.
_NAME_WORDS = re.compile(r"(?:[A-Z][a-z]+)+[0-9]*|[a-z]+[0-9]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}\Z")
# Schemes whose URLs are connection strings: their userinfo password is a database password.
_CONNECTION_SCHEMES = frozenset(
    {
        "postgres", "postgresql", "pgsql", "mysql", "mysqlx", "mariadb", "mssql", "sqlserver", "oracle",
        "db2", "redis", "rediss", "mongodb", "amqp", "amqps", "rabbitmq", "kafka", "nats", "clickhouse",
        "cockroachdb", "cockroach", "snowflake", "memcached", "couchbase", "couchdb", "cassandra", "neo4j",
        "bolt", "influxdb", "elasticsearch", "opensearch", "ldap", "ldaps", "mqtt", "mqtts", "tds",
        "vertica", "presto", "trino", "hive",
    }
)  # fmt: skip


class UrlCredentialsDetector(SecretDetector):
    """The password of `scheme://user:password@host`, kind ``URL_CREDENTIALS`` or ``PASSWORD``."""

    name = "url_credentials"
    KIND = "URL_CREDENTIALS"
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        SecretPattern(
            "userinfo",
            re.compile(
                r"://(?P<user>[^\s:/?#@\[\]\"'<>`]{0,128}):"
                r"(?P<v>[^\s/?#\"'<>`]{1,256}(?:/[^\s/?#\"'<>`]{0,256}){0,8})@(?=[A-Za-z0-9\[_-])"
            ),
            group="v",
        ),
        SecretPattern(
            "token_userinfo",
            re.compile(r"://(?P<v>[A-Za-z0-9._~%+-]{20,256})@(?=[A-Za-z0-9\[_-])"),
            group="v",
        ),
    )

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "token_userinfo":
            text, end = match.string, match.end()
            path = text[end : text.find("\n", end) if "\n" in text[end : end + 300] else end + 300]
            return (
                _HAS_LETTER.search(value) is not None
                and _HAS_DIGIT.search(value) is not None
                and sum(_WORD.fullmatch(part) is not None for part in _PARTS.split(value)) <= 1
                and _NAME_WORDS.fullmatch(value) is None  # `NorthwindTraders2024`: an organisation
                and value.lower() not in path.lower()  # `https://org@dev.azure.com/org/...`
                and entropy_at_least(value, 3.8)
                and not is_placeholder(value)
            )
        # `host:8080/path/@me` is a port and a path, not userinfo.
        if "/" in value and _PORT_PATH.match(value):
            return False
        # A password spelled like the field (`user:password@`) or a template is documentation.
        return not is_placeholder(value) and value.lower() != match.group("user").lower()

    def label(self, value: str, match: re.Match[str], pattern: Pattern) -> str:
        found = _SCHEME.search(match.string, max(0, match.start() - 32), match.start())
        # `postgresql+psycopg2://` (SQLAlchemy) is judged by its base scheme; `jdbc:` is not
        # part of what the scheme regex reads.
        scheme = found.group().lower().split("+", 1)[0] if found else ""
        return "connection_string" if scheme in _CONNECTION_SCHEMES else "url"

    def kind_of(self, value: str, match: re.Match[str], pattern: SecretPattern) -> str:
        return "PASSWORD" if self.label(value, match, pattern) == "connection_string" else self.KIND
