"""The service tests' fixtures (settings in a temporary data dir, a clean environment)."""

from __future__ import annotations

from ..service.conftest import _clean_environment, anyio_backend, data_dir, make_settings

__all__ = ["_clean_environment", "anyio_backend", "data_dir", "make_settings"]
