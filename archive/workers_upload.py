"""Uploads extracted in a child process each, outside the archive's lock, with limits.

A server takes files from anyone holding the key: a hostile one (a 48 KB PDF expanding to
millions of characters, a .docx of 57 M characters) must cost a bounded share of the machine.
Each upload is loaded and extracted in a process of its own (forkserver: the extraction
modules are imported once, a child starts in milliseconds), under an address-space limit
(RLIMIT_AS) and a wall-clock limit after which it is killed. At most `workers` run at once and
`queue` more wait; beyond that the caller gets QueueFull (the API answers 429 + Retry-After).
The server's threads never run the extraction, so searches never wait on it.
"""
from __future__ import annotations

import multiprocessing as mp
import threading
import time
from typing import Any, Callable


class QueueFull(Exception):
    """Every upload slot is taken; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"hàng đợi nạp tệp đã đầy, thử lại sau {retry_after} giây")
        self.retry_after = retry_after


class LimitExceeded(Exception):
    """The child ran out of its time or memory (the message, in Vietnamese, says which)."""


def _child(conn, fn: Callable, args: tuple, memory_mb: int) -> None:
    if memory_mb:
        import resource
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = fn(*args)
    except MemoryError:
        conn.send(("memory", None))
        return
    except BaseException as e:  # noqa: BLE001 - anything else is reported, the child exits
        conn.send(("error", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ok", result))


class UploadPool:
    def __init__(self, workers: int = 1, queue: int = 4, seconds: float = 120.0, memory_mb: int = 2048):
        self.workers, self.seconds, self.memory_mb = max(1, workers), seconds, memory_mb
        self._slots = threading.BoundedSemaphore(self.workers + max(0, queue))  # running + waiting
        self._running = threading.BoundedSemaphore(self.workers)
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["extraction.pipeline", "archive.workers", "archive.workers_warm"])

    def run(self, fn: Callable, *args: Any) -> Any:
        """fn(*args) in a child under the limits; QueueFull at once when no slot is free."""
        if not self._slots.acquire(blocking=False):
            raise QueueFull(max(1, int(self.seconds // 4)))
        try:
            with self._running:
                return self._run_child(fn, args)
        finally:
            self._slots.release()

    def _run_child(self, fn: Callable, args: tuple) -> Any:
        recv, send = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_child, args=(send, fn, args, self.memory_mb), daemon=True)
        proc.start()
        send.close()
        deadline = time.monotonic() + self.seconds
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LimitExceeded(f"quá {self.seconds:g} giây đọc và trích xuất (KEHOACH_UPLOAD_SECONDS)")
                if recv.poll(min(left, 0.5)):
                    try:
                        kind, value = recv.recv()
                    except EOFError:
                        kind, value = "died", None
                    break
                if not proc.is_alive() and not recv.poll(0):
                    kind, value = "died", None
                    break
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            recv.close()
        if kind == "ok":
            return value
        if kind in ("memory", "died"):
            raise LimitExceeded(f"vượt {self.memory_mb} MB bộ nhớ khi đọc và trích xuất (KEHOACH_UPLOAD_MEMORY_MB)")
        raise LimitExceeded(f"lỗi khi đọc và trích xuất: {value}")
