"""The engine's public surface, and its purity: no service, network or storage code, no I/O.

Three checks, from cheap to thorough: the engine's own modules import nothing that does I/O
(read from their source); importing and running the engine loads no service stack, HTTP
client or database driver; and a scrub, under a CPython audit hook, opens no socket and
writes or reads no file outside installed code.

`socket` itself may be loaded, and is not asserted absent: python-stdnum (a declared engine
dependency, for the IBAN/ABA/Luhn/RRN checksums) imports `ssl` in `stdnum.util` for its
online-lookup helpers, which the engine never calls. The audit hook is what proves no
connection is ever made.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import redaction

# Changing this set is an API decision: an accidental export (or a lost one) fails here.
PUBLIC_API = {
    "DROP_KINDS",
    "ENGINE_FINGERPRINT",
    "KNOWN_ENTITY_FIELDS",
    "SCAN_MODES",
    "SOURCE_DIGEST",
    "TIER1_KINDS",
    "TOKEN_TYPES",
    "BucketSpec",
    "CustomRule",
    "DenyTerm",
    "InputError",
    "KnownEntities",
    "NerFn",
    "Policy",
    "RedactionError",
    "Rehydration",
    "ScanMode",
    "ScanResult",
    "ScrubAudit",
    "ScrubResult",
    "ScrubState",
    "Span",
    "StreamRehydrator",
    "compile_known_entities",
    "rehydrate",
    "rehydrate_detailed",
    "residual_tokens",
    "scan_response",
    "scrub",
}

# The engine performs no I/O (docs/architecture.md §2): importing it must not pull in the service stack,
# an HTTP client or a database driver...
FORBIDDEN_MODULES = ("fastapi", "starlette", "httpx", "requests", "urllib3", "sqlite3", "app")
# ...and its own modules import nothing that talks to the network, the disk or other processes.
FORBIDDEN_IMPORTS = (
    *FORBIDDEN_MODULES, "socket", "ssl", "http.client", "http.server", "urllib.request", "asyncio",
    "subprocess", "multiprocessing", "shutil", "tempfile", "tldextract", "redis", "uvicorn",
    "websockets", "anthropic", "spacy", "presidio_analyzer",
)  # fmt: skip


def test_all_is_exactly_the_public_api() -> None:
    assert set(redaction.__all__) == PUBLIC_API, "redaction.__all__ changed: update PUBLIC_API deliberately"
    assert len(redaction.__all__) == len(set(redaction.__all__)), "duplicate names in redaction.__all__"


def test_every_public_name_resolves() -> None:
    for name in redaction.__all__:
        assert getattr(redaction, name, None) is not None, f"redaction.{name} is exported but missing"


def test_engine_modules_import_nothing_that_does_io() -> None:
    package = Path(redaction.__file__).resolve().parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path.relative_to(package.parent)}: import {name}"
                for name in names
                if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN_IMPORTS)
            ]
    assert offenders == [], f"the engine must perform no I/O (docs/architecture.md §2), yet: {offenders}"


def test_engine_imports_no_service_network_or_storage_modules() -> None:
    probe = (
        "import json, sys\n"
        "import redaction, redaction.detectors\n"
        "redaction.scrub('Mail jane@example.com', known_entities={'persons': ['Jane Doe']})\n"
        f"print(json.dumps(sorted(m for m in {FORBIDDEN_MODULES!r} if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == [], f"the engine must perform no I/O, yet importing it loads {loaded}"


_AUDIT_PROBE = """
import json, sys, sysconfig
import redaction
events = []
allowed_roots = tuple({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], sys.argv[1]})

def hook(event, args):
    if event == "open":
        path, mode = str(args[0]), str(args[1] or "r")
        # Reading installed code and package data (lazy imports, bundled tables) is allowed;
        # writing anything, or reading anything else, is I/O the engine must not do.
        if "w" in mode or "a" in mode or "+" in mode or "x" in mode or not path.startswith(allowed_roots):
            events.append(f"{event} {path} {mode}")
    elif event.startswith(("socket.", "subprocess.", "os.system", "os.exec", "os.spawn", "sqlite3.")):
        events.append(event)

sys.addaudithook(hook)
state = redaction.ScrubState()
for text in [
    "Mail jane@example.com or +1 650-253-0000 from 81.2.69.160 about $2.3M on 2024-07-15, DOB 1978-08-23",
    "key sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz1Bc3Df5Gh7Jk9Lm2Np4Qr6St8Uv0Wx2Yz4Ab6, card 4111 1111 1111 1111",
    "postgres://app:S3cret-pass@db.internal/app, IBAN GB82 WEST 1234 5698 7654 32, SSN 536-22-1234",
    "Jane Doe met Ms. Doe at https://example.com/u/jane [PERSON_1]",
]:
    result = redaction.scrub(text, known_entities={"persons": ["Jane Doe"]}, bucket=True, state=state)
    redaction.rehydrate(result.text, result.token_map)
redaction.ScrubState.from_json(state.to_json())
print(json.dumps(events))
"""


def test_scrub_and_rehydrate_perform_no_io() -> None:
    root = str(Path(redaction.__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-c", _AUDIT_PROBE, root], capture_output=True, text=True, check=True, timeout=120
    )
    events = json.loads(done.stdout.strip().splitlines()[-1])
    assert events == [], (
        f"the engine must perform no I/O (docs/architecture.md §2), yet scrub/rehydrate did: {events}"
    )
