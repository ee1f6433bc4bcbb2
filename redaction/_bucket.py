"""Coarse hints for bucketed values: `[AMOUNT_1: $1M-$5M]`, `[DATE_2: 2024-Q3]` (docs/architecture.md §4).

A hint never narrows a value below its bucket; unparseable values get no hint (the token
alone), never a guess.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = ["amount_hint", "date_hint"]

_MULTIPLIERS = {
    "k": 10**3, "thousand": 10**3, "m": 10**6, "mm": 10**6, "mn": 10**6, "million": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9, "t": 10**12, "tn": 10**12, "trillion": 10**12,
}  # fmt: skip
_NUMBER = re.compile(
    r"([0-9][0-9,.' ]*[0-9]|[0-9])\s*(thousand|million|billion|trillion|mm|mn|bn|tn|[kmbt])?\b", re.IGNORECASE
)
_SYMBOLS = {"$": "$", "US$": "$", "USD": "$", "€": "€", "EUR": "€", "£": "£", "GBP": "£", "¥": "¥",
            "JPY": "¥", "CHF": "CHF ", "CAD": "CA$", "AUD": "A$"}  # fmt: skip
_EDGES = [10**3, 10**4, 10**5, 10**6, 5 * 10**6, 10**7, 5 * 10**7, 10**8, 10**9]


def _short(n: int) -> str:
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if n >= size:
            return f"{n // size}{suffix}"
    return str(n)


def _parse_number(digits: str) -> Decimal | None:
    digits = digits.replace(" ", "").replace("'", "")
    # "1.234.567,89" (European) vs "1,234,567.89": the last separator followed by 1-2 digits
    # is the decimal point; every other separator groups thousands.
    m = re.search(r"[.,]([0-9]{1,2})$", digits)
    if m and not re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", digits):
        whole, frac = digits[: m.start()], m.group(1)
        digits = re.sub(r"[.,]", "", whole) + "." + frac
    else:
        digits = re.sub(r"[.,]", "", digits)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def amount_hint(value: str) -> str | None:
    """`"$2.3M"` -> `"$1M-$5M"`; None if no amount can be read."""
    m = _NUMBER.search(value)
    if not m:
        return None
    number = _parse_number(m.group(1))
    if number is None:
        return None
    if m.group(2):
        number *= _MULTIPLIERS[m.group(2).lower()]
    symbol = next((sym for code, sym in _SYMBOLS.items() if code in value), "")
    lower = 0
    for edge in _EDGES:
        if number < edge:
            return f"{symbol}{_short(lower)}-{symbol}{_short(edge)}" if lower else f"<{symbol}{_short(edge)}"
        lower = edge
    return f">{symbol}{_short(lower)}"


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_ISO = re.compile(r"\b((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_NUMERIC = re.compile(r"\b([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]((?:19|20)?[0-9]{2})\b")
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)[0-9]{2})\b")


def date_hint(value: str) -> str | None:
    """`"August 23, 1978"` -> `"1978-Q3"`; None if year and month cannot both be read."""
    year: int | None = None
    month: int | None = None
    if m := _ISO.search(value):
        year, month = int(m.group(1)), int(m.group(2))
    elif m := _MONTH_NAME.search(value):
        month = _MONTHS[m.group(1).lower()]
        if y := _YEAR.search(value):
            year = int(y.group(1))
    elif m := _NUMERIC.search(value):
        # US order (month first) unless the first field cannot be a month.
        first, second, y3 = int(m.group(1)), int(m.group(2)), m.group(3)
        month = second if first > 12 else first
        year = int(y3) if len(y3) == 4 else 2000 + int(y3) if int(y3) < 50 else 1900 + int(y3)
    if year is None or month is None or not 1 <= month <= 12:
        return None
    try:
        date(year, month, 1)
    except ValueError:
        return None
    return f"{year}-Q{(month - 1) // 3 + 1}"
