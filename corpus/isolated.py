"""Hostile-file isolation: PDF parsing and OCR run in a child process with a memory limit
(RLIMIT_AS) and time limits, so a crafted PDF or image cannot hold a worker or the server.

The child reads the file from a temporary path, runs the format's reader and writes JSON
lines: {"event": "page", "done": k, "total": n} as it goes (progress, and proof it is alive),
then one {"event": "result", ...} or {"event": "refused", ...}. The parent kills the child
when no line comes within the time allowed for the next step, or the whole reading exceeds
its budget.
"""
from __future__ import annotations

import importlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

from corpus.loaded import LoadedText, LoadOptions, Refused

_ROOT = str(Path(__file__).resolve().parent.parent)
_CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); "
          "from corpus.isolated import main; main(sys.argv[2:])")
# Margin over the child's own per-page limit before the parent kills it.
_SLACK_SECONDS = 15.0


def run(kind: str, data: bytes, opts: LoadOptions) -> LoadedText:
    """Read `data` (kind "pdf", "image" or "sheet") in a child process; Refused on any failure.

    A single-threaded parent (a CLI run, an ingest worker) forks: the child starts in
    milliseconds with pypdf already imported. A threaded one (the API server) must not fork,
    and starts a fresh interpreter instead (about 0.3 s more)."""
    args = {"kind": kind, "ocr": opts.ocr, "page_seconds": opts.page_seconds,
            "memory_mb": opts.memory_mb}
    if hasattr(os, "fork") and threading.active_count() == 1:
        return _run_forked(args, data, opts)
    return _run_subprocess(args, data, opts)


def _run_forked(args: dict, data: bytes, opts: LoadOptions) -> LoadedText:
    importlib.import_module("pypdf")   # imported once here, inherited by every forked child

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: never returns
        os.close(read_fd)
        code = 1
        try:
            _serve(args, data, os.fdopen(write_fd, "w", encoding="utf-8"))
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as stream:
            return _follow(stream, opts)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


def _run_subprocess(args: dict, data: bytes, opts: LoadOptions) -> LoadedText:
    with tempfile.NamedTemporaryFile(prefix="kehoach-", suffix="." + args["kind"]) as f:
        f.write(data)
        f.flush()
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, _ROOT, json.dumps({**args, "path": f.name})],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            return _follow(proc.stdout, opts)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()


def _follow(stream, opts: LoadOptions) -> LoadedText:
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + opts.parse_seconds
    buffer = b""
    ocr_phase = False
    while True:
        now = time.monotonic()
        if now >= deadline:
            what = (f"nhận dạng chữ một trang quá {opts.page_seconds:.0f} giây" if ocr_phase
                    else f"đọc tệp quá {opts.parse_seconds:.0f} giây")
            raise Refused("timeout", f"dừng: {what} (tệp hỏng hoặc được tạo để làm treo máy chủ)")
        if not sel.select(timeout=deadline - now):
            continue
        chunk = os.read(stream.fileno(), 1 << 16)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            event = json.loads(line)
            kind = event["event"]
            if kind == "result":
                return LoadedText(**event["loaded"])
            if kind == "refused":
                raise Refused(event["reason"], event["message"])
            if kind == "page":
                if event.get("ocr"):
                    ocr_phase = True
                    deadline = time.monotonic() + opts.page_seconds + _SLACK_SECONDS
                if opts.on_progress is not None:
                    opts.on_progress(event["done"], event["total"])
    # The child ended without a result: killed by the memory limit or a crash in a library.
    raise Refused("unreadable", f"trình đọc dừng bất thường khi đọc tệp (tệp hỏng, hoặc vượt "
                                f"giới hạn {opts.memory_mb} MB bộ nhớ)")


# ---------------------------------------------------------------- the child

def main(argv: list[str]) -> None:
    """Entry of the fresh-interpreter child: the file comes by path, events go to stdout."""
    args = json.loads(argv[0])
    _serve(args, Path(args["path"]).read_bytes(), sys.stdout)


def _serve(args: dict, data: bytes, out) -> None:
    import resource

    # The limit is on top of what the process already maps (a forked ingest worker carries
    # its own models).
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    limit = mapped + args["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # One OCR thread per process: the ingest pool already runs one process per core.
    os.environ["OMP_THREAD_LIMIT"] = "1"

    def emit(event: dict) -> None:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    def progress(done: int, total: int, ocr: bool) -> None:
        emit({"event": "page", "done": done, "total": total, "ocr": ocr})

    try:
        if args["kind"] == "pdf":
            from corpus.pdf import read_pdf
            loaded = read_pdf(data, ocr=args["ocr"], page_seconds=args["page_seconds"],
                              progress=progress)
        elif args["kind"] == "sheet":
            from corpus.spreadsheet import read_workbook
            loaded = read_workbook(data, progress=progress)
        else:
            from corpus.images import read_image_file
            loaded = read_image_file(data, ocr=args["ocr"], page_seconds=args["page_seconds"],
                                     progress=progress)
    except Refused as r:
        emit({"event": "refused", "reason": r.reason, "message": r.message})
        return
    except MemoryError:
        emit({"event": "refused", "reason": "too-large",
              "message": f"tệp cần hơn {args['memory_mb']} MB bộ nhớ để đọc: dừng"})
        return
    except RecursionError:
        emit({"event": "refused", "reason": "unreadable", "message": "structure nested too deeply"})
        return
    except Exception as e:  # noqa: BLE001 - any library failure on a malformed file
        emit({"event": "refused", "reason": "unreadable", "message": f"cannot read: {type(e).__name__}: {e}"})
        return
    emit({"event": "result", "loaded": asdict(loaded)})
