"""EmailDetector: addresses in every wrapping people use, real public suffixes only."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.email import EmailDetector, _is_public_domain

DETECTOR = EmailDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # Addresses, in the wrappings they come in.
    ("reply to christopher.perez@gmail.com.", [("christopher.perez@gmail.com", "EMAIL")]),
    ('Reply-To: "Vincent Flores" <flores.vincent@aol.com>', [("flores.vincent@aol.com", "EMAIL")]),
    ('<a href="mailto:christine_moreno@gmail.com?subject=Hi">', [("christine_moreno@gmail.com", "EMAIL")]),
    ("write to\n&lt;e.brooks@lucerne.de&gt;.</p>", [("e.brooks@lucerne.de", "EMAIL")]),
    ('{"actor": "sauer.otto@posteo.de", "action": "login"}', [("sauer.otto@posteo.de", "EMAIL")]),
    ("'k.lorch@gmx.net'", [("k.lorch@gmx.net", "EMAIL")]),
    ('"GET /api/v1/users?email=ubennett%40hotmail.com HTTP/1.1"', [("ubennett%40hotmail.com", "EMAIL")]),
    ('"GET /api/v1/users?email=ubennett@hotmail.com HTTP/1.1"', [("ubennett@hotmail.com", "EMAIL")]),
    ("obfuscated jane&#64;example.org and jane&#x40;example.org",
     [("jane&#64;example.org", "EMAIL"), ("jane&#x40;example.org", "EMAIL")]),
    ("auth.login user=wood.katherine@outlook.com ip=71.55.202.84", [("wood.katherine@outlook.com", "EMAIL")]),
    ("Customer: William Taylor (william1400@margie.net)", [("william1400@margie.net", "EMAIL")]),
    ("user: t.park@fabrikam.com 입니다.", [("t.park@fabrikam.com", "EMAIL")]),
    ("이메일은john@example.com입니다", [("john@example.com", "EMAIL")]),
    ("first.last+news@sub.example.co.uk", [("first.last+news@sub.example.co.uk", "EMAIL")]),
    ("QQ: 12345678@qq.com", [("12345678@qq.com", "EMAIL")]),
    ("John.Smith@Example.COM", [("John.Smith@Example.COM", "EMAIL")]),
    ("o'brien@example.ie", [("o'brien@example.ie", "EMAIL")]),
    ("jürgen.müller@web.de", [("jürgen.müller@web.de", "EMAIL")]),
    ("ssh login https://jane.doe@example.com/x", [("jane.doe@example.com", "EMAIL")]),
    ("- jane@example.com\n-bob@example.com", [("jane@example.com", "EMAIL"), ("bob@example.com", "EMAIL")]),
    # Wrapped over two lines: joined only when the joined form is the real domain.
    ("at nelson.jonathan@woodgrove.\nnet until then", [("nelson.jonathan@woodgrove.\nnet", "EMAIL")]),
    ("or at cmoore@\noutlook.com until then", [("cmoore@\noutlook.com", "EMAIL")]),
    ("write bob@acme.com.\nIn the meantime", [("bob@acme.com", "EMAIL")]),
    ("write bob@acme.com.\nin the meantime", [("bob@acme.com", "EMAIL")]),
    # Look-alikes that are not e-mail addresses.
    ("logo@2x.png and icon@3x.jpg", []),
    ("deploy to x@y.local-ish or user@localhost", []),
    ("host name@server.internal", []),
    ("@decorator\ndef f(): ...", []),
    ("npm i left-pad@1.3.0 foo@v1.2.3 @types/node@20.1.0", []),
    ("name@domain.c", []),
    ("jane@company", []),
    ("a" * 70 + "@example.com", []),
    # `user:secret@host` is a URL credential (tier 1), not an e-mail.
    ("https://ci-bot:Quartz-lantern-copper22@ftp.southridge.com/backups", []),
    ("mongodb+srv://root:LuSA92k0eF_h@cluster0.5ud4x.mongodb.net/crm", []),
    # Internationalized domains as written (Latin letters beyond ASCII).
    ("write to info@münchen.de or contact@société.fr.",
     [("info@münchen.de", "EMAIL"), ("contact@société.fr", "EMAIL")]),
    # Greek and Cyrillic addresses; a quoted local part (RFC 5322).
    ("Почта: иван.петров@почта.рф. Or ivan@mail.ru",
     [("иван.петров@почта.рф", "EMAIL"), ("ivan@mail.ru", "EMAIL")]),
    ('write to "john smith"@x.org or "j.doe"@example.com', [('"john smith"@x.org', "EMAIL"),
                                                            ('"j.doe"@example.com', "EMAIL")]),
    ('he said "hi"@home, a"b"@x.com, "x\ny"@x.com', []),
    # An scp or git remote is a host and a path, not a mailbox.
    ('git@github.com:org/repo.git, scp f "deploy"@web01.prod:/tmp, deploy@web01.prod:~/x', []),
    ("jane.doe@gmail.com:Welcome/2024 alice.w@yahoo.com:~Xk9pass",
     [("jane.doe@gmail.com", "EMAIL"), ("alice.w@yahoo.com", "EMAIL")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detects_exactly_the_addresses(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


# fmt: off
DOMAINS = [
    "gmail.com", "yahoo.co.uk", "2x.png", "y.local", "localhost", "x.zip", "a.b.c.internal",
    "acme.com.in", "github.io", "foo.xn--p1ai", "foo.ck", "www.ck", "a.foo.ck", "co.uk", "com",
    "b.kawasaki.jp", "city.kawasaki.jp", "x.city.kawasaki.jp", "foo.bar.bd", "bar.bd", "a.b.uk",
    "xn--bcher-kva.de", "foo.xn--55qx5d.cn", "x.gov.uk", "gov.uk", "test.example", "a.b.c.d.e.co.jp",
]
# fmt: on


@pytest.mark.parametrize("domain", DOMAINS)
def test_suffix_rules_read_the_bundled_list_as_tldextract_does(domain: str) -> None:
    tldextract = pytest.importorskip("tldextract")
    parts = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)(domain)
    assert _is_public_domain(domain) == bool(parts.suffix and parts.domain)


def test_text_without_an_at_sign_costs_nothing() -> None:
    assert _found("no address here, just prose " * 1000) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mail jane.doe@example.com about it.",
        "From: Christopher Ellis <christopher.ellis74@woodgrove.de>\nTo: nicole@aol.com",
        "update my billing email to shеilamiller@gmail.сom (homoglyphs)",
        "Contact: teresa.\u200dcox71@yahoo.co.uk",
        "Пишите на ivan.petrov@почта.рф",
        'Reply to "john.doe"@example.com',
    ],
)
def test_scrub_replaces_the_address_and_rehydrates_exactly(text: str) -> None:
    scrubbed, token_map, _ = redaction.scrub(text)
    assert "[EMAIL_1]" in scrubbed
    assert "@" not in scrubbed, "an e-mail address must not survive scrubbing"
    assert redaction.rehydrate(scrubbed, token_map) == text


def test_the_same_address_gets_the_same_token() -> None:
    scrubbed, _, _ = redaction.scrub("a@example.com, b@example.org, A@Example.com")
    assert scrubbed.startswith("[EMAIL_1], [EMAIL_2], [EMAIL_1")


@pytest.mark.parametrize("unit", ["a@", "@a.", "a.", "a.a@", "%40", "@\n", "a@b.\n", "x@y.com.\n", "a@b.co "])
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, f"{unit!r}: catastrophic backtracking or quadratic scan"
