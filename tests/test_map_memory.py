"""The map remembers (multi-turn): every value a map holds is a known entity for later scrubs
of that map, with its token number, partial mentions included, without re-sent known_entities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redaction import ScrubState, rehydrate, scrub

PEOPLE = {"persons": ["Priya Raman", "Zorblax Quintavious", "Markus Weber"], "orgs": ["Acme Holdings"]}
TURN_1 = "Priya Raman and Zorblax Quintavious met Markus Weber of Acme Holdings (priya@acme-holdings.com)."


def _after_turn_1() -> ScrubState:
    state = ScrubState()
    first = scrub(TURN_1, known_entities=PEOPLE, state=state)
    assert first.text == "[PERSON_1] and [PERSON_2] met [PERSON_3] of [ORG_1] ([EMAIL_1])."
    return state


# fmt: off
# (turn 2 text, scrubbed under the turn-1 map with no known_entities)
CASES: list[tuple[str, str]] = [
    # The reproduction: a full name again, and a given name alone.
    ("Zorblax Quintavious agreed.", "[PERSON_2] agreed."),
    ("Priya said the terms work.", "[PERSON_1.2] said the terms work."),
    # A family name alone, with an honorific folded in: the same person, new variants.
    ("Weber signed; Mr. Weber and Dr. Weber did.", "[PERSON_3.2] signed; [PERSON_3.3] and [PERSON_3.4] did."),
    # Case of a multi-word name does not matter; an org and an e-mail keep their tokens.
    ("zorblax quintavious and ACME HOLDINGS", "[PERSON_2.2] and [ORG_1.2]"),
    ("Write to priya@acme-holdings.com today.", "Write to [EMAIL_1] today."),
    # Possessives and punctuation around a remembered name.
    ("Markus Weber's memo (Weber, Markus Weber).", "[PERSON_3]'s memo ([PERSON_3.2], [PERSON_3])."),
    # Look-alikes: lowercase given/family names are words, not mentions; other words stay.
    ("the weber grill and priya are words here", "the weber grill and priya are words here"),
    ("Webers and Priyanka and Ramanujan are words", "Webers and Priyanka and Ramanujan are words"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_later_turn_finds_remembered_values_without_known_entities(text: str, expected: str) -> None:
    state = _after_turn_1()
    result = scrub(text, state=state)
    assert result.text == expected, "a value already in the map must keep its token in a later turn"
    assert rehydrate(result.text, result.token_map) == text


def test_remembered_values_survive_serialization_like_a_live_map() -> None:
    # The service loads the map from its store each request: recall must work the same there.
    live = _after_turn_1()
    loaded = ScrubState.from_json(live.to_json())
    text = "Zorblax Quintavious told Priya and Mr. Weber about Acme Holdings."
    assert scrub(text, state=loaded).text == scrub(text, state=live).text
    assert scrub(text, state=loaded).text == "[PERSON_2] told [PERSON_1.2] and [PERSON_3.2] about [ORG_1]."


def test_a_remembered_one_word_name_keeps_its_capital() -> None:
    state = ScrubState()
    scrub("Will joined.", state=state, ner_fn=lambda text: [("Will", "PERSON")])
    assert scrub("Will said you will like it.", state=state).text == "[PERSON_1] said you will like it."


def test_short_values_of_other_kinds_are_not_recalled_as_words() -> None:
    # "$1,200" remembered as an amount must not turn every later "1,200" into [AMOUNT_1].
    state = ScrubState()
    first = scrub("It cost $1,200 and $2,300,000.", state=state, bucket={"amounts": True})
    assert first.text == "It cost [AMOUNT_1: $1K-$10K] and [AMOUNT_2: $1M-$5M]."
    assert scrub("Row 1,200 of 2,300,000 rows", state=state).text == "Row 1,200 of [AMOUNT_2.2] rows"


def test_literal_tokens_in_the_map_are_never_recalled() -> None:
    state = ScrubState()
    scrub("Dear [PERSON_1], thanks.", state=state)  # a mail-merge field reserved as itself
    again = scrub("Dear [PERSON_1] and PERSON_1 and Dear.", state=state)
    assert again.text == "Dear [PERSON_1] and PERSON_1 and Dear."
    assert rehydrate(again.text, again.token_map) == "Dear [PERSON_1] and PERSON_1 and Dear."


def test_a_remembered_value_yields_to_nothing_weaker_than_tier1() -> None:
    # An NER layer proposing another type for a remembered person does not re-type it, while a
    # tier-1 value overlapping nothing remembered is still dropped.
    state = _after_turn_1()
    result = scrub(
        "Zorblax Quintavious paid with 4111 1111 1111 1111.",
        state=state,
        ner_fn=lambda text: [("Zorblax Quintavious", "ORG")],
    )
    assert result.text == "[PERSON_2] paid with [REDACTED:CREDIT_CARD]."


def test_recall_is_built_once_per_growth_of_the_map() -> None:
    state = _after_turn_1()
    recalled = state.recall()
    assert recalled is not None
    scrub("Nothing new here.", state=state)
    assert state.recall() is recalled, "an unchanged map must not rebuild its recall dictionary"
    scrub("Write to new.person@example.org", state=state)
    assert state.recall() is not recalled, "a map that grew must recall its new value"


def test_a_hyphenated_given_name_is_one_name_part() -> None:
    state = ScrubState()
    people = {"persons": ["Hans-Georg Weber", "Dr. Anne-Marie Dupont"]}
    scrub("Hans-Georg Weber met Dr. Anne-Marie Dupont.", known_entities=people, state=state)
    later = scrub("Hans-Georg wrote to Anne-Marie; Hans and Dr. Dupont agreed.", state=state)
    assert later.text == "[PERSON_1.2] wrote to [PERSON_2.2]; Hans and [PERSON_2.3] agreed.", (
        "a hyphenated given name mentioned alone must be the whole name part, never half of it"
    )


def test_a_mention_widened_by_the_resolver_keeps_its_entity() -> None:
    # "Ms. Mary" (a partial with its honorific) overlaps "Mary Smith": the union is still her.
    state = ScrubState()
    result = scrub(
        "Ms. Mary Smith called; Mary Smith agreed.", known_entities={"persons": ["Mary Smith"]}, state=state
    )
    assert result.text == "[PERSON_1] called; [PERSON_1.2] agreed."


def test_an_empty_map_recalls_nothing() -> None:
    assert ScrubState().recall() is None


_NAME = st.sampled_from(["Ingrid", "Tomasz", "Aiyana", "Oluwaseun", "Bartholomew", "Xiaoling", "Søren"])
_FAMILY = st.sampled_from(["Solberg", "Wilk", "Kleist", "Adeyemi", "Okonkwo-Reyes", "Zhang", "Ferreira"])


@settings(max_examples=60, deadline=None)
@given(people=st.lists(st.tuples(_NAME, _FAMILY), min_size=1, max_size=4, unique=True), data=st.data())
def test_no_remembered_value_survives_a_later_turn(
    people: list[tuple[str, str]], data: st.DataObject
) -> None:
    names = [f"{given} {family}" for given, family in people]
    state = ScrubState()
    scrub("Attendees: " + ", ".join(names) + ".", known_entities={"persons": names}, state=state)
    mentions = data.draw(
        st.lists(
            st.sampled_from([*names, *(g for g, _ in people), *(f"Ms. {f}" for _, f in people)]), min_size=1
        )
    )
    text = " met ".join(mentions) + "."
    result = scrub(text, state=state)
    # Each mention is a whole token: no remembered given or family name is left in the text.
    for given_name, family in people:
        assert given_name not in result.text, "a remembered person must never reach the LLM in a later turn"
        assert family not in result.text, "a remembered person must never reach the LLM in a later turn"
    assert rehydrate(result.text, result.token_map) == text
