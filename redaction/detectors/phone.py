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

Beyond the single run, four ways of writing a number are read as well:

- a bare run in a table: a whole field of a CSV/TSV row under a header that names a phone
  (`id,name,phone`, `Phone Number`, `mobile`, `电话`), or a quoted string of a SQL `VALUES (...)`
  row, under a phone column of its column list or, without one, when it is a valid number. A
  header or column list that names another column (`amount`, `ssn`) keeps the run out even
  with a contact word nearby;
- URL-encoded (`%2B44%2020%207946%200958`, `tel%3A%2B1...`, `phone=020%207946%200958`, `+` for a
  space in a form body): decoded, then judged as the plain text would be;
- digit by digit (`4 1 5 5 5 5 0 1 0 0`, `+1-4-1-5-...`): a `+`/`00` number when valid, a
  national one only after a contact word (a list of digits is a valid number somewhere as
  often as not); runs of consecutive or repeated digits (`0 1 2 3 ...`) never;
- regions written without a trunk 0: ES (`91 123 45 67`, `612 34 56 78`; `612 345 678` after a
  contact word), IT mobiles (`347 123 4567`), BR (`(11) 91234-5678`), all checked as valid.

Parentheses of the prose around a number stay outside it (`(+44 20 7946 0958)`, `..., 020
7946 0958)`); an area code's own stay inside (`(030) 901820-0`). A comma before a run splits it
from a word (`Jane,4155550100`), not from a digit (`1,234,567`).

Digits are ASCII: the detection view has already folded full-width digits.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import accumulate
from typing import ClassVar
from urllib.parse import unquote_plus

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    ValidationResult,
)
from phonenumbers.phonenumberutil import (
    _MAX_LENGTH_FOR_NSN,
    _MIN_LENGTH_FOR_NSN,
    _maybe_strip_national_prefix_carrier_code,
    _set_italian_leading_zeros_for_phone_number,
    _test_number_length,
)

from .._spans import Span
from ._base import Pattern, PatternDetector

__all__ = ["PhoneDetector"]

# Between groups: a space, `-` or `.` (spaces around allowed), a bare `/`, then one line
# break at most. `a / b` is a list, not one number.
_SEP = r"(?:[ \t]?[\-./][ \t]?|[ \t])?+\n?+"  # `030 / 123 456 78`: DIN 5008's old slash
# The first character is a plain class and the "not glued" check a lookbehind after it, so
# the regex engine can skip ahead to the next digit, `(` or `+` at C speed. Groups are
# possessive and split by separators they cannot contain: linear on any input.
_CANDIDATE = re.compile(
    r"[0-9(+]"
    # A comma splits CSV fields (`Jane,4155550100`, `42,4155550100`); the groups of `1,234,567`
    # are too short to start a candidate (the lookahead below counts no digit past a comma).
    r"(?<![A-Za-z0-9_./+\-#$€£¥%@&][0-9(+])"
    r"(?=\+?(?:[() \t\-./\n]{0,3}+[0-9]){6})"  # 7 digits ahead: short numbers cost one step
    # Not an IPv4 address or a calendar date (the usual long digit runs of logs), at C speed;
    # after a `+` four dotted groups are a number (`+61.437.406.812`).
    r"(?!(?<!\+)[0-9]{0,2}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9]|\.[0-9]))"
    r"(?!(?<=[12])[0-9]{3}([-./])[0-9]{1,2}\1[0-9]{1,2}(?![0-9]|[-./][0-9]))"
    r"(?!(?<=[0-9])[0-9]?([-./])[0-9]{1,2}\2(?:[0-9]{4}|[0-9]{2})(?![0-9]|[-./][0-9]))"
    r"(?>(?:(?<=\()\+?[0-9]{1,15}+|(?<=\+)[0-9]{1,15}+|(?<=[0-9])[0-9]{0,14}+)\)?"
    rf"(?:{_SEP}\(?[0-9]{{1,15}}+\)?){{0,15}}+)"
    r"(?:[ \t]?(?:ext\.?|x)[ \t]?[0-9]{1,6}+)?"
    # Not followed by more of a token or a decimal part (money after it: see `_accepted`);
    # `,42` is the next CSV field as often as decimals: grouped amounts (`1 234 567,89`) fail
    # the length and grouping checks of `_judge` anyway.
    r"(?![A-Za-z0-9_@]|[./\-+][0-9])"
)

