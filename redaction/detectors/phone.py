"""Phone numbers in international and national formats, checked with libphonenumber.

One regex pass finds digit runs shaped like a phone number: groups split by spaces, `-`,
`.`, `/`, parentheses or one line break, with an optional `+`, `(+86)` or `(0)`, not glued to
letters (`7628X`, `SO63858597`), to a `-` or `.` run (`ORD-2885832`, `10.0.20778.1102`) or to
money and percentages. Most runs are rejected by cheap checks before libphonenumber is asked
anything: fewer than 7 or more than 15 digits, dates (`2024-10-05`, `01.05.2023`), IPs and
other dotted runs, decimals, SSN-shaped `123-45-6789` (the SSN detector's), a one-digit last
group (ISBN-10, part numbers), or a label naming another identifier just before it
(`Routing number`, `Passport number`, `Card on file:`).

A survivor is checked for a short list of regions chosen by its prefix: `+` / `00` numbers
as international, a leading trunk `0` for the regions that dial one (GB, DE, FR, KR, CN, IN,
IT, ...), anything else for US/CA (area code and exchange must be well formed), CN mobiles
and IN mobiles. It must have a possible length there, and then one of:

- a contact word just before it (`phone`, `tel`, `call`, `mobile`, `reach`, `number`,
  `Telefon`, `coordonnées`, `연락처`, `电话`, ...);
- digits grouped the way the region writes them (`(415) 555-0100`, `020 7946 0958`,
  `02-984-9667`, or coarser with the area code split off: `0171/80562462`), by an
  international prefix (the `+` is the strongest signal a text can give), a well-formed US
  number or a trunk `0`; or grouped otherwise but a valid number;
- one bare run: after a `+`, or with a trunk `0`, 10 digits or more and valid (`07775176066`).

A bare run without `+` or trunk `0` (`4294967296`, `2147483647`, an id in a log) is a phone
number only after a contact word: such runs are counts and ids at least as often.

When a run is rejected as a whole, a part cut off at a space or line break is tried if it
carries phone syntax of its own (`2024-10-05 415-555-0100`, `415-555-0100 2024`); the parts of
a space-grouped run (a card number, an IBAN's tail) never are.

Digits are ASCII: the detection view has already folded full-width digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import ClassVar

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, ValidationResult

from .._spans import Span
from ._base import Pattern, PatternDetector

__all__ = ["PhoneDetector"]

# Between groups: a space, `-` or `.` (spaces around allowed), a bare `/`, then one line
# break at most. `a / b` is a list, not one number.
_SEP = r"(?:[ \t]?[\-.][ \t]?|[ \t]|/)?+\n?+"
# The first character is a plain class and the "not glued" check a lookbehind after it, so
# the regex engine can skip ahead to the next digit, `(` or `+` at C speed. Groups are
# possessive and split by separators they cannot contain: linear on any input.
_CANDIDATE = re.compile(
    r"[0-9(+]"
    r"(?<![A-Za-z0-9_.,/+\-#$€£¥%@&][0-9(+])"
    r"(?=\+?(?:[() \t\-./\n]{0,3}+[0-9]){6})"  # 7 digits ahead: short numbers cost one step
    # Not an IPv4 address or a calendar date (the usual long digit runs of logs), at C speed.
    r"(?![0-9]{0,2}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9]|\.[0-9]))"
    r"(?!(?<=[12])[0-9]{3}([-./])[0-9]{1,2}\1[0-9]{1,2}(?![0-9]|[-./][0-9]))"
    r"(?!(?<=[0-9])[0-9]?([-./])[0-9]{1,2}\2(?:[0-9]{4}|[0-9]{2})(?![0-9]|[-./][0-9]))"
    r"(?>(?:(?<=\()\+?[0-9]{1,15}+|(?<=\+)[0-9]{1,15}+|(?<=[0-9])[0-9]{0,14}+)\)?"
    rf"(?:{_SEP}\(?[0-9]{{1,15}}+\)?){{0,9}}+)"
    r"(?:[ \t]?(?:ext\.?|x)[ \t]?[0-9]{1,6}+)?"
    # Not followed by more of a token or a decimal part (money after it: see `_accepted`).
    r"(?![A-Za-z0-9_@]|[.,/\-+][0-9])"
)

_DIGITS = re.compile(r"[0-9]+")
_SPLIT = re.compile(r"([0-9]+)")
_ANY_DIGIT = re.compile(r"[0-9]")
_NANP = re.compile(r"[2-9][0-9]{2}[2-9][0-9]{6}")
_EXTENSION = re.compile(r"[ \t]?(?:ext\.?|x)[ \t]?[0-9]{1,6}\Z")
_WHITESPACE_CUT = re.compile(r"(?<=[0-9])[ \t\n]+(?=[0-9(+])")
_MONEY_AFTER = re.compile(r"[ \t]?[%€$£¥](?![ \t]?[0-9])")  # a unit after, not a `$0` next
_LAST_SPACE_CUT = re.compile(r"(?<=[0-9])[ \t]+[0-9]+\Z")
_SELF_EVIDENT = re.compile(r"\A[(+]|[0-9][\-./)]\(?[0-9]")

# A contact word shortly before the number relaxes validation (any grouping, possible numbers).
# Word sets, not regex alternations: looking up the few words before a candidate is cheap.
_CONTEXT_WINDOW = 48
# Digits and ASCII punctuation break words: `email=(x@y.io),tel:` ends in the word `tel`.
_BREAKS = "0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_WORD_BREAKS = bytes.maketrans(_BREAKS.encode(), b" " * len(_BREAKS))
_CONTEXT_WORDS = frozenset(
    [
        "phone", "phones", "telephone", "tel", "ph", "mobile", "mob", "cell", "cellphone", "call",
        "calls", "called", "calling", "dial", "sms", "texted", "fax", "whatsapp", "viber",
        "telegram", "hotline", "helpline", "contact", "contacts", "reach", "reached", "number",
        "numbers", "numéro", "téléphone", "tél", "portable", "joindre", "appeler", "coordonnées",
        "telefon", "telefonnummer", "rufnummer", "handy", "mobil", "mobilnummer", "erreichen",
        "erreichbar", "anrufen", "nummer", "teléfono", "telefono", "móvil", "movil", "celular",
        "cellulare", "llamar", "número", "numero", "telefone", "telefoon", "bellen",
    ]
)  # fmt: skip
_CONTEXT_CJK = ("電話", "电话", "手机", "手機", "联系", "聯絡", "携帯", "연락처", "전화", "휴대폰", "핸드폰")
# A label naming another identifier right before the number wins over any contact word:
# `Routing number 222441489`, `Passport number 694600530`, `Card on file: 4723 ...`.
_OTHER_ID_WORDS = frozenset(
    [
        "routing", "aba", "iban", "swift", "bic", "passport", "ssn", "card", "account", "acct",
        "isbn", "ean", "upc", "gtin", "sku", "serial", "invoice", "order", "ticket", "tracking",
        "policy", "claim", "reference", "ref", "confirmation", "booking", "reservation",
        "transaction", "txn", "license", "licence", "permit", "vin", "imei", "iccid", "meid",
    ]
)  # fmt: skip
# These name another identifier only with `id`/`no`/`number` after them (`patient id`, not
# `contact the patient on`).
_OTHER_ID_OWNERS = frozenset(
    ["customer", "client", "user", "member", "employee", "patient", "student", "record", "tax", "vat"]
)
_ID_NOUNS = frozenset(["id", "no", "nr", "number", "num"])
_LABEL_FILLER = frozenset(["on", "file", "used", "is", "was", "are", "the", "of", "a"]) | _ID_NOUNS

# Regions dialled with a trunk 0, most common first; IT keeps its 0 in the number itself.
_TRUNK_REGIONS = ("GB", "DE", "FR", "KR", "CN", "IN", "IT", "NL", "BE", "AT", "CH", "AU", "JP", "IE", "ZA")
_COUNTRY_CODE = {region: phonenumbers.country_code_for_region(region) for region in _TRUNK_REGIONS}


def _trunk_regions_by_length() -> dict[int, tuple[str, ...]]:
    """Regions where a national number of n digits (trunk 0 included) has a possible length:
    the same test as `is_possible_number`, done once per region instead of per candidate."""
    by_length: dict[int, list[str]] = {}
    for region in _TRUNK_REGIONS:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is None or metadata.general_desc is None:
            raise RuntimeError(f"phonenumbers has no metadata for {region}")
        for length in metadata.general_desc.possible_length:
            # IT dials its 0 as part of the number; elsewhere the trunk 0 is one extra digit.
            by_length.setdefault(length if region == "IT" else length + 1, []).append(region)
    return {n: tuple(r for r in _TRUNK_REGIONS if r in regions) for n, regions in by_length.items()}


_TRUNK_REGIONS_BY_LENGTH = _trunk_regions_by_length()
_NATIONAL = PhoneNumberFormat.NATIONAL
_INTERNATIONAL = PhoneNumberFormat.INTERNATIONAL


def _words(text: str) -> list[str]:
    # bytes.translate is several times faster than str.translate; UTF-8 keeps every
    # non-ASCII character's bytes >= 0x80, so only ASCII breaks are touched.
    # `surrogatepass`: any str is valid input, lone surrogates included.
    raw = text.lower().encode("utf-8", "surrogatepass")
    return raw.translate(_WORD_BREAKS).decode("utf-8", "surrogatepass").split()


def _is_date(groups: list[str], lens: list[int]) -> bool:
    """`2024-10-05`, `05/10/2024`, `01.05.23`: three groups that read as a calendar date."""
    a, b, c = lens
    if a == 4 and b <= 2 and c <= 2:
        return 1 <= int(groups[1]) <= 12 and 1 <= int(groups[2]) <= 31
    if a <= 2 and b <= 2 and c in (2, 4):
        first, second = int(groups[0]), int(groups[1])
        return 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12
    return False


def _cheap_reject(groups: list[str], seps: list[str], international: bool) -> bool:
    """Shapes that are never (or not this detector's) phone numbers, decided without parsing."""
    lens = list(map(len, groups))
    n = sum(lens)
    if n < 7 or n > 15 or (not international and n > 12):
        return True
    if len(lens) > 1 and lens[-1] == 1:  # ISBN-10 check digit, part numbers
        return True
    kinds = {s.strip(" \t()") for s in seps}
    if kinds == {"."}:  # dotted: versions, IPs, decimals; phones use >= 3 groups of >= 2
        if len(lens) < 3 or min(lens[1:] if international else lens) < 2:
            return True
        if len(lens) == 4 and max(lens) <= 3:
            return True  # an IPv4 address
    if len(lens) != 3 or international:
        return False
    if lens == [3, 2, 4] and kinds <= {"-", ""}:
        return True  # SSN
    return kinds <= {"-", ".", "/"} and _is_date(groups, lens)


def _boundaries(groups: list[str]) -> frozenset[int]:
    """Where a grouping splits the digits, counted from the right end."""
    cuts: set[int] = set()
    total = 0
    for group in reversed(groups[1:]):
        total += len(group)
        cuts.add(total)
    return frozenset(cuts)


@lru_cache(maxsize=4096)
def _format_cuts(
    country_code: int, national_number: int, zeros: int
) -> tuple[frozenset[int], frozenset[int], int]:
    """Splits of the national format, of both formats, and the significant number's length."""
    number = PhoneNumber(
        country_code=country_code,
        national_number=national_number,
        italian_leading_zero=True if zeros else None,
        number_of_leading_zeros=zeros or None,
    )
    significant = len(str(national_number)) + zeros
    national = _boundaries(_DIGITS.findall(phonenumbers.format_number(number, _NATIONAL)))
    international = _boundaries(_DIGITS.findall(phonenumbers.format_number(number, _INTERNATIONAL)))
    return national, national | international | {significant}, significant


def _grouped(cuts: frozenset[int], number: PhoneNumber) -> bool:
    """The text groups the digits as the region does: every split is one the national or
    international format makes, and the first split (trunk and area code) is the format's own.
    `0171/80562462` passes for DE `0171 80562462`; `0279 9772 47` fails for FR `02 79 97 72 47`.
    """
    zeros = (number.number_of_leading_zeros or 1) if number.italian_leading_zero else 0
    national, everywhere, significant = _format_cuts(
        number.country_code or 0, number.national_number or 0, zeros
    )
    if not cuts <= everywhere:
        return False
    inner = cuts - {significant}
    return not inner or max(inner) == max(national - {significant}, default=0)


@lru_cache(maxsize=4096)
def _valid(country_code: int, national_number: int, zeros: int) -> bool:
    number = PhoneNumber(
        country_code=country_code,
        national_number=national_number,
        italian_leading_zero=True if zeros else None,
        number_of_leading_zeros=zeros or None,
    )
    return phonenumbers.is_valid_number(number)


def _is_valid(number: PhoneNumber) -> bool:
    zeros = (number.number_of_leading_zeros or 1) if number.italian_leading_zero else 0
    return _valid(number.country_code or 0, number.national_number or 0, zeros)


def _plain_shape(digits: str) -> bool:
    """A bare run without trunk 0 could be a US/CA number (with or without its leading 1), a CN
    mobile or an IN mobile: checked on characters before anything slower."""
    if len(digits) == 10:
        return digits[0] in "6789" or (digits[0] in "23456789" and digits[3] in "23456789")
    if len(digits) == 11 and digits[0] == "1":
        return digits[1] in "3456789" or (digits[1] in "23456789" and digits[4] in "23456789")
    return False


def _possible(number: PhoneNumber) -> bool:
    return phonenumbers.is_possible_number_with_reason(number) == ValidationResult.IS_POSSIBLE


@lru_cache(maxsize=4096)
def _national_readings(digits: str) -> tuple[tuple[PhoneNumber, bool], ...]:
    """(number, is_us) for each listed region where the digits have a possible length.

    Numbers are built directly (a `parse` costs 15 times more), possible lengths come from a
    table, and validity is left to the caller, which rarely needs it.
    """
    readings: list[tuple[PhoneNumber, bool]] = []
    if digits[0] == "0":
        for region in _TRUNK_REGIONS_BY_LENGTH.get(len(digits), ()):
            if region == "IT":
                number = PhoneNumber(
                    country_code=39, national_number=int(digits), italian_leading_zero=True,
                    number_of_leading_zeros=len(digits) - len(digits.lstrip("0")),
                )  # fmt: skip
            else:
                if digits[1] == "0":
                    continue  # `00` is the international prefix there, not a trunk
                number = PhoneNumber(country_code=_COUNTRY_CODE[region], national_number=int(digits[1:]))
            readings.append((number, False))
        return tuple(readings)
    nanp = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
    if _NANP.fullmatch(nanp):
        readings.append((PhoneNumber(country_code=1, national_number=int(nanp)), True))
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        readings.append((PhoneNumber(country_code=86, national_number=int(digits)), False))  # CN mobile
    if len(digits) == 10 and digits[0] in "6789":
        readings.append((PhoneNumber(country_code=91, national_number=int(digits)), False))  # IN mobile
    return tuple(reading for reading in readings if _possible(reading[0]))


@lru_cache(maxsize=1024)
def _international_reading(digits: str) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse("+" + digits)
    except NumberParseException:
        return None
    return number if _possible(number) else None


class PhoneDetector(PatternDetector):
    name = "phone"
    KIND = "PHONE"
    HINTS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("phone", _CANDIDATE, score=0.85),)

    def detect(self, text: str) -> Iterator[Span]:
        # Overrides the base loop to try the parts of a run rejected as a whole.
        if not any(hint in text for hint in self.HINTS):
            return
        for pattern in self.PATTERNS:
            for match in pattern.regex.finditer(text):
                for start, end in self._accepted(text, match.start(), match.end()):
                    yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        return self._judge(match.string, match.start(), match.end())

    def _accepted(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        if _MONEY_AFTER.match(text, end):
            # `+1 415 555 2671 0$`: the last group is an amount. Deciding without it keeps the
            # answer the same once the amount has become `[AMOUNT_1]` (scrub is idempotent).
            amount = _LAST_SPACE_CUT.search(text, start, end)
            if amount is None:
                return []
            end = amount.start()
        if self._judge(text, start, end):
            return [(start, end)]
        value = text[start:end]
        if value.isdigit() or not _SELF_EVIDENT.search(value):
            return []  # no part of it could carry phone syntax of its own
        cuts = [m.span() for m in _WHITESPACE_CUT.finditer(value)]
        for cut, after in reversed(cuts):  # longest prefix first
            if _SELF_EVIDENT.search(value[:cut]) and self._judge(text, start, start + cut):
                return [(start, start + cut), *self._accepted(text, start + after, end)]
        for _, after in cuts:  # then the longest suffix
            if _SELF_EVIDENT.search(value[after:]) and self._judge(text, start + after, end):
                return [(start + after, end)]
        return []

    def _judge(self, text: str, start: int, end: int) -> bool:
        """Is ``text[start:end]`` (a candidate run) a phone number?"""
        value = text[start:end]
        if value.isdigit():  # one bare run: ids and counts in logs, mostly decided right here
            n = len(value)
            if value[0] != "0" and n not in (10, 11):
                return False  # no plain national reading (US/CA, CN or IN mobile) has that length
            if not 7 <= n <= (17 if value.startswith("00") else 12):
                return False
            if value[0] != "0" and not _plain_shape(value):
                return False
            if value[0] != "0" and self._label(text, start) != "contact":
                return False  # `4294967296`: a count or an id as often as a phone
            groups, seps = [value], []
        else:
            if "x" in value:
                extension = _EXTENSION.search(value)
                if extension:
                    value = value[: extension.start()]
            parts = _SPLIT.split(value)  # [prefix, group, sep, group, ..., suffix]
            groups, seps = parts[1::2], parts[2:-1:2]
        international = value.startswith(("+", "(+", "00"))
        # `0211 123456-0`: a switchboard's extension, written after the number as in DE and AT.
        switchboard = len(groups) > 2 and len(groups[-1]) == 1 and seps[-1] == "-" and len(groups[-2]) >= 4
        if switchboard and (international or groups[0][0] == "0"):
            del groups[-1], seps[-1]
        if (
            international
            and len(groups) > 2
            and groups[1] == "0"
            and seps[0][-1:] == "("
            and seps[1][:1] == ")"
        ):
            seps[0:2] = [seps[0] + seps[1]]  # `+44 (0)20 ...`: the trunk 0 is not dialled
            del groups[1]
        if not (international or groups[0][0] == "0") and sum(map(len, groups)) not in (10, 11):
            return False  # no plain national reading (US/CA, CN or IN mobile) has that length
        if seps and _cheap_reject(groups, seps, international):
            return False
        digits = "".join(groups)
        bare = not seps
        if international:
            number = _international_reading(digits[2:] if digits.startswith("00") else digits)
            readings: tuple[tuple[PhoneNumber, bool], ...] = () if number is None else ((number, False),)
        else:
            readings = _national_readings(digits)
        if not readings:
            return False
        label = self._label(text, start)
        if label == "other":
            return False
        context = label == "contact"
        newlines = sum("\n" in s for s in seps)
        if newlines > 1 or (newlines and not (context or international)):
            return False  # joining lines needs evidence
        if context or (international and bare):
            return True
        trunk = digits[0] == "0"
        cuts = _boundaries(groups)
        if bare and trunk and len(digits) < 10:
            return False  # short zero-padded runs are ids as often as local numbers
        for number, is_us in readings:
            if bare or _grouped(cuts, number):
                if international or is_us or (trunk and not bare) or _is_valid(number):
                    return True
            elif international and _is_valid(number):
                return True  # `+49 (0)157 6956 3291`: the `+` vouches for an odd grouping
        return False

    @staticmethod
    def _label(text: str, start: int) -> str | None:
        """What the words just before ``start`` call the number: "other" for a label naming
        another identifier (`Routing number`, `Card on file:`), "contact" for a contact word
        (`Phone:`, `call me on`), else None."""
        window = text[max(0, start - _CONTEXT_WINDOW) : start]
        words = _words(window)
        if not words:
            return None
        # The label right before the number: the last words of its own line, no digits between.
        line_start = window.rfind("\n") + 1
        if not _ANY_DIGIT.search(window, max(line_start, len(window) - 16)):
            last = (_words(window[line_start:]) if line_start else words)[-4:]
            while last and last[-1] in _LABEL_FILLER:
                noun = last.pop()
                if noun in _ID_NOUNS and last and last[-1] in _OTHER_ID_OWNERS:
                    return "other"
            if last and last[-1] in _OTHER_ID_WORDS:
                return "other"
        if not _CONTEXT_WORDS.isdisjoint(words):
            return "contact"
        return "contact" if not window.isascii() and any(w in window for w in _CONTEXT_CJK) else None
