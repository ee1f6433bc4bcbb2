"""Tier-1 values right after their label, in EN, FR, DE, ES, IT, KO, ZH and JA.

A value whose shape alone is ambiguous (nine bare digits, 6-17 digits, a 3-digit code) is
tier 1 when its label says what it is: ``SSN 123456789``, ``"card_number": "4111 ..."``,
``Kontonummer: 1234 5678 90``, ``n° de compte : ...``, ``계좌번호 110-123-456789``,
``卡号：6222 ...``, ``CVV 123``, ``PIN: 4821``. The label picks the kind: SSN words ->
``US_SSN`` (``US_ITIN`` for area 9xx), ITIN -> ``US_ITIN``, passport -> ``PASSPORT``,
account/Konto/cuenta/compte/계좌/账号 -> ``US_BANK_ACCOUNT``, routing/ABA/BLZ/sort code ->
``US_BANK_ROUTING``, IBAN -> ``IBAN``, card/carte/Karte/tarjeta/카드/卡号 -> ``CREDIT_CARD``,
CVV/CVC/CSC/security code -> ``CVV``, PIN/密码/비밀번호 -> ``PIN``, 주민등록번호/RRN ->
``KR_RRN``, other national, tax and social security ids (DNI, NIE, NIR, BSN, CPF, Aadhaar,
NINO, Steuer-ID, codice fiscale, 身份证, My Number, ...) -> ``NATIONAL_ID``.

The rule: a label (a whole word, or a listed compound such as ``Kontonummer``), then only
glue: punctuation, quotes, brackets, ``=``, ``#``, ``:``, at most one line break (forms), and
a few listed filler words (``number``, ``no.``, ``n°``, ``nummer``, ``is``, ``on file``,
``de``, ``는``, ``号``, ...), at most 40 characters; then the value: capitals and digits in
groups joined by single separators (space, dash, dot, slash), taken only as far as the
kind's length allows. No checksum is required: a mistyped SSN after ``SSN:`` is still an
SSN to a privacy reviewer (the checksummed detectors find unlabeled values).

Not labeled values: a label followed by any other word (``account manager 555 0100``,
``card balance $1,200``, ``PIN code reset link``, ``account opened 2021-03-04``, ``card
ending in 4242``, ``SSN field is required``), plurals and compounds that are not labels
(``accounts``, ``accounting``, ``account_id``, ``MyAccount``, ``cardinal``), values too
short or too long for the kind (``account 12345``, ``3 accounts``, ``CVV 12``), dates
(``12/03/1971``, ``2024-05-01``, ``05/2027``), years and year ranges, amounts
(``1.200.000``, ``99.50``), one digit repeated (``000000``), values glued to more letters
or digit groups (``INV-90572233``, ``12-34-56-78-90-12-34-56-78-90``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import ahocorasick

from .._spans import Span
from ._idscan import scan
from .credit_card import _luhn_valid
from .iban import IbanDetector
from .us_ssn import kind_of

__all__ = ["LabeledIdDetector"]


class _Family(NamedTuple):
    """What a label announces: the kind, and the value's size (compact characters)."""

    kind: str
    min_len: int
    max_len: int
    alnum: bool = False  # capitals allowed in the value (passports, national ids, IBANs)
    one_group: bool = False  # a code written in one piece (CVV)


_FAMILIES: dict[str, _Family] = {
    "ssn": _Family("US_SSN", 9, 9),
    "itin": _Family("US_ITIN", 9, 9),
    "tax": _Family("NATIONAL_ID", 8, 13, alnum=True),
    "passport": _Family("PASSPORT", 6, 9, alnum=True),
    "account": _Family("US_BANK_ACCOUNT", 6, 24),  # CCC 20, CLABE 18 digits
    "routing": _Family("US_BANK_ROUTING", 6, 9),
    "iban": _Family("IBAN", 15, 34, alnum=True),
    "card": _Family("CREDIT_CARD", 12, 19),
    "cvv": _Family("CVV", 3, 4, one_group=True),
    "pin": _Family("PIN", 4, 8),
    "rrn": _Family("KR_RRN", 13, 13),
    "national": _Family("NATIONAL_ID", 6, 20, alnum=True),
}

