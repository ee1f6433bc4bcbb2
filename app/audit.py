"""The tamper-evident audit log (docs/architecture.md §13, docs/audit.md).

One JSON object per line, appended to ``REDACTION_AUDIT_LOG`` (created 0600), one record per
scrub, rehydrate, forget and proxy call. A record holds ids, counts and kinds, never a value
and never a map handle::

    {"v": 1, "seq": 7, "time": "2026-01-02T03:04:05.678Z", "route": "/scrub", "method": "POST",
     "status": 200, "outcome": "ok", "actor": "key:3f2a...", "task": "9c1e...",
     "counts": {"items": 2, "tier2_tokenized": 3}, "by_type": {"PERSON": 2}, "tier1": ["ssn"],
     "request_id": "ab12...", "prev": "<hmac of record 6>", "hmac": "<hmac of this record>"}

The chain: ``hmac`` is HMAC-SHA256, under the audit key, of the record's canonical JSON
(sorted keys, no spaces) without its ``hmac`` field, which includes ``prev``, the previous
record's ``hmac`` (64 zeros for the first record ever). Editing, inserting, deleting or
reordering records breaks the chain at the first affected line; a torn last line is not
JSON; a tail cut at a line boundary is caught by the head file ``<log>.head`` (the last
``seq`` and ``hmac``, itself MACed), and ``seq`` numbers every record. The audit key is
``REDACTION_AUDIT_KEY`` or, unset, derived from the map key with HKDF-SHA256: it never
appears in the log, so whoever can write the log cannot forge a record.

Concurrency: every process of every worker appends to the same file under an exclusive
``fcntl.flock`` on ``<log>.lock``, reading the previous record's ``hmac`` from the file's tail
inside the lock. One chain per file keeps `verify` simple and the order of records the order
of writes; the lock is held for one short append (plus the fsync with ``always``). Replicas on
other machines must each use their own file (``flock`` over network file systems is not
reliable): put the host name in the path.

Durability: `AuditLog.append` returns only after the record is written to the file (a
crashed process loses nothing) and, with fsync policy ``always`` (the default), synced to
disk. With ``interval`` the file is synced at most every ``REDACTION_AUDIT_FSYNC_INTERVAL_SECONDS``,
so a machine crash can lose that much.

Rotation: when the file reaches ``REDACTION_AUDIT_ROTATE_BYTES`` it is renamed to
``<log>.<seq>`` (the ``seq`` of its last record) and a new file starts with a ``rotate``
record whose ``prev`` is the old file's last ``hmac``; ``verify(old, new)`` checks the link.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hmac
import json
import os
import stat
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .settings import Settings

__all__ = [
    "GENESIS",
    "AuditLog",
    "VerifyResult",
    "audit_key_from_settings",
    "decode_audit_key",
    "derive_audit_key",
    "keyed_hash",
    "read_records",
    "request_record",
    "verify",
]

GENESIS = "0" * 64  # the `prev` of the first record of a chain
_FORMAT = 1
_HKDF_INFO = b"redaction-gateway audit log v1"
_TAIL_BYTES = 64 * 1024  # a record is far smaller; the last line is found within this


def decode_audit_key(text: str) -> bytes:
    """A 32-byte key from base64 (either alphabet); `ValueError` never quoting the text."""
    try:
        raw = base64.b64decode(text.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("an audit key must be base64 of 32 bytes") from None
    if len(raw) != 32:
        raise ValueError("an audit key must be base64 of 32 bytes")
    return raw


def derive_audit_key(map_key: bytes) -> bytes:
    """The audit key derived from a map key (HKDF-SHA256, fixed info, no salt): a key that
    opens no map, and a log that cannot be forged without the map key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(map_key)


