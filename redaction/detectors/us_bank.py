"""US bank routing and account numbers (tier 1 ``US_BANK_ROUTING``, ``US_BANK_ACCOUNT``).

A routing (ABA) number is nine digits with a weighted checksum (`stdnum.us.rtn`); one in ten
random 9-digit numbers passes it, so it also needs a routing context word just before it
(``routing``, ``ABA``, ``RTN``, ``transit``). An account number has no structure at all
(6-17 digits), so it is taken only right after an account context word (``account number``,
``acct``, ``account no``, ``bank account``, ``account:``), and not after a ledger's word
(``GL account 400100``, ``expense account``). British details as printed, ``sort 52-26-27 |
59146252``, give both: the sort code after its word, and the eight digits after it.

Not bank numbers: 9-digit runs without routing context or failing the checksum, numbers after
``account_id``/``accounts``/``accounting`` (user ids, ledgers), dates and amounts after
``account`` (they are not digit runs of 6+).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum.us import rtn

from .._spans import Span
from ._base import Pattern
from ._idscan import ShapePattern, bounded, find_all, preceded_by, shape_matches

__all__ = ["LEDGER_BEFORE", "UsBankAccountDetector", "UsBankRoutingDetector"]

_CONTEXT = re.compile(r"(?i)(?<![a-z])(?:routing|aba|rtn|transit)(?![a-z])[^0-9;\x01\x02]{0,28}\Z")
_WINDOW = 64
# `sort` / `sort code`, the code NN-NN-NN, then a separator and an account's label or none, then
# eight digits (a UK account).
_UK_DETAILS = re.compile(
    r"(?<![A-Za-z])(?i:sort)(?:[ ]?(?i:code))?[ \t:#.]{1,4}(?P<sort>[0-9]{2}-[0-9]{2}-[0-9]{2})"
    r"[ \t]{0,4}(?:[|,/;][ \t]{0,4})?"
    r"(?:(?i:a/?c(?:count)?|acc(?:ount)?|acct)(?:[ \t.]{0,2}(?i:no|number|\#))?[ \t:.]{0,3})?"
    r"(?P<acct>[0-9]{8})(?![0-9])"
)
# A ledger's account, not a bank's: the word before `account` (`GL account 400100`, `general
# ledger account`, `expense account 612000`). Searched in the 16 characters before the label.
LEDGER_BEFORE = re.compile(r"(?<![^\W_])(?i:gl|g/l|ledger|expense|revenue)[ ]\Z")


def _aba_valid(digits: str) -> bool:
    # A C-speed pre-check of the weighted sum 3-7-1 (nine in ten fail it), then stdnum's.
    raw = digits.encode("ascii")
    if (3 * sum(raw[0::3]) + 7 * sum(raw[1::3]) + sum(raw[2::3]) - 48 * 33) % 10:
        return False
    return bool(rtn.is_valid(digits))


class UsBankRoutingDetector:
    """``US_BANK_ROUTING``: an ABA-valid 9-digit number right after a routing context word."""

    name = "us_bank_routing"
    KIND = "US_BANK_ROUTING"
    # Shape pattern (see `_idscan`): a 9-digit number standing on its own.
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("aba", b"000000000", bounded(b"000000000"), 0.95, needs_context=True),
    )

    def validate(self, digits: str) -> bool:
        # The first two digits are a Federal Reserve district: 00-12 banks, 21-32 thrifts,
        # 61-72 electronic transactions, 80 traveler's checks. Nothing else is issued.
        prefix = int(digits[:2])
        issued = prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80
        return issued and digits != "000000000" and _aba_valid(digits)

    def detect(self, text: str) -> Iterator[Span]:
        for pattern in self.PATTERNS:
            for start, end in shape_matches(text, pattern):
                if self.validate(text[start:end]) and preceded_by(text, start, _CONTEXT, _WINDOW):
                    yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)


# Texts shorter than this are tested for `cc`/`CC` first; longer ones hold them as a rule.
_SHORT = 2048


class UsBankAccountDetector:
    """``US_BANK_ACCOUNT``: a 6-17 digit number right after an account context word."""

    name = "us_bank_account"
    KIND = "US_BANK_ACCOUNT"
    # Needles to find the context words at C speed: (needle, offset back to the word start).
    HINTS: ClassVar[tuple[tuple[str, int], ...]] = (("ccount", 1), ("CCOUNT", 1), ("cct", 1), ("CCT", 1))
    # Anchored at a context word: the word (not `account_id`, `accounts`, `MyAccount`), an
    # optional `number`/`no`/`#`, at most 24 non-digit characters on the same line (or a line
    # break right before the number, as in forms), then the number, not glued to an id
    # prefix (`CASE-655676`).
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "account",
            re.compile(
                r"(?i)(?<![a-z])(?:account|acct)(?:[\s_.]{0,3}(?:number|num|nos?|nr|\#))?(?![a-z_])"
                r"[^0-9\n]{0,24}(?:\n[ \t>]{0,8})?(?<![0-9A-Za-z])(?<![0-9A-Za-z][-_/])([0-9]{6,17})"
                r"(?![0-9A-Za-z]|[.,-][0-9])"
            ),
            score=0.9,
            group=1,
        ),
    )

    def validate(self, digits: str) -> bool:
        return digits.count(digits[0]) != len(digits)  # `000000` is a placeholder

    def _uk_details(self, text: str) -> Iterator[Span]:
        """A British account's details as they are printed: `sort 52-26-27 | 59146252`, `Sort code
        20-00-00, a/c 12345678`: the sort code (`US_BANK_ROUTING`, the kind of every routing
        number) and the eight-digit account after it, with or without the account's label."""
        source = f"rules:{self.name}"
        for word in ("sort", "Sort", "SORT"):
            at = text.find(word)
            while at != -1:
                details = _UK_DETAILS.match(text, at)
                if details is not None:
                    yield Span(*details.span("sort"), "US_BANK_ROUTING", source, 0.9, "sort_code")
                    yield Span(*details.span("acct"), self.KIND, source, 0.9, "uk_account")
                at = text.find(word, at + 4)

    def detect(self, text: str) -> Iterator[Span]:
        yield from self._uk_details(text)
        if len(text) < _SHORT and "cc" not in text and "CC" not in text:
            # Every hint holds `cc` or `CC`: a short text (a window of a reply) without either,
            # the common case, stops after two C-speed tests instead of four searches.
            return
        for pattern in self.PATTERNS:
            done = 0
            for at in find_all(text, self.HINTS):
                match = pattern.regex.match(text, at)
                if match is None or match.start(pattern.group) < done:
                    continue
                if LEDGER_BEFORE.search(text, max(0, at - 16), at):
                    continue  # `GL account 400100`: a ledger's
                start, end = match.span(pattern.group)
                if self.validate(text[start:end]):
                    yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)
                    done = end
