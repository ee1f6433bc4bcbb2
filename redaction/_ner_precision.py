"""The NER precision layer: which part of an NER proposal is a name (issue 10 §4).

NER layers (spaCy, the LLM backstop) only propose ``(surface, LABEL)`` pairs, and the small models
tag ordinary words: "Call Jane" as a person, "Draft" at a sentence start, "KYC", "Legal and
Finance", "Happy Holidays", "Docker", log levels, order numbers. Tokenizing them changes what the
LLM reads and what comes back ("I will call Call Jane"). Every PERSON, ORG and LOC proposal the
engine locates goes through `refine`, which keeps only the part that can be a name:

- split where no name continues: glossary phrases inside the proposal ("Happy New Year Merry
  Christmas", "Kind regards Markus Weber"), line breaks, tabs, runs of spaces, `| = ; : ( ) [ ] < > " /`,
  spaced dashes and arrows, code-shaped words (`api_key`, `backup.fetch`), honorifics and role
  words (`Dr`, `Mr`, `CFO`, `VP`), and in a person lowercase words but name particles ("Jane
  and John"): "Christopher Johnston -> Suzanne Woods" is two people,
  "L. Dr Bell" is "Bell". An NER span never keeps an honorific: "Dr [PERSON_1]" reads naturally
  and "Dr Smith" and "Smith" are one entity (the caller's dictionary, which folds "Ms. Doe" into
  its own span, wins over NER wherever both match);
- trim at the edges: imperative verbs and greetings at the start ("Call", "Draft", "Email",
  "Bonjour", "Dear"), capitalised determiners at the start ("The", "Our"), lowercase function
  words and particles at either edge ("of", "and", "de"), numbers and identifiers at either edge
  ("Lead INC5993264"), possessive `'s`, punctuation; for a person, any common word at an edge;
- drop what is left when it is not a name: no letters to speak of; a term of the glossary
  (`data/ner_glossary.txt`: finance, legal, security, HR, tech products, headings, greetings,
  months) or of the operator's ``allow`` terms; only common words (`data/ner_common_words.txt`,
  which holds no first or family name, so "Will Baker" and "Grant Moore" stay names) or an
  organisation's own units ("the Risk Committee"), unless an organisation ends in a designator
  ("Summit Ridge Partners II, L.P.", not "Capital Markets") or a multi-word place is written
  in running text ("Salt Lake City"); a single common word capitalised mid-sentence is
  still dropped as a person or organisation ("the Board") but kept as a place ("in Nice"); an
  all-caps word of at most 5 letters as a person ("KYC"), of at most 2 as anything ("US"); a
  person with a digit in it.

Names of any script pass: accents ("Csanád Szabó"), particles inside ("Ana de la Cruz", "Ludwig
van Beethoven"), hyphens and apostrophes ("Anne-Marie Dupont", "O'Brien"), Hangul and Han
("김민준", "王伟"), which have no case and no common-word entry. Linear in the proposal's length;
the word lists are read once, at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources

__all__ = ["NAME_KINDS", "allow_keys", "data_lines", "designators_only", "is_common_word", "refine"]

NAME_KINDS = frozenset({"PERSON", "ORG", "LOC"})


def data_lines(name: str) -> list[str]:
    """The lines of ``redaction/data/<name>``, stripped, without blank lines and `#` comments."""
    raw = resources.files(__package__ or "redaction").joinpath("data", name).read_text("utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]


def _exact_case(term: str) -> bool:
    # "KYC", "OpenAI", "SOC 2" (a capital inside a word) match as written; "Docker", "janvier",
    # "Kind Regards" in any case.
    return any(c.isupper() for word in term.split() for c in word[1:])


def _key(words: Iterable[str]) -> str:
    return " ".join(words)


def _glossary(terms: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    exact: set[str] = set()
    folded: set[str] = set()
    for term in terms:
        words = term.split()
        if not words:
            continue
        if _exact_case(term):
            exact.add(_key(words))
        else:
            folded.add(_key(words).casefold())
    return frozenset(exact), frozenset(folded)


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


_GLOSSARY_EXACT, _GLOSSARY_FOLDED = _glossary(data_lines("ner_glossary.txt"))
_COMMON = frozenset(data_lines("ner_common_words.txt"))

# Inside a name these stay lowercase ("Ludwig van Beethoven"); capitalised at an edge they may be
# a name of their own ("Nguyễn Văn An", "Wilson, Le and Hill"), so they are never trimmed there.
_PARTICLES = _words(
    "al an bin da das de del della der des di do dos du e el ibn la las le los san st te ten ter "
    "van von văn thi thị y zu"
)
_LEADING = _words(  # words that open a sentence or a line, never a name
    "ask book call cc check confirm contact draft email e-mail escalate follow forward greet "
    "invite loop meet message notify pay phone ping please remind reply review schedule send "
    "sign tell text thank thanks update welcome write "
    "add approve assign attach close create delete deploy disable download enable install merge "
    "open remove reset restart rotate run share submit upload verify "
    "hi hello hey dear greetings cheers regards bonjour bonsoir salut cher chère hallo liebe "
    "lieber hola estimado estimada querido querida ciao gentile "
    "the this that these those our your my their its every each any some all"
)
_HONORIFICS = _words(
    "mr mrs ms mx miss dr prof sir dame herr frau mme mlle monsieur madame señor "
    "señora sr sra srta dott dottssa dra ing mag"
)
_ROLES = _words("CEO CFO COO CTO CIO CISO CMO CRO CPO CHRO VP SVP EVP AVP GM MD GC")
# An organisation word that makes common words a name ("Summit Ridge Partners II, L.P.").
_DESIGNATORS = _words(
    "ag associates bank bv capital co company corp corporation equity foundation fund gmbh group "
    "holdings inc kg kgaa llc llp lp l.p ltd mbh nv ohg partners plc sa sarl sas scs scsp spa "
    "trust ventures sons brothers bros daughters söhne fils hijos hermanos e.v"
)
_FAMILY_FIRM = _words("sons brothers bros daughters söhne fils hijos hermanos")
# An organisation's own units: "the Risk Committee" is no organisation of its own.
_UNITS = _words("board committee council team department dept division office desk unit squad guild")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3}")
_ABBREVIATIONS = _words("inc co corp ltd jr sr st bros")
# A run without the characters that never occur inside a name.
_WORD_RUN = re.compile(r"[^\s|=;:(){}\[\]<>\"“”«»/\\@#$%*`~^!?+]+")
_DASHES = frozenset("-–—")
_EDGE_PUNCT = ",.;'’\"-–—&"
_TRAILING_PUNCT = _EDGE_PUNCT.replace(".", "")
# Code, not a name: snake_case, `backup.fetch`, `os.environ` (lookarounds keep it linear).
_CODE = re.compile(r"_|(?<=[a-z][a-z])\.(?=[A-Za-z][A-Za-z])|(?<=[A-Za-z][A-Za-z])\.(?=[a-z][a-z])")
_DIGIT = re.compile(r"\d")
_LINE_MARKERS = " \t#*-•·>:0123456789.)"
_HEADING_REACH = 80


def allow_keys(terms: Iterable[str]) -> frozenset[str]:
    """Operator allow terms as `refine` matches them: whitespace-folded and casefolded."""
    return frozenset(_key(t.split()).casefold() for t in terms if t.split())


def refine(
    text: str, start: int, end: int, kind: str, allow: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]``, proposed by NER as ``kind``, that may be tokenized.

    Kinds other than `NAME_KINDS` are returned whole. ``allow`` is `allow_keys` of the
    operator's extra glossary terms.
    """
    if kind not in NAME_KINDS:
        return [(start, end)]
    if _SIMPLE.fullmatch(text, start, end) is not None:
        return _refine_simple(text, start, end, kind, allow)
    if _in_glossary([w for w in (_core(t) for t in text[start:end].split()) if w], allow):
        return []  # "Sales and Marketing", "Bien cordialement": whole terms before any split
    kept: list[tuple[int, int]] = []
    piece: list[tuple[int, int]] = []
    last_end = -1
    runs = [m.span() for m in _WORD_RUN.finditer(text, start, end)]
    covered = _glossary_cover([_core(text[s:e]) for s, e in runs], allow)
    for index, (s, e) in enumerate(runs):
        word = _core(text[s:e])
        gap = text[last_end:s] if last_end >= 0 else " "
        joiner = text[s:e] == "&"  # "Jungfer GmbH & Co. KG", "Ernst & Young"
        drop = (not word and not joiner) or _CODE.search(word) is not None or _is_title(word)
        drop = drop or index in covered
        if kind == "PERSON":
            drop = drop or _has_digit(word) or (_is_lower(word) and word.lower() not in _PARTICLES)
        if drop or gap not in (" ", "\u00a0"):
            _flush(text, piece, kind, allow, kept)
            piece = []
            if drop:
                last_end = e
                continue
        piece.append((s, e))
        last_end = e
    _flush(text, piece, kind, allow, kept)
    return kept


