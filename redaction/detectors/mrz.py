"""Machine-readable zones (MRZ, ICAO 9303) of passports, visas and ID cards: the whole zone.

A zone holds the document number, the birth date and the holder's names, so it is dropped as
one tier-1 span: ``PASSPORT`` for passports (``P``, TD3: two 44-character lines) and visas
(``V``, MRV-A/B: two 44- or 36-character lines, also a travel document), ``NATIONAL_ID`` for
ID cards and other official documents (``I``, ``A``, ``C``: TD1, three 30-character lines,
and TD2, two 36-character lines). Lines may be broken by a newline, ``\\r\\n``, an escaped
``\\n`` (a zone inside a JSON string), indentation or a space, or run together as one line.

A zone is taken when its line structure is that of ICAO 9303 (a document-code + country +
names line with ``<<``, a data line with a 6-digit birth date, a sex and a 6-digit expiry),
with or without valid check digits (a mistyped zone still holds a name), and also when it was
copied by hand (a line a character long or short) or is in a national format (the old French
ID card): two or three lines of 28-50 MRZ characters of about one width, with a name
(`DUPONT<<`), filler (`<<<`) and a number of 6+ digits. A names line alone
(`P<GBRSMITH<<JOHN<<<...`) counts too. A data line alone counts only when its check digits
(7-3-1 weights) verify: the document number's and the birth date's, or the composite.

Not zones: ``<<`` in code (`cout << x`, `<<EOF`, `git log <<<`), filler runs (`<<<<<<`),
upper-case words and numbers without the zone structure, names lines without a `<<`.

Every scan is gated by ``"<<" in text`` (C speed) and then runs only in windows around the
occurrences of ``<<``, with fixed-width regexes, so the cost is linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span

__all__ = ["MrzDetector", "check_digit"]

_VALUES = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
_WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> int:
    """ICAO 9303 check digit of ``field``: weights 7, 3, 1 repeated, ``A``=10 .. ``Z``=35, ``<``=0."""
    return sum(_VALUES.get(ch, 0) * _WEIGHTS[i % 3] for i, ch in enumerate(field)) % 10


def _checks(field: str, digit: str) -> bool:
    # A `<` check digit stands for 0 when the field is empty filler (some optional fields).
    return (digit.isdigit() and check_digit(field) == int(digit)) or (digit == "<" and not field.strip("<"))


# Between two lines of one zone: a line break (real or JSON-escaped) with indentation, a space,
# or nothing (a zone pasted as one line).
_SEP = r"(?:[ \t]{0,8}(?:\r?\n|\\r\\n|\\n)[ \t>]{0,8}|[ \t]?)"
_EDGE_L = r"(?<![A-Za-z0-9<])"
_EDGE_R = r"(?![A-Za-z0-9<])"
# Document code (2), issuing state (3, `D<<` for Germany), names (`SMITH<<JOHN<<<...`).
_NAMES_LINE = r"[PIACV][A-Z0-9<][A-Z<]{3}[A-Z<]{2,45}"
# Document number + check, nationality, birth date + check, sex, expiry + check (TD3 and TD2).
_DATA_LINE = r"[A-Z0-9<]{9}[0-9<][A-Z<]{3}[0-9]{6}[0-9<][MFX<][0-9]{6}[0-9<][A-Z0-9<]{0,22}"
# TD1 line 1: code, state, document number + check, optional data; line 2: birth date + check,
# sex, expiry + check, nationality, optional data, composite; line 3: names.
_TD1_LINE1 = r"[IAC][A-Z0-9<][A-Z<]{3}[A-Z0-9<]{9}[0-9<][A-Z0-9<]{10,16}"
_TD1_LINE2 = r"[0-9]{6}[0-9<][MFX<][0-9]{6}[0-9<][A-Z<]{3}[A-Z0-9<]{8,12}"
_TD1_LINE3 = r"[A-Z<]{2,30}"

_NAME = re.compile(r"[A-Z]<<[A-Z]|[A-Z]<<*\Z")
# Any line of a zone, hand-copied or of a national format (a names line a character short or
# long, the old French ID card): 28-50 characters of the MRZ alphabet, all of one width give or
# take three. Lines are separated by a real break here (not nothing: a run is one line).
_ANY_LINE = r"[A-Z0-9<]{28,50}"
_BREAK = r"(?:[ \t]{0,8}(?:\r?\n|\\r\\n|\\n)[ \t>]{0,8}|[ \t])"
_DIGITS_6 = re.compile(r"(?:[^0-9]*[0-9]){6}")
_NAME_MARK = re.compile(r"[A-Z]{2}<<")


def _names_ok(names: str) -> bool:
    """A names field: letters, and either `<<` between surname and given names or a surname
    followed only by filler."""
    return _NAME.search(names) is not None


class MrzDetector:
    """ICAO 9303 machine-readable zones, kind ``PASSPORT`` or ``NATIONAL_ID``."""

    name = "mrz"
    # Half-width of the window searched around an occurrence of `<<`: a whole zone (three
    # 30-character lines or two 44-character lines, separators included) fits on either side.
    _WINDOW: ClassVar[int] = 160
    # fmt: off
    TWO_LINE = re.compile(
        _EDGE_L + r"(?P<l1>" + _NAMES_LINE + r")" + _SEP + r"(?P<l2>" + _DATA_LINE + r")" + _EDGE_R
    )
    TD1 = re.compile(
        _EDGE_L + r"(?P<l1>" + _TD1_LINE1 + r")"
        r"(?:" + _SEP + r"(?P<l2>" + _TD1_LINE2 + r")"
        r"(?:" + _SEP + r"(?P<l3>" + _TD1_LINE3 + r")" + _EDGE_R + r")?|" + _EDGE_R + r")"
    )
    # Two or three lines of the MRZ alphabet, one of them a names line, one with 6+ digits.
    GENERIC = re.compile(
        _EDGE_L + r"(?P<a>" + _ANY_LINE + r")" + _BREAK + r"(?P<b>" + _ANY_LINE + r")"
        r"(?:" + _BREAK + r"(?P<c>" + _ANY_LINE + r"))?" + _EDGE_R
    )
    NAMES_ALONE = re.compile(_EDGE_L + r"(?P<l1>" + _NAMES_LINE + r")" + _EDGE_R)
    DATA_ALONE = re.compile(_EDGE_L + r"(?P<l2>" + _DATA_LINE + r")" + _EDGE_R)
    # fmt: on

    def detect(self, text: str) -> Iterator[Span]:
        at = text.find("<<")
        if at == -1:
            return  # the common case: one C-speed search
        width = self._WINDOW
        done = 0  # end of the last span reported: zones never overlap
        while at != -1:
            lo, hi = max(at - width, 0), at + width
            # Merge the windows of nearby occurrences (a zone holds many `<<`).
            nxt = text.find("<<", hi - width + 2)
            while nxt != -1 and nxt - width <= hi:
                hi = nxt + width
                nxt = text.find("<<", hi - width + 2)
            hi = min(hi, len(text))
            for start, end, kind, label in self._zones(text, max(lo, done), hi):
                done = end
                yield Span(start, end, kind, f"rules:{self.name}", 1.0, label)
            at = nxt

    def _zones(self, text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str, str]]:
        """Zones in ``text[lo:hi]``, left to right, not overlapping."""
        found: list[tuple[int, int, str, str]] = []
        for regex, judge in (
            (self.TD1, self._td1),
            (self.TWO_LINE, self._two_line),
            (self.GENERIC, self._generic),
            (self.NAMES_ALONE, self._names_alone),
            (self.DATA_ALONE, self._data_alone),
        ):
            pos = lo
            while pos < hi:
                match = regex.search(text, pos, hi)
                if match is None:
                    break
                verdict = judge(match)
                if verdict is None:
                    pos = match.start() + 1
                    continue
                found.append((match.start(), match.end(), *verdict))
                pos = match.end()
        found.sort(key=lambda z: (z[0], -z[1]))
        end = lo
        for zone in found:
            if zone[0] >= end:
                end = zone[1]
                yield zone

    @staticmethod
    def _kind(code: str) -> str:
        # Passports and visas are travel documents; ID cards, residence and crew cards are ids.
        return "PASSPORT" if code in "PV" else "NATIONAL_ID"

    def _two_line(self, match: re.Match[str]) -> tuple[str, str] | None:
        l1, l2 = match.group("l1"), match.group("l2")
        data_ok = _data_checks(l2) >= 1
        if not (_names_ok(l1[5:]) or data_ok):
            return None
        fmt = "td3" if len(l1) > 38 else "td2"
        return self._kind(l1[0]), fmt

    def _td1(self, match: re.Match[str]) -> tuple[str, str] | None:
        l1, l2, l3 = match.group("l1"), match.group("l2"), match.group("l3")
        doc_ok = _checks(l1[5:14], l1[14])
        if l2 is None:
            # Line 1 alone: the document number and its check digit, at the exact width.
            return (self._kind(l1[0]), "td1") if doc_ok and len(l1) == 30 else None
        dob_ok = _checks(l2[0:6], l2[6])
        structured = l3 is not None and _names_ok(l3)
        if not (doc_ok or dob_ok or structured):
            return None
        return self._kind(l1[0]), "td1"

    def _generic(self, match: re.Match[str]) -> tuple[str, str] | None:
        lines = [line for line in match.group("a", "b", "c") if line]
        widths = [len(line) for line in lines]
        if max(widths) - min(widths) > 3:
            return None
        # A name (`DUPONT<<MARIE`, `DOUEL<<<<`) on one line, a number with a date on another, and
        # the filler of a fixed-width field (`<<<`) somewhere.
        if not any(_NAME_MARK.search(line) for line in lines) or not any("<<<" in line for line in lines):
            return None
        if not any(_DIGITS_6.match(line) for line in lines):
            return None
        passport = any(line[:2] in ("P<", "V<") for line in lines)
        return ("PASSPORT" if passport else "NATIONAL_ID"), "zone"

    def _names_alone(self, match: re.Match[str]) -> tuple[str, str] | None:
        l1 = match.group("l1")
        # Unmistakable alone: `P<` / `V<` / `I<` ... at a zone's width, names with `<<` and filler.
        if len(l1) not in (30, 36, 44) and not (20 <= len(l1) <= 50 and l1[1] == "<"):
            return None
        names = l1[5:]
        if not (_NAME.search(names) and "<<" in names and names.count("<") >= 2):
            return None
        return self._kind(l1[0]), "names_line"

    def _data_alone(self, match: re.Match[str]) -> tuple[str, str] | None:
        l2 = match.group("l2")
        if _data_checks(l2) < 2:
            return None
        return ("PASSPORT" if len(l2) == 44 else "NATIONAL_ID"), "data_line"


def _data_checks(line: str) -> int:
    """How many check digits of a TD3/TD2 data line verify (document number, birth date,
    expiry, and the composite where the line has its full width)."""
    passed = sum(
        (
            _checks(line[0:9], line[9]),
            _checks(line[13:19], line[19]),
            _checks(line[21:27], line[27]),
        )
    )
    if len(line) in (36, 44):
        composite = line[0:10] + line[13:20] + line[21:-1]
        passed += _checks(composite, line[-1])
    return passed
