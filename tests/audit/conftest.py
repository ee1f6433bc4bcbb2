"""The service fixtures (clean environment, settings in a temporary data dir)."""

from ..service.conftest import _clean_environment, anyio_backend, data_dir, make_settings

__all__ = ["_clean_environment", "anyio_backend", "data_dir", "make_settings"]
