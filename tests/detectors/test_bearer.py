"""Authorization credentials: the token after `Bearer` / `Authorization:` is dropped, the words stay."""

from __future__ import annotations

import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.bearer import BearerTokenDetector

DETECTOR = BearerTokenDetector()

HEX = "1557db390375c9ec48ba6d4c9fc9924cb3407395db1cc1b2645f9942366cfffb"
OPAQUE = "umZpfuv6VVHHvwIHpMn0qiIOyulS2OXIYAc6moV6"
GITHUB = "gho_SYUs4WaFkNzaHkaFmy5SLvU00GISu89alpZH"
BASIC = "Y2ktYm90OlF1YXJ0ei1sYW50ZXJuLWNvcHBlcjIy"  # base64("ci-bot:Quartz-lantern-copper22")
K = "API_KEY"

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (f'curl -H "Authorization: Bearer {HEX}" https://api.example.com', [(HEX, K)]),
    (f"headers={{'Authorization': 'Bearer {GITHUB}', 'X-Trace': '13f129d0'}}", [(GITHUB, K)]),
    (f"authorization: bearer {OPAQUE}", [(OPAQUE, K)]),
    (f"BEARER\t{OPAQUE}", [(OPAQUE, K)]),
    (f"Authorization: token {GITHUB}", [(GITHUB, K)]),
    # Vendor schemes: Okta's SSWS, Splunk HEC; the scheme word alone is no token.
    ('-H "Authorization: SSWS 00GI9fMvdxbcR00OaD2zhZnXdmfPUqe_gj86Y42GIV"\n'
     "Authorization: Splunk 1f2e3d4c-aa11-bb22\nAuthorization: SSWS",
     [("00GI9fMvdxbcR00OaD2zhZnXdmfPUqe_gj86Y42GIV", K), ("1f2e3d4c-aa11-bb22", K)]),
    (f'"authorization": "{OPAQUE}"', [(OPAQUE, K)]),
    (f"Authorization: Basic {BASIC}", [(BASIC, "PASSWORD")]),
    # a token wrapped by a log's fixed width
    (f"Bearer {OPAQUE[:20]}\n{OPAQUE[20:]}\n", [(f"{OPAQUE[:20]}\n{OPAQUE[20:]}", K)]),
    # -- look-alikes --
    ("The API uses Bearer authentication; send a Bearer token in the header.", []),
    ("Authorization: Bearer <token>", []),
    ("Authorization: Bearer $TOKEN and Bearer ${API_TOKEN} and Bearer {{token}}", []),
    ("Authorization: Bearer YOUR_ACCESS_TOKEN_HERE", []),
    ("-H 'Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxx'", []),
    ("the bearer of bad news; bearer bonds, 12 bearer instruments", []),
    ("Authorization: required for admin routes; authorization: pending", []),
    ("Authorization: Digest username=\"Mufasa\", realm=\"x\"", []),
    ("Authorization: Basic <base64 of user:password>", []),
    # -- cookies: credential-like values go, settings and attributes stay --
    (f"Cookie: theme=dark; _gh_sess={OPAQUE}; lang=en-US; logged_in=yes", [(OPAQUE, K)]),
    (f"Set-Cookie: sid={HEX[:24]}; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly",
     [(HEX[:24], K)]),
    (f'headers = {{"Cookie": "csrftoken={OPAQUE}; remember_me=1"}}', [(OPAQUE, K)]),
    ('cookie: "remember_token=Zx9qLm2Pw8Rt4Yk7"', [("Zx9qLm2Pw8Rt4Yk7", K)]),
    ("I ate a cookie: chocolate chip; fortunecookie: x=abc12345678; cookie: <token>", []),
    ("Cookie: _ga=<your-id>; consent=accepted; session=xxxxxxxxxxxx", []),
    # -- in an `Authorization: Bearer` header any value is the credential --
    ("Authorization: Bearer abc123", [("abc123", K)]),
    ("curl -H 'Authorization: Bearer P@ssw0rd123' https://api.example.com", [("P@ssw0rd123", K)]),
    ('headers = {"Authorization": "Bearer letmein"}', [("letmein", K)]),
    ('-H "authorization:bearer hunter2" -d x', [("hunter2", K)]),
    ("Authorization: Bearer abc123.", [("abc123", K)]),
    ("Authorization: Bearer s3cr3t!", [("s3cr3t!", K)]),
    ("authorization: letmein123", [("letmein123", K)]),
    ("Authorization: Bearer authentication is required for every route", []),
    ("Authorization: Bearer ACCESS_TOKEN; Authorization: Bearer accessToken", []),
    ("Authorization: Bearer token; Authorization: Bearer {{token}}; Authorization: Bearer %s", []),
    ("Authorization: Bearer ***; Authorization: Bearer ...; Authorization: Bearer …", []),
    ("'Authorization': f'Bearer {token}', 'Authorization': 'Bearer ' + token", []),
    ("reauthorization: Bearer abc123; Authorization: Bearer\nnext; Authorization: OAuth2", []),
    # -- a cookie named for a credential is one whatever its value --
    ("Cookie: theme=dark; session_id=letmein; lang=en", [("letmein", K)]),
    ("Cookie: sid=abcd; connect.sid=s%3Axyz; auth=hunter2; XSRF-TOKEN=qwerty",
     [("abcd", K), ("s%3Axyz", K), ("hunter2", K), ("qwerty", K)]),
    ("Cookie: remember_me=1; auth=true; auth_provider=google; theme=dark; lang=en-US", []),
    ("Set-Cookie: token=deleted; Path=/; session=; sid=abc", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_bearer(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_scrub_keeps_the_cookie_names() -> None:
    scrubbed = redaction.scrub(f"Cookie: theme=dark; sessionid={OPAQUE}").text
    assert scrubbed == "Cookie: theme=dark; sessionid=[REDACTED:API_KEY]"


def test_scrub_keeps_the_header_and_drops_the_token() -> None:
    scrubbed = redaction.scrub(f'-H "Authorization: Bearer {HEX}" \\').text
    assert scrubbed == '-H "Authorization: Bearer [REDACTED:API_KEY]" \\'


@pytest.mark.parametrize(
    "unit",
    [
        "Bearer ",
        "bearer a",
        "Authorization: ",
        "authorization:basic ",
        "a",
        "\n",
        "Cookie: ",
        "cookie:a=",
        "Cookie: a=b;",
    ],
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, "a detector must stay linear on any input"


_HEADER_FORMS = ["Authorization: Bearer {v}", "-H 'Authorization: Bearer {v}'",
                 '{{"Authorization": "Bearer {v}"}}', "authorization:bearer {v}\n"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    form=st.sampled_from(_HEADER_FORMS),
    value=st.text(
        alphabet=string.ascii_letters + string.digits + "!@#%^*-_+=~", min_size=3, max_size=40
    ).filter(
        # a digit: an all-letter value may be a variable (`PASS`, `accessToken`)
        lambda v: (
            any(c.isdigit() for c in v) and any(c.isalpha() for c in v) and len(set(v)) > 2 and v[0].isalnum()
        )
    ),
)
def test_any_value_in_an_authorization_bearer_header_is_dropped(form: str, value: str) -> None:
    text = form.format(v=value)
    assert value not in redaction.scrub(text).text, text


def test_scrub_drops_weak_header_and_cookie_credentials() -> None:
    text = "curl -H 'Authorization: Bearer P@ssw0rd123' -H 'Cookie: theme=dark; session_id=letmein'"
    scrubbed = redaction.scrub(text).text
    assert "P@ssw0rd123" not in scrubbed
    assert "letmein" not in scrubbed
    assert "Authorization: Bearer [REDACTED:API_KEY]" in scrubbed
    assert "theme=dark; session_id=[REDACTED:API_KEY]" in scrubbed
