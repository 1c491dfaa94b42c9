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
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .model import Target
from .numbers import parse_number

DATA = Path(__file__).parent / "data" / "target_units.json"

_NUM = r"\d+(?:[.,]\d+)*"


@dataclass
class Units:
    percent: list
    per_unit: list
    count: list
    zone_title_re: re.Pattern
    zone_word_re: re.Pattern
    budget_re: re.Pattern
    target_re: re.Pattern
    unit_of: dict = None  # casefolded matched count -> the unit it is reported in
    action_verbs: tuple = ()  # verbs of support: "hỗ trợ ... cho 35 hộ"
    allocation_re: Optional[re.Pattern] = None  # "Tập trung nguồn lực cho ..." opening the piece
    result_re: Optional[re.Pattern] = None  # "đạt", "giảm", "được": what a goal states


def _unit_alt(units) -> str:
    out = []
    for u in sorted(units, key=len, reverse=True):
        parts = [re.escape(p) for p in re.split(r"\s+", u)]
        out.append(r"\s+".join(parts).replace(r"/", r"\s*/\s*"))
    return "|".join(out)


@lru_cache(maxsize=1)
def units() -> Units:
    try:
        d = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RuntimeError(f"{DATA}: cannot read target units: {e}") from e
    for k in ("percent", "per_unit", "count", "zone_titles", "zone_words", "budget_words"):
        if k not in d:
            raise RuntimeError(f"{DATA}: missing key {k!r}")
    zone_title_re = re.compile(
        r"^\W*(?:" + "|".join(re.escape(t) for t in sorted(d["zone_titles"], key=len, reverse=True)) + r")(?!\s+quốc gia)\b",
        re.I)
    zone_word_re = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["zone_words"]) + r")\b", re.I)
    budget_re = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["budget_words"]) + r")\b", re.I)
    pct = "|".join(re.escape(p) for p in d["percent"])
    target_re = re.compile(
        r"(?<![\w/.,])(?P<num>" + _NUM + r")(?:/(?P<of>\d{1,3})(?=\s))?(?![\d/])"
        r"(?:\s*(?:%|phần trăm)?\s*(?:-|đến)\s*(?P<num2>" + _NUM + r"))?"
        r"\s*(?:(?P<pct>" + pct + r")(?P<pct_year>\s*/\s*(?:năm|tháng))?"
        r"|(?P<per>" + _unit_alt(d["per_unit"]) + r")"
        r"|(?P<count>" + _unit_alt(d["count"]) + r")(?![\w/]))",
        re.I)
    unit_of = {k.casefold(): v for k, v in d.get("unit_of", {}).items()}
    verbs = tuple(sorted(d.get("action_verbs", []), key=len, reverse=True))
    alloc = sorted(d.get("allocation_verbs", []), key=len, reverse=True)
    allocation_re = re.compile(r"^\W*(?:" + "|".join(map(re.escape, alloc)) + r")(?!\w)", re.I) if alloc else None
    results = sorted(d.get("result_verbs", []), key=len, reverse=True)
    result_re = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, results)) + r")(?!\w)", re.I) if results else None
    return Units(d["percent"], d["per_unit"], d["count"], zone_title_re, zone_word_re, budget_re, target_re, unit_of, verbs,
                 allocation_re, result_re)


def is_allocation(pre: str, u: Units) -> bool:
    """The sentence piece before a number opens with an allocation verb and states no result:
    "Tập trung nguồn lực cho 03 huyện nghèo" says where resources go, not what is reached."""
    if u.allocation_re is None:
        return False
    pre = _strip_label(pre)
    m = u.allocation_re.match(pre)
    if not m:
        return False
    rest = pre[m.end():]
    if u.result_re and u.result_re.search(rest):
        return False
    return not any(re.search(r"(?<!\w)" + re.escape(v) + r"(?!\w)", rest, re.I) for v in u.action_verbs)


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
        for i, c in enumerate(clauses):
            titles = []
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


_LABEL_RE = re.compile(r"^\s*(?:[-+•*]\s*|\(\d+\)\s*|[IVX]+\.\s+|\d+(?:\.\d+)*\.?\)?\s+|[a-zđ]\)\s*)")


def _strip_label(s: str) -> str:
    return _LABEL_RE.sub("", s, count=1)


