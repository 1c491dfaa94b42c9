"""`kehoach serve`: the API and the web page under uvicorn, with the settings kehoach.cli read
(KEHOACH_DATA, KEHOACH_BACKEND, KEHOACH_API_KEY, KEHOACH_MAX_UPLOAD_MB, KEHOACH_ALLOWED_TYPES, ...)."""
from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the API and the web page",
        description="Serve the HTTP API (/docs) and the Vietnamese web page. Writes (upload, delete) "
        "are enabled only when KEHOACH_API_KEY is set.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = args.settings
    if not 0 < args.port < 65536:
        print(f"kehoach serve: --port {args.port}: not a TCP port", file=sys.stderr)
        return 2
    writes = "enabled" if settings.writes_enabled else "disabled (no KEHOACH_API_KEY)"
    print(f"kehoach: http://{args.host}:{args.port}/  (API docs /docs; writes {writes})", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0
