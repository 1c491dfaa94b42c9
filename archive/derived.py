"""Rows derived from an extraction for the store's tables: plan columns (list, filters,
identity), Dự án rows for compare, citation rows for cites. Pure functions of a Plan, so the
store can re-derive them for every record when a schema changes.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Optional

from extraction.model import Plan
from extraction.textkeys import number_key

if TYPE_CHECKING:  # the store's record type; the store imports this module
    from .store import Record

# ---- derived rows -------------------------------------------------------------------

def plan_years(plan: Plan) -> list[int]:
    return sorted({int(y) for y in plan.meta.plan_years or []})


def first_year(plan: Plan) -> Optional[int]:
    years = plan_years(plan)
    return years[0] if years else plan.meta.issue_year


def du_an_program(plan: Plan, scope_id: str) -> Optional[str]:
    for d in plan.du_an:
        if d.id == scope_id and d.program:
            return d.program
    return plan.meta.program_code


def _in_scope(scope: Optional[str], du_an: str) -> bool:
    return bool(scope) and (scope == du_an or scope.startswith(du_an + "."))


def du_an_rows(plan: Plan) -> list[tuple[str, str, dict[str, Any], str]]:
    """(program, du_an, row, text) for every Dự án and Tiểu dự án the plan numbers, budgets or assigns.

    A Dự án's row covers its Tiểu dự án too (their amounts, agencies, targets and text).
    """
    scopes: set[str] = {d.id for d in plan.du_an}
    scopes |= {a.scope for a in plan.amounts if a.scope and a.scope != "total"}
    scopes |= {c.du_an for c in plan.clauses if c.du_an}
    scopes |= {r.du_an for a in plan.agencies for r in a.roles if r.du_an}
    # a Tiểu dự án implies its Dự án
    scopes |= {s.split(".")[0] for s in scopes}
    names = {d.id: d.name for d in plan.du_an}
    # the scope values items carry: a scope's items are those whose value is in `within` (one
    # set test per item and scope; a prefix test each was half of derive_rows)
    carried = ({a.scope for a in plan.amounts} | {c.du_an for c in plan.clauses}
               | {r.du_an for ag in plan.agencies for r in ag.roles} | {t.scope for t in plan.targets})
    out = []
    for scope in sorted(scopes):
        within = {s for s in carried if _in_scope(s, scope)}
        program = du_an_program(plan, scope) or du_an_program(plan, scope.split(".")[0])
        if not program:
            continue
        amounts = [
            {"scope": a.scope, "source": a.source, "capital": a.capital, "value_vnd": a.value_vnd, "text": a.text}
            for a in plan.amounts if a.scope in within
        ]
        lead, coord = [], []
        for ag in plan.agencies:
            if not ag.is_party:  # a recipient or a cited document's issuer leads nothing here
                continue
            for r in ag.roles:
                if r.du_an not in within:
                    continue
                bucket = lead if r.role == "chủ trì" else coord if r.role == "phối hợp" else None
                if bucket is not None and ag.name not in bucket:
                    bucket.append(ag.name)
        targets = [
            {"text": t.text, "indicator": t.indicator, "value": t.value, "unit": t.unit, "year": t.year}
            for t in plan.targets if t.scope in within
        ]
        text = "\n".join([c.text for c in plan.clauses if c.du_an in within])
        row = {
            "name": names.get(scope),
            "amounts": amounts,
            "total_vnd": scope_total(plan, scope),
            "lead": lead,
            "coordinating": coord,
            "targets": targets,
        }
        out.append((program, scope, row, text))
    return out


# ---- a Dự án row's figures: one rule for the compare table, its CSV and the store's columns

SOURCES = ("NSTW", "NSĐP", "khác")
CAPITALS = ("đầu tư", "sự nghiệp")
# du_an_rows columns (đồng) so compare sums and scales every matching row from the index alone
FIGURES = ("vnd_total", "vnd_nstw", "vnd_nsdp", "vnd_khac", "vnd_dau_tu", "vnd_su_nghiep")


def source_amount(amounts: list[dict[str, Any]], du_an: str, source: str) -> Optional[int]:
    """The Dự án-level amount of a source: stated, else the sum of its capital split."""
    at = [a for a in amounts if a["scope"] == du_an and a["source"] == source]
    for a in at:
        if a["capital"] is None:
            return a["value_vnd"]
    return sum(a["value_vnd"] for a in at) if at else None


def capital_amount(amounts: list[dict[str, Any]], du_an: str, capital: str) -> Optional[int]:
    """The Dự án-level amount of a capital kind (đầu tư, sự nghiệp), all sources together."""
    vals = [a["value_vnd"] for a in amounts if a["scope"] == du_an and a["capital"] == capital]
    return sum(vals) if vals else None


def row_figures(du_an: str, row: dict[str, Any]) -> tuple[Optional[int], ...]:
    """The FIGURES of a Dự án row (its JSON as stored): total, the three sources, the two capitals."""
    amounts = row.get("amounts") or []
    return (row.get("total_vnd"), *(source_amount(amounts, du_an, s) for s in SOURCES),
            *(capital_amount(amounts, du_an, c) for c in CAPITALS))


def derive_rows(plan: Plan) -> tuple[list[tuple], list[tuple]]:
    """Rows of du_an_rows (program, du_an, row, text, *FIGURES) and refs for a plan (without the plan id)."""
    du_an = [(prog, du, json.dumps(row, ensure_ascii=False), text, *row_figures(du, row))
             for prog, du, row, text in du_an_rows(plan)]
    # a law cited by title ("Luật Đầu tư công ngày 13/6/2019") is kept under the number it has
    # (extraction.laws: known_number), so `cites` and the references page count it with the same
    # law cited by number; the year of the date tells two documents with one number apart
    refs = [(num, number_key(num), r.relation, r.doc_type, r.date, r.issuer, r.mentions)
            for r in plan.references if (num := r.number or r.known_number)]
    return du_an, refs


def scope_total(plan: Plan, scope: str) -> Optional[int]:
    """The Dự án's total: stated (source total, no capital), else the sum of its sources."""
    at = [a for a in plan.amounts if a.scope == scope]
    for a in at:
        if a.source == "total" and a.capital is None:
            return a.value_vnd
    by_source = {a.source: a.value_vnd for a in at if a.source != "total" and a.capital is None}
    if by_source:
        return sum(by_source.values())
    split = [a.value_vnd for a in at if a.source != "total" and a.capital is not None]
    if split:
        return sum(split)
    subs = [scope_total(plan, s) for s in {a.scope for a in plan.amounts if a.scope.startswith(scope + ".")}]
    subs = [v for v in subs if v is not None]
    return sum(subs) if subs else None


