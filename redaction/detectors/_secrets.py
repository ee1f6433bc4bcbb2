"""What the secret detectors share: per-pattern prefilters, wrapped values, placeholder checks.

Secrets are tier 1: a miss leaks a credential, a false hit only drops some text. The checks
here therefore refuse only what is plainly *not* a secret (template syntax, masks, variable
names, prose words) and otherwise let a candidate through. A placeholder word (`EXAMPLE`,
`your_`, `sample_`) marks a stand-in only when no credential material remains without it
(`is_placeholder`); a value in a vendor's key format is judged by `is_mask` alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import ClassVar, NamedTuple

import ahocorasick

from .._spans import Span
from ._base import Pattern, PatternDetector
from ._idscan import base64_runs
from ._literals import LiteralSet

__all__ = [
    "SecretDetector",
    "SecretPattern",
    "char_classes",
    "continue_over_breaks",
    "credential_like",
    "entropy_at_least",
    "is_mask",
    "is_placeholder",
    "looks_random",
    "lowered",
    "shannon_entropy",
]


@dataclass(frozen=True, slots=True)
class SecretPattern(Pattern):
    """A `Pattern` with its own prefilter, line-wrap handling and, optionally, its own kind.

    ``hints``: the pattern runs only if one of them occurs in the text (a C-speed `in` test).
    Useful for a regex without a literal prefix, and for one whose literal most texts lack
    (`GOCSPX-`, `mysql`): `in` finds it faster than sre's prefix search does; a common short
    literal (`sk`, found in `task`) or several hints per pattern cost more than they save.
    ``anchors``: lower-case words found case-insensitively with `str.find`; the regex is then
    *matched at* each occurrence instead of searched, which keeps a case-insensitive keyword
    list (`password|secret|token|...`) as cheap as a few substring searches. Left-context
    conditions on an anchored match belong in ``validate`` (``match.string`` is the text).
    ``wraps``: the value may continue on the next line (a key wrapped by a terminal, a mail
    client or a fixed-width log), see `continue_over_breaks`.
    ``kind``: overrides the detector's ``KIND`` for this pattern's spans.
    ``min_run``: every match holds this many consecutive ``[A-Za-z0-9/+]`` characters; the
    pattern is skipped, at C speed, on a text that has no such run (see `_idscan.base64_runs`).
    ``at_runs``: with ``min_run``, a match can only start where such a run starts (a lookbehind
    keeps those characters out before it): the regex is matched at each run, not searched.
    """

    hints: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()
    wraps: bool = False
    kind: str = ""
    min_run: int = 0
    at_runs: bool = False
    # The anchors an ASCII text can hold (it holds no `密码`): computed once, not per text.
    ascii_anchors: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    # The anchors as bytes, for a probe of ASCII bytes (see `_byte_probe`); () if one is not ASCII.
    byte_anchors: tuple[bytes, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ascii_anchors", tuple(a for a in self.anchors if a.isascii()))
        if len(self.ascii_anchors) == len(self.anchors):
            object.__setattr__(self, "byte_anchors", tuple(a.encode("ascii") for a in self.anchors))


@cache
def _automaton(anchors: tuple[str, ...]) -> ahocorasick.Automaton:
    """Every anchor in one Aho-Corasick pass (C speed), each word's value its length less one:
    the same offsets as one `str.find` loop per anchor, in one scan instead of one per anchor."""
    automaton = ahocorasick.Automaton()
    for anchor in anchors:
        automaton.add_word(anchor, len(anchor) - 1)
    automaton.make_automaton()
    return automaton


def _find_anchors(probe: str, anchors: tuple[str, ...]) -> list[int]:
    """Offsets of every occurrence of each anchor in ``probe``, overlapping ones included,
    unsorted (one per anchor and occurrence, as `str.find` from each hit plus one finds)."""
    if len(anchors) > 1:
        return [end - back for end, back in _automaton(anchors).iter(probe)]
    positions: list[int] = []
    for anchor in anchors:  # one anchor (or none): `str.find` beats the automaton
        at = probe.find(anchor)
        while at != -1:
            positions.append(at)
            at = probe.find(anchor, at + 1)
    return positions


class _AnchorIndex:
    """Every anchor of a detector's patterns, looked up once per text when some pattern has
    several anchors: one `LiteralSet` pass says which anchors occur (usually a few of dozens),
    `str.find` lists those ones' offsets, and each anchored pattern reads its offsets from them
    instead of searching the text again (`aws`, `key`, `pass`)."""

    __slots__ = ("anchors", "groups", "literals", "slots")

    def __init__(self, anchors: tuple[str, ...]) -> None:
        self.anchors = anchors
        self.slots = {anchor: slot for slot, anchor in enumerate(anchors)}
        self.groups: dict[tuple[str, ...], frozenset[int]] = {}  # a pattern's anchors: their slots
        self.literals = LiteralSet(anchors)

    def hits(self, probe: str) -> dict[int, list[int]]:
        """Offsets of each anchor's occurrences in ``probe`` (overlapping ones included), one
        sorted list per anchor (by slot; an anchor that does not occur has none): what
        `_find_anchors` finds for that anchor alone. Most texts hold no anchor, few hold many."""
        hits: dict[int, list[int]] = {}
        for slot in self.literals.present(probe):  # `LiteralSet` keeps the order: index == slot
            anchor = self.anchors[slot]
            found = [at := probe.find(anchor)]
            while (at := probe.find(anchor, at + 1)) != -1:
                found.append(at)
            hits[slot] = found
        return hits

    def positions(self, hits: dict[int, list[int]], anchors: tuple[str, ...]) -> list[int]:
        """Sorted offsets of ``anchors`` (each counted once, as in one automaton of them)."""
        if not hits:
            return []
        if len(anchors) == 1:
            return hits.get(self.slots[anchors[0]], [])
        slots = self.groups.get(anchors)
        if slots is None:
            slots = self.groups[anchors] = frozenset(self.slots[anchor] for anchor in anchors)
        positions: list[int] = []
        for slot, found in hits.items():
            if slot in slots:
                positions += found
        positions.sort()
        return positions


class _Plan(NamedTuple):
    """What a detector's patterns share per text: one anchor lookup (None when no pattern has
    several anchors: then a few `str.find` scans beat a `LiteralSet` pass), and one search for
    runs of key characters, at the shortest ``min_run`` (longer ones are filtered from it).
    ``bytes_probe``: every anchor is ASCII and found by `str.find`: a text beyond ASCII may be
    probed as bytes (`_byte_probe`).
    ``hints``: every pattern's hints in one `LiteralSet` (None for a few: `in` is cheaper), and
    ``hint_slots`` per pattern the indices of its own hints in it."""

    anchor_index: _AnchorIndex | None
    min_run: int
    bytes_probe: bool
    hints: LiteralSet | None
    hint_slots: tuple[frozenset[int], ...]


# One `LiteralSet` pass costs about as much as four `in` scans of the text.
_MIN_HINT_SET = 5

# Per pattern table (by identity: hashing the patterns per text would cost more than it saves).
_PLANS: dict[int, tuple[tuple[SecretPattern, ...], _Plan]] = {}


def _plan(patterns: tuple[SecretPattern, ...]) -> _Plan:
    entry = _PLANS.get(id(patterns))
    if entry is None or entry[0] is not patterns:
        index = None
        if any(len(pattern.anchors) > 1 for pattern in patterns):
            index = _AnchorIndex(tuple(dict.fromkeys(a for pattern in patterns for a in pattern.anchors)))
        min_run = min((pattern.min_run for pattern in patterns if pattern.min_run), default=0)
        bytes_probe = index is None and all(len(p.byte_anchors) == len(p.anchors) for p in patterns)
        hints: LiteralSet | None = None
        hint_slots: tuple[frozenset[int], ...] = ()
        if sum(len(pattern.hints) for pattern in patterns) >= _MIN_HINT_SET:
            hints = LiteralSet(hint for pattern in patterns for hint in pattern.hints)
            slots = {hint: slot for slot, hint in enumerate(hints.literals)}
            hint_slots = tuple(frozenset(slots[hint] for hint in pattern.hints) for pattern in patterns)
        plan = _Plan(index, min_run, bytes_probe, hints, hint_slots)
        entry = _PLANS[id(patterns)] = (patterns, plan)
    return entry[1]


_KEY_RUN = re.compile(r"[A-Za-z0-9/+]+")  # the characters of `base64_runs`


def _run_spans(text: str, length: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the maximal runs that `base64_runs` finds (start) for ``length``."""
    spans: list[tuple[int, int]] = []
    for at in base64_runs(text, length):
        run = _KEY_RUN.match(text, at)
        assert run is not None  # a run starts there
        spans.append((at, run.end()))
    return spans


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lowered(text: str) -> str:
    """``text`` lower-cased with offsets unchanged (no cache: nothing of an input may outlive
    the call that scrubs it)."""
    low = text.lower()
    if len(low) != len(text):  # `İ` and friends expand: fold ASCII only
        low = text.translate(_ASCII_LOWER)
    return low