def audit_key_from_settings(settings: Settings) -> bytes:
    """``REDACTION_AUDIT_KEY``, else the key derived from the current map key (environment or
    key file). Raises `ValueError` naming the variable, never a value."""
    from .settings import decode_key

    if settings.audit_key is not None:
        return decode_key(settings.audit_key.get_secret_value())
    current, _ = settings.map_keys()
    if current is None:
        from .crypto import KEY_FILE_NAME

        key_file = settings.data_dir / KEY_FILE_NAME
        if not key_file.exists():
            raise ValueError(
                "the audit log needs REDACTION_AUDIT_KEY or a map key (REDACTION_MAP_KEY or "
                "the key file in REDACTION_DATA_DIR)"
            )
        current = decode_key(key_file.read_text(encoding="ascii"))
    return derive_audit_key(current)


def keyed_hash(key: bytes, purpose: str, value: str, chars: int = 32) -> str:
    """A keyed hash of an identifier (task id, caller key): equal inputs give equal hashes, and
    without the audit key nobody can test a guess against the log."""
    digest = hmac.new(key, purpose.encode() + b"\x00" + value.encode("utf-8", "surrogatepass"), "sha256")
    return digest.hexdigest()[:chars]


def _canonical(record: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k != "hmac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _mac(key: bytes, record: Mapping[str, Any]) -> str:
    return hmac.new(key, _canonical(record), "sha256").hexdigest()


def _head_mac(key: bytes, seq: int, last: str) -> str:
    return hmac.new(key, f"head\x00{seq}\x00{last}".encode("ascii"), "sha256").hexdigest()


def _utc_now() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"


def _last_line(fd: int) -> bytes | None:
    size = os.fstat(fd).st_size
    if size == 0:
        return None
    start = max(0, size - _TAIL_BYTES)
    data = os.pread(fd, size - start, start)
    lines = data.rstrip(b"\n").rsplit(b"\n", 1)
    return lines[-1]


class AuditLog:
    """Appends chained records to one file, safely from many threads and processes."""

    def __init__(
        self,
        path: Path,
        key: bytes,
        *,
        fsync: Literal["always", "interval"] = "always",
        fsync_interval_seconds: float = 1.0,
        rotate_bytes: int = 0,
        api_key: str | None = None,
    ) -> None:
        if len(key) != 32:
            raise ValueError("the audit key must be 32 bytes")
        self.path = path
        self._key = key
        self._fsync = fsync
        self._interval = fsync_interval_seconds
        self._rotate_bytes = rotate_bytes
        self.actor_id = self.actor(api_key)  # the one caller key a deployment has, hashed
        self._thread_lock = threading.Lock()  # flock is per open file; threads share ours
        self._last_sync = 0.0
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock_fd = os.open(self._side(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        self._fd = -1
        self._inode: tuple[int, int] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog | None:
        """The configured log, or None when ``REDACTION_AUDIT_LOG`` is unset."""
        if settings.audit_log is None:
            return None
        return cls(
            settings.audit_log,
            audit_key_from_settings(settings),
            fsync=settings.audit_fsync,
            fsync_interval_seconds=settings.audit_fsync_interval_seconds,
            rotate_bytes=settings.audit_rotate_bytes,
            api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        )

    def _side(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def actor(self, api_key: str | None) -> str:
        """The audit name of a caller key: ``key:<keyed hash>``, or ``anonymous`` without one."""
        return "anonymous" if api_key is None else "key:" + keyed_hash(self._key, "actor", api_key, 16)

    def task(self, task_id: str) -> str:
        return keyed_hash(self._key, "task", task_id)

    def _open(self) -> int:
        """The log's fd, reopened when another process rotated the file under us."""
        try:
            st = os.stat(self.path)
            current: tuple[int, int] | None = (st.st_dev, st.st_ino)
        except FileNotFoundError:
            current = None
        if self._fd >= 0 and current == self._inode:
            return self._fd
        if self._fd >= 0:
            os.close(self._fd)
        self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        mode = stat.S_IMODE(os.fstat(self._fd).st_mode)
        if mode & 0o077:
            os.fchmod(self._fd, 0o600)
        st = os.fstat(self._fd)
        self._inode = (st.st_dev, st.st_ino)
        return self._fd

    def _previous(self, fd: int) -> tuple[int, str]:
        line = _last_line(fd)
        if line is None:
            return self._head_state()
        try:
            last = json.loads(line)
            return int(last["seq"]), str(last["hmac"])
        except (ValueError, KeyError, TypeError):
            # A torn or edited tail: keep appending after it; `verify` names that line.
            return self._head_state()

    def _head_state(self) -> tuple[int, str]:
        try:
            head = json.loads(self._side(".head").read_text(encoding="ascii"))
            return int(head["seq"]), str(head["hmac"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, GENESIS

    def _write_head(self, seq: int, last: str) -> None:
        head = json.dumps({"seq": seq, "hmac": last, "mac": _head_mac(self._key, seq, last)})
        temp = self._side(f".head.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, head.encode("ascii") + b"\n")
            if self._fsync == "always":
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, self._side(".head"))

    def _append_locked(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        fd = self._open()
        seq, prev = self._previous(fd)
        record: dict[str, Any] = {"v": _FORMAT, "seq": seq + 1, "time": _utc_now(), **fields, "prev": prev}
        record["hmac"] = _mac(self._key, record)
        line = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
        os.write(fd, line.encode("ascii"))  # O_APPEND, under the lock: one whole line
        now = time.monotonic()
        if self._fsync == "always" or now - self._last_sync >= self._interval:
            os.fsync(fd)
            self._last_sync = now
        self._write_head(record["seq"], record["hmac"])
        return record

    def append(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Append one record (``fields`` are safe values only) and return it; blocking.

        Raises `OSError` when the record cannot be written: the caller fails closed.
        """
        with self._thread_lock:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                record = self._append_locked(fields)
                if self._rotate_bytes and os.fstat(self._fd).st_size >= self._rotate_bytes:
                    self._rotate_locked(record)
                return record
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def rotate(self) -> Path:
        """Start a new file now; returns the old file's new name."""
        with self._thread_lock:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                fd = self._open()
                seq, last = self._previous(fd)
                return self._rotate_locked({"seq": seq, "hmac": last})
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _rotate_locked(self, last: Mapping[str, Any]) -> Path:
        os.fsync(self._fd)
        old = self._side(f".{int(last['seq']):012d}")
        os.replace(self.path, old)
        self._append_locked({"route": "rotate", "outcome": "ok", "prev_file": old.name})
        return old

    def close(self) -> None:
        with self._thread_lock:
            if self._fd >= 0:
                os.fsync(self._fd)
                os.close(self._fd)
                self._fd = -1
            if self._lock_fd >= 0:
                os.close(self._lock_fd)
                self._lock_fd = -1


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of `verify`: ``ok``, the records checked, and the first bad place."""

    ok: bool
    records: int
    file: str | None = None
    line: int | None = None  # 1-based line of the first bad record (or one past the end)
    reason: str | None = None
    last_seq: int = 0
    last_hmac: str = GENESIS
    head_checked: bool = False  # False: no head file, so a cut at a line boundary goes unseen


def _bad(records: int, path: Path, line: int, reason: str) -> VerifyResult:
    return VerifyResult(False, records, str(path), line, reason)


def verify(paths: Sequence[Path], key: bytes, *, head: Path | None = None) -> VerifyResult:
    """Check one chain spread over ``paths`` (oldest first, as rotation left them).

    Every record must be JSON with a valid ``hmac``, a ``prev`` equal to the previous record's
    ``hmac`` and a ``seq`` one more than it. The first file may start mid-chain only with a
    ``rotate`` record (its predecessor is not given). With ``head`` (default: ``<last>.head``
    when it exists) the last record must be the one the head file names, so a tail cut at a
    line boundary is found (reported one line past the end).
    """
    prev: str | None = None
    seq = 0
    records = 0
    last_path = paths[-1] if paths else Path("-")
    line_no = 0
    for index, path in enumerate(paths):
        with path.open("rb") as handle:
            data = handle.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        elif lines:
            return _bad(records, path, len(lines), "truncated record (no end of line)")
        for line_no, raw in enumerate(lines, start=1):
            try:
                record = json.loads(raw, object_pairs_hook=_unique_keys)
            except ValueError:
                return _bad(records, path, line_no, "not a JSON record (or a key given twice)")
            if not isinstance(record, dict) or not isinstance(record.get("hmac"), str):
                return _bad(records, path, line_no, "not an audit record")
            if not hmac.compare_digest(record["hmac"], _mac(key, record)):
                return _bad(records, path, line_no, "HMAC mismatch (edited record or wrong key)")
            if prev is None:
                starts_chain = record.get("prev") == GENESIS and record.get("seq") == 1
                if not starts_chain and not (index == 0 and line_no == 1 and record.get("route") == "rotate"):
                    return _bad(
                        records, path, line_no, "chain does not start here (records deleted before it)"
                    )
            elif record.get("prev") != prev or record.get("seq") != seq + 1:
                if index > 0 and line_no == 1:
                    return _bad(records, path, line_no, "does not continue the previous file")
                return _bad(records, path, line_no, "chain broken (record deleted, inserted or reordered)")
            prev = str(record["hmac"])
            seq = int(record["seq"])
            records += 1
        if index > 0 and not lines:
            return _bad(records, path, 1, "empty file in a rotated chain")
    head_path = head if head is not None else last_path.with_name(last_path.name + ".head")
    if head_path.exists():
        try:
            state = json.loads(head_path.read_text(encoding="ascii"))
            head_seq, head_hmac = int(state["seq"]), str(state["hmac"])
            valid = hmac.compare_digest(str(state["mac"]), _head_mac(key, head_seq, head_hmac))
        except (OSError, ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            return _bad(records, head_path, 1, "head file is not authentic")
        if head_hmac != (prev or GENESIS) or head_seq != seq:
            return _bad(records, last_path, line_no + 1, "records missing at the end (truncated log)")
        return VerifyResult(True, records, last_seq=seq, last_hmac=prev or GENESIS, head_checked=True)
    return VerifyResult(True, records, last_seq=seq, last_hmac=prev or GENESIS)


def read_records(path: Path) -> Iterable[dict[str, Any]]:
    """The records of a log file, for tools and tests (no checking)."""
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                yield json.loads(raw)


# Numeric fields of a request's log line (app.middleware.log_fields) that an audit record keeps.
_COUNT_FIELDS = (
    "items", "chars", "tier1_dropped", "tier2_tokenized", "distinct_entities", "descriptive",
    "tokens_substituted", "unknown_tokens", "entries",
)  # fmt: skip


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all distinct: a record with a key given twice verifies under
    one reading and says something else under another (a parser keeping the first value)."""
    record = dict(pairs)
    if len(record) != len(pairs):
        raise ValueError("duplicate key")
    return record


def _task_id_from_body(body: bytes) -> str | None:
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse (refused: 400)
        return None
    task = parsed.get("task_id") if isinstance(parsed, dict) else None
    return task if isinstance(task, str) else None


def request_record(
    log: AuditLog,
    *,
    route: str,
    method: str,
    status: int,
    request_id: str,
    fields: Mapping[str, Any],
    body: bytes,
    authenticated: bool,
    task_header: str | None = None,
) -> dict[str, Any]:
    """The safe fields of one request's audit record, from what the route put in its log
    fields (counts, ``by_type``, ``tier1``, ``task_id``) and, for the task id, the proxy's
    ``X-Redaction-Task-Id`` header (``task_header``) or the JSON body.
    Only ids (hashed), counts and detector kinds are kept: never a value, never a handle."""
    task_id = fields.get("task_id")
    if not isinstance(task_id, str):
        task_id = task_header if task_header is not None else _task_id_from_body(body)
    by_type = fields.get("by_type")
    tier1 = fields.get("tier1")
    return {
        "route": route,
        "method": method,
        "status": status,
        "outcome": str(fields.get("error") or ("ok" if status < 400 else "error")),
        "actor": log.actor_id if authenticated else "unauthenticated",
        "task": log.task(task_id) if task_id is not None else None,
        "counts": {k: fields[k] for k in _COUNT_FIELDS if type(fields.get(k)) is int},
        "by_type": {str(k): int(v) for k, v in by_type.items()} if isinstance(by_type, Mapping) else {},
        "tier1": sorted(str(k) for k in tier1) if isinstance(tier1, Mapping | list | tuple) else [],
        "request_id": request_id,
    }
