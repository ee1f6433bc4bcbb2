"""The default map store: one SQLite file, encrypted records, WAL, TTL sweep (docs/architecture.md §7).

Files: the database directory is 0700 (created so, or tightened; a directory named through
``REDACTION_STORE_URL`` that already exists is only warned about, never changed); the
database and its ``-wal``/``-shm`` sidecars are 0600 (created under umask 077, checked and
tightened on every open). WAL mode with
``synchronous=NORMAL``: a commit reaches the operating system before the call returns, so a
map committed before ``/scrub`` answers 200 survives a crash of the process (``kill -9``);
only a power loss or kernel crash can take the last commits. ``secure_delete`` zeroes the
pages of swept records. If the database path stops naming the file that was opened (the data
dir deleted or the file replaced under the running service), every operation raises
`StoreError` (503, unready) until restart, rather than writing to an unlinked file.

Schema (version 1)::

    maps(handle_hash BLOB PRIMARY KEY,  -- sha256 of the handle, never the handle
         task_hash   BLOB,              -- sha256 of the bound task_id
         key_id      TEXT,              -- which map key encrypted it (NULL once swept,
                                        --   'forgotten' once erased by POST /forget)
         nonce       BLOB,              -- 16-byte subkey salt + 12-byte AES-GCM nonce
         ciphertext  BLOB,              -- AES-GCM(ScrubState JSON); NULL once swept
         version     INTEGER,           -- bumped by every write (compare-and-swap)
         created_at  REAL, expires_at REAL)
    meta(key TEXT PRIMARY KEY, value TEXT)

A swept row keeps its hashes and ``expires_at`` as a tombstone for `TOMBSTONE_SECONDS`, so a
late caller hears ``map_expired`` rather than ``unknown_map_handle``.

Concurrency: writes are serialized in-process by one lock (no SQLite busy-waiting between
our own threads) and across processes by SQLite's lock (``busy_timeout``). `extend` holds a
per-handle lock in-process, runs the caller's mutation outside any transaction (a long scrub
never blocks other maps' writes) and commits with a compare-and-swap on ``version``. If
another process wrote the map meanwhile, the mutation is re-run once more on the fresh map,
this time inside a write transaction (``BEGIN IMMEDIATE``): holding the database's write lock,
it cannot lose again, so contended extensions wait their turn instead of failing. Other
writers wait for that one mutation (up to ``busy_timeout``), and only when two processes
extend the same map at the same moment.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from redaction import ScrubState
from redaction.errors import MapExpired, MapNotFound, StoreError

from ..crypto import Keyring, ensure_private_dir
from .base import HandleLocks, MapRecord, check_handle, handle_hash, new_map_keys, task_hash, unseal

__all__ = ["SCHEMA_VERSION", "TOMBSTONE_SECONDS", "SQLiteMapStore"]

T = TypeVar("T")

SCHEMA_VERSION = "1"
_FORGOTTEN = "forgotten"  # key_id of a tombstone left by `forget` (a swept one has NULL)
TOMBSTONE_SECONDS = 7 * 86400
_SIDECARS = ("-wal", "-shm")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS maps (
    handle_hash BLOB PRIMARY KEY,
    task_hash   BLOB NOT NULL,
    key_id      TEXT,
    nonce       BLOB,
    ciphertext  BLOB,
    version     INTEGER NOT NULL,
    created_at  REAL NOT NULL,
    expires_at  REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS maps_expires_at ON maps (expires_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

log = logging.getLogger("redaction_gateway.store")


@contextmanager
def _store_errors(op: str) -> Iterator[None]:
    """Turn backend failures into `StoreError`; the SQLite message is not carried along."""
    try:
        yield
    except sqlite3.Error as exc:
        log.error("store_error", extra={"op": op, "exc_type": type(exc).__name__})
        raise StoreError(f"map store failed during {op}") from None


class SQLiteMapStore:
    """`MapStore` over one SQLite file. Thread-safe; several processes may share the file."""

    def __init__(
        self,
        path: Path,
        keyring: Keyring,
        *,
        ttl_seconds: float,
        clock: Callable[[], float] = time.time,
        tombstone_seconds: float = TOMBSTONE_SECONDS,
        busy_timeout_s: float = 5.0,
        tighten_dir: bool = True,
    ) -> None:
        self.path = Path(path)
        self._tighten_dir = tighten_dir  # False: the directory is not ours alone; warn, never chmod
        self._keyring = keyring
        self._ttl = float(ttl_seconds)
        self._clock = clock
        self._tombstone = float(tombstone_seconds)
        self._busy_timeout = busy_timeout_s
        self._pool_lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._all: list[sqlite3.Connection] = []
        self._open = False
        self._write_lock = threading.Lock()
        self._handle_locks = HandleLocks()
        self._identity: tuple[int, int] | None = None  # (st_dev, st_ino) of the file opened
        self._lost = False

    # -- lifecycle --------------------------------------------------------------------------

    def open(self) -> None:
        ensure_private_dir(self.path.parent, tighten=self._tighten_dir)
        old_umask = os.umask(0o077)
        try:
            if not self.path.exists():
                os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            self._tighten_modes()
            self._identity, self._lost = self._file_identity(), False
            with self._pool_lock:
                self._open = True
            with _store_errors("open"), self._conn() as conn:
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError("the map store could not enter WAL mode")
                with self._write_lock:
                    conn.executescript(_SCHEMA)
                    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                    if row is None:
                        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                    elif row[0] != SCHEMA_VERSION:
                        raise StoreError("the map store has an unsupported schema version")
                    # A write now makes SQLite create both sidecars, so their modes can be checked.
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('opened_at', ?)", (str(self._clock()),))
        except BaseException:
            self.close()
            raise
        finally:
            os.umask(old_umask)
        self._tighten_modes()

    def close(self) -> None:
        with self._pool_lock:
            self._open = False
            idle, self._idle = self._idle, []
            for conn in idle:
                self._all.remove(conn)
        for conn in idle:
            conn.close()

    def _tighten_modes(self) -> None:
        # SQLite gives the sidecars the database's mode; this catches files left by older runs.
        for path in (self.path, *(self.path.with_name(self.path.name + s) for s in _SIDECARS)):
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
            except FileNotFoundError:
                continue
            if mode != 0o600:
                log.warning("store_file_mode_tightened", extra={"mode": oct(mode)})
                path.chmod(0o600)

    # -- connections ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA trusted_schema=OFF")
        return conn

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _check_identity(self) -> None:
        """Refuse once the database path no longer names the file opened (its directory was
        deleted or the file replaced while the service runs): SQLite would go on writing to the
        unlinked file, and every map answered 200 would be gone at the next start. One stat
        per operation; final until restart (the key file went with the directory, too)."""
        if not self._lost and self._file_identity() == self._identity:
            return
        if not self._lost:
            self._lost = True
            log.error("store_file_lost")
        raise StoreError("the map store's database file was deleted or replaced")

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        """A pooled connection for this thread's use (one per concurrent caller)."""
        with self._pool_lock:
            if not self._open:
                raise StoreError("the map store is closed")
        self._check_identity()
        with self._pool_lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
            with self._pool_lock:
                self._all.append(conn)
        try:
            yield conn
        finally:
            with self._pool_lock:
                if self._open:
                    self._idle.append(conn)
                    conn = None
                else:
                    self._all.remove(conn)
            if conn is not None:
                conn.close()

    # -- records ----------------------------------------------------------------------------

    def _seal(self, state: ScrubState, context: bytes) -> tuple[str, bytes, bytes]:
        return self._keyring.encrypt(state.to_json().encode("ascii"), context)

    def _read(self, conn: sqlite3.Connection, hh: bytes, th: bytes) -> tuple[ScrubState, int, float]:
        """(state, version, created_at) of a live map bound to ``th``; raises otherwise."""
        row = conn.execute(
            "SELECT task_hash, key_id, nonce, ciphertext, version, created_at, expires_at "
            "FROM maps WHERE handle_hash = ?",
            (hh,),
        ).fetchone()
        if row is None:
            raise MapNotFound("no such map")
        stored_task, kid, nonce, ciphertext, version, created_at, expires_at = row
        if ciphertext is None or expires_at <= self._clock():
            raise MapExpired("map expired")
        return unseal(self._keyring, kid, nonce, ciphertext, hh, stored_task, th), version, created_at

    def create(self, task_id: str, state: ScrubState, *, handle: str | None = None) -> MapRecord:
        handle, hh, th = new_map_keys(handle, task_id)
        kid, nonce, ciphertext = self._seal(state, hh + th)
        now = self._clock()
        with _store_errors("create"), self._conn() as conn, self._write_lock:
            conn.execute(
                "INSERT INTO maps VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                (hh, th, kid, nonce, ciphertext, now, now + self._ttl),
            )
        return MapRecord(handle, now, now + self._ttl, len(state))

    def extend(self, handle: str, task_id: str, mutate: Callable[[ScrubState], T]) -> tuple[MapRecord, T]:
        check_handle(handle)
        hh, th = handle_hash(handle), task_hash(task_id)
        with self._handle_locks.hold(hh), _store_errors("extend"), self._conn() as conn:
            state, version, created_at = self._read(conn, hh, th)
            result = mutate(state)
            now = self._clock()
            with self._write_lock:
                written = self._rewrite(conn, hh, th, state, now, version)
            if written:
                return MapRecord(handle, created_at, now + self._ttl, len(state)), result
            log.info("map_extend_retry")
            with self._write_lock:  # another process wrote first: retry holding the write lock
                conn.execute("BEGIN IMMEDIATE")
                try:
                    state, version, created_at = self._read(conn, hh, th)
                    result = mutate(state)
                    now = self._clock()
                    if not self._rewrite(conn, hh, th, state, now, version):
                        raise MapExpired("map expired")  # during the mutation: nothing is written
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            return MapRecord(handle, created_at, now + self._ttl, len(state)), result

    def _rewrite(
        self, conn: sqlite3.Connection, hh: bytes, th: bytes, state: ScrubState, now: float, version: int
    ) -> bool:
        """Seal ``state`` over the live map read at ``version``; False if it changed since."""
        kid, nonce, ciphertext = self._seal(state, hh + th)
        written: int = conn.execute(
            "UPDATE maps SET key_id = ?, nonce = ?, ciphertext = ?, version = version + 1, "
            "expires_at = ? WHERE handle_hash = ? AND version = ? AND ciphertext IS NOT NULL "
            "AND expires_at > ?",
            (kid, nonce, ciphertext, now + self._ttl, hh, version, now),
        ).rowcount
        return written == 1

    def load(self, handle: str, task_id: str) -> ScrubState:
        check_handle(handle)
        hh, th = handle_hash(handle), task_hash(task_id)
        with _store_errors("load"), self._conn() as conn:
            return self._read(conn, hh, th)[0]

    def sweep(self) -> int:
        now = self._clock()
        with _store_errors("sweep"), self._conn() as conn, self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                swept = conn.execute(
                    "UPDATE maps SET key_id = NULL, nonce = NULL, ciphertext = NULL "
                    "WHERE ciphertext IS NOT NULL AND expires_at <= ?",
                    (now,),
                ).rowcount
                conn.execute(
                    "DELETE FROM maps WHERE ciphertext IS NULL AND expires_at <= ?", (now - self._tombstone,)
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return swept

    def forget(self, handle: str, task_id: str) -> bool:
        check_handle(handle)
        hh, th = handle_hash(handle), task_hash(task_id)
        now = self._clock()
        # The handle lock first, as `extend` takes it: a running extension finishes, then its
        # map is erased (a later one, in any process, finds the tombstone: its CAS fails).
        with self._handle_locks.hold(hh), _store_errors("forget"), self._conn() as conn, self._write_lock:
            row = conn.execute(
                "SELECT task_hash, ciphertext IS NOT NULL AND expires_at > ? FROM maps WHERE handle_hash = ?",
                (now, hh),
            ).fetchone()
            if row is None:
                raise MapNotFound("no such map")
            stored_task, live = row
            if live and stored_task != th:
                log.info("map_task_mismatch")
                raise MapExpired("map bound to another task")
            # secure_delete zeroes the freed pages; key_id keeps the mark `forgotten` reads.
            conn.execute(
                "UPDATE maps SET key_id = ?, nonce = NULL, ciphertext = NULL, version = version + 1, "
                "expires_at = MIN(expires_at, ?) WHERE handle_hash = ?",
                (_FORGOTTEN, now, hh),
            )
        return bool(live)

    def forgotten(self, handle: str) -> bool:
        check_handle(handle)
        with _store_errors("forgotten"), self._conn() as conn:
            hh = handle_hash(handle)
            row = conn.execute("SELECT key_id FROM maps WHERE handle_hash = ?", (hh,)).fetchone()
        return row is not None and row[0] == _FORGOTTEN

    def check_ready(self) -> None:
        with _store_errors("ready"), self._conn() as conn, self._write_lock:
            conn.execute("SELECT 1 FROM maps LIMIT 1").fetchall()
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('ready_at', ?)", (str(self._clock()),))

    # -- introspection for operators and tests ----------------------------------------------

    def count(self) -> tuple[int, int]:
        """(live maps, tombstones)."""
        with _store_errors("count"), self._conn() as conn:
            row = conn.execute("SELECT COUNT(ciphertext), COUNT(*) - COUNT(ciphertext) FROM maps").fetchone()
        return int(row[0]), int(row[1])
