"""IP addresses, v4 and v6 (full, `::`-compressed, with an embedded v4 tail).

v4 octets are checked by the pattern itself (0-255, no leading zeros); v6 candidates by
`ipaddress` (exactly eight groups, or one `::`). Not IPs: dotted runs longer or shorter than
four parts (OIDs `1.3.6.1.4.1`, versions `10.5.33`), numbers glued to letters or dots
(`v1.2.3.4`, `Chrome/120.0.0.0`), four-part numbers named as versions or sections
(`version 2.0.1.12`, `Section 1.2.3.4`), times, ratios and MACs (`23:19:48`, `16:9`,
`00:1a:2b:3c:4d:5e`) and code such as `a[1::2]` or `a::b:c` (a v6 address needs three
groups and six hex digits).

Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) name hosts inside one organisation and
are tokenized. Addresses that name no host are left as they are, which keeps configuration
text readable: loopback (127/8, `::1`), unspecified (`0.0.0.0`, `::`), the broadcast address
and netmasks (`255.255.255.0`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern, PatternDetector

_PRERELEASE_AFTER = re.compile(r"-(?:rc|alpha|beta|pre|dev|post|b|a)[0-9]*\b|\+[0-9A-Za-z]", re.IGNORECASE)
__all__ = ["IpDetector"]

# Octets 0-255 without leading zeros, decided by the pattern (bounded alternatives, no loops).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_V4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
# A version or section number in front (`version 1.2.3.4`, `section 2.1.0.4`) makes it not an IP.
_NOT_IP_WORDS = frozenset(
    ["v", "ver", "version", "versions", "release", "rel", "build", "firmware", "fw", "driver",
     "kernel", "rev", "revision", "section", "sec", "chapter", "clause", "article", "exercise",
     "figure", "fig", "oid", "§"]
)  # fmt: skip
# The word right before a number (`version 1.2.3.4`, `§ 1.2.3.4`), matched on the reversed
# text: `([A-Za-z]+|§)\.?[ \t:]{0,3}\Z` forwards, one `match` instead of a search from every start.
_LAST_WORD_REVERSED = re.compile(r"[ \t:]{0,3}\.?([A-Za-z]+|§)")


# Version words inside an identifier (`minSdkVersion`, `app_version`, `BUILD_NUMBER`).
_ID_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_VERSION_PARTS = frozenset(["version", "ver", "build", "release", "rev", "revision", "sdk", "firmware"])
_VERSION_HINTS = ("ver", "build", "release", "rev", "sdk", "firmware", "sec", "fig", "chapter", "clause")
_VERSION_HINT = re.compile("|".join(_VERSION_HINTS))  # one C-speed pass instead of ten `in` tests


def _named_as_version(text: str, start: int, value: str) -> bool:
    """`minSdkVersion to 1.5.6.8`, `app_version=3.1.4.1`: a version word in one of the three
    words before the number; for a word further than the last one, only with octets of one
    digit (`Login from 10.0.0.1` and `build server 10.0.0.5` stay addresses)."""
    line = text[max(0, start - 48) : start].rsplit("\n", 1)[-1]
    low = line.lower()
    if _VERSION_HINT.search(low) is None:
        return False  # the common case: a log line with an address
    words = line.split()[-3:]
    tiny = all(len(octet) == 1 for octet in value.split("."))
    for distance, word in enumerate(reversed(words)):
        parts = {p.lower() for p in _ID_PARTS.findall(word)}
        named = not parts.isdisjoint(_VERSION_PARTS) or (parts & _NOT_IP_WORDS and len(word) > 1)
        if named and ((distance == 0 and len(parts) > 1) or tiny):
            return True
    return False


def _v4_names_a_host(value: str) -> bool:
    """Not loopback, unspecified, broadcast or a netmask (``value`` has valid octets)."""
    if value.startswith("127.") or value == "0.0.0.0":  # noqa: S104 - compared, never bound
        return False
    if not value.startswith("255."):
        return True
    a, b, c, d = (int(o) for o in value.split("."))
    inverted = ~(a << 24 | b << 16 | c << 8 | d) & 0xFFFFFFFF
    return inverted & (inverted + 1) != 0  # a netmask is ones, then zeros


class IpDetector(PatternDetector):
    name = "ip"
    KIND = "IP"
    HINTS = (".", ":")
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        # Not glued to a word, a dot or a `Name/` path segment; no further `.digit` after it.
        Pattern("ipv4", re.compile(rf"(?<![\w.])(?<![A-Za-z]/){_V4}(?![\w]|\.[0-9])"), score=0.95),
        # Colon groups are atomic (hex runs cannot contain `:`), then a v4 tail or a last group.
        Pattern(
            "ipv6",
            re.compile(
                r"(?<![\w.])(?<![0-9A-Fa-f]:)(?<!::)"  # not inside a longer hex-and-colon run
                r"(?>(?:[0-9A-Fa-f]{0,4}+:){2,7}+)"
                rf"(?:{_V4}|[0-9A-Fa-f]{{1,4}}+)?"
                r"(?![\w:]|\.[0-9])"
            ),
            score=0.95,
        ),
    )
    # Cheap anchors that start with a literal, so the scan runs at C speed; each hit is then
    # widened to where the address could start and the pattern above is matched there.
    _ANCHORS: ClassVar[tuple[re.Pattern[str], ...]] = (
        re.compile(r"\.[0-9]{1,3}+\.[0-9]{1,3}+\.[0-9]"),  # the 2nd-4th octets
        re.compile(r"::|:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:"),  # `::` or 4 groups
    )
    # The characters an address is made of, and how far before its anchor it can start.
    _RUNS: ClassVar[tuple[tuple[re.Pattern[str], str, int], ...]] = (
        (re.compile(r"[0-9.]*+"), "0123456789", 3),
        (re.compile(r"[0-9A-Fa-f:.]*+"), "0123456789abcdefABCDEF:", 39),
    )

    def detect(self, text: str) -> Iterator[Span]:
        if not any(hint in text for hint in self.HINTS):
            return
        for pattern, anchor, (run, chars, reach) in zip(
            self.PATTERNS, self._ANCHORS, self._RUNS, strict=True
        ):
            pos = 0
            while (hit := anchor.search(text, pos)) is not None:
                match = self._match_at(text, hit.start(), pattern.regex, chars, reach)
                if match is None:
                    # No address starts inside a run of its own characters (the patterns
                    # require a clean edge before one), so skip the whole run: linear time.
                    skipped = run.match(text, hit.start())
                    pos = max(hit.start() + 1, skipped.end() if skipped else 0)
                    continue
                pos = match.end()
                if self.validate(match.group(), match, pattern):
                    yield Span(
                        match.start(), match.end(), self.KIND, f"rules:{self.name}", pattern.score,
                        pattern.name,
                    )  # fmt: skip

    @staticmethod
    def _match_at(
        text: str, anchor: int, regex: re.Pattern[str], chars: str, reach: int
    ) -> re.Match[str] | None:
        start = anchor
        floor = max(0, anchor - reach)
        while start > floor and text[start - 1] in chars:
            start -= 1
        match = regex.match(text, start)
        # `ip:2001:db8::1`: the run may begin with a label; retry after each of its few colons.
        for _ in range(8):
            if match is not None:
                break
            colon = text.find(":", start, anchor)
            if colon == -1:
                break
            start = colon + 1
            match = regex.match(text, start)
        return match

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "ipv4":
            if not _v4_names_a_host(value):
                return False
            if _PRERELEASE_AFTER.match(match.string, match.end()):
                return False  # 3.16.5.2-rc3, 1.2.3.4+build7: a version with a pre-release tag
            before = match.string[max(0, match.start() - 16) : match.start()]
            word = _LAST_WORD_REVERSED.match(before[::-1])
            if word is not None and word.group(1)[::-1].lower() not in _NOT_IP_WORDS:
                return not _named_as_version(match.string, match.start(), value)
            return word is None and not _named_as_version(match.string, match.start(), value)
        try:
            address = ipaddress.IPv6Address(value)
        except ValueError:
            return False
        if address.is_loopback or address.is_unspecified:
            return False
        mapped = address.ipv4_mapped
        if mapped is not None and not _v4_names_a_host(str(mapped)):
            return False
        # Code such as `a::b:c` or `x[1::2]` parses too: ask for 3 groups and 6 hex digits.
        groups = [g for g in value.split(":") if g]
        tail = 1 if "." in value else 0
        return len(groups) + tail >= 3 and sum(map(len, groups)) >= 6