def _in_zone(text: str, c: ClauseSpan, u: Units) -> bool:
    if any(u.zone_title_re.search(t or "") for t in c.titles):
        return True
    body = _strip_label(text)
    if u.zone_title_re.search(body[:40]) and re.match(r"^\W*(?:các\s+)?(?:mục tiêu|chỉ tiêu)[^:\n]{0,40}:", body, re.I):
        return True
    return bool(u.zone_word_re.search(text))


# ---------------------------------------------------------------- years


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


# ---------------------------------------------------------------- indicator


_PHAN_DAU = r"(?:ph[âấầa]n\s+đ[ấầâa]u)"
_LEAD_JUNK = re.compile(
    r"^(?:\s|[,;:)(]|" + _PHAN_DAU + r"|riêng|trong đó|hoặc|và|duy trì|đảm bảo|bảo đảm|nâng cao|nâng|"
    r"(?:đến|vào|trong|tới)\s+(?:hết\s+|cuối\s+|đầu\s+)?năm\s+\d{4}|cuối\s+năm\s+\d{4}|năm\s+\d{4})+",
    re.I)
_COPULA = re.compile(
    r"(?:^|\s)(?P<verb>đạt(?:\s+mức)?|là|xuống còn|giảm còn|giảm xuống còn|giảm xuống|còn|xuống|tăng lên|lên|ở mức|bằng|chiếm|"
    r"(?P<change>giảm|tăng)(?P<avg>\s+bình quân)?)"
    r"(?:\s+(?:bình quân|khoảng|từ|trên|dưới|tối thiểu|ít nhất|hơn|đạt|<|>|≤|≥|=))*\s*[<>≤≥]?\s*$",
    re.I)
_CMP_BEFORE = [
    (re.compile(r"(?:<|dưới|thấp hơn)\s*$", re.I), "<"),
    (re.compile(r"(?:>|trên|cao hơn|hơn)\s*$", re.I), ">"),
    (re.compile(r"(?:≥|>=|tối thiểu|ít nhất|không dưới|không thấp hơn)\s*$", re.I), ">="),
    (re.compile(r"(?:≤|<=|tối đa|không quá|không vượt quá)\s*$", re.I), "<="),
]
_TRAILING_CMP = re.compile(r"(?:\s+(?:trên|dưới|khoảng|tối thiểu|ít nhất|hơn|đạt|từ|có|được)|\s*[<>≤≥])+\s*$", re.I)
_PLACE_QUAL = re.compile(
    r"\s+(?:của\s+|chung\s+)*(?:toàn\s+)(?:huyện|tỉnh|xã|thành phố|thị xã)\b(?:\s+[A-ZĐ][\w']*)*"
    r"|\s+(?:của|chung)\s+(?:toàn\s+)?(?:huyện|tỉnh|xã|thành phố|thị xã)\b(?:\s+[A-ZĐ][\w']*)*"
    r"|\s+(?:huyện|tỉnh)\s+[A-ZĐ][\w']*(?:\s+[A-ZĐ][\w']*)*"
)
_NP_CUT = re.compile(r"\s+(?:theo|thông qua|nhằm|để|góp phần|trong đó|gồm|bao gồm|vào\s+(?:cuối|năm)|đến\s+(?:cuối|hết|năm)|so với|trước\s+(?:ngày|năm|tháng|quý))\b|\s*[(:]", re.I)
# A citation in an indicator ends it: "tổng điểm đánh giá theo tiêu chí quy định tại Quyết định số ..."
_CITATION = re.compile(r"\s*(?:quy định\s+)?(?:tại|theo)\s+(?:Quyết định|Nghị quyết|Thông tư|Nghị định|Kế hoạch|Công văn|Chỉ thị|Luật)\b.*$", re.I)
_NEXT_GOAL = re.compile(r",\s+(?=(?:t[ỷỉ] lệ|số|thu nhập|mức|tổng|chỉ số)\s)", re.I)
_HAS_NOUN = re.compile(r"\b(?:tỷ lệ|tỉ lệ|số|mức|thu nhập|chỉ số|tổng|bình quân)\b", re.I)


