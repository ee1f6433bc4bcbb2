"""scrub(): every layer proposes spans, one resolver merges them, one replacer writes the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from ._bucket import amount_hint, date_hint
from ._entities import entity_key
from ._escapes import escaped_spans, outside_escapes
from ._known_entities import KnownEntities, compile_known_entities
from ._ner_precision import NAME_KINDS, allow_keys, designators_only, refine
from ._normalize import is_plain, normalize
from ._policy import Action, Policy
from ._spans import DROP_KINDS, TIER1_KINDS, TOKEN_TYPES, Span
from ._state import ScrubState
from ._tokens import iter_token_refs
from .detectors import DEFAULT_DETECTORS
from .detectors._base import Detector
from .errors import InputError

__all__ = ["BucketSpec", "NerFn", "ScrubAudit", "ScrubResult", "scrub"]

NerFn = Callable[[str], Iterable[tuple[str, str]]]
"""An outside NER layer: text -> (surface, TYPE) pairs. Surfaces not in the text are ignored."""

# Labels an outside NER layer may use, folded onto token types.
_NER_LABELS: Mapping[str, str] = {
    **{t: t for t in TOKEN_TYPES if t != "LITERAL"},
    "PER": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOC", "GPE": "LOC", "FAC": "LOC",
    "NORP": "ORG", "MONEY": "AMOUNT", "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE",
    "IP_ADDRESS": "IP", "DATE_TIME": "DATE", "DESCRIPTIVE": "DESCRIPTIVE",
}  # fmt: skip
_REDACTED_MARK = re.compile(r"\[REDACTED:[A-Z0-9_]{1,32}\]")
_MASK = "\x00"  # stands for a placeholder in the detection view: no word, digit or separator
# Stands for the placeholder of a number-like value of the map (a date, phone, IP, amount, id):
# context words read it as a value, not as a word ("DOB: [DATE_1] March 3": the second date is
# not the birth date, as it was not before the first became a token).
_VALUE_MASK = "\x01"
_VALUE_KINDS = frozenset({"DATE", "PHONE", "IP", "AMOUNT", "ID"})
# Stands for a drop marker: the label of an id before it is spent (see `_masked`); to the
# date detector it is a word, as the mask of other placeholders is.
_DROP_MASK = "\x02"
_WORD = re.compile(r"\w")
# Tie-break among overlapping spans after tier and length: the caller's own knowledge first.
_SOURCE_RANK = {"literal": 0, "dictionary": 1, "ner": 3}
_DROP_KINDS = frozenset(DROP_KINDS)
_TIER1_KINDS = frozenset(TIER1_KINDS)


class BucketSpec(NamedTuple):
    """Which tier-2 values show a coarse hint. ``dates=True`` also tokenizes every calendar
    date; by default only dates of birth are tokenized (others carry no identity)."""

    amounts: bool = False
    dates: bool = False


@dataclass(frozen=True, slots=True)
class ScrubAudit:
    """What a scrub did, in counts and kinds: safe to log, never a value."""

    tier1: Mapping[str, int] = field(default_factory=dict)  # kind -> values dropped
    by_type: Mapping[str, int] = field(default_factory=dict)  # token type -> spans tokenized
    tokens_used: tuple[str, ...] = ()  # distinct tokens written, in order of first use
    descriptive: int = 0  # descriptive re-identifiers dropped
    # Policy outcomes (docs/architecture.md §12): action -> kind -> values, for the actions a
    # policy chose beyond the defaults ("drop" here: kinds other than tier 1 and DESCRIPTIVE).
    policy: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @property
    def blocked(self) -> Mapping[str, int]:
        return self.policy.get("block", {})

    @property
    def tier1_dropped(self) -> int:
        return sum(self.tier1.values())

    @property
    def tier2_tokenized(self) -> int:
        return sum(n for kind, n in self.by_type.items() if kind != "LITERAL")


class ScrubResult(NamedTuple):
    text: str
    token_map: Mapping[str, str]
    audit: ScrubAudit


_NO_BUCKET = BucketSpec()


def _as_bucket(bucket: bool | BucketSpec | Mapping[str, bool]) -> BucketSpec:
    if isinstance(bucket, BucketSpec):
        return bucket
    if isinstance(bucket, bool):
        return BucketSpec(bucket, bucket)
    if isinstance(bucket, Mapping):
        extra = set(bucket) - {"amounts", "dates"}
        if extra:
            raise InputError(f"unknown bucket fields: {sorted(extra)}")
        return BucketSpec(bool(bucket.get("amounts", False)), bool(bucket.get("dates", False)))
    raise InputError("bucket must be a bool or a mapping with 'amounts'/'dates'")


def _is_word(text: str, index: int) -> bool:
    return 0 <= index < len(text) and _WORD.match(text, index) is not None


@dataclass(frozen=True, slots=True)
class _NerSpan(Span):
    """An NER name proposal that keeps the text it was found in, so the resolver can re-trim
    what is left of it when a rules or dictionary span takes part of it (`_yield_to_owned`)."""

    text: str = field(default="", repr=False, compare=False)


def _ner_spans(text: str, proposals: Iterable[tuple[str, str]], allow: Collection[str] = ()) -> list[Span]:
    """Locate each proposed surface verbatim, on word boundaries; ignore anything else.

    PERSON, ORG and LOC proposals keep only the part that can be a name (`_ner_precision.refine`:
    "Call Jane" -> "Jane"; "KYC", "Happy Holidays", "Draft" -> nothing). ``allow``: the
    operator's extra glossary terms, never tokenized as names.
    """
    spans: list[Span] = []
    seen: set[tuple[str, str]] = set()
    allowed = allow_keys(allow) if allow else frozenset[str]()
    for surface, label in proposals:
        kind = _NER_LABELS.get(str(label).upper())
        if kind is None:
            raise InputError(f"ner_fn proposed an unknown label {str(label)[:20]!r}")
        surface = str(surface).strip()
        if len(surface) < 2 or (surface, kind) in seen:
            continue
        seen.add((surface, kind))
        fine = str(label).lower()
        at = text.find(surface)
        while at != -1:
            end = at + len(surface)
            bounded_left = not (_is_word(text, at) and _is_word(text, at - 1))
            bounded_right = not (_is_word(text, end - 1) and _is_word(text, end))
            if bounded_left and bounded_right:
                if kind in NAME_KINDS:
                    for s, e in refine(text, at, end, kind, allowed):
                        spans.append(_NerSpan(s, e, kind, "ner", 0.85, fine, text=text))
                else:
                    spans.append(Span(at, end, kind, "ner", 0.85, label=fine))
                # The next mention starts after this one: overlapping mentions of a periodic
                # text ("Abc Def Abc Def ...") would cost one refine per period (quadratic).
                at = text.find(surface, end)
            else:
                at = text.find(surface, at + 1)
    return spans


def _yield_to_owned(spans: list[Span]) -> list[Span]:
    """NER names give way to every other layer: the caller's dictionary and the rules own their
    characters, whatever the NER span's length ("Zorblax Quintavious of" yields to the known
    person "Zorblax Quintavious"; an AWS key tagged ORG stays the rules' API_KEY, tier 1). What
    lies outside them survives only where it is itself a name ("Jane Doe of Acme Corp" ->
    "Acme Corp"), except that an organisation named after a known entity keeps its whole span
    ("the Jane Doe Foundation"): its remainder is only organisation designators.
    """
    owned = sorted((s.start, s.end) for s in spans if s.source != "ner")
    if not owned:
        return spans
    starts: list[int] = []
    ends: list[int] = []
    for start, end in owned:  # their union, as disjoint sorted intervals
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    out: list[Span] = []
    for span in spans:
        if span.source != "ner" or span.kind not in NAME_KINDS:
            out.append(span)
            continue
        at = bisect_right(ends, span.start)
        if at == len(starts) or starts[at] >= span.end:
            out.append(span)  # overlaps nothing
            continue
        rest: list[tuple[int, int]] = []
        pos = span.start
        while at < len(starts) and starts[at] < span.end:
            rest.append((pos, starts[at]))
            pos = ends[at]
            at += 1
        rest.append((pos, span.end))
        text = span.text if isinstance(span, _NerSpan) else ""
        if not text:  # cut by a protected run already: keep the remainders as they are
            out.extend(Span(s, e, span.kind, "ner", span.confidence, span.label) for s, e in rest if s < e)
            continue
        tails = [text[s:e] for s, e in rest if text[s:e].strip()]
        if span.kind == "ORG" and tails and all(map(designators_only, tails)):
            out.append(span)
            continue
        pieces = [p for s, e in rest if s < e for p in refine(text, s, e, span.kind)]
        out.extend(
            _NerSpan(s, e, span.kind, "ner", span.confidence, span.label, text=text) for s, e in pieces
        )
    return out


def _protected_runs(
    text: str, state: ScrubState, types: frozenset[str] = frozenset()
) -> tuple[list[tuple[int, int]], list[Span]]:
    """Token-like text already in the input is left verbatim and can never become a value.

    A token the state already issued (multi-turn: the agent re-sends Claude's reply under the
    same map) passes through. Other token-like text (a mail-merge field `[PERSON_1]`) is
    reserved in the map as itself, so it reads unchanged, rehydrates to itself, and its number
    is never issued to a real value. Only when its number is already taken is it escaped as
    `[LITERAL_N]`. Either way it survives the round trip byte for byte.
    """
    protected: list[tuple[int, int]] = []
    literals: list[Span] = []
    if "[" not in text:
        return protected, literals
    reserved_here: set[str] = set()  # reserved by this text: literals, not issued tokens
    for ref in iter_token_refs(text, types=types):
        protected.append((ref.start, ref.end))
        raw = text[ref.start : ref.end]
        if ref.canonical and ref.key in state.token_map and ref.key not in reserved_here:
            continue
        if state.reserve_literal(ref.key, raw):
            reserved_here.add(ref.key)
        else:
            literals.append(Span(ref.start, ref.end, "LITERAL", "literal",
                                 entity=entity_key("LITERAL", text[ref.start : ref.end])))  # fmt: skip
    protected.extend(m.span() for m in _REDACTED_MARK.finditer(text))
    protected.sort()
    return protected, literals


# Tier-1 kinds that are printed identifiers: a detector's grammar may stop inside one.
_ID_KINDS = frozenset(
    {"CREDIT_CARD", "CVV", "PIN", "US_SSN", "US_ITIN", "IBAN", "US_BANK_ROUTING", "US_BANK_ACCOUNT",
     "KR_RRN", "NATIONAL_ID", "PASSPORT"}
)  # fmt: skip
# One separator between two groups of an identifier: a dash, dot or slash (spaces around it
# allowed), or one space or tab.
_ID_SEP = r"(?:[ \t]?[-./][ \t]?|[ \t])"
# The rest of an identifier after a tier-1 span: groups that start with a digit ("-2.9.4.2",
# ".2.9.4"), or the rest of a value wrapped onto the next line ("998590\n026801"), which then
# ends that line (a CSV row's next id "\n2,..." is no continuation); a word ("exp 04/29") ends
# it. Before a span: groups holding a digit ("DE49/8726-"). Bounded, so a span grows by at most
# a few dozen characters.
_ID_TAIL = re.compile(_ID_SEP + r"(?=\d)[^\W_]{1,12}|\r?\n(?=\d)[^\W_]{2,12}(?=[ \t]*(?:\r?\n|\Z|[.)\"']))")
_ID_HEAD = re.compile(r"(?=[^\W_]{0,11}\d)(?<![^\W_])[^\W_]{1,12}" + _ID_SEP + r"\Z")
_ID_GROUPS = 8


def _widened_ids(text: str, spans: list[Span]) -> list[Span]:
    """Tier-1 identifiers widened over the groups of digits their detector left next to them.

    A detector whose grammar stops early would leave part of a card, an IBAN or a national id
    in clear ("[REDACTED:US_SSN].2.9.4.2.8.4", "DE49/8726-[REDACTED:CREDIT_CARD]", an account
    number wrapped after six digits): the rest of a tier-1 value is tier 1 too, and any tier-2
    span inside the widened run joins it in the resolver.
    """
    out: list[Span] = []
    for span in spans:
        if span.kind not in _ID_KINDS:
            out.append(span)
            continue
        start, end = span.start, span.end
        for _ in range(_ID_GROUPS):
            tail = _ID_TAIL.match(text, end)
            if tail is None:
                break
            end = tail.end()
        for _ in range(_ID_GROUPS):
            head = _ID_HEAD.search(text, max(0, start - 24), start)
            if head is None:
                break
            start = head.start()
        if (start, end) == (span.start, span.end):
            out.append(span)
        else:
            out.append(Span(start, end, span.kind, span.source, span.confidence, span.label, span.entity))
    return out


_MIN_REPEAT_CHARS = 5  # a shorter value ("Li", "$5") may be an ordinary word elsewhere


def _elsewhere(text: str, resolved: list[Span]) -> list[Span]:
    """Other occurrences, in the same text, of the values already found in it.

    A detector judges each occurrence in its context, so one can pass ("+1 415 555 2671 0@"
    looks glued to what follows) while another is found: a value found once is never left in
    clear elsewhere in the same text. Exact and case-sensitive, for values of at least
    `_MIN_REPEAT_CHARS` characters, on word boundaries for tier 2 (a tier-1 value goes wherever
    it stands); each occurrence joins its value's entity. Linear in the text: a few values are
    looked up with `str.count`/`str.find`, many (a long text full of names) in one
    Aho-Corasick pass.
    """
    values: dict[str, Span] = {}
    for span in resolved:
        if len(span) >= _MIN_REPEAT_CHARS and span.kind != "LITERAL" and span.kind != "DESCRIPTIVE":
            values.setdefault(text[span.start : span.end], span)
    if not values:
        return []
    covered = {(span.start, span.end) for span in resolved}
    found: list[Span] = []
    if len(values) * len(text) <= _REPEAT_FIND_BUDGET:
        for surface, span in values.items():
            if text.count(surface) < 2:
                continue  # the common case: a value stands once in its text
            at = text.find(surface)
            while at != -1:
                _repeat(text, at, at + len(surface), span, covered, found)
                at = text.find(surface, at + len(surface))
        return found
    automaton = ahocorasick.Automaton()
    for surface in values:
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    for last, surface in automaton.iter(text):
        _repeat(text, last + 1 - len(surface), last + 1, values[surface], covered, found)
    return found


_REPEAT_FIND_BUDGET = 4_000_000  # values x characters: beyond it, one automaton pass


def _repeat(
    text: str, at: int, end: int, span: Span, covered: set[tuple[int, int]], found: list[Span]
) -> None:
    """Record ``text[at:end]`` as another occurrence of ``span``'s value, unless it is that span
    or (tier 2 only) glued to a word: a tier-1 value is dropped even as "536-22-1234x"."""
    if (at, end) in covered:
        return
    if span.kind not in _DROP_KINDS and (
        (_is_word(text, at) and _is_word(text, at - 1)) or (_is_word(text, end - 1) and _is_word(text, end))
    ):
        return
    # The same surface: the replacer derives the same identity from it where the span has none.
    found.append(Span(at, end, span.kind, span.source, span.confidence, span.label, span.entity))


def _masked(
    view_text: str, types: frozenset[str] = frozenset(), values: Mapping[str, str] | None = None
) -> str:
    """The view with token-like runs and drop markers blanked out, length for length.

    A placeholder is never context for a detector: "[PHONE_1] 0 000000" must not make the
    digits after it a phone because the token says PHONE, nor "[REDACTED:US_SSN] 123456789"
    an SSN. Without this, scrubbing a scrubbed text (a re-sent reply) would change it. The
    placeholder of a number-like value of ``values`` (the map) is blanked with `_VALUE_MASK`: a
    value stood there. A drop marker with `_DROP_MASK`: an id label's reach ends at it. Everything
    else, a literal the caller typed included, with `_MASK`.
    """
    if "[" not in view_text:
        return view_text
    runs: list[tuple[int, int, str]] = []
    for ref in iter_token_refs(view_text, types=types):
        mask = _MASK
        if values and ref.key[1:].rpartition("_")[0] in _VALUE_KINDS:
            value = values.get(ref.key)
            if value is not None and value != view_text[ref.start : ref.end]:  # not a literal
                mask = _VALUE_MASK
        runs.append((ref.start, ref.end, mask))
    # A drop marker stands for a value: a label before it is spent ("SSN [REDACTED:US_SSN] ref
    # 123456789": the reference is no SSN now, as it was none before the SSN was dropped).
    runs.extend((*m.span(), _DROP_MASK) for m in _REDACTED_MARK.finditer(view_text))
    if not runs:
        return view_text
    parts: list[str] = []
    pos = 0
    for start, end, mask in sorted(runs):
        start = max(start, pos)
        parts.append(view_text[pos:start])
        parts.append(mask * (end - start))
        pos = max(pos, end)
    parts.append(view_text[pos:])
    return "".join(parts)


def _outside(spans: list[Span], protected: Sequence[tuple[int, int]]) -> list[Span]:
    """Trim spans so none overlaps a protected run (keeping what lies outside it)."""
    if not protected:
        return spans
    kept: list[Span] = []
    for span in spans:
        pieces = [(span.start, span.end)]
        for p_start, p_end in protected:
            if p_start >= span.end:
                break
            pieces = [
                piece
                for s, e in pieces
                for piece in ((s, min(e, p_start)), (max(s, p_end), e))
                if piece[0] < piece[1]
            ] if p_end > span.start else pieces  # fmt: skip
        for s, e in pieces:
            whole = (s, e) == (span.start, span.end)
            kept.append(span if whole else Span(s, e, span.kind, span.source, span.confidence, span.label))
    return kept


def _rank(span: Span) -> tuple[int, int, float, int, str]:
    return (span.tier, -len(span), -span.confidence, _SOURCE_RANK.get(span.source, 2), span.kind)


def _resolve(spans: list[Span], rank: Callable[[Span], tuple[object, ...]] = _rank) -> list[Span]:
    """Merge overlapping proposals: the stronger privacy outcome wins.

    Overlapping spans form one cluster that is replaced as a whole (their union), typed by
    the strongest member: tier 1 over tier 2, then the longer, then the more confident.
    Taking the union means no layer's proposal is ever left half-exposed. First, NER names
    yield to the rules and the dictionary (`_yield_to_owned`): the caller's knowledge and a
    tier-1 match are never re-typed by a model's guess.
    """
    if len(spans) < 2:
        return spans
    if any(span.source == "ner" for span in spans):
        spans = _yield_to_owned(spans)
    spans.sort(key=_start_then_longest)
    resolved: list[Span] = []
    cluster: list[Span] = []
    cluster_end = -1
    for span in spans:
        if span.start < cluster_end:
            cluster.append(span)
            if span.end > cluster_end:
                cluster_end = span.end
            continue
        if cluster:
            resolved.append(_merged(cluster, cluster_end, rank))
        cluster = [span]
        cluster_end = span.end
    resolved.append(_merged(cluster, cluster_end, rank))
    return resolved


def _start_then_longest(span: Span) -> tuple[int, int]:
    return span.start, -span.end


def _merged(cluster: list[Span], end: int, rank: Callable[[Span], tuple[object, ...]] = _rank) -> Span:
    """One cluster's replacement: its strongest member, widened to the cluster's union."""
    if len(cluster) == 1:
        return cluster[0]  # the common case: no overlap, nothing to rank
    best = min(cluster, key=rank)  # the first of equals: ties keep the sorted order
    start = cluster[0].start  # sorted by start
    if (best.start, best.end) == (start, end):
        return best
    # The widened span keeps the identity its strongest member carries: "Ms. Mary" (a known
    # person's partial) joined to "Mary Smith" is still that person, not a new one.
    return Span(start, end, best.kind, best.source, best.confidence, best.label, best.entity)


def _hint(span: Span, surface: str, bucket: BucketSpec) -> str | None:
    if span.kind == "AMOUNT" and bucket.amounts:
        return amount_hint(surface)
    if span.kind == "DATE" and bucket.dates:
        return date_hint(surface)
    return None


def scrub(
    text: str,
    *,
    known_entities: Mapping[str, Sequence[str]] | KnownEntities | None = None,
    bucket: bool | BucketSpec | Mapping[str, bool] = False,
    state: ScrubState | None = None,
    ner_fn: NerFn | None = None,
    detectors: Sequence[Detector] = DEFAULT_DETECTORS,
    policy: Policy | None = None,
) -> ScrubResult:
    """Replace every sensitive value of ``text`` with a token or a `[REDACTED:KIND]` marker.

    ``policy``: the operator's actions, rules, allow and deny terms (`Policy`); None, like
    ``Policy()``, is today's behaviour. A blocked value is written as a drop and counted in
    ``audit.blocked``: the caller refuses the request.

    Deterministic: the same text, arguments and state give the same output, byte for byte.
    ``state`` is updated in place (pass the same one for every item and call of a map); the
    returned ``token_map`` is a live read-only view of it. Tier-1 values are never stored.
    Raises `InputError` for a non-``str`` text or a malformed spec; any ``str`` is accepted
    (NUL, lone surrogates, megabytes) and costs time linear in its length.
    """
    if not isinstance(text, str):
        raise InputError("text must be a str")
    spec = _NO_BUCKET if bucket is False else _as_bucket(bucket)
    dictionary = None if known_entities is None else compile_known_entities(known_entities)
    state = state if state is not None else ScrubState()

    # Normalization folds only non-ASCII characters: an ASCII text is its own detection view.
    view = None if is_plain(text) else normalize(text)
    # -- policy hook (docs/architecture.md §12): custom token types read as tokens ------------
    types = state.custom_types if policy is None else state.custom_types | policy.custom_types
    view_text = _masked(text if view is None else view.text, types, state.token_map)
    proposals: list[Span] = []
    for detector in detectors:
        proposals.extend(detector.detect(view_text))
    if proposals and not spec.dates:
        # Only dates of birth are tokenized unless dates are bucketed.
        proposals = [s for s in proposals if s.kind != "DATE" or s.label == "dob"]
    if policy is not None:  # policy hook: custom rules and deny terms, resolved with the rest
        proposals.extend(policy.propose(view_text))
    if dictionary is not None:
        proposals.extend(dictionary.find(view_text))
    recalled = state.recall()  # the map remembers: its values are known entities too
    if recalled is not None:
        proposals.extend(recalled.find(view_text))
    # Values behind escapes (`4111%201111...`, `jane\u0040x.com`): the same layers, decoded.
    finders: list[Callable[[str], Iterable[Span]]] = [f.find for f in (dictionary, recalled) if f is not None]
    if policy is not None:
        finders.append(policy.propose)
    proposals.extend(escaped_spans(view_text, detectors, finders))
    if view is not None and proposals and not view.is_identity:
        proposals = [
            Span(*view.to_original(s.start, s.end), s.kind, s.source, s.confidence, s.label, s.entity)
            for s in proposals
        ]
    if ner_fn is not None:
        proposals.extend(_ner_spans(text, ner_fn(text), policy.ner_allow if policy is not None else ()))
    if proposals and any(span.kind in _ID_KINDS for span in proposals):
        proposals = _widened_ids(text, proposals)
    if proposals:
        proposals = outside_escapes(text, proposals)  # `to%20jane@x.com`: not `20jane@x.com`

    rank: Callable[[Span], tuple[object, ...]] = _rank
    allowed: dict[str, int] = {}
    if policy is not None:  # policy hook: allow terms out; the stronger action wins overlaps
        held = frozenset(state.token_map.values()) if policy.allow and len(state) else frozenset()
        proposals, allowed = policy.without_allowed(text, proposals, held)
        rank = policy.ranked(_rank)
    protected, literals = _protected_runs(text, state, types)
    resolved = _resolve(_outside(proposals, protected), rank)
    if resolved:
        again = _elsewhere(text, resolved)
        if again:
            resolved = _resolve(_outside([*resolved, *again], protected), rank)
    if literals:
        resolved = sorted([*resolved, *literals], key=lambda s: s.start)
    if not resolved:
        return ScrubResult(text, state.token_map, ScrubAudit(policy={"allow": allowed} if allowed else {}))

    out: list[str] = []
    tier1: dict[str, int] = {}
    by_type: dict[str, int] = {}
    used: dict[str, None] = {}
    descriptive = 0
    acted: dict[str, dict[str, int]] = {"allow": allowed} if allowed else {}  # beyond the defaults
    pos = 0
    hints = spec.amounts or spec.dates
    for span in resolved:
        kind = span.kind
        out.append(text[pos : span.start])
        surface = text[span.start : span.end]
        action: Action = "drop" if kind in _DROP_KINDS else "tokenize"
        if policy is not None:  # policy hook: the span's action
            action = policy.action(span)
        if action == "drop":
            out.append(f"[REDACTED:{kind}]")
            if kind in _TIER1_KINDS:
                tier1[kind] = tier1.get(kind, 0) + 1
            elif kind == "DESCRIPTIVE":
                descriptive += 1
            else:
                acted.setdefault("drop", {})[kind] = acted.get("drop", {}).get(kind, 0) + 1
        elif action != "tokenize":  # policy hook: mask, allow, block
            out.append(Policy.replacement(action, kind, surface))
            acted.setdefault(action, {})[kind] = acted.get(action, {}).get(kind, 0) + 1
        else:
            entity = span.entity
            if not entity:  # an ASCII surface is its own normalized form
                entity = entity_key(kind, surface if surface.isascii() else normalize(surface).text)
            token = state.token_for(kind, entity, surface)
            hint = _hint(span, surface, spec) if hints else None
            out.append(f"{token[:-1]}: {hint}]" if hint else token)
            by_type[kind] = by_type.get(kind, 0) + 1
            used.setdefault(token, None)
        pos = span.end
    out.append(text[pos:])
    audit = ScrubAudit(
        dict(sorted(tier1.items())), dict(sorted(by_type.items())), tuple(used), descriptive,
        {action: dict(sorted(kinds.items())) for action, kinds in sorted(acted.items())},
    )  # fmt: skip
    return ScrubResult("".join(out), state.token_map, audit)
