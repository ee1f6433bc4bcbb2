"""`redaction.testing`: canaries that are valid and detected, a leak check that names no value."""

from __future__ import annotations

import pytest
from stdnum import iban, luhn
from stdnum.br import cpf
from stdnum.kr import rrn
from stdnum.us import rtn

from redaction import TIER1_KINDS, TOKEN_TYPES, scrub
from redaction.errors import LeakError
from redaction.testing import CANARY_KINDS, Canaries, Canary, assert_no_leak, find_leaks

SEEDS = range(25)

# fmt: off
CHECKSUMS = {
    "CREDIT_CARD": lambda v: luhn.is_valid(v.replace(" ", "")),
    "IBAN": iban.is_valid,
    "KR_RRN": rrn.is_valid,
    "US_BANK_ROUTING": rtn.is_valid,
    "NATIONAL_ID": cpf.is_valid,
    "US_SSN": lambda v: v[:3] not in ("000", "666") and v[0] != "9" and v[4:6] != "00" and v[7:] != "0000",
    "US_ITIN": lambda v: v[0] == "9",
}
# fmt: on


def test_every_kind_the_engine_drops_or_tokenizes_has_a_generator() -> None:
    assert set(TIER1_KINDS) <= set(CANARY_KINDS)
    assert set(CANARY_KINDS) <= set(TIER1_KINDS) | set(TOKEN_TYPES)


@pytest.mark.parametrize("kind", sorted(CHECKSUMS))
def test_canaries_pass_their_kinds_checksum(kind: str) -> None:
    for seed in SEEDS:
        value = Canaries(seed).make(kind).value
        assert CHECKSUMS[kind](value), f"{kind} canary of seed {seed} fails its checksum"


@pytest.mark.parametrize("kind", CANARY_KINDS)
def test_the_engine_removes_every_canary_from_its_text(kind: str) -> None:
    for seed in SEEDS:
        canary = Canaries(f"{kind}-{seed}").make(kind)
        result = scrub(canary.text, known_entities=Canaries.known_entities([canary]))
        assert_no_leak(result.text, [canary])
        found = {**result.audit.tier1, **result.audit.by_type}
        assert kind in found, f"{kind} canary not detected as {kind}"


def test_canaries_are_reproducible_per_seed_and_differ_across_seeds() -> None:
    assert Canaries("a").one_of_each() == Canaries("a").one_of_each()
    first, second = Canaries("a").one_of_each(), Canaries("b").one_of_each()
    assert all(x.value != y.value for x, y in zip(first, second, strict=True))


def test_a_canary_repr_hides_its_value() -> None:
    canary = Canaries(1).make("CREDIT_CARD")
    assert canary.value not in repr(canary)
    assert "CREDIT_CARD" in repr(canary)


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="no canary generator for kind 'SHOE_SIZE'"):
        Canaries().make("SHOE_SIZE")


def test_a_leak_fails_naming_kinds_and_offsets_never_values() -> None:
    card, mail = Canaries(7).make("CREDIT_CARD"), Canaries(7).make("EMAIL")
    text = f"ok {card.value} and {mail.value.upper()}"
    with pytest.raises(LeakError) as info:
        assert_no_leak(text, [card, mail])
    message = str(info.value)
    assert isinstance(info.value, AssertionError)
    assert "CREDIT_CARD at offset 3 (exact)" in message
    assert f"EMAIL at offset {text.index(mail.value.upper())} (reformatted)" in message
    for value in (card.value, mail.value, mail.value.upper(), card.value.replace(" ", "")):
        assert value not in message, "a leak message must never carry the value"


# fmt: off
FIND_LEAKS = [
    ("card 4111 1111 1111 1111 here", [("CARD", "exact")]),
    ("card 4111-1111-1111-1111 here", [("CARD", "reformatted")]),
    ("card 4111111111111111 here", [("CARD", "reformatted")]),
    ("card ４１１１ １１１１ １１１１ １１１１", [("CARD", "reformatted")]),  # full-width digits
    ("card [REDACTED:CREDIT_CARD] here", []),
    ("card 4111 1111 1111 1112 here", []),                             # look-alike: one digit off
    ("pin 4827.", [("PIN", "exact")]),
    ("order 148271 and 94827", []),                                    # a short value inside a number
    ("pin 4-8-2-7", []),                                               # short values match verbatim only
]
# fmt: on


@pytest.mark.parametrize(("text", "leaked"), FIND_LEAKS)
def test_find_leaks(text: str, leaked: list[tuple[str, str]]) -> None:
    found = find_leaks(text, {"CARD": "4111 1111 1111 1111", "PIN": ["4827"], "EMPTY": ""})
    assert [(leak.kind, leak.form) for leak in found] == leaked


def test_plain_strings_are_reported_by_index() -> None:
    with pytest.raises(LeakError, match=r"value\[1\] at offset 4 \(exact\)"):
        assert_no_leak("xyz secret-value-2", ["secret-value-1", "secret-value-2"])


def test_canary_is_a_public_name() -> None:
    assert Canary("EMAIL", "a@b.example", "to a@b.example").kind == "EMAIL"
