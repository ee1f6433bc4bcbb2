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
    # The escape hides the value's boundary or its label: the value itself is plain.
    ("text=my%20ssn%20is%20123-45-6789", "US_SSN", "123-45-6789"),
    ("q=pay%20with%204111111111111111", "CREDIT_CARD", "4111111111111111"),
    ("body=IBAN%3A%20DE89370400440532013000", "IBAN", "DE89370400440532013000"),
    ("%22AKIAIOSFODNN7EXAMPLE%22", "API_KEY", "AKIAIOSFODNN7EXAMPLE"),
    ("주민등록번호%20900101-1234567", "KR_RRN", "900101-1234567"),
    ("\\u00204111111111111111", "CREDIT_CARD", "4111111111111111"),
    ("password%3Dhunter2Secret", "PASSWORD", "hunter2Secret"),
    ("pwd&#61;hunter2Secret", "PASSWORD", "hunter2Secret"),
    ("password\\u003dhunter2Secret", "PASSWORD", "hunter2Secret"),
    ("ssn%3D123456789", "US_SSN", "123456789"),
    ("BSN%3A%20111222333", "NATIONAL_ID", "111222333"),
    ("tel%3A4155550100", "PHONE", "4155550100"),
    ("to%20jane@example.com", "EMAIL", "jane@example.com"),
    ("call%20+1 415 555 0100", "PHONE", "+1 415 555 0100"),
    # Separators the view folds, escaped: tab, no-break space, dashes, full-width digits.
    ("card 4111%091111%091111%091111", "CREDIT_CARD", "4111%091111%091111%091111"),
    ('{"c": "4111\\t1111\\t1111\\t1111"}', "CREDIT_CARD", "4111\\t1111\\t1111\\t1111"),
    ("card 4111&#160;1111&#160;1111&#160;1111", "CREDIT_CARD", "4111&#160;1111&#160;1111&#160;1111"),
    ("card 4111%C2%A01111%C2%A01111%C2%A01111", "CREDIT_CARD", "4111%C2%A01111%C2%A01111%C2%A01111"),
    ("ssn 123&#8211;45&#8211;6789", "US_SSN", "123&#8211;45&#8211;6789"),
    (
        "card &#65300;&#65297;&#65297;&#65297; 1111 1111 1111",
        "CREDIT_CARD",
        "&#65300;&#65297;&#65297;&#65297; 1111 1111 1111",
    ),
    # What browsers and other languages also decode: no `;`, zero padding, \U, %u, \u{...}.
    ("jane&#64example.com", "EMAIL", "jane&#64example.com"),
    ("jane&#x000000040;example.com", "EMAIL", "jane&#x000000040;example.com"),
    (
        "card 4111\\u00201111\\x201111\\U000000201111",
        "CREDIT_CARD",
        "4111\\u00201111\\x201111\\U000000201111",
    ),
    ("card 4111%u00201111%u00201111%u00201111", "CREDIT_CARD", "4111%u00201111%u00201111%u00201111"),
    ("card 4111\\u{20}1111\\u{20}1111\\u{20}1111", "CREDIT_CARD", "4111\\u{20}1111\\u{20}1111\\u{20}1111"),
    # Right after an escaped line break (a JSON string, a repr): the value reads glued to an `n`.
    ('{"content": "wire to\\nGB29NWBK60161331926819"}', "IBAN", "GB29NWBK60161331926819"),
    ('{"c": "Hi,\\n536-22-8714\\nthanks"}', "US_SSN", "536-22-8714"),
    ('"x": "a\\r\\nAKIAQ3EGRT5KXMPL7ZQW"', "API_KEY", "AKIAQ3EGRT5KXMPL7ZQW"),
    ("{'c': 'card\\\\n4111111111111111'}", "CREDIT_CARD", "4111111111111111"),
    ('{"c": "x\\u000a536-22-8714"}', "US_SSN", "536-22-8714"),
    ('{"msg": "Hi\\nJane\\njane.doe@example.com"}', "EMAIL", "jane.doe@example.com"),
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
    'C:\\new\\table\\readme.txt and printf("%d\\n", 4111)',
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


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("to%20jane@example.com", "to%20[EMAIL_1]"),
        ("RRN%3A 900101-1234567", "RRN%3A [REDACTED:KR_RRN]"),
        ("ssn%3D123456789 ok", "ssn%3D[REDACTED:US_SSN] ok"),
    ],
)
def test_no_span_starts_or_ends_inside_an_escape(text: str, scrubbed: str) -> None:
    assert scrub(text).text == scrubbed


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
