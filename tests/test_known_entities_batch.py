"""The dictionary compiles all its entries' strings in one batch (`redaction._known_entities`):
each batched result must equal what the per-entry function gives for that entry alone, for any
input, including separators inside a value, case mappings that change length (`İ`), Greek
final sigma, compatibility forms and combining marks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from redaction import _known_entities as K
from redaction import scrub
from redaction._entities import entity_key

# Letters, marks, punctuation and separators, with the characters the batch treats specially.
_CHARS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("\x00\x01 \t\n-'.,İıΣσςﬁＡé\u0301ßÅøJo")),
)
_VALUES = st.lists(st.text(_CHARS, max_size=12), min_size=0, max_size=8)

_TRICKY = [
    "Jane Doe", "  O'Brien-Smith ", "ΟΔΥΣΣΕΑΣ Σ", "İstanbul Ltd", "José Álvarez", "Ｆｕｌｌ Ｗｉｄｔｈ",
    "a\x00b", "x", "Straße 5", "Dr. Hans-Georg  Müller", "日本 太郎", "ﬁnance ﬂow", "e\u0301clair",
    "Σ", "ΣΑΣ", "Mr.  Wu", "", "jane\x01doe",
]  # fmt: skip


def _check(values: list[str]) -> None:
    assert K._cleaned(values) == [K._clean(v) for v in values]
    keys, lows = K._keys_and_lows(values)
    assert keys == [K._entry_key(v) for v in values]
    assert lows == [K._folded(K._lowered(v)) for v in values]
    assert list(K._name_bodies(values)) == [entity_key("PERSON", v)[len("PERSON:") :] for v in values]
    assert list(K._all_name_parts(lows)) == [K._name_parts(v) for v in values]


def test_batched_strings_equal_per_entry_on_known_hard_cases() -> None:
    _check(_TRICKY)
    _check([v for v in _TRICKY if v.isascii() and "\x00" not in v and "\x01" not in v])  # the fast path
    for value in _TRICKY:
        _check([value, value.upper(), "Ab"])


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_batched_strings_equal_per_entry(values: list[str]) -> None:
    _check(values)


def test_a_dictionary_finds_the_same_mentions_whichever_path_compiled_it() -> None:
    # "İ" lowers to two characters: the whole batch falls back to the per-entry path.
    plain = K.KnownEntities({"persons": ["Jane Doe", "Hans-Georg Müller"], "orgs": ["Acme Ltd"]})
    mixed = K.KnownEntities(
        {"persons": ["Jane Doe", "Hans-Georg Müller", "İlker Başbuğ"], "orgs": ["Acme Ltd"]}
    )
    text = "Jane Doe, Ms. Doe and Hans-Georg Müller of ACME LTD met Müller."
    assert [(s.start, s.end, s.kind, s.entity) for s in plain.find(text)] == [
        (s.start, s.end, s.kind, s.entity) for s in mixed.find(text)
    ]
    scrubbed = scrub(text, known_entities=plain).text
    assert scrubbed == scrub(text, known_entities=mixed).text
    assert scrubbed == "[PERSON_1], [PERSON_1.2] and [PERSON_2] of [ORG_1] met [PERSON_2.2]."
