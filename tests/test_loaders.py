"""Loaders on real files made in the test: txt/md in every encoding, docx, pdf, html."""
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from corpus import encodings as enc
from corpus.loaders import (SUPPORTED_SUFFIXES, LoadedText, LoadError, load_bytes,
                            load_text)

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "corpus" / "samples").glob("*.txt"))

# Real sentences of the sample plans.
TITLE = "KẾ HOẠCH"
SUBTITLE = "Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023"
BASIS = ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ về Quyết định "
         "phê duyệt Chương trình mục tiêu Quốc gia giảm nghèo bền vững, giai đoạn 2021-2025;")
ISSUER = ("Ủy ban nhân dân huyện Phong Thổ ban hành Kế hoạch thực hiện Chương trình mục tiêu "
          "quốc gia giảm nghèo bền vững năm 2023, với các nội dung sau:")
TARGET = "b) Đối tượng: Gồm 02 huyện nghèo Tuy Đức và Đắk Glong."
SUBPROJECT = "1.1. Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo"
PLAN = "\n".join([TITLE, SUBTITLE, "", BASIS, ISSUER, "", SUBPROJECT, TARGET]) + "\n"

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fonts/truetype")


def vietnamese_ttf() -> Path | None:
    for d in FONT_DIRS:
        for name in ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf"):
            hits = sorted(Path(d).rglob(name)) if Path(d).is_dir() else []
            if hits:
                return hits[0]
    return None


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- txt / md

@pytest.mark.parametrize("codec, encoding", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16-le"),        # Python writes a little-endian BOM
    ("utf-16-be+bom", "utf-16-be"),
    ("cp1258", "cp1258"),
    ("tcvn3", "tcvn3"),
    ("vni", "vni"),
])
def test_txt_in_every_encoding(tmp_path, codec, encoding):
    if codec == "utf-16-be+bom":
        data = b"\xfe\xff" + PLAN.encode("utf-16-be")
    elif codec == "cp1258":
        data = enc.encode_cp1258(PLAN)
        assert b"\xec" in data  # a decomposed tone mark (ế = ê + U+0301) really is in the file
    elif codec == "tcvn3":
        data = enc.encode_tcvn3(PLAN)
    elif codec == "vni":
        data = enc.encode_vni(PLAN)
    else:
        data = PLAN.encode(codec)
    got = load_text(write(tmp_path, "kehoach.txt", data))
    assert isinstance(got, LoadedText)
    assert (got.format, got.encoding) == ("txt", encoding)
    if codec == "tcvn3":
        # TCVN3 has no "Ủ": the H-font convention writes the lowercase code.
        assert got.text == PLAN.replace("Ủy", "ủy")
        assert any("TCVN3" in w for w in got.warnings)
    else:
        assert got.text == PLAN


def test_cp1258_text_is_nfc(tmp_path):
    got = load_text(write(tmp_path, "kh.txt", enc.encode_cp1258(BASIS)))
    assert got.text == BASIS
    assert unicodedata.is_normalized("NFC", got.text)
    assert "\u0301" not in got.text


def test_tcvn3_file_round_trip(tmp_path):
    # Encode real Vietnamese with the table, write it as an old .VnTime-era file, load it.
    sentences = [SUBTITLE, BASIS, TARGET, SUBPROJECT]
    data = enc.encode_tcvn3("\r\n".join(sentences))
    assert b"Ch\xad\xacng tr\xd7nh" in data          # "Chương trình" in TCVN3 bytes
    got = load_text(write(tmp_path, "cu.txt", data))
    assert got.encoding == "tcvn3"
    assert got.text.split("\n") == sentences


def test_md_is_text(tmp_path):
    md = "## KẾ HOẠCH\n### Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023\n\n" + BASIS
    got = load_text(write(tmp_path, "kehoach.md", md.encode("utf-8")))
    assert (got.format, got.text) == ("md", md)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_plans_load(path):
    got = load_text(path)
    assert got.text == path.read_text("utf-8").replace("\r\n", "\n")
    assert (got.format, got.encoding, got.warnings) == ("txt", "utf-8", [])


def test_crlf_becomes_lf(tmp_path):
    got = load_text(write(tmp_path, "kh.txt", "\r\n".join([TITLE, SUBTITLE]).encode("utf-8")))
    assert got.text == f"{TITLE}\n{SUBTITLE}"


# ---------------------------------------------------------------- docx

