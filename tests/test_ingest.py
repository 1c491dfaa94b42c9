"""Ingest at archive level: idempotence, replacement, failing files in a batch, not-a-plan, bad input."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from archive.service import Archive
from archive.store import plan_id_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
KEHOACH = str(Path(sys.executable).parent / "kehoach")

NEWS = (
    "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu\n\n"
    "Chiều qua, một trận mưa lớn kéo dài hơn hai giờ khiến nhiều tuyến phố ở trung tâm Hà Nội ngập sâu, "
    "giao thông ùn tắc kéo dài. Theo đài khí tượng, lượng mưa đo được tại trạm Láng vượt 120 mm. "
    "Người dân phải dắt xe qua những đoạn đường ngập tới nửa bánh xe. Cơ quan chức năng cho biết "
    "sẽ tiếp tục theo dõi diễn biến thời tiết trong những ngày tới và khuyến cáo người dân hạn chế ra đường.\n"
)


def _copy_samples(dest: Path, n: int | None = None) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for f in sorted(SAMPLES.glob("*.txt"))[:n]:
        out.append(Path(shutil.copy(f, dest / f.name)))
    return out


@pytest.fixture
def archive(tmp_path):
    a = Archive.open(tmp_path / "data")
    yield a
    a.close()


def test_ingest_twice_changes_nothing(tmp_path, archive):
    docs = _copy_samples(tmp_path / "in")
    first = archive.ingest([tmp_path / "in"], workers=2)
    assert first.counts()["ingested"] == 5 and first.ok
    assert {it.plan_id for it in first.items} == {plan_id_for(p.read_text(encoding="utf-8")) for p in docs}
    second = archive.ingest([tmp_path / "in"], workers=2)
    assert second.counts()["unchanged"] == 5 and second.counts()["ingested"] == 0
    assert archive.store.count() == archive.backend.count() == 5
    assert archive.similar_index.plan_ids() == archive.store.plan_ids()


def test_changed_file_replaces_its_old_version(tmp_path, archive):
    docs = _copy_samples(tmp_path / "in", 2)
    archive.ingest([tmp_path / "in"], workers=1)
    old_id = plan_id_for(docs[0].read_text(encoding="utf-8"))
    docs[0].write_text(docs[0].read_text(encoding="utf-8") + "\nNơi nhận: Sở Tài chính.\n", encoding="utf-8")
    rep = archive.ingest([docs[0]], workers=1)
    (item,) = rep.items
    assert item.status == "replaced" and item.replaced == old_id
    assert old_id not in archive.store.plan_ids() and old_id not in archive.backend.plan_ids()
    assert old_id not in archive.similar_index.plan_ids()
    assert archive.store.count() == archive.backend.count() == 2


def test_same_text_in_two_files_is_stored_once(tmp_path, archive):
    (src,) = _copy_samples(tmp_path / "in", 1)
    shutil.copy(src, tmp_path / "in" / "copy.txt")
    rep = archive.ingest([tmp_path / "in"], workers=1)
    assert sorted(it.status for it in rep.items) == ["ingested", "unchanged"]
    assert archive.store.count() == 1
    # changing one of the two files keeps the text the other still has (another plan's text:
    # a near-identical edit of a copy stays the same plan, tests/test_duplicates.py)
    other = sorted(SAMPLES.glob("*.txt"))[1]
    (tmp_path / "in" / "copy.txt").write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    archive.ingest([tmp_path / "in" / "copy.txt"], workers=1)
    assert plan_id_for(src.read_text(encoding="utf-8")) in archive.store.plan_ids()
    assert archive.store.count() == 2


@pytest.mark.slow  # a kehoach process of its own
def test_a_failing_file_is_named_and_the_batch_goes_on(tmp_path):
    _copy_samples(tmp_path / "in", 3)
    (tmp_path / "in" / "broken.docx").write_bytes(b"this is not a zip file at all")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    env = {**os.environ, "KEHOACH_DATA": str(tmp_path / "data")}
    p = subprocess.run([KEHOACH, "ingest", str(tmp_path / "in")], capture_output=True, text=True, env=env,
                       timeout=300)
    assert p.returncode != 0
    assert "broken.docx" in p.stderr and "empty.txt" in p.stderr
    assert "đã nạp 3" in p.stderr and "lỗi 2" in p.stderr
    with Archive.open(tmp_path / "data") as a:
        assert a.store.count() == a.backend.count() == 3


def test_text_that_is_no_administrative_document_is_refused_by_name(tmp_path, archive):
    # issue 11: a news item, "hello world" ... is no plan: refused, not stored (tests/test_duplicates.py)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "tin-tuc.txt").write_text(NEWS, encoding="utf-8")
    rep = archive.ingest([tmp_path / "in"], workers=1)
    (item,) = rep.items
    assert item.status == "failed" and "tin-tuc.txt" in item.error and "không phải văn bản kế hoạch" in item.error
    assert archive.count() == 0


def test_missing_path_and_unsupported_type_are_reported(tmp_path, archive):
    (tmp_path / "slides.pptx").write_bytes(b"PK")
    rep = archive.ingest([tmp_path / "nowhere", tmp_path / "slides.pptx"], workers=1)
    errors = [it.error for it in rep.failed]
    assert len(errors) == 2, errors
    assert any("nowhere" in e and "không có tệp hay thư mục này" in e for e in errors)
    assert any("slides.pptx" in e and "không nhận loại tệp .pptx" in e for e in errors)


# ---- bad input at archive level (issue 5): each named with its reason, the rest ingested ----

def _pdf_without_text() -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 300, 400, fill=1)  # a scan: drawing, no text layer
    c.showPage()
    c.save()
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=0)
    c = canvas.Canvas(buf, encrypt=enc)
    c.drawString(100, 700, "KẾ HOẠCH thực hiện Chương trình")
    c.showPage()
    c.save()
    return buf.getvalue()


def _zip_bomb_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))  # 300 MB of zeros, ~300 KB packed
    return buf.getvalue()


BAD_FILES = [
    ("empty.txt", lambda: b""),
    ("random.txt", lambda: os.urandom(4096)),
    ("scan.pdf", _pdf_without_text),
    ("locked.pdf", _encrypted_pdf),
    ("notzip.docx", lambda: b"PK\x03\x04 but not really a zip"),
    ("bomb.docx", _zip_bomb_docx),
]


@pytest.mark.slow
def test_bad_files_fail_by_name_and_nothing_stored_is_lost(tmp_path, archive):
    _copy_samples(tmp_path / "before", 1)
    archive.ingest([tmp_path / "before"], workers=1)
    kept = archive.store.plan_ids()
    folder = tmp_path / "bad"
    _copy_samples(folder, 2)  # the first is already stored (unchanged), the second is new
    for name, make in BAD_FILES:
        (folder / name).write_bytes(make())
    rep = archive.ingest([folder], workers=2)
    failed = {Path(it.path).name: it.error for it in rep.failed}
    for name, _ in BAD_FILES:
        assert name in failed, f"{name} was not refused"
        assert name in failed[name] and len(failed[name]) > len(name) + 5  # named, with a reason
    assert rep.counts()["ingested"] == 1 and rep.counts()["unchanged"] == 1
    assert kept <= archive.store.plan_ids()
    assert archive.store.count() == archive.backend.count() == 2


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "tcvn3"])
def test_legacy_encodings_are_ingested(tmp_path, archive, encoding):
    from corpus import encodings
    text = sorted(SAMPLES.glob("*.txt"))[1].read_text(encoding="utf-8")
    data = encodings.encode_tcvn3(text, errors="replace") if encoding == "tcvn3" else \
        encodings.encode_cp1258(text) if encoding == "cp1258" else text.encode("utf-16")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"plan-{encoding}.txt").write_bytes(data)
    rep = archive.ingest([tmp_path / "in"], workers=1)
    (item,) = rep.items
    assert item.status == "ingested", item.error
    plan = archive.get(item.plan_id).plan
    assert plan.is_plan and plan.meta.locality.name == "Sơn Hà"


@pytest.mark.slow
def test_a_50_mb_text_is_refused_by_name_or_ingested(tmp_path, archive):
    (tmp_path / "in").mkdir()
    big = tmp_path / "in" / "big.txt"
    line = "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn huyện.\n".encode("utf-8")
    big.write_bytes(line * (50 * 1024 * 1024 // len(line)))
    _copy_samples(tmp_path / "in", 1)
    rep = archive.ingest([tmp_path / "in"], workers=2)
    by_name = {Path(it.path).name: it for it in rep.items}
    assert by_name[sorted(SAMPLES.glob("*.txt"))[0].name].status == "ingested"
    big_item = by_name["big.txt"]
    assert big_item.status == "ingested" or ("big.txt" in big_item.error and "MB" in big_item.error)


def test_a_text_moved_to_another_file_in_the_same_batch_is_kept(tmp_path, archive):
    (a,) = _copy_samples(tmp_path / "in", 1)
    v1 = a.read_text(encoding="utf-8")
    archive.ingest([a], workers=1)
    a.write_text(v1 + "\nPhụ lục kèm theo.\n", encoding="utf-8")  # A changes...
    (tmp_path / "in" / "b.txt").write_text(v1, encoding="utf-8")  # ...and B now holds A's old text
    rep = archive.ingest([tmp_path / "in"], workers=1)
    assert sorted(it.status for it in rep.items) == ["replaced", "unchanged"]
    assert archive.store.plan_ids() == archive.backend.plan_ids() == {plan_id_for(v1), plan_id_for(a.read_text(encoding="utf-8"))}
