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

from .amount_context import doc_context, program_of
from .model import Amount
from .normalize import Normalized
from .numbers import NUMBER, to_vnd

_DATA = Path(__file__).parent / "data" / "budget_terms.json"

_UNIT = (r"(?:nghìn|ngàn)\s+tỷ\s+đồng|(?:nghìn|ngàn)\s+tỷ|tỷ\s+đồng|tỉ\s+đồng|triệu\s+đồng|tr\.?\s?đồng|tr\.đ|trđ|triệu\s+đ(?!\w)|tỷ\s+đ(?!\w)"
         r"|(?:nghìn|ngàn)\s+đồng|ngđ|đồng|vnđ|vnd|đ(?![\w])|tỷ(?=\s*[,;.)(]|\s+(?:và|trong|từ|gồm|cho|để)\b)|tỉ(?=\s*[,;.)(])"
         r"|triệu(?=\s*[,;.)(]|\n)")  # "...: 850 triệu." (checked for a money context below)
# "1 250 triệu đồng": thousands grouped by spaces (some conversions), only before a money word
_SPACED = r"(?<![\w/.,])(?<!\d )\d{1,3}(?: \d{3})+(?![\d/.,])"
# "24, 876 tỷ đồng": a space typed after the comma
_COMMA_SPACE = r"(?<![\w/.,])\d{1,3}, \d{3}(?![\d/.,])"
# "(?=\d)" first: the scanner skips non-digits at once instead of trying each alternative (4x faster)
_MONEY_RE = re.compile(r"(?=\d)(?P<num>" + _COMMA_SPACE + "|" + _SPACED + "|" + NUMBER + r")\s*(?P<unit>" + _UNIT + r")(?![\w])", re.I)
_CAPITAL_AFTER_RE = re.compile(r"\s*\(\s*(?P<cap>[^()]{3,40}?)\s*\)")
# words right after a figure, up to punctuation or the next number: "... đồng vốn sự nghiệp;"
_WORDS_AFTER_RE = re.compile(r"[ ]+(?:là\s+|từ\s+)?([^\d\n.;,:()]{3,60})")
# a figure followed by "/người", "/hộ/tháng" or "mỗi hộ" is a rate
_SLASH_AFTER_RE = re.compile(r"\s*/\s*(?!năm\b(?!\s*/))\w")  # "/năm" alone is a yearly budget, not a rate


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


