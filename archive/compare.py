"""Compare one Dự án across plans: one row per plan, from the store's du_an_rows table.

The table is filled when a plan is stored (archive.derived.du_an_rows), so a comparison is one
indexed SQL query plus JSON decoding of small rows, whatever the size of the archive.
"""
from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from extraction import programs
from extraction.model import PROGRAMS

from .format import plain_million, vn_million, vn_number
from .identity import identity_of, vn_date
from .store import Store, filter_sql, fold

# written on a folded, upper-case id: 'DA5', 'Dự án 5', 'DA4.TDA2', '4.2'; 'ND1', 'Nội dung 1' (ntm)
_DU_AN_RE = re.compile(r"^(?:(DA|DU\s*AN)\s*)?(\d+)(?:\s*[.:\-/ ]\s*(?:(?:TDA|TIEU\s*DU\s*AN)\s*)?(\d+))?$")
_ND_RE = re.compile(r"^(?:ND|NOI\s*DUNG)\s*(\d+)$")


def parse_du_an(text: str, program: Optional[str] = None) -> str:
    """'DA5' -> 'DA5'; 'da4.tda2', 'DA4 TDA2', '4.2' -> 'DA4.TDA2'; 'nd1', 'Nội dung 1' -> 'ND1'
    (the content groups of nông thôn mới; a bare number is one for program ntm).
    ValueError names what is wrong."""
    key = fold(text or "").upper()
    m = _ND_RE.match(key)
    if m:
        return f"ND{int(m.group(1))}"
    m = _DU_AN_RE.match(key)
    if not m:
        raise ValueError(f"Không hiểu Dự án {text!r}: viết như DA5, Dự án 5 hoặc DA4.TDA2 "
                         "(nông thôn mới: ND1 .. ND11)")
    if program == "ntm" and not m.group(1) and not m.group(3):
        return f"ND{int(m.group(2))}"
    return f"DA{int(m.group(2))}" + (f".TDA{int(m.group(3))}" if m.group(3) else "")


def check_program(program: str) -> str:
    if program not in PROGRAMS:
        raise ValueError(f"Không có chương trình {program!r}: dùng một trong {', '.join(PROGRAMS)}")
    return program


@dataclass
class CompareRow:
    plan_id: str
    doc: str
    locality: Optional[str]
    province: Optional[str]
    level: Optional[str]
    year: Optional[int]
    years: list[int]
    program: str
    du_an: str
    name: Optional[str]  # the Dự án's name as the plan writes it
    total_vnd: Optional[int]  # the Dự án's total (stated, else the sum of its sources)
    amounts: list[dict[str, Any]] = field(default_factory=list)  # scope, source, capital, value_vnd, text
    lead: list[str] = field(default_factory=list)  # chủ trì
    coordinating: list[str] = field(default_factory=list)  # phối hợp
    targets: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # the section's clauses
    # the plan's identity (plans table): number, issue date and type, for the identity string and CSV
    number: Optional[str] = None
    issue_date: Optional[str] = None
    doc_type: Optional[str] = None
    issuer: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(store: Store, du_an: str, program: str = "gnbv", filters: Optional[dict] = None,
            year_from: Optional[int] = None, year_to: Optional[int] = None,
            with_text: bool = True) -> list[CompareRow]:
    program = check_program(program)
    du_an = parse_du_an(du_an, program)
    where, args = filter_sql(filters, year_from, year_to)
    text_col = "p.text" if with_text else "''"
    # du_an_rows carries its plan's columns under the same names, so the filters apply as is
    sql = (
        f"SELECT p.plan_id, p.doc, p.locality, p.province, p.level, p.year, p.years, p.row, {text_col}, "
        "q.number, q.issue_date, p.doc_type, q.issuer "
        f"FROM du_an_rows p LEFT JOIN plans q ON q.plan_id = p.plan_id WHERE p.program = ? AND p.du_an = ?{where} "
        "ORDER BY p.province, p.locality, p.year, p.plan_id"
    )
    with _no_gc():
        return _rows(store.db.execute(sql, [program, du_an, *args]), program, du_an)


@contextlib.contextmanager
def _no_gc():
    """A big comparison decodes hundreds of thousands of small objects, each counting toward
    the collector's thresholds, so collections walking the whole heap ran during the query
    (measured at 10k plans: p99 101 -> 90 ms; nothing here makes reference cycles)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _rows(cursor, program: str, du_an: str) -> list[CompareRow]:
    rows = []
    for pid, doc, loc, prov, level, year, years, row, text, number, issue_date, doc_type, issuer in cursor:
        r = json.loads(row)
        rows.append(CompareRow(
            plan_id=pid, doc=doc, locality=loc, province=prov, level=level, year=year,
            years=[int(y) for y in years.strip(",").split(",") if y] if years else [],
            program=program, du_an=du_an, name=r.get("name"), total_vnd=r.get("total_vnd"),
            amounts=r.get("amounts", []), lead=r.get("lead", []), coordinating=r.get("coordinating", []),
            targets=r.get("targets", []), text=text, number=number, issue_date=issue_date, doc_type=doc_type,
            issuer=issuer,
        ))
    return rows


def known_du_an(program: str, du_an: str) -> bool:
    """Whether the program has this Dự án at all (data/programs.json): DA99 does not exist,
    which is another answer than 'no plan in the archive has it yet'."""
    return du_an in programs.components(program)


def du_an_label(program: str, du_an: str) -> str:
    """'DA4.TDA2' -> 'Dự án 4, Tiểu dự án 2'; 'ND3' -> 'Nội dung 3'."""
    if du_an.startswith("ND"):
        return "Nội dung " + du_an[2:]
    head, _, sub = du_an.partition(".TDA")
    return "Dự án " + head[2:] + (f", Tiểu dự án {sub}" if sub else "")


def source_amount(row: CompareRow, source: str) -> Optional[int]:
    """The row's Dự án-level amount for a source: stated, else the sum of its capital split."""
    at = [a for a in row.amounts if a["scope"] == row.du_an and a["source"] == source]
    for a in at:
        if a["capital"] is None:
            return a["value_vnd"]
    return sum(a["value_vnd"] for a in at) if at else None


