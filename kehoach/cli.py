"""The `kehoach` command: every subcommand, registered here by name.

Handlers import their heavy dependencies (underthesea, tantivy, fastapi) lazily: `kehoach
extract` should not pay for the search engine, nor `kehoach search` for the web server.
"""
from __future__ import annotations

import argparse
import sys

from archive.settings import Settings, SettingsError
from extraction import cli as extract_cli  # extract
from kehoach import bench  # bench
from kehoach import commands  # ingest, reindex, export, import, search, compare, similar, cites
from kehoach import serve  # serve
from kehoach import synth_cli  # corpus synth


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehoach",
        description="Extraction and search over Vietnamese government plans (Kế hoạch) "
        "of the national target programs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (extract_cli, commands, serve, synth_cli, bench):  # the order of `kehoach --help`
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:  # read once, here; every command gets them as args.settings
        args.settings = Settings.from_env()
    except SettingsError as e:
        print(f"kehoach: {e}", file=sys.stderr)
        return 2
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
