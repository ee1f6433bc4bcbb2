"""The NER layers of the service (docs/architecture.md §3.3 embedded spaCy, §3.4 local-LLM backstop, §5, §6).

The engine runs the deterministic rules and the caller's dictionary itself; NER layers only
*propose* ``(surface, LABEL)`` pairs, which the engine locates in the text and resolves like
any other span (`redaction.scrub`'s ``ner_fn``). A layer fails closed: it raises
`NerUnavailable` (or `DescriptiveUnredactable`) and the request is refused with 422, nothing
stored.

Request modes (the ``ner`` field of ``/scrub``):

- ``rules_only``: no NER layer runs; the caller knowingly skips NER.
- ``auto``: every configured layer runs, and each is required (fail closed).
- ``llm`` (alias ``qwen``): like ``auto``, but the LLM backstop must be configured: without
  it the request is refused with 422 ``ner_unavailable`` (layer ``llm``, reason
  ``not_configured``).

Layers, from the settings (`build_layers`):

- ``spacy`` (``REDACTION_SPACY_ENABLED``, default on): `SpacyLayer`, the verified
  `app.embedded_ner.EmbeddedNer`. CPU-bound and synchronous: it runs inside the engine's
  ``ner_fn``, in the scrub worker thread. The model is loaded in a background thread when the
  service starts (`NerService.start`); until it is loaded ``/ready`` says ``loading`` and
  requests that need it wait for it (at most `LOAD_WAIT_SECONDS`, then 422 ``loading``). A load
  that fails (weights that do not match their pinned hashes, say) is final: every request
  that needs the layer gets 422 and ``/ready`` 503 until the service is restarted.
- ``llm`` (``REDACTION_LLM_BASE_URL``): `app.llm_backstop.LlmBackstop`, asynchronous. Its
  proposals for every item are fetched on the event loop before the engine runs, then handed
  to the ``ner_fn`` with the spaCy layer's.

Multi-turn cost: agents re-send the whole conversation each turn under one ``map_handle``.
Both layers cache their answer per chunk in memory (`app.llm_backstop.NerCache`: HMAC-SHA256
keys with a per-process secret, scoped to the map handle and its ``task_id``, bounded, never
persisted), and both cut texts so that appending never moves an earlier chunk; a new map's
handle is minted before NER runs, so turn 1 is cached too. Turn N then costs its new text
plus at most one old chunk per layer, and its tokens are identical to a cold scrub's (a
cached chunk answer is exactly what the layer would compute again).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol, cast

from redaction import NerFn
from redaction.errors import DescriptiveUnredactable, NerUnavailable

from .embedded_ner import EmbeddedNer
from .llm_backstop import LlmBackstop, NerCache, Proposals
from .metrics import Metrics
from .settings import Settings

__all__ = [
    "LLM",
    "LOAD_WAIT_SECONDS",
    "NER_MODES",
    "SPACY",
    "ConfiguredLayer",
    "NerLayer",
    "NerMode",
    "NerPlan",
    "NerService",
    "RemoteNerLayer",
    "SpacyLayer",
    "build_layers",
    "cache_scope",
]

log = logging.getLogger(__name__)

NerMode = Literal["auto", "llm", "rules_only", "qwen"]
NER_MODES: tuple[str, ...] = ("auto", "llm", "rules_only", "qwen")
SPACY: Final = "spacy"
LLM: Final = "llm"
LOAD_WAIT_SECONDS: Final = 30.0
_LLM_OVERLAP: Final = 200


class NerLayer(Protocol):
    """A synchronous layer. Must be thread-safe (called from the scrub worker threads)."""

    def load(self) -> None:
        """Prepare (load and verify weights); raise `NerUnavailable` if it cannot."""

    def propose(self, text: str) -> Iterable[tuple[str, str]]:
        """(surface, LABEL) pairs found in ``text``; raise `NerUnavailable` on any failure."""
        ...


class RemoteNerLayer(Protocol):
    """An asynchronous layer that asks a server (`LlmBackstop` is one)."""

    async def probe(self) -> bool:
        """Readiness; never raises."""
        ...

    async def propose(self, text: str, *, handle: str | None = None, item_id: str | None = None) -> Proposals:
        """Proposals for ``text``; raise `NerUnavailable` or `DescriptiveUnredactable`."""
        ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ConfiguredLayer:
    """A layer as configured: its name (``spacy``, ``llm``) appears in 422 bodies and /ready."""

    name: str
    layer: NerLayer | RemoteNerLayer
    backstop: bool = False  # the local-LLM backstop that ``ner=llm`` requires

    @property
    def remote(self) -> bool:
        return inspect.iscoroutinefunction(self.layer.propose)


class SpacyLayer:
    """`EmbeddedNer` with a per-map chunk cache (the multi-turn cost). A `NerLayer`.

    ``propose(text, scope=...)`` answers each window of ``text`` from the cache when the same
    window was examined under the same scope before, else asks the model and remembers the
    answer. Without a scope (or a cache) every window is examined.
    """

    def __init__(self, embedded: EmbeddedNer, cache: NerCache | None = None) -> None:
        self.embedded = embedded
        self._cache = cache
        self._lock = threading.Lock()  # NerCache is not thread-safe; workers share it

    def load(self) -> None:
        self.embedded.load()

    def clear_cache(self) -> None:
        if self._cache is not None:
            with self._lock:
                self._cache.clear()

    def propose(self, text: str, *, scope: str | None = None) -> list[tuple[str, str]]:
        cache = self._cache if scope is not None else None
        found: dict[tuple[str, str], None] = {}
        for chunk in self.embedded.chunks(text):
            if cache is None or scope is None:
                found.update(dict.fromkeys(self.embedded.propose_chunk(chunk)))
                continue
            key = cache.key(scope, SPACY, self.embedded.fingerprint, chunk)
            with self._lock:
                hit = cache.get(key)
            if hit is None:
                hit = Proposals(tuple(self.embedded.propose_chunk(chunk)))
                with self._lock:
                    cache.put(key, hit)
            found.update(dict.fromkeys(hit.entities))
        return list(found)


def cache_scope(handle: str, task_id: str) -> str:
    """The NER cache scope of a map: its handle and the task it is bound to.

    Handles are URL-safe, so the NUL separator makes the pair unambiguous.
    """
    return f"{handle}\x00{task_id}"


def build_layers(settings: Settings, *, embedded: EmbeddedNer | None = None) -> tuple[ConfiguredLayer, ...]:
    """The NER layers the settings configure, not yet loaded (see `NerService.start`).

    ``embedded``: the model to use for the spaCy layer when the settings enable it (tests
    share one loaded model between apps); default: one built from the settings.
    """
    layers: list[ConfiguredLayer] = []
    if settings.spacy_enabled:
        model = embedded or EmbeddedNer(settings.spacy_entity_labels(), settings.presidio_recognizer_names())
        cache = NerCache(max_entries=settings.ner_cache_entries, ttl_s=float(settings.map_ttl_seconds))
        layers.append(ConfiguredLayer(SPACY, SpacyLayer(model, cache)))
    if settings.llm_base_url is not None:
        api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        backstop = LlmBackstop(
            settings.llm_base_url,
            model=settings.llm_model,
            api_key=api_key,
            timeout=settings.llm_timeout_seconds,
            max_concurrency=settings.llm_concurrency,
            chunk_size=settings.llm_chunk_chars,
            overlap=_LLM_OVERLAP,
            cache=NerCache(max_entries=settings.ner_cache_entries, ttl_s=float(settings.map_ttl_seconds)),
        )
        layers.append(ConfiguredLayer(LLM, backstop, backstop=True))
    return tuple(layers)


@dataclass(slots=True)
class NerPlan:
    """The NER part of one /scrub: the engine's ``ner_fn`` and what it reports.

    ``reported``: item id -> short descriptive phrases the backstop flagged but could not
    locate (reported, not removed; never the phrases themselves). ``seconds``: layer -> time
    spent, filled in while the engine runs.
    """

    ner_fn: NerFn | None = None
    reported: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class NerService:
    """The configured layers, their readiness, and the per-request plan. One per app.

    Call `start` on the running event loop (the lifespan does), `aclose` at shutdown.
    """

    def __init__(
        self, layers: Sequence[ConfiguredLayer], metrics: Metrics | None = None, *, owns_layers: bool = True
    ) -> None:
        self.layers = tuple(layers)
        self._metrics = metrics
        self._owns_layers = owns_layers
        self._loads: dict[int, asyncio.Future[None]] = {}

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Begin loading every synchronous layer in a background thread (spaCy takes seconds)."""
        loop = asyncio.get_running_loop()
        for index, configured in enumerate(self.layers):
            if not configured.remote and index not in self._loads:
                future = loop.run_in_executor(None, _local(configured).load)
                future.add_done_callback(_retrieve)
                self._loads[index] = future

    async def aclose(self) -> None:
        # A load in progress cannot be interrupted; let it finish so no thread outlives us.
        if self._loads:
            await asyncio.gather(*self._loads.values(), return_exceptions=True)
        if self._owns_layers:
            for configured in self.layers:
                if configured.remote:
                    await _remote(configured).aclose()

    def clear_caches(self) -> None:
        """Forget every cached chunk answer (tests compare a warm turn with a cold one)."""
        for configured in self.layers:
            layer = configured.layer
            if isinstance(layer, SpacyLayer):
                layer.clear_cache()
            elif isinstance(layer, LlmBackstop) and layer.cache is not None:
                layer.cache.clear()

    # -- readiness --------------------------------------------------------------------------------

    def state(self, index: int) -> str:
        """``ready``, ``loading`` or ``failed:<reason>`` for a synchronous layer."""
        future = self._loads.get(index)
        if future is None or not future.done():
            return "loading"
        exc = _load_error(future)
        if exc is None:
            return "ready"
        return f"failed:{_as_unavailable(self.layers[index].name, exc).reason}"

    async def report(self) -> tuple[bool, dict[str, str]]:
        """(every configured layer ready, layer -> state) for ``/ready``. Probes remote layers."""
        states: dict[str, str] = {}
        for index, configured in enumerate(self.layers):
            if configured.remote:
                try:
                    up = bool(await _remote(configured).probe())
                except Exception:  # a probe that raises is a layer that is not there
                    up = False
                states[configured.name] = "ready" if up else "unavailable"
            else:
                states[configured.name] = self.state(index)
        ready = all(state == "ready" for state in states.values())
        report = {SPACY: "disabled", LLM: "not_configured"} | states
        return ready, report

    # -- requests ---------------------------------------------------------------------------------

    def select(self, mode: str) -> tuple[int, ...]:
        """Indexes of the layers ``mode`` requires; raises `NerUnavailable` if one is missing."""
        if mode == "rules_only":
            return ()
        if mode in ("llm", "qwen") and not any(c.backstop for c in self.layers):
            raise NerUnavailable(LLM, "not_configured")
        return tuple(range(len(self.layers)))

    async def prepare(self, mode: str, items: Sequence[tuple[str, str]], scope: str | None) -> NerPlan:
        """The NER plan for ``items`` ((id, text) pairs) under cache ``scope``.

        Waits for synchronous layers still loading, then asks every remote layer about every
        item. Raises `NerUnavailable` or `DescriptiveUnredactable`; never returns a plan that
        skips a required layer.
        """
        chosen = self.select(mode)
        plan = NerPlan()
        if not chosen:
            return plan
        local: list[ConfiguredLayer] = []
        for index in chosen:
            configured = self.layers[index]
            if not configured.remote:
                await self._loaded(index)
                local.append(configured)
        remote: list[tuple[str, dict[str, Proposals]]] = []
        for index in chosen:
            configured = self.layers[index]
            if configured.remote:
                started = time.perf_counter()
                try:
                    answers = await _ask_all(_remote(configured), items, scope)
                finally:
                    self._observe(configured.name, time.perf_counter() - started)
                remote.append((configured.name, answers))
                for item_id, text in items:
                    unlocated = len(answers[text].descriptive_unlocated) if text in answers else 0
                    if unlocated:
                        plan.reported[item_id] = plan.reported.get(item_id, 0) + unlocated
        plan.ner_fn = _ner_fn(local, remote, scope, plan.seconds)
        return plan

    def finish(self, plan: NerPlan | None) -> None:
        """Record the time the synchronous layers of ``plan`` spent (after the engine ran)."""
        if plan is not None:
            for name, seconds in plan.seconds.items():
                self._observe(name, seconds)

    def refused(self, exc: NerUnavailable) -> None:
        """Count a request refused because of a NER layer (layer and reason, never a value)."""
        if self._metrics is not None:
            self._metrics.observe_ner_failure(exc.layer, exc.reason)

    def _observe(self, layer: str, seconds: float) -> None:
        if self._metrics is not None:
            self._metrics.observe_ner_seconds(layer, seconds)

    async def _loaded(self, index: int) -> None:
        configured = self.layers[index]
        future = self._loads.get(index)
        if future is None:  # used without start(): load now, on this request
            self.start()
            future = self._loads[index]
        if not future.done():
            try:
                await asyncio.wait_for(asyncio.shield(future), LOAD_WAIT_SECONDS)
            except TimeoutError:
                raise NerUnavailable(configured.name, "loading") from None
            except Exception:  # noqa: S110 - inspected below, from the future itself
                pass
        exc = _load_error(future)
        if exc is not None:
            raise _as_unavailable(configured.name, exc)