def capital_amount(row: CompareRow, capital: str) -> Optional[int]:
    """The row's Dự án-level amount of a capital kind (đầu tư, sự nghiệp), all sources together."""
    vals = [a["value_vnd"] for a in row.amounts if a["scope"] == row.du_an and a["capital"] == capital]
    return sum(vals) if vals else None


def row_identity(row: CompareRow) -> str:
    return identity_of(doc_type=row.doc_type, number=row.number, issue_date=row.issue_date, issuer=row.issuer,
                       locality=row.locality, level=row.level, province=row.province)


def main_target(row: CompareRow) -> str:
    """The Dự án's first quantified target, as the plan words it (the table's 'main target')."""
    return row.targets[0]["text"] if row.targets else ""


# ---- CSV: one format for the web page, the API and `kehoach compare --csv` ------------------

SOURCES = ("NSTW", "NSĐP", "khác")
CAPITALS = ("đầu tư", "sự nghiệp")
CSV_HEADER = ("Văn bản", "Số ký hiệu", "Ngày ban hành", "Tỉnh", "Địa phương", "Cấp", "Năm bắt đầu", "Năm kết thúc",
              "Chương trình", "Dự án", "Tên Dự án",
              "Tổng (triệu đồng)", "NSTW (triệu đồng)", "NSĐP (triệu đồng)", "Nguồn khác (triệu đồng)",
              "Vốn đầu tư (triệu đồng)", "Vốn sự nghiệp (triệu đồng)",
              "Cơ quan chủ trì", "Cơ quan phối hợp", "Chỉ tiêu chính", "Các chỉ tiêu", "Tệp", "Mã kế hoạch")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A text cell a spreadsheet will not run: '=HYPERLINK(...)' becomes "'=HYPERLINK(...)"."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def csv_rows(rows: list[CompareRow]) -> list[list[str]]:
    out = [list(CSV_HEADER)]
    for r in rows:
        years = r.years or ([r.year] if r.year else [])
        out.append([
            _cell(row_identity(r)), _cell(r.number), vn_date(r.issue_date) or "",
            _cell(r.province), _cell(r.locality), _cell(r.level),
            str(years[0]) if years else "", str(years[-1]) if years else "",
            _cell(programs.name(r.program) or r.program), du_an_label(r.program, r.du_an), _cell(r.name),
            plain_million(r.total_vnd), *[plain_million(source_amount(r, s)) for s in SOURCES],
            *[plain_million(capital_amount(r, c)) for c in CAPITALS],
            _cell("; ".join(r.lead)), _cell("; ".join(r.coordinating)), _cell(main_target(r)),
            _cell("; ".join(t["text"] for t in r.targets)), _cell(r.doc), r.plan_id,
        ])
    return out


def to_csv(rows: list[CompareRow]) -> str:
    """UTF-8 text with a BOM (Excel reads the diacritics), CRLF, the header row first."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(csv_rows(rows))
    return "\ufeff" + buf.getvalue()


def to_csv_bytes(rows: list[CompareRow]) -> bytes:
    return to_csv(rows).encode("utf-8")


def csv_filename(program: str, du_an: str) -> str:
    return f"so-sanh-{program}-{du_an}.csv"


# ---- the terminal table -------------------------------------------------------------------

def _fit(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def to_text(rows: list[CompareRow]) -> str:
    """A readable table: one line per plan, amounts in million đồng written the Vietnamese way."""
    head = (f"{'Địa phương':<22} {'Tỉnh':<14} {'Năm':<9} {'Tổng':>10} {'NSTW':>10} {'NSĐP':>9} {'Khác':>9} "
            f"{'Đầu tư':>9} {'Sự nghiệp':>9}  Chủ trì")
    lines = [head, "-" * len(head)]
    for r in rows:
        yrs = "-".join(map(str, [r.years[0], r.years[-1]] if len(r.years) > 1 else r.years)) or str(r.year or "")
        lines.append(
            f"{_fit(r.locality or '?', 22):<22} {_fit(r.province or '?', 14):<14} {yrs:<9} {vn_million(r.total_vnd):>10} "
            f"{vn_million(source_amount(r, 'NSTW')):>10} {vn_million(source_amount(r, 'NSĐP')):>9} "
            f"{vn_million(source_amount(r, 'khác')):>9} {vn_million(capital_amount(r, 'đầu tư')):>9} "
            f"{vn_million(capital_amount(r, 'sự nghiệp')):>9}  {_fit('; '.join(r.lead), 60)}"
        )
        lines.append(f"{'':<22} {row_identity(r)}")
    lines.append(f"{vn_number(len(rows), 0)} kế hoạch; số tiền: triệu đồng")
    return "\n".join(lines)
