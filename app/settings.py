"""Service settings: the environment variables of docs/architecture.md §10, validated at start-up.

Every setting is read from a ``REDACTION_``-prefixed environment variable (names are stable:
deployments rely on them) or from an optional ``.env`` file in the working directory; the
environment wins over ``.env``, and an empty variable counts as unset. Insecure or malformed
values refuse to start the service (`pydantic.ValidationError` at construction), never at
first use:

- a bind address that is not loopback unless ``REDACTION_ALLOW_PUBLIC_BIND=true``;
- a map key (current or old) that is not base64 of exactly 32 bytes;
- a caller API key shorter than 16 characters, or not printable ASCII without spaces;
- an LLM base URL or a provider upstream URL that is not ``http(s)://``; a store URL of an
  unknown scheme;
- a Redis namespace outside ``[A-Za-z0-9_.-]`` (it becomes part of every key);
- spaCy entities outside `SPACY_ENTITY_LABELS`, recognizer names that are not class names;
- a policy file (``REDACTION_POLICY_FILE``) that cannot be read or fails validation
  (`app.policy_file`: the message names profile, key, rule and line, never a term or pattern).

Secrets (`map_key`, `map_old_keys`, `audit_key`, `api_key`, `llm_api_key`, and `store_url`, which may carry
a Redis password) are `SecretStr`: their ``repr`` never shows
the value.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["LOOPBACK_HOSTS", "SPACY_ENTITY_LABELS", "Settings", "decode_key", "is_loopback"]

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_MIN_API_KEY_CHARS = 16
# The presidio entities the embedded layer may propose, and the engine label each becomes.
SPACY_ENTITY_LABELS: Mapping[str, str] = {
    "PERSON": "PERSON",
    "ORGANIZATION": "ORG",
    "LOCATION": "LOC",
    "NRP": "ORG",  # nationalities, religious and political groups (spaCy's NORP)
}
_RECOGNIZER_NAME = re.compile(r"[A-Z][A-Za-z0-9]{0,80}Recognizer")
_REDIS_NAMESPACE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _comma_list(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any loopback IP literal (127.0.0.0/8, ::1)."""
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def decode_key(value: str) -> bytes:
    """A 32-byte AES-256 key from its base64 text (standard or URL-safe alphabet).

    Raises `ValueError` (never echoing the value) unless it decodes to exactly 32 bytes.
    """
    text = value.strip()
    try:
        raw = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a map key must be base64 of 32 bytes") from None
    if len(raw) != 32:
        raise ValueError("a map key must be base64 of 32 bytes")
    return raw


