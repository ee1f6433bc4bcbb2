"""What the routes depend on, as `Annotated` aliases (``store: StoreDep``).

`Gateway` is the per-app runtime state, built by the lifespan of `app.main.create_app` and
kept on ``app.state.gateway``: the settings, the open map store, the NER layers (`NerService`),
the metrics, and the detector configuration the engine runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from redaction.detectors import Detector

from ..metrics import Metrics
from ..ner import ConfiguredLayer, NerService
from ..policy_file import PolicySet, builtin_policies
from ..settings import Settings
from ..store import MapStore

__all__ = [
    "Gateway",
    "GatewayDep",
    "LayersDep",
    "MetricsDep",
    "SettingsDep",
    "StoreDep",
    "get_gateway",
]


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Gateway:
    settings: Settings
    store: MapStore
    ner: NerService
    metrics: Metrics
    executor: ThreadPoolExecutor
    detectors: Sequence[Detector] | None = None  # None: the engine's DEFAULT_DETECTORS
    policies: PolicySet = field(default_factory=builtin_policies)  # REDACTION_POLICY_FILE's profiles

    @property
    def layers(self) -> tuple[ConfiguredLayer, ...]:
        return self.ner.layers

    async def run(self, job: Callable[[], T]) -> T:
        """Run blocking work (engine, store, encoding) in the gateway's worker threads.

        A pool of its own, sized by ``REDACTION_WORKER_THREADS``: the work is CPU-bound under
        the GIL, so a few threads serve as well as many, and far fewer threads contending for
        the GIL keep a thread that holds the store's write lock from waiting behind them.
        """
        return await asyncio.get_running_loop().run_in_executor(self.executor, job)


# Dependencies are coroutines on purpose: FastAPI runs a plain ``def`` dependency in the
# thread pool, which would cost a thread hop per dependency per request.


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


async def get_gateway(request: Request) -> Gateway:
    return _gateway(request)


async def get_settings(request: Request) -> Settings:
    return _gateway(request).settings


async def get_store(request: Request) -> MapStore:
    return _gateway(request).store


async def get_metrics(request: Request) -> Metrics:
    return _gateway(request).metrics


async def get_layers(request: Request) -> tuple[ConfiguredLayer, ...]:
    return _gateway(request).layers


GatewayDep = Annotated[Gateway, Depends(get_gateway)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[MapStore, Depends(get_store)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
LayersDep = Annotated[tuple[ConfiguredLayer, ...], Depends(get_layers)]
