"""The routes, one module per resource: `scrub`, `rehydrate`, `health` (health, ready, metrics),
`proxy` (the provider proxy, docs/architecture.md §11), `forget` and `policy` (§12)."""

from __future__ import annotations

from . import forget, health, policy, proxy, rehydrate, scrub

__all__ = ["ROUTERS"]

ROUTERS = (scrub.router, rehydrate.router, health.router, proxy.router, forget.router, policy.router)
