"""Other countries' personal id numbers, found by shape and checksum (tier 1 ``NATIONAL_ID``).

Only forms distinctive enough to stand without a label, each confirmed by its checksum
(python-stdnum's validators):

- FR NIR (social security number): 15 digits printed ``1 84 12 76 451 089 46`` or
  ``1841276451089 46`` (key mod 97, `stdnum.fr.nir`), or 15 bare digits when the head is a
  NIR's as well (sex digit 1/2/7/8, a NIR month).
- ES DNI ``12345678Z`` / ``12345678-Z`` and NIE ``X1234567L`` (letter mod 23, `stdnum.es`).
- IT codice fiscale ``RSSMRA85T10A562S`` (16 characters, check letter, `stdnum.it`).
- CN resident id ``11010519491231002X``, compact or ``110105 19491231 002X`` (birth date,
  ISO 7064 mod 11-2, `stdnum.cn.ric`).
- GB National Insurance number ``QQ 12 34 56 C`` / ``AB123456C`` (HMRC prefix rules, suffix
  A-D; no checksum exists, the letter frame is the filter).
- IN Aadhaar ``2345 6789 0124`` in its printed 4-4-4 grouping (Verhoeff, first digit 2-9,
  `stdnum.in_.aadhaar`), or with one separator between every digit (``2 3 4 5 6 7 8 9 0 1 2 4``;
  the FR NIR likewise, 15 digits).
- BR CPF ``123.456.789-09`` (two check digits, `stdnum.br.cpf`).

A bare 11-digit run with both CPF check digits is a CPF too. The rest (NL BSN, DE Steuer-ID,
compact Aadhaar, national ids without a checksum) is taken only after its label, by
`labeled_ids`.

Not national ids: the same shapes failing their checksum (``12345678A``, ``2345 6789 0123``),
groups joined to more digits (a 4-4-4 run inside a card number or a phone number, a 17-digit
run inside a longer one), lowercase tokens, decimals, bare 9-12 digit runs (order numbers),
lists of single digits (``0 1 2 3 4 5 6 7 8 9``, or 12 of them failing Verhoeff), digit groups
dash-glued to hex or letter groups (a UUID: ``61859ffb-2007-4214-8434-ab03...``), a compact
NINO shape right after a product word (``Model CG967367D``, ``SKU AB123456C``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from operator import mul
from typing import ClassVar, NamedTuple

from stdnum.br import cpf
from stdnum.cn import ric
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale

from .._spans import Span
from ._idscan import Scan, digit_separators, free_after, free_before, grouped_at, per_digit_runs, scan

__all__ = ["NationalIdDetector", "nino_valid"]

# HMRC: the first letter is not D F I Q U V, the second not D F I O Q U V, and some pairs are
# never issued. `QQ` is HMRC's own documentation prefix: kept, an example is still a shape
# someone pasted.
_NINO = re.compile(r"(?:QQ|(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[0-9]{6}[A-D]")
_NOT_ALNUM = {c: None for c in range(128) if not chr(c).isalnum()}
# Digit groups before or after joined by separators: the value is part of a longer run.
_RUN_BEFORE = re.compile(rb"0s{1,3}\Z")
_RUN_AFTER = re.compile(rb"s{1,3}0")


# Words that name a product or document code: a compact NINO shape right after one is a code
# (``Model CG967367D``, ``SKU AB123456C``), whatever its letters.
_PRODUCT = re.compile(
    r"(?i)(?<![^\W_])(?:model|sku|part|p/n|pn|serial|s/n|item|batch|lot)"
    r"(?:\s*(?:no|nr|number|#))?[\s:#.=-]{1,3}\Z"
)


def _dash_glued(text: str, shape: bytes, start: int, end: int) -> bool:
    """A dash joins the value to a letter or digit group (``61859ffb-2007-4214-8434-ab03...``,
    a UUID): the groups are part of a longer token, not a number of their own."""
    before = start >= 2 and text[start - 1] == "-" and shape[start - 2] in b"0Aa"
    return before or (text[end : end + 1] == "-" and shape[end + 1 : end + 2] in (b"0", b"A", b"a"))


def nino_valid(value: str) -> bool:
    """A GB National Insurance number by HMRC's letter rules (no checksum exists)."""
    return _NINO.fullmatch(value.translate(_NOT_ALNUM)) is not None


def _cn_valid(value: str) -> bool:
    compact = value.translate(_NOT_ALNUM)
    if not "11" <= compact[:2] <= "65":
        return False
    try:
        return bool(ric.is_valid(compact))
    except KeyError:  # python-stdnum's birth-place lookup raises for some unlisted county codes
        return False