_DIGITS = re.compile(r"[0-9]+")
_SPLIT = re.compile(r"([0-9]+)")
_ANY_DIGIT = re.compile(r"[0-9]")
_NANP = re.compile(r"[2-9][0-9]{2}[2-9][0-9]{6}")
_EXTENSION = re.compile(r"[ \t]?(?:ext\.?|x)[ \t]?[0-9]{1,6}\Z")
# Where a run rejected as a whole may hold two numbers: `a b`, `a . b`, `a - b`, and a bare
# `/` between digits (`+1 415 555 0132/10.0.0.1`: a list; `030/1234567` passes whole).
_WHITESPACE_CUT = re.compile(r"(?<=[0-9])(?:[ \t\n]+(?:[\-./][ \t\n]+)?|/)(?=[0-9(+])")
_MONEY_AFTER = re.compile(r"[ \t]?[%€$£¥](?![ \t]?[0-9])")  # a unit after, not a `$0` next
_MONEY_UNITS = frozenset("%€$£¥")  # one is in the two characters `_MONEY_AFTER` starts with
_LAST_SPACE_CUT = re.compile(r"(?<=[0-9])[ \t]+[0-9]+\Z")
# A number written digit by digit: every group one digit (a `+` and country code first).
_DIGIT_BY_DIGIT = re.compile(
    r"(?:\+[0-9]{1,3}+|[0-9])(?:(?:[ \t]?[\-./][ \t]?|[ \t]{1,2}+)[0-9](?![0-9])){7,15}+(?![0-9A-Za-z])"
)
_DIGIT_SEPARATORS = frozenset(" \t-./")
_SEQUENCES = "0123456789012345678901" + "0987654321098765432109"
# One number in a URL or form body: digits and encoded (or `+` for) spaces, dashes, parentheses.
_ENCODED_RUN = re.compile(
    r"(?:%2[Bb])?(?:%28)?[0-9]{1,15}+(?:(?:%20|%2[Dd]|%2[Ee]|%28|%29|[+\-.]){1,3}+[0-9]{1,15}+){0,9}+"
)
_ENCODED_DIGITS = frozenset(f"3{d}" for d in "0123456789")
_ASCII_DIGITS = "0123456789"
_SSN_SHAPED = re.compile(r"(?!00)[0-9]{3}-[0-9]{2}-[0-9]{4}")  # `00` would be a dialling prefix
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
        "telegram", "hotline", "helpline", "contact", "contacts", "reach", "reached",
        "téléphone", "tél", "portable", "joindre", "appeler", "coordonnées",
        "telefon", "telefonnummer", "rufnummer", "handy", "mobil", "mobilnummer", "erreichen",
        "erreichbar", "anrufen", "teléfono", "telefono", "móvil", "movil", "celular",
        "cellulare", "llamar", "telefone", "telefoon", "bellen",
    ]
)  # fmt: skip
# `number` alone names any id (`case number 93996888`): a contact word only with a word that
# makes it someone's line before it (`my number`, `direct number`) or `is` after it.
_NUMBER_WORDS = frozenset(["number", "numbers", "numéro", "nummer", "número", "numero"])
_NUMBER_OWNERS = frozenset(
    ["my", "your", "his", "her", "our", "their", "direct", "work", "home", "office", "landline",
     "callback", "personal", "private", "emergency", "fax", "mon", "ma", "votre", "meine", "mi", "su", "mio"]
)  # fmt: skip
_CONTEXT_CJK = (
    "電話", "电话", "回电", "手机", "手機", "联系", "聯絡", "携帯", "연락처", "전화", "휴대폰", "핸드폰",
)  # fmt: skip
# A label naming another identifier right before the number wins over any contact word:
# `Routing number 222441489`, `Passport number 694600530`, `Card on file: 4723 ...`.
_OTHER_ID_WORDS = frozenset(
    [
        "routing", "aba", "iban", "swift", "bic", "passport", "ssn", "card", "account", "acct",
        "isbn", "ean", "upc", "gtin", "sku", "serial", "invoice", "order", "ticket", "tracking",
        "policy", "claim", "reference", "ref", "confirmation", "booking", "reservation",
        "transaction", "txn", "license", "licence", "permit", "vin", "imei", "iccid", "meid",
        "case", "po", "tracking", "shipment", "parcel", "contract", "quote", "receipt", "item",
        # Products and card terminals (`Part no. 786-544-0391`, `Model 88-4248-2269`, `RRN ...`).
        "part", "model", "mpn", "catalog", "catalogue", "article", "batch", "lot", "asset", "merchant",
        "terminal", "mid", "tid", "rrn", "stan",
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
_ES_CUTS = (frozenset({2, 4, 7}), frozenset({2, 4, 6}))
_NATIONAL = PhoneNumberFormat.NATIONAL

# Tabular context for a bare run: a CSV/TSV column whose header names a phone, or a quoted
# string in a SQL row (ids are unquoted integers there; a quoted digit string is text).
_PHONE_HEADERS = frozenset(
    [
        "phone", "phones", "telephone", "tel", "mobile", "mobile_phone", "cell", "cellphone", "fax",
        "msisdn", "whatsapp", "contact_number", "phone_number", "phonenumber", "phone_no", "tel_no",
        "mobile_number", "home_phone", "work_phone", "telefon", "telefonnummer", "handy",
        "téléphone", "telephone_number", "portable", "teléfono", "telefono", "celular", "movil",
        "móvil", "cellulare", "telefone", "telefoon", "电话", "手机", "電話", "携帯", "전화번호", "연락처",
        "휴대폰",
    ]
)  # fmt: skip
_DELIMITERS = ",;\t|"
_CELL_EDGES = frozenset(_DELIMITERS + "\n")  # before a CSV field, blanks and quotes skipped
_HEADER_NORMALIZE = str.maketrans({" ": "_", "-": "_", ".": "", '"': "", "'": "", "`": ""})
_SQL_VALUES = re.compile(r"values[ \t\n]*\(", re.IGNORECASE)
_SQL_COLUMNS = re.compile(r"\(([^()\n;]{1,2000}+)\)[ \t\n]*values[ \t\n]*\(\Z", re.IGNORECASE)
_SQL_TOKEN = re.compile(r"'(?:[^'\n]|'')*+'|\"[^\"\n]*+\"|[^,'\"]++|,")
_SQL_WINDOW = 65536  # how far back `VALUES (` may be: a multi-row INSERT can be long
_HEADER_HINTS = (
    "phone", "Phone", "PHONE", "tel", "Tel", "TEL", "mobile", "Mobile", "MOBILE", "cell", "Cell", "fax",
    "Fax",
)  # fmt: skip
_INTERNATIONAL = PhoneNumberFormat.INTERNATIONAL
# Lengths after which `parse` keeps a national prefix it could strip.
_SHORT_LENGTHS = (
    ValidationResult.TOO_SHORT,
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ValidationResult.INVALID_LENGTH,
)


def _words(text: str) -> list[str]:
    # bytes.translate is several times faster than str.translate; UTF-8 keeps every
    # non-ASCII character's bytes >= 0x80, so only ASCII breaks are touched.
    # `surrogatepass`: any str is valid input, lone surrogates included.
    raw = text.lower().encode("utf-8", "surrogatepass")
    return raw.translate(_WORD_BREAKS).decode("utf-8", "surrogatepass").split()


def _trim_parentheses(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave the parentheses of prose outside: `(+44 20 7946 0958)`, `..., 020 7946 0958)`.
    An area code's own (`(030) 901820`, `(+86) 132...`) are balanced inside the span."""
    value = text[start:end]
    if value[-1] == ")" and value.count("(") < value.count(")"):
        end -= 1
    elif value[0] == "(" and value[-1] == ")" and value.find(")") == len(value) - 1:
        start, end = start + 1, end - 1  # the whole number in parentheses
    value = text[start:end]
    if value[0] == "(" and value.count("(") > value.count(")"):
        start += 1
    return start, end


# Every phone header holds one of these stems once lower-cased and stripped of `."'\``
# (`_is_phone_header` strips them too): a line without one names no phone column.
_HEADER_STEMS = re.compile(
    "phone|tel|mobil|movil|móvil|cell|celular|fax|msisdn|whatsapp|contact|handy|portable|"
    "电话|手机|電話|携帯|전화번호|연락처|휴대폰"
)
if not all(_HEADER_STEMS.search(header) for header in _PHONE_HEADERS):
    raise RuntimeError("a phone header holds none of _HEADER_STEMS")


def _is_phone_header(field: str) -> bool:
    name = field.strip().lower().translate(_HEADER_NORMALIZE)
    return name in _PHONE_HEADERS or name.removesuffix("_number") in _PHONE_HEADERS


class _Headers:
    """The CSV/TSV header rows of one text that name a phone column, found once per text on
    first use, and what `_values_keyword` found so far in it.

    Keyed like `_idscan.Scan` (identity, length, hash), never holding the text itself: what
    it keeps is offsets and column numbers.
    """

    __slots__ = (
        "_read", "blank", "ident", "length", "rows", "sql_at", "sql_columns", "sql_keyword", "sql_semicolon",
        "sql_to", "starts", "text_hash",
    )  # fmt: skip

    def __init__(self, text: str) -> None:
        self.ident, self.length, self.text_hash = id(text), len(text), hash(text)
        # SQL: how far `_values_keyword` has searched, what it found, the column lists read.
        self.sql_to, self.sql_at, self.sql_semicolon = -1, -1, -1
        self.sql_keyword: bool | None = None  # whether the text holds a `VALUES` at all
        self.sql_columns: dict[int, list[str] | None] = {}
        # (start, end, delimiter, number of fields, phone columns) of each header row, read on
        # first use (`read_rows`): a quoted value asks only about SQL.
        self.rows: list[tuple[int, int, str, int, frozenset[int]]] = []
        self.blank: list[int] = []  # offsets of empty lines: a table ends there
        self.starts: list[int] = []
        self._read = False

    def read_rows(self, text: str) -> None:
        """Find the header rows of ``text`` (the text this was built for), once."""
        if self._read:
            return
        self._read = True
        if text.isascii() and not any(word in text for word in _HEADER_HINTS):
            return  # no header can name a phone column: the common case, at C speed
        # Only a line holding a header stem can name a phone column ("hotel" in prose often
        # passes the hints above): find those lines in one pass, read only them. Lower-casing
        # and the deletions keep every line break, so a hit's line is its count of them.
        # (`replace` runs at C speed where `translate` with deletions does not.)
        probe = text.lower().replace(".", "").replace('"', "").replace("'", "").replace("`", "")
        wanted: list[int] = []
        line, pos = 0, 0
        for hit in _HEADER_STEMS.finditer(probe):
            line += probe.count("\n", pos, hit.start())
            pos = hit.start()
            if not wanted or wanted[-1] != line:
                wanted.append(line)
        if not wanted:
            return
        lines = text.split("\n")
        offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))
        for index in wanted:
            line_text = lines[index]
            if len(line_text) >= 2000:
                continue
            line_start, line_end = offsets[index], offsets[index + 1] - 1
            for delimiter in _DELIMITERS:
                if delimiter in line_text:
                    fields = line_text.split(delimiter)
                    columns = frozenset(i for i, f in enumerate(fields) if _is_phone_header(f))
                    if columns:
                        self.rows.append((line_start, line_end, delimiter, len(fields), columns))
                        break
        if self.rows:  # a table ends at an empty line
            self.blank = [offsets[i] for i, line_text in enumerate(lines) if not line_text.strip()]
        self.starts = [row[0] for row in self.rows]


_headers_slot: list[_Headers] = []  # one slot: the last text looked at


def _headers(text: str) -> _Headers:
    if _headers_slot:
        last = _headers_slot[0]
        if last.ident == id(text) and last.length == len(text) and last.text_hash == hash(text):
            return last
    found = _Headers(text)
    _headers_slot[:] = [found]
    return found


def _csv_column(text: str, start: int, end: int) -> bool | None:
    """Whether ``text[start:end]``, a whole field of a CSV/TSV row, is under a header that names
    a phone; None when it is not a field of a table with such a header."""
    # The first character before and after that is no quote or blank, on the field's line
    # (read in place, no slice of the line): none at a line break or the text's edge.
    before = start - 1
    while before >= 0 and text[before] in "\"' ":
        before -= 1
    edge_before = text[before] if before >= 0 and text[before] != "\n" else ""
    if edge_before and edge_before not in _DELIMITERS:
        return None  # the common case: a word or a label before it, no table cell
    after = end
    while after < len(text) and text[after] in "\"' ":
        after += 1
    edge_after = text[after] if after < len(text) and text[after] != "\n" else ""
    delimiter = edge_before or edge_after
    if not delimiter or delimiter not in _DELIMITERS or edge_after not in ("", delimiter):
        return None
    if edge_before not in ("", delimiter):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    headers = _headers(text)
    headers.read_rows(text)
    i = bisect_right(headers.starts, line_start - 1) - 1
    if i < 0:
        return None
    _, row_end, row_delimiter, fields, columns = headers.rows[i]
    if row_delimiter != delimiter:
        return None  # another table
    if bisect_right(headers.blank, line_start) != bisect_right(headers.blank, row_end):
        return None  # a blank line in between: the table has ended
    if text.count(delimiter, line_start, line_end) + 1 != fields:
        return None
    return text.count(delimiter, line_start, start) in columns


def _values_keyword(text: str, start: int) -> int:
    """Offset of the `VALUES (` of the SQL statement that ``start`` lies in, or -1.

    Candidates come left to right, so each call searches only the text since the previous
    one (kept on the text's `_Headers`): linear over a dump of many rows.
    """
    memo = _headers(text)
    if memo.sql_keyword is None:
        memo.sql_keyword = "VALUES" in text or "values" in text or "Values" in text
    if not memo.sql_keyword:
        return -1  # no SQL row anywhere: the common case, one C-speed test per text
    low = max(0, start - _SQL_WINDOW)
    if 0 <= memo.sql_to <= start:
        # Continue from the previous search: a long multi-row INSERT stays one statement.
        since, at, semicolon = max(0, memo.sql_to - 6), memo.sql_at, memo.sql_semicolon
        low = 0
    else:
        since, at, semicolon = low, -1, -1
    found = max(
        text.rfind("VALUES", since, start),
        text.rfind("values", since, start),
        text.rfind("Values", since, start),
    )
    at = found if found != -1 else at
    found = text.rfind(";", since, start)
    semicolon = found if found != -1 else semicolon
    memo.sql_to, memo.sql_at, memo.sql_semicolon = start, at, semicolon
    if at < low or semicolon > at:
        return -1  # none, too far, or the statement ended before ``start``
    values = _SQL_VALUES.match(text, at)
    return -1 if values is None else values.end()


def _sql_column(text: str, start: int, end: int, named: bool = False) -> bool | None:
    """For a quoted string ``text[start:end]`` of a SQL `VALUES (...)` row: whether its column
    names a phone (by the column list), None when it is in no such row. A row without a column
    list is True only for a valid number, and None with ``named``."""
    quote = text[start - 1 : start]
    if quote not in ("'", '"') or text[end : end + 1] != quote:
        return None
    values_end = _values_keyword(text, start)
    if values_end == -1:
        return None
    memo = _headers(text)
    names = memo.sql_columns.get(values_end, ())
    if names == ():
        columns = _SQL_COLUMNS.search(text, max(0, values_end - 2000), values_end)
        names = None if columns is None else columns.group(1).split(",")
        memo.sql_columns[values_end] = names
    if names is None:
        if named:
            return None
        return any(_is_valid(number) for number, _ in _national_readings(text[start:end])) or None
    # The field number in this row: commas outside quoted strings, since the row's `(`.
    row_start = text.rfind("(", values_end - 1, start) + 1
    index = sum(1 for token in _SQL_TOKEN.finditer(text, row_start, start - 1) if token.group() == ",")
    return 0 <= index < len(names) and _is_phone_header(names[index].strip().strip("`[]"))


def _table_column(text: str, start: int, end: int, named: bool = False) -> bool | None:
    """For a bare run: True in a table's phone column, False in another column of a table whose
    header is known (`id,name,phone` above, `INSERT INTO t (id, ssn) VALUES`), None when no
    table tells (a SQL row without column list: True only for a valid number, None when
    ``named`` asks for a header that names the column)."""
    column = _csv_column(text, start, end)
    if column is not None:
        return column
    return _sql_column(text, start, end, named)


# A field that names a phone, right before the number: `phone:`, `"mobile": "`, `Tel.`, a
# phone column's cell. There any 7-15 digits are the number, valid or not: a national number
# written without its trunk 0 (`30.126093`, `2.212.8653`) or digit by digit is still a phone.
_PHONE_FIELD = re.compile(
    r"(?i)(?<![^\W_])(?:phone|tel|mobile|mobil|cell|cellphone|fax|telefon|telefono|teléfono|"
    r"téléphone|telephone|portable|handy|whatsapp|msisdn|caller[ _-]?id|callerid)"
    r"(?:[ _-]?(?:number|no|nr|num|numero|número|nummer))?\.?"
    r"[\"'`]?[ \t]{0,3}[:=][ \t]{0,3}[\"'`]?[ \t]{0,2}\Z|(?:电话|電話|手机|携帯|연락처|전화번호)[：: ]{0,3}\Z"
)
# The longest match: a 9-letter word, a 7-letter suffix, a dot (`Tel.:`), 11 quotes, blanks and
# `:` (each character of the pattern matches one of the text: `(?i)` folds no character into two).
_PHONE_FIELD_WINDOW = 28
_PHONE_PUNCTUATION = str.maketrans("", "", " .-/()+")
# What may stand right before a table cell (`_csv_column`, `_sql_column`): a delimiter, a
# quote, a blank stripped before the delimiter, or a line break.
_FIELD_EDGES = frozenset(",;\t|\"' \n")
_NON_DIGIT_BYTES = bytes(c for c in range(128) if not 0x30 <= c <= 0x39)


# `_PHONE_FIELD` without `(?i)`, for an ASCII window already lower-cased: there `(?i)` folds
# nothing but A-Z (case-insensitive matching costs twice as much), and every match starts
# with one of `_FIELD_STEMS` (its word does).
_PHONE_FIELD_LOWER = re.compile(_PHONE_FIELD.pattern.removeprefix("(?i)"))
_FIELD_STEMS = re.compile("tel|phone|mobil|cell|fax|portable|handy|whatsapp|msisdn|caller")


def _phone_field_before(text: str, start: int) -> bool:
    """`_PHONE_FIELD` matches in the window before ``start`` and ends there."""
    low = max(0, start - _PHONE_FIELD_WINDOW)
    window = text[max(0, low - 1) : start]  # one more character for the look-behind
    if not window.isascii():
        return _PHONE_FIELD.search(text, low, start) is not None
    window = window.lower()
    stem = _FIELD_STEMS.search(window)
    if stem is None:
        return False
    # A match starts with its word, so at a stem: no earlier position needs a try.
    return _PHONE_FIELD_LOWER.search(window, max(stem.start(), 1 if low else 0)) is not None


def _labelled_phone(text: str, start: int, end: int) -> bool:
    """7-15 digits right after a field that names a phone, or in a phone column of a table."""
    # `_PHONE_FIELD` ends in `:`/`=` and at most 6 quotes or blanks, or in a CJK label: without
    # either in the last 7 characters it cannot match (one slice instead of a regex search).
    tail = text[max(0, start - 7) : start]
    field = "=" in tail or ":" in tail or not tail.isascii()
    # A table cell (`_csv_column`, `_sql_column`) stands after a quote, or after a delimiter or
    # a line break once blanks and quotes are skipped; where neither can say yes, no call.
    cell = not start or text[start - 1] in _FIELD_EDGES
    if cell and text[start - 1 : start] not in ("'", '"'):
        before = start - 1
        while before >= 0 and text[before] in "\"' ":
            before -= 1
        cell = before < 0 or text[before] in _CELL_EDGES
    if not (field or cell):
        return False  # prose (`call me on 415...`), the common case: decided before counting
    value = text[start:end]
    if "\n" in value:
        return False  # a run over a line break is judged with its line's evidence, below
    # Digits counted at C speed (candidates are ASCII); any other text the exact slow way.
    raw = value.encode("ascii") if value.isascii() else None
    digits = (
        len(raw.translate(None, _NON_DIGIT_BYTES)) if raw is not None else sum(c.isdigit() for c in value)
    )
    if not 7 <= digits <= 15:
        return False
    if field and _phone_field_before(text, start):
        # `caller_id` also names a record's key (`caller_id: 7654321`): a phone there has 10+ digits.
        return digits >= 10 or "caller" not in text[max(0, start - 14) : start].lower()
    if not cell:
        return False
    if raw is not None:  # bytes: `str.translate` with deletions is slow
        bare = raw.translate(None, b" .-/()+").isdigit()
    else:
        bare = value.translate(_PHONE_PUNCTUATION).isdigit()
    return bool(bare and _table_column(text, start, end, named=True))


# A phone's own label right before a number no reading vouches for: a phone noun ("Tel:",
# "mobile", "my cell is") or a person asked to call ("call me at", "reach us on"). The bare verb
# is not enough: "Call duration was 176-7416 ms", "API call returned 864654553 bytes".
_STRONG_CONTACT = re.compile(
    r"(?i)(?:(?<![a-z])(?:phone|tel|telephone|mobile|cell ?phone|cellphone|handy|whatsapp|fax|t[ée]l[ée]phone"
    r"|telefon|tel[ée]fono|telefone|portable|m[óo]vil|celular|cellulare)(?:[ \t]+(?:number|no\.?|nr\.?|#))?"
    r"\.?[ \t]*[:#]?[ \t]*"
    r"|(?<![a-z])(?:call|reach|text|ring|contact|phone|message|sms)[ \t]+(?:(?:me|us|him|her|them)"
    r"(?:[ \t]+(?:at|on))?|(?-i:[A-Z][a-z]{1,20})[ \t]+(?:at|on))[ \t]*:?[ \t]*"  # "call Anna at"
    r"|(?<![a-z])my[ \t]+(?:cell|mobile|phone|number)(?:[ \t]+(?:is|was))?"
    r"[ \t]*:?[ \t]*)\Z"
)
# A unit or a counted noun after the digits: "1234 5678 ms", "765404690 calls", "... bytes".
_UNIT_AFTER = re.compile(
    r"[ \t]*(?:%|(?:ms|s|secs?|seconds?|mins?|minutes?|hours?|bytes?|[kmg]i?b|chunks?|rows?|items?|times?"
    r"|calls?|frames?|nodes?|records?|requests?|users?|files?|lines?|errors?|events?|points?|units?|cells?)\b)",
    re.IGNORECASE,
)


def _strong_contact(text: str, start: int) -> bool:
    return _STRONG_CONTACT.search(text, max(0, start - 40), start) is not None


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
    if kinds == {"."} and not international:  # versions, IPs, decimals; `+31.6.12348824` is none
        if len(lens) == 2 and groups[0][:1] == "0" and lens[0] >= 3 and lens[1] >= 5:
            return False  # `07400.128770`: a trunk 0 and the national split (GB mobiles)
        if len(lens) < 3 or min(lens) < 2:
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
    mobile, an IN, IT or ES mobile or a BR number: checked on characters before anything slower."""
    if len(digits) == 9:
        return digits[0] in "3678"
    if len(digits) == 10:
        return digits[0] in "36789" or (digits[0] in "23456789" and digits[3] in "23456789")
    if len(digits) == 11 and digits[0] == "1":
        return digits[1] in "3456789" or (digits[1] in "23456789" and digits[4] in "23456789")
    return False


@cache
def _possible_length(country_code: int | None, length: int) -> bool:
    if country_code not in COUNTRY_CODE_TO_REGION_CODE:
        return False
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    return (
        metadata is not None and _test_number_length("0" * length, metadata) == ValidationResult.IS_POSSIBLE
    )


def _possible(number: PhoneNumber) -> bool:
    """`is_possible_number_with_reason(number) == IS_POSSIBLE`, which depends only on the
    country code and the length of the national significant number: looked up per pair."""
    zeros = 0
    if number.italian_leading_zero:
        zeros = 1 if number.number_of_leading_zeros is None else max(0, number.number_of_leading_zeros)
    return _possible_length(number.country_code, zeros + len(str(number.national_number)))


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
    # Regions dialled without a trunk 0: ES (9 digits), IT mobiles (`347 123 4567`), BR written
    # with its area code in parentheses and no trunk (`(11) 91234-5678`).
    if len(digits) == 9 and digits[0] in "6789":
        readings.append((PhoneNumber(country_code=34, national_number=int(digits)), False))
    if len(digits) in (9, 10) and digits[0] == "3":
        readings.append((PhoneNumber(country_code=39, national_number=int(digits)), False))
    brazil = len(digits) == 10 or (len(digits) == 11 and digits[2] == "9")
    if brazil and digits[0] != "0" and digits[1] != "0":
        readings.append((PhoneNumber(country_code=55, national_number=int(digits)), False))
    return tuple(reading for reading in readings if _possible(reading[0]))


def _column_valid(digits: str) -> bool:
    """A bare run of a phone column, written without its trunk 0 or as a BR number."""
    if any(_is_valid(number) for number, _ in _national_readings("0" + digits)):
        return True
    return _valid(55, int(digits), 0)


@cache
def _national_prefix(country_code: int, pattern: str | None) -> re.Pattern[str] | None:
    """The region's `national_prefix_for_parsing`, compiled once (`parse` looks it up in the
    `re` module's cache on every call)."""
    return re.compile(pattern) if pattern else None


def _parse_international(digits: str) -> PhoneNumber | None:
    """`phonenumbers.parse("+" + digits)`, or None where it raises, for a run of ASCII digits.

    The same steps as `parse` takes for such input, minus its string handling (extracting,
    normalizing and re-validating the characters of free-form input), which costs most of a
    parse: an ASCII digit string is already what those steps produce. Anything else goes to
    `parse` itself. tests/detectors/test_phone.py checks the two agree.
    """
    if not (2 < len(digits) <= _MAX_LENGTH_FOR_NSN + 3 and digits.isascii() and digits.isdigit()):
        try:
            return phonenumbers.parse("+" + digits)
        except NumberParseException:
            return None
    if digits[0] == "0":
        return None  # a country calling code never starts with 0
    for size in (1, 2, 3):
        country_code = int(digits[:size])
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None  # no country calling code
    national = digits[size:]
    if len(national) < _MIN_LENGTH_FOR_NSN:
        return None
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, phonenumbers.region_code_for_country_code(country_code)
    )
    if metadata is None:
        return None  # not reached: every listed code has metadata (`parse` asserts it)
    # A national prefix written after the country code (`+44 0 20 ...`) is dropped when what
    # remains has a possible length, as `parse` does. Where the region's prefix pattern does
    # not match, `parse` keeps the number as it is: tested first with a compiled pattern.
    prefix = _national_prefix(country_code, metadata.national_prefix_for_parsing)
    if prefix is not None and prefix.match(national):
        _, stripped, _ = _maybe_strip_national_prefix_carrier_code(national, metadata)
        if _test_number_length(stripped, metadata) not in _SHORT_LENGTHS:
            national = stripped
    if not _MIN_LENGTH_FOR_NSN <= len(national) <= _MAX_LENGTH_FOR_NSN:
        return None
    number = PhoneNumber(country_code=country_code)
    _set_italian_leading_zeros_for_phone_number(national, number)
    number.national_number = int(national)
    return number


