"""The SQLite map store (docs/architecture.md §7): file modes, encryption at rest, key rotation, TTL and
tombstones. What every backend promises (binding, concurrency) is in tests/store."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.crypto import KEY_FILE_NAME, Keyring, key_id, load_or_create_key_file, new_key
from app.settings import decode_key
from app.store import SQLiteMapStore, build_store
from redaction import ScrubState, scrub
from redaction.errors import MapExpired, MapNotFound, StoreError

from .conftest import SettingsFactory
from .fakes import Clock

CANARY = "Zebulon Quartermaine-Canary"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _state(*values: str) -> ScrubState:
    state = ScrubState()
    for value in values:
        scrub(value, known_entities={"persons": [value]}, state=state)
    return state


@pytest.fixture
def keyring() -> Keyring:
    return Keyring(os.urandom(32))


@pytest.fixture
def store(tmp_path: Path, keyring: Keyring) -> Iterator[SQLiteMapStore]:
    s = SQLiteMapStore(tmp_path / "data" / "maps.sqlite3", keyring, ttl_seconds=3600)
    s.open()
    try:
        yield s
    finally:
        s.close()


def test_directory_is_0700_and_database_and_sidecars_are_0600(tmp_path: Path, keyring: Keyring) -> None:
    old = os.umask(0o022)  # a permissive umask must not loosen anything
    try:
        s = SQLiteMapStore(tmp_path / "data" / "maps.sqlite3", keyring, ttl_seconds=60)
        s.open()
    finally:
        os.umask(old)
    try:
        s.create("t", _state(CANARY))
        db = s.path
        assert _mode(db.parent) == 0o700, "the data directory must be private (0700)"
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            assert path.exists(), f"{path.name} should exist while the store is open"
            assert _mode(path) == 0o600, f"{path.name} must be 0600"
    finally:
        s.close()


def test_open_tightens_files_left_with_loose_modes(tmp_path: Path, keyring: Keyring) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    db = data / "maps.sqlite3"
    db.touch(mode=0o644)
    db.chmod(0o644)
    s = SQLiteMapStore(db, keyring, ttl_seconds=60)
    s.open()
    s.close()
    assert _mode(data) == 0o700
    assert _mode(db) == 0o600


def test_key_file_is_created_0600_once_and_reused(make_settings: SettingsFactory, data_dir: Path) -> None:
    settings = make_settings()
    first = Keyring.from_settings(settings)
    key_file = data_dir / KEY_FILE_NAME
    assert _mode(key_file) == 0o600
    assert _mode(data_dir) == 0o700
    assert Keyring.from_settings(settings).current_id == first.current_id
    assert first.current_id == key_id(decode_key(key_file.read_text()))


def test_key_file_with_loose_mode_is_tightened(data_dir: Path) -> None:
    key = load_or_create_key_file(data_dir / KEY_FILE_NAME)
    (data_dir / KEY_FILE_NAME).chmod(0o644)
    assert load_or_create_key_file(data_dir / KEY_FILE_NAME) == key
    assert _mode(data_dir / KEY_FILE_NAME) == 0o600


def test_maps_are_encrypted_at_rest(store: SQLiteMapStore) -> None:
    record = store.create("task-1", _state(CANARY))
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir() if p.is_file())
    for needle in (CANARY.encode(), CANARY.encode("utf-16-le"), record.handle.encode(), b"task-1"):
        assert needle not in raw, "the store files must hold no value, handle or task id in plaintext"
    assert store.load(record.handle, "task-1").token_map == _state(CANARY).token_map


def test_a_ciphertext_moved_to_another_handle_does_not_decrypt(store: SQLiteMapStore) -> None:
    a = store.create("task", _state(CANARY))
    b = store.create("task", _state("Someone Else"))
    with sqlite3.connect(store.path) as db:
        rows = dict(db.execute("SELECT handle_hash, ciphertext FROM maps").fetchall())
        (_, blob_first), (hash_second, _) = rows.items()
        db.execute("UPDATE maps SET ciphertext = ? WHERE handle_hash = ?", (blob_first, hash_second))
    db.close()
    # One of the two rows now carries the other's blob; AES-GCM's associated data refuses it.
    failures = 0
    for handle in (a.handle, b.handle):
        try:
            store.load(handle, "task")
        except StoreError:
            failures += 1
    assert failures == 1, "a ciphertext moved onto another handle must fail authentication"


def test_key_rotation_keeps_old_maps_readable_and_rewrites_under_the_new_key(tmp_path: Path) -> None:
    old_key, new = os.urandom(32), os.urandom(32)
    path = tmp_path / "data" / "maps.sqlite3"
    before = SQLiteMapStore(path, Keyring(old_key), ttl_seconds=3600)
    before.open()
    record = before.create("t", _state(CANARY))
    before.close()

    after = SQLiteMapStore(path, Keyring(new, [old_key]), ttl_seconds=3600)
    after.open()
    try:
        assert CANARY in after.load(record.handle, "t").token_map.values()
        after.extend(
            record.handle, "t", lambda s: scrub("Jane Doe", known_entities={"persons": ["Jane Doe"]}, state=s)
        )
        with sqlite3.connect(path) as db:
            (kid,) = db.execute("SELECT key_id FROM maps").fetchone()
        db.close()
        assert kid == key_id(new), "an extended map must be re-encrypted under the current key"
    finally:
        after.close()

    without_old = SQLiteMapStore(path, Keyring(os.urandom(32)), ttl_seconds=3600)
    without_old.open()
    try:
        with pytest.raises(StoreError):
            without_old.load(record.handle, "t")
    finally:
        without_old.close()


def test_settings_keys_env_key_plus_old_keys(make_settings: SettingsFactory) -> None:
    current, old = new_key(), new_key()
    ring = Keyring.from_settings(make_settings(map_key=current, map_old_keys=f" {old} ,"))
    assert ring.key_ids == (key_id(decode_key(current)), key_id(decode_key(old)))


def test_switching_from_key_file_to_env_key_keeps_file_key_readable(make_settings: SettingsFactory) -> None:
    file_ring = Keyring.from_settings(make_settings())
    env_ring = Keyring.from_settings(make_settings(map_key=new_key()))
    assert file_ring.current_id in env_ring.key_ids[1:]


def test_unknown_expired_and_mismatched_handles(tmp_path: Path, keyring: Keyring) -> None:
    clock = Clock()
    s = SQLiteMapStore(tmp_path / "m.sqlite3", keyring, ttl_seconds=10, clock=clock, tombstone_seconds=100)
    s.open()
    try:
        record = s.create("t", _state(CANARY))
        for handle in ("", "x" * 65, "../etc/passwd", "'; DROP TABLE maps; --", "a b", "\x00", "é" * 10):
            with pytest.raises(MapNotFound):
                s.load(handle, "t")
        with pytest.raises(MapNotFound):
            s.load("A" * 32, "t")
        with pytest.raises(MapExpired):
            s.load(record.handle, "other-task")
        clock.now += 10
        with pytest.raises(MapExpired):
            s.load(record.handle, "t")
        assert s.sweep() == 1
        assert s.count() == (0, 1)
        with pytest.raises(MapExpired):
            s.extend(record.handle, "t", lambda state: None)
        clock.now += 100
        s.sweep()
        assert s.count() == (0, 0)
        with pytest.raises(MapNotFound):
            s.load(record.handle, "t")
    finally:
        s.close()


def test_swept_maps_leave_no_ciphertext_behind(tmp_path: Path, keyring: Keyring) -> None:
    clock = Clock()
    s = SQLiteMapStore(tmp_path / "m.sqlite3", keyring, ttl_seconds=10, clock=clock)
    s.open()
    try:
        record = s.create("t", _state(CANARY))
        with sqlite3.connect(s.path) as db:
            (blob,) = db.execute("SELECT ciphertext FROM maps").fetchone()
        db.close()
        clock.now += 11
        s.sweep()
    finally:
        s.close()  # checkpoints the WAL into the database file
    assert blob[:16] not in s.path.read_bytes(), "secure_delete must zero the swept ciphertext"
    assert record.handle


def test_unwritable_store_is_store_error(tmp_path: Path, keyring: Keyring) -> None:
    s = SQLiteMapStore(tmp_path / "m.sqlite3", keyring, ttl_seconds=60)
    s.open()
    try:
        with sqlite3.connect(s.path) as db:
            db.execute("DROP TABLE maps")
        db.close()
        with pytest.raises(StoreError):
            s.create("t", ScrubState())
        with pytest.raises(StoreError):
            s.check_ready()
    finally:
        s.close()


def test_store_url_sqlite_path(make_settings: SettingsFactory, tmp_path: Path) -> None:
    settings = make_settings(store_url=f"sqlite:///{tmp_path}/elsewhere/maps.db")
    assert settings.sqlite_path() == tmp_path / "elsewhere" / "maps.db"


def test_a_shared_directory_named_by_the_store_url_is_never_chmodded(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    store = build_store(make_settings(store_url=f"sqlite:///{shared}/maps.db"))
    store.open()
    try:
        assert _mode(shared) == 0o755, "a directory the service does not own must not be changed"
        assert _mode(shared / "maps.db") == 0o600
    finally:
        store.close()


def test_a_map_expiring_during_a_contended_extension_is_expired_not_extended(
    tmp_path: Path, keyring: Keyring
) -> None:
    clock = Clock()
    path = tmp_path / "maps.sqlite3"
    mine = SQLiteMapStore(path, keyring, ttl_seconds=10, clock=clock)
    theirs = SQLiteMapStore(path, keyring, ttl_seconds=10, clock=clock)  # another process
    mine.open()
    theirs.open()
    try:
        record = mine.create("t", _state(CANARY))
        calls = 0

        def racing(state: ScrubState) -> None:
            nonlocal calls
            calls += 1
            if calls == 1:  # lose the compare-and-swap: the retry runs under the write lock
                theirs.extend(record.handle, "t", lambda s: None)
            else:
                clock.now += 11  # the map expires while the retry scrubs
            scrub("Jane Doe", known_entities={"persons": ["Jane Doe"]}, state=state)

        with pytest.raises(MapExpired):
            mine.extend(record.handle, "t", racing)
        clock.now -= 11
        assert dict(mine.load(record.handle, "t").token_map) == {"[PERSON_1]": CANARY}, (
            "nothing may be written"
        )
    finally:
        mine.close()
        theirs.close()
