"""Checks and helpers shared by the routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import reduce
from typing import Any, Protocol

from fastapi.exceptions import RequestValidationError

from ..errors import STATUS_BY_CODE, PayloadTooLarge
from ..models import error_body_model
from ..settings import Settings

__all__ = ["check_items", "error_responses", "iso_utc"]


class _Item(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...


def check_items(items: Sequence[_Item], settings: Settings) -> None:
    """413 over the item-count or item-length limit; 400 for a repeated item id."""
    if len(items) > settings.max_items:
        raise PayloadTooLarge("items", settings.max_items)
    seen: set[str] = set()
    for index, item in enumerate(items):
        if len(item.text) > settings.max_item_chars:
            raise PayloadTooLarge("item_chars", settings.max_item_chars)
        if item.id in seen:
            raise RequestValidationError(
                [{"loc": ("body", "items", index, "id"), "type": "duplicate_id", "msg": "duplicate item id"}]
            )
        seen.add(item.id)


def iso_utc(seconds: float) -> str:
    """Unix seconds as ISO 8601 UTC to the second: ``2026-01-02T03:04:05Z``."""
    moment = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def error_responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error codes a route may answer.

    Each status gets the body model of its code (`app.models.error_body_model`), or the union of
    them when several codes share it (a 422 is ``tier1_detected`` or ``ner_unavailable`` ...).
    """
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(STATUS_BY_CODE[code], []).append(code)
    out: dict[int | str, dict[str, Any]] = {}
    for status, group in by_status.items():
        models: list[Any] = [error_body_model(code) for code in group]
        model = reduce(lambda a, b: a | b, models)  # X | Y: one of the bodies
        out[status] = {"model": model, "description": ", ".join(f"`{code}`" for code in group)}
    return out
