"""The embedded engine: tantivy, on disk under KEHOACH_DATA/tantivy.

Two indexes, `plans` and `clauses` (as the two Elasticsearch indices, so BM25 statistics are
the same kind), in a version directory named by the `CURRENT` file; a rebuild writes a new
directory and switches `CURRENT` at the end, so searchers never see a half-built index.

Text fields use tantivy's whitespace tokenizer over the tokens made by index/analysis.py.
Writes are crash-safe: nothing is visible until commit(); an index opened after a kill holds
everything committed. The writer (an exclusive lock) is taken at the first write and released
at commit, so a CLI ingest and a running API server can share the index.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Optional

import tantivy

from . import jsonbytes
from .analysis import ParsedQuery
from .base import FACETS, BackendError
from .semantics import ENGINE_FACET_SIZE, AnalysedBackend, ClauseRow, Filters, PlanPage, plan_level
from .tantivy_schema import clause_document, clause_schema, plan_document, plan_schema, text_query

SCHEMA_VERSION = "v5"  # bump when the schema changes (index/tantivy_schema.py): the old index is dropped and refilled
WRITER_HEAP = 64_000_000
LOCK_WAIT_S = 30.0


def _engine_errors(fn):
    """tantivy's own failures on a read (files gone, a lock, I/O) are an outage of the engine
    (BackendError: the API answers 503), never the client's mistake."""
    import functools

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except (ValueError, OSError, BackendError):
            # the version read was replaced and removed between the check of CURRENT and the
            # read (a rebuild in another process): once more on the current one
            self._follow_current(force=True)
        try:
            return fn(self, *args, **kwargs)
        except (ValueError, OSError) as e:
            raise BackendError(f"tantivy: đọc chỉ mục không được: {e}") from e
    return wrapper


class _Side:
    """One tantivy index (plans or clauses) with a lazily taken writer."""

    def __init__(self, path: Path, schema: tantivy.Schema):
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.schema = schema
        try:
            self.index = tantivy.Index(schema, path=str(path), reuse=True)
        except ValueError as e:
            if "ReadOnlyFilesystem" in str(e) or "PermissionDenied" in str(e):
                raise BackendError(f"{path}: thư mục chỉ mục chỉ đọc; tantivy cần ghi tệp khóa của nó "
                                   "để mở chỉ mục") from e
            raise BackendError(f"tantivy index at {path} cannot be opened: {e} (run `kehoach reindex`)") from e
        self.writer: Optional[tantivy.IndexWriter] = None
        self._reloaded: Optional[tuple] = None  # the generation of the last reload by searcher()

    def w(self) -> tantivy.IndexWriter:
        if self.writer is None:
            deadline = time.monotonic() + LOCK_WAIT_S
            while True:
                try:
                    self.writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
                    break
                except ValueError as e:
                    if "LockBusy" not in str(e) or time.monotonic() > deadline:
                        raise BackendError(f"tantivy index at {self.path} is locked by another writer: {e}") from e
                    time.sleep(0.2)
        return self.writer

    def commit(self) -> None:
        # the writer is cleared before anything can raise: a failed commit (its files removed
        # by a rebuild in another process, a full disk) never leaves a dead writer holding the lock
        writer, self.writer = self.writer, None
        if writer is not None:
            try:
                writer.commit()
                writer.wait_merging_threads()  # releases the lock
            except ValueError as e:
                _drop(writer)
                raise BackendError(_write_failure(self.path, e)) from e
        self.reload()

    def rollback(self) -> None:
        writer, self.writer = self.writer, None
        if writer is not None:
            _drop(writer)

    def reload(self) -> None:
        try:
            self.index.reload()  # cheap; sees commits of other processes
        except ValueError as e:
            raise BackendError(f"tantivy: không mở lại được chỉ mục {self.path}: {e}") from e

    def searcher(self, generation: Optional[tuple] = None) -> tantivy.Searcher:
        """A searcher on the newest commit. Given the generation read just before (_generation),
        the reload is skipped while it is the one last reloaded: nothing was committed since."""
        if generation is None or generation != self._reloaded:
            self.reload()
            self._reloaded = generation
        return self.index.searcher()


