"""The audit log's chain (app.audit): any single edit, deletion, insertion, reordering or
truncation is found at the right line; an untouched log verifies; concurrent writers in
several processes keep one valid chain; rotation links files."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.audit import GENESIS, AuditLog, derive_audit_key, read_records, verify

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def _write_log(path: Path, n: int) -> AuditLog:
    log = AuditLog(path, KEY, fsync="interval", fsync_interval_seconds=3600)
    for i in range(n):
        log.append(
            {"route": "/scrub", "method": "POST", "status": 200, "outcome": "ok", "counts": {"items": i}}
        )
    return log


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_an_untouched_log_verifies_with_its_head(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _write_log(path, 5).close()
    result = verify([path], KEY)
    assert result.ok
    assert result.records == 5
    assert result.head_checked
    assert result.last_seq == 5
    first = next(iter(read_records(path)))
    assert first["prev"] == GENESIS
    assert first["seq"] == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "the audit log must be private to its owner"


def test_the_wrong_key_fails_at_line_one(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _write_log(path, 3).close()
    result = verify([path], OTHER_KEY)
    assert (result.ok, result.line) == (False, 1)


def test_a_key_given_twice_in_a_record_is_tampering(tmp_path: Path) -> None:
    # The HMAC covers the parsed record; a duplicate key prepended to the line parses to the same
    # record for Python (the last value wins) but to a forged one for a first-value parser.
    path = tmp_path / "audit.jsonl"
    _write_log(path, 3).close()
    lines = _lines(path)
    lines[1] = b'{"status":500,"outcome":"forged",' + lines[1][1:]
    path.write_bytes(b"".join(lines))
    result = verify([path], KEY)
    assert (result.ok, result.line) == (False, 2)


def test_the_derived_key_is_not_the_map_key() -> None:
    assert derive_audit_key(KEY) != KEY
    assert len(derive_audit_key(KEY)) == 32


_MUTATION = st.sampled_from(["edit", "delete", "insert", "reorder", "truncate", "forge"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 12), mutation=_MUTATION, data=st.data())
def test_any_single_tampering_is_found_at_the_right_line(
    tmp_path_factory: pytest.TempPathFactory, n: int, mutation: str, data: st.DataObject
) -> None:
    path = tmp_path_factory.mktemp("log") / "audit.jsonl"
    _write_log(path, n).close()
    assert verify([path], KEY).ok, "an untouched log must verify"
    lines = _lines(path)
    if mutation == "edit":
        i = data.draw(st.integers(1, n))
        record = json.loads(lines[i - 1])
        record["status"] = 500 + record["status"]
        lines[i - 1] = json.dumps(record, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        expected = i
    elif mutation == "forge":  # a whole record re-MACed under another key
        i = data.draw(st.integers(1, n))
        record = json.loads(lines[i - 1])
        record["counts"] = {"items": 999}
        other = tmp_path_factory.mktemp("forge") / "x.jsonl"
        AuditLog(other, OTHER_KEY).append({"route": "/scrub"})
        lines[i - 1] = _lines(other)[0]
        expected = i
    elif mutation == "delete":
        i = data.draw(st.integers(1, n))
        del lines[i - 1]
        expected = i  # the record that moved up breaks the chain; a deleted last one: the head
    elif mutation == "insert":
        i = data.draw(st.integers(1, n + 1))  # the new line's position
        k = data.draw(st.integers(1, n))  # a copy of a genuine record
        lines.insert(i - 1, lines[k - 1])
        expected = i + 1 if k == i else i
    elif mutation == "reorder":
        if n < 2:
            return
        i = data.draw(st.integers(1, n - 1))
        j = data.draw(st.integers(i + 1, n))
        lines[i - 1], lines[j - 1] = lines[j - 1], lines[i - 1]
        expected = i
    else:  # truncate at any byte
        blob = b"".join(lines)
        cut = data.draw(st.integers(0, len(blob) - 1))
        path.write_bytes(blob[:cut])
        result = verify([path], KEY)
        assert not result.ok, "a truncated log must not verify"
        assert result.line == blob[:cut].count(b"\n") + 1
        return
    path.write_bytes(b"".join(lines))
    result = verify([path], KEY)
    assert not result.ok, f"{mutation} went unnoticed"
    assert result.line == expected, (mutation, result)


def _writer(path: str, count: int) -> None:
    log = AuditLog(Path(path), KEY)
    for i in range(count):
        log.append({"route": "/rehydrate", "outcome": "ok", "counts": {"items": i}, "pid": os.getpid()})
    log.close()


def test_concurrent_writers_in_several_processes_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), 40)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    result = verify([path], KEY)
    assert result.ok, result
    assert result.records == 160
    records = list(read_records(path))
    assert [r["seq"] for r in records] == list(range(1, 161))
    assert len({r["pid"] for r in records}) == 4


def test_rotation_links_the_new_file_to_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, KEY, rotate_bytes=1500)
    for i in range(20):
        log.append({"route": "/scrub", "outcome": "ok", "counts": {"items": i}})
    log.close()
    old = sorted(p for p in tmp_path.iterdir() if p.name.startswith("audit.jsonl.0"))
    assert len(old) >= 2, "the small rotation size must have rotated"
    chain = [*old, path]
    result = verify(chain, KEY)
    assert result.ok, result
    first = next(iter(read_records(path)))
    assert first["route"] == "rotate"
    assert first["prev_file"] == old[-1].name
    assert verify([path], KEY).ok, "the current file alone verifies (it starts with a rotate record)"
    # A rotated file removed from the middle: the next file no longer continues the chain.
    broken = verify([old[0], *old[2:], path], KEY) if len(old) > 2 else verify([old[0], path], KEY)
    assert not broken.ok
    assert broken.line == 1
    assert "continue" in (broken.reason or "")
