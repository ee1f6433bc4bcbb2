"""Settings (docs/architecture.md §10 names, insecure values refused at start-up), the console command, and
the JSON log format."""

from __future__ import annotations

import base64
import json
import logging
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.cli import main
from app.logging import JsonFormatter
from app.settings import Settings, decode_key, is_loopback

KEY = base64.b64encode(b"k" * 32).decode()


def test_defaults_are_those_of_design_section_10() -> None:
    s = Settings(_env_file=None)
    assert (s.host, s.port) == ("127.0.0.1", 8787)
    assert s.data_dir == Path("./data")
    assert (s.store_url, s.map_key, s.api_key) == (None, None, None)
    assert s.map_ttl_seconds == 7200
    assert s.max_body_bytes == 8_388_608
    assert (s.llm_base_url, s.llm_model) == (None, None)
    assert s.spacy_enabled is True
    assert (s.max_items, s.max_item_chars) == (256, 1_000_000)


def test_every_documented_variable_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "REDACTION_HOST": "::1",
        "REDACTION_PORT": "9001",
        "REDACTION_DATA_DIR": "/srv/redaction",
        "REDACTION_STORE_URL": "sqlite:////srv/maps.db",
        "REDACTION_MAP_KEY": KEY,
        "REDACTION_MAP_OLD_KEYS": f"{KEY},{KEY}",
        "REDACTION_MAP_TTL_SECONDS": "60",
        "REDACTION_API_KEY": "a" * 20,
        "REDACTION_MAX_BODY_BYTES": "4096",
        "REDACTION_MAX_ITEMS": "3",
        "REDACTION_MAX_ITEM_CHARS": "100",
        "REDACTION_LLM_BASE_URL": "http://127.0.0.1:11434",
        "REDACTION_LLM_MODEL": "qwen2.5",
        "REDACTION_SPACY_ENABLED": "false",
        "REDACTION_LOG_LEVEL": "debug",
        "REDACTION_SWEEP_INTERVAL_SECONDS": "5",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = Settings(_env_file=None)
    assert (s.host, s.port, s.data_dir) == ("::1", 9001, Path("/srv/redaction"))
    assert s.sqlite_path() == Path("/srv/maps.db")
    assert s.map_keys() == (b"k" * 32, (b"k" * 32, b"k" * 32))
    assert (s.map_ttl_seconds, s.max_body_bytes, s.max_items, s.max_item_chars) == (60, 4096, 3, 100)
    assert s.api_key is not None
    assert s.api_key.get_secret_value() == "a" * 20
    assert (s.llm_base_url, s.llm_model, s.spacy_enabled) == ("http://127.0.0.1:11434", "qwen2.5", False)
    assert (s.log_level, s.sweep_interval_seconds) == ("DEBUG", 5.0)
    assert "a" * 20 not in repr(s), "secrets must not show in repr"
    assert KEY not in repr(s), "secrets must not show in repr"


def test_dotenv_is_optional_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings().port == 8787
    (tmp_path / ".env").write_text("REDACTION_PORT=9100\nREDACTION_MAP_TTL_SECONDS=30\n")
    assert (Settings().port, Settings().map_ttl_seconds) == (9100, 30)
    monkeypatch.setenv("REDACTION_PORT", "9200")
    assert Settings().port == 9200


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACTION_MAP_KEY", "")
    monkeypatch.setenv("REDACTION_API_KEY", "")
    s = Settings(_env_file=None)
    assert (s.map_key, s.api_key) == (None, None)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "localhost", "::1", "[::1]"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert is_loopback(host)
    assert Settings(_env_file=None, host=host).host == host


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "example.com", "192.168.1.1"])
def test_public_bind_is_refused_unless_allowed(host: str) -> None:
    with pytest.raises(ValidationError, match="ALLOW_PUBLIC_BIND"):
        Settings(_env_file=None, host=host)
    assert Settings(_env_file=None, host=host, allow_public_bind=True).host == host


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("map_key", "c2hvcnQ="),  # base64 of 5 bytes
        ("map_key", "not base64 at all!!"),
        ("map_key", base64.b64encode(b"x" * 33).decode()),
        ("map_old_keys", f"{KEY},tooshort"),
        ("api_key", "short-key"),
        ("llm_base_url", "file:///etc/passwd"),
        ("store_url", "postgres://db/maps"),
        ("redis_namespace", "a:b"),
        ("redis_namespace", "{tag}"),
        ("redis_namespace", ""),
        ("redis_timeout_seconds", "0"),
        ("port", "99999"),
        ("map_ttl_seconds", "0"),
        ("max_body_bytes", "10"),
        ("log_level", "chatty"),
    ],
)
def test_insecure_or_malformed_values_refuse_to_start(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, **{field: value})
    if field in ("map_key", "map_old_keys", "api_key"):
        assert value not in str(caught.value), "a rejected secret must not be echoed"


