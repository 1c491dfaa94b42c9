"""Plan -> one plan document and its clause documents, analysed, ready for any engine.

The documents are plain dicts of JSON values. Every facet field (base.FACETS) is a list of
strings on the plan document; filters are plan-level, so clause documents do not repeat them
(an engine that wants them on its clauses copies them from the plan document: clause_fields).
Text fields (`tokens`, `bigrams`, `numbers`, `body`, `body_bigrams`) are space-separated
tokens from index/analysis.py; engines index them with a whitespace tokenizer.

A plan whose structure was not recognized (no clauses) is still searchable: its text is cut
into paragraphs, one clause each.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from extraction.model import Clause, Meta, Plan

from . import analysis, synonyms
from .base import FACETS

PLAN_FIELDS_TEXT = ("body", "body_bigrams", "numbers")
CLAUSE_FIELDS_TEXT = ("tokens", "bigrams", "numbers")


def build_docs(plan_id: str, plan: Plan, ingested_at: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not plan_id or not isinstance(plan_id, str) or any(c.isspace() for c in plan_id):
        raise ValueError(f"plan_id {plan_id!r}: must be a non-empty string without spaces")
    meta = plan.meta
    facets = plan_facets(plan)
    years = plan_years(plan)
    refs_by_clause: dict[str, list[str]] = {}
    for r in plan.references:
        if r.clause_id:
            refs_by_clause.setdefault(r.clause_id, []).append(r.number)
    agencies_by_clause: dict[str, list[str]] = {}
    for a in plan.agencies:
        for m in a.mentions:
            if m.clause_id:
                agencies_by_clause.setdefault(m.clause_id, []).append(a.name)
        for role in a.roles:
            if role.clause_id:
                agencies_by_clause.setdefault(role.clause_id, []).append(a.name)
    amounts_by_clause: dict[str, list[int]] = {}
    for am in plan.amounts:
        if am.clause_id:
            amounts_by_clause.setdefault(am.clause_id, []).append(int(am.value_vnd))

    targets_by_clause: dict[str, list[str]] = {}
    for t in plan.targets:
        if t.clause_id and t.indicator:
            targets_by_clause.setdefault(t.clause_id, []).append(t.indicator)

    program = meta.program_code or _first_du_an_program(plan)
    title = meta.title or ""
    title_a = analysis.analyse_text(title)
    # the plan's body is built from each clause's joined strings (the same text as joining
    # every token again: empty pieces are left out, as empty lists added nothing)
    title_tokens = " ".join(title_a.tokens)
    body: list[str] = [title_tokens] if title_tokens else []
    body_bigrams: list[str] = [" ".join(title_a.bigrams)] if title_a.bigrams else []
    numbers: list[str] = list(title_a.numbers)
    numbers += [analysis.number_key(r.number) for r in plan.references if r.number]

    clause_docs = []
    for c in clauses_of(plan):
        tokens, bigrams, clause_numbers = _analysed(c.text)
        # most clauses cite, name, budget and target nothing: no _unique call for them
        cites = _unique(refs_by_clause[c.id]) if c.id in refs_by_clause else []
        nums = [*clause_numbers, *map(analysis.number_key, cites)] if cites else list(clause_numbers)
        if tokens:
            body.append(tokens)
        body.append(analysis.CLAUSE_SEPARATOR)
        if bigrams:
            body_bigrams.append(bigrams)
        numbers.extend(nums)
        clause_docs.append({
            "id": f"{plan_id}:{c.id}",
            "plan_id": plan_id,
            "clause_id": c.id,
            "text": c.text,
            "section": c.section or "",
            "kind": c.kind,
            "clause_scope": c.du_an,  # the clause's Dự án scope id, as in the Plan ("DA5")
            "clause_du_an": f"{program}:{c.du_an}" if (c.du_an and program) else None,
            "tokens": tokens,
            "bigrams": bigrams,
            "numbers": " ".join(_unique(nums)),
            "clause_agencies": _unique(agencies_by_clause[c.id]) if c.id in agencies_by_clause else [],
            "clause_cites": cites,
            "clause_amounts": _unique(amounts_by_clause[c.id]) if c.id in amounts_by_clause else [],
            "clause_targets": _unique(targets_by_clause[c.id]) if c.id in targets_by_clause else [],
        })

    plan_doc = {
        "plan_id": plan_id,
        "doc": plan.doc,
        "title": meta.title,
        "identity": identity(meta),
        "doc_type_name": meta.doc_type,
        "number": meta.number,
        "locality_name": meta.locality.name,
        "province_name": meta.locality.province,
        "level_name": meta.locality.level,
        "first_year": first_year(plan),
        "issue_date": meta.issue_date,
        "date_key": date_key(plan),
        "signer": meta.signer,
        "program_code": program,
        "ingested_at": ingested_at,
        "is_plan": bool(plan.is_plan),
        "n_clauses": len(clause_docs),
        "sources": source_amounts(plan),
        "title_tokens": title_tokens,
        "body": " ".join(body),
        "body_bigrams": " ".join(body_bigrams),
        "numbers": " ".join(_unique(numbers)),
        **facets,
        "years": years,
        "amount_total": amount_total(plan),
    }
    return plan_doc, clause_docs


def clause_fields(plan_doc: dict[str, Any]) -> dict[str, Any]:
    """The plan-level fields (facets, years, amount) for an engine that keeps them on each
    clause document too; the documents themselves do not repeat them (each crossed from an
    ingest worker to the writer with every clause: a third of what it unpickled)."""
    return {**{f: plan_doc.get(f) for f in FACETS}, "years": plan_doc.get("years"),
            "amount_total": plan_doc.get("amount_total")}


@lru_cache(maxsize=8192)
def _analysed(text: str) -> tuple[str, str, tuple[str, ...]]:
    """A clause's tokens and bigrams (space-separated) and number keys. Cached: plans repeat
    clauses word for word (legal bases, headings, boilerplate), 76% of the bench's clauses and
    18% of 19 real plans; a clause and its strings take about 1 KB, 8 MB at most."""
    a = analysis.analyse_text(text)
    return " ".join(a.tokens), " ".join(a.bigrams), tuple(a.numbers)


def identity(meta: Meta) -> Optional[str]:
    """How people name a document: "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk
    Nông" (number, date and issuer when known; the issue year when the day is blank). The one
    place this line is built: search hits, citations, the chain and similar clauses use it."""
    parts = [meta.doc_type or "Văn bản"]
    if meta.number:
        parts.append(f"số {meta.number}")
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", meta.issue_date or "")
    if m:
        parts.append(f"ngày {m.group(3)}/{m.group(2)}/{m.group(1)}")
    issuer = meta.issuer
    if issuer:
        for long, short in synonyms.identity_issuers().items():
            issuer = re.sub(rf"^{re.escape(long)}\b", short, issuer, flags=re.I)
        parts.append(f"của {issuer}")
    if not m and meta.issue_year:
        parts.append(f"năm {meta.issue_year}")
    if len(parts) == 1:
        return None
    return " ".join(parts)


def clauses_of(plan: Plan) -> list[Clause]:
    """The plan's clauses, or its paragraphs when structure found none."""
    if plan.clauses:
        return [c for c in plan.clauses if c.text and c.text.strip()]
    out = []
    for m in re.finditer(r"[^\n]*\S[^\n]*", plan.text or ""):
        out.append(Clause(id=f"c{len(out) + 1:04d}", start=m.start(), end=m.end(), text=m.group(0).strip()))
    return out


