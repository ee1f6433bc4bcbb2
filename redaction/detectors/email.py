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

Addresses written to dodge harvesters are found too, the span covering the whole spelling:
`name [at] domain.com`, `name(at)domain(dot)com`, `name{at}domain.com`, `name <at> domain`,
`name [@] domain.com`, `name @ domain.com`, `name [at] domain [dot] com`, `name AT domain DOT
com`, `name at domain dot com` (the dot spelled `dot`, `[dot]`, `(dot)`, `{dot}`, `[.]` or `。`),
`name-at-domain-dot-com` and `name_at_domain_dot_com` (every dot spelled the same way, so the
hyphenated host `stay-at-home.com` stays), the Spanish/Portuguese and French words `name arroba
domain punto com`, `name arobase domain point fr` (also `ponto`, bracketed `(arroba)`), and a
bracketed `(punkt)`/`(punto)`/`(point)` dot after a bracketed at (`max (at) firma (punkt) de`).
Full-width `name＠domain．com` needs nothing of its own: the detection view folds it. The domain
must still end in a public suffix once its dots are restored. The word `at` is everywhere in
prose, so an address around a bare ` at ` needs more:

- the local part is one token that is not a common English word before "at" (`look`, `work`,
  `us`, `me`, `home`, `available`, ...): "I work at Google dot com" and "find us at example dot
  com" stay as they are (a website named in prose is not an address);
- with a real dot in the domain (`name at domain.com`), the local part must look like a mailbox
  (a `.`, `_`, `+`, `-` or digit in it: `jane.doe at acme.com`, `jdoe42 at acme.com`), or the
  `at` is upper case (`jane AT acme.com`), or the domain is a free mail provider (`jane at
  gmail.com`), or it follows a contact cue (`Contact: samuelfoley at miller.com`, `e-mail`,
  `mail`, `write to`, `reach`, `send to`, `address`), or it is a plausible user name on its
  own: 6+ lower-case letters, not an everyday English word (`data/ner_common_words.txt`) nor
  its -s/-ed/-ing form (`developers`, `released`, `hosting`), not the domain's own name (`python
  at python.org`), and not after an everyday lower-case word (`docs for django at ...`, "I met
  samuel at ..."). `jane at acme.com` (too short to tell from "Jane at Acme"), "look at
  example.com", "I work at acme.com", "we met at ExpoWest.com", "the developers at stripe.com"
  stay as they are. `ät` (German) is not read as an at-sign: it is rare and `ät` ends words.

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
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import ClassVar, NamedTuple

from .._spans import Span
from ._base import Pattern, PatternDetector

__all__ = ["EmailDetector"]

# Local part: dot-separated atoms of the characters people actually use (RFC 5322 allows
# more, but `=`, `/`, `'` at the edges would swallow `email=` or a quote around the address).
# Latin-1 and Latin Extended letters cover internationalized local parts (`jürgen@`).
# The shape reads the same backwards, so the same regex matches the reversed local part.
# Latin-1 and Latin Extended letters (`jürgen@münchen.de`), Greek and Cyrillic (`иван@почта.рф`:
# the detection view folds their look-alikes only inside a word mixed with ASCII letters). Not
# CJK or Hangul: written without spaces, they run into the address (`이메일은john@example.com입니다`).
_INTL = "\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_ATOM = rf"[A-Za-z0-9_+\-{_INTL}]{{1,64}}+"
_LOCAL = rf"{_ATOM}(?:'{_ATOM})?+(?:\.{_ATOM}(?:'{_ATOM})?+){{0,15}}+"
_LOCAL_MAX = 64
# Domain labels; one line break is tolerated after `@` or after a dot (wrapped text).
# Internationalized labels as written (`münchen.de`, `société.fr`), not only as `xn--`.
_LABEL = rf"[A-Za-z0-9{_INTL}][A-Za-z0-9\-{_INTL}]{{0,62}}+"
_DOMAIN = rf"\n?{_LABEL}(?:\.\n?{_LABEL}){{1,8}}+(?![A-Za-z0-9\-{_INTL}])"


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


