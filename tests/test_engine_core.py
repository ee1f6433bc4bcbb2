"""Core behaviours of the engine (docs/architecture.md §3-§4), independent of which detectors have landed.

Detection-dependent cases use the dictionary, an ``ner_fn`` or tiny inline detectors passed
through ``scrub(detectors=...)``, so these tables pin the engine, not the rules.
"""

from __future__ import annotations

import re
import time

import pytest

from redaction import (
    InputError,
    KnownEntities,
    ScrubState,
    rehydrate,
    rehydrate_detailed,
    residual_tokens,
    scrub,
)
from redaction.detectors import Pattern, PatternDetector


class _KeyDetector(PatternDetector):
    name = "test_key"
    KIND = "API_KEY"
    PATTERNS = (Pattern("test", re.compile(r"\bsk-[A-Za-z0-9]{20,64}\b")),)


class _IdDetector(PatternDetector):
    name = "test_id"
    KIND = "ID"
    PATTERNS = (Pattern("six_digits", re.compile(r"\b[0-9]{6}\b")),)


class _EmailDetector(PatternDetector):
    name = "test_email"
    KIND = "EMAIL"
    HINTS = ("@",)
    PATTERNS = (Pattern("email", re.compile(r"\b[a-z0-9._]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z]{2,24}){1,4}\b")),)


