"""Places named after a locative phrase: "works at Bassi e figli in Sarteano", "based in Huesca".

spaCy's small English model finds the places it has seen (Paris, Texas) and misses most towns of
other countries ("in Pinneberg", "in Tiszakeresztfalu", "in 西多摩郡檜原村"). A town is named, in
running text, in a few fixed ways: after ``in``/``near``/``outside`` in a sentence that says
someone or something is there (lives, is based, located, born, raised, works, an office, a
plant, a clinic), or after ``to``/``from`` in one that says someone moved. This detector reads
exactly that, type ``LOC`` (tier 2, tokenized, round-trips):

- a trigger word earlier in the same sentence, at most 80 characters before the preposition
  (``lives``, ``based``, ``located``, ``born``, ``raised``, ``grew up``, ``works``, ``office``,
  ``plant``, ``clinic``, ``moved``, ``relocated``, ...);
- then the place: one to four capitalised words, or a run of a caseless script (Han, Hangul,
  kana), with name particles between them (``Melo do Norte``, ``Stratford upon Avon``), ending
  the clause: punctuation, the end of the line, or a conjunction (``and``, ``where``, ``since``);
- then the NER precision rules (`redaction._ner_precision.refine`): glossary terms, months,
  products and headings are no places; and a single common word is no place here
  (``works in Sales.``, ``based in Python.``), though NER may still propose one.

Not detected: places without a trigger ("Pinneberg is lovely"), lowercase places, places
inside longer noun phrases ("the Pinneberg office"): the NER layers' job.

Speed: one regex pass over a folded copy finds the prepositions; the place and the trigger (in
the 80 characters before, one backward regex match) are read only at such a hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._ner_precision import is_common_word, refine
from .._spans import Span

__all__ = ["PlaceDetector"]

# A word of a place: capitalised (any Latin/Greek/Cyrillic capital), or caseless letters (Han,
# Hangul, kana: no capitals to tell a name by; a run of them after "in" in running text is one).
_WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-Я][^\W\d_]*+(?:['’-][^\W\d_]++)*+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]++)"
_PARTICLE = r"(?:de|do|da|dos|das|del|della|di|du|la|le|les|sur|am|an|im|der|upon|on|y|e)"
_END = (
    r"(?=[.,;:!?)\]]|[ \t]*(?:\r?\n|\Z)|[ \t]+(?:and|but|or|where|which|since|for|with|until|from|to|in|on|at"
    r"|last|this|next|after|before|because|when|while|during)\b)"
)
# Where a place may start: a preposition between a space, tab, line break or `(` and a space or
# tab, not followed by a small letter (`in the`, `to be`). Found in one regex pass over a copy of
# the text with those four folded to a space (one byte per code point): the engine jumps from
# space to space, which costs less than one `bytes.find` pass per preposition and a Python
# test per hit. The preposition's second space is only looked at: `in in X` holds two. A
# preposition at the very start of a text has no trigger before it anyway.
_PREPOSITION = re.compile(rb" (?:in|near|outside|to|from)(?= (?![a-z]))")
_FOLD = bytes.maketrans(b"\t\n(", b"   ")
_PLACE = re.compile(
    rf"(?<![\w-])(?P<prep>in|near|outside|to|from)[ \t]+"
    rf"(?P<place>{_WORD}(?:[ \t](?:{_PARTICLE}[ \t])?{_WORD}){{0,3}}){_END}"
)
# Said of where someone or something is; `to`/`from` only after a move. The greedy `.*` in
# front makes one `match` return the last trigger of the window (the nearest one): the engine
# backs off from the end and tries the words right to left, instead of every word left to right.
_TRIGGER = re.compile(
    r"(?is).*(?<![\w-])(?P<trigger>li(?:ves?|ving|ved)|based|located|born|raised|grew[ \t]+up"
    r"|resid(?:es?|ing|ed)|station(?:ed)?|headquartered|work(?:s|ing|ed)?|offices?|branch|plant|factory|warehouse"
    r"|clinic|hospital|practi[cs]e|studio|shop|store|settled|(?P<move>moved|mov(?:es|ing)"
    r"|relocat(?:ed|es|ing)|travel(?:l?ed|l?ing|s)?|flew|commut(?:es|ed|ing)))(?![\w-])"
)
# A sentence ends at a line break, `。！？`, or `.!?` before a word that does not start in small
# letters: `Kovács és Tóth Kkt. in Tiszakeresztfalu` is one sentence.
_SENTENCE_END = re.compile(r"[.!?]+[ \t]+(?![a-z])|[.!?]+\Z|[\n。！？]")
_REACH = 80  # characters from the trigger to the preposition


class PlaceDetector:
    """``LOC``: a place after a locative phrase of its sentence."""

    name = "places"
    KIND = "LOC"

    def detect(self, text: str) -> Iterator[Span]:
        folded = text.encode("ascii", "replace").translate(_FOLD)  # one byte per code point
        for prep in _PREPOSITION.finditer(folded):
            at = prep.start() + 1
            found = _PLACE.match(text, at)  # its own `[ \t]+` rejects a folded line break or `(`
            if found is None:
                continue
            start = found.start()
            # The same sentence only; the preposition's first letter shows whether a period
            # before it ends one.
            window = text[max(0, start - _REACH) : start + 1]
            # The nearest trigger decides whether `to`/`from` read as a move; the window's last
            # character (the preposition's) is no part of a trigger.
            trigger = _TRIGGER.match(window, 0, len(window) - 1)
            if trigger is None:
                continue
            if _SENTENCE_END.search(window, trigger.start("trigger")) is not None:
                continue  # a sentence ends after the trigger (none can hold its letters)
            if found.group("prep") in ("to", "from") and trigger.group("move") is None:
                continue
            p_start, p_end = found.span("place")
            for s, e in refine(text, p_start, p_end, self.KIND):
                words = text[s:e].split()
                if len(words) == 1 and is_common_word(words[0]):
                    continue  # `works in Sales.`: a word, not a town
                yield Span(s, e, self.KIND, f"rules:{self.name}", 0.6, "locative")
