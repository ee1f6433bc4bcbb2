"""Response scanning (docs/architecture.md §11): values the model invented are masked, map values
never are, and the stream gives the batch result for every split."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction._response_scan as response_scan
from redaction import InputError, Span, StreamRehydrator, rehydrate, scan_response, scrub
from tests.corpus.classes import CLASSES, class_records
from tests.corpus.generate import generate

CARD = "4539 1488 0343 6467"
SSN = "536-22-1234"
IBAN = "DE89 3704 0044 0532 0130 00"
GH_TOKEN = "ghp_Zx8Kq2Lm9Nb4Vc7Xs1Dw3Fe5Gr6Ht0Jy2Ui8"
EMAIL = "bob.smith@example.org"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
    "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    + "\n".join(f"MIIEowIBAAKCAQEA{i:02d}" + "q7Xr2Lm9Nb4Vc7Xs1Dw3Fe5Gr6Ht0Jy2Ui8Kp3Zx" for i in range(40))
    + "\n-----END RSA PRIVATE KEY-----"
)
TOKEN_MAP = {
    "[PERSON_1]": "Jane Doe",
    "[EMAIL_1]": "jane@example.com",
    "[ID_1]": "4111 1111 1111 1111",  # a map value a tier-1 detector would also match
    "[ID_2]": "411",  # too short to vouch for a longer value that contains it
}

# fmt: off
CASES = [
    # (mode, reply after rehydration, expected client text, expected counts)
    ("tier1", f"Your card {CARD} is on file.", "Your card [REDACTED:CREDIT_CARD] is on file.",
     {"CREDIT_CARD": 1}),
    ("tier1", f"SSN {SSN}, IBAN {IBAN}.", "SSN [REDACTED:US_SSN], IBAN [REDACTED:IBAN].",
     {"IBAN": 1, "US_SSN": 1}),
    ("tier1", f"use {GH_TOKEN} now", "use [REDACTED:API_KEY] now", {"API_KEY": 1}),
    ("tier1", f"jwt: {JWT} end", "jwt: [REDACTED:JWT] end", {"JWT": 1}),
    ("tier1", f"key:\n{PEM}\nbye", "key:\n[REDACTED:PRIVATE_KEY]\nbye", {"PRIVATE_KEY": 1}),
    ("tier1", f"mail {EMAIL} now", f"mail {EMAIL} now", {}),  # tier 2: not a tier-1 kind
    ("all", f"mail {EMAIL} now", "mail [REDACTED:EMAIL] now", {"EMAIL": 1}),
    ("all", f"card {CARD} to {EMAIL}", "card [REDACTED:CREDIT_CARD] to [REDACTED:EMAIL]",
     {"CREDIT_CARD": 1, "EMAIL": 1}),
    ("off", f"card {CARD} to {EMAIL}", f"card {CARD} to {EMAIL}", {}),
    # map values are not the model's invention: never masked, in any mode
    ("tier1", "card 4111 1111 1111 1111 for Jane Doe", "card 4111 1111 1111 1111 for Jane Doe", {}),
    ("all", "write to jane@example.com", "write to jane@example.com", {}),
    # placeholders the map lacks and drop markers stay as they are
    ("all", "[PERSON_9] sent [REDACTED:API_KEY]", "[PERSON_9] sent [REDACTED:API_KEY]", {}),
    # look-alike negatives
    ("tier1", "Order 536-22-12345 shipped", "Order 536-22-12345 shipped", {}),
    ("tier1", "version 1.2.3.4 build 2024", "version 1.2.3.4 build 2024", {}),
    ("all", "", "", {}),
]
# fmt: on


@pytest.mark.parametrize(("mode", "reply", "expected", "counts"), CASES)
def test_invented_values_are_masked_by_mode(
    mode: str, reply: str, expected: str, counts: dict[str, int]
) -> None:
    result = scan_response(reply, TOKEN_MAP, mode)  # type: ignore[arg-type]
    assert result.text == expected
    assert dict(result.masked) == counts


def test_a_short_map_value_does_not_vouch_for_a_longer_value() -> None:
    result = scan_response(f"card {CARD}", {"[ID_2]": CARD[:4]}, "tier1")
    assert result.text == "card [REDACTED:CREDIT_CARD]", (
        "a value containing a short map value was let through"
    )
    result = scan_response(f"card {CARD} and 4111 1111 1111 1111", TOKEN_MAP, "tier1")
    assert result.text == "card [REDACTED:CREDIT_CARD] and 4111 1111 1111 1111"


def test_rehydrated_tier1_lookalike_map_value_comes_back() -> None:
    """A value the map holds (here one a card detector matches) is the caller's: rehydrate
    plus scan returns it byte for byte."""
    reply = "Charge [ID_1] for [PERSON_1]."
    text = rehydrate(reply, TOKEN_MAP)
    assert scan_response(text, TOKEN_MAP, "tier1").text == "Charge 4111 1111 1111 1111 for Jane Doe."
    stream = StreamRehydrator(TOKEN_MAP, scan="all")
    out = "".join(stream.feed(c) for c in reply) + stream.close()
    assert out == "Charge 4111 1111 1111 1111 for Jane Doe."


def test_unknown_mode_and_non_str_are_refused() -> None:
    with pytest.raises(InputError):
        scan_response("x", {}, "everything")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        StreamRehydrator({}, scan="tier2")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        scan_response(b"x", {}, "tier1")  # type: ignore[arg-type]


def test_error_messages_carry_no_value() -> None:
    with pytest.raises(InputError) as info:
        scan_response(CARD, {}, f"x{SSN}")  # type: ignore[arg-type]
    assert SSN not in str(info.value)


# -- the stream gives the batch result for every split --------------------------------------

STREAM_MAP = {"[PERSON_1]": "Jane Doe", "[ID_1]": "4111 1111 1111 1111", "[EMAIL_1]": "jane@example.com"}
PIECES = [
    "[PERSON_1]", "[ID_1]", "[EMAIL_1]", "[PERSON_9]", "[REDACTED:API_KEY]", CARD, SSN, IBAN, GH_TOKEN,
    EMAIL, "password: Tr0ub4dor&3x! ", " ", "\n", "é", "card ", "lorem ipsum dolor sit amet " * 3, "[",
    "4111", "-", "eyJ",
]  # fmt: skip


def _stream(text: str, cuts: list[int], mode: str) -> tuple[str, dict[str, int]]:
    stream = StreamRehydrator(STREAM_MAP, scan=mode)  # type: ignore[arg-type]
    bounds = [0, *sorted(cuts), len(text)]
    out = [stream.feed(text[a:b]) for a, b in itertools.pairwise(bounds)]
    return "".join(out) + stream.close(), dict(stream.masked)


def _batch(text: str, mode: str) -> tuple[str, dict[str, int]]:
    result = scan_response(rehydrate(text, STREAM_MAP), STREAM_MAP, mode)  # type: ignore[arg-type]
    return result.text, dict(result.masked)


@settings(max_examples=250, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40),
    st.lists(st.integers(min_value=0, max_value=1500), max_size=20),
    st.sampled_from(["tier1", "all"]),
)
def test_random_chunking_equals_batch(parts: list[str], cuts: list[int], mode: str) -> None:
    text = "".join(parts)
    cuts = [c for c in cuts if c <= len(text)]
    assert _stream(text, cuts, mode) == _batch(text, mode), "a split changed what the client reads"


@pytest.mark.parametrize("value", [CARD, SSN, GH_TOKEN, JWT])
def test_a_value_split_at_every_offset_is_masked(value: str) -> None:
    text = f"{'filler text ' * 20}here: {value} done"
    expected = _batch(text, "tier1")
    assert value not in expected[0]
    at = text.index(value)
    for cut in range(at, at + len(value) + 1):
        assert _stream(text, [cut], "tier1") == expected, f"split at {cut - at} leaked or changed it"


@pytest.mark.parametrize(("value", "kind"), [(CARD, "CREDIT_CARD"), (JWT, "JWT"), (PEM, "PRIVATE_KEY")])
def test_values_at_every_offset_around_window_edges_are_masked(value: str, kind: str) -> None:
    """Windows are cut at fixed positions: a value across any cut is still seen whole."""
    edge = response_scan._STRIDE + response_scan._AHEAD
    for at in range(response_scan._STRIDE - 40, edge + 40, 3):
        text = "w " * (at // 2) + " " * (at % 2) + f"{value} end " + "tail " * 80
        result = scan_response(text, {}, "tier1")
        assert value[:12] not in result.text, f"{kind} at offset {at} was not masked"
        assert dict(result.masked) == {kind: 1}
        assert _stream(text, [at + len(value) // 2, at + len(value) + 3], "tier1")[0] == result.text


def test_long_values_are_caught_in_one_character_chunks() -> None:
    text = f"{'x ' * 300}key:\n{PEM}\nand {JWT} and {'word ' * 100}{CARD}."
    out, masked = _stream(text, list(range(len(text))), "tier1")
    assert (out, masked) == _batch(text, "tier1")
    assert masked == {"CREDIT_CARD": 1, "JWT": 1, "PRIVATE_KEY": 1}
    assert "MIIEow" not in out
    assert "eyJhbGci" not in out


def test_held_back_tail_is_bounded() -> None:
    stream = StreamRehydrator(STREAM_MAP, scan="tier1")
    fed = emitted = 0
    for i in range(2000):
        chunk = f"word{i} "
        fed += len(chunk)
        emitted += len(stream.feed(chunk))
        assert fed - emitted <= response_scan._STRIDE + response_scan._AHEAD + 16, "the stream stalled"
    emitted += len(stream.close())
    assert emitted == fed


def test_scan_reads_each_character_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear in the text for any chunking: windows overlap by a fixed amount, nothing is
    rescanned per chunk."""
    scanned = [0]

    class Counting:
        name = "counting"

        def detect(self, text: str) -> Iterator[Span]:
            scanned[0] += len(text)
            return iter(())

    # A tier-1 scan runs the detectors that can propose tier-1 kinds only.
    monkeypatch.setattr(response_scan, "_TIER1_DETECTORS", (Counting(), *response_scan._TIER1_DETECTORS))
    text = " ".join(f"w{i}" for i in range(5000))
    _stream(text, list(range(0, len(text), 3)), "tier1")
    assert len(text) <= scanned[0] <= 4 * len(text), f"scanned {scanned[0]} characters for {len(text)}"