def _byte_probe(text: str) -> bytes | None:
    """A text beyond ASCII lower-cased as ASCII bytes, one per code point (offsets unchanged),
    for ASCII anchors: `str.lower` of such a text costs more than the anchor scans. None when a
    KELVIN SIGN could lower to an ASCII `k`, the only code point beyond ASCII that `lowered`
    may turn into an ASCII letter (`İ` lowers to two characters: `lowered` then folds ASCII only)."""
    if "\u212a" in text:
        return None
    return text.encode("ascii", "replace").lower()


def _find_bytes(probe: bytes, anchors: tuple[bytes, ...]) -> list[int]:
    """`_find_anchors` on a `_byte_probe`, sorted."""
    positions: list[int] = []
    for anchor in anchors:
        at = probe.find(anchor)
        while at != -1:
            positions.append(at)
            at = probe.find(anchor, at + 1)
    if len(anchors) > 1:
        positions.sort()
    return positions


def _anchor_positions(text: str, probe: str, pattern: SecretPattern) -> list[int]:
    """Sorted offsets of the anchors in ``probe`` (usually none: a few C-speed `find` calls)."""
    # `isascii` is O(1): an ASCII text holds no non-ASCII anchor.
    positions = _find_anchors(probe, pattern.ascii_anchors if text.isascii() else pattern.anchors)
    if len(positions) > 1:
        positions.sort()
    return positions