def _clean_subject(s: str) -> str:
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"\s*\([^()]*$", "", s)  # "đạt chuẩn nông thôn mới (đạt 19/19 tiêu chí)": the bracket opens the goal
    s = re.sub(r"\s+", " ", s).strip()
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_JUNK.sub("", s).strip()
        s = re.sub(r"^giảm\s+(?=t[ỷỉ] lệ)", "", s, flags=re.I)
    s = _TRAILING_CMP.sub("", s).strip()
    s = re.sub(r"\s+(?:cho|của|với|tại|ở)$", "", s)
    s = _PLACE_QUAL.sub("", s)
    m = _CITATION.search(s)
    if m and m.start() > 0:
        s = s[:m.start()]
    elif m:  # a citation opening the sentence: the subject comes after it
        s = s.split(",", 1)[1] if "," in s else ""
    s = re.sub(r"\s*,?\s*giai đoạn\s+\d{4}\s*-\s*\d{4}", "", s)
    return s.strip(" ,;:-")


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not (len(s) > 1 and s[1].isupper()) else s


def _unit_head(unit: str) -> str:
    return unit.split("/")[0].strip()


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
    return _lower_first(re.sub(r"\s+", " ", m.group("count"))), "count"


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


def find_targets(norm, struct=None, meta=None) -> list[Target]:
    text = norm.text
    u = units()
    clauses = _clauses(norm, struct)
    plan_years = [int(y) for y in (getattr(meta, "plan_years", None) or []) if str(y).isdigit()]
    default_year = plan_years[0] if len(plan_years) == 1 else None
    out: list[Target] = []
    for idx, c in enumerate(clauses):
        ctext = text[c.start:c.end]
        if not _in_zone(ctext, c, u):
            continue
        ctx_year = _context_year(text, c, clauses, idx)
        for t in _targets_in_clause(ctext, c.start, u):
            own_year = _year_for(ctext, t["num_start"] - c.start)
            year = own_year or ctx_year or default_year
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
    for tgt in _table_targets(norm, struct, plan_years):
        if not _duplicate(tgt, out):
            out.append(tgt)
    return out


_UNIT_HEAD = re.compile(r"^\s*(?:ĐVT|Đơn vị tính|Đơn vị)\s*$", re.I)
_NAME_HEAD = re.compile(r"chỉ tiêu|nội dung|tiêu chí|danh mục|tên", re.I)
_GOAL_HEAD = re.compile(r"kế hoạch|\bKH\b|mục tiêu|chỉ tiêu|phấn đấu|\b(?:19|20)\d{2}\b", re.I)
_NOT_GOAL_HEAD = re.compile(r"thực hiện|\bTH\b|ước|đạt được|hiện trạng|thực trạng|so sánh|tỷ lệ|ghi chú|\bstt\b", re.I)
_MONEY_UNIT = re.compile(r"^(?:triệu|tỷ|nghìn|ngàn)?\s*đồng$|^(?:tr\.?đ|trđ|tỷ|triệu)$", re.I)


_TABLE_END = re.compile(r"^\s*(?:[IVX]+\.\s|\d+\.\s|Biểu\b|BIỂU\b|Phụ lục|PHỤ LỤC|Bảng\b|BẢNG\b|Đơn vị tính|ĐVT\b)")


def _table_targets(norm, struct, plan_years: list) -> list[Target]:
    """Goal tables: a tab table whose header has a unit column (ĐVT) and goal columns
    ("Kế hoạch 2024", "Mục tiêu đến 2025", "2025"): one target per row and goal column."""
    text = norm.text
    out: list[Target] = []
    header = None
    pos = 0
    for line in text.split("\n"):
        # cells by tabs, or " | " as the docx and html loaders write them
        cells = line.split("\t") if "\t" in line or line.count(" | ") < 2 else line.split(" | ")
        if len(cells) >= 3:
            unit_col = next((i for i, c in enumerate(cells) if _UNIT_HEAD.match(c)), None)
            name_col = next((i for i, c in enumerate(cells) if _NAME_HEAD.search(c) and not _UNIT_HEAD.match(c)), None)
            goal_cols = [i for i, c in enumerate(cells)
                         if i not in (unit_col, name_col) and _GOAL_HEAD.search(c) and not _NOT_GOAL_HEAD.search(c)]
            if unit_col is not None and name_col is not None and goal_cols:
                header = (len(cells), unit_col, name_col, goal_cols, cells)
            elif header and sum(1 for c in cells if c.strip()) >= 3 and not any(re.search(r"\d", c) for c in cells[1:]):
                header = None  # the header of another table (a budget table): not goals
            elif header and len(cells) == header[0]:
                out.extend(_table_row(norm, struct, cells, pos, header, plan_years, 1 if "\t" in line else 3))
        elif line.strip() and header and not line.startswith((" ", "\t")) and "\t" not in line and line.count(" | ") < 2:
            if len(line) > 200 or _TABLE_END.match(line):
                header = None  # prose, a heading or the title of the next table: the table is over
        pos += len(line) + 1
    return out


