"""The audit log written by the service: one record per audited call, before the response,
never a value or a handle, and a refused response when the record cannot be written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.audit import audit_key_from_settings, read_records, verify
from app.main import create_app
from app.settings import Settings

from ..logs import LogCapture
from ..service.conftest import SettingsFactory, apost_json, asgi_client

pytestmark = pytest.mark.anyio

NAME = "Jane Canarysmith"
EMAIL = "jane.canary@example.com"
SSN = "078-05-1120"
TASK = "task-canary-77"
API_KEY = "caller-key-canary-0123456789"


async def test_each_call_leaves_one_chained_record_without_values(
    make_settings: SettingsFactory, tmp_path: Path, captured_logs: LogCapture
) -> None:
    log_path = tmp_path / "audit" / "audit.jsonl"
    settings = make_settings(audit_log=log_path, api_key=API_KEY)
    auth = {"Authorization": f"Bearer {API_KEY}"}
    async with asgi_client(create_app(settings), **auth) as client:
        scrub = {
            "task_id": TASK,
            "items": [{"id": "memo", "text": f"{NAME} wrote from {EMAIL}, SSN {SSN}."}],
            "known_entities": {"persons": [NAME]},
        }
        r = await apost_json(client, "/scrub", scrub)
        assert r.status_code == 200, r.text
        # Durable before the response: the record is in the file when the answer arrives.
        assert len(list(read_records(log_path))) == 1
        handle = r.json()["map_handle"]
        text = r.json()["items"][0]["scrubbed_text"]
        r = await apost_json(
            client,
            "/rehydrate",
            {"task_id": TASK, "map_handle": handle, "items": [{"id": "a", "text": text}]},
        )
        assert r.status_code == 200
        r = await apost_json(client, "/scrub", scrub, headers={"Authorization": "Bearer wrong-key-000000000"})
        assert r.status_code == 401
        assert (await client.get("/health")).status_code == 200  # not an audited route
    records = list(read_records(log_path))
    assert [r["route"] for r in records] == ["/scrub", "/rehydrate", "/scrub"]
    first, second, third = records
    assert first["outcome"] == "ok"
    assert first["status"] == 200
    assert first["by_type"].get("PERSON", 0) >= 1
    assert first["tier1"], "the tier-1 kinds of a scrub are recorded"
    assert first["task"] == second["task"]
    assert len(first["task"]) == 32
    assert first["actor"].startswith("key:")
    assert second["actor"] == first["actor"]
    assert (third["status"], third["actor"], third["outcome"]) == (401, "unauthenticated", "unauthorized")
    assert second["counts"].get("tokens_substituted", 0) >= 1
    blob = log_path.read_text()
    for secret in (NAME, EMAIL, SSN, TASK, API_KEY, handle, "Canarysmith"):
        assert secret not in blob, "the audit log must hold no value, task id, key or handle"
    for record in captured_logs.records:
        assert TASK not in json.dumps(record.__dict__, default=str), "the task id must not reach the logs"
    assert verify([log_path], audit_key_from_settings(settings)).ok


async def test_an_unwritable_audit_log_refuses_the_response(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    blocked = tmp_path / "audit.jsonl"
    blocked.mkdir()  # a directory where the log file should be: every append fails
    async with asgi_client(create_app(make_settings(audit_log=blocked))) as client:
        body = {
            "task_id": TASK,
            "items": [{"id": "memo", "text": f"call {NAME}"}],
            "known_entities": {"persons": [NAME]},
        }
        r = await apost_json(client, "/scrub", body)
    assert r.status_code == 503
    assert r.json() == {"error": "audit_unavailable"}
    assert NAME not in r.text
    assert "x-request-id" in r.headers


def test_the_audit_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="audit_fsync"):
        Settings(_env_file=None, audit_fsync="sometimes")
    with pytest.raises(ValueError, match="base64 of 32 bytes"):
        Settings(_env_file=None, audit_key="c2hvcnQ=")


async def test_proxy_and_forget_calls_are_audited_with_the_task_from_header_or_body(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    log_path = tmp_path / "audit.jsonl"
    settings = make_settings(audit_log=log_path)
    async with asgi_client(create_app(settings)) as client:
        body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": f"hi {NAME}"}]}
        r = await apost_json(client, "/v1/messages", body, headers={"x-redaction-task-id": TASK})
        assert r.status_code >= 400  # no upstream configured: refused, and still audited
        r = await apost_json(client, "/forget", {"task_id": TASK, "map_handle": "abcdefgh"})
    proxy, forget = list(read_records(log_path))
    assert proxy["route"] == "/v1/messages"
    assert proxy["outcome"] != "ok"
    assert forget["route"] == "/forget"
    assert proxy["task"] == forget["task"] is not None, "the task id is hashed alike from a header or a body"
    assert proxy["actor"] == "anonymous"
    blob = log_path.read_text()
    assert TASK not in blob
    assert NAME not in blob
    assert verify([log_path], audit_key_from_settings(settings)).ok


async def test_a_body_nested_too_deep_is_refused_and_audited(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    # json.loads raises RecursionError (not ValueError) on deep nesting: reading the task id for
    # the audit record must not turn the 400 into a broken response (an outside tester's 500).
    log_path = tmp_path / "audit.jsonl"
    async with asgi_client(create_app(make_settings(audit_log=log_path))) as client:
        deep = b'{"a":' * 3000 + b"1" + b"}" * 3000
        r = await client.post("/scrub", content=deep, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"] == "bad_request"
    records = list(read_records(log_path))
    assert [(rec["route"], rec["status"], rec["task"]) for rec in records] == [("/scrub", 400, None)]
