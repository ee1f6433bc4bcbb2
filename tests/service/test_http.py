"""The main paths over real HTTP: uvicorn on 127.0.0.1 at a free port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx

from app.main import create_app
from redaction import ScrubState, Span, scrub
from redaction.detectors import DEFAULT_DETECTORS

from .conftest import SettingsFactory, live_server, post_json

KNOWN = {"persons": ["Jane Doe", "Wei Zhang"], "orgs": ["Acme Holdings"]}


def test_scrub_then_rehydrate_over_http(make_settings: SettingsFactory) -> None:
    text = "Jane Doe (jane@example.com) asked Wei Zhang about Acme Holdings."
    with live_server(create_app(make_settings())) as url, httpx.Client(base_url=url) as c:
        assert c.get("/health").json()["status"] == "ok"
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


class _HoldingDetector:
    """Holds any text with ``HOLD-ME`` inside the engine until released: a scrub that is
    running for as long as the test wants, whatever the machine's speed."""

    name = "test_holding"

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def detect(self, text: str) -> Iterator[Span]:
        if "HOLD-ME" in text:
            self.entered.set()
            assert self.release.wait(30), "the test never released the held scrub"
        return iter(())


def test_health_and_small_requests_proceed_while_a_large_scrub_runs(make_settings: SettingsFactory) -> None:
    holder = _HoldingDetector()
    app = create_app(make_settings(), detectors=(*DEFAULT_DETECTORS, holder))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        result: dict[str, Any] = {}

        def large() -> None:
            with httpx.Client(base_url=url, timeout=60) as own:
                body = {"task_id": "big", "items": [{"id": "big", "text": "HOLD-ME Jane Doe"}],
                        "known_entities": KNOWN}  # fmt: skip
                result["response"] = post_json(own, "/scrub", body)

        worker = threading.Thread(target=large)
        worker.start()
        try:
            assert holder.entered.wait(30), "the held scrub never reached the engine"
            # The held scrub occupies a worker thread; the event loop must still answer.
            for _ in range(3):
                assert c.get("/health").status_code == 200
                small = post_json(
                    c,
                    "/scrub",
                    {"task_id": "small", "items": [{"id": "s", "text": "Jane Doe"}], "known_entities": KNOWN},
                )
                assert small.status_code == 200, "a small scrub must be served while a large one runs"
            assert "response" not in result, "the held scrub finished early: the test proved nothing"
        finally:
            holder.release.set()
            worker.join(30)
        assert result["response"].status_code == 200
        assert result["response"].json()["items"][0]["scrubbed_text"] == "HOLD-ME [PERSON_1]"
