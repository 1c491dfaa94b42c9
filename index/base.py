"""The search backend interface: one small contract, one module per engine.

Like Wagtail's search backends: `Backend` is all the rest of kehoach knows about an
engine. Every backend passes the same behaviour suite (tests/test_backend_behaviour.py).

Text is analysed once, in Python (index/analysis.py), for every engine: the engines
index and query pre-analysed, space-separated tokens, so they see the same terms and
return the same results.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Optional

# Facets every backend counts (over plans, not clauses), and accepts as filters.
FACETS = (
    "province",  # "Lai Châu"
    "locality",  # "Phong Thổ"
    "level",  # "tỉnh" | "huyện" | "xã"
    "year",  # each year the plan covers (plan_years), as a string "2023" ("Năm thực hiện")
    "issue_year",  # the year the document was signed, "2022" ("Năm ban hành")
    "program",  # "gnbv" | "ntm" | "dtts"
    "doc_type",  # "Kế hoạch", "Quyết định", "Báo cáo"
    "du_an",  # "gnbv:DA5", "gnbv:DA1.TDA2" (a Dự án is identified by program and number)
    "agency",  # full agency name
    "cites",  # cited document number, canonical form ("90/QĐ-TTg")
    "source",  # funding sources with an amount in the plan: "NSTW", "NSĐP", "khác"
)

SORTS = ("relevance", "date")


@dataclass
class SearchRequest:
    q: str = ""  # user query; "quoted phrases" allowed; never passed to an engine as syntax
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet -> values; OR within a facet, AND across
    year_from: Optional[int] = None  # plan covers a year >= year_from
    year_to: Optional[int] = None  # plan covers a year <= year_to
    amount_min: Optional[int] = None  # plan's total budget in VND
    amount_max: Optional[int] = None
    sort: str = "relevance"  # SORTS; "date" = newest issue date/year first
    page: int = 1  # 1-based
    size: int = 10  # plans per page
    clauses_per_plan: int = 1  # best clauses returned under each plan (PlanHit.more_clauses: the rest)
    with_facets: bool = True


@dataclass
class ClauseHit:
    id: str
    text: str
    highlight: str  # text with matched words wrapped in <mark>…</mark> (HTML-escaped otherwise)
    section: str
    du_an: Optional[str]
    score: float = 0.0


@dataclass
class PlanHit:
    plan_id: str
    doc: str  # source file name (for tools; people are shown `identity`)
    title: Optional[str]
    locality: Optional[str]
    province: Optional[str]
    year: Optional[int]  # first plan year, else issue year
    doc_type: Optional[str] = None
    number: Optional[str] = None
    score: float = 0.0
    clauses: list[ClauseHit] = field(default_factory=list)
    # "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" (documents.identity)
    identity: Optional[str] = None
    issue_date: Optional[str] = None
    more_clauses: int = 0  # other matching clauses of this plan, beyond those shown


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class SearchResponse:
    total: int  # matching plans
    hits: list[PlanHit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    took_ms: float = 0.0
    relaxed: bool = False  # no plan held every word: best-match results (the UI says so)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict
        return asdict(self)


class BackendError(RuntimeError):
    """An engine failed (unreachable, refused a document, ...). The message says which and why.

    `failures`: when an engine refused some documents of a batch (the rest were written),
    one entry per refused document with .plan_id, .doc_id and .reason.
    """

    def __init__(self, message: str, failures: Optional[list[Any]] = None):
        super().__init__(message)
        self.failures = list(failures or [])


class Backend(ABC):
    """One search engine. Documents come from index/documents.py, already analysed."""

    name: str = "abstract"

    @abstractmethod
    def upsert(self, plan_doc: dict[str, Any], clause_docs: list[dict[str, Any]]) -> None:
        """Add a plan and its clauses, replacing any earlier version with the same plan_id."""

    @abstractmethod
    def delete(self, plan_id: str) -> bool:
        """Remove a plan and its clauses; False when it was not there."""

    @abstractmethod
    def commit(self) -> None:
        """Make everything upserted/deleted so far durable and visible to search."""

    @abstractmethod
    def search(self, req: SearchRequest) -> SearchResponse: ...

    @abstractmethod
    def plan_ids(self) -> set[str]: ...

    @abstractmethod
    def count(self) -> int:
        """Number of plans."""

    @abstractmethod
    def clear(self) -> None:
        """Drop every document (used by reindex and tests)."""

    def rebuild(self, docs: Any, on_progress: Any = None) -> int:
        """Replace the whole index with docs, an iterable of (plan_doc, clause_docs); returns
        the number of plans. Engines override it so that searches keep the old index until the
        new one is complete; this default clears first."""
        self.clear()
        n = 0
        for plan_doc, clause_docs in docs:
            self.upsert(plan_doc, clause_docs)
            n += 1
            if on_progress:
                on_progress(n)
        self.commit()
        return n

    def close(self) -> None:
        pass
