"""The one currency between detection layers and the resolver: a proposed span."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DROP_KINDS", "TIER1_KINDS", "TOKEN_TYPES", "Span"]

# Tier 2, reversible: `[TYPE_N]`. LITERAL escapes input that already reads as a token (architecture §4).
TOKEN_TYPES: tuple[str, ...] = (
    "PERSON", "ORG", "FUND", "EMAIL", "PHONE", "LOC", "ADDRESS", "URL", "IP", "AMOUNT", "DATE", "ID",
    "LITERAL",
)  # fmt: skip

# Tier 1, irreversible: `[REDACTED:KIND]`, never stored anywhere. ``US_ITIN`` is a taxpayer id in
# the SSN format (area 9xx); ``NATIONAL_ID`` any other country's personal id number (by its
# checksum or its label); ``CVV`` and ``PIN`` a card's security code and a PIN after their label.
TIER1_KINDS: tuple[str, ...] = (
    "API_KEY", "JWT", "PRIVATE_KEY", "PASSWORD", "URL_CREDENTIALS",
    "CREDIT_CARD", "CVV", "PIN", "US_SSN", "US_ITIN", "IBAN", "US_BANK_ROUTING", "US_BANK_ACCOUNT",
    "KR_RRN", "NATIONAL_ID", "PASSPORT",
)  # fmt: skip

# Dropped like tier 1 but not a reason to reject: the backstop's descriptive re-identifiers.
DROP_KINDS: tuple[str, ...] = (*TIER1_KINDS, "DESCRIPTIVE")


@dataclass(frozen=True, slots=True, init=False)
class Span:
    """A layer's proposal that ``text[start:end]`` is sensitive.

    ``kind`` is a token type for tier 2 (``EMAIL``) or a drop kind for tier 1 (``CREDIT_CARD``).
    ``label`` is the detector's finer label (``dob``, ``openai``) used by policy, never shown.
    ``entity`` is set by layers that know the entity's identity (the dictionary: "Ms. Doe" is
    the known person "Jane Doe"); otherwise the engine derives it from the value.
    """

    start: int
    end: int
    kind: str
    source: str
    confidence: float = 1.0
    label: str = ""
    entity: str | None = None

    def __init__(
        self,
        start: int,
        end: int,
        kind: str,
        source: str,
        confidence: float = 1.0,
        label: str = "",
        entity: str | None = None,
    ) -> None:
        # The frozen dataclass's own __init__ sets each field through `object.__setattr__`;
        # the slots' descriptors do the same at a third of the cost (the engine makes tens of
        # thousands of spans per MB). The instance stays frozen: `span.start = 1` still raises.
        _set_start(self, start)
        _set_end(self, end)
        _set_kind(self, kind)
        _set_source(self, source)
        _set_confidence(self, confidence)
        _set_label(self, label)
        _set_entity(self, entity)

    @property
    def tier(self) -> int:
        return 1 if self.kind in DROP_KINDS else 2

    def __len__(self) -> int:
        return self.end - self.start


_FIELDS: Any = Span.__dict__
_set_start = _FIELDS["start"].__set__
_set_end = _FIELDS["end"].__set__
_set_kind = _FIELDS["kind"].__set__
_set_source = _FIELDS["source"].__set__
_set_confidence = _FIELDS["confidence"].__set__
_set_label = _FIELDS["label"].__set__
_set_entity = _FIELDS["entity"].__set__
