"""What the archive answers: ingest and import reports, stored plans, plan summaries, and
the one JSON shape of a search answer (CLI and API print the same)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from extraction.model import Plan
from index.base import SearchResponse

STATUSES = ("ingested", "unchanged", "replaced", "failed")


@dataclass
class IngestItem:
    path: str
    status: str  # STATUSES
    plan_id: Optional[str] = None
    doc: Optional[str] = None
    is_plan: Optional[bool] = None
    replaced: Optional[str] = None  # the plan id this file's new version replaced
    error: Optional[str] = None  # why it failed, naming the file
    note: Optional[str] = None  # e.g. "cùng nội dung với X", loader warnings, why it is not a plan

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)
    elapsed_s: float = 0.0

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in STATUSES}
        for it in self.items:
            c[it.status] = c.get(it.status, 0) + 1
        c["not_a_plan"] = sum(1 for it in self.items if it.status in ("ingested", "replaced") and it.is_plan is False)
        return c

    @property
    def failed(self) -> list[IngestItem]:
        return [it for it in self.items if it.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def plans_per_s(self) -> float:
        """Files processed (extracted or recognised) per second."""
        done = sum(1 for it in self.items if it.status != "failed")
        return done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "elapsed_s": round(self.elapsed_s, 3),
                "plans_per_s": round(self.plans_per_s, 2), "items": [it.to_dict() for it in self.items]}


@dataclass
class StoredPlan:
    plan_id: str
    doc: str
    plan: Plan
    ingested_at: str
    source: Optional[str] = None
    is_plan: bool = True
    sources: list[str] = field(default_factory=list)  # every file holding this plan's text (duplicates are one plan)
    load: dict[str, Any] = field(default_factory=dict)  # how it was read: format, pages, ocr, ocr_confidence

    @property
    def ocr(self) -> bool:
        return bool(self.load.get("ocr"))

    @property
    def ocr_confidence(self) -> Optional[float]:
        return self.load.get("ocr_confidence")


@dataclass
class PlanSummary:
    plan_id: str
    doc: str
    title: Optional[str]
    doc_type: Optional[str]
    number: Optional[str]
    locality: Optional[str]
    province: Optional[str]
    level: Optional[str]
    program: Optional[str]
    year: Optional[int]
    years: list[int]
    is_plan: bool
    ingested_at: str
    issue_date: Optional[str] = None
    total_vnd: Optional[int] = None
    issuer: Optional[str] = None  # the issuing body: the identity line reads as in search

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def identity(self) -> str:
        from .identity import identity_of
        return identity_of(doc_type=self.doc_type, number=self.number, issue_date=self.issue_date,
                           issuer=self.issuer, locality=self.locality, level=self.level, province=self.province)


@dataclass
class ImportReport:
    imported: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # "FILE:LINE: what is wrong"


RELAXED_NOTICE = "Không có văn bản nào chứa đủ mọi từ đã gõ; kết quả dưới đây chứa một phần các từ."


def search_json(res: SearchResponse) -> dict[str, Any]:
    """The search output contract, one for CLI and API: total, hits (plan fields + clauses), facets."""
    return {
        "total": res.total,
        # no plan held every word of the query: these are best-match results
        "relaxed": res.relaxed,
        "notice": RELAXED_NOTICE if res.relaxed else None,
        "hits": [
            {
                "plan_id": h.plan_id, "doc": h.doc, "identity": h.identity or h.title, "title": h.title,
                "doc_type": h.doc_type, "number": h.number, "issue_date": h.issue_date,
                "locality": h.locality, "province": h.province, "year": h.year,
                "clauses": [{"id": c.id, "text": c.text, "highlight": c.highlight, "section": c.section,
                             "du_an": c.du_an} for c in h.clauses],
                "more_clauses": h.more_clauses,
            }
            for h in res.hits
        ],
        "facets": {k: [{"value": v.value, "count": v.count} for v in vals] for k, vals in res.facets.items()},
    }
