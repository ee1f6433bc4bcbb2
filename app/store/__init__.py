"""Map stores: the `MapStore` interface and its backends (DESIGN §7).

`build_store` picks the backend from the settings: ``REDACTION_STORE_URL`` unset or
``sqlite:///PATH`` gives `SQLiteMapStore`; ``redis://`` names the scale-out backend, which is
not part of this build and refuses to start rather than silently falling back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..crypto import Keyring
from ..settings import Settings
from .base import HANDLE_MAX_CHARS, MapRecord, MapStore, check_handle, handle_hash, new_handle, task_hash
from .sqlite import SQLiteMapStore

__all__ = [
    "HANDLE_MAX_CHARS",
    "MapRecord",
    "MapStore",
    "SQLiteMapStore",
    "build_store",
    "check_handle",
    "handle_hash",
    "new_handle",
    "task_hash",
]


def build_store(settings: Settings, *, clock: Callable[[], float] | None = None) -> MapStore:
    """The configured store, not yet opened. Raises `ValueError` for an unusable store URL.

    Reads (or on first run creates) the map key, so a key problem stops start-up.
    """
    url = settings.store_url or ""
    if url.startswith(("redis://", "rediss://")):
        raise ValueError("REDACTION_STORE_URL names Redis, but the Redis map store is not in this build")
    keyring = Keyring.from_settings(settings)
    path = settings.sqlite_path()
    ours = path.parent.absolute() == settings.data_dir.absolute()
    return SQLiteMapStore(
        path, keyring, ttl_seconds=settings.map_ttl_seconds, clock=clock or time.time, tighten_dir=ours
    )
