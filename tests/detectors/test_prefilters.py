"""The detectors' prefilters are exact: each skips only work that could have found nothing.

A prefilter that skipped a real candidate would leak a value silently, and only on the texts
that reach it, so each is checked against the plain computation it replaces, on generated
texts and on look-alikes: the phone detector's header rows (`_Headers`), its field-label window
(`_PHONE_FIELD_WINDOW`), and secret patterns matched only at runs of key characters
(`SecretPattern.at_runs`, `_idscan.base64_runs`), and the one-pass literal lookups
(`_literals.LiteralSet`) that replace a detector's `in` and `find` scans, and the record keys
looked up only where their words start (`labeled_ids._personal_keys`).
"""

from __future__ import annotations

import importlib
import json
import random
import re
from pathlib import Path

import pytest

from redaction.detectors import DEFAULT_DETECTORS, _secrets
from redaction.detectors._idscan import base64_runs
from redaction.detectors._literals import LiteralSet
from redaction.detectors._secrets import SecretDetector, _find_anchors, _plan
from redaction.detectors.labeled_ids import _PERSONAL_KEY, _personal_keys
from redaction.detectors.phone import (
    _DELIMITERS,
    _HEADER_HINTS,
    _PHONE_FIELD,
    _PHONE_FIELD_WINDOW,
    _PHONE_HEADERS,
    _Headers,
    _is_phone_header,
)

_RUN_PATTERNS = [
    (detector.name, pattern)
    for detector in DEFAULT_DETECTORS
    if isinstance(detector, SecretDetector)
    for pattern in detector.PATTERNS
    if pattern.at_runs
]


def _header_rows(text: str) -> tuple[list[tuple[int, int, str, int, frozenset[int]]], list[int]]:
    """Every line read, as `_Headers` did before its stem prefilter: (rows, blank lines)."""
    rows: list[tuple[int, int, str, int, frozenset[int]]] = []
    blank: list[int] = []
    if text.isascii() and not any(word in text for word in _HEADER_HINTS):
        return rows, blank
    line_start = 0
    while line_start <= len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end == -1 else line_end
        line = text[line_start:line_end]
        if not line.strip():
            blank.append(line_start)
        elif len(line) < 2000:
            for delimiter in _DELIMITERS:
                if delimiter in line:
                    fields = line.split(delimiter)
                    columns = frozenset(i for i, f in enumerate(fields) if _is_phone_header(f))
                    if columns:
                        rows.append((line_start, line_end, delimiter, len(fields), columns))
                        break
        line_start = line_end + 1
    return rows, blank


def _tables(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    words = [*_PHONE_HEADERS, "id", "name", "Phone Number", "T.E.L", "CELL", "MÓVIL", '"phone"', "hotel",
             "  tel  ", "e-mail", "Contact-Number", "tél", "İd"]  # fmt: skip
    texts = []
    for _ in range(n):
        lines = []
        for _ in range(rng.randint(1, 8)):
            delimiter = rng.choice(",;\t| ")
            cells = [
                rng.choice(words) if rng.random() < 0.5 else str(rng.randrange(10**10)) for _ in range(5)
            ]
            lines.append(delimiter.join(cells[: rng.randint(1, 5)]))
            if rng.random() < 0.2:
                lines.append(rng.choice(["", "  ", "\r", "\u2028"]))
        texts.append("\n".join(lines))
    return texts


# fmt: off
_HEADER_TABLES = [
    "id,name,phone\n1,Jane,4155550100",
    "ID;Name;TELEFON\n\n2;Max;030 901820",
    "hotel,price\n1,200",                      # `tel` inside a word: no phone column
    "Phone Number|x\n1|2",
    "n,t.e.l\n1,2",                            # dots stripped: `tel`
    "a,MÓVIL\n1,2",
    "x\tCELL\n1\t2",                           # upper-case `CELL` is not among the hints
    "id,msisdn\n1,447700900123",
]
# fmt: on


@pytest.mark.parametrize("text", _HEADER_TABLES)
def test_header_rows_equal_every_line_read(text: str) -> None:
    headers = _Headers(text)
    headers.read_rows(text)
    rows, blank = _header_rows(text)
    assert headers.rows == rows, "a phone column header was skipped by the stem prefilter"
    if rows:
        assert headers.blank == blank


def test_header_rows_equal_every_line_read_on_generated_tables() -> None:
    for text in _tables(seed=7, n=1500):
        headers = _Headers(text)
        headers.read_rows(text)
        rows, blank = _header_rows(text)
        assert headers.rows == rows, f"header rows differ for {text[:80]!r}"
        if rows:
            assert headers.blank == blank


# The longest labels, every optional part at its widest: the window still holds them.
# fmt: off
_LONGEST_LABELS = [
    'x téléphone_número"   :   "  ', "x CELLPHONE-NUMBER`\t\t\t=\t\t\t`\t\t", "x telephone-nummer:",
    "电话：: ", "x fax=",
]
# fmt: on


@pytest.mark.parametrize("prefix", _LONGEST_LABELS)
def test_phone_field_window_holds_the_longest_label(prefix: str) -> None:
    text = prefix + "4155550100"
    start = len(prefix)
    assert _PHONE_FIELD.search(text, 0, start) is not None
    assert _PHONE_FIELD.search(text, max(0, start - _PHONE_FIELD_WINDOW), start) is not None


def test_base64_runs_are_the_maximal_runs() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice("aZ09/+=_. -\né") for _ in range(rng.randint(0, 200)))
        expected = [m.start() for m in re.finditer(r"[A-Za-z0-9/+]{5,}", text)]
        assert base64_runs(text, 5) == expected


