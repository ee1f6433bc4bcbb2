"""Leak canaries for the values detection round 2 catches, over real HTTP: tier-1 values in
their new shapes (separators, labels, ITIN, national ids, MRZ, secrets by context) never reach
a response, a log record, /metrics or the data dir; tier-2 values (obfuscated e-mails, URLs,
addresses, BIC, remembered names) reach only the encrypted map and come back on /rehydrate."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from app.logging import JsonFormatter
from app.main import create_app

from ..logs import LogCapture
from .conftest import SettingsFactory, live_server, post_json

# Valid values (checksums pass), each in a shape the engine did not catch before this round.
TIER1 = {
    "card, a dot between every digit": "4.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1",
    "ITIN": "912-71-3456",
    "SSN, bare after a German label": "536221234",
    "FR NIR": "1 84 12 76 451 089 46",
    "BR CPF": "111.444.777-35",
    "CVV after its label": "4821",
    "passport MRZ line": "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    "secret in a cookie": "a8f5f167f44f4964e6c998dee827110c",
}
TEXT_1 = (
    f"Kunde Ingrid Solberg, Karte {TIER1['card, a dot between every digit']}, ITIN {TIER1['ITIN']}, "
    f"Sozialversicherungsnummer: {TIER1['SSN, bare after a German label']}. NIR {TIER1['FR NIR']}, "
    f"CPF {TIER1['BR CPF']}, CVV: {TIER1['CVV after its label']}.\n"
    f"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n{TIER1['passport MRZ line']}\n"
    f"Cookie: theme=dark; sessionid={TIER1['secret in a cookie']}\n"
    "Write to ingrid.solberg [at] fjordbank [dot] no, profile "
    "https://www.linkedin.com/in/ingrid-solberg-4411, BIC DNBANOKKXXX, "
    "address 12, rue de la Paix, 75002 Paris."
)
TEXT_2 = "Ingrid confirmed; Solberg will sign with Ms. Solberg's pen."
TIER2 = (
    "Ingrid Solberg", "ingrid.solberg [at] fjordbank [dot] no", "linkedin.com/in/ingrid-solberg-4411",
    "DNBANOKKXXX", "rue de la Paix",
)  # fmt: skip
_NOT_DIGIT = re.compile(r"[^0-9A-Za-z]")


def _flat(text: str) -> str:
    return _NOT_DIGIT.sub("", text).lower()


_SHORT = 6  # a value this short is looked for as a whole number: `4821` is inside a log
# record's float timestamp (`'created': 1764921246.48213`) by chance, once in a few runs


def _tier1_in(blob: str) -> list[str]:
    flat = _flat(blob)
    found = []
    for kind, value in TIER1.items():
        if len(value) <= _SHORT:
            if re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", blob):
                found.append(kind)
        elif _flat(value) in flat:
            found.append(kind)
    return found


def test_round2_values_reach_no_response_log_metric_or_file(
    make_settings: SettingsFactory, captured_logs: LogCapture, data_dir: Path
) -> None:
    app = create_app(make_settings())
    with live_server(app) as url, httpx.Client(base_url=url) as c:
        first = post_json(
            c,
            "/scrub",
            {
                "task_id": "t-r2",
                "items": [{"id": "a", "text": TEXT_1}],
                "known_entities": {"persons": [TIER2[0]]},
            },
        )
        assert first.status_code == 200, first.text
        scrubbed = first.json()["items"][0]["scrubbed_text"]
        assert not _tier1_in(first.text), f"tier-1 values in the /scrub response: {_tier1_in(first.text)}"
        for value in TIER2:
            assert value.lower() not in scrubbed.lower(), "a tier-2 value reached the scrubbed text"
        handle = first.json()["map_handle"]

        # Turn 2: no known_entities; the map remembers the person.
        second = post_json(
            c, "/scrub", {"task_id": "t-r2", "map_handle": handle, "items": [{"id": "b", "text": TEXT_2}]}
        )
        assert second.status_code == 200, second.text
        turn2 = second.json()["items"][0]["scrubbed_text"]
        assert "Ingrid" not in turn2, "a remembered given name reached the LLM-bound text"
        assert "Solberg" not in turn2, "a remembered family name reached the LLM-bound text"

        back = post_json(
            c,
            "/rehydrate",
            {
                "task_id": "t-r2",
                "map_handle": handle,
                "items": [{"id": "r", "text": scrubbed}, {"id": "s", "text": turn2}],
            },
        )
        assert back.status_code == 200, back.text
        restored = [item["rehydrated_text"] for item in back.json()["items"]]
        assert restored[1] == TEXT_2, "the remembered mentions must rehydrate exactly"
        for value in TIER2:
            assert value in restored[0], "every tier-2 value comes back on /rehydrate"
        assert not _tier1_in(back.text), "a dropped tier-1 value can never come back"

        reject = post_json(
            c,
            "/scrub",
            {"task_id": "t-r2b", "items": [{"id": "a", "text": TEXT_1}], "tier1_action": "reject"},
        )
        assert reject.status_code == 422
        assert not _tier1_in(reject.text), "the 422 body names kinds, never values"
        metrics = c.get("/metrics").text
        assert not _tier1_in(metrics)
    raw_store = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file()).decode("latin-1")
    assert not _tier1_in(raw_store), "a tier-1 value reached the data dir"
    for value in TIER2:
        assert value.lower() not in raw_store.lower(), "a tier-2 value is in the data dir in plaintext"

    formatter = JsonFormatter()
    records = [r for r in captured_logs.records if not r.name.startswith(("httpx", "httpcore"))]
    assert records, "the run should have logged"
    for record in records:
        line = formatter.format(record) + repr(record.__dict__) + record.getMessage()
        assert not _tier1_in(line), f"a log record carries a tier-1 value: {line[:200]}"
        for value in TIER2:
            assert value.lower() not in line.lower(), "a log record carries a tier-2 value"
