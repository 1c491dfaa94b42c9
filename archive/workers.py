"""The ingest workers: load + extract + analyse (pure CPU, in a process pool), and the pool.

Files are loaded, extracted and analysed for the engines in worker processes (one per core);
only the writes happen in the archive's process (archive/service.py). A worker that dies
(out of memory, a crash in a library) loses only its own file (run_pool).
"""
from __future__ import annotations

import collections
import multiprocessing as mp
import os
import queue
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from index.similar import ClauseRow, clause_rows

from .results import IngestItem
from .store import Record, plan_id_for


@dataclass
class Prepared:
    path: str
    source: Optional[str]
    status: str  # "new" | "known" | "failed"
    plan_id: Optional[str] = None
    doc: Optional[str] = None
    record: Optional[Record] = None
    docs: Optional[tuple[dict, list]] = None  # (plan_doc, clause_docs) from index.documents
    sim: Optional[list[ClauseRow]] = None
    error: Optional[str] = None
    info: Optional[dict] = None  # similar_info(record), made here: the writer has no Plan to read it from


_KNOWN: frozenset = frozenset()
INFLIGHT_PER_WORKER = 12  # tasks queued per worker process (was 3)


def _init_worker(known: frozenset) -> None:
    global _KNOWN
    _KNOWN = known


def analyse_record(rec: Record) -> tuple[tuple[dict, list], list[ClauseRow]]:
    """Index documents and similar-clause rows of a stored extraction (no extraction)."""
    from index.documents import build_docs
    docs = build_docs(rec.plan_id, rec.plan, rec.ingested_at)
    return docs, clause_rows(docs[1])


def prepare_file(path: str, ingested_at: str, known: Optional[frozenset] = None,
                 max_bytes: Optional[int] = None, caps: Optional[tuple[int, int]] = None) -> Prepared:
    """max_bytes: the loaders' file size limit (settings.max_file_bytes; None: the loaders' default);
    caps: (most characters, most pages) of the text (settings.max_text_chars, max_pages)."""
    from corpus.loaders import LoadError, load_text
    source = _printable(str(Path(path).resolve()))
    try:
        loaded = load_text(path, max_bytes=max_bytes)
    except LoadError as e:
        return Prepared(path, source, "failed", error=str(e))
    except (OSError, ValueError, MemoryError) as e:
        return Prepared(path, source, "failed", error=f"{path}: không đọc được tệp: {type(e).__name__}: {e}")
    return _prepare_loaded(path, source, _printable(Path(path).name), loaded, ingested_at, known, caps)


