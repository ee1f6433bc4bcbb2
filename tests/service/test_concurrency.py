"""Two concurrent ``/scrub`` calls extending one handle neither lose an entry nor give one
number to two values (docs/architecture.md §7: atomic read-modify-write)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from app.main import create_app

from .conftest import SettingsFactory, apost_json, asgi_client, live_server, post_json

pytestmark = pytest.mark.anyio

ROUNDS = 25


async def test_concurrent_extensions_of_one_handle_stay_bijective(make_settings: SettingsFactory) -> None:
    async with asgi_client(create_app(make_settings())) as c:
        first = await apost_json(
            c, "/scrub", {"task_id": "race", "items": [{"id": "0", "text": "Shared Person"}],
                          "known_entities": {"persons": ["Shared Person"]}},
        )  # fmt: skip
        handle = first.json()["map_handle"]
        sent: list[tuple[str, str]] = []  # (original, scrubbed) of every 200

        async def extend(name: str) -> None:
            text = f"{name} met Shared Person."
            r = await apost_json(
                c, "/scrub", {"task_id": "race", "map_handle": handle, "items": [{"id": name, "text": text}],
                              "known_entities": {"persons": [name, "Shared Person"]}},
            )  # fmt: skip
            assert r.status_code == 200, r.text
            sent.append((text, r.json()["items"][0]["scrubbed_text"]))

        for i in range(ROUNDS):
            await asyncio.gather(extend(f"Alpha{i} Smith"), extend(f"Beta{i} Jones"))

        # Every scrubbed text must rehydrate to exactly its original: a lost entry would leave an
        # unknown token (409 in strict mode), a number given twice would restore the wrong value.
        items = [{"id": str(i), "text": scrubbed} for i, (_, scrubbed) in enumerate(sent)]
        back = await apost_json(c, "/rehydrate", {"task_id": "race", "map_handle": handle, "items": items})
        assert back.status_code == 200, back.text
        assert [i["rehydrated_text"] for i in back.json()["items"]] == [text for text, _ in sent]
        tokens = [s.split(" met ")[0] for _, s in sent]
        assert len(set(tokens)) == 2 * ROUNDS, "two values were given one token"
        assert all(s.endswith(" met [PERSON_1].") for _, s in sent), "the shared value changed token"


def test_concurrent_extensions_over_http(make_settings: SettingsFactory) -> None:
    with live_server(create_app(make_settings())) as url, httpx.Client(base_url=url) as c:
        handle = post_json(c, "/scrub", {"task_id": "race", "items": [{"id": "0", "text": "start"}]}).json()[
            "map_handle"
        ]

        async def burst() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=url) as ac:
                calls = [
                    apost_json(
                        ac,
                        "/scrub",
                        {
                            "task_id": "race",
                            "map_handle": handle,
                            "items": [{"id": "x", "text": f"Person{i} Zed"}],
                            "known_entities": {"persons": [f"Person{i} Zed"]},
                        },
                    )
                    for i in range(16)
                ]
                return list(await asyncio.gather(*calls))

        responses = asyncio.run(burst())
        assert all(r.status_code == 200 for r in responses)
        scrubbed = [r.json()["items"][0]["scrubbed_text"] for r in responses]
        assert sorted(scrubbed) == sorted(f"[PERSON_{n}]" for n in range(1, 17))
        items: list[dict[str, Any]] = [{"id": str(i), "text": s} for i, s in enumerate(scrubbed)]
        back = post_json(c, "/rehydrate", {"task_id": "race", "map_handle": handle, "items": items})
        assert [i["rehydrated_text"] for i in back.json()["items"]] == [f"Person{i} Zed" for i in range(16)]
