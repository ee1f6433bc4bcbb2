"""The WebSocket stream leaves one audit record per session (docs/audit.md), with its counts
and a keyed task hash, never a value, a task id or a handle."""

from __future__ import annotations

import json
from pathlib import Path

from app.audit import audit_key_from_settings, read_records, verify
from app.main import create_app

from .conftest import KNOWN, SOURCE, SettingsFactory, running_gateway


def test_a_stream_session_is_audited_when_it_ends(make_settings: SettingsFactory, tmp_path: Path) -> None:
    log_path = tmp_path / "audit" / "audit.jsonl"
    settings = make_settings(audit_log=log_path, spacy_enabled=False)
    with running_gateway(create_app(settings)) as gw:
        with gw.socket() as ws:
            ws.send(gw.start())
            assert json.loads(ws.recv())["type"] == "ready"
            ws.send(json.dumps({"type": "delta", "text": gw.scrubbed}))
            ws.send(json.dumps({"type": "end"}))
            frames = []
            while True:
                frame = json.loads(ws.recv())
                frames.append(frame)
                if frame["type"] == "done":
                    break
        handle = gw.handle
    records = list(read_records(log_path))
    assert [r["route"] for r in records] == ["/scrub", "/rehydrate/stream"]
    stream = records[1]
    assert (stream["status"], stream["outcome"]) == (200, "ok")
    assert stream["task"] == records[0]["task"]  # the same task, hashed
    assert stream["counts"]["tokens_substituted"] >= 1
    assert stream["counts"]["chars"] == len(gw.scrubbed)
    blob = log_path.read_text()
    values = [v for group in KNOWN.values() for v in group]
    for secret in (*values, handle, "task-1"):
        assert secret not in blob, "the audit log holds no value, task id or handle"
    assert SOURCE not in blob
    assert verify([log_path], audit_key_from_settings(settings)).ok
