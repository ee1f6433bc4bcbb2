"""Detection view of a text: NFKC, format characters removed, homoglyphs folded.

Detectors run over the normalized view so `j\u200bane@example.com`, full-width digits or a
Cyrillic `а` inside an e-mail cannot slip past; spans are mapped back to the original so the
output keeps the original text everywhere outside replaced spans.

Cost is proportional to the number of non-ASCII characters: ASCII runs are copied whole.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

__all__ = ["NormalizedText", "normalize"]

# Latin look-alikes from Cyrillic and Greek: enough to undo the usual homoglyph tricks in
# e-mails and keys. Folding whole Cyrillic words is harmless: only detection sees this view.
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕһԁԛԝӏАВСЕНІЈКМОРЅТХҮ" "οανικρτυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" "ıℓ",
    "aeopcyxijshdqwlABCEHIJKMOPSTXY" "oavikptuABEZHIKMNOPTYX" "il",
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    if unicodedata.category(char) == "Cf":  # zero-width, joiners, bidi controls, soft hyphen, BOM
        return ""
    return unicodedata.normalize("NFKC", char).translate(_HOMOGLYPHS)


class NormalizedText:
    """``text`` is the detection view; ``to_original`` maps a span of it back."""

    __slots__ = ("_norm_starts", "_orig_starts", "_exact", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        # Segments: (normalized start, original start, exact). An exact segment maps char to
        # char; a folded one is the expansion of one original character.
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._exact: list[bool] = []
        if original.isascii():
            self.text = original
            return
        parts: list[str] = []
        norm_pos = 0
        orig_pos = 0
        for match in _NON_ASCII.finditer(original):
            if match.start() > orig_pos:
                self._add(norm_pos, orig_pos, exact=True)
                parts.append(original[orig_pos : match.start()])
                norm_pos += match.start() - orig_pos
            for offset, char in enumerate(match.group()):
                folded = _fold(char)
                if folded == char:
                    self._add(norm_pos, match.start() + offset, exact=True)
                elif folded:
                    self._add(norm_pos, match.start() + offset, exact=False)
                parts.append(folded)
                norm_pos += len(folded)
            orig_pos = match.end()
        if orig_pos < len(original):
            self._add(norm_pos, orig_pos, exact=True)
            parts.append(original[orig_pos:])
        self.text = "".join(parts)

    def _add(self, norm_start: int, orig_start: int, *, exact: bool) -> None:
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

    @property
    def is_identity(self) -> bool:
        return not self._norm_starts or (len(self._norm_starts) == 1 and self._exact[0])

    def _char_to_original(self, index: int) -> tuple[int, int]:
        seg = bisect_right(self._norm_starts, index) - 1
        orig = self._orig_starts[seg]
        if self._exact[seg]:
            orig += index - self._norm_starts[seg]
        return orig, orig + 1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty normalized span to the original characters it came from."""
        if self.is_identity:
            return start, end
        return self._char_to_original(start)[0], self._char_to_original(end - 1)[1]


def normalize(text: str) -> NormalizedText:
    return NormalizedText(text)
