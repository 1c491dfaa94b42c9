"""Citations between documents: who cites a number, what is cited most, what replaces what.

Reads the store's refs table (one row per plan and cited number, keyed by
extraction.textkeys.number_key so every written form of a number meets the same key).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Optional

from extraction.textkeys import canonical_number, number_key

from .store import Store

# a document number inside a query like "QĐ 90/QĐ-TTg" or "số 90/QD-TTg ngày 18/01/2022"
_NUMBER_RE = re.compile(r"\d+[A-Za-zĐđ\d]*(?:\s*/\s*[\wĐđ]+(?:\s*[-–—]\s*[\wĐđ]+)*)+", re.U)


def query_key(text: str) -> str:
    """The number key of a query; ValueError when there is no document number in it."""
    found = canonical_number(text or "")
    if found:
        return number_key(found)
    m = _NUMBER_RE.search(text or "")
    if not m:
        if re.fullmatch(r"\s*\d+\s*", text or ""):
            return text.strip()
        raise ValueError(f"no document number in {text!r}: write it like 90/QĐ-TTg")
    return number_key(m.group(0))


@dataclass
class CitingPlan:
    plan_id: str
    doc: str
    title: Optional[str]
    locality: Optional[str]
    province: Optional[str]
    year: Optional[int]
    number: str  # the cited number as this plan writes it
    relation: Optional[str]
    doc_type: Optional[str]  # of the cited document
    date: Optional[str]
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CitedDoc:
    number: str  # most common written form
    key: str
    count: int  # plans citing it
    doc_type: Optional[str]
    issuer: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Replacement:
    plan_id: str  # the replacing plan
    doc: str
    number: Optional[str]  # its own number
    replaces: str  # the number it replaces
    replaced_plan_id: Optional[str]  # the replaced plan when it is in the archive
    replaced_doc: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cites(store: Store, number: str) -> list[CitingPlan]:
    key = query_key(number)
    # a bare "90" matches every number starting "90/"
    cond, arg = ("r.key LIKE ? || '/%'", key) if "/" not in key else ("r.key = ?", key)
    sql = (
        "SELECT p.plan_id, p.doc, p.title, p.locality, p.province, p.year, r.number, r.relation, r.doc_type, r.date, "
        f"r.mentions FROM refs r JOIN plans p ON p.plan_id = r.plan_id WHERE {cond} "
        "ORDER BY p.year DESC, p.province, p.locality, p.plan_id"
    )
    return [CitingPlan(*row[:10], mentions=row[10] or 1) for row in store.db.execute(sql, (arg,))]


def most_cited(store: Store, limit: int = 20) -> list[CitedDoc]:
    sql = (
        "SELECT key, count(DISTINCT plan_id) AS n FROM refs GROUP BY key ORDER BY n DESC, key LIMIT ?"
    )
    out = []
    for key, n in store.db.execute(sql, (int(limit),)).fetchall():
        number, doc_type, issuer = store.db.execute(
            "SELECT number, max(doc_type), max(issuer) FROM refs WHERE key=? GROUP BY number "
            "ORDER BY count(*) DESC LIMIT 1", (key,)).fetchone()
        out.append(CitedDoc(number=number, key=key, count=n, doc_type=doc_type, issuer=issuer))
    return out


def replacements(store: Store) -> list[Replacement]:
    sql = (
        "SELECT p.plan_id, p.doc, p.number, r.number, r.key FROM refs r JOIN plans p ON p.plan_id = r.plan_id "
        "WHERE r.relation = 'thay thế' ORDER BY p.plan_id, r.number"
    )
    out = []
    for pid, doc, own, replaced, key in store.db.execute(sql).fetchall():
        hit = store.db.execute(
            "SELECT plan_id, doc FROM plans WHERE number_key = ? AND plan_id != ? ORDER BY year DESC LIMIT 1",
            (key, pid)).fetchone()
        out.append(Replacement(pid, doc, own, replaced, hit[0] if hit else None, hit[1] if hit else None))
    return out
