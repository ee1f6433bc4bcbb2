"""Operator policies (docs/architecture.md §12): actions per type, allow and deny terms, custom rules.

A `Policy` is data the engine applies inside `scrub`, never I/O: the service reads it from the
TOML file named by ``REDACTION_POLICY_FILE`` (`app.policy_file`) and merges a request's
additions into it.

- Actions: ``tokenize`` (the tier-2 default), ``drop`` (the tier-1 default, `[REDACTED:KIND]`),
  ``mask`` (irreversible partial mask `[CREDIT_CARD:****1111]`), ``allow`` (left as is),
  ``block`` (the request is refused). Strongest first: block, drop, tokenize, mask, allow. In
  the resolver the stronger outcome wins an overlap, exactly as tier 1 beats tier 2 without a
  policy (the defaults rank as the tiers do, so `Policy()` changes no output).
- Custom rules: RE2 patterns (``google-re2``: linear time, no backreferences, no lookaround),
  run over the same normalized detection view as the built-in detectors and resolved with
  them, with an optional checksum (``luhn``, ``mod97``) and context words that must stand
  within `CONTEXT_WINDOW` characters of the match.
- Deny terms: always at least tokenized, under their type; matched by the known-entities
  machinery (Aho-Corasick, case-insensitive, word boundaries) without partial mentions.
- Allow terms: one mechanism with the NER-precision glossary (`_ner_precision`): an NER name
  proposal that is an allow term is no name, and a span of any layer whose text is exactly an
  allow term is left as is. "Acme" allowed leaves "Acme" in clear, never "Acme Holdings" or
  "press@acme.com". A term never relaxes a dropped or blocked kind (tier 1 by default: only an
  explicit action does), a deny term, or a value the map already holds.

Terms and patterns are operator data as sensitive as the text: `describe` and every error
carry counts, names, types and actions only. `digest` is a hash of the whole policy, so a
caller can tell which policy scrubbed its data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import re2
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from ._known_entities import KnownEntities
from ._ner_precision import allow_keys
from ._spans import DROP_KINDS, TIER1_KINDS, TOKEN_TYPES, Span
from .errors import PolicyInvalid

__all__ = [
    "ACTIONS",
    "CONTEXT_WINDOW",
    "POLICY_KINDS",
    "TYPE_NAME",
    "VALIDATORS",
    "Action",
    "CustomRule",
    "DenyTerm",
    "Policy",
    "mask_value",
]

Action = Literal["block", "drop", "tokenize", "mask", "allow"]
ACTIONS: tuple[Action, ...] = ("block", "drop", "tokenize", "mask", "allow")  # strongest first
_STRENGTH: Final = {action: rank for rank, action in enumerate(ACTIONS)}
VALIDATORS = ("luhn", "mod97")
TYPE_NAME = re.compile(r"[A-Z][A-Z0-9_]{1,30}")
RULE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# Kinds an action may be set for: every built-in type and tier-1 kind, and the backstop's
# descriptive re-identifiers (which have no token form: drop, block or allow only).
POLICY_KINDS: tuple[str, ...] = (*(t for t in TOKEN_TYPES if t != "LITERAL"), *TIER1_KINDS, "DESCRIPTIVE")
_POLICY_KINDS = frozenset(POLICY_KINDS)
_BUILTIN_TYPES = frozenset(TOKEN_TYPES)
_RESERVED_TYPES = frozenset({"LITERAL", "REDACTED", "DESCRIPTIVE"})
_EMPTY_PROBES = ("", "a", "0", " ", "a b", "-")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_DROP = frozenset(DROP_KINDS)
_TIER1 = frozenset(TIER1_KINDS)
CONTEXT_WINDOW = 48  # characters each side of a match where a context word must stand
MAX_RULES = 64
MAX_PATTERN_CHARS = 1000
MAX_TERMS = 10_000
MAX_TERM_CHARS = 200
MAX_CONTEXT_WORDS = 32
_RE2_MAX_MEM = 8 << 20  # bytes of compiled program per rule: bounds a pathological pattern's size
_MASK_MIN_DIGITS = 8  # a value shows its last 4 digits in a mask only when it has this many


def _re2_options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print the pattern to stderr
    options.max_mem = _RE2_MAX_MEM
    return options


@dataclass(frozen=True, slots=True)
class CustomRule:
    """An operator rule: ``pattern`` (RE2) found in the text becomes a ``type`` span.

    ``context``: words (case-insensitive, whole words) of which one must stand within
    `CONTEXT_WINDOW` characters of the match; empty: no such condition.
    """

    name: str
    pattern: str = field(repr=False)
    type: str
    action: Action = "tokenize"
    validator: Literal["luhn", "mod97"] | None = None
    context: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class DenyTerm:
    """A term that is always at least tokenized, as ``type``."""

    term: str = field(repr=False)
    type: str


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: CustomRule
    regex: Any  # re2._Regexp
    context: re.Pattern[str] | None


def _check_action(key: str, value: object, kind: str) -> Action:
    if not isinstance(value, str) or value not in _STRENGTH:
        raise PolicyInvalid(key, f"action must be one of {', '.join(ACTIONS)}")
    if kind == "DESCRIPTIVE" and value in ("tokenize", "mask"):
        raise PolicyInvalid(key, "DESCRIPTIVE can only be dropped, blocked or allowed")
    return value


def _check_type(key: str, value: object, *, rule: str | None = None) -> str:
    if not isinstance(value, str) or TYPE_NAME.fullmatch(value) is None:
        raise PolicyInvalid(key, "type must match [A-Z][A-Z0-9_]{1,30}", rule=rule)
    if value in _RESERVED_TYPES:
        raise PolicyInvalid(key, "type name is reserved", rule=rule)
    return value


def _check_term(key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PolicyInvalid(key, "term must be a non-empty string")
    if len(value) > MAX_TERM_CHARS:
        raise PolicyInvalid(key, f"term longer than {MAX_TERM_CHARS} characters")
    return value


def _compile_rule(index: int, rule: CustomRule) -> _Compiled:
    key = f"rules[{index}]"
    if not isinstance(rule.name, str) or RULE_NAME.fullmatch(rule.name) is None:
        raise PolicyInvalid(f"{key}.name", "rule name must match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
    name = rule.name
    _check_type(f"{key}.type", rule.type, rule=name)
    if rule.action not in _STRENGTH or rule.action == "allow":
        raise PolicyInvalid(f"{key}.action", "rule action must be tokenize, drop, mask or block", rule=name)
    if rule.validator is not None and rule.validator not in VALIDATORS:
        raise PolicyInvalid(f"{key}.validator", "validator must be luhn or mod97", rule=name)
    if not isinstance(rule.pattern, str) or not rule.pattern:
        raise PolicyInvalid(f"{key}.pattern", "pattern must be a non-empty string", rule=name)
    if len(rule.pattern) > MAX_PATTERN_CHARS:
        raise PolicyInvalid(
            f"{key}.pattern", f"pattern longer than {MAX_PATTERN_CHARS} characters", rule=name
        )
    try:
        regex = re2.compile(rule.pattern, _re2_options())
    except (re2.error, TypeError, ValueError):
        # RE2's message quotes the pattern: never carried.
        raise PolicyInvalid(
            f"{key}.pattern",
            "not a valid RE2 pattern (linear-time syntax: no backreferences, no lookahead or "
            "lookbehind, no possessive or atomic groups)",
            rule=name,
        ) from None
    # A pattern that can match the empty string (`\b`, `\d*`) matches nowhere useful and
    # everywhere at once: refused, as found at any of a few probes.
    if any((m := regex.search(probe)) is not None and m.start() == m.end() for probe in _EMPTY_PROBES):
        raise PolicyInvalid(f"{key}.pattern", "pattern matches the empty string", rule=name)
    words = list(rule.context)
    if len(words) > MAX_CONTEXT_WORDS or not all(isinstance(w, str) and w.strip() for w in words):
        raise PolicyInvalid(
            f"{key}.context", f"context must be at most {MAX_CONTEXT_WORDS} non-empty words", rule=name
        )
    context = None
    if words:
        alternation = "|".join(re.escape(w.strip()) for w in sorted(set(words)))
        context = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    return _Compiled(rule, regex, context)


def _validate(validator: str | None, surface: str) -> bool:
    if validator is None:
        return True
    if validator == "luhn":
        digits = "".join(c for c in surface if c.isdigit())
        return len(digits) >= 2 and bool(luhn.is_valid(digits))
    compact = "".join(c for c in surface if c.isalnum()).upper()
    return len(compact) >= 3 and compact.isascii() and bool(mod_97_10.is_valid(compact))


def mask_value(kind: str, surface: str) -> str:
    """The irreversible partial mask of ``surface``: `[CREDIT_CARD:****1111]`.

    Only the last four digits show, and only when the value holds at least eight digits (a
    card, an account, an IBAN, a phone); any other value shows none: `[EMAIL:****]`.
    """
    digits = [c for c in surface if c.isdigit() and c.isascii()]
    tail = "".join(digits[-4:]) if len(digits) >= _MASK_MIN_DIGITS else ""
    return f"[{kind}:****{tail}]"


class Policy:
    """One effective policy: a profile, possibly extended by a request. Immutable, thread-safe.

    Raises `PolicyInvalid` (naming the key and, for a rule, its name; never a value) for an
    unknown kind or action, a bad type name, or a pattern RE2 refuses.
    """

    __slots__ = (
        "_allow_exact", "_allow_folded", "_allow_keys", "_compiled", "_deny", "actions", "allow",
        "custom_types", "deny", "digest", "rules",
    )  # fmt: skip

    def __init__(
        self,
        *,
        actions: Mapping[str, str] | None = None,
        allow: Iterable[str] = (),
        deny: Iterable[DenyTerm] = (),
        rules: Iterable[CustomRule] = (),
    ) -> None:
        checked: dict[str, Action] = {}
        for kind, action in (actions or {}).items():
            if kind not in _POLICY_KINDS:
                # A caller-chosen key may be a value: named only when it is type-shaped.
                shown = kind if isinstance(kind, str) and TYPE_NAME.fullmatch(kind) else "*"
                raise PolicyInvalid(f"actions.{shown}", "not a known type or kind")
            checked[kind] = _check_action(f"actions.{kind}", action, kind)
        self.actions: Mapping[str, Action] = dict(sorted(checked.items()))
        self.allow: tuple[str, ...] = tuple(_check_term(f"allow[{i}]", term) for i, term in enumerate(allow))
        self.deny: tuple[DenyTerm, ...] = tuple(deny)
        for i, term in enumerate(self.deny):
            _check_term(f"deny[{i}].term", term.term)
            if len(term.term.strip()) < 2:  # the dictionary never matches one character
                raise PolicyInvalid(f"deny[{i}].term", "deny term must hold at least 2 characters")
            kind = _check_type(f"deny[{i}].type", term.type)
            if kind in _TIER1:
                raise PolicyInvalid(f"deny[{i}].type", "deny terms are tokenized: not a tier-1 kind")
        if len(self.allow) > MAX_TERMS or len(self.deny) > MAX_TERMS:
            raise PolicyInvalid(
                "allow" if len(self.allow) > MAX_TERMS else "deny", f"more than {MAX_TERMS} terms"
            )
        self.rules: tuple[CustomRule, ...] = tuple(rules)
        if len(self.rules) > MAX_RULES:
            raise PolicyInvalid("rules", f"more than {MAX_RULES} rules")
        self._compiled = tuple(_compile_rule(i, rule) for i, rule in enumerate(self.rules))
        names = [rule.name for rule in self.rules]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise PolicyInvalid(f"rules[{i}].name", "rule names must be unique", rule=name)
        self._deny = KnownEntities.from_terms((t.type, t.term) for t in self.deny) if self.deny else None
        exact: set[str] = set()
        folded: set[str] = set()
        for allowed in self.allow:
            key = " ".join(allowed.split())
            if any(c.isupper() for word in key.split() for c in word[1:]):
                exact.add(key)  # "KYC", "OpenAI": that spelling only, as the NER glossary does
            else:
                folded.add(key.casefold())
        self._allow_exact = frozenset(exact)
        self._allow_folded = frozenset(folded)
        self._allow_keys = allow_keys(self.allow)
        tokenized = {kind for kind, action in self.actions.items() if action == "tokenize"}
        self.custom_types: frozenset[str] = frozenset(
            kind
            for kind in (*tokenized, *(r.type for r in self.rules), *(t.type for t in self.deny))
            if kind not in _BUILTIN_TYPES
        )
        self.digest = hashlib.sha256(
            json.dumps(self._canonical(), sort_keys=True, ensure_ascii=True).encode("ascii")
        ).hexdigest()[:16]

    # -- identity ---------------------------------------------------------------------------

    def _canonical(self) -> dict[str, Any]:
        return {
            "v": 1,
            "actions": dict(self.actions),
            "allow": sorted(set(self.allow)),
            "deny": sorted({(t.type, t.term) for t in self.deny}),
            "rules": [
                [r.name, r.pattern, r.type, r.action, r.validator, sorted(set(r.context))] for r in self.rules
            ],
        }

    @property
    def is_default(self) -> bool:
        """True when this policy changes nothing: today's behaviour."""
        return not (self.actions or self.allow or self.deny or self.rules)

    def __repr__(self) -> str:  # never a term or a pattern
        return f"<Policy {self.digest} rules={len(self.rules)} allow={len(self.allow)} deny={len(self.deny)}>"

    def extended(
        self,
        *,
        actions: Mapping[str, str] | None = None,
        allow: Iterable[str] = (),
        deny: Iterable[DenyTerm] = (),
        rules: Iterable[CustomRule] = (),
    ) -> Policy:
        """This policy with more: ``actions`` replace this policy's for their kinds; terms and
        rules are added (a rule named like one of this policy's is refused)."""
        return Policy(
            actions={**self.actions, **(actions or {})},
            allow=(*self.allow, *allow),
            deny=(*self.deny, *deny),
            rules=(*self.rules, *rules),
        )

    def describe(self) -> dict[str, Any]:
        """The effective policy without terms or patterns: for ``GET /policy``."""
        deny_types: dict[str, int] = {}
        for term in self.deny:
            deny_types[term.type] = deny_types.get(term.type, 0) + 1
        return {
            "hash": self.digest,
            "actions": {kind: self.action_for(kind) for kind in POLICY_KINDS},
            "allow_terms": len(self.allow),
            "deny_terms": dict(sorted(deny_types.items())),
            "rules": [
                {
                    "name": r.name,
                    "type": r.type,
                    "action": r.action,
                    "validator": r.validator,
                    "context_words": len(set(r.context)),
                }
                for r in self.rules
            ],
        }

    # -- what the engine asks ---------------------------------------------------------------

    def action_for(self, kind: str) -> Action:
        """The action for values of ``kind`` found by a built-in layer."""
        explicit = self.actions.get(kind)
        if explicit is not None:
            return explicit
        return "drop" if kind in _DROP else "tokenize"

    def action(self, span: Span) -> Action:
        """The action for one resolved span: a custom rule's own, a deny term's (never weaker
        than tokenize), a literal's (always tokenized: it stands for itself), else its kind's."""
        source = span.source
        if source == "rule":
            return self.rules[int(span.label)].action
        if source == "literal":
            return "tokenize"
        action = self.action_for(span.kind)
        if source == "deny" and _STRENGTH[action] > _STRENGTH["tokenize"]:
            return "tokenize"
        return action

    def ranked(self, rank: Callable[[Span], tuple[Any, ...]]) -> Callable[[Span], tuple[Any, ...]]:
        """The resolver's ``rank`` with the action's strength in place of the tier."""

        def key(span: Span) -> tuple[Any, ...]:
            return (_STRENGTH[self.action(span)], *rank(span)[1:])

        return key

    @property
    def ner_allow(self) -> frozenset[str]:
        """The allow terms as the NER-precision glossary reads them (`_ner_precision.allow_keys`)."""
        return self._allow_keys

    def propose(self, view: str) -> list[Span]:
        """Spans of the custom rules and deny terms over the detection view ``view``."""
        spans: list[Span] = []
        # RE2 reads UTF-8, which cannot hold a lone surrogate (legal in a str, and accepted as
        # item text): each is read as U+FFFD, one code point for one, so offsets do not move.
        scanned = view if view.isascii() else _LONE_SURROGATE.sub("\ufffd", view)
        for index, compiled in enumerate(self._compiled):
            rule = compiled.rule
            for m in compiled.regex.finditer(scanned):
                start, end = m.start(), m.end()
                if start == end:
                    continue
                if not _validate(rule.validator, view[start:end]):
                    continue
                if compiled.context is not None and not (
                    compiled.context.search(scanned, max(0, start - CONTEXT_WINDOW), start)
                    or compiled.context.search(scanned, end, end + CONTEXT_WINDOW)
                ):
                    continue
                spans.append(Span(start, end, rule.type, "rule", 1.0, str(index)))
        if self._deny is not None:
            spans.extend(
                Span(s.start, s.end, s.kind, "deny", s.confidence, "", s.entity)
                for s in self._deny.find(view)
            )
        return spans

    def is_allowed(self, surface: str) -> bool:
        """``surface`` is exactly an allow term (white space folded; case as the glossary)."""
        if not (self._allow_exact or self._allow_folded):
            return False
        key = " ".join(surface.split())
        return key in self._allow_exact or key.casefold() in self._allow_folded

    def without_allowed(
        self, text: str, spans: Sequence[Span], held: Container[str] = frozenset()
    ) -> tuple[list[Span], dict[str, int]]:
        """``spans`` less those whose text is exactly an allow term, and how many of each kind
        were left out. An allow term relaxes only a tier-2 value that would be tokenized or
        masked: a tier-1 kind, whatever its action, or a kind this policy drops or blocks is
        allowed by an explicit action, never by a term; a deny term or a value the map already
        holds (``held``: an earlier turn protected it) stays protected."""
        if not (self._allow_exact or self._allow_folded):
            return list(spans), {}
        kept: list[Span] = []
        allowed: dict[str, int] = {}
        for span in spans:
            surface = text[span.start : span.end]
            if (
                span.source == "deny"
                or span.kind in _TIER1
                or self.action(span) in ("drop", "block")
                or surface in held
                or not self.is_allowed(surface)
            ):
                kept.append(span)
            else:
                allowed[span.kind] = allowed.get(span.kind, 0) + 1
        return kept, allowed

    @staticmethod
    def replacement(action: Action, kind: str, surface: str) -> str:
        """What ``mask``, ``allow`` and ``block`` write in place of a value."""
        if action == "mask":
            return mask_value(kind, surface)
        if action == "allow":
            return surface
        return f"[REDACTED:{kind}]"  # block: the request is refused; engine callers see a drop
