"""A cheque's MICR line (E-13B): the routing number and the account number (tier 1).

The line printed at the bottom of a cheque, as a scan's text layer or an OCR tool writes it,
holds the bank's routing number between two transit symbols and the account number in the
on-us field after it: ``⑈001234⑈ ⑆021000021⑆ 123456789⑈ 1001``. The symbols come as Unicode
(``⑆`` transit, ``⑈`` on-us, ``⑉`` dash), as the letters MICR fonts map them to (``A`` or
``T`` for transit, ``C``, ``U`` or ``"`` for on-us): ``T021000021T 123456789U 1001``, or as
bars an OCR layer draws (``|:021000021|: 123456789||' 1001``).

The transit field is the routing number whatever its checksum in the Unicode form (the symbols
say what it is; a Canadian one is ``⑆12345⑉003⑆``); between letters or bars its nine digits must
pass the ABA checksum and name an issuing district, and an account must follow, since a letter or a
bar on each side of nine digits is a weaker sign. The account is the first group of digits after
the transit field on its line (4-17 digits, single spaces, dashes or ``⑉`` inside), with or without
its closing on-us symbol. The check number before the transit field or after the account is no
personal data and stays.

Gated by ``"⑆" in text`` and by the shape literal ``A000000000A`` (C speed), so texts without a
MICR line cost two searches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._spans import Span
from ._idscan import scan
from .us_bank import UsBankRoutingDetector

__all__ = ["MicrDetector"]

_TRANSIT = re.compile(r"⑆[ ]?(?P<routing>[0-9]{9}|[0-9]{5}[⑉-][0-9]{3})[ ]?⑆")
# The symbols as OCR of a text layer draws them: `|:` transit, `||'` (or `"`) on-us.
_BAR_TRANSIT = re.compile(r"\|:[ ]?(?P<routing>[0-9]{9})[ ]?\|:")
# The letter forms: the same letter on each side, not glued to a word.
_LETTER_TRANSIT = re.compile(r"(?<![A-Za-z0-9])(?P<s>[AT])(?P<routing>[0-9]{9})(?P=s)(?![A-Za-z0-9])")
# The on-us field after the transit field: blanks, an optional opening on-us symbol, the account.
_ACCOUNT = re.compile(
    r"[ \t]{0,4}(?:[⑈CU\"][ \t]?)?(?P<account>[0-9]{1,17}(?:[ ⑉-][0-9]{1,17}){0,3})"
    r"(?:[⑈CU\"]|\|\|')?(?![0-9A-Za-z])"  # its closing on-us symbol, then no more of a word
)
_MIN_DIGITS, _MAX_DIGITS = 4, 17
# What may stand before the transit field on its line: blanks and a check number in its symbols.
_LINE_HEAD = re.compile(r"[ \t>]*(?:[⑈CU\"]?[0-9]{1,10}(?:[⑈CU\"]|\|\|')?[ \t]*)?")
_HEAD_REACH = 40
_ROUTING = UsBankRoutingDetector()


class MicrDetector:
    """``US_BANK_ROUTING`` and ``US_BANK_ACCOUNT`` in a cheque's MICR line."""

    name = "micr"

    def detect(self, text: str) -> Iterator[Span]:
        source = f"rules:{self.name}"
        if "⑆" in text:
            for transit in _TRANSIT.finditer(text):
                yield Span(*transit.span("routing"), "US_BANK_ROUTING", source, 0.95, "micr_transit")
                yield from self._account(text, transit.end(), source)
        # The bars and letters are weaker signs than the symbols: the routing number must pass the
        # ABA checksum and an account must follow (`Model T021000021T rev B`, `| Col |:…|: 68 |`).
        weak: list[re.Match[str]] = list(_BAR_TRANSIT.finditer(text)) if "|:" in text else []
        if b"A000000000A" in scan(text).shape:
            weak += _LETTER_TRANSIT.finditer(text)
        for transit in weak:
            line = text[max(0, transit.start() - _HEAD_REACH) : transit.start()].rpartition("\n")[2]
            if not _LINE_HEAD.fullmatch(line):
                continue  # a MICR line starts its line (a check number may come first): not `SKU A…A`
            account = list(self._account(text, transit.end(), source))
            if account and _ROUTING.validate(transit.group("routing")):
                start, end = transit.span("routing")
                yield Span(start, end, "US_BANK_ROUTING", source, 0.9, "micr_transit")
                yield from account

    @staticmethod
    def _account(text: str, at: int, source: str) -> Iterator[Span]:
        account = _ACCOUNT.match(text, at)
        if account is None:
            return
        digits = sum(map(str.isdigit, account.group("account")))
        if _MIN_DIGITS <= digits <= _MAX_DIGITS:
            yield Span(*account.span("account"), "US_BANK_ACCOUNT", source, 0.9, "micr_on_us")
