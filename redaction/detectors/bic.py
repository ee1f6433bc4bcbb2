"""BIC / SWIFT codes (ISO 9362): ``DEUTDEFF``, ``DEUTDEFF500``, ``BNPAFRPPXXX``, ``CHASUS33``.

A BIC is 4 letters (the bank), 2 letters that must be an ISO 3166 country (`stdnum.bic`'s
list, Kosovo's ``XK`` included), 2 letters or digits (the location) and an optional 3 (the
branch), written in capitals as one word of exactly 8 or 11 characters. Type ``ID``, tier 2:
a BIC names a bank branch, and with an account it locates a person's money.

Eight capital letters are common on their own (``ABCDEFGH``, ``HTTPSGET`` whose ``SG`` is
Singapore, ``CUSTOMER`` whose ``ME`` is Montenegro, acronyms in logs), so the shape is not
enough. A candidate is a BIC only with one more piece of evidence:

- a label shortly before it or right after it: ``BIC``, ``SWIFT``, ``Swift code``,
  ``BIC/SWIFT``, ``SWIFT-BIC``, ``code BIC``, ``BIC-Code``, ``bank identifier code``; or
- an IBAN-shaped value within 120 characters on either side (wire instructions), unless the
  candidate is a common word or stands between other words in capitals (a statement's line
  ``SEPA DIVIDEND CREDIT IBAN DE89...``, a name ``JOHN MARTINEZ``); or
- a digit in the location (``CHASUS33``, ``ABNABE2A``; words do not hold digits there) or
  the primary-office branch ``XXX`` (``BNPAFRPPXXX``). A digit only in the branch is not
  enough (``HTTPSGET123`` is a log token): ``DEUTDEFF500`` needs its label or an IBAN.

Not detected: lowercase or spaced forms (``deutdeff``, ``DEUT DE FF``), words glued to
other letters, digits, ``_`` or ``-``, and 9- or 10-character words.

Speed: a candidate needs six capitals in a row; `bytes.find` locates those in the shared
digit/letter shape of `_idscan` at C speed, and the real characters are read only there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum import bic as _stdnum_bic

from .._ner_precision import is_common_word
from .._spans import Span
from ._idscan import scan

__all__ = ["BicDetector"]

# The ISO 3166 alpha-2 list that python-stdnum keeps for BICs (private, so read defensively).
_COUNTRIES: frozenset[str] = frozenset(getattr(_stdnum_bic, "_country_codes", ())) | {"XK"}
_CAPITALS = re.compile(rb"A*+")
_SHAPE = re.compile(rb"AAAA(?:AA[0A]{2}(?:[0A]{3})?)")
# A label, then only punctuation and a few filler words up to the code ("BIC: ", "SWIFT code
# is ", "BIC/SWIFT der Bank: "). Possessive: the filler is never re-read.
_LABEL_BEFORE = re.compile(
    r"(?i:\b(?:bic|swift|bank[ ]identifier[ ]code)(?![a-z0-9]))"
    r"(?:[\W_]|(?i:\b(?:address|adresse|number|code|bank|the|des|del|der|est|ist|is|of|nr|no|du|de|la|el|es)\b)"
    r"|代码|代碼|코드|コード)*+\Z"
)
_LABEL_AFTER = re.compile(r"[ \t]?[(\[,]?[ ]?(?i:bic|swift)\b")
_IBAN_NEARBY = re.compile(r"(?<![A-Z0-9])[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,7}")
# An IBAN nearby is weak evidence: not for a common word, nor for a word between other words in
# capitals (a statement's line `SEPA DIVIDEND CREDIT IBAN ...`, a name `JOHN MARTINEZ`).
# (A payment's own words are no such line: `COBADEFF, IBAN ...`, `SWIFT COBADEFF`.)
_PAYMENT_WORD = r"(?!(?:IBAN|BIC|SWIFT|BLZ|ABA|ACCT|ACCOUNT|BANK)(?![A-Z]))"
_CAPS_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9])" + _PAYMENT_WORD + r"[A-Z]{2,}+,?[ ]\Z")
_CAPS_WORD_AFTER = re.compile(r",?[ ]" + _PAYMENT_WORD + r"[A-Z]{2,}(?![a-z0-9])")
_BEFORE_WINDOW = 48
_IBAN_WINDOW = 120


class BicDetector:
    """``ID`` spans labelled ``bic``: an ISO 9362 code with a label, an IBAN or a digit."""

    name = "bic"
    KIND: ClassVar[str] = "ID"
    SCORE: ClassVar[float] = 0.9

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        hits = found.literal_hits(b"AAAAAA")
        if not hits:
            return  # the common case: no six capitals in a row
        shape = found.shape
        run_end = 0
        for at in hits:
            if at < run_end:
                continue  # the same run of capitals as the last hit
            start = at
            while start > run_end and shape[start - 1] == 0x41:  # back to the run's first capital
                start -= 1
            run_end = _CAPITALS.match(shape, at).end()  # type: ignore[union-attr]  # `*+` always matches
            if run_end - start > 11:
                continue  # a longer run of capitals is no BIC (linear: each run is read once)
            match = _SHAPE.match(shape, start)
            if match is None:
                continue
            end = match.end()
            if not self._standalone(text, shape, start, end):
                continue
            code = text[start:end]
            if code[4:6] not in _COUNTRIES:
                continue
            if self._evidence(text, start, end, code):
                yield Span(start, end, self.KIND, f"rules:{self.name}", self.SCORE, "bic")

    @staticmethod
    def _standalone(text: str, shape: bytes, start: int, end: int) -> bool:
        """Exactly 8 or 11 characters, not part of a longer word, path or identifier."""
        if end - start not in (8, 11):
            return False
        if start and (shape[start - 1] in b"0Aa" or text[start - 1] in "-/\\.@"):
            return False
        after = text[end : end + 1]
        if after == "." and shape[end + 1 : end + 2] in (b"0", b"A", b"a"):
            return False  # `CHASUS33.pdf`, a file or a host name
        return not (after and (shape[end] in b"0Aa" or after in "-/\\@"))

    @staticmethod
    def _evidence(text: str, start: int, end: int, code: str) -> bool:
        if any(c.isdigit() for c in code[6:8]) or code[8:] == "XXX":
            return True
        if _LABEL_BEFORE.search(text, max(0, start - _BEFORE_WINDOW), start):
            return True
        if _LABEL_AFTER.match(text, end):
            return True
        if (
            is_common_word(code)
            or _CAPS_WORD_BEFORE.search(text, max(0, start - 24), start)
            or _CAPS_WORD_AFTER.match(text, end)
        ):
            return False  # `SEPA DIVIDEND CREDIT`, `JOHN MARTINEZ`: a word of a line in capitals
        lo, hi = max(0, start - _IBAN_WINDOW), min(len(text), end + _IBAN_WINDOW)
        return (
            _IBAN_NEARBY.search(text, lo, start) is not None or _IBAN_NEARBY.search(text, end, hi) is not None
        )
