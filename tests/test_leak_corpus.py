"""Leak test over the synthetic corpus (`tests/corpus/generate.py`, fixed seed) and issue 10's
failure classes (`tests/corpus/classes.py`, rules + dictionary only).

Guarantees (asserted): no tier-1 value and no known-entity value survives a scrub. On the base
corpus a tier-1 guarantee is enforced for every kind (and key flavour) that the landed
detectors handle, judged by a canonical probe below; the others are reported as not yet
enforced. On the class corpus every tier-1 span of every class is enforced, and a multi-turn
conversation keeps one token per person across turns. For the other types the leak rate is
measured, printed, and held to a loose ceiling where a detector exists.

A leak: the planted value, casefolded and with whitespace removed, still occurs in the output
(casefolded, whitespace removed): `leaked`. The class tests add the rules of
`tests.corpus.measure` (separators removed for ids and phones, the street of an address, a
short value judged where it stands). Values are synthetic, so failure messages show them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pytest
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.br import cpf as stdnum_cpf
from stdnum.cn import ric as stdnum_ric
from stdnum.es import dni as stdnum_dni
from stdnum.es import nie as stdnum_nie
from stdnum.fr import nir as stdnum_nir
from stdnum.in_ import aadhaar as stdnum_aadhaar
from stdnum.it import codicefiscale as stdnum_cf
from stdnum.nl import bsn as stdnum_bsn
from stdnum.us import rtn as stdnum_rtn
from stdnum.us import ssn as stdnum_ssn

from redaction import TIER1_KINDS, rehydrate, scrub
from tests.corpus.classes import CLASSES, TIER1_CLASSES, class_records, generate_classes
from tests.corpus.generate import Planted, Record, generate
from tests.corpus.measure import Outcome, entity_tokens, leaked, leaked_span, run, summarize

N_RECORDS = 1000
SEED = 20240501
N_PER_CLASS = 40

__all__ = ["leaked"]  # the historical leak rule, shared with benchmarks through tests.corpus.measure


# fmt: off
# (type, label) -> (context with {} for the value, value): does a detector handle it at all?
_ANTHROPIC = "sk-ant-api03-" + "Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz1Bc3Df5" * 3 + "AA"
_GITHUB_PAT = "github_pat_11ABCDEFG0123456789abc_" + "Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa98" * 2
_JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
_PEM_BODY = ("MIIEowIBAAKCAQEA7Xq2b9z0Yk3Lm4Np5Qr6St7Uv8Wx9Yz0Ab1Cd2Ef3Gh4Ij5Kl6\n"
             "Mn7Op8Qr9St0Uv1Wx2Yz3Ab4Cd5Ef6Gh7Ij8Kl9Mn0Op1Qr2St3Uv4Wx5Yz6Ab7C")
_ACH = "ACH details: routing {} account number {}"
PROBES: Mapping[tuple[str, str], tuple[str, str]] = {
    ("EMAIL", ""): ("Contact: {} today.", "bob.smith@example.com"),
    ("PHONE", ""): ("Call me on {} tomorrow.", "+1 650-253-0000"),
    ("IP", ""): ("Login from {} failed.", "81.2.69.160"),
    ("URL", ""): ("Profile: {} ok", "https://www.linkedin.com/in/jane-doe-42"),
    ("AMOUNT", ""): ("They committed {} to the round.", "$2.3M"),
    ("DATE", "dob"): ("Patient DOB: {}.", "1978-08-23"),
    ("ADDRESS", ""): ("Ship to {}, Mountain View", "1600 Amphitheatre Parkway"),
    ("PERSON", ""): ("Reporter: {} (ticket)", "Jane Doe"),
    ("CREDIT_CARD", ""): ("Card {} exp 04/29", "4111 1111 1111 1111"),
    ("IBAN", ""): ("Refund to IBAN {} please", "GB82 WEST 1234 5698 7654 32"),
    ("US_SSN", ""): ("KYC done, SSN {}, thanks", "536-22-1234"),
    ("US_BANK_ROUTING", ""): (_ACH.format("{}", "4401234567"), "021000021"),
    ("US_BANK_ACCOUNT", ""): (_ACH.format("021000021,", "{}"), "4401234567"),
    ("KR_RRN", ""): ("Korean resident registration number {} on file", "900101-1234568"),
    ("API_KEY", "aws"): ("AWS_ACCESS_KEY_ID={}", "AKIAQ3EGRTXZ7KQ2LM4N"),
    ("API_KEY", "aws_secret"): ("AWS_SECRET_ACCESS_KEY={}", "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"),
    ("API_KEY", "github"): ("token {}", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
    ("API_KEY", "github_pat"): ("GH={}", _GITHUB_PAT),
    ("API_KEY", "openai"): ("OPENAI_API_KEY={}", "sk-proj-" + "Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz1Bc3Df5" * 2),
    ("API_KEY", "anthropic"): ("key {} done", _ANTHROPIC),
    ("API_KEY", "slack"): ("SLACK_BOT_TOKEN={}", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ("API_KEY", "stripe"): ("stripe key {}", "sk_live_4eC39HqLyjWDarjtT1zdp7dcXq8RtY2b"),
    ("API_KEY", "google"): ("GOOGLE_KEY={}", "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"),
    ("API_KEY", "bearer"): ("Authorization: Bearer {}", "q8Zt3LmN5pRx7VwY2kJh4GfD6sA9cB1eXu0TyIoP"),
    ("JWT", ""): ("token={}", _JWT),
    ("PRIVATE_KEY", ""): ("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----", _PEM_BODY),
    ("PASSWORD", "conn_string"): ("db url=postgresql://svc_app:{}@db.internal:5432/app", "Zx9kq2Lm44!$"),
    ("PASSWORD", "assignment"): ("config loaded password={}", "Qw7Er9Ty2Ui4$%31"),
}

# Loose ceilings on the leak rate of tier-2 types, enforced once a detector handles the type.
CEILINGS: Mapping[str, float] = {
    "EMAIL": 0.02, "IP": 0.02, "PHONE": 0.10, "URL": 0.10, "AMOUNT": 0.10, "DATE": 0.10,
}
# fmt: on


def _covered(probe: tuple[str, str]) -> bool:
    context, value = probe
    return not leaked(value, scrub(context.format(value)).text)


@dataclass(frozen=True)
class Scrubbed:
    record: Record
    output: str
    tier1_dropped: int
    roundtrip: str


@pytest.fixture(scope="module")
def corpus() -> list[Scrubbed]:
    out: list[Scrubbed] = []
    for record in generate(N_RECORDS, seed=SEED):
        result = scrub(record.text, known_entities=record.known_entities)
        out.append(
            Scrubbed(
                record, result.text, result.audit.tier1_dropped, rehydrate(result.text, result.token_map)
            )
        )
    return out


@pytest.fixture(scope="module")
def coverage() -> set[tuple[str, str]]:
    return {key for key, probe in PROBES.items() if _covered(probe)}


def _key(span: Planted) -> tuple[str, str]:
    return (span.type, span.label if (span.type, span.label) in PROBES else "")


def _leaks(corpus: Sequence[Scrubbed], keep: Callable[[Planted], bool]) -> list[tuple[Scrubbed, Planted]]:
    return [
        (item, span)
        for item in corpus
        for span in item.record.spans
        if keep(span) and leaked(span.value, item.output)
    ]


@pytest.fixture(scope="module")
def classes() -> list[Outcome]:
    return run(generate_classes(N_PER_CLASS, seed=SEED))


def test_corpus_exercises_every_tier1_kind(corpus: list[Scrubbed], classes: list[Outcome]) -> None:
    planted = {span.type for item in corpus for span in item.record.spans}
    planted |= {span.type for outcome in classes for span in outcome.record.spans}
    missing = set(TIER1_KINDS) - {"URL_CREDENTIALS"} - planted
    assert not missing, f"the corpus lost a tier-1 family: {sorted(missing)}"


def test_no_tier1_value_leaks(corpus: list[Scrubbed], coverage: set[tuple[str, str]]) -> None:
    leaks = _leaks(corpus, lambda s: s.type in TIER1_KINDS and _key(s) in coverage)
    detail = "\n".join(
        f"  {item.record.id}: {span.type}/{span.label or '-'} {span.value!r}" for item, span in leaks[:20]
    )
    assert not leaks, (
        f"tier-1 values must never reach the LLM (docs/architecture.md §4); {len(leaks)} leaked:\n{detail}"
    )


def test_no_known_entity_leaks(corpus: list[Scrubbed]) -> None:
    failures: list[str] = []
    for item in corpus:
        for span in item.record.spans:
            if span.known and leaked(span.value, item.output):
                failures.append(f"  {item.record.id}: {span.type}/{span.label} {span.value!r}")
        for field, values in (item.record.known_entities or {}).items():
            for value in values:
                if leaked(value, item.output):
                    failures.append(f"  {item.record.id}: known {field} {value!r}")
    detail = "\n".join(failures[:20])
    assert not failures, (
        f"known entities must never reach the LLM (architecture.md §3.2); {len(failures)} leaked:\n{detail}"
    )


def test_round_trip_is_exact_without_tier1(corpus: list[Scrubbed]) -> None:
    broken = [
        item.record.id for item in corpus if not item.tier1_dropped and item.roundtrip != item.record.text
    ]
    assert not broken, (
        f"rehydrate(scrub(x)) != x for {len(broken)} records, e.g. {broken[:5]} (docs/architecture.md §4)"
    )


def test_leak_rates_by_type(
    corpus: list[Scrubbed],
    coverage: set[tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
    record_property: object,
) -> None:
    planted: Counter[tuple[str, str]] = Counter()
    leaks: Counter[tuple[str, str]] = Counter()
    for item in corpus:
        for span in item.record.spans:
            key = (span.type, "known" if span.known else _key(span)[1])
            planted[key] += 1
            leaks[key] += leaked(span.value, item.output)
    negatives = [item for item in corpus if item.record.family == "negative"]
    over = sum(item.output != item.record.text for item in negatives)

    rows = []
    for key in sorted(planted):
        rate = leaks[key] / planted[key]
        probe_key = (key[0], "") if key[1] == "known" else key
        status = "dictionary" if key[1] == "known" else "enforced" if probe_key in coverage else "no detector"
        counts = f"{planted[key]:>7} | {leaks[key]:>6} | {rate:>6.1%}"
        rows.append(f"| {key[0]:<16} | {key[1] or '-':<11} | {counts} | {status} |")
        record_property(f"leak_rate:{key[0]}:{key[1] or '-'}", round(rate, 4))  # type: ignore[operator]
    table = "\n".join(
        [
            f"\nleak rates over {len(corpus)} synthetic records (seed {SEED})",
            "| type             | label       | planted | leaked |   rate | status |",
            "|------------------|-------------|---------|--------|--------|--------|",
            *rows,
            f"over-redaction on negatives: {over}/{len(negatives)} records changed",
        ]
    )
    with capsys.disabled():
        print(table)

    over_ceiling = []
    for kind, ceiling in CEILINGS.items():
        if (kind, "dob" if kind == "DATE" else "") not in coverage:
            continue
        keys = [k for k in planted if k[0] == kind and k[1] != "known"]
        total = sum(planted[k] for k in keys)
        rate = sum(leaks[k] for k in keys) / total if total else 0.0
        if rate > ceiling:
            over_ceiling.append(f"{kind} {rate:.1%} > {ceiling:.0%}")
    assert not over_ceiling, f"leak rate above the ceiling for detected types: {over_ceiling}"


# -- issue 10's classes (tests/corpus/classes.py) ---------------------------------------------


@pytest.mark.parametrize("name", TIER1_CLASSES)
def test_no_tier1_value_leaks_in_class(classes: list[Outcome], name: str) -> None:
    leaks = [
        (outcome, span)
        for outcome in classes
        if outcome.record.family == name
        for span in outcome.record.spans
        if span.type in TIER1_KINDS and leaked_span(span, outcome)
    ]
    planted = sum(
        span.type in TIER1_KINDS for o in classes if o.record.family == name for span in o.record.spans
    )
    assert planted, f"class {name} planted no tier-1 value"
    detail = "\n".join(f"  {o.record.id}: {span.type}/{span.label} {span.value!r}" for o, span in leaks[:25])
    assert not leaks, (
        f"{name}: {len(leaks)}/{planted} tier-1 values reached the output (architecture.md §4):\n{detail}"
    )


def test_tier1_spans_in_other_classes_never_leak(classes: list[Outcome]) -> None:
    leaks = [
        f"  {o.record.id}: {span.type}/{span.label} {span.value!r}"
        for o in classes
        if o.record.family not in TIER1_CLASSES
        for span in o.record.spans
        if span.type in TIER1_KINDS and leaked_span(span, o)
    ]
    assert not leaks, "tier-1 values leaked:\n" + "\n".join(leaks[:25])


def test_multi_turn_map_remembers(classes: list[Outcome]) -> None:
    """Turn 1 names the entities; later turns (no known_entities) reuse their numbers."""
    failures: list[str] = []
    records = [o for o in classes if o.record.family == "multi_turn"]
    assert records
    assert all(len(o.record.turns) >= 3 for o in records)
    for outcome in records:
        for span in outcome.record.spans:
            if leaked_span(span, outcome):
                failures.append(f"  {outcome.record.id}: {span.label} {span.value!r} leaked")
        for entity, tokens in entity_tokens(outcome).items():
            if len(tokens) != 1 or None in tokens:
                mentions = [s.value for s in outcome.record.spans if s.entity == entity]
                failures.append(f"  {outcome.record.id}: {entity} {mentions} -> {sorted(map(str, tokens))}")
    assert not failures, f"{len(failures)} multi-turn failures:\n" + "\n".join(failures[:25])


def test_multi_turn_tokens_are_mention_variants(classes: list[Outcome]) -> None:
    """A later partial mention ("Weber" after "Markus Weber") is a variant of the full name's
    token (`[PERSON_2.2]`), so rehydration gives each surface back exactly."""
    for outcome in (o for o in classes if o.record.family == "multi_turn"):
        assert outcome.roundtrip_exact, outcome.record.id


def test_class_leak_rates(classes: list[Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    summary = summarize(classes)
    rows = []
    for name in CLASSES:
        t = summary.by_class[name].as_dict()
        rate = "-" if t["leak_rate"] is None else f"{t['leak_rate']:.1%}"
        tier1 = f"{t['tier1_leaked']}/{t['tier1']}"
        neg = f"{t['negatives_modified']}/{t['negatives']}"
        col = "-" if t["collateral_rate"] is None else f"{t['collateral_rate']:.2%}"
        counts = f"{t['spans']:>5} | {t['leaked']:>6} | {rate:>6} | {tier1:>9} | {neg:>7} | {col:>6}"
        rows.append(f"| {name:<13} | {counts} |")
    by_type = ", ".join(
        f"{kind} {t.leaked}/{t.spans}" for kind, t in sorted(summary.by_type.items()) if t.spans
    )
    with capsys.disabled():
        print(
            "\n".join(
                [
                    f"\nissue 10 classes, rules + dictionary, {N_PER_CLASS} records each (seed {SEED})",
                    "| class         | spans | leaked |   rate | tier-1 lk | neg mod | collat |",
                    "|---------------|-------|--------|--------|-----------|---------|--------|",
                    *rows,
                    f"leaked by type: {by_type}",
                ]
            )
        )
    assert summary.overall.spans > 0
    assert summary.overall.unmatched == 0, "outputs must match back onto inputs"


def test_class_streams_are_independent() -> None:
    """Record i of a class depends on (seed, class, i) only: other classes, or generating more
    records, never change it."""
    alone = [r.to_json() for r in class_records("phones", 12, seed=SEED)]
    list(class_records("addresses", 30, seed=SEED))
    again = [r.to_json() for r in class_records("phones", 25, seed=SEED)][:12]
    assert alone == again
    assert alone != [r.to_json() for r in class_records("phones", 12, seed=SEED + 1)]


_DIGITS_ONLY = str.maketrans("", "", " -./\u3000")


@pytest.mark.parametrize("name", ["t1_separators", "t1_labeled", "itin", "national_ids", "mrz"])
def test_planted_tier1_values_are_valid(name: str) -> None:
    """Values with a checksum are valid once their separators are removed (NFKC folds
    full-width digits), so a detector that validates may not skip them."""
    for record in class_records(name, 60, seed=SEED):
        for span in record.spans:
            raw = unicodedata.normalize("NFKC", span.value).translate(_DIGITS_ONLY).upper()
            if span.type == "CREDIT_CARD":
                assert luhn.is_valid(raw), span
            elif span.type == "IBAN":
                assert stdnum_iban.is_valid(raw), span
            elif span.type == "US_SSN":
                assert stdnum_ssn.is_valid(raw), span
            elif span.type == "US_ITIN":
                assert re.fullmatch(r"9\d{8}", raw), span
                assert 50 <= int(raw[3:5]) <= 99, span  # the ITIN group ranges start at 50
            elif span.type == "US_BANK_ROUTING":
                assert stdnum_rtn.is_valid(raw), span
            elif span.type == "NATIONAL_ID" and span.label.split("/")[0] in _NID_CHECKS:
                assert _NID_CHECKS[span.label.split("/")[0]](raw), span


_NID_CHECKS: Mapping[str, Callable[[str], bool]] = {
    "FR_NIR": stdnum_nir.is_valid, "nir": stdnum_nir.is_valid, "ES_DNI": stdnum_dni.is_valid,
    "ES_NIE": stdnum_nie.is_valid, "IT_CF": stdnum_cf.is_valid, "CN_RIC": stdnum_ric.is_valid,
    "cn_ric": stdnum_ric.is_valid, "IN_AADHAAR": stdnum_aadhaar.is_valid, "aadhaar": stdnum_aadhaar.is_valid,
    "BR_CPF": stdnum_cpf.is_valid, "cpf": stdnum_cpf.is_valid, "NL_BSN": stdnum_bsn.is_valid,
}  # fmt: skip
