"""International bank account numbers (tier 1 ``IBAN``).

Country code, two check digits, then the BBAN: compact (``GB37MHCQ62936530582958``), in
groups separated by spaces, dashes, dots or slashes (``DE38 8107 4343 4904 4264 23``,
``GB82-WEST-1234-5698-7654-32``, ``DE89.3704.0044...``), possibly wrapped over a line break, or
with one to three separators between every character (``G B 8 2 W E S T ...``,
``N  L  4  7  U ...``). The span keeps them.
A candidate must have its country's exact length and BBAN structure from the IBAN registry
bundled with python-stdnum (`stdnum.numdb`, the data behind `stdnum.iban`) and pass ISO 7064
mod 97-10 (`stdnum.iso7064.mod_97_10`, after a one-`int()` pre-check that rejects almost
every other candidate for a fraction of the cost). National check digits inside the BBAN are
not required: a value that fails only its national check is still somebody's mistyped
account, and mod 97 plus the exact structure already make a random match rare.

Written in lowercase (``gb29 nwbk 6016 1331 9268 19``: typed in a chat), an IBAN is read as
its capitals.

Not IBANs: anything failing mod 97 (``DE00 ...``), unknown countries, a wrong length, runs
glued to a letter or digit (``XDE89...``, hex digests).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import ClassVar, NamedTuple

from stdnum import numdb
from stdnum.iso7064 import mod_97_10

from .._spans import Span
from ._idscan import SEPX, ShapePattern, scan

__all__ = ["IbanDetector"]

_REGISTRY = numdb.get("iban")
_BBAN_PART = re.compile(r"(\d+)!([nac])")
# What each BBAN part may hold, as a `str` test (ASCII only): n digits, a capitals, c both.
_BBAN_TESTS = {
    "n": str.isdigit,
    "a": lambda part: part.isalpha() and part.isupper(),
    "c": lambda part: part.isalnum() and not any(c.islower() for c in part),
}
# Letters as mod-97 digits (A=10 ... Z=35).
_AS_DIGITS = {ord(c): str(ord(c) - 55) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


class _Bban(NamedTuple):
    """A country's IBAN length and the parts of its BBAN: (offset, end, test) each."""

    length: int
    parts: tuple[tuple[int, int, Callable[[str], bool]], ...]

    def fits(self, compact: str) -> bool:
        """The BBAN of ``compact`` (an IBAN of this length) has the registry's structure."""
        return compact.isascii() and all(test(compact[at:end]) for at, end, test in self.parts)


@functools.lru_cache(maxsize=1024)
def _bban_format(country: str) -> _Bban | None:
    """The registry's BBAN structure of ``country``, None if it is no IBAN country. A few
    slices and `str` tests check it: a regex per country cost a compile on first sight (and
    evicted other patterns from `re`'s cache)."""
    info = _REGISTRY.info(country)
    bban = info[0][1].get("bban") if info and info[0][0] == country else None
    if not isinstance(bban, str):
        return None
    parts: list[tuple[int, int, Callable[[str], bool]]] = []
    at = 4
    for count, kind in _BBAN_PART.findall(bban):
        parts.append((at, at + int(count), _BBAN_TESTS[kind]))
        at += int(count)
    return _Bban(at, tuple(parts))


def _mod97_valid(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    if int(rearranged.translate(_AS_DIGITS)) % 97 != 1:
        return False
    return bool(mod_97_10.is_valid(rearranged))


@functools.lru_cache(maxsize=64)
def _chars(count: int, lower: bool = False) -> re.Pattern[bytes]:
    """``count`` capitals (``lower``: small letters) or digits in the separator shape, each
    after any separators."""
    return re.compile(rb"(?:[s\n>]*[%s0]){%d}" % (b"a" if lower else b"A", count))


_SEPARATORS = str.maketrans("", "", " \t\r\n->./")


class IbanDetector:
    """``IBAN``: a mod-97-valid IBAN of a registry country, grouped or compact."""

    name = "iban"
    KIND = "IBAN"
    # Patterns over the separator shape (see `_idscan`): `AA00` not glued to a letter or
    # digit in front, then up to 30 more capitals or digits, each after at most one separator
    # or line break; or the same with separators between every character.
    PATTERNS: ClassVar[tuple[ShapePattern, ...]] = (
        ShapePattern("iban", b"AA00", re.compile(rb"AA00(?<![0Aa]AA00)(?:(?:s|s?\n[s>]{0,4})?[A0]){11,30}")),
        # The country apart from its check digits (`DE 89 3704 0044 ...`).
        ShapePattern(
            "iban", b"AAs00", re.compile(rb"AAs00(?<![0Aa]AAs00)(?:(?:s|s?\n[s>]{0,4})?[A0]){11,30}")
        ),
        # All lowercase, compact or grouped (`gb29 nwbk 6016 ...`).
        ShapePattern("iban", b"aa00", re.compile(rb"aa00(?<![0Aa]aa00)(?:(?:s|s?\n[s>]{0,4})?[a0]){11,30}")),
        ShapePattern(
            "per_char", b"AsAs0s0", re.compile(rb"AsAs0s0(?<![0Aa]AsAs0s0)(?:" + SEPX + rb"[A0]){11,30}")
        ),
        ShapePattern(  # two or three separators between characters: `N  L  4  7  U ...`
            "per_char",
            b"AssAss0ss0",
            re.compile(rb"AssAss0ss0(?<![0Aa]AssAss0ss0)(?:" + SEPX + rb"[A0]){11,30}"),
        ),
        ShapePattern(
            "per_char",
            b"AsssAsss0sss0",
            re.compile(rb"AsssAsss0sss0(?<![0Aa]AsssAsss0sss0)(?:" + SEPX + rb"[A0]){11,30}"),
        ),
    )

    def validate(self, compact: str) -> bool:
        """Registry length and structure, check digits 02-98, mod 97."""
        fmt = _bban_format(compact[:2])
        if fmt is None or len(compact) != fmt.length or not fmt.fits(compact):
            return False
        return "02" <= compact[2:4] <= "98" and _mod97_valid(compact)

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        shape = found.sepshape
        for pattern in self.PATTERNS:
            if pattern.literal not in shape:
                continue  # the common case: a C-speed test, no call
            hits = found.literal_hits(pattern.literal, sep=True)
            done = 0
            for at in hits:
                # Check digits 00, 01 and 99 never pass mod 97; most hits are no country.
                head = text[at : at + len(pattern.literal)].translate(_SEPARATORS)
                country, check = head[:2].upper(), head[2:4]
                if at < done or not "02" <= check <= "98" or not _bban_format(country):
                    continue
                match = pattern.regex.match(shape, at)
                end = None if match is None else self._end(text, shape, at, match.end())
                if end is not None:
                    yield Span(at, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)
                    done = end

    def _end(self, text: str, shape: bytes, start: int, stop: int) -> int | None:
        """Where the IBAN starting at ``start`` ends, or None if it is not one.

        The regex may run on into the next word (``... 4264 23 EUR``); the country's length
        says where the value must end, and there it must not be glued to more characters.
        """
        country = text[start : start + 8].translate(_SEPARATORS)[:2]
        fmt = _bban_format(country.upper())
        if fmt is None:
            return None
        chars = _chars(fmt.length, country.islower()).match(shape, start, stop)
        if chars is None:
            return None
        end = chars.end()
        if shape[end : end + 1] in (b"A", b"0", b"a") or shape.count(b"\n", start, end) > 1:
            return None
        return end if self.validate(text[start:end].translate(_SEPARATORS).upper()) else None
