"""EmailDetector, issue 10: addresses written to dodge filters (`[at]`, ` at `, `(dot)`, ` @ `),
and the prose around the word "at" left alone."""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.email import _PROSE_WORDS, EmailDetector

DETECTOR = EmailDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # Bracketed at-signs: the strongest signal, any local part.
    ("write to name [at] domain.com please", [("name [at] domain.com", "EMAIL")]),
    ("name [at] domain [dot] com", [("name [at] domain [dot] com", "EMAIL")]),
    ("name(at)domain.com", [("name(at)domain.com", "EMAIL")]),
    ("name (at) domain (dot) com", [("name (at) domain (dot) com", "EMAIL")]),
    ("name{at}domain.com", [("name{at}domain.com", "EMAIL")]),
    ("name <at> domain.com", [("name <at> domain.com", "EMAIL")]),
    ("name [@] domain.com", [("name [@] domain.com", "EMAIL")]),
    ("mail me: john.smith[at]example[dot]org!", [("john.smith[at]example[dot]org", "EMAIL")]),
    ("john.smith [ at ] example [ dot ] co [ dot ] uk",
     [("john.smith [ at ] example [ dot ] co [ dot ] uk", "EMAIL")]),
    ("j.doe [AT] example [DOT] com", [("j.doe [AT] example [DOT] com", "EMAIL")]),
    ("j.doe@example[dot]com and j.doe@example(.)com",
     [("j.doe@example[dot]com", "EMAIL"), ("j.doe@example(.)com", "EMAIL")]),
    # A spaced `@`.
    ("name @ domain.com", [("name @ domain.com", "EMAIL")]),
    ("jane @ example . com", [("jane @ example . com", "EMAIL")]),
    ("jane@ example.com or jane @example.org",
     [("jane@ example.com", "EMAIL"), ("jane @example.org", "EMAIL")]),
    # The word at/AT with a written-out dot.
    ("name at domain dot com", [("name at domain dot com", "EMAIL")]),
    ("name AT domain DOT com", [("name AT domain DOT com", "EMAIL")]),
    ("reach out to priya.raman at northwind dot co dot uk.",
     [("priya.raman at northwind dot co dot uk", "EMAIL")]),
    ("john dot doe at gmail dot com", [("john dot doe at gmail dot com", "EMAIL")]),
    ("mail j [dot] doe [at] acme [dot] de", [("j [dot] doe [at] acme [dot] de", "EMAIL")]),
    ("I work at Google dot com; go to the docs dot at acme dot com", []),
    # The word at with real dots: a mailbox-like local part, an upper-case AT, or free mail.
    ("jane.doe at acme.com.", [("jane.doe at acme.com", "EMAIL")]),
    ("jdoe42 at acme.co.uk", [("jdoe42 at acme.co.uk", "EMAIL")]),
    ("jane AT acme.com", [("jane AT acme.com", "EMAIL")]),
    ("jane at gmail.com", [("jane at gmail.com", "EMAIL")]),
    # Full-width and ideographic spellings.
    ("name at domain。com", [("name at domain。com", "EMAIL")]),
    # Mixed with ordinary addresses.
    ("jane.doe@example.com and bob [at] example.org",
     [("jane.doe@example.com", "EMAIL"), ("bob [at] example.org", "EMAIL")]),
    # `-at-` / `_at_` with the dots spelled the same way.
    ("(collinschase-at-nichols-dot-de)", [("collinschase-at-nichols-dot-de", "EMAIL")]),
    ("mail: j.doe-at-acme-dot-co-dot-uk.", [("j.doe-at-acme-dot-co-dot-uk", "EMAIL")]),
    ("john_at_example_dot_org", [("john_at_example_dot_org", "EMAIL")]),
    ("JANE-AT-ACME-DOT-COM", [("JANE-AT-ACME-DOT-COM", "EMAIL")]),
    ("stay-at-home.com, www.work-at-home-dot-com.net, state-of-the-art, look-at-me-dot-com", []),
    ("a-at-b-dot-local and created_at_utc and name-at-acme-dot-com-old", []),
    # Spanish/Portuguese `arroba`, French `arobase`; their dot words.
    ("juan arroba empresa punto com", [("juan arroba empresa punto com", "EMAIL")]),
    ("Escríbeme: juan.perez arroba empresa.com.mx", [("juan.perez arroba empresa.com.mx", "EMAIL")]),
    ("maria arroba empresa ponto com ponto br", [("maria arroba empresa ponto com ponto br", "EMAIL")]),
    ("jean arobase societe point fr", [("jean arobase societe point fr", "EMAIL")]),
    ("Jean.Dupont arobase Societe point fr", [("Jean.Dupont arobase Societe point fr", "EMAIL")]),
    ("juan (arroba) empresa (punto) es", [("juan (arroba) empresa (punto) es", "EMAIL")]),
    ("max (at) firma (punkt) de", [("max (at) firma (punkt) de", "EMAIL")]),
    ("una arroba de trigo; el signo arroba; le point de vente; arobase point", []),
    ("meet at paris point de vente; jean at paris point fr", []),
    # A bare lower-case local part before ` at ` and a real dot: a cue, or a user-name shape.
    ("Contact: samuelfoley at miller.com", [("samuelfoley at miller.com", "EMAIL")]),
    ("Contact: jane at acme.com", [("jane at acme.com", "EMAIL")]),
    ("e-mail bob at acme.de", [("bob at acme.de", "EMAIL")]),
    ("Please write to kim at acme.org", [("kim at acme.org", "EMAIL")]),
    ("Email address: lee at acme.io", [("lee at acme.io", "EMAIL")]),
    ("jfoley at miller.com", [("jfoley at miller.com", "EMAIL")]),
    ("Sam Foley, collinschase at nichols.de", [("collinschase at nichols.de", "EMAIL")]),
    ("- mohammedali at acme.co.uk", [("mohammedali at acme.co.uk", "EMAIL")]),
    ("meet me at noon; look at github.com; I work at acme.com", []),
    ("we met at ExpoWest.com; available at store.com; sold at target.com", []),
    ("the developers at stripe.com; our friends at google.com; photos at flickr.com", []),
    ("released at github.com; shopping at amazon.com; hosting at netlify.com", []),
    ("python at python.org; docs for django at djangoproject.com", []),
    ("I met samuelfoley at miller.com", []),
    ("Contact us at acme.com or email me at home.com", []),
    ("Jane at Acme.com; Microsoft at build.com", []),
    # Prose around "at": websites, places, times.
    ("look at example.com", []),
    ("I work at Google dot com", []),
    ("find us at example dot com", []),
    ("meet at home.com tomorrow", []),
    ("jane at acme.com", []),
    ("Meet me at 5 at the office", []),
    ("We are at acme.com and docs are at docs.python.org", []),
    ("Lunch @ noon, lunch @ home.com", []),
    ("Say hi at the meeting dot com", []),
    ("the (at) sign and [at] brackets", []),
    # Domains that are not public, once the dots are restored.
    ("user(at)localhost and x [at] y", []),
    ("name at domain dot c", []),
    ("build [at] ci.internal and job (at) host (dot) local", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detects_exactly_the_addresses(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Contact: priya.raman [at] northwind [dot] com (sales)", "priya.raman [at] northwind [dot] com"),
        ("Schreiben Sie an name＠domain．com.", "name＠domain．com"),
        ("mail jane AT acme DOT com today", "jane AT acme DOT com"),
    ],
)
def test_scrub_replaces_the_whole_spelling(text: str, address: str) -> None:
    scrubbed, token_map, _ = redaction.scrub(text)
    assert scrubbed == text.replace(address, "[EMAIL_1]")
    assert redaction.rehydrate(scrubbed, token_map) == text


