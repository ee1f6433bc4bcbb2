"""Wallet seed phrases (BIP-39): twelve or more words of the list after a seed phrase's label, and
unlabeled runs of a phrase's length, checksum or spacing, are dropped; prose, fewer words, long
word lists and a variable's name after the label stay."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import redaction
from redaction.detectors.mnemonic import _LIST, MnemonicDetector, checksum_ok

DETECTOR = MnemonicDetector()
K = "PRIVATE_KEY"
TWELVE = "abandon ability able about above absent absorb abstract absurd abuse access accident"
OTHER = "zoo zone zero youth young year wrong write wrist wrestle wreck worth"


def _valid_phrase(seed: int, words: int = 24) -> list[str]:
    """A checksum-valid phrase from fixed entropy (BIP-39: entropy bits, then SHA-256 bits)."""
    entropy = hashlib.sha256(str(seed).encode()).digest()[: words * 4 // 3]
    check = words // 3
    bits = int.from_bytes(entropy, "big") << check | hashlib.sha256(entropy).digest()[0] >> (8 - check)
    return [_LIST[bits >> (11 * (words - 1 - i)) & 2047] for i in range(words)]


CARD = _valid_phrase(7)
GRID = "\n".join(f" {i + 1} {CARD[i]:<9} {i + 9} {CARD[i + 8]:<9} {i + 17} {CARD[i + 16]}" for i in range(8))
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
    # Joined by dashes, or as a JSON array.
    ("MNEMONIC=" + TWELVE.replace(" ", "-"), [(TWELVE.replace(" ", "-"), K)]),
    ('{"mnemonic": ["' + TWELVE.replace(" ", '", "') + '"]}', [(TWELVE.replace(" ", '", "'), K)]),
    ("a well-known state-of-the-art long-term high-quality easy-to-use read-only built-in", []),
    # A numbered list of list words that is no phrase (a game's prompts): its checksum fails.
    (" ".join(f"{i + 1}. {w}" for i, w in enumerate(TWELVE.split())), []),
    # Not seed phrases: a variable, prose, eleven words, words off the list.
    ("mnemonic = process.env.MNEMONIC", []),
    ("The seed phrase is a list of twelve words that you must keep safe at all times please.", []),
    ("mnemonic: " + " ".join(TWELVE.split()[:11]), []),
    ("recovery phrase: abandon ability able about above absent absorb abstract absurd abuse access zzz", []),
    # Unlabeled: a phrase's length, a checksum-valid window inside prose words of the list, any case.
    (VECTOR, [(VECTOR, K)]),
    (f"keep it: this {VECTOR} safe", [(VECTOR, K)]),  # one list word on either side
    (f"Backup:\n{VECTOR.upper()}\n", [(VECTOR.upper(), K)]),
    ("1) " + ")".join(f" {w}\n{i + 2}" for i, w in enumerate(VECTOR.split()[:-1])) + ") yellow",
     [(" ".join(f"{w}\n{i + 2})" for i, w in enumerate(VECTOR.split()[:-1])) + " yellow", K)]),
    (f"{TWELVE} {OTHER}", [(f"{TWELVE} {OTHER}", K)]),  # 24 spaced words: a phrase's length
    (VECTOR.replace(" ", ", "), [(VECTOR.replace(" ", ", "), K)]),  # a comma list: by its checksum
    (f"to this {VECTOR} again", [(VECTOR, K)]),  # the checksum finds it between list words
    # A backup card's grid: numbered columns read row by row (24 words, a phrase's length).
    ("backup card:\n" + GRID, [(GRID[3:], K)]),
    # Not unlabeled phrases: eleven words, 14 words not all spaced, a 30-word list, prose.
    (" ".join(TWELVE.split()[:11]), []),
    ("apple, banana, " + TWELVE.replace(" ", ", "), []),
    (", ".join([*TWELVE.split(), *TWELVE.split(), *TWELVE.split()[:6]]), []),
    ("You must ensure that you patch all the files that the build will produce again.", []),
    ("word " * 100, []), (f"{TWELVE} {TWELVE}", []),  # repeated words: no phrase is
    # Word lists: a game's comma list of a phrase's length (no checksum), a 40-word list, 14
    # spaced words that hold no checksum-valid window.
    ("Hangman words: " + TWELVE.replace(" ", ", "), []),
    (" ".join([*TWELVE.split(), *OTHER.split(), *TWELVE.split()[:8], *OTHER.split()[:8]]), []),
    (f"to this {TWELVE} again", []),
    ("abandon " * 11 + "about", []),  # BIP-39's test vector, valid but for one word, unlabeled
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_seed_phrases(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)] == expected


def test_no_word_of_a_seed_phrase_survives_the_scrub() -> None:
    out = redaction.scrub(f'MNEMONIC="{TWELVE}" # wallet').text
    for word in TWELVE.split():
        assert word not in out


@pytest.mark.parametrize(
    ("phrase", "valid"),
    [
        (VECTOR, True),
        ("abandon " * 11 + "about", True),
        ("zoo " * 23 + "vote", True),  # BIP-39's 24-word vector
        ("abandon " * 11 + "abandon", False),
        ("zoo " * 23 + "wrong", False),
        (TWELVE, False),
        ("zoo " * 11 + "wrong", True),
        ("abandon " * 10 + "about", False),  # eleven words: no phrase's length
    ],
)
def test_checksum(phrase: str, valid: bool) -> None:
    assert checksum_ok(phrase.split()) is valid


def test_prose_and_code_make_no_unlabeled_phrase() -> None:
    # This repository's documentation and engine source: long English prose and code, with
    # seed phrases named but never written out after prose words of the list.
    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in [*root.glob("docs/*.md"), *root.glob("redaction/*.py")]]
    assert len(texts) > 10
    assert [t[s.start : s.end] for t in texts for s in DETECTOR.detect(t)] == []


@pytest.mark.parametrize("before", ["\ud800 ", "é ", "日本語 ", "é " + VECTOR[:20] + " ü "])
def test_unlabeled_offsets_hold_after_non_ascii_text(before: str) -> None:
    text = f"{before}{VECTOR} é {VECTOR}"
    assert [text[s.start : s.end] for s in DETECTOR.detect(text)] == [VECTOR, VECTOR]


def test_the_grid_fixture_is_a_valid_phrase() -> None:
    assert checksum_ok(CARD)
    assert not checksum_ok([*CARD[:-1], CARD[0]])
