"""/openapi.json describes the service exactly, and docs/openapi.json is that document.

Static properties of the document (the live behaviour is tests/contract/test_schemathesis.py):
response models on every 200, /metrics as text/plain, no FastAPI 422 (validation is 400
``bad_request``), one body schema per documented error code, the map handle's shape and the
configured limits as schema limits.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.errors import STATUS_BY_CODE
from app.main import create_app
from app.middleware import SCRUBBING_PROXY_PATHS, is_proxy_path
from app.openapi import BEARER_SCHEME, PROXY_KEY_SCHEME
from app.settings import Settings
from app.store import new_handle
from tests.service.processes import free_port, service_process

ROOT = Path(__file__).parents[2]
COMMITTED = ROOT / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("data"))  # type: ignore[call-arg]
    spec: dict[str, Any] = create_app(settings).openapi()
    return spec


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The component schemas ``schema`` names (itself, a $ref, or each branch of an anyOf)."""
    if "$ref" in schema:
        return [document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]]
    if "anyOf" in schema:
        return [s for branch in schema["anyOf"] for s in _resolve(document, branch)]
    return [schema]


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def test_the_committed_document_is_the_live_one(tmp_path: Path) -> None:
    port = free_port()
    with service_process(port, tmp_path / "server.log", data_dir=str(tmp_path / "data")):
        live = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == live, (
        "docs/openapi.json differs from the service's /openapi.json: run `make openapi`"
    )
    check = subprocess.run([sys.executable, "scripts/export_openapi.py", "--check"], cwd=ROOT)
    assert check.returncode == 0, "docs/openapi.json is not byte-identical to the export: `make openapi`"


def test_every_json_200_references_its_response_model(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        content = op["responses"]["200"]["content"]
        if path == "/metrics":
            assert list(content) == ["text/plain"], "/metrics is Prometheus text, not JSON"
            continue
        if path in SCRUBBING_PROXY_PATHS:  # the provider's own body, rehydrated: JSON, or SSE when streaming
            assert {"application/json", "text/event-stream"} <= set(content), f"{path}: {content}"
            continue
        if is_proxy_path(path):  # the provider's model list, passed through
            assert list(content) == ["application/json"], f"{path}: {content}"
            continue
        schema = content["application/json"]["schema"]
        assert "$ref" in schema, f"{method.upper()} {path}: 200 is not described by a model: {schema}"


def test_no_fastapi_422_and_every_error_has_its_code_schema(document: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            if int(status) < 400 or is_proxy_path(path):  # the proxy answers in the provider's shape
                continue
            assert list(response["content"]) == ["application/json"], f"{path} {status}: errors are JSON"
            for schema in _resolve(document, response["content"]["application/json"]["schema"]):
                error = schema["properties"]["error"]
                codes = error.get("enum") or [error.get("const")]
                assert codes != [None], f"{method.upper()} {path} {status}: no error code in {schema}"
                for code in codes:
                    # The readiness probes answer an unready NER layer with 503, not 422.
                    probe = path in ("/ready", "/health")
                    allowed = {STATUS_BY_CODE.get(code)} | ({503} if probe else set())
                    assert int(status) in allowed, f"{method.upper()} {path}: {code} documented as {status}"


def test_every_route_but_health_documents_the_caller_key(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes[BEARER_SCHEME] == {**schemes[BEARER_SCHEME], "type": "http", "scheme": "bearer"}
    assert schemes[PROXY_KEY_SCHEME]["name"] == "X-Redaction-Key"
    for path, method, op in _operations(document):
        if path == "/health":
            assert "security" not in op
            assert "401" not in op["responses"]
        else:
            scheme = PROXY_KEY_SCHEME if is_proxy_path(path) else BEARER_SCHEME
            assert op.get("security") == [{scheme: []}], f"{method.upper()} {path}: {op.get('security')}"
            assert "401" in op["responses"], f"{method.upper()} {path}: 401 undocumented"


def test_the_map_handle_and_the_limits_are_schema_limits(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    handle = schemas["RehydrateRequest"]["properties"]["map_handle"]
    assert handle["maxLength"] == 64
    assert re.fullmatch(handle["pattern"].strip("^$"), new_handle()), "a minted handle fits the pattern"
    scrub_handle = [s for s in schemas["ScrubRequest"]["properties"]["map_handle"]["anyOf"] if "pattern" in s]
    assert [(s["pattern"], s["maxLength"]) for s in scrub_handle] == [(handle["pattern"], 64)]
    defaults = Settings.model_fields
    for request, item in (("ScrubRequest", "ScrubItem"), ("RehydrateRequest", "RehydrateItem")):
        assert schemas[request]["properties"]["items"]["maxItems"] == defaults["max_items"].default
        assert schemas[item]["properties"]["text"]["maxLength"] == defaults["max_item_chars"].default
        assert schemas[item]["properties"]["id"]["maxLength"] == 256
