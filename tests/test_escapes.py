"""Values hidden by escapes (`redaction._escapes`): URL percent escapes, HTML character
references, JSON/JS `\\u` and `\\x` escapes and form-encoded `+` between digits. Tier-1 values
are dropped, e-mails and phones tokenized with their escaped surface (restored as written);
escapes around anything else change nothing."""

from __future__ import annotations

import pytest

from redaction import ScrubState, StreamRehydrator, rehydrate, scan_response, scrub

# (text, the kind that must be found, the escaped value it must cover)
POSITIVES = [
    ("card=4111%201111%201111%201111&exp=12", "CREDIT_CARD", "4111%201111%201111%201111"),
    ("https://pay.example/?q=4111+1111+1111+1111", "CREDIT_CARD", "4111+1111+1111+1111"),
    ("card 4111&#32;1111&#32;1111&#32;1111 ok", "CREDIT_CARD", "4111&#32;1111&#32;1111&#32;1111"),
    ("card &#52;111 1111 1111 1111 ok", "CREDIT_CARD", "&#52;111 1111 1111 1111"),
    ("ssn: 123%2D45%2D6789", "US_SSN", "123%2D45%2D6789"),
    ("SSN 123&#x2D;45&#x2D;6789.", "US_SSN", "123&#x2D;45&#x2D;6789"),
    ("SSN 123&hyphen;45&hyphen;6789.", "US_SSN", "123&hyphen;45&hyphen;6789"),
    ('{"ssn": "123\\u002d45\\u002d6789"}', "US_SSN", "123\\u002d45\\u002d6789"),
    ("iban=DE89%203704%200044%200532%200130%2000", "IBAN", "DE89%203704%200044%200532%200130%2000"),
    ("to=jane.doe%40example.com&x=1", "EMAIL", "jane.doe%40example.com"),
    ("email jane%2Edoe%40example%2Ecom today", "EMAIL", "jane%2Edoe%40example%2Ecom"),
    ('{"to": "jane\\u0040example.com"}', "EMAIL", "jane\\u0040example.com"),
    ("write to jane\\x40example.com", "EMAIL", "jane\\x40example.com"),
    ("write to jane&commat;example&period;com now", "EMAIL", "jane&commat;example&period;com"),
    ("call 415%20555%200100 today", "PHONE", "415%20555%200100"),
    ("phone=%2B44%2020%207946%200958", "PHONE", "%2B44%2020%207946%200958"),
]

# Escapes around things that are no value: the output is the input.
NEGATIVES = [
    "2+2=4 and C++ and 3+4 make 7",
    "x=3+4+5 is twelve",
    "100%25 sure, 50%20 of the time",
    "Tom &amp; Jerry &lt;3 &#169; 2024 &nbsp;",
    "path C:\\x41\\users and \\u00e9t\\u00e9",
    "score=12+15 in round 3",
    "a%20b%20c and %41%42%43",
]


@pytest.mark.parametrize(("text", "kind", "value"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_escaped_values_are_found(text: str, kind: str, value: str) -> None:
    state = ScrubState()
    result = scrub(text, state=state)
    assert value not in result.text
    start = text.index(value)
    assert result.text.startswith(text[:start]), "the text before the value is kept"
    if kind in ("EMAIL", "PHONE"):
        (token,) = [t for t, v in state.token_map.items() if v == value]
        assert token.startswith(f"[{kind}_")
        assert rehydrate(result.text, state.token_map) == text, "restored exactly as written"
    else:
        assert f"[REDACTED:{kind}]" in result.text
        assert not state.token_map


@pytest.mark.parametrize("text", NEGATIVES)
def test_escapes_alone_change_nothing(text: str) -> None:
    assert scrub(text).text == text


def test_the_response_scan_decodes_escapes_too() -> None:
    reply = "Sure: https://pay.example/?card=4111%201111%201111%201111 and ssn=123%2D45%2D6789."
    masked = scan_response(reply, {}, "tier1")
    assert "4111" not in masked.text
    assert "6789" not in masked.text
    assert dict(masked.masked) == {"CREDIT_CARD": 1, "US_SSN": 1}


def test_an_escaped_value_split_across_a_stream_is_masked() -> None:
    reply = "your card: 4111%201111%201111%201111, thanks"
    for cut in range(1, len(reply)):
        stream = StreamRehydrator({}, scan="tier1")
        out = stream.feed(reply[:cut]) + stream.feed(reply[cut:]) + stream.close()
        assert "1111" not in out, cut
        assert "[REDACTED:CREDIT_CARD]" in out, cut
