"""Money amounts: a number with a currency symbol, ISO code or currency word beside it.

"$2.3M", "£2 million", "GBP 250,000", "EUR 1.250.000,00", "7.500.000 €", "250,000원",
"1.5 million dollars". A bare number is never money, and neither is ``$HOME``, ``${VAR}``,
a regex back-reference like ``'$1'`` or a percentage.

Speed: amounts are found from their currency marker, not from their digits (digits are
everywhere in logs and code); see `_markers`. From each marker the amount is matched
forwards ("$2.3M", "USD 500") and backwards ("7.500.000 €") in a small window.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern, PatternDetector
from ._idscan import scan

__all__ = ["MoneyDetector"]

_SYMBOLS = "$€£¥₩₹₽₺₪₫฿₱₦"
_SYMBOL_CLASS = "[" + re.escape(_SYMBOLS) + "]"
# Dollar variants written with a country prefix: US$, A$, C$, HK$, NZ$, S$, R$, ...
_DOLLAR_PREFIX = r"(?:US|AU|CA|NZ|HK|SG|MX|NT|A|C|S|R)"
# ISO 4217 codes people write beside amounts. Not PHP (the language), ALL, TOP, CUP, ...
# fmt: off
_CODES: tuple[str, ...] = (
    "USD", "EUR", "GBP", "CHF", "JPY", "CNY", "RMB", "KRW", "CAD", "AUD", "NZD", "HKD", "SGD", "INR",
    "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL", "MXN", "ZAR", "RUB", "TRY", "ILS", "AED", "SAR",
    "THB", "IDR", "MYR", "TWD", "VND", "NGN",
)
# fmt: on
_CODE = "(?:" + "|".join(_CODES) + ")"
_WORDS = r"(?:dollars?|Dollars?|euros?|Euros?|yen|yuan|francs?|rupees?|pesos?|pounds?(?:[ ]sterling)?)"
_CJK_UNITS = "원円元"

# 2,012.10 / 1.250.000,00 / 1'000'000 (one grouping character throughout) / 0.25 / 13,56.
_NUMBER = (
    r"(?:[0-9]{1,3}(?P<g>[,.'])[0-9]{3}(?:(?P=g)[0-9]{3}){0,5}(?:[.,][0-9]{1,2})?"
    r"|[0-9]{1,2}(?:,[0-9]{2}){1,4},[0-9]{3}(?:\.[0-9]{1,2})?"  # Indian grouping: 12,34,567
    r"|[0-9]{1,15}(?:[.,][0-9]{1,4})?)"
)
# The same, also grouped by spaces (1 000 000 €): only before a currency, where a space
# cannot join two separate numbers.
_NUMBER_SPACED = _NUMBER.replace("[,.']", "[,.' ]")
_MULTIPLIER = (
    r"(?:[ ]?(?:(?:[tT]housand|[mM]illion|[bB]illion|[tT]rillion|mn|bn|Bn|BN|tn|mm|MM|k|K|m|M|b|B)"
    r"(?![^\W\d_])|(?:Mio|Mrd|Md)(?![^\W\d_])\.?))"
)
_END = r"(?![0-9A-Za-z_%]|[.,][0-9])"  # not 5%, $10d (a format string), $1.2.3

_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# Currency codes that are also clinical abbreviations (international normalized ratio, coronary
# artery disease, congestive heart failure, alcohol use disorder): before one digit or a number
# with one decimal they are a chart's values, not an amount (money has no or two decimals).
_CLINICAL_CODES = frozenset(("INR", "CAD", "CHF", "AUD"))
_CLINICAL_VALUE = re.compile(r"[ ]?[0-9](?:[.,][0-9])?")
# "$1", "$1.5" but not "$1.50" (cents) nor "$2,500" / "$1.000" (a thousands group).
_TINY_DOLLAR = re.compile(r"\$[ ]?[0-9](?:[.,](?![0-9]{2,3}\Z)[0-9]{1,4})?")
# A SWIFT MT field's value date right before its currency (`:32A:240703EUR94879,76`): the
# amount follows the code; the six digits before it are the date, no amount.
_VALUE_DATE_BEFORE = re.compile(r":3[0-9][A-Z]:[0-9]{6}\Z")
_SENTENCE_END = re.compile(r"\s|[.,;:!?]?(?:\s|\Z)|\Z")
_ASCII_SYMBOLS = ("$",)
_SINGLE_MARKERS: tuple[str, ...] = (*_SYMBOLS, *_CJK_UNITS)
_CODE_SET = frozenset(_CODES)
# Three capitals not joined to a fourth, in the text's shape (see `_idscan`: `A` is an ASCII
# capital, `a` a small letter or `_`): a literal search, several times faster than a regex
# over the text. Small letters around it are ruled out on the text itself. Only a triple that can
# open an amount (a digit after it, one space between allowed) or close one (right after a digit
# or the dot of "Mio.", or after a space that follows a digit, a multiplier word or that dot) is
# a candidate: most acronyms are neither.
_CAPITAL_TRIPLE = re.compile(rb"AAA(?<!AAAA)(?!A)(?:(?=s?0)|(?<=[0.]AAA)|(?<=[0aA.]sAAA))")
_MULTIPLIER_WORDS = r"(?:[tT]housand|[mM]illion|[bB]illion|[tT]rillion|Mio\.?|Mrd\.?|mn|bn)"
_WORD_AFTER_NUMBER = re.compile(rf" (?<=[0-9] )(?:{_MULTIPLIER_WORDS}[ ])?(?P<word>{_WORDS})\b")
# Where `_WORD_AFTER_NUMBER` can match, in the shape (a digit, a space, an ASCII letter; a regex
# with a literal prefix, faster than `bytes.find` of a literal ending in the common `a`), and the
# letters its multipliers and currency words start with.
_WORD_SHAPE = re.compile(rb"0s[aA]")
_WORD_STARTS = frozenset("tTmMbBdDeEyfrp")
_DOLLAR_PREFIX_BEFORE = re.compile(rf"{_DOLLAR_PREFIX}\Z")
_DOLLAR_PREFIX_ENDS = frozenset("ACGKRSTUXZ")  # the last letters of `_DOLLAR_PREFIX`
# What may stand right before a marker that follows its amount: a digit, a space, the dot of
# "Mio.", the end of a multiplier word or a CJK multiplier.
_BEFORE_MARKER = " .kKmMbBndo천만억万億千"


class MoneyDetector(PatternDetector):
    """``AMOUNT`` spans: prefixed ("$2.3M", "USD 500"), suffixed ("7.500.000 €") or worded."""

    name = "money"
    KIND = "AMOUNT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "prefixed",
            re.compile(
                rf"(?:{_DOLLAR_PREFIX}?\$|{_SYMBOL_CLASS}|{_CODE}(?![A-Za-z]))[ ]?"
                rf"(?P<num>{_NUMBER}){_MULTIPLIER}?(?:[ ]?{_CODE}(?![A-Za-z]))?{_END}"
            ),
            0.9,
        ),
        Pattern(
            "suffixed",
            re.compile(
                rf"(?<![\w.,'])(?P<num>{_NUMBER_SPACED})(?P<mult>{_MULTIPLIER})?"
                rf"(?:[ ]?(?P<cur>{_SYMBOL_CLASS}|{_CODE}(?![A-Za-z])|{_WORDS}\b)"
                rf"|[만억천万億千]?(?P<cjk>[{_CJK_UNITS}]))\Z"
            ),
            0.9,
        ),
    )
    _BACK: ClassVar[int] = 40  # longest amount before its currency marker

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        text, start, end = match.string, match.start(), match.end()
        if pattern.name == "prefixed":
            before = text[start - 1 : start]
            if value[0] == "$" and before and (before.isalnum() or before in "$\\"):
                return False  # a$1, $$1, \$1
            if value[0] == "$" and text[end : end + 1] == "$":
                return False  # `$2b$12$...`: a bcrypt hash's prefix, `$1$`: a crypt(3) one
            if _TINY_DOLLAR.fullmatch(value):
                # $0-$9 without cents: shell and Perl variables, regex back-references,
                # gdb's $1, far more often than an amount (and an amount that small is
                # no secret).
                return False
            if value[:3] in _CLINICAL_CODES and _CLINICAL_VALUE.fullmatch(value, 3):
                return False  # `INR 2.4`, `CAD 3 vessels`, `CHF 2 admissions`: a chart, not a price
            return (
                start == 0
                or not before.isalnum()
                or value[0] in _SYMBOLS
                or (
                    before.isdigit()
                    and _VALUE_DATE_BEFORE.search(text, max(0, start - 11), start) is not None
                )
            )
        if value[-1] == "$" and text[start - 1 : start] == "$":
            return False  # `$2b$`: a bcrypt hash's prefix, not 2 billion dollars
        if value[-1] == "$" and not _SENTENCE_END.match(text, end):
            return False  # 1234$' and 0${CR}: a regex anchor or a shell variable, not 10$
        cur = match.group("cur") or ""
        if cur.startswith("pound") and not (cur.endswith("sterling") or match.group("mult")):
            return False  # "5 pounds" is more often a weight
        # "the 2024 Euro final": a year before a currency word is not an amount.
        return not (cur[:1].isalpha() and not match.group("mult") and _YEAR.fullmatch(match.group("num")))

    def detect(self, text: str) -> Iterator[Span]:
        shape = scan(text).shape
        if b"0" not in shape:
            return  # every amount has an ASCII digit
        markers = _markers(text, shape)
        if not markers:
            return
        markers.sort()
        covered = 0
        for at, literal in markers:
            if at < covered:
                continue
            found = self._after(text, at, literal) or self._before(text, at, literal)
            if found is not None:
                pattern, m = found
                covered = m.end()
                yield Span(m.start(), m.end(), self.KIND, f"rules:{self.name}", pattern.score, pattern.name)

    def _after(self, text: str, at: int, literal: str) -> tuple[Pattern, re.Match[str]] | None:
        """An amount that starts with the marker: "$2.3M", "US$10m", "GBP 250,000"."""
        if literal not in _CODE_SET and literal not in _SYMBOLS:
            return None  # currency words and CJK units follow their amount
        pattern = self.PATTERNS[0]
        start = at
        if (
            literal == "$"
            and text[at - 1 : at] in _DOLLAR_PREFIX_ENDS  # the common `$5`: no regex call
            and (prefix := _DOLLAR_PREFIX_BEFORE.search(text, max(0, at - 2), at))
        ):
            start = prefix.start()
        m = pattern.regex.match(text, start)
        return (pattern, m) if m and self.validate(m.group(), m, pattern) else None

    def _before(self, text: str, at: int, literal: str) -> tuple[Pattern, re.Match[str]] | None:
        """An amount that ends with the marker: "7.500.000 €", "250,000원", "5 million dollars"."""
        if at == 0 or not (text[at - 1].isdigit() or text[at - 1] in _BEFORE_MARKER):
            return None
        end = at + len(literal)
        if literal in _CODE_SET and text[end : end + 1].isdigit():
            return None  # `240703EUR94879,76`: a code glued to digits on both sides leads its amount
        pattern = self.PATTERNS[1]
        m = pattern.regex.search(text, max(0, at - self._BACK), end)
        return (pattern, m) if m and self.validate(m.group(), m, pattern) else None


def _in_hex_run(text: str, shape: bytes, at: int) -> bool:
    """A code inside a hex id or a UUID (``436C-AED4-B1F0``): glued to a digit and, past it, to
    a letter or a `-` between hex groups."""
    if shape[at + 3 : at + 4] != b"0":
        return shape[at - 1 : at] == b"0" and at > 1 and text[at - 2] in "-ABCDEFabcdef"
    end = at + 3
    while shape[end : end + 1] == b"0":
        end += 1
    after = text[end : end + 1]
    return after.isalpha() or (after == "-" and text[at - 1 : at] == "-")


def _markers(text: str, shape: bytes) -> list[tuple[int, str]]:
    """(position, marker) of every currency symbol, ISO code and currency word after a number.

    Symbols are single characters: `str.find` at C speed, and in ASCII text only ``$`` can
    occur. Codes are whole words of three capitals (no ASCII letter on either side) checked
    against the list; words are found right after a number ("5 dollars", "1.5 million
    dollars").
    """
    markers: list[tuple[int, str]] = []
    for symbol in _ASCII_SYMBOLS if text.isascii() else _SINGLE_MARKERS:
        at = text.find(symbol)
        while at != -1:
            markers.append((at, symbol))
            at = text.find(symbol, at + 1)
    for triple in _CAPITAL_TRIPLE.finditer(shape):
        at = triple.start()
        code = text[at : at + 3]
        if (
            code in _CODE_SET
            and not (at and shape[at - 1] == 0x61 and text[at - 1] != "_")  # `a`: a small letter?
            and not (shape[at + 3 : at + 4] == b"a" and text[at + 3] != "_")
            and not _in_hex_run(text, shape, at)
        ):
            markers.append((at, code))
    # A currency word follows a digit, a space and a letter (`0sa` / `0sA` in the shape): the
    # word pattern is matched at those few places only, not tried at every space of the text.
    for hit in _WORD_SHAPE.finditer(shape):
        at = hit.start()
        if text[at + 2] in _WORD_STARTS and (m := _WORD_AFTER_NUMBER.match(text, at + 1)):
            markers.append((m.start("word"), m.group("word")))
    return markers
