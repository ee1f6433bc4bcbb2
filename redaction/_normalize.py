"""Detection view of a text: NFKC, format characters removed, homoglyphs folded.

Detectors run over the normalized view so `j\u200bane@example.com`, full-width or Arabic-Indic
digits, a NUL between digits or a Cyrillic `а` inside an e-mail cannot slip past; spans are
mapped back to the original so the output keeps the original text everywhere outside replaced
spans.

Cost is proportional to the number of non-ASCII characters: ASCII runs are copied whole.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

__all__ = ["NormalizedText", "fold_char", "is_plain", "normalize"]

# Latin look-alikes from Cyrillic and Greek: enough to undo the usual homoglyph tricks in
# e-mails and keys. They are folded only inside a word that mixes them with ASCII letters
# (`jаne`, `раypal`): a word wholly in Cyrillic or Greek (`почта.рф`, `пароль`) is that
# script's own word, and folding some of its letters would make it neither (`пoчтa.pф`).
_LOOKALIKES = ("аеорсухіјѕһԁԛԝӏАВСЕНІЈКМОРЅТХҮ" "οανικρτυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" "ıℓ",
               "aeopcyxijshdqwlABCEHIJKMOPSTXY" "oavikptuABEZHIKMNOPTYX" "il")  # fmt: skip
# Dash look-alikes (U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en
# dash, U+2212 minus, U+2014 em dash, U+2015 horizontal bar, U+2043 hyphen bullet, U+2E3A/B two-
# and three-em dashes) read as "-", and dots set between groups (U+00B7 middle dot, U+2022
# bullet, U+2219 bullet operator, U+22C5 dot operator, U+2027 hyphenation point) as a space:
# a card, an SSN or a phone number grouped with them is still found, and `2·3·5·7` (a product)
# does not become an IP address. In prose they stay what they were to a reader.
_DASHES_AND_DOTS = (
    "\u2010\u2011\u2012\u2013\u2212\u2014\u2015\u2043\u2e3a\u2e3b" "\u00b7\u2022\u2219\u22c5\u2027",
    "----------" "     ",
)  # fmt: skip
_PUNCTUATION = str.maketrans(*_DASHES_AND_DOTS)
_HOMOGLYPHS = str.maketrans(_LOOKALIKES[0] + _DASHES_AND_DOTS[0], _LOOKALIKES[1] + _DASHES_AND_DOTS[1])
# What the view changes: non-ASCII characters and ASCII control characters other than tab, line
# feed and carriage return (a NUL or a vertical tab between the digits of a card hides nothing).
_NON_ASCII = re.compile(r"[^\x09\x0a\x0d\x20-\x7e]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_RUN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def is_plain(text: str) -> bool:
    """True when ``text`` is its own detection view (ASCII without control characters), so
    callers can skip `normalize` altogether."""
    return text.isascii() and _CONTROLS.search(text) is None


@lru_cache(maxsize=4096)
def _fold(char: str, mixed: bool = True) -> str:
    """One character of the view; ``mixed``: it stands in a word with ASCII letters, where a
    look-alike letter is folded to the ASCII letter it imitates."""
    category = unicodedata.category(char)
    if category in ("Cf", "Cc"):  # zero-width, joiners, bidi controls, soft hyphen, BOM, NUL...
        return ""
    folded = unicodedata.normalize("NFKC", char).translate(_HOMOGLYPHS if mixed else _PUNCTUATION)
    if len(folded) == 1 and not folded.isascii() and unicodedata.category(folded) == "Nd":
        return str(unicodedata.decimal(folded))  # Arabic-Indic, Devanagari, Thai ... digits: 0-9
    return folded


def fold_char(char: str) -> str:
    """What the detection view makes of one character (empty when it drops it)."""
    return _fold(char)


def _fold_cluster(cluster: str, mixed: bool = True) -> str:
    """A base character and its combining marks, composed ("e\u0308" -> "ë") and folded."""
    return "".join(_fold(c, mixed) for c in unicodedata.normalize("NFKC", cluster))


def _ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


class NormalizedText:
    """``text`` is the detection view; ``to_original`` maps a span of it back."""

    __slots__ = ("_exact", "_norm_starts", "_orig_lens", "_orig_starts", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        # Segments: (normalized start, original start, exact, original length). An exact
        # segment maps char to char; a folded one is the expansion of one original character,
        # or of one base character and the combining marks after it ("e\u0308" -> "ë").
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._exact: list[bool] = []
        self._orig_lens: list[int] = []
        if is_plain(original):
            self.text = original
            return
        parts: list[str] = []
        norm_pos = 0
        orig_pos = 0
        for match in _NON_ASCII.finditer(original):
            start, run = match.start(), match.group()
            if _CONTROL_RUN.fullmatch(run):  # dropped whole (10 MB of NUL costs one regex match)
                if start > orig_pos:
                    self._add(norm_pos, orig_pos, exact=True)
                    parts.append(original[orig_pos:start])
                    norm_pos += start - orig_pos
                orig_pos = match.end()
                continue
            if unicodedata.combining(run[0]) and start > orig_pos:
                start -= 1  # a mark composes with the ASCII letter before it (NFD "Zoe\u0308")
                run = original[start] + run
            if start > orig_pos:
                self._add(norm_pos, orig_pos, exact=True)
                parts.append(original[orig_pos:start])
                norm_pos += start - orig_pos
            end = start + len(run)
            mixed = (start > 0 and _ascii_letter(original[start - 1])) or (
                end < len(original) and _ascii_letter(original[end])
            )
            if all(_fold(c, mixed) == c for c in run) and not any(map(unicodedata.combining, run)):
                # Common case (CJK, emoji, NFC accents): the run is its own view, char for char.
                self._add(norm_pos, start, exact=True)
                parts.append(run)
                norm_pos += len(run)
            else:
                norm_pos = self._fold_run(run, start, norm_pos, parts, mixed)
            orig_pos = match.end()
        if orig_pos < len(original):
            self._add(norm_pos, orig_pos, exact=True)
            parts.append(original[orig_pos:])
        self.text = "".join(parts)

    def _fold_run(self, run: str, start: int, norm_pos: int, parts: list[str], mixed: bool = True) -> int:
        i = 0
        while i < len(run):
            j = i + 1
            while j < len(run) and unicodedata.combining(run[j]):
                j += 1
            cluster = run[i:j]
            folded = _fold(cluster, mixed) if j == i + 1 else _fold_cluster(cluster, mixed)
            if folded == cluster:
                self._add(norm_pos, start + i, exact=True)
            elif folded:
                self._add(norm_pos, start + i, exact=False, length=j - i)
            parts.append(folded)
            norm_pos += len(folded)
            i = j
        return norm_pos

    def _add(self, norm_start: int, orig_start: int, *, exact: bool, length: int = 1) -> None:
        # Merge adjacent exact segments that stay aligned: keeps the map small.
        if (
            exact
            and self._exact
            and self._exact[-1]
            and norm_start - self._norm_starts[-1] == orig_start - self._orig_starts[-1]
        ):
            return
        self._norm_starts.append(norm_start)
        self._orig_starts.append(orig_start)
        self._exact.append(exact)
        self._orig_lens.append(length)

    @property
    def is_identity(self) -> bool:
        # One exact segment is the identity only if nothing was dropped before it
        # ("\u200bjane@x.com" is one exact segment that starts at original offset 1).
        return not self._norm_starts or (
            len(self._norm_starts) == 1 and self._exact[0] and self._orig_starts[0] == 0
        )

    def _char_to_original(self, index: int) -> tuple[int, int]:
        seg = bisect_right(self._norm_starts, index) - 1
        orig = self._orig_starts[seg]
        if self._exact[seg]:
            orig += index - self._norm_starts[seg]
            return orig, orig + 1
        return orig, orig + self._orig_lens[seg]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty normalized span to the original characters it came from."""
        if self.is_identity:
            return start, end
        return self._char_to_original(start)[0], self._char_to_original(end - 1)[1]


def normalize(text: str) -> NormalizedText:
    return NormalizedText(text)
