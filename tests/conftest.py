"""Fixtures every test directory shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .logs import LogCapture, capturing_logs


@pytest.fixture
def captured_logs() -> Iterator[LogCapture]:
    """Every log record emitted during the test (leak tests search them for canaries)."""
    with capturing_logs() as handler:
        yield handler
