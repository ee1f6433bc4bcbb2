"""What identifies an engine: its version and the digest of its source (docs/architecture.md §14).

``SOURCE_DIGEST`` covers every file of the package directory in a fixed order, except:

- ``_fingerprint.py`` (it holds the digests, so it cannot be part of one);
- ``golden/`` (the corpus and its replay: ``ENGINE_FINGERPRINT`` covers what they show),
  ``testing.py``, ``_canaries.py`` and ``pytest_plugin.py`` (the test kit, not detection),
  so a repository may vendor the engine without them;
- ``__pycache__/`` directories, ``*.pyc``/``*.pyo`` files and names that start with a dot.

Each remaining file contributes the line ``<sha256 of its bytes>  <path>\\n`` (path relative
to the package directory, ``/``-separated, lines sorted by path, the format of
``sha256sum``); the digest is the SHA-256 of those lines. Bytes are hashed as they are: a
copy checked out with CRLF line endings is a different source.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from ._fingerprint import VERSION

__all__ = ["DISTRIBUTION", "engine_version", "source_digest", "source_files", "source_listing"]

DISTRIBUTION = "redaction-gateway"
_EXCLUDED_FILES = frozenset({"_fingerprint.py", "testing.py", "_canaries.py", "pytest_plugin.py"})
_EXCLUDED_DIRS = frozenset({"golden", "__pycache__"})
_HERE = Path(__file__).resolve().parent


def source_files(package_dir: Path) -> list[str]:
    """The files the source digest covers, as sorted ``/``-separated relative paths."""
    found = []
    for path in package_dir.rglob("*"):
        rel = path.relative_to(package_dir)
        parts = rel.parts
        if not path.is_file() or any(p.startswith(".") for p in parts):
            continue
        if any(p in _EXCLUDED_DIRS for p in parts[:-1]) or (len(parts) == 1 and parts[0] in _EXCLUDED_FILES):
            continue
        if path.suffix in (".pyc", ".pyo"):
            continue
        found.append(rel.as_posix())
    return sorted(found)


def source_listing(package_dir: Path) -> dict[str, str]:
    """Relative path -> hex SHA-256 of the file's bytes, for every file `source_files` lists."""
    return {
        rel: hashlib.sha256((package_dir / rel).read_bytes()).hexdigest() for rel in source_files(package_dir)
    }


def source_digest(package_dir: Path | None = None) -> str:
    """The source digest of the engine in ``package_dir`` (default: this one)."""
    listing = source_listing(_HERE if package_dir is None else package_dir)
    lines = "".join(f"{digest}  {rel}\n" for rel, digest in listing.items())
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _installed_here(dist: metadata.Distribution) -> bool:
    """Whether this package directory is the one ``dist`` installed (regular or editable)."""
    if Path(str(dist.locate_file("redaction/__init__.py"))).resolve().parent == _HERE:
        return True
    direct = dist.read_text("direct_url.json")
    if not direct:
        return False
    info = json.loads(direct)
    url = str(info.get("url", ""))
    if not info.get("dir_info", {}).get("editable") or not url.startswith("file:"):
        return False
    return (Path(unquote(urlparse(url).path)) / "redaction").resolve() == _HERE


@cache
def engine_version() -> str:
    """The installed distribution's version; a vendored copy (no metadata of its own, or a
    gateway installed elsewhere beside it) reports the version it was copied from plus the
    local label ``+vendored``, e.g. ``0.1.0+vendored``."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return f"{VERSION}+vendored"
    return dist.version if _installed_here(dist) else f"{VERSION}+vendored"
