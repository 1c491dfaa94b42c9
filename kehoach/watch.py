"""`kehoach ingest --watch DIR`: poll folders and ingest files that are new or changed.

Polling (stat of every supported file, every `interval` seconds) works on network shares and
mounted folders where inotify does not. A file is taken once it has not changed for `settle`
seconds (a scanner or a copy still writing it is left for the next poll); a file whose size and
modification time are those already ingested is not read again. Ingest itself is idempotent
(the same text, or a copy of a stored plan, is "unchanged"), so a restart costs one read of
each file and adds nothing. Deleted files are left in the archive (`kehoach` never deletes a
plan on its own). Ctrl-C ends the watch between two polls or during one; what was committed
stays.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Callable, Iterable, Optional

from archive.format import vn_number
from archive.results import IngestReport
from archive.workers import collect_files

Signature = tuple[int, int]   # (size, mtime_ns)


def snapshot(paths: Iterable[str]) -> dict[str, Signature]:
    """Every supported file under `paths` with its size and modification time."""
    files, _ = collect_files(paths)
    out = {}
    for f in files:
        try:
            st = os.stat(f)
        except OSError:   # removed between the walk and the stat
            continue
        out[f] = (st.st_size, st.st_mtime_ns)
    return out


def due(snap: dict[str, Signature], done: dict[str, Signature], now: float, settle: float) -> list[str]:
    """Files new or changed since they were ingested, and quiet for `settle` seconds."""
    return sorted(f for f, sig in snap.items() if done.get(f) != sig and now - sig[1] / 1e9 >= settle)


def watch(archive, paths: list[str], interval: float = 5.0, settle: float = 1.0, cycles: Optional[int] = None,
          workers: Optional[int] = None, on_report: Optional[Callable[[IngestReport], None]] = None,
          on_progress: Optional[Callable] = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Poll `paths` `cycles` times (None: until Ctrl-C); returns the number of files ingested
    (new plans, replacements, copies joined to a plan)."""
    done: dict[str, Signature] = {}
    taken, n = 0, 0
    try:
        while cycles is None or n < cycles:
            snap = snapshot(paths)
            files = due(snap, done, time.time(), settle)
            if files:
                report = archive.ingest(files, on_progress=on_progress, workers=workers)
                for it in report.items:   # a failed file is tried again only when it changes
                    done[it.path] = snap.get(it.path, done.get(it.path))
                taken += sum(1 for it in report.items if it.status != "failed")
                if on_report:
                    on_report(report)
            n += 1
            if cycles is None or n < cycles:
                sleep(interval)
    except KeyboardInterrupt:
        pass
    return taken


def print_report(report: IngestReport, stream=None) -> None:
    """One line per file that changed something or failed (Vietnamese), on stderr."""
    stream = stream or sys.stderr
    words = {"ingested": "đã nạp", "replaced": "thay bản cũ", "unchanged": "không đổi", "failed": "lỗi"}
    stamp = time.strftime("%H:%M:%S")
    for it in report.items:
        if it.status == "failed":
            print(f"{stamp} lỗi: {it.error}", file=stream)
        elif it.status != "unchanged" or it.note:
            print(f"{stamp} {words.get(it.status, it.status)}: {it.path}" + (f" ({it.note})" if it.note else ""),
                  file=stream)
    c = report.counts()
    print(f"{stamp} đã nạp {vn_number(c['ingested'], 0)}, không đổi {vn_number(c['unchanged'], 0)}, "
          f"thay bản cũ {vn_number(c['replaced'], 0)}, lỗi {vn_number(c['failed'], 0)}", file=stream)
