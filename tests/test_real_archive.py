"""Issue 11, done when: an officer's folder — a scanned PDF of a seed, an old Word .doc, an
.xlsx Phụ lục, a saved portal page, the same plan as .txt and as .docx, and a "hello world"
file — ingests to every plan once, the scan's references and amounts found (and marked as
OCR'd, with its confidence), the spreadsheet's amounts in the comparison, the junk refused by
name; a second run changes nothing.

Files are built here from the seeds (corpus/samples) with the other tests' own builders: the
scan with test_ocr's renderer (image-only PDF, 200 dpi, one page turned and speckled), the Phụ
lục with test_spreadsheets' rows (seed 000's figures), the portal page with test_webpages'
menus, "Ý kiến bạn đọc" and "Thống kê truy cập". The .doc is a committed fixture
(tests/data/office/son_ha_001_word97.doc: seed 001 saved once as Word 97 by LibreOffice 7.4,
`soffice --headless --convert-to doc`, 8 s; nothing here writes .doc).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from archive.service import Archive
from archive.settings import Settings
from corpus import ocr
from extraction.textkeys import number_key

from test_ocr import degrade, image_pdf, render_pages
from test_spreadsheets import xlsx_bytes
from test_webpages import COMMENTS, FOOTER, GONE, MENU, SIDE

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
GOLD = ROOT.parent / "shared" / "gold"
DOC = ROOT / "tests" / "data" / "office" / "son_ha_001_word97.doc"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ocr.unavailable() is not None, reason="Tesseract + tesseract-ocr-vie not installed")]


def plain(text: str) -> list[str]:
    """A sample's lines without markdown marks (what a Word or web copy of it shows)."""
    return [re.sub(r"^#+\s*", "", line).replace("**", "") for line in text.split("\n")]


def docx_bytes(text: str) -> bytes:
    import io

    import docx
    d = docx.Document()
    for line in plain(text):
        d.add_paragraph(line.replace(" | ", "\t"))   # table rows as tab-separated lines
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def portal_page(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in plain(text) if line.strip())
    main = (f'<main><article><h1>Kế hoạch thực hiện Chương trình</h1><div class="ngay">Cập nhật: 05/07/2024</div>'
            f'<div class="noi-dung">{body}</div></article>{COMMENTS}</main>')
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cổng TTĐT</title></head><body>'
            f'{MENU}<div class="container"><aside>{SIDE}</aside>{main}</div>{FOOTER}</body></html>')


def scan_pdf(text: str) -> bytes:
    pages = render_pages("\n".join(plain(text)), dpi=200)
    pages[1] = degrade(pages[1], angle=0.8, seed=1)   # a page photocopied a little askew
    return image_pdf(pages, dpi=200)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("luu-tru")
    seed = {p.name[:3]: p.read_text(encoding="utf-8") for p in SAMPLES}
    (d / "scan-phong-tho-219a.pdf").write_bytes(scan_pdf(seed["000"]))
    (d / "son-ha-2024.doc").write_bytes(DOC.read_bytes())
    (d / "phu-luc-von-2023.xlsx").write_bytes(xlsx_bytes())
    (d / "cong-thong-tin.html").write_text(portal_page(seed["004"]), encoding="utf-8")
    (d / "ke-hoach-003.txt").write_text(seed["003"], encoding="utf-8")
    (d / "ke-hoach-003.docx").write_bytes(docx_bytes(seed["003"]))
    (d / "hello.txt").write_text("hello world\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def ingested(folder, tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    with Archive.open(data, backend="tantivy", settings=Settings(data_dir=data)) as archive:
        report = archive.ingest([folder], workers=2)
        yield archive, {Path(it.path).name: it for it in report.items}


def test_every_plan_once_and_the_junk_refused_by_name(ingested):
    archive, items = ingested
    junk = items.pop("hello.txt")
    assert junk.status == "failed" and "hello.txt" in junk.error and "không phải văn bản kế hoạch" in junk.error
    assert all(it.status != "failed" for it in items.values()), {n: it.error for n, it in items.items()}
    # six files, five plans: the .txt and the .docx of seed 003 are one plan with both files
    assert archive.count() == 5
    assert items["ke-hoach-003.txt"].plan_id == items["ke-hoach-003.docx"].plan_id
    assert len({it.plan_id for it in items.values()}) == 5
    stored = archive.get(items["ke-hoach-003.txt"].plan_id)
    assert sorted(Path(s).name for s in stored.sources) == ["ke-hoach-003.docx", "ke-hoach-003.txt"]


def test_the_scan_is_read_with_its_references_and_amounts(ingested):
    archive, items = ingested
    stored = archive.get(items["scan-phong-tho-219a.pdf"].plan_id)
    assert stored.ocr and stored.load["format"] == "pdf" and stored.ocr_confidence > 60
    assert stored.load["ocr_pages"] == list(range(1, stored.load["pages"] + 1))
    gold = json.loads((GOLD / "000_700f213ea182e0e3.json").read_text(encoding="utf-8"))
    got_refs = {number_key(r.number) for r in stored.plan.references}
    want_refs = {number_key(r["number"]) for r in gold["references"]}
    assert len(want_refs & got_refs) >= len(want_refs) - 1, (want_refs - got_refs)
    got = {(a.value_vnd, a.scope, a.source) for a in stored.plan.amounts}
    want = {(a["value_vnd"], a["scope"], a["source"]) for a in gold["amounts"]}
    assert len(want & got) >= 0.85 * len(want), sorted(want - got, key=str)
    meta = stored.plan.meta
    assert (meta.doc_type, meta.locality.name, meta.program_code) == ("Kế hoạch", "Phong Thổ", "gnbv")


def test_the_spreadsheet_amounts_are_in_the_comparison(ingested):
    archive, items = ingested
    pid = items["phu-luc-von-2023.xlsx"].plan_id
    rows = {r.du_an: r for r in archive.compare("DA5") if r.plan_id == pid}
    assert rows and rows["DA5"].total_vnd == 13_260_000_000
    rows = {r.du_an: r for r in archive.compare("DA2") if r.plan_id == pid}
    assert rows["DA2"].total_vnd == 10_881_000_000


def test_the_portal_page_keeps_the_plan_and_drops_the_portal(ingested):
    archive, items = ingested
    text = archive.get(items["cong-thong-tin.html"].plan_id).plan.text
    for gone in GONE:
        assert gone not in text, gone
    assert archive.get(items["son-ha-2024.doc"].plan_id).load["format"] == "doc"


def test_a_second_run_changes_nothing(ingested, folder):
    archive, _ = ingested
    again = archive.ingest([folder], workers=2)
    statuses = {Path(it.path).name: it.status for it in again.items}
    assert statuses.pop("hello.txt") == "failed"
    assert set(statuses.values()) == {"unchanged"} and archive.count() == 5