class _Anchored(Iterator[re.Match[str]]):
    """Matches of a pattern's regex at its anchors' occurrences, left to right, not overlapping
    (an anchor inside a match, `key` in `secret_key` or in its value, starts none of its own:
    this also keeps the work per character bounded). A match the detector then refuses
    (`refuse`) covers nothing: `creds: token: <key>` is read again from `token`."""

    __slots__ = ("covered", "index", "positions", "regex", "text")

    def __init__(self, text: str, regex: re.Pattern[str], positions: list[int]) -> None:
        self.text, self.regex, self.positions = text, regex, positions
        self.index = self.covered = 0

    def __next__(self) -> re.Match[str]:
        positions = self.positions
        while self.index < len(positions):
            at = positions[self.index]
            self.index += 1
            if at < self.covered:
                continue
            match = self.regex.match(self.text, at)
            if match is not None:
                self.covered = match.end()
                return match
        raise StopIteration

    def refuse(self, match: re.Match[str]) -> None:
        self.covered = match.start() + 1


def _anchored(text: str, probe: str, pattern: SecretPattern, positions: list[int] | None = None) -> _Anchored:
    """The `_Anchored` matches of ``pattern`` in ``text`` (``probe``: the text lower-cased)."""
    if positions is None:
        positions = _anchor_positions(text, probe, pattern)
    return _Anchored(text, pattern.regex, positions)