@pytest.mark.parametrize(("detector", "pattern"), _RUN_PATTERNS, ids=[p.name for _, p in _RUN_PATTERNS])
def test_matching_at_runs_finds_what_a_search_finds(detector: str, pattern: object) -> None:
    assert _RUN_PATTERNS, "no pattern uses at_runs: this test guards nothing"
    regex = pattern.regex  # type: ignore[attr-defined]
    min_run = pattern.min_run  # type: ignore[attr-defined]
    rng = random.Random(11)
    # Each pattern's key alphabet must occur in runs (base32 keys: small letters and 2-7 only).
    alphabet = "abcxyz2367" if pattern.name == "azure_devops_pat" else "abcXYZ0189/+"  # type: ignore[attr-defined]
    others = "=_.-\\ \n:\"'é"
    found = 0
    for i in range(3000):
        if i % 2:
            rate = rng.choice((0.02, 0.08, 0.3))
            size = rng.randint(0, 300)
            text = "".join(rng.choice(others if rng.random() < rate else alphabet) for _ in range(size))
        else:  # runs about as long as the pattern's, between single other characters
            runs = ("".join(rng.choices(alphabet, k=rng.randint(min_run - 3, min_run + 8))) for _ in range(3))
            text = "".join(rng.choice(others) + run for run in runs)
        searched = [m.span() for m in regex.finditer(text)]
        at_runs = [m.span() for at in base64_runs(text, min_run) if (m := regex.match(text, at)) is not None]
        assert at_runs == searched, f"{detector}/{pattern.name}: at_runs misses a match"  # type: ignore[attr-defined]
        found += bool(searched)
    assert found > 100  # the texts do hold key material


def test_every_currency_word_starts_with_a_word_start() -> None:
    from redaction.detectors.money import _MULTIPLIER_WORDS, _WORD_STARTS, _WORDS

    # The word pass runs only after a digit and a space, at an ASCII letter of `_WORD_STARTS`.
    for words in (_WORDS, _MULTIPLIER_WORDS):
        for alternative in words.removeprefix("(?:").removesuffix(")").split("|"):
            firsts = alternative[1:3] if alternative[0] == "[" else alternative[0]  # `[tT]housand`
            for first in firsts:
                assert first.isascii(), alternative
                assert first in _WORD_STARTS, alternative


# fmt: off
_BIRTH_PHRASES = [
    "DOB: {d}", "D.O.B. {d}", "d o b {d}", "Date of birth, needed for the form, is {d}", "date of b. {d}",
    "Born on {d}", "birthday {d}", "Geburtsdatum: {d}", "geb. {d}", "Geb.-Datum {d}", "geboren am {d}",
    "F. nac. {d}", "fecha de nacimiento: {d}", "nacida el {d}", "date de naissance : {d}", "née le {d}",
    "né le {d}", "nato il {d}", "data di nascita {d}", "data de nascimento {d}", "geboortedatum {d}",
    "生年月日 {d}", "出生日期：{d}", "생년월일 {d}", "{d} 生まれ", "{d} 출생", "b. {d}", "Birth Date {d}",
    "the patient (DOB) {d}", "met on {d}", "invoice date {d}", "NÉE LE {d}", "GEBOREN AM {d}",
]
# fmt: on


