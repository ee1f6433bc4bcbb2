"""The console command: ``redaction-gateway serve`` and ``redaction-gateway keygen``.

``serve [--host H] [--port P] [--workers N]`` runs the service under uvicorn with settings
from the environment and an optional ``.env`` (docs/architecture.md §10); ``--host``/``--port`` override
``REDACTION_HOST``/``REDACTION_PORT`` and pass the same validation (a non-loopback host
needs ``REDACTION_ALLOW_PUBLIC_BIND=true``). Invalid settings print which variable is wrong,
never its value, and exit with status 2. The process runs under umask 077, so everything it
creates is private to its user. uvicorn's access log is off (it would log raw paths); the
service writes its own JSON request log.

``keygen`` prints a fresh random map key (base64 of 32 bytes) for ``REDACTION_MAP_KEY``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

__all__ = ["main"]


def _settings_errors(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        name = "REDACTION_" + "_".join(str(p) for p in error["loc"]).upper() if error["loc"] else "settings"
        lines.append(f"  {name}: {error['msg']}")
    return "invalid configuration:\n" + "\n".join(lines)


def _serve(host: str | None, port: int | None, workers: int) -> int:
    import uvicorn

    from .logging import configure_logging
    from .main import create_app
    from .settings import Settings
    from .store import build_store

    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        print(_settings_errors(exc), file=sys.stderr)
        return 2
    os.umask(0o077)
    try:
        build_store(settings)  # a store that cannot be built is a configuration error, said here
    except ValueError as exc:  # our messages name variables, never values
        print(f"invalid configuration:\n  {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    for name in Settings.unknown_environment_names(os.environ):
        logging.getLogger("redaction_gateway").warning("unknown_setting", extra={"setting": name})
    options: dict[str, object] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
        # Compressing a frame that mixes model-chosen text with real values would let its
        # size reveal them (CRIME-style), so the stream route never negotiates deflate.
        "ws_per_message_deflate": False,
    }
    if workers > 1:
        # Worker processes build their own app from the environment: pass the overrides on.
        os.environ["REDACTION_HOST"] = settings.host
        os.environ["REDACTION_PORT"] = str(settings.port)
        uvicorn.run("app.main:create_app_from_env", factory=True, workers=workers, **options)  # type: ignore[arg-type]
    else:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="redaction-gateway", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", help="bind address (default: REDACTION_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="bind port (default: REDACTION_PORT or 8787)")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes sharing the store (default 1)"
    )
    commands.add_parser("keygen", help="print a new random map key for REDACTION_MAP_KEY")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        from .crypto import new_key

        print(new_key())
        return 0
    return _serve(args.host, args.port, max(1, args.workers))


if __name__ == "__main__":
    sys.exit(main())
