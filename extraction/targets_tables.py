"""Targets in goal tables: a table whose header has a unit column (ĐVT) and goal columns
("Kế hoạch 2024", "Mục tiêu đến 2025", "2025") gives one target per row and goal column. Used by targets.
"""
from __future__ import annotations

import re

from .model import Target
from .numbers import parse_number
from .targets_indicator import lower_first
from .targets_units import NUM as _NUM


_UNIT_HEAD = re.compile(r"^\s*(?:ĐVT|Đơn vị tính|Đơn vị)\s*$", re.I)
_NAME_HEAD = re.compile(r"chỉ tiêu|nội dung|tiêu chí|danh mục|tên", re.I)
_GOAL_HEAD = re.compile(r"kế hoạch|\bKH\b|mục tiêu|chỉ tiêu|phấn đấu|\b(?:19|20)\d{2}\b", re.I)
_NOT_GOAL_HEAD = re.compile(r"thực hiện|\bTH\b|ước|đạt được|hiện trạng|thực trạng|so sánh|tỷ lệ|ghi chú|\bstt\b", re.I)
_MONEY_UNIT = re.compile(r"^(?:triệu|tỷ|nghìn|ngàn)?\s*đồng$|^(?:tr\.?đ|trđ|tỷ|triệu)$", re.I)


_TABLE_END = re.compile(r"^\s*(?:[IVX]+\.\s|\d+\.\s|Biểu\b|BIỂU\b|Phụ lục|PHỤ LỤC|Bảng\b|BẢNG\b|Đơn vị tính|ĐVT\b)")


def table_targets(norm, struct, plan_years: list) -> list[Target]:
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
    unit = "%" if unit in ("%", "phần trăm", "Phần trăm") else lower_first(unit)
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
        out.append(Target(text=f"{name}: {raw} {unit}".strip(), indicator=lower_first(name), value=value, unit=unit,
                          year=year, start=s, end=e, clause_id=cid, comparator=cmp_,
                          scope=scope_f(a) if callable(scope_f) else None))
    return out
