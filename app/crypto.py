"""Encryption of the pseudonym map at rest: an AES-256-GCM keyring.

- One *current* key encrypts every write; *old* keys are still accepted for reading, so a key
  can be rotated while maps written under the previous one stay readable until they expire
  (a map extended after the rotation is re-encrypted under the new key).
- A key's id is the first 8 hex characters of its sha256: stored beside each record so the
  right key is found without trial decryption, and safe to log.
- Each write derives a fresh AES key from the master key and a random 16-byte salt
  (HMAC-SHA256), then encrypts with a random 12-byte nonce. Random 96-bit nonces under one
  AES-GCM key must stay below ~2^32 messages; the per-write subkey removes that ceiling.
- The associated data binds a ciphertext to its record (handle hash, task hash, key id): a
  blob copied onto another handle's row fails authentication instead of decrypting.

The key comes from ``REDACTION_MAP_KEY`` (base64 of 32 bytes) or, when that is unset, from
``DATA_DIR/map.key``, created with mode 0600 on first run. Losing the key makes every live
map unreadable (``store_unavailable``); nothing else is lost.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from redaction.errors import StoreError

from .settings import Settings, decode_key

__all__ = ["KEY_FILE_NAME", "Keyring", "ensure_private_dir", "key_id", "load_or_create_key_file", "new_key"]

KEY_FILE_NAME = "map.key"
_SALT_BYTES = 16
_NONCE_BYTES = 12
_SUBKEY_LABEL = b"redaction-gateway map v1\x00"
_AAD_LABEL = b"redaction-gateway map record v1\x00"

log = logging.getLogger("redaction_gateway.crypto")


def key_id(key: bytes) -> str:
    """First 8 hex characters of sha256(key): identifies a key without revealing it."""
    return hashlib.sha256(key).hexdigest()[:8]


def new_key() -> str:
    """A fresh random key as base64 text, suitable for ``REDACTION_MAP_KEY``."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class Keyring:
    """The current key plus old keys accepted for reading. Immutable and thread-safe."""

    __slots__ = ("_keys", "current_id")

    def __init__(self, current: bytes, old: Iterable[bytes] = ()) -> None:
        if len(current) != 32:
            raise ValueError("a map key must be 32 bytes")
        self.current_id = key_id(current)
        self._keys: dict[str, bytes] = {self.current_id: current}
        for key in old:
            if len(key) != 32:
                raise ValueError("a map key must be 32 bytes")
            self._keys.setdefault(key_id(key), key)

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id this keyring can read, the current one first."""
        return tuple(self._keys)

    def _aad(self, context: bytes, kid: str) -> bytes:
        return _AAD_LABEL + kid.encode("ascii") + b"\x00" + context

    def encrypt(self, plaintext: bytes, context: bytes) -> tuple[str, bytes, bytes]:
        """(key id, salt+nonce, ciphertext) under the current key.

        ``context`` (the record's identity: handle hash and task hash) is authenticated, not
        stored in the ciphertext: decryption must present the same context.
        """
        kid = self.current_id
        salt = secrets.token_bytes(_SALT_BYTES)
        nonce = secrets.token_bytes(_NONCE_BYTES)
        subkey = hmac.digest(self._keys[kid], _SUBKEY_LABEL + salt, "sha256")
        return kid, salt + nonce, AESGCM(subkey).encrypt(nonce, plaintext, self._aad(context, kid))

    def decrypt(self, kid: str, salt_nonce: bytes, ciphertext: bytes, context: bytes) -> bytes:
        """The plaintext, or `StoreError` for an unknown key id or a record that fails
        authentication (tampered, moved to another handle, or written under another key)."""
        key = self._keys.get(kid)
        if key is None:
            log.error("map_key_unknown", extra={"key_id": kid})
            raise StoreError("map record written under a key this service does not hold")
        if len(salt_nonce) != _SALT_BYTES + _NONCE_BYTES:
            raise StoreError("map record is malformed")
        salt, nonce = salt_nonce[:_SALT_BYTES], salt_nonce[_SALT_BYTES:]
        subkey = hmac.digest(key, _SUBKEY_LABEL + salt, "sha256")
        try:
            return AESGCM(subkey).decrypt(nonce, ciphertext, self._aad(context, kid))
        except InvalidTag:
            log.error("map_record_unauthenticated", extra={"key_id": kid})
            raise StoreError("map record failed authentication") from None

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        """``REDACTION_MAP_KEY`` (+ ``REDACTION_MAP_OLD_KEYS``), else the data dir's key file.

        With an explicit key, an existing key file is still read as an old key, so switching
        from the file to the environment keeps every live map readable.
        """
        current, old = settings.map_keys()
        key_file = settings.data_dir / KEY_FILE_NAME
        if current is None:
            current = load_or_create_key_file(key_file)
        elif key_file.exists():
            old = (*old, load_or_create_key_file(key_file))
        return cls(current, old)


def ensure_private_dir(path: Path, *, tighten: bool = True) -> None:
    """Create ``path`` (and parents) as 0700. An existing directory open to group or others
    is tightened to 0700 with a warning, or, with ``tighten=False`` (a directory that is not
    ours alone, e.g. the parent of a database named by ``REDACTION_STORE_URL``), only warned
    about."""
    old_umask = os.umask(0o077)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    finally:
        os.umask(old_umask)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode != 0o700 and tighten:
        log.warning("data_dir_mode_tightened", extra={"mode": oct(mode)})
        path.chmod(0o700)
    elif mode & 0o077:
        log.warning("store_dir_mode_open", extra={"mode": oct(mode)})


def load_or_create_key_file(path: Path) -> bytes:
    """Read the key file, or create it (0600, atomically) with a fresh key on first run.

    An existing file readable by group or others is tightened to 0600 with a warning. Two
    processes starting at once agree on one key: the file appears whole via `os.link`, and
    the loser of the race reads the winner's key.
    """
    ensure_private_dir(path.parent)
    if not path.exists():
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (new_key() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
            log.info("map_key_created", extra={"key_file": path.name})
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("map_key_mode_tightened", extra={"mode": oct(mode)})
        path.chmod(0o600)
    try:
        return decode_key(path.read_text(encoding="ascii"))
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"{path} does not hold a base64 32-byte key") from None
