"""A wallet's seed phrase (BIP-39): twelve to twenty-four words of its list, labeled or not.

A seed phrase is the wallet's private key in words (``MNEMONIC="abandon ability able ..."``,
Hardhat's ``accounts: { mnemonic: "..." }``, "my recovery phrase is ..."), tier 1 as
``PRIVATE_KEY``. Every word is one of BIP-39's 2,048 (`data/bip39_english.txt`), and there are 12,
15, 18, 21 or 24 of them, separated by spaces, commas, line breaks or dashes, numbered or not
(``1. abandon 2. ability``, or a backup card's grid of numbered columns), or a JSON array.

- After a label (``mnemonic``, ``seed phrase``, ``recovery phrase``, ``secret phrase``, ``seed
  words``, ``backup phrase``) within a few characters: twelve or more words of the list. Its
  checksum is not asked for: a mistyped phrase is still one.
- Without a label (a phrase pasted alone, "keep this safe: legal winner thank ..."): a window of
  the run that passes BIP-39's checksum, at most one word in from either end (prose words of
  the list around it: "this legal winner ..."), or a run of a phrase's length (12, 15 ... 24)
  written as a pasted phrase is, alone and spaced on its line; three in four of the words
  distinct (``word word word`` is no phrase, nor is a test vector such as ``abandon abandon ...
  about`` without its label). Any other list of list words (after a label, in an attribute,
  numbered, comma- or line-separated: a menu, a word game's prompts, keywords; a backup card's
  grid too) needs the checksum, which one list in 16 to 256 passes by chance.
  Prose never makes such a run: the list holds few of the commonest words (no `the`, `a`, `of`,
  `and`, `to`, `is`), and the longest run in 105 MB of English documentation and code was seven
  words.

Not seed phrases: a label followed by prose, by fewer than twelve list words, or by a variable's
name (``mnemonic = process.env.MNEMONIC``); an unlabeled run of eleven words or fewer, of more
than 26, or a comma- or line-separated word list without a checksum-valid window.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

import re2

from .._ner_precision import data_lines
from .._spans import Span

__all__ = ["MnemonicDetector"]


_LIST = tuple(data_lines("bip39_english.txt"))
_WORDS = frozenset(_LIST)
_INDEX = {word: i for i, word in enumerate(_LIST)}
_LABEL = re.compile(
    r"(?i)(?<![a-z])(?:mnemonic|seed[ _-]?(?:phrase|words)|recovery[ _-]?(?:phrase|words)|secret[ _-]?phrase"
    r"|backup[ _-]?phrase|wallet[ _-]?words)(?![a-z])"
)
_LABEL_HINTS = ("nemonic", "NEMONIC", "phrase", "PHRASE", "words", "WORDS")
_LABEL_ENDS = ("mnemonic", "phrase", "words")
_LONGEST_HEAD = len("recovery ")  # what stands before a label's last word
# After the label: its glue (quotes, `:`, `=`, "is", a JSON array's `[`), then the words.
_GLUE = re.compile(
    r"""[\"'`]?[ \t]{0,4}(?:[:=]|is\b|was\b)?[ \t]{0,4}(?:\[[ \t\r\n]{0,4})?[\"'`]?[ \t\r\n]{0,4}"""
)
# One word of the run and what follows it: a separator, maybe a number of a numbered list.
# Between two words: spaces, a comma or a line break, a dash (`mirror-cupboard-hold-…`), or the
# quotes and comma of a JSON array (`["mirror", "cupboard", …]`).
_SEPARATOR = r"(?:[ \t]*(?:,|\r?\n)[ \t]*|[ \t]+|-|[\"'][ \t]*,[ \t]*[\"'])"
# A list's number before a word: `2. ability`, `2) ability`, or bare in a printed grid (` 1 repair
# 9 hawk 17 crawl`, read row by row: the phrase's length still tells it).
_NUMBER = r"(?:[0-9]{1,2}(?:[.)][ \t]*|[ \t]+))"
_WORD = re.compile(rf"([a-z]{{3,8}}){_SEPARATOR}?{_NUMBER}?")
_MIN_WORDS, _MAX_WORDS = 12, 24
_LENGTHS = (24, 21, 18, 15, 12)  # a phrase's word counts, longest first
_MAX_RUN = 26  # a longer unlabeled run of list words is a word list, not a phrase and its neighbours
_MAX_TRIM = 1  # words on either side of a checksum-valid window: "this <phrase> safe"
# Twelve list words in a row, any case (`LEGAL WINNER ...`), found in one linear RE2 pass (about
# 3 ms per MB): the gate of both searches (a labeled phrase is such a run too). Python's `re`
# would try the 2,048-way alternation at every letter.
_ANY = "(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")"


def _run_regex() -> Any:  # re2's pattern type is private
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 64 << 20  # the DFA of 12 alternations of the list; RE2 falls back to its NFA
    options.log_errors = False
    # No `\b` after the twelfth word: the gate must pass every text the labeled path reads too
    # (`mnemonic: ... accident2`); the walk decides where a word ends.
    return re2.compile(rf"\b{_ANY}(?:{_SEPARATOR}{_NUMBER}?{_ANY}){{{_MIN_WORDS - 1}}}", options)


_RUN = _run_regex()


