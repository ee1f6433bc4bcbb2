"""Scrub corpus records and measure what leaked: shared by the leak test and benchmarks/detection.

Definitions (simpler than the public PII scorer's, and exact for this engine's output):

- Replaced segments. `scrub` output is the input with some segments replaced by a token or a
  `[REDACTED:KIND]` marker. Knowing each token's value (the map), the output is matched back
  onto the input (a marker's value is unknown, it matches lazily), giving the input segments
  that were replaced. None when the output is not of that shape (then the value rules below
  still apply, the positional one and collateral do not).
- A planted span leaked when any rule fires:
  value       its value, casefolded, whitespace removed, occurs in the output (the same
              fold): `leaked()`, the leak test's historical rule;
  ident       (phones, cards, ids) its characters with separators removed (whitespace and
              ``- . ( ) / +``, NFKC so full-width digits fold) occur in the output so folded;
  street      (ADDRESS) its street part, the text before the first comma or line break when
              >= 6 characters, survives as in the value rule;
  position    a short value (< 6 folded characters: a CVV, a PIN, a given name) is judged
              where it stands: leaked unless replaced segments cover it entirely (a short
              value elsewhere in the output is not evidence);
  name word   (PERSON, ORG, LOC) a word of the value left where it stood: "Hans-Georg" ->
              "[PERSON_1]-Georg" leaks "Georg". Honorifics and, for ORG, legal-form and
              generic words ("GmbH", "Group", "and") are not evidence.
  Values of 6+ characters are looked for anywhere in the output (a value kept verbatim at one
  mention is exposed, whichever mention it is).
- Collateral: in records with spans, characters outside every planted span that fall in a
  replaced segment / characters outside every planted span (a swallowed ")" counts 1). Two
  kinds of line count as PII whole, since they are dropped whole by design: the lines of a
  machine-readable zone (MRZ: 30, 36 or 44 of ``A-Z0-9<`` with a ``<<``; issue 10) and a
  PEM block's ``-----BEGIN/END ...-----`` armour around its planted body.
- Overreach: a span whose replacement also took non-PII characters next to it (per variant:
  "phones/PHONE:punct" shows a phone swallowing its ")").
- Negative modified: a record without spans whose output differs from its input.
- Round trip exact: ``rehydrate(scrub(x)) == x`` among records where nothing tier-1 was dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from redaction import TIER1_KINDS, NerFn, ScrubState, rehydrate, scrub

from .generate import Planted, Record

__all__ = [
    "IDENT_TYPES",
    "Outcome",
    "Summary",
    "entity_tokens",
    "leaked",
    "leaked_span",
    "replaced_segments",
    "run",
    "scrub_record",
    "summarize",
    "variant",
]

IDENT_TYPES = frozenset(
    {"PHONE", "CREDIT_CARD", "US_SSN", "US_ITIN", "IBAN", "US_BANK_ROUTING", "US_BANK_ACCOUNT", "KR_RRN",
     "NATIONAL_ID", "PASSPORT", "CVV", "PIN", "ID"}
)  # fmt: skip
_TIER1 = frozenset(TIER1_KINDS)
_SPACE = re.compile(r"\s+")
_IDENT_SEP = re.compile(r"[\s\-.()/+\u3000]+")
_MARKER = re.compile(r"\[(?:REDACTED:[A-Z0-9_]{1,32}|[A-Z][A-Z0-9_]*_\d+(?:\.\d+)?)\]")
_TOKEN = re.compile(r"\[([A-Z][A-Z0-9_]*)_(\d+)(?:\.(\d+))?\]")
_SHORT = 6
_NAME_TYPES = frozenset({"PERSON", "ORG", "LOC"})
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")
_HONORIFICS = frozenset(["mr", "mrs", "ms", "mx", "dr", "prof", "sir", "herr", "frau", "mme", "mlle"])
_ORG_GENERIC = frozenset(
    ("inc", "ltd", "llc", "plc", "gmbh", "ag", "kg", "mbh", "ohg", "sa", "sas", "sarl", "spa", "srl", "bv",
     "nv", "corp", "co", "company", "group", "holdings", "partners", "and", "the", "of", "und", "et", "cie",
     "ev", "sl", "lp", "llp", "limited")
)  # fmt: skip
_PEM_ARMOUR = re.compile(r"-----(?:BEGIN|END) [A-Z0-9 ]{1,40}-----")
_MRZ_LINE = re.compile(r"^(?:[A-Z0-9<]{30}|[A-Z0-9<]{36}|[A-Z0-9<]{44})$", re.MULTILINE)
_MAX_UNKNOWN = 24  # markers of unknown value per text beyond which matching back is skipped


def _flat(text: str) -> str:
    return _SPACE.sub("", text.casefold())


def leaked(value: str, output: str) -> bool:
    """The planted value, casefolded and with whitespace removed, is still in the output."""
    return _flat(value) in _flat(output)


def _ident(text: str) -> str:
    return _IDENT_SEP.sub("", unicodedata.normalize("NFKC", text)).upper()


@dataclass(frozen=True)
class Outcome:
    """One record scrubbed: the output (turns joined like the record's text), what was replaced."""

    record: Record
    output: str
    tier1_dropped: int
    roundtrip_exact: bool | None  # None: a tier-1 value was dropped, no round trip by design
    replaced: tuple[tuple[int, int, str], ...] | None  # (start, end, marker) in record.text
    turn_outputs: tuple[str, ...] = ()
    token_map: Mapping[str, str] = field(default_factory=dict)


def replaced_segments(
    text: str, output: str, token_map: Mapping[str, str]
) -> list[tuple[int, int, str]] | None:
    """The (start, end, marker) input segments that ``output`` replaced, or None if unmatchable."""
    parts: list[str] = []
    markers: list[str] = []
    pos = 0
    unknown = 0
    for m in _MARKER.finditer(output):
        parts.append(re.escape(output[pos : m.start()]))
        marker = m.group()
        value = token_map.get(marker)
        if value is None:
            unknown += 1
            parts.append("(.+?)")
        else:
            parts.append(f"({re.escape(value)})")
        markers.append(marker)
        pos = m.end()
    parts.append(re.escape(output[pos:]))
    if unknown > _MAX_UNKNOWN:
        return None
    match = re.fullmatch("".join(parts), text, re.DOTALL)
    if match is None:
        return None
    segments = []
    for i, marker in enumerate(markers, start=1):
        start, end = match.span(i)
        if text[start:end] != marker:  # a literal token in the input stays itself
            segments.append((start, end, marker))
    return segments


def _covered(span: Planted, segments: Sequence[tuple[int, int, str]]) -> bool:
    at = span.start
    for start, end, _ in segments:
        if start <= at < end:
            at = end
        if at >= span.end:
            return True
    return at >= span.end


def leaked_span(span: Planted, outcome: Outcome) -> bool:
    """Whether ``span`` leaked in ``outcome`` (the rules of the module docstring)."""
    output = outcome.output
    folded = _flat(span.value)
    if len(folded) < _SHORT and outcome.replaced is not None:
        return not _covered(span, outcome.replaced)
    if folded in _flat(output):
        return True
    if span.type in IDENT_TYPES:
        ident = _ident(span.value)
        if len(ident) >= _SHORT and ident in _ident(output):
            return True
    if span.type in _NAME_TYPES and outcome.replaced is not None:
        for word in _NAME_WORD.finditer(span.value):
            low = word.group().casefold()
            if low in _HONORIFICS or (span.type == "ORG" and low in _ORG_GENERIC):
                continue
            piece = Planted(span.start + word.start(), span.start + word.end(), word.group(), span.type)
            if not _covered(piece, outcome.replaced):
                return True
    if span.type == "ADDRESS":
        street = re.split(r"[,\n]", span.value, maxsplit=1)[0].strip()
        if len(_flat(street)) >= _SHORT and leaked(street, output):
            return True
    return False


def scrub_record(record: Record, ner_fn: NerFn | None = None) -> Outcome:
    """Scrub a record (a multi-turn one turn by turn under one map) and match the output back."""
    state = ScrubState()
    if record.turns:
        outputs: list[str] = []
        dropped = 0
        exact = True
        for turn in record.turns:
            result = scrub(turn.text, known_entities=turn.known_entities, state=state, ner_fn=ner_fn)
            outputs.append(result.text)
            dropped += result.audit.tier1_dropped
            exact = exact and rehydrate(result.text, result.token_map) == turn.text
        token_map = dict(state.token_map)
        output = "\n\n".join(outputs)
        replaced = replaced_segments(record.text, output, token_map)
        return Outcome(record, output, dropped, None if dropped else exact,
                       None if replaced is None else tuple(replaced), tuple(outputs), token_map)  # fmt: skip
    result = scrub(record.text, known_entities=record.known_entities, state=state, ner_fn=ner_fn)
    token_map = dict(result.token_map)
    dropped = result.audit.tier1_dropped
    single = None if dropped else rehydrate(result.text, token_map) == record.text
    replaced = replaced_segments(record.text, result.text, token_map)
    return Outcome(record, result.text, dropped, single, None if replaced is None else tuple(replaced),
                   (result.text,), token_map)  # fmt: skip


def entity_tokens(outcome: Outcome) -> dict[str, set[tuple[str, int] | None]]:
    """Multi-turn: entity -> the (type, number) of the token(s) each of its mentions became
    (None for a mention no single token covers)."""
    found: dict[str, set[tuple[str, int] | None]] = defaultdict(set)
    for span in outcome.record.spans:
        if not span.entity:
            continue
        markers = [
            marker for start, end, marker in outcome.replaced or () if start < span.end and span.start < end
        ]
        parsed = [_TOKEN.fullmatch(m) for m in markers]
        if len(parsed) != 1 or parsed[0] is None or not _covered(span, outcome.replaced or ()):
            found[span.entity].add(None)
            continue
        found[span.entity].add((parsed[0].group(1), int(parsed[0].group(2))))
    return dict(found)


@dataclass
class _Tally:
    spans: int = 0
    leaked: int = 0
    tier1: int = 0
    tier1_leaked: int = 0
    records: int = 0
    negatives: int = 0
    negatives_modified: int = 0
    collateral_changed: int = 0
    collateral_chars: int = 0
    roundtrips: int = 0
    roundtrips_exact: int = 0
    unmatched: int = 0  # outputs not matchable back onto their input
    overreach: int = 0  # spans whose replacement also took non-PII text next to them

    def as_dict(self) -> dict[str, float | int | None]:
        def rate(num: int, den: int) -> float | None:
            return round(num / den, 4) if den else None

        return {
            **self.__dict__,
            "leak_rate": rate(self.leaked, self.spans),
            "tier1_leak_rate": rate(self.tier1_leaked, self.tier1),
            "negatives_modified_rate": rate(self.negatives_modified, self.negatives),
            "collateral_rate": rate(self.collateral_changed, self.collateral_chars),
            "roundtrip_exact_rate": rate(self.roundtrips_exact, self.roundtrips),
        }


@dataclass
class Summary:
    """Tallies over outcomes, overall and per class, type and (class, variant)."""

    overall: _Tally = field(default_factory=_Tally)
    by_class: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_type: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_variant: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def as_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.as_dict(),
            "by_class": {k: v.as_dict() for k, v in sorted(self.by_class.items())},
            "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
            "by_variant": {k: v.as_dict() for k, v in sorted(self.by_variant.items())},
            "examples": {k: v for k, v in sorted(self.examples.items())},
        }


