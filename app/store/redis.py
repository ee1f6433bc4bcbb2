"""The scale-out map store: maps in Redis, shared by every replica of the service (docs/architecture.md §7).

Keys (``NS`` is ``REDACTION_REDIS_NAMESPACE``, ``H`` the hex of `handle_hash`, so no key reveals a
live handle; the braces are a Redis Cluster hash tag that keeps one map's keys in one slot)::

    NS:map:{H}    hash    task (sha256 of the task_id), kid, nonce, ct (AES-GCM of the ScrubState
                          JSON), ver (bumped by every write), created, expires    TTL: the map's
    NS:gone:{H}   string  the map existed: a late caller hears map_expired, not unknown_map_handle
                          ("forgotten" once POST /forget erased the map: its hash is deleted)
                                                              TTL: the map's + TOMBSTONE_SECONDS
    NS:turn:{H}   string  the token of the writer whose turn it is to commit (see below)
    NS:keycheck   hash    key id -> until (ms, Redis time): the keys replicas seal maps under
    NS:ready      string  written by readiness checks (proves the server takes writes)

Records are sealed exactly as in SQLite (`app.crypto.Keyring`, associated data = handle hash +
task hash): Redis, its AOF and its RDB snapshots hold ciphertext and hashes only. Expiry is
Redis's own (``PEXPIRE``): nothing to sweep, and the replicas' clocks do not matter.

Concurrency. `extend` reads the map, runs the caller's mutation with no connection held, and
commits with a Lua compare-and-swap on ``ver``; if another replica committed first, the mutation
re-runs on the fresh map. The version check alone keeps the map bijective. So that no writer
starves, one that lost a round takes the map's *turn* (a key with a lease); while another
writer's turn is set, commits fail, so the holder commits next. In one process, extensions of
one map queue on a lock (`HandleLocks`) and never race each other. Every script is idempotent:
a create or commit whose reply was lost, and which redis-py re-sends after reconnecting, finds
its own ciphertext and succeeds instead of reporting a conflict; a re-sent take of the turn
finds its own token.

Safety checks, by `check_ready` and before other operations at most every ``guard_seconds``:

- ``maxmemory-policy`` must be ``noeviction``. Every map has a TTL, so even the ``volatile-*``
  policies could evict a live map, and a map lost that way looks to callers like one that never
  existed. Under ``noeviction`` a full Redis refuses writes, which is a 503 here.
- Every key another replica announced within `ANNOUNCE_SECONDS` must be one this replica holds.
  Each replica that passes this check announces the id of its current key in ``NS:keycheck``;
  the check and the announcement are one Lua script, and expiry is judged by Redis's clock. A
  replica started with another key is refused instead of failing on every map the others
  wrote. It announces nothing, so the others keep serving. (If the misconfigured replica is
  the only one running, it is the one that announces; the correct ones that start next are
  refused until it stops and its announcement lapses, within `ANNOUNCE_SECONDS`.) Key
  rotation works as in SQLite: add the new key to ``REDACTION_MAP_OLD_KEYS`` everywhere
  first, then make it current. A replica that skipped the first step goes unready as soon as
  one replica seals under the new key, and those are exactly the maps it could not read.

Either check failing is `StoreError` (503 ``store_unavailable``), as is every redis-py error
(refused connection, timeout, exhausted pool, OOM, READONLY replica); the redis-py message is
not carried, since it can name the server. Connecting, each command and waiting for a pooled
connection are bounded by ``timeout_s``. A dropped connection is retried once, because a
restarted Redis leaves stale connections in the pool. So a Redis that comes back is used again
without restarting the service.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from redaction import ScrubState
from redaction.errors import MapExpired, MapNotFound, StoreError

from ..crypto import Keyring
from .base import HandleLocks, MapRecord, check_handle, handle_hash, new_map_keys, task_hash, unseal

__all__ = ["ANNOUNCE_SECONDS", "SAFE_EVICTION_POLICY", "TOMBSTONE_SECONDS", "RedisMapStore"]

T = TypeVar("T")

TOMBSTONE_SECONDS = 7 * 86400  # as SQLite's: how long an expired handle still says map_expired
SAFE_EVICTION_POLICY = "noeviction"
_MAX_ATTEMPTS = 8  # mutations before giving up; with the turn, a second one rarely loses
_TURN_SECONDS = 10.0  # lease on a map's turn: covers a long mutation, frees a crashed holder
_TURN_WAIT_SECONDS = 0.002  # polling while another writer has the turn
ANNOUNCE_SECONDS = 30.0  # a replica's key announcement outlives its last check by this much
_FAILURE_HOLD_SECONDS = 1.0  # a failed safety check answers at once for this long, unless forced

log = logging.getLogger("redaction_gateway.store")

# KEYS: map, gone. ARGV: task, kid, nonce, ct, created, expires, ttl_ms, gone_ms.
# 1: created (or found already created by this very call); 0: the handle is taken.
_CREATE = """
local ct = redis.call('HGET', KEYS[1], 'ct')
if ct then
  if ct == ARGV[4] then return 1 end
  return 0
