"""pytest plugin: `redaction.testing` as fixtures (docs/architecture.md §14).

Registered as the ``redaction`` entry point of the ``pytest11`` group, so installing the
package makes these fixtures available to every test suite in the environment:

- ``redaction_canaries``: a `redaction.testing.Canaries` seeded by the test's node id (the
  same values on every run of that test, different values in different tests);
- ``assert_no_leak``: `redaction.testing.assert_no_leak`.

The engine is imported when a test first asks for a fixture, never at pytest start-up.
Disable the plugin with ``-p no:redaction``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing import Canaries

__all__ = ["assert_no_leak", "redaction_canaries"]


@pytest.fixture
def redaction_canaries(request: pytest.FixtureRequest) -> Canaries:
    """Fresh canaries, reproducible per test: ``redaction_canaries.make("IBAN")``."""
    from .testing import Canaries

    return Canaries(seed=request.node.nodeid)


@pytest.fixture
def assert_no_leak() -> Callable[..., None]:
    """``assert_no_leak(scrubbed_text, canaries)``: fails naming kinds and offsets, never values."""
    from .testing import assert_no_leak as check

    return check
