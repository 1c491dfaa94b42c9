"""The archive's reads: plans, lists, search, compare, similar clauses and citations.

A mixin of `archive.service.Archive`, which owns the store, the backend, the similar index and
the lock these methods use; kept apart so the write paths (ingest, reconcile, reindex, import)
read on their own.
"""
from __future__ import annotations

import time
from typing import Iterator, Optional

from index.base import SearchRequest, SearchResponse
from index.similar import SimilarHit

from . import citations as _cites
from . import compare as _compare
from .results import PlanSummary, StoredPlan
from .store import filter_sql


class ArchiveReads:
    def get(self, plan_id: str) -> Optional[StoredPlan]:
        with self._lock:
            rec = self.store.get(plan_id)
        if rec is None:
            return None
        with self._lock:
            sources = self.store.sources_of(rec.plan_id)
        return StoredPlan(rec.plan_id, rec.doc, rec.plan, rec.ingested_at, rec.source, rec.plan.is_plan,
                          sources=sources or ([rec.source] if rec.source else []), load=dict(rec.load or {}))

    def list_plans(self, filters: Optional[dict] = None, page: int = 1, size: int = 20,
                   year_from: Optional[int] = None, year_to: Optional[int] = None) -> tuple[int, list[PlanSummary]]:
        page, size = max(1, int(page)), max(1, min(int(size), 1000))
        where, args = filter_sql(filters, year_from, year_to)
        with self._lock:
            total = self.store.db.execute(f"SELECT count(*) FROM plans p WHERE 1=1{where}", args).fetchone()[0]
            rows = self.store.db.execute(
                "SELECT plan_id, doc, title, doc_type, number, locality, province, level, program, year, years, "
                f"is_plan, ingested_at, issue_date, total_vnd, issuer FROM plans p WHERE 1=1{where} "
                "ORDER BY coalesce(p.year, 0) DESC, p.province, p.locality, p.plan_id LIMIT ? OFFSET ?",
                [*args, size, (page - 1) * size]).fetchall()
        out = [PlanSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                           [int(y) for y in (r[10] or "").strip(",").split(",") if y], bool(r[11]), r[12], r[13], r[14],
                           issuer=r[15])
               for r in rows]
        return total, out

    def count(self) -> int:
        with self._lock:
            return self.store.count()

    def search(self, req: SearchRequest) -> SearchResponse:
        self._ensure_index()
        t0 = time.perf_counter()
        res = self.backend.search(req)
        self._sync_after_switch()
        if not res.took_ms:
            res.took_ms = round((time.perf_counter() - t0) * 1000, 2)
        return res

    def compare(self, du_an: str, program: str = "gnbv", filters: Optional[dict] = None,
                year_from: Optional[int] = None, year_to: Optional[int] = None,
                with_text: bool = True) -> list[_compare.CompareRow]:
        """Every matching row (the CLI's table and JSON); the web page and the API read pages."""
        with self._lock:
            return _compare.compare(self.store, du_an, program, filters, year_from, year_to, with_text)

    def compare_page(self, du_an: str, program: str = "gnbv", filters: Optional[dict] = None,
                     year_from: Optional[int] = None, year_to: Optional[int] = None, page: int = 1,
                     size: int = _compare.PAGE_SIZE, with_text: bool = True) -> _compare.ComparePage:
        """One page of rows, the count and the sums of every matching row."""
        with self._lock:
            return _compare.compare_page(self.store, du_an, program, filters, year_from, year_to, page, size,
                                         with_text)

    def compare_csv(self, du_an: str, program: str = "gnbv", filters: Optional[dict] = None,
                    year_from: Optional[int] = None, year_to: Optional[int] = None) -> Iterator[bytes]:
        """Every matching row as CSV bytes (the one format of the web page, the API and the CLI):
        read now under the lock (a bad Dự án or filter raises here), written chunk by chunk after."""
        with self._lock:
            read = _compare.read_all(self.store, du_an, program, filters, year_from, year_to)
        return _compare.csv_stream(read)

    def similar(self, text: str, k: int = 10, filters: Optional[dict[str, list[str]]] = None,
                short: bool = False) -> list[SimilarHit]:
        """Clauses like text, for drafters: content only (headings and clauses under eight words
        with short=True), near-identical ones grouped ("lặp lại ở N kế hoạch"); filters:
        province, level, program, du_an."""
        self._ensure_similar()
        return self.similar_index.query(text, k, filters=filters or None, short=short)

    def _ensure_index(self) -> None:
        """Once per process: an empty engine over a non-empty store (a new engine, or an index of
        an older schema started empty) is refilled from the stored extractions."""
        if self._index_checked:
            return
        with self._lock:
            if not self._index_checked:
                if self.backend.count() == 0 and self.store.count():
                    self.reconcile()
                self._index_checked = True

    def _ensure_similar(self) -> None:
        """Once per process: an empty similar index over a non-empty store (an older layout
        was dropped) is refilled from the stored extractions."""
        if self._similar_checked:
            return
        with self._lock:
            if not self._similar_checked:
                if not self.similar_index.plan_ids() and self.store.count():
                    self._reconcile_similar(self.store.plan_ids())
                self._similar_checked = True

    def cites(self, number: str) -> list[_cites.CitingPlan]:
        with self._lock:
            return _cites.cites(self.store, number)

    def most_cited(self, limit: int = 20) -> list[_cites.CitedDoc]:
        with self._lock:
            return _cites.most_cited(self.store, limit)

    def replacements(self) -> list[_cites.Replacement]:
        with self._lock:
            return _cites.replacements(self.store)

    def chain(self, number: str) -> _cites.ChainNode:
        """The plans carrying out a document, as a tree (national > province > district > commune)."""
        with self._lock:
            return _cites.chain(self.store, number)

    def cited_by(self, plan_id: str) -> list[_cites.CitingPlan]:
        with self._lock:
            return _cites.cited_by(self.store, plan_id)

    def cites_of(self, plan_id: str) -> list[_cites.CitedRef]:
        with self._lock:
            return _cites.cites_of(self.store, plan_id)