def make_docx(build) -> bytes:
    import docx
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    rows = [["STT", "Nội dung", "Tổng", "NSTW", "NSĐP"],
            ["1", "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội", "1.683", "1.530", "153"],
            ["2", "Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững", "", "", ""]]

    def build(d):
        d.add_paragraph(TITLE)
        d.add_paragraph(SUBTITLE)
        d.add_paragraph("Biểu 1. Kinh phí thực hiện (triệu đồng)")
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
        d.add_paragraph(TARGET)

    got = load_text(write(tmp_path, "kehoach.docx", make_docx(build)))
    assert got.format == "docx"
    assert got.text.split("\n") == [
        TITLE, SUBTITLE, "Biểu 1. Kinh phí thực hiện (triệu đồng)",
        "STT | Nội dung | Tổng | NSTW | NSĐP",
        "1 | Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội | 1.683 | 1.530 | 153",
        "2 | Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững |  |  | ",
        TARGET]


def test_docx_merged_cells_and_multi_paragraph_cells(tmp_path):
    def build(d):
        t = d.add_table(rows=2, cols=3)
        a = t.cell(0, 0).merge(t.cell(0, 1))
        a.text = "Nguồn vốn"
        t.cell(0, 2).text = "Tổng"
        t.cell(1, 0).text = "Ngân sách trung ương"
        t.cell(1, 1).paragraphs[0].text = "Vốn đầu tư"
        t.cell(1, 1).add_paragraph("Vốn sự nghiệp")
        t.cell(1, 2).text = "3.230,38 tỷ đồng"

    got = load_bytes("biểu.docx", make_docx(build))
    assert got.text.split("\n") == ["Nguồn vốn | Tổng",
                                    "Ngân sách trung ương | Vốn đầu tư Vốn sự nghiệp | 3.230,38 tỷ đồng"]


def test_docx_automatic_numbering_is_rendered(tmp_path):
    def build(d):
        d.add_paragraph("Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng", style="List Number")
        d.add_paragraph("Dự án 2: Đa dạng hóa sinh kế", style="List Number")
        d.add_paragraph("Tổ chức các hoạt động đa dạng hóa sinh kế", style="List Bullet")

    got = load_bytes("kh.docx", make_docx(build))
    assert got.text.split("\n") == ["1. Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng",
                                    "2. Dự án 2: Đa dạng hóa sinh kế",
                                    "- Tổ chức các hoạt động đa dạng hóa sinh kế"]


def test_docx_runs_in_legacy_fonts_are_converted(tmp_path):
    def build(d):
        d.add_paragraph(BASIS)                               # Unicode, Times New Roman
        r = d.add_paragraph().add_run("kÕ ho¹ch")            # heading in the caps font
        r.font.name = ".VnTimeH"
        r = d.add_paragraph().add_run(enc.unicode_to_tcvn3(SUBTITLE))
        r.font.name = ".VnTime"
        r = d.add_paragraph().add_run(enc.unicode_to_vni(TARGET))
        r.font.name = "VNI-Times"

    got = load_text(write(tmp_path, "cu.docx", make_docx(build)))
    assert got.text.split("\n") == [BASIS, TITLE, SUBTITLE, TARGET]
    assert got.encoding == "tcvn3"
    assert any("TCVN3" in w for w in got.warnings) and any("VNI" in w for w in got.warnings)


def test_docx_caps_formatting_shows_as_capitals(tmp_path):
    def build(d):
        r = d.add_paragraph().add_run("Kế hoạch")
        r.font.all_caps = True
        d.add_paragraph(SUBTITLE)

    assert load_bytes("kh.docx", make_docx(build)).text == f"{TITLE}\n{SUBTITLE}"


# ---------------------------------------------------------------- pdf

