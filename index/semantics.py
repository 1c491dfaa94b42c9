"""Search semantics shared by every engine, so they cannot drift apart.

An engine (tantivy_backend, elasticsearch_backend) implements three primitives over the
documents of index/documents.py; `AnalysedBackend.search` does the rest in Python:

- the query is analysed once (analysis.analyze_query); each engine turns the ParsedQuery into
  its own query objects: should-match terms on `tokens` and bigrams on `bigrams`, must-match
  "phrases" on `tokens` and document numbers on `numbers`; filters never score;
- a plan matches when its title or any clause matches: plan documents carry the same analysed
  text (`body`), so total and facet counts come from one query on plans;
- plans are ranked by their best clause (relevance) or newest first (date); each plan shows
  its best `clauses_per_plan` clauses; highlights are made here from the clause text.
"""
from __future__ import annotations

import heapq
import math
import time
from abc import abstractmethod
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Optional

from . import analysis, jsonbytes
from .analysis import ParsedQuery
from .ranking import candidate_query, rescore
from .base import FACETS, SORTS, Backend, ClauseHit, FacetValue, PlanHit, SearchRequest, SearchResponse

# counts and facets run in a thread beside the ranking of the same request (the engines do
# their work outside the GIL: tantivy in Rust, Elasticsearch over HTTP)
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="kehoach-count")

FACET_LIMIT = 50  # values per facet in a response
# values asked from an engine for a response (one more than shown, so a tie at the cut is seen);
# each engine segment or shard counts ENGINE_FACET_SIZE before merging, so the counts are exact
# in practice while only these few buckets are built and returned (the agency facet of 10,000
# plans has about 5,000 values)
FACET_SIZE = FACET_LIMIT + 1
ENGINE_FACET_SIZE = 1000  # values of every facet, when filter values are resolved (_resolve_filters)
MAX_PAGE_SIZE = 100
MAX_CLAUSES_PER_PLAN = 20
MAX_CLAUSE_WINDOW = 10_000  # deepest clause ranking asked from an engine (ES max_result_window)
CANDIDATE_PLANS = 10  # plans ranked by the whole query beyond the page's depth
CANDIDATE_CLAUSES = 100  # clauses read to find them (at least; widened x4 until enough plans)
PLAN_CANDIDATES_PER_WANTED = 2  # plans read from the plan index per candidate wanted, with filters


@dataclass
class Filters:
    """Engine-neutral filters: OR within a facet, AND across; ranges on years and amount."""

    facets: dict[str, list[str]] = field(default_factory=dict)
    year_from: Optional[int] = None
    year_to: Optional[int] = None
    amount_min: Optional[int] = None
    amount_max: Optional[int] = None
    plan_ids: Optional[list[str]] = None  # restrict to these plans


@dataclass
class ClauseRow:
    score: float
    plan_id: str
    clause_id: str
    text: str = ""
    section: str = ""
    du_an: Optional[str] = None
    raw: Optional[bytes] = None  # stored JSON {"text", "section", "clause_scope", "kind"} not decoded yet
    kind: str = ""  # "heading" | "paragraph" | "item"
    tokens: Optional[str] = None  # analysed tokens as indexed, when the engine stores them

    def loaded(self) -> "ClauseRow":
        """Decode the stored fields only for the clauses shown."""
        if self.raw is not None:
            p = jsonbytes.loads(self.raw)
            self.text, self.section, self.du_an = p.get("text", ""), p.get("section", ""), p.get("clause_scope")
            self.kind = p.get("kind") or ""
            self.tokens = p.get("tokens")
            self.raw = None
        return self


@dataclass
class PlanPage:
    total: int
    rows: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # (score, stored plan fields)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def request_filters(req: SearchRequest) -> Filters:
    """Validate a request's filters; ValueError names the bad field."""
    facets: dict[str, list[str]] = {}
    for name, values in (req.filters or {}).items():
        if name not in FACETS:
            raise ValueError(f"Không có bộ lọc {name!r}: dùng một trong {', '.join(FACETS)}")
        if isinstance(values, str):
            values = [values]
        vals = [str(v) for v in values if v is not None and str(v) != ""]
        if vals:
            facets[name] = list(dict.fromkeys(vals))
    for name in ("year_from", "year_to", "amount_min", "amount_max"):
        v = getattr(req, name)
        if v is not None and not isinstance(v, int):
            raise ValueError(f"{name} phải là số nguyên, không phải {v!r}")
    return Filters(facets, req.year_from, req.year_to, req.amount_min, req.amount_max)


