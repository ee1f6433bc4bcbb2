"""scrub(): every layer proposes spans, one resolver merges them, one replacer writes the text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ._bucket import amount_hint, date_hint
from ._entities import entity_key
from ._known_entities import KnownEntities, compile_known_entities
from ._normalize import normalize
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
_WORD = re.compile(r"\w")
# Tie-break among overlapping spans after tier and length: the caller's own knowledge first.
_SOURCE_RANK = {"literal": 0, "dictionary": 1, "ner": 3}


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


def _ner_spans(text: str, proposals: Iterable[tuple[str, str]]) -> list[Span]:
    """Locate each proposed surface verbatim, on word boundaries; ignore anything else."""
    spans: list[Span] = []
    seen: set[tuple[str, str]] = set()
    for surface, label in proposals:
        kind = _NER_LABELS.get(str(label).upper())
        if kind is None:
            raise InputError(f"ner_fn proposed an unknown label {str(label)[:20]!r}")
        surface = str(surface).strip()
        if len(surface) < 2 or (surface, kind) in seen:
            continue
        seen.add((surface, kind))
        at = text.find(surface)
        while at != -1:
            end = at + len(surface)
            bounded_left = not (_is_word(text, at) and _is_word(text, at - 1))
            bounded_right = not (_is_word(text, end - 1) and _is_word(text, end))
            if bounded_left and bounded_right:
                spans.append(Span(at, end, kind, "ner", 0.85, label=str(label).lower()))
            at = text.find(surface, at + 1)
    return spans


def _protected_runs(text: str, state: ScrubState) -> tuple[list[tuple[int, int]], list[Span]]:
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
    for ref in iter_token_refs(text):
        protected.append((ref.start, ref.end))
        raw = text[ref.start : ref.end]
        if ref.canonical and ref.key in state.token_map:
            continue
        if not state.reserve_literal(ref.key, raw):
            literals.append(Span(ref.start, ref.end, "LITERAL", "literal",
                                 entity=entity_key("LITERAL", text[ref.start : ref.end])))  # fmt: skip
    protected.extend(m.span() for m in _REDACTED_MARK.finditer(text))
    protected.sort()
    return protected, literals


def _outside(spans: Iterable[Span], protected: Sequence[tuple[int, int]]) -> list[Span]:
    """Trim spans so none overlaps a protected run (keeping what lies outside it)."""
    if not protected:
        return list(spans)
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


def _resolve(spans: list[Span]) -> list[Span]:
    """Merge overlapping proposals: the stronger privacy outcome wins.

    Overlapping spans form one cluster that is replaced as a whole (their union), typed by
    the strongest member: tier 1 over tier 2, then the longer, then the more confident.
    Taking the union means no layer's proposal is ever left half-exposed.
    """
    spans.sort(key=lambda s: (s.start, -s.end))
    resolved: list[Span] = []
    cluster: list[Span] = []
    cluster_end = -1

    def flush() -> None:
        if not cluster:
            return
        best = min(cluster, key=_rank)
        start = min(s.start for s in cluster)
        if len(cluster) == 1 or (best.start, best.end) == (start, cluster_end):
            resolved.append(best)
        else:
            resolved.append(Span(start, cluster_end, best.kind, best.source, best.confidence, best.label))

    for span in spans:
        if span.start >= cluster_end:
            flush()
            cluster = [span]
            cluster_end = span.end
        else:
            cluster.append(span)
            cluster_end = max(cluster_end, span.end)
    flush()
    return resolved


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
) -> ScrubResult:
    """Replace every sensitive value of ``text`` with a token or a `[REDACTED:KIND]` marker.

    Deterministic: the same text, arguments and state give the same output, byte for byte.
    ``state`` is updated in place (pass the same one for every item and call of a map); the
    returned ``token_map`` is a live read-only view of it. Tier-1 values are never stored.
    Raises `InputError` for a non-``str`` text or a malformed spec; any ``str`` is accepted
    (NUL, lone surrogates, megabytes) and costs time linear in its length.
    """
    if not isinstance(text, str):
        raise InputError("text must be a str")
    spec = _as_bucket(bucket)
    dictionary = compile_known_entities(known_entities)
    state = state if state is not None else ScrubState()

    view = normalize(text)
    proposals: list[Span] = []
    for detector in detectors:
        for span in detector.detect(view.text):
            if span.kind == "DATE" and span.label != "dob" and not spec.dates:
                continue
            proposals.append(span)
    if dictionary is not None:
        proposals.extend(dictionary.find(view.text))
    if not view.is_identity:
        proposals = [
            Span(*view.to_original(s.start, s.end), s.kind, s.source, s.confidence, s.label, s.entity)
            for s in proposals
        ]
    if ner_fn is not None:
        proposals.extend(_ner_spans(text, ner_fn(text)))

    protected, literals = _protected_runs(text, state)
    resolved = _resolve(_outside(proposals, protected))
    if literals:
        resolved = sorted([*resolved, *literals], key=lambda s: s.start)

    out: list[str] = []
    tier1: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    used: dict[str, None] = {}
    descriptive = 0
    pos = 0
    for span in resolved:
        out.append(text[pos : span.start])
        surface = text[span.start : span.end]
        if span.kind in DROP_KINDS:
            out.append(f"[REDACTED:{span.kind}]")
            if span.kind in TIER1_KINDS:
                tier1[span.kind] += 1
            else:
                descriptive += 1
        else:
            entity = span.entity or entity_key(span.kind, normalize(surface).text)
            token = state.token_for(span.kind, entity, surface)
            hint = _hint(span, surface, spec)
            out.append(f"{token[:-1]}: {hint}]" if hint else token)
            by_type[span.kind] += 1
            used.setdefault(token, None)
        pos = span.end
    out.append(text[pos:])
    audit = ScrubAudit(dict(sorted(tier1.items())), dict(sorted(by_type.items())), tuple(used), descriptive)
    return ScrubResult("".join(out), state.token_map, audit)
