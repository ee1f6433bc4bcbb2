"""Running the service: `serve`, what ``redaction-gateway serve`` does (docs/operations.md).

`serve(host, port, workers)` validates the settings, prepares the data directory and the map
store, then runs uvicorn with the guarded HTTP protocol of `app.connections` (header deadline,
connection bound, JSON parser errors) and returns the process's exit status:

- ``0``: served, then stopped by a signal;
- ``2``: the configuration cannot work: a setting is invalid (named, never its value), or the
  data directory, key file or SQLite database cannot be used (a file where the directory
  should be, a path without write permission, a malformed key file);
- ``3``: the service could not start serving: the address cannot be bound (in use, no
  permission) or the application failed to start;
- ``1``: anything else (its exception type is logged, never its message).

Every line it writes, from the first, is a JSON log line on stderr (`app.logging`), start-up
failures included: no traceback, no plain-text message. The process runs under umask 077, so
everything it creates is private to its user. uvicorn's access log is off (it would log raw
paths); the service writes its own JSON request log.
"""

from __future__ import annotations

import errno
import logging
import os
from typing import Any

from pydantic import ValidationError

from redaction.errors import StoreError

from . import connections
from .connections import ConnectionLimits
from .logging import configure_logging
from .settings import Settings

__all__ = [
    "EXIT_CONFIG",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_START",
    "serve",
]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_CONFIG = 2
EXIT_START = 3  # uvicorn's own STARTUP_FAILURE

log = logging.getLogger("redaction_gateway")

_WORKER_HEALTHCHECK_S = 30

# OSError -> a stable word for the log (the message would carry the path).
_ERRNO_WORDS = {
    errno.EEXIST: "not_a_directory",
    errno.ENOTDIR: "not_a_directory",
    errno.EACCES: "permission_denied",
    errno.EPERM: "permission_denied",
    errno.EROFS: "read_only_filesystem",
    errno.ENOSPC: "no_space",
    errno.ENOENT: "missing",
}


def _settings_errors(exc: ValidationError) -> None:
    for error in exc.errors(include_input=False, include_url=False):
        loc = error["loc"]
        name = "REDACTION_" + "_".join(str(p) for p in loc).upper() if loc else "settings"
        # pydantic's message names the constraint (hide_input_in_errors: never the value).
        log.error("invalid_configuration", extra={"setting": name, "detail": error["msg"]})


def _prepare_store(settings: Settings) -> int | None:
    """Build (and, for SQLite, open and close) the store: an unusable data dir is exit 2 now,
    not a traceback from the lifespan. Redis is not contacted here: a replica that starts
    while Redis is down starts unready (docs/operations.md)."""
    from .store import build_store

    try:
        store = build_store(settings)  # reads or creates the key file
        if settings.store_backend() == "sqlite":
            store.open()
            store.close()
    except ValueError as exc:  # our messages name variables, never values
        log.error("invalid_configuration", extra={"setting": "store", "detail": str(exc)})
        return EXIT_CONFIG
    except OSError as exc:
        word = _ERRNO_WORDS.get(exc.errno or 0, "unusable")
        log.error("invalid_configuration", extra={"setting": "REDACTION_DATA_DIR", "error": word})
        return EXIT_CONFIG
    except StoreError:
        log.error("invalid_configuration", extra={"setting": "REDACTION_DATA_DIR", "error": "store_unusable"})
        return EXIT_CONFIG
    return None


def serve(host: str | None, port: int | None, workers: int) -> int:
    """Run the service until a signal stops it; returns the exit status (module docstring).

    ``host``/``port`` override ``REDACTION_HOST``/``REDACTION_PORT`` and pass the same
    validation (a non-loopback host needs ``REDACTION_ALLOW_PUBLIC_BIND=true``).
    """
    try:
        return _serve(host, port, max(1, workers))
    except SystemExit as exc:  # uvicorn exits 3 when it cannot bind or the app cannot start
        return exc.code if isinstance(exc.code, int) else EXIT_START
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:  # the type only: a message may carry a path or a value
        log.error("startup_failed", extra={"exc_type": type(exc).__name__})
        return EXIT_INTERNAL


def _serve(host: str | None, port: int | None, workers: int) -> int:
    import uvicorn

    overrides: dict[str, Any] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        configure_logging("INFO")
        _settings_errors(exc)
        return EXIT_CONFIG
    os.umask(0o077)
    # Before anything touches the data dir: its warnings (modes tightened) and `map_key_created`
    # are JSON lines like every other.
    configure_logging(settings.log_level)
    for name in Settings.unknown_environment_names(os.environ):
        log.warning("unknown_setting", extra={"setting": name})
    for setting, why in settings.upstream_warnings():
        log.warning("upstream_url_suspect", extra={"setting": setting, "detail": why})
    failed = _prepare_store(settings)
    if failed is not None:
        return failed
    connections.configure(ConnectionLimits.from_settings(settings))
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
        "http": connections.http_protocol(),
        # Compressing a frame that mixes model-chosen text with real values would let its
        # size reveal them (CRIME-style), so the stream route never negotiates deflate.
        "ws_per_message_deflate": False,
    }
    if workers > 1:
        # Worker processes build their own app (and guard) from the environment: pass the overrides on.
        os.environ["REDACTION_HOST"] = settings.host
        os.environ["REDACTION_PORT"] = str(settings.port)
        # uvicorn kills a worker that does not answer its health ping within 5 s; importing the
        # NER stack on a busy machine takes longer than that, and the worker was killed mid-start.
        options["timeout_worker_healthcheck"] = _WORKER_HEALTHCHECK_S
        uvicorn.run("app.main:create_app_from_env", factory=True, workers=workers, **options)
    else:
        from .main import create_app

        uvicorn.run(create_app(settings), **options)
    return EXIT_OK
