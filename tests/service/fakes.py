"""Test doubles: a controllable clock, NER layers that fail in each documented way, a tier-1
detector with a fixed shape, and a store that cannot be reached."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from app.store import MapRecord
from redaction import ScrubState
from redaction.detectors import Pattern, PatternDetector
from redaction.errors import DescriptiveUnredactable, NerUnavailable, StoreError

T = TypeVar("T")


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class TestSecretDetector(PatternDetector):
    """``SECRET-123456`` is an API key: a tier-1 value whatever the real detectors become."""

    __test__ = False
    name = "test_secret"
    KIND = "API_KEY"
    PATTERNS = (Pattern("test_secret", re.compile(r"SECRET-[0-9]{6}")),)
    HINTS = ("SECRET-",)


class ProposingLayer:
    """Proposes fixed (surface, LABEL) pairs for every text."""

    def __init__(self, proposals: Iterable[tuple[str, str]]) -> None:
        self.proposals = list(proposals)

    def load(self) -> None:
        pass

    def propose(self, text: str) -> list[tuple[str, str]]:
        return [(s, label) for s, label in self.proposals if s in text]


class FailingLayer:
    """Raises ``error`` from ``propose`` (and from ``load`` when ``on_load``)."""

    def __init__(self, error: Callable[[], Exception], on_load: bool = False) -> None:
        self.error = error
        self.on_load = on_load

    def load(self) -> None:
        if self.on_load:
            raise self.error()

    def propose(self, text: str) -> list[tuple[str, str]]:
        raise self.error()


def ner_down() -> Exception:
    return NerUnavailable("llm", "timeout")


def descriptive() -> Exception:
    return DescriptiveUnredactable(["memo"])


class BrokenStore:
    """A store whose backend is gone: every operation fails with `StoreError`."""

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def create(self, task_id: str, state: ScrubState, *, handle: str | None = None) -> MapRecord:
        raise StoreError("disk gone")

    def extend(self, handle: str, task_id: str, mutate: Callable[[ScrubState], T]) -> tuple[MapRecord, T]:
        raise StoreError("disk gone")

    def load(self, handle: str, task_id: str) -> ScrubState:
        raise StoreError("disk gone")

    def sweep(self) -> int:
        raise StoreError("disk gone")

    def check_ready(self) -> None:
        raise StoreError("disk gone")
