"""Budget tables: figures in rows and columns (used by amounts).

A table (cells separated by tabs, or "|" in markdown) whose header names budget columns
(Tổng số, NSTW, NSĐP, Vốn đầu tư, Vốn sự nghiệp ...) and whose unit is stated ("Đơn vị tính:
triệu đồng"): each row that names a Dự án / Tiểu dự án or the total gives one figure per
budget column.
"""
from __future__ import annotations

import re
from itertools import accumulate
from typing import Optional

from .amounts import _inline_scope, _last_match, _terms
from .normalize import Normalized
from .numbers import to_vnd

_UNIT_NOTE_RE = re.compile(
    r"(?:đơn vị(?:\s*tính)?|đvt)\s*[:.]?\s*(?P<unit>nghìn\s+tỷ\s+đồng|tỷ\s+đồng|triệu\s+đồng|nghìn\s+đồng|ngàn\s+đồng|1[.,]?000[.,]?000\s*đồng|1[.,]?000\s*đồng|đồng|triệu|tr\.?\s?đ|tỷ)"
    r"|\(\s*(?P<unit2>tỷ\s+đồng|triệu\s+đồng|nghìn\s+đồng|đồng)\s*\)", re.I)
_TOTAL_ROW_RE = re.compile(r"^\s*(?:tổng\s*cộng|tổng\s*số|tổng|cộng|toàn\s+(?:tỉnh|huyện|xã))\b", re.I)
_STT_RE = re.compile(r"^\s*(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđA-Z])\s*[.)]?\s*$")


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    t = line.rstrip()
    if t.startswith("|") and t.endswith("|") and len(t) > 1:  # markdown: "| a | b |" (no leading space)
        t = t[1:-1]
    else:
        t = line  # "a | b | c": an empty first cell is a leading " | "
    return [c.strip() for c in t.split("|")]


def _is_table_line(line: str) -> bool:
    # tabs (pdf/txt), "a | b | c" (the docx and html loaders), "| a | b |" (markdown)
    return line.count("\t") >= 2 or line.count(" | ") >= 2 or (line.count("|") >= 3 and line.lstrip().startswith("|"))


def _is_pair_line(line: str) -> bool:
    return line.count(" | ") == 1 and line.count("|") == 1 and "\t" not in line


def _column_role(cell: str):
    """(source, capital) a header cell names, or None."""
    sources, capitals, _, _ = _terms()
    c = cell.strip()
    if not c:
        return None
    src, _ = _last_match(sources, c)
    cap, _ = _last_match(capitals, c)
    if cap is None and re.search(r"\bđầu tư\b", c, re.I):
        cap = "đầu tư"  # a column "NSTW - Đầu tư": in a header the bare word is the capital kind
    if src is None and re.search(r"kinh phí|dự toán|kế hoạch vốn|nhu cầu vốn|số tiền|tổng", c, re.I):
        src = "total"
    if src is None and cap is None:
        return None
    return (src or "total", cap)


def table_amounts(norm: Normalized, struct) -> list[tuple[int, int, int, str, str, Optional[str]]]:
    """(start, end, value, scope, source, capital) for the figures of budget tables."""
    text = norm.text
    if "\t" not in text and "|" not in text:
        return []  # every table line has tabs or bars
    lines = list(zip(accumulate((len(x) + 1 for x in text.split("\n")), initial=0), text.split("\n")))
    out = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i][1] and "|" not in lines[i][1]:
            i += 1  # neither a table line nor a pair line: the tests below would say so, slower
            continue
        # a two-column table ("Dự án 2: Đa dạng hóa sinh kế | 15.200" under "Dự án | Kinh phí (triệu đồng)")
        # has one " | " a line; a run of three or more such lines, nothing else, is read as a table too
        pair = not _is_table_line(lines[i][1]) and _is_pair_line(lines[i][1])
        if not _is_table_line(lines[i][1]) and not pair:
            i += 1
            continue
        same = _is_pair_line if pair else _is_table_line
        j = i
        rows = []
        while j < len(lines) and (same(lines[j][1]) or not lines[j][1].strip()):
            if lines[j][1].strip():
                rows.append(lines[j])
            j += 1
        before = text[max(0, lines[i][0] - 400):lines[i][0]]
        if not pair or len(rows) >= 3:
            out.extend(_one_table(rows, before, struct))
        i = j
    return out


