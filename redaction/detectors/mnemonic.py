"""A wallet's seed phrase (BIP-39): twelve to twenty-four words of its list after their label.

A seed phrase is the wallet's private key in words (``MNEMONIC="abandon ability able ..."``,
Hardhat's ``accounts: { mnemonic: "..." }``, "my recovery phrase is ..."), tier 1 as
``PRIVATE_KEY``. Every word is one of BIP-39's 2,048 (`data/bip39_english.txt`), and there are 12,
15, 18, 21 or 24 of them; the run is taken when at least twelve words of the list follow a label
(``mnemonic``, ``seed phrase``, ``recovery phrase``, ``secret phrase``, ``seed words``, ``backup
phrase``) within a few characters, separated by spaces, commas or line breaks, numbered or not
(``1. abandon 2. ability``). Its checksum is not asked for: a mistyped phrase is still one.

Not seed phrases: a label followed by prose (most English words are not on the list), by fewer
than twelve list words, or by a variable's name (``mnemonic = process.env.MNEMONIC``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._ner_precision import data_lines
from .._spans import Span

__all__ = ["MnemonicDetector"]


_WORDS = frozenset(data_lines("bip39_english.txt"))
_LABEL = re.compile(
    r"(?i)(?<![a-z])(?:mnemonic|seed[ _-]?(?:phrase|words)|recovery[ _-]?(?:phrase|words)|secret[ _-]?phrase"
    r"|backup[ _-]?phrase|wallet[ _-]?words)(?![a-z])"
)
_LABEL_HINTS = ("nemonic", "NEMONIC", "phrase", "PHRASE", "words", "WORDS")
_LABEL_ENDS = ("mnemonic", "phrase", "words")
_LONGEST_HEAD = len("recovery ")  # what stands before a label's last word
# After the label: its glue (quotes, `:`, `=`, "is"), then the words.
_GLUE = re.compile(r"""[\"'`]?[ \t]{0,4}(?:[:=]|is\b|was\b)?[ \t]{0,4}[\"'`\[]?[ \t\r\n]{0,4}""")
# One word of the run and what follows it: a separator, maybe a number of a numbered list.
_WORD = re.compile(r"([a-z]{3,8})(?:[ \t]*[,\n][ \t]*|[ \t]+)?(?:[0-9]{1,2}[.)][ \t]*)?")
_MIN_WORDS, _MAX_WORDS = 12, 24


class MnemonicDetector:
    """``PRIVATE_KEY``: 12-24 BIP-39 words after a seed phrase's label."""

    name = "mnemonic"

    def detect(self, text: str) -> Iterator[Span]:
        if not any(hint in text for hint in _LABEL_HINTS):
            return
        for label in self._labels(text):
            at = _GLUE.match(text, label.end()).end()  # type: ignore[union-attr]  # it matches empty
            if text[at : at + 2] in ("1.", "1)"):
                at += 2 + (text[at + 2 : at + 3] == " ")  # a numbered list: `1. abandon 2. ability`
            end, count, pos = at, 0, at
            while count < _MAX_WORDS:
                word = _WORD.match(text, pos)
                if word is None or word.group(1) not in _WORDS:
                    break
                count, end, pos = count + 1, word.end(1), word.end()
                if pos == end:
                    break  # nothing after the word separates it from a next one
            if count >= _MIN_WORDS:
                yield Span(at, end, "PRIVATE_KEY", f"rules:{self.name}", 0.95, "bip39")

    @staticmethod
    def _labels(text: str) -> Iterator[re.Match[str]]:
        """`_LABEL`'s matches, read only around the words every label ends with (`words` and
        `phrase` are common: a search of the whole text would try each character)."""
        low = text.lower()
        if len(low) != len(text):
            yield from _LABEL.finditer(text)  # `İ` and friends change the offsets: search
            return
        starts: set[int] = set()
        for stem in _LABEL_ENDS:
            at = low.find(stem)
            while at != -1:
                label = _LABEL.search(text, max(0, at - _LONGEST_HEAD), at + len(stem))
                if label is not None and label.start() not in starts:
                    starts.add(label.start())
                    yield label
                at = low.find(stem, at + 1)