end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'task', ARGV[1], 'kid', ARGV[2], 'nonce', ARGV[3], 'ct', ARGV[4],
           'ver', '1', 'created', ARGV[5], 'expires', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[8])
return 1
"""

# KEYS: map, gone, turn. ARGV: version read, kid, nonce, ct, expires, ttl_ms, gone_ms, turn token.
# 1: committed (or found committed by this very call); 0: conflict, retry; -1: the map is gone.
_COMMIT = """
local cur = redis.call('HMGET', KEYS[1], 'ver', 'ct')
if not cur[1] then return -1 end
if cur[2] == ARGV[4] then return 1 end
local turn = redis.call('GET', KEYS[3])
if cur[1] ~= ARGV[1] or (turn and turn ~= ARGV[8]) then return 0 end
redis.call('HSET', KEYS[1], 'kid', ARGV[2], 'nonce', ARGV[3], 'ct', ARGV[4],
           'ver', tostring(tonumber(cur[1]) + 1), 'expires', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[7])
if turn then redis.call('DEL', KEYS[3]) end
return 1
"""

# KEYS: turn. ARGV: token, lease_ms. 1: the turn is ours (taken now, or by this very call before
# its reply was lost); 0: another writer has it.
_TAKE_TURN = """
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then return 1 end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

