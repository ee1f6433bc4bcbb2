"""Allow and deny terms (docs/architecture.md §12).

Allow terms are one mechanism with the NER-precision glossary: an NER name that is an allow
term is no name, and a span of any layer whose text is exactly the term is left as is (and
only that span: "Northwind" allowed never leaves "Northwind Traders" or an e-mail at
northwind in clear). Deny terms are always tokenized, found like known entities (any case,
word boundaries, across items and turns) but without partial mentions.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from redaction import DenyTerm, Policy, ScrubState, rehydrate, scrub


def ner(*pairs: tuple[str, str]) -> object:
    def fn(text: str) -> Iterable[tuple[str, str]]:
        return [(surface, label) for surface, label in pairs if surface in text]

    return fn


ALLOW = Policy(allow=["Northwind", "KYC", "Acme Corp"])


# fmt: off
@pytest.mark.parametrize(("text", "proposals", "expected"), [
    # The NER layer proposes the operator's own name: allowed, left in clear.
    ("Northwind signed.", [("Northwind", "ORG")], "Northwind signed."),
    ("Acme  Corp signed.", [("Acme  Corp", "ORG")], "Acme  Corp signed."),  # white space folded
    ("KYC review done.", [("KYC", "ORG")], "KYC review done."),
    # Exactly the term only: a longer name that contains it is still tokenized...
    ("Northwind Traders signed.", [("Northwind Traders", "ORG")], "[ORG_1] signed."),
    # ...as is a person next to it, and an e-mail at its domain.
    ("Jane Doe of Northwind", [("Jane Doe", "PERSON"), ("Northwind", "ORG")], "[PERSON_1] of Northwind"),
    ("Mail ops@northwind.com", [], "Mail [EMAIL_1]"),
    # An exact-case term ("KYC") does not allow another spelling.
    ("Kyc Smith called.", [("Kyc Smith", "PERSON")], "[PERSON_1] called."),
])
def test_allow_terms_win_only_for_exactly_the_term(
    text: str, proposals: list[tuple[str, str]], expected: str
) -> None:
    assert scrub(text, policy=ALLOW, ner_fn=ner(*proposals)).text == expected  # type: ignore[arg-type]


def test_allow_terms_apply_to_the_callers_dictionary_and_rules_too() -> None:
    known = {"orgs": ["Northwind", "Contoso"]}
    result = scrub("Northwind and Contoso met.", known_entities=known, policy=ALLOW)
    assert result.text == "Northwind and [ORG_1] met."


def test_allow_terms_join_the_glossary_inside_a_longer_proposal() -> None:
    # A multi-word allow term inside an NER proposal is a glossary phrase: the proposal splits.
    text = "Acme Corp Jane Doe"
    assert scrub(text, policy=ALLOW, ner_fn=ner((text, "PERSON"))).text == "Acme Corp [PERSON_1]"  # type: ignore[arg-type]
    assert scrub(text, ner_fn=ner((text, "PERSON"))).text == "[PERSON_1]"  # type: ignore[arg-type]


def test_deny_terms_are_tokenized_across_items_and_turns() -> None:
    policy = Policy(deny=[DenyTerm("Project Falcon", "PROJECT"), DenyTerm("Hawthorne", "PERSON")])
    state = ScrubState()
    texts = [
        "Project Falcon kicks off.",
        "PROJECT FALCON status: Hawthorne approves.",
        "project falcon's budget",
    ]
    out = [scrub(t, policy=policy, state=state).text for t in texts]
    assert out == [
        "[PROJECT_1] kicks off.",
        "[PROJECT_1.2] status: [PERSON_1] approves.",
        "[PROJECT_1.3]'s budget",
    ]
    # A later turn under the same map, with no policy: the map remembers the term.
    assert scrub("Falcon update: Project Falcon", state=state).text == "Falcon update: [PROJECT_1]"
    for text, scrubbed in zip(texts, out, strict=True):
        assert rehydrate(scrubbed, state.token_map) == text


def test_deny_terms_have_no_partial_mentions_and_respect_word_boundaries() -> None:
    policy = Policy(deny=[DenyTerm("Jane Hawthorne", "PERSON")])
    text = "Jane and Ms. Hawthorne met Jane Hawthorne at Hawthornes."
    assert scrub(text, policy=policy).text == "Jane and Ms. Hawthorne met [PERSON_1] at Hawthornes."


def test_deny_terms_beat_allow_terms_and_weak_actions() -> None:
    policy = Policy(
        allow=["Falcon"], deny=[DenyTerm("Falcon", "PROJECT")], actions={"ORG": "allow"}
    )
    assert scrub("Falcon", policy=policy).text == "[PROJECT_1]"
    org = Policy(deny=[DenyTerm("Contoso", "ORG")], actions={"ORG": "allow"})
    assert scrub("Contoso", policy=org).text == "[ORG_1]", "a deny term is never weaker than tokenize"
    dropped = Policy(deny=[DenyTerm("Contoso", "ORG")], actions={"ORG": "drop"})
    assert scrub("Contoso", policy=dropped).text == "[REDACTED:ORG]", "...but may be stronger"


def test_deny_terms_cannot_be_tier1_kinds() -> None:
    from redaction.errors import PolicyInvalid

    with pytest.raises(PolicyInvalid) as info:
        Policy(deny=[DenyTerm("1234", "CREDIT_CARD")])
    assert info.value.key == "deny[0].type"
    assert "1234" not in str(info.value)


SECRETS = "key AKIAIOSFODNN7EXAMPLE password=Hunter2Secret! ssn 123-45-6789 card 4111 1111 1111 1111"


@pytest.mark.parametrize(
    "actions",
    [{}, {"API_KEY": "block", "PASSWORD": "block", "CREDIT_CARD": "mask"}],
)
def test_allow_terms_never_relax_a_dropped_or_blocked_kind(actions: dict[str, str]) -> None:
    # An allow term is for names (the operator's company, products); a tier-1 value or a
    # blocked kind is relaxed only by an explicit action, never by a term that spells it.
    terms = ["AKIAIOSFODNN7EXAMPLE", "Hunter2Secret!", "123-45-6789", "4111 1111 1111 1111"]
    result = scrub(SECRETS, policy=Policy(actions=actions, allow=terms))  # type: ignore[arg-type]
    for term in terms[:3]:
        assert term not in result.text
    assert "4111 1111 1111 1111" not in result.text  # dropped, or masked to its last four
    if actions:
        assert result.audit.blocked == {"API_KEY": 1, "PASSWORD": 1}
    assert "allow" not in result.audit.policy


def test_allow_terms_are_counted_and_never_release_a_value_the_map_holds() -> None:
    state = ScrubState()
    first = scrub("Skyline Migration starts.", policy=Policy(deny=[DenyTerm("Skyline Migration", "ORG")]),
                  state=state)
    assert first.text == "[ORG_1] starts."
    # A later turn that allows the same words cannot undo the earlier turn's protection...
    later = scrub("Skyline Migration and Northwind.", policy=Policy(allow=["Skyline Migration", "Northwind"]),
                  known_entities={"orgs": ["Northwind"]}, state=state)
    assert later.text == "[ORG_1] and Northwind."
    # ...and what was allowed is counted, by kind.
    assert later.audit.policy == {"allow": {"ORG": 1}}