@lru_cache(maxsize=1)
def _more_terms():
    """(disbursed, not_capital) patterns."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    disbursed = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in data.get("disbursed", [])) + r")(?!\w)", re.I)
    # "Dự án 9: Đầu tư phát triển nhóm dân tộc ...": an activity's name, not a capital kind, unless
    # a money word stands right before it ("vốn đầu tư phát triển hạ tầng")
    words = sorted(data.get("not_capital", []), key=len, reverse=True)
    not_capital = re.compile(r"(?<!vốn )(?<!nguồn )(?<!phí )(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)
    return disbursed, not_capital


def _last_match(patterns, text: str) -> tuple[Optional[str], int]:
    """The category whose keyword ends closest to the end of text, and its position."""
    sources, capitals, _, _ = _terms()
    if patterns is sources or patterns is capitals:
        return _last_term(patterns is capitals, text)
    return _scan_last(patterns, text)


@lru_cache(maxsize=4096)
def _last_term(capital: bool, text: str) -> tuple[Optional[str], int]:
    """_last_match for the source or the capital words, memoised: a figure asks about the same
    phrase up to three times, and table cells and labels recur (on the bench plans ~80 calls a
    plan, a few distinct strings)."""
    sources, capitals, _, _ = _terms()
    return _scan_last(capitals if capital else sources, text)


def _scan_last(patterns, text: str) -> tuple[Optional[str], int]:
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
    r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(?P<tda>\d{1,2})(?:\s*(?:-|thuộc|của|\(|,)\s*(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(?P<tda_da>\d{1,2}))?(?![\d/.,]\d)"
    r"|(?<![Tt]iểu )(?<!TIỂU )(?:Dựa? án|DỰA? ÁN)\s*(?:số\s*)?(?P<da>\d{1,2})(?![\d/.,]\d)"
    r"|(?:Nội dung|NỘI DUNG)(?: thành phần| THÀNH PHẦN)?\s*(?:số\s*)?(?P<nd>\d{1,2})(?![\d/.,]\d)"
)
_BARE_UNIT_RE = re.compile(r"^(?:tỷ|tỉ|triệu)$", re.I)
_MONEY_CONTEXT_RE = re.compile(r"kinh phí|vốn|ngân sách|\bNS|tổng|chi phí|dự toán|nguồn", re.I)
_BREAKDOWN_RE = re.compile(r"\(|trong đó|gồm|bao gồm|cụ thể", re.I)
_LIST_LABEL_RE = re.compile(r"^\s*(?:[-+•∙▪●◦*]|[a-zđ]\)|\d{1,2}[.)])\s")
# "các đơn vị sự nghiệp công lập của lĩnh vực dân tộc" in a part's name: no capital kind
_PART_ITEM_RE = re.compile(r"^\s*[;,]?\s*(?:Tiểu dự án|TIỂU DỰ ÁN|Dự án|DỰ ÁN)\s*(?:số\s*)?\d")
_ITEM_RE = re.compile(r"^\s*(?:[-+•∙▪●◦*]|[a-zđ]\)\s)")
# compiled once: find_amounts asks each of these for every figure
_PHRASE_SEP = re.compile(r"[;.:]\s|\n")
_BRACKETS = re.compile(r"\([^()]*\)")
_PART_OR_FIGURE = re.compile(r"(?:dự án|tiểu dự án|nội dung)\s+\d|\d\s*(?:tỷ|triệu|đồng)", re.I)
_UNIT_LABEL = re.compile(r"(?:đơn vị(?:\s*tính)?|đvt)\s*[:.]?\s*$", re.I)
_CLAUSE_SEP = re.compile(r"[;.]\s")
_COLON_END = re.compile(r":\s*$")
_REST_PARTS = re.compile(r"(?:dự án|nội dung)\s+(?:còn lại|khác)\b", re.I)
_AND_OR = re.compile(r"\s+(?:và|hoặc)\s+")
_SPLIT_AFTER = re.compile(r"[^\n.;]{0,20}?\b(?:trong đó|gồm|bao gồm|cụ thể|phân bổ(?: cho các| như sau)|chi tiết như sau)\b", re.I)
_FIGURE_SEP = re.compile(r"[.;]\s|\n|\d\s*(?:tỷ|triệu|đồng)\b")
_NUM_LABEL = re.compile(r"\s*(\d{1,2})\.\s")


class _State:
    """What a figure inherits from the figures before it in the same breakdown."""

    def __init__(self):
        self.clause = -1
        self.prev_end = 0
        self.inline_scope: Optional[str] = None
        self.parent_source: dict[str, str] = {}
        self.parent_capital: dict[str, str] = {}
        self.parent_capital_end: dict[str, int] = {}  # where the figure that set parent_capital ends
        self.own_item_capital: dict[str, bool] = {}  # parent_capital was an item's own word, not a list lead
        self.lead_source: Optional[tuple] = None  # (scope, source, capital) of a "NSTW vốn đầu tư X" figure
        self.parent_split: Optional[tuple] = None  # (scope, source, capital) of a figure that opens a list
        self.prev_fig: Optional[tuple] = None  # (scope, source, capital) of the figure before
        self.program: Optional[tuple] = None  # (program code, clause) of a program's own figure


# a sentence opening on a source: "Đối với vốn ngân sách địa phương, ...", "Trong đó, vốn ngân sách
# Trung ương là ...", "Về vốn tín dụng chính sách, ...": the topic of what follows on a page
_TOPIC_OPEN_RE = re.compile(r"^\W*(?:(?:trong đó|riêng|còn|ngoài ra)\s*,?\s*|(?:đối với|về|với)\s+)?(?:các\s+)?(?:nguồn\s+)?(?:vốn\s+|kinh phí\s+)?", re.I)


_REMAINING_RE = re.compile(
    r"(?:dự án|tiểu dự án|nội dung|hạng mục)\s+(?:còn lại|khác)\s*(?:[:\-]|là|với|được\s+\w+)?[^\d\n;]{0,30}$", re.I)


# "Vốn các dự án còn lại (Dự án 2, 3, 6) phân bổ theo Phụ lục số 02, tổng cộng 411,812 tỷ đồng":
# the remainder named earlier in the phrase, its list of parts in brackets
_REMAINING_PHRASE_RE = re.compile(r"(?:dự án|tiểu dự án|nội dung)\s+còn lại\b", re.I)


def _remaining_phrase(left: str) -> bool:
    phrase = _PHRASE_SEP.split(left)[-1]
    phrase = _BRACKETS.sub("", phrase)
    m = None
    for m in _REMAINING_PHRASE_RE.finditer(phrase):
        pass
    if not m:
        return False
    rest = phrase[m.end():]
    # a part or another figure named after the remainder: the figure is that part's
    return not _PART_OR_FIGURE.search(rest)


def find_amounts(norm: Normalized, struct) -> list[Amount]:
    text = norm.text
    sources, capitals, per_unit, not_budget = _terms()
    disbursed, not_capital = _more_terms()
    matches = list(_MONEY_RE.finditer(text))
    ctx = doc_context(text, getattr(struct, "header_end", 0), matches, capitals, not_capital, sources)
    body_start = ctx.body_start
    # a figure for each of several programs: each program's own (scope gnbv / ntm / dtts)
    named_programs = {program_of(_phrase_before(text, m.start())) for m in matches if m.start() >= body_start} - {None}
    multi_program = len(named_programs) >= 2
    topic_source: Optional[str] = None  # a page's source said once at a sentence start
    out: list[Amount] = []
    seen: dict = {}  # key -> (breakdown group, clause) where it was first listed
    group = 0
    state = _State()
    for m in matches:
        start, end = m.start(), m.end()
        if start < body_start:
            continue
        after = text[end:end + 40]
        if _SLASH_AFTER_RE.match(after) or per_unit.match(after):
            continue
        if _UNIT_LABEL.search(text[max(0, start - 20):start]):
            continue  # "Đơn vị tính: 1.000 đồng" names the unit of a table, it is no figure
        ci = struct._clause_index(start)
        c_lo = struct.clause_starts[ci] if ci >= 0 else max(0, start - 250)
        if ci != state.clause:
            cont = _continues(text, struct, state.clause, ci)
            if not cont:
                state = _State()
                group += 1
            elif cont == "sibling":
                state.inline_scope = None  # a sibling item names its own part, if any
            state.clause, state.prev_end = ci, c_lo
        left = text[max(c_lo, state.prev_end, start - 400):start]
        near = text[max(c_lo, start - 100):start]
        near = _CLAUSE_SEP.split(near)[-1]  # "... định mức hỗ trợ nhà ở; đề nghị bổ sung 1.500 triệu": another phrase
        nb = list(not_budget.finditer(near))
        if not ctx.is_page:  # a formal plan budgets; what was paid out is a report's, not a budget
            nb += list(disbursed.finditer(near))
            nb.sort(key=lambda x: x.end())
        # "Tiểu dự án 1: Phát triển kinh tế ... nâng cao thu nhập cho người dân: 4,8 tỷ đồng": the words are
        # the name of the part the figure is for, not what the figure is
        part_label = bool(_COLON_END.search(near)) and bool(_INLINE_SCOPE_RE.search(text[c_lo:start]))
        if nb and not part_label and (not _last_match(sources, left)[0] or nb[-1].end() > _last_match(sources, near)[1]):
            # "với tổng dư nợ 7,1 tỷ đồng": the word closest to the figure says what it is
            continue
        if _REMAINING_RE.search(near) or _remaining_phrase(text[max(c_lo, start - 250):start]):
            # "Các dự án, tiểu dự án còn lại: 4.900": a remainder over several parts, no scope's figure
            state.inline_scope = None
            continue
        if _BARE_UNIT_RE.match(m.group("unit")) and not part_label \
                and not _MONEY_CONTEXT_RE.search(text[max(c_lo, start - 120):start]):
            continue
        value = to_vnd(m.group("num"), m.group("unit"), ctx.comma_thousands)
        if not value:
            continue
        inline = _inline_scope(left, state.inline_scope or struct.scope_at(start) or getattr(struct, "plan_scope", None),
                               getattr(struct, "program_code", None))
        if inline:
            state.inline_scope = inline
        elif _REST_PARTS.search(left):
            state.inline_scope = None  # "Các dự án còn lại: 10.870": no one part, not the part before
        scope = state.inline_scope or struct.scope_at(start) or "total"
        scope_words_end = end
        if not inline:
            fm = _SCOPE_AFTER_RE.match(text, end)
            if fm:  # "bổ sung 1.500 triệu đồng vốn sự nghiệp để thực hiện Dự án 4"
                scope_words_end = fm.end()  # the part named after the figure is not the next figure's
                # a bare "Tiểu dự án 1" in a plan for one Dự án is that Dự án's
                scope = _inline_scope(fm.group("what"), getattr(struct, "plan_scope", None),
                                      getattr(struct, "program_code", None)) or scope
        src, src_pos = _last_match(sources, left)
        src_before = src is not None  # written before the figure, not after it
        if src == "total":
            # "kế hoạch vốn ngân sách trung ương năm 2024 ... với tổng số vốn là 658.742": the total of that source
            sentence = re.split(r"[;.]\s|\n", left[:src_pos])[-1]  # "Điều 1. Phân bổ ... vốn NSTW ... với tổng số tiền"
            named = {k for k, rx in sources if k != "total" and rx.search(sentence)}
            if len(named) == 1:
                src = named.pop()
        if ctx.is_page:
            # a sentence, not a part of a list after ";" or ":" ("trong đó: NSTW ...; NSĐP ...")
            sentence = re.split(r"\.\s|\n", text[c_lo:start])[-1]
            if src is not None and src != "total" and _topic_at(sentence, sources) == src:
                topic_source = src
            elif src is not None and src != "total" and src != topic_source:
                topic_source = None  # "Trong đó, NSTW 100 tỷ, NSĐP 20 tỷ": two sources, no topic for what follows
            elif src == "total":
                topic_source = None  # "tổng ...": the topic ends
            elif src is None and topic_source:
                src = topic_source
        cap, cap_pos = _last_match(capitals, not_capital.sub(lambda x: " " * len(x.group()), left))
        if cap and src and src_pos > cap_pos and re.search(r"[;.]", left[cap_pos:src_pos]):
            cap = None  # "vốn đầu tư ...; NSTW 100": the capital word belongs to an earlier phrase
        consumed = end  # words after the figure that belong to it are not the next figure's
        cm = _CAPITAL_AFTER_RE.match(text, end)
        if cm and (not cap or src in (None, "total")) and not re.search(r"\d", cm.group("cap")):
            # "98.500 triệu đồng (Vốn đầu tư phát triển NSTW)", "(ngân sách trung ương, vốn sự nghiệp)"
            b_cap = _capital_of(cm.group("cap"))
            b_src, _ = _last_match(sources, cm.group("cap"))
            if b_src == "total":
                b_src = None
            if (b_cap and not cap) or (b_src and src in (None, "total")):
                # "Tổng kinh phí: 9.876,5 triệu đồng (ngân sách trung ương)": the total of that source
                cap = cap or b_cap
                src = b_src if b_src and src in (None, "total") else src
                consumed = cm.end()
        rm = _WORDS_AFTER_RE.match(text, end)
        words, words_end = (rm.group(1), rm.end()) if rm else ("", end)
        joined = _AND_OR.search(words)
        if joined:  # "49 tỷ đồng vốn đầu tư phát triển và gần 48 tỷ đồng ...": the words up to "và" are this one's
            words, words_end = words[:joined.start()], rm.start(1) + joined.start()
        if rm and (not cap or not src) and words.lower().startswith(("vốn", "nguồn", "ngân sách", "kinh phí", "ns", "từ")) \
                and (joined or not re.match(r"\s*[:\-]?\s*\d", text[rm.end():rm.end() + 4])  # words that label the next figure
                     or re.search(r"dự án\s*$", words, re.I)):  # ... "vốn sự nghiệp để thực hiện Dự án 4"
            # "12.000 triệu đồng vốn đầu tư phát triển nguồn NSTW"
            after_src, _ = _last_match(sources, words)
            after_cap, _ = _last_match(capitals, words)
            if after_src or after_cap:
                cap = cap or after_cap
                src = src or (after_src if after_src != "total" else None)
                consumed = words_end
        breakdown = bool(_BREAKDOWN_RE.search(left)) or bool(_ITEM_RE.match(left)) or ci != -1 and c_lo < state.prev_end
        if src is None and cap and state.lead_source and state.lead_source[0] == scope \
                and state.lead_source[2] != cap and not re.search(r"[.:]|\n", left):
            src = state.lead_source[1]  # "NSTW: vốn đầu tư 19.000, vốn sự nghiệp 2.600"
        # "a) Dự án 1: ...: 3,6 tỷ đồng", and "; Tiểu dự án 2: ...: 1,2 tỷ đồng" after it: parts of a listed split
        item_like = bool(_ITEM_RE.match(left)) or bool(inline and _PART_ITEM_RE.match(left))
        if src is None and cap is None and item_like and state.parent_split \
                and (state.parent_split[0] == scope or (state.parent_split[0] == "total" and inline)):
            src, cap = state.parent_split[1], state.parent_split[2]  # "Vốn sự nghiệp (NSTW): X, trong đó: a) ...: Y"
        if src is None and cap is None and state.prev_fig and state.prev_fig[0] == scope \
                and re.match(r"^\s*[(;,]?\s*(?:năm|trong năm)\s+\d{4}\s*:?\s*$", left, re.I):
            src, cap = state.prev_fig[1], state.prev_fig[2]  # "NSTW 1.169,5 tỷ (năm 2024: 612,3 tỷ; năm 2025: ...)"
        inherited = False
        if src is None and cap is None and _LIST_LABEL_RE.match(left) and state.parent_capital.get(scope) \
                and not state.own_item_capital.get(scope):
            # "Tổng vốn đầu tư phát triển 28.600, đầu tư các công trình:\n1. Đường ...: 9.800": of that capital
            # (but not "1. Chương trình A: ..., vốn sự nghiệp 44.400" leaking into "2. Chương trình B: 286.150")
            cap = state.parent_capital[scope]
            src = "total"
            inherited = True
        if src is None:
            # "trong đó vốn đầu tư 45.500": the split of the figure before it
            src = state.parent_source.get(scope, "total") if (cap or _ITEM_RE.match(left) or _LIST_LABEL_RE.match(left)) else "total"
        elif cap is None and src != "total" and breakdown and not re.search(r"\.\s", left) \
                and not re.search(r"\.\s", text[state.parent_capital_end.get(scope, start):start]):
            # "Vốn sự nghiệp 500 (NSTW 450; NSĐP 50)"; not across a sentence end, neither since this
            # figure's list began nor since the capital's figure ("vốn sự nghiệp 432 tỷ. Xét theo nguồn, ...")
            cap = state.parent_capital.get(scope)
        if src == "total" and ctx.source and not re.search(r"ngân sách nhà nước|nsnn", left, re.I):
            src = ctx.source  # the one source the title or lead names, never named again in the body
        if cap is None:
            state.parent_source[scope] = src
        if src == "total":
            if cap:
                state.parent_capital[scope] = cap
                state.parent_capital_end[scope] = end
                state.own_item_capital[scope] = not inherited and bool(_LIST_LABEL_RE.match(text[c_lo:start]))
            else:
                state.parent_capital.pop(scope, None)
        # a source written before a capital figure leads the capitals that follow it in the list
        state.lead_source = (scope, src, cap) if (src_before and cap and src != "total") else \
            (state.lead_source if cap and state.lead_source and state.lead_source[1] == src else None)
        if src != "total" and cap and _SPLIT_AFTER.match(text[consumed:consumed + 40]):
            state.parent_split = (scope, src, cap)
        elif not item_like:
            state.parent_split = None
        state.prev_fig = (scope, src, cap)
        state.prev_end = max(consumed, scope_words_end)
        if cap is None:
            cap = _heading_capital(struct, start, capitals) or ctx.capital
        if multi_program and scope == "total":
            prog = program_of(_phrase_before(text, start, max(c_lo, state.prev_end if state.prev_end < start else c_lo)))
            if prog:
                state.program = (prog, ci)
            elif state.program and state.program[1] == ci and not re.search(r"\.\s|\n", left):
                prog = state.program[0]  # "..., gồm vốn đầu tư phát triển 268.000": the split of that program's figure
            else:
                state.program = None
            scope = prog or scope
        key = (scope, src, cap, value)
        if key in seen:
            g, c = seen[key]
            # the same figure again is listed once; two "khác" items of one list that happen to
            # be equal ("vốn tín dụng 1.000; vốn doanh nghiệp 1.000") are two figures
            if not (src == "khác" and g == group and c != ci):
                continue
        seen[key] = (group, ci)
        o_start, o_end = norm.span(start, end)
        out.append(Amount(text=norm.original[o_start:o_end], value_vnd=value, scope=scope, source=src,
                          capital=cap, start=o_start, end=o_end, clause_id=struct.clauses[ci].id if ci >= 0 else None))
    _source_notes(text, struct, out, sources)
    from .amount_tables import table_amounts  # here: that module reads the word lists of this one

    for start, end, value, scope, src, cap in table_amounts(norm, struct):
        if cap is None:  # a table under "Vốn sự nghiệp", or in a text whose title names one capital kind
            cap = _heading_capital(struct, start, capitals) or ctx.capital
        key = (scope, src, cap, value)
        if key in seen:
            continue
        seen[key] = (-1, -1)
        o_start, o_end = norm.span(start, end)
        out.append(Amount(text=norm.original[o_start:o_end], value_vnd=value, scope=scope, source=src,
                          capital=cap, start=o_start, end=o_end, clause_id=struct.clause_id_at(start)))
    return out


def _phrase_before(text: str, pos: int, lo: int = 0) -> str:
    """The words before a figure back to the last figure, sentence or clause break."""
    piece = text[max(lo, pos - 300):pos]
    return _FIGURE_SEP.split(piece)[-1]


def _topic_at(sentence: str, sources) -> Optional[str]:
    """The source a sentence opens on ("Đối với vốn ngân sách địa phương, ..."), else None."""
    m = _TOPIC_OPEN_RE.match(sentence)
    rest = sentence[m.end():] if m else sentence
    for name, rx in sources:
        sm = rx.match(rest)
        if sm and name != "total":
            return name
    return None


# the part a figure is for, written after it: "... 500 triệu đồng (vốn sự nghiệp) để thực hiện Dự án 4"
_SCOPE_AFTER_RE = re.compile(
    r"[^\d;.\n]{0,40}?\b(?:(?:để|cho|nhằm)\s+(?:thực hiện|triển khai)?|thực hiện|triển khai)\s*(?P<what>(?:các\s+)?(?:Tiểu dự án|Dự án)\s*\d{1,2}(?:\s*(?:-|thuộc|của|\(|,)\s*Dự án\s*\d{1,2}\)?)?)(?![\d,])")
_SOURCE_NOTE_RE = re.compile(r"^\W*(?:nguồn(?:\s+vốn|\s+kinh phí)?|nguồn\s+từ)\s*:\s*(?P<what>[^\d\n]{3,120})$", re.I)


def _heading_capital(struct, pos: int, capitals) -> Optional[str]:
    """ "2. Vốn đầu tư phát triển" as the heading over a figure: the one capital kind its figures are of."""
    sec = struct.section_at(pos) if hasattr(struct, "section_at") else None
    by_id = getattr(struct, "_sections_by_id", {})
    while sec is not None:
        title = sec.title or ""
        if len(title.split()) <= 6 and not re.search(r"\d", title):
            named = {k for k, rx in capitals if rx.search(title)}
            if len(named) == 1:
                return named.pop()
        sec = by_id.get(sec.parent) if sec.parent else None
    return None


def _source_notes(text: str, struct, out: list, sources) -> None:
    """ "Nguồn: ngân sách trung ương do UBND huyện phân bổ." after a list of figures: the one
    source of those figures that name none (back to the heading above)."""
    clauses = getattr(struct, "clauses", None) or []
    for ci, c in enumerate(clauses):
        m = _SOURCE_NOTE_RE.match(c.text.strip())
        if not m:
            continue
        named = {k for k, rx in sources if k != "total" and rx.search(m.group("what"))}
        if len(named) != 1:
            continue
        lo = ci
        while lo > 0 and getattr(clauses[lo - 1], "kind", "") != "heading" and ci - lo < 12:
            lo -= 1
        span = [x for x in out if x.clause_id in {k.id for k in clauses[lo:ci]}]
        if not span or any(x.source not in ("total",) for x in span):
            continue  # figures that name their sources: the note is about something else
        src = named.pop()
        for x in span:
            x.source = src


@lru_cache(maxsize=4096)  # pure; asked again for the same phrase by the figures of a list
def _inline_scope(left: str, current: Optional[str], program: Optional[str] = None) -> Optional[str]:
    """'Dự án 1: 50 triệu', 'Tiểu dự án 2 - Dự án 1 ...', for nông thôn mới 'Nội dung số 2 ...',
    written before the figure."""
    last_da = None
    found = None
    das = set()
    for m in _INLINE_SCOPE_RE.finditer(left):
        if m.group("nd"):
            if program == "ntm":
                found = f"ND{int(m.group('nd'))}"
        elif m.group("da"):
            last_da = int(m.group("da"))
            found = f"DA{last_da}"
        else:
            da = int(m.group("tda_da")) if m.group("tda_da") else last_da
            if da is None and current:
                da = int(current.split(".")[0][2:]) if current.startswith("DA") else None
            if da is not None:
                found = f"DA{da}.TDA{int(m.group('tda'))}"
        if found:
            das.add(found.split(".")[0])
    if len(das) > 1:
        return None  # "Dự án 10 ... và Tiểu dự án 2 - Dự án 7 ... là 450 triệu đồng": a figure of several
    return found


def _continues(text: str, struct, prev: int, cur: int):
    """Does clause `cur` go on with the breakdown of the figures in clause `prev`?

    Yes when it follows within a few clauses without figures of its own in between, and
    either the previous clause announced a list ("..., trong đó:") or this one is a list item."""
    if prev < 0 or cur <= prev or cur - prev > 3:
        return False
    if any(getattr(struct.clauses[k], "kind", "") == "heading" or struct.clauses[k].text.rstrip().endswith(":")
           for k in range(prev + 1, cur)):
        # a heading ("3. Dự án 6: ...") or the lead of a new list ("Phân bổ theo dự án:") between them
        return False
    prev_text = struct.clauses[prev].text.rstrip()
    cur_text = struct.clauses[cur].text
    a, b = _NUM_LABEL.match(prev_text), _NUM_LABEL.match(cur_text)
    if a and b and int(b.group(1)) == int(a.group(1)) + 1:
        return "sibling"  # "1. Vốn đầu tư phát triển: ...", "2. Vốn sự nghiệp: ...": items of one list
    return prev_text.endswith(":") or bool(_ITEM_RE.match(cur_text)) or bool(re.search(r"trong đó:?$", prev_text))