def _printable(name: str) -> str:
    """A file name that was not valid UTF-8 (kept by Python as surrogates) as storable text."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def prepare_bytes(name: str, data: bytes, ingested_at: str, known: Optional[frozenset] = None,
                  max_bytes: Optional[int] = None, caps: Optional[tuple[int, int]] = None) -> Prepared:
    from corpus.loaders import LoadError, load_bytes
    try:
        loaded = load_bytes(name, data, max_bytes=max_bytes)
    except LoadError as e:
        return Prepared(name, name, "failed", error=str(e))
    except (OSError, ValueError, MemoryError) as e:
        return Prepared(name, name, "failed", error=f"{name}: không đọc được tệp: {type(e).__name__}: {e}")
    return _prepare_loaded(name, name, Path(name).name, loaded, ingested_at, known, caps)


def over_caps(what: str, chars: int, pages: Optional[int], caps: Optional[tuple[int, int]]) -> Optional[str]:
    """Why a text is refused by the caps (Vietnamese), or None. The same caps for upload,
    ingest and import: extraction and indexing cost grows with the text."""
    if caps is None:
        return None
    max_chars, max_pages = caps
    if chars > max_chars:
        n = lambda v: f"{v:,}".replace(",", ".")  # Vietnamese thousands
        return f"{what}: văn bản dài {n(chars)} ký tự, quá giới hạn {n(max_chars)} (KEHOACH_MAX_TEXT_CHARS)"
    if pages and pages > max_pages:
        return f"{what}: {pages} trang, quá giới hạn {max_pages} trang (KEHOACH_MAX_PAGES)"
    return None


def _prepare_loaded(path: str, source: str, doc: str, loaded, ingested_at: str, known,
                    caps: Optional[tuple[int, int]] = None) -> Prepared:
    text = loaded.text
    if not text or not text.strip():
        return Prepared(path, source, "failed", error=f"{path}: tệp không có chữ nào")
    refused = over_caps(path, len(text), getattr(loaded, "pages", None), caps)
    if refused:
        return Prepared(path, source, "failed", error=refused)
    from corpus.admin_text import looks_like_admin_text
    admin, why = looks_like_admin_text(text)
    if not admin:  # "hello world", a recipe, a news item: refused by name, never a plan
        return Prepared(path, source, "failed", error=f"{path}: {why}")
    pid = plan_id_for(text)
    if pid in (_KNOWN if known is None else known):
        return Prepared(path, source, "known", plan_id=pid, doc=doc)
    try:
        from extraction.pipeline import extract
        plan = extract(text, doc=doc)
    except Exception as e:  # an extraction bug on one file must not stop the batch
        return Prepared(path, source, "failed", plan_id=pid, doc=doc,
                        error=f"{path}: trích xuất không được: {type(e).__name__}: {e}")
    rec = Record(pid, doc, plan, ingested_at, source, load=load_info(loaded))
    try:
        docs, sim = analyse_record(rec)
        info = similar_info(rec)
        rec.prepare()
    except Exception as e:
        return Prepared(path, source, "failed", plan_id=pid, doc=doc,
                        error=f"{path}: lập chỉ mục không được: {type(e).__name__}: {e}")
    return Prepared(path, source, "new", plan_id=pid, doc=doc, record=rec, docs=docs, sim=sim, info=info)


def similar_info(rec: Record) -> dict[str, Optional[str]]:
    """What the similar-clause index keeps of a plan: provenance (identity, year) and filters."""
    from index.documents import first_year, identity, plan_facets

    plan = rec.plan
    loc = plan.meta.locality
    return {"doc": rec.doc, "locality": loc.name, "province": loc.province, "level": loc.level,
            "identity": identity(plan.meta) or plan.meta.title or rec.doc,
            "year": first_year(plan) or plan.meta.issue_year,
            "programs": "," + ",".join(plan_facets(plan)["program"]) + ","}


def load_info(loaded) -> dict[str, Any]:
    """What the archive keeps of how a text was read: format, encoding, loader warnings, pages,
    and for a scan that its text came from OCR, on which pages, with what mean confidence."""
    info: dict[str, Any] = {"format": getattr(loaded, "format", None), "encoding": getattr(loaded, "encoding", None),
                            "warnings": list(getattr(loaded, "warnings", []) or [])}
    if getattr(loaded, "pages", None):
        info["pages"] = loaded.pages
    if getattr(loaded, "ocr", False):
        conf = loaded.ocr_confidence
        info.update(ocr=True, ocr_pages=list(loaded.ocr_pages or []),
                    ocr_confidence=round(float(conf), 1) if conf is not None else None)
    return info


def _reextract_task(rec: Record) -> tuple[Record, tuple[dict, list], list[ClauseRow], dict]:
    from extraction.pipeline import extract
    rec = Record(rec.plan_id, rec.doc, extract(rec.plan.text, doc=rec.doc), rec.ingested_at, rec.source, rec.load)
    docs, sim = analyse_record(rec)
    info = similar_info(rec)
    rec.prepare()
    return rec, docs, sim, info


def _prepare_task(rec: Record) -> tuple[Record, tuple[dict, list], list[ClauseRow], dict]:
    docs, sim = analyse_record(rec)
    info = similar_info(rec)
    rec.prepare()
    return rec, docs, sim, info


def _analyse_task(rec: Record) -> tuple[Record, tuple[dict, list], list[ClauseRow], dict]:
    docs, sim = analyse_record(rec)
    return rec, docs, sim, similar_info(rec)


# ---- files ----------------------------------------------------------------------------

def supported_suffixes() -> tuple[str, ...]:
    from corpus.loaders import SUPPORTED_SUFFIXES
    return tuple(s.lower() for s in SUPPORTED_SUFFIXES)


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[str], list[IngestItem]]:
    """Files to ingest (folders walked recursively, supported suffixes only) and bad paths."""
    suffixes = supported_suffixes()
    files, bad, seen = [], [], set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(path):  # symlinked folders are not followed: no loops
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in sorted(names)
                          if not n.startswith(".") and Path(n).suffix.lower() in suffixes]
        elif path.is_file():
            if path.suffix.lower() not in suffixes:
                bad.append(IngestItem(_printable(str(p)), "failed", error=f"{_printable(str(p))}: không nhận loại tệp "
                                      f"{path.suffix or '(không có đuôi)'}: dùng một trong {', '.join(suffixes)}"))
                continue
            found = [str(path)]
        else:
            bad.append(IngestItem(_printable(str(p)), "failed", error=f"{_printable(str(p))}: không có tệp hay thư mục này"))
            continue
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, bad


def _pool(workers: int, known: frozenset) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process (no engine threads inherited), with the
    # heavy modules imported once in the server
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["extraction.pipeline", "archive.workers", "archive.workers_warm"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(known,))


RESULTS_BUFFERED = 256  # finished results kept for the caller while it is busy (~250 KB each)


def run_pool(fn: Callable, tasks: list[tuple], workers: int, known: frozenset = frozenset(),
             on_crash: Optional[Callable[[tuple, str], Any]] = None) -> Iterator[Any]:
    """fn(*task) for each task in worker processes, yielded as they finish (see _run_pool).

    A thread keeps the workers fed while the caller is busy with what it was given: the
    archive writes a whole batch at its commit (seconds at 10,000 plans), and the workers,
    fed only between results, sat idle then (ingest at 10,000 plans used 157% of 2 cores).
    At most RESULTS_BUFFERED results wait for the caller."""
    if workers <= 1 or len(tasks) <= 1:
        yield from _run_pool(fn, tasks, workers, known, on_crash)
        return
    results: queue.Queue = queue.Queue(maxsize=RESULTS_BUFFERED)
    stop = threading.Event()

    def put(item) -> bool:  # False once the caller has stopped
        while not stop.is_set():
            try:
                results.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def feed() -> None:
        gen = _run_pool(fn, tasks, workers, known, on_crash)
        try:
            for r in gen:
                if not put((True, r)):
                    return
            put((False, None))
        except BaseException as e:  # handed to the caller, raised there
            put((None, e))
        finally:
            gen.close()  # the pool is shut down (the caller stopped early, or all is done)

    feeder = threading.Thread(target=feed, daemon=True, name="kehoach-ingest-pool")
    feeder.start()
    try:
        while True:
            ok, r = results.get()
            if ok is None:
                raise r
            if not ok:
                return
            yield r
    finally:
        stop.set()
        feeder.join()


def _run_pool(fn: Callable, tasks: list[tuple], workers: int, known: frozenset = frozenset(),
              on_crash: Optional[Callable[[tuple, str], Any]] = None) -> Iterator[Any]:
    """fn(*task) for each task in worker processes, yielded as they finish; bounded in flight.

    When a worker dies (out of memory, a C crash), the tasks it shared the pool with are
    retried one at a time, so only the guilty task is lost: on_crash(task, reason) is yielded
    for it. When no pool can be started at all (a main module multiprocessing cannot re-import),
    the tasks run in this process.
    """
    if workers <= 1 or len(tasks) <= 1:
        _init_worker(known)
        for t in tasks:
            yield fn(*t)
        return
    queue = collections.deque(tasks)
    while queue:
        pool = _pool(workers, known)
        try:
            pool.submit(os.getpid).result(timeout=120)
        except Exception:  # the pool cannot start: no worse than one process
            pool.shutdown(wait=False, cancel_futures=True)
            _init_worker(known)
            while queue:
                yield fn(*queue.popleft())
            return
        inflight: dict[Future, tuple] = {}
        broken: list[tuple] = []
        try:
            while (queue or inflight) and not broken:
                # enough queued that the workers keep extracting while this process commits
                # a batch (half a second or more at 10,000 plans); results are small
                while queue and len(inflight) < workers * INFLIGHT_PER_WORKER:
                    t = queue.popleft()
                    try:
                        inflight[pool.submit(fn, *t)] = t
                    except BrokenProcessPool:
                        broken.append(t)
                        break
                if broken:
                    break
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for f in done:
                    t = inflight.pop(f)
                    try:
                        result = f.result()
                    except BrokenProcessPool:
                        broken.append(t)
                        continue
                    yield result
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        for t in broken + list(inflight.values()):  # alone, so a crash names its task
            solo = _pool(1, known)
            try:
                result = solo.submit(fn, *t).result()
            except BrokenProcessPool:
                result = on_crash(t, "the worker process died (out of memory or a crash in a library)") \
                    if on_crash else None
            finally:
                solo.shutdown(wait=False, cancel_futures=True)
            if result is not None:
                yield result
