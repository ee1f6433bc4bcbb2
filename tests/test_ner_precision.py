"""The NER precision layer (issue 10 §4): NER proposals never rewrite plain words, and NER
yields to the caller's known entities and to the rules. Engine level, a scripted ``ner_fn``:
no model needed. The same layer with the real spaCy model: tests/ner/test_ner_plain_words.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redaction import rehydrate, scrub
from redaction._ner_precision import _COMMON, allow_keys, designators_only, refine
from redaction._scrub import _ner_spans

Proposals = list[tuple[str, str]]
Known = Mapping[str, Sequence[str]] | None
P, G, L = "PERSON", "ORG", "LOC"
ZQ = {"persons": ["Zorblax Quintavious"]}


def _tokenized(text: str, proposals: Proposals, known: Known = None) -> list[tuple[str, str]]:
    """(value, TYPE) of every token the scrub issued, in order."""
    result = scrub(text, known_entities=known, ner_fn=lambda _t: proposals)
    assert rehydrate(result.text, result.token_map) == text or "[REDACTED:" in result.text
    return [(value, token[1:].split("_")[0]) for token, value in result.token_map.items()]


# fmt: off
CASES: list[tuple[str, Proposals, Known, list[tuple[str, str]]]] = [
    # Headings and greetings run together by the model: the glossary phrase splits them.
    ("Happy New Year Merry Christmas to all.", [("Happy New Year Merry Christmas", G)], None, []),
    ("Q&A The Team", [("Q&A The Team", G)], None, []),
    ("Kind regards Board", [("Kind regards Board", G)], None, []),
    ("KYC Jane Doe passed.", [("KYC Jane Doe", P)], None, [("Jane Doe", P)]),
    ("Kind regards Markus Weber", [("Kind regards Markus Weber", P)], None, [("Markus Weber", P)]),
    ("Docker Inc and Slack Holdings", [("Docker Inc", G), ("Slack Holdings", G)], None,
     [("Docker Inc", G), ("Slack Holdings", G)]),
    # Leading imperatives, greetings, determiners; trailing prepositions, possessives, punctuation.
    ("Call Jane at +1 415 555 0100.", [("Call Jane", P)], None,
     [("Jane", P), ("+1 415 555 0100", "PHONE")]),
    ("Jane Doe committed. Draft a thank-you note.", [("Jane Doe", P), ("Draft", P)], None,
     [("Jane Doe", P)]),
    ("Email Priya Raman today.", [("Email Priya Raman", P)], None, [("Priya Raman", P)]),
    ("Please ping Omar Haddad.", [("Please ping Omar Haddad", P)], None, [("Omar Haddad", P)]),
    ("Thank Lucía Fernández for it.", [("Thank Lucía Fernández", P)], None,
     [("Lucía Fernández", P)]),
    ("Dear Mr Okafor,", [("Dear Mr Okafor", P)], None, [("Okafor", P)]),
    ("Bonjour Capucine, merci.", [("Bonjour Capucine", P)], None, [("Capucine", P)]),
    ("Hi Team, thanks.", [("Hi Team", P)], None, []),
    ("Ask Tomasz's assistant.", [("Ask Tomasz's", P)], None, [("Tomasz", P)]),
    ("We met Massey at noon.", [("Massey at", P)], None, [("Massey", P)]),
    ("a note for the Acme Corp of Ohio team", [("the Acme Corp of", G)], None, [("Acme Corp", G)]),
    # Honorifics and roles split and trim: never part of an NER name.
    ("L. Dr Bell will call.", [("L. Dr Bell", P)], None, [("Bell", P)]),
    ("CFO Dana Whitfield signed.", [("CFO Dana Whitfield", P)], None, [("Dana Whitfield", P)]),
    ("Jason Berry\nCTO", [("Jason Berry\nCTO", P)], None, [("Jason Berry", P)]),
    # Structural separators: one proposal, several names or none.
    ("Christopher Johnston -> Suzanne Woods", [("Christopher Johnston -> Suzanne Woods", P)], None,
     [("Christopher Johnston", P), ("Suzanne Woods", P)]),
    ("Solis | Ralph Pitts", [("Solis | Ralph Pitts", P)], None, [("Solis", P), ("Ralph Pitts", P)]),
    ("Lorraine Norris    DOB", [("Lorraine Norris    DOB", P)], None, [("Lorraine Norris", P)]),
    ("Jonathan - quick question", [("Jonathan - quick", P)], None, [("Jonathan", P)]),
    ('customer="David Sullivan"', [('customer="David Sullivan', P)], None, [("David Sullivan", P)]),
    ('OpenAI(api_key="sk', [('OpenAI(api_key="sk', G)], None, []),
    ("backup.fetch 403 Forbidden", [("backup.fetch 403 Forbidden", G)], None, []),
    # Glossary: acronyms, products, headings, greetings, months.
    ("The CFO asked for KYC and AML checks.", [("CFO", G), ("KYC", G), ("AML", G)], None, []),
    ("Send the IBAN, SSN and DOB fields.", [("IBAN", G), ("SSN", G), ("DOB", P)], None, []),
    ("GDPR and SOC 2 audits", [("GDPR", G), ("SOC 2", G)], None, []),
    ("We deploy with Docker on Kubernetes; chat in Slack.", [("Docker", G), ("Kubernetes", G), ("Slack", G)],
     None, []),
    ("Happy Holidays from all of us", [("Happy Holidays", P)], None, []),
    ("Best Regards,\nAnna", [("Best Regards", P), ("Anna", P)], None, [("Anna", P)]),
    ("Mit freundlichen Grüßen", [("Mit freundlichen Grüßen", P)], None, []),
    ("안녕하세요 김민준 님", [("안녕하세요", P), ("김민준", P)], None, [("김민준", P)]),
    ("Paid EUR 40 on Mar 3", [("EUR", G), ("Mar", P)], None, [("EUR 40", "AMOUNT")]),
    ("[INFO] DEBUG mode", [("INFO", G), ("DEBUG", G)], None, []),
    # Common words: headings, sentence starts, single words.
    ("Legal and Finance\nThe Team reviewed it.", [("Legal and Finance", G), ("The Team", G)], None, []),
    ("The Board approved the budget.", [("Board", G)], None, []),
    ("Next Steps\n- book the room", [("Next Steps", L)], None, []),
    ("Customer Relations will reply.", [("Customer Relations", G)], None, []),
    ("Attendees: Jane Doe", [("Attendees", G), ("Jane Doe", P)], None, [("Jane Doe", P)]),
    ("Ratio 3:2", [("Ratio 3:2", P)], None, []),
    ("Lead INC5993264 closed", [("Lead INC5993264", G)], None, []),
    ("Order ORD-3667477 shipped", [("ORD-3667477", L)], None, []),
    ("Batch 03d1a201-23bb-4f60 ran", [("Batch 03d1a201-23bb-4f60", P)], None, []),
    # Person shape: acronyms, digits, lowercase.
    ("ping KGAD9X", [("KGAD9X", P)], None, []),
    ("NCBA signed", [("NCBA", P)], None, []),
    ("Jane and John", [("Jane and John", P)], None, [("Jane", P), ("John", P)]),
    # Names stay whole: any script, particles, hyphens, apostrophes, names that are also words.
    ("Csanád Szabó, Søren Kleist and José Álvarez",
     [("Csanád Szabó", P), ("Søren Kleist", P), ("José Álvarez", P)], None,
     [("Csanád Szabó", P), ("Søren Kleist", P), ("José Álvarez", P)]),
    ("Nguyễn Văn An, 김민준 and 王伟 met.", [("Nguyễn Văn An", P), ("김민준", P), ("王伟", P)], None,
     [("Nguyễn Văn An", P), ("김민준", P), ("王伟", P)]),
    ("Ludwig van Beethoven and Ana de la Cruz", [("Ludwig van Beethoven", P), ("Ana de la Cruz", P)], None,
     [("Ludwig van Beethoven", P), ("Ana de la Cruz", P)]),
    ("Anne-Marie Dupont, O'Brien and D'Angelo", [("Anne-Marie Dupont", P), ("O'Brien", P),
     ("D'Angelo", P)], None, [("Anne-Marie Dupont", P), ("O'Brien", P), ("D'Angelo", P)]),
    ("Will Baker, Grant Moore, Hope Brown and Darrell Wells",
     [("Will Baker", P), ("Grant Moore", P), ("Hope Brown", P), ("Darrell Wells", P)], None,
     [("Will Baker", P), ("Grant Moore", P), ("Hope Brown", P), ("Darrell Wells", P)]),
    ("Washington, Hayes and Diaz LLP", [("Hayes", P), ("Wells", P)], None, [("Hayes", P)]),
    ("JOHN SMITH signed", [("JOHN SMITH", P)], None, [("JOHN SMITH", P)]),
    # Organisations and places made of common words: designators, running text.
    ("Summit Ridge Partners II, L.P. closed.", [("Summit Ridge Partners II, L.P.", G)], None,
     [("Summit Ridge Partners II, L.P.", G)]),
    ("Flights to Salt Lake City and Nice", [("Salt Lake City", "GPE"), ("Nice", "GPE")], None,
     [("Salt Lake City", L), ("Nice", L)]),
    ("Windows crashed again.", [("Windows", L)], None, []),
    ("The Risk Committee and Capital Markets agreed.", [("The Risk Committee", G), ("Capital Markets", G)],
     None, []),
    ("Reconcile Stripe payouts with NetSuite.", [("Stripe", G), ("NetSuite", G)], None, []),
    ("Barbara Robson (Wilson and Sons)", [("Wilson", G), ("Sons", G)], None, [("Wilson", G), ("Sons", G)]),
    ("Acme Growth Fund IV closed", [("Acme Growth Fund IV", G)], None, [("Acme Growth Fund IV", G)]),
    ("Jungfer GmbH & Co. KG pays", [("Jungfer GmbH & Co. KG", G)], None, [("Jungfer GmbH & Co. KG", G)]),
    # The caller's dictionary wins its characters; the remainder survives only as a name.
    ("Zorblax Quintavious of Vantor agreed.", [("Zorblax Quintavious of", G)], ZQ,
     [("Zorblax Quintavious", P)]),
    ("Zorblax Quintavious agreed.", [("Zorblax Quintavious agreed", G)], ZQ,
     [("Zorblax Quintavious", P)]),
    ("Jane Doe of Acme Corp agreed.", [("Jane Doe of Acme Corp", G)], {"persons": ["Jane Doe"]},
     [("Jane Doe", P), ("Acme Corp", G)]),
    ("Ms. Doe called.", [("Ms. Doe called", P)], {"persons": ["Jane Doe"]}, [("Ms. Doe", P)]),
    ("the Jane Doe Foundation", [("Jane Doe Foundation", G)], {"persons": ["Jane Doe"]},
     [("Jane Doe Foundation", G)]),
    ("Priya met Acme Growth Fund IV", [("Priya met Acme", P)], {"funds": ["Acme Growth Fund IV"]},
     [("Priya", P), ("Acme Growth Fund IV", "FUND")]),
    # The rules own their characters: a tier-1 value stays tier 1, a tier-2 value its own type.
    ("key AKIAIOSFODNN7EXAMPLE here", [("AKIAIOSFODNN7EXAMPLE", G)], None, []),
    ("SSN 123-45-6789 on file", [("SSN 123-45-6789", P)], None, []),
    ("IBAN DE89370400440532013000 please", [("IBAN DE89370400440532013000", G)], None, []),
    ("write to jane.doe@acme.com Jane", [("jane.doe@acme.com Jane", P)], None,
     [("jane.doe@acme.com", "EMAIL"), ("Jane", P)]),
    # Non-name labels are untouched by the layer.
    ("raised $2.3M", [("$2.3M", "MONEY")], None, [("$2.3M", "AMOUNT")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "proposals", "known", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_ner_precision_table(
    text: str, proposals: Proposals, known: Known, expected: list[tuple[str, str]]
) -> None:
    assert sorted(_tokenized(text, proposals, known)) == sorted(expected)


def test_tier1_stays_tier1_when_ner_tags_it() -> None:
    result = scrub("key AKIAIOSFODNN7EXAMPLE here", ner_fn=lambda _t: [("AKIAIOSFODNN7EXAMPLE", "ORG")])
    assert result.text == "key [REDACTED:API_KEY] here"
    assert "AKIAIOSFODNN7EXAMPLE" not in result.token_map.values()


def test_rehydrated_reply_reads_naturally() -> None:
    # The reproduction: "I will call Call Jane".
    result = scrub("Call Jane at +1 415 555 0100.", ner_fn=lambda _t: [("Call Jane", "PERSON")])
    assert result.text == "Call [PERSON_1] at [PHONE_1]."
    assert rehydrate("I will call [PERSON_1].", result.token_map) == "I will call Jane."


def _glossary_terms() -> list[str]:
    raw = resources.files("redaction").joinpath("data", "ner_glossary.txt").read_text("utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("label", ["PERSON", "ORG", "LOC"])
def test_no_glossary_term_is_ever_tokenized(label: str) -> None:
    terms = _glossary_terms()
    assert len(terms) > 300
    for term in terms:
        text = f"About {term}: see below."
        assert scrub(text, ner_fn=lambda _t, t=term: [(t, label)]).text == text, term


def test_common_words_hold_no_names() -> None:
    # A name that is also a word must never be dropped as a common word.
    names = ["will", "mark", "hope", "grant", "bill", "rose", "june", "may", "april", "baker", "brown"]
    names += ["young", "king", "hill", "wells", "hayes", "banks", "jun"]
    assert len(_COMMON) > 2000
    assert not [n for n in names if n in _COMMON]
    assert {"draft", "board", "team", "legal", "finance", "holidays", "call"} <= _COMMON


def test_operator_allow_terms_extend_the_glossary() -> None:
    text = "Project Falcon kicks off with Jane Doe."
    proposals = [("Project Falcon", "ORG"), ("Falcon", "ORG"), ("Jane Doe", "PERSON")]
    plain = [text[s.start : s.end] for s in _ner_spans(text, proposals)]
    assert plain == ["Project Falcon", "Falcon", "Jane Doe"]
    allowed = [
        text[s.start : s.end] for s in _ner_spans(text, proposals, allow=["project  falcon", "FALCON"])
    ]
    assert allowed == ["Jane Doe"]
    assert refine(text, 0, 14, "ORG", allow_keys(["Project Falcon"])) == []


def test_designators_only() -> None:
    assert designators_only(" Foundation")
    assert designators_only("LLC")
    assert designators_only(", L.P.")
    assert not designators_only(" of")
    assert not designators_only("Acme Corp")
    assert not designators_only("")


# -- generated: a name in any wrapping is found exactly --------------------------------------------

_SYLLABLES = ["zor", "bla", "qui", "tav", "ne", "mir", "ko", "ula", "vex", "dra", "sil", "tho", "ryn", "ga"]
name_words = st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3).map(
    lambda s: "".join(s).capitalize()
)
names = st.lists(name_words, min_size=1, max_size=3).map(" ".join)
openers = st.sampled_from(
    ["", "Call ", "Email ", "Dear ", "Hi ", "Thank ", "The ", "Draft ", "Dr ", "CFO ", "Ask "]
)
closers = st.sampled_from(["", " of", " at", "'s", ",", " and", "\nCTO", " ->", " | ", "  DOB", " 2024"])


@given(name=names, opener=openers, closer=closers, label=st.sampled_from(["PERSON", "ORG"]))
def test_generated_names_are_found_exactly(name: str, opener: str, closer: str, label: str) -> None:
    if any(w.lower() in _COMMON for w in name.split()):
        return  # the syllables can spell a real word; the layer rightly drops those
    text = f"Notes: {opener}{name}{closer} agreed today."
    surface = f"{opener}{name}{closer}".strip()
    assert _tokenized(text, [(surface, label)]) == [(name, label)]


@given(text=st.text(max_size=60), data=st.data())
def test_refined_parts_lie_inside_the_proposal(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    kind = data.draw(st.sampled_from(["PERSON", "ORG", "LOC"]))
    parts = refine(text, start, end, kind)
    last = start
    for s, e in parts:
        assert last <= s < e <= end, "parts are ordered, disjoint and inside the proposal"
        last = e


def test_long_hostile_proposal_is_linear() -> None:
    # 200 KB proposals of separators, code words and common words: each character is seen once.
    for unit in ("a_", "Call ", "The Team ", "x | ", "Dr ", "- ", "Jane\n", "IBAN 1 "):
        text = unit * (200_000 // len(unit))
        for kind in ("PERSON", "ORG", "LOC"):
            for s, e in refine(text, 0, len(text), kind):
                assert 0 <= s < e <= len(text)


def test_overlapping_mentions_of_a_periodic_proposal_are_refined_once_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Abc Def " * 18750 proposed whole as a PERSON found the surface again at every period:
    # one refine per period of a 150 KB text (128 s in the service). Mentions never overlap now,
    # and a "name" of thousands of words is none.
    import redaction._scrub as scrub_module

    calls: list[tuple[int, int]] = []

    def counting(
        text: str, start: int, end: int, kind: str, allow: frozenset[str] = frozenset()
    ) -> list[tuple[int, int]]:
        calls.append((start, end))
        return refine(text, start, end, kind, allow)

    monkeypatch.setattr(scrub_module, "refine", counting)
    text = "Abc Def " * 2000
    surface = text[: len(text) // 2].strip()
    spans = _ner_spans(text, [(surface, "PERSON"), ("Abc Def", "PERSON")])
    assert len([c for c in calls if c[1] - c[0] == len(surface)]) <= 2
    assert len(calls) <= 2 + 2000
    assert not [s for s in spans if s.end - s.start > 100], "no name of thousands of words"
    assert scrub(text, ner_fn=lambda _: [(text.strip(), "PERSON")]).text == text