class _SsnShapeDetector(PatternDetector):
    name = "test_ssn"
    KIND = "US_SSN"
    PATTERNS = (Pattern("ssn", re.compile(r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b")),)


TEST_DETECTORS = (_KeyDetector(), _IdDetector(), _EmailDetector(), _SsnShapeDetector())
SECRET = "sk-abcdefghijklmnopqrstuvwxyz0123"
SSN_MARK = "[REDACTED:US_SSN]"
KNOWN = {
    "persons": ["Jane Doe", "Will Smith", "Ann Lee", "Bob Lee", "Jordan Lee", "Amy Wu", "Zoë Ünal"],
    "orgs": ["Acme Holdings"],
    "funds": ["Harbor Growth Fund III"],
    "locations": ["Jordan"],
}

# fmt: off
SCRUB_CASES = [
    # (id, text, expected scrubbed text)
    ("full name", "Jane Doe called", "[PERSON_1] called"),
    ("variant suffix: honorific + family name", "Jane Doe met Ms. Doe", "[PERSON_1] met [PERSON_1.2]"),
    ("variant suffix: given name", "Jane Doe, then Jane", "[PERSON_1], then [PERSON_1.2]"),
    ("same surface, same token", "Jane Doe and Jane Doe", "[PERSON_1] and [PERSON_1]"),
    ("case-insensitive full match", "JANE DOE and jane doe", "[PERSON_1] and [PERSON_1.2]"),
    ("possessive", "Jane Doe's car", "[PERSON_1]'s car"),
    ("possessive of a partial", "Ms. Doe's view", "[PERSON_1]'s view"),
    ("partial needs capitalisation", "I will call Will", "I will call [PERSON_1]"),
    ("lowercase partial is ordinary text", "jane said doe", "jane said doe"),
    ("word boundary", "Doesburg, Janet, Acme Holdingsville", "Doesburg, Janet, Acme Holdingsville"),
    ("punctuation boundary", "(Jane Doe), Jane Doe.", "([PERSON_1]), [PERSON_1]."),
    ("ambiguous partial: own entity", "Ann Lee, Bob Lee, Mr. Lee", "[PERSON_1], [PERSON_2], [PERSON_3]"),
    ("short family name needs an honorific", "Mr. Wu, not Wu; Dr.  Wu", "[PERSON_1], not Wu; [PERSON_1.2]"),
    ("decomposed accents (NFD)", "Zoe\u0308 U\u0308nal and Mr. U\u0308nal", "[PERSON_1] and [PERSON_1.2]"),
    ("org and fund", "Acme Holdings backs Harbor Growth Fund III", "[ORG_1] backs [FUND_1]"),
    ("a full entry wins over a partial", "Jordan visited Jordan", "[LOC_1] visited [LOC_1]"),
    ("literal token stands for itself", "[PERSON_1] met Jane Doe", "[PERSON_1] met [PERSON_2]"),
    ("literal after a value", "Jane Doe met [PERSON_1]", "[PERSON_2] met [PERSON_1]"),
    ("mangled literals kept", "[person_1] [ LOC_3 ] [Person 2]", "[person_1] [ LOC_3 ] [Person 2]"),
    ("hinted literal kept", "[AMOUNT_1: $1M-$5M]", "[AMOUNT_1: $1M-$5M]"),
    ("huge literal number escaped", "[PERSON_999999999] and Jane Doe", "[LITERAL_1] and [PERSON_1]"),
    ("a redaction mark in the input is left alone", "[REDACTED:API_KEY]", "[REDACTED:API_KEY]"),
    ("non-token brackets untouched", "[FOO_1] [x] [", "[FOO_1] [x] ["),
    ("tier 1 dropped", f"key {SECRET} for Jane Doe", "key [REDACTED:API_KEY] for [PERSON_1]"),
    ("zero-width inside an e-mail", "Mail j\u200bane@example.com now", "Mail [EMAIL_1] now"),
    ("full-width digits", "ref １２３４５６ Ünïcödé", "ref [ID_1] Ünïcödé"),
    ("hyphen look-alikes", "536\u201122\u20111234, 536\u201322\u20131234", f"{SSN_MARK}, {SSN_MARK}"),
    ("dash look-alikes", "536\u201422\u20141234, 536\u201522\u20151234", f"{SSN_MARK}, {SSN_MARK}"),
    ("a middle dot between numbers is no IP", "2\u00b73\u00b75\u00b77 = 210; 10\u202220\u202230\u202240",
     "2\u00b73\u00b75\u00b77 = 210; 10\u202220\u202230\u202240"),
    ("an em dash in prose stays", "The plan\u2014approved in 2021\u2014stays \u00b7 Docs \u2022 Blog",
     "The plan\u2014approved in 2021\u2014stays \u00b7 Docs \u2022 Blog"),
    ("homoglyph inside an e-mail", "to jаne@example.com (Cyrillic а)", "to [EMAIL_1] (Cyrillic а)"),
    ("nothing to do", "", ""),
    ("NUL and lone surrogates pass through", "a\x00b\ud800c", "a\x00b\ud800c"),
    # A control character or another script's digits hide nothing from the detectors (the
    # output keeps them outside the replaced span): found by an outside tester.
    ("NUL inside an SSN", "ssn 536\x00-22-\x001234 ok", f"ssn {SSN_MARK} ok"),
    ("Arabic-Indic digits", "ssn ٥٣٦-٢٢-١٢٣٤, tab\tand\r\nline", f"ssn {SSN_MARK}, tab\tand\r\nline"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in SCRUB_CASES], ids=[c[0] for c in SCRUB_CASES])
def test_scrub_table(text: str, expected: str) -> None:
    result = scrub(text, known_entities=KNOWN, detectors=TEST_DETECTORS)
    assert result.text == expected
    if not result.audit.tier1_dropped:
        assert rehydrate(result.text, result.token_map) == text, (
            "round trip must be exact (docs/architecture.md §4)"
        )


def test_original_text_is_kept_outside_replaced_spans() -> None:
    text = "Ｈｉ\u200b ｊａｎｅ@example.com, ﬁne Ünïcödé\u202e text"
    result = scrub(text, detectors=TEST_DETECTORS)
    assert result.text == "Ｈｉ\u200b [EMAIL_1], ﬁne Ünïcödé\u202e text"
    assert result.token_map["[EMAIL_1]"] == "ｊａｎｅ@example.com", "the map must hold the original surface"


def test_numbering_is_per_state_across_calls() -> None:
    state = ScrubState()
    assert scrub("Jane Doe", known_entities=KNOWN, state=state).text == "[PERSON_1]"
    assert (
        scrub("Will Smith and Jane Doe", known_entities=KNOWN, state=state).text
        == "[PERSON_2] and [PERSON_1]"
    )
    assert scrub("Ms. Doe", known_entities=KNOWN, state=state).text == "[PERSON_1.2]"
    assert scrub("Will Smith", known_entities=KNOWN).text == "[PERSON_1]", "a fresh state starts at 1"


def test_tokens_issued_by_the_state_pass_through_a_later_scrub() -> None:
    # Multi-turn: Claude's reply, still in placeholders, is sent back under the same map.
    state = ScrubState()
    first = scrub("Jane Doe", known_entities=KNOWN, state=state)
    reply = scrub(f"{first.text} agreed with Ann Lee", known_entities=KNOWN, state=state)
    assert reply.text == "[PERSON_1] agreed with [PERSON_2]"
    assert rehydrate(reply.text, reply.token_map) == "Jane Doe agreed with Ann Lee"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[PHONE_1] 0 000000", "[PHONE_1] 0 000000"),
        ("[REDACTED:US_SSN] 123456789 and [REDACTED:PASSPORT] A1234567", None),
        ("Call [PHONE_2] or 415 555 0100", "Call [PHONE_2] or [PHONE_3]"),
    ],
)
def test_a_placeholder_is_never_context_for_a_detector(text: str, expected: str | None) -> None:
    # A re-sent reply holds tokens and drop markers: their words (PHONE, SSN, PASSPORT) must
    # not turn the digits after them into values, or scrubbing scrubbed text would change it.
    result = scrub(text)
    assert result.text == (text if expected is None else expected)


_WIDENED = [
    # The rest of an identifier a detector's grammar left next to it is dropped with it.
    ("nir=1.7.0.0.1.2.3.2.9.2.9.4.2.8.4", "nir=[REDACTED:NATIONAL_ID]"),
    ('"DE49/8726-3429 0189 9657 - 31"', '"[REDACTED:CREDIT_CARD]"'),
    ("Account number is 998590\n026801", "Account number is [REDACTED:US_BANK_ACCOUNT]"),
    # Look-alikes: a word, a CSV row's next id, a label without digits end the identifier.
    ("Card 4111 1111 1111 1111 exp 04/29 ok", "Card [REDACTED:CREDIT_CARD] exp 04/29 ok"),
    ("id,ssn\n1,123-45-6789\n2,234-56-7890\n", "id,ssn\n1,[REDACTED:US_SSN]\n2,[REDACTED:US_SSN]\n"),
    ("row 12 SSN 123-45-6789, DOB 1980", "row 12 SSN [REDACTED:US_SSN], DOB 1980"),
]


@pytest.mark.parametrize(("text", "expected"), _WIDENED)
def test_a_tier1_identifier_is_never_left_half_exposed(text: str, expected: str) -> None:
    assert scrub(text).text == expected, "no group of a tier-1 value may stay in clear next to its marker"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One occurrence judged unlike a value in its context, the other found: both go.
        ("+1 415 555 2671 0@ +1 415 555 2671", "[PHONE_1] 0@ [PHONE_1]"),
        ("SSN 536-22-1234; ref 536-22-1234x", "SSN [REDACTED:US_SSN]; ref [REDACTED:US_SSN]x"),
        # Tier 2 on word boundaries only, and never a short value.
        ("mail bob@example.com, not bob@example.comx", "mail [EMAIL_1], not bob@example.comx"),
    ],
)
def test_a_value_found_once_is_found_everywhere_in_the_text(text: str, expected: str) -> None:
    assert scrub(text).text == expected, "a value found once must not stay in clear elsewhere in the text"


