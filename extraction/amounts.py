"""Budget figures: every money amount of the plan, once per (scope, source, capital, value).

A figure is a number followed by a money unit ("162.756 triệu đồng", "3.230,38 tỷ đồng").
What it is a figure of comes from its neighbourhood, in this order:
- scope: the Dự án / Tiểu dự án heading in force (structure.scope_at), else "total";
- source: the nearest source word before it in the same clause (Ngân sách Trung ương,
  NSĐP, huy động khác ...), after the previous figure; a figure with only a capital word
  ("trong đó vốn đầu tư 45.500 triệu đồng") belongs to the source of the figure it splits;
- capital: a capital word before it ("vốn sự nghiệp: 4.550") or right after it in brackets
  ("10.515 triệu đồng (Vốn sự nghiệp)").
Rates and incomes ("40 triệu đồng/người", "thu nhập bình quân ... 40 triệu đồng") are not
budget figures. The header (before the first heading) is skipped: its figures belong to the
documents it cites.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .model import Amount
from .normalize import Normalized
from .numbers import NUMBER, to_vnd

_DATA = Path(__file__).parent / "data" / "budget_terms.json"

_UNIT = (r"(?:nghìn|ngàn)\s+tỷ\s+đồng|(?:nghìn|ngàn)\s+tỷ|tỷ\s+đồng|tỉ\s+đồng|triệu\s+đồng|tr\.?\s?đồng|tr\.đ|trđ"
         r"|(?:nghìn|ngàn)\s+đồng|ngđ|đồng|vnđ|vnd|đ(?![\w])|tỷ(?=\s*[,;.)(]|\s+(?:và|trong|từ|gồm|cho|để)\b)|tỉ(?=\s*[,;.)(])")
_MONEY_RE = re.compile(r"(?P<num>" + NUMBER + r")\s*(?P<unit>" + _UNIT + r")(?![\w])", re.I)
_CAPITAL_AFTER_RE = re.compile(r"\s*\(\s*(?P<cap>[^()]{3,40}?)\s*\)")
# a figure followed by "/người", "/hộ/tháng" or "mỗi hộ" is a rate
_SLASH_AFTER_RE = re.compile(r"\s*/\s*\w")


@lru_cache(maxsize=1)
def _terms():
    data = json.loads(_DATA.read_text(encoding="utf-8"))

    def alt(words):
        words = sorted(words, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)

    sources = [(k, alt(v)) for k, v in data["sources"].items()]
    capitals = [(k, alt(v)) for k, v in data["capitals"].items()]
    per_unit = re.compile(r"^\s*(?:/|cho\s+mỗi|mỗi|một|cho\s+1|/\s*1)\s*(?:" + "|".join(re.escape(w) for w in data["per_unit"]) + r")\b", re.I)
    not_budget = alt(data["not_budget"])
    return sources, capitals, per_unit, not_budget


def _last_match(patterns, text: str) -> tuple[Optional[str], int]:
    """The category whose keyword ends closest to the end of text, and its position."""
    best, best_pos = None, -1
    for name, rx in patterns:
        for m in rx.finditer(text):
            if m.end() > best_pos or (m.end() == best_pos and best == "total"):
                best, best_pos = name, m.end()
    return best, best_pos


def _capital_of(text: str) -> Optional[str]:
    _, capitals, _, _ = _terms()
    name, _ = _last_match(capitals, text)
    return name


def find_amounts(norm: Normalized, struct) -> list[Amount]:
    text = norm.text
    sources, capitals, per_unit, not_budget = _terms()
    body_start = getattr(struct, "header_end", 0)
    out: list[Amount] = []
    seen: set = set()
    # the source a capital-only figure splits: carried within a clause, and into the
    # next clauses when a clause announces a breakdown ("..., trong đó:")
    parent_source: dict[Optional[str], str] = {}
    prev_clause: Optional[str] = None
    prev_end = 0
    for m in _MONEY_RE.finditer(text):
        start, end = m.start(), m.end()
        if start < body_start:
            continue
        after = text[end:end + 40]
        if _SLASH_AFTER_RE.match(after) or per_unit.match(after):
            continue
        clause = struct.clause_at(start)
        cid = clause.id if clause else None
        c_lo = _clause_start(struct, start)
        left_lo = max(c_lo, prev_end if cid == prev_clause else c_lo, start - 160)
        left = text[left_lo:start]
        if not_budget.search(text[max(c_lo, start - 100):start]) and not _last_match(sources, left)[0]:
            continue
        value = to_vnd(m.group("num"), m.group("unit"))
        if not value:
            continue
        scope = struct.scope_at(start) or "total"
        src, src_pos = _last_match(sources, left)
        cap, cap_pos = _last_match(capitals, left)
        if cap and src and src_pos > cap_pos and src != "total":
            cap = None  # "vốn sự nghiệp nguồn NSTW 100" keeps both; "vốn đầu tư, NSTW 100" does not
        cm = _CAPITAL_AFTER_RE.match(text, end)
        if cm and not cap:
            cap_after = _capital_of(cm.group("cap"))
            if cap_after and not re.search(r"\d", cm.group("cap")):
                cap = cap_after
        if cid != prev_clause and not _continues(text, struct, prev_clause, start):
            parent_source = {}
        if src is None:
            src = parent_source.get(scope, "total") if cap or _is_breakdown_item(left) else "total"
        if cap is None:
            parent_source[scope] = src
        prev_clause, prev_end = cid, end
        key = (scope, src, cap, value)
        if key in seen:
            continue
        seen.add(key)
        o_start, o_end = norm.span(start, end)
        out.append(Amount(text=norm.original[o_start:o_end], value_vnd=value, scope=scope, source=src,
                          capital=cap, start=o_start, end=o_end, clause_id=cid))
    return out


def _clause_start(struct, pos: int) -> int:
    i = struct._clause_index(pos) if hasattr(struct, "_clause_index") else -1
    return struct.clause_starts[i] if i >= 0 else max(0, pos - 160)


def _continues(text: str, struct, prev_clause_id: Optional[str], pos: int) -> bool:
    """Does the clause at pos go on from the previous clause with figures (a breakdown list)?"""
    if prev_clause_id is None:
        return False
    i = struct._clause_index(pos)
    if i <= 0:
        return False
    prev = struct.clauses[i - 1]
    if prev.id == prev_clause_id:
        return True
    # bullets of the same breakdown may be separated by clauses without figures
    return False


def _is_breakdown_item(left: str) -> bool:
    """A figure without a source word, in a list under a figure ("- Vốn đầu tư: 10 tỷ")."""
    return bool(re.match(r"^\s*[-+•]\s*", left))
