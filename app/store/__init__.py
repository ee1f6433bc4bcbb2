"""Map stores: the `MapStore` interface and its backends (docs/architecture.md §7).

`build_store` picks the backend from the settings: ``REDACTION_STORE_URL`` unset or
``sqlite:///PATH`` gives `SQLiteMapStore`; ``redis://`` or ``rediss://`` gives `RedisMapStore`,
shared by every replica of the service.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..crypto import KEY_FILE_NAME, Keyring
from ..settings import Settings
from .base import HANDLE_MAX_CHARS, MapRecord, MapStore, check_handle, handle_hash, new_handle, task_hash
from .redis import RedisMapStore
from .sqlite import SQLiteMapStore

__all__ = [
    "HANDLE_MAX_CHARS",
    "MapRecord",
    "MapStore",
    "RedisMapStore",
    "SQLiteMapStore",
    "build_store",
    "check_handle",
    "handle_hash",
    "new_handle",
    "task_hash",
]


def build_store(settings: Settings, *, clock: Callable[[], float] | None = None) -> MapStore:
    """The configured store, not yet opened. Raises `ValueError` for an unusable store URL.

    Reads (or, for SQLite, on first run creates) the map key, so a key problem stops start-up.
    Redis never gets a key created here: every replica must seal maps under the same key, so it
    comes from ``REDACTION_MAP_KEY`` or a key file that already exists.
    """
    clock = clock or time.time
    if settings.store_backend() == "redis":
        if settings.map_key is None and not (settings.data_dir / KEY_FILE_NAME).exists():
            raise ValueError(
                "REDACTION_STORE_URL names Redis: set REDACTION_MAP_KEY, the same on every replica "
                "(a key file created here would differ from the other replicas')"
            )
        assert settings.store_url is not None
        keyring = Keyring.from_settings(settings)
        try:
            return RedisMapStore(
                settings.store_url.get_secret_value(),
                keyring,
                ttl_seconds=settings.map_ttl_seconds,
                namespace=settings.redis_namespace,
                timeout_s=settings.redis_timeout_seconds,
                # Every worker thread, plus the sweeper and a readiness probe, without waiting.
                max_connections=settings.worker_threads + 2,
                clock=clock,
            )
        except ValueError:  # redis-py's message may quote the URL, which may hold a password
            raise ValueError("REDACTION_STORE_URL is not a usable Redis URL") from None
    keyring = Keyring.from_settings(settings)
    path = settings.sqlite_path()
    ours = path.parent.absolute() == settings.data_dir.absolute()
    return SQLiteMapStore(path, keyring, ttl_seconds=settings.map_ttl_seconds, clock=clock, tighten_dir=ours)