def _table_row(norm, struct, cells, pos, header, plan_years, sep_len: int = 1) -> list[Target]:
    _, unit_col, name_col, goal_cols, head_cells = header
    unit = cells[unit_col].strip()
    name = re.sub(r"\s+", " ", cells[name_col]).strip()
    if not unit or not name or _MONEY_UNIT.match(unit):
        return []
    unit = "%" if unit in ("%", "phần trăm", "Phần trăm") else _lower_first(unit)
    offs = [pos]
    for c in cells[:-1]:
        offs.append(offs[-1] + len(c) + sep_len)
    out = []
    for gc in goal_cols:
        raw = cells[gc].strip()
        m = re.fullmatch(r"([<>≤≥]|trên|dưới)?\s*(" + _NUM + r")\s*%?", raw, re.I)
        if not m:
            continue
        value = parse_number(m.group(2))
        if value is None:
            continue
        ys = re.findall(r"\b((?:19|20)\d{2})\b", head_cells[gc])
        year = int(ys[-1]) if ys else (plan_years[0] if len(plan_years) == 1 else None)
        cmp_ = {"<": "<", "dưới": "<", ">": ">", "trên": ">", "≤": "<=", "≥": ">="}.get((m.group(1) or "").lower())
        a = offs[gc] + (len(cells[gc]) - len(cells[gc].lstrip()))
        b = a + len(raw)
        s, e = norm.span(a, b)
        cid = None
        f = getattr(struct, "clause_id_at", None)
        if callable(f):
            cid = f(a)
        scope_f = getattr(struct, "scope_at", None)
        out.append(Target(text=f"{name}: {raw} {unit}".strip(), indicator=_lower_first(name), value=value, unit=unit,
                          year=year, start=s, end=e, clause_id=cid, comparator=cmp_,
                          scope=scope_f(a) if callable(scope_f) else None))
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
        if re.search(r"(?:năm|giai đoạn|tháng|ngày|số|Điều|khoản|điểm|Quý|[-/])\s*$", pre_ctx, re.I) and kind != "pct":
            continue
        if any(a <= m.start() < b for a, b, _ in base):
            continue
        end = m.end()
        tl = re.match(r"\s*(?:trở lên|trở xuống)", s[end:], re.I)
        cmp_ = None
        if tl:
            cmp_ = ">=" if "lên" in tl.group(0) else "<="
            end += tl.end()
        if cmp_ is None and re.search(r"không\s+(?:có|còn)\s+\D{1,25}?\s+(?:dưới|thấp hơn)\s*$", s[max(0, m.start() - 40):m.start()], re.I):
            cmp_ = ">="  # "không còn xã dưới 10 tiêu chí": at least 10
        if cmp_ is None:
            for rx, sym in _CMP_BEFORE:
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
        nxt_goal = list(_NEXT_GOAL.finditer(pre))
        if nxt_goal:  # "giảm 38 hộ nghèo, tỷ lệ hộ nghèo giảm còn 27,9%": this goal starts at "tỷ lệ"
            seg_a += nxt_goal[-1].end()
            pre = pre[nxt_goal[-1].end():]
        if is_allocation(pre, u):
            prev_end = end
            continue
        lead = _lead(s, m.start(), prev_end)
        # budget share: "tối thiểu bằng 10% tổng ngân sách"
        post_raw = s[end:nxt]
        if kind == "pct" and (u.budget_re.match(post_raw.strip()[:30] or "-") or re.match(r"\s*(?:tổng\s+)?(?:" + u.budget_re.pattern + ")", post_raw, re.I)):
            prev_end = end
            continue
        if kind == "pct" and u.budget_re.search(pre) and not re.search(r"t[ỷỉ] lệ", pre, re.I):
            prev_end = end
            continue
        post = _post_np(post_raw)
        if kind == "pct" and u.budget_re.search(" ".join(post.split()[:3])):
            prev_end = end
            continue  # "100% kế hoạch vốn được giao": a share of money
        indicator, start = _indicator(s, pre, seg_a, post, unit, kind, lead, m.start(), base)
        paren = re.search(r"\(\s*(?P<v>giảm|tăng)\s*(?:thêm\s*)?$", pre, re.I)
        if paren and out and (not indicator or indicator.lower() in ("giảm", "tăng")):
            # "tỷ lệ hộ nghèo giảm còn 27,9% (giảm 3,9%)": the change of the goal before it
            indicator = f"mức {paren.group('v').lower()} {out[-1]['indicator']}"
            start = seg_a + paren.start() + 1
        rest = re.match(r"^\W*(?:xuống còn|chỉ còn|còn|đạt)\s*(?:dưới|trên)?\s*$", pre, re.I)
        if rest and out and (not indicator or indicator.lower() in ("còn", "xuống còn", "đạt")):
            # "tỷ lệ hộ nghèo giảm 4,5% trở lên, còn 18,7%": the level the same indicator falls to
            indicator = re.sub(r"^(?:mức\s+)?(?:giảm|tăng)(?:\s+bình quân)?\s+", "", out[-1]["indicator"], flags=re.I)
            start = seg_a + rest.start() + len(pre) - len(pre.lstrip(" ,;"))
        if not indicator:
            prev_end = end
            continue
        t_end = end
        if post and not _COPULA.search(pre):
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