def check_request(req: SearchRequest) -> None:
    if req.sort not in SORTS:
        raise ValueError(f"Không có cách sắp xếp {req.sort!r}: dùng một trong {', '.join(SORTS)}")
    if not isinstance(req.page, int) or req.page < 1:
        raise ValueError(f"page phải là số nguyên từ 1 trở lên, không phải {req.page!r}")
    if not isinstance(req.size, int) or not 0 <= req.size <= MAX_PAGE_SIZE:
        raise ValueError(f"size phải là số nguyên từ 0 đến {MAX_PAGE_SIZE}, không phải {req.size!r}")
    if not isinstance(req.clauses_per_plan, int) or not 0 <= req.clauses_per_plan <= MAX_CLAUSES_PER_PLAN:
        raise ValueError(f"clauses_per_plan phải là số nguyên từ 0 đến {MAX_CLAUSES_PER_PLAN}, "
                         f"không phải {req.clauses_per_plan!r}")


def sort_facets(raw: dict[str, list[tuple[str, int]]]) -> dict[str, list[FacetValue]]:
    out = {}
    for name in FACETS:  # the first FACET_LIMIT only: a facet of an archive has thousands of values
        vals = heapq.nsmallest(FACET_LIMIT, raw.get(name, []), key=lambda vc: (-vc[1], vc[0]))
        out[name] = [FacetValue(str(v), int(c)) for v, c in vals if c > 0]
    return out


def _clause_order(rows: list[ClauseRow]) -> list[ClauseRow]:
    # deterministic across engines when scores tie (float noise aside)
    return sorted(rows, key=lambda r: (-round(r.score, 4), r.plan_id, r.clause_id))


