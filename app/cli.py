"""The console command ``redaction-gateway`` (docs/architecture.md §13), built with click.

Commands and exit codes (2 is always a usage or configuration error):

- ``serve [--host H] [--port P] [--workers N]``: run the HTTP service under uvicorn with
  settings from the environment and an optional ``.env`` (docs/architecture.md §10). Invalid
  settings print which variable is wrong, never its value, and exit 2.
- ``keygen``: print a fresh random key (base64 of 32 bytes) for ``REDACTION_MAP_KEY`` or
  ``REDACTION_AUDIT_KEY``.
- ``scan PATH...``: tier-1 values in files, directories, globs or ``-`` (stdin), with the engine
  run locally (`app.scan`); exit 1 when any is found. ``--format text|json|sarif``.
- ``scrub`` / ``rehydrate``: a file, stdin or a JSONL batch through a running service
  (``--url``, caller key from ``REDACTION_API_KEY``); exit 1 when the service refuses.
- ``audit verify FILE...``: check the audit log's chain (`app.audit`); exit 1 on the first bad line.
- ``check-config``: validate every setting (and the policy file) and print the effective
  configuration with secrets masked.
- ``mcp`` / ``mcp-wrap -- CMD ARGS``: the MCP tool server and the MCP wrapper (`app.mcp`).
- ``parity``: the parity kit (docs/architecture.md §14).

Server modules (FastAPI, uvicorn) are imported inside the commands that need them, so
``scan``, ``scrub`` and the others work in an install without the service's dependencies.
No command prints an input value, a key or a handle it was not asked for: findings are
kinds and places, errors are codes.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from pydantic import ValidationError

    from .client import GatewayClient

__all__ = ["cli", "main"]

DEFAULT_URL = "http://127.0.0.1:8787"
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _version() -> str:
    try:
        return version("redaction-gateway")
    except PackageNotFoundError:  # a source checkout that was never installed
        return "0+unknown"


def _err(message: str) -> None:
    click.echo(message, err=True)


def _missing(exc: ModuleNotFoundError, extra: str) -> int:
    """A command whose optional dependencies are not installed: say which extra, exit 2."""
    _err(
        f"this command needs redaction-gateway[{extra}] (missing module {exc.name}): "
        f"pip install 'redaction-gateway[{extra}]'"
    )
    return 2


def _settings_errors(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        name = "REDACTION_" + "_".join(str(p) for p in error["loc"]).upper() if error["loc"] else "settings"
        lines.append(f"  {name}: {error['msg']}")
    return "invalid configuration:\n" + "\n".join(lines)


@click.group(context_settings=_CONTEXT)
@click.version_option(
    _version(), "--version", "-V", prog_name="redaction-gateway", message="%(prog)s %(version)s"
)
def cli() -> None:
    """redaction-gateway: scrub context to placeholders before a hosted LLM sees it, and put
    the real values back into the reply.

    Settings come from REDACTION_* environment variables (see check-config).
    """


# -- serve, keygen ----------------------------------------------------------------------------


@cli.command()
@click.option("--host", help="Bind address (default: REDACTION_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Bind port (default: REDACTION_PORT or 8787).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes sharing the store.")
def serve(host: str | None, port: int | None, workers: int) -> int:
    """Run the HTTP service."""
    try:
        from .server import serve as run_server  # FastAPI and uvicorn: only this command needs them
    except ModuleNotFoundError as exc:
        return _missing(exc, "server")
    return run_server(host, port, max(1, workers))


@cli.command(short_help="Print a new random 32-byte key (base64).")
def keygen() -> int:
    """Print a new random key (base64 of 32 bytes) for REDACTION_MAP_KEY or REDACTION_AUDIT_KEY."""
    import base64

    click.echo(base64.b64encode(secrets.token_bytes(32)).decode("ascii"))
    return 0


# -- scan ------------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json or sarif (SARIF 2.1.0) for CI tools.",
)
@click.option("--no-gitignore", is_flag=True, help="Also scan what .gitignore files ignore.")
@click.option(
    "--max-bytes", type=click.IntRange(1), default=10 * 1024 * 1024, show_default=True,
    help="Skip files larger than this.",
)  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
def scan(paths: tuple[str, ...], fmt: str, no_gitignore: bool, max_bytes: int, output: str | None) -> int:
    """Find tier-1 values (keys, passwords, card and id numbers...) in files.

    PATHS are files, directories, glob patterns or - for stdin. Prints kind, file, line and
    column of each finding, never the value. Exits 1 when anything is found, 0 otherwise.
    """
    from .scan import scan_paths, to_json, to_sarif

    try:
        report = scan_paths(paths, gitignore=not no_gitignore, max_bytes=max_bytes)
    except FileNotFoundError as exc:
        raise click.BadParameter(
            f"no such file, directory or match: {exc.args[0]}", param_hint="PATHS"
        ) from None
    if fmt == "text":
        _print_scan(report, output)
    else:
        data = to_json(report) if fmt == "json" else to_sarif(report, _version())
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
    return 1 if report.findings else 0


def _print_scan(report: Any, output: str | None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    handle = open(output, "w", encoding="utf-8") if output else None  # noqa: SIM115
    try:
        console = (
            Console(file=handle, highlight=False, soft_wrap=True) if handle else Console(highlight=False)
        )
        if report.findings:
            table = Table(show_edge=False, box=None, pad_edge=False)
            for column in ("file", "line", "column", "kind"):
                table.add_column(column)
            for f in report.findings:
                table.add_row(Text(f.file), str(f.line), str(f.column), Text(f.kind))
            console.print(table)
        kinds = ", ".join(f"{kind} {n}" for kind, n in report.by_kind().items())
        summary = f"{len(report.findings)} tier-1 finding(s) in {report.files_scanned} file(s)"
        if kinds:
            summary += f" ({kinds})"
        if report.files_skipped:
            summary += f"; {report.files_skipped} skipped (binary, too large or unreadable)"
        console.print(Text(summary, style="bold red" if report.findings else "green"))
    finally:
        if handle:
            handle.close()


# -- scrub, rehydrate ------------------------------------------------------------------------


def _client(url: str, timeout: float) -> GatewayClient:
    from .client import GatewayClient

    return GatewayClient(url, api_key=os.environ.get("REDACTION_API_KEY") or None, timeout=timeout)


def _service_error(exc: Exception) -> int:
    from .client import GatewayConnectionError, GatewayError

    if isinstance(exc, GatewayConnectionError):
        _err("error: cannot reach the service (is `redaction-gateway serve` running at --url?)")
    elif isinstance(exc, GatewayError):
        detail = ""
        if exc.body.get("tokens"):
            detail = " " + " ".join(str(t) for t in exc.body["tokens"])  # placeholders, never values
        elif exc.body.get("spans"):
            detail = " " + json.dumps(exc.body["spans"])  # item ids and kinds
        _err(f"error: {exc.code} (HTTP {exc.status}){detail}")
    return 1


def _read_input(source: str) -> str:
    try:
        # Bytes, decoded here: text-mode reading would turn CRLF into LF and break the round trip.
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise click.BadParameter("not UTF-8 text", param_hint="INPUT") from None
    except OSError as exc:
        raise click.BadParameter(f"cannot read it ({type(exc).__name__})", param_hint="INPUT") from None


def _batch(source: str) -> list[dict[str, str]]:
    """The items of a JSONL batch: one ``{"id": ..., "text": ...}`` per line."""
    items = []
    lines = _read_input(source).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise click.BadParameter(f"line {number} is not JSON", param_hint="INPUT") from None
        if not (
            isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("text"), str)
        ):
            raise click.BadParameter(f'line {number} is not {{"id": str, "text": str}}', param_hint="INPUT")
        items.append({"id": item["id"], "text": item["text"]})
    ids = [i["id"] for i in items]
    if len(set(ids)) != len(ids):
        raise click.BadParameter("item ids must be unique", param_hint="INPUT")
    return items


def _chunks(items: list[dict[str, str]], size: int) -> Iterator[list[dict[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress(total: int) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=False, disable=total == 0,
    )  # fmt: skip


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (0600, also when it existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def _emit_jsonl(out: TextIO, rows: Sequence[dict[str, str]]) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


_url_option = click.option(
    "--url", default=lambda: os.environ.get("REDACTION_URL", DEFAULT_URL), show_default="REDACTION_URL or "
    + DEFAULT_URL, help="The running service.",
)  # fmt: skip
_timeout_option = click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Seconds per request."
)
_batch_option = click.option(
    "--batch", is_flag=True, help='INPUT is JSONL: one {"id": ..., "text": ...} per line.'
)
_batch_size_option = click.option(
    "--batch-size", type=click.IntRange(1, 100_000), default=64, show_default=True, help="Items per request."
)


@cli.command()
@click.argument("input_", metavar="INPUT", default="-")
@_url_option
@click.option("--task-id", help="The task the map belongs to (default: a new random id).")
@click.option("--map-handle", help="Extend this existing map instead of creating one.")
@click.option(
    "--handle-file", type=click.Path(dir_okay=False, path_type=Path),
    help="Write task id and map handle here (mode 0600) instead of printing them to stderr.",
)  # fmt: skip
@click.option(
    "--known-entities", type=click.File("r"), help="A JSON file: {persons, orgs, funds, emails, locations}."
)
@click.option("--tier1-action", type=click.Choice(["drop", "reject"]), default="drop", show_default=True)
@click.option("--ner", type=click.Choice(["auto", "llm", "rules_only"]), default="auto", show_default=True)
@_batch_option
@_batch_size_option
@_timeout_option
def scrub(
    input_: str, url: str, task_id: str | None, map_handle: str | None, handle_file: Path | None,
    known_entities: TextIO | None, tier1_action: str, ner: str, batch: bool, batch_size: int, timeout: float,
) -> int:  # fmt: skip
    """Scrub a file, stdin (-) or a JSONL batch through a running service.

    Prints the scrubbed text (with --batch: JSONL of {"id", "scrubbed_text"}) on stdout, and
    the task id and map handle on stderr, or into --handle-file. The caller key comes from
    REDACTION_API_KEY.
    """
    from .client import GatewayError

    known = json.load(known_entities) if known_entities else None
    task = task_id or f"cli-{secrets.token_hex(8)}"
    items = _batch(input_) if batch else [{"id": "input", "text": _read_input(input_)}]
    handle = map_handle
    expires = ""
    rows: list[dict[str, str]] = []
    try:
        with _client(url, timeout) as client, _progress(len(items) if batch else 0) as progress:
            bar = progress.add_task("scrub", total=len(items))
            for chunk in _chunks(items, batch_size):
                answer = client.scrub(
                    {i["id"]: i["text"] for i in chunk}, task_id=task, known_entities=known,
                    tier1_action=tier1_action, ner=ner, map_handle=handle,
                )  # fmt: skip
                handle, expires = answer.map_handle, answer.expires_at
                rows.extend({"id": i.id, "scrubbed_text": i.scrubbed_text} for i in answer.items)
                progress.advance(bar, len(chunk))
    except GatewayError as exc:
        return _service_error(exc)
    if batch:
        _emit_jsonl(sys.stdout, rows)
    else:
        sys.stdout.write(rows[0]["scrubbed_text"])
    sys.stdout.flush()
    if handle_file is not None:
        record = {"task_id": task, "map_handle": handle, "expires_at": expires}
        _write_private(handle_file, json.dumps(record) + "\n")
    else:
        _err(f"task_id: {task}\nmap_handle: {handle}\nexpires_at: {expires}")
    return 0


@cli.command(short_help="Rehydrate a file, stdin or a JSONL batch via a running service.")
@click.argument("input_", metavar="INPUT", default="-")
@_url_option
@click.option("--task-id", help="The task id the map was created for.")
@click.option("--map-handle", help="The map to read.")
@click.option(
    "--handle-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read task id and map handle from a file written by `scrub --handle-file`.",
)  # fmt: skip
@click.option(
    "--strict/--no-strict", default=True, show_default=True, help="Refuse tokens the map does not hold."
)
@_batch_option
@_batch_size_option
@_timeout_option
def rehydrate(
    input_: str, url: str, task_id: str | None, map_handle: str | None, handle_file: Path | None,
    strict: bool, batch: bool, batch_size: int, timeout: float,
) -> int:  # fmt: skip
    """Put the real values back into a file, stdin (-) or a JSONL batch via a running service.

    Prints the rehydrated text (with --batch: JSONL of {"id", "rehydrated_text"}) on stdout.
    """
    from .client import GatewayError

    if handle_file is not None:
        try:
            saved = json.loads(handle_file.read_text(encoding="utf-8"))
            task_id = task_id or str(saved["task_id"])
            map_handle = map_handle or str(saved["map_handle"])
        except (ValueError, KeyError, TypeError):
            raise click.BadParameter(
                "not a handle file written by `scrub`", param_hint="--handle-file"
            ) from None
    if not task_id or not map_handle:
        raise click.UsageError("give --task-id and --map-handle, or --handle-file")
    items = _batch(input_) if batch else [{"id": "input", "text": _read_input(input_)}]
    rows: list[dict[str, str]] = []
    try:
        with _client(url, timeout) as client, _progress(len(items) if batch else 0) as progress:
            bar = progress.add_task("rehydrate", total=len(items))
            for chunk in _chunks(items, batch_size):
                answer = client.rehydrate(
                    {i["id"]: i["text"] for i in chunk}, task_id=task_id, map_handle=map_handle, strict=strict
                )
                rows.extend({"id": i.id, "rehydrated_text": i.rehydrated_text} for i in answer.items)
                progress.advance(bar, len(chunk))
    except GatewayError as exc:
        return _service_error(exc)
    if batch:
        _emit_jsonl(sys.stdout, rows)
    else:
        sys.stdout.write(rows[0]["rehydrated_text"])
    sys.stdout.flush()
    return 0


# -- audit -----------------------------------------------------------------------------------


@cli.group()
def audit() -> None:
    """The tamper-evident audit log (REDACTION_AUDIT_LOG)."""


@audit.command("verify")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The audit key (base64 of 32 bytes). Default: REDACTION_AUDIT_KEY, else derived from the map key.",
)  # fmt: skip
@click.option(
    "--head", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The head file (default: the last FILE's .head, when present).",
)  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def audit_verify(files: tuple[Path, ...], key_file: Path | None, head: Path | None, fmt: str) -> int:
    """Check the chain of an audit log: FILES oldest first when rotated (FILE.000000000042 ... FILE).

    Exits 0 when every record is authentic and in order, 1 naming the first bad line.
    """
    from .audit import decode_audit_key, verify

    try:
        if key_file is not None:
            key = decode_audit_key(key_file.read_text(encoding="ascii"))
        elif os.environ.get("REDACTION_AUDIT_KEY"):
            key = decode_audit_key(os.environ["REDACTION_AUDIT_KEY"])
        else:  # derived from the map key: the service's settings say where it is
            key = _derived_audit_key()
    except ModuleNotFoundError as exc:
        return _missing(exc, "server")
    except (ValueError, OSError) as exc:  # messages name variables, never values
        _err(f"no audit key: {exc}")
        return 2
    result = verify(list(files), key, head=head)
    if fmt == "json":
        click.echo(json.dumps({
            "ok": result.ok, "records": result.records, "file": result.file, "line": result.line,
            "reason": result.reason, "last_seq": result.last_seq, "head_checked": result.head_checked,
        }))  # fmt: skip
    elif result.ok:
        click.echo(f"ok: {result.records} record(s) verified, last seq {result.last_seq}")
        if not result.head_checked:
            _err("warning: no head file, so records cut from the end cannot be detected")
    else:
        click.echo(f"FAILED: {result.file}:{result.line}: {result.reason}")
    return 0 if result.ok else 1


def _derived_audit_key() -> bytes:
    from pydantic import ValidationError

    from .audit import audit_key_from_settings
    from .settings import Settings

    try:
        return audit_key_from_settings(Settings())
    except ValidationError as exc:
        raise ValueError(_settings_errors(exc)) from None


# -- check-config ----------------------------------------------------------------------------


def _masked(settings: Any) -> dict[str, Any]:
    from pydantic import SecretStr

    out: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            out[name] = "****** (set)"
        elif isinstance(value, Path):
            out[name] = str(value)
        elif isinstance(value, str) and "@" in value and "://" in value:
            out[name] = _without_userinfo(value)  # an upstream URL may carry user:password@
        else:
            out[name] = value
    return out


def _without_userinfo(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``******@``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"******@{host}"))


def _check_policy(settings: Any) -> str | None:
    """Load the policy file with the service's own loader; its error message, or None."""
    if getattr(settings, "policy_file", None) is None:
        return None
    from .policy_file import PolicyFileError, load_policy_file

    try:
        load_policy_file(settings.policy_file)
    except PolicyFileError as exc:  # names profile, key and line, never a term or pattern
        return str(exc)
    return None


