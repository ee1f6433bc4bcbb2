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
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence

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
_BYTES_PER_WORD = 400  # a word's entry (list slots, entity string), beside the trie's nodes
_NODE_BYTES = 40  # a pyahocorasick trie node (32 bytes) and the link to it (8)
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


def _name_parts(value: str, low: str | None = None) -> list[str]:
    """The words of a name in key form, split at white space only ("hans georg" for
    "Hans-Georg"): what `_entry_key` gives for each word, without its cost per word.
    ``low``: the value already lowered and folded, when the caller has it."""
    if low is None:
        low = _folded(_lowered(value))
    if low.isascii():
        words = low.translate(_ASCII_NON_WORD_STR_KEEP_SPACE).split("\x00")
    else:
        words = [_NON_WORD.sub(" ", word) for word in low.split()]
    # Most words hold no punctuation: only those need their spaces collapsed.
    return [" ".join(word.split()) if " " in word else word for word in words if word and not word.isspace()]


_PART_SEP = "\x01"
_ASCII_KEEP_SPACE_AND_PART_SEP = str.maketrans(
    {
        **dict.fromkeys([c for c in _ASCII_NON_WORD if c != 1], " "),
        **dict.fromkeys(map(ord, " \t\r\n\f\v"), "\x00"),
    }
)


def _all_name_parts(lows: list[str]) -> Iterator[list[str]]:
    """`_name_parts` of each of ``lows`` (values already lowered and folded), in order: one
    translation of all of them when they are ASCII."""
    joined = _PART_SEP.join(lows)
    if len(lows) < 2 or not joined.isascii() or joined.count(_PART_SEP) != len(lows) - 1:
        return (_name_parts(low, low) for low in lows)
    return (
        [
            " ".join(word.split()) if " " in word else word
            for word in flat.split("\x00")
            if word and not word.isspace()
        ]
        for flat in joined.translate(_ASCII_KEEP_SPACE_AND_PART_SEP).split(_PART_SEP)
    )


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


# A 100k-entry dictionary is compiled in about a second (docs/benchmarks.md) because the string
# work per entry runs on all entries at once: they are joined with NUL, transformed by one C
# call each (normalize, lower, fold, translate), and split again. NUL is a starter no
# normalization or case mapping touches, so each entry comes out exactly as it would alone;
# an entry that holds a NUL itself, or lowering that changes a length, takes the per-entry path.
_SEP = "\x00"
_ASCII_NON_WORD_BUT_SEP = [c for c in _ASCII_NON_WORD if c]
_ASCII_NON_WORD_BUT_SEP_STR = str.maketrans(dict.fromkeys(_ASCII_NON_WORD_BUT_SEP, " "))
_ASCII_NON_WORD_BUT_SEP_BYTES = bytes.maketrans(
    bytes(_ASCII_NON_WORD_BUT_SEP), b" " * len(_ASCII_NON_WORD_BUT_SEP)
)


def _joined(values: list[str]) -> str | None:
    """``values`` joined with `_SEP`, or None when one of them holds it."""
    joined = _SEP.join(values)
    return joined if joined.count(_SEP) == len(values) - 1 else None


def _spaced(text: str) -> str:
    """Every non-word character of ``text`` but `_SEP` as a space, one for one."""
    if text.isascii():
        return text.translate(_ASCII_NON_WORD_BUT_SEP_STR)
    raw = text.encode("utf-8", "surrogatepass").translate(_ASCII_NON_WORD_BUT_SEP_BYTES)
    return _NON_ASCII_NON_WORD.sub(" ", raw.decode("utf-8", "surrogatepass"))


def _cleaned(values: list[str]) -> list[str]:
    """`_clean` of each value."""
    joined = _joined(values) if len(values) > 1 else None
    if joined is None:
        return [_clean(value) for value in values]
    return [value.strip() for value in unicodedata.normalize("NFKC", joined).split(_SEP)]


def _keys_and_lows(values: list[str]) -> tuple[list[str], list[str]]:
    """`_entry_key` of each value, and each value lowered and folded (`_name_parts` reads it)."""
    joined = _joined(values) if len(values) > 1 else None
    low = None if joined is None else joined.lower()
    if joined is None or low is None or len(low) != len(joined):
        lows = [_folded(_lowered(value)) for value in values]
        return [_entry_key(value) for value in values], lows
    low = _folded(low)
    keys = [" " + flat.strip() + " " for flat in _spaced(low).split(_SEP)]
    return keys, low.split(_SEP)


