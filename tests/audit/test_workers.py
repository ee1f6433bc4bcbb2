"""The audit log under a real ``serve --workers 2``: concurrent calls answered by two processes
leave one valid chain, and every answered call's record is in the file when its answer arrives."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from app.audit import derive_audit_key, read_records, verify

from ..ports import free_port

ROOT = Path(__file__).parents[2]
MAP_KEY = base64.b64encode(bytes(range(100, 132))).decode()


def test_two_workers_share_one_chain(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "audit" / "audit.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(
        REDACTION_DATA_DIR=str(tmp_path / "data"), REDACTION_MAP_KEY=MAP_KEY, REDACTION_SPACY_ENABLED="false",
        REDACTION_AUDIT_LOG=str(log_path),
    )  # fmt: skip
    with (tmp_path / "server.log").open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=out, stderr=out, cwd=ROOT,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.1)

        def call(i: int) -> str:
            body = {"task_id": f"t-{i % 3}", "items": [{"id": "a", "text": f"mail canary{i}@example.com"}]}
            r = httpx.post(f"{base}/scrub", json=body, timeout=60)
            assert r.status_code == 200
            request_id = r.headers["x-request-id"]
            # Durable before the answer: the record is already in the file.
            assert request_id in log_path.read_text(), "an answered call must already be audited"
            return request_id

        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(call, range(40)))
    finally:
        proc.terminate()
        proc.wait(20)
    records = list(read_records(log_path))
    assert sorted(r["request_id"] for r in records) == sorted(ids)
    result = verify([log_path], derive_audit_key(base64.b64decode(MAP_KEY)))
    assert result.ok, result
    assert result.records == 40
    assert "canary" not in log_path.read_text()
