"""Fixtures every test directory shares."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from .logs import LogCapture, capturing_logs

# Property tests draw the same examples on every run of the default suite (`make test`, CI): a
# red run then means a change broke something, never that chance found an old bug. `make fuzz`
# draws new random examples on each run (more of them where a test sets no count of its own).
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def captured_logs() -> Iterator[LogCapture]:
    """Every log record emitted during the test (leak tests search them for canaries)."""
    with capturing_logs() as handler:
        yield handler