def checksum_ok(words: Sequence[str]) -> bool:
    """BIP-39's checksum: the last ``len(words) // 3`` bits of the words' 11-bit indices are the
    first bits of the SHA-256 of the rest (the entropy)."""
    if len(words) not in _LENGTHS:
        return False
    bits = 0
    for word in words:
        bits = bits << 11 | _INDEX[word]
    check_bits = len(words) // 3  # 4 for 12 words ... 8 for 24
    entropy = (bits >> check_bits).to_bytes(len(words) * 4 // 3, "big")  # 128 ... 256 bits
    return hashlib.sha256(entropy).digest()[0] >> (8 - check_bits) == bits & ((1 << check_bits) - 1)


class MnemonicDetector:
    """``PRIVATE_KEY``: 12-24 BIP-39 words after a seed phrase's label."""

    name = "mnemonic"

    def detect(self, text: str) -> Iterator[Span]:
        # RE2 reads UTF-8: a lone surrogate is encoded as such (it cannot be part of a word).
        data = text.encode("utf-8", "surrogatepass")
        found = _RUN.search(data)
        if found is None:
            return  # the common case: one RE2 pass; a labeled phrase is such a run as well
        taken: list[tuple[int, int]] = []
        if any(hint in text for hint in _LABEL_HINTS):
            for label in self._labels(text):
                at = _GLUE.match(text, label.end()).end()  # type: ignore[union-attr]  # it matches empty
                if text[at : at + 2] in ("1.", "1)"):
                    at += 2 + (text[at + 2 : at + 3] == " ")  # a numbered list: `1. abandon 2. ability`
                words = _walk(text, at, _MAX_WORDS)
                if len(words) >= _MIN_WORDS:
                    taken.append((at, words[-1][1]))
                    yield Span(at, words[-1][1], "PRIVATE_KEY", f"rules:{self.name}", 0.95, "bip39")
        yield from self._unlabeled(text, data, found, taken)

    def _unlabeled(self, text: str, data: bytes, found: Any, taken: list[tuple[int, int]]) -> Iterator[Span]:
        """Runs of list words without a label (see the module's docstring), from `_RUN`'s first
        match ``found`` in ``data`` (the text's UTF-8) on. Byte offsets are turned into the
        text's as the search moves on: one pass in all."""
        low = text.lower()
        if len(low) != len(text):
            return  # `İ` and friends change the offsets; a phrase is ASCII and lowercase anyway
        plain = len(data) == len(text)
        byte_at = char_at = 0
        match: Any = found  # re2's match type is private
        while match is not None:
            if plain:
                start = match.start()
            else:
                char_at += len(data[byte_at : match.start()].decode("utf-8", "surrogatepass"))
                byte_at, start = match.start(), char_at
            words = _walk(low, start, len(low))  # the whole run: a long word list is read once
            end = words[-1][1] if words else start + 1
            if _MIN_WORDS <= len(words) <= _MAX_RUN and not any(s <= start < e for s, e in taken):
                window = _phrase_in(low, words)
                if window is not None:
                    yield Span(*window, "PRIVATE_KEY", f"rules:{self.name}", 0.9, "bip39_unlabeled")
            match = _RUN.search(data, match.start() + len(text[start:end].encode("utf-8", "surrogatepass")))

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


def _walk(text: str, at: int, most: int) -> list[tuple[int, int]]:
    """Up to ``most`` list words from ``at`` on, each as its (start, end), with the separators
    (and list numbers) `_WORD` allows between them."""
    words: list[tuple[int, int]] = []
    pos = at
    while len(words) < most:
        word = _WORD.match(text, pos)
        if word is None or word.group(1) not in _WORDS:
            break
        words.append(word.span(1))
        pos = word.end()
        if pos == word.end(1):
            break  # nothing after the word separates it from a next one
    return words


def _phrase_in(text: str, words: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The span of the seed phrase an unlabeled run of list words holds, if it holds one."""
    n = len(words)
    values = [text[s:e] for s, e in words]
    for length in _LENGTHS:  # a checksum-valid window, at most two words around it
        for offset in range(max(0, n - length - _MAX_TRIM), min(_MAX_TRIM, n - length) + 1):
            window = values[offset : offset + length]
            if _varied(window) and checksum_ok(window):
                return words[offset][0], words[offset + length - 1][1]
    if n not in _LENGTHS or not _varied(values):
        return None
    gaps = [text[e:s] for (_, e), (s, _) in pairwise(words)]
    numbers = _numbers(text, words[0][0], gaps)
    if numbers is not None:  # numbered (a backup card's grid reads row by row): check in their order
        ordered = [value for _, value in sorted(zip(numbers, values, strict=True))]
        return (words[0][0], words[-1][1]) if checksum_ok(ordered) else None
    # Without the checksum only a phrase's length, written as a pasted phrase is: alone on its
    # line and spaced. A list after a label (`actions: ...`), in an attribute, numbered (a
    # game's prompts) or separated by commas or lines is a menu's, a word game's or keywords.
    start, end = words[0][0], words[-1][1]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    alone = (
        not text[line_start:start].strip()
        and not text[end : len(text) if line_end == -1 else line_end].strip()
    )
    if alone and all(gap.strip(" \t") == "" for gap in gaps):
        return start, end
    return None


_NUMBER_BEFORE = re.compile(r"([0-9]{1,2})[.)]?[ \t]*\Z")  # a word's list number, right before it


def _numbers(text: str, start: int, gaps: list[str]) -> list[int] | None:
    """The list numbers of a numbered run's words (the first before ``start``, the others at the
    end of each gap), when they number it 1..n in some order; else None."""
    first = _NUMBER_BEFORE.search(text, max(0, start - 6), start)
    found = [first] + [_NUMBER_BEFORE.search(gap) for gap in gaps]
    numbers = [int(m.group(1)) for m in found if m is not None]
    return numbers if sorted(numbers) == list(range(1, len(gaps) + 2)) else None


def _varied(words: list[str]) -> bool:
    """Mostly distinct words, as a random phrase's are (twelve random words of 2,048 repeat one
    about 3% of the time): ``word word word ...`` or a chorus is no phrase."""
    return len(set(words)) * 4 >= len(words) * 3
