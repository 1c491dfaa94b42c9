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


_INLINE_SCOPE_RE = re.compile(
    r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(?P<tda>\d{1,2})(?:\s*(?:-|thuộc|của)\s*(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(?P<tda_da>\d{1,2}))?(?![\d/.,]\d)"
    r"|(?<![Tt]iểu )(?<!TIỂU )(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(?P<da>\d{1,2})(?![\d/.,]\d)"
)
_BARE_UNIT_RE = re.compile(r"^(?:tỷ|tỉ|triệu)$", re.I)
_MONEY_CONTEXT_RE = re.compile(r"kinh phí|vốn|ngân sách|\bNS|tổng|chi phí|dự toán|nguồn", re.I)
_BREAKDOWN_RE = re.compile(r"\(|trong đó|gồm|bao gồm|cụ thể", re.I)
_ITEM_RE = re.compile(r"^\s*[-+•∙▪●◦*]")


class _State:
    """What a figure inherits from the figures before it in the same breakdown."""

    def __init__(self):
        self.clause = -1
        self.prev_end = 0
        self.inline_scope: Optional[str] = None
        self.parent_source: dict[str, str] = {}
        self.parent_capital: dict[str, str] = {}


def find_amounts(norm: Normalized, struct) -> list[Amount]:
    text = norm.text
    sources, capitals, per_unit, not_budget = _terms()
    body_start = getattr(struct, "header_end", 0)
    out: list[Amount] = []
    seen: set = set()
    state = _State()
    for m in _MONEY_RE.finditer(text):
        start, end = m.start(), m.end()
        if start < body_start:
            continue
        after = text[end:end + 40]
        if _SLASH_AFTER_RE.match(after) or per_unit.match(after):
            continue
        ci = struct._clause_index(start)
        c_lo = struct.clause_starts[ci] if ci >= 0 else max(0, start - 250)
        if ci != state.clause:
            if not _continues(text, struct, state.clause, ci):
                state = _State()
            state.clause, state.prev_end = ci, c_lo
        left = text[max(c_lo, state.prev_end, start - 250):start]
        if not_budget.search(text[max(c_lo, start - 100):start]) and not _last_match(sources, left)[0]:
            continue
        if _BARE_UNIT_RE.match(m.group("unit")) and not _MONEY_CONTEXT_RE.search(text[max(c_lo, start - 120):start]):
            continue
        value = to_vnd(m.group("num"), m.group("unit"))
        if not value:
            continue
        inline = _inline_scope(left, state.inline_scope or struct.scope_at(start))
        if inline:
            state.inline_scope = inline
        scope = state.inline_scope or struct.scope_at(start) or "total"
        src, src_pos = _last_match(sources, left)
        cap, cap_pos = _last_match(capitals, left)
        if cap and src and src_pos > cap_pos and src != "total" and not _BREAKDOWN_RE.search(left[cap_pos:src_pos]):
            cap = None  # "vốn đầu tư; NSTW 100": the capital word belongs to an earlier phrase
        cm = _CAPITAL_AFTER_RE.match(text, end)
        if cm and not cap and not re.search(r"\d", cm.group("cap")):
            cap = _capital_of(cm.group("cap"))
        breakdown = bool(_BREAKDOWN_RE.search(left)) or bool(_ITEM_RE.match(left)) or ci != -1 and c_lo < state.prev_end
        if src is None:
            # "trong đó vốn đầu tư 45.500": the split of the figure before it
            src = state.parent_source.get(scope, "total") if (cap or _ITEM_RE.match(left)) else "total"
        elif cap is None and src != "total" and breakdown:
            cap = state.parent_capital.get(scope)  # "Vốn sự nghiệp 500 (NSTW 450; NSĐP 50)"
        if cap is None:
            state.parent_source[scope] = src
        if src == "total":
            if cap:
                state.parent_capital[scope] = cap
            else:
                state.parent_capital.pop(scope, None)
        state.prev_end = end
        key = (scope, src, cap, value)
        if key in seen:
            continue
        seen.add(key)
        o_start, o_end = norm.span(start, end)
        out.append(Amount(text=norm.original[o_start:o_end], value_vnd=value, scope=scope, source=src,
                          capital=cap, start=o_start, end=o_end, clause_id=struct.clauses[ci].id if ci >= 0 else None))
    return out


def _inline_scope(left: str, current: Optional[str]) -> Optional[str]:
    """'Dự án 1: 50 triệu', 'Tiểu dự án 2 - Dự án 1 ...' written before the figure."""
    last_da = None
    found = None
    for m in _INLINE_SCOPE_RE.finditer(left):
        if m.group("da"):
            last_da = int(m.group("da"))
            found = f"DA{last_da}"
        else:
            da = int(m.group("tda_da")) if m.group("tda_da") else last_da
            if da is None and current:
                da = int(current.split(".")[0][2:]) if current.startswith("DA") else None
            if da is not None:
                found = f"DA{da}.TDA{int(m.group('tda'))}"
    return found


def _continues(text: str, struct, prev: int, cur: int) -> bool:
    """Does clause `cur` go on with the breakdown of the figures in clause `prev`?

    Yes when it follows within a few clauses without figures of its own in between, and
    either the previous clause announced a list ("..., trong đó:") or this one is a list item."""
    if prev < 0 or cur <= prev or cur - prev > 3:
        return False
    prev_text = struct.clauses[prev].text.rstrip()
    cur_text = struct.clauses[cur].text
    return prev_text.endswith(":") or bool(_ITEM_RE.match(cur_text)) or bool(re.search(r"trong đó:?$", prev_text))
