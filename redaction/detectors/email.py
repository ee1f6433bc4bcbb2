"""E-mail addresses: prose, `<...>`, `mailto:`, HTML-escaped, quoted, URL-encoded (`%40`),
with the at-sign written as an HTML character reference (`&#64;`, `&#x40;`).

A candidate is an e-mail only if its domain ends in an ICANN public suffix and has a name
before it, so `icon@2x.png`, `user@localhost`, `x@host.local`, `@decorator` and `pkg@1.2.3`
stay as they are. The list is the snapshot tldextract ships, read once from its package
data: never fetched, nothing written. tldextract itself is not imported, because importing
it loads `requests`, and the engine loads no network module. A domain wrapped over two
lines (`j.doe@acme.\\ncom`, `j.doe@\\nacme.com`) is joined when only the joined form is a
real domain. The `secret@host` of `scheme://user:secret@host` is left to the URL-credentials
detector (tier 1).

The scan looks for the at-sign spellings only (C-speed literal searches), then reads the
local part backwards and the domain forwards from there with anchored, possessive, bounded
patterns: linear on adversarial input such as 100 KB of `a@` or `a.a.a.`.
"""

from __future__ import annotations

import contextlib

# The IDNA codec and its punycode helper are imported lazily by the codec machinery; importing
# them here keeps a scrub from loading modules (the engine does no I/O while it works).
import encodings.idna
import encodings.punycode  # noqa: F401
import importlib.util
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import ClassVar, NamedTuple

from .._spans import Span
from ._base import Pattern, PatternDetector

__all__ = ["EmailDetector"]

# Local part: dot-separated atoms of the characters people actually use (RFC 5322 allows
# more, but `=`, `/`, `'` at the edges would swallow `email=` or a quote around the address).
# Latin-1 and Latin Extended letters cover internationalized local parts (`jürgen@`).
# The shape reads the same backwards, so the same regex matches the reversed local part.
_ATOM = r"[A-Za-z0-9_+\-\u00c0-\u024f]{1,64}+"
_LOCAL = rf"{_ATOM}(?:'{_ATOM})?+(?:\.{_ATOM}(?:'{_ATOM})?+){{0,15}}+"
_LOCAL_MAX = 64
# Domain labels; one line break is tolerated after `@` or after a dot (wrapped text).
_LABEL = r"[A-Za-z0-9][A-Za-z0-9\-]{0,62}+"
_DOMAIN = rf"\n?{_LABEL}(?:\.\n?{_LABEL}){{1,8}}+(?![A-Za-z0-9\-])"


class _SuffixRules(NamedTuple):
    plain: frozenset[str]  # `com`, `co.uk`
    wildcard: frozenset[str]  # `ck` for the rule `*.ck`
    exception: frozenset[str]  # `www.ck` for the rule `!www.ck`


@cache
def _suffix_rules() -> _SuffixRules:
    """The ICANN section of the public suffix list bundled with tldextract, IDNA-encoded too."""
    spec = importlib.util.find_spec("tldextract")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("tldextract (the bundled public suffix list) is not installed")
    snapshot = Path(next(iter(spec.submodule_search_locations))) / ".tld_set_snapshot"
    icann = snapshot.read_text(encoding="utf-8").partition("// ===BEGIN PRIVATE DOMAINS===")[0]
    plain: set[str] = set()
    wildcard: set[str] = set()
    exception: set[str] = set()
    for line in icann.splitlines():
        rule = line.strip().lower()
        if not rule or rule.startswith("//"):
            continue
        kind = exception if rule[0] == "!" else wildcard if rule.startswith("*.") else plain
        body = rule[1:] if rule[0] == "!" else rule.removeprefix("*.")
        kind.add(body)
        if not body.isascii():  # text carries IDN domains in their ASCII form (`xn--p1ai`)
            with contextlib.suppress(UnicodeError):  # a rule IDNA 2003 cannot encode
                kind.add(body.encode("idna").decode("ascii"))
    return _SuffixRules(frozenset(plain), frozenset(wildcard), frozenset(exception))