def _es_valid(value: str) -> bool:
    compact = value.translate(_NOT_ALNUM)
    return bool(nie.is_valid(compact) if compact[0] in "XYZ" else dni.is_valid(compact))


def _stdnum(module: object) -> Callable[[str], bool]:
    is_valid: Callable[[str], bool] = module.is_valid  # type: ignore[attr-defined]
    return lambda value: bool(is_valid(value.translate(_NOT_ALNUM)))


class _Form(NamedTuple):
    """One printed form: ``literal`` is its whole shape (a CN id's last character aside),
    found in the separator shape with ``on_sep``; ``alone`` forbids more digit groups joined
    to it by separators (a 4-4-4 run inside a card number)."""

    name: str
    literal: bytes
    valid: Callable[[str], bool]
    on_sep: bool = False
    alone: bool = False


_NIR = _stdnum(nir)


def _nir_compact(value: str) -> bool:
    """15 bare digits: the mod-97 key, and a NIR's head as well (sex 1/2, or 7/8 for a
    temporary number; a month 01-12, 20 or 30-42 unknown/overseas, 50+ for some overseas
    registrations), so that about one 15-digit run in 2,000 passes (IMEI, tracking numbers)."""
    month = value[3:5]
    month_ok = "01" <= month <= "12" or month == "20" or "30" <= month <= "42" or month >= "50"
    return value[0] in "1278" and month_ok and _NIR(value)


def _nir_corsica(value: str) -> bool:
    """A NIR born in Corsica: department ``2A``/``2B`` in place of two digits (the key is
    computed with 19/18 for them, which `stdnum.fr.nir` does), and a NIR's head."""
    compact = value.translate(_NOT_ALNUM)
    return compact[5:7] in ("2A", "2B") and _nir_compact(compact)


# CPF check-digit weights over the first nine digits (`stdnum.br.cpf`), as one map call.
_CPF_W1 = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_CPF_W2 = (11, 10, 9, 8, 7, 6, 5, 4, 3)


def _cpf_compact(value: str) -> bool:
    """11 ASCII digits with both CPF check digits. The sums are taken here first: about one
    11-digit run in 100 passes, and only that one pays for `cpf.is_valid` (the final word)."""
    raw = value.encode("ascii")
    first = (11 - (sum(map(mul, raw[:9], _CPF_W1)) - 48 * 54)) % 11 % 10
    second = (11 - (sum(map(mul, raw[:9], _CPF_W2)) - 48 * 63 + 2 * first)) % 11 % 10
    if raw[9] - 48 != first or raw[10] - 48 != second:
        return False
    return value.count(value[0]) != len(value) and bool(cpf.is_valid(value))


# Each form under a piece of it that the separator shape (`.` and `/` read as `s`) must hold:
# one C-speed test skips a whole group (7 digits in a row: NIR, DNI, NIE, CN; the 2-2-2 of a
# spaced NIR or NINO; ...). Most texts pass none or one.
_GROUPS: tuple[tuple[bytes, tuple[_Form, ...]], ...] = (
    (b"0000000", (
        _Form("fr_nir", b"0000000000000s00", _NIR, on_sep=True, alone=True),
        _Form("fr_nir_compact", b"000000000000000", _nir_compact, alone=True),
        _Form("es_dni", b"00000000A", _es_valid),
        _Form("es_dni", b"00000000sA", _es_valid),
        _Form("es_nie", b"A0000000A", _es_valid),
        _Form("cn_ric", b"00000000000000000", _cn_valid),
        _Form("cn_ric", b"000000s00000000s000", _cn_valid, on_sep=True, alone=True),
        # 11 bare digits with both CPF check digits (one run in 100 passes: the price is that
        # one 11-digit phone or order number in 100 is dropped instead of tokenized).
        _Form("br_cpf_compact", b"00000000000", _cpf_compact, alone=True),
    )),
    (b"000000A", (
        _Form("gb_nino", b"AA000000A", nino_valid),
        _Form("fr_nir", b"000000A00000000", _nir_corsica, alone=True),  # Corsica: `2A`, `2B`
    )),
    (b"s0As", (_Form("fr_nir", b"0s00s00s0As000s000s00", _nir_corsica, on_sep=True, alone=True),)),
    (b"0000s0000s0000", (_Form("in_aadhaar", b"0000s0000s0000", _stdnum(aadhaar), on_sep=True, alone=True),)),
    (b"s00s00s00s", (
        _Form("fr_nir", b"0s00s00s00s000s000s00", _NIR, on_sep=True, alone=True),
        _Form("gb_nino", b"AAs00s00s00sA", nino_valid, on_sep=True),
    )),
    (b"00A00A000A", (_Form("it_cf", b"AAAAAA00A00A000A", _stdnum(codicefiscale)),)),
    (b"000s000s000s00", (_Form("br_cpf", b"000.000.000s00", _stdnum(cpf)),)),
)  # fmt: skip