# What a wrapped key continues with on its next line: base64 / base64url / hex alphabets.
_CONTINUATION = re.compile(r"[A-Za-z0-9_+/-]{1,4096}={0,2}")
# A continuation must end where a value can end: not before `:` or `=` (the next line is a
# `key: value` or a timestamp), not before `@` or `/` (an address or a path).
_VALUE_END = frozenset(" \t\r\n\"'`,;)]}>.")
_LONG_VALUE = 64  # a value this long that ends inside a run of key characters was cut by a cap
_KEY_TAIL = re.compile(r"[A-Za-z0-9_+/-]*+={0,2}")  # no cap: the whole run, however long
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/-")
_MIN_CONTINUATION = 8  # shorter tails are not worth joining: R4-style leaks start at 12 chars
_MAX_BREAKS = 16
_MIN_WRAP_WIDTH = 32
_LINE_BREAK = re.compile(r"\r?\n")


def continue_over_breaks(text: str, end: int, *, max_breaks: int = _MAX_BREAKS) -> int:
    """Extend a value that ends at a line break over the following line(s) it continues on.

    A continuation line must start at column 0 with a key-like run of >= 8 characters that
    looks like credential material (letters and digits) and ends where a value can end; so
    a following `2024-05-25T08:18:32Z ...` log line or an ordinary word is never swallowed.
    One break may sit anywhere; a value continues past further breaks only when it is
    hard-wrapped at a fixed width (>= 32 columns: every full line as wide as the first).
    """
    width = -1  # of the value's first line, measured once it does end at a break
    for _ in range(max_breaks):
        if text.startswith("\n", end):
            nxt = end + 1
        elif text.startswith("\r\n", end):
            nxt = end + 2
        else:
            break
        if width < 0:
            width = end - (text.rfind("\n", 0, end) + 1)
        run = _CONTINUATION.match(text, nxt)
        if run is None or run.end() - nxt < _MIN_CONTINUATION or not credential_like(run.group()):
            break
        if run.end() < len(text) and text[run.end()] not in _VALUE_END:
            break
        end = run.end()
        if width < _MIN_WRAP_WIDTH or end - nxt != width:
            break
    return end


_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")
_DIGIT = re.compile(r"[0-9]")
_OTHER = re.compile(r"[^A-Za-z0-9]")
_ALPHA = re.compile(r"[A-Za-z]")


def char_classes(value: str) -> int:
    """How many of lower, upper, digit, other a value uses (0-4). Detection views are ASCII
    wherever secrets are, so ASCII classes suffice; anything else counts as other."""
    # Four C calls summed as booleans: no generator per call (this runs per candidate).
    return (
        (_LOWER.search(value) is not None)
        + (_UPPER.search(value) is not None)
        + (_DIGIT.search(value) is not None)
        + (_OTHER.search(value) is not None)
    )


def credential_like(value: str, min_len: int = 6) -> bool:
    """A value that reads like credential material rather than a word of prose: long enough
    and mixing letters with digits, or using three character classes (``Tundra-maple-quartz26``,
    ``Y~!q*c3FO``, ``a411e5f3``; not ``instruments``, ``e-mail``, ``2024-05-25``)."""
    if len(value) < min_len:
        return False
    return (_ALPHA.search(value) is not None and _DIGIT.search(value) is not None) or char_classes(value) >= 3


_TABLED_LENGTH = 256  # values up to this long read their terms from `_entropy_terms`


@cache
def _entropy_terms(n: int) -> tuple[float, ...]:
    """``c / n * log2(c / n)`` for each count ``c`` of a value of length ``n`` (0 <= c <= n):
    the very floats `shannon_entropy` would compute, looked up instead of recomputed."""
    return tuple(c / n * math.log2(c / n) if c else 0.0 for c in range(n + 1))


def shannon_entropy(value: str) -> float:
    """Bits per character of the value's own character distribution."""
    if not value:
        return 0.0
    n = len(value)
    counts = Counter(value).values()  # first-occurrence order: the sum's order, so its rounding
    if n <= _TABLED_LENGTH:
        return -sum(map(_entropy_terms(n).__getitem__, counts))
    return -sum(c / n * math.log2(c / n) for c in counts)


_ROUNDING = 1e-9  # far above the float error of either entropy, far below any threshold's step