def test_per_chunk_work_does_not_depend_on_map_size() -> None:
    """The map's values are indexed once per stream, never per chunk."""
    reads = [0]

    class CountingMap(dict[str, str]):
        def values(self):  # type: ignore[no-untyped-def]
            reads[0] += 1
            return super().values()

    big = CountingMap({f"[PERSON_{i}]": f"name {i}" for i in range(1, 10_001)})
    stream = StreamRehydrator(big, scan="tier1")
    for _ in range(300):
        stream.feed(f"[PERSON_9999] paid with {CARD}. ")
    stream.close()
    assert reads[0] <= 1, "the map was read again for a chunk"
    assert stream.masked == {"CREDIT_CARD": 300}


# -- the scan finds what scrub drops ---------------------------------------------------------

_MARK = re.compile(r"\[REDACTED:([A-Z0-9_]+)\]")


def test_tier1_scan_masks_what_scrub_drops_on_the_corpora() -> None:
    texts = [r.text for r in generate(150)]
    texts += [r.text for name in CLASSES for r in class_records(name, 10)]
    for text in texts:
        dropped = sorted(_MARK.findall(scrub(text).text))
        masked = scan_response(text, {}, "tier1")
        assert sorted(_MARK.findall(masked.text)) == dropped, f"scan and scrub disagree on {text[:80]!r}"
        assert sum(masked.masked.values()) == len(dropped)