def _ner_fn(
    local: Sequence[ConfiguredLayer],
    remote: Sequence[tuple[str, Mapping[str, Proposals]]],
    scope: str | None,
    seconds: dict[str, float],
) -> NerFn | None:
    if not local and not remote:
        return None

    def propose(text: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for name, answers in remote:
            answer = answers.get(text)
            if answer is None:  # the engine asked about a text no one examined: refuse
                raise NerUnavailable(name, "internal")
            found.extend(answer.entities)
        for configured in local:
            started = time.perf_counter()
            try:
                layer = configured.layer
                if isinstance(layer, SpacyLayer):
                    found.extend(layer.propose(text, scope=scope))
                else:
                    found.extend(_local(configured).propose(text))
            finally:
                seconds[configured.name] = seconds.get(configured.name, 0.0) + time.perf_counter() - started
        return found

    return propose


async def _ask_all(
    layer: RemoteNerLayer, items: Sequence[tuple[str, str]], scope: str | None
) -> dict[str, Proposals]:
    """Every distinct item text, asked concurrently (the layer bounds its own concurrency)."""
    distinct: dict[str, str] = {}
    for item_id, text in items:
        distinct.setdefault(text, item_id)
    tasks: dict[str, asyncio.Task[Proposals]] = {}
    try:
        async with asyncio.TaskGroup() as group:
            for text, item_id in distinct.items():
                tasks[text] = group.create_task(_propose_remote(layer, text, scope, item_id))
    except BaseExceptionGroup as failures:
        raise _first_failure(failures) from None
    return {text: task.result() for text, task in tasks.items()}


async def _propose_remote(layer: RemoteNerLayer, text: str, scope: str | None, item_id: str) -> Proposals:
    return await layer.propose(text, handle=scope, item_id=item_id)


def _local(configured: ConfiguredLayer) -> NerLayer:
    return cast(NerLayer, configured.layer)


def _remote(configured: ConfiguredLayer) -> RemoteNerLayer:
    return cast(RemoteNerLayer, configured.layer)


def _first_failure(group: BaseExceptionGroup[BaseException]) -> BaseException:
    leaves = list(_leaves(group))
    if not all(isinstance(e, Exception) for e in leaves):
        return group  # KeyboardInterrupt and friends are not ours to translate
    for failure in leaves:
        if isinstance(failure, NerUnavailable):
            return failure
    descriptive = [f for f in leaves if isinstance(f, DescriptiveUnredactable)]
    if descriptive:
        return DescriptiveUnredactable([item for f in descriptive for item in f.items])
    return leaves[0]


def _leaves(group: BaseExceptionGroup[BaseException]) -> Iterable[BaseException]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


def _as_unavailable(layer: str, exc: BaseException) -> NerUnavailable:
    if isinstance(exc, NerUnavailable):
        return exc
    log.error("ner layer failed to load: %s", type(exc).__name__)  # the type only, never a message
    return NerUnavailable(layer, "load_failed")


def _load_error(future: asyncio.Future[None]) -> BaseException | None:
    if future.cancelled():  # shielded from request timeouts; only a shutdown cancels it
        return NerUnavailable("spacy", "load_failed")
    return future.exception()


def _retrieve(future: asyncio.Future[None]) -> None:
    # A failed load is reported through /ready and 422s; mark its exception as seen so asyncio
    # does not also log it (with its message) when the future is collected.
    if not future.cancelled():
        future.exception()
