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

from ._fingerprint import ENGINE_FINGERPRINT, SOURCE_DIGEST
from ._identity import engine_version
from ._known_entities import KNOWN_ENTITY_FIELDS, KnownEntities, compile_known_entities
from ._policy import CustomRule, DenyTerm, Policy
from ._rehydrate import Rehydration, rehydrate, rehydrate_detailed, residual_tokens
from ._response_scan import SCAN_MODES, ScanMode, ScanResult, scan_response
from ._scrub import BucketSpec, NerFn, ScrubAudit, ScrubResult, scrub
from ._spans import DROP_KINDS, TIER1_KINDS, TOKEN_TYPES, Span
from ._state import ScrubState
from ._stream import StreamRehydrator
from .errors import InputError, RedactionError

__all__ = [
    "DROP_KINDS",
    "ENGINE_FINGERPRINT",
    "KNOWN_ENTITY_FIELDS",
    "SCAN_MODES",
    "SOURCE_DIGEST",
    "TIER1_KINDS",
    "TOKEN_TYPES",
    "BucketSpec",
    "CustomRule",
    "DenyTerm",
    "InputError",
    "KnownEntities",
    "NerFn",
    "Policy",
    "RedactionError",
    "Rehydration",
    "ScanMode",
    "ScanResult",
    "ScrubAudit",
    "ScrubResult",
    "ScrubState",
    "Span",
    "StreamRehydrator",
    "compile_known_entities",
    "rehydrate",
    "rehydrate_detailed",
    "residual_tokens",
    "scan_response",
    "scrub",
]

# The installed distribution's version, or "<version copied>+vendored" in a vendored copy
# (docs/architecture.md §14; redaction/_identity.py).
__version__ = engine_version()