def test_birth_stems_skip_no_birth_date(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.engine import build_items
    from redaction.detectors import dates

    detector = dates.DateDetector()
    texts = [p.format(d=d) for p in _BIRTH_PHRASES for d in ("12/03/1971", "1982-11-09", "23 Aug 1978")]
    texts += [item.text for item in build_items(150_000)]
    fast = [list(detector.detect(text)) for text in texts]
    monkeypatch.setattr(dates, "_BIRTH_STEMS", ("",))  # every window read, as without the prefilter
    slow = [list(detector.detect(text)) for text in texts]
    assert fast == slow, "the birth-word stems hid a date of birth"
    assert sum(s.label == "dob" for spans in slow for s in spans) > len(_BIRTH_PHRASES)


# -- LiteralSet: which of many literals occur, in one RE2 pass -----------------------------------

_SECRET_DETECTORS = [detector for detector in DEFAULT_DETECTORS if isinstance(detector, SecretDetector)]
_HINTS = sorted({hint for detector in _SECRET_DETECTORS for p in detector.PATTERNS for hint in p.hints})
_ANCHORS = sorted({a for detector in _SECRET_DETECTORS for p in detector.PATTERNS for a in p.anchors})


def _literal_texts(seed: int, n: int, literals: list[str]) -> list[str]:
    """Texts built from pieces of the literals (prefixes, suffixes, whole ones, case changed),
    non-ASCII letters, a lone surrogate and line breaks: near misses and overlapping hits."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 12)):
            literal = rng.choice(literals)
            cut = rng.randint(0, len(literal))
            piece = rng.choice([literal, literal[:cut], literal[cut:], literal.upper(), literal[1:]])
            parts.append(piece)
            parts.append(rng.choice(["", " ", "_", "-", "é", "\udc80", "\n", "密", "K"]))
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("literals", [_HINTS, _ANCHORS], ids=["hints", "anchors"])
def test_literal_set_answers_exactly_literal_in_text(literals: list[str]) -> None:
    found = LiteralSet(literals)
    for text in _literal_texts(seed=11, n=3000, literals=literals):
        expected = {i for i, literal in enumerate(found.literals) if literal in text}
        assert set(found.present(text)) == expected, f"LiteralSet differs from `in` for {text[:80]!r}"


def test_literal_set_finds_a_literal_at_the_end_of_a_long_text() -> None:
    """A megabyte of near misses first: the DFA never gives up (which would read as "none")."""
    found = LiteralSet(_ANCHORS)
    rng = random.Random(5)
    filler = "".join(rng.choice(_ANCHORS)[:-1] + rng.choice(" xé_") for _ in range(200_000))
    for literal in ("passw", "пароль", "비밀번호"):
        text = filler + literal
        assert found.literals.index(literal) in found.present(text)


def test_anchor_index_hits_equal_one_find_loop_per_anchor() -> None:
    for detector in _SECRET_DETECTORS:
        index = _plan(detector.PATTERNS).anchor_index
        if index is None:
            continue
        for text in _literal_texts(seed=13, n=500, literals=list(index.anchors)):
            probe = text.lower()
            expected = {}
            for slot, anchor in enumerate(index.anchors):
                positions = _find_anchors(probe, (anchor,))
                if positions:
                    expected[slot] = positions
            assert index.hits(probe) == expected


def _table_texts() -> list[str]:
    """Every text of the secret detectors' own test tables and of the golden inputs: real
    positives and their look-alikes."""
    texts: list[str] = []
    for detector in _SECRET_DETECTORS:
        module = importlib.import_module(f"tests.detectors.test_{detector.name}")
        for value in vars(module).values():
            if isinstance(value, list):
                for row in value:
                    first = row[0] if isinstance(row, tuple) and row else row
                    if isinstance(first, str):
                        texts.append(first)
    golden = Path(__file__).parents[2] / "redaction" / "golden" / "inputs.jsonl"
    for line in golden.read_text(encoding="utf-8").splitlines():
        texts.extend(json.loads(line)["items"])
    return texts


@pytest.mark.parametrize("detector", _SECRET_DETECTORS, ids=lambda d: d.name)
def test_hinted_patterns_find_what_in_tests_find(
    detector: SecretDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hint `LiteralSet` skips exactly the patterns whose hints are all absent."""
    texts = _table_texts()
    with_set = [list(detector.detect(text)) for text in texts]
    assert any(with_set), "the tables hold no value of this detector"
    monkeypatch.setattr(_secrets, "_MIN_HINT_SET", 10**9)
    monkeypatch.setattr(_secrets, "_PLANS", {})
    assert [list(detector.detect(text)) for text in texts] == with_set


def test_personal_keys_equal_the_regex_searched_everywhere() -> None:
    """`labeled_ids._personal_keys` matches only where a key word starts: the same matches as
    `_PERSONAL_KEY.finditer` over the same window, quotes, `null` values and case included."""
    rng = random.Random(19)
    words = ["e-mail", "email", "Email_Address", "PHONE", "mobile", "Tel", "cell", "address", "street",
             "dob", "date_of_birth", "birth_date", "Birthdate", "birthday", "SSN", "first_name", "last_name",
             "surname"]
    pieces = [*words, "e-", "mail", "birth", "_name", "first", '"', "'", ":", "=",
              ": ", "null", " None", ",", "}", "\n", "x", "_", "-", "é", "ſ", "K", " ", "\t"]  # fmt: skip
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        expected = [(m.span(), m.group("id")) for m in _PERSONAL_KEY.finditer(text, lo, hi)]
        assert [(m.span(), m.group("id")) for m in _personal_keys(text, lo, hi)] == expected, repr(text)
