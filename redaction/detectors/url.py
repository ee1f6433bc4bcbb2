"""URLs that identify a person or a customer, as one ``URL`` span (tier 2).

Candidates are ``http``/``https``/``ftp``/``ws`` URLs (``scheme://host...``), ``www.host/...``,
and scheme-less ``host.tld/path`` whose host ends in an ICANN public suffix
(``linkedin.com/in/jane-doe-42``). A bare domain (``acme.com``, ``www.acme.com``) is never a
span: without a path, query or fragment it names a company, not a person.

A candidate is tokenized, whole (scheme to last character), when its host is not allowed
(see below) and any of these holds:

1. Social and profile hosts (``linkedin.com``, ``facebook.com``, ``x.com``, ``twitter.com``,
   ``instagram.com``, ``tiktok.com``, ``t.me``, ``wa.me``, ``calendly.com``, ...) and share or
   meeting hosts (``docs.google.com``, ``drive.google.com``, ``dropbox.com``, ``zoom.us``,
   ``teams.microsoft.com``, ``*.sharepoint.com``, ``notion.so``, ...) with any path.
2. A personal subdomain of a hosting service: ``jane.github.io``, ``jane.substack.com``,
   ``jane.wordpress.com``, ``jane.blogspot.com``, ``jane.medium.com`` (path or not).
3. ``github.com``/``gitlab.com``/``bitbucket.org`` with one path segment (a user's profile,
   ``github.com/janedoe``) or a gist; ``github.com/<org>/<repo>/...`` is a repository and
   is judged by its query only.
4. A path segment after a person or record collection (``/users/8812``, ``/customers/...``,
   ``/profile/...``, ``/in/...``, ``/patients/...``, ``/orders/...``), a segment holding
   ``@`` (``/@janedoe``), or an opaque id in the path: a UUID, 5+ digits in a row, or a
   12+ character run of letters mixed with 2+ digits (share keys).
5. A query or fragment parameter with a value whose key names a person, an account or a
   credential (``id``, ``*_id``, ``user``, ``email``, ``name``, ``customer``, ``account``,
   ``phone``, ``token``, ``session``, ``key`` ...), or whose value is an e-mail, an opaque id
   (as in 4) or 5+ digits. ``?page=2``, ``?utm_source=news``, ``?lang=en``, ``?q=python`` are
   not identifying.

Not tokenized: allowed public documentation (built-in ``ALLOWED_HOSTS``: ``docs.python.org``,
``developer.mozilla.org``, ``*.wikipedia.org``, ``pypi.org``, ``docs.anthropic.com``,
``www.rfc-editor.org``, ``schema.org``, ``www.w3.org``, ``stackoverflow.com``, ... ; an
entry matches the host and its subdomains, and an entry with a path, ``host/prefix``, only
paths under that prefix), operators extend it with ``UrlDetector(allow_hosts=...)``; URLs
whose path is a plain article or page (``acme.com/blog/2024/05/launch``,
``example.com/pricing``); a personal domain such as ``janedoe.com`` (indistinguishable from
``acme.com``: only its path or query can make it identifying); other schemes (``mailto:``
is the e-mail detector's, ``postgres://`` a connection string).

The span never takes trailing sentence punctuation (``.``, ``,``, ``;``, ``:``, ``!``, ``?``),
an unbalanced ``)`` or ``]``, quotes, ``>`` or CJK punctuation. With userinfo
(``https://bot:pw@host/...``) the span starts after the ``@``: the password is the URL
credentials detector's (tier 1), and the e-mail detector may still find an address inside
the query (the engine merges overlapping spans; the longer URL wins).

Speed: candidates come from C-speed literal searches (``://``, ``www.``) and one regex that
starts with a literal dot (``.tld/``); everything else runs only at those hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from .._spans import Span
from .email import _is_public_domain

__all__ = ["ALLOWED_HOSTS", "UrlDetector"]

# Public documentation and reference sites: links to them identify nobody. Data, not code:
# operators add their own through `UrlDetector(allow_hosts=...)`.
ALLOWED_HOSTS: tuple[str, ...] = (
    "docs.python.org", "peps.python.org", "python.org", "developer.mozilla.org", "wikipedia.org",
    "wikimedia.org", "wiktionary.org", "pypi.org", "docs.anthropic.com", "docs.claude.com",
    "rfc-editor.org", "datatracker.ietf.org", "ietf.org", "schema.org", "w3.org", "whatwg.org",
    "docs.github.com", "learn.microsoft.com", "docs.microsoft.com", "docs.aws.amazon.com",
    "cloud.google.com/docs", "developer.android.com", "developer.apple.com", "docs.oracle.com",
    "readthedocs.io", "readthedocs.org", "docs.rs", "crates.io", "npmjs.com/package", "pkg.go.dev",
    "go.dev", "golang.org", "kubernetes.io", "docs.docker.com", "nodejs.org", "cppreference.com",
    "man7.org", "stackoverflow.com", "stackexchange.com", "superuser.com", "serverfault.com",
    "semver.org", "json-schema.org", "owasp.org", "nvd.nist.gov", "cve.mitre.org", "opensource.org",
    "spdx.org", "apache.org", "postgresql.org", "sqlite.org", "rust-lang.org", "typescriptlang.org",
    "fastapi.tiangolo.com", "numpy.org", "pandas.pydata.org", "scikit-learn.org", "pytorch.org",
)  # fmt: skip

_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "sftp", "ws", "wss"})
# Hosts whose every path names a person, a profile or a private document / meeting.
_PATH_HOSTS = frozenset({
    "linkedin.com", "facebook.com", "fb.com", "m.facebook.com", "twitter.com", "x.com",
    "instagram.com", "tiktok.com", "threads.net", "youtube.com/@", "t.me", "wa.me", "m.me",
    "calendly.com", "cal.com", "about.me", "linktr.ee", "keybase.io", "mastodon.social",
    "docs.google.com", "drive.google.com", "meet.google.com", "forms.gle", "photos.app.goo.gl",
    "zoom.us", "teams.microsoft.com", "teams.live.com", "dropbox.com", "dl.dropboxusercontent.com",
    "1drv.ms", "onedrive.live.com", "sharepoint.com", "box.com", "wetransfer.com", "we.tl",
    "notion.so", "notion.site", "airtable.com", "figma.com", "loom.com", "docsend.com",
    "slack.com", "trello.com", "miro.com", "webex.com", "whereby.com", "icloud.com",
})  # fmt: skip
# Hosting services whose subdomain is a person's (or a customer's) own site.
_PERSONAL_SUFFIXES: tuple[str, ...] = (
    ".github.io", ".gitlab.io", ".substack.com", ".wordpress.com", ".blogspot.com", ".medium.com",
    ".tumblr.com", ".wixsite.com", ".carrd.co", ".neocities.org",
)  # fmt: skip
_CODE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
# First segments of a code host that are site pages, not user names.
_CODE_PAGES = frozenset({
    "about", "features", "pricing", "enterprise", "topics", "trending", "explore", "marketplace",
    "login", "join", "signup", "settings", "notifications", "search", "security", "readme", "site",
    "collections", "events", "sponsors", "customer-stories", "team", "solutions", "resources",
    "orgs", "organizations", "issues", "pulls", "new", "contact", "dashboard", "help", "docs",
})  # fmt: skip
# A path segment after one of these names a person or one of their records.
_COLLECTIONS = frozenset({
    "users", "user", "u", "customers", "customer", "clients", "client", "accounts", "account",
    "profile", "profiles", "people", "person", "persons", "members", "member", "patients",
    "patient", "employees", "employee", "staff", "contacts", "contact", "in", "pub", "candidates",
    "candidate", "applicants", "applicant", "students", "student", "leads", "lead", "tenants",
    "subscribers", "subscriber", "orders", "order", "invoices", "invoice", "tickets", "ticket",
    "cases", "case", "claims", "claim", "bookings", "booking", "reservations", "records", "record",
    "guests", "guest", "buyers", "sellers", "donors", "donor", "residents", "owners",
})  # fmt: skip
# Query / fragment keys whose value names a person, an account or a credential.
_KEYS = frozenset({
    "id", "uid", "uuid", "guid", "cid", "pid", "sid", "userid", "user", "username", "usr", "login",
    "email", "mail", "e-mail", "emailaddress", "name", "fullname", "firstname", "lastname", "fname",
    "lname", "customer", "client", "account", "acct", "member", "patient", "person", "contact",
    "phone", "tel", "mobile", "msisdn", "token", "access_token", "id_token", "refresh_token",
    "auth", "key", "apikey", "api_key", "session", "sessionid", "session_id", "code", "ssn", "dob",
    "address", "zip", "invite", "recipient", "to", "from", "handle", "profile", "employee",
})  # fmt: skip
_KEY_ID_PREFIXES = (
    "user", "customer", "account", "client", "member", "patient", "session", "contact", "person",
    "employee", "order", "invoice", "ticket", "subscriber", "lead", "tenant", "guest",
)  # fmt: skip

# Where a URL stops: white space, quotes, angle brackets, and CJK punctuation.
_BODY = re.compile(r"[^\s<>\"'`{}|\\^\[\]。，、；：！？「」『』【】（）《》〈〉]*+")
_SCHEME_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,9}\Z")
_HOST = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}+\.)++[A-Za-z][A-Za-z0-9-]{0,62}+")
_HOST_IP = re.compile(r"\[[0-9A-Fa-f:.]{2,45}\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_PORT = re.compile(r":[0-9]{1,5}(?![0-9])")
_USERINFO = re.compile(r"[^\s/?#@\[\]\"'<>`]{1,256}@")
# Scheme-less candidates: a dot, a top-level label and a slash (`acme.com/`).
_TLD_SLASH = re.compile(r"\.[A-Za-z]{2,24}/")
# A host's characters, matched on the reversed text before a TLD's dot: the run ending there,
# at most 253 characters (one `match`; a search ending at `\Z` would retry every start).
_HOST_BACKWARDS = re.compile(r"[A-Za-z0-9.-]{1,253}")
_HOST_MAX = 253
# Country TLDs that are also file extensions: `setup.py/`, `run.sh/` are paths, not hosts.
_FILE_TLDS = frozenset({"py", "sh", "rs", "pl", "md", "ps", "so", "mk", "cc", "cs", "ml", "rb", "js", "ts"})
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGITS5 = re.compile(r"[0-9]{5}")
_OPAQUE = re.compile(r"[A-Za-z0-9_-]{12,}")
_TRAILING = ".,;:!?*~'\""


def _host_rule(entry: str) -> tuple[str, str]:
    host, _, path = entry.strip().lower().partition("/")
    return host.removeprefix("www."), "/" + path if path else ""


_Rules = dict[str, tuple[str, ...]]


def _rules(entries: Iterable[str]) -> _Rules:
    """Host -> the path prefixes allowed under it (``""``: every path)."""
    rules: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        if entry.strip():
            host, prefix = _host_rule(entry)
            rules[host] = (*rules.get(host, ()), prefix)
    return rules


def _matches(host: str, path: str, rules: _Rules) -> bool:
    """Whether ``host`` or a parent domain of it has a rule whose prefix starts ``path``."""
    path = path.lower()
    at = 0
    while at != -1:
        prefixes = rules.get(host[at:] if at == 0 else host[at + 1 :])
        if prefixes is not None and path.startswith(prefixes):
            return True
        at = host.find(".", at + 1)
    return False


_PATH_RULES = _rules(_PATH_HOSTS)


def _opaque(value: str) -> bool:
    """A UUID, 5+ digits, or 12+ letters and digits mixed (at least 2 digits, 2 letters)."""
    if _UUID.search(value) or _DIGITS5.search(value):
        return True
    for run in _OPAQUE.findall(value):
        digits = sum(c.isdigit() for c in run)
        if digits >= 2 and sum(c.isalpha() for c in run) >= 2:
            return True
    return False


def _identifying_key(key: str) -> bool:
    k = key.lower().replace("-", "_").replace("[]", "")
    if k in _KEYS or k.removesuffix("_id") in _KEYS:
        return True
    return (
        k.endswith(("_id", "id")) and k.removesuffix("_id").removesuffix("id").strip("_") in _KEY_ID_PREFIXES
    )


def _identifying_params(part: str) -> bool:
    for pair in re.split(r"[&;]", part):
        key, eq, value = pair.partition("=")
        if not eq or not value:
            continue
        if _identifying_key(key) or "@" in value or "%40" in value or _opaque(value):
            return True
    return False


_MAX_NESTED = 8  # URLs looked for inside one URL (`?next=https://...`): more is not a redirect


class _Nesting:
    """Bounds the URLs read inside one URL: each reads to the outer URL's end, so a text of
    URLs glued together (`https://x.io/a?id=1&https://x.io/...`) would cost quadratic time."""

    __slots__ = ("end", "nested")

    def __init__(self) -> None:
        self.end, self.nested = -1, 0

    def skip(self, at: int) -> bool:
        """The candidate at ``at`` lies inside the outer URL, past the ones worth reading."""
        if at >= self.end:
            return False
        self.nested += 1
        return self.nested > _MAX_NESTED

    def add(self, found: tuple[int, int]) -> None:
        if found[0] >= self.end:
            self.end, self.nested = found[1], 0


class UrlDetector:
    """``URL`` spans labelled ``url``: URLs whose host, path, query or fragment identify someone.

    ``allow_hosts`` adds entries to the built-in `ALLOWED_HOSTS` (``"wiki.acme.com"`` or
    ``"github.com/acme"``); ``builtin_allow=False`` drops the built-in list.
    """

    name = "url"
    KIND: ClassVar[str] = "URL"
    SCORE: ClassVar[float] = 0.85

    def __init__(self, allow_hosts: Iterable[str] = (), *, builtin_allow: bool = True) -> None:
        entries = [*(ALLOWED_HOSTS if builtin_allow else ()), *allow_hosts]
        self._allow = _rules(entries)

    def detect(self, text: str) -> Iterator[Span]:
        candidates: list[tuple[int, int]] = []
        if "://" in text:
            at = text.find("://")
            outer = _Nesting()
            while at != -1:
                if outer.skip(at):
                    at = text.find("://", outer.end)
                    continue
                found = self._with_scheme(text, at)
                if found is not None:
                    candidates.append(found)
                    outer.add(found)
                at = text.find("://", at + 3)
        if "www." in text or "/" in text:
            candidates.extend(self._without_scheme(text))
        if not candidates:
            return
        candidates.sort()
        covered = -1
        source = f"rules:{self.name}"
        for start, end in candidates:
            if start < covered:
                continue
            if self._identifies(text, start, end):
                covered = end
                yield Span(start, end, self.KIND, source, self.SCORE, "url")

    def _with_scheme(self, text: str, at: int) -> tuple[int, int] | None:
        scheme = _SCHEME_BEFORE.search(text, max(0, at - 10), at)
        if scheme is None or scheme.group().lower() not in _SCHEMES:
            return None
        start = scheme.start()
        before = text[start - 1 : start]
        if before and ((before.isascii() and before.isalnum()) or before in "+.-"):
            return None  # `xhttps://`; a CJK letter before the scheme is fine (no spaces in CJK)
        host_start = at + 3
        userinfo = _USERINFO.match(text, host_start)
        if userinfo is not None:
            host_start = start = userinfo.end()  # the password is the URL-credentials detector's
        return self._body(text, start, host_start)

    def _without_scheme(self, text: str) -> Iterator[tuple[int, int]]:
        starts: set[int] = set()
        at = text.find("www.")
        while at != -1:
            if not at or not (text[at - 1].isalnum() or text[at - 1] in "./@:-_"):
                starts.add(at)
            at = text.find("www.", at + 4)
        for hit in _TLD_SLASH.finditer(text):
            if hit.group()[1:-1].lower() in _FILE_TLDS:
                continue
            dot = hit.start()  # a host character itself: the run is never empty
            first = dot - _HOST_MAX
            back = text[dot:first:-1] if first >= 0 else text[dot::-1]
            run = _HOST_BACKWARDS.match(back)
            if run is None:
                continue
            start = dot + 1 - run.end()
            while start < hit.start() and not text[start].isalnum():
                start += 1
            if start and (text[start - 1].isalnum() or text[start - 1] in "/@:_\\"):
                continue  # inside a URL (handled above), an e-mail or a file path
            starts.add(start)
        outer = _Nesting()
        for start in sorted(starts):
            if outer.skip(start):
                continue
            found = self._body(text, start, start)
            if found is not None:
                outer.add(found)
                yield found

    @staticmethod
    def _body(text: str, start: int, host_start: int) -> tuple[int, int] | None:
        host = _HOST.match(text, host_start) or _HOST_IP.match(text, host_start)
        if host is None:
            return None
        end = host.end()
        port = _PORT.match(text, end)
        if port is not None:
            end = port.end()
        if text[end : end + 1] not in ("/", "?", "#"):
            # No path, query or fragment: a bare host names no one (personal hosts aside).
            return (start, end) if host.group().lower().endswith(_PERSONAL_SUFFIXES) else None
        end = _BODY.match(text, end).end()  # type: ignore[union-attr]  # `*+` always matches
        while end > host.end():
            last = text[end - 1]
            unbalanced = last == ")" and text.count("(", start, end) < text.count(")", start, end)
            if last in _TRAILING or unbalanced:
                end -= 1
            else:
                break
        return start, end

    def _identifies(self, text: str, start: int, end: int) -> bool:
        rest = text[start:end]
        scheme = rest.find("://")
        if scheme != -1:
            rest = rest[scheme + 3 :]
        cut = min((i for i in map(rest.find, "/?#") if i != -1), default=len(rest))
        authority, tail = rest[:cut], rest[cut:]
        host = authority.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
        if not (host.startswith("[") or _HOST_IP.fullmatch(host) or _is_public_domain(host)):
            return False  # `setup.cfg/x`, `localhost`, `a.b` without a public suffix
        host = host.removeprefix("www.")
        path, _, fragment = tail.partition("#")
        path, _, query = path.partition("?")
        if _matches(host, path, self._allow):
            return False
        segments = [s for s in path.split("/") if s]
        if host.endswith(_PERSONAL_SUFFIXES):
            return True
        if _matches(host, path, _PATH_RULES):
            return bool(segments)
        if query and _identifying_params(query):
            return True
        if fragment and "=" in fragment and _identifying_params(fragment):
            return True
        if host in _CODE_HOSTS or host == "gist.github.com":
            if host == "gist.github.com":
                return bool(segments)
            return len(segments) == 1 and segments[0].lower() not in _CODE_PAGES
        for i, segment in enumerate(segments):
            if segment[:1] in "{:<$":
                continue  # a template (`/users/{id}`, `/users/:id`)
            if "@" in segment or "%40" in segment:
                return True
            if i and segments[i - 1].lower() in _COLLECTIONS:
                return True
            if _opaque(segment):
                return True
        return False
