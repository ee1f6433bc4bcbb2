"""SWIFT MT payment messages (MT103, MT202): the parties' account lines (tier 1), names and addresses.

In a transfer message the ordering customer (``:50K:``, ``:50A:``, ``:50F:``), the beneficiary
(``:59:``, ``:59A:``, ``:59F:``) and the institutions between them (``:52A:`` ... ``:58A:``)
may start with an account after a slash: ``:59:/6303748625`` and then the name and address
lines. The account stands there without any label a reader would recognise, so it is found by
its field tag. An IBAN is left to the IBAN detector (same span, its own kind); any other account
is dropped as ``US_BANK_ACCOUNT``, the kind of every account number whatever its country.

Not accounts: a tag without the slash (``:59:JOHN DOE``), a value with fewer than four digits or
mostly letters (a party identifier code), the message's other fields (``:32A:`` amount,
``:71A:`` charges).

The customer fields (``:50K:``, ``:59:``, and their structured forms ``:50F:``, ``:59F:``) name
the customer and give the address in the lines after the account (four lines of 35 at most):
the first line is the name (``PERSON``, or ``ORG`` when it ends in a company form such as
``GMBH``, ``LTD``, ``INC``), the others are one ``ADDRESS``. The structured form numbers its
lines: ``1/`` name, ``2/`` address, ``3/`` country and town (the town is the address's), ``4/``
date of birth, ``6/`` customer id, ``7/`` national id (tier 1); ``5/`` place of birth and
``8/`` notes are left as they are. Institutions (option A, a BIC) are public and stay.
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
# A customer field's tag; then an optional account line; then up to four lines, each ending where
# a line break is followed by the next tag (`:71A:`), the block's end (`-}`) or nothing.
# The tag starts its line (or the block after `{4:`) and the value follows it at once: in prose or
# documentation a tag stands mid-sentence or before a space (`:50K: Ordering Customer`).
_PARTY = re.compile(r":(?<![^\n{]:)(?P<tag>50[FK]|59F?):(?![ \t])(?:/[^\n]{1,40}\r?\n)?")
_PARTY_LINE = re.compile(r"(?!:[0-9]{2}[A-Z]?:|-\}|/)(?P<line>[^\n:{}]{1,35}?)[ \t\r]*(?:\n|\Z|(?=-?\}))")
_MAX_LINES = 4  # 4*35x; a structured field's numbered lines are read up to 8
_MAX_NUMBERED = 8
# A message's other fields: a transaction reference, a value date and amount, a block's start.
_MESSAGE_TAGS = (":20:", ":32A:", ":32B:", ":23B:", "{4:")
_NUMBERED = re.compile(r"(?P<n>[1-8])/(?:(?<=[37]/)[A-Z]{2}/)?(?P<v>.+)")
_NUMBERED_KINDS = {
    "1": ("PERSON", "name"), "2": ("ADDRESS", "address"), "3": ("ADDRESS", "town"), "4": ("DATE", "dob"),
    "6": ("ID", "customer_id"), "7": ("NATIONAL_ID", "national_id"),
}  # fmt: skip
_COMPANY_FORMS = frozenset(
    {"LTD", "LIMITED", "GMBH", "AG", "SA", "SAS", "SARL", "SRL", "SPA", "BV", "NV", "INC", "LLC", "LLP",
     "PLC", "CORP", "CORPORATION", "CO", "COMPANY", "KG", "OY", "AB", "AS", "ASA", "PTY", "BANK", "GROUP",
     "HOLDING", "HOLDINGS", "TRUST", "FOUNDATION", "SE", "KK", "BHD", "PTE"}
)  # fmt: skip


class SwiftMtDetector:
    """``US_BANK_ACCOUNT``: the account line of a party field in a SWIFT MT message; the
    customer's name (``PERSON``/``ORG``) and address lines."""

    name = "swift_mt"

    def detect(self, text: str) -> Iterator[Span]:
        if ":5" not in text:  # every party field's tag holds it: one C-speed test
            return
        for line in _ACCOUNT_LINE.finditer(text) if ":/" in text else ():
            value = line.group("v")
            if _IBAN_START.match(value):
                continue  # the IBAN detector's, with its own kind
            digits = sum(map(str.isdigit, value))
            if digits >= _MIN_DIGITS and digits * 2 >= len(value.replace(" ", "").replace("-", "")):
                yield Span(*line.span("v"), "US_BANK_ACCOUNT", f"rules:{self.name}", 0.9, "swift_account")
        if not any(tag in text for tag in _MESSAGE_TAGS):
            return  # `:59:59.999 elapsed`: a time, not a field, unless the message is there too
        for party in _PARTY.finditer(text):
            yield from self._party(text, party.end(), party.group("tag").endswith("F"))

    def _party(self, text: str, at: int, structured: bool) -> Iterator[Span]:
        """The name and address lines of a customer field whose lines start at ``at``."""
        source = f"rules:{self.name}"
        lines: list[tuple[int, int]] = []
        while len(lines) < (_MAX_NUMBERED if structured else _MAX_LINES):
            line = _PARTY_LINE.match(text, at)
            if line is None or not line.group("line").strip():
                break
            lines.append(line.span("line"))
            at = line.end()
        if structured:
            for start, end in lines:
                numbered = _NUMBERED.fullmatch(text, start, end)
                if numbered is not None and numbered.group("n") in _NUMBERED_KINDS:
                    kind, label = _NUMBERED_KINDS[numbered.group("n")]
                    if label == "name" and _is_company(numbered.group("v")):
                        kind = "ORG"
                    yield Span(*numbered.span("v"), kind, source, 0.9, label)
            return
        if lines:
            start, end = lines[0]
            kind = "ORG" if _is_company(text[start:end]) else "PERSON"
            yield Span(start, end, kind, source, 0.9, "name")
        if len(lines) > 1:
            yield Span(lines[1][0], lines[-1][1], "ADDRESS", source, 0.9, "address")


def _is_company(name: str) -> bool:
    """A customer's name that ends in a company form (``ACME TRADING GMBH``, ``FOO CO. LTD``)."""
    words = name.upper().replace(".", " ").replace(",", " ").split()
    return bool(words) and words[-1] in _COMPANY_FORMS
