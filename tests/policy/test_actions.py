"""Actions per type (docs/architecture.md §12), in the engine: one table per action and kind.

`Policy()` is today's behaviour byte for byte (the golden corpus proves it); every other action
writes what docs/policies.md says, counts in ``audit.policy``, and a tokenized tier-1 value is
stored in the map and rehydrates exactly.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redaction import Policy, ScrubState, golden, rehydrate, scrub
from redaction._policy import POLICY_KINDS, mask_value
from redaction.errors import PolicyInvalid

CARD = "4111 1111 1111 1111"
SSN = "536-22-1234"
IBAN = "DE89 3704 0044 0532 0130 00"
EMAIL = "jane.roe@example.com"
PHONE = "+1 415 555 2671"

# fmt: off
# (kind, text holding one value of that kind, the value)
VALUES = [
    ("CREDIT_CARD", f"Card {CARD} on file.", CARD),
    ("US_SSN", f"SSN {SSN} for the form.", SSN),
    ("IBAN", f"Pay to {IBAN} today.", IBAN),
    ("EMAIL", f"Write to {EMAIL} please.", EMAIL),
    ("PHONE", f"Call {PHONE} tomorrow.", PHONE),
]
# Look-alikes that are no value of the kind: every action leaves them as they are.
LOOK_ALIKES = [
    ("CREDIT_CARD", "Order 4111 1111 1111 1112 shipped."),  # Luhn fails
    ("US_SSN", "Ticket 000-12-3456 closed."),  # area 000 is never issued
    ("EMAIL", "Handle @jane.roe on chat."),
]
# (action, kind, expected text for VALUES' text with the value replaced by this)
WRITES = {
    "drop": lambda kind, value: f"[REDACTED:{kind}]",
    "mask": lambda kind, value: mask_value(kind, value),
    "allow": lambda kind, value: value,
    "block": lambda kind, value: f"[REDACTED:{kind}]",
    "tokenize": lambda kind, value: f"[{kind}_1]",
}
# fmt: on


@pytest.mark.parametrize("action", list(WRITES))
@pytest.mark.parametrize(("kind", "text", "value"), VALUES, ids=[v[0] for v in VALUES])
def test_each_action_writes_its_form_for_each_kind(action: str, kind: str, text: str, value: str) -> None:
    policy = Policy(actions={kind: action})
    state = ScrubState()
    result = scrub(text, policy=policy, state=state)
    assert result.text == text.replace(value, WRITES[action](kind, value))
    if action in ("allow", "tokenize"):
        assert rehydrate(result.text, state.token_map) == text, f"{action} must round-trip exactly"
    if action == "tokenize":
        assert dict(state.token_map) == {f"[{kind}_1]": value}, (
            "a tokenized value is stored like any map value"
        )
    else:
        assert value not in state.token_map.values(), f"{action}: the value must never be stored"
    if action in ("drop", "tokenize"):
        defaults = "drop" if kind in ("CREDIT_CARD", "US_SSN", "IBAN") else "tokenize"
        if action != defaults:
            assert result.audit.policy == ({"drop": {kind: 1}} if action == "drop" else {})
    else:
        assert result.audit.policy == {action: {kind: 1}}
    if action == "block":
        assert result.audit.blocked == {kind: 1}


@pytest.mark.parametrize("action", list(WRITES))
@pytest.mark.parametrize(("kind", "text"), LOOK_ALIKES, ids=[v[0] for v in LOOK_ALIKES])
def test_look_alikes_are_untouched_by_every_action(action: str, kind: str, text: str) -> None:
    result = scrub(text, policy=Policy(actions={kind: action}))
    assert result.text == text
    assert result.audit.policy == {}


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (CARD, "[CREDIT_CARD:****1111]"),
        (IBAN, "[IBAN:****3000]"),
        (EMAIL, "[EMAIL:****]"),  # no digits: nothing shows
        ("12-34", "[X:****]"),  # too few digits to show any
        ("１２３４５６７８９", "[X:****]"),  # non-ASCII digits never show
    ],
)
def test_mask_shows_at_most_the_last_four_ascii_digits(value: str, masked: str) -> None:
    kind = masked[1:].split(":")[0]
    assert mask_value(kind, value) == masked


def test_default_policy_changes_nothing_on_the_golden_corpus() -> None:
    """`Policy()` (the ``default`` profile without a policy file) is today's output exactly."""
    with_policy = partial(scrub, policy=Policy())
    for case in golden.cases():
        assert golden._replay.run_case(case, with_policy, ScrubState) == golden.run_case(case), case["id"]


def test_tokenized_tier1_is_recalled_in_later_turns_and_dropped_under_the_default() -> None:
    state = ScrubState()
    payments = Policy(actions={"CREDIT_CARD": "tokenize"})
    first = scrub(f"Charge {CARD}.", policy=payments, state=state)
    again = scrub(f"Refund {CARD}.", policy=payments, state=state)
    assert (first.text, again.text) == ("Charge [CREDIT_CARD_1].", "Refund [CREDIT_CARD_1].")
    # Under the default profile the same map never shows it tokenized again: tier 1 is dropped.
    assert scrub(f"Void {CARD}.", state=state).text == "Void [REDACTED:CREDIT_CARD]."
    assert scrub(f"Void {CARD}.", policy=Policy(), state=state).text == "Void [REDACTED:CREDIT_CARD]."


def test_allow_and_block_of_a_kind_apply_to_its_values() -> None:
    text = f"Mail {EMAIL} now"
    assert scrub(text, policy=Policy(actions={"EMAIL": "allow"})).text == text
    assert scrub(text, policy=Policy(actions={"EMAIL": "block"})).audit.blocked == {"EMAIL": 1}


@pytest.mark.parametrize(
    ("actions", "key"),
    [
        ({"EMAIL": "hide"}, "actions.EMAIL"),
        ({"NOT_A_KIND": "drop"}, "actions.NOT_A_KIND"),
        ({"DESCRIPTIVE": "tokenize"}, "actions.DESCRIPTIVE"),
        ({"LITERAL": "drop"}, "actions.LITERAL"),
    ],
)
def test_bad_actions_are_refused_naming_the_key(actions: dict[str, Any], key: str) -> None:
    with pytest.raises(PolicyInvalid) as info:
        Policy(actions=actions)
    assert info.value.key == key


def test_every_policy_kind_accepts_drop_block_and_allow() -> None:
    for kind in POLICY_KINDS:
        for action in ("drop", "block", "allow"):
            assert Policy(actions={kind: action}).action_for(kind) == action


PIECES = st.sampled_from(
    [CARD, SSN, IBAN, EMAIL, PHONE, "Jane Doe", "[PERSON_1]", "[REDACTED:US_SSN]", "$2.5M", "1990-04-02",
     " ", "\n", "born ", "call ", "[", "]", "ｊａｎｅ@example.com", "sk-ant-api03-" + "x" * 40]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(parts=st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=12))
def test_default_policy_is_byte_identical_to_no_policy(parts: list[str]) -> None:
    """The ``default`` profile without a policy file changes no output, for any text."""
    text = "".join(parts)
    plain_state, policy_state = ScrubState(), ScrubState()
    known = {"persons": ["Jane Doe"]}
    plain = scrub(text, state=plain_state, known_entities=known)
    with_policy = scrub(text, state=policy_state, known_entities=known, policy=Policy())
    assert with_policy == plain
    assert policy_state == plain_state
