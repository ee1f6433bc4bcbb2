"""Per-chunk cost (docs/architecture.md §9): bounded by the chunk, never by how much was streamed before or
by the size of the map. Counted, not timed, so the guarantee is checked without flakiness
(benchmarks/stream.py has the timings)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

import pytest

from redaction import StreamRehydrator, _stream, rehydrate
from redaction._tokens import MAX_TOKEN_LEN


class LookupOnlyMap(Mapping[str, str]):
    """A map that counts lookups and refuses to be walked: a stream that iterated over, or
    sized up, the map per chunk would cost more with every entry."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = entries
        self.lookups = 0

    def __getitem__(self, key: str) -> str:
        self.lookups += 1
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the stream must not walk the map")

    def __len__(self) -> int:
        raise AssertionError("the stream must not size up the map")


def test_work_per_chunk_is_bounded_by_the_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[int] = []
    real = _stream.rehydrate_detailed

    def counting(text: str, token_map: Mapping[str, str]) -> object:
        scanned.append(len(text))
        return real(text, token_map)

    monkeypatch.setattr(_stream, "rehydrate_detailed", counting)
    entries = 10_000
    token_map = LookupOnlyMap({f"[EMAIL_{i}]": f"analyst.{i}@example.com" for i in range(1, entries + 1)})
    rng = random.Random(7)
    text = "".join(f"write to [EMAIL_{rng.randint(1, entries)}] and [" for _ in range(3_000))
    stream = StreamRehydrator(token_map, strict=True)
    out = []
    at = 0
    while at < len(text):
        chunk = text[at : at + rng.randint(1, 30)]
        at += len(chunk)
        before, lookups = len(scanned), token_map.lookups
        out.append(stream.feed(chunk))
        # The text examined for this chunk: the chunk plus at most one held-back partial token.
        assert sum(scanned[before:]) <= len(chunk) + MAX_TOKEN_LEN, "per-chunk work grew with the stream"
        # One lookup per token completed in this chunk (a chunk of <= 30 chars completes <= 2).
        assert token_map.lookups - lookups <= 2, "per-chunk lookups grew with the map or the stream"
    out.append(stream.close())
    assert "".join(out) == rehydrate(text, token_map._entries)
    assert stream.substituted == 3_000
