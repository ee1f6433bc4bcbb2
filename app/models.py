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

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

__all__ = [
    "ERROR_BODIES",
    "ID_MAX_CHARS",
    "BucketIn",
    "CustomRuleIn",
    "DenyTermIn",
    "DescriptiveFlag",
    "EngineInfo",
    "ErrorBody",
    "ForgetRequest",
    "ForgetResponse",
    "HealthResponse",
    "KnownEntitiesIn",
    "MapHandle",
    "NotReadyProbe",
    "NotReadyResponse",
    "PolicyIn",
    "PolicyProfileInfo",
    "PolicyResponse",
    "PolicyRuleInfo",
    "PolicyStats",
    "ReadyResponse",
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
    "error_body_model",
    "field_names",
]

ID_MAX_CHARS = 256

Id = Annotated[str, Field(min_length=1, max_length=ID_MAX_CHARS)]

# The shape `app.store.new_handle` mints (``secrets.token_urlsafe(24)``: 32 characters) and
# `app.store.check_handle` accepts. Documented, deliberately not validated as a 400: a string
# of another shape names no map, answered like every other handle that names none (410
# ``map_expired`` on /rehydrate, 400 ``unknown_map_handle`` on /scrub), so no reply tells a
# malformed handle from an unknown one.
MapHandle = Annotated[
    str,
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]{1,64}$"}),
]


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


_Term = Annotated[str, Field(min_length=1, max_length=200)]
_Word = Annotated[str, Field(min_length=1, max_length=64)]
_Action = Literal["tokenize", "drop", "mask", "allow", "block"]


# A token type, e.g. "PROJECT" -> [PROJECT_1]. The pattern is documented (OpenAPI) rather than
# validated here: the policy layer checks it and answers 400 invalid_policy naming the key.
_TokenType = Annotated[str, Field(max_length=31, json_schema_extra={"pattern": "^[A-Z][A-Z0-9_]{1,30}$"})]
_RuleName = Annotated[
    str,
    Field(min_length=1, max_length=64, json_schema_extra={"pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"}),
]


class DenyTermIn(_Request):
    term: _Term
    type: _TokenType


class CustomRuleIn(_Request):
    """A request's own rule (docs/architecture.md §12): RE2 pattern, type, action."""

    name: _RuleName
    pattern: Annotated[str, Field(min_length=1, max_length=1000)]
    type: _TokenType
    action: Literal["tokenize", "drop", "mask", "block"] = "tokenize"
    validator: Literal["luhn", "mod97"] | None = None
    context: Annotated[list[_Word], Field(max_length=32)] = Field(default_factory=list)


class PolicyIn(_Request):
    """Additions to the request's profile. Deny terms, rules and stronger actions are always
    accepted; allow terms and weaker actions only where the profile permits (else 403)."""

    deny: Annotated[list[DenyTermIn], Field(max_length=1000)] = Field(default_factory=list)
    rules: Annotated[list[CustomRuleIn], Field(max_length=16)] = Field(default_factory=list)
    allow: Annotated[list[_Term], Field(max_length=1000)] = Field(default_factory=list)
    actions: dict[Annotated[str, Field(max_length=31)], _Action] = Field(default_factory=dict)


class ScrubRequest(_Request):
    task_id: Id
    actor: Annotated[str, Field(max_length=ID_MAX_CHARS)] | None = None
    items: Annotated[list[ScrubItem], Field(min_length=1)]
    known_entities: KnownEntitiesIn = Field(default_factory=KnownEntitiesIn)
    tier1_action: Literal["drop", "reject"] = "drop"
    bucket: BucketIn = Field(default_factory=BucketIn)
    ner: Literal["auto", "llm", "rules_only", "qwen"] = "auto"
    map_handle: MapHandle | None = None  # extend this map (same values keep their tokens)
    profile: Annotated[str, Field(min_length=1, max_length=64)] | None = None  # policy profile (§12)
    policy: PolicyIn | None = None  # additions to the profile


class ForgetRequest(_Request):
    task_id: Id
    map_handle: MapHandle


class ForgetResponse(BaseModel):
    task_id: str
    forgotten: Literal[True]


class RehydrateItem(_Request):
    id: Id
    text: str


class RehydrateRequest(_Request):
    task_id: Id
    map_handle: MapHandle
    items: Annotated[list[RehydrateItem], Field(min_length=1)]
    strict: bool = True  # unknown tokens are a 409 rather than left in place
    # Response scanning (docs/architecture.md §11); unset: REDACTION_RESPONSE_SCAN.
    scan: Literal["off", "tier1", "all"] | None = None


# -- responses (documentation of what the routes write) --------------------------------------


class ScrubItemOut(BaseModel):
    id: str
    scrubbed_text: str
    tokens_used: list[str]  # e.g. "PERSON_1", "PERSON_1.2", in order of first use


class DescriptiveFlag(BaseModel):
    item: str
    count: int  # descriptive re-identifiers dropped from this item
    action: Literal["dropped", "reported"]


class EngineInfo(BaseModel):
    """The engine a service runs (docs/architecture.md §14): compare with a vendored copy's."""

    version: str  # redaction.__version__
    fingerprint: str  # redaction.ENGINE_FINGERPRINT: SHA-256 hex of the golden expectations


class PolicyRuleInfo(BaseModel):
    name: str
    type: str
    action: str
    validator: str | None
    context_words: int


