"""Parity: ``/scrub`` is `redaction.scrub`, byte for byte, and ``/rehydrate`` restores it.

The expected output is computed by the engine in the test itself, so these tests hold
whatever detectors the engine has: they pin the service to the engine, not to a snapshot.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from redaction import ScrubState, rehydrate, scrub
from tests.corpus.generate import generate

from .conftest import apost_json

pytestmark = pytest.mark.anyio

KNOWN = {
    "persons": ["Jane Doe", "Lars Ødegård", "Wei Zhang"],
    "orgs": ["Acme Holdings", "Blue Harbor Capital"],
    "funds": ["Acme Growth Fund IV"],
    "emails": ["jd@acme-holdings.example"],
    "locations": ["Reykjavík"],
}

# fmt: off
HANDWRITTEN = [
    "Jane Doe (jane.doe@example.com) committed $2,300,000 to Acme Growth Fund IV on 2024-07-15.",
    "Ms. Doe met Lars Ødegård in Reykjavík; Wei Zhang of Blue Harbor Capital joined by phone "
    "+1 415 555 0134.",
    "Reply to jd@acme-holdings.example, cc JANE DOE. Jane's assistant will follow up.",
    "Literal placeholders stay literal: [PERSON_1], [ORG_2: big], [REDACTED:API_KEY], [person_3].",
    "Zero\u200bwidth: jane\u200b@example.com and full-width ｊａｎｅ@example.com and \u202ereversed.",
    "Server 10.0.0.12 saw login from 2001:db8::1 with password=hunter2 and key "
    "sk-proj-abcdefghijklmnopqrstuvwxyz012345.",
    "",
    "no sensitive data at all, just words and 42 numbers",
    "Emoji 🙂 and CJK 張偉 and RTL שלום with Jane Doe in between.",
    "Lone surrogate \ud800 next to Jane Doe and \udfff at the end",
    "NUL \x00 bytes \x00 and Acme Holdings",
    "Line\r\nbreaks\n\tand Wei\nZhang split across lines",
]
# fmt: on


def _corpus() -> list[tuple[str, dict[str, list[str]] | None]]:
    records = generate(60)
    out: list[tuple[str, dict[str, list[str]] | None]] = [(t, KNOWN) for t in HANDWRITTEN]
    out += [(r.text, dict(r.known_entities) if r.known_entities else None) for r in records]
    return out


def _engine(texts: list[str], known: Any, bucket: dict[str, bool]) -> tuple[list[str], dict[str, str]]:
    state = ScrubState()
    outputs = [scrub(t, known_entities=known, bucket=bucket, state=state).text for t in texts]
    return outputs, dict(state.token_map)


@pytest.mark.parametrize("bucket", [{"amounts": False, "dates": False}, {"amounts": True, "dates": True}])
async def test_scrub_is_the_engine_byte_for_byte_and_rehydrate_restores(
    client: Any, bucket: dict[str, bool]
) -> None:
    for index, (text, known) in enumerate(_corpus()):
        body = {
            "task_id": f"parity-{index}",
            "items": [{"id": "a", "text": text}, {"id": "b", "text": text[::-1]}],
            "known_entities": known or {},
            "bucket": bucket,
            "ner": "rules_only",
        }
        r = await apost_json(client, "/scrub", body)
        assert r.status_code == 200, (index, r.text)
        got = [item["scrubbed_text"] for item in r.json()["items"]]
        expected, token_map = _engine([text, text[::-1]], known, bucket)
        assert got == expected, f"record {index}: the service's output differs from the engine's"

        back = await apost_json(
            client,
            "/rehydrate",
            {
                "task_id": f"parity-{index}",
                "map_handle": r.json()["map_handle"],
                "items": [{"id": "a", "text": got[0]}, {"id": "b", "text": got[1]}],
                "strict": False,
            },
        )
        assert back.status_code == 200, (index, back.text)
        restored = [item["rehydrated_text"] for item in back.json()["items"]]
        assert restored == [rehydrate(e, token_map) for e in expected], f"record {index}: rehydration differs"
        stats = r.json()["stats"]
        if stats["tier1_dropped"] == 0 and not stats["descriptive_flags"]:
            assert restored == [text, text[::-1]], f"record {index}: the round trip is not exact"


async def test_multi_turn_parity_with_one_state(client: Any) -> None:
    turns = HANDWRITTEN[:4]
    handle = None
    state = ScrubState()
    for turn in turns:
        body: dict[str, Any] = {
            "task_id": "multi",
            "items": [{"id": "t", "text": turn}],
            "known_entities": KNOWN,
        }
        if handle:
            body["map_handle"] = handle
        r = await apost_json(client, "/scrub", body)
        handle = r.json()["map_handle"]
        assert r.json()["items"][0]["scrubbed_text"] == scrub(turn, known_entities=KNOWN, state=state).text


async def test_lone_surrogates_round_trip_exactly(client: Any) -> None:
    text = "Jane Doe \ud800 wrote \udc00 to Acme Holdings"
    r = await apost_json(
        client, "/scrub", {"task_id": "s", "items": [{"id": "x", "text": text}], "known_entities": KNOWN}
    )
    assert r.status_code == 200
    assert b"\\ud800" in r.content, "a lone surrogate is sent back as a JSON escape"
    scrubbed = r.json()["items"][0]["scrubbed_text"]
    assert scrubbed == scrub(text, known_entities=KNOWN).text
    back = await apost_json(
        client,
        "/rehydrate",
        {"task_id": "s", "map_handle": r.json()["map_handle"], "items": [{"id": "y", "text": scrubbed}]},
    )
    assert json.loads(back.content)["items"][0]["rehydrated_text"] == text
