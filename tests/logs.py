"""Log capture for the leak tests: every record of every logger, kept whole."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["LogCapture", "capturing_logs", "record_text"]

# A record's clock and process numbers: a short numeric canary ("4111") may stand in them by
# chance (a leak test once failed on a timestamp).
_BOOKKEEPING = frozenset(("created", "msecs", "relativeCreated", "thread", "process", "lineno"))


def record_text(record: logging.LogRecord, formatter: logging.Formatter) -> str:
    """Everything a log record carries that a value could reach (the formatted line without its
    timestamp, the message, args, extras and exception), for a leak test to search."""
    line = formatter.format(record)
    try:
        fields = json.loads(line)
        fields.pop("ts", None)
        line = json.dumps(fields)
    except ValueError:
        pass  # not a JSON line: searched as it is
    extras = {key: value for key, value in record.__dict__.items() if key not in _BOOKKEEPING}
    return line + "\n" + repr(extras) + "\n" + record.getMessage()


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
