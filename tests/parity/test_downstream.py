"""A downstream repository's leak tests, with `redaction.testing` and its pytest plugin.

A tiny suite is written to a temporary directory and run by pytest in a subprocess, the way
another repository's CI runs it: the fixtures come from the ``pytest11`` entry point, not
from this repository's conftest. One test scrubs (passes), one forgets to (must fail, and
its failure output must name kinds, never the values).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from redaction.testing import Canaries

SUITE = """
from redaction import scrub
from redaction.testing import Canaries, assert_no_leak as direct_assert_no_leak


def build_prompt(notes: str) -> str:
    return f"Summarise these notes for the account team:\\n{notes}"


def test_prompt_is_scrubbed(redaction_canaries, assert_no_leak):
    planted = redaction_canaries.one_of_each()
    prompt = build_prompt("\\n".join(c.text for c in planted))
    scrubbed = scrub(prompt, known_entities=Canaries.known_entities(planted)).text
    assert_no_leak(scrubbed, planted)
    direct_assert_no_leak(scrubbed, {c.kind: c.value for c in planted})


def test_forgot_to_scrub(redaction_canaries, assert_no_leak):
    planted = redaction_canaries.one_of_each(["CREDIT_CARD", "IBAN"])
    assert_no_leak(build_prompt("\\n".join(c.text for c in planted)), planted)
"""


def test_a_downstream_suite_uses_the_plugin_and_its_failures_name_no_value(tmp_path: Path) -> None:
    (tmp_path / "test_prompts.py").write_text(SUITE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_prompts.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "1 failed, 1 passed" in output, output
    assert "LeakError: 2 planted value(s) leaked into the scrubbed text: CREDIT_CARD at" in output, output
    assert "IBAN at offset" in output, output
    # The plugin seeds by node id: recompute the leaky test's canaries and look for them.
    planted = Canaries("test_prompts.py::test_forgot_to_scrub").one_of_each(["CREDIT_CARD", "IBAN"])
    for canary in planted:
        assert canary.value not in output, f"the {canary.kind} canary's value is in the pytest output"
        assert canary.value.replace(" ", "") not in output
