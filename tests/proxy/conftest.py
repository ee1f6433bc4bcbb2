"""Fixtures of the provider proxy tests: a scripted provider and a gateway in front of it, both
real HTTP servers on 127.0.0.1, and the official SDKs pointed at the gateway."""

from __future__ import annotations

import base64
import json
import os
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings
from app.store import MapStore

from ..ports import serve_app
from .upstream import Recorded, Script, Upstream, scripted_upstream

# Canaries: each contains "canary" (or is a distinctive number), so one search finds it anywhere.
PERSON = "Zebulon Canaryman"
ORG = "Canaryfield Holdings"
EMAIL = "zeb.canary@canary-mail.example"
PHONE = "+1 415 555 0134"
KNOWN = {"persons": [PERSON], "orgs": [ORG], "emails": [EMAIL]}
CANARIES = (PERSON, ORG, EMAIL, PHONE, "Canaryman", "Canaryfield", "zeb.canary")
SOURCE = f"{PERSON} of {ORG} wrote from {EMAIL}, call {PHONE}."
PROVIDER_KEY = "sk-ant-provider-secret-CANARYKEY-0123456789"


def known_header(known: dict[str, list[str]] = KNOWN) -> str:
    return base64.urlsafe_b64encode(json.dumps(known).encode()).decode().rstrip("=")


def forms(value: str) -> list[bytes]:
    """A value as it could travel: plain, percent-encoded (both styles), base64 (both alphabets)."""
    raw = value.encode()
    return [
        raw,
        urllib.parse.quote(value).encode(),
        urllib.parse.quote_plus(value).encode(),
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw),
        base64.b64encode(raw).rstrip(b"="),
    ]


def assert_no_canary(requests: Iterable[Recorded], canaries: Iterable[str] = CANARIES) -> None:
    """The privacy guarantee of the proxy: no canary reached the provider, in any form."""
    seen = list(requests)
    assert seen, "the upstream received nothing: the check would prove nothing"
    for request in seen:
        blob = request.body + b"\n".join(f"{k}: {v}".encode() for k, v in request.headers.items())
        for canary in canaries:
            for form in forms(canary):
                assert form not in blob, f"a canary reached the upstream ({request.path})"


def _clear_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("REDACTION_"):
            monkeypatch.delenv(name)


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    with serve_app(app, ws="auto") as url:
        yield url


@dataclass
class Proxy:
    url: str
    upstream: Upstream
    data_dir: Path

    def anthropic(self, **headers: str) -> anthropic.Anthropic:
        default = {"X-Redaction-Known-Entities": known_header(), **headers}
        return anthropic.Anthropic(
            base_url=self.url, api_key=PROVIDER_KEY, max_retries=0, timeout=20, default_headers=default
        )

    def openai(self, **headers: str) -> openai.OpenAI:
        default = {"X-Redaction-Known-Entities": known_header(), **headers}
        return openai.OpenAI(
            base_url=self.url + "/v1",
            api_key=PROVIDER_KEY,
            max_retries=0,
            timeout=20,
            default_headers=default,
        )

    def script(self, **fields: Any) -> Script:
        self.upstream.script = Script(**fields)
        return self.upstream.script


def make_settings(data_dir: Path, upstream: Upstream | None, **overrides: Any) -> Settings:
    if upstream is not None:
        overrides.setdefault("anthropic_upstream", upstream.anthropic_base)
        overrides.setdefault("openai_upstream", upstream.openai_base)
    overrides.setdefault("upstream_read_timeout_seconds", 2.0)
    return Settings(_env_file=None, data_dir=data_dir, spacy_enabled=False, **overrides)


@contextmanager
def running_proxy(tmp: Path, store: MapStore | None = None, **overrides: Any) -> Iterator[Proxy]:
    """A gateway (settings ``overrides``; ``store`` replaces the configured map store) in front
    of a scripted provider."""
    with scripted_upstream() as upstream, pytest.MonkeyPatch.context() as monkeypatch:
        _clear_environment(monkeypatch)
        settings = make_settings(tmp, upstream, **overrides)
        with serve(create_app(settings, store=store)) as url:
            yield Proxy(url, upstream, tmp)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """One gateway + scripted provider per test module (scan mode: the default)."""
    with running_proxy(tmp_path_factory.mktemp("data")) as p:
        yield p


@pytest.fixture(autouse=True)
def _fresh_script(request: pytest.FixtureRequest) -> None:
    if "proxy" in request.fixturenames:
        proxy: Proxy = request.getfixturevalue("proxy")
        proxy.upstream.script = Script()