# Capitalised ASCII words between single spaces ("Lake Robert", "Brownport"), most of what the
# place detector proposes: no punctuation, digits, code, lowercase word or odd gap to split at.
_SIMPLE = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")


_PERSON_OPENING = _LEADING | _COMMON


def _refine_simple(
    text: str, start: int, end: int, kind: str, allow: frozenset[str]
) -> list[tuple[int, int]]:
    """`refine` of a `_SIMPLE` proposal, the same answer at a fraction of the cost: its words are
    their own cores, never lowercase, all-caps, Roman numerals, roles or code, so only glossary
    phrases and honorifics split it, and edges need no punctuation stripped; a run of its words
    is its own glossary key, and ASCII casefolds as it lowercases."""
    surface = text[start:end]
    low = surface.lower()
    if surface in _GLOSSARY_EXACT or low in _GLOSSARY_FOLDED or low in allow:
        return []
    words = surface.split(" ")
    lows = low.split(" ")
    # A phrase inside needs two words of its own and one left out; no word is an acronym.
    covered = _glossary_cover(words, allow) if len(words) > 2 else set()
    kept: list[tuple[int, int]] = []
    lo = 0
    for index, word_low in enumerate(lows):
        if index in covered or word_low in _HONORIFICS:
            _flush_simple(text, start, words, lows, lo, index, kind, allow, kept)
            lo = index + 1
    _flush_simple(text, start, words, lows, lo, len(words), kind, allow, kept)
    return kept


