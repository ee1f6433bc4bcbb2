"""The wire contract of docs/architecture.md §5: request and response bodies.

Requests are strict: unknown fields, wrong JSON types (``"1"`` for a bool, ``1`` for a
string) and missing required fields are 400 ``bad_request``. Size limits that depend on the
configuration (items per request, characters per item) are checked by the routes and
answered with 413 ``payload_too_large``.

Lone surrogates: any JSON string is accepted as item text and as a known-entity value,
including escaped lone surrogates (``"\\ud800"``): they are scrubbed, stored and returned
exactly (as JSON escapes). Identifiers (``task_id``, ``actor``, item ``id``) must be valid
Unicode: a lone surrogate there is 400 ``bad_request`` (type ``string_unicode``). A body
that is not valid UTF-8 (including UTF-8-encoded surrogates) is 400 (type ``invalid_utf8``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ID_MAX_CHARS",
    "BucketIn",
    "DescriptiveFlag",
    "ErrorBody",
    "KnownEntitiesIn",
    "RehydrateItem",
    "RehydrateItemOut",
    "RehydrateRequest",
    "RehydrateResponse",
    "RehydrateStats",
    "ScrubItem",
    "ScrubItemOut",
    "ScrubRequest",
    "ScrubResponse",
    "ScrubStats",
    "field_names",
]

ID_MAX_CHARS = 256

Id = Annotated[str, Field(min_length=1, max_length=ID_MAX_CHARS)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ScrubItem(_Request):
    id: Id  # unique within the request; echoed in the response and in 422 bodies
    text: str


class KnownEntitiesIn(_Request):
    """The caller's dictionary: used for this request only, never stored as such."""

    persons: list[str] = Field(default_factory=list)
    orgs: list[str] = Field(default_factory=list)
    funds: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)


class BucketIn(_Request):
    amounts: bool = False  # `[AMOUNT_1: $1M-$5M]`
    dates: bool = False  # tokenize every calendar date, shown as `[DATE_1: 2024-Q3]`


class ScrubRequest(_Request):
    task_id: Id
    actor: Annotated[str, Field(max_length=ID_MAX_CHARS)] | None = None
    items: Annotated[list[ScrubItem], Field(min_length=1)]
    known_entities: KnownEntitiesIn = Field(default_factory=KnownEntitiesIn)
    tier1_action: Literal["drop", "reject"] = "drop"
    bucket: BucketIn = Field(default_factory=BucketIn)
    ner: Literal["auto", "llm", "rules_only", "qwen"] = "auto"
    map_handle: str | None = None  # extend this map (same values keep their tokens)


class RehydrateItem(_Request):
    id: Id
    text: str


class RehydrateRequest(_Request):
    task_id: Id
    map_handle: str
    items: Annotated[list[RehydrateItem], Field(min_length=1)]
    strict: bool = True  # unknown tokens are a 409 rather than left in place


# -- responses (documentation of what the routes write) --------------------------------------


class ScrubItemOut(BaseModel):
    id: str
    scrubbed_text: str
    tokens_used: list[str]  # e.g. "PERSON_1", "PERSON_1.2", in order of first use


class DescriptiveFlag(BaseModel):
    item: str
    count: int  # descriptive re-identifiers dropped from this item
    action: Literal["dropped", "reported"]


class ScrubStats(BaseModel):
    tier1_dropped: int
    tier2_tokenized: int
    distinct_entities: int
    descriptive_flags: list[DescriptiveFlag]
    by_type: dict[str, int]


class ScrubResponse(BaseModel):
    task_id: str
    map_handle: str
    expires_at: str  # ISO 8601, UTC, e.g. "2026-01-02T05:04:05Z"
    items: list[ScrubItemOut]
    stats: ScrubStats


class RehydrateItemOut(BaseModel):
    id: str
    rehydrated_text: str


class RehydrateStats(BaseModel):
    tokens_substituted: int
    unknown_tokens: int


class RehydrateResponse(BaseModel):
    items: list[RehydrateItemOut]
    stats: RehydrateStats


class ErrorBody(BaseModel):
    """Every error: ``{"error": code, ...}`` with code-specific safe fields."""

    model_config = ConfigDict(extra="allow")

    error: str


def field_names() -> frozenset[str]:
    """Every field name of the request models: the only names a 400 ``detail`` may show."""
    names: set[str] = set()
    for model in (ScrubItem, KnownEntitiesIn, BucketIn, ScrubRequest, RehydrateItem, RehydrateRequest):
        names.update(model.model_fields)
    return frozenset(names)
