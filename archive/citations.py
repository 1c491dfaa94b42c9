"""Citations between documents: who cites a number, what is cited most, what replaces what.

Reads the store's refs table (one row per plan and cited number, keyed by
extraction.textkeys.number_key so every written form of a number meets the same key).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from extraction.laws import citation_key, query_keys, same_document
from extraction.textkeys import canonical_number, number_key
from index.documents import identity

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
        raise ValueError(f"Không thấy số ký hiệu văn bản trong {text!r}: viết như 90/QĐ-TTg")
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
    date: Optional[str] = None  # when the number has no year of its own: which of its documents

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
    """Plans citing a document named by number ("90/QĐ-TTg", with a date to pick one of two
    documents sharing a number) or, for a law, by title ("Luật Đầu tư công 2019"): a law cited
    by title and by number is one document (extraction.laws.query_keys)."""
    keys = query_keys(number) if "/" in number or not re.fullmatch(r"\s*\d+\s*", number or "") else []
    if not keys:
        key = query_key(number)
        if "/" not in key:  # a bare "90" matches every number starting "90/"
            keys = [key]
    sql = (
        "SELECT p.plan_id, p.doc, p.title, p.locality, p.province, p.year, r.number, r.relation, r.doc_type, r.date, "
        "r.mentions, r.key FROM refs r JOIN plans p ON p.plan_id = r.plan_id WHERE {cond} "
        "ORDER BY p.year DESC, p.province, p.locality, p.plan_id"
    )
    out, seen = [], set()
    for k in keys:
        base = k.split("@", 1)[0]
        cond = "r.key LIKE ? || '/%'" if "/" not in base else "r.key = ?"
        for row in store.db.execute(sql.format(cond=cond), (base,)):
            if "@" in k and not same_document(citation_key({"number": row[6], "date": row[9]}), k):
                continue  # the same number, another document (another year)
            if (row[0], row[6], row[9]) not in seen:
                seen.add((row[0], row[6], row[9]))
                out.append(CitingPlan(*row[:10], mentions=row[10] or 1))
    return out


def most_cited(store: Store, limit: int = 20) -> list[CitedDoc]:
    """The documents cited by most plans, each one document by its citation identity: a number
    and, when the number carries no year, the year of its date (1600/QĐ-TTg of 2016 and of 2023
    are two rows); a citation without a date joins the one dated document of its number."""
    rows = store.db.execute("SELECT key, substr(coalesce(date, ''), 1, 4), plan_id, number, doc_type, issuer, date "
                            "FROM refs").fetchall()
    groups: dict[str, dict[str, Any]] = {}
    for key, year, pid, num, dt, iss, date in rows:
        ident = citation_key({"number": num, "date": date})
        g = groups.setdefault(ident, {"plans": set(), "forms": {}, "doc_type": None, "issuer": None, "date": None})
        g["plans"].add(pid)
        g["forms"][num] = g["forms"].get(num, 0) + 1
        g["doc_type"], g["issuer"] = g["doc_type"] or dt, g["issuer"] or iss
        g["date"] = g["date"] or date
    dated: dict[str, list[str]] = {}
    for ident in groups:
        if "@" in ident:
            dated.setdefault(ident.split("@", 1)[0], []).append(ident)
    for ident in [i for i in groups if "@" not in i]:
        if len(dated.get(ident, [])) == 1:  # undated: one dated document of that number to join
            into = groups[dated[ident][0]]
            g = groups.pop(ident)
            into["plans"] |= g["plans"]
            for f, n in g["forms"].items():
                into["forms"][f] = into["forms"].get(f, 0) + n
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]["plans"]), kv[0]))[:int(limit)]
    return [CitedDoc(number=max(g["forms"], key=lambda f: (g["forms"][f], f)), key=ident, count=len(g["plans"]),
                     doc_type=g["doc_type"], issuer=g["issuer"], date=g["date"] if "@" in ident else None)
            for ident, g in ranked]


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


# ---- identity, cited-by and the implementation chain --------------------------------------
# A cited document is matched to an archived plan by its citation identity
# (extraction.laws.citation_key: the number, and the year when the number has none), never by
# the number alone: 1600/QĐ-TTg of 2016 and of 2023 are two documents.

LEVEL_RANK = {"trung ương": 0, "tỉnh": 1, "huyện": 2, "xã": 3}


def plan_key(number: Optional[str], issue_date: Optional[str]) -> Optional[str]:
    """The citation identity of an archived plan (None without a number: nobody can cite it)."""
    return citation_key({"number": number, "date": issue_date}) if number else None


def archived(store: Store, key: str) -> list[str]:
    """Archived plans whose identity is the citation key `key`."""
    base = key.split("@", 1)[0]
    rows = store.db.execute("SELECT plan_id, number, issue_date FROM plans WHERE number_key = ?", (base,)).fetchall()
    return [pid for pid, num, date in rows if (k := plan_key(num, date)) and same_document(k, key)]


def identity_of(store: Store, plan_id: str) -> str:
    rec = store.get(plan_id)
    if rec is None:
        return plan_id
    return identity(rec.plan.meta) or rec.plan.meta.title or rec.doc


def _citing(store: Store, key: str) -> list[tuple[str, str, Optional[str]]]:
    """(plan_id, cited number as written, relation) of the plans citing the document `key`."""
    base = key.split("@", 1)[0]
    rows = store.db.execute("SELECT plan_id, number, date, relation FROM refs WHERE key = ?", (base,)).fetchall()
    return [(pid, num, rel) for pid, num, date, rel in rows
            if same_document(citation_key({"number": num, "date": date}), key)]


@dataclass
class ChainNode:
    identity: str  # "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"
    plan_id: Optional[str] = None  # None: the document is cited but not in the archive
    number: Optional[str] = None
    level: Optional[str] = None
    province: Optional[str] = None
    locality: Optional[str] = None
    year: Optional[int] = None
    relation: Optional[str] = None  # how it cites its parent ("căn cứ", "thay thế", "khác")
    children: list["ChainNode"] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def count(self) -> int:
        return len(self.children) + sum(c.count() for c in self.children)


def chain(store: Store, number: str, max_plans: int = 2000) -> ChainNode:
    """The plans that carry out a document, as a tree: each plan sits under the most local
    document it cites within the chain (a commune plan citing its district's plan sits under
    it), else under the root; siblings in order of level (tỉnh, huyện, xã), province, place."""
    key = query_key(number)
    if "/" not in key:
        raise ValueError(f"Không thấy số ký hiệu văn bản trong {number!r}: viết như 90/QĐ-TTg")
    cited = store.db.execute("SELECT number, doc_type, issuer, date FROM refs WHERE key = ? GROUP BY number, doc_type, "
                             "issuer, date ORDER BY count(*) DESC LIMIT 1", (key,)).fetchone()
    own = archived(store, key)
    if own:
        root = ChainNode(identity_of(store, own[0]), own[0], number=canonical_number(number) or number)
    else:
        written, doc_type, issuer, date = cited or (canonical_number(number) or number, None, None, None)
        words = [doc_type or "Văn bản", f"số {written}"]
        if date:
            words.append(f"ngày {date[8:10]}/{date[5:7]}/{date[:4]}")
        if issuer:
            words.append(f"của {issuer}")
        root = ChainNode(" ".join(words), None, number=written)
    # every plan reachable from the root, and which of them (or the root) each one cites
    cites_of: dict[str, list[tuple[str, Optional[str]]]] = {}
    frontier = [("", key)]
    while frontier and len(cites_of) < max_plans:
        nxt = []
        for parent, k in frontier:
            for pid, _, rel in _citing(store, k):
                if pid == parent or pid in own:
                    continue
                first = pid not in cites_of
                cites_of.setdefault(pid, []).append((parent, rel))
                if first:
                    row = store.db.execute("SELECT number, issue_date FROM plans WHERE plan_id = ?", (pid,)).fetchone()
                    pk = plan_key(*row) if row else None
                    if pk:
                        nxt.append((pid, pk))
        frontier = nxt
    info = {pid: store.db.execute("SELECT number, level, province, locality, year FROM plans WHERE plan_id = ?",
                                  (pid,)).fetchone() for pid in cites_of}
    nodes = {pid: ChainNode(identity_of(store, pid), pid, *info[pid]) for pid in cites_of}

    def rank(pid: str) -> int:
        return LEVEL_RANK.get(nodes[pid].level or "", 4) if pid else -1

    def ancestors(pid: str, parent_of: dict[str, str]) -> set[str]:
        seen = set()
        while pid and pid not in seen:
            seen.add(pid)
            pid = parent_of.get(pid, "")
        return seen

    parent_of: dict[str, str] = {}
    for pid in sorted(nodes, key=lambda p: (rank(p), p)):
        options = sorted(cites_of[pid], key=lambda pr: -rank(pr[0]))
        for parent, rel in options:
            if parent == "" or pid not in ancestors(parent, parent_of):
                parent_of[pid] = parent
                nodes[pid].relation = rel
                break
    for pid in sorted(nodes, key=lambda p: (rank(p), nodes[p].province or "", nodes[p].locality or "",
                                            -(nodes[p].year or 0), p)):
        (nodes[parent_of[pid]] if parent_of.get(pid) else root).children.append(nodes[pid])
    return root


def cited_by(store: Store, plan_id: str) -> list[CitingPlan]:
    """Plans of the archive citing this plan (by its identity)."""
    row = store.db.execute("SELECT number, issue_date FROM plans WHERE plan_id = ?", (plan_id,)).fetchone()
    key = plan_key(*row) if row else None
    if not key:
        return []
    out = []
    for pid, written, rel in _citing(store, key):
        p = store.db.execute("SELECT doc, title, locality, province, year FROM plans WHERE plan_id = ?", (pid,)).fetchone()
        if p and pid != plan_id:
            out.append(CitingPlan(pid, p[0], p[1], p[2], p[3], p[4], written, rel, None, None, 1))
    return out


@dataclass
class CitedRef:
    number: str
    doc_type: Optional[str]
    date: Optional[str]
    issuer: Optional[str]
    relation: Optional[str]
    archived: list[str]  # plan ids of the archive holding this document (its identity)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cites_of(store: Store, plan_id: str) -> list[CitedRef]:
    """What a plan cites, each resolved to the archived plan with that identity when there is one."""
    rows = store.db.execute("SELECT number, doc_type, date, issuer, relation FROM refs WHERE plan_id = ? ORDER BY rowid",
                            (plan_id,)).fetchall()
    return [CitedRef(num, dt, date, iss, rel, [p for p in archived(store, citation_key({"number": num, "date": date}))
                                                if p != plan_id])
            for num, dt, date, iss, rel in rows]
