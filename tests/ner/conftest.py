"""Fixtures for the NER wiring tests: the service over HTTP with its NER layers configured, a
scripted OpenAI-compatible server (tests/llm/scripted_server.py) as the LLM backstop, and the
real embedded spaCy model, loaded once per test session."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.embedded_ner import EmbeddedNer
from app.settings import Settings

with warnings.catch_warnings():
    # spacy imports requests, whose urllib3 warns that PySocks is missing. Import it here, in
    # the main thread, so the layer's background load never meets the warning as an error.
    warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
    import spacy  # noqa: F401

SettingsFactory = Callable[..., Settings]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("REDACTION_"):
            monkeypatch.delenv(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_settings(data_dir: Path) -> SettingsFactory:
    """Settings in a temporary data dir; spaCy off unless asked for (it takes seconds to load)."""

    def make(**overrides: Any) -> Settings:
        overrides.setdefault("data_dir", data_dir)
        overrides.setdefault("spacy_enabled", False)
        overrides.setdefault("llm_timeout_seconds", 1.0)
        return Settings(_env_file=None, **overrides)

    return make


@pytest.fixture(scope="session")
def embedded() -> EmbeddedNer:
    """The real, verified en_core_web_sm model: loaded once, shared by every app of the session."""
    model = EmbeddedNer()
    model.load()
    return model
