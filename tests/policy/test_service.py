"""Policies over HTTP (docs/architecture.md §12, docs/policies.md): profiles, request additions
and their permissions, blocking, ``GET /policy``, ``stats.policy``, and leak canaries.

Every test runs the real app (lifespan, SQLite store in a temporary directory) with a policy
file written for it. Terms and patterns of the file are canaries: they must never reach a log
record, ``/policy``, ``/metrics`` or an error body.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.logging import JsonFormatter
from app.main import create_app
from redaction import Policy

from ..logs import LogCapture, record_text
from ..service.conftest import SettingsFactory, apost_json, asgi_client

pytestmark = pytest.mark.anyio

API_KEY = "policy-test-key-0123456789"
DENY = "Quillon Ashgrove"  # canaries: every one holds "quillon" or "qxq"
ALLOW = "Quillon Bank"
PATTERN = r"QXQ-\d{4}"
SECRET_CARD = "4111 1111 1111 1111"
POLICY_FILE = f"""\
[profiles.default]
actions = {{ EMAIL = "mask" }}

[profiles.payments]
actions = {{ CREDIT_CARD = "tokenize", PASSPORT = "block" }}
allow = ["{ALLOW}"]
deny = [{{ term = "{DENY}", type = "PERSON" }}]

[[profiles.payments.rules]]
name = "quillon-ref"
pattern = '{PATTERN}'
type = "QUILLON_REF"

