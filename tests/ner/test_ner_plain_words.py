"""The real spaCy model through the NER precision layer (issue 10 §4): plain business text is
not rewritten, names still are, and the caller's known entities win. The layer itself is
tested without a model in tests/test_ner_precision.py."""

from __future__ import annotations

import re

import pytest

from app.embedded_ner import EmbeddedNer
from redaction import rehydrate, scrub

_NAME_TOKEN = re.compile(r"\[(?:PERSON|ORG|LOC)_\d+\]")

# fmt: off
PLAIN = [
    "Please review the KYC and AML checklist before Friday.",
    "The CFO wants the IBAN and SSN fields removed from the form.",
    "We moved the build to Docker and Kubernetes last month.",
    "The Board approved the new policy on Tuesday.",
    "Best Regards,",
    "Ask Legal whether the NDA covers the pilot.",
    "Review the MSA and SOW drafts.",
    "The DOB field is optional on the intake form.",
    "Ping me on Slack when the deploy is done.",
    "Update the roadmap in Jira and Confluence.",
    "Our ESG report goes to the LPs in March.",
    "The IC memo covers IRR, MOIC and TVPI.",
    "Sales and Marketing share one OKR this year.",
    "Human Resources will update the PTO policy.",
    "Open the PDF in Excel and export a CSV.",
    "The API returns 403 Forbidden for expired tokens.",
    "Merry Christmas and Happy New Year from all of us.",
    "Dear Team, the offsite moves to the spring.",
    "The Compliance Committee meets monthly.",
    "Ticket INC4508892 was closed as a duplicate.",
    "The Treasury team handles the wire transfer.",
    "The Audit Committee asked for the SOX controls.",
    "Email the HR team about onboarding.",
    "Greetings from the Operations team.",
    "Draft a thank-you note for the team.",
    "Legal and Finance will sign off on the budget.",
    "The Team wishes you Happy Holidays!",
]

# (text, the exact values the scrub must tokenize as names)
NAMES: list[tuple[str, list[str]]] = [
    ("Call Jane at +1 415 555 0100.", ["Jane"]),
    ("Csanád Szabó joined the call from Budapest.", ["Csanád Szabó", "Budapest"]),
    ("Søren Kleist signed the contract.", ["Søren Kleist"]),
    ("José Álvarez will present the results.", ["José Álvarez"]),
    ("Ludwig van Beethoven composed nine symphonies.", ["Ludwig van Beethoven"]),
    ("Anne-Marie Dupont approved the invoice.", ["Anne-Marie Dupont"]),
    ("Please thank Sean O'Brien and Marco D'Angelo.", ["Sean O'Brien", "Marco D'Angelo"]),
    ("Will Baker met Grant Moore in Chicago.", ["Will Baker", "Grant Moore", "Chicago"]),
    ("Email Priya Raman about the Acme Corp renewal.", ["Priya Raman", "Acme Corp"]),
    ("Dear Mr Okafor, thank you for your letter.", ["Okafor"]),
    ("Darrell Wells works at Goldman Sachs in London.", ["Darrell Wells", "Goldman Sachs", "London"]),
    ("Kim Min-jun and Wang Wei joined from Seoul.", ["Kim Min-jun", "Wang Wei", "Seoul"]),
    ("Hi Søren, thanks for the update.", ["Søren"]),
]
# fmt: on


def test_spacy_still_proposes_plain_words(embedded: EmbeddedNer) -> None:
    # What makes the next test meaningful: the model does tag these words.
    tagged = [text for text in PLAIN if embedded.propose(text)]
    assert len(tagged) >= len(PLAIN) * 3 // 4, "the sentences must exercise the layer"


@pytest.mark.parametrize("text", PLAIN)
def test_plain_business_text_is_not_rewritten(embedded: EmbeddedNer, text: str) -> None:
    result = scrub(text, ner_fn=embedded.propose)
    assert not _NAME_TOKEN.search(result.text), (result.text, embedded.propose(text))


@pytest.mark.parametrize(("text", "names"), NAMES, ids=[n[0][:30] for n in NAMES])
def test_names_are_still_tokenized_exactly(embedded: EmbeddedNer, text: str, names: list[str]) -> None:
    result = scrub(text, ner_fn=embedded.propose)
    values = sorted(v for k, v in result.token_map.items() if _NAME_TOKEN.fullmatch(k))
    assert values == sorted(names)
    assert rehydrate(result.text, result.token_map) == text


def test_readme_agent_loop_keeps_draft(embedded: EmbeddedNer) -> None:
    text = "Jane Doe (jane@acme.com) committed $2,300,000 to Acme Growth Fund IV. Draft a thank-you note."
    known = {"persons": ["Jane Doe"], "funds": ["Acme Growth Fund IV"]}
    result = scrub(text, known_entities=known, ner_fn=embedded.propose)
    assert result.text.endswith(". Draft a thank-you note.")
    assert result.text.startswith("[PERSON_1] ([EMAIL_1])")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zorblax Quintavious of Vantor Labs agreed to the terms.",
         {"[PERSON_1]": "Zorblax Quintavious", "[ORG_1]": "Vantor Labs"}),
        ("Priya Raman and Zorblax Quintavious met.",
         {"[PERSON_1]": "Priya Raman", "[PERSON_2]": "Zorblax Quintavious"}),
    ],
)  # fmt: skip
def test_known_entities_win_over_spacy(embedded: EmbeddedNer, text: str, expected: dict[str, str]) -> None:
    known = {"persons": ["Priya Raman", "Zorblax Quintavious"]}
    result = scrub(text, known_entities=known, ner_fn=embedded.propose)
    assert dict(result.token_map) == expected