def _lead(s: str, pos: int, prev_end: int) -> str:
    """The lead of a list the number is in: "Tỷ lệ huy động học sinh ... đến trường: Mẫu giáo ..."."""
    a = max(s.rfind(";", 0, pos), s.rfind(". ", 0, pos), s.rfind("\n", 0, pos))
    colon = s.rfind(":", a + 1, pos)
    if colon < 0:
        return ""
    lead = _strip_label(s[a + 1:colon]).strip()
    if re.search(r"\d", lead) or re.search(r"\b(?:trong đó|cụ thể|gồm|như sau)\s*$", lead, re.I) or len(lead) > 120:
        return ""
    if re.match(r"^(?:các\s+)?(?:mục tiêu|chỉ tiêu)\b", lead, re.I):
        return ""
    return lead


# "02 thôn, buôn đạt chuẩn ...": a sibling settlement word after the counted one, then the phrase
_SIBLING_UNIT_RE = re.compile(r"\s*,\s*(?:buôn|bản|làng|ấp|sóc|tổ dân phố|phường|thị trấn)\b", re.I)


def _post_np(post_raw: str) -> str:
    p = post_raw
    sib = _SIBLING_UNIT_RE.match(p)
    if sib:
        p = p[sib.end():]
    if not re.match(r"\s*[^\W\d_]", p):
        return ""
    stop = re.search(r"[;.\n]", p)
    if stop:
        p = p[:stop.start()]
    cut = _NP_CUT.search(p)
    if cut:
        p = p[:cut.start()]
    nxt = _NEXT_GOAL.search(p)  # "giảm 45 hộ nghèo, tỷ lệ hộ nghèo ... còn 1,2%": the next goal begins
    if nxt:
        p = p[:nxt.start()]
    p = re.sub(r"(?:,|\s+và|\s+hoặc)\s*$", "", p.rstrip())
    p = p.strip()
    # a bare time phrase is no noun phrase
    if re.fullmatch(r"(?:vào\s+)?(?:cuối\s+|hết\s+)?(?:năm\s+\d{4})?", p, re.I):
        return ""
    return p


