"""The seam where NER layers (DESIGN §3.3 embedded spaCy, §3.4 local-LLM backstop) plug in.

The engine runs the deterministic rules and the caller's dictionary itself; NER layers only
*propose* ``(surface, LABEL)`` pairs, which the engine locates in the text and resolves like
any other span (`redaction.scrub`'s ``ner_fn``). A layer fails closed: it raises
`NerUnavailable` (or `DescriptiveUnredactable`) and the request is refused with 422.

Request modes (the ``ner`` field of ``/scrub``):

- ``rules_only``: no NER layer runs; the caller knowingly skips NER.
- ``auto``: every configured layer runs, and each is required (fail closed).
- ``llm`` (alias ``qwen``): like ``auto``, but the LLM backstop must be configured: without
  it the request is refused with 422 ``ner_unavailable`` (layer ``llm``).

This build configures no layer yet (`build_layers` returns none), so ``auto`` runs rules and
dictionary and ``llm`` is refused. `app.embedded_ner.EmbeddedNer` already satisfies
`NerLayer`; wiring it (and the LLM backstop client) into `build_layers` is the next step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from redaction import NerFn
from redaction.errors import NerUnavailable

from .settings import Settings

__all__ = ["NER_MODES", "ConfiguredLayer", "NerLayer", "NerMode", "build_layers", "ner_fn_for"]

NerMode = Literal["auto", "llm", "rules_only", "qwen"]
NER_MODES: tuple[str, ...] = ("auto", "llm", "rules_only", "qwen")


class NerLayer(Protocol):
    """A detection layer that proposes entities. Must be thread-safe (called from workers)."""

    def load(self) -> None:
        """Prepare (load weights, reach the server); raise `NerUnavailable` if it cannot."""

    def propose(self, text: str) -> Iterable[tuple[str, str]]:
        """(surface, LABEL) pairs found in ``text``; raise `NerUnavailable` on any failure."""
        ...


@dataclass(frozen=True, slots=True)
class ConfiguredLayer:
    """A layer as configured: its name (``spacy``, ``llm``) appears in 422 bodies and /ready."""

    name: str
    layer: NerLayer
    backstop: bool = False  # the local-LLM backstop that ``ner=llm`` requires


def build_layers(settings: Settings) -> tuple[ConfiguredLayer, ...]:
    """The NER layers the settings configure. None in this build (see the module docstring)."""
    del settings  # REDACTION_SPACY_ENABLED / REDACTION_LLM_BASE_URL select layers once they are wired
    return ()


def ner_fn_for(mode: str, layers: Sequence[ConfiguredLayer]) -> NerFn | None:
    """The engine's ``ner_fn`` for a request mode, or None when no layer is to run.

    Raises `NerUnavailable` when the mode requires a layer that is not configured.
    """
    if mode == "rules_only":
        return None
    if mode in ("llm", "qwen") and not any(c.backstop for c in layers):
        raise NerUnavailable("llm", "not_configured")
    if not layers:
        return None
    chosen = tuple(layers)

    def propose(text: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for configured in chosen:
            found.extend(configured.layer.propose(text))
        return found

    return propose
