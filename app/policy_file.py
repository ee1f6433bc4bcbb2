"""``REDACTION_POLICY_FILE``: named policy profiles in TOML, and a request's additions to one.

The file (docs/policies.md has the full reference and examples)::

    [profiles.finance]
    actions = { CREDIT_CARD = "tokenize", EMAIL = "mask" }
    allow = ["Northwind", "KYC"]
    deny = [{ term = "Project Falcon", type = "PROJECT" }]
    overrides = { allow = false, actions = false }

    [[profiles.finance.rules]]
    name = "customer-ref"
    pattern = 'NW-\\d{4}-\\d{4}'
    type = "CUSTOMER_REF"
    action = "tokenize"
    validator = "luhn"        # optional: luhn | mod97
    context = ["customer"]    # optional: a word that must stand nearby

It is read once, at start-up, with the standard library's `tomllib`, and validated whole: any
error stops the service (`PolicyFileError`; ``redaction-gateway serve`` and
`app.main.create_app_from_env` exit with status 2) with a message that names the profile, the
key, the rule and the line, never a term or a pattern. ``default`` applies when a request
names no profile; a file without one keeps today's behaviour as ``default``.

A request may add deny terms and rules and make actions stronger; it may add allow terms or
make an action weaker only where its profile's ``overrides`` permit (else 403
``policy_override_forbidden``). Strength, strongest first: block, drop, tokenize, mask, allow.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from redaction import CustomRule, DenyTerm, Policy
from redaction._policy import ACTIONS
from redaction.errors import PolicyInvalid

from .errors import PolicyOverrideForbidden, UnknownProfile

__all__ = [
    "DEFAULT_PROFILE",
    "PolicyFileError",
    "PolicySet",
    "Profile",
    "ResolvedPolicy",
    "builtin_policies",
    "exit_on_startup_error",
    "load_policy_file",
    "policies_from_settings",
]

DEFAULT_PROFILE = "default"
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_PROFILE_KEYS = frozenset({"actions", "allow", "deny", "rules", "overrides"})
_RULE_KEYS = frozenset({"name", "pattern", "type", "action", "validator", "context"})
_OVERRIDE_KEYS = frozenset({"allow", "actions"})
_STRENGTH = {action: rank for rank, action in enumerate(ACTIONS)}
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_.-]{1,40}")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class PolicyFileError(ValueError):
    """The policy file cannot be used; the message names profile, key and line, never a value."""


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    policy: Policy
    allow_override: bool = False  # a request may add allow terms
    actions_override: bool = False  # a request may choose weaker actions

    def describe(self) -> dict[str, Any]:
        return {
            **self.policy.describe(),
            "overrides": {"allow": self.allow_override, "actions": self.actions_override},
        }


@dataclass(frozen=True, slots=True)
class ResolvedPolicy:
    """The policy one request runs under: its profile's, plus the request's additions."""

    profile: str
    policy: Policy

    @property
    def engine_policy(self) -> Policy | None:
        """None when the policy changes nothing (the engine's fastest path, same output)."""
        return None if self.policy.is_default else self.policy

    @property
    def stats(self) -> dict[str, str]:
        return {"profile": self.profile, "hash": self.policy.digest}


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every profile of the running service, ``default`` always among them."""

    profiles: Mapping[str, Profile]
    source: str  # "file" or "builtin"

    def describe(self) -> dict[str, Any]:
        """``GET /policy``: each profile's effective policy, without terms or patterns."""
        return {
            "source": self.source,
            "default_profile": DEFAULT_PROFILE,
            "profiles": {name: profile.describe() for name, profile in sorted(self.profiles.items())},
        }

    @property
    def hashes(self) -> dict[str, str]:
        return {name: profile.policy.digest for name, profile in sorted(self.profiles.items())}

    def resolve(self, profile: str | None, request: Any = None) -> ResolvedPolicy:
        """The policy for a request naming ``profile`` (None: ``default``) with ``request``
        (an `app.models.PolicyIn` or None) added.

        Raises `UnknownProfile`, `PolicyOverrideForbidden`, `PolicyInvalid` (400).
        """
        name = DEFAULT_PROFILE if profile is None else profile
        chosen = self.profiles.get(name)
        if chosen is None:
            raise UnknownProfile("no such profile")
        if request is None:
            return ResolvedPolicy(name, chosen.policy)
        base = chosen.policy
        relaxed: list[str] = []
        if request.allow and not chosen.allow_override:
            relaxed.append("allow")
        for kind, action in request.actions.items():
            if (
                action in _STRENGTH
                and _STRENGTH[action] > _STRENGTH[base.action_for(kind)]
                and not chosen.actions_override
            ):
                relaxed.append(
                    f"actions.{kind}" if re.fullmatch(r"[A-Z][A-Z0-9_]{1,30}", kind) else "actions"
                )
        if relaxed:
            raise PolicyOverrideForbidden(name, relaxed)
        try:
            policy = base.extended(
                actions=dict(request.actions),
                allow=list(request.allow),
                deny=[DenyTerm(d.term, d.type) for d in request.deny],
                rules=[
                    CustomRule(r.name, r.pattern, r.type, r.action, r.validator, tuple(r.context))
                    for r in request.rules
                ],
            )
        except PolicyInvalid as exc:
            # The key as the request numbers it: rules[0] is the request's first rule.
            exc.key = _request_key(exc.key, base)
            raise
        return ResolvedPolicy(name, policy)


_LIST_KEY = re.compile(r"(rules|deny|allow)\[(\d+)\](.*)")


def _request_key(key: str, base: Policy) -> str:
    m = _LIST_KEY.fullmatch(key)
    if m is None:
        return key
    offset = {"rules": len(base.rules), "deny": len(base.deny), "allow": len(base.allow)}[m.group(1)]
    return f"{m.group(1)}[{int(m.group(2)) - offset}]{m.group(3)}"


def builtin_policies() -> PolicySet:
    """No policy file: one ``default`` profile, today's behaviour."""
    return PolicySet({DEFAULT_PROFILE: Profile(DEFAULT_PROFILE, Policy())}, "builtin")


# -- the file -------------------------------------------------------------------------------


class _Locator:
    """Line numbers for keys of the parsed file (`tomllib` gives none): found from table
    headers and ``key =`` lines, which is how operators write policy files."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, source: str) -> None:
        self.headers: list[tuple[int, str, bool]] = []  # (line, dotted name, array table)
        self.lines = source.splitlines()
        for number, line in enumerate(self.lines, 1):
            m = self._HEADER.match(line)
            if m:
                name = ".".join(part.strip().strip("\"'") for part in m.group(1).split("."))
                self.headers.append((number, name, line.lstrip().startswith("[[")))

    def _table(self, name: str, nth: int = 0) -> tuple[int, int] | None:
        """(first line, last line) of table ``name`` (its ``nth`` occurrence for arrays)."""
        seen = 0
        for i, (number, header, _) in enumerate(self.headers):
            if header == name:
                if seen == nth:
                    end = self.headers[i + 1][0] - 1 if i + 1 < len(self.headers) else len(self.lines)
                    return number, end
                seen += 1
        return None

    def _key(self, span: tuple[int, int] | None, key: str) -> int | None:
        if span is None:
            return None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(span[0], span[1] + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def line(self, profile: str, key: str) -> int | None:
        base = f"profiles.{profile}"
        table = self._table(base)
        parts = re.split(r"[.\[\]]+", key)
        parts = [p for p in parts if p]
        first = parts[0] if parts else ""
        if first == "rules" and len(parts) >= 2 and parts[1].isdigit():
            rule = self._table(f"{base}.rules", int(parts[1]))
            found = self._key(rule, parts[2]) if len(parts) > 2 else None
            return found or (rule[0] if rule else self._key(table, "rules") or (table[0] if table else None))
        sub = self._table(f"{base}.{first}")
        if sub is not None:
            return (self._key(sub, parts[1]) if len(parts) > 1 else None) or sub[0]
        return self._key(table, first) or (table[0] if table else None)


def _fail(
    profile: str | None, key: str, reason: str, line: int | None, rule: str | None = None
) -> PolicyFileError:
    where = []
    if profile is not None:
        where.append(f"profile {profile!r}")
    where.append(f"key {key!r}")
    if rule is not None:
        where.append(f"rule {rule!r}")
    if line is not None:
        where.append(f"line {line}")
    return PolicyFileError("REDACTION_POLICY_FILE: " + ", ".join(where) + f": {reason}")


def _shown(key: object) -> str:
    """A key of the file as an error may name it: identifier-shaped, else ``*`` (a key the
    operator mistyped could be a term)."""
    return key if isinstance(key, str) and _KEY_SHAPE.fullmatch(key) else "*"


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _profile(name: str, raw: object, locate: _Locator) -> Profile:
    def fail(key: str, reason: str, rule: str | None = None) -> PolicyFileError:
        return _fail(name, key, reason, locate.line(name, key), rule)

    if _PROFILE_NAME.fullmatch(name) is None:
        raise _fail(
            None, f"profiles.{_shown(name)}", "profile names match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}", None
        )
    if not isinstance(raw, dict):
        raise fail("", "a profile is a table")
    for key in raw:
        if key not in _PROFILE_KEYS:
            raise fail(_shown(key), f"unknown key (expected one of {', '.join(sorted(_PROFILE_KEYS))})")
    actions = raw.get("actions", {})
    if not isinstance(actions, dict) or not all(isinstance(v, str) for v in actions.values()):
        raise fail("actions", 'actions is a table of TYPE = "action"')
    allow = raw.get("allow", [])
    if not _strings(allow):
        raise fail("allow", "allow is a list of strings")
    deny_raw = raw.get("deny", [])
    if not isinstance(deny_raw, list):
        raise fail("deny", "deny is a list of { term, type } tables")
    deny: list[DenyTerm] = []
    for i, entry in enumerate(deny_raw):
        if not isinstance(entry, dict) or set(entry) != {"term", "type"}:
            raise fail(f"deny[{i}]", 'each deny entry is { term = "...", type = "TYPE" }')
        if not isinstance(entry["term"], str) or not isinstance(entry["type"], str):
            raise fail(f"deny[{i}]", "term and type are strings")
        deny.append(DenyTerm(entry["term"], entry["type"]))
    rules_raw = raw.get("rules", [])
    if not isinstance(rules_raw, list):
        raise fail("rules", "rules is an array of tables ([[profiles.NAME.rules]])")
    rules: list[CustomRule] = []
    for i, entry in enumerate(rules_raw):
        if not isinstance(entry, dict):
            raise fail(f"rules[{i}]", "a rule is a table")
        rule_name = entry.get("name") if isinstance(entry.get("name"), str) else None
        for key in entry:
            if key not in _RULE_KEYS:
                raise fail(f"rules[{i}].{_shown(key)}", "unknown key", rule_name)
        for key in ("name", "pattern", "type"):
            if not isinstance(entry.get(key), str):
                raise fail(f"rules[{i}].{key}", "required, a string", rule_name)
        for key in ("action", "validator"):
            if key in entry and not isinstance(entry[key], str):
                raise fail(f"rules[{i}].{key}", "a string", rule_name)
        if "context" in entry and not _strings(entry["context"]):
            raise fail(f"rules[{i}].context", "a list of strings", rule_name)
        rules.append(
            CustomRule(
                entry["name"],
                entry["pattern"],
                entry["type"],
                entry.get("action", "tokenize"),
                entry.get("validator"),
                tuple(entry.get("context", ())),
            )
        )
    overrides = raw.get("overrides", {})
    if not isinstance(overrides, dict) or not set(overrides) <= _OVERRIDE_KEYS:
        raise fail("overrides", "overrides is { allow = bool, actions = bool }")
    if not all(isinstance(v, bool) for v in overrides.values()):
        raise fail("overrides", "override permissions are true or false")
    try:
        policy = Policy(actions=actions, allow=allow, deny=deny, rules=rules)
    except PolicyInvalid as exc:
        raise fail(exc.key, exc.reason, exc.rule) from None
    return Profile(name, policy, overrides.get("allow", False), overrides.get("actions", False))


def load_policy_file(path: Path | str) -> PolicySet:
    """Read and validate the whole file. Raises `PolicyFileError` (never quoting the file)."""
    try:
        source = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise PolicyFileError(f"REDACTION_POLICY_FILE: cannot be read ({type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise PolicyFileError("REDACTION_POLICY_FILE: not UTF-8") from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message can name a key from the file: only its position is carried.
        m = _TOML_POSITION.search(str(exc))
        where = f"line {m.group(1)}, column {m.group(2)}" if m else "position unknown"
        raise PolicyFileError(f"REDACTION_POLICY_FILE: not valid TOML ({where})") from None
    locate = _Locator(source)
    for key in data:
        if key not in ("version", "profiles"):
            raise _fail(None, _shown(key), "unknown top-level key (expected version, profiles)", None)
    if data.get("version", 1) != 1:
        raise _fail(None, "version", "only version 1 is supported", None)
    raw_profiles = data.get("profiles", {})
    if not isinstance(raw_profiles, dict) or not raw_profiles:
        raise _fail(None, "profiles", "define at least one [profiles.NAME] table", None)
    profiles = {name: _profile(name, raw, locate) for name, raw in raw_profiles.items()}
    profiles.setdefault(DEFAULT_PROFILE, Profile(DEFAULT_PROFILE, Policy()))
    return PolicySet(profiles, "file")


def policies_from_settings(settings: Any) -> PolicySet:
    """The profiles of ``settings.policy_file`` (built-in ``default`` alone when unset).

    Raises `PolicyFileError`; `exit_on_startup_error` turns it into exit status 2.
    """
    path = getattr(settings, "policy_file", None)
    return builtin_policies() if path is None else load_policy_file(path)


def exit_on_startup_error(exc: Exception) -> NoReturn:
    """Print a refused configuration (a `PolicyFileError`, or pydantic's ``ValidationError``
    from `Settings`, whose input is never shown) to stderr and exit with status 2."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        lines = [
            f"  {'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in errors(include_input=False)
        ]
        message = "invalid configuration:\n" + "\n".join(lines)
    else:
        message = f"invalid configuration:\n  {exc}"
    print(message, file=sys.stderr)
    raise SystemExit(2)
