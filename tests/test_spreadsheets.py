"""Spreadsheets (.xlsx, .xls, .ods): a budget Phụ lục built here from seed 000's own figures
reads to ' | ' rows that the extraction turns into the same amounts (scope from the row label,
source and capital from the header cells, unit from "Đơn vị tính")."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.loaders import LoadError, load_bytes
from corpus.spreadsheet import sheet_lines, vietnamese_number

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "000_700f213ea182e0e3.json"

TITLE = ["ỦY BAN NHÂN DÂN HUYỆN", None, None, None, None, None, "Phụ lục"]
HEAD = [["KẾ HOẠCH VỐN THỰC HIỆN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG NĂM 2023"],
        ["Đơn vị tính: triệu đồng"],
        ["STT", "Nội dung", "Tổng số", "Ngân sách Trung ương", None, None, "Ngân sách địa phương",
         "Nguồn huy động khác"],
        [None, None, None, "Tổng", "Vốn đầu tư", "Vốn sự nghiệp", None, None]]
# Seed 000's figures (triệu đồng), as its text gives them.
BODY = [
    [None, "Tổng cộng", 162756, 161044, None, None, 512, 1200],
    ["1", "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã ĐBKK"],
    ["1.1", "Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng", None, 50050, 45500, 4550],
    ["1.2", "Tiểu dự án 2: Triển khai Đề án hỗ trợ một số huyện nghèo thoát khỏi tình trạng nghèo",
     None, 77770, 70700, 7070],
    ["2", "Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo", 10881, None, None, 10515, 366],
    ["3", "Dự án 3: Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng"],
    ["3.1", "Tiểu dự án 1: Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp", 4825, None, None,
     4679, 146],
    ["3.2", "Tiểu dự án 2: Cải thiện dinh dưỡng", None, None, None, 1128],
    ["4", "Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững"],
    ["4.1", "Tiểu dự án 1: Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn", None, None, None, 1748],
    ["4.2", "Tiểu dự án 2: Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng", None, None,
     None, 957],
    ["4.3", "Tiểu dự án 3: Hỗ trợ việc làm bền vững", None, None, None, 634],
    ["5", "Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", 13260, None, None, 12060, None, 1200],
    ["6", "Dự án 6: Truyền thông và giảm nghèo về thông tin", None, None, None, 325],
    ["7", "Dự án 7: Nâng cao năng lực và giám sát, đánh giá Chương trình"],
    ["7.1", "Tiểu dự án 1: Nâng cao năng lực thực hiện Chương trình", None, None, None, 852],
    ["7.2", "Tiểu dự án 2: Giám sát, đánh giá", None, None, None, 326],
]
ROWS = [TITLE] + HEAD + BODY


def xlsx_bytes(rows=ROWS, title="Phụ lục 01") -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    ws.merge_cells("D4:F4")   # "Ngân sách Trung ương" over its three columns
    extra = wb.create_sheet("Sheet2")   # an empty default sheet adds nothing
    extra.append([])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_bytes(rows=ROWS) -> bytes:
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Phu luc 01")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods_bytes(rows=ROWS) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Phụ lục 01")
    for row in rows:
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
            elif isinstance(value, (int, float)):
                tc = TableCell(valuetype="float", value=value)
                tc.addElement(P(text=str(value)))
                tr.addElement(tc)
            else:
                tc = TableCell(valuetype="string")
                tc.addElement(P(text=value))
                tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_budget_sheet_reads_to_rows_the_extraction_knows():
    got = load_bytes("phu_luc.xlsx", xlsx_bytes())
    lines = got.text.split("\n")
    assert got.format == "xlsx" and got.pages == 1
    assert lines[:4] == ["Phụ lục 01", "ỦY BAN NHÂN DÂN HUYỆN |  |  |  |  |  | Phụ lục |",
                         "KẾ HOẠCH VỐN THỰC HIỆN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG NĂM 2023",
                         "Đơn vị tính: triệu đồng"]
    assert lines[4] == ("STT | Nội dung | Tổng số | Ngân sách Trung ương |  |  | Ngân sách địa phương"
                        " | Nguồn huy động khác")
    assert " |  |  | Tổng | Vốn đầu tư | Vốn sự nghiệp" in lines[5]
    assert "  | Tổng cộng | 162.756 | 161.044 |  |  | 512 | 1.200".strip() in lines[6]
    assert "1.1 | Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng |  | 50.050 | 45.500 | 4.550 |  |" in lines
    # a row with only its number and label is as wide as the table
    assert "6 | Dự án 6: Truyền thông và giảm nghèo về thông tin |  |  |  | 325 |  |" in lines


@pytest.mark.parametrize("name, make", [("phu_luc.xlsx", xlsx_bytes), ("phu_luc.xls", xls_bytes),
                                        ("phu_luc.ods", ods_bytes)])
def test_each_format_gives_the_same_rows(name, make):
    got = load_bytes(name, make())
    assert got.format == name.rsplit(".", 1)[1]
    assert "5 | Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo | 13.260 |  |  | 12.060 |  | 1.200" in got.text


def test_figures_are_written_the_vietnamese_way():
    assert [vietnamese_number(v) for v in (1683, 3230.38, 0.5, -12000, 2.99999, 162756.0)] == \
        ["1.683", "3.230,38", "0,5", "-12.000", "3", "162.756"]
    assert sheet_lines([["", "Đơn vị tính:", "triệu đồng"], ["", "a", 1, None, 2]]) == \
        ["Đơn vị tính: triệu đồng", "a | 1 |  | 2"]
    assert sheet_lines([["", "1", "Dự án 1"], ["", "", "a", 1, None, 2]]) == ["1 | Dự án 1 |  |  |", " | a | 1 |  | 2"]


def test_a_broken_workbook_is_refused_by_name():
    with pytest.raises(LoadError) as err:
        load_bytes("hong.xlsx", b"PK\x03\x04 not really")
    assert err.value.reason == "not-a-zip"
    with pytest.raises(LoadError) as err:
        load_bytes("hong.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    assert err.value.reason == "unreadable" and "bảng tính" in err.value.message


def _amounts(path: Path) -> set:
    kehoach = ROOT / ".venv" / "bin" / "kehoach"
    cmd = [str(kehoach)] if kehoach.exists() else [sys.executable, "-m", "kehoach.cli"]
    out = subprocess.run(cmd + ["extract", "--format", "json", str(path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=300, check=True).stdout
    return {(a["value_vnd"], a["scope"], a["source"], a["capital"]) for a in json.loads(out)["amounts"]}


@pytest.mark.slow
@pytest.mark.parametrize("name, make", [("phu_luc.xlsx", xlsx_bytes), ("phu_luc.xls", xls_bytes)])
def test_the_sheet_yields_seed_000s_amounts(tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(make())
    gold = {(a["value_vnd"], a["scope"], a["source"], a["capital"])
            for a in json.loads(GOLD.read_text(encoding="utf-8"))["amounts"]}
    got = _amounts(path)
    assert gold - got == set(), f"missed: {sorted(gold - got, key=str)}"
    assert got - gold == set(), f"spurious: {sorted(got - gold, key=str)}"
