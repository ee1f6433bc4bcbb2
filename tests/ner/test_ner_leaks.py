"""Leak canaries through the NER layers, over real HTTP (uvicorn): values from the text and
from the LLM's scripted replies never reach logs, metrics or error bodies (docs/architecture.md §5, §8)."""

from __future__ import annotations

import json
import logging

import httpx

from app.main import create_app
from tests.llm.scripted_server import Reply, ScriptedServer, answer, chat, json_reply
from tests.logs import LogCapture
from tests.service.conftest import live_server, post_json

from .conftest import SettingsFactory

# In the text: a name only the LLM finds, an e-mail, a place.
PERSON = "Vexorian Quillfeather"
EMAIL = "vexorian.q@glimmerdusk.com"
PLACE = "Brindlemoor"
# Only in the LLM's replies: invented names, a descriptive phrase, junk around the answer.
REPLY_NAME = "Zephyrine Oakenshield"
REPLY_PHRASE = "the heiress who sold Oakenshield shipping in Thistlewick harbour"
REPLY_JUNK = "Thistlewick-Canary-Reply"
CANARIES = (PERSON, "Quillfeather", EMAIL, PLACE, REPLY_NAME, "Oakenshield", "Thistlewick")
TEXT = f"{PERSON} ({EMAIL}) flew in from {PLACE} on Monday."


def _leaks(text: str) -> list[str]:
    folded = text.casefold()
    return [c for c in CANARIES if c.casefold() in folded]


def _log_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.extend(repr(v) for v in vars(record).values())
    return "\n".join(parts)


# Replies in the order they are served.
REPLIES: list[Reply] = [
    answer([PERSON, REPLY_NAME], [], [PLACE]),  # correct plus an invented name: 200
    chat(f"Here you go: {REPLY_JUNK} {PERSON}"),  # not JSON
    chat({"people": [PERSON, REPLY_NAME]}),  # JSON without the schema
    answer([PERSON, REPLY_NAME], finish_reason="length"),  # truncated
    answer([PERSON], descriptive=[REPLY_PHRASE]),  # unlocatable re-identifier
    json_reply({"error": f"model crashed on {PERSON} / {REPLY_JUNK}"}, status=500),
    Reply(200, f"<html>{REPLY_NAME} {REPLY_JUNK}</html>".encode(), content_type="text/html"),
]


def test_no_canary_in_logs_metrics_or_error_bodies(
    make_settings: SettingsFactory, captured_logs: LogCapture
) -> None:
    bodies: list[str] = []
    with ScriptedServer(chat=REPLIES[0]) as server:
        app = create_app(make_settings(llm_base_url=server.url, log_level="DEBUG"))
        with live_server(app) as url, httpx.Client(base_url=url, timeout=10) as c:
            body = {"task_id": "t-canary", "items": [{"id": "memo", "text": TEXT}], "ner": "llm"}
            ok = post_json(c, "/scrub", body)
            assert ok.status_code == 200, ok.text
            scrubbed = ok.json()["items"][0]["scrubbed_text"]
            assert not _leaks(scrubbed), "the scrubbed text itself must hold no canary"
            for reply in REPLIES[1:]:
                server.chat = reply
                r = post_json(c, "/scrub", body)
                assert r.status_code == 422, r.text
                bodies.append(r.text)
                # A good probe closes the circuit a failing server opened, so the next reply
                # is served too.
                assert c.get("/ready").status_code == 200
            server.models = json_reply({"error": f"no models for {PERSON}"}, status=500)
            ready = c.get("/ready")
            assert ready.status_code == 503
            bodies.append(ready.text)
            bodies.append(post_json(c, "/scrub", body).text)  # refused at once: circuit open
            metrics = c.get("/metrics").text
    assert {json.loads(b).get("error") for b in bodies} >= {"ner_unavailable", "descriptive_unredactable"}
    assert not _leaks("\n".join(bodies)), "an error body carries a value"
    assert not _leaks(metrics), "/metrics carries a value"
    assert 'redaction_ner_failures_total{layer="llm",reason="invalid_json"}' in metrics
    assert not _leaks(_log_text(captured_logs.records)), "a log record carries a value"
    assert len(server.chats) == len(REPLIES), "every scripted reply was served"
