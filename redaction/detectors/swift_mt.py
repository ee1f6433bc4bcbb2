"""SWIFT MT payment messages (MT103, MT202): the parties' account lines (tier 1).

In a transfer message the ordering customer (``:50K:``, ``:50A:``, ``:50F:``), the beneficiary
(``:59:``, ``:59A:``, ``:59F:``) and the institutions between them (``:52A:`` ... ``:58A:``)
may start with an account after a slash: ``:59:/6303748625`` and then the name and address
lines. The account stands there without any label a reader would recognise, so it is found by
its field tag. An IBAN is left to the IBAN detector (same span, its own kind); any other account
is dropped as ``US_BANK_ACCOUNT``, the kind of every account number whatever its country.

Not accounts: a tag without the slash (``:59:JOHN DOE``), a value with fewer than four digits or
mostly letters (a party identifier code), the message's other fields (``:32A:`` amount,
``:71A:`` charges).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._spans import Span

__all__ = ["SwiftMtDetector"]

# A party field's tag at a line's start (or after the block's `{4:`), the slash, an optional
# two-letter code (`/CH/`, a clearing system), then the account up to the line's end.
_ACCOUNT_LINE = re.compile(
    r":(?<![^\s{]:)(?:50[AFK]?|59[AF]?|5[2-8][ABD]):/(?:[A-Z]{2}/)?"  # the literal first: sre skips to it
    r"(?P<v>[A-Z0-9](?:[A-Z0-9 -]{0,40}[A-Z0-9])?)[ \t]*(?=\r?\n|\Z|})"
)
_IBAN_START = re.compile(r"[A-Z]{2}[0-9]{2}")
_MIN_DIGITS = 4


class SwiftMtDetector:
    """``US_BANK_ACCOUNT``: the account line of a party field in a SWIFT MT message."""

    name = "swift_mt"

    def detect(self, text: str) -> Iterator[Span]:
        if ":/" not in text or ":5" not in text:  # every account line holds both: two C-speed tests
            return
        for line in _ACCOUNT_LINE.finditer(text):
            value = line.group("v")
            if _IBAN_START.match(value):
                continue  # the IBAN detector's, with its own kind
            digits = sum(map(str.isdigit, value))
            if digits >= _MIN_DIGITS and digits * 2 >= len(value.replace(" ", "").replace("-", "")):
                yield Span(*line.span("v"), "US_BANK_ACCOUNT", f"rules:{self.name}", 0.9, "swift_account")