def entropy_at_least(value: str, bits: float) -> bool:
    """``shannon_entropy(value) >= bits``, mostly decided from the number of distinct characters
    (a set is cheaper than counting them): ``k`` of them among ``n`` characters have at most
    ``log2(k)`` bits, and at least those of one character ``n - k + 1`` times beside ``k - 1``
    singletons (every other split of ``n`` into ``k`` counts is more even)."""
    n = len(value)
    if not n:
        return bits <= 0.0
    k = len(set(value))
    if math.log2(k) < bits - _ROUNDING:
        return False
    rest = (n - k + 1) / n
    if (k - 1) / n * math.log2(n) - rest * math.log2(rest) >= bits + _ROUNDING:
        return True
    return shannon_entropy(value) >= bits


def looks_random(value: str, *, min_len: int = 16, min_entropy: float = 3.0, shaped: bool = False) -> bool:
    """Key material: long, two or more character classes, no long repeats (``xxxx``).
    ``shaped``: the value already has a key's format (a vendor prefix), so only a mask
    (`is_mask`), not a placeholder word, disqualifies it."""
    return (
        len(value) >= min_len
        and char_classes(value) >= 2
        and entropy_at_least(value, min_entropy)
        and not (is_mask(value) if shaped else is_placeholder(value))
    )


# Template, environment, bind-parameter and mask syntax: `<password>`, `${DB_PASS}`, `$TOKEN`,
# `%(pw)s`, `%PASSWORD%`, `{{ vault_pw }}`, `#{pw}`, `[REDACTED]`, `:password`, `?`, `*****`.
_TEMPLATE = re.compile(
    r"<[^<>]*>|\{[^{}]*\}|\{\{.*|\$\{.*|\$\(.*|\$[A-Z_][A-Z0-9_]*|\$[a-z_]+|%(?:\(\w+\))?[sd]"
    r"|%[A-Za-z_]\w*%|#\{.*\}|\[[^\[\]]*\]|:[A-Za-z_]+|@[A-Za-z_]+@?|\?+|![a-z_]+|\*[A-Za-z_]+",
    re.DOTALL,
)
_TEMPLATE_STARTS = "<{$%#[:@?!*"  # the first characters `_TEMPLATE` allows: a C-speed gate
# Words that mark documentation, examples and masks. Anchored so they do not fire inside
# random key material by chance (4+ fixed letters in a row).
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)your[_ -]?(?=[a-z])|[_ -]here\b|example|placeholder|redacted|replace[_ -]?(?:me|with|this)"
    r"|insert[_ -]|\bdummy\b|\bfake[_ -]|\bsample[_ -]|x{4,}|\*{3,}|\.{3,}|\u2026",
)
# What every match of `_PLACEHOLDER_WORDS` in an ASCII value holds, lower-cased: a few
# C-speed `in` tests rule out most values before the regex scans them character by character.
_PLACEHOLDER_HINTS = (
    "your", "here", "example", "placeholder", "redacted", "replace", "insert", "dummy", "fake",
    "sample", "xxxx", "***", "...",
)  # fmt: skip
# The field's own words, which a stand-in spells out (`your-api-key-here`, `<secret_token>`).
_FIELD_WORDS = re.compile(r"(?i)pass(?:word|wd|phrase)?|pwd|secret|token|api|keys?|access|goes")
_FILL = "_-. /:"
# Values that are a type, a literal or the name of the field rather than its content.
_STOPWORDS = frozenset(
    {
        "none", "null", "nil", "true", "false", "undefined", "empty", "required", "optional", "str",
        "string", "bytes", "int", "bool", "password", "passwd", "pass", "pwd", "pw", "secret", "token",
        "key", "apikey", "api_key", "value", "yes", "no", "on", "off", "n/a", "na", "tbd", "todo", "unset",
        "default", "hidden", "masked", "sensitive", "env", "auto", "blank", "omitted", "removed",
        "your_password", "your_token", "your_key", "your_secret", "mypassword", "mysecret", "mytoken",
        "xxx",
    }
)  # fmt: skip


