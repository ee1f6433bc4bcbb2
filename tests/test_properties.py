"""Properties of the engine that must hold for any input (docs/architecture.md §4), checked with hypothesis.

The generated texts mix arbitrary unicode (lone surrogates included: any ``str`` is valid
input) with the fragments that stress the engine: e-mails, known-entity mentions and their
partial forms, amounts, literal token-looking text, brackets, zero-width and bidi characters,
full-width digits and case-changing letters.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from redaction import ScrubState, rehydrate, residual_tokens, scrub

ROOT = Path(__file__).resolve().parents[1]

# Bounded, not derandomized: every run explores new examples, and the whole module stays fast.
# REDACTION_PROPERTY_EXAMPLES=20000 runs a deep search locally.
PROPERTY = settings(
    max_examples=int(os.environ.get("REDACTION_PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KNOWN = {
    "persons": ["Jane Doe", "Ali Khan", "Zoë Ünal", "Jordan Lee"],
    "orgs": ["Acme Holdings", "Doe & Sons"],
    "funds": ["Harbor Growth Fund III"],
    "emails": ["jane@acme.com"],
    "locations": ["Lake Tahoe", "Jordan"],
}

MENTIONS = [
    "Jane Doe", "jane doe", "JANE DOE", "Jane Doe's", "Ms. Doe", "Dr.  Doe", "Doe", "Jane", "jane",
    "Ali Khan", "Mr. Khan", "Khan's", "Zoë Ünal", "Zoe\u0308 U\u0308nal", "Ünal", "Jordan Lee", "Jordan",
    "Acme Holdings", "acme holdings,", "Doe & Sons", "Harbor Growth Fund III", "Lake Tahoe",
    "jane@acme.com", "JANE@ACME.COM", "Jane\u200bDoe", "Ja\u200bne Doe", "Jane\u00a0Doe",
]  # fmt: skip
DETECTABLE = [
    "bob@example.com", "j\u200bane.roe@example.org", "ｂｏｂ@ｅｘａｍｐｌｅ.com", "+1 415 555 2671",
    "(415) 555-0132", "+44 20 7946 0958", "10.0.0.1", "192.168.１.2", "2001:db8::1", "$2.3M",
    "USD 1,000,000", "€12,50", "$ 5 million", "https://example.com/u/jane-doe", "born 1978-08-23",
    "DOB: 08/23/1978", "March 3, 2024",
]  # fmt: skip
TOKEN_LIKE = [
    "[PERSON_1]", "[person_2]", "[ LOC_3 ]", "[REDACTED:API_KEY]", "[AMOUNT_1: $1M-$5M]", "[LITERAL_1]",
    "[PERSON_1.2]", "[Person 1]", "[ORG_000001]", "[EMAIL_1: x]", "[PERSON_999999999]", "[PERSON_1",
    "PERSON_1]", "[", "]", "[[", "]]", "[PERSON_1]]", "[[PERSON_1]", "[REDACTED:", "[FOO_1]", "[\t ID_7 \t]",
]  # fmt: skip
TRICKY = [
    "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\u00ad", "１２３", "İ", "ß", "ﬁ", "ǅ", "а", "ο",
    "e\u0301", "\x00", "\ud800", "\udfff", "\U0001f600", "\r\n", "\t", "'s", "’s",
]  # fmt: skip
SEPARATORS = [" ", " ", "\n", ", ", ". ", " (", ") ", ": ", " - ", "/", "'", '"', "_", "-", ""]

fragments = st.one_of(
    st.text(max_size=12),
    st.sampled_from(MENTIONS),
    st.sampled_from(DETECTABLE),
    st.sampled_from(TOKEN_LIKE),
    st.sampled_from(TRICKY),
    st.sampled_from(SEPARATORS),
)
texts = st.lists(fragments, max_size=14).map("".join)
# Detection is boundary-aware ("0DOE" is no mention of Doe, "]DOE" is), so a value glued to
# another one can legitimately read differently once its neighbour has become a token.
# Idempotence is asserted over fragments that are words apart.
spaced_texts = st.lists(fragments, max_size=14).map(" ".join)


def _ner_from(draw_data: st.DataObject, text: str) -> list[tuple[str, str]]:
    """Arbitrary substrings of ``text`` as NER proposals, plus surfaces absent from it."""
    proposals: list[tuple[str, str]] = []
    for _ in range(draw_data.draw(st.integers(0, 3), label="n_ner")):
        if len(text) >= 2:
            start = draw_data.draw(st.integers(0, len(text) - 2), label="ner_start")
            end = draw_data.draw(st.integers(start + 2, min(len(text), start + 30)), label="ner_end")
            surface = text[start:end]
        else:
            surface = "Nobody Here"
        label = draw_data.draw(
            st.sampled_from(["PERSON", "ORG", "GPE", "MONEY", "DESCRIPTIVE"]), label="label"
        )
        proposals.append((surface, label))
    return proposals


def _scrubbable(result_audit: object) -> bool:
    # Tier-1 values and descriptive re-identifiers are dropped, irreversibly, by design.
    return getattr(result_audit, "tier1_dropped", 0) == 0 and getattr(result_audit, "descriptive", 0) == 0


@PROPERTY
@given(text=texts, bucket=st.booleans(), data=st.data())
def test_rehydrate_inverts_scrub_byte_for_byte(text: str, bucket: bool, data: st.DataObject) -> None:
    proposals = _ner_from(data, text) if data.draw(st.booleans(), label="use_ner") else None
    ner_fn = (lambda _t: proposals) if proposals is not None else None
    result = scrub(text, known_entities=KNOWN, bucket=bucket, ner_fn=ner_fn)
    assume(_scrubbable(result.audit))
    assert rehydrate(result.text, result.token_map) == text, "round trip must be exact (architecture.md §4)"


@PROPERTY
@given(text=st.text())
def test_rehydrate_inverts_scrub_for_arbitrary_unicode(text: str) -> None:
    result = scrub(text, known_entities=KNOWN)
    assume(_scrubbable(result.audit))
    assert rehydrate(result.text, result.token_map) == text


@PROPERTY
@given(text=spaced_texts, bucket=st.booleans())
def test_scrub_is_idempotent_under_the_same_state(text: str, bucket: bool) -> None:
    state = ScrubState()
    first = scrub(text, known_entities=KNOWN, bucket=bucket, state=state)
    before = state.to_json()
    again = scrub(first.text, known_entities=KNOWN, bucket=bucket, state=state)
    assert again.text == first.text, "scrubbing scrubbed text must change nothing"
    assert state.to_json() == before, "scrubbing scrubbed text must issue no new tokens"


@pytest.mark.parametrize(
    "text",
    [
        # A label's value dropped: on a re-scrub the marker stands for it, the label is spent.
        "PASSPORT GB 533380006 EXP 14NOV29",
        "SSN 123-45-6789 ref 123456789",
        "RRN 900101-1234568 ref 900101-1234568x",
        "routing no 021000021, ref 123456789",
        # A password hash, a JSON-escaped key, a glued card.
        "hash $2b$12$zFeXhBjeSOIX0b2LBEOUTee/dvADLevel8vBFDAyVpmHBNhcMBQrK done",
        '{"k": "a\\nAKIAQ3EGRT5KXMPL7ZQW\\n"}',
        "card4111111111111111exp",
    ],
)
def test_scrub_is_idempotent_on_labelled_and_escaped_values(text: str) -> None:
    first = scrub(text)
    assert first.text != text
    assert scrub(first.text).text == first.text


# -- known entities never survive -------------------------------------------------------------

_SYLLABLES = ["zor", "vak", "thel", "mir", "quon", "dax", "bel", "run", "kesh", "ilo", "pra", "tun"]
_FILLER = ["the", "meeting", "with", "and", "notes", "call", "on", "re", "about", "fee", "terms", "q3"]
_BOUNDARY = [" ", " ", ", ", ". ", "\n", " (", ") ", ": ", " - ", "; ", '"', "/"]

words = st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3).map(lambda s: "".join(s).title())


@st.composite
def known_and_text(draw: st.DrawFn) -> tuple[dict[str, list[str]], str, list[str]]:
    persons = draw(st.lists(st.tuples(words, words).map(" ".join), min_size=1, max_size=3, unique=True))
    orgs = draw(st.lists(st.tuples(words, st.sampled_from(["Capital", "Holdings", "LLC"])).map(" ".join),
                         max_size=2, unique=True))  # fmt: skip
    emails = draw(st.lists(st.tuples(words, words).map(lambda p: f"{p[0]}.{p[1]}@example.com".lower()),
                           max_size=2, unique=True))  # fmt: skip
    values = [*persons, *orgs, *emails]
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 10))):
        if draw(st.booleans()):
            value = draw(st.sampled_from(values))
            case = draw(st.sampled_from(["as-is", "lower", "upper", "possessive"]))
            value = {"lower": value.lower(), "upper": value.upper(), "possessive": value + "'s"}.get(
                case, value
            )
            pieces.append(value)
        else:
            pieces.append(draw(st.sampled_from(_FILLER)))
        pieces.append(draw(st.sampled_from(_BOUNDARY)))
    known = {"persons": persons, "orgs": orgs, "emails": emails}
    return known, "".join(pieces), values


@PROPERTY
@given(case=known_and_text())
def test_no_known_entity_value_survives(case: tuple[dict[str, list[str]], str, list[str]]) -> None:
    known, text, values = case
    result = scrub(text, known_entities=known)
    output = re.sub(r"\s+", " ", result.text.casefold())
    for value in values:
        assert value.casefold() not in output, (
            "a known entity reached the LLM-bound text (docs/architecture.md §3.2)"
        )
    assert rehydrate(result.text, result.token_map) == text


# -- determinism across processes and hash seeds ----------------------------------------------

_FIXED_INPUTS = [
    ("Jane Doe met Ms. Doe and Jane; Doe's fund Harbor Growth Fund III in Lake Tahoe.", True),
    ("[PERSON_1] met Jane Doe at jane@acme.com, [person_2] and [ LOC_3 ] [REDACTED:API_KEY]", False),
    ("Jordan Lee flew to Jordan. Jordan said: Zoë Ünal and Zoe\u0308 U\u0308nal agree on $2.3M.", True),
    ("ｂｏｂ@ｅｘａｍｐｌｅ.com j\u200bane@example.com +1 415 555 2671 10.0.0.1 2001:db8::1", False),
    ("Acme Holdings and Doe & Sons: USD 1,000,000 on March 3, 2024, DOB 08/23/1978.", True),
]

_DETERMINISM_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from redaction import ScrubState, scrub
from tests.corpus.generate import generate
from tests.test_properties import KNOWN, _FIXED_INPUTS
out = []
state = ScrubState()
for text, bucket in _FIXED_INPUTS:
    r = scrub(text, known_entities=KNOWN, bucket=bucket, state=state)
    out.append([r.text, r.audit.tokens_used, dict(r.audit.by_type), dict(r.audit.tier1)])
for record in generate(60, seed=7):
    r = scrub(record.text, known_entities=record.known_entities)
    out.append([r.text, dict(r.token_map)])
out.append(state.to_json())
sys.stdout.write(json.dumps(out))
"""


