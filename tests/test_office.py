"""Word 97-2003 .doc (catdoc), .rtf (striprtf) and .odt (odfpy): text in order, tables as
' | ' rows, legacy fonts converted. The .odt and .rtf files are made here; .doc files cannot be
written by any library or Debian tool small enough for CI, so tests/data/office holds two made
once with LibreOffice 7.4 (`soffice --headless --convert-to doc`) from .docx files built with
python-docx (the second typed in .VnTime, TCVN3)."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from corpus.loaders import LoadError, load_bytes, load_text

DATA = Path(__file__).resolve().parent / "data" / "office"
needs_catdoc = pytest.mark.skipif(shutil.which("catdoc") is None, reason="Debian catdoc not installed")

OPENING = ["ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ", "Số: 219a/KH-UBND", "KẾ HOẠCH",
           "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022",
           "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;"]
TABLE = [["STT", "Nội dung", "Kinh phí (triệu đồng)"],
         ["1", "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng", "1.683"],
         ["2", "Dự án 4: Phát triển giáo dục nghề nghiệp", "3.230,38"]]
ROWS = [" | ".join(r) for r in TABLE]


@needs_catdoc
def test_word_2003_doc_keeps_paragraphs_tables_headers_and_footers():
    got = load_text(DATA / "ke_hoach_word2003.doc")
    lines = got.text.split("\n")
    assert got.format == "doc"
    assert lines[:5] == OPENING
    assert lines[5:8] == ROWS
    assert "Nơi nhận: UBND tỉnh Lai Châu." in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines   # the page header


@needs_catdoc
def test_word_2003_doc_typed_in_vntime_is_converted_with_every_u_horn():
    got = load_text(DATA / "ke_hoach_vntime_word2003.doc")
    assert got.encoding == "tcvn3"
    assert "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững" in got.text
    assert "Thủ tướng Chính phủ" in got.text


@needs_catdoc
def test_a_doc_that_is_no_word_file_is_refused_by_name():
    with pytest.raises(LoadError) as err:
        load_bytes("hong.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert err.value.reason == "unreadable" and "Word 97-2003" in err.value.message


def odt_bytes(paragraphs, table=None) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, Span
    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=paragraphs[0]))
    for text in paragraphs[1:]:
        p = P()
        head, _, tail = text.partition(" ")
        p.addElement(Span(text=head + " "))
        p.addText(tail)
        doc.text.addElement(p)
    if table:
        t = Table(name="Bang1")
        t.addElement(TableColumn(numbercolumnsrepeated=len(table[0])))
        for row in table:
            tr = TableRow()
            for cell in row:
                tc = TableCell()
                tc.addElement(P(text=cell))
                tr.addElement(tc)
            t.addElement(tr)
        doc.text.addElement(t)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_odt_paragraphs_headings_and_table_rows():
    got = load_bytes("kehoach.odt", odt_bytes(OPENING, TABLE))
    assert got.format == "odt"
    assert got.text.split("\n") == OPENING + ROWS


def test_odt_without_suffix_is_recognised_from_its_content():
    got = load_bytes("kehoach", odt_bytes(OPENING))
    assert got.format == "odt" and got.text.startswith("ỦY BAN NHÂN DÂN")


def rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        out.append(ch if ord(ch) < 128 and ch not in "\\{}" else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
    return "".join(out)


def rtf_bytes(paragraphs, table=None) -> bytes:
    body = [r"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0\froman Times New Roman;}}\f0\fs26 "]
    for p in paragraphs:
        body.append(rtf_escape(p) + r"\par" + "\n")
    for row in table or []:
        cells = "".join(rf"\cellx{2000 * (i + 1)}" for i in range(len(row)))
        body.append(r"\trowd" + cells + " " + "".join(rf"\pard\intbl {rtf_escape(c)}\cell " for c in row)
                    + r"\row" + "\n")
    body.append("}")
    return "".join(body).encode("ascii")


def test_rtf_with_unicode_escapes_and_a_table():
    got = load_bytes("kehoach.rtf", rtf_bytes(OPENING, TABLE))
    assert got.format == "rtf"
    lines = [ln for ln in got.text.split("\n") if ln.strip()]
    assert lines == OPENING + ROWS


def test_rtf_in_code_page_1258_bytes():
    # Old Vietnamese Word wrote "\\'xx" escapes of Windows-1258 bytes (tones as combining marks).
    from corpus import encodings
    text = "Căn cứ Quyết định số 90/QĐ-TTg"
    escaped = "".join(chr(b) if b < 128 else f"\\'{b:02x}" for b in encodings.encode_cp1258(text))
    got = load_bytes("cu.rtf", (r"{\rtf1\ansi\ansicpg1258\deff0 " + escaped + r"\par}").encode("ascii"))
    assert got.text.strip() == text


def test_rtf_that_is_not_rtf_is_refused():
    with pytest.raises(LoadError) as err:
        load_bytes("x.rtf", "Kế hoạch".encode())
    assert err.value.reason == "unreadable" and "RTF" in err.value.message