def _two_chars_at_most(value: str) -> bool:
    """``len(set(value)) <= 2`` for a non-empty value, with two C-speed `replace` calls
    instead of a set of every character."""
    rest = value.replace(value[0], "")
    return not rest.replace(rest[:1], "")


def is_placeholder(value: str) -> bool:
    """Documentation and template stand-ins, masks and literals that carry no secret.

    A placeholder word (`EXAMPLE`, `your_`, `xxxx`, `***`) marks a stand-in only when what
    remains without it, and without the field's own words, is not credential material:
    `your-api-key-here` and `changeme_placeholder` are stand-ins, but `AKIAIOSFODNN7EXAMPLE`,
    `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` and `sample_token_Zx9qLm2Pw8Rt4Yk7` have the
    shape of real keys and are kept as secrets: the engine cannot tell a published sample from
    a live key, and a leak costs more than a redaction.
    """
    v = value.strip()
    low = v.lower()
    if not v or low in _STOPWORDS or (v[0] in _TEMPLATE_STARTS and _TEMPLATE.fullmatch(v)):
        return True
    # Masks and fill: `********`, `xxxxxxxx`, `00000000`, `abababab`.
    if len(v) >= 4 and _two_chars_at_most(low):
        return True
    if v.isascii():  # O(1); beyond ASCII, `(?i)` folds more than `lower` (`ſ`, `K`): no shortcut
        for hint in _PLACEHOLDER_HINTS:
            if hint in low:
                break
        else:
            return False  # no placeholder word can match
    if _PLACEHOLDER_WORDS.search(v) is None:
        return False
    rest = _FIELD_WORDS.sub("", _PLACEHOLDER_WORDS.sub("", v)).strip(_FILL)
    return not credential_like(rest, min_len=8)


_MASK_RUNS = re.compile(r"(?i)x{4,}|\*{3,}|\.{3,}|\u2026")


def is_mask(value: str) -> bool:
    """Template syntax or a masked value (`xxxxxxxx`, `AKIA1234XXXXXXXX`, `****`, `abc...`):
    too little key material left to be a key. Words such as `EXAMPLE` or `sample` do not count
    here: a value in a vendor's key format is a key (`AKIAIOSFODNN7EXAMPLE`)."""
    v = value.strip()
    low = v.lower()
    if (
        not v
        or (v[0] in _TEMPLATE_STARTS and _TEMPLATE.fullmatch(v))
        or (len(v) >= 4 and _two_chars_at_most(low))
    ):
        return True
    # What every `_MASK_RUNS` match holds (`(?i)x` is only `x` and `X`): most keys hold none.
    if "xxxx" not in low and "***" not in v and "..." not in v and "\u2026" not in v:
        return False
    rest = _MASK_RUNS.sub("", v)
    return len(rest) < len(v) and len(rest.strip(_FILL)) < 8