# After a host, the path of an scp/git remote (`host:org/repo.git`, `host:/tmp`, `host:~/x`).
_SCP_AFTER = re.compile(r":(?:[/~]|[\w.-]{1,100}/)")
# The accounts of scp/git remotes (`git@host:org/repo`); a person's `jane@gmail.com:Welcome/2024`
# (a combo list's e-mail and password) stays an address.
_SERVICE_USERS = frozenset(
    ("git", "hg", "svn", "deploy", "ubuntu", "ec2-user", "root", "admin", "centos", "debian", "pi",
     "www-data", "jenkins", "gitlab", "bitbucket", "azureuser", "core", "user")
)  # fmt: skip


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
    # The userinfo holds no `/`, so the scheme's `://` ends at the last `/` before ``start``
    # (a one-character search, faster than looking for `://` itself).
    low = max(0, start - 256)
    slash = text.rfind("/", low, start)
    if slash < low + 2 or text[slash - 2 : slash] != ":/":
        return False
    userinfo = text[slash + 1 : start]
    return ":" in userinfo and not any(c in userinfo for c in " \t\n@")


# At-signs written out. The bracketed ones matched at each opening bracket (one `str.find` per
# bracket character, not one per spelling), the word with `str.find`.
_BRACKETED_AT = re.compile(
    r"[\[({<][ \t]?(?:at|AT|At|@|arroba|ARROBA|Arroba|arobase|AROBASE|Arobase)[ \t]?[\])}>]"
)
_OPENERS = "[({<"  # where a match of `_BRACKETED_AT` starts
# ` at ` is found with `str.find`; ` AT ` by `re`, which skips to the rare capital faster than
# `str.find` does with a needle that holds a space. The leading space is only looked behind
# at, so `x AT AT y` yields both, as `str.find` from the shared space does.
_UPPER_AT = re.compile(r"AT (?<= AT )")
# `name-at-domain-dot-com`, `name_at_domain_dot_com`: the dots must be spelled the same way.
_JOINED_AT = {"-at-": "-dot-", "_at_": "_dot_", "-AT-": "-DOT-", "_AT_": "_DOT_"}
# Whether a text spells a dot at all: `re`'s literal search (it skips to the rare first letter)
# is faster here than `in`.
_DOT_WORD = re.compile("dot")
_DOT_WORD_UPPER = re.compile("DOT")
# The Spanish/Portuguese and French words for the at-sign (lower case: the upper-case forms are
# rare); their dots may be spelled in the same language (`punto`, `ponto`, `point`) or in English.
_FOREIGN_AT = (" arroba ", " arobase ")
_FOREIGN_HINT = re.compile("arr?ob")  # in both words; one literal search for the two
# A dot written out between domain labels: `.`, ` . `, `[dot]`, `(dot)`, `{dot}`, `[.]`, ` dot `,
# ` DOT `, the ideographic full stop. Spaces around a bracketed one are optional.
_DOT = (
    r"(?:\.|。|[ \t]?[\[({<][ \t]?(?:dot|DOT|Dot|\.)[ \t]?[\])}>][ \t]?"
    r"|[ \t](?:dot|DOT|Dot)[ \t]|[ \t]\.[ \t])"
)
_OBFUSCATED_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,62}+(?![A-Za-z0-9\-])")
_OBFUSCATED_DOT = re.compile(_DOT)
_FOREIGN_DOT = re.compile(
    _DOT[:-1] + r"|[ \t](?:punto|PUNTO|ponto|PONTO|point|POINT)[ \t]"
    r"|[ \t]?[\[({<][ \t]?(?:punto|ponto|point|punkt)[ \t]?[\])}>][ \t]?)"
)
# Labels of a `-dot-` / `_dot_` domain: letters and digits, a hyphen only inside a `-at-` one.
_JOINED_LABEL = {
    "-": re.compile(r"[A-Za-z0-9]++(?:-(?!(?:dot|DOT)-)[A-Za-z0-9]++)*+"),
    "_": re.compile(r"[A-Za-z0-9]++(?:-[A-Za-z0-9]++)*+"),
}
_SPACES_BEFORE = re.compile(r"[ \t]{0,2}+\Z")
# `john dot doe at ...`: a written-out dot inside the local part, read backwards from its start.
_LOCAL_DOT_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_+\-])[A-Za-z0-9_+\-]{1,32}+"
    r"(?:[ \t]?[\[({<][ \t]?(?:dot|DOT|Dot)[ \t]?[\])}>][ \t]?|[ \t](?:dot|DOT)[ \t])\Z"
)
# Words that stand before "at" in prose: never taken for a mailbox around a bare ` at `.
_PROSE_WORDS = frozenset(
    [
        "i", "me", "you", "he", "him", "she", "her", "it", "we", "us", "they", "them", "one", "someone",
        "anyone", "everyone", "everybody", "nobody", "who", "this", "that", "these", "those", "here",
        "there", "home", "work", "works", "worked", "working", "job", "office", "school", "online",
        "live", "lives", "lived", "living", "stay", "stays", "stayed", "staying", "meet", "meets",
        "met", "meeting", "look", "looks", "looked", "looking", "see", "saw", "seen", "be", "is", "am",
        "are", "was", "were", "been", "being", "get", "got", "go", "goes", "went", "arrive", "arrived",
        "arrives", "found", "find", "located", "based", "hosted", "available", "published", "posted",
        "listed", "sold", "buy", "bought", "order", "ordered", "shop", "shopping", "sign", "signed",
        "up", "in", "on", "out", "and", "or", "but", "also", "only", "even", "just", "all", "both",
        "now", "then", "today", "tomorrow", "tonight", "later", "please", "email", "mail", "e-mail",
        "write", "contact", "reach", "visit", "apply", "register", "login", "log", "signup", "download",
        "downloads", "info", "information", "details", "more", "site", "website", "page", "docs",
        "documentation", "team", "lunch", "dinner", "breakfast", "coffee", "drinks", "party",
        "the", "a", "an", "dot", "to", "of", "for", "with", "by", "from", "as", "not", "so", "if", "what",
        "where", "when", "how", "why", "well", "right", "back", "again", "once", "least", "most", "first"
    ]
)  # fmt: skip
_FREE_MAIL = frozenset(
    [
        "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "aol", "icloud",
        "me", "mac", "protonmail", "proton", "pm", "gmx", "web", "yandex", "mail", "qq", "163", "126",
        "sina", "naver", "daum", "hanmail", "nate", "orange", "free", "laposte", "wanadoo", "sfr",
        "t-online", "libero", "virgilio", "alice", "tiscali", "comcast", "att", "verizon", "sbcglobal",
        "bellsouth", "cox", "rocketmail", "zoho", "fastmail", "tutanota", "hushmail", "rediffmail",
        "seznam", "wp", "onet", "interia", "mailbox", "posteo", "freenet"
    ]
)  # fmt: skip
_MAILBOX_MARK = re.compile(r"[._+\-0-9]")
# Everyday English words ("developers", "pricing", "support"), a package data file shared with
# the NER precision filter; read once at import: the engine does no I/O while it works. The
# package is named relative to this module, so a vendored copy under another name reads its own.
_COMMON_WORDS = frozenset(
    line.strip()
    for line in resources.files((__package__ or "redaction").rpartition(".")[0] or "redaction")
    .joinpath("data", "ner_common_words.txt")
    .read_text("utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)
# Web and people words the common-words list lacks (it is stripped of names, not of these).
_WEB_WORDS = frozenset(
    ["friends", "folks", "guys", "photos", "pics", "blog", "blogs", "repo", "repos", "shop", "forum",
     "wiki", "faq", "signup", "demo", "app", "apps", "devs", "docs", "events", "tickets", "deals", "sale",
     "sales", "merch", "podcast", "newsletter", "videos", "slides", "jobs", "mirror", "mirrors", "hosting"]
)  # fmt: skip
# A contact cue right before the local part: `Contact: name at acme.com`, `e-mail name at ...`.
_CONTACT_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:contact|e-?mail|mail(?:to)?|courriel|correo|kontakt|write[ \t]+to"
    r"|send[ \t]+(?:it[ \t]+)?to|reach(?:[ \t]+out[ \t]+to)?|addr(?:ess)?)[ \t]*[:=>-]?[ \t]*\Z"
)
_MIN_PLAIN_LOCAL = 6  # without a cue: `jfoley`, `samuelfoley`; not `jane` ("Jane at Acme")


def _find_all(text: str, hints: Iterable[str], kind: str, found: list[tuple[int, int, str]]) -> None:
    """Append every occurrence of each hint to ``found`` (C-speed `str.find`)."""
    for hint in hints:
        at = text.find(hint)
        while at != -1:
            found.append((at, at + len(hint), kind))
            at = text.find(hint, at + len(hint) - 1)  # `a-at-b-at-c`: they share a separator


_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([a-z]{1,24}+)[ \t]{1,2}+\Z")


def _everyday(word: str) -> bool:
    """``word`` (lower case) is an everyday word or one of its -s / -ed / -ing forms."""
    if word in _COMMON_WORDS or word in _PROSE_WORDS or word in _WEB_WORDS:
        return True
    stems = [word[:-1]] if word.endswith("s") else []
    if word.endswith("ed"):
        stems += [word[:-1], word[:-2]]  # `released`, `launched`
    if word.endswith("ing"):
        stems += [word[:-3], word[:-3] + "e"]  # `hosting`, `sharing`
    return any(stem in _COMMON_WORDS for stem in stems)


def _plain_mailbox(text: str, start: int, name: str, domain: list[str]) -> bool:
    """A bare local part before a lower-case ` at ` with a real dot (`samuelfoley at miller.com`)
    is a mailbox after a contact cue (`Contact:`, `e-mail`, `write to`, `reach`); otherwise it
    must be 6+ lower-case letters, no everyday word or form of one (`developers`, `released`),
    not the domain's own name (`python at python.org`), and not follow an everyday lower-case
    word (`docs for django at djangoproject.com`, `I met samuel at ...`)."""
    if _CONTACT_CUE.search(text, max(0, start - 32), start) is not None:
        return True
    if not (len(name) >= _MIN_PLAIN_LOCAL and name.isalpha() and name.islower()):
        return False
    if _everyday(name) or name in domain:
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 27), start)
    return before is None or not _everyday(before.group(1))


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
    _LOCAL_CHAR: ClassVar[re.Pattern[str]] = re.compile(rf"[A-Za-z0-9_+\-{_INTL}]")

    def detect(self, text: str) -> Iterator[Span]:
        # `str.find` per spelling (C speed); the spellings cannot overlap one another.
        at_signs: list[tuple[int, int]] = []
        for hint in self.HINTS:
            if hint[0] not in text:
                continue  # `%40`, `&#64;`: a one-character test is far cheaper than their search
            at = text.find(hint)
            while at != -1:
                at_signs.append((at, at + len(hint)))
                at = text.find(hint, at + len(hint))
        pattern = self.PATTERNS[0]
        source = f"rules:{self.name}"
        covered = 0
        if at_signs:
            at_signs.sort()
            for at, after in at_signs:
                found = self._address(text, at, after)
                if found is None and text[at] == "@":
                    found = self._written_out(text, at, after, "@")
                if found is not None:
                    start, end = found
                    covered = end
                    yield Span(start, end, self.KIND, source, pattern.score, pattern.name)
        # A match holds no other opening bracket, so matching at each one (C-speed `str.find`)
        # finds what `finditer` would, faster than a regex scan that starts with a class.
        written: list[tuple[int, int, str]] = []
        for opener in _OPENERS:
            at = text.find(opener)
            while at != -1:
                if (m := _BRACKETED_AT.match(text, at)) is not None:
                    written.append((at, m.end(), "bracket"))
                at = text.find(opener, at + 1)
        at = text.find(" at ")
        while at != -1:
            written.append((at, at + 4, "word"))
            at = text.find(" at ", at + 3)  # `a at b at c`: the next one shares the space
        written.extend((m.start() - 1, m.end(), "word") for m in _UPPER_AT.finditer(text))
        # The rarer spellings only behind one cheap test each: a `-at-` address spells a dot,
        # `arroba` / `arobase` hold `arrob` / `arob`.
        if _DOT_WORD.search(text) or _DOT_WORD_UPPER.search(text):
            _find_all(text, _JOINED_AT, "joined", written)
        if _FOREIGN_HINT.search(text):
            _find_all(text, _FOREIGN_AT, "foreign", written)
        if not written:
            return
        for at, after, kind in sorted(written):
            if at < covered:
                continue
            if kind == "joined":
                found = self._joined(text, at, after)
            else:
                found = self._written_out(text, at, after, kind)
            if found is not None:
                covered = found[1]
                yield Span(found[0], found[1], self.KIND, source, 0.9, "obfuscated")

    def _written_out(self, text: str, at: int, after: int, kind: str) -> tuple[int, int] | None:
        """The span of an address whose at-sign is written out (``kind``: "bracket" for
        `[at]` and the like, "word" for ` at `, "@" for an `@` with spaces around it or a
        written-out dot after it), or None."""
        # Domain first (most ` at ` of prose fail here at once): labels split by real or
        # written-out dots, up to the longest public domain.
        pos = after
        while pos < len(text) and pos < after + 2 and text[pos] in " \t":
            pos += 1
        spaced = pos > after
        labels: list[str] = []
        ends: list[int] = []
        spelled = False
        dots = _FOREIGN_DOT if kind in ("bracket", "foreign") else _OBFUSCATED_DOT
        while len(labels) < 9:
            label = _OBFUSCATED_LABEL.match(text, pos)
            if label is None:
                break
            labels.append(label.group().lower())
            ends.append(label.end())
            dot = dots.match(text, label.end())
            if dot is None:
                break
            spelled = spelled or dot.group() != "."
            pos = dot.end()
        if len(labels) < 2:
            return None
        end = None
        for n in range(len(labels), 1, -1):
            if _is_public_domain(".".join(labels[:n])):
                end = ends[n - 1]
                break
        if end is None:
            return None
        labels = labels[:n]
        # Local part: the token just before, one or two spaces between allowed.
        gap = _SPACES_BEFORE.search(text, max(0, at - 2), at)
        local_end = at if gap is None else gap.start()
        spaced = spaced or local_end < at
        if kind == "@" and not (spaced or spelled):
            return None  # a plain `@`, already judged by `_address`
        reversed_window = text[max(0, local_end - _LOCAL_MAX - 1) : local_end][::-1]
        local = self._LOCAL_BACKWARDS.match(reversed_window)
        if local is None or local.end() > _LOCAL_MAX:
            return None
        start = local_end - local.end()
        if start > 0 and (self._LOCAL_CHAR.match(text, start - 1) or text[start - 1] in "@.'"):
            return None
        while text[start] in "-+" and start < local_end - 1:
            start += 1
        name = text[start:local_end]
        if not any(c.isalpha() for c in name) or _in_url_password(text, start):
            return None
        if kind != "@" and spelled:
            for _ in range(4):  # `john dot doe [at] ...`: the local part's dots spelled the same way
                before = _LOCAL_DOT_BEFORE.search(text, max(0, start - 48), start)
                if before is None:
                    break
                start = before.start()
        if kind == "bracket" or (kind == "@" and not spaced):
            return start, end
        if name.lower() in _PROSE_WORDS:
            return None  # "I work at Google dot com", "look at example.com", "lunch @ home.com"
        if kind == "word" and not spelled:
            upper = text[at + 1 : at + 3] == "AT"
            free = not _FREE_MAIL.isdisjoint(labels[:-1])
            if not (
                upper or free or _MAILBOX_MARK.search(name) or _plain_mailbox(text, start, name, labels[:-1])
            ):
                return None  # `jane at acme.com` in prose: could be "Jane at Acme" the company
        return start, end

    def _joined(self, text: str, at: int, after: int) -> tuple[int, int] | None:
        """`name-at-domain-dot-com` (or with `_`): every dot spelled the same way, so a
        hyphenated host name (`stay-at-home.com`) is never read as an address."""
        sep = text[at]
        dot = _JOINED_AT[text[at:after]].lower()
        label_re = _JOINED_LABEL[sep]
        labels: list[str] = []
        ends: list[int] = []
        pos = after
        while len(labels) < 9:
            label = label_re.match(text, pos)
            if label is None:
                break
            labels.append(label.group().lower())
            ends.append(label.end())
            if text[label.end() : label.end() + len(dot)].lower() != dot:
                break
            pos = label.end() + len(dot)
        end = None
        for n in range(len(labels), 1, -1):
            if _is_public_domain(".".join(labels[:n])):
                end = ends[n - 1]
                break
        if end is None or (end < len(text) and (text[end].isalnum() or text[end] in "-_@")):
            return None  # `a-at-b-dot-com-x`: part of something longer
        if text[end : end + 1] == "." and text[end + 1 : end + 2].isalnum():
            return None  # `a-at-b-dot-com.net`: a host name
        reversed_window = text[max(0, at - _LOCAL_MAX - 1) : at][::-1]
        local = self._LOCAL_BACKWARDS.match(reversed_window)
        if local is None or local.end() > _LOCAL_MAX:
            return None
        start = at - local.end()
        if start > 0 and (self._LOCAL_CHAR.match(text, start - 1) or text[start - 1] in "@.'/"):
            return None
        while text[start] in "-+_" and start < at - 1:
            start += 1
        name = text[start:at]
        if not any(c.isalpha() for c in name) or name.lower() in _PROSE_WORDS:
            return None
        return start, end

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        return self._address(match.string, match.end("local"), match.start("domain")) is not None

    def _address(self, text: str, at: int, after: int) -> tuple[int, int] | None:
        """The span of the address whose at-sign is ``text[at:after]``, or None."""
        # Local part, read backwards; one character more than allowed tells "too long" apart.
        # One reversed slice (`text[at - 65 : at][::-1]` would copy twice).
        if at == 0:
            return None
        if text[at - 1] == '"':
            return self._quoted(text, at, after)
        first = at - _LOCAL_MAX - 2
        reversed_window = text[at - 1 : first : -1] if first >= 0 else text[at - 1 :: -1]
        local = self._LOCAL_BACKWARDS.match(reversed_window)
        if local is None or local.end() > _LOCAL_MAX:
            return None
        start = at - local.end()
        # Only an atom cut at its 64 characters can leave a local-part character before it.
        if local.end() == _LOCAL_MAX and start > 0 and self._LOCAL_CHAR.match(text, start - 1):
            return None  # the run goes on past the limit
        while text[start] in "-+" and start < at - 1:
            start += 1  # `-jane@x.com` in a list: the dash is a bullet, not part of the address
        if text[start] in "-+" or _in_url_password(text, start):
            return None
        domain = self._DOMAIN_FORWARDS.match(text, after)
        if domain is None:
            return None
        raw = domain.group()
        if _SCP_AFTER.match(text, domain.end()) and (
            text[domain.end() + 1] == "/" or text[start:at].lower() in _SERVICE_USERS
        ):
            return None  # `git@github.com:org/repo.git`, `deploy@web01.prod:/tmp`: an scp target
        if "\n" not in raw:  # the common case, without the call
            return (start, domain.end()) if _is_public_domain(raw.lower()) else None
        end = self._domain_end(text, after, domain.end())
        return None if end is None else (start, end)

    def _quoted(self, text: str, at: int, after: int) -> tuple[int, int] | None:
        """`"john.doe"@example.com`, `"john smith"@x.org`: a quoted local part (RFC 5322), one
        line of at most 64 characters, its opening quote not glued to a word."""
        opening = text.rfind('"', max(0, at - _LOCAL_MAX - 2), at - 1)
        if opening == -1 or at - 1 - opening < 2 or (opening and text[opening - 1].isalnum()):
            return None
        local = text[opening + 1 : at - 1]
        if "\n" in local or local.strip() != local or not any(c.isalnum() for c in local):
            return None
        domain = self._DOMAIN_FORWARDS.match(text, after)
        if domain is None or "\n" in domain.group() or not _is_public_domain(domain.group().lower()):
            return None
        if _SCP_AFTER.match(text, domain.end()):
            return None  # `"deploy"@web01.prod:/tmp`: an scp target
        return opening, domain.end()

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