class Settings(BaseSettings):
    """The service configuration. Construct with keyword arguments to override the environment
    (tests pass ``_env_file=None`` to ignore a local ``.env``)."""

    model_config = SettingsConfigDict(
        env_prefix="REDACTION_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",  # other REDACTION_* variables (e.g. test switches) are not ours to refuse
        frozen=True,
        hide_input_in_errors=True,  # a rejected secret must not appear in the start-up error
    )

    # -- bind (docs/architecture.md §8: loopback unless told otherwise) --
    host: str = "127.0.0.1"
    port: int = Field(default=8787, ge=0, le=65535)
    allow_public_bind: bool = False

    # -- map store (docs/architecture.md §7) --
    data_dir: Path = Path("./data")
    store_url: SecretStr | None = None  # redis://:PASSWORD@host: never shown by repr or errors
    map_key: SecretStr | None = None
    map_old_keys: SecretStr | None = None  # comma-separated base64 keys still accepted for reading
    map_ttl_seconds: int = Field(default=7200, ge=1, le=30 * 86400)
    sweep_interval_seconds: float = Field(default=60.0, gt=0, le=86400)
    # Redis only (app.store.redis): the key prefix shared by every replica of one deployment,
    # and the bound on connecting, on one command, and on waiting for a pooled connection.
    redis_namespace: str = "redaction"
    redis_timeout_seconds: float = Field(default=1.0, gt=0, le=60)

    # -- callers and limits --
    api_key: SecretStr | None = None
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    max_items: int = Field(default=256, ge=1, le=100_000)
    max_item_chars: int = Field(default=1_000_000, ge=1, le=100_000_000)
    # Rehydrated text one /rehydrate request or one stream may produce (UTF-8 bytes, all items
    # together): a small request naming a long value many times cannot grow without bound.
    max_output_bytes: int = Field(default=16 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    worker_threads: int = Field(default=8, ge=1, le=256)  # threads that run the engine and store
    # Caller dictionaries (413 `known_entities` / `known_entities_chars` above), and the memory
    # the compiled ones of recent requests may keep (estimated bytes, not a count).
    max_known_entities: int = Field(default=100_000, ge=1, le=10_000_000)
    max_known_entities_chars: int = Field(default=4_000_000, ge=1, le=1_000_000_000)
    known_entities_cache_bytes: int = Field(default=256 * 1024 * 1024, ge=0, le=64 * 1024**3)
    # Slow clients (app.connections, app.middleware): seconds to send a request head, seconds
    # to send the whole body after it, and open connections per process (503 beyond).
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    body_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    max_connections: int = Field(default=1000, ge=1, le=1_000_000)

    # -- streaming rehydration (docs/architecture.md §9, app.api.stream) --
    # Below uvicorn's own 16 MiB WebSocket message cap, so this limit answers first.
    stream_max_frame_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024 - 1)
    stream_idle_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Response scanning (docs/architecture.md §11): values the model invented are masked in
    # what /rehydrate, the stream and the proxy return; a request's "scan" option overrides it.
    response_scan: Literal["off", "tier1", "all"] = "tier1"

    # -- policies (docs/architecture.md §12, app.policy_file): TOML profiles, validated here --
    policy_file: Path | None = None

    # -- NER layers (docs/architecture.md §3.3, §3.4, §6): configuration only, never from a request --
    spacy_enabled: bool = True
    # Presidio entities the spaCy layer proposes (comma-separated), see `SPACY_ENTITY_LABELS`.
    spacy_entities: str = "PERSON,ORGANIZATION,LOCATION"
    # Extra presidio predefined recognizers run beside spaCy (class names, comma-separated).
    presidio_recognizers: str = ""
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None  # sent as a bearer token to the LLM server, if it wants one
    llm_timeout_seconds: float = Field(default=60.0, gt=0, le=600)  # total per chunk request
    llm_concurrency: int = Field(default=4, ge=1, le=64)  # chunk requests in flight, all callers
    llm_chunk_chars: int = Field(default=4000, ge=600, le=200_000)  # characters per LLM request
    # Per-layer NER caches (multi-turn cost): chunks remembered in memory, scoped to a map.
    ner_cache_entries: int = Field(default=4096, ge=1, le=1_000_000)

    # -- provider proxy (docs/architecture.md §11, app.proxy): base URLs as the SDKs take them --
    anthropic_upstream: str | None = None  # requests go to {upstream}/v1/messages
    openai_upstream: str | None = None  # "/v1" included: {upstream}/chat/completions, {upstream}/responses
    upstream_connect_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    upstream_read_timeout_seconds: float = Field(default=600.0, gt=0, le=3600)  # between two reads
    upstream_max_response_bytes: int = Field(default=64 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    # HTTP/2 where the upstream offers it (TLS ALPN; a plain http:// upstream stays on HTTP/1.1).
    upstream_http2: bool = False
    # PEM file of the CAs trusted for upstream TLS, instead of the bundled ones (an internal
    # gateway, a TLS-inspecting corporate proxy); read at start-up.
    upstream_ca_file: Path | None = None

    # -- audit log (docs/architecture.md §13, app.audit, docs/audit.md) --
    audit_log: Path | None = None  # unset = no audit log
    audit_key: SecretStr | None = None  # base64 32 bytes; unset = derived from the map key (HKDF)
    audit_fsync: Literal["always", "interval"] = "always"
    audit_fsync_interval_seconds: float = Field(default=1.0, gt=0, le=3600)
    audit_rotate_bytes: int = Field(default=0, ge=0)  # 0 = never rotate

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("map_key", "audit_key")
    @classmethod
    def _check_map_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_key(value.get_secret_value())
        return value

    @field_validator("map_old_keys")
    @classmethod
    def _check_old_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            for part in value.get_secret_value().split(","):
                if part.strip():
                    decode_key(part)
        return value

    @field_validator("api_key")
    @classmethod
    def _check_api_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return value
        key = value.get_secret_value()
        if len(key) < _MIN_API_KEY_CHARS:
            raise ValueError(f"REDACTION_API_KEY must be at least {_MIN_API_KEY_CHARS} characters")
        if not (key.isascii() and key.isprintable()) or " " in key:
            raise ValueError(
                "REDACTION_API_KEY must be printable ASCII without spaces (it travels in a header)"
            )
        return value

    @field_validator("llm_base_url")
    @classmethod
    def _check_llm_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("REDACTION_LLM_BASE_URL must be an http:// or https:// URL")
        return value

    @field_validator("anthropic_upstream", "openai_upstream")
    @classmethod
    def _check_upstream(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(
                "REDACTION_ANTHROPIC_UPSTREAM / REDACTION_OPENAI_UPSTREAM must be an http:// or https:// "
                "base URL without query or fragment"
            )
        return value.rstrip("/")

    @field_validator("spacy_entities")
    @classmethod
    def _check_spacy_entities(cls, value: str) -> str:
        names = _comma_list(value)
        unknown = [n for n in names if n not in SPACY_ENTITY_LABELS]
        if unknown or not names:
            raise ValueError(f"REDACTION_SPACY_ENTITIES must name some of {', '.join(SPACY_ENTITY_LABELS)}")
        return ",".join(names)

    @field_validator("presidio_recognizers")
    @classmethod
    def _check_recognizers(cls, value: str) -> str:
        names = _comma_list(value)
        if any(_RECOGNIZER_NAME.fullmatch(n) is None for n in names):
            raise ValueError(
                "REDACTION_PRESIDIO_RECOGNIZERS must be presidio recognizer class names, "
                "e.g. EmailRecognizer,UsSsnRecognizer"
            )
        return ",".join(names)

    @field_validator("store_url")
    @classmethod
    def _check_store_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and urlsplit(value.get_secret_value()).scheme not in (
            "sqlite",
            "redis",
            "rediss",
        ):
            raise ValueError("REDACTION_STORE_URL must be sqlite:///PATH, redis:// or rediss://")
        return value

    @field_validator("policy_file")
    @classmethod
    def _check_policy_file(cls, value: Path | None) -> Path | None:
        if value is not None:
            from .policy_file import load_policy_file

            load_policy_file(value)  # PolicyFileError (a ValueError) names profile, key, line
        return value

    @field_validator("upstream_ca_file")
    @classmethod
    def _check_upstream_ca_file(cls, value: Path | None) -> Path | None:
        if value is not None:
            import ssl

            try:
                ssl.create_default_context(cafile=str(value))
            except (OSError, ssl.SSLError):  # the path only: never the file's content
                raise ValueError(f"REDACTION_UPSTREAM_CA_FILE is not a readable PEM file: {value}") from None
        return value

    @field_validator("redis_namespace")
    @classmethod
    def _check_redis_namespace(cls, value: str) -> str:
        if _REDIS_NAMESPACE.fullmatch(value) is None:
            raise ValueError("REDACTION_REDIS_NAMESPACE must be 1-64 characters of A-Z a-z 0-9 _ . -")
        return value

    @model_validator(mode="after")
    def _refuse_public_bind(self) -> Settings:
        if not is_loopback(self.host) and not self.allow_public_bind:
            raise ValueError(
                "REDACTION_HOST is not a loopback address; set REDACTION_ALLOW_PUBLIC_BIND=true "
                "to serve beyond this machine (and set REDACTION_API_KEY)"
            )
        return self

    # -- derived values --

    @classmethod
    def unknown_environment_names(cls, environ: Mapping[str, str]) -> list[str]:
        """``REDACTION_*`` variables that name no setting (likely typos): names only."""
        known = {f"REDACTION_{name.upper()}" for name in cls.model_fields}
        known.add("REDACTION_REQUIRE_REDIS")  # a switch of the test suite, not of the service
        return sorted(n for n in environ if n.startswith("REDACTION_") and n not in known)

    def upstream_warnings(self) -> list[tuple[str, str]]:
        """(setting, why) for upstream URLs that each SDK's path rules make wrong (every request
        would be the provider's 404): Anthropic's base carries no `/v1` (the proxy appends
        `/v1/messages`); OpenAI's own API needs it (the proxy appends `/chat/completions`). The
        URL itself is never quoted (it may hold credentials)."""
        found = []
        anthropic, openai = self.anthropic_upstream, self.openai_upstream
        if anthropic is not None and anthropic.rstrip("/").endswith("/v1"):
            found.append(("REDACTION_ANTHROPIC_UPSTREAM", "ends with /v1: requests go to /v1/v1/messages"))
        if openai is not None and "//api.openai.com" in openai and not openai.rstrip("/").endswith("/v1"):
            found.append(("REDACTION_OPENAI_UPSTREAM", "is api.openai.com without /v1 (the SDK's has it)"))
        return found

    def map_keys(self) -> tuple[bytes | None, tuple[bytes, ...]]:
        """(current key or None for the key file, old keys accepted for reading)."""
        current = decode_key(self.map_key.get_secret_value()) if self.map_key else None
        old: tuple[bytes, ...] = ()
        if self.map_old_keys is not None:
            parts = self.map_old_keys.get_secret_value().split(",")
            old = tuple(decode_key(p) for p in parts if p.strip())
        return current, old

    def spacy_entity_labels(self) -> dict[str, str]:
        """Presidio entity -> engine label, for the configured ``spacy_entities``."""
        return {name: SPACY_ENTITY_LABELS[name] for name in _comma_list(self.spacy_entities)}

    def presidio_recognizer_names(self) -> tuple[str, ...]:
        return tuple(_comma_list(self.presidio_recognizers))

    def store_backend(self) -> Literal["sqlite", "redis"]:
        """Which map store the store URL names (unset: SQLite)."""
        url = self.store_url.get_secret_value() if self.store_url else ""
        return "redis" if url.startswith(("redis://", "rediss://")) else "sqlite"

    def sqlite_path(self) -> Path:
        """The SQLite database: ``sqlite:///PATH`` of the store URL, else ``DATA_DIR/maps.sqlite3``."""
        prefix = "sqlite:///"  # SQLAlchemy's spelling: sqlite:///relative, sqlite:////absolute
        url = self.store_url.get_secret_value() if self.store_url else ""
        if url.startswith(prefix) and len(url) > len(prefix):
            return Path(url[len(prefix) :])
        return self.data_dir / "maps.sqlite3"