def _flush_simple(
    text: str,
    start: int,
    words: list[str],
    lows: list[str],
    lo: int,
    hi: int,
    kind: str,
    allow: frozenset[str],
    kept: list[tuple[int, int]],
) -> None:
    """`_flush` of ``words[lo:hi]`` of a `_SIMPLE` proposal starting at ``start``."""
    person = kind == "PERSON"
    opening = _PERSON_OPENING if person else _LEADING  # what `_trim_edge` trims at the start
    while lo < hi and lows[lo] not in _PARTICLES and lows[lo] in opening:
        lo += 1
    while hi > lo and person and lows[hi - 1] not in _PARTICLES and lows[hi - 1] in _COMMON:
        hi -= 1
    if lo >= hi or hi - lo > _MAX_NAME_WORDS[kind]:
        return
    s = start + sum(map(len, words[:lo])) + lo
    e = s + sum(map(len, words[lo:hi])) + hi - lo - 1
    key = text[s:e]
    low = key.lower()
    if key in _GLOSSARY_EXACT or low in _GLOSSARY_FOLDED or low in allow:
        return
    # `_name_like`: a word that is no glossary term, designator, common word or unit names it.
    for index in range(lo, hi):
        word, low = words[index], lows[index]
        if word in _GLOSSARY_EXACT or low in _GLOSSARY_FOLDED or low in allow or low in _DESIGNATORS:
            continue
        if low not in _COMMON and low not in _UNITS:
            kept.append((s, e))
            return
    last = lows[hi - 1]
    if kind == "ORG":
        if last in _DESIGNATORS and (hi - lo > 1 or last in _FAMILY_FIRM):
            kept.append((s, e))
    elif kind == "LOC" and not _heading(text, s, e) and (hi - lo > 1 or _mid_sentence(text, s)):
        kept.append((s, e))


