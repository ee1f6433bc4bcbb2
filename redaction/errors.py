"""Every exception the engine and the service raise, in one place.

    RedactionError
    ├── InputError               the input cannot be scrubbed as given (wrong type, bad spec)
    │   └── PolicyInvalid        a policy (file or request) is malformed: names profile, rule, key
    ├── PolicyBlocked            a value of a kind the policy blocks was found (422, item ids, kinds)
    ├── Tier1Rejected            tier1_action=reject and a tier-1 value was found
    ├── NerUnavailable           a required NER layer is unreachable, slow or answered badly
    ├── DescriptiveUnredactable  the backstop flagged a re-identifier that cannot be removed
    ├── UnknownTokens            strict rehydration met tokens that are not in the map
    ├── StoreError               the map store cannot be read or written
    │   ├── MapNotFound          the handle never existed (or cannot exist: malformed)
    │   └── MapExpired           the handle expired, or is bound to another task_id (both 410)
    ├── Unauthorized             (app.errors) a caller key is configured and missing or wrong
    ├── PayloadTooLarge          (app.errors) over the body-bytes, item-count or item-length limit
    ├── RequestTimeout           (app.errors) the body did not arrive within the body timeout (408)
    ├── Overloaded               (app.errors) every allowed connection has a request in flight (503)
    ├── PolicyOverrideForbidden  (app.errors) a request relaxes a profile that forbids it (403)
    ├── UnknownProfile           (app.errors) a request names a profile the policy file lacks (400)
    ├── AuditUnavailable         (app.errors) the audit record of a call cannot be written (503)
    ├── ProxyNotConfigured       (app.errors) a provider route whose upstream is not configured
    ├── UnscannableContent       (app.errors) a proxied request carries images, documents, audio
    └── UpstreamError            (app.errors) the provider upstream cannot be used
        ├── UpstreamUnavailable  connect failure, dropped connection, malformed answer (502)
        ├── UpstreamTimeout      no answer within the connect or read timeout (504)
        └── UpstreamTooLarge     the answer is over the response size bound (502)

    AssertionError
    └── LeakError                (redaction.testing) a planted canary value is in an output

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
    "LeakError",
    "MapExpired",
    "MapNotFound",
    "NerUnavailable",
    "PolicyBlocked",
    "PolicyInvalid",
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


class PolicyInvalid(InputError):
    """A policy is malformed (docs/architecture.md §12): a bad action, type name or pattern.

    ``key`` is where (``rules[0].pattern``), ``rule`` the custom rule's name when one is at
    fault, ``reason`` a fixed phrase; ``profile`` and ``line`` are filled in by the policy file
    loader. Never a term, a pattern or text.
    """

    code = "invalid_policy"

    def __init__(self, key: str, reason: str, *, rule: str | None = None) -> None:
        self.key = key
        self.reason = reason
        self.rule = rule
        self.profile: str | None = None
        self.line: int | None = None
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [f"profile {self.profile!r}"] if self.profile is not None else []
        where.append(f"key {self.key!r}")
        if self.rule is not None:
            where.append(f"rule {self.rule!r}")
        if self.line is not None:
            where.append(f"line {self.line}")
        return ", ".join(where) + f": {self.reason}"


class PolicyBlocked(RedactionError):
    """The policy blocks a kind that was found: the request is refused (422 ``policy_blocked``)."""

    code = "policy_blocked"

    def __init__(self, spans: Sequence[tuple[str, Sequence[str]]]) -> None:
        # (item id, kinds): never the values.
        self.spans = [(item, sorted(set(kinds))) for item, kinds in spans]
        super().__init__(f"blocked values found in {len(self.spans)} item(s)")


class LeakError(AssertionError):
    """`redaction.testing.assert_no_leak` found planted values in an output: a failing test.

    ``leaks`` are `redaction.testing.Leak` records (kind, offset, form); the message lists
    them, never a value, so it is safe in a CI log.
    """

    def __init__(self, leaks: Sequence[object], where: str) -> None:
        self.leaks = list(leaks)
        listed = "; ".join(str(leak) for leak in self.leaks)
        super().__init__(f"{len(self.leaks)} planted value(s) leaked into {where}: {listed}")
