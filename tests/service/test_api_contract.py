"""docs/architecture.md §5 over the ASGI transport: every row of the error table, the response shapes, map
extension, handle binding, TTL, and the `ner` modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import redaction
from app.main import create_app
from app.ner import ConfiguredLayer
from app.store import SQLiteMapStore, build_store, new_handle
from redaction import ScrubState, scrub

from .conftest import SettingsFactory, apost_json, asgi_client
from .fakes import (
    BrokenStore,
    Clock,
    FailingLayer,
    ProposingLayer,
    TestSecretDetector,
    descriptive,
    ner_down,
)

pytestmark = pytest.mark.anyio

KNOWN = {"persons": ["Jane Doe"], "orgs": ["Acme Holdings"]}


def scrub_body(*texts: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "task_id": "t-42",
        "items": [{"id": f"item-{i}", "text": t} for i, t in enumerate(texts)],
        "known_entities": KNOWN,
    }
    body.update(fields)
    return body


def rehydrate_body(handle: str, *texts: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "task_id": "t-42",
        "map_handle": handle,
        "items": [{"id": f"reply-{i}", "text": t} for i, t in enumerate(texts)],
    }
    body.update(fields)
    return body


# -- 200 shapes --------------------------------------------------------------------------------


async def test_scrub_answers_the_documented_shape(client: Any) -> None:
    r = await apost_json(client, "/scrub", scrub_body("Jane Doe of Acme Holdings called. Ms. Doe agreed."))
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"task_id", "map_handle", "expires_at", "items", "stats"}
    assert body["task_id"] == "t-42"
    assert len(body["map_handle"]) >= 22  # >= 128 bits, URL-safe
    assert body["expires_at"].endswith("Z")
    (item,) = body["items"]
    assert set(item) == {"id", "scrubbed_text", "tokens_used"}
    assert item["scrubbed_text"] == "[PERSON_1] of [ORG_1] called. [PERSON_1.2] agreed."
    assert item["tokens_used"] == ["PERSON_1", "ORG_1", "PERSON_1.2"]
    assert body["stats"] == {
        "tier1_dropped": 0,
        "tier2_tokenized": 3,
        "distinct_entities": 2,
        "descriptive_flags": [],
        "by_type": {"ORG": 1, "PERSON": 2},
        "engine": {"version": redaction.__version__, "fingerprint": redaction.ENGINE_FINGERPRINT},
        "policy": {"profile": "default", "hash": redaction.Policy().digest, "outcomes": {}},
    }
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-request-id"]


async def test_rehydrate_answers_the_documented_shape(client: Any) -> None:
    scrubbed = (await apost_json(client, "/scrub", scrub_body("Jane Doe of Acme Holdings"))).json()
    r = await apost_json(
        client, "/rehydrate", rehydrate_body(scrubbed["map_handle"], "Thank [PERSON_1] at [ORG_1].")
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "items": [{"id": "reply-0", "rehydrated_text": "Thank Jane Doe at Acme Holdings."}],
        "stats": {"tokens_substituted": 2, "unknown_tokens": 0},
    }


async def test_reusing_a_handle_keeps_tokens_and_numbers_new_values(client: Any) -> None:
    first = (await apost_json(client, "/scrub", scrub_body("Jane Doe"))).json()
    handle = first["map_handle"]
    second = await apost_json(client, "/scrub", scrub_body("Acme Holdings and Jane Doe", map_handle=handle))
    assert second.status_code == 200, second.text
    assert second.json()["map_handle"] == handle
    assert second.json()["items"][0]["scrubbed_text"] == "[ORG_1] and [PERSON_1]"
    back = await apost_json(client, "/rehydrate", rehydrate_body(handle, "[PERSON_1], [ORG_1]"))
    assert back.json()["items"][0]["rehydrated_text"] == "Jane Doe, Acme Holdings"


async def test_a_reused_map_remembers_its_values_without_known_entities(client: Any) -> None:
    # The reproduction, as a new user tries it: turn 2 re-sends no known_entities.
    people = {"persons": ["Priya Raman", "Zorblax Quintavious"]}
    first = await apost_json(
        client, "/scrub", scrub_body("Priya Raman and Zorblax Quintavious met.", known_entities=people)
    )
    handle = first.json()["map_handle"]
    later = scrub_body("Zorblax Quintavious agreed.", "Priya said yes.", map_handle=handle)
    del later["known_entities"]
    second = await apost_json(client, "/scrub", later)
    assert second.status_code == 200, second.text
    items = [item["scrubbed_text"] for item in second.json()["items"]]
    assert items == ["[PERSON_2] agreed.", "[PERSON_1.2] said yes."], "the map must remember its values"
    back = await apost_json(client, "/rehydrate", rehydrate_body(handle, "[PERSON_2] and [PERSON_1.2]"))
    assert back.json()["items"][0]["rehydrated_text"] == "Zorblax Quintavious and Priya"


async def test_non_strict_rehydrate_leaves_unknown_tokens_and_counts_them(client: Any) -> None:
    handle = (await apost_json(client, "/scrub", scrub_body("Jane Doe"))).json()["map_handle"]
    r = await apost_json(
        client, "/rehydrate", rehydrate_body(handle, "[PERSON_1] and [PERSON_7]", strict=False)
    )
    assert r.status_code == 200
    assert r.json()["items"][0]["rehydrated_text"] == "Jane Doe and [PERSON_7]"
    assert r.json()["stats"] == {"tokens_substituted": 1, "unknown_tokens": 1}


# -- every row of the error table ---------------------------------------------------------------


async def test_400_bad_request_names_fields_never_values(client: Any) -> None:
    body = scrub_body("Jane Doe")
    body["items"][0]["text"] = ["Jane Doe"]
    body["tier1_action"] = "explode"
    r = await apost_json(client, "/scrub", body)
    assert r.status_code == 400
    assert r.json() == {
        "error": "bad_request",
        "detail": [
            {"loc": "body.items.0.text", "type": "string_type"},
            {"loc": "body.tier1_action", "type": "literal_error"},
        ],
    }
    assert "Jane" not in r.text
    assert "explode" not in r.text


async def test_400_duplicate_item_ids(client: Any) -> None:
    body = scrub_body("a", "b")
    body["items"][1]["id"] = body["items"][0]["id"]
    r = await apost_json(client, "/scrub", body)
    assert r.status_code == 400
    assert r.json() == {
        "error": "bad_request",
        "detail": [{"loc": "body.items.1.id", "type": "duplicate_id"}],
    }


async def test_400_unknown_map_handle_on_scrub(client: Any) -> None:
    for handle in (new_handle(), "not a handle!", "x" * 10_000):
        r = await apost_json(client, "/scrub", scrub_body("Jane Doe", map_handle=handle))
        assert r.status_code == 400, handle[:20]
        assert r.json() == {"error": "unknown_map_handle"}


async def test_401_unauthorized(make_settings: SettingsFactory) -> None:
    key = "k" * 32
    app = create_app(make_settings(api_key=key))
    async with asgi_client(app) as c:
        for headers in ({}, {"authorization": "Bearer wrong-key-wrong-key-wrong"}, {"authorization": key}):
            r = await apost_json(c, "/scrub", scrub_body("Jane Doe"), headers=headers)
            assert r.status_code == 401
            assert r.json() == {"error": "unauthorized"}
            assert r.headers["www-authenticate"] == "Bearer"
        ok = await apost_json(c, "/scrub", scrub_body("Jane Doe"), headers={"authorization": f"Bearer {key}"})
        assert ok.status_code == 200
        lower = await apost_json(c, "/scrub", scrub_body("x"), headers={"authorization": f"bearer {key}"})
        assert lower.status_code == 200
        assert (await c.get("/health")).status_code == 200  # liveness probes carry no key
        for path in ("/ready", "/metrics", "/openapi.json", "/no-such-route"):
            assert (await c.get(path)).status_code == 401, path
            assert (await c.get(path, headers={"authorization": f"Bearer {key}"})).status_code != 401, path


async def test_requests_refused_before_routing_are_logged_and_counted_under_their_route(
    make_settings: SettingsFactory, captured_logs: Any
) -> None:
    key = "k" * 32
    app = create_app(make_settings(api_key=key))
    async with asgi_client(app) as c:
        assert (await apost_json(c, "/scrub", scrub_body("Jane Doe"))).status_code == 401
        assert (await c.get("/no-such-route")).status_code == 401
        metrics = (await c.get("/metrics", headers={"authorization": f"Bearer {key}"})).text
    routes = [getattr(r, "route", None) for r in captured_logs.records if r.getMessage() == "request"]
    assert routes[:2] == ["/scrub", "unmatched"]
    assert 'route="/scrub"' in metrics
    assert 'status="401"' in metrics


async def test_409_unknown_tokens_lists_placeholders_only(client: Any) -> None:
    handle = (await apost_json(client, "/scrub", scrub_body("Jane Doe"))).json()["map_handle"]
    r = await apost_json(
        client, "/rehydrate", rehydrate_body(handle, "[PERSON_1] met [PERSON_2] and [org_3]")
    )
    assert r.status_code == 409
    assert r.json() == {"error": "unknown_tokens", "tokens": ["[PERSON_2]", "[ORG_3]"], "count": 2}


async def test_410_on_rehydrate_for_unknown_malformed_and_mismatched_handles(client: Any) -> None:
    handle = (await apost_json(client, "/scrub", scrub_body("Jane Doe"))).json()["map_handle"]
    cases = [
        rehydrate_body(new_handle(), "[PERSON_1]"),
        rehydrate_body("../../etc/passwd", "[PERSON_1]"),
        rehydrate_body("' OR 1=1; DROP TABLE maps; --", "[PERSON_1]"),
        rehydrate_body("h" * 10_240, "[PERSON_1]"),
        rehydrate_body(handle, "[PERSON_1]", task_id="another-task"),
    ]
    for body in cases:
        r = await apost_json(client, "/rehydrate", body)
        assert r.status_code == 410, body["map_handle"][:20]
        assert r.json() == {"error": "map_expired"}


async def test_410_on_scrub_for_a_handle_bound_to_another_task(client: Any) -> None:
    handle = (await apost_json(client, "/scrub", scrub_body("Jane Doe"))).json()["map_handle"]
    r = await apost_json(client, "/scrub", scrub_body("Jane Doe", map_handle=handle, task_id="t-other"))
    assert r.status_code == 410
    assert r.json() == {"error": "map_expired"}


async def test_410_for_expired_maps_and_ttl_extended_on_reuse(make_settings: SettingsFactory) -> None:
    settings = make_settings(map_ttl_seconds=100)
    clock = Clock()
    store = build_store(settings, clock=clock)
    async with asgi_client(create_app(settings, store=store)) as c:
        handle = (await apost_json(c, "/scrub", scrub_body("Jane Doe"))).json()["map_handle"]
        clock.now += 60
        reused = await apost_json(c, "/scrub", scrub_body("Acme Holdings", map_handle=handle))
        assert reused.status_code == 200  # reuse extends the TTL to now + 100
        clock.now += 60  # 120 s after creation, 60 s after the reuse: still alive
        alive = await apost_json(c, "/rehydrate", rehydrate_body(handle, "[PERSON_1]"))
        assert alive.status_code == 200
        clock.now += 41
        for path, body in (
            ("/rehydrate", rehydrate_body(handle, "[PERSON_1]")),
            ("/scrub", scrub_body("Jane Doe", map_handle=handle)),
        ):
            r = await apost_json(c, path, body)
            assert r.status_code == 410, path
            assert r.json() == {"error": "map_expired"}
        # Swept: the content is gone, the tombstone still says "expired", not "unknown".
        assert isinstance(store, SQLiteMapStore)
        assert store.sweep() == 1
        assert store.count() == (0, 1)
        r = await apost_json(c, "/scrub", scrub_body("Jane Doe", map_handle=handle))
        assert r.status_code == 410


@pytest.mark.parametrize(
    ("limits", "body", "limit_name"),
    [
        ({"max_body_bytes": 2048}, scrub_body("x" * 4096), "body_bytes"),
        ({"max_items": 3}, scrub_body(*["x"] * 4), "items"),
        ({"max_item_chars": 10}, scrub_body("x" * 11), "item_chars"),
    ],
)
async def test_413_payload_too_large(
    make_settings: SettingsFactory, limits: dict[str, int], body: dict[str, Any], limit_name: str
) -> None:
    async with asgi_client(create_app(make_settings(**limits))) as c:
        for path in ("/scrub", "/rehydrate"):
            payload = (
                body
                if path == "/scrub"
                else rehydrate_body(new_handle(), *[i["text"] for i in body["items"]])
            )
            r = await apost_json(c, path, payload)
            assert r.status_code == 413, path
            assert r.json() == {
                "error": "payload_too_large",
                "limit": limit_name,
                "max": next(iter(limits.values())),
            }


async def test_422_tier1_detected_reports_items_and_kinds_and_stores_nothing(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings()
    store = build_store(settings)
    app = create_app(settings, store=store, detectors=(TestSecretDetector(),))
    async with asgi_client(app) as c:
        assert isinstance(store, SQLiteMapStore)
        body = scrub_body("Jane Doe", "key SECRET-123456 for Acme Holdings", tier1_action="reject")
        r = await apost_json(c, "/scrub", body)
        assert r.status_code == 422
        assert r.json() == {"error": "tier1_detected", "spans": [{"item": "item-1", "kinds": ["API_KEY"]}]}
        assert "SECRET" not in r.text
        assert store.count() == (0, 0), "a rejected request must not create a map"

        handle = (await apost_json(c, "/scrub", scrub_body("Jane Doe"))).json()["map_handle"]
        body["map_handle"] = handle
        assert (await apost_json(c, "/scrub", body)).status_code == 422
        r = await apost_json(c, "/rehydrate", rehydrate_body(handle, "[PERSON_1] [ORG_1]", strict=False))
        assert r.json()["items"][0]["rehydrated_text"] == "Jane Doe [ORG_1]", (
            "a rejected request must not extend a map"
        )

        dropped = await apost_json(c, "/scrub", scrub_body("key SECRET-123456"))
        assert dropped.json()["items"][0]["scrubbed_text"] == "key [REDACTED:API_KEY]"
        assert dropped.json()["stats"]["tier1_dropped"] == 1


async def test_422_ner_unavailable_when_llm_is_required_but_not_configured(client: Any) -> None:
    for mode in ("llm", "qwen"):
        r = await apost_json(client, "/scrub", scrub_body("Jane Doe", ner=mode))
        assert r.status_code == 422
        assert r.json() == {"error": "ner_unavailable", "layer": "llm", "reason": "not_configured"}
    for mode in ("auto", "rules_only"):
        assert (await apost_json(client, "/scrub", scrub_body("Jane Doe", ner=mode))).status_code == 200


async def test_422_ner_unavailable_when_a_configured_layer_fails(make_settings: SettingsFactory) -> None:
    layers = [ConfiguredLayer("llm", FailingLayer(ner_down), backstop=True)]
    async with asgi_client(create_app(make_settings(), layers=layers)) as c:
        for mode in ("auto", "llm", "qwen"):
            r = await apost_json(c, "/scrub", scrub_body("Jane Doe", ner=mode))
            assert r.status_code == 422, mode
            assert r.json() == {"error": "ner_unavailable", "layer": "llm", "reason": "timeout"}
        skipped = await apost_json(c, "/scrub", scrub_body("Jane Doe", ner="rules_only"))
        assert skipped.status_code == 200


async def test_422_descriptive_unredactable(make_settings: SettingsFactory) -> None:
    layers = [ConfiguredLayer("llm", FailingLayer(descriptive), backstop=True)]
    async with asgi_client(create_app(make_settings(), layers=layers)) as c:
        r = await apost_json(c, "/scrub", scrub_body("the family that sold the mining company in Texas"))
        assert r.status_code == 422
        assert r.json() == {"error": "descriptive_unredactable", "items": ["memo"]}


async def test_ner_layers_proposals_are_scrubbed_and_descriptive_flags_reported(
    make_settings: SettingsFactory,
) -> None:
    layer = ProposingLayer([("Bob Stone", "PERSON"), ("the family that sold the mine", "DESCRIPTIVE")])
    async with asgi_client(create_app(make_settings(), layers=[ConfiguredLayer("spacy", layer)])) as c:
        text = "Bob Stone, of the family that sold the mine, called."
        r = await apost_json(c, "/scrub", scrub_body(text))
        assert r.status_code == 200
        body = r.json()
        assert body["items"][0]["scrubbed_text"] == "[PERSON_1], of [REDACTED:DESCRIPTIVE], called."
        assert body["stats"]["descriptive_flags"] == [{"item": "item-0", "count": 1, "action": "dropped"}]
        plain = await apost_json(c, "/scrub", scrub_body(text, ner="rules_only"))
        assert plain.json()["items"][0]["scrubbed_text"] == text


async def test_503_store_unavailable(make_settings: SettingsFactory) -> None:
    async with asgi_client(create_app(make_settings(), store=BrokenStore())) as c:
        r = await apost_json(c, "/scrub", scrub_body("Jane Doe"))
        assert r.status_code == 503
        assert r.json() == {"error": "store_unavailable"}
        r = await apost_json(c, "/scrub", scrub_body("Jane Doe", map_handle=new_handle()))
        assert r.status_code == 503
        r = await apost_json(c, "/rehydrate", rehydrate_body(new_handle(), "[PERSON_1]"))
        assert r.status_code == 503
        assert r.json() == {"error": "store_unavailable"}
        ready = await c.get("/ready")
        assert ready.status_code == 503
        assert ready.json() == {
            "error": "store_unavailable",
            "status": "not_ready",
            "store": "unavailable",
            "ner": {"spacy": "disabled", "llm": "not_configured"},
        }
        assert (await c.get("/health")).status_code == 200


async def test_500_scrub_failed_is_generic(make_settings: SettingsFactory) -> None:
    def boom() -> Exception:
        return RuntimeError("Jane Doe's secret internals")

    layers = [ConfiguredLayer("spacy", FailingLayer(boom))]
    async with asgi_client(create_app(make_settings(), layers=layers)) as c:
        r = await apost_json(c, "/scrub", scrub_body("Jane Doe"))
        assert r.status_code == 500
        assert r.json() == {"error": "scrub_failed"}
        assert (await c.get("/health")).status_code == 200


async def test_404_and_405_have_top_level_error_bodies(client: Any) -> None:
    r = await client.get("/jane.doe@example.com")
    assert (r.status_code, r.json()) == (404, {"error": "not_found"})
    r = await client.get("/scrub")
    assert (r.status_code, r.json()) == (405, {"error": "method_not_allowed"})
    assert r.headers["allow"] == "POST"


# -- operations ---------------------------------------------------------------------------------


async def test_health_ready_metrics(client: Any) -> None:
    engine = {"version": redaction.__version__, "fingerprint": redaction.ENGINE_FINGERPRINT}
    assert (await client.get("/health")).json() == {"status": "ok", "engine": engine}
    assert (await client.get("/ready")).json() == {
        "status": "ready",
        "store": "ok",
        "ner": {"spacy": "disabled", "llm": "not_configured"},
    }
    await apost_json(client, "/scrub", scrub_body("Jane Doe"))
    text = (await client.get("/metrics")).text
    assert 'redaction_requests_total{method="POST",route="/scrub",status="200"} 1.0' in text
    assert 'redaction_tokens_total{type="PERSON"} 1.0' in text
    assert 'redaction_outcomes_total{outcome="ok",route="/scrub"} 1.0' in text


async def test_ready_fails_when_a_layer_cannot_load(make_settings: SettingsFactory) -> None:
    layers = [ConfiguredLayer("spacy", FailingLayer(lambda: ner_down(), on_load=True))]
    async with asgi_client(create_app(make_settings(), layers=layers)) as c:
        r = await c.get("/ready")
        assert r.status_code == 503
        assert r.json()["error"] == "ner_unavailable"


async def test_service_output_is_the_engines(client: Any, tmp_path: Path) -> None:
    texts = ["Jane Doe of Acme Holdings", "Ms. Doe wrote jane@example.com", "[PERSON_1] is literal"]
    r = await apost_json(client, "/scrub", scrub_body(*texts))
    state = ScrubState()
    expected = [scrub(t, known_entities=KNOWN, state=state).text for t in texts]
    assert [i["scrubbed_text"] for i in r.json()["items"]] == expected


async def test_400_for_a_content_length_that_is_not_a_number(client: Any) -> None:
    r = await client.post(
        "/scrub", content=b"{}", headers={"content-type": "application/json", "content-length": "x"}
    )
    assert r.status_code == 400
    assert r.json() == {
        "error": "bad_request",
        "detail": [{"loc": "header.content-length", "type": "int_parsing"}],
    }


async def test_openapi_documents_both_routes_and_their_errors(client: Any) -> None:
    spec = (await client.get("/openapi.json")).json()
    scrub_responses = spec["paths"]["/scrub"]["post"]["responses"]
    assert {"200", "400", "401", "410", "413", "422", "500", "503"} <= set(scrub_responses)
    assert {"200", "409", "410"} <= set(spec["paths"]["/rehydrate"]["post"]["responses"])
    assert (await client.get("/docs")).status_code == 404  # no CDN-loaded pages


def test_app_main_app_is_built_lazily_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    import logging

    import app.main as main_module

    monkeypatch.setenv("REDACTION_DATA_DIR", str(data_dir))
    monkeypatch.setattr(main_module, "_app", None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        built = main_module.app
        assert built is main_module.app
        assert built.state._state == {}, "building the app must not open the store"
        assert not data_dir.exists(), "importing and building the app touches no disk"
        assert logging.getLogger("uvicorn.access").disabled, "uvicorn's access log would log raw paths"
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.getLogger("uvicorn.access").disabled = False
