"""NER configuration (environment only, never the request) and the layers it builds."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from app.embedded_ner import EmbeddedNer
from app.llm_backstop import LlmBackstop
from app.ner import SpacyLayer, build_layers
from app.settings import Settings

from .conftest import SettingsFactory


def test_ner_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "REDACTION_SPACY_ENTITIES": " PERSON, NRP ,PERSON",
        "REDACTION_PRESIDIO_RECOGNIZERS": "EmailRecognizer,UsSsnRecognizer",
        "REDACTION_LLM_BASE_URL": "http://127.0.0.1:11434",
        "REDACTION_LLM_TIMEOUT_SECONDS": "12.5",
        "REDACTION_LLM_CONCURRENCY": "2",
        "REDACTION_LLM_CHUNK_CHARS": "3000",
        "REDACTION_LLM_API_KEY": "local-llm-key",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = Settings(_env_file=None)
    assert s.spacy_entity_labels() == {"PERSON": "PERSON", "NRP": "ORG"}
    assert s.presidio_recognizer_names() == ("EmailRecognizer", "UsSsnRecognizer")
    assert (s.llm_timeout_seconds, s.llm_concurrency, s.llm_chunk_chars) == (12.5, 2, 3000)
    assert "local-llm-key" not in repr(s)
    assert Settings.unknown_environment_names(env) == []


def test_ner_defaults() -> None:
    s = Settings(_env_file=None)
    assert s.spacy_enabled is True
    assert s.spacy_entity_labels() == {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
    assert s.presidio_recognizer_names() == ()
    assert s.llm_base_url is None


# fmt: off
BAD = [
    {"spacy_entities": "PERSON,EMAIL_ADDRESS"},
    {"spacy_entities": " , "},
    {"presidio_recognizers": "os.system"},
    {"presidio_recognizers": "EmailRecognizer;rm"},
    {"llm_timeout_seconds": 0},
    {"llm_concurrency": 0},
    {"llm_chunk_chars": 100},
    {"llm_base_url": "file:///etc/passwd"},
]
# fmt: on


@pytest.mark.parametrize("overrides", BAD)
def test_bad_ner_settings_refuse_to_start(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **overrides)


def test_layers_follow_the_settings(make_settings: SettingsFactory) -> None:
    assert build_layers(make_settings()) == ()
    model = EmbeddedNer()  # not loaded: building layers loads nothing
    settings = make_settings(spacy_enabled=True, llm_base_url="http://127.0.0.1:9")
    layers = build_layers(settings, embedded=model)
    assert [(c.name, c.backstop, c.remote) for c in layers] == [("spacy", False, False), ("llm", True, True)]
    spacy_layer, llm_layer = layers[0].layer, layers[1].layer
    assert isinstance(spacy_layer, SpacyLayer)
    assert spacy_layer.embedded is model
    assert isinstance(llm_layer, LlmBackstop)
    asyncio.run(llm_layer.aclose())
    assert not model.ready
