"""``/health`` and small requests answer while a large ``ner=auto`` item is analysed (issue 13,
item 3). A regression guard: spaCy runs in the worker threads, off the event loop, so liveness
and small scrubs are served *during* the big scrub, not after it. (The timings are in
docs/benchmarks.md, ``benchmarks.run health_under_ner``; tests never assert timings, only order.)
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from benchmarks.health_under_ner import prose

from .conftest import running_server


def test_health_and_small_scrubs_answer_while_spacy_scrubs_a_large_item(tmp_path: Path) -> None:
    with running_server(tmp_path, spacy_enabled="true") as server:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            deadline = time.monotonic() + 60
            while c.get("/ready").status_code != 200:
                assert time.monotonic() < deadline, "spaCy did not load"
                time.sleep(0.2)
        big_done = threading.Event()
        big_status: list[int] = []

        def big_scrub() -> None:
            body = {"task_id": "big", "items": [{"id": "big", "text": prose(200_000)}], "ner": "auto"}
            with httpx.Client(base_url=server.url, timeout=600) as c:
                big_status.append(c.post("/scrub", json=body).status_code)
            big_done.set()

        worker = threading.Thread(target=big_scrub)
        worker.start()
        answered_during = 0
        with httpx.Client(base_url=server.url, timeout=60) as c:
            time.sleep(1.0)  # the big request is in the engine now
            small = {"task_id": "s", "items": [{"id": "s", "text": "Jane Doe, jane@example.com"}],
                     "ner": "rules_only"}  # fmt: skip
            while not big_done.is_set() and answered_during < 20:
                assert c.get("/health").status_code == 200
                assert c.post("/scrub", json=small).status_code == 200
                if not big_done.is_set():
                    answered_during += 1
        worker.join()
        assert big_status == [200]
        assert answered_during >= 3, "liveness and small scrubs must be served while NER runs"
