"""Run the benchmarks: `python -m benchmarks.run [NAME ...] [-- ARGS]` (the Makefile's `bench`).

With no name, every benchmark runs in turn with its defaults. Arguments after `--` go to the
one named benchmark, e.g. `python -m benchmarks.run engine -- --quick`; with one name, its
options may also follow directly: `python -m benchmarks.run detection --quick`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> module with a `main(argv) -> int`
BENCHMARKS = {
    "engine": "benchmarks.engine",  # throughput vs Presidio's pattern recognizers, 100k dictionary
    "service": "benchmarks.service_load",  # the running service under load, SQLite and Redis stores
    "store": "benchmarks.store",  # map store backends per operation, Redis bytes per map entry
    "ner": "benchmarks.ner",  # NER leak rate and throughput vs Presidio, multi-turn cache
    "detection": "benchmarks.detection",  # leak rates per class of issue 10, rules-only and with spaCy
    "proxy": "benchmarks.proxy",  # provider proxy overhead vs direct, stream TTFB and per event, multi-turn
    "health_under_ner": "benchmarks.health_under_ner",  # /health p99 during a 1 MB ner=auto scrub
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"any of: {', '.join(BENCHMARKS)} (default: all)"
    )
    args, unknown_options = parser.parse_known_args(argv)
    extra = unknown_options + extra  # `detection --quick` == `detection -- --quick`
    names = args.names or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
    if extra and len(names) != 1:
        parser.error("arguments after -- need exactly one benchmark name")
    status = 0
    for name in names:
        print(f"## {name}\n", flush=True)
        status |= importlib.import_module(BENCHMARKS[name]).main(extra)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