def test_repeats_in_a_long_text_full_of_values_are_found_in_one_pass() -> None:
    # Many values times a long text takes the automaton path: same outcome as the short path.
    people = [f"person{i}@example.com" for i in range(600)]
    text = " ".join(f"mail {p} now;" for p in people) + " " + " ".join(f"({p}) {p}0" for p in people)
    result = scrub(text)
    # Each value is left only where it is glued to a word ("...com0"), as the short path does.
    assert all(result.text.count(p) == 1 for p in people), "every occurrence of a found value is tokenized"
    assert rehydrate(result.text, result.token_map) == text


def test_tier1_values_are_never_stored_and_are_counted() -> None:
    state = ScrubState()
    result = scrub(
        f"{SECRET} and {SECRET}, Jane Doe", known_entities=KNOWN, detectors=TEST_DETECTORS, state=state
    )
    assert result.text == "[REDACTED:API_KEY] and [REDACTED:API_KEY], [PERSON_1]"
    assert dict(result.audit.tier1) == {"API_KEY": 2}
    assert result.audit.tier1_dropped == 2
    assert SECRET not in result.token_map.values(), (
        "a tier-1 value was stored in the map (docs/architecture.md §4)"
    )
    assert SECRET not in state.to_json(), (
        "a tier-1 value was stored in the serialized map (docs/architecture.md §4)"
    )
    assert SECRET not in repr(result.audit)


def test_audit_counts_types_and_tokens_in_order_of_first_use() -> None:
    result = scrub("Ann Lee, Jane Doe, Ann Lee, [PERSON_7]", known_entities=KNOWN)
    assert result.text == "[PERSON_8], [PERSON_9], [PERSON_8], [PERSON_7]", (
        "a literal's number is never reused"
    )
    assert dict(result.audit.by_type) == {"PERSON": 3}
    assert result.audit.tokens_used == ("[PERSON_8]", "[PERSON_9]")
    assert result.audit.tier2_tokenized == 3


