"""UrlDetector: URLs whose host, path, query or fragment identify someone; public docs stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.url import UrlDetector

DETECTOR = UrlDetector()


def _found(text: str, detector: UrlDetector = DETECTOR) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in detector.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # A record collection in the path, an identifying query.
    ("See https://crm.acme.com/customers/jane-doe-4411?email=jane@acme.com for details.",
     [("https://crm.acme.com/customers/jane-doe-4411?email=jane@acme.com", "URL")]),
    ("GET https://api.acme.com/users/8812 200", [("https://api.acme.com/users/8812", "URL")]),
    ("https://app.acme.io/profile/jdoe", [("https://app.acme.io/profile/jdoe", "URL")]),
    ("unsubscribe: https://acme.com/unsubscribe?id=77", [("https://acme.com/unsubscribe?id=77", "URL")]),
    ("https://x.acme.com/a?customerId=A-1&lang=en", [("https://x.acme.com/a?customerId=A-1&lang=en", "URL")]),
    ("reset at https://acme.com/reset#token=abc", [("https://acme.com/reset#token=abc", "URL")]),
    ("https://shop.acme.com/track?ref=8c1f4e2a9b7d5c3e",
     [("https://shop.acme.com/track?ref=8c1f4e2a9b7d5c3e", "URL")]),
    ("https://acme.com/o/5b53a17f-6f8c-4de0-b474-7c779fc6abb4/view",
     [("https://acme.com/o/5b53a17f-6f8c-4de0-b474-7c779fc6abb4/view", "URL")]),
    # Social, profile, share and meeting hosts; personal subdomains.
    ("Profile: https://www.linkedin.com/in/jane-doe-42.",
     [("https://www.linkedin.com/in/jane-doe-42", "URL")]),
    ("linkedin.com/in/jane-doe-42, thanks", [("linkedin.com/in/jane-doe-42", "URL")]),
    ("(https://github.com/janedoe)", [("https://github.com/janedoe", "URL")]),
    ("https://medium.com/@janedoe/my-post", [("https://medium.com/@janedoe/my-post", "URL")]),
    ("https://www.youtube.com/@janedoe", [("https://www.youtube.com/@janedoe", "URL")]),
    ("blog: https://jane.github.io and jane.substack.com/p/hello",
     [("https://jane.github.io", "URL"), ("jane.substack.com/p/hello", "URL")]),
    ("https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit",
     [("https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit", "URL")]),
    ("https://www.dropbox.com/s/abc123xyz/report.pdf?dl=0",
     [("https://www.dropbox.com/s/abc123xyz/report.pdf?dl=0", "URL")]),
    ("Join https://zoom.us/j/1234567890?pwd=abc now", [("https://zoom.us/j/1234567890?pwd=abc", "URL")]),
    ("www.facebook.com/jane.doe.77", [("www.facebook.com/jane.doe.77", "URL")]),
    ("https://gist.github.com/janedoe/abc", [("https://gist.github.com/janedoe/abc", "URL")]),
    ("http://10.0.0.5:8080/users/12", [("http://10.0.0.5:8080/users/12", "URL")]),
    # Edges: no trailing punctuation, quotes, brackets; balanced parentheses stay.
    ("<https://crm.acme.com/users/12>", [("https://crm.acme.com/users/12", "URL")]),
    ("[link](https://crm.acme.com/users/12).", [("https://crm.acme.com/users/12", "URL")]),
    ('href="https://crm.acme.com/users/12"', [("https://crm.acme.com/users/12", "URL")]),
    ("(see https://crm.acme.com/users/Foo_(bar)).", [("https://crm.acme.com/users/Foo_(bar)", "URL")]),
    ("Is it https://crm.acme.com/users/12?", [("https://crm.acme.com/users/12", "URL")]),
    ("请访问https://crm.acme.com/users/12。谢谢", [("https://crm.acme.com/users/12", "URL")]),
    # userinfo: the password is the URL-credentials detector's; the URL starts after the `@`.
    ("https://bot:s3cret@crm.acme.com/customers/55", [("crm.acme.com/customers/55", "URL")]),
    # Look-alikes and public pages: not tokenized.
    ("https://docs.python.org/3/library/re.html#re.match", []),
    ("https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404", []),
    ("https://en.wikipedia.org/wiki/Alan_Turing and https://de.wikipedia.org/wiki/Foo_(bar)", []),
    ("https://pypi.org/project/requests/ https://www.rfc-editor.org/rfc/rfc7231", []),
    ("https://www.w3.org/TR/xml/ and https://docs.github.com/en/rest/users", []),
    ("https://docs.anthropic.com/en/api/messages?lang=en https://schema.org/Person", []),
    ("https://stackoverflow.com/questions/12345678/how-to-x", []),
    ("https://github.com/psf/requests/issues/12345 and https://github.com/features", []),
    ("https://acme.com and acme.com and www.acme.com and https://janedoe.com", []),
    ("https://acme.com/blog/2024/05/launch-notes. https://acme.com/pricing?utm_source=news&page=2", []),
    ("https://www.google.com/search?q=python+regex and https://shop.acme.com/p?color=red&size=m", []),
    ("https://api.acme.com/users/{id} and https://api.acme.com/users/:id", []),
    ("python setup.py/foo and src/app.py and /usr/local/lib/python3.11/site-packages", []),
    ("mailto:jane@acme.com and postgres://db.acme.com/customers/1", []),
    ("version 1.2/3 and e.g./i.e. and 12/03/2024", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_url_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_operators_extend_the_allow_list() -> None:
    text = "see https://wiki.acme.com/people/jane and https://github.com/acme"
    assert len(_found(text)) == 2
    detector = UrlDetector(allow_hosts=["acme.com/people", "github.com/acme"])
    assert _found(text, detector) == []
    # An entry with a path allows only that path; without the built-in list, docs are judged too.
    assert _found("https://acme.com/users/12", detector) == [("https://acme.com/users/12", "URL")]
    bare = UrlDetector(builtin_allow=False)
    assert _found("https://en.wikipedia.org/wiki/User:JaneDoe?oldid=123456", bare) != []


_SLUG = st.from_regex(r"[a-z]{2,8}(-[a-z]{2,8}){0,2}(-[0-9]{2,5})?", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["users", "customers", "profile", "patients", "in", "members"]),
    _SLUG,
    st.sampled_from(["", ".", ",", ")", "!", "?", '"', ">", "。"]),
    st.sampled_from(["https://", "http://", "https://www.", ""]),
)
def test_collection_urls_are_found_without_trailing_punctuation(
    collection: str, slug: str, trailing: str, scheme: str
) -> None:
    url = f"{scheme}portal.example-corp.com/{collection}/{slug}"
    text = f"Record: {url}{trailing} next"
    assert _found(text) == [(url, "URL")]


def test_url_is_tokenized_by_scrub_and_round_trips() -> None:
    text = "Open https://crm.acme.com/customers/jane-doe-4411?email=jane@acme.com, then reply."
    result = redaction.scrub(text)
    assert "jane-doe-4411" not in result.text
    assert "jane@acme.com" not in result.text
    assert result.text == "Open [URL_1], then reply."
    assert redaction.rehydrate(result.text, result.token_map) == text


def test_public_docs_pass_through_scrub() -> None:
    text = "See https://docs.python.org/3/library/re.html for details."
    assert redaction.scrub(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "https://" * 20_000,
        "a.com/" * 20_000,
        "www." * 30_000,
        "https://a.com/" + "a/" * 50_000,
        "https://a.com/?" + "id=1&" * 25_000,
        ".aa/" * 30_000,
    ],
)
def test_adversarial_input_is_scanned(text: str) -> None:
    # Linear time is guarded by tests/test_redos.py (every pattern of this module); here the
    # detector itself must get through hostile input without error.
    assert all(span.kind == "URL" for span in DETECTOR.detect(text))
