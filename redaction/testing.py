"""Leak tests for code that uses the engine, without the service (docs/architecture.md §14).

Plant canaries (fresh values that pass their kind's checksum) in what your code sends
through the engine, then assert that none of them comes out:

    from redaction import scrub
    from redaction.testing import Canaries, assert_no_leak

    def test_prompt_leaks_nothing() -> None:
        canaries = Canaries(seed="prompt")
        planted = canaries.one_of_each()
        prompt = build_prompt(notes="\\n".join(c.text for c in planted))  # your code
        scrubbed = scrub(prompt, known_entities=Canaries.known_entities(planted)).text
        assert_no_leak(scrubbed, planted)

`assert_no_leak` raises `redaction.errors.LeakError` (an ``AssertionError``) whose message
names kinds and character offsets, never a value, so a failing CI log leaks nothing either.
A value counts as leaked where it appears verbatim, and also where its letters and digits
appear in order with other separators, another case or compatibility forms (full-width
digits): ``4111-1111...`` for ``4111 1111 ...``. Values shorter than eight characters match
verbatim only, and only where they are not part of a longer word or number.

Under pytest, the failing frame of `assert_no_leak` is hidden from the traceback (its
argument is the leaking text). Your own test's locals are shown with ``--showlocals``
(``-l``) only: leave that flag off in CI.

With the package installed, pytest also offers fixtures (`redaction.pytest_plugin`):
``redaction_canaries`` (a `Canaries` seeded by the test's id) and ``assert_no_leak``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ._canaries import CANARY_KINDS, KNOWN_ENTITY_KINDS, Canary, make_canary
from .errors import LeakError

__all__ = ["CANARY_KINDS", "Canaries", "Canary", "Leak", "LeakError", "assert_no_leak", "find_leaks"]

_FUZZY_MIN = 8  # shorter values (a CVV, a PIN) would match unrelated digits once separators go


class Canaries:
    """A seeded source of canaries: the same seed gives the same values, run after run.

    ``seed``: an int or a str (a test id); different seeds give unrelated values.
    """

    def __init__(self, seed: int | str = 0) -> None:
        self._rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)

    def make(self, kind: str) -> Canary:
        """A fresh canary of ``kind``: one of `CANARY_KINDS` (tier-1 kinds and token types)."""
        return make_canary(kind, self._rng)

    def one_of_each(self, kinds: Iterable[str] | None = None) -> list[Canary]:
        """One canary per kind, for ``kinds`` or every kind in `CANARY_KINDS`."""
        return [self.make(kind) for kind in (CANARY_KINDS if kinds is None else kinds)]

    @staticmethod
    def known_entities(canaries: Iterable[Canary]) -> dict[str, list[str]]:
        """The ``known_entities`` that make the engine find the person, org, fund and location
        canaries (no rule detects a name: your application supplies them, or NER finds them)."""
        known: dict[str, list[str]] = {}
        for canary in canaries:
            field = KNOWN_ENTITY_KINDS.get(canary.kind)
            if field is not None:
                known.setdefault(field, []).append(canary.value)
        return known


@dataclass(frozen=True, slots=True)
class Leak:
    """Where a planted value came out: its kind, character offset and how it matched
    (``exact``, or ``reformatted`` when separators, case or width changed)."""

    kind: str
    start: int
    form: str

    def __str__(self) -> str:
        return f"{self.kind} at offset {self.start} ({self.form})"


def _fold(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, compatibility-normalized and case-folded, with the offset in
    ``text`` each kept character came from."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c.isalnum():
                chars.append(c)
                offsets.append(i)
    return "".join(chars), offsets


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, start = [], haystack.find(needle)
    while start >= 0:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def _bounded(text: str, start: int, end: int) -> bool:
    """The match is not the middle of a longer word or number."""
    return (start == 0 or not text[start - 1].isalnum() or not text[start].isalnum()) and (
        end == len(text) or not text[end].isalnum() or not text[end - 1].isalnum()
    )


def _planted(values: Iterable[Canary | str] | Mapping[str, str | Iterable[str]]) -> list[tuple[str, str]]:
    if isinstance(values, Mapping):
        pairs: list[tuple[str, str]] = []
        for kind, given in values.items():
            pairs += [(kind, given)] if isinstance(given, str) else [(kind, v) for v in given]
        return pairs
    return [(v.kind, v.value) if isinstance(v, Canary) else (f"value[{i}]", v) for i, v in enumerate(values)]


def find_leaks(text: str, values: Iterable[Canary | str] | Mapping[str, str | Iterable[str]]) -> list[Leak]:
    """Every place a planted value appears in ``text``, in order of offset.

    ``values``: canaries, plain strings (reported as ``value[i]``), or a mapping of kind ->
    value(s). Empty values are ignored.
    """
    leaks: dict[tuple[str, int], Leak] = {}
    folded: tuple[str, list[int]] | None = None
    for kind, value in _planted(values):
        if not value:
            continue
        for start in _occurrences(text, value):
            if len(value) >= _FUZZY_MIN or _bounded(text, start, start + len(value)):
                leaks.setdefault((kind, start), Leak(kind, start, "exact"))
        needle, _ = _fold(value)
        if len(needle) < _FUZZY_MIN:
            continue
        folded = folded or _fold(text)
        for at in _occurrences(folded[0], needle):
            start = folded[1][at]
            leaks.setdefault((kind, start), Leak(kind, start, "reformatted"))
    return sorted(leaks.values(), key=lambda leak: (leak.start, leak.kind))


def assert_no_leak(
    scrubbed_text: str,
    values: Iterable[Canary | str] | Mapping[str, str | Iterable[str]],
    *,
    where: str = "the scrubbed text",
) -> None:
    """Raise `LeakError` if any planted value appears in ``scrubbed_text`` (see `find_leaks`).

    The message names kinds and offsets, never a value: it is safe in a CI log.
    """
    # pytest prints the arguments of the frame that raised: hide this one, its text leaks.
    __tracebackhide__ = True
    leaks = find_leaks(scrubbed_text, values)
    if leaks:
        raise LeakError(leaks, where)