@lru_cache(maxsize=1024)
def _international_reading(digits: str) -> PhoneNumber | None:
    number = _parse_international(digits)
    return number if number is not None and _possible(number) else None


class PhoneDetector(PatternDetector):
    name = "phone"
    KIND = "PHONE"
    HINTS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("phone", _CANDIDATE, score=0.85),)

    def detect(self, text: str) -> Iterator[Span]:
        # Overrides the base loop to try the parts of a run rejected as a whole.
        if not any(hint in text for hint in self.HINTS):
            return
        pattern = self.PATTERNS[0]
        source = f"rules:{self.name}"
        covered = 0  # end of the last digit-by-digit number: its tail is no new candidate
        for match in pattern.regex.finditer(text):
            start, end = match.span()
            if start < covered:
                continue
            if text[start] == "+" or text[start + 1] in _DIGIT_SEPARATORS:
                spaced = self._spaced(text, start)
                if spaced is not None:
                    covered = spaced
                    yield Span(start, spaced, self.KIND, source, pattern.score, "spaced")
                    continue
            if text[start] == "(" or text[end - 1] == ")":
                start, end = _trim_parentheses(text, start, end)
            for found_start, found_end in self._accepted(text, start, end):
                yield Span(found_start, found_end, self.KIND, source, pattern.score, pattern.name)
        if "%2" in text:
            for start, end in self._url_encoded(text):
                yield Span(start, end, self.KIND, source, pattern.score, "url-encoded")

    def _spaced(self, text: str, start: int) -> int | None:
        """The end of a number written digit by digit from ``start`` (`+1 4-1-5-...`, or
        `4 1 5 5 5 5 0 1 0 0` after a contact word), valid once the separators are gone;
        None if there is none."""
        run = _DIGIT_BY_DIGIT.match(text, start)
        if run is None:
            return None
        value = run.group()
        digits = "".join(_DIGITS.findall(value))
        if len(set(digits)) < 3 or digits in _SEQUENCES:
            return None  # `0 1 2 3 4 5 6 7 8 9`, `1 1 1 1 ...`: counting, not dialling
        if self._label(text, start) == "other":
            return None
        if value[0] == "+":
            number = _international_reading(digits)
            return run.end() if number is not None and _is_valid(number) else None
        if digits.startswith("00"):
            number = _international_reading(digits[2:])
            return run.end() if number is not None and _is_valid(number) else None
        if len(digits) not in (10, 11):
            return None
        if self._label(text, start) != "contact":
            # `rows: 3 5 2 8 1 9 4 7 6 0`: a list of digits is often a valid number somewhere.
            return None
        return run.end() if any(_is_valid(number) for number, _ in _national_readings(digits)) else None

    def _url_encoded(self, text: str) -> Iterator[tuple[int, int]]:
        """Numbers in a URL or form body: `%2B44%2020%207946%200958`, `tel%3A%2B1415...`,
        `phone=020%207946%200958`. Decoded, then judged as the plain text would be."""
        hits: list[int] = []
        for needle in ("%2B", "%2b", "%20", "%2D", "%2d", "%28"):
            at = text.find(needle)
            while at != -1:
                hits.append(at)
                at = text.find(needle, at + 3)
        hits.sort()
        covered = 0
        for at in hits:
            if at < covered:
                continue
            start = at
            if text[at + 2] not in "Bb(8":
                while start > 0 and text[start - 1] in _ASCII_DIGITS:
                    start -= 1  # `020%207946`: the run starts at the digits before the space
                if start == at:
                    continue
                if text[max(0, start - 3) : start] in ("%2B", "%2b", "%28"):
                    start -= 3
            glued = start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")
            if glued and text[start - 3 : start - 2] != "%":
                continue  # glued to a word: `v2%20final`, `page%201` (`tel%3A` is a `:`)
            run = _ENCODED_RUN.match(text, start)
            if run is None:
                continue
            end = run.end()
            covered = end
            glued_after = text[end : end + 1].isalnum() or (
                text[end : end + 1] == "%" and text[end + 1 : end + 3] in _ENCODED_DIGITS
            )
            if glued_after:
                continue
            decoded = unquote_plus(run.group())
            prefix = text[max(0, start - _CONTEXT_WINDOW) : start]
            probe = prefix + decoded
            if self._judge(probe, len(prefix), len(probe)):
                yield start, end

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        return self._judge(match.string, match.start(), match.end())

    def _accepted(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        if not _MONEY_UNITS.isdisjoint(text[end : end + 2]) and _MONEY_AFTER.match(text, end):
            # `+1 415 555 2671 0$`: the last group is an amount. Deciding without it keeps the
            # answer the same once the amount has become `[AMOUNT_1]` (scrub is idempotent).
            amount = _LAST_SPACE_CUT.search(text, start, end)
            if amount is None:
                return []
            end = amount.start()
        if end - start == 11 and _SSN_SHAPED.fullmatch(text, start, end):
            # `123-45-6789` is the SSN detector's (`_cheap_reject`) unless a phone field names
            # it, and no part of it has phone syntax of its own: `_judge` in short.
            return [(start, end)] if _labelled_phone(text, start, end) else []
        if self._judge(text, start, end):
            return [(start, end)]
        value = text[start:end]
        newline = value.find("\n")
        if newline >= 7 and self._judge(text, start, start + newline):
            # `4155550100\n2,Bob,...`: a bare field at the end of a line, the next row after it;
            # `Mobile: 01 56 73 31 23\n7056 Stephen Spur`: a number, then a street's.
            return [(start, start + newline), *self._accepted(text, start + newline + 1, end)]
        if "\t" in value:
            # `4155550100\t07700900123`: fields of a TSV row, each judged on its own.
            found: list[tuple[int, int]] = []
            offset = start
            for part in value.split("\t"):
                if part.strip():
                    found.extend(self._accepted(text, offset, offset + len(part)))
                offset += len(part) + 1
            return found
        if value.isdigit() or not _SELF_EVIDENT.search(value):
            return []  # no part of it could carry phone syntax of its own
        cuts = [m.span() for m in _WHITESPACE_CUT.finditer(value)]
        for cut, after in reversed(cuts):  # longest prefix first
            if _SELF_EVIDENT.search(value[:cut]) and self._judge(text, start, start + cut):
                return [(start, start + cut), *self._accepted(text, start + after, end)]
        for _, after in cuts:  # then the longest suffix
            if _SELF_EVIDENT.search(value[after:]) and self._judge(text, start + after, end):
                return [(start + after, end)]
        # Then a number between other digit groups (`00 (415) 555-0132 0`, `qty 3 (415)
        # 555-0132 7 left`): leftmost start, longest run first. Only runs with phone syntax of
        # their own are judged; a candidate has at most 16 groups.
        for i, (_, after) in enumerate(cuts):
            for cut, rest in reversed(cuts[i + 1 :]):
                if _SELF_EVIDENT.search(value[after:cut]) and self._judge(text, start + after, start + cut):
                    return [(start + after, start + cut), *self._accepted(text, start + rest, end)]
        return []

    def _judge(self, text: str, start: int, end: int) -> bool:
        """Is ``text[start:end]`` (a candidate run) a phone number?"""
        value = text[start:end]
        if _labelled_phone(text, start, end):
            return True
        if value.isdigit():  # one bare run: ids and counts in logs, mostly decided right here
            n = len(value)
            if value[0] != "0" and n not in (9, 10, 11):
                return False  # no plain national reading (US/CA, CN, IN, ES mobile, ...) has that length
            if not 7 <= n <= (17 if value.startswith("00") else 12):
                return False
            if value[0] != "0" and not _plain_shape(value):
                # Under a phone header: NL/BE without their trunk 0 (`101237525`), BR without
                # one (`1123451586`), when valid there; after a contact word ("my cell is
                # 5551234567") any national length: the words say what the digits are.
                if n in (9, 10, 11) and _strong_contact(text, start):
                    return True
                return bool(
                    n in (9, 10, 11) and _table_column(text, start, end, named=True) and _column_valid(value)
                )
            column = _table_column(text, start, end)
            if column is False:
                return False  # another column of a table: `id`, `ssn`, `amount`
            if value[0] != "0" and not column and self._label(text, start) != "contact":
                return False  # `4294967296`: a count or an id as often as a phone
            if column:
                return bool(_national_readings(value))
            groups, seps = [value], []
        else:
            if "x" in value:
                extension = _EXTENSION.search(value)
                if extension:
                    value = value[: extension.start()]
            parts = _SPLIT.split(value)  # [prefix, group, sep, group, ..., suffix]
            groups, seps = parts[1::2], parts[2:-1:2]
            if not groups:
                return False  # a cut left an extension alone (`0830106<TAB>x0` -> `x0`): no number
        international = value.startswith(("+", "(+", "00"))
        # `011 44 20 7946 0958`: North America's international prefix (no area code starts 0).
        idd = 3 if groups[0] == "011" and len(groups) > 2 and not international else 0
        international = international or bool(idd)
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
        if seps and _cheap_reject(groups, seps, international):
            return False
        if not (international or groups[0][0] == "0") and sum(map(len, groups)) not in (9, 10, 11):
            # No plain national reading (US/CA, CN, IN, ES, ...) has that length; after a
            # contact word a local number ("call me at 555-0134") or another country's
            # national format ("8 (916) 123-45-67") is still one.
            return self._contact_formatted(text, start, end, groups, seps)
        digits = "".join(groups)
        bare = not seps
        if international:
            dialled = digits[idd:] if idd else digits[2:] if digits.startswith("00") else digits
            number = _international_reading(dialled)
            readings: tuple[tuple[PhoneNumber, bool], ...] = () if number is None else ((number, False),)
        else:
            readings = _national_readings(digits)
        if not readings:
            return not international and self._contact_formatted(text, start, end, groups, seps)
        label = self._label(text, start)
        if label == "other":
            return False
        # "ring me on", "text us at": a person asked to call is context whatever the words.
        context = label == "contact" or _strong_contact(text, start)
        if idd and not context:
            return False  # `Episode 011 2024 recap`: `011` dials abroad only where a call is meant
        newlines = sum("\n" in s for s in seps)
        if newlines > 1 or (newlines and not (context or international)):
            return False  # joining lines needs evidence
        if newlines and text[end : end + 1] in (" ", "\t") and text[end + 1 : end + 2].isupper():
            return False  # "+49 791 855513\n9704 Poole Hills": the next line is a street, not a wrap
        if context and not international and _UNIT_AFTER.match(text, end):
            return False  # "Contact center handled 765404690 calls", "call stack ... 37 567 72 69 frames"
        if context or (international and bare):
            return True
        trunk = digits[0] == "0"
        cuts = _boundaries(groups)
        if bare and trunk and len(digits) < 10:
            return False  # short zero-padded runs are ids as often as local numbers
        for number, is_us in readings:
            if number.country_code == 34 and not international:
                # ES writes `91 123 45 67` and `612 34 56 78`, not libphonenumber's `911 23 45 67`;
                # `612 345 678` reads as a spaced amount as often, so it needs a contact word.
                if (bare or cuts in _ES_CUTS) and _is_valid(number):
                    return True
                continue
            if bare or _grouped(cuts, number):
                if international or is_us or (trunk and not bare) or _is_valid(number):
                    return True
            elif international and _is_valid(number):
                return True  # `+49 (0)157 6956 3291`: the `+` vouches for an odd grouping
        return False

    def _contact_formatted(self, text: str, start: int, end: int, groups: list[str], seps: list[str]) -> bool:
        """Digits written as a phone number (groups of 2-5 split by spaces, dashes, dots or
        parentheses, one line), right after a contact word: `call me at 555-0134`, `Tel: 8
        (916) 123-45-67`, `phone 500 080 636` (PL), whatever the country."""
        if not seps or len(groups) < 2 or "\n" in text[start:end]:
            return False
        if not 7 <= sum(map(len, groups)) <= 13 or max(map(len, groups)) > 5 or len(groups[-1]) < 2:
            return False
        return _strong_contact(text, start) and not _UNIT_AFTER.match(text, end)

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
        if not _NUMBER_WORDS.isdisjoint(words):
            for i, word in enumerate(words):
                if word in _NUMBER_WORDS and (
                    (i and words[i - 1] in _NUMBER_OWNERS) or words[i + 1 : i + 2] == ["is"]
                ):
                    return "contact"
        return "contact" if not window.isascii() and any(w in window for w in _CONTEXT_CJK) else None