def _run_with_hash_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _DETERMINISM_SCRIPT, str(ROOT)],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout


def test_output_is_identical_across_processes_and_hash_seeds() -> None:
    first, second = _run_with_hash_seed("0"), _run_with_hash_seed("2718281828")
    assert first, "the determinism probe produced no output"
    a, b = json.loads(first), json.loads(second)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        assert x == y, (
            f"output {i} differs between hash seeds: the engine must be deterministic (architecture.md §2)"
        )
    assert first == second


# -- the state round-trips ----------------------------------------------------------------------


@PROPERTY
@given(first=texts, second=texts)
def test_state_json_round_trip_preserves_numbering(first: str, second: str) -> None:
    state = ScrubState()
    scrub(first, known_entities=KNOWN, state=state)
    restored = ScrubState.from_json(state.to_json())
    assert restored == state
    a = scrub(second, known_entities=KNOWN, state=state)
    b = scrub(second, known_entities=KNOWN, state=restored)
    assert a.text == b.text, "a restored map must continue the same numbering"
    assert dict(a.token_map) == dict(b.token_map)
    assert restored.to_json() == state.to_json()


# -- literal token-like text ------------------------------------------------------------------


def _assert_literals_survive(text: str, known: dict[str, list[str]]) -> None:
    result = scrub(text, known_entities=known)
    assert rehydrate(result.text, result.token_map) == text, "literal token text must survive unchanged"
    # Every token in the output is one the map holds: no literal passes through as a live token.
    assert set(residual_tokens(result.text)) <= set(result.token_map)


