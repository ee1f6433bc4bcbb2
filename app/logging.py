"""Structured JSON logs that carry ids, counts, types and timings, never a value (docs/architecture.md §8).

One JSON object per line on stderr::

    {"ts": "2026-01-02T03:04:05.678Z", "level": "info", "logger": "redaction_gateway.access",
     "event": "request", "request_id": "9f2c...", "method": "POST", "route": "/scrub",
     "status": 200, "duration_ms": 1.9, "items": 1, "tier2_tokenized": 3, ...}

What keeps values out, whatever a caller of ``logging`` passes:

- only the fields named in `SAFE_FIELDS` are copied from a record's ``extra``; anything
  else attached to a record is dropped;
- an exception is reduced to its type name (``exc_type``): never its message or traceback,
  which may quote input;
- a message from a library logger is reduced to the first line of its format template,
  without its arguments; our own loggers log constant event names.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

__all__ = ["APP_LOGGER", "SAFE_FIELDS", "JsonFormatter", "configure_logging"]

APP_LOGGER = "redaction_gateway"

SAFE_FIELDS: tuple[str, ...] = (
    "request_id", "method", "route", "status", "duration_ms", "error", "exc_type",
    "items", "chars", "bytes_in", "ner", "new_map", "entries", "strict",
    "tier1_dropped", "tier2_tokenized", "distinct_entities", "descriptive",
    "tokens_substituted", "unknown_tokens", "scrub_ms", "store_ms", "scan", "masked", "bytes_out",
    "op", "key_id", "mode", "key_file", "swept", "tombstones", "host", "port", "workers", "layer",
    "setting", "policy", "detail", "connections", "pid", "scheme", "policy_source", "policy_hashes",
    "strings", "upstream_status", "upstream_ms", "events",
)  # fmt: skip
_SAFE = frozenset(SAFE_FIELDS)
# uvicorn's lines whose arguments are only a pid, a scheme, a host and a port: logged as an
# event with those fields (the bound address once, as ``listening``), not as a raw template.
_UVICORN_LINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Started server process [%d]": ("server_process_started", ("pid",)),
    "Finished server process [%d]": ("server_process_finished", ("pid",)),
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": ("listening", ("scheme", "host", "port")),
    "Uvicorn running on %s://[%s]:%d (Press CTRL+C to quit)": ("listening", ("scheme", "host", "port")),
    # Lines whose arguments are a peer address and a raw path: the event alone, never the arguments.
    '%s - "WebSocket %s" [accepted]': ("websocket_accepted", ()),
    '%s - "WebSocket %s" 403': ("websocket_refused", ()),
}
_MAX_EVENT_CHARS = 200


def _uvicorn_line(record: logging.LogRecord) -> tuple[str, dict[str, str | int]] | None:
    if not record.name.startswith("uvicorn"):
        return None
    known = _UVICORN_LINES.get(str(record.msg))
    args = record.args
    if known is None:
        return None
    if not known[1]:
        return known[0], {}
    if not isinstance(args, tuple) or len(args) != len(known[1]):
        return None
    fields = {k: v for k, v in zip(known[1], args, strict=True) if isinstance(v, str | int)}
    return known[0], fields


def _event(record: logging.LogRecord) -> str:
    if record.name == APP_LOGGER or record.name.startswith(APP_LOGGER + "."):
        return str(record.msg)[:_MAX_EVENT_CHARS]
    # Library messages: the template only. Arguments (and, for asyncio, everything after the
    # first line, which holds reprs of tasks and exceptions) may carry request data.
    return str(record.msg).split("\n", 1)[0][:_MAX_EVENT_CHARS]


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line of whitelisted fields."""

    def format(self, record: logging.LogRecord) -> str:
        seconds = time.gmtime(record.created)
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", seconds) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": _event(record),
        }
        for key, value in record.__dict__.items():
            if key in _SAFE and isinstance(value, str | int | float | bool):
                out[key] = value
        line = _uvicorn_line(record)
        if line is not None:
            out["event"] = line[0]
            out.update(line[1])
        if record.exc_info and record.exc_info[0] is not None:
            out["exc_type"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=True, separators=(",", ":"))


def configure_logging(level: str = "INFO") -> None:
    """Route every logger (ours, uvicorn's, the libraries') through `JsonFormatter` on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # uvicorn's access log writes the raw path and query string, which may hold values.
    logging.getLogger("uvicorn.access").disabled = True
