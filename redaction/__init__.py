"""redaction: the deterministic engine of redaction-gateway.

Pure and importable without the service: no network, no disk, no FastAPI. Every caller (the
service, the CLI, CI leak tests, repositories that vendor it) gets byte-identical output.

    >>> from redaction import scrub, rehydrate
    >>> scrubbed, token_map, audit = scrub("Mail jane@example.com", known_entities={"persons": ["Jane Doe"]})
    >>> scrubbed
    'Mail [EMAIL_1]'
    >>> rehydrate(scrubbed, token_map)
    'Mail jane@example.com'
"""

from __future__ import annotations

from ._known_entities import KNOWN_ENTITY_FIELDS, KnownEntities, compile_known_entities
from ._rehydrate import Rehydration, rehydrate, rehydrate_detailed, residual_tokens
from ._scrub import BucketSpec, NerFn, ScrubAudit, ScrubResult, scrub
from ._spans import DROP_KINDS, TIER1_KINDS, TOKEN_TYPES, Span
from ._state import ScrubState
from ._stream import StreamRehydrator
from .errors import InputError, RedactionError

__all__ = [
    "DROP_KINDS",
    "KNOWN_ENTITY_FIELDS",
    "TIER1_KINDS",
    "TOKEN_TYPES",
    "BucketSpec",
    "InputError",
    "KnownEntities",
    "NerFn",
    "RedactionError",
    "Rehydration",
    "ScrubAudit",
    "ScrubResult",
    "ScrubState",
    "Span",
    "StreamRehydrator",
    "compile_known_entities",
    "rehydrate",
    "rehydrate_detailed",
    "residual_tokens",
    "scrub",
]
