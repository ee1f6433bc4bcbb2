"""Entity identity: which surface forms are "the same value" and so share a token number."""

from __future__ import annotations

import re

__all__ = ["entity_key"]

_NON_WORD = re.compile(r"\W+")
_SPACE = re.compile(r"\s+")
_NOT_PHONE_DIGIT = re.compile(r"[^0-9+]")
_NAME_KINDS = frozenset({"PERSON", "ORG", "FUND", "LOC", "ADDRESS"})


def entity_key(kind: str, value: str) -> str:
    """Canonical identity of ``value`` (already in the normalized detection view).

    Names ignore case and punctuation ("O'Neil" == "o neil"), e-mails ignore case, phones
    ignore formatting; anything else ignores case and runs of whitespace. Two surfaces with
    one key get one entity number and distinct variants, so round trip stays exact.
    """
    if kind in _NAME_KINDS:
        body = " ".join(_NON_WORD.sub(" ", value.lower()).split())
    elif kind == "PHONE":
        body = _NOT_PHONE_DIGIT.sub("", value)
    elif kind == "LITERAL":
        body = value  # a literal is only ever itself
    else:
        body = _SPACE.sub(" ", value.strip()).casefold()
    return f"{kind}:{body}"
