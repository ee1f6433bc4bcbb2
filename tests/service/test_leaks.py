"""Leak canaries (docs/architecture.md §5, §8): over a run of good and bad requests full of canary values,
no canary reaches a log record, the /metrics text or an error body, and the store files hold
none in plaintext."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx

from app.logging import JsonFormatter
from app.main import create_app
from app.ner import ConfiguredLayer
from redaction.detectors import DEFAULT_DETECTORS

from ..logs import LogCapture, record_text
from .conftest import SettingsFactory, live_server, post_json
from .fakes import FailingLayer, TestSecretDetector

# Every canary contains "canary" (and no fixture, id or route name does), so one
# case-insensitive search finds any of them, whole or in part.
PERSON = "Zebulon Canaryman"
ORG = "Canaryfield Holdings"
FUND = "Canary Opportunities Fund XVII"
EMAIL = "zeb.canary@canary-mail.example"
LOCATION = "Canaryville Springs"
SECRET = "SECRET-987654"
KNOWN = {"persons": [PERSON], "orgs": [ORG], "funds": [FUND], "emails": [EMAIL], "locations": [LOCATION]}
TEXT = f"{PERSON} of {ORG} wired {FUND} from {LOCATION}; mail {EMAIL} or canary.two@example.com. {SECRET}"
NEEDLES = ("canary", SECRET.lower(), "987654")


def _leaks(blob: str) -> list[str]:
    low = blob.lower()
    return [n for n in NEEDLES if n in low]


def _bad_requests(handle: str) -> list[tuple[str, bytes, dict[str, str]]]:
    js = {"content-type": "application/json"}

    def body(**fields: Any) -> bytes:
        base: dict[str, Any] = {
            "task_id": "task-1",
            "items": [{"id": "i1", "text": TEXT}],
            "known_entities": KNOWN,
        }
        base.update(fields)
        return json.dumps(base).encode()

    reply = {"task_id": "task-1", "map_handle": handle, "items": [{"id": "r", "text": f"{TEXT} [PERSON_9]"}]}
    return [
        ("/scrub", body(items=[{"id": "i1", "text": 5, "note": TEXT}]), js),  # wrong type + unknown field
        ("/scrub", body(**{PERSON: TEXT}), js),  # unknown field named like a value
        ("/scrub", body(known_entities={"persons": PERSON}), js),  # a string where a list belongs
        ("/scrub", body(known_entities={**KNOWN, LOCATION: [ORG]}), js),
        ("/scrub", body(tier1_action=PERSON), js),
        ("/scrub", body(ner=EMAIL), js),
        ("/scrub", body(task_id=None, actor=7), js),
        ("/scrub", body()[:-7], js),  # malformed JSON
        ("/scrub", b'{"task_id": "t", "items": [{"id": "x", "text": "' + TEXT.encode() + b'\xff\xfe"}]}', js),
        ("/scrub", body(items=[{"id": "i", "text": TEXT * 40}]), js),  # over the item length limit
        ("/scrub", body(items=[{"id": str(i), "text": TEXT} for i in range(9)]), js),  # over the item count
        ("/scrub", body() + b" " * 300_000, js),  # over the body limit
        ("/scrub", body(map_handle=PERSON), js),
        ("/scrub", body(map_handle=handle, task_id="another"), js),
        ("/scrub", body(tier1_action="reject"), js),
        ("/scrub", body(ner="llm"), js),
        ("/scrub", body(), {}),  # no content type
        ("/rehydrate", json.dumps(reply).encode(), js),  # strict: unknown token
        ("/rehydrate", json.dumps({**reply, "map_handle": EMAIL}).encode(), js),
        ("/rehydrate", json.dumps({**reply, "task_id": ORG}).encode(), js),
        ("/rehydrate", json.dumps({**reply, "strict": PERSON}).encode(), js),
        (f"/scrub?who={PERSON}", body(items=[]), js),
        (f"/{EMAIL}", body(), js),
    ]


def test_no_canary_in_logs_metrics_error_bodies_or_store_files(
    make_settings: SettingsFactory, captured_logs: LogCapture, data_dir: Path
) -> None:
    settings = make_settings(max_items=8, max_item_chars=5000, max_body_bytes=200_000)
    crash = ConfiguredLayer("spacy", FailingLayer(lambda: RuntimeError(f"internal state: {TEXT}")))
    detectors = (*DEFAULT_DETECTORS, TestSecretDetector())
    app = create_app(settings, detectors=detectors)
    crashing = create_app(settings, layers=[crash], detectors=detectors)
    error_bodies: list[str] = []
    with live_server(app) as url, httpx.Client(base_url=url) as c:
        ok = post_json(
            c, "/scrub", {"task_id": "task-1", "items": [{"id": "i1", "text": TEXT}], "known_entities": KNOWN}
        )
        assert ok.status_code == 200
        scrubbed = ok.json()["items"][0]["scrubbed_text"]
        assert not _leaks(scrubbed), "the scrubbed text itself must hold no canary"
        handle = ok.json()["map_handle"]
        again = post_json(
            c,
            "/scrub",
            {
                "task_id": "task-1",
                "map_handle": handle,
                "items": [{"id": "i2", "text": TEXT}],
                "known_entities": KNOWN,
            },
        )
        assert again.status_code == 200
        back = post_json(
            c,
            "/rehydrate",
            {"task_id": "task-1", "map_handle": handle, "items": [{"id": "r", "text": scrubbed}]},
        )
        assert back.status_code == 200
        assert PERSON in back.json()["items"][0]["rehydrated_text"]

        for path, content, headers in _bad_requests(handle):
            r = c.post(path, content=content, headers=headers)
            assert 400 <= r.status_code < 500, (path, r.status_code)
            assert r.json()["error"], path
            error_bodies.append(f"{path[:10]} {r.status_code} {r.text}")
        for body in error_bodies:
            assert not _leaks(body), f"an error body carries a canary: {body[:200]}"

        metrics = c.get("/metrics").text
        assert not _leaks(metrics), "the /metrics text carries a canary"
        raw_store = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())

    with live_server(crashing) as url, httpx.Client(base_url=url) as c:
        r = post_json(
            c, "/scrub", {"task_id": "t", "items": [{"id": "i1", "text": TEXT}], "known_entities": KNOWN}
        )
        assert r.status_code == 500
        assert r.json() == {"error": "scrub_failed"}

    formatter = JsonFormatter()
    # The test's own HTTP client (httpx, httpcore) logs the URLs it requests: not the server's.
    server_records = [r for r in captured_logs.records if not r.name.startswith(("httpx", "httpcore"))]
    assert server_records, "the run should have logged"
    for record in server_records:
        text = record_text(record, formatter)
        assert not _leaks(text), f"a log record carries a canary: {text[:300]}"
    assert any(getattr(r, "exc_type", None) == "RuntimeError" for r in captured_logs.records)

    for needle in (*NEEDLES, "canaryman", json.dumps(PERSON)[1:-1].lower()):
        assert needle.encode() not in raw_store.lower(), "the store files hold a canary in plaintext"
        assert needle.encode("utf-16-le") not in raw_store.lower()


def test_uvicorn_websocket_lines_are_events_without_their_arguments() -> None:
    # uvicorn logs the peer and the raw path of a WebSocket; the formatter keeps a fixed event
    # name (not the bare template an outside tester saw) and never the arguments.
    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" [accepted]',
        ("10.0.0.7:51515", "/rehydrate/stream?canary=jane.canary@example.com"), None,
    )  # fmt: skip
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "websocket_accepted"
    assert "canary" not in json.dumps(line)
    assert "10.0.0.7" not in json.dumps(line)
