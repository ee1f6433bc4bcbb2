"""Prometheus metrics: counts and latencies by route, status, outcome and type (docs/architecture.md §5).

Every app owns its `CollectorRegistry`, so several apps in one process (tests) never collide
and ``/metrics`` shows only this app. Label values come from closed sets only (route
templates, status codes, error codes, the engine's token types and tier-1 kinds): never a
value, a task id, a handle, an item id or a raw path.

Series:

- ``redaction_requests_total{route,method,status}``, ``redaction_request_duration_seconds{route}``
- ``redaction_outcomes_total{route,outcome}``: ``ok`` or the error code
- ``redaction_items_total{route}``: items scrubbed or rehydrated
- ``redaction_tokens_total{type}``: tier-2 spans tokenized, by token type
- ``redaction_tier1_dropped_total{kind}``: tier-1 values dropped, by kind
- ``redaction_rehydrated_tokens_total{result}``: ``substituted`` or ``unknown``
- ``redaction_scrub_seconds``, ``redaction_store_seconds{op}``: engine and store time per request
- ``redaction_maps_swept_total``
- ``redaction_ner_failures_total{layer,reason}``: requests refused because a NER layer failed
  (``layer``: spacy, llm or other; ``reason``: a fixed code of `app.embedded_ner` /
  `app.llm_backstop`, or other)
- ``redaction_ner_seconds{layer}``: NER time per /scrub request, by layer
- ``redaction_proxy_requests_total{route,stream}``, ``redaction_proxy_upstream_seconds{route}``
  (time to the upstream's response headers): the provider proxy (`app.proxy`); its strings
  scrubbed count in ``redaction_items_total{route}``, its tokens in the series above
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from redaction import TIER1_KINDS, TOKEN_TYPES

from .errors import STATUS_BY_CODE
from .llm_backstop import FAILURE_REASONS

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_TYPES = frozenset(TOKEN_TYPES)
_KINDS = frozenset(TIER1_KINDS)
# upstream_error: the provider's own error, passed through; client_disconnected: gone mid-call.
_OUTCOMES = frozenset({"ok", "upstream_error", "client_disconnected", *STATUS_BY_CODE})
# NER label values: closed sets, so a layer's reason can never carry text into /metrics.
_NER_LAYERS = frozenset({"spacy", "llm"})
_NER_REASONS = frozenset({
    *FAILURE_REASONS,
    "not_configured", "loading", "load_failed", "model_not_installed", "weights_missing",
    "weights_hash_mismatch", "unknown_recognizer", "analyze_failed",
})  # fmt: skip
_NER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class Metrics:
    """The service's collectors, registered in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "redaction_requests", "HTTP requests by route, method and status.",
            ["route", "method", "status"], registry=r,
        )  # fmt: skip
        self.latency = Histogram(
            "redaction_request_duration_seconds", "HTTP request latency by route.",
            ["route"], buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.outcomes = Counter(
            "redaction_outcomes", "Requests by route and outcome (ok or error code).",
            ["route", "outcome"], registry=r,
        )  # fmt: skip
        self.items = Counter("redaction_items", "Items processed by route.", ["route"], registry=r)
        self.tokens = Counter(
            "redaction_tokens", "Tier-2 spans tokenized by token type.", ["type"], registry=r
        )
        self.tier1 = Counter(
            "redaction_tier1_dropped", "Tier-1 values dropped by kind.", ["kind"], registry=r
        )
        self.rehydrated = Counter(
            "redaction_rehydrated_tokens", "Tokens met by rehydration (substituted or unknown).",
            ["result"], registry=r,
        )  # fmt: skip
        self.scrub_seconds = Histogram(
            "redaction_scrub_seconds", "Engine time per /scrub request.", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.store_seconds = Histogram(
            "redaction_store_seconds", "Map store time per operation.", ["op"],
            buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.swept = Counter("redaction_maps_swept", "Expired maps swept.", registry=r)
        self.forgotten = Counter(
            "redaction_maps_forgotten", "Maps erased by POST /forget, by outcome (erased, already_gone).",
            ["outcome"], registry=r,
        )  # fmt: skip
        self.ner_failures = Counter(
            "redaction_ner_failures", "Requests refused because a NER layer failed, by layer and reason.",
            ["layer", "reason"], registry=r,
        )  # fmt: skip
        self.ner_seconds = Histogram(
            "redaction_ner_seconds", "NER time per /scrub request, by layer.", ["layer"],
            buckets=_NER_BUCKETS, registry=r,
        )  # fmt: skip
        self.proxy_requests = Counter(
            "redaction_proxy_requests", "Provider proxy requests by route and streaming.",
            ["route", "stream"], registry=r,
        )  # fmt: skip
        self.proxy_upstream_seconds = Histogram(
            "redaction_proxy_upstream_seconds", "Provider proxy: time to the upstream's response headers.",
            ["route"], buckets=_NER_BUCKETS, registry=r,
        )  # fmt: skip
        self._request_children: dict[tuple[str, str, int, str], tuple[Counter, Histogram, Counter]] = {}

    def observe_request(self, route: str, method: str, status: int, seconds: float, outcome: str) -> None:
        outcome = outcome if outcome in _OUTCOMES else "scrub_failed"
        key = (route, method, status, outcome)
        children = self._request_children.get(key)
        if children is None:  # labels() takes a lock and builds a key: resolve each series once
            children = (
                self.requests.labels(route, method, str(status)),
                self.latency.labels(route),
                self.outcomes.labels(route, outcome),
            )
            self._request_children[key] = children
        requests, latency, outcomes = children
        requests.inc()
        latency.observe(seconds)
        outcomes.inc()

    def observe_scrub(self, items: int, by_type: Mapping[str, int], tier1: Mapping[str, int]) -> None:
        self.items.labels("/scrub").inc(items)
        for kind, n in by_type.items():
            self.tokens.labels(kind if kind in _TYPES else "other").inc(n)
        for kind, n in tier1.items():
            self.tier1.labels(kind if kind in _KINDS else "other").inc(n)

    def observe_proxy(
        self, route: str, stream: bool, strings: int, by_type: Mapping[str, int], tier1: Mapping[str, int]
    ) -> None:
        """One proxied request: ``strings`` scrubbed outbound, tokens and tier-1 drops by kind."""
        self.proxy_requests.labels(route, "true" if stream else "false").inc()
        self.items.labels(route).inc(strings)
        for kind, n in by_type.items():
            self.tokens.labels(kind if kind in _TYPES else "other").inc(n)
        for kind, n in tier1.items():
            self.tier1.labels(kind if kind in _KINDS else "other").inc(n)

    def observe_rehydrate(self, items: int, substituted: int, unknown: int) -> None:
        self.items.labels("/rehydrate").inc(items)
        self.rehydrated.labels("substituted").inc(substituted)
        self.rehydrated.labels("unknown").inc(unknown)

    def observe_ner_failure(self, layer: str, reason: str) -> None:
        self.ner_failures.labels(
            layer if layer in _NER_LAYERS else "other", reason if reason in _NER_REASONS else "other"
        ).inc()

    def observe_ner_seconds(self, layer: str, seconds: float) -> None:
        self.ner_seconds.labels(layer if layer in _NER_LAYERS else "other").observe(seconds)

    def render(self) -> bytes:
        """The exposition text for ``/metrics``."""
        return generate_latest(self.registry)
