"""Which of many literals occur in a text, in one pass.

A detector with many patterns guards each with a literal (`hint in text`) or finds its keyword
anchors in the lower-cased text. Each `in` or `find` is a C-speed scan of the whole text, but
forty of them are forty scans: on 1 MB of mixed text the API-key hints alone cost 27 ms. RE2's
`Set` runs every literal in one DFA pass (about 2.5 ms per MB for fifty literals, however many
there are), so a detector asks once which literals occur and skips every pattern whose literals
do not; the exact offsets, where needed, come from `str.find` on the few that do.

The set is a prefilter only in the sense that it decides *which* literals to look at; its answer
is exact (a literal is reported iff `literal in text`), which the property tests check. It must
never answer "none" for a text that holds one: a DFA that runs out of memory would, so the
literals are few and short (their automaton has at most a few thousand states) and the memory
budget is set well above what they need.
"""

from __future__ import annotations

from collections.abc import Iterable

import re2

__all__ = ["LiteralSet"]

# RE2's default is 8 MB; a set of a few hundred short literals needs well under 1 MB of DFA
# states. The margin keeps the DFA from ever resetting its cache mid-text (which, repeated, makes
# RE2 give up and report no match).
_MAX_MEM = 64 << 20
_MAX_LITERAL_CHARS = 20_000  # the sum of the literals' lengths: bounds the DFA's states


class LiteralSet:
    """A fixed set of literals (case-sensitive, exact) and the question: which occur in a text?"""

    __slots__ = ("_set", "literals")

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals: tuple[str, ...] = tuple(dict.fromkeys(literal for literal in literals if literal))
        if not self.literals:
            raise ValueError("a LiteralSet needs at least one non-empty literal")
        if sum(map(len, self.literals)) > _MAX_LITERAL_CHARS:
            raise ValueError("too many literals for one DFA pass")
        options = re2.Options()
        options.literal = True  # no escaping: every pattern is its own text
        options.max_mem = _MAX_MEM
        options.log_errors = False
        self._set = re2.Set.SearchSet(options)
        for literal in self.literals:
            self._set.Add(literal)
        self._set.Compile()

    def present(self, text: str) -> list[int]:
        """Indices (into ``literals``) of the literals that occur in ``text``, unordered.

        Any ``str`` is accepted: lone surrogates are encoded as such (`surrogatepass`), which
        cannot form a literal's UTF-8 bytes, so the answer is still `literal in text`."""
        return self._set.Match(text.encode("utf-8", "surrogatepass")) or []
