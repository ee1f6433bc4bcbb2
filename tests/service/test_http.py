"""The main paths over real HTTP: uvicorn on 127.0.0.1 at a free port."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from app.main import create_app
from redaction import ScrubState, scrub

from .conftest import SettingsFactory, live_server, post_json

KNOWN = {"persons": ["Jane Doe", "Wei Zhang"], "orgs": ["Acme Holdings"]}


def test_scrub_then_rehydrate_over_http(make_settings: SettingsFactory) -> None:
    text = "Jane Doe (jane@example.com) asked Wei Zhang about Acme Holdings."
    with live_server(create_app(make_settings())) as url, httpx.Client(base_url=url) as c:
        assert c.get("/health").json() == {"status": "ok"}
        assert c.get("/ready").status_code == 200
        r = post_json(
            c,
            "/scrub",
            {
                "task_id": "t-1",
                "actor": "agent-7",
                "items": [{"id": "memo", "text": text}],
                "known_entities": KNOWN,
            },
        )
        assert r.status_code == 200, r.text
        scrubbed = r.json()["items"][0]["scrubbed_text"]
        assert scrubbed == scrub(text, known_entities=KNOWN).text
        assert "Jane" not in scrubbed
        assert "Acme" not in scrubbed

        reply = f"Summary: {scrubbed}"
        back = post_json(
            c,
            "/rehydrate",
            {
                "task_id": "t-1",
                "map_handle": r.json()["map_handle"],
                "items": [{"id": "reply", "text": reply}],
            },
        )
        assert back.status_code == 200, back.text
        assert back.json()["items"][0]["rehydrated_text"] == f"Summary: {text}"
        assert "redaction_requests_total" in c.get("/metrics").text


def test_multi_turn_over_http_keeps_tokens(make_settings: SettingsFactory) -> None:
    turns = ["Jane Doe joined.", "Acme Holdings hired Jane Doe.", "Wei Zhang left Acme Holdings."]
    state = ScrubState()
    with live_server(create_app(make_settings())) as url, httpx.Client(base_url=url) as c:
        handle = None
        for i, turn in enumerate(turns):
            body: dict[str, Any] = {
                "task_id": "t-2",
                "items": [{"id": f"turn-{i}", "text": turn}],
                "known_entities": KNOWN,
            }
            if handle:
                body["map_handle"] = handle
            r = post_json(c, "/scrub", body)
            assert r.status_code == 200, r.text
            handle = r.json()["map_handle"]
            assert (
                r.json()["items"][0]["scrubbed_text"] == scrub(turn, known_entities=KNOWN, state=state).text
            )


def test_health_and_small_requests_proceed_while_a_large_scrub_runs(make_settings: SettingsFactory) -> None:
    big = ("Jane Doe wrote to jane@example.com about Acme Holdings and Wei Zhang. " * 6000)[:400_000]
    with live_server(create_app(make_settings())) as url, httpx.Client(base_url=url, timeout=60) as c:
        done = threading.Event()
        result: dict[str, Any] = {}

        def large() -> None:
            with httpx.Client(base_url=url, timeout=60) as own:
                started = time.perf_counter()
                result["status"] = post_json(
                    own,
                    "/scrub",
                    {"task_id": "big", "items": [{"id": "big", "text": big}], "known_entities": KNOWN},
                ).status_code
                result["seconds"] = time.perf_counter() - started
            done.set()

        worker = threading.Thread(target=large)
        worker.start()
        time.sleep(0.15)  # let the large body reach the server and its scrub start
        answered_meanwhile = 0
        slowest = 0.0
        small_ok = False
        while not done.is_set():
            started = time.perf_counter()
            assert c.get("/health").status_code == 200
            small = post_json(
                c,
                "/scrub",
                {"task_id": "small", "items": [{"id": "s", "text": "Jane Doe"}], "known_entities": KNOWN},
            )
            elapsed = time.perf_counter() - started
            if not done.is_set():
                answered_meanwhile += 1
                slowest = max(slowest, elapsed)
                small_ok = small_ok or small.status_code == 200
            time.sleep(0.01)
        worker.join()
        assert result["status"] == 200
        assert answered_meanwhile >= 3, (
            f"/health and small scrubs must be served while a {result['seconds']:.2f} s scrub runs "
            "off the event loop"
        )
        assert small_ok
        assert slowest < 0.5, f"a /health + small /scrub pair took {slowest:.3f} s during the large scrub"