def _whole_lines(text: str) -> list[tuple[int, int]]:
    """MRZ lines and PEM armour: PII as a whole (see the module docstring)."""
    found: list[tuple[int, int]] = []
    if "<<" in text:
        found += [m.span() for m in _MRZ_LINE.finditer(text) if "<<" in m.group()]
    if "-----" in text:
        found += [m.span() for m in _PEM_ARMOUR.finditer(text)]
    return found


def variant(span: Planted) -> str:
    """A span's variant without its free parts: "card/each: " -> "card/each"."""
    head = span.label.split(":")[0]
    return f"{span.type}:{head}" if head else span.type


def summarize(outcomes: Iterable[Outcome], *, examples: int = 3) -> Summary:
    summary = Summary()
    for outcome in outcomes:
        record = outcome.record
        cls = summary.by_class[record.family]
        for tally in (summary.overall, cls):
            tally.records += 1
            tally.unmatched += outcome.replaced is None
            if outcome.roundtrip_exact is not None:
                tally.roundtrips += 1
                tally.roundtrips_exact += outcome.roundtrip_exact
        if not record.spans:
            for tally in (summary.overall, cls):
                tally.negatives += 1
                tally.negatives_modified += outcome.output != record.text
            if (
                outcome.output != record.text
                and len(summary.examples[f"{record.family}:negative"]) < examples
            ):
                summary.examples[f"{record.family}:negative"].append(outcome.output[:300])
            continue
        in_span = bytearray(len(record.text))
        if outcome.replaced is not None:
            for start, end in [(s.start, s.end) for s in record.spans] + _whole_lines(record.text):
                in_span[start:end] = b"\x01" * (end - start)
            outside = len(record.text) - sum(in_span)
            changed = sum((end - start) - sum(in_span[start:end]) for start, end, _ in outcome.replaced)
            for tally in (summary.overall, cls):
                tally.collateral_changed += changed
                tally.collateral_chars += outside
        for span in record.spans:
            is_leak = leaked_span(span, outcome)
            over = _overreach(span, outcome, in_span)
            tier1 = span.type in _TIER1
            key = f"{record.family}/{variant(span)}"
            for tally in (summary.overall, cls, summary.by_type[span.type], summary.by_variant[key]):
                tally.spans += 1
                tally.leaked += is_leak
                tally.tier1 += tier1
                tally.tier1_leaked += tier1 and is_leak
                tally.overreach += over
            if is_leak and len(summary.examples[key]) < examples:
                summary.examples[key].append(f"{span.value!r} in {_context(outcome, span)!r}")
    return summary


def _overreach(span: Planted, outcome: Outcome, in_span: bytearray) -> bool:
    """A replacement over ``span`` also took adjacent non-PII text ("(+44 20 7946 0958)" ->
    "([PHONE_1]" swallowed the ")"); whitespace between two PII values does not count."""
    text = outcome.record.text
    for start, end, _ in outcome.replaced or ():
        if start >= span.end or span.start >= end:
            continue
        taken = [*range(start, span.start), *range(span.end, end)]
        if any(not in_span[i] and not text[i].isspace() for i in taken):
            return True
    return False


def _context(outcome: Outcome, span: Planted, width: int = 60) -> str:
    """The output around where the span stood (best effort: the value's neighbourhood)."""
    output = outcome.output
    at = output.find(span.value)
    if at < 0:
        at = min(span.start, max(len(output) - width, 0))
    return output[max(at - width // 2, 0) : at + len(span.value) + width // 2]


def run(records: Iterable[Record], ner_fn: NerFn | None = None) -> list[Outcome]:
    return [scrub_record(record, ner_fn) for record in records]