# Labels, lowercase, by family. Short ones (``pin``, ``aba``, ``nie``) are substrings of
# common words (``shipping``, ``database``): whole-word checks reject those hits.
_LABELS: dict[str, tuple[str, ...]] = {
    "ssn": (
        "ssn", "ssns", "social security", "soc sec", "soc. sec", "ss#", "ss #", "ss no",
        "social-security",
    ),
    "itin": ("itin", "individual taxpayer identification"),
    "tax": (
        "tax id", "taxpayer id", "tax identification", "tin:", "tin#", "tin no", "steuernummer",
        "numéro fiscal", "numero fiscal", "nif", "税号", "纳税人识别号",
    ),
    "passport": (
        "passport", "passeport", "pasaporte", "passaporto", "reisepass", "reisepassnummer",
        "passnummer", "paspoort", "여권", "여권번호", "护照", "護照", "パスポート", "旅券",
    ),
    "account": (
        "account", "acct", "a/c", "bank account", "account no", "konto", "kontonummer", "kontonr",
        "bankkonto", "cuenta", "compte", "conto", "rekening", "rekeningnummer", "계좌", "계좌번호",
        "账号", "账户", "帐号", "帐户", "帳號", "帳戶", "银行账号", "口座番号", "口座",
    ),
    "routing": (
        "routing", "aba", "rtn", "transit number", "blz", "bankleitzahl", "sort code",
        "code banque", "código de banco",
    ),
    "iban": ("iban",),
    "card": (
        "card", "card no", "cc#", "ccn", "cc no", "cc number", "credit card", "debit card",
        "carte", "carte bancaire", "karte", "kartennummer", "kreditkarte", "kreditkartennummer",
        "tarjeta", "carta", "카드", "카드번호", "신용카드", "卡号", "银行卡", "信用卡", "卡號",
        "カード番号",
    ),
    "cvv": (
        "cvv", "cvv2", "cvc", "cvc2", "csc", "security code", "card code",
        "código de seguridad", "cryptogramme", "prüfnummer", "kartenprüfnummer", "보안코드",
        "安全码", "セキュリティコード",
    ),
    "pin": (
        "pin", "pin code", "pin-code", "pincode", "code pin", "geheimzahl", "密码", "密碼",
        "비밀번호", "암호", "暗証番号",
    ),
    "rrn": ("주민등록번호", "주민번호", "외국인등록번호", "rrn", "resident registration"),
    "national": (
        "national id", "national identity", "national insurance", "nino", "id card",
        "identity card", "identity number", "id number", "carte d'identité", "carte d identité",
        "documento de identidad", "documento nacional", "dni", "nie", "nir", "insee",
        "sécurité sociale", "securite sociale", "sécu", "seguridad social", "seguro social",
        "nss", "bsn", "burgerservicenummer", "sofinummer", "cpf", "aadhaar", "aadhar",
        "codice fiscale", "steuer-id", "steuerid", "steuer id", "idnr",
        "steueridentifikationsnummer", "identifikationsnummer", "ausweis", "ausweisnummer",
        "personalausweis", "personalausweisnummer", "sozialversicherungsnummer",
        "versicherungsnummer", "personnummer", "pesel", "social insurance", "sin:", "sin#",
        "マイナンバー", "個人番号", "身份证", "身份证号", "身份證", "公民身份号码",
        "신분증", "외국인등록",
    ),
}  # fmt: skip


# Latin labels are found in a *word view* of the text: ASCII, lower case, one byte per code
# point, every character but letters, digits and the few that labels hold (``# / : - ' .``)
# read as a space, and a space in front. Each label is keyed with a leading space, so the
# automaton leaves its root only at a word start: several times faster than scanning the raw
# text, and a label inside a word (``shipping``, ``database``) is never even a hit. Accented
# labels are keyed the same way (``sécurité`` -> `` s?curit?``, ``?`` a space).
_WORD_VIEW = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 or c in b"#/:-'." else 32
    for c in range(256)
)


def _word_view(text: str) -> str:
    return (b" " + text.encode("ascii", "replace").translate(_WORD_VIEW)).decode("ascii")


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _automaton(latin: bool) -> ahocorasick.Automaton:
    """Latin labels keyed by their word view, or the other labels (Hangul, CJK, kana) as
    they are; each maps to (length in the text, family)."""
    automaton = ahocorasick.Automaton()
    for family, labels in _LABELS.items():
        for label in labels:
            if _latin1(label) == latin:
                key = _word_view(label) if latin else label
                automaton.add_word(key, (len(label), family))
    automaton.make_automaton()
    return automaton


_LATIN_LABELS = _automaton(latin=True)
_OTHER_LABELS = _automaton(latin=False)  # only for texts beyond Latin-1