@lru_cache(maxsize=4096)
def _is_public_domain(domain: str) -> bool:
    """``domain`` (lowercase, no line breaks) ends in a public suffix and has a name before it."""
    labels = domain.split(".")
    if any(not label or label.startswith("-") or label.endswith("-") for label in labels):
        return False
    tld = labels[-1]
    if not (tld.isalpha() or tld.startswith("xn--")):
        return False
    rules = _suffix_rules()
    # The longest matching rule decides (public suffix list algorithm); scanning from the
    # left finds it first. The suffix must leave at least one label for the name.
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in rules.exception:
            return True  # `!www.ck`: the suffix is `ck`, `www` is the name
        if suffix in rules.plain or ".".join(labels[i + 1 :]) in rules.wildcard:
            return i > 0
    return False


def _in_url_password(text: str, start: int) -> bool:
    """`scheme://user:secret@host`: the `secret@host` is a URL credential, not an e-mail."""
    scheme = text.rfind("://", max(0, start - 256), start)
    if scheme == -1:
        return False
    userinfo = text[scheme + 3 : start]
    return ":" in userinfo and not any(c in userinfo for c in " \t\n/@")


class EmailDetector(PatternDetector):
    name = "email"
    KIND = "EMAIL"
    HINTS = ("@", "%40", "&#64;", "&#x40;")
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        # Documents the whole shape; `detect` runs it in two anchored halves around the `@`.
        Pattern(
            "email",
            re.compile(
                rf"(?<![A-Za-z0-9_+\-\u00c0-\u024f])(?P<local>{_LOCAL})(?:@|%40|&\#64;|&\#x40;)"
                rf"(?P<domain>{_DOMAIN})"
            ),
            score=0.95,
        ),
    )
    _LOCAL_BACKWARDS: ClassVar[re.Pattern[str]] = re.compile(_LOCAL)
    _DOMAIN_FORWARDS: ClassVar[re.Pattern[str]] = re.compile(_DOMAIN)
    _LOCAL_CHAR: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9_+\-\u00c0-\u024f]")

    def detect(self, text: str) -> Iterator[Span]:
        # `str.find` per spelling (C speed); the spellings cannot overlap one another.
        at_signs: list[tuple[int, int]] = []
        for hint in self.HINTS:
            at = text.find(hint)
            while at != -1:
                at_signs.append((at, at + len(hint)))
                at = text.find(hint, at + len(hint))
        if not at_signs:
            return
        at_signs.sort()
        pattern = self.PATTERNS[0]
        for at, after in at_signs:
            found = self._address(text, at, after)
            if found is not None:
                start, end = found
                yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        return self._address(match.string, match.end("local"), match.start("domain")) is not None

    def _address(self, text: str, at: int, after: int) -> tuple[int, int] | None:
        """The span of the address whose at-sign is ``text[at:after]``, or None."""
        # Local part, read backwards; one character more than allowed tells "too long" apart.
        reversed_window = text[max(0, at - _LOCAL_MAX - 1) : at][::-1]
        local = self._LOCAL_BACKWARDS.match(reversed_window)
        if local is None or local.end() > _LOCAL_MAX:
            return None
        start = at - local.end()
        if start > 0 and self._LOCAL_CHAR.match(text, start - 1):
            return None  # the run goes on past the limit
        while text[start] in "-+" and start < at - 1:
            start += 1  # `-jane@x.com` in a list: the dash is a bullet, not part of the address
        if text[start] in "-+" or _in_url_password(text, start):
            return None
        domain = self._DOMAIN_FORWARDS.match(text, after)
        if domain is None:
            return None
        end = self._domain_end(text, after, domain.end())
        return None if end is None else (start, end)

    @staticmethod
    def _domain_end(text: str, start: int, end: int) -> int | None:
        """Where a real domain in ``text[start:end]`` ends, or None.

        A wrapped domain first tries the part before the line break (`acme.com.\\nIn the`
        keeps `acme.com`), then the joined form (`acme.\\ncom`).
        """
        raw = text[start:end]
        if "\n" not in raw:
            return end if _is_public_domain(raw.lower()) else None
        head = raw[: raw.rfind("\n")].rstrip(".")
        if head and "\n" not in head and _is_public_domain(head.lower()):
            return start + len(head)
        return end if _is_public_domain(raw.replace("\n", "").lower()) else None