# Where each form holds its group's hint, read in the separator shape (where the hint is
# found; `.` and `/` read as `s` there): an occurrence of the form at `q` has the hint at
# `q + offset`, so none begins before the hint's first occurrence minus the offset.
_HINT_OFFSET: dict[tuple[bytes, bytes], int] = {
    (hint, form.literal): form.literal.replace(b".", b"s").replace(b"/", b"s").index(hint)
    for hint, forms in _GROUPS
    for form in forms
}  # `index` raises at import if a hint were no part of its form

# One separator between every digit (``9 7 3 0 3 6 2 4 4 9 8 4``), by digit count: the checksum
# is the only filter there, so only the forms with a strong one (Verhoeff; mod 97 over 13). One
# separator throughout, or another one between the printed groups (Aadhaar 4-4-4).
_PER_DIGIT: dict[int, tuple[str, Callable[[str], bool], tuple[int, ...]]] = {
    12: (
        "in_aadhaar_per_digit",
        lambda digits: digits[0] in "23456789" and bool(aadhaar.is_valid(digits)),
        (4, 8),
    ),
    15: ("fr_nir_per_digit", _NIR, ()),
}

_RUN_MIN, _RUN_MAX = 2 * min(_PER_DIGIT) - 1, 4 * max(_PER_DIGIT) - 3


class NationalIdDetector:
    """``NATIONAL_ID``: checksummed national ids of other countries in their printed shapes."""

    name = "national_id"
    KIND = "NATIONAL_ID"
    FORMS: ClassVar[tuple[_Form, ...]] = tuple(form for _, forms in _GROUPS for form in forms)

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        sepshape = found.sepshape
        for hint, forms in _GROUPS:
            first = sepshape.find(hint)
            if first != -1:  # the common case is no: one C-speed search, no call
                yield from self._forms(text, found, forms, hint, first)
        for start, end in per_digit_runs(text):  # shared and cached: most texts have none
            if not _RUN_MIN <= end - start <= _RUN_MAX:
                continue  # 12 or 15 digits with 1-3 separators each: the common run is shorter
            digits = text[start:end].translate(_NOT_ALNUM)
            check = _PER_DIGIT.get(len(digits))
            if (
                check is not None
                and check[1](digits)
                and grouped_at(digit_separators(text, start, end), check[2])
            ):
                yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, check[0])

    def _forms(
        self, text: str, found: Scan, forms: tuple[_Form, ...], hint: bytes, first: int
    ) -> Iterator[Span]:
        """The forms of one group, whose ``hint`` first occurs at ``first`` in the separator
        shape: each form's search starts where an occurrence can begin (`_HINT_OFFSET`)."""
        shape = found.shape
        for form in forms:
            sep = found.sepshape if form.on_sep else shape
            # Memoized, and no `in` test first: that would scan the shape twice when it holds one.
            begin = max(0, first - _HINT_OFFSET[hint, form.literal])
            for start in found.literal_hits(form.literal, sep=form.on_sep, start=begin):
                end = start + len(form.literal)
                if form.name == "cn_ric":
                    # One more digit or an `X` after the 17 (or 6-8-3) digits.
                    if not (text[end : end + 1] == "X" or shape[end : end + 1] == b"0"):
                        continue
                    end += 1
                if not (free_before(text, shape, start) and free_after(text, shape, end)):
                    continue
                joined = _RUN_BEFORE.search(sep, max(0, start - 4), start) or _RUN_AFTER.match(sep, end)
                if form.alone and (joined or _dash_glued(text, shape, start, end)):
                    continue
                if (
                    form.name == "gb_nino"
                    and form.literal[2:3] == b"0"
                    and _PRODUCT.search(text, max(0, start - 16), start)
                ):
                    continue  # `Model CG967367D`: a product code after its word
                if form.valid(text[start:end]):
                    yield Span(start, end, self.KIND, f"rules:{self.name}", 1.0, form.name)