def _anchors() -> tuple[tuple[str, ...], int]:
    """A few characters of which every non-Latin label holds one (a greedy set cover), and
    the longest such label. The automaton then reads only the windows around them: its wide
    root (one branch per Hangul, CJK or kana first character) is slow on whole texts."""
    labels = {label for group in _LABELS.values() for label in group if not _latin1(label)}
    longest = max(map(len, labels))
    chosen: list[str] = []
    while labels:
        counts: dict[str, int] = {}
        for label in sorted(labels):
            for char in dict.fromkeys(label):
                counts[char] = counts.get(char, 0) + 1
        best = max(counts, key=lambda c: (counts[c], c))
        chosen.append(best)
        labels = {label for label in labels if best not in label}
    return tuple(chosen), longest


_ANCHORS, _LONGEST_OTHER = _anchors()


def _other_hits(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(end, start, family, False) of the non-Latin labels in ``text``."""
    windows: list[tuple[int, int]] = []
    for anchor in _ANCHORS:
        at = text.find(anchor)
        while at != -1:
            windows.append((max(0, at - _LONGEST_OTHER + 1), at + _LONGEST_OTHER))
            at = text.find(anchor, at + 1)
    windows.sort()
    done = 0
    for start, end in windows:
        start = max(start, done)
        if start >= end:
            continue
        for last, (length, family) in _OTHER_LABELS.iter(text, start, end):
            if last + 1 - length >= start:  # a label wholly inside this window, seen once
                yield last + 1, last + 1 - length, family, False
        done = end - _LONGEST_OTHER + 1  # a label may still start in the overlap


# Filler words allowed between a label and its value (whole words, any case), and the glue's
# tokens: a run of punctuation, or one word.
_GLUE_WORDS = frozenset(
    (
        "numbers", "number", "num", "no", "nos", "nr", "nro", "n", "numéro", "numero", "número",
        "nummer", "nummern", "is", "was", "on", "file", "of", "the", "my", "your", "his", "her",
        "their", "our", "for", "customer", "client", "holder", "reads", "given", "provided", "as",
        "es", "est", "ist", "lautet", "le", "la", "el", "de", "du", "des", "del", "di", "da", "do",
        "der", "die", "das", "und", "votre", "su", "tu", "mi", "code", "digits", "credit", "crédit",
        "crédito", "credito", "debit", "débito", "bancaire", "bancaria", "bank", "kredit", "card",
        "identification", "identity", "registration", "security",
    )
)  # fmt: skip
_CJK_GLUE = re.compile("(?:번호|는|은|이|가|号码|號碼|号|號|番号|是|为|為|码|碼|は)+")
_GLUE_TOKEN = re.compile(r"[ \t\r\n:：#=_.,'\"`()\[\]{}<>|*/\\~°º-]+|[^\W\d_]+")
_GLUE_MAX = 40
# The value: capitals or digits in groups, each joined by one separator (spaces around a
# dash, dot or slash allowed). Bounded: read at most `_VALUE_MAX` characters.
_VALUE = re.compile(r"[0-9A-Z]++(?:(?:[ \t]{0,2}[-./][ \t]{0,2}|[ \t]{1,2})[0-9A-Z]++)*+")
_VALUE_MAX = 80
_GROUP = re.compile(r"[0-9A-Z]+")
_DM = r"(?:0?[1-9]|[12]\d|3[01])"  # a day or a month
_DATE = re.compile(
    rf"(?:(?:19|20)\d\d[-./]{_DM}[-./]{_DM}|{_DM}[-./]{_DM}[-./](?:\d\d|(?:19|20)\d\d)"
    rf"|{_DM}[-./](?:19|20)\d\d|(?:19|20)\d\d(?:[-./ ]+(?:19|20)\d\d)*)"
)
_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+[.,]\d{1,2}")
_CARD_LIKE = frozenset(("account", "routing", "card", "cvv", "pin"))


class LabeledIdDetector:
    """Tier-1 values (SSN, ITIN, passport, bank, IBAN, card, CVV, PIN, national ids) after
    their label."""

    name = "labeled_ids"

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        if b"00" not in found.shape and b"0s0" not in found.sepshape:
            return  # every value holds two digits in a row, or digits with separators
        hits: list[tuple[int, int, str, bool]] = [
            (last, last - length, family, True)  # the view is one longer: `last` is the end
            for last, (length, family) in _LATIN_LABELS.iter(_word_view(text))
        ]
        if not _latin1(text):
            hits.extend(set(_other_hits(text)))  # no case to fold; windows may overlap
            hits.sort()  # by end, as one automaton would report them
        done = 0
        for end, start, family, latin in hits:
            if end < done:
                continue
            if latin and not self._whole_word(text, start, end):
                continue
            value = self._value(text, end, family)
            if value is not None:
                v_start, v_end, kind = value
                yield Span(v_start, v_end, kind, f"rules:{self.name}", 0.9, family)
                done = v_end

    @staticmethod
    def _whole_word(text: str, start: int, end: int) -> bool:
        if start and text[start - 1].isalpha():
            return False
        return not (end < len(text) and text[end].isalpha() and not _glue_word_at(text, end, len(text)))

    def _value(self, text: str, end: int, family: str) -> tuple[int, int, str] | None:
        at = _glue_end(text, end)
        if at is None:
            return None
        value = _VALUE.match(text, at, min(len(text), at + _VALUE_MAX))
        if value is None or (at and text[at - 1].isascii() and text[at - 1].isalnum()):
            return None  # `SSN123456789`: the label runs into the value, not a label
        spec = _FAMILIES[family]
        picked = self._pick(text, value.start(), value.end(), family, spec)
        if picked is None:
            return None
        v_end, compact = picked
        raw = text[at:v_end]
        if _DATE.fullmatch(raw) or (family in _CARD_LIKE and _AMOUNT.fullmatch(raw)):
            return None
        if compact.count(compact[0]) == len(compact):
            return None  # `000000000`: a placeholder
        if v_end < len(text) and (text[v_end].isalnum() or text[v_end] in "@"):
            return None
        kind = spec.kind
        if family == "ssn" or (family in ("tax", "itin") and len(compact) == 9 and compact.isdigit()):
            kind = kind_of(compact)[0] if family != "itin" else "US_ITIN"
            if family == "tax" and kind == "US_SSN":
                kind = "NATIONAL_ID"  # an EIN or another country's tax number
        return at, v_end, kind

    @staticmethod
    def _pick(text: str, start: int, stop: int, family: str, spec: _Family) -> tuple[int, str] | None:
        """The end of the value's groups that fit the kind, and the compact value: the
        longest that passes the kind's checksum (card, IBAN), else the longest."""
        compact = ""
        fits: list[tuple[int, str]] = []
        for index, group in enumerate(_GROUP.finditer(text, start, stop)):
            chunk = group.group()
            if not spec.alnum and not chunk.isdigit():
                break
            if spec.alnum and chunk.isalpha() and not _letters_allowed(family, index, chunk, compact):
                break
            if len(compact) + len(chunk) > spec.max_len or (spec.one_group and index):
                break
            compact += chunk
            if len(compact) >= spec.min_len:
                fits.append((group.end(), compact))
        checked = _CHECKSUMS.get(family)
        if checked is not None:
            for fit in reversed(fits):
                if checked(fit[1]):
                    return fit
        if not fits or (spec.alnum and not _alnum_ok(family, fits[-1][1])):
            return None
        return fits[-1]


def _glue_word_at(text: str, pos: int, stop: int) -> int:
    """The end of a filler word at ``pos`` (not glued to a digit: ``DE89`` is no ``de``), or 0."""
    token = _GLUE_TOKEN.match(text, pos, stop)
    if token is None or not token.group()[0].isalpha():
        return 0
    end = token.end()
    if end < len(text) and text[end].isalnum():
        return 0
    word = token.group()
    if word.lower() in _GLUE_WORDS or (not word.isascii() and _CJK_GLUE.fullmatch(word)):
        return end
    return 0


def _glue_end(text: str, pos: int) -> int | None:
    """Where the glue after a label ends (at most `_GLUE_MAX` characters, one line break), or
    None if it holds two line breaks."""
    stop = min(len(text), pos + _GLUE_MAX)
    breaks = 0
    for _ in range(16):
        token = _GLUE_TOKEN.match(text, pos, stop)
        if token is None:
            break
        if token.group()[0].isalpha():
            end = _glue_word_at(text, pos, stop)
            if not end:
                break
            pos = end
        else:
            breaks += token.group().count("\n")
            pos = token.end()
    return pos if breaks <= 1 else None


def _letters_allowed(family: str, index: int, chunk: str, compact: str) -> bool:
    """A letters-only group inside an alphanumeric value: a country code and bank code in an
    IBAN (``GB82 WEST``), a prefix or check letter of a national id (``QQ 12 34 56 C``)."""
    if family == "iban":
        return index == 1 and len(chunk) <= 4 and len(compact) == 4
    return len(chunk) <= 2


# The checksums of the card and IBAN detectors; they only pick where a labeled value ends.
_CHECKSUMS: dict[str, Callable[[str], bool]] = {"card": _luhn_valid, "iban": IbanDetector().validate}


def _alnum_ok(family: str, compact: str) -> bool:
    digits = sum(c.isdigit() for c in compact)
    if family == "iban":
        return compact[:2].isalpha() and compact[2:4].isdigit()
    if family == "passport":
        return digits >= 4
    return digits >= 5
