"""Wallet seed phrases (BIP-39): twelve or more words of the list after a seed phrase's label are
dropped; prose, fewer words and a variable's name after the label stay."""

from __future__ import annotations

import pytest

import redaction
from redaction.detectors.mnemonic import MnemonicDetector

DETECTOR = MnemonicDetector()
K = "PRIVATE_KEY"
TWELVE = "abandon ability able about above absent absorb abstract absurd abuse access accident"
VECTOR = "legal winner thank year wave sausage worth useful legal winner thank yellow"  # BIP-39's test vector

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (f'MNEMONIC="{TWELVE}"', [(TWELVE, K)]),
    (f'accounts: {{ mnemonic: "{VECTOR}" }}', [(VECTOR, K)]),
    ("seed words:\n" + TWELVE.replace(" ", ", "), [(TWELVE.replace(" ", ", "), K)]),
    ("my recovery phrase is 1. zoo 2. zone 3. zero 4. youth 5. young 6. year 7. wrong 8. write "
     "9. wrist 10. wrestle 11. wreck 12. worth",
     [("zoo 2. zone 3. zero 4. youth 5. young 6. year 7. wrong 8. write 9. wrist 10. wrestle 11. wreck "
       "12. worth", K)]),
    (f"Seed phrase: {TWELVE} {TWELVE}", [(f"{TWELVE} {TWELVE}", K)]),
    # Not seed phrases: a variable, prose, eleven words, words off the list.
    ("mnemonic = process.env.MNEMONIC", []),
    ("The seed phrase is a list of twelve words that you must keep safe at all times please.", []),
    ("mnemonic: " + " ".join(TWELVE.split()[:11]), []),
    ("recovery phrase: abandon ability able about above absent absorb abstract absurd abuse access zzz", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_seed_phrases(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)] == expected


def test_no_word_of_a_seed_phrase_survives_the_scrub() -> None:
    out = redaction.scrub(f'MNEMONIC="{TWELVE}" # wallet').text
    for word in TWELVE.split():
        assert word not in out