class TantivyBackend(AnalysedBackend):
    name = "embedded"

    def __init__(self, data_dir: str | os.PathLike):
        self.root = Path(data_dir) / "tantivy"
        self.root.mkdir(parents=True, exist_ok=True)
        self._pending: set[str] = set()
        self.generation = 0
        self._snapshot = threading.local()  # the searchers of the search running in this thread
        self._counts = RequestCache(COUNT_CACHE_SIZE)
        self._open(self._current_name())

    # ---- layout ---------------------------------------------------------------------------

    def _current_name(self) -> str:
        """The version directory in use. An index of an older schema is dropped: it starts
        empty, and the service's reconcile (or `kehoach reindex`) fills it from the archive."""
        cur = self.root / "CURRENT"
        old = cur.read_text(encoding="utf-8").strip() if cur.exists() else ""
        if old and (self.root / old).is_dir() and old.split("-")[0] == SCHEMA_VERSION:
            return old
        _write_atomic(cur, SCHEMA_VERSION)
        if old and old != SCHEMA_VERSION and "/" not in old and old not in (".", ".."):
            shutil.rmtree(self.root / old, ignore_errors=True)
        return SCHEMA_VERSION

    def _open(self, name: str) -> None:
        self._name = name
        self._cur_mtime = _mtime(self.root / "CURRENT")
        base = self.root / name
        self.plans = _Side(base / "plans", plan_schema())
        self.clauses = _Side(base / "clauses", clause_schema())
        self.generation += 1  # the service reconciles with the store when this changes

    def _follow_current(self, force: bool = False) -> None:
        """Another process rebuilt the index: switch to the new version (when not writing)."""
        if not force and getattr(self._snapshot, "sides", None) is not None:
            # inside a search, which looked at its start: a stat releases the GIL, and with the
            # count running in a thread beside, each one waited for that thread (~0.2 ms)
            return
        m = _mtime(self.root / "CURRENT")
        if m != self._cur_mtime and self.plans.writer is None and self.clauses.writer is None:
            name = self._current_name()
            if name != self._name:
                self._open(name)
            self._cur_mtime = m

    # ---- writes ---------------------------------------------------------------------------

    def upsert(self, plan_doc: dict[str, Any], clause_docs: list[dict[str, Any]]) -> None:
        self._follow_current()
        self._write(self.plans, self.clauses, plan_doc, clause_docs)
        self._pending.add(plan_doc["plan_id"])

    def _write(self, plans: _Side, clauses: _Side, plan_doc, clause_docs) -> None:
        pid = plan_doc.get("plan_id")
        if not pid:
            raise ValueError("plan_doc has no plan_id")
        try:
            cdocs = [clause_document(pid, c) for c in clause_docs]
            pdoc = plan_document(plan_doc)
        except (ValueError, TypeError, OverflowError) as e:
            raise BackendError(f"tantivy refused plan {pid}: {e}") from e
        cw, pw = clauses.w(), plans.w()
        try:
            cw.delete_documents_by_term("plan_id", pid)
            pw.delete_documents_by_term("plan_id", pid)
            for d in cdocs:
                cw.add_document(d)
            pw.add_document(pdoc)
        except ValueError as e:  # the writer itself failed: nothing of this batch is kept
            clauses.rollback()
            plans.rollback()
            self._pending.clear()
            raise BackendError(_write_failure(clauses.path.parent, e)) from e

    def delete(self, plan_id: str) -> bool:
        self._follow_current()
        existed = plan_id in self._pending or self._exists(plan_id)
        if existed:
            try:
                self.clauses.w().delete_documents_by_term("plan_id", plan_id)
                self.plans.w().delete_documents_by_term("plan_id", plan_id)
            except ValueError as e:
                self.rollback()
                raise BackendError(f"tantivy: xóa khỏi chỉ mục không được: {e}") from e
            self._pending.discard(plan_id)
        return existed

    def commit(self) -> None:
        # clauses first: a plan visible to search always has its clauses
        try:
            self.clauses.commit()
            self.plans.commit()
        except BaseException:
            self.rollback()  # both writers cleared: the next write starts clean, on the current version
            raise
        finally:
            self._pending.clear()
            self._follow_current()

    def rollback(self) -> None:
        self.clauses.rollback()
        self.plans.rollback()
        self._pending.clear()

    def clear(self) -> None:
        self._follow_current()
        self.clauses.w().delete_all_documents()
        self.plans.w().delete_all_documents()
        self.commit()

    def rebuild(self, docs: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]], on_progress=None) -> int:
        """Write every plan into a new version directory, then switch CURRENT to it."""
        name = f"{SCHEMA_VERSION}-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}"
        base = self.root / name
        plans, clauses = _Side(base / "plans", plan_schema()), _Side(base / "clauses", clause_schema())
        n = 0
        try:
            for plan_doc, clause_docs in docs:
                self._write(plans, clauses, plan_doc, clause_docs)
                n += 1
                if n % 500 == 0:
                    clauses.commit()
                    plans.commit()
                if on_progress:
                    on_progress(n)
            clauses.commit()
            plans.commit()
        except BaseException:
            clauses.rollback()
            plans.rollback()
            shutil.rmtree(base, ignore_errors=True)
            raise
        old = self._name
        self.rollback()
        _write_atomic(self.root / "CURRENT", name)
        self._open(name)
        # a server in another process may be reading or committing to the old version now: its
        # open files stay readable, a failed commit there is rolled back and the server follows
        # CURRENT (and reconciles) at its next call
        if old != name:
            shutil.rmtree(self.root / old, ignore_errors=True)
        return n

    def close(self) -> None:
        self.rollback()

    # ---- reads ----------------------------------------------------------------------------

    def search(self, req):
        """One searcher per index for the whole request: its five or so engine queries read the
        same snapshot, and the index is reloaded once, not before each of them."""
        self._follow_current()
        self._snapshot.sides = {}  # also: CURRENT is not looked at again during the request
        try:
            return super().search(req)
        finally:
            self._snapshot.sides = None

    def _searcher(self, side: _Side) -> tantivy.Searcher:
        return self._snapshot_of(side)[0]

    def _snapshot_of(self, side: _Side) -> tuple[tantivy.Searcher, tuple]:
        """The request's searcher of this side and the index generation it holds at least (read
        before the searcher is opened: a commit in between only makes the searcher newer, so a
        count cached under that generation is never staler than its key)."""
        sides = getattr(self._snapshot, "sides", None)
        if sides is None:
            gen = _generation(side)
            return side.searcher(gen), gen
        s = sides.get(id(side))
        if s is None or s[0] is not side:
            gen = _generation(side)
            s = sides[id(side)] = (side, side.searcher(gen), gen)
        return s[1], s[2]

    @_engine_errors
    def _exists(self, plan_id: str) -> bool:
        s = self.plans.searcher()
        return s.search(tantivy.Query.term_query(self.plans.schema, "plan_id", plan_id), 1).count > 0

    @_engine_errors
    def plan_ids(self) -> set[str]:
        self._follow_current()
        s = self.plans.searcher()
        n = s.num_docs
        if not n:
            return set()
        res = s.search(tantivy.Query.all_query(), n)
        return {s.doc(addr).get_first("plan_id") for _, addr in res.hits}

    @_engine_errors
    def count(self) -> int:
        self._follow_current()
        return self._searcher(self.plans).num_docs  # reloaded only if something was committed

    @_engine_errors
    def _search_clauses(self, pq: ParsedQuery, flt: Filters, limit: int) -> tuple[list[ClauseRow], int]:
        self._follow_current()
        side = self.clauses
        if plan_level(flt):
            flt = Filters(plan_ids=sorted(self._passing(flt)))  # the clause index has no filter fields
        q = text_query(side.schema, pq, "tokens", "bigrams", "numbers", flt)
        s = self._searcher(side)
        # no count: counting visits every matching clause, the top-k alone may skip most of them
        res = s.search(q, max(1, limit), count=False)
        rows = []
        for score, addr in res.hits[:limit]:
            d = s.doc(addr)
            rows.append(ClauseRow(float(score), d.get_first("plan_id"), d.get_first("clause_id"),
                                  raw=d.get_first("payload") or b"{}"))
        return rows, len(rows) if len(rows) < limit else limit + 1

    def _passing(self, flt: Filters) -> set[str]:
        """Ids of the plans passing flt's plan-level filters (and among flt.plan_ids, if set)."""
        s = self._searcher(self.plans)
        q = text_query(self.plans.schema, None, "body", "body_bigrams", "numbers", flt, False)
        res = s.search(q, max(1, s.num_docs), count=False)
        return {s.doc(addr).get_first("plan_id") for _, addr in res.hits}

    @_engine_errors
    def _indexed(self, name: str, values: list[str]) -> bool:
        s = self._searcher(self.plans)
        return all(s.doc_freq(name, v) > 0 for v in values)

    @_engine_errors
    def _plan_rows(self, plan_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Stored rows of these plans (one query, no date order: the caller has its order)."""
        if not plan_ids:
            return {}
        self._follow_current()
        s = self._searcher(self.plans)
        q = tantivy.Query.term_set_query(self.plans.schema, "plan_id", list(plan_ids))
        rows = (_payload(s, addr) for _, addr in s.search(q, len(plan_ids)).hits)
        return {row["plan_id"]: row for row in rows}

    @_engine_errors
    def _search_plans(self, pq: Optional[ParsedQuery], flt: Filters, sort: str, offset: int, limit: int,
                      facet_size: int) -> PlanPage:
        self._follow_current()
        side = self.plans
        # scores only for a page ranked by relevance: counts, facets and date order need none
        scoring = limit > 0 and not (sort == "date" or pq is None)
        q = text_query(side.schema, pq, "body", "body_bigrams", "numbers", flt, scoring)
        s, gen = self._snapshot_of(side)
        key = None
        if limit == 0:  # counts and facets only: answered from the request cache while the index is unchanged
            key = (gen, repr(q), facet_size)
            hit = self._counts.get(key)
            if hit is not None:
                return PlanPage(hit.total, [], hit.facets)
        page = _plan_page(s, side, q, sort, pq, offset, limit, facet_size)
        if key is not None:
            self._counts.put(key, page)
        return page

    @_engine_errors
    def _matching_plans(self, pq: Optional[ParsedQuery], flt: Filters, plan_ids: list[str]) -> set[str]:
        """Which of these plans match pq with every word, pq None: the filters alone (their ids
        only: no payload decoded)."""
        if not plan_ids:
            return set()
        self._follow_current()
        f = Filters(flt.facets, flt.year_from, flt.year_to, flt.amount_min, flt.amount_max, plan_ids)
        s = self._searcher(self.plans)
        res = s.search(text_query(self.plans.schema, pq, "body", "body_bigrams", "numbers", f, False),
                       len(plan_ids))
        return {s.doc(addr).get_first("plan_id") for _, addr in res.hits}


# Counts and facet counts of the plan index (requests of no rows), as Elasticsearch's shard
# request cache keeps them for size=0 requests: the same query typed with and without
# diacritics, a result page after the first, a filter toggled back, all count the same plans.
COUNT_CACHE_SIZE = 512


class RequestCache:
    """A small thread-safe LRU of PlanPage counts keyed by (index generation, query, facet size)."""

    def __init__(self, size: int):
        from collections import OrderedDict

        self.size = size
        self._items: "OrderedDict[tuple, PlanPage]" = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Optional[PlanPage]:
        with self._lock:
            page = self._items.get(key)
            if page is not None:
                self._items.move_to_end(key)
            return page

    def put(self, key: tuple, page: PlanPage) -> None:
        with self._lock:
            self._items[key] = PlanPage(page.total, [], page.facets)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _generation(side: _Side) -> tuple:
    """What changes whenever the index does: its folder, and its meta.json (rewritten by every
    commit, in this process or another)."""
    try:
        st = (side.path / "meta.json").stat()
        return (str(side.path), st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        return (str(side.path), 0, 0, 0)


def _plan_page(s: tantivy.Searcher, side: "_Side", q, sort: str, pq, offset: int, limit: int,
               facet_size: int) -> PlanPage:
    facets: dict[str, list[tuple[str, int]]] = {}
    count = None
    if facet_size:
        aggs: dict[str, Any] = {f: {"terms": {"field": f, "size": facet_size,
                                              "segment_size": max(facet_size, ENGINE_FACET_SIZE)}}
                                for f in FACETS}
        if limit == 0:  # counts only: the total from the same pass (every plan has a date_key)
            aggs["_total"] = {"value_count": {"field": "date_key"}}
        out = s.aggregate(q, aggs)
        for f in FACETS:
            facets[f] = [(str(b["key"]), int(b["doc_count"])) for b in (out.get(f) or {}).get("buckets", [])]
        if limit == 0:
            count = int((out.get("_total") or {}).get("value") or 0)
    if count is not None:
        rows = []
    elif sort == "date" or pq is None:
        count, rows = _by_date(s, side.schema, q, offset, limit)
    else:
        res = s.search(q, max(1, limit), count=True, offset=offset)
        count = res.count
        rows = [(float(score), _payload(s, addr)) for score, addr in res.hits[:limit]]
    return PlanPage(count, rows, facets)


def _payload(s: tantivy.Searcher, addr) -> dict[str, Any]:
    return jsonbytes.loads(s.doc(addr).get_first("payload") or b"{}")


def _by_date(s: tantivy.Searcher, schema, q, offset: int, limit: int) -> tuple[int, list]:
    """Newest first, ties by plan_id (as Elasticsearch sorts): the tie group at the page's end
    is read whole, so pages are the same in both engines. The page is read with TIE_READ more
    rows; only when those are all tied with the page's last is the tie group queried apart."""
    Q = tantivy.Query
    res = s.search(q, max(1, offset + limit + TIE_READ), count=True, order_by_field="date_key",
                   order=tantivy.Order.Desc)
    hits = res.hits
    if not hits or limit == 0:
        return res.count, []
    last = int(hits[min(len(hits), offset + limit) - 1][0])
    if len(hits) < offset + limit + TIE_READ or int(hits[-1][0]) != last:  # the whole tie group is read
        rows = [(int(k), _payload(s, a)) for k, a in hits if int(k) >= last]
    else:
        rows = [(int(k), _payload(s, a)) for k, a in hits if int(k) > last]
        tie_q = Q.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, Q.range_query(
            schema, "date_key", tantivy.FieldType.Integer, last, last))])
        n_tie = s.search(tie_q, 1, count=True).count
        rows += [(last, _payload(s, a)) for _, a in s.search(tie_q, max(1, n_tie), count=False).hits]
    rows.sort(key=lambda kr: (-kr[0], kr[1].get("plan_id") or ""))
    return res.count, [(0.0, r) for _, r in rows[offset:offset + limit]]


TIE_READ = 20  # rows read past a date-ordered page, to hold its last date's ties


# ---- writes and files ---------------------------------------------------------------------


def _write_failure(path: Path, e: Exception) -> str:
    """One line naming the path; a full disk said as such (tantivy reports it as a killed thread)."""
    try:
        full = shutil.disk_usage(path).free < 4 * WRITER_HEAP // 64 or "No space" in str(e)
    except OSError:
        full = False
    if full:
        return f"{path}: ổ đĩa đã đầy, không ghi được chỉ mục tìm kiếm (giải phóng chỗ rồi chạy lại)"
    return f"tantivy: ghi chỉ mục {path} không được: {e}"


def _drop(writer: tantivy.IndexWriter) -> None:
    """Give a writer up: its uncommitted documents are discarded and its lock released."""
    try:
        writer.rollback()
    except ValueError:
        pass
    try:  # consumes the writer and frees its lock now (a traceback may keep the object alive)
        writer.wait_merging_threads()
    except (ValueError, RuntimeError):
        pass


def _mtime(p: Path) -> int:
    try:
        return p.stat().st_mtime_ns
    except OSError:
        return 0


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
