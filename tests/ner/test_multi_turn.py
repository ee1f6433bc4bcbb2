"""Multi-turn cost: a conversation re-sent each turn under one map_handle pays NER for its new
text only (per-map caches of chunk answers), and its tokens are exactly a cold scrub's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.embedded_ner import EmbeddedNer
from app.main import create_app
from tests.llm.scripted_server import ScriptedServer, oracle

from .conftest import SettingsFactory
from .support import running, scrub

pytestmark = pytest.mark.anyio

PEOPLE = ["Stanley Andrews", "Karen Moore", "Priya Raman", "Tomasz Wilk", "Ingrid Solberg", "Diego Alvarez"]
FILLER = (
    "We walked through the revised terms, the closing timeline and the open diligence items, "
    "and agreed to circulate a short summary before the next call. "
)


def _turn(n: int) -> str:
    a, b = PEOPLE[n % len(PEOPLE)], PEOPLE[(n + 2) % len(PEOPLE)]
    return f"Turn {n}: {a} asked {b} about the fund documents. " + FILLER * 9


def _conversation(turns: int) -> str:
    return "\n\n".join(_turn(n) for n in range(1, turns + 1))


class _CountingChunks:
    """Counts the windows the embedded model really analyses (cache misses)."""

    def __init__(self, model: EmbeddedNer) -> None:
        self.calls = 0
        self._propose: Callable[[str], list[tuple[str, str]]] = model.propose_chunk

    def __call__(self, chunk: str) -> list[tuple[str, str]]:
        self.calls += 1
        return self._propose(chunk)


async def test_turn_n_reuses_cached_chunks_and_matches_a_cold_scrub(
    make_settings: SettingsFactory, embedded: EmbeddedNer, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns = 6
    assert len(_conversation(turns)) > 2 * 4000, "several spaCy windows"
    counting = _CountingChunks(embedded)
    monkeypatch.setattr(embedded, "propose_chunk", counting)
    with ScriptedServer(chat=oracle(PEOPLE)) as server:
        settings = make_settings(spacy_enabled=True, llm_base_url=server.url, llm_chunk_chars=1200)
        app = create_app(settings, embedded=embedded)
        async with running(app) as c:
            # Warm: one conversation, re-sent whole each turn, under one handle from turn 1 on.
            handle = None
            warm = None
            for n in range(1, turns + 1):
                if n == turns:
                    chats_before, chunks_before = len(server.chats), counting.calls
                warm = await scrub(c, _conversation(n), map_handle=handle)
                assert warm.status_code == 200, warm.text
                handle = warm.json()["map_handle"]
            assert warm is not None
            warm_chats, warm_chunks = len(server.chats) - chats_before, counting.calls - chunks_before

            # Cold: the same turns under a second handle, then every cache forgotten before turn N.
            other = None
            for n in range(1, turns):
                r = await scrub(c, _conversation(n), map_handle=other)
                other = r.json()["map_handle"]
            app.state.gateway.ner.clear_caches()
            chats_before, chunks_before = len(server.chats), counting.calls
            cold = await scrub(c, _conversation(turns), map_handle=other)
            cold_chats, cold_chunks = len(server.chats) - chats_before, counting.calls - chunks_before

    warm_item, cold_item = warm.json()["items"][0], cold.json()["items"][0]
    assert warm_item["scrubbed_text"] == cold_item["scrubbed_text"], (
        "a cached turn must scrub like a cold one"
    )
    assert warm_item["tokens_used"] == cold_item["tokens_used"]
    assert warm.json()["stats"] == cold.json()["stats"]
    for person in PEOPLE:
        assert person not in warm_item["scrubbed_text"]
    # Turn N costs its new text (spaCy: one window), plus at most one old chunk for the LLM.
    assert cold_chunks >= 3, cold_chunks
    assert warm_chunks <= 1, (warm_chunks, cold_chunks)
    assert cold_chats >= 5, cold_chats
    assert warm_chats <= 3, (warm_chats, cold_chats)


async def test_the_cache_is_scoped_to_the_map(
    make_settings: SettingsFactory, embedded: EmbeddedNer, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = _CountingChunks(embedded)
    monkeypatch.setattr(embedded, "propose_chunk", counting)
    app = create_app(make_settings(spacy_enabled=True), embedded=embedded)
    text = _conversation(1)
    async with running(app) as c:
        first = await scrub(c, text)
        assert counting.calls == 1
        again = await scrub(c, text, map_handle=first.json()["map_handle"])
        assert counting.calls == 1, "turn 1 was cached under the handle it created"
        assert again.json()["items"][0]["scrubbed_text"] == first.json()["items"][0]["scrubbed_text"]
        await scrub(c, text)  # a new map: another conversation learns nothing from the first
        assert counting.calls == 2
        other_task = await c.post(
            "/scrub",
            json={"task_id": "another-task", "items": [{"id": "a", "text": text}],
                  "map_handle": first.json()["map_handle"]},
        )  # fmt: skip
        assert other_task.status_code == 410