class AnalysedBackend(Backend):
    """A Backend whose search is defined once, here, over three engine primitives."""

    @abstractmethod
    def _search_clauses(self, pq: ParsedQuery, flt: Filters, limit: int) -> tuple[list[ClauseRow], int]:
        """Best clauses matching pq and flt, best first, and how many match in all (or, when the
        engine did not count, limit + 1 for "more than limit")."""

    @abstractmethod
    def _search_plans(self, pq: Optional[ParsedQuery], flt: Filters, sort: str, offset: int, limit: int,
                      facet_size: int) -> PlanPage:
        """Plans matching pq (None: all) and flt, sorted by relevance or date; total; the counts
        of the facet_size commonest values of each facet (0: no facets), ties by value."""

    def _clauses_for_plans(self, pq: ParsedQuery, flt: Filters, plan_ids: list[str], n: int) -> dict[str, list[ClauseRow]]:
        """Best n clauses of each plan (engines may do it in one round trip)."""
        out = {}
        for pid in plan_ids:  # these plans passed flt: its plan-level filters hold for every clause
            out[pid] = _clause_order(rescore(self._search_clauses(pq, Filters(plan_ids=[pid]), n)[0], pq))
        return out

    # ---- the shared semantics --------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchResponse:
        """Every query word must match (folded, by any synonym form), anywhere in the plan; when
        that finds nothing, the query is run again best-match and the response says
        `relaxed`. Plans rank by their best clause (ranking.rescore over the engine's BM25)."""
        t0 = time.perf_counter()
        check_request(req)
        flt = self._resolve_filters(request_filters(req))
        browse = not (req.q or "").strip()
        pq = None if browse else analysis.analyze_query(req.q)
        if pq is not None and pq.is_empty:  # only punctuation or over-long tokens: nothing to match
            return SearchResponse(total=0, facets=sort_facets({}), took_ms=_ms(t0))
        if pq is not None and flt.facets.get("du_an"):  # a Dự án filter binds clauses to that Dự án
            pq = replace(pq, du_an=pq.du_an + [v.split(":", 1)[-1] for v in flt.facets["du_an"]])
        offset = (req.page - 1) * req.size

        if pq is None or req.sort == "date":
            # counts and facets apart from the page (an engine may have them cached: the same
            # plans are counted for every page, and for the same query by relevance), both at once
            counting = _POOL.submit(self._search_plans, pq, flt, "date", 0, 0, _facet_size(req))
            paging = _POOL.submit(self._search_plans, pq, flt, "date", offset, req.size, 0) if req.size else None
            counted = counting.result()
            rows = paging.result().rows if paging else []
            if pq is not None and counted.total == 0 and _can_relax(pq):
                pq = pq.loose()
                counted = self._search_plans(pq, flt, "date", 0, 0, _facet_size(req))
                rows = self._search_plans(pq, flt, "date", offset, req.size, 0).rows if req.size else []
            page = PlanPage(counted.total, rows if counted.total > offset else [], counted.facets)
            ids = [row.get("plan_id") for _, row in page.rows]
            clauses = self._clauses_for_plans(pq.loose(), flt, ids, req.clauses_per_plan) if (pq and req.clauses_per_plan) else {}
            hits = [self._plan_hit(row, score, clauses.get(row["plan_id"], []), pq) for score, row in page.rows]
            return SearchResponse(page.total, hits, sort_facets(page.facets), _ms(t0),
                                  relaxed=bool(pq and pq.relaxed and page.total))

        # the count and facets run beside the ranking (engines release the GIL; two cores)
        counting = _POOL.submit(self._search_plans, pq, flt, "relevance", 0, 0, _facet_size(req))
        per_plan = max(1, req.clauses_per_plan)
        order: list[str] = []
        grouped: dict[str, list[ClauseRow]] = {}
        if req.size:
            order, grouped = self._rank_plans(pq, flt, offset + req.size, per_plan,
                                              lambda: counting.result().total if counting.done() else None)
        counted = counting.result()
        if counted.total == 0 and _can_relax(pq):
            pq = pq.loose()
            counted = self._search_plans(pq, flt, "relevance", 0, 0, _facet_size(req))
            if req.size and counted.total:
                order, grouped = self._rank_plans(pq, flt, offset + req.size, per_plan, counted.total)
        relaxed = pq.relaxed and counted.total > 0
        needed = min(offset + req.size, counted.total)
        if needed <= offset:  # past the end, or only counts asked (size 0)
            return SearchResponse(counted.total, [], sort_facets(counted.facets), _ms(t0), relaxed=relaxed)
        if len(order) < min(needed, counted.total):  # plans matched by title only, or beyond the window
            more = self._search_plans(pq, flt, "relevance", 0, needed + len(order), 0)
            seen = set(order)
            order += [row["plan_id"] for _, row in more.rows if row["plan_id"] not in seen]
        page_ids = order[offset:needed]
        rows = self._plan_rows(page_ids)
        hits = []
        for pid in page_ids:
            row = rows.get(pid)
            if row is None:  # deleted between the two queries
                continue
            cl = grouped.get(pid, [])
            hit = self._plan_hit(row, cl[0].score if cl else 0.0, cl[:req.clauses_per_plan], pq)
            hit.more_clauses = max(0, len(cl) - len(hit.clauses))
            hits.append(hit)
        return SearchResponse(counted.total, hits, sort_facets(counted.facets), _ms(t0), relaxed=relaxed)

    def _resolve_filters(self, flt: Filters) -> Filters:
        """Filter values written another way ("dak nong", "90/QD-TTG") -> the indexed values."""
        if not flt.facets:
            return flt
        if all(self._indexed(name, values) for name, values in flt.facets.items()):
            return flt  # as the UI sends them: no count of every facet value of the archive
        known = self._search_plans(None, Filters(), "date", 0, 0, ENGINE_FACET_SIZE).facets
        facets = {}
        for name, values in flt.facets.items():
            indexed = [v for v, _ in known.get(name, [])]
            out: list[str] = []
            for v in values:
                if v in indexed:
                    out.append(v)
                    continue
                key = _facet_key(name, v)
                out += [k for k in indexed if _facet_key(name, k) == key] or [v]
            facets[name] = list(dict.fromkeys(out))
        return Filters(facets, flt.year_from, flt.year_to, flt.amount_min, flt.amount_max, flt.plan_ids)

    def _indexed(self, name: str, values: list[str]) -> bool:
        """Whether every value is indexed as written (engines that can tell cheaply override it)."""
        return False

    def _rank_plans(self, pq: ParsedQuery, flt: Filters, needed: int, per_plan: int,
                    matched: "Optional[int] | Callable[[], Optional[int]]" = None):
        """Plans in order of their best clause, with their clauses, deep enough for `needed` plans.

        Two stages. Candidates: plans whose clauses best match the query's bigrams and its
        syllables outside them (ranking.candidate_query: cheap, the common syllables left out)
        and that pass the filters; with several word groups, only plans holding every word.
        Then the clauses of those plans alone (a set of plan ids) are ranked best-match by the
        whole query (a clause need not hold every word: the plan must) and rescored.

        Filters are plan-level. With filters, the candidates are the plans whose text best
        matches the candidate query, filtered by the engine on the plan index (one document a
        plan): intersecting a filter with a million clauses cost more than the query, and a
        deeper unfiltered window checked afterwards missed when the query's best clauses sit
        in plans the filter leaves out (a program's own words).

        `matched` (plans matching pq and flt, when counted; or a callable giving it once the
        count running beside is done, else None): when every plan passing the filters matches,
        no candidate needs checking for every word (phrases over whole plans are dear)."""
        # plans must hold every word group, and each quoted phrase (the candidates score them by
        # their bigrams only)
        strict = (not pq.relaxed and len(pq.groups) > 1) or any(len(ph) > 1 for ph in pq.phrases)
        loose = pq.loose()
        want = needed + CANDIDATE_PLANS
        ids = self._candidates(pq, candidate_query(loose), flt, want, strict, matched)
        if not ids:
            return [], {}
        ids = ids[:want]
        limit = min(MAX_CLAUSE_WINDOW, max(100, len(ids) * per_plan * 2))
        rows, _ = self._search_clauses(loose, Filters(plan_ids=ids), limit)
        grouped: dict[str, list[ClauseRow]] = {}
        for r in _clause_order(rescore(rows, pq)):
            grouped.setdefault(r.plan_id, []).append(r)
        order = sorted(grouped, key=lambda pid: (-round(grouped[pid][0].score, 4), pid))
        return order, grouped

    def _candidates(self, pq: ParsedQuery, cq: ParsedQuery, flt: Filters, want: int, strict: bool,
                    matched) -> list[str]:
        """Up to `want` candidate plans, best first (see _rank_plans)."""
        archive = self.count()
        passing = self._search_plans(None, flt, "date", 0, 0, 0).total if _filtering(flt) else archive
        if callable(matched):
            matched = matched()
        if matched is not None and matched == passing:
            strict = False
        check = pq if strict else None
        if passing < archive:  # filtered: candidates from the plan index, with the filters
            page = self._search_plans(cq, flt, "relevance", 0, want * PLAN_CANDIDATES_PER_WANTED, 0)
            ids = [row["plan_id"] for _, row in page.rows]
            return self._passing_in_order(check, flt, ids, want) if strict else ids
        k = min(MAX_CLAUSE_WINDOW, max(CANDIDATE_CLAUSES, want * 5))
        while True:
            rows, total = self._search_clauses(cq, Filters(), k)
            found = list(dict.fromkeys(r.plan_id for r in rows))
            if strict:
                found = self._passing_in_order(check, flt, found, want)
            if len(found) >= want or k >= total or k >= MAX_CLAUSE_WINDOW:
                return found
            k = min(MAX_CLAUSE_WINDOW, k * 4)

    def _passing_in_order(self, pq: Optional[ParsedQuery], flt: Filters, ids: list[str], want: int) -> list[str]:
        """The first `want` of ids (in their order) that match pq (every word; None: only the
        filters) and flt, checked a batch at a time: a phrase checked over whole plans costs by
        the plan, and the first batch usually holds enough."""
        out: list[str] = []
        batch = want + want // 2
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            ok = self._matching_plans(pq, flt, chunk)
            out += [pid for pid in chunk if pid in ok]
            if len(out) >= want:
                break
        return out

    def _matching_plans(self, pq: Optional[ParsedQuery], flt: Filters, plan_ids: list[str]) -> set[str]:
        """Which of these plans match pq with every word (pq None: the filters alone)."""
        if not plan_ids:
            return set()
        f = Filters(flt.facets, flt.year_from, flt.year_to, flt.amount_min, flt.amount_max, plan_ids)
        page = self._search_plans(pq, f, "relevance", 0, len(plan_ids), 0)
        return {row["plan_id"] for _, row in page.rows}

    def _plan_rows(self, plan_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not plan_ids:
            return {}
        page = self._search_plans(None, Filters(plan_ids=list(plan_ids)), "date", 0, len(plan_ids), 0)
        return {row["plan_id"]: row for _, row in page.rows}

    @staticmethod
    def _plan_hit(row: dict[str, Any], score: float, clauses: Iterable[ClauseRow], pq: Optional[ParsedQuery]) -> PlanHit:
        return PlanHit(
            plan_id=row["plan_id"],
            doc=row.get("doc") or "",
            title=row.get("title"),
            identity=row.get("identity") or row.get("title") or None,
            issue_date=row.get("issue_date"),
            locality=row.get("locality_name"),
            province=row.get("province_name"),
            year=row.get("first_year"),
            doc_type=row.get("doc_type_name"),
            number=row.get("number"),
            score=float(score) if score is not None and not math.isnan(score) else 0.0,
            clauses=[
                ClauseHit(
                    id=c.clause_id, text=snip,
                    highlight=analysis.highlight(snip, pq) if pq else analysis.highlight(snip, ParsedQuery()),
                    section=c.section, du_an=c.du_an, score=float(c.score),
                )
                for c in (c.loaded() for c in clauses)
                for snip in (snippet(c.text, pq),)
            ],
        )


# A hit shows a snippet of its clause, not the clause: one upload with a clause of millions of
# characters must not make every search tokenize, highlight and send it (issue 14). The full
# text is the plan's (GET /api/plans/{plan_id}, the clause by its id).
SNIPPET_CHARS = 800
SNIPPET_SCAN = 200_000  # how far into a long clause the first matched word is looked for
_SCAN_STEP = 4_000


def snippet(text: str, pq: Optional[ParsedQuery]) -> str:
    """The clause when short; else about SNIPPET_CHARS around its first matched word (the start
    when none is found in the first SNIPPET_SCAN characters), cut at spaces, '…' where cut."""
    text = text or ""
    if len(text) <= SNIPPET_CHARS:
        return text
    pos = 0
    terms = set(pq.terms) if pq is not None else set()
    start, limit = 0, min(len(text), SNIPPET_SCAN)
    while terms and start < limit:
        end = text.rfind(" ", start + 1, start + _SCAN_STEP)  # pieces end between words: no half word matches
        end = start + _SCAN_STEP if end <= start else end
        hit = next((t.start for t in analysis.tokenize(text[start:end]) if t.term in terms), None)
        if hit is not None:
            pos = start + hit
            break
        start = end
    lo = max(0, pos - SNIPPET_CHARS // 4)
    if lo:
        lo = text.rfind(" ", max(0, lo - 60), lo) + 1 or lo
    hi = min(len(text), lo + SNIPPET_CHARS)
    if hi < len(text):
        cut = text.rfind(" ", hi - 60, hi)
        hi = cut if cut > lo else hi
    return ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


# Stored plan fields every engine returns in PlanPage rows (see _plan_hit).
PLAN_ROW_FIELDS = ("plan_id", "doc", "title", "identity", "locality_name", "province_name", "first_year",
                   "doc_type_name", "number", "issue_date", "date_key", "ingested_at")


def plan_level(flt: Filters) -> bool:
    """Whether flt holds a plan-level filter (a facet, years, an amount); plan ids aside."""
    return bool(flt.facets or any(v is not None for v in (flt.year_from, flt.year_to, flt.amount_min, flt.amount_max)))


def _filtering(flt: Filters) -> bool:
    return flt.plan_ids is not None or plan_level(flt)


def _facet_size(req: SearchRequest) -> int:
    return FACET_SIZE if req.with_facets else 0


def _can_relax(pq: ParsedQuery) -> bool:
    """Best-match differs from all-words only when there are several word groups."""
    return not pq.relaxed and len(pq.groups) > 1


def _facet_key(name: str, value: str) -> str:
    if name == "cites":
        return analysis.number_key(value)
    return " ".join(analysis.fold(value).split())


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)