@cli.command("check-config", short_help="Validate the settings; print them, secrets masked.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check_config(fmt: str) -> int:
    """Validate every REDACTION_* setting and the policy file; print the effective
    configuration with secrets masked. Exits 2 when something is wrong."""
    try:
        from pydantic import ValidationError

        from .settings import Settings
    except ModuleNotFoundError as exc:
        return _missing(exc, "server")

    try:
        settings = Settings()
    except ValidationError as exc:
        _err(_settings_errors(exc))
        return 2
    problems = []
    policy_error = _check_policy(settings)
    if policy_error is not None:
        problems.append(policy_error)
    if settings.audit_log is not None:
        from .audit import audit_key_from_settings

        try:
            audit_key_from_settings(settings)
        except (ValueError, OSError) as exc:
            problems.append(f"REDACTION_AUDIT_LOG: {exc}")
    unknown = Settings.unknown_environment_names(os.environ)
    warnings = [f"{setting} {why}" for setting, why in settings.upstream_warnings()]
    effective = _masked(settings)
    if fmt == "json":
        report = {"ok": not problems, "problems": problems, "unknown": unknown, "warnings": warnings,
                  "settings": effective}  # fmt: skip
        click.echo(json.dumps(report, default=str, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(show_edge=False, box=None, pad_edge=False)
        table.add_column("variable")
        table.add_column("value")
        for name, value in effective.items():
            table.add_row(Text("REDACTION_" + name.upper()), Text("unset" if value is None else str(value)))
        console = Console(highlight=False)
        console.print(table)
        for name in unknown:
            console.print(Text(f"warning: {name} is not a setting (a typo?)", style="yellow"))
        for warning in warnings:
            console.print(Text(f"warning: {warning}", style="yellow"))
    if problems:
        _err("invalid configuration:\n" + "\n".join(f"  {p}" for p in problems))
        return 2
    return 0


# -- MCP, parity -----------------------------------------------------------------------------


@cli.command()
@click.option("--url", help="Use this running service (default: an in-process engine and map store).")
def mcp(url: str | None) -> int:
    """Serve scrub, rehydrate and forget as MCP tools over stdio."""
    try:
        import mcp as _sdk  # noqa: F401  (the official SDK: the `mcp` extra)

        from .mcp.server import run_server
    except ModuleNotFoundError as exc:
        return _missing(exc, "mcp")
    if url is None:  # in-process: the service's app, with the service's settings
        try:
            from pydantic import ValidationError

            from .main import create_app as _create_app  # noqa: F401
            from .settings import Settings
        except ModuleNotFoundError as exc:
            return _missing(exc, "server")
        try:
            Settings()
        except ValidationError as exc:
            _err(_settings_errors(exc))
            return 2
    return run_server(url=url, api_key=os.environ.get("REDACTION_API_KEY") or None)


@cli.command("mcp-wrap", context_settings={"ignore_unknown_options": True})
@click.option("--url", help="Scrub through this running service (default: in-process engine).")
@click.option(
    "--known-entities", type=click.File("r"),
    help="A JSON file {persons, orgs, funds, emails, locations}: names always caught.",
)  # fmt: skip
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def mcp_wrap(url: str | None, known_entities: TextIO | None, command: tuple[str, ...]) -> int:
    """Run another MCP server (after --) and sit between it and the client.

    Tool results, resources and prompts coming back are scrubbed before the client reads them;
    tool-call arguments going out are rehydrated. One map per session.
    """
    from .mcp.wrap import run_wrapper

    known = json.load(known_entities) if known_entities else None
    return run_wrapper(
        list(command), url=url, api_key=os.environ.get("REDACTION_API_KEY") or None, known_entities=known
    )


@cli.command(short_help="Check a vendored engine or a service against this one.")
@click.option(
    "--vendored", type=click.Path(path_type=Path), help="A directory holding a vendored redaction/ package."
)
@click.option("--url", help="A running service to replay the golden corpus through.")
def parity(vendored: Path | None, url: str | None) -> int:
    """Prove a vendored engine or a running service behaves byte for byte like this one."""
    if vendored is None and url is None:
        raise click.UsageError("give --vendored DIR, --url URL, or both")
    try:
        from .parity import run_parity
    except ImportError:
        _err("the parity kit is not part of this install")
        return 2
    return run_parity(vendored, url, os.environ.get("REDACTION_API_KEY") or None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 findings/refusal, 2 usage)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="redaction-gateway",
            standalone_mode=False,
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        _err("aborted")
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
