"""The routes, one module per resource: `scrub`, `rehydrate`, `health` (health, ready, metrics)."""

from __future__ import annotations

from . import health, rehydrate, scrub

__all__ = ["ROUTERS"]

ROUTERS = (scrub.router, rehydrate.router, health.router)
