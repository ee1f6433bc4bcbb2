"""Log capture for the leak tests: every record of every logger, kept whole."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["LogCapture", "capturing_logs"]


class LogCapture(logging.Handler):
    """Every log record of every logger, kept whole (message, args and extras)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def capturing_logs() -> Iterator[LogCapture]:
    """The root logger at DEBUG into a `LogCapture`, restored afterwards."""
    handler = LogCapture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
