"""Every exception the engine and the service raise, in one place.

    RedactionError
    ├── InputError               the input cannot be scrubbed as given (wrong type, bad spec)
    ├── Tier1Rejected            tier1_action=reject and a tier-1 value was found
    ├── NerUnavailable           a required NER layer is unreachable, slow or answered badly
    ├── DescriptiveUnredactable  the backstop flagged a re-identifier that cannot be removed
    ├── UnknownTokens            strict rehydration met tokens that are not in the map
    ├── StoreError               the map store cannot be read or written
    │   ├── MapNotFound          the handle never existed (or cannot exist: malformed)
    │   └── MapExpired           the handle expired, or is bound to another task_id (both 410)
    ├── Unauthorized             (app.errors) a caller key is configured and missing or wrong
    └── PayloadTooLarge          (app.errors) over the body-bytes, item-count or item-length limit

The service's transport errors live in `app.errors` (the engine never raises them), with the
code -> HTTP status table of docs/architecture.md §5.

Exceptions carry safe context only: item ids, kinds, counts, a handle prefix. Never input
text, a known-entity value or a map value: their ``str()`` may reach a log or an error body.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "DescriptiveUnredactable",
    "InputError",
    "MapExpired",
    "MapNotFound",
    "NerUnavailable",
    "RedactionError",
    "StoreError",
    "Tier1Rejected",
    "UnknownTokens",
]


class RedactionError(Exception):
    """Base class. ``code`` is the stable error code of docs/architecture.md §5."""

    code = "scrub_failed"


class InputError(RedactionError, ValueError):
    """The input is not something the engine can scrub (wrong type, malformed spec)."""

    code = "bad_request"


class Tier1Rejected(RedactionError):
    """A tier-1 value was found while the caller asked to reject rather than drop."""

    code = "tier1_detected"

    def __init__(self, spans: Sequence[tuple[str, Sequence[str]]]) -> None:
        # (item id, kinds): never the values.
        self.spans = [(item, sorted(set(kinds))) for item, kinds in spans]
        super().__init__(f"tier-1 values found in {len(self.spans)} item(s)")


class NerUnavailable(RedactionError):
    """A required NER layer could not do its job; the request must be refused."""

    code = "ner_unavailable"

    def __init__(self, layer: str, reason: str) -> None:
        self.layer = layer
        self.reason = reason
        super().__init__(f"{layer}: {reason}")


class DescriptiveUnredactable(RedactionError):
    """The backstop flagged a substantial descriptive re-identifier it could not locate."""

    code = "descriptive_unredactable"

    def __init__(self, items: Sequence[str]) -> None:
        self.items = list(items)
        super().__init__(f"unremovable descriptive re-identifiers in {len(self.items)} item(s)")


class UnknownTokens(RedactionError):
    """Strict rehydration saw tokens that the map does not hold."""

    code = "unknown_tokens"

    def __init__(self, tokens: Sequence[str]) -> None:
        # Tokens are placeholders, not values: safe to report.
        self.tokens = list(tokens)
        super().__init__(f"{len(self.tokens)} unknown token(s)")


class StoreError(RedactionError):
    """The map store failed; callers must not fall back to a fresh map."""

    code = "store_unavailable"


class MapNotFound(StoreError):
    """The handle never existed (a malformed handle cannot exist either)."""

    code = "unknown_map_handle"


class MapExpired(StoreError):
    """The handle existed and its TTL ran out, or it is bound to another task_id.

    The two are one error on the wire (410 ``map_expired``): a caller holding another task's
    handle learns nothing more than a caller holding an expired one.
    """

    code = "map_expired"
