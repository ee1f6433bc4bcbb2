"""The shape scan behind the financial and national-ID detectors: offsets, cache, bounds."""

from __future__ import annotations

import gc

from redaction.detectors._idscan import (
    ShapePattern,
    bounded,
    digit_separators,
    find_all,
    free_after,
    free_before,
    grouped_at,
    literal_hits,
    per_digit_runs,
    scan,
    shape_matches,
    text_shape,
)


def test_shape_keeps_one_byte_per_code_point() -> None:
    text = "Kärtchen ４１１１ 4111-1111\n> 😀\ud800_x,.\t\r"
    shape = text_shape(text)
    assert len(shape) == len(text), "offsets in the shape must be offsets in the text"
    assert shape == b"A~aaaaaas~~~~s0000s0000\n>s~~aa,.ss"


def test_shape_holds_no_digit_or_letter_of_the_text() -> None:
    shape = text_shape("Jane Doe 123-45-6789 jane@example.com")
    assert set(shape) <= set(b"0Aas\n.,>~"), "the cached shape must carry no value of the text"


def test_cache_never_serves_another_texts_shape() -> None:
    first = "".join(["order 123-45-6789"])
    assert literal_hits(first, b"000s00s0000") == [6]
    del first
    gc.collect()
    # Same length, possibly the same id once the first is freed: a different text.
    second = "".join(["orders 12-345-678"])
    assert text_shape(second) == b"aaaaaas00s000s000"
    assert literal_hits(second, b"000s00s0000") == []


def test_bounded_literal_stands_alone() -> None:
    nine = ShapePattern("nine", b"000000000", bounded(b"000000000"))
    for text, found in [
        ("x 123456789 y", True),
        ("123456789", True),
        ("12 123456789 34", True),
        ("123456789.", True),
        ("1234567890", False),
        ("a123456789", False),
        ("123456789b", False),
        ("1.123456789", False),
        ("123456789,5", False),
        ("123456789-1", False),
        ("1-123456789", False),
    ]:
        assert bool(list(shape_matches(text, nine))) is found, text


def test_find_all_merges_needles_in_order() -> None:
    assert find_all("Account acct ACCOUNT", [("ccount", 1), ("CCOUNT", 1), ("cct", 1)]) == [0, 8, 13]


def test_separator_shape_folds_dots_and_slashes_only() -> None:
    found = scan("4111.1111/1111-1111 1,5")
    assert found.shape == b"0000.0000/0000s0000s0,0"
    assert found.sepshape == b"0000s0000s0000s0000s0,0"
    assert found.literal_hits(b"0000s0000", sep=True) == [0, 10]


def test_free_before_and_after_tell_separators_from_glue() -> None:
    for text, start, end, free in [
        ("x 123 y", 2, 5, True),
        ("1.123 y", 2, 5, False),  # decimals
        ("1-123 y", 2, 5, False),  # joined by a dash
        ("1 123 y", 2, 5, True),  # a space is not a join
        ("a123 y", 1, 4, False),
        ("x 123/4", 2, 5, True),  # a slash separates: `123-45-6789/10.0.0.1` is a list
        ("x 123,4", 2, 5, True),  # so does a comma: `123-45-6789,42` is a CSV row
        ("4,123 y", 2, 5, True),
        ("4/123 y", 2, 5, True),
        ("x 123-a", 2, 5, True),
        ("x 123. ", 2, 5, True),
    ]:
        shape = text_shape(text)
        assert (free_before(text, shape, start) and free_after(text, shape, end)) is free, text


def test_per_digit_runs_stand_alone() -> None:
    text = "a 4 1 1 1 b, 10 1 2 3 4, 1 2 3 45, 7-7-7 - 7-7"
    runs = per_digit_runs(text)
    assert [text[s:e] for s, e in runs] == ["4 1 1 1", "7-7-7 - 7-7"]
    seps = digit_separators(text, *runs[1])
    assert seps == ["-", "-", " - ", "-"]
    assert grouped_at(seps, (3,))
    assert not grouped_at(seps, (2,))