_LOCAL = st.from_regex(r"[a-z]{2,8}(?:[._][a-z]{2,8})?", fullmatch=True)
_NAME = st.from_regex(r"[a-z]{3,10}", fullmatch=True)
_AT = st.sampled_from([" [at] ", "[at]", " (at) ", "(at)", "{at}", " <at> ", " [AT] ", " @ ", " AT "])
_DOT = st.sampled_from([".", " [dot] ", "[dot]", " (dot) ", " dot ", " DOT ", "{dot}"])
_SUFFIX = st.sampled_from(["com", "org", "net", "de", "fr", "co.uk", "com.au", "io"])


@settings(max_examples=200, deadline=None)
@given(local=_LOCAL, at=_AT, name=_NAME, dot=_DOT, suffix=_SUFFIX)
def test_any_obfuscated_spelling_is_found_whole(
    local: str, at: str, name: str, dot: str, suffix: str
) -> None:
    # Prose words are left alone around the word "at" (see the module docstring).
    assume(local not in _PROSE_WORDS or "[" in at or "(" in at or "{" in at or "<" in at)
    written = f"{local}{at}{name}{dot}{suffix.replace('.', dot)}"
    assert _found(f"Contact: {written}, thanks") == [(written, "EMAIL")]


_JOINED = st.sampled_from(
    [
        ("-at-", "-dot-"),
        ("_at_", "_dot_"),
        (" arroba ", " punto "),
        (" arobase ", " point "),
        (" arroba ", "."),
        (" arobase ", " dot "),
    ]
)


@settings(max_examples=200, deadline=None)
@given(local=_NAME, spelling=_JOINED, name=_NAME, suffix=_SUFFIX)
def test_joined_and_foreign_spellings_are_found_whole(
    local: str, spelling: tuple[str, str], name: str, suffix: str
) -> None:
    assume(local not in _PROSE_WORDS)
    at, dot = spelling
    written = f"{local}{at}{name}{dot}{suffix.replace('.', dot)}"
    assert _found(f"({written})") == [(written, "EMAIL")]


_SURNAME = st.sampled_from(["foley", "chase", "nichols", "okafor", "tanaka", "kowalski", "ramirez"])
_FIRST = st.sampled_from(["samuel", "collin", "j", "m", "priya", "dmitri", "wei"])


@settings(max_examples=100, deadline=None)
@given(first=_FIRST, last=_SURNAME, company=_SURNAME, suffix=_SUFFIX)
def test_user_names_before_a_plain_at_are_mailboxes(first: str, last: str, company: str, suffix: str) -> None:
    local = first + last
    assume(local != company)
    written = f"{local} at {company}.{suffix}"
    assert _found(f"Contact: {written}") == [(written, "EMAIL")]
    assert _found(written) == [(written, "EMAIL")]


def test_scrub_drops_a_hyphen_spelled_address() -> None:
    scrubbed = redaction.scrub("Reach me (collinschase-at-nichols-dot-de) today").text
    assert "collinschase" not in scrubbed
    assert "nichols" not in scrubbed
    assert scrubbed.startswith("Reach me (")
    assert scrubbed.endswith(") today")


@pytest.mark.parametrize(
    "unit",
    [
        "a-at-b-dot-",
        "a_at_",
        "-at-",
        " arroba a punto ",
        "a arobase b point ",
        "a (at) b (punkt) ",
        "Contact: abcdefg at ",
        "a [at] ",
        "a at ",
        " at a dot ",
        "a [at] b [dot] ",
        "(at)",
        " @ a . ",
        "a.a at b.b.",
        "[dot] ",
        " AT a",
        "a dot ",
        "a dot a at b dot c ",
    ],
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, f"{unit!r}: catastrophic backtracking or quadratic scan"