def test_literal_token_text_is_never_rehydrated_into_a_value() -> None:
    text = "[PERSON_1] met Jane Doe"
    result = scrub(text, known_entities={"persons": ["Jane Doe"]})
    assert "Jane Doe" not in result.text
    assert rehydrate(result.text, result.token_map) == text, "a literal [PERSON_1] became a real value"
    _assert_literals_survive(text, {"persons": ["Jane Doe"]})


@PROPERTY
@given(pieces=st.lists(st.sampled_from([*TOKEN_LIKE, "Jane Doe", " ", "Ms. Doe", "x"]), max_size=10))
def test_literal_tokens_survive_round_trip(pieces: Iterable[str]) -> None:
    _assert_literals_survive("".join(pieces), {"persons": ["Jane Doe"]})


# -- the dictionary's fast match view equals its definition -------------------------------------


@PROPERTY
@given(text=st.one_of(st.text(), texts))
def test_dictionary_match_view_is_the_word_mask(text: str) -> None:
    from redaction._known_entities import _folded, _lowered, _match_view

    # Definition: lowercase keeping length, accents folded keeping length, every non-word
    # character a space, one for one.
    assert _match_view(text) == " " + re.sub(r"\W", " ", _folded(_lowered(text))) + " "


# Structured noise: what the detectors' candidate scanners look at (digit groups, separators,
# extensions, labels, escapes, table cells). `0830106<TAB>x0` once crashed the phone detector
# (a cut left an extension with no digits before it): any such text must scrub and round-trip.
NOISE = [
    "0", "7", "00", "12", "415", "0830106", "4111", "123456789", "+", "+44", "(0)", "(", ")", " ", "\t",
    "\n", "-", ".", "/", ",", ";", ":", "=", "x", "x0", "ext.", "ext 12", "#", "@", "%20", "%2B",
    "&#45;", "\\u0040", "Tel:", "phone,", "SSN ", "IBAN ", "DE89", "card ", "PIN ", "password=",
    "id,phone\n", "'", "VALUES (", "<<", "P<", "+1 ", "tel:", "ｘ", "１",
]  # fmt: skip
noise_texts = st.lists(st.sampled_from(NOISE), max_size=24).map("".join)


@PROPERTY
@given(text=noise_texts)
def test_structured_noise_scrubs_and_round_trips(text: str) -> None:
    result = scrub(text)
    assume(_scrubbable(result.audit))
    assert rehydrate(result.text, result.token_map) == text