def test_a_literal_whose_number_is_taken_is_escaped() -> None:
    state = ScrubState()
    assert scrub("Jane Doe", known_entities=KNOWN, state=state).text == "[PERSON_1]"
    result = scrub("[person_1] is a mail-merge field", known_entities=KNOWN, state=state)
    assert result.text == "[LITERAL_1] is a mail-merge field", "a literal must never read as a real value"
    assert dict(result.audit.by_type) == {"LITERAL": 1}
    assert result.audit.tier2_tokenized == 0, "literals are not tokenized values"
    assert rehydrate(result.text, result.token_map) == "[person_1] is a mail-merge field"


def test_numbering_never_outgrows_the_token_grammar() -> None:
    # A literal with a huge number must not push real tokens past what rehydration can read.
    text = "[PERSON_999999999] met Jane Doe and [ORG_999999] met Acme Holdings"
    result = scrub(text, known_entities=KNOWN)
    assert set(residual_tokens(result.text)) <= set(result.token_map)
    assert rehydrate(result.text, result.token_map) == text


# fmt: off
REHYDRATE_CASES = [
    # (id, text, expected text, substituted, tolerated, unknown)
    ("canonical", "[PERSON_1] said", "Jane Doe said", 1, 0, ()),
    ("lowercase tolerated", "[person_1] said", "Jane Doe said", 1, 1, ()),
    ("inner spaces tolerated", "[ PERSON_1 ] said", "Jane Doe said", 1, 1, ()),
    ("space for underscore tolerated", "[Person 1]", "Jane Doe", 1, 1, ()),
    ("dash for underscore tolerated", "[PERSON-1] said", "Jane Doe said", 1, 1, ()),
    ("line breaks inside tolerated", "[PERSON_\n1], [\nPERSON_1], [PERSON_1\r\n]",
     "Jane Doe, Jane Doe, Jane Doe", 3, 3, ()),
    ("a space after the variant's dot tolerated", "[PERSON_1. 2]", "Ms. Doe", 1, 1, ()),
    ("variant", "[PERSON_1.2]", "Ms. Doe", 1, 0, ()),
    ("hint restores the exact value", "[AMOUNT_1: $1M-$5M]", "$2.3M", 1, 0, ()),
    ("a changed hint still restores the exact value", "[AMOUNT_1: about 2M]", "$2.3M", 1, 0, ()),
    ("unknown token reported and kept", "[PERSON_9] and [ORG_2]", "[PERSON_9] and [ORG_2]", 0, 0,
     ("[PERSON_9]", "[ORG_2]")),
    ("tier-1 marks stay", "[REDACTED:API_KEY]", "[REDACTED:API_KEY]", 0, 0, ()),
    ("a restored value is not scanned again", "[LITERAL_1]", "[PERSON_1]", 1, 0, ()),
    ("adjacent tokens", "[PERSON_1][PERSON_1.2]", "Jane DoeMs. Doe", 2, 0, ()),
]
# fmt: on
TOKEN_MAP = {
    "[PERSON_1]": "Jane Doe",
    "[PERSON_1.2]": "Ms. Doe",
    "[AMOUNT_1]": "$2.3M",
    "[LITERAL_1]": "[PERSON_1]",
}


@pytest.mark.parametrize(
    ("text", "expected", "substituted", "tolerated", "unknown"),
    [c[1:] for c in REHYDRATE_CASES],
    ids=[c[0] for c in REHYDRATE_CASES],
)
def test_rehydrate_table(
    text: str, expected: str, substituted: int, tolerated: int, unknown: tuple[str, ...]
) -> None:
    result = rehydrate_detailed(text, TOKEN_MAP)
    assert result.text == expected
    assert (result.substituted, result.tolerated, result.unknown) == (substituted, tolerated, unknown)


def test_residual_tokens_lists_canonical_keys() -> None:
    assert residual_tokens("[person_1] [ LOC_3 ] [REDACTED:API_KEY] [FOO_1] [AMOUNT_2: <$1K]") == [
        "[PERSON_1]", "[LOC_3]", "[AMOUNT_2]",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "surface", "label", "expected"),
    [
        ("raised $2.3M", "$2.3M", "MONEY", "raised [AMOUNT_1: $1M-$5M]"),
        ("born August 23, 1978", "August 23, 1978", "DATE", "born [DATE_1: 1978-Q3]"),
        ("paid 12 bananas", "12 bananas", "MONEY", "paid [AMOUNT_1: <1K]"),
        ("about eleventy", "eleventy", "MONEY", "about [AMOUNT_1]"),
    ],
)
def test_bucket_hints_are_restored_exactly(text: str, surface: str, label: str, expected: str) -> None:
    result = scrub(text, bucket=True, ner_fn=lambda _t: [(surface, label)])
    assert result.text == expected
    assert rehydrate(result.text, result.token_map) == text, "a hint must never replace the exact value"


