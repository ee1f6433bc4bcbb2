"""`app.scan.find_tier1` maps every ``[REDACTED:KIND]`` of the engine's output back to the exact
offset of its value, whatever surrounds it (filler, other values, literal markers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scan import find_tier1

# fmt: off
VALUES = [
    ("078-05-1120", "US_SSN"),
    ("4111 1111 1111 1111", "CREDIT_CARD"),
    ("5500-0000-0000-0004", "CREDIT_CARD"),
    ("GB82 WEST 1234 5698 7654 32", "IBAN"),
]
FILLER = ["the", "note", "Zoë", "and", "\n", "  ", "x", "[REDACTED:US_SSN]", "order 12-34", "€5"]
# fmt: on


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FILLER), st.sampled_from(VALUES)), max_size=12))
def test_each_finding_points_at_its_value(parts: list[str | tuple[str, str]]) -> None:
    text = ""
    expected: list[tuple[int, str]] = []
    for part in parts:
        # A word between two values: adjacent id-like runs are one value to the engine.
        text += " note " if isinstance(part, tuple) else " "
        if isinstance(part, tuple):
            expected.append((len(text), part[1]))
            text += part[0]
        else:
            text += part
    text += " "
    assert find_tier1(text) == expected


def test_a_literal_marker_is_not_a_finding() -> None:
    assert find_tier1("a [REDACTED:US_SSN] b") == []
    assert find_tier1("[REDACTED:US_SSN] 078-05-1120") == [(18, "US_SSN")]