class PolicyProfileInfo(BaseModel):
    """One profile's effective policy, without terms or patterns (docs/policies.md)."""

    hash: str
    actions: dict[str, str]  # every type and tier-1 kind -> its action
    allow_terms: int
    deny_terms: dict[str, int]  # type -> terms
    rules: list[PolicyRuleInfo]
    overrides: dict[str, bool]  # {"allow", "actions"}: what a request may relax


class PolicyResponse(BaseModel):
    source: Literal["file", "builtin"]
    default_profile: str
    profiles: dict[str, PolicyProfileInfo]


class PolicyStats(BaseModel):
    """Which policy scrubbed the data (docs/architecture.md §12)."""

    profile: str
    hash: str  # the effective policy's hash: the profile's (GET /policy) plus request additions
    outcomes: dict[str, dict[str, int]]  # policy actions beyond the defaults: action -> kind -> n


class ScrubStats(BaseModel):
    tier1_dropped: int
    tier2_tokenized: int
    distinct_entities: int
    descriptive_flags: list[DescriptiveFlag]
    by_type: dict[str, int]
    engine: EngineInfo
    policy: PolicyStats


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
    # Response scan: values masked, by kind (counts, never values); only when any was masked.
    masked: dict[str, int] = Field(default_factory=dict)


class RehydrateResponse(BaseModel):
    items: list[RehydrateItemOut]
    stats: RehydrateStats


class HealthResponse(BaseModel):
    status: Literal["ok"]
    engine: EngineInfo
    ready: bool = Field(default=False, description="present, and true, when asked with ?ready=1")


class NotReadyProbe(BaseModel):
    """``/health?ready=1`` when not ready: the cause only (the details need the key at /ready)."""

    error: Literal["store_unavailable", "ner_unavailable"]
    status: Literal["not_ready"]


class NerReport(BaseModel):
    spacy: str  # "ready", "loading", "failed:<reason>" or "disabled"
    llm: str  # "ready", "unavailable" or "not_configured"


class ReadyResponse(BaseModel):
    status: Literal["ready"]
    store: Literal["ok"]
    ner: NerReport


class NotReadyResponse(BaseModel):
    error: Literal["store_unavailable", "ner_unavailable"]
    status: Literal["not_ready"]
    store: Literal["ok", "unavailable"]
    ner: NerReport


# -- error bodies: exactly these fields, so the OpenAPI document (and the contract test that
# -- runs against it) refuses any field an error body does not document -------------------


class ErrorBody(BaseModel):
    """Every error: ``{"error": code, ...}`` with code-specific safe fields."""

    model_config = ConfigDict(extra="allow")

    error: str


class _Error(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValidationIssue(_Error):
    loc: str  # a field path such as "body.items.0.id"; keys the caller invented show as "*"
    type: str  # pydantic's error type, e.g. "missing", "string_type", "duplicate_id"


class BadRequestBody(_Error):
    error: Literal["bad_request"]
    detail: list[ValidationIssue] = Field(default_factory=list)  # absent for unparseable HTTP


class UnknownTokensBody(_Error):
    error: Literal["unknown_tokens"]
    tokens: list[str]  # distinct placeholders like "[PERSON_9]", at most 100
    count: int


class PayloadTooLargeBody(_Error):
    error: Literal["payload_too_large"]
    limit: str  # the limit's name: "body_bytes", "items", "item_chars", ...
    max: int


class Tier1Span(_Error):
    item: str
    kinds: list[str]


class Tier1DetectedBody(_Error):
    error: Literal["tier1_detected"]
    spans: list[Tier1Span]


class NerUnavailableBody(_Error):
    error: Literal["ner_unavailable"]
    layer: str
    reason: str


class DescriptiveUnredactableBody(_Error):
    error: Literal["descriptive_unredactable"]
    items: list[str]


def _bare(code: str, base: type[BaseModel] = _Error) -> type[BaseModel]:
    """The body of a code with no fields besides ``error``: ``{"error": code}``."""
    name = "".join(part.capitalize() for part in code.split("_")) + "Body"
    model: type[BaseModel] = type(
        name, (base,), {"__annotations__": {"error": Literal[code]}, "__module__": __name__}
    )
    return model


# Error code -> its body model; codes missing here are documented with the generic `ErrorBody`.
ERROR_BODIES: dict[str, type[BaseModel]] = {
    "bad_request": BadRequestBody,
    "unknown_tokens": UnknownTokensBody,
    "payload_too_large": PayloadTooLargeBody,
    "tier1_detected": Tier1DetectedBody,
    "ner_unavailable": NerUnavailableBody,
    "descriptive_unredactable": DescriptiveUnredactableBody,
}
for _code in (
    "unknown_map_handle",
    "unauthorized",
    "not_found",
    "method_not_allowed",
    "map_expired",
    "scrub_failed",
    "store_unavailable",
):
    ERROR_BODIES[_code] = _bare(_code)


def error_body_model(code: str) -> type[BaseModel]:
    """The body model of ``code``: from `ERROR_BODIES`, else ``{"error": code, ...}`` with
    further fields allowed (a code whose fields nobody has described yet)."""
    if code not in ERROR_BODIES:
        ERROR_BODIES[code] = _bare(code, ErrorBody)
    return ERROR_BODIES[code]


def field_names() -> frozenset[str]:
    """Every field name of the request models: the only names a 400 ``detail`` may show."""
    names: set[str] = set()
    for model in (
        ScrubItem, KnownEntitiesIn, BucketIn, ScrubRequest, RehydrateItem, RehydrateRequest, PolicyIn,
        DenyTermIn, CustomRuleIn, ForgetRequest,
    ):  # fmt: skip
        names.update(model.model_fields)
    return frozenset(names)
