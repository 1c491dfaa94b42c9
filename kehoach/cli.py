"""The `kehoach` command. Each layer registers its own subcommands, so this file stays small.

Handlers import their heavy dependencies (underthesea, tantivy, fastapi) lazily: `kehoach
extract` should not pay for the search engine, nor `kehoach search` for the web server.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# module -> it defines register(subparsers) adding its commands
COMMAND_MODULES = (
    "extraction.cli",  # extract
    "index.cli",  # ingest, reindex, export, import, search, compare, similar, cites
    "api.cli",  # serve
    "corpus.cli",  # corpus synth
    "kehoach.bench",  # bench
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehoach",
        description="Extraction and search over Vietnamese government plans (Kế hoạch) "
        "of the national target programs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:  # a real import error inside the module: show it
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        rc = args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return int(rc or 0)


if __name__ == "__main__":
    sys.exit(main())
