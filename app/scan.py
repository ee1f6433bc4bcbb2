"""``redaction-gateway scan``: tier-1 values in files, for pre-commit hooks and CI (docs/architecture.md §13).

The engine runs locally (no service): each file's text goes through `redaction.scrub` exactly
as ``POST /scrub`` would scrub it without NER (so a finding is a value the service would drop),
and each ``[REDACTED:KIND]`` marker of its output is mapped back to a line and column of the
input. A finding is its
kind, file, line and column: never the value, in any output format.

Inputs: files, directories (walked, skipping ``.git`` and what ``.gitignore`` files ignore,
read with the `pathspec` library's git semantics), glob patterns (``**`` included, filtered by
``.gitignore`` too) and ``-`` for stdin. A file named explicitly is always scanned (pre-commit
passes the staged files). Binary files (a NUL byte in their first 8 KiB) and files over the
size bound are skipped and counted.

Outputs: text for people (rich), JSON (`to_json`, schema in tests/cli), SARIF 2.1.0
(`to_sarif`, what code-scanning UIs ingest).
"""

from __future__ import annotations

import glob
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from redaction import TIER1_KINDS, rehydrate, scrub

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN",
    "Finding",
    "ScanReport",
    "find_tier1",
    "iter_inputs",
    "scan_paths",
    "to_json",
    "to_sarif",
]

STDIN = "-"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_MARK_PREFIX = "[REDACTED:"
_SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Finding:
    """One tier-1 value: where it starts (1-based line and column, in characters), its kind."""

    kind: str
    file: str
    line: int
    column: int


@dataclass(slots=True)
class ScanReport:
    findings: list[Finding] = field(default_factory=list)
    files_scanned: int = 0
    files_skipped: int = 0  # binary, too large or unreadable

    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        return dict(sorted(counts.items()))