def is_common_word(word: str) -> bool:
    """True if ``word`` (edge punctuation aside) is a common word of the language, which no
    first or family name is ("Sales", "Python", "Board"; not "Wells" or "Nice")."""
    return _common(_core(word))


def designators_only(surface: str) -> bool:
    """True if ``surface`` holds words and every one is an organisation designator ("LLC",
    "Foundation", "II"): what makes a known name an organisation's ("the Jane Doe Foundation")."""
    words = [w for w in (_core(t) for t in surface.split()) if w]
    return bool(words) and all(map(_designator, words))


def _core(token: str) -> str:
    return token.strip(_EDGE_PUNCT)


def _has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


def _is_title(word: str) -> bool:
    return word.rstrip(".").lower() in _HONORIFICS or word in _ROLES


def _common(word: str) -> bool:
    # No stemming: "Wells", "Hayes" and "Banks" are names, though "well", "hay" and "bank" are words.
    return word.lower() in _COMMON


def _designator(word: str) -> bool:
    return word.lower().rstrip(".") in _DESIGNATORS or _ROMAN.fullmatch(word) is not None


def _in_glossary(words: list[str], allow: frozenset[str]) -> bool:
    key = _key(words)
    folded = key.casefold()
    return key in _GLOSSARY_EXACT or folded in _GLOSSARY_FOLDED or folded in allow


def _is_lower(word: str) -> bool:
    return word[:1].islower()


_MAX_TERM_WORDS = 4  # the longest glossary phrase looked for inside a proposal


def _glossary_cover(words: list[str], allow: frozenset[str]) -> set[int]:
    """Indices of the words that belong to a glossary phrase inside a proposal.

    The model runs headings and greetings into names ("Happy New Year Merry Christmas",
    "Q&A The Team", "Kind regards Markus Weber"): such a phrase is no part of a name, so the
    words on either side of it are judged on their own. A one-word term counts here only as
    an acronym ("KYC Jane Doe"): a product word may start a company's name ("Slack Holdings").
    """
    covered: set[int] = set()
    if len(words) < 2:
        return covered  # a phrase inside a proposal leaves at least one word out
    at = 0
    while at < len(words):
        for n in range(min(_MAX_TERM_WORDS, len(words) - at), 0, -1):
            if (n > 1 or _acronym(words[at])) and len(words) > n and _in_glossary(words[at : at + n], allow):
                covered.update(range(at, at + n))
                at += n
                break
        else:
            at += 1
    return covered


def _acronym(word: str) -> bool:
    return any(map(str.isupper, word[1:]))


def _flush(
    text: str, tokens: list[tuple[int, int]], kind: str, allow: frozenset[str], kept: list[tuple[int, int]]
) -> None:
    """Trim one run of words at its edges and keep it if it can be a name."""
    words = [_core(text[s:e]) for s, e in tokens]
    lo, hi = 0, len(tokens)
    # Edges: identifiers, lowercase words (but designators like "e.V."), openers at the start.
    while lo < hi and _trim_edge(words[lo], kind, leading=True):
        lo += 1
    while hi > lo and _trim_edge(words[hi - 1], kind, leading=False):
        hi -= 1
    if lo >= hi:
        return
    words = words[lo:hi]
    s = tokens[lo][0]
    e = tokens[hi - 1][1]
    s, e = _strip_span(text, s, e)
    if e - s < 2 or not _name_like(text, s, e, words, kind, allow):
        return
    kept.append((s, e))


