"""The caller's known-entities dictionary, compiled once into an Aho-Corasick automaton.

Matching is case-insensitive and boundary-aware without per-match regex work: both the
entries and the text are lowercased and every non-word character becomes a space, one for
one (offsets are kept), and each entry is stored as " entry " with its boundaries included.
So "Doe's", "(Jane Doe)" and "Jane Doe," match, "Doesburg" does not.

A known person also matches by partial mention: the given name, or the family name (with
the honorific before it, "Ms. Doe", folded into the span). Partials must be capitalised in
the text ("Will" the person, not "will" the verb) and map to the same entity, so the LLM
sees `[PERSON_1]` and `[PERSON_1.2]`. A partial shared by two known persons is ambiguous
and becomes an entity of its own: still redacted, never attributed to the wrong person. A
family name too short to tell from ordinary text ("Wu", "Li") is a mention only after an
honorific ("Mr. Wu"). Honorifics in a known name ("Dr. Jane Doe") are not given names.

`KnownEntities.from_map` compiles the same kind of dictionary from a pseudonym map's own
values, so a map remembers what it tokenized: a later scrub of the map finds every value again
(same type, same entity number) and its partial mentions, with no known entities re-sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import ahocorasick

from ._entities import entity_key
from ._spans import Span

__all__ = ["KNOWN_ENTITY_FIELDS", "KnownEntities", "compile_known_entities"]

# Request field -> token type (docs/architecture.md §3.2).
KNOWN_ENTITY_FIELDS: Mapping[str, str] = {
    "persons": "PERSON", "orgs": "ORG", "funds": "FUND", "emails": "EMAIL", "locations": "LOC",
}  # fmt: skip

_NON_WORD = re.compile(r"\W")
# `_NON_WORD.sub(" ", ...)` on long texts, done faster: ASCII through translate tables (str
# on ASCII strings, bytes on others: str.translate is slow on non-ASCII strings), then the
# non-ASCII characters that are not word characters through the regex.
_ASCII_NON_WORD = [c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")]
_ASCII_NON_WORD_STR = str.maketrans(dict.fromkeys(_ASCII_NON_WORD, " "))
# The same, but white space (which separates a name's words) kept apart as NUL.
_ASCII_NON_WORD_STR_KEEP_SPACE = str.maketrans(
    {**dict.fromkeys(_ASCII_NON_WORD, " "), **dict.fromkeys(map(ord, " \t\r\n\f\v"), "\x00")}
)
_ASCII_NON_WORD_BYTES = bytes.maketrans(bytes(_ASCII_NON_WORD), b" " * len(_ASCII_NON_WORD))
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]")
_HONORIFIC_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Dame|Lady|Lord|Madam|Mme|Mlle|Herr|Frau)\.?[ \t]{1,3})$",
    re.IGNORECASE,
)
_BYTES_PER_WORD = 400  # a word's (length, _Entry) value and its strings, beside the trie's nodes
_MIN_PARTIAL = 3  # "Al", "Jo": too short to tell from ordinary text
# Words of a known name that are titles, never a given or family name on their own.
# fmt: off
_HONORIFICS = frozenset((
    "mr", "mrs", "ms", "mx", "miss", "dr", "prof", "sir", "dame", "lady", "lord", "madam", "mme",
    "mlle", "herr", "frau", "rev", "hon",
))
# fmt: on
# A remembered value of another kind than a name is matched again only when it has at least
# this many letters and digits: "$5" or "2024" in a later turn is not the remembered value.
_MIN_RECALLED_CHARS = 5
_NAME_KINDS = frozenset({"PERSON", "ORG", "FUND", "LOC"})


def _lowered(text: str) -> str:
    """Lowercase keeping length (a few characters such as 'İ' grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _base_letter(c: str) -> str:
    """``é`` -> ``e``, ``Å`` -> ``A``, ``ñ`` -> ``n``: the base letter when the character
    decomposes into one letter and combining marks; else the character itself (``ß``, ``ø``
    and ``æ`` would change length or have no decomposition)."""
    parts = unicodedata.normalize("NFKD", c)
    if len(parts) > 1 and parts[0].isalpha() and all(unicodedata.combining(p) for p in parts[1:]):
        return parts[0]
    return c


# Latin letters with diacritics (Latin-1 Supplement to Latin Extended Additional): the only
# characters `_folded` looks at, so text without them costs one C-speed regex scan.
_FOLDABLE = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
_FOLD: dict[str, str] = {}


def _fold_one(m: re.Match[str]) -> str:
    c = m.group()
    folded = _FOLD.get(c)
    if folded is None:
        folded = _FOLD[c] = _base_letter(c)
    return folded


def _folded(low: str) -> str:
    """Diacritics off, one code point per code point: "josé álvarez" matches "jose alvarez"
    and the reverse, with the offsets of the text kept."""
    return low if low.isascii() else _FOLDABLE.sub(_fold_one, low)


def _match_view(text: str) -> str:
    low = _folded(_lowered(text))
    if low.isascii():
        return " " + low.translate(_ASCII_NON_WORD_STR) + " "
    raw = low.encode("utf-8", "surrogatepass").translate(_ASCII_NON_WORD_BYTES)
    return " " + _NON_ASCII_NON_WORD.sub(" ", raw.decode("utf-8", "surrogatepass")) + " "


def _entry_key(value: str) -> str:
    return " " + " ".join(_NON_WORD.sub(" ", _folded(_lowered(value))).split(" ")).strip() + " "


def _name_parts(value: str) -> list[str]:
    """The words of a name in key form, split at white space only ("hans georg" for
    "Hans-Georg"): what `_entry_key` gives for each word, without its cost per word."""
    low = _folded(_lowered(value))
    if low.isascii():
        words = low.translate(_ASCII_NON_WORD_STR_KEEP_SPACE).split("\x00")
    else:
        words = [_NON_WORD.sub(" ", word) for word in low.split()]
    return [" ".join(word.split()) for word in words if word.strip()]


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


class _Entry(NamedTuple):  # a tuple: 100k of them are built per dictionary
    kind: str
    entity: str  # canonical identity: all forms of one known person share it
    partial: bool  # a part of a known name: folds an honorific before it into the span
    titled: bool = False  # a short family name: a mention only after an honorific ("Mr. Wu")
    cased: bool = False  # must start with a capital in the text ("Will" the person, not "will")


class KnownEntities:
    """A compiled dictionary. Build once, match many texts; immutable and thread-safe."""

    __slots__ = ("_automaton", "estimated_bytes", "size")

    def __init__(self, known: Mapping[str, Iterable[str]]) -> None:
        values = (
            (kind, _clean(raw), None)
            for field, kind in KNOWN_ENTITY_FIELDS.items()
            for raw in known.get(field, ()) or ()
        )
        self._compile(values)

    @classmethod
    def from_map(cls, values: Iterable[tuple[str, str, str]]) -> KnownEntities:
        """A dictionary of a map's own values: ``(kind, value, entity)`` triples, where
        ``entity`` is the identity the map already numbered the value under.

        Every match carries that identity, so the value keeps its token number (a new surface
        form of it gets a variant). A one-word name that starts with a capital must start with
        one in the text too (a name remembered as "Will" is not the verb); values of other
        kinds need `_MIN_RECALLED_CHARS` letters or digits ("$5" is not a remembered amount).
        """
        kept = (
            (kind, value, entity)
            for kind, value, entity in values
            if kind in _NAME_KINDS or sum(map(str.isalnum, value)) >= _MIN_RECALLED_CHARS
        )
        self = cls.__new__(cls)
        self._compile(kept)
        return self

    @classmethod
    def from_terms(cls, values: Iterable[tuple[str, str]]) -> KnownEntities:
        """A dictionary of an operator's deny terms, ``(kind, term)`` pairs (docs/architecture.md
        §12): whole terms only, no partial mentions ("Falcon" alone is not "Project Falcon")."""
        self = cls.__new__(cls)
        self._compile(((kind, _clean(term), None) for kind, term in values), partials=False)
        return self

    def _compile(self, values: Iterable[tuple[str, str, str | None]], *, partials: bool = True) -> None:
        full: dict[str, _Entry] = {}
        partial_owners: dict[str, list[str]] = {}
        titled_owners: dict[str, list[str]] = {}
        for kind, value, bound_entity in values:
            key = _entry_key(value)
            if len(key.strip()) < 2:
                continue
            entity = bound_entity or entity_key(kind, value)
            if key not in full:
                # A remembered one-word name keeps its capital ("Will", "Board"); longer names
                # are unambiguous in any case, as the caller's are.
                cased = (
                    bound_entity is not None and kind in _NAME_KINDS and value[:1].isupper()
                    and len(key.split()) == 1
                )  # fmt: skip
                full[key] = _Entry(kind, entity, False, cased=cased)
            if partials and kind == "PERSON":
                # Name parts split at white space only: "Hans-Georg" and "O'Brien" are one part.
                parts = [part for part in _name_parts(value) if part not in _HONORIFICS]
                if len(parts) >= 2:
                    # Given and family name, in that order (a set's order would vary by hash seed).
                    for part in dict.fromkeys((parts[0], parts[-1])):
                        if len(part) >= _MIN_PARTIAL:
                            partial_owners.setdefault(f" {part} ", []).append(entity)
                        elif part == parts[-1]:  # "Wu", "Li", "Ng": too short alone, not after "Mr."
                            titled_owners.setdefault(f" {part} ", []).append(entity)
        self._automaton = ahocorasick.Automaton()
        for key, entry in full.items():
            self._automaton.add_word(key, (len(key), entry))
        for titled, owners_by_key in ((False, partial_owners), (True, titled_owners)):
            for key, owners in owners_by_key.items():
                if key in full:
                    continue  # a full entry of its own ("Jordan" the person or the country) wins
                distinct = sorted(set(owners))
                entity = distinct[0] if len(distinct) == 1 else f"PERSON:~{key.strip()}"
                entry = _Entry("PERSON", entity, True, titled, cased=True)
                self._automaton.add_word(key, (len(key), entry))
        self.size = len(full)
        if self.size:
            self._automaton.make_automaton()
        # What the compiled dictionary holds in memory, for caches bounded by bytes: the trie
        # (pyahocorasick's own count) plus each word's Python value (measured: 100,000 persons
        # cost ~180 MB of RSS, this says ~195 MB).
        stats = self._automaton.get_stats()
        self.estimated_bytes = int(stats["total_size"]) + _BYTES_PER_WORD * int(stats["words_count"])

    def find(self, text: str) -> Iterator[Span]:
        """Spans (in ``text`` coordinates) of every boundary-delimited known-entity mention."""
        if not self.size:
            return
        view = _match_view(text)
        for end, (length, entry) in self._automaton.iter(view):
            # view = " " + text + " ": the key's inner part is text[end - length + 1 : end - 1].
            start = end - length + 1
            stop = end - 1
            if entry.cased and not text[start].isupper():
                continue
            if entry.partial:
                honorific = _HONORIFIC_BEFORE.search(text, max(0, start - 12), start)
                if honorific:
                    start = honorific.start()
                elif entry.titled:
                    continue
            # Every match carries the identity of its entry, so a mention stays the entity it
            # names even when the resolver widens it ("Ms. Mary" + "Mary Smith").
            yield Span(start, stop, entry.kind, "dictionary", 1.0, "partial" if entry.partial else "",
                       entry.entity)  # fmt: skip


_CACHE: OrderedDict[tuple[tuple[str, tuple[str, ...]], ...], KnownEntities] = OrderedDict()
_CACHE_BYTES = 64 * 1024 * 1024  # estimated bytes of the compiled dictionaries kept (not a count)


def compile_known_entities(
    known: Mapping[str, Sequence[str]] | KnownEntities | None,
) -> KnownEntities | None:
    """Compile (or fetch from a small LRU cache) the dictionary for ``known``."""
    if known is None or isinstance(known, KnownEntities):
        return known
    unknown = set(known) - set(KNOWN_ENTITY_FIELDS)
    if unknown:
        from .errors import InputError

        raise InputError(f"unknown known_entities fields: {sorted(unknown)}")
    key = tuple((field, tuple(known.get(field, ()) or ())) for field in KNOWN_ENTITY_FIELDS)
    if not any(values for _, values in key):
        return None
    cached = _CACHE.get(key)
    if cached is None:
        cached = KnownEntities(known)
        if cached.estimated_bytes <= _CACHE_BYTES:
            _CACHE[key] = cached
            while sum(k.estimated_bytes for k in _CACHE.values()) > _CACHE_BYTES:
                _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return cached