def _indicator(s, pre, seg_a, post, unit, kind, lead, num_start, base) -> tuple[str, int]:
    """(indicator, clean start of the target text within s)."""
    # a goal after a baseline: the subject is what stands before "giảm từ"
    for a, b, subj_end in base:
        if b <= num_start and not s[b:num_start].strip(" <>"):
            seg = s[:subj_end]
            k = max(seg.rfind(";"), seg.rfind(". "), seg.rfind("\n"), seg.rfind(":"))
            subj = _clean_subject(_strip_label(seg[k + 1:]))
            if subj:
                return _lower_first(_with_noun(subj, unit, kind)), k + 1 + (len(seg[k + 1:]) - len(seg[k + 1:].lstrip()))
    cop = _COPULA.search(pre)
    head = pre[:cop.start()] if cop else pre
    subj = _clean_subject(_strip_label(head))
    sub_start = seg_a + (len(pre) - len(pre.lstrip()))
    if cop and cop.group("change") and subj:
        avg = " bình quân" if cop.group("avg") or re.search(r"bình quân", cop.group(0), re.I) else ""
        return _lower_first(f"mức {cop.group('change').lower()}{avg} {_lower_first(subj)}"), sub_start
    if cop and subj and not (post and re.fullmatch(r"(?:có|được)", cop.group("verb") or "", re.I)):
        if lead:
            subj = f"{lead} {subj}"
        return _lower_first(_with_noun(subj, unit, kind, post_form=False)), sub_start
    neg = re.search(r"không\s+(?:có|còn)\s+(?P<noun>[^\W\d][\w ]{0,20}?)\s+(?:dưới|thấp hơn)\s*$", pre, re.I)
    if neg and kind == "count":  # "không còn xã dưới 10 tiêu chí": every xã reaches 10
        return f"số {unit} tối thiểu của mỗi {neg.group('noun')}", seg_a + neg.start()
    act = _action_for(s, pre, seg_a) if kind == "count" else ""
    if act:  # "Hỗ trợ xây mới, sửa chữa nhà ở cho 12 hộ nghèo" -> "số hộ nghèo được hỗ trợ xây mới, ..."
        return _lower_first(f"số {unit} {post} được {act}" if post else f"số {unit} được {act}"), num_start
    if post:
        if kind == "pct":
            ind = post if re.match(r"t[ỷỉ] lệ\b", post, re.I) else f"tỷ lệ {post}"
        elif kind == "count":
            ind = f"số {unit} {post}"
        else:
            ind = post
        pre_cmp = re.search(r"(?:trên|dưới|khoảng|tối thiểu|ít nhất|<|>)\s*$", pre, re.I)
        return _lower_first(ind), (seg_a + pre_cmp.start() if pre_cmp else num_start)
    if subj:
        if lead:
            subj = f"{lead} {subj}"
        return _lower_first(_with_noun(subj, unit, kind, post_form=False)), sub_start
    if lead:
        return _lower_first(lead), num_start
    return "", num_start


_ADVERB_RE = re.compile(r"^(?:cơ bản|tiếp tục|từng bước|kịp thời)\s+", re.I)


def _action_for(s: str, pre: str, seg_a: int) -> str:
    """The support a count receives when the goal reads "<action> cho <N> <unit>": the action
    before "cho", with the verb that opens the sentence when a list item leaves it out
    ("Hỗ trợ đất ở cho 35 hộ, nhà ở cho 120 hộ")."""
    m = re.search(r"^(?P<act>.*?)\s+cho\s*$", pre, re.S)
    if not m:
        return ""
    act = _strip_label(m.group("act")).strip(" ,;:-")
    act = re.sub(r"^(?:" + _PHAN_DAU + r"|đến\s+(?:cuối\s+)?năm\s+\d{4},?)\s*", "", act, flags=re.I).strip(" ,")
    act = _ADVERB_RE.sub("", act)  # "Cơ bản giải quyết ... cho 4.200 hộ": the action is "giải quyết ..."
    if not act or len(act) > 80 or re.search(r"\d", act):
        return ""
    verbs = units().action_verbs
    if not any(re.match(re.escape(v) + r"\b", act, re.I) for v in verbs):
        start = max(s.rfind(". ", 0, seg_a) + 1, s.rfind("\n", 0, seg_a) + 1, s.rfind(";", 0, seg_a) + 1)
        lead = _strip_label(s[start:seg_a]).strip()
        verb = next((v for v in verbs if re.match(re.escape(v) + r"\b", lead, re.I)), None)
        if not verb:
            return ""
        act = f"{verb} {act}"
    return act[:1].lower() + act[1:]


def _with_noun(subj: str, unit: str, kind: str, post_form: bool = False) -> str:
    if kind == "pct" and not re.search(r"t[ỷỉ] lệ|mức|chỉ số|thu nhập", subj, re.I):
        return f"tỷ lệ {_lower_first(subj)}"
    if kind in ("count", "per"):
        head = _unit_head(unit)
        if head.lower() not in subj.lower() and not re.search(r"thu nhập|mức|số\b", subj, re.I):
            return f"số {head} {_lower_first(subj)}"
    return subj


def _tokens(s: str) -> set:
    return set(re.findall(r"\w+", (s or "").casefold()))


def _duplicate(t: Target, seen: list[Target]) -> bool:
    for o in seen:
        if abs(o.value - t.value) < 1e-9 and o.unit == t.unit and o.year == t.year:
            a, b = _tokens(o.indicator), _tokens(t.indicator)
            if a | b and len(a & b) / len(a | b) >= 0.6:
                return True
    return False
