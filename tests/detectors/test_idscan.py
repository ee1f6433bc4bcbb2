"""The shape scan behind the financial and national-ID detectors: offsets, cache, bounds."""

from __future__ import annotations

import gc

from redaction.detectors._idscan import (
    ShapePattern,
    bounded,
    find_all,
    literal_hits,
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