[profiles.open]
overrides = {{ allow = true, actions = true }}
"""
NEEDLES = ("quillon", "qxq", "4111", r"\d{4}")
# Request ids and digests (hex with a letter): "4111" may stand in one by chance.
_HEX_DIGEST = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,64}\b")


@pytest.fixture
async def client(make_settings: SettingsFactory, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY_FILE, "utf-8")
    app = create_app(make_settings(policy_file=path, api_key=API_KEY))
    async with asgi_client(app, Authorization=f"Bearer {API_KEY}") as c:
        yield c


def body(text: str, **fields: Any) -> dict[str, Any]:
    return {"task_id": "t-1", "items": [{"id": "memo", "text": text}], "ner": "rules_only", **fields}


async def test_the_default_profile_applies_when_none_is_named(client: httpx.AsyncClient) -> None:
    r = await apost_json(client, "/scrub", body("Mail jane@example.com"))
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["scrubbed_text"] == "Mail [EMAIL:****]"
    stats = r.json()["stats"]["policy"]
    assert stats["profile"] == "default"
    assert stats["outcomes"] == {"mask": {"EMAIL": 1}}
    policy = (await client.get("/policy")).json()
    assert stats["hash"] == policy["profiles"]["default"]["hash"], "stats carry the profile's hash"


async def test_a_named_profile_tokenizes_cards_and_rehydrates_them(client: httpx.AsyncClient) -> None:
    text = f"{DENY} of {ALLOW} paid {SECRET_CARD} for QXQ-2025."
    r = await apost_json(client, "/scrub", body(text, profile="payments"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert (
        out["items"][0]["scrubbed_text"] == f"[PERSON_1] of {ALLOW} paid [CREDIT_CARD_1] for [QUILLON_REF_1]."
    )
    assert out["stats"]["policy"]["profile"] == "payments"
    back = await apost_json(
        client,
        "/rehydrate",
        {
            "task_id": "t-1",
            "map_handle": out["map_handle"],
            "items": [{"id": "r", "text": "[CREDIT_CARD_1] / [QUILLON_REF_1]"}],
        },
    )
    assert back.status_code == 200, back.text
    assert back.json()["items"][0]["rehydrated_text"] == f"{SECRET_CARD} / QXQ-2025"
    # A hallucinated custom token is an unknown token in strict mode, like a built-in one.
    strict = await apost_json(
        client,
        "/rehydrate",
        {
            "task_id": "t-1",
            "map_handle": out["map_handle"],
            "items": [{"id": "r", "text": "[QUILLON_REF_9]"}],
        },
    )
    assert strict.status_code == 409
    assert strict.json()["tokens"] == ["[QUILLON_REF_9]"]


async def test_unknown_profile_is_400(client: httpx.AsyncClient) -> None:
    r = await apost_json(client, "/scrub", body("x", profile="nope"))
    assert (r.status_code, r.json()) == (400, {"error": "unknown_profile"})


@pytest.mark.parametrize(
    ("profile", "policy", "status", "fields"),
    [
        (None, {"allow": ["Acme"]}, 403, ["allow"]),
        (None, {"actions": {"EMAIL": "allow"}}, 403, ["actions.EMAIL"]),  # mask -> allow: weaker
        ("payments", {"actions": {"CREDIT_CARD": "mask"}}, 403, ["actions.CREDIT_CARD"]),
        (None, {"actions": {"EMAIL": "tokenize"}}, 200, None),  # mask -> tokenize: stronger
        (None, {"actions": {"PHONE": "drop"}, "deny": [{"term": "Acme", "type": "ORG"}]}, 200, None),
        ("open", {"allow": ["Acme"], "actions": {"CREDIT_CARD": "allow"}}, 200, None),
    ],
)
async def test_requests_may_strengthen_and_relax_only_where_permitted(
    client: httpx.AsyncClient,
    profile: str | None,
    policy: dict[str, Any],
    status: int,
    fields: list[str] | None,
) -> None:
    extra: dict[str, Any] = {"policy": policy}
    if profile is not None:
        extra["profile"] = profile
    r = await apost_json(client, "/scrub", body("Acme: jane@example.com, +1 415 555 2671", **extra))
    assert r.status_code == status, r.text
    if status == 403:
        assert r.json() == {
            "error": "policy_override_forbidden",
            "profile": profile or "default",
            "fields": fields,
        }
    else:
        assert r.json()["stats"]["policy"]["hash"] != Policy().digest


async def test_request_rules_and_deny_terms_apply_and_change_the_hash(client: httpx.AsyncClient) -> None:
    policy = {
        "rules": [{"name": "ticket", "pattern": r"TCK-\d{6}", "type": "TICKET"}],
        "deny": [{"term": "Skyline Migration", "type": "PROJECT"}],
    }
    r = await apost_json(client, "/scrub", body("TCK-004211 moves Skyline Migration", policy=policy))
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["scrubbed_text"] == "[TICKET_1] moves [PROJECT_1]"
    profile_hash = (await client.get("/policy")).json()["profiles"]["default"]["hash"]
    assert r.json()["stats"]["policy"]["hash"] != profile_hash


@pytest.mark.parametrize(
    ("rule", "key", "reason"),
    [
        (
            {"name": "redos", "pattern": r"(a+)+\1", "type": "X1"},
            "rules[0].pattern",
            "not a valid RE2 pattern",
        ),
        ({"name": "look", "pattern": r"(?=a)b", "type": "X1"}, "rules[0].pattern", "not a valid RE2 pattern"),
        ({"name": "t", "pattern": "x", "type": "lower"}, "rules[0].type", "type must match"),
    ],
)
async def test_invalid_request_rules_are_400_naming_the_rule(
    client: httpx.AsyncClient, rule: dict[str, str], key: str, reason: str
) -> None:
    r = await apost_json(client, "/scrub", body("x", policy={"rules": [rule]}))
    assert r.status_code == 400, r.text
    answer = r.json()
    assert (answer["error"], answer["key"], answer["rule"]) == ("invalid_policy", key, rule["name"])
    assert reason in answer["reason"]
    assert rule["pattern"] not in r.text


async def test_a_blocked_kind_refuses_the_request_and_stores_nothing(client: httpx.AsyncClient) -> None:
    items = [
        {"id": "a", "text": "Passport number: X1234567 for travel"},
        {"id": "b", "text": "nothing here"},
    ]
    r = await apost_json(client, "/scrub", {**body("x"), "items": items, "profile": "payments"})
    assert r.status_code == 422, r.text
    assert r.json() == {"error": "policy_blocked", "spans": [{"item": "a", "kinds": ["PASSPORT"]}]}
    assert "X1234567" not in r.text


async def test_policy_endpoint_needs_the_key_and_shows_no_terms(
    client: httpx.AsyncClient, make_settings: SettingsFactory, tmp_path: Path
) -> None:
    r = await client.get("/policy")
    assert r.status_code == 200
    answer = r.json()
    payments = answer["profiles"]["payments"]
    assert payments["actions"]["CREDIT_CARD"] == "tokenize"
    assert payments["allow_terms"] == 1
    assert payments["deny_terms"] == {"PERSON": 1}
    assert payments["rules"] == [
        {
            "name": "quillon-ref",
            "type": "QUILLON_REF",
            "action": "tokenize",
            "validator": None,
            "context_words": 0,
        }
    ]
    assert answer["profiles"]["open"]["overrides"] == {"allow": True, "actions": True}
    assert not [
        n for n in NEEDLES if n in r.text.lower().replace("quillon-ref", "").replace("quillon_ref", "")
    ]
    anonymous = await client.get("/policy", headers={"Authorization": ""})
    assert anonymous.status_code == 401


async def test_no_policy_file_means_the_builtin_default(make_settings: SettingsFactory) -> None:
    async with asgi_client(create_app(make_settings())) as c:
        answer = (await c.get("/policy")).json()
        assert answer["source"] == "builtin"
        assert list(answer["profiles"]) == ["default"]
        assert answer["profiles"]["default"]["hash"] == Policy().digest
        r = await apost_json(c, "/scrub", body("Mail jane@example.com"))
        assert r.json()["items"][0]["scrubbed_text"] == "Mail [EMAIL_1]"
        assert r.json()["stats"]["policy"] == {"profile": "default", "hash": Policy().digest, "outcomes": {}}


async def test_policy_terms_and_patterns_never_reach_logs_metrics_or_errors(
    make_settings: SettingsFactory, tmp_path: Path, captured_logs: LogCapture
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY_FILE, "utf-8")
    bodies: list[str] = []
    async with asgi_client(create_app(make_settings(policy_file=path))) as c:
        text = f"{DENY} of {ALLOW} paid {SECRET_CARD} for QXQ-2025. Passport number: X1234567"
        requests: list[dict[str, Any]] = [
            body(text, profile="payments"),  # blocked
            body(text.split(" Passport")[0], profile="payments"),
            body(text, profile=DENY),  # unknown profile named like a value
            body(text, policy={"allow": [DENY]}),  # forbidden
            body(text, policy={"rules": [{"name": "q", "pattern": r"(qxq)\1", "type": "X1"}]}),
            body(text, policy={"deny": [{"term": DENY, "type": "lower"}]}),
            body(text, policy={"actions": {DENY: "drop"}}),
        ]
        for request in requests:
            r = await apost_json(c, "/scrub", request)
            if r.status_code != 200:
                bodies.append(r.text)
        bodies.append((await c.get("/policy")).text)
        metrics = (await c.get("/metrics")).text
    assert len(bodies) == 7, bodies  # six refusals and /policy
    # Metric sample values are numbers: "4111" may stand in one by chance.
    series = "\n".join(line.rsplit(" ", 1)[0] for line in metrics.splitlines())
    for blob in [*bodies, series]:
        low = _HEX_DIGEST.sub("", blob.lower().replace("quillon-ref", "").replace("quillon_ref", ""))
        leaked = [n for n in NEEDLES if n in low]
        assert not leaked, f"policy values in a response: {leaked}"
    formatter = JsonFormatter()
    for record in captured_logs.records:
        low = record_text(record, formatter).lower().replace("quillon-ref", "").replace("quillon_ref", "")
        low = _HEX_DIGEST.sub("", low)
        leaked = [n for n in NEEDLES if n in low]
        assert not leaked, f"policy values in log record {record.getMessage()!r}: {leaked}"
    started = [r for r in captured_logs.records if r.getMessage() == "policy_loaded"]
    assert started, "the policy is logged at start-up"
    assert "payments=" in str(started[0].__dict__.get("policy_hashes")), "hashes logged at start-up"
    assert "payments=" in formatter.format(started[0]), "the JSON log line carries the hashes"


async def test_request_errors_number_the_requests_own_rules(client: httpx.AsyncClient) -> None:
    # The payments profile has one rule: the request's first rule is still rules[0].
    rules = [{"name": "quillon-ref", "pattern": "x", "type": "X1"}]
    r = await apost_json(client, "/scrub", body("x", profile="payments", policy={"rules": rules}))
    assert r.status_code == 400, r.text
    assert (r.json()["key"], r.json()["rule"]) == ("rules[0].name", "quillon-ref")
    assert "unique" in r.json()["reason"]
