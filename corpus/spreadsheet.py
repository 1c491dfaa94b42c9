"""Spreadsheets (.xlsx, .xls, .ods): budget Phụ lục tables as the text the extraction reads
from any table: each row one line of ' | '-separated cells, aligned on the sheet's columns;
a title or "Đơn vị tính: triệu đồng" row (one cell) a line of its own; the sheet's name
a line above its rows; figures written the Vietnamese way (1.683; 3.230,38).

python-calamine reads all three formats (one reader, Rust, reads the values Excel cached for
formulas); it runs in corpus.isolated's child, after the zip-bomb guard for the zip formats.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from corpus.loaded import LoadedText, LoadOptions, Refused, page_starts
from corpus.zipguard import open_zip

SHEET_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
MAX_ROWS = 100_000      # per workbook: a plan's Phụ lục has hundreds
MAX_COLUMNS = 200
# Sheet names that say nothing ("Sheet1", "Trang tính1", "Feuil1").
_DEFAULT_NAME = re.compile(r"^(?:sheet|trang tính|feuil|tabelle|hoja)\s*\d*$", re.I)
_UNIT_CELL = re.compile(r"^\s*(?:đơn vị(?:\s*tính)?|đvt)\b", re.I)


def load_sheet(data: bytes, opts: LoadOptions) -> LoadedText:
    """The zip guard here, the reading in the child process."""
    from corpus import isolated
    if data.startswith(b"PK\x03\x04"):
        open_zip(data, opts.max_bytes, "bảng tính")
    return isolated.run("sheet", data, opts)


def read_workbook(data: bytes, progress=None) -> LoadedText:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, TypeError, OSError) as e:
        raise Refused("unreadable", f"không đọc được bảng tính (Excel hoặc OpenDocument): "
                                    f"{type(e).__name__}: {e}") from None
    visible = {m.name for m in book.sheets_metadata if str(m.visible).lower().endswith("visible")
               and "hidden" not in str(m.visible).lower()}
    texts: list[str] = []
    warnings: list[str] = []
    rows_left = MAX_ROWS
    names = book.sheet_names
    for k, name in enumerate(names, 1):
        if visible and name not in visible:
            continue
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=rows_left)
        except (CalamineError, ValueError, TypeError) as e:   # a chart sheet, a damaged one
            warnings.append(f"không đọc được trang tính {name!r}: {type(e).__name__}")
            continue
        rows_left -= len(rows)
        lines = sheet_lines(rows)
        if lines:
            head = [] if _DEFAULT_NAME.match(name.strip()) else [" ".join(name.split())]
            texts.append("\n".join(head + lines))
        if progress:
            progress(k, len(names), False)
        if rows_left <= 0:
            warnings.append(f"bảng tính quá {MAX_ROWS} dòng: chỉ đọc {MAX_ROWS} dòng đầu")
            break
    if not any(texts):
        raise Refused("empty", "bảng tính không có ô nào có chữ hoặc số")
    return LoadedText("\n".join(t for t in texts if t), "sheet", None, warnings,
                      pages=len(texts), page_starts=page_starts(texts))


def sheet_lines(rows: list[list]) -> list[str]:
    """Rows of cell values -> lines; table rows aligned from the sheet's first used column."""
    cells = [[cell_text(v) for v in row[:MAX_COLUMNS]] for row in rows]
    used = [i for row in cells for i, c in enumerate(row) if c]
    if not used:
        return []
    first, width = min(used), max(used) + 1
    lines = []
    for row in cells:
        filled = [c for c in row if c]
        if not filled:
            continue
        if len(filled) == 1 or any(_UNIT_CELL.match(c) for c in filled):
            lines.append(" ".join(filled))    # a title, "Đơn vị tính: | triệu đồng"
            continue
        # Every row as wide as the sheet: a row with only its STT and label ("1 | Dự án 1:
        # ...") is still a row of the table, as in a Word table.
        lines.append(" | ".join(row[first:width] + [""] * (width - len(row))).rstrip())
    return lines


def cell_text(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return vietnamese_number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if not value.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.timedelta):
        return ""
    return " ".join(str(value).split())


def vietnamese_number(value: float) -> str:
    """1683 -> "1.683"; 3230.38 -> "3.230,38"; 0.5 -> "0,5" (as Vietnamese documents print)."""
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    rounded = round(float(value), 4)
    whole = int(abs(rounded))
    frac = f"{abs(rounded) - whole:.4f}"[2:].rstrip("0")
    if frac == "" and abs(rounded) - whole >= 0.99995:   # 2.99999 rounds up
        whole += 1
    text = f"{whole:,}".replace(",", ".") + ("," + frac if frac else "")
    return ("-" if rounded < 0 else "") + text
