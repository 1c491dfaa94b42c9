"""The floors beside each bench figure: what the engine, SQLite or numpy alone cost for the same
requests, so the service's overhead reads as a ratio that carries across machines.

- `engine_ms`: each search request of the mix as a plain top-10 on the engine's clause index,
  the query as the engines build it (every word group must match by any synonym form, phrases,
  filters; analysed and resolved beforehand, untimed); no facets, no grouping, no rescoring,
  no highlights, stored fields not decoded; without its filters (they are plan-level: the
  clause index holds none). `engine_words_ms`: the same with the words
  best-match (BM25 over syllables and bigrams), the cheapest plain query;
- `compare_floor_ms`: each compare request as a plain SQL read of its page of rows (the same
  table, filters, order and page; no count, no sums, no JSON decoding, no objects);
- `similar_floor_ms`: each similar request as the raw sparse product of its TF-IDF vector with
  every row of the matrix (the query vectorised beforehand; no top-k, no grouping, no SQL);
- `similar_recall_at_10`: the share of the brute-force answer (every posting kept) that the
  served answer (pruned postings, index/similar.py) also gives, over the same texts.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np


def _timed(fn: Callable, items: list, warmup: int) -> list[float]:
    for it in items[:warmup]:
        fn(it)
    out = []
    for it in items:
        t0 = time.perf_counter()
        fn(it)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def engine_floor(archive, requests: list[Any], warmup: int = 10, words_only: bool = False) -> list[float]:
    """Plain top-10 clause queries on the engine, for SearchRequests: the request's query as
    the engines build it (every word group must match, by any synonym form; phrases), or with
    `words_only` its words best-match (BM25 over syllables and bigrams, as an engine answers a
    search box); its filters left out."""
    from dataclasses import replace

    from index import analysis
    from index.semantics import Filters, request_filters

    backend = archive.backend
    prepared = []
    for req in requests:
        flt = backend._resolve_filters(request_filters(req))
        pq = analysis.analyze_query(req.q) if (req.q or "").strip() else None
        if pq is not None and flt.facets.get("du_an"):
            pq = replace(pq, du_an=pq.du_an + [v.split(":", 1)[-1] for v in flt.facets["du_an"]])
        if pq is not None and words_only:
            pq = pq.loose()
        # filters are plan-level and the clause index holds none: the query alone (restricted
        # to the passing plans' ids it cost the engine 2-4x the query itself)
        prepared.append((pq, Filters(plan_ids=flt.plan_ids)))
    return _timed(lambda pf: backend._search_clauses(pf[0], pf[1], 10), prepared, warmup)


def compare_floor(archive, requests: list[dict], warmup: int = 10) -> list[float]:
    """The page of rows of each comparison read by SQL alone (fetchall of the raw columns)."""
    from archive.compare import PAGE_SIZE, check_program, parse_du_an
    from archive.store import filter_sql

    db = archive.store.db
    prepared = []
    for r in requests:
        program = check_program(r["program"])
        where, args = filter_sql({k: v for k, v in r.items() if isinstance(v, list)} or None)
        sql = ("SELECT p.plan_id, p.doc, p.locality, p.province, p.level, p.year, p.years, p.row, p.text "
               f"FROM du_an_rows p WHERE p.program = ? AND p.du_an = ?{where} "
               "ORDER BY p.province, p.locality, p.year, p.plan_id LIMIT ? OFFSET ?")
        page = [PAGE_SIZE, (r.get("page", 1) - 1) * PAGE_SIZE]
        prepared.append((sql, [program, parse_du_an(r["du_an"], program), *args, *page]))
    return _timed(lambda sa: db.execute(*sa).fetchall(), prepared, warmup)


def similar_floor(archive, texts: list[str], warmup: int = 10) -> list[float]:
    """The raw product of each query's TF-IDF vector with the whole matrix (every block the
    queries read: the base and the stacked deltas)."""
    from index.analysis import analyze

    idx = archive.similar_index
    m = idx._current()
    if m is None:
        return []
    prepared = []
    for t in texts:
        q = idx._vectors([" ".join(analyze(t))], m.idf)
        if q.nnz:
            prepared.append((q.indices, q.data * m.idf[q.indices]))
    blocks = [p for _, p in m.blocks()]
    return _timed(lambda fw: np.concatenate([p.scores(fw[0], fw[1]) for p in blocks]), prepared, warmup)


def similar_recall(archive, texts: list[str], k: int = 10) -> float:
    """Hits (by text) of the served index found by the reference too, as a share. Reference:
    nothing pruned, and 20 times the candidates scored row by row (index/similar._exact, the
    candidates' path) instead of by the column pass that ranks every row. Every row row by row
    costs 0.6 s a query at 10,000 plans."""
    import index.similar as similar
    import index.similar_matrix as sim

    idx = archive.similar_index
    m = idx._current()
    if m is None:
        return 0.0
    served = [[h.text for h in idx.query(t, k)] for t in texts]
    saved = sim.PRUNE_POSTINGS, similar.CANDIDATES
    try:
        sim.PRUNE_POSTINGS, similar.CANDIDATES = 2 ** 62, 20 * similar.CANDIDATES
        for _, p in m.blocks():
            p._pruned = None
        exact = [[h.text for h in idx.query(t, k)] for t in texts]
    finally:
        sim.PRUNE_POSTINGS, similar.CANDIDATES = saved
        for _, p in m.blocks():
            p._pruned, p._counts = None, p.counts  # pruned again as served
    found = sum(len(set(a) & set(b)) for a, b in zip(served, exact))
    return round(found / max(1, sum(len(b) for b in exact)), 4)


def ratio(a: dict, b: dict, key: str = "p95") -> float:
    """a[key] / b[key], rounded to 0.01 (0 when b is 0)."""
    return round(a[key] / b[key], 2) if b.get(key) else 0.0