# KEYS: keycheck. ARGV: lifetime_ms, our current key id, then every key id we hold.
# Empty after announcing our current key; else the live key ids we do not hold (and nothing is
# announced). Expiry is judged by Redis's clock. A full Redis refuses the writes: the check
# still answers, so reads go on (writes fail on their own).
_ANNOUNCE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = {}
for i = 2, #ARGV do held[ARGV[i]] = true end
local entries = redis.call('HGETALL', KEYS[1])
local foreign = {}
for i = 1, #entries, 2 do
  local until_ms = tonumber(entries[i + 1])
  if not until_ms or until_ms <= now then
    redis.pcall('HDEL', KEYS[1], entries[i])
  elseif not held[entries[i]] then
    foreign[#foreign + 1] = entries[i]
  end
end
if #foreign > 0 then return foreign end
redis.pcall('HSET', KEYS[1], ARGV[2], string.format('%.0f', now + tonumber(ARGV[1])))
redis.pcall('PEXPIRE', KEYS[1], ARGV[1])
return foreign
"""

# KEYS: map, gone, turn. ARGV: task hash, gone_ms. 1: erased; 0: gone already (the tombstone
# now says forgotten); -1: never existed; -2: bound to another task (nothing erased).
_FORGET = """
local task = redis.call('HGET', KEYS[1], 'task')
if task then
  if task ~= ARGV[1] then return -2 end
  redis.call('DEL', KEYS[1], KEYS[3])
  redis.call('SET', KEYS[2], 'forgotten', 'PX', ARGV[2])
  return 1
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('SET', KEYS[2], 'forgotten', 'KEEPTTL')
  return 0
end
return -1
"""

# KEYS: turn. ARGV: token. Deletes the turn only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@contextmanager
def _store_errors(op: str) -> Iterator[None]:
    """Turn redis-py failures into `StoreError`, without their message."""
    try:
        yield
    except (redis.RedisError, OSError) as exc:
        log.error("store_error", extra={"op": op, "exc_type": type(exc).__name__})
        raise StoreError(f"map store failed during {op}") from None


def _as_bytes(reply: Any) -> list[bytes | None]:
    """An ``HMGET`` reply (bytes: the client never decodes), typed."""
    fields = list(reply)
    if not all(f is None or isinstance(f, bytes) for f in fields):
        raise StoreError("unexpected reply from Redis")
    return fields


class RedisMapStore:
    """`MapStore` over one Redis server (a primary). Thread-safe; any number of service
    processes may share it under one namespace."""

    def __init__(
        self,
        url: str,
        keyring: Keyring,
        *,
        ttl_seconds: float,
        namespace: str = "redaction",
        timeout_s: float = 1.0,
        max_connections: int = 16,
        clock: Callable[[], float] = time.time,
        tombstone_seconds: float = TOMBSTONE_SECONDS,
        guard_seconds: float = 5.0,
        announce_seconds: float = ANNOUNCE_SECONDS,
    ) -> None:
        # Raises ValueError for a malformed URL, before anything connects.
        self._pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=timeout_s,  # waiting for a free pooled connection
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
            retry=Retry(ExponentialBackoff(cap=0.05, base=0.005), 1, (redis.ConnectionError,)),
        )
        self._redis = redis.Redis(connection_pool=self._pool)
        self._create = self._redis.register_script(_CREATE)
        self._commit = self._redis.register_script(_COMMIT)
        self._release = self._redis.register_script(_RELEASE)
        self._take = self._redis.register_script(_TAKE_TURN)
        self._announce = self._redis.register_script(_ANNOUNCE)
        self._forget = self._redis.register_script(_FORGET)
        self._keyring = keyring
        self._ns = namespace
        self._ttl_ms = max(1, round(ttl_seconds * 1000))
        self._gone_ms = self._ttl_ms + round(tombstone_seconds * 1000)
        self._clock = clock
        self._guard_seconds = guard_seconds
        self._announce_ms = round(announce_seconds * 1000)
        self._guard_lock = threading.Lock()
        self._guarded_until = 0.0  # time.monotonic() until which the safety checks stand
        self._failed_until = 0.0  # ... until which the last failure stands
        self._failure = ""
        self._handle_locks = HandleLocks()
        self._open = False

    # -- keys -------------------------------------------------------------------------------

    def _keys(self, hh: bytes) -> tuple[str, str, str]:
        tag = "{" + hh.hex() + "}"
        return f"{self._ns}:map:{tag}", f"{self._ns}:gone:{tag}", f"{self._ns}:turn:{tag}"

    # -- lifecycle --------------------------------------------------------------------------

    def open(self) -> None:
        """Mark the store usable. An unreachable Redis does not stop start-up: the service
        starts unready (503) and serves as soon as Redis answers."""
        self._open = True
        try:
            self._guard(force=True)
            with _store_errors("open"):
                persistence = self._redis.info("persistence")
        except StoreError:
            log.warning("store_unavailable_at_start")
            return
        if not persistence.get("aof_enabled"):
            # Not refused (snapshots may be enough for some), but a restart loses recent maps.
            log.warning("redis_append_only_file_off")

    def close(self) -> None:
        self._open = False
        self._pool.disconnect()

    # -- safety checks ----------------------------------------------------------------------

    def _guard(self, *, force: bool = False) -> None:
        """Raise `StoreError` unless the store is open, Redis cannot evict maps, and this
        replica holds every key the others seal under. A pass stands for ``guard_seconds``, a
        failure for `_FAILURE_HOLD_SECONDS` (threads do not queue to repeat it); ``force``
        (readiness) checks anew."""
        if not self._open:
            raise StoreError("the map store is closed")
        if not force and self._standing():
            return
        with self._guard_lock:
            if not force and self._standing():
                return  # another thread has just checked
            try:
                with _store_errors("guard"):
                    policy = str(self._redis.info("memory").get("maxmemory_policy", ""))
                    if policy != SAFE_EVICTION_POLICY:
                        log.error("redis_eviction_policy_unsafe", extra={"policy": policy[:40]})
                        raise StoreError("Redis may evict maps: its maxmemory-policy must be noeviction")
                    self._check_keys()
            except StoreError as exc:
                self._guarded_until = 0.0
                self._failed_until = time.monotonic() + _FAILURE_HOLD_SECONDS
                self._failure = str(exc)
                raise
            self._guarded_until = time.monotonic() + self._guard_seconds
            self._failed_until = 0.0

    def _standing(self) -> bool:
        """True while the last pass stands; raises while the last failure stands."""
        now = time.monotonic()
        if now < self._guarded_until:
            return True
        if now < self._failed_until:
            raise StoreError(self._failure)
        return False

    def _check_keys(self) -> None:
        """Atomically: refuse if another replica announced, within `ANNOUNCE_SECONDS`, a key
        this one does not hold; else announce ours. A refused replica announces nothing."""
        ring = self._keyring
        args: list[str | int] = [self._announce_ms, ring.current_id, *ring.key_ids]
        foreign = self._announce(keys=[f"{self._ns}:keycheck"], args=args)
        if foreign:
            kid = bytes(foreign[0]).decode("ascii", "replace")[:8]
            log.error("map_key_not_held", extra={"key_id": kid})
            raise StoreError("other replicas seal maps under a key this one does not hold")

    def check_ready(self) -> None:
        self._guard(force=True)
        with _store_errors("ready"):
            self._redis.set(f"{self._ns}:ready", repr(self._clock()), px=60_000)

    # -- records ----------------------------------------------------------------------------

    def _read(self, hh: bytes, th: bytes) -> tuple[ScrubState, bytes, float]:
        """(state, version, created_at) of a live map bound to ``th``; raises otherwise."""
        map_key, gone_key, _ = self._keys(hh)
        pipe = self._redis.pipeline(transaction=False)
        pipe.hmget(map_key, "task", "kid", "nonce", "ct", "ver", "created")
        pipe.exists(gone_key)
        fields, gone = pipe.execute()
        task, kid, nonce, ct, version, created = _as_bytes(fields)
        if kid is None or nonce is None or ct is None or version is None or created is None:
            raise MapExpired("map expired") if gone else MapNotFound("no such map")
        try:
            key, created_at = kid.decode("ascii"), float(created)
        except (UnicodeError, ValueError):
            raise StoreError("map record is malformed") from None
        return unseal(self._keyring, key, nonce, ct, hh, task or b"", th), version, created_at

    def create(self, task_id: str, state: ScrubState, *, handle: str | None = None) -> MapRecord:
        handle, hh, th = new_map_keys(handle, task_id)
        self._guard()
        kid, nonce, ct = self._keyring.encrypt(state.to_json().encode("ascii"), hh + th)
        map_key, gone_key, _ = self._keys(hh)
        now = self._clock()
        expires = now + self._ttl_ms / 1000
        with _store_errors("create"):
            args: list[Any] = [th, kid, nonce, ct, repr(now), repr(expires), self._ttl_ms, self._gone_ms]
            created = self._create(keys=[map_key, gone_key], args=args)
        if created != 1:
            raise StoreError("a map with this handle exists already")
        return MapRecord(handle, now, expires, len(state))

    def extend(self, handle: str, task_id: str, mutate: Callable[[ScrubState], T]) -> tuple[MapRecord, T]:
        check_handle(handle)
        self._guard()
        hh, th = handle_hash(handle), task_hash(task_id)
        map_key, gone_key, turn_key = self._keys(hh)
        token = ""  # ours once we have the map's turn
        with self._handle_locks.hold(hh):
            try:
                for _ in range(_MAX_ATTEMPTS):
                    with _store_errors("extend"):
                        state, version, created = self._read(hh, th)
                    result = mutate(state)
                    kid, nonce, ct = self._keyring.encrypt(state.to_json().encode("ascii"), hh + th)
                    expires = self._clock() + self._ttl_ms / 1000
                    args: list[Any] = [
                        version,
                        kid,
                        nonce,
                        ct,
                        repr(expires),
                        self._ttl_ms,
                        self._gone_ms,
                        token,
                    ]
                    with _store_errors("extend"):
                        outcome = self._commit(keys=[map_key, gone_key, turn_key], args=args)
                        if outcome == 1:
                            return MapRecord(handle, created, expires, len(state)), result
                        if outcome == -1:
                            raise MapExpired("map expired")
                        log.info("map_extend_retry", extra={"op": "extend"})
                        token = token or self._take_turn(turn_key)
            finally:
                if token:
                    with contextlib.suppress(StoreError), _store_errors("extend"):
                        self._release(keys=[turn_key], args=[token])  # its lease would free it too
        raise StoreError("map is being extended by other replicas; try again")

    def _take_turn(self, turn_key: str) -> str:
        """Wait until no other writer has the map's turn and take it: our token, or "" if the
        holder kept it past its lease (then we compete without it)."""
        token = secrets.token_hex(16)
        deadline = time.monotonic() + _TURN_SECONDS
        while time.monotonic() < deadline:
            if self._take(keys=[turn_key], args=[token, round(_TURN_SECONDS * 1000)]) == 1:
                return token
            time.sleep(_TURN_WAIT_SECONDS)  # the holder is about to commit
        return ""

    def load(self, handle: str, task_id: str) -> ScrubState:
        check_handle(handle)
        self._guard()
        hh, th = handle_hash(handle), task_hash(task_id)
        with _store_errors("load"):
            return self._read(hh, th)[0]

    def sweep(self) -> int:
        """Nothing to do: Redis expires maps and tombstones itself."""
        return 0

    def forget(self, handle: str, task_id: str) -> bool:
        check_handle(handle)
        self._guard()
        hh, th = handle_hash(handle), task_hash(task_id)
        map_key, gone_key, turn_key = self._keys(hh)
        with _store_errors("forget"):
            outcome = self._forget(keys=[map_key, gone_key, turn_key], args=[th, self._gone_ms])
        if outcome == -1:
            raise MapNotFound("no such map")
        if outcome == -2:
            log.info("map_task_mismatch")
            raise MapExpired("map bound to another task")
        return bool(outcome == 1)

    def forgotten(self, handle: str) -> bool:
        check_handle(handle)
        self._guard()
        _, gone_key, _ = self._keys(handle_hash(handle))
        with _store_errors("forgotten"):
            return bool(self._redis.get(gone_key) == b"forgotten")

    # -- introspection for operators and tests ----------------------------------------------

    def count(self) -> tuple[int, int]:
        """(live maps, tombstones) in this namespace: a SCAN, meant for operators and tests."""
        self._guard()
        with _store_errors("count"):
            live = sum(1 for _ in self._redis.scan_iter(match=f"{self._ns}:map:*", count=1000))
            known = sum(1 for _ in self._redis.scan_iter(match=f"{self._ns}:gone:*", count=1000))
        return live, known - live
