"""PlaceDetector: a place after a locative phrase of its sentence, and the words that are not one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.places import PlaceDetector

DETECTOR = PlaceDetector()


def _found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[str]]] = [
    # Towns of any country after a trigger of the same sentence, whatever sits between.
    ("She works at Bassi e figli in Sarteano. Later.", ["Sarteano"]),
    ("He works at Gertz Gumprich GmbH in Pinneberg.", ["Pinneberg"]),
    ("He works at Porto in Melo do Norte. Fear machine", ["Melo do Norte"]),
    ("She lives in Tiszakeresztfalu with her dog", ["Tiszakeresztfalu"]),
    ("Our clinic in Huesca, near Zaragoza, opened", ["Huesca", "Zaragoza"]),
    ("Born and raised in Stratford upon Avon; moved to Dehradun last year",
     ["Stratford upon Avon", "Dehradun"]),
    ("works at 유한회사 마루 in 청주시 서원구. Those", ["청주시 서원구"]),
    ("He works at 合同会社田中印刷 in 西多摩郡檜原村.", ["西多摩郡檜原村"]),
    ("The warehouse is located in Rheden\nNext line", ["Rheden"]),
    # An abbreviation's period does not end the sentence when a small letter follows.
    ("She works at Kovács és Tóth Kkt. in Tiszakeresztfalu. Wear", ["Tiszakeresztfalu"]),
    # No trigger in the sentence, or the trigger sits in the sentence before.
    ("Pinneberg is lovely. It rained in Pinneberg.", []),
    ("She works at Acme. In Pinneberg it rained.", []),
    # `to` and `from` only after a move.
    ("She works from Monday to Friday; he works to Hamburg standards.", []),
    ("We relocated from Assens to Rheden.", ["Assens", "Rheden"]),
    # Not places: common words, departments, glossary terms, months, lowercase, acronyms.
    ("She works in Sales. He works in Marketing, she works in DevOps.", []),
    ("He is based in Python land; she works in IT; born in January.", []),
    ("She lives in pinneberg; he works in Excel daily.", []),
    ("Log in to Slack. Sign in Now. Stay in Touch.", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_places(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_a_place_is_tokenized_and_round_trips() -> None:
    text = "Anna works at Bassi e figli in Sarteano, and Marco lives in Sarteano too."
    result = redaction.scrub(text)
    assert "Sarteano" not in result.text
    assert result.text.count("[LOC_1]") == 2
    assert redaction.rehydrate(result.text, result.token_map) == text


@given(st.text(alphabet=st.sampled_from("in lives works Town Ab. ,\n近"), max_size=300))
@settings(max_examples=200, deadline=None)
def test_spans_lie_inside_the_text_and_hold_no_trigger(text: str) -> None:
    for span in DETECTOR.detect(text):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]