def _component_by_name(label: str, program: Optional[str], current_da: Optional[str]) -> Optional[str]:
    """A table row named like a component of the program ("Cải thiện dinh dưỡng" -> DA3.TDA2);
    a Tiểu dự án row belongs to the Dự án row above it."""
    from . import programs

    if current_da:
        found = programs.match(program, label, within=current_da)
        if found:
            return found
    found = programs.match(program, label)
    if found and "." in found and current_da and not found.startswith(current_da + "."):
        return None
    return found


def _title_source(before: str) -> Optional[str]:
    """The one budget source the title lines above a table name, if any."""
    sources, _, _, _ = _terms()
    lines = [ln for ln in before.split("\n") if ln.strip()][-4:]
    title = "\n".join(ln for ln in lines if len(ln) < 250 and not _is_table_line(ln))
    named = {k for k, rx in sources if k != "total" and rx.search(title)}
    return named.pop() if len(named) == 1 else None


def _one_table(rows, before: str, struct):
    # header rows: the first rows without figures
    header, body = [], []
    for pos, line in rows:
        cells = _cells(line)
        numeric = [c for c in cells[1:] if to_vnd(c, "đồng") is not None and not _STT_RE.match(c)]
        if not body and not numeric:
            header.append(cells)
        else:
            body.append((pos, line, cells))
    if not header or not body:
        return []
    unit = None
    for src_text in ["\t".join(h) for h in header] + [before]:
        um = None
        for um in _UNIT_NOTE_RE.finditer(src_text):
            pass
        if um:
            unit = (um.group("unit") or um.group("unit2")).lower()
            # "Đơn vị tính: 1.000 đồng": the figures are thousands
            unit = {"1": "nghìn đồng", "2": "triệu đồng"}.get(str(len(re.findall(r"000", unit))), unit) if re.match(r"1[.,]?000", unit) else unit
            break
    if unit is None:
        return []
    width = max(len(h) for h in header)
    roles: list = [None] * width
    last_src = None
    for j in range(width):
        top = _column_role(header[0][j]) if j < len(header[0]) else None
        if top:
            last_src = top[0] if top[0] != "total" or top[1] else top[0]
        elif j < len(header[0]) and header[0][j]:
            last_src = None
        sub = _column_role(header[1][j]) if len(header) > 1 and j < len(header[1]) else None
        if sub and top is None and last_src:
            roles[j] = (sub[0] if sub[0] != "total" else last_src, sub[1])
        elif sub and top:
            roles[j] = (top[0] if sub[0] == "total" else sub[0], sub[1] or top[1])
        else:
            roles[j] = top
    if not any(roles):
        return []
    # "KẾ HOẠCH VỐN NGÂN SÁCH TRUNG ƯƠNG NĂM 2024" over the table: its total columns are of that source
    title_src = _title_source(before)
    if title_src and not any(r and r[0] not in ("total", title_src) for r in roles):
        roles = [(title_src, r[1]) if r and r[0] == "total" else r for r in roles]
    out = []
    current_da = None
    for pos, line, cells in body:
        label = " ".join(c for k, c in enumerate(cells) if k >= len(roles) or roles[k] is None)
        scope = None
        if _TOTAL_ROW_RE.match(label.strip()) or any(_TOTAL_ROW_RE.match(c) for c in cells[:2] if c):
            scope = "total"
        else:
            found = _inline_scope(label, current_da) or _component_by_name(label, getattr(struct, "program_code", None), current_da)
            if found:
                scope = found
                current_da = found.split(".")[0]
        row_src = None
        if scope is None:
            # a row named by a source ("Ngân sách trung ương | 2.850.000"): that source of the plan
            sources, _, _, _ = _terms()
            row_src, _ = _last_match(sources, label)
            if not row_src or row_src == "total":
                continue
            scope = current_da or "total"
        offset = 0
        for k, c in enumerate(cells):
            cstart = line.find(c, offset) if c else offset
            offset = cstart + len(c)
            if k >= len(roles) or roles[k] is None or not c:
                continue
            value = to_vnd(c.replace(" ", ""), unit)
            if not value:
                continue
            src, cap = roles[k]
            if row_src and src == "total":
                src = row_src
            out.append((pos + cstart, pos + cstart + len(c), value, scope, src, cap))
    return out