def _trim_edge(word: str, kind: str, *, leading: bool) -> bool:
    if not word or _has_digit(word) or word in _DASHES:
        return True
    low = word.lower()
    if _is_lower(word):
        return low.rstrip(".") not in _DESIGNATORS
    if low in _PARTICLES:
        return False  # capitalised particle: may be a name of its own
    if leading and low in _LEADING:
        return True
    # A person's name holds no common word ("Attendees Jane Doe", "Jane Doe Committed").
    return kind == "PERSON" and _common(word)


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _EDGE_PUNCT:
        s += 1
    while e > s:
        if text[e - 2 : e] in ("'s", "’s"):
            e -= 2
        elif text[e - 1] in _TRAILING_PUNCT or (text[e - 1] == "." and not _keeps_period(text[s : e - 1])):
            e -= 1
        else:
            break
    return s, e


def _keeps_period(surface: str) -> bool:
    last = surface.rsplit(" ", 1)[-1]
    return "." in last or len(last) == 1 or last.lower() in _ABBREVIATIONS


# The most words a name of each kind runs to ("Maria del Carmen García de la Fuente" is 7; "The
# International Bank for Reconstruction and Development" is 7): a longer proposal is a heading,
# an agenda or a run of repeated words ("Abc Def Abc Def ..."), not one name.
_MAX_NAME_WORDS = {"PERSON": 8, "ORG": 12, "LOC": 10}


def _name_like(text: str, s: int, e: int, words: list[str], kind: str, allow: frozenset[str]) -> bool:
    words = [w for w in words if w]
    if len(words) > _MAX_NAME_WORDS[kind]:
        return False
    letters = sum(map(str.isalpha, text[s:e]))
    if letters < 2 or _in_glossary(words, allow):
        return False
    if not any(not _is_lower(w) for w in words):
        return False  # no capitalised or caseless word: "quick", "api"
    if len(words) == 1:
        word = words[0]
        caps = word.isupper() and word.isalpha()
        if caps and (len(word) <= 2 or (kind == "PERSON" and len(word) <= 5)):
            return False
    named = False
    for word in words:
        if _in_glossary([word], allow) or _designator(word):
            continue
        if not _common(word) and word.lower() not in _UNITS:
            named = True
    # A designator ends an organisation's name: "Summit Ridge Partners II, L.P." is one, though
    # its other words are common; "Capital Markets" is not. Alone it is no name ("the Fund"),
    # but for a family firm's tail, which the model proposes apart ("Wilson and Sons").
    last = words[-1]
    designated = _designator(last) and (len(words) > 1 or last.lower() in _FAMILY_FIRM)
    if named or (designated and kind == "ORG"):
        return True
    if kind != "LOC":
        return False
    # A place made of common words: kept in running text ("Salt Lake City", "in Nice"), dropped
    # as a heading or at the start of a sentence ("Windows", "Next Steps").
    if _heading(text, s, e):
        return False
    return len(words) > 1 or _mid_sentence(text, s)


def _heading(text: str, s: int, e: int) -> bool:
    # Bounded look-around: a heading is a short line, and a long line costs no more than a short one.
    before = text[max(0, s - _HEADING_REACH) : s]
    after = text[e : e + _HEADING_REACH]
    if "\n" in before:
        before = before[before.rfind("\n") + 1 :]
    elif s > _HEADING_REACH:
        return False
    if "\n" in after:
        after = after[: after.find("\n")]
    elif e + _HEADING_REACH < len(text):
        return False
    return not before.strip(_LINE_MARKERS) and not after.strip(" \t:.")


def _mid_sentence(text: str, s: int) -> bool:
    before = text[max(0, s - 40) : s].rstrip()
    return bool(before) and before[-1] not in ".!?:;\n\r\t•*-#>\"'“(["