# plan columns copied into du_an_rows
_COPIED = ("doc", "locality", "province", "level", "doc_type", "years", "year", "year_last")


def _plan_total(plan: Plan) -> Optional[int]:
    from index.documents import amount_total  # one rule for the index and the archive
    return amount_total(plan)


def plan_columns(rec: Record) -> dict[str, Any]:
    """The plans table row of a record (without the record blob); "_notes" is not a column."""
    plan = rec.plan
    m = plan.meta
    years = plan_years(plan) or ([m.issue_year] if m.issue_year else [])
    return {
        "plan_id": rec.plan_id, "doc": rec.doc, "source": rec.source, "ingested_at": rec.ingested_at,
        "is_plan": int(bool(plan.is_plan)), "title": m.title, "doc_type": m.doc_type, "number": m.number,
        "number_key": number_key(m.number), "locality": m.locality.name, "province": m.locality.province,
        "level": m.locality.level, "program": m.program_code,
        "years": "," + ",".join(map(str, years)) + "," if years else "",
        "year": first_year(plan), "year_last": years[-1] if years else None, "issue_date": m.issue_date,
        "chars": len(plan.text), "total_vnd": _plan_total(plan), "issuer": m.issuer,
        "_notes": list(plan.warnings if not plan.is_plan else rec.load.get("warnings") or []),
    }
