"""The archive: the one service the CLI and the API use (ingest, search, compare, cites, similar).

Writes go in this order, batch by batch, so a kill at any moment loses nothing committed:
1. the store (SQLite transaction: records, sources, derived tables),
2. the search backend (upserts/deletes, then commit),
3. the similar-clauses index (checkpointed at the end and when its new rows are many).
The store is the truth; on every write the backend and the similar index are reconciled
with it first (plans missing are re-added from their stored extraction, extra ones deleted),
so a batch killed between steps 1 and 3 is completed by the next run.

Extraction is pure CPU: files are loaded, extracted and analysed in a process pool
(archive/workers.py, one worker per core); only the writes happen in this process.
"""
from __future__ import annotations

import datetime as _dt
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from index.base import Backend, BackendError
from index.similar import SimilarIndex

from . import duplicates
from . import transfer
from .results import ImportReport, IngestItem, IngestReport, PlanSummary, StoredPlan  # noqa: F401 (re-exported)
from .reads import ArchiveReads
from .settings import Settings
from .store import Pending, Record, Store
from .workers import (Prepared, _analyse_task, _prepare_task, _printable, _reextract_task, analyse_record,
                      collect_files, prepare_bytes, prepare_file, run_pool)
from .workers import similar_info as _info


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class _Batch:
    pending: list[Pending] = field(default_factory=list)
    docs: dict[str, tuple] = field(default_factory=dict)
    sim: dict[str, list] = field(default_factory=dict)
    info: dict[str, dict] = field(default_factory=dict)  # plan id -> similar_info, made by the worker
    remove: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # source -> plan id, not yet committed
    # plan id -> (fingerprint, identity) of the pending plans
    fps: dict[str, tuple[duplicates.Fingerprint, duplicates.Identity]] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set)  # of pending, kept by add()

    def __len__(self) -> int:
        return len(self.pending) + len(self.remove) + len(self.links)

    def add(self, p: Pending) -> None:
        self.pending.append(p)
        self._ids.add(p.record.plan_id)

    def new_ids(self) -> set[str]:
        """Ids of the pending plans (kept as they come: asked for every file of a batch)."""
        return self._ids


