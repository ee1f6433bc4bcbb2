"""Write docs/openapi.json: the OpenAPI document the service serves at /openapi.json (`make openapi`).

The document is built exactly as a service started with the default configuration builds it
(no ``REDACTION_*`` variable, no ``.env``): the limits in it are the defaults. With ``--check``
nothing is written and the exit status says whether docs/openapi.json is current (0) or not (1);
tests/contract/test_openapi.py also compares it with a live service's /openapi.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = ROOT / "docs" / "openapi.json"


def render() -> str:
    """The document as committed: indented JSON, keys in FastAPI's order, one trailing newline."""
    for name in [n for n in os.environ if n.startswith("REDACTION_")]:
        del os.environ[name]
    from app.main import create_app
    from app.settings import Settings

    with tempfile.TemporaryDirectory() as data_dir:  # building the app touches no disk; be sure
        app = create_app(Settings(_env_file=None, data_dir=Path(data_dir)))  # type: ignore[call-arg]
        return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/openapi.json is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print("docs/openapi.json is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
