"""Targets (chỉ tiêu): the quantified goals a plan sets, each with its indicator, value, unit,
due year and comparator.

Where: goals are looked for in the sentences a plan states its goals in: under a section
titled "Mục tiêu ..." / "Chỉ tiêu ..." (any depth), an item that opens with "Mục tiêu:", or a
sentence with "phấn đấu". Elsewhere numbers describe, they do not set goals.

What: a number with a unit from extraction/data/target_units.json ("51%", "15 % - 20%/năm",
"40 triệu đồng/người", "10,81 tiêu chí/xã", "60 lao động"). Not goals: baselines ("giảm từ
52,9% ... xuống còn 36,91%": only 36,91% is), percentages of money ("tối thiểu bằng 10% tổng
ngân sách"), years, dates and document numbers.

Indicator: the subject before a verb ("tỷ lệ hộ nghèo toàn huyện còn 38,50%" -> "tỷ lệ hộ
nghèo"), else the noun phrase after the number ("98% đồng bào ... tham gia bảo hiểm y tế" ->
"tỷ lệ đồng bào ... tham gia bảo hiểm y tế"), with the lead of a list ("Tỷ lệ huy động học sinh
...: Mẫu giáo 5 tuổi đạt 98,5%") put in front.

Year: "năm 2023" / "đến cuối năm 2025" in the sentence, else in the heading or the lead item
above ("MỤC TIÊU NĂM 2023", "Phấn đấu đến năm 2025 cụ thể như sau:"), else the plan's year
when it covers a single year, else None.

Helpers: targets_units (the word lists, compiled), targets_indicator (the indicator phrase),
targets_tables (goal tables).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .model import Target
from .numbers import parse_number
from .targets_indicator import CMP_BEFORE, COPULA, NEXT_GOAL, indicator_of, list_lead, lower_first, noun_phrase_after
from .targets_tables import table_targets
from .targets_units import NUM as _NUM, Units, is_allocation, strip_label, units

# ---------------------------------------------------------------- clauses and zones


@dataclass
class ClauseSpan:
    start: int  # clean offsets
    end: int
    clause_id: Optional[str]
    scope: Optional[str]
    titles: list  # section titles, innermost first
    kind: str = "paragraph"


def _clauses(norm, struct) -> list[ClauseSpan]:
    starts = getattr(struct, "clause_starts", None)
    clauses = getattr(struct, "clauses", None)
    if starts and clauses and len(starts) == len(clauses):
        ends = struct.clause_ends
        scopes = getattr(struct, "clause_scopes", [None] * len(clauses))
        secs = {s.id: s for s in getattr(struct, "sections", [])}
        out = []
        titles_of: dict = {}  # section id -> its titles: the clauses of a section share one (read-only) list
        for i, c in enumerate(clauses):
            titles = titles_of.get(c.section_id)
            if titles is None:
                titles = titles_of[c.section_id] = []
                sid = c.section_id
                while sid and sid in secs and len(titles) < 12:
                    titles.append(secs[sid].title)
                    sid = secs[sid].parent
            out.append(ClauseSpan(starts[i], ends[i], c.id, scopes[i] if i < len(scopes) else None, titles, c.kind))
        return out
    # no structure: every line is a clause, headings unknown
    out = []
    for m in re.finditer(r"[^\n]+", norm.text):
        out.append(ClauseSpan(m.start(), m.end(), None, None, []))
    return out




def _goal_title(t: str, u: Units) -> bool:
    """A title that announces goals: "Mục tiêu ...", or "chỉ tiêu chủ yếu" anywhere in it
    ("Điều 1. Thông qua các chỉ tiêu chủ yếu năm 2025"), not a title of results."""
    return _goal_title_of(t)


@lru_cache(maxsize=4096)
def _goal_title_of(t: str) -> bool:  # every clause asks about each title above it: once per title
    u = units()
    if u.zone_title_re.search(t):
        return True
    return bool(u.zone_anywhere_re and u.zone_anywhere_re.search(t)) and not (u.not_zone_re and u.not_zone_re.search(t))


def _in_zone(text: str, c: ClauseSpan, u: Units) -> bool:
    if any(_goal_title(t or "", u) for t in c.titles):
        return True
    body = strip_label(text)
    if u.zone_title_re.search(body[:40]) and re.match(r"^\W*(?:các\s+)?(?:mục tiêu|chỉ tiêu)[^:\n]{0,40}:", body, re.I):
        return True
    return u.has_zone_word(text)


# ---------------------------------------------------------------- years


# compiled once: asked for every figure of every clause
_DATE_WORD_BEFORE = re.compile(r"(?:năm|giai đoạn|tháng|ngày|số|Điều|khoản|điểm|Quý|[-/])\s*$", re.I)
_OR_MORE = re.compile(r"\s*(?:trở lên|trở xuống)", re.I)
_PAREN_CHANGE = re.compile(r"\(\s*(?P<v>giảm|tăng)\s*(?:thêm\s*)?$", re.I)
_DOWN_TO = re.compile(r"^\W*(?:xuống còn|chỉ còn|còn|đạt)\s*(?:dưới|trên)?\s*$", re.I)
_WORDS = re.compile(r"\w+")
_YEAR_RE = re.compile(r"(?<!tháng )(?<![\w/])năm\s+(\d{4})(?![\d/-])(?!\s*-\s*\d{4})", re.I)


def _years_in(s: str) -> list[tuple[int, int]]:
    out = []
    for m in _YEAR_RE.finditer(s):
        pre = s[max(0, m.start() - 12):m.start()].lower()
        if re.search(r"tháng\s+\d{1,2}\s*$|so với\s+(?:cùng kỳ\s+)?(?:cuối\s+)?$", pre) or "năm học" in s[m.start():m.end() + 4].lower():
            continue
        y = int(m.group(1))
        if 1990 <= y <= 2100:
            out.append((m.start(), y))
    return out


def _context_year(text: str, c: ClauseSpan, clauses: list[ClauseSpan], idx: int) -> Optional[int]:
    """Year stated by the lead item above ("- ... Phấn đấu đến năm 2025 cụ thể như sau:") or a heading."""
    me = text[c.start:c.end].lstrip()
    if me.startswith("+"):
        j = idx - 1
        while j >= 0 and text[clauses[j].start:clauses[j].end].lstrip().startswith("+"):
            j -= 1
        if j >= 0:
            lead = text[clauses[j].start:clauses[j].end].rstrip()
            if lead.endswith(":"):
                ys = _years_in(lead)
                if ys:
                    return ys[-1][1]
    for t in c.titles:
        ys = _years_in(t or "")
        if ys:
            return ys[-1][1]
    return None


# ---------------------------------------------------------------- main


@dataclass
class Cand:
    start: int
    end: int  # end of number + unit (+ "trở lên")
    value: float
    unit: str
    kind: str  # "pct" | "per" | "count"
    comparator: Optional[str]
    num_start: int


def _unit_of(m: re.Match) -> tuple[str, str]:
    if m.group("pct"):
        return "%", "pct"
    if m.group("per"):
        return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", m.group("per"))), "per"
    if m.group("money"):
        return re.sub(r"\s+", " ", m.group("money")), "money"
    return lower_first(re.sub(r"\s+", " ", m.group("count"))), "count"


def _baseline_regions(s: str) -> list[tuple[int, int, int]]:
    """(start, end, subject_end) of 'giảm từ X ... xuống còn' stretches: X is a baseline."""
    out = []
    # "giảm từ 52,9% xuống còn", also with the indicator between: "giảm tỷ lệ hộ nghèo từ 37,8% xuống còn"
    for m in re.finditer(r"\b(?:giảm|tăng)(?P<what>\s+t[ỷỉ] lệ[^\d;:.()]{0,60}?)?\s+từ\s+" + _NUM + r"\s*%?", s, re.I):
        tail = s[m.end():]
        if re.match(r"\s*trở\s+(?:lên|xuống)", tail, re.I):
            continue  # "giảm từ 2% trở lên": a goal, not a baseline
        stop = re.search(r"\.\s|\n|$", tail)
        seg = tail[:stop.start()] if stop else tail
        k = re.search(r"\b(?:xuống còn|xuống|còn|(?<!trở )lên|đến)\b", seg, re.I)
        if k:
            out.append((m.start(), m.end() + k.end(), m.end("what") if m.group("what") else m.start()))
    return out


_ITEM_LABEL_RE = re.compile(r"^\s*(?:[-+•*–]\s*|\(\d{1,2}\)\s*|\d{1,2}[.)]\s+|[a-zđ]\)\s*)")


def _lead_zones(text: str, clauses: list[ClauseSpan], u: Units) -> dict[int, Optional[int]]:
    """Items under a lead line that announces goals ("Các chỉ tiêu chủ yếu:", "Phấn đấu đến năm
    2025 đạt các chỉ tiêu sau:"): clause index -> the year the lead gives (None if none)."""
    out: dict[int, Optional[int]] = {}
    for i, c in enumerate(clauses):
        lead = text[c.start:c.end].rstrip()
        if not lead.endswith(":") or len(lead) > 250:
            continue
        body = strip_label(lead)
        if not (_goal_title(body, u) or u.has_zone_word(body)) or (u.not_zone_re and u.not_zone_re.search(body)):
            continue
        ys = _years_in(lead)
        year = ys[-1][1] if ys else None
        own, kind = _label_kind(lead), None
        for j in range(i + 1, min(len(clauses), i + 40)):
            k = _label_kind(text[clauses[j].start:clauses[j].end])
            if k is None or k == own or (kind and k != kind):
                break  # an unlabelled paragraph, a sibling of the lead or another kind of label ends the list
            kind = k
            out.setdefault(j, year)
    return out


def _label_kind(t: str) -> Optional[str]:
    """ "-", "+", "(1)", "1.", "a)": the kind of label a list item starts with, None if none."""
    m = _ITEM_LABEL_RE.match(t)
    if not m:
        return None
    lab = m.group(0).strip()
    return lab[0] if lab[0] in "-+•*–" else re.sub(r"\d+|[a-zđ]", "n" if lab[:1].isdigit() or lab[1:2].isdigit() else "a", lab)


def find_targets(norm, struct=None, meta=None) -> list[Target]:
    text = norm.text
    u = units()
    clauses = _clauses(norm, struct)
    lead_zones = _lead_zones(text, clauses, u)
    plan_years = [int(y) for y in (getattr(meta, "plan_years", None) or []) if str(y).isdigit()]
    default_year = plan_years[0] if len(plan_years) == 1 else None
    out: list[Target] = []
    for idx, c in enumerate(clauses):
        ctext = text[c.start:c.end]
        if idx not in lead_zones and not _in_zone(ctext, c, u):
            continue
        ctx_year = lead_zones.get(idx) or _context_year(text, c, clauses, idx)
        for t in _targets_in_clause(ctext, c.start, u):
            own_year = _year_for(ctext, t["num_start"] - c.start)
            year = own_year or _lead_year_for(ctext, t["num_start"] - c.start) or ctx_year or default_year
            if t.get("per_year") and not own_year and len(plan_years) != 1:
                year = None  # "giảm bình quân 3 - 4%/năm" over a period: a yearly rate, due every year
            s, e = norm.span(t["start"], t["end"])
            tstart = t["start"] + _lead_trim(text[t["start"]:t["end"]])
            s, e = norm.span(tstart, t["end"])
            tgt = Target(text=text[tstart:t["end"]].strip(), indicator=t["indicator"], value=t["value"],
                         unit=t["unit"], year=year, start=s, end=e, clause_id=c.clause_id,
                         comparator=t["comparator"], scope=c.scope)
            if not _duplicate(tgt, out):
                out.append(tgt)
    for tgt in table_targets(norm, struct, plan_years):
        if not _duplicate(tgt, out):
            out.append(tgt)
    return out


def _lead_trim(s: str) -> int:
    """Characters to drop at the start of a target's text: labels and joining punctuation."""
    m = re.match(r"(?:\s|[,;:)]|[-+•]\s|[a-zđ]\)\s|\d+(?:\.\d+)*[.)]\s|(?:và|hoặc|riêng)\s)*", s, re.I)
    return m.end() if m else 0


def _year_for(ctext: str, pos: int) -> Optional[int]:
    """A year in the sentence of pos: the nearest before it, else the first after it."""
    # a "; " ends the goal's part of the sentence: "... mỗi năm giảm trên 3%; phấn đấu đến năm 2025 có 50% ..."
    a = max(ctext.rfind(". ", 0, pos), ctext.rfind("\n", 0, pos), ctext.rfind("; ", 0, pos))
    b_candidates = [i for i in (ctext.find(". ", pos), ctext.find("\n", pos), ctext.find("; ", pos)) if i >= 0]
    b = min(b_candidates) if b_candidates else len(ctext)
    sent = ctext[a + 1:b]
    rel = pos - (a + 1)
    ys = _years_in(sent)
    before = [y for p, y in ys if p < rel]
    if before:
        return before[-1]
    after = [y for p, y in ys if rel <= p <= rel + 60]  # "... 33 triệu đồng/người/năm vào cuối năm 2023"
    return after[0] if after else None


def _lead_year_for(ctext: str, pos: int) -> Optional[int]:
    """The year the sentence's lead gives to the goals of a list inside it."""
    # "Phấn đấu đến năm 2025: thu nhập ... đạt 45 triệu đồng; tỷ lệ che phủ rừng đạt 52%": the lead's year
    s0 = max(ctext.rfind(". ", 0, pos), ctext.rfind("\n", 0, pos)) + 1
    colon = ctext.rfind(":", s0, pos)
    lead_years = _years_in(ctext[s0:colon]) if colon > s0 else []
    if lead_years:
        return lead_years[-1][1]
    # "đặt mục tiêu đến năm 2025, tỷ lệ ... còn dưới 10%; 80 xã đạt chuẩn": a deadline opening the sentence
    first = ctext[s0:pos].split(";", 1)[0]
    m = re.search(r"(?:đến|tới)\s+(?:hết\s+|cuối\s+)?năm\s+(\d{4})(?!\d)", first, re.I)
    return int(m.group(1)) if m and ";" in ctext[s0:pos] else None


def _targets_in_clause(s: str, offset: int, u: Units) -> list[dict]:
    base = _baseline_regions(s)
    cands = []
    for m in u.target_re.finditer(s):
        num = m.group("num")
        value = parse_number(num)
        if value is None:
            continue
        unit, kind = _unit_of(m)
        if m.group("of") and kind != "count":
            continue  # "19/19 tiêu chí" is a count of a whole; "30/9" is a date
        if kind != "pct" and "," not in num and "." not in num and 1900 <= value <= 2100:
            continue  # a year ("giai đoạn 2021- 2025 huyện")
        pre_ctx = s[max(0, m.start() - 20):m.start()]
        if _DATE_WORD_BEFORE.search(pre_ctx) and kind != "pct":
            continue
        if any(a <= m.start() < b for a, b, _ in base):
            continue
        end = m.end()
        tl = _OR_MORE.match(s, end)
        cmp_ = None
        if tl:
            cmp_ = ">=" if "lên" in tl.group(0) else "<="
            end = tl.end()  # (matched at end, not on s[end:])
        if cmp_ is None and re.search(r"không\s+(?:có|còn)\s+\D{1,25}?\s+(?:dưới|thấp hơn)\s*$", s[max(0, m.start() - 40):m.start()], re.I):
            cmp_ = ">="  # "không còn xã dưới 10 tiêu chí": at least 10
        if cmp_ is None:
            for rx, sym in CMP_BEFORE:
                if rx.search(s[max(0, m.start() - 20):m.start()]):
                    cmp_ = sym
                    break
        cands.append((m, value, unit, kind, cmp_, end))

    out = []
    prev_end = 0
    for i, (m, value, unit, kind, cmp_, end) in enumerate(cands):
        if any(a <= m.start() < b for a, b, _ in base):
            continue
        nxt = cands[i + 1][0].start() if i + 1 < len(cands) else len(s)
        # the sentence piece before the number
        seg_a = max(prev_end, s.rfind(";", 0, m.start()) + 1, s.rfind(". ", 0, m.start()) + 1,
                    s.rfind("\n", 0, m.start()) + 1, s.rfind(":", 0, m.start()) + 1)
        pre = s[seg_a:m.start()]
        nxt_goal = list(NEXT_GOAL.finditer(pre))
        if nxt_goal:  # "giảm 38 hộ nghèo, tỷ lệ hộ nghèo giảm còn 27,9%": this goal starts at "tỷ lệ"
            seg_a += nxt_goal[-1].end()
            pre = pre[nxt_goal[-1].end():]
        if is_allocation(pre, u):
            prev_end = end
            continue
        lead = list_lead(s, m.start(), prev_end)
        if kind == "money" and not (u.money_goal_re and u.money_goal_re.search(pre + " " + lead)):
            prev_end = end
            continue  # money that is no income or output figure: a budget, an amount (amounts.py)
        # budget share: "tối thiểu bằng 10% tổng ngân sách"
        post_raw = s[end:nxt]
        if kind == "pct" and (u.budget_re.match(post_raw.strip()[:30] or "-") or re.match(r"\s*(?:tổng\s+)?(?:" + u.budget_re.pattern + ")", post_raw, re.I)):
            prev_end = end
            continue
        if kind == "pct" and u.budget_re.search(pre) and not re.search(r"t[ỷỉ] lệ", pre, re.I):
            prev_end = end
            continue
        post = noun_phrase_after(post_raw)
        if kind == "pct" and u.budget_re.search(" ".join(post.split()[:3])):
            prev_end = end
            continue  # "100% kế hoạch vốn được giao": a share of money
        indicator, start = indicator_of(s, pre, seg_a, post, unit, kind, lead, m.start(), base)
        paren = _PAREN_CHANGE.search(pre)
        if paren and out and (not indicator or indicator.lower() in ("giảm", "tăng")):
            # "tỷ lệ hộ nghèo giảm còn 27,9% (giảm 3,9%)": the change of the goal before it
            indicator = f"mức {paren.group('v').lower()} {out[-1]['indicator']}"
            start = seg_a + paren.start() + 1
        rest = _DOWN_TO.match(pre)
        if rest and out and (not indicator or indicator.lower() in ("còn", "xuống còn", "đạt")):
            # "tỷ lệ hộ nghèo giảm 4,5% trở lên, còn 18,7%": the level the same indicator falls to
            indicator = re.sub(r"^(?:mức\s+)?(?:giảm|tăng)(?:\s+bình quân)?\s+", "", out[-1]["indicator"], flags=re.I)
            start = seg_a + rest.start() + len(pre) - len(pre.lstrip(" ,;"))
        if not indicator:
            prev_end = end
            continue
        t_end = end
        if post and not COPULA.search(pre):
            t_end = end + len(post_raw) - len(post_raw.lstrip()) + len(post)
        num2 = m.group("num2")
        # the indicator reads the noun as written ("số sản phẩm OCOP"); the unit is the one it is counted in
        per_year = bool(m.groupdict().get("pct_year")) or bool(
            re.search(r"(?:hằng|hàng|mỗi)\s+năm|/\s*năm\b", pre + " " + post_raw[:40], re.I))
        out.append({"per_year": per_year, "start": offset + start, "end": offset + t_end, "value": value,
                    "unit": (u.unit_of or {}).get(unit.casefold(), unit),
                    "comparator": cmp_, "indicator": indicator, "num_start": offset + m.start(),
                    "range_to": parse_number(num2) if num2 else None})
        prev_end = end
    return out


def _tokens(s: str) -> set:
    return set(_WORDS.findall((s or "").casefold()))


def _duplicate(t: Target, seen: list[Target]) -> bool:
    for o in seen:
        if abs(o.value - t.value) < 1e-9 and o.unit == t.unit and o.year == t.year:
            a, b = _tokens(o.indicator), _tokens(t.indicator)
            if a | b and len(a & b) / len(a | b) >= 0.6:
                return True
    return False