class Archive(ArchiveReads):
    """See DEVELOPERS.md (service layer). One per process; methods are thread safe."""

    # the longest time between commits while ingesting (a kill loses at most this); the
    # plans per commit are settings.ingest_batch
    BATCH_SECONDS = 10.0

    def __init__(self, path: Path, backend: Backend | str | None = None, settings: Optional[Settings] = None):
        self.settings = settings or Settings(data_dir=path)
        self.data_dir = Path(path)
        self.store = Store(path, mmap_mb=self.settings.store_mmap_mb)
        self._similar: Optional[SimilarIndex] = None  # opened at first use: search and export never write it
        self._backend = backend if isinstance(backend, Backend) else None
        self._backend_name = backend if isinstance(backend, str) else self.settings.backend
        self._lock = threading.RLock()
        self._similar_checked = False
        self._index_checked = False
        self._synced_generation: Optional[int] = None  # the engine version last reconciled with
        self._uploads = None  # workers_upload.UploadPool, made at the first upload

    @property
    def caps(self) -> tuple[int, int]:
        """(most characters, most pages) of one file's text: the same for upload, ingest, import."""
        return self.settings.max_text_chars, self.settings.max_pages

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, backend: Backend | str | None = None,
             settings: Optional[Settings] = None) -> "Archive":
        """The archive in data_dir (default settings.data_dir) with the given engine (default
        settings.backend); settings default to the environment's (archive/settings.py)."""
        settings = settings or Settings.from_env()
        return cls(Path(data_dir) if data_dir else settings.data_dir, backend, settings)

    @property
    def similar_index(self) -> SimilarIndex:
        if self._similar is None:
            with self._lock:
                if self._similar is None:
                    self._similar = SimilarIndex(self.data_dir)
        return self._similar

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            from index.factory import get_backend
            self._backend = get_backend(str(self.data_dir), self._backend_name,
                                        **self.settings.engine_options(self._backend_name))
        return self._backend

    def warm(self) -> None:
        """Refill an empty engine or similar index from the store if needed, and load the
        similar-clause matrix now (an API can call this in a thread at start)."""
        self._ensure_index()
        self._ensure_similar()
        self.similar_index.warm()

    def _reconcile_similar(self, store_ids: set[str]) -> int:
        sim_ids = self.similar_index.plan_ids()
        for pid in sim_ids - store_ids:
            self.similar_index.remove(pid)
        added = 0
        for rec in self.store.records(store_ids - sim_ids):
            _, sim = analyse_record(rec)
            self.similar_index.add(rec.plan_id, _info(rec), sim)
            added += 1
        self.similar_index.checkpoint()
        return added

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
            if self._similar is not None:
                self._similar.close()
            self.store.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- consistency --
    def reconcile(self) -> dict[str, int]:
        """Bring the backend and the similar index in line with the store (after a crash)."""
        with self._lock:
            store_ids = self.store.plan_ids()
            fixed = {"index_added": 0, "index_removed": 0, "similar_added": 0, "similar_removed": 0}
            idx_ids = self.backend.plan_ids()
            for pid in idx_ids - store_ids:
                self.backend.delete(pid)
                fixed["index_removed"] += 1
            sim_ids = self.similar_index.plan_ids()
            for pid in sim_ids - store_ids:
                self.similar_index.remove(pid)
                fixed["similar_removed"] += 1
            need_idx, need_sim = store_ids - idx_ids, store_ids - sim_ids
            for rec in self.store.records(need_idx | need_sim):
                docs, sim = analyse_record(rec)
                if rec.plan_id in need_idx:
                    self.backend.upsert(*docs)
                    fixed["index_added"] += 1
                if rec.plan_id in need_sim:
                    self.similar_index.add(rec.plan_id, _info(rec), sim)
                    fixed["similar_added"] += 1
            if fixed["index_added"] or fixed["index_removed"]:
                self.backend.commit()
            self.similar_index.checkpoint()
            self._synced_generation = getattr(self.backend, "generation", None)
            return fixed

    def repair_in_background(self) -> threading.Thread:
        """Reconcile engine and similar index with the store in a thread (a server at start:
        plans a crash left out of the engine become searchable without waiting for a write).
        A read-only archive is left as it is."""

        def run() -> None:
            try:
                self.reconcile()
            except (BackendError, OSError):
                pass

        t = threading.Thread(target=run, daemon=True, name="kehoach-repair")
        t.start()
        return t

    def _sync_after_switch(self) -> None:
        """The engine switched to an index another process rebuilt (`kehoach reindex`): plans
        written here since that rebuild read the store are added to it, in the background so
        the search that noticed does not wait."""
        gen = getattr(self.backend, "generation", None)
        if gen is None or gen == self._synced_generation:
            return
        if not self._lock.acquire(blocking=False):
            return  # a write is running: it reconciles first anyway

        def run() -> None:
            try:
                self.reconcile()
            except Exception:  # noqa: BLE001 - the next write reconciles again
                pass
            finally:
                self._lock.release()

        self._synced_generation = gen
        threading.Thread(target=run, daemon=True, name="kehoach-reconcile").start()

    # -- ingest --
    def ingest(self, paths: Iterable[str | os.PathLike], on_progress: Optional[Callable] = None,
               workers: Optional[int] = None) -> IngestReport:
        """Ingest files and folders. on_progress(done, total, item, elapsed_s) after each file."""
        t0 = time.perf_counter()
        files, bad = collect_files(paths)
        report = IngestReport(items=list(bad))
        total = len(files)
        workers = workers or os.cpu_count() or 1
        with self._lock:
            self.reconcile()
            ingested_at = now_iso()
            known = frozenset(self.store.plan_ids())
            batch, last = _Batch(), time.perf_counter()
            batch_items: list[IngestItem] = []
            # a file read before with the same size and time, its source still on a plan, is not
            # opened again (a folder of scans ingested twice is not OCR'd twice)
            stats = {f: (_printable(str(Path(f).resolve())), duplicates.file_stat(f)) for f in files}
            seen = duplicates.unchanged_files(self.store.db, stats)
            for done, f in enumerate([f for f in files if f in seen], 1):
                item = IngestItem(_printable(f), "unchanged", seen[f], self.store.doc_of(seen[f]))
                report.items.append(item)
                if on_progress:
                    on_progress(done, total, item, time.perf_counter() - t0)
            tasks = [(f, ingested_at, None, self.settings.max_file_bytes, self.caps) for f in files if f not in seen]
            crashed = lambda t, why: Prepared(t[0], str(Path(t[0]).resolve()), "failed", error=f"{t[0]}: {why}")
            for done, prep in enumerate(run_pool(prepare_file, tasks, min(workers, max(1, len(tasks))), known,
                                                 on_crash=crashed), len(seen) + 1):
                item = self._apply(prep, batch, ingested_at)
                report.items.append(item)
                batch_items.append(item)
                if len(batch) >= self.settings.ingest_batch or time.perf_counter() - last > self.BATCH_SECONDS:
                    self._commit(batch, batch_items)
                    self._remember_files(batch_items, stats)
                    batch, last, batch_items = _Batch(), time.perf_counter(), []
                if on_progress:
                    on_progress(done, total, item, time.perf_counter() - t0)
            self._commit(batch, batch_items)
            self._remember_files(batch_items, stats)
            self.similar_index.checkpoint()
        report.elapsed_s = time.perf_counter() - t0
        return report

    def _remember_files(self, items: list[IngestItem], stats: dict) -> None:
        if duplicates.files_read(items, stats):
            self.store._writable()  # a run where every file was unchanged has written nothing yet
            duplicates.remember_files(self.store.db, duplicates.files_read(items, stats))

    def add_file(self, path: str | os.PathLike) -> IngestItem:
        prep = prepare_file(str(path), now_iso(), frozenset(self.store.plan_ids()), self.settings.max_file_bytes,
                            self.caps)
        with self._lock:
            return self._apply_one(prep)

    def add_bytes(self, name: str, data: bytes, replace: Optional[str] = None) -> IngestItem:
        """An uploaded file. It is a new plan, whatever its name, unless `replace` names the plan
        it replaces; the same text again is "unchanged". Loading and extraction run in a child
        process under the upload limits (archive/workers_upload.py), outside the lock: reads and
        other writes go on meanwhile. QueueFull when every upload slot is taken; KeyError when
        `replace` names no stored plan."""
        from .workers_upload import LimitExceeded, UploadPool

        if replace is not None and not self.store.has(replace):
            raise KeyError(replace)
        if self._uploads is None:
            st = self.settings
            self._uploads = UploadPool(st.upload_workers, st.upload_queue, st.upload_seconds, st.upload_memory_mb)
        known = frozenset(self.store.plan_ids())
        try:
            prep = self._uploads.run(prepare_bytes, name, data, now_iso(), known, self.settings.max_file_bytes,
                                     self.caps)
        except LimitExceeded as e:
            prep = Prepared(name, name, "failed", error=f"{name}: {e}")
        with self._lock:
            if replace is not None:
                prep.source = self.store.sources_of(replace)[:1] or [f"{name} ({replace})"]
                prep.source = prep.source[0]
            elif prep.plan_id:  # the name alone never picks a plan to replace
                prep.source = f"{name} ({prep.plan_id})"
            item_replace = replace if replace is not None and replace != prep.plan_id else None
            return self._apply_one(prep, drop=item_replace)

    def _apply_one(self, prep: Prepared, drop: Optional[str] = None) -> IngestItem:
        self._reconcile_quietly()
        batch = _Batch()
        item = self._apply(prep, batch, now_iso())
        if drop and item.status != "failed" and drop not in batch.remove and self.store.has(drop):
            batch.remove.append(drop)  # a replaced plan without a source mapping of its own
            item.status, item.replaced = "replaced", drop
        self._commit(batch, [item])
        self.similar_index.checkpoint()
        return item

    def _reconcile_quietly(self) -> None:
        """Before every write: the engine and the similar index catch up with the store (a crash,
        a failed commit, a rebuild in another process), so a retry never answers "unchanged" for
        a plan search cannot find."""
        self.reconcile()

    def _apply(self, prep: Prepared, batch: _Batch, ingested_at: str) -> IngestItem:
        if prep.status == "failed":
            return IngestItem(_printable(prep.path), "failed", plan_id=prep.plan_id, doc=prep.doc, error=_printable(prep.error or ""))
        pid, source = prep.plan_id, prep.source
        if prep.status == "new" and (pid in batch.new_ids() or self.store.has(pid)):
            prep.status = "known"  # another file of this batch had the same text
        old = batch.links.get(source) if source in batch.links else self.store.source_plan(source)
        copy_of = self._copy_of(prep, batch, old) if prep.status == "new" else None
        if copy_of:  # the same plan in another format, re-saved or scanned: one plan, one more source
            pid, prep.plan_id, prep.status = copy_of, copy_of, "known"
        if prep.status == "known":
            if pid in batch.remove:  # replaced earlier in this batch, but this file still has that text
                batch.remove.remove(pid)
            elif not (self.store.has(pid) or pid in batch.new_ids()):
                # known when the batch started, gone since: extract it again
                prep = prepare_file(prep.path, ingested_at, frozenset(), self.settings.max_file_bytes, self.caps)
                if prep.status == "failed":
                    return IngestItem(_printable(prep.path), "failed", error=_printable(prep.error or ""))
        if prep.status == "known":
            is_plan = self._is_plan(pid, batch)
            if old == pid:
                return IngestItem(_printable(prep.path), "unchanged", pid, prep.doc, is_plan=is_plan)
            batch.links[source] = pid
            if old:
                self._drop_if_orphan(old, source, batch)
                return IngestItem(_printable(prep.path), "replaced", pid, prep.doc, is_plan=is_plan, replaced=old)
            other = self.store.doc_of(pid) or next((p.record.doc for p in batch.pending if p.record.plan_id == pid), None)
            return IngestItem(_printable(prep.path), "unchanged", pid, prep.doc, is_plan=is_plan, note=f"cùng nội dung với {other}")
        rec = prep.record
        batch.add(Pending(rec, source))
        if rec.fingerprint is not None:
            batch.fps[pid] = (rec.fingerprint, duplicates.identity_of(rec.cols or {}))
        batch.links.pop(source, None)
        batch.docs[pid], batch.sim[pid] = prep.docs, prep.sim
        if prep.info is not None:
            batch.info[pid] = prep.info
        note = "; ".join(rec.notes) or None
        status = "ingested"
        if old and old != pid:
            status = "replaced"
            self._drop_if_orphan(old, source, batch)
        return IngestItem(_printable(prep.path), status, pid, rec.doc, is_plan=rec.is_plan,
                          replaced=old if status == "replaced" else None, note=note)

    def _copy_of(self, prep: Prepared, batch: _Batch, old: Optional[str]) -> Optional[str]:
        pending = {p: f for p, f in batch.fps.items() if p not in batch.remove}
        return duplicates.copy_of(self.store.db, prep.record, prep.source, old, pending, batch.remove)

    def _is_plan(self, pid: str, batch: _Batch) -> Optional[bool]:
        for p in batch.pending:
            if p.record.plan_id == pid:
                return p.record.is_plan
        row = self.store.db.execute("SELECT is_plan FROM plans WHERE plan_id=?", (pid,)).fetchone()
        return bool(row[0]) if row else None

    def _drop_if_orphan(self, old: str, source: str, batch: _Batch) -> None:
        """Remove the old version unless another file still has that text."""
        others = [s for (s,) in self.store.db.execute(
            "SELECT source FROM sources WHERE plan_id=? AND source != ?", (old, source))]
        still = [s for s in others if batch.links.get(s, old) == old and
                 not any(p.source == s for p in batch.pending)]
        still += [s for s, p in batch.links.items() if p == old and s != source]
        if not still and old not in batch.remove:
            batch.remove.append(old)

    def _commit(self, batch: _Batch, items: Optional[list[IngestItem]] = None) -> None:
        """Store, engine, similar index. Plans the engine refuses (per-document errors) are taken
        out of the store again and their items marked failed with the engine's reason."""
        if not len(batch):
            return
        self.store.commit_batch(batch.pending, remove=batch.remove, link=batch.links.items())
        try:
            for pid in batch.remove:
                self.backend.delete(pid)
                self.similar_index.remove(pid)
            for p in batch.pending:
                pid = p.record.plan_id
                self.backend.upsert(*batch.docs[pid])
                # the worker's info: _info would decode the whole record again here
                self.similar_index.add(pid, batch.info.get(pid) or _info(p.record), batch.sim[pid])
            self.backend.commit()
        except BackendError as e:
            refused = _refused(e)
            if not refused:
                # the engine failed (its index rebuilt by another process, a full disk): the
                # writer is rolled back and cleared; the store holds the batch, so one
                # reconcile on the engine's current version completes it, else the caller
                # reports the outage and the next write completes it
                self.backend.rollback()
                self.reconcile()
                self.similar_index.checkpoint()
                return
            for pid in refused:
                self.store.remove(pid)
                self.similar_index.remove(pid)
            for it in items or []:
                if it.plan_id in refused and it.status != "failed":
                    it.status, it.error = "failed", f"{it.path}: bộ máy tìm kiếm không nhận: {refused[it.plan_id]}"
        self.similar_index.checkpoint()  # cheap: new rows go to a delta file (similar.py)

    # -- delete --
    def delete(self, plan_id: str) -> bool:
        with self._lock:
            self._reconcile_quietly()
            found = self.store.remove(plan_id)
            gone = self.backend.delete(plan_id)
            if found or gone:
                self.backend.commit()
                self.similar_index.remove(plan_id)
                self.similar_index.checkpoint()
            return found or gone

    # -- rebuild, export, import --
    def reindex(self, on_progress: Optional[Callable] = None, workers: Optional[int] = None,
                extract: bool = False) -> int:
        """Rebuild the search backend, the similar index and the derived tables from the store.

        extract=True also runs extraction again on every stored text (after extraction improved);
        ids, sources and ingest times are kept.
        """
        t0 = time.perf_counter()
        workers = workers or os.cpu_count() or 1
        with self._lock:
            if not extract:
                self.store.rederive()
            self.similar_index.clear(deferred=True)  # readers keep the old one until the end
            ids = sorted(self.store.plan_ids())
            count = [0]

            def documents() -> Iterator[tuple[dict, list]]:
                # records are read in chunks so memory stays flat over a big archive
                for start in range(0, len(ids), 200):
                    tasks = [(rec,) for rec in self.store.records(ids[start:start + 200])]
                    fresh = []
                    for rec, docs, sim, info in run_pool(_reextract_task if extract else _analyse_task, tasks, workers):
                        if extract:
                            fresh.append(Pending(rec, None))
                        self.similar_index.add(rec.plan_id, info, sim)
                        count[0] += 1
                        if on_progress:
                            on_progress(count[0], len(ids), None, time.perf_counter() - t0)
                        yield docs
                    if fresh:
                        self.store.commit_batch(fresh)

            rebuild = getattr(self.backend, "rebuild", None)
            if rebuild is not None:  # a new index swapped in at the end: search keeps working meanwhile
                rebuild(documents())
            else:
                self.backend.clear()
                for i, docs in enumerate(documents(), 1):
                    self.backend.upsert(*docs)
                    if i % 200 == 0:
                        self.backend.commit()
            self.backend.commit()
            self.similar_index.checkpoint()
            return count[0]

    def export(self, path: str | os.PathLike) -> int:
        """Write every record to PATH: .jsonl, .jsonl.gz, or .tar.gz (holding plans.jsonl). Atomic."""
        with self._lock:
            return transfer.export_records(self.store.record_lines(), path)

    def import_(self, path: str | os.PathLike, workers: Optional[int] = None) -> ImportReport:
        """Add the records of an export (.jsonl, .jsonl.gz, .tar.gz); bad lines are reported, not fatal.

        Nothing is extracted: the records are analysed for the engine in the worker pool."""
        path = Path(path)
        report = ImportReport()
        if not path.is_file():
            raise FileNotFoundError(f"{path}: không có tệp này")
        workers = workers or os.cpu_count() or 1
        with self._lock:
            self.reconcile()
            chunk: list[Record] = []
            seen: set[str] = set()
            for rec in transfer.read_records(path, self.caps):
                if isinstance(rec, str):  # a bad line: "FILE:LINE: what is wrong"
                    report.errors.append(rec)
                    continue
                if rec.plan_id in seen or self.store.has(rec.plan_id):
                    report.unchanged += 1
                    continue
                seen.add(rec.plan_id)
                chunk.append(rec)
                if len(chunk) >= 200:
                    self._import_chunk(chunk, workers, report)
                    chunk = []
            self._import_chunk(chunk, workers, report)
        return report

    def _import_chunk(self, records: list[Record], workers: int, report: ImportReport) -> None:
        batch, items = _Batch(), []
        for rec, docs, sim, info in run_pool(_prepare_task, [(r,) for r in records], workers):
            # a record's source never takes over a source mapped to another plan here
            mapped = self.store.source_plan(rec.source) if rec.source else None
            batch.add(Pending(rec, rec.source if mapped in (None, rec.plan_id) else None))
            batch.docs[rec.plan_id], batch.sim[rec.plan_id], batch.info[rec.plan_id] = docs, sim, info
            items.append(IngestItem(rec.source or rec.doc, "ingested", rec.plan_id, rec.doc))
            if len(batch) >= self.settings.ingest_batch:
                self._commit(batch, items)
                batch = _Batch()
        self._commit(batch, items)
        self.similar_index.checkpoint()
        report.imported += sum(1 for it in items if it.status != "failed")
        report.errors += [it.error for it in items if it.status == "failed"]


def _refused(e: BackendError) -> dict[str, str]:
    """plan id -> reason, for the documents an engine refused (BackendError(msg, failures))."""
    failures = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], (list, tuple)) else []
    return {f.plan_id: f.reason for f in failures if getattr(f, "plan_id", None)}

