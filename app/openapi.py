"""The OpenAPI document the service serves at ``/openapi.json`` (and docs/openapi.json).

FastAPI derives the paths, request and response models from the routes; this module adds
what FastAPI cannot know and removes what it assumes wrongly:

- FastAPI adds a ``422 HTTPValidationError`` to every route with a body. This service answers
  validation errors with 400 ``bad_request`` (`app.main`), so that entry (and its schemas)
  is removed; the 422s that remain are the documented ones (``tier1_detected``, ...). Error
  bodies are JSON on every route, ``/metrics`` (text/plain) included.
- The configured limits, as schema limits: ``items`` has ``maxItems`` =
  ``REDACTION_MAX_ITEMS`` and item ``text`` has ``maxLength`` = ``REDACTION_MAX_ITEM_CHARS``
  (both answered with 413 ``payload_too_large``, not 400, when exceeded).
- Links from a ``/scrub`` answer to the operations that take its ``task_id`` and
  ``map_handle`` (``/rehydrate``, ``/scrub`` again, ``/forget``): the map's life cycle, which
  clients and stateful testers follow.
- The caller key as a security scheme on every route except ``/health`` (enforced only when
  ``REDACTION_API_KEY`` is set): ``Authorization: Bearer`` on the gateway's own routes,
  ``X-Redaction-Key`` on the provider proxy's, where ``Authorization`` is the provider's.

The WebSocket ``GET /rehydrate/stream`` cannot be described in OpenAPI; docs/api.md does.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .middleware import is_proxy_path
from .settings import Settings

__all__ = ["BEARER_SCHEME", "PROXY_KEY_SCHEME", "build_openapi"]

BEARER_SCHEME = "callerKey"
PROXY_KEY_SCHEME = "proxyCallerKey"
_OPEN_PATHS = frozenset({"/health"})  # as `app.middleware.AuthMiddleware` has them
_DESCRIPTION = (
    "Scrub context to placeholders before a hosted LLM sees it; rehydrate the reply. "
    'Every error body is top-level JSON `{"error": code, ...}`. With `REDACTION_API_KEY` set, '
    "every route except `/health` needs `Authorization: Bearer <key>` (`X-Redaction-Key: <key>` on the "
    "provider proxy's routes). The streaming rehydration WebSocket (`GET /rehydrate/stream`) is "
    "described in docs/api.md."
)
# Request models whose `items` list and item `text` carry the configured limits.
_LIMITED = {"ScrubRequest": "ScrubItem", "RehydrateRequest": "RehydrateItem"}


def _fix_responses(paths: dict[str, Any]) -> None:
    for operations in paths.values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            schema = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref") == "#/components/schemas/HTTPValidationError":
                del responses["422"]
            for status, response in responses.items():
                content = response.get("content", {})
                if status >= "400" and len(content) == 1 and "application/json" not in content:
                    # A route with another response class (``/metrics``: text/plain) still
                    # answers its errors in JSON, as every route does.
                    response["content"] = {"application/json": content.popitem()[1]}


def _add_links(paths: dict[str, Any]) -> None:
    scrub = paths.get("/scrub", {}).get("post")
    if scrub is None:
        return
    body = {"task_id": "$response.body#/task_id", "map_handle": "$response.body#/map_handle"}
    links = {}
    for path, name in (
        ("/rehydrate", "RehydrateWithTheMap"),
        ("/scrub", "ExtendTheMap"),
        ("/forget", "ForgetTheMap"),
    ):
        target = paths.get(path, {}).get("post")
        if target is not None:
            links[name] = {"operationId": target["operationId"], "requestBody": dict(body)}
    scrub["responses"]["200"]["links"] = links


def build_openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app`` as configured by ``settings`` (cached on the app)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=_DESCRIPTION,
        routes=app.routes,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
    )
    paths: dict[str, Any] = document.get("paths", {})
    _fix_responses(paths)
    _add_links(paths)
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    defaults = ("HTTPValidationError", "ValidationError")  # FastAPI's 422 body, never sent here
    rest = json.dumps([paths, {k: v for k, v in schemas.items() if k not in defaults}])
    if "#/components/schemas/HTTPValidationError" not in rest:
        for name in defaults:
            schemas.pop(name, None)
    for request, item in _LIMITED.items():
        if request in schemas:
            schemas[request]["properties"]["items"]["maxItems"] = settings.max_items
        if item in schemas:
            schemas[item]["properties"]["text"]["maxLength"] = settings.max_item_chars
    document["components"]["securitySchemes"] = {
        BEARER_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "REDACTION_API_KEY; required only when it is set",
        },
        PROXY_KEY_SCHEME: {
            "type": "apiKey",
            "in": "header",
            "name": "X-Redaction-Key",
            "description": "REDACTION_API_KEY on the provider proxy's routes; required only when it is set",
        },
    }
    for path, operations in paths.items():
        if path not in _OPEN_PATHS:
            scheme = PROXY_KEY_SCHEME if is_proxy_path(path) else BEARER_SCHEME
            for operation in operations.values():
                operation["security"] = [{scheme: []}]
    app.openapi_schema = document
    return document