def _markers(masked: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each ``[REDACTED:KIND]`` in the scanner's output."""
    pos = masked.find(_MARK_PREFIX)
    while pos >= 0:
        close = masked.find("]", pos)
        kind = masked[pos + len(_MARK_PREFIX) : close] if close > 0 else ""
        if close > 0 and kind in TIER1_KINDS:
            yield pos, close + 1, kind
            pos = masked.find(_MARK_PREFIX, close + 1)
        else:
            pos = masked.find(_MARK_PREFIX, pos + 1)


_MAX_CANDIDATES = 4096  # ends tried per value before the first one is taken (pathological input)


def _ends(text: str, start: int, following: str, last: bool, literal: Sequence[int]) -> Iterator[int]:
    """Where the verbatim run after a value starting at ``start`` may begin, leftmost first.

    ``literal``: the sorted offsets of "[REDACTED:" in ``text``; the scanner never masks
    inside a marker, so a value stops before the next one.
    """
    index = bisect_right(literal, start)
    limit = literal[index] if index < len(literal) else -1
    if last:  # the run after the last marker is the end of the text
        end = len(text) - len(following)
        if end > start and text.endswith(following) and (limit < 0 or end <= limit):
            yield end
        return
    pos = text.find(following, start + 1)
    tried = 0
    while pos >= 0 and tried < _MAX_CANDIDATES and (limit < 0 or pos <= limit):
        yield pos
        tried += 1
        pos = text.find(following, pos + 1)


def _align(text: str, chunks: Sequence[str], marks: Sequence[str]) -> list[int] | None:
    """The input offset of each marker (-1 for a marker that is literally in the input), such
    that ``chunks`` (the verbatim runs around the markers) line up with ``text``.

    A depth-first search over where each value ends, leftmost first, remembering dead ends:
    the first try is right unless a value contains the run that follows it (a card number
    holds spaces); the search then backs up instead of misplacing every later finding.
    """
    if not text.startswith(chunks[0]):
        return None
    count = len(marks)
    offsets = [0] * count
    literal = [m.start() for m in re.finditer(re.escape(_MARK_PREFIX), text)]
    dead: set[tuple[int, int]] = set()

    def options(i: int, at: int) -> Iterator[tuple[int, int]]:
        last = i + 1 == count
        if text.startswith(marks[i], at):  # the input itself holds this marker's text
            after = at + len(marks[i])
            if text.startswith(chunks[i + 1], after) and (
                not last or after + len(chunks[i + 1]) == len(text)
            ):
                yield -1, after
        for end in _ends(text, at, chunks[i + 1], last, literal):
            yield at, end

    stack = [(0, len(chunks[0]), options(0, len(chunks[0])))]
    while stack:
        i, at, choices = stack[-1]
        for offset, end in choices:
            if i + 1 == count:
                offsets[i] = offset
                return offsets
            following = end + len(chunks[i + 1])
            if (i + 1, following) not in dead:
                offsets[i] = offset
                stack.append((i + 1, following, options(i + 1, following)))
                break
        else:
            dead.add((i, at))
            stack.pop()
    return None


def find_tier1(text: str) -> list[tuple[int, str]]:
    """(offset in ``text``, kind) of every tier-1 value `redaction.scrub` drops from it.

    The scrubbed output, tier-2 tokens restored, is the input with each dropped value
    replaced by its marker, so the text
    between two markers is verbatim input: the markers' input offsets are found by aligning
    those runs with the input (`_align`). A marker already present in the input is not a
    finding.
    """
    result = scrub(text)
    if not result.audit.tier1:
        return []
    # Tier-2 tokens put back: what remains differs from the input only at the drop markers.
    masked_text = rehydrate(result.text, result.token_map)
    marks = list(_markers(masked_text))
    chunks = [
        masked_text[a:b]
        for a, b in zip(
            [0] + [e for _, e, _ in marks], [s for s, _, _ in marks] + [len(masked_text)], strict=True
        )
    ]
    offsets = _align(text, chunks, [masked_text[s:e] for s, e, _ in marks])
    if offsets is None:  # cannot happen for the scanner's output; report at the start rather than miss
        return [(0, kind) for _, _, kind in marks]
    return [(offset, kind) for offset, (_, _, kind) in zip(offsets, marks, strict=True) if offset >= 0]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _locate(text: str, offsets: Iterable[tuple[int, str]], name: str) -> list[Finding]:
    starts = _line_starts(text)
    out = []
    for offset, kind in offsets:
        line = bisect_right(starts, offset)
        out.append(Finding(kind, name, line, offset - starts[line - 1] + 1))
    return out


class _Ignores:
    """The ``.gitignore`` files that apply under a directory, each relative to its own folder."""

    def __init__(self) -> None:
        self._cache: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _spec(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._cache:
            ignore = folder / ".gitignore"
            spec = None
            if ignore.is_file():
                with ignore.open(encoding="utf-8", errors="replace") as handle:
                    spec = pathspec.GitIgnoreSpec.from_lines(handle)
            self._cache[folder] = spec
        return self._cache[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        path = path.absolute()
        for folder in path.parents:
            spec = self._spec(folder)
            if spec is not None:
                rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
            if (folder / ".git").exists():
                break  # the repository's root: ignore files above it do not apply
        return False


def _walk(root: Path, ignores: _Ignores | None) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if d != ".git" and not (ignores and ignores.ignored(base / d, is_dir=True))
        )
        for name in sorted(files):
            path = base / name
            if ignores is None or not ignores.ignored(path, is_dir=False):
                yield path


def iter_inputs(args: Sequence[str], *, gitignore: bool = True) -> Iterator[Path | str]:
    """Every input the arguments name, in order, once each (``-`` stays the string ``-``).

    Raises `FileNotFoundError` naming an argument that is no file, directory or matching glob.
    """
    ignores = _Ignores() if gitignore else None
    seen: set[str] = set()

    def once(path: Path) -> Iterator[Path]:
        key = os.path.normpath(str(path))
        if key not in seen:
            seen.add(key)
            yield path

    for arg in args:
        if arg == STDIN:
            yield STDIN
            continue
        path = Path(arg)
        if path.is_dir():
            for found in _walk(path, ignores):
                yield from once(found)
        elif path.is_file():
            yield from once(path)
        elif _GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise FileNotFoundError(arg)
            for match in matches:
                candidate = Path(match)
                if candidate.is_file() and not (ignores and ignores.ignored(candidate, is_dir=False)):
                    yield from once(candidate)
                elif candidate.is_dir():
                    for found in _walk(candidate, ignores):
                        yield from once(found)
        else:
            raise FileNotFoundError(arg)


def _read(path: Path, max_bytes: int) -> str | None:
    try:
        if path.stat().st_size > max_bytes:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    # Not UTF-8: undecodable bytes become lone surrogates, one character each, so the
    # columns of the rest of the line stay right and nothing is lost to the scanner.
    return data.decode("utf-8", errors="surrogateescape")


def _display(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def scan_paths(
    args: Sequence[str], *, gitignore: bool = True, max_bytes: int = DEFAULT_MAX_BYTES, stdin: Any = None
) -> ScanReport:
    """Scan what ``args`` name; ``stdin``: a text stream for ``-`` (default ``sys.stdin``)."""
    report = ScanReport()
    for item in iter_inputs(args, gitignore=gitignore):
        if item == STDIN:
            stream = stdin if stdin is not None else sys.stdin
            text: str | None = stream.read()
            name = "stdin"
        else:
            assert isinstance(item, Path)
            text = _read(item, max_bytes)
            name = _display(item)
        if text is None:
            report.files_skipped += 1
            continue
        report.files_scanned += 1
        report.findings.extend(_locate(text, find_tier1(text), name))
    return report


def to_json(report: ScanReport) -> dict[str, Any]:
    return {
        "findings": [
            {"kind": f.kind, "file": f.file, "line": f.line, "column": f.column} for f in report.findings
        ],
        "summary": {
            "findings": len(report.findings),
            "files_scanned": report.files_scanned,
            "files_skipped": report.files_skipped,
            "by_kind": report.by_kind(),
        },
    }


def _uri(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="/")


def to_sarif(report: ScanReport, version: str) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log: one rule per tier-1 kind, one result per finding."""
    kinds = sorted({f.kind for f in report.findings})
    index = {kind: i for i, kind in enumerate(kinds)}
    rules = [
        {
            "id": kind,
            "name": kind.title().replace("_", ""),
            "shortDescription": {"text": f"A tier-1 value ({kind}) is committed in plain text."},
            "defaultConfiguration": {"level": "error"},
        }
        for kind in kinds
    ]
    results = [
        {
            "ruleId": f.kind,
            "ruleIndex": index[f.kind],
            "level": "error",
            "message": {"text": f"Tier-1 value of kind {f.kind} (the value is not shown)."},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.file)},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in report.findings
    ]
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "redaction-gateway",
                        "version": version,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
