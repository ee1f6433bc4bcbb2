"""StreamRehydrator: identical to batch rehydrate for every split (docs/architecture.md §9)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redaction import StreamRehydrator, rehydrate
from redaction.errors import UnknownTokens

TOKEN_MAP = {
    "[PERSON_1]": "Jane Doe",
    "[PERSON_1.2]": "Ms. Doe",
    "[ORG_1]": "Acme",
    "[AMOUNT_1]": "$2,300,000",
    "[LITERAL_1]": "[PERSON_1]",
}
PIECES = [
    "[PERSON_1]", "[PERSON_1.2]", "[person_1]", "[ PERSON_1 ]", "[ORG_1]", "[AMOUNT_1: $1M-$5M]",
    "[LITERAL_1]", "[PERSON_9]", "[REDACTED:API_KEY]", "[", "]", "[[", "[PER", "hello ", "\n", "é", " ",
    "[PERSON-1]", "[PERSON_\n1]", "[\nPERSON_1.2]", "[PERSON_1. 2]",
]  # fmt: skip


def _stream(text: str, cuts: list[int], token_map: dict[str, str] = TOKEN_MAP) -> str:
    stream = StreamRehydrator(token_map)
    bounds = [0, *sorted(cuts), len(text)]
    out = [stream.feed(text[a:b]) for a, b in itertools.pairwise(bounds)]
    return "".join(out) + stream.close()


@pytest.mark.parametrize("token", [t for t in PIECES if t.startswith("[") and len(t) > 2])
def test_every_split_inside_every_token_matches_batch(token: str) -> None:
    text = f"a {token} b {token}"
    expected = rehydrate(text, TOKEN_MAP)
    for i in range(len(text) + 1):
        for j in range(i, len(text) + 1):
            assert _stream(text, [i, j]) == expected, f"split at {i},{j} changed the output"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=25),
    st.lists(st.integers(min_value=0, max_value=400), max_size=12),
)
def test_random_chunking_equals_batch(parts: list[str], cuts: list[int]) -> None:
    text = "".join(parts)
    cuts = [c for c in cuts if c <= len(text)]
    assert _stream(text, cuts) == rehydrate(text, TOKEN_MAP)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_one_character_chunks_equal_batch(parts: list[str]) -> None:
    text = "".join(parts)
    assert _stream(text, list(range(len(text)))) == rehydrate(text, TOKEN_MAP)


def test_split_placeholder_is_restored_not_leaked() -> None:
    stream = StreamRehydrator(TOKEN_MAP)
    assert stream.feed("Hello [PER") == "Hello "
    assert stream.feed("SON_1], welcome") == "Jane Doe, welcome"
    assert stream.close() == ""


def test_held_tail_is_flushed_on_close() -> None:
    stream = StreamRehydrator(TOKEN_MAP)
    assert stream.feed("price is [AMOUNT_1") == "price is "
    assert stream.close() == "[AMOUNT_1", "the held-back tail must not be dropped at the end"


def test_stray_bracket_does_not_stall_the_stream() -> None:
    stream = StreamRehydrator(TOKEN_MAP)
    assert stream.feed("see [") == "see "
    # Once the run can no longer become a token, it is emitted at once.
    assert stream.feed("note] more") == "[note] more"
    stream = StreamRehydrator(TOKEN_MAP)
    stream.feed("[AMOUNT_1: ")
    out = stream.feed("x" * 200)
    assert out.startswith("[AMOUNT_1: x"), "a hint run longer than any token must be released"


def test_strict_mode_stops_at_first_complete_unknown_token() -> None:
    stream = StreamRehydrator(TOKEN_MAP, strict=True)
    assert stream.feed("Hi [PERSON_1] and [PERSON_") == "Hi Jane Doe and "
    with pytest.raises(UnknownTokens) as info:
        stream.feed("7] bye")
    assert info.value.tokens == ["[PERSON_7]"]


def test_stats_match_batch() -> None:
    stream = StreamRehydrator(TOKEN_MAP)
    for ch in "[PERSON_1] [person_1] [ORG_9]":
        stream.feed(ch)
    stream.close()
    assert (stream.substituted, stream.tolerated, stream.unknown) == (2, 1, ["[ORG_9]"])


def test_per_chunk_work_does_not_depend_on_map_size() -> None:
    # Not a timing assertion: the stream never iterates the map, so a huge map behaves as a
    # small one. We prove it with a map that fails loudly if anything iterates it.
    class NoIteration(dict[str, str]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("the stream must not iterate the map")

        def items(self):  # type: ignore[no-untyped-def]
            raise AssertionError("the stream must not iterate the map")

    big = NoIteration({f"[PERSON_{i}]": f"name {i}" for i in range(1, 10_001)})
    stream = StreamRehydrator(big)
    assert stream.feed("x [PERSON_9999] y") == "x name 9999 y"
    assert stream.close() == ""