def plan_years(plan: Plan) -> list[int]:
    if plan.meta.plan_years:
        return sorted({int(y) for y in plan.meta.plan_years})
    return [int(plan.meta.issue_year)] if plan.meta.issue_year else []


def first_year(plan: Plan) -> Optional[int]:
    ys = plan_years(plan)
    return ys[0] if ys else None


def date_key(plan: Plan) -> int:
    """Sort key for "newest first": YYYYMMDD from the issue date, else the year."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", plan.meta.issue_date or "")
    if m:
        return int("".join(m.groups()))
    if plan.meta.issue_year:
        return int(plan.meta.issue_year) * 10000
    ys = plan_years(plan)
    return ys[-1] * 10000 if ys else 0


def amount_total(plan: Plan) -> Optional[int]:
    """The plan's total budget in VND: the stated total, else the sum over Dự án totals, else
    the sum of the sources of the total."""
    totals = [a.value_vnd for a in plan.amounts if a.scope == "total" and a.source == "total"]
    if totals:
        return int(max(totals))
    by_scope: dict[str, int] = {}
    for a in plan.amounts:
        if a.source == "total" and a.scope != "total" and "." not in a.scope:
            by_scope[a.scope] = max(by_scope.get(a.scope, 0), int(a.value_vnd))
    if by_scope:
        return sum(by_scope.values())
    by_source: dict[str, int] = {}
    for a in plan.amounts:
        if a.scope == "total" and a.source != "total" and a.capital is None:
            by_source[a.source] = max(by_source.get(a.source, 0), int(a.value_vnd))
    return sum(by_source.values()) if by_source else None


def source_amounts(plan: Plan) -> dict[str, int]:
    """Funding source -> its amount for the whole plan (largest stated), VND."""
    out: dict[str, int] = {}
    for a in plan.amounts:
        if a.source != "total" and a.capital is None and a.scope == "total":
            out[a.source] = max(out.get(a.source, 0), int(a.value_vnd))
    return out


def _first_du_an_program(plan: Plan) -> Optional[str]:
    for d in plan.du_an:
        if d.program:
            return d.program
    return None


def plan_facets(plan: Plan) -> dict[str, list[str]]:
    """Every facet of base.FACETS as a list of strings (empty when unknown)."""
    meta = plan.meta
    program = meta.program_code or _first_du_an_program(plan)
    du_an = []
    for d in plan.du_an:
        p = d.program or program
        if p:
            du_an.append(f"{p}:{d.id}")
    programs = [program] if program else []
    programs += [d.program for d in plan.du_an if d.program]
    out = {
        "province": [meta.locality.province] if meta.locality.province else [],
        "locality": [meta.locality.name] if meta.locality.name else [],
        "level": [meta.locality.level] if meta.locality.level else [],
        "year": [str(y) for y in plan_years(plan)],
        "issue_year": [str(y) for y in [issue_year(meta)] if y],
        "program": _unique(programs),
        "doc_type": [meta.doc_type] if meta.doc_type else [],
        "du_an": _unique(du_an),
        # parties only: a body in "Nơi nhận" or one that issued a cited document plays no part
        "agency": _unique(a.name for a in plan.agencies if a.name and a.is_party),
        "cites": _unique(r.number for r in plan.references if r.number),
        "source": _unique(a.source for a in plan.amounts if a.source and a.source != "total"),
    }
    assert set(out) == set(FACETS), "plan_facets must give every facet of base.FACETS"
    return out


def issue_year(meta: Meta) -> Optional[int]:
    """The year the document was signed ("Năm ban hành"), from its date or its year alone."""
    if meta.issue_year:
        return int(meta.issue_year)
    m = re.match(r"(\d{4})-", meta.issue_date or "")
    return int(m.group(1)) if m else None


def _unique(items) -> list:
    seen: dict = {}
    for x in items:
        if x is not None and x != "" and x not in seen:
            seen[x] = None
    return list(seen)