_ENTITY_NAME_KINDS = frozenset({"PERSON", "ORG", "FUND", "LOC", "ADDRESS"})


def _name_bodies(values: list[str]) -> Iterator[str]:
    """The body of `entity_key` for names (after ``KIND:``), for each of ``values`` in order."""
    joined = _joined(values) if len(values) > 1 else None
    if joined is None:
        return (entity_key("PERSON", value)[len("PERSON:") :] for value in values)
    return (" ".join(flat.split()) for flat in _spaced(joined.lower()).split(_SEP))


# An entry's flags (one small int per entry: no object per entry, 100k of them per dictionary).
_PARTIAL = 1  # a part of a known name: folds an honorific before it into the span
_TITLED = 2  # a short family name: a mention only after an honorific ("Mr. Wu")
_CASED = 4  # must start with a capital in the text ("Will" the person, not "will")


class KnownEntities:
    """A compiled dictionary. Build once, match many texts; immutable and thread-safe."""

    # Entry i of the automaton: its key's length, kind, entity (canonical identity: all forms of
    # one known person share it) and flags, in parallel lists.
    __slots__ = ("_automaton", "_entities", "_flags", "_kinds", "_lengths", "estimated_bytes", "size")

    def __init__(self, known: Mapping[str, Iterable[str]]) -> None:
        kinds: list[str] = []
        raws: list[str] = []
        for field, kind in KNOWN_ENTITY_FIELDS.items():
            for raw in known.get(field, ()) or ():
                kinds.append(kind)
                raws.append(raw)
        self._compile(zip(kinds, _cleaned(raws), [None] * len(raws), strict=True))

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
        pairs = list(values)
        cleaned = _cleaned([term for _, term in pairs])
        self._compile(
            ((kind, term, None) for (kind, _), term in zip(pairs, cleaned, strict=True)), partials=False
        )
        return self

    def _compile(self, values: Iterable[tuple[str, str, str | None]], *, partials: bool = True) -> None:
        full: dict[str, int] = {}  # key -> entry index
        lengths: list[int] = []
        kinds: list[str] = []
        entities: list[str] = []
        flags: list[int] = []
        # A partial's first owner; a partial owned by two known persons is ambiguous.
        partial_owner: dict[str, str] = {}
        titled_owner: dict[str, str] = {}
        ambiguous: set[str] = set()
        rows = list(values)
        texts = [value for _, value, _ in rows]
        keys, lows = _keys_and_lows(texts)
        names = _name_bodies([v for (kind, v, bound) in rows if bound is None and kind in _ENTITY_NAME_KINDS])
        person_parts = _all_name_parts(
            [low for (kind, _, _), low in zip(rows, lows, strict=True) if kind == "PERSON"]
        )
        for (kind, value, bound_entity), key in zip(rows, keys, strict=True):
            # entity_key(kind, value), its bodies for names computed in one batch (in order)
            body = next(names) if bound_entity is None and kind in _ENTITY_NAME_KINDS else None
            words = next(person_parts) if kind == "PERSON" else None  # `_name_parts`, batched too
            if len(key) < 4:  # fewer than two characters between the boundary spaces
                continue
            person = partials and kind == "PERSON"
            if not person and key in full:
                continue  # a repeated entry: the first one's identity stands
            if bound_entity is not None:
                entity = bound_entity
            elif body is not None:
                entity = f"{kind}:{body}"
            else:
                entity = entity_key(kind, value)
            if key not in full:
                # A remembered one-word name keeps its capital ("Will", "Board"); longer names
                # are unambiguous in any case, as the caller's are.
                cased = (
                    bound_entity is not None and kind in _NAME_KINDS and value[:1].isupper()
                    and len(key.split()) == 1
                )  # fmt: skip
                full[key] = len(kinds)
                lengths.append(len(key))
                kinds.append(kind)
                entities.append(entity)
                flags.append(_CASED if cased else 0)
            if person and words is not None:
                # Name parts split at white space only: "Hans-Georg" and "O'Brien" are one part.
                parts = [part for part in words if part not in _HONORIFICS]
                if len(parts) >= 2:
                    # Given and family name, in that order (a set's order would vary by hash seed).
                    given, family = parts[0], parts[-1]
                    for part in (given,) if given == family else (given, family):
                        if len(part) >= _MIN_PARTIAL:
                            owners = partial_owner
                        elif part == family:  # "Wu", "Li", "Ng": too short alone, not after "Mr."
                            owners = titled_owner
                        else:
                            continue
                        part_key = f" {part} "
                        if owners.setdefault(part_key, entity) != entity:
                            ambiguous.add(part_key)
        # The automaton stores each word's entry index (a C int: faster to add than an object
        # reference, which is most of the build time of a large dictionary).
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        add_word = self._automaton.add_word
        for key, index in full.items():
            add_word(key, index)
        for titled, owner_of in ((False, partial_owner), (True, titled_owner)):
            for key, owner in owner_of.items():
                if key in full:
                    continue  # a full entry of its own ("Jordan" the person or the country) wins
                add_word(key, len(kinds))
                lengths.append(len(key))
                kinds.append("PERSON")
                entities.append(f"PERSON:~{key.strip()}" if key in ambiguous else owner)
                flags.append(_PARTIAL | _CASED | (_TITLED if titled else 0))
        self._lengths, self._kinds, self._entities, self._flags = lengths, kinds, entities, flags
        self.size = len(full)
        if self.size:
            self._automaton.make_automaton()
        # What the compiled dictionary holds in memory, for caches bounded by bytes: the trie,
        # bounded above by one node per key character (pyahocorasick's own count, `get_stats`,
        # walks the whole trie: a tenth of the build time), plus each word's Python value.
        chars = sum(map(len, full)) + sum(map(len, partial_owner)) + sum(map(len, titled_owner))
        self.estimated_bytes = _NODE_BYTES * chars + _BYTES_PER_WORD * len(kinds)

    def find(self, text: str) -> Iterator[Span]:
        """Spans (in ``text`` coordinates) of every boundary-delimited known-entity mention."""
        if not self.size:
            return
        view = _match_view(text)
        lengths, flags = self._lengths, self._flags
        for end, index in self._automaton.iter(view):
            flag = flags[index]
            # view = " " + text + " ": the key's inner part is text[end - length + 1 : end - 1].
            start = end - lengths[index] + 1
            stop = end - 1
            if flag & _CASED and not text[start].isupper():
                continue
            if flag & _PARTIAL:
                honorific = _HONORIFIC_BEFORE.search(text, max(0, start - 12), start)
                if honorific:
                    start = honorific.start()
                elif flag & _TITLED:
                    continue
            # Every match carries the identity of its entry, so a mention stays the entity it
            # names even when the resolver widens it ("Ms. Mary" + "Mary Smith").
            label = "partial" if flag & _PARTIAL else ""
            yield Span(start, stop, self._kinds[index], "dictionary", 1.0, label, self._entities[index])


_Key = tuple[tuple[str, tuple[str, ...]], ...]


class _ByteBoundedCache(OrderedDict[_Key, KnownEntities]):
    """An LRU of compiled dictionaries that keeps the sum of their estimated bytes, so an
    insert evicts in time proportional to what it evicts (not to the cache's size). Scrubs
    run in threads: an insert holds a lock so the running sum stays that of the entries."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0
        self._lock = threading.Lock()

    def put(self, key: _Key, value: KnownEntities, limit: int) -> None:
        with self._lock:
            replaced = self.pop(key, None)  # two threads compiled the same dictionary
            if replaced is not None:
                self.total -= replaced.estimated_bytes
            self[key] = value
            self.total += value.estimated_bytes
            while self.total > limit and self:
                _, evicted = self.popitem(last=False)
                self.total -= evicted.estimated_bytes

    def touch(self, key: _Key) -> None:
        with self._lock:
            if key in self:  # another thread may have evicted it since it was read
                self.move_to_end(key)


_CACHE = _ByteBoundedCache()
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
            _CACHE.put(key, cached, _CACHE_BYTES)
    else:
        _CACHE.touch(key)
    return cached
