"""What a deterministic detector is: named patterns, a cheap prefilter, a `validate()` hook.

Detectors see the normalized detection view (see `redaction._normalize`) and return spans in
its coordinates; the engine maps them back to the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Protocol

from .._spans import Span

__all__ = ["Detector", "Pattern", "PatternDetector"]


class Detector(Protocol):
    @property
    def name(self) -> str: ...

    def detect(self, text: str) -> Iterator[Span]: ...


@dataclass(frozen=True, slots=True)
class Pattern:
    """One named regex. ``group`` selects the sensitive part of the match."""

    name: str
    regex: re.Pattern[str]
    score: float = 1.0
    group: int | str = 0


class PatternDetector:
    """Base for regex detectors in the spirit of Presidio's PatternRecognizer.

    Subclasses set ``name``, ``KIND`` (token type or tier-1 kind), ``PATTERNS`` and optionally
    ``HINTS`` (substrings of which at least one must occur for the detector to run at all: a
    C-speed `in` test that keeps the per-item cost low) and override ``validate``.
    """

    name: ClassVar[str]
    KIND: ClassVar[str]
    PATTERNS: ClassVar[tuple[Pattern, ...]]
    HINTS: ClassVar[tuple[str, ...]] = ()

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        """Checksum or structural check on the candidate; False drops it."""
        return True

    def label(self, value: str, match: re.Match[str], pattern: Pattern) -> str:
        """Finer label recorded on the span (policy may use it); defaults to the pattern name."""
        return pattern.name

    def detect(self, text: str) -> Iterator[Span]:
        if self.HINTS and not any(hint in text for hint in self.HINTS):
            return
        for pattern in self.PATTERNS:
            for match in pattern.regex.finditer(text):
                start, end = match.span(pattern.group)
                if start >= end:
                    continue
                value = text[start:end]
                if self.validate(value, match, pattern):
                    yield Span(
                        start, end, self.KIND, f"rules:{self.name}", pattern.score,
                        self.label(value, match, pattern),
                    )  # fmt: skip
