"""Leak test over the synthetic corpus (`tests/corpus/generate.py`, fixed seed).

Guarantees (asserted): no tier-1 value and no known-entity value survives a scrub. A tier-1
guarantee is enforced for every kind (and key flavour) that the landed detectors handle,
judged by a canonical probe below; the others are reported as not yet enforced. For the other
types the leak rate is measured, printed, and held to a loose ceiling where a detector exists.

A leak: the planted value, casefolded and with whitespace removed, still occurs in the output
(casefolded, whitespace removed). Values are synthetic, so failure messages show them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from redaction import TIER1_KINDS, rehydrate, scrub
from tests.corpus.generate import Planted, Record, generate

N_RECORDS = 1000
SEED = 20240501

_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACE.sub("", text.casefold())


def leaked(value: str, output: str) -> bool:
    return _flat(value) in _flat(output)


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


def _leaks(corpus: Sequence[Scrubbed], keep: object) -> list[tuple[Scrubbed, Planted]]:
    return [
        (item, span)
        for item in corpus
        for span in item.record.spans
        if keep(span) and leaked(span.value, item.output)
    ]  # type: ignore[operator]


def test_corpus_exercises_every_tier1_kind(corpus: list[Scrubbed]) -> None:
    planted = {span.type for item in corpus for span in item.record.spans}
    assert planted >= set(TIER1_KINDS) - {"URL_CREDENTIALS", "PASSPORT"}, "the corpus lost a tier-1 family"


def test_no_tier1_value_leaks(corpus: list[Scrubbed], coverage: set[tuple[str, str]]) -> None:
    leaks = _leaks(corpus, lambda s: s.type in TIER1_KINDS and _key(s) in coverage)
    detail = "\n".join(
        f"  {item.record.id}: {span.type}/{span.label or '-'} {span.value!r}" for item, span in leaks[:20]
    )
    assert not leaks, f"tier-1 values must never reach the LLM (DESIGN §4); {len(leaks)} leaked:\n{detail}"


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
        f"known entities must never reach the LLM (DESIGN §3.2); {len(failures)} leaked:\n{detail}"
    )


def test_round_trip_is_exact_without_tier1(corpus: list[Scrubbed]) -> None:
    broken = [
        item.record.id for item in corpus if not item.tier1_dropped and item.roundtrip != item.record.text
    ]
    assert not broken, f"rehydrate(scrub(x)) != x for {len(broken)} records, e.g. {broken[:5]} (DESIGN §4)"


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