def test_ner_surfaces_not_in_the_text_are_ignored() -> None:
    # A hallucinating NER layer cannot inject tokens or redact what is not there.
    def hallucinating(_text: str) -> list[tuple[str, str]]:
        return [("Nobody Here", "PERSON"), ("[PERSON_1]", "PERSON"), ("Jane", "PERSON"), ("x", "ORG")]

    result = scrub("Janet met Jane.", ner_fn=hallucinating)
    assert result.text == "Janet met [PERSON_1]."
    assert dict(result.token_map) == {"[PERSON_1]": "Jane"}


def test_ner_overlapping_the_dictionary_takes_the_union() -> None:
    result = scrub(
        "the Jane Doe Foundation", known_entities=KNOWN, ner_fn=lambda _t: [("Jane Doe Foundation", "ORG")]
    )
    assert result.text == "the [ORG_1]", "overlapping proposals must not leave a value half-exposed"


def test_descriptive_spans_are_dropped_and_counted() -> None:
    phrase = "the family that sold the mining company in Texas"
    result = scrub(f"Met {phrase}.", ner_fn=lambda _t: [(phrase, "DESCRIPTIVE")])
    assert result.text == "Met [REDACTED:DESCRIPTIVE]."
    assert result.audit.descriptive == 1
    assert result.audit.tier1_dropped == 0
    assert phrase not in result.token_map.values()


def test_ner_unknown_label_raises_input_error() -> None:
    with pytest.raises(InputError):
        scrub("Jane", ner_fn=lambda _t: [("Jane", "SPACESHIP")])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"text": b"bytes"},
        {"text": None},
        {"text": "x", "bucket": {"amounts": True, "weights": True}},
        {"text": "x", "bucket": "yes"},
        {"text": "x", "known_entities": {"people": ["Jane Doe"]}},
    ],
)
def test_malformed_input_raises_input_error(kwargs: dict[str, object]) -> None:
    text = kwargs.pop("text")
    with pytest.raises(InputError):
        scrub(text, **kwargs)  # type: ignore[arg-type]


def _syllable_names(n: int) -> list[str]:
    """``n`` distinct two-word names, deterministic and cheap (no random draws, no retries)."""
    syllables = ["ka", "lo", "mi", "ran", "tes", "vo", "zu", "pel", "dri", "gan", "sho", "ber", "lin", "tor"]
    words = [f"{a}{b}{c}".title() for a in syllables for b in syllables for c in syllables]  # 2744
    return [f"{words[i % len(words)]} {words[(i // len(words) + 7 * i) % len(words)]}" for i in range(n)]


def test_a_100k_entry_dictionary_works() -> None:
    persons = list(dict.fromkeys(_syllable_names(80_000)))
    orgs = [f"{name.split()[1]} Holdings {i}" for i, name in enumerate(persons[:20_000])]
    started = time.perf_counter()
    dictionary = KnownEntities({"persons": persons, "orgs": orgs})
    built = time.perf_counter() - started
    assert dictionary.size == 100_000
    picked = [persons[0], persons[40_000], persons[-1], orgs[-1]]
    text = f"Call {picked[0]} and {picked[1]}; {picked[2]}'s fund is {picked[3]}."
    result = scrub(text, known_entities=dictionary)
    assert result.text == "Call [PERSON_1] and [PERSON_2]; [PERSON_3]'s fund is [ORG_1]."
    assert rehydrate(result.text, result.token_map) == text
    assert built < 20, (
        f"building a 100k-entry dictionary took {built:.1f} s (docs/architecture.md §3.2: must scale)"
    )


@pytest.mark.parametrize("prefix", ["\u200b", "\u202e", "\u200b\u200d\ufeff"])
def test_format_characters_before_a_value_do_not_shift_its_span(prefix: str) -> None:
    text = f"{prefix}jane@example.com is here, call +1 415 555 0100"
    scrubbed, token_map, _ = scrub(text)
    assert scrubbed == f"{prefix}[EMAIL_1] is here, call [PHONE_1]", "spans must map back exactly"
    assert rehydrate(scrubbed, token_map) == text