def make_pdf(lines_per_page: list[list[str]], font: Path | None = None, shapes: bool = False,
             scan: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name = "Helvetica"
    if font:
        name = "VietFont"
        pdfmetrics.registerFont(TTFont(name, str(font)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for lines in lines_per_page:
        if shapes:  # drawing only, no text
            c.rect(50, 500, 300, 200, fill=1)
            c.circle(300, 300, 80)
            c.line(50, 100, 500, 120)
        if scan and not lines:  # a scanned page: one image, no text
            from PIL import Image, ImageDraw
            from reportlab.lib.utils import ImageReader
            img = Image.new("L", (400, 560), 255)
            ImageDraw.Draw(img).rectangle((40, 40, 360, 80), fill=0)
            c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.setFont(name, 11)
        y = 800
        for line in lines:
            c.drawString(40, y, line)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_with_vietnamese_text(tmp_path):
    font = vietnamese_ttf()
    if font is None:
        pytest.skip("no TTF font with Vietnamese (apt-get install fonts-dejavu-core)")
    pages = [[TITLE, SUBTITLE, "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022"],
             [SUBPROJECT[:80], TARGET]]
    got = load_text(write(tmp_path, "kehoach.pdf", make_pdf(pages, font)))
    assert got.format == "pdf"
    assert got.text.split("\n") == pages[0] + pages[1]
    assert got.warnings == []


def test_pdf_with_ascii_text_needs_no_font(tmp_path):
    pages = [["Ke hoach so 219a/KH-UBND ngay 01/7/2022", "Kinh phi: 1.683 trieu dong"]]
    got = load_text(write(tmp_path, "kh.pdf", make_pdf(pages)))
    assert got.text.split("\n") == pages[0]


def test_pdf_without_text_layer_is_refused_without_ocr(tmp_path):
    path = write(tmp_path, "scan.pdf", make_pdf([[], []], shapes=True))
    with pytest.raises(LoadError) as err:
        load_text(path, ocr=False)
    assert err.value.reason == "no-text-layer"
    assert str(err.value) == f"{path}: không có lớp chữ: cần nhận dạng chữ (OCR)"


needs_tesseract = pytest.mark.skipif(__import__("corpus.ocr").ocr.unavailable() is not None,
                                     reason="Tesseract + tesseract-ocr-vie not installed")


@needs_tesseract
def test_pdf_of_drawings_without_any_text_is_refused_after_ocr(tmp_path):
    path = write(tmp_path, "scan.pdf", make_pdf([[], []], shapes=True))
    with pytest.raises(LoadError) as err:
        load_text(path)
    assert err.value.reason == "no-text-layer"
    assert "OCR không nhận ra chữ nào" in err.value.message


def test_pdf_with_some_scanned_pages_warns_without_ocr(tmp_path):
    pages = [["Ke hoach so 219a/KH-UBND ngay 01/7/2022 cua UBND huyen"], [],
             ["Kinh phi thuc hien: 3.230,38 ty dong"], ["Trang 4"]]
    got = load_text(write(tmp_path, "mixed.pdf", make_pdf(pages, scan=True)), ocr=False)
    assert "Kinh phi thuc hien: 3.230,38 ty dong" in got.text
    # page 2 is a scan; page 4 is short but is not an image
    assert got.warnings == ["1/4 trang là ảnh không có lớp chữ (cần OCR): 2"]


@needs_tesseract
def test_pdf_with_some_scanned_pages_ocrs_only_those(tmp_path):
    pages = [["Ke hoach so 219a/KH-UBND ngay 01/7/2022 cua UBND huyen"], [],
             ["Kinh phi thuc hien: 3.230,38 ty dong"], ["Trang 4"]]
    got = load_text(write(tmp_path, "mixed.pdf", make_pdf(pages, scan=True)))
    assert got.ocr and got.ocr_pages == [] and got.pages == 4   # the scan is blank: no text
    assert "Kinh phi thuc hien: 3.230,38 ty dong" in got.text


def test_scanned_pdf_is_refused_without_ocr(tmp_path):
    with pytest.raises(LoadError) as err:
        load_bytes("scan.pdf", make_pdf([[], []], scan=True), ocr=False)
    assert (err.value.reason, err.value.message) == ("no-text-layer", "không có lớp chữ: cần nhận dạng chữ (OCR)")


def encrypt(pdf: bytes, user: str, owner: str | None = None, algorithm: str = "RC4-128") -> bytes:
    import pypdf
    w = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
    w.encrypt(user, owner_password=owner, algorithm=algorithm)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdf_with_password_is_refused(tmp_path, algorithm):
    pdf = encrypt(make_pdf([["Ke hoach so 343 /KH-UBND"]]), "matkhau", algorithm=algorithm)
    path = write(tmp_path, "mat.pdf", pdf)
    with pytest.raises(LoadError) as err:
        load_text(path)
    assert err.value.reason == "encrypted"
    assert str(err.value) == f"{path}: PDF có mật khẩu: cần mật khẩu để mở"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_encrypted_pdf_with_empty_password_opens(tmp_path, algorithm):
    # Common for official PDFs: only an owner password restricting printing/copying.
    pdf = encrypt(make_pdf([["Ke hoach so 343 /KH-UBND ngay 05/7/2022"]]), "", owner="chu", algorithm=algorithm)
    got = load_text(write(tmp_path, "hanche.pdf", pdf))
    assert got.text == "Ke hoach so 343 /KH-UBND ngay 05/7/2022"
    assert any("mật khẩu rỗng" in w for w in got.warnings)


# ---------------------------------------------------------------- html

HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Cổng thông tin</title>
<style>p {{ color: red }}</style><script>var x = "không lấy";</script></head>
<body>
<nav><a href="/">Trang chủ</a></nav>
<h1>{TITLE}</h1>
<h2>{SUBTITLE}</h2>
<p>{BASIS}</p>
<div><p>Ủy ban nhân dân huyện <b>Phong Thổ</b> ban hành Kế hoạch thực hiện Chương trình mục tiêu
quốc gia giảm nghèo bền vững năm 2023, với các nội dung sau:</p></div>
<ul><li>Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng</li><li>Dự án 2: Đa dạng hóa sinh kế</li></ul>
<table><tr><th>STT</th><th>Nội dung</th><th>Kinh phí</th></tr>
<tr><td>1</td><td>Tiểu dự án 1<br>Hỗ trợ đầu tư</td><td>1.683 triệu&nbsp;đồng</td></tr></table>
<p>Dòng 1<br/>Dòng 2</p>
<noscript>Bật JavaScript</noscript><!-- ghi chú -->
</body></html>"""


def test_html_keeps_blocks_as_lines_and_drops_scripts(tmp_path):
    got = load_text(write(tmp_path, "tin.html", HTML.encode("utf-8")))
    assert got.format == "html"
    assert got.text.split("\n") == [
        "Trang chủ", TITLE, SUBTITLE, BASIS, ISSUER,
        "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng", "Dự án 2: Đa dạng hóa sinh kế",
        "STT | Nội dung | Kinh phí", "1 | Tiểu dự án 1 Hỗ trợ đầu tư | 1.683 triệu đồng",
        "Dòng 1", "Dòng 2"]
    for gone in ("không lấy", "color", "ghi chú", "Bật JavaScript", "Cổng thông tin"):
        assert gone not in got.text


def test_htm_in_windows_1258_declared(tmp_path):
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head><body><p>{BASIS}</p></body></html>'
    got = load_text(write(tmp_path, "cu.htm", enc.encode_cp1258(page)))
    assert got.text == BASIS
    assert got.encoding == "cp1258"


def test_html_in_tcvn3_undeclared(tmp_path):
    page = f"<html><body><p>{SUBTITLE}</p><p>{TARGET}</p></body></html>"
    got = load_text(write(tmp_path, "cu.html", enc.encode_tcvn3(page)))
    assert got.text.split("\n") == [SUBTITLE, TARGET]
    assert got.encoding == "tcvn3"


# ---------------------------------------------------------------- uploads and sniffing

def test_upload_without_suffix_is_sniffed():
    pdf = make_pdf([["Ke hoach so 219a/KH-UBND"]])
    got = load_bytes("upload", pdf)
    assert (got.format, got.text) == ("pdf", "Ke hoach so 219a/KH-UBND")
    docx_bytes = make_docx(lambda d: d.add_paragraph(SUBTITLE))
    assert load_bytes("tep-tai-len", docx_bytes).format == "docx"
    assert load_bytes("kehoach", PLAN.encode("utf-8")).format == "txt"
    assert load_bytes("trang", HTML.encode("utf-8")).format == "html"


def test_pdf_named_txt_is_read_as_pdf():
    got = load_bytes("kehoach.txt", make_pdf([["Ke hoach so 219a/KH-UBND"]]))
    assert got.format == "pdf"
    assert got.warnings and "pdf" in got.warnings[0]


def test_supported_suffixes():
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".docx", ".pdf", ".html", ".htm",
                                       ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".doc", ".rtf",
                                       ".odt", ".xlsx", ".xlsm", ".xls", ".ods"}


def test_suffix_case_is_ignored(tmp_path):
    assert load_text(write(tmp_path, "KEHOACH.TXT", PLAN.encode("utf-8"))).text == PLAN


def test_docx_letterhead_and_signature_tables_become_lines():
    def build(d):
        t = d.add_table(rows=1, cols=2)
        left, right = t.cell(0, 0), t.cell(0, 1)
        left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
        left.add_paragraph("HUYỆN PHONG THỔ")
        left.add_paragraph("Số: 343 /KH-UBND")
        right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
        right.add_paragraph("Phong Thổ, ngày 05 tháng 7 năm 2022")
        d.add_paragraph(TITLE)
        d.add_paragraph(SUBTITLE)

    got = load_bytes("kh.docx", make_docx(build))
    assert got.text.split("\n") == [
        "ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ", "Số: 343 /KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Phong Thổ, ngày 05 tháng 7 năm 2022", TITLE, SUBTITLE]


def test_html_saved_from_word_with_vntime_fonts():
    tcvn_title = enc.unicode_to_tcvn3(SUBTITLE)
    vni_target = enc.unicode_to_vni(TARGET)
    page = (f"<html><body><p class=MsoNormal><span style='font-size:14pt;font-family:\".VnTime\"'>"
            f"{tcvn_title}</span></p>"
            f"<p><font face=\"VNI-Times\">{vni_target}</font></p>"
            f"<p style='font-family:\"Times New Roman\"'>{BASIS}</p></body></html>")
    got = load_bytes("word.htm", page.encode("utf-8"))
    assert got.text.split("\n") == [SUBTITLE, TARGET, BASIS]


def test_docx_multilevel_numbering_as_word_shows_it():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    levels = [("upperRoman", "%1.", False), ("decimal", "%2.", False), ("lowerLetter", "%3)", False),
              ("decimal", "%2.%4.", True)]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'{"<w:isLgl/>" if legal else ""}<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, legal) in enumerate(levels))
    paragraphs = [(0, "MỤC ĐÍCH, YÊU CẦU"), (1, "Mục đích"), (1, "Yêu cầu"),
                  (0, "NHIỆM VỤ VÀ GIẢI PHÁP"), (1, "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng"),
                  (2, "Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo"),
                  (2, "Tiểu dự án 2: Hỗ trợ đầu tư phát triển hạ tầng các xã đặc biệt khó khăn"),
                  (3, "Nội dung hỗ trợ"), (1, "Dự án 2: Đa dạng hóa sinh kế")]

    def build(d):
        numbering = d.part.numbering_part.element
        numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvl_xml}</w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        for ilvl, text in paragraphs:
            p = d.add_paragraph(text)
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))

    got = load_bytes("kh.docx", make_docx(build))
    assert got.text.split("\n") == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng",
        "a) Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo",
        "b) Tiểu dự án 2: Hỗ trợ đầu tư phát triển hạ tầng các xã đặc biệt khó khăn",
        "1.1. Nội dung hỗ trợ", "2. Dự án 2: Đa dạng hóa sinh kế"]


@pytest.mark.parametrize("text, unreadable", [
    ("Kế hoạch số 219a/KH-UBND ngày 01/7/2022", False),
    ("\ue000\ue001\ue002 \ue003\ue004 Kế", True),          # glyph codes without a Unicode map
    ("\ufffd\ufffd\ufffd\ufffd ab", True),
])
def test_unreadable_text_layer_share(text, unreadable):
    from corpus.pdf import MAX_GARBLED_SHARE, garbled_share as _garbled_share
    assert (_garbled_share(text) > MAX_GARBLED_SHARE) is unreadable


def test_docx_text_boxes_are_read_once():
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    box = (f'<w:txbxContent xmlns:w="{w}"><w:p><w:r><w:t>Số: 343 /KH-UBND</w:t></w:r></w:p>'
           f'<w:p><w:r><w:t>Phong Thổ, ngày 05 tháng 7 năm 2022</w:t></w:r></w:p></w:txbxContent>')
    run = (f'<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           f'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
           f'<mc:Choice Requires="wps"><w:drawing><w:anchor>{box}</w:anchor></w:drawing></mc:Choice>'
           f'<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
           f'</mc:AlternateContent></w:r>')

    def build(d):
        p = d.add_paragraph("ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ")
        p._p.append(parse_xml(run))
        d.add_paragraph(TITLE)

    got = load_bytes("kh.docx", make_docx(build))
    assert got.text.split("\n") == ["ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ", "Số: 343 /KH-UBND",
                                    "Phong Thổ, ngày 05 tháng 7 năm 2022", TITLE]


def test_pdf_page_starts_skip_empty_pages(tmp_path):
    from corpus.loaders import page_of
    pages = [["Ke hoach so 219a/KH-UBND ngay 01/7/2022"], [], ["Kinh phi thuc hien: 3.230,38 ty dong"]]
    got = load_text(write(tmp_path, "kh.pdf", make_pdf(pages)), ocr=False)
    assert got.pages == 3 and got.page_starts == [0, 40, 40]
    assert page_of(got, got.text.index("Kinh phi")) == 3


def test_docx_headers_and_footers_are_read_once_without_page_numbers(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022")
    section = d.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ"
    section.header.paragraphs[0].text = "ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ"   # the same, once
    section.footer.paragraphs[0].text = "Trang 2"
    section.first_page_footer.paragraphs[0].text = "Kế hoạch số 219a/KH-UBND ngày 01/7/2022"
    buf = io.BytesIO()
    d.save(buf)
    got = load_bytes("kh.docx", buf.getvalue())
    assert got.text.split("\n") == ["ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ", "KẾ HOẠCH",
                                    "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022",
                                    "Kế hoạch số 219a/KH-UBND ngày 01/7/2022"]