class SecretDetector(PatternDetector):
    """`PatternDetector` over `SecretPattern`s: per-pattern hints and anchors, wrapped values,
    per-pattern kinds. ``validate`` receives the value with line breaks removed (what a reader
    would copy)."""

    PATTERNS: ClassVar[tuple[SecretPattern, ...]]

    def detect(self, text: str) -> Iterator[Span]:
        # The common case, no match, stays a handful of C calls per pattern: a detector has
        # many patterns and most texts are short, so the loops below are inlined (no `any()`
        # over a generator, no helper call per pattern).
        for hint in self.HINTS:
            if hint in text:
                break
        else:
            if self.HINTS:
                return
        probe = ""
        ascii_text = text.isascii()  # O(1): an ASCII text holds no non-ASCII anchor
        # Patterns with the same anchors (`authorization` twice) share one search for them.
        last_anchors: tuple[str, ...] = ()
        positions: list[int] = []
        byte_probe = b""
        hits: dict[int, list[int]] | None = None  # `anchor_index.hits`, on the first anchored pattern
        run_spans: list[tuple[int, int]] | None = None  # `_run_spans` at `min_run`, on first use
        plan = _plan(self.PATTERNS)
        bytes_probe = plan.bytes_probe and not ascii_text
        present: set[int] | None = None  # `plan.hints` found in the text, on the first hinted pattern
        for number, pattern in enumerate(self.PATTERNS):
            if pattern.hints:
                if plan.hints is not None:
                    if present is None:
                        present = set(plan.hints.present(text))
                    if present.isdisjoint(plan.hint_slots[number]):
                        continue
                else:
                    for hint in pattern.hints:
                        if hint in text:
                            break
                    else:
                        continue
            if pattern.min_run:
                if run_spans is None:
                    run_spans = _run_spans(text, plan.min_run)
                if not run_spans:  # most texts: no run of key characters at all
                    continue
                runs = [at for at, end in run_spans if end - at >= pattern.min_run]
                if not runs:
                    continue
                if pattern.at_runs:
                    matched = (m for at in runs if (m := pattern.regex.match(text, at)) is not None)
                    yield from self.spans_of(text, pattern, matched)
                    continue
            if pattern.anchors:
                anchors = pattern.ascii_anchors if ascii_text else pattern.anchors
                if bytes_probe and not byte_probe:
                    byte_probe = _byte_probe(text) or b""
                    bytes_probe = bool(byte_probe)
                if bytes_probe:
                    if anchors != last_anchors:
                        last_anchors, positions = anchors, _find_bytes(byte_probe, pattern.byte_anchors)
                    if positions:
                        yield from self.spans_of(text, pattern, _Anchored(text, pattern.regex, positions))
                    continue
                probe = probe or lowered(text)
                if anchors != last_anchors or not anchors:
                    index = plan.anchor_index
                    if index is None:
                        # One anchor, usually absent: a single `find` decides, no list or sort.
                        if len(anchors) == 1 and anchors[0] not in probe:
                            positions = []
                        else:
                            positions = sorted(_find_anchors(probe, anchors))
                    else:
                        if hits is None:
                            hits = index.hits(probe)
                        positions = index.positions(hits, anchors) if anchors else []
                    last_anchors = anchors
                if positions:  # `_Anchored` reads it, never changes it: shareable
                    yield from self.spans_of(text, pattern, _Anchored(text, pattern.regex, positions))
                continue
            first = pattern.regex.search(text)
            if first is not None:
                found = chain((first,), pattern.regex.finditer(text, first.end()))
                yield from self.spans_of(text, pattern, found)

    def value_span(self, text: str, match: re.Match[str], pattern: SecretPattern) -> tuple[int, int]:
        """Where the sensitive value lies; subclasses may trim or extend it."""
        start, end = match.span(pattern.group)
        if pattern.wraps and start < end:
            end = continue_over_breaks(text, end)
        return start, end

    def spans_of(
        self, text: str, pattern: SecretPattern, found: Iterable[re.Match[str]] | None = None
    ) -> Iterator[Span]:
        """The validated spans of one pattern (of ``found``, its matches, when given)."""
        if found is None:
            found = (
                _anchored(text, lowered(text), pattern) if pattern.anchors else pattern.regex.finditer(text)
            )
        refuse = found.refuse if isinstance(found, _Anchored) else None
        for match in found:
            start, end = self.value_span(text, match, pattern)
            value = text[start:end]
            if "\n" in value:
                value = _LINE_BREAK.sub("", value)
            if start >= end or not self.validate(value, match, pattern):
                if refuse is not None:
                    refuse(match)
                continue
            if end - start >= _LONG_VALUE and text[end - 1 : end] in _KEY_CHARS:
                # A long value that stops inside a run of key characters met its pattern's
                # length cap (a 1,600-character `client-key-data`): the rest is the same secret.
                end = _KEY_TAIL.match(text, end).end()  # type: ignore[union-attr]  # it matches empty
            yield Span(
                start, end, self.kind_of(value, match, pattern), f"rules:{self.name}",
                pattern.score, self.label(value, match, pattern),
            )  # fmt: skip

    def kind_of(self, value: str, match: re.Match[str], pattern: SecretPattern) -> str:
        """The span's kind: the pattern's own, else the detector's ``KIND``."""
        return pattern.kind or self.KIND
