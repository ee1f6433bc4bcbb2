"""Guards against catastrophic backtracking: every regex of the engine, and scrub, on hostile input.

Not benchmarks: the bounds are generous. A pattern that backtracks exponentially, or scans
quadratically (a 100 KB run costs ~5e9 steps), blows through them; a linear one is far below.
The patterns are collected, not listed: module-level compiled patterns of every engine module
and detector module, and the patterns of every class there (``PATTERNS`` tables included), so a
new detector is covered the day it lands.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

import redaction
from redaction import scrub
from redaction.detectors import DEFAULT_DETECTORS

SIZE = 100_000
PATTERN_BUDGET_S = 2.0  # per (pattern, input)
SCRUB_100K_BUDGET_S = 5.0  # per 100 KB scrub; well under 0.5 s when every detector is linear
SCRUB_BUDGET_S = 60.0  # per 10 MB scrub; ~1-7 s on a laptop core

# fmt: off
UNITS = [
    "a", "1", "1.", "a@", "@a.", "[", "[A_1", "-----BEGIN ", "sk-", "=", "1 ", "1-", ":", "\t",
    "A", " ", "$1", "a:b@", "\x00",
    # detection round 2: obfuscated e-mails, encoded and per-digit phones, CSV fields, MRZ
    # fillers, secret names, labels in other scripts
    "a [at] ", " at a dot ", "%2B1", "1 1 ", "a,1234567890\n", "<", "P<", "<<A", "aws ",
    "Cookie: a=b; ", "SSN ", "IBAN ", "카드번호 ", "卡号", "1.", "1/", "A1 ",
    # issue 10: joined and foreign at-signs, header bearers, htpasswd, "API key" in other languages
    "a-at-b-dot-", " arroba a punto ", "Authorization: Bearer a", "htpasswd -b a ", "clé API=",
    # escaped values: percent escapes, character references, \u escapes, form-encoded `+`
    "%20", "1%2D", "&#32;", "&#x40;", "&commat;", "\\u0020", "1+", "q=1+",
    # URLs glued together (each read to the end of the text: was quadratic), escaped line breaks,
    # SQL password statements, password hashes, glued cards, quoted and ragged CSV
    "https://x.io/a?page=1&", "www.x.io/a?p=1&", "x.io/a?p=1&x.io/", "\\n1", "\\n",
    "CREATE USER a\n", "SET PASSWORD FOR a", "CONNECT TO a ", "$2b$12$", "$argon2id$", "{SSHA}",
    "a4111111111111111", "+4915112345678", 'a,"b,', "password,\n\n", "a:5432:",
    # password labels in markup, name/value pairs, command lines, prompts
    "**Password:** ", "Password....", "Password | ", "value: ", 'name: "password", ', "redis-cli -a ",
    "password for a: ", "set the password to ", "a@tcp(", "net user a ",
]
# fmt: on
MIXTURES = [
    "1" * (SIZE // 2) + "@" + "a" * (SIZE // 2),
    "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * SIZE,
    "AKIA eyJ ghp_ xoxb- password= Bearer DOB: +1 (1) :// " * (SIZE // 54),
]
ADVERSARIAL = [(repr(u[:12]), (u * (SIZE // len(u) + 1))[:SIZE]) for u in UNITS] + [
    (f"mixture-{i}", m) for i, m in enumerate(MIXTURES)
]


class _Timeout(Exception):
    pass


def _raise_timeout(_signum: int, _frame: FrameType | None) -> None:
    raise _Timeout


def _engine_modules() -> Iterator[ModuleType]:
    yield redaction
    for info in pkgutil.walk_packages(redaction.__path__, "redaction."):
        yield importlib.import_module(info.name)


Regex = re.Pattern[str] | re.Pattern[bytes]


def _patterns_in(obj: object, depth: int = 0) -> Iterator[Regex]:
    if isinstance(obj, re.Pattern):
        yield obj
    elif depth < 3 and isinstance(obj, (tuple, list, frozenset, set)):
        for item in obj:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(obj, dict):
        for item in obj.values():
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(getattr(obj, "regex", None), re.Pattern):  # detectors' Pattern rows
        yield from _patterns_in(obj.regex, depth + 1)  # type: ignore[attr-defined]


def collect_patterns() -> dict[str, Regex]:
    found: dict[str, Regex] = {}
    seen: set[tuple[str | bytes, int]] = set()

    def add(where: str, obj: object) -> None:
        for i, pattern in enumerate(_patterns_in(obj)):
            key = (pattern.pattern, pattern.flags)
            if key not in seen:
                seen.add(key)
                found[f"{where}[{i}]" if i else where] = pattern

    for module in _engine_modules():
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, member in vars(value).items():
                    add(f"{module.__name__}.{name}.{attr}", member)
            else:
                add(f"{module.__name__}.{name}", value)
    for detector in DEFAULT_DETECTORS:
        cls = type(detector)
        add(f"{cls.__module__}.{cls.__name__}.PATTERNS", getattr(detector, "PATTERNS", ()))
        for attr, member in getattr(detector, "__dict__", {}).items():
            add(f"{cls.__module__}.{cls.__name__}().{attr}", member)
    return found


PATTERNS = collect_patterns()

# Patterns that never see input text; each says what it does parse.
NOT_APPLIED_TO_INPUT = {
    "redaction.detectors.iban._BBAN_PART": "the BBAN format strings of the IBAN registry ('4!a6!n8!n')",
}
_SOURCES = "\n".join(
    Path(module.__file__).read_text(encoding="utf-8") for module in _engine_modules() if module.__file__
)


def _anchored_only(name: str) -> bool:
    """Whether the engine only ever calls ``match``/``fullmatch`` on this module-level pattern.

    Anchored calls cost O(n) each, so they are checked as such; anything else (``search``,
    ``finditer``, ``sub``, passing the pattern around) is checked in the stricter scan model.
    """
    attr = name.rsplit(".", 1)[-1]
    if not attr.isidentifier() or attr == "PATTERNS":
        return False
    methods = set(re.findall(rf"\b{re.escape(attr)}\.(\w+)\(", _SOURCES))
    return bool(methods) and methods <= {"match", "fullmatch"}


def test_the_collector_finds_the_engine_patterns() -> None:
    collected = {(p.pattern, p.flags) for p in PATTERNS.values()}
    for module in ("_tokens", "_bucket", "_normalize", "_known_entities", "_entities", "_scrub"):
        engine_module = importlib.import_module(f"redaction.{module}")
        for name, value in vars(engine_module).items():
            if isinstance(value, re.Pattern):
                assert (value.pattern, value.flags) in collected, f"redaction.{module}.{name} not collected"
    for detector in DEFAULT_DETECTORS:
        for row in getattr(detector, "PATTERNS", ()):
            assert (row.regex.pattern, row.regex.flags) in collected, (
                f"{type(detector).__name__} pattern missed"
            )


def test_patterns_kept_off_input_still_exist() -> None:
    for name in NOT_APPLIED_TO_INPUT:
        assert name in PATTERNS, f"{name} is gone: drop it from NOT_APPLIED_TO_INPUT"


@pytest.mark.parametrize("name", sorted(set(PATTERNS) - set(NOT_APPLIED_TO_INPUT)))
def test_pattern_is_linear_on_adversarial_input(name: str) -> None:
    pattern: Any = PATTERNS[name]
    anchored = _anchored_only(name)
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        for label, raw in ADVERSARIAL:
            # Byte patterns (shape scans) see the text as UTF-8.
            text = raw.encode("utf-8", "surrogatepass") if isinstance(pattern.pattern, bytes) else raw
            signal.setitimer(signal.ITIMER_REAL, PATTERN_BUDGET_S)
            started = time.perf_counter()
            try:
                if anchored:
                    pattern.match(text)
                    pattern.fullmatch(text)
                else:
                    for _ in pattern.finditer(text):
                        pass
            except _Timeout:
                pytest.fail(
                    f"{name} ({pattern.pattern[:80]!r}) ran over {PATTERN_BUDGET_S} s on 100 KB of {label}: "
                    "catastrophic backtracking or a quadratic scan",
                    pytrace=False,
                )
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            assert time.perf_counter() - started < PATTERN_BUDGET_S
    finally:
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(("label", "text"), ADVERSARIAL, ids=[label for label, _ in ADVERSARIAL])
def test_scrub_is_linear_on_adversarial_input(label: str, text: str) -> None:
    # The detectors as the engine runs them: anchors, candidates and validation included.
    started = time.perf_counter()
    scrub(text, known_entities={"persons": ["Jane Doe"]})
    elapsed = time.perf_counter() - started
    assert elapsed < SCRUB_100K_BUDGET_S, f"scrub of 100 KB of {label} took {elapsed:.1f} s: not linear"


@pytest.mark.slow
@pytest.mark.parametrize("char", ["a", "\x00", "\ud800"], ids=["a", "NUL", "lone-surrogate"])
def test_scrub_of_10_mb_of_one_character_is_bounded(char: str) -> None:
    text = char * 10_000_000
    started = time.perf_counter()
    result = scrub(text, known_entities={"persons": ["Jane Doe"]})
    elapsed = time.perf_counter() - started
    assert result.text == text
    assert elapsed < SCRUB_BUDGET_S, f"scrub of 10 MB of {char!r} took {elapsed:.1f} s: not linear"
