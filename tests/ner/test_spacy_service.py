"""The embedded spaCy layer wired into the service (docs/architecture.md §3.3): the real verified model finds
names the rules miss, a tampered model refuses to load (fail closed), loading is awaited,
and long items are examined in bounded windows."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import threading
from pathlib import Path

import pytest

from app.embedded_ner import CHUNK_CHARS, EmbeddedNer, iter_chunks, model_directory
from app.main import create_app
from app.ner import ConfiguredLayer

from .conftest import SettingsFactory
from .support import maps_stored, metric, running, scrub

pytestmark = pytest.mark.anyio

NAMES = "Stanley Andrews met Karen Moore in Chicago."


async def test_the_embedded_layer_tokenizes_names_the_rules_miss(
    make_settings: SettingsFactory, embedded: EmbeddedNer
) -> None:
    app = create_app(make_settings(spacy_enabled=True), embedded=embedded)
    async with running(app) as c:
        ready = await c.get("/ready")
        assert (ready.status_code, ready.json()) == (
            200,
            {"status": "ready", "store": "ok", "ner": {"spacy": "ready", "llm": "not_configured"}},
        )
        plain = await scrub(c, NAMES, ner="rules_only")
        assert plain.json()["items"][0]["scrubbed_text"] == NAMES, "the rules alone miss these names"
        r = await scrub(c, NAMES)
        assert r.status_code == 200, r.text
        assert r.json()["items"][0]["scrubbed_text"] == "[PERSON_1] met [PERSON_2] in [LOC_1]."
        metrics = (await c.get("/metrics")).text
        assert metric(metrics, "redaction_ner_seconds_count", layer="spacy") == 1.0


async def test_hostile_text_through_the_embedded_layer(
    make_settings: SettingsFactory, embedded: EmbeddedNer
) -> None:
    app = create_app(make_settings(spacy_enabled=True), embedded=embedded)
    async with running(app) as c:
        # A zero-width space inside a name: the model sees the engine's normalized view.
        r = await scrub(c, "Stanley\u200bAndrews met Karen Moore.")
        assert r.status_code == 200, r.text
        out = r.json()["items"][0]["scrubbed_text"]
        assert "Andrews" not in out, out
        assert "Karen" not in out, out
        # Lone surrogates are legal input and must not switch the layer off (fail closed = 422).
        r = await scrub(c, "Karen Moore \ud83d wrote \udfff")
        assert r.status_code == 200, r.text
        assert "Karen" not in r.json()["items"][0]["scrubbed_text"]
        for text in ("", " \n\t", "\x00" * 10, "[PERSON_1] met [ORG_2]"):
            assert (await scrub(c, text)).status_code == 200


def _tampered_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(model_directory(), copy)
    weights = copy / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit
    weights.write_bytes(bytes(data))
    return copy


async def test_a_tampered_weight_file_refuses_the_layer(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    tampered = EmbeddedNer(directory=_tampered_copy(tmp_path))
    app = create_app(make_settings(spacy_enabled=True), embedded=tampered)
    async with running(app) as c:
        refused = {"error": "ner_unavailable", "layer": "spacy", "reason": "weights_hash_mismatch"}
        for mode in ("auto", "llm"):
            r = await scrub(c, NAMES, ner=mode)
            expected = refused if mode == "auto" else {**refused, "layer": "llm", "reason": "not_configured"}
            assert (r.status_code, r.json()) == (422, expected), "never served without its verified layer"
        assert maps_stored(app) == 0
        ready = await c.get("/ready")
        assert (ready.status_code, ready.json()) == (
            503,
            {"error": "ner_unavailable", "status": "not_ready", "store": "ok",
             "ner": {"spacy": "failed:weights_hash_mismatch", "llm": "not_configured"}},
        )  # fmt: skip
        assert (await scrub(c, NAMES, ner="rules_only")).status_code == 200
        metrics = (await c.get("/metrics")).text
        assert (
            metric(metrics, "redaction_ner_failures_total", layer="spacy", reason="weights_hash_mismatch")
            == 1.0
        )
    assert tampered.error is not None
    assert not tampered.ready


class _SlowLoading:
    """A layer whose load waits for the test: the window where the model is still loading."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def load(self) -> None:
        if not self.release.wait(10):
            raise TimeoutError

    def propose(self, text: str) -> list[tuple[str, str]]:
        return [("Karen Moore", "PERSON")] if "Karen Moore" in text else []


async def test_requests_wait_for_a_layer_still_loading(make_settings: SettingsFactory) -> None:
    layer = _SlowLoading()
    app = create_app(make_settings(), layers=[ConfiguredLayer("spacy", layer)])
    async with running(app) as c:
        ready = await c.get("/ready")
        assert (ready.status_code, ready.json()["ner"]["spacy"]) == (503, "loading")
        pending = asyncio.create_task(scrub(c, "Karen Moore called."))
        await asyncio.sleep(0.2)
        assert not pending.done(), "a request needing the layer waits for it, never skips it"
        assert maps_stored(app) == 0
        layer.release.set()
        r = await pending
        assert r.json()["items"][0]["scrubbed_text"] == "[PERSON_1] called."
        assert (await c.get("/ready")).status_code == 200


def test_a_megabyte_item_is_examined_in_bounded_overlapping_windows() -> None:
    words = ["alpha", "Stanley", "Andrews", "memo\n", "beta", "gamma\n\n", "delta"]
    text = " ".join(words[i % len(words)] for i in range(200_000))[:1_000_000]
    windows = list(iter_chunks(text))
    assert max(len(w) for _, w in windows) <= CHUNK_CHARS, "memory stays bounded per window"
    covered = 0
    for start, window in windows:
        assert text[start : start + len(window)] == window
        assert not text[covered:start].strip(), "no character between two windows is skipped"
        assert start == 0 or text[start - 1].isspace(), "windows begin on a word"
        covered = max(covered, start + len(window))
    assert not text[covered:].strip(), "every character is examined"
    # Appending text never moves an earlier window (what the per-map NER cache relies on).
    longer = list(iter_chunks(text + " Karen Moore wrote back." * 500))
    assert longer[: len(windows) - 1] == windows[:-1]


@pytest.mark.parametrize(("words", "separator"), [(60, "\n\n"), (150, "\n\n"), (150, "\n")])
def test_a_new_turn_repeats_every_window_of_the_old_ones(words: int, separator: str) -> None:
    turns = [f"Turn {i}: Karen Moore wrote " + "again and " * words + "done." for i in range(12)]
    for n in range(1, len(turns)):
        before = list(iter_chunks(separator.join(turns[:n])))
        after = list(iter_chunks(separator.join(turns[: n + 1])))
        assert after[: len(before)] == before, f"turn {n + 1} re-examines old text"
        assert len(after) == len(before) + 1, "the new turn is one window of its own"


def test_windows_of_short_and_odd_texts() -> None:
    assert list(iter_chunks("")) == []
    assert list(iter_chunks(" \n\t ")) == []
    assert list(iter_chunks("Karen Moore\n\n")) == [(0, "Karen Moore")]
    blob = "x" * 10_000  # no whitespace at all: hard cuts, still everything covered
    windows = list(iter_chunks(blob, 1000, 100))
    assert max(len(w) for _, w in windows) <= 1000
    assert windows[-1][0] + len(windows[-1][1]) == len(blob)
    assert all(b[0] <= a[0] + len(a[1]) for a, b in itertools.pairwise(windows))
    with pytest.raises(ValueError, match="three times"):
        list(iter_chunks("abc", 100, 50))
