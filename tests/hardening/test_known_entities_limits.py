"""Bounds on ``known_entities`` (issue 13, item 4): count and size limits (413 naming the limit),
and a compile cache bounded by estimated bytes. Before, 380,000 persons in one body cost 15-17 s
of CPU, and each distinct dictionary kept ~435 MB in a cache bounded only by count (8)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.crypto import new_key
from app.limits import KnownEntitiesCache
from app.main import create_app
from app.models import KnownEntitiesIn
from app.settings import Settings
from redaction import KnownEntities
from tests.logs import LogCapture
from tests.service.conftest import live_server

MAX_ENTITIES = 50
MAX_CHARS = 2_000
CANARY = "Canaryvalue Limitperson"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        _env_file=None, data_dir=tmp_path_factory.mktemp("known") / "data", map_key=new_key(),
        spacy_enabled=False, max_known_entities=MAX_ENTITIES, max_known_entities_chars=MAX_CHARS,
    )  # fmt: skip
    with live_server(create_app(settings)) as url:
        yield url


def _scrub(url: str, known: dict[str, list[str]]) -> httpx.Response:
    body = {"task_id": "t", "items": [{"id": "a", "text": f"{CANARY} called."}], "known_entities": known,
            "ner": "rules_only"}  # fmt: skip
    with httpx.Client(base_url=url, timeout=30) as c:
        return c.post("/scrub", json=body)


# fmt: off
CASES = [
    # (name, known_entities, expected limit or None for 200)
    ("at the count limit", {"persons": [f"{CANARY}{i}" for i in range(MAX_ENTITIES)]}, None),
    ("one over, one field", {"persons": [f"{CANARY}{i}" for i in range(MAX_ENTITIES + 1)]}, "known_entities"),
    ("one over, across fields", {"persons": [f"{CANARY}{i}" for i in range(30)],
                                 "orgs": [f"{CANARY} Org{i}" for i in range(21)]}, "known_entities"),
    ("under the count, over the characters", {"persons": [CANARY * 10] * 10}, "known_entities_chars"),
    ("exactly the characters", {"persons": ["x" * (MAX_CHARS // 2)] * 2}, None),
]
# fmt: on


@pytest.mark.parametrize(("name", "known", "limit"), CASES, ids=[c[0] for c in CASES])
def test_known_entities_are_bounded_by_count_and_size(
    server: str, captured_logs: LogCapture, name: str, known: dict[str, list[str]], limit: str | None
) -> None:
    r = _scrub(server, known)
    if limit is None:
        assert r.status_code == 200, f"{name}: {r.text[:200]}"
        return
    assert r.status_code == 413, name
    maximum = MAX_ENTITIES if limit == "known_entities" else MAX_CHARS
    assert r.json() == {"error": "payload_too_large", "limit": limit, "max": maximum}
    assert CANARY not in r.text
    for record in captured_logs.records:
        assert CANARY not in record.getMessage(), "a value in a log message"
        assert CANARY not in str(record.__dict__), "a value in a log record"


def _known(prefix: str, n: int) -> KnownEntitiesIn:
    return KnownEntitiesIn(persons=[f"{prefix}{i:05d} Family{i:05d}" for i in range(n)])


def test_the_compile_cache_is_bounded_by_bytes_not_count() -> None:
    one = KnownEntities({"persons": _known("Alpha", 2000).persons}).estimated_bytes
    cache = KnownEntitiesCache(budget_bytes=int(one * 2.5))
    for prefix in ("Alpha", "Bravo", "Charlie", "Delta"):
        assert cache.get(_known(prefix, 2000)) is not None
        assert cache.held_bytes <= cache.budget_bytes
    assert len(cache) == 2, "two dictionaries of this size fit the budget, not four"
    small = KnownEntitiesCache(budget_bytes=int(one * 2.5))
    for i in range(20):  # small dictionaries: many fit where a count bound of 8 would stop
        small.get(_known(f"Echo{i}x", 10))
    assert len(small) == 20


def test_a_dictionary_over_the_whole_budget_is_compiled_but_not_kept() -> None:
    cache = KnownEntitiesCache(budget_bytes=10_000)
    compiled = cache.get(_known("Foxtrot", 500))
    assert compiled is not None
    assert compiled.size == 500
    assert len(cache) == 0
    assert cache.held_bytes == 0


def test_the_estimate_grows_with_the_dictionary() -> None:
    sizes = [KnownEntities({"persons": _known("Golf", n).persons}).estimated_bytes for n in (10, 100, 1000)]
    assert sizes[0] < sizes[1] < sizes[2]
    assert sizes[2] > 1000 * 400, "each word is counted beside the trie"


def test_an_empty_dictionary_is_not_cached() -> None:
    cache = KnownEntitiesCache()
    assert cache.get(KnownEntitiesIn()) is None
    assert len(cache) == 0


def test_the_engine_cache_is_bounded_by_bytes_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from redaction import _known_entities as module

    one = KnownEntities({"persons": _known("Hotel", 300).persons}).estimated_bytes
    monkeypatch.setattr(module, "_CACHE", type(module._CACHE)())
    monkeypatch.setattr(module, "_CACHE_BYTES", int(one * 2.5))
    for prefix in ("India", "Juliet", "Kilo", "Lima"):
        module.compile_known_entities({"persons": _known(prefix, 300).persons})
        assert sum(k.estimated_bytes for k in module._CACHE.values()) <= module._CACHE_BYTES
    assert len(module._CACHE) == 2