def test_decode_key_accepts_both_base64_alphabets() -> None:
    raw = bytes(range(200, 232))
    assert decode_key(base64.b64encode(raw).decode()) == raw
    assert decode_key(base64.urlsafe_b64encode(raw).decode() + "\n") == raw


def test_console_script_is_declared() -> None:
    (script,) = entry_points(group="console_scripts", name="redaction-gateway")
    assert script.value == "app.cli:main"


def test_keygen_prints_a_valid_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen"]) == 0
    assert len(decode_key(capsys.readouterr().out)) == 32


def test_serve_refuses_bad_settings_naming_the_variable_never_the_value(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDACTION_API_KEY", "tiny-secret")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "REDACTION_API_KEY" in err
    assert "tiny-secret" not in err
    monkeypatch.delenv("REDACTION_API_KEY")
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "ALLOW_PUBLIC_BIND" in capsys.readouterr().err


def test_serve_with_redis_refuses_without_a_shared_map_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REDACTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REDACTION_STORE_URL", "redis://:Pw-Canary-51@127.0.0.1:1/0")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "REDACTION_MAP_KEY" in err, "the operator must learn which variable to set"
    assert "Pw-Canary-51" not in err
    assert not (tmp_path / "data" / "map.key").exists(), "replicas must not each invent a key"


def test_the_store_url_is_a_secret() -> None:
    s = Settings(_env_file=None, store_url="redis://:Pw-Canary-52@cache:6379/0")
    assert "Pw-Canary-52" not in repr(s)
    assert s.store_backend() == "redis"
    assert Settings(_env_file=None).store_backend() == "sqlite"


def test_json_formatter_keeps_safe_fields_only() -> None:
    logger = logging.getLogger("redaction_gateway.test")
    try:
        raise ValueError("Jane Doe's value")
    except ValueError:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "request", (), sys.exc_info(),
            extra={"request_id": "abc", "status": 500, "text": "Jane Doe", "known_entities": ["Jane Doe"]},
        )  # fmt: skip
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "request"
    assert (line["request_id"], line["status"], line["exc_type"]) == ("abc", 500, "ValueError")
    assert "Jane" not in json.dumps(line)
    assert set(line) == {"ts", "level", "logger", "event", "request_id", "status", "exc_type"}


def test_json_formatter_reduces_library_messages_to_their_template() -> None:
    record = logging.getLogger("asyncio").makeRecord(
        "asyncio",
        logging.ERROR,
        __file__,
        1,
        "Task exception was never retrieved\nfuture: %r",
        ("Jane Doe",),
        None,
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "Task exception was never retrieved"


def test_unknown_redaction_variables_are_reported_by_name() -> None:
    environ = {
        "REDACTION_MAPKEY": "secret",
        "REDACTION_PORT": "1",
        "REDACTION_REQUIRE_REDIS": "1",
        "HOME": "/",
    }
    assert Settings.unknown_environment_names(environ) == ["REDACTION_MAPKEY"]


def test_api_key_must_travel_in_a_header() -> None:
    for key in ("é" * 20, "a" * 10 + " " + "b" * 10, "a" * 20 + "\n"):
        with pytest.raises(ValidationError):
            Settings(_env_file=None, api_key=key)
