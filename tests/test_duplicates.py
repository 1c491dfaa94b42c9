"""Duplicates: fingerprints (archive/duplicates.py, folding by extraction.textkeys.fold) make
the same plan in two formats, re-saved or OCR'd, one plan with several source files; other
plans stay apart; re-ingesting is idempotent."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from archive.duplicates import (BANDS, MIN_WORDS, PERMUTATIONS, SHINGLE_WORDS, fingerprint, fold_words, is_near_duplicate,
                                 similarity)
from archive.service import Archive
from archive.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))


def as_docx_text(text: str) -> str:
    """What a .docx of the same plan reads to: tabs for table bars, no markdown, old tone placement."""
    return (text.replace("## ", "").replace("**", "").replace(" | ", "\t").replace("\n\n", "\n")
            .replace("Ủy", "Uỷ"))


def ocr_like(text: str, seed: int = 3) -> str:
    """OCR-like damage: one word in 60 loses a letter, a page header and footer added."""
    rng = random.Random(seed)
    noisy = " ".join(w[:-1] if len(w) > 3 and rng.random() < 1 / 60 else w for w in text.split(" "))
    return "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + noisy + "\nTrang 1"


# ---------------------------------------------------------------- fingerprints

def test_the_same_plan_in_another_format_has_the_same_exact_key():
    text = SAMPLES[0].read_text(encoding="utf-8")
    other = as_docx_text(text)
    assert fingerprint(text).exact == fingerprint(other).exact
    assert similarity(fingerprint(text), fingerprint(other)) == 1.0


def test_a_resaved_or_ocrd_copy_is_a_near_duplicate_and_other_plans_are_not():
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    a, b = fingerprint(texts[2]), fingerprint(ocr_like(texts[2]))
    assert a.exact != b.exact and is_near_duplicate(a, b), similarity(a, b)
    assert set(a.bands) & set(b.bands)
    fps = [fingerprint(t) for t in texts]
    for i in range(len(fps)):
        for j in range(i + 1, len(fps)):
            assert not is_near_duplicate(fps[i], fps[j]), (i, j, similarity(fps[i], fps[j]))


def test_two_short_notes_sharing_a_few_words_are_not_one_plan():
    a = fingerprint("Số: 12/KH-UBND\nCăn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;")
    b = fingerprint("Số: 13/KH-UBND\nCăn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;")
    assert not is_near_duplicate(a, b)


def test_fingerprint_shape_and_folding():
    fp = fingerprint("Kế hoạch số 219a/KH-UBND")
    assert len(fp.minhash) == PERMUTATIONS * 8 and len(fp.bands) == BANDS and fp.words == 6  # ke hoach so 219a kh ubnd
    assert fold_words("Ủy ban nhân dân huyện Đắk Glong") == ["uy", "ban", "nhan", "dan", "huyen", "dak", "glong"]
    assert fingerprint("").words == 0


# Values of the one-permutation MinHash (store schema 7): archives keep fingerprints, so any
# rewrite of the folding, shingling or hashing must give these exact bits, or bump the store's
# schema so that every stored fingerprint is computed again (ASCII words after folding, and
# words beyond ASCII, which take another path).
PINNED = [
    ("sample0", "9961de82d6d000e5b71474a330de4bd9346c60b00901e8fe236cecfc08b3ff29", "df9045fbee4186c7", 4158),
    ("Kế hoạch số 219a/KH-UBND – “Giảm nghèo” 1.5",
     "88d3d9ae742d880314108d4ebe3edd228a2e765638ceb119f2f6947a767a1c66", "0d7b4486b7788a43", 10),
    ("Straße 漢字 Ủy ban nhân dân huyện Đắk Glong 2024",
     "55877b28e921e60356f498c8a68734219aef3a580fd163ccaf9e2c1fb35848ce", "f17e99753398a931", 10),
]


@pytest.mark.parametrize("text,exact,minhash_sha,words", PINNED)
def test_fingerprints_keep_their_stored_values(text, exact, minhash_sha, words):
    import hashlib
    text = SAMPLES[0].read_text(encoding="utf-8") if text == "sample0" else text
    fp = fingerprint(text)
    assert (fp.exact, hashlib.sha256(fp.minhash).hexdigest()[:16], fp.words) == (exact, minhash_sha, words)


def _shingles(text: str) -> set:
    from archive.duplicates import SHINGLE_WORDS, _word_bytes
    w = _word_bytes(text)
    return set(zip(*(w[i:] for i in range(SHINGLE_WORDS))))


def _cut(text: str) -> str:
    return text[: int(len(text) * 0.8)]


@pytest.mark.parametrize("make_pair", [
    lambda t, u: (t, ocr_like(t)),        # a scan of the same plan
    lambda t, u: (t, _cut(t)),            # a copy missing its last fifth
    lambda t, u: (t, u),                  # two plans of one template
], ids=["ocr", "cut", "other"])
def test_one_permutation_minhash_estimates_the_shingle_jaccard(make_pair):
    """Each bin agrees with the probability of the Jaccard similarity: on real plans the
    estimate stays within 4 standard errors (of PERMUTATIONS bins) of the exact shingle Jaccard."""
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    for t, u in zip(texts, texts[1:] + texts[:1]):
        a, b = make_pair(t, u)
        sa, sb = _shingles(a), _shingles(b)
        exact = len(sa & sb) / len(sa | sb)
        est = similarity(fingerprint(a), fingerprint(b))
        assert abs(est - exact) <= 4 * max(exact * (1 - exact), 0.01) ** 0.5 / PERMUTATIONS ** 0.5, (exact, est)


def test_a_short_text_fills_every_bin():
    """With fewer shingles than bins some bins get none: they borrow a filled bin's value (densified), so
    two copies still agree everywhere and two different notes do not."""
    import numpy as np
    note = ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình "
            "mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025; Ủy ban nhân dân huyện ban hành "
            "Kế hoạch thực hiện Dự án 5 hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn huyện năm 2024.")
    a, b = fingerprint(note), fingerprint(note.replace("Ủy", "Uỷ"))
    assert a.words >= MIN_WORDS and a.words - SHINGLE_WORDS + 1 < PERMUTATIONS
    values = np.frombuffer(a.minhash, "<u8")
    assert len(set(values.tolist())) == PERMUTATIONS and similarity(a, b) == 1.0
    other = fingerprint(note.replace("Dự án 5 hỗ trợ nhà ở", "Dự án 1 hỗ trợ đầu tư phát triển hạ tầng"))
    assert not is_near_duplicate(a, other)


def _stored_then_altered(folder: Path, texts: list[str], *sql: str) -> None:
    """An archive holding these texts, then changed by these SQL statements, as an archive
    written by an earlier version would be."""
    import sqlite3
    from archive.store import Pending, Record, Store, plan_id_for
    from extraction.pipeline import extract
    st = Store(folder)
    st.commit_batch([Pending(Record(plan_id_for(t), f"p{i}.txt", extract(t), "2024-01-01T00:00:00+00:00"), None)
                     for i, t in enumerate(texts)])
    st.close()
    con = sqlite3.connect(folder / "archive.db")
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.close()


def _scan_is_found(folder: Path, text: str, plans: int) -> None:
    """A scanned copy of text, ingested into the archive at folder, is the stored plan."""
    from archive.store import plan_id_for
    with Archive.open(folder, backend="tantivy", settings=Settings(data_dir=folder)) as a:
        scan = folder / "scan.txt"
        scan.write_text(ocr_like(text), encoding="utf-8")
        report = a.ingest([str(scan)], workers=1)
        assert report.ok and [it.plan_id for it in report.items] == [plan_id_for(text)] and a.count() == plans


def test_an_archive_of_schema_6_gets_every_fingerprint_computed_again(tmp_path):
    """Fingerprints of the earlier MinHash are not comparable with the new ones: opening an
    archive of schema 6 for writing computes them all again from the stored texts, and a
    scanned copy ingested afterwards is still found."""
    from archive.store import Store, plan_id_for
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES[:2]]
    _stored_then_altered(tmp_path, texts, "UPDATE plan_fingerprints SET minhash = zeroblob(1024)",
                         "UPDATE fp_bands SET band = 'old'", "UPDATE meta SET value = '6' WHERE key = 'schema'")
    st = Store(tmp_path)
    st._writable()
    try:
        for t in texts:
            fp = fingerprint(t)
            row = st.db.execute("SELECT minhash FROM plan_fingerprints WHERE plan_id=?", (plan_id_for(t),)).fetchone()
            assert bytes(row[0]) == fp.minhash
            bands = {b for (b,) in st.db.execute("SELECT band FROM fp_bands WHERE plan_id=?", (plan_id_for(t),))}
            assert bands == set(fp.bands)
    finally:
        st.close()
    _scan_is_found(tmp_path, texts[1], plans=2)


def test_an_archive_with_the_band_only_index_gets_the_covering_one_and_still_finds_copies(tmp_path):
    """The candidate lookup reads (band, plan_id) from one index; an archive made with the
    band-only index has it replaced on its first writable open, and a scanned copy is still found."""
    from archive.store import Store
    text = SAMPLES[0].read_text(encoding="utf-8")
    _stored_then_altered(tmp_path, [text], "DROP INDEX fp_bands_band_plan", "CREATE INDEX fp_bands_band ON fp_bands(band)")
    st = Store(tmp_path)
    st._writable()
    try:
        names = {n for (n,) in st.db.execute("SELECT name FROM sqlite_master WHERE tbl_name='fp_bands' AND type='index'")}
        assert "fp_bands_band_plan" in names and "fp_bands_band" not in names
        plan = " ".join(r[3] for r in st.db.execute(
            "EXPLAIN QUERY PLAN SELECT plan_id FROM fp_bands WHERE band IN (?, ?)", ("a", "b")))
        assert "COVERING INDEX fp_bands_band_plan" in plan
    finally:
        st.close()
    _scan_is_found(tmp_path, text, plans=1)


# ---------------------------------------------------------------- the archive

@pytest.fixture
def archive(tmp_path):
    data = tmp_path / "data"
    with Archive.open(data, backend="tantivy", settings=Settings(data_dir=data)) as a:
        yield a


def test_copies_are_one_plan_with_every_source_and_reingest_is_idempotent(archive, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    first, second = SAMPLES[1].read_text(encoding="utf-8"), SAMPLES[3].read_text(encoding="utf-8")
    (folder / "a.txt").write_text(first, encoding="utf-8")
    (folder / "a-resaved.md").write_text(as_docx_text(first), encoding="utf-8")
    (folder / "a-scan.txt").write_text(ocr_like(first), encoding="utf-8")
    (folder / "b.txt").write_text(second, encoding="utf-8")
    report = archive.ingest([folder], workers=1)
    assert report.ok, [it.error for it in report.failed]
    assert archive.count() == 2
    pid = {it.path.split("/")[-1]: it.plan_id for it in report.items}
    assert pid["a.txt"] == pid["a-resaved.md"] == pid["a-scan.txt"] != pid["b.txt"]
    stored = archive.get(pid["a.txt"])
    assert sorted(Path(s).name for s in stored.sources) == ["a-resaved.md", "a-scan.txt", "a.txt"]
    # the second run changes nothing
    again = archive.ingest([folder], workers=1)
    assert {it.status for it in again.items} == {"unchanged"} and archive.count() == 2
    assert len(archive.get(pid["a.txt"]).sources) == 3
    # a copy uploaded later joins the plan too
    item = archive.add_bytes("a-upload.txt", ocr_like(first, seed=9).encode("utf-8"))
    assert item.status == "unchanged" and item.plan_id == pid["a.txt"] and archive.count() == 2


def test_a_file_edited_in_place_replaces_its_old_version(archive, tmp_path):
    path = tmp_path / "a.txt"
    text = SAMPLES[1].read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    old = archive.ingest([path], workers=1).items[0].plan_id
    path.write_text(text.replace("2022", "2023", 1), encoding="utf-8")  # one figure corrected
    item = archive.ingest([path], workers=1).items[0]
    assert item.status == "replaced" and item.replaced == old and archive.count() == 1


def test_a_non_plan_is_refused_by_name_at_ingest_and_upload(archive, tmp_path):
    path = tmp_path / "hello.txt"
    path.write_text("hello world\n", encoding="utf-8")
    item = archive.ingest([path], workers=1).items[0]
    assert item.status == "failed" and "hello.txt" in item.error and "không phải văn bản kế hoạch" in item.error
    up = archive.add_bytes("ghi-chu.txt", "Danh sách học sinh lớp 5A: An, Bình, Cường.".encode("utf-8"))
    assert up.status == "failed" and up.error.startswith("ghi-chu.txt: không phải văn bản kế hoạch")
    opening = ("Số: 12/KH-UBND\nSơn Hà, ngày 05 tháng 3 năm 2024\nCăn cứ Quyết định số 90/QĐ-TTg "
               "ngày 18/01/2022 của Thủ tướng Chính phủ;\n")
    kept = archive.add_bytes("mo-dau.txt", opening.encode("utf-8"))
    assert kept.status == "ingested", kept.error
    assert archive.count() == 1


def test_a_file_read_before_is_not_opened_again_unless_it_changed(archive, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SAMPLES[1].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_text(SAMPLES[3].read_text(encoding="utf-8"), encoding="utf-8")
    assert archive.ingest([folder], workers=1).ok
    import archive.service as service
    opened = []
    real = service.prepare_file
    monkeypatch.setattr(service, "prepare_file", lambda path, *a: opened.append(Path(path).name) or real(path, *a))
    again = archive.ingest([folder], workers=1)
    assert opened == [] and {it.status for it in again.items} == {"unchanged"}
    (folder / "b.txt").write_text(SAMPLES[4].read_text(encoding="utf-8"), encoding="utf-8")
    third = {Path(it.path).name: it.status for it in archive.ingest([folder], workers=1).items}
    assert opened == ["b.txt"] and third == {"a.txt": "unchanged", "b.txt": "replaced"}


def test_the_api_refuses_junk_by_name_and_lists_a_plans_files(archive):
    from fastapi.testclient import TestClient

    from api.app import create_app

    key = "khoa-thu-7c1e"
    client = TestClient(create_app(Settings(data_dir=str(archive.data_dir), api_key=key), archive=archive))
    text = SAMPLES[1].read_text(encoding="utf-8")
    r = client.post("/api/plans", files={"file": ("son-ha.txt", text.encode("utf-8"))}, headers={"X-API-Key": key})
    assert r.status_code == 201, r.text
    pid = r.json()["plan_id"]
    r = client.post("/api/plans", files={"file": ("son-ha-ban-quet.md", ocr_like(text).encode("utf-8"))},
                    headers={"X-API-Key": key})
    assert r.status_code == 200 and r.json()["status"] == "unchanged" and r.json()["plan_id"] == pid
    r = client.post("/api/plans", files={"file": ("hello.txt", b"hello world\n")}, headers={"X-API-Key": key})
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith("hello.txt: không phải văn bản kế hoạch: không thấy")
    plan = client.get(f"/api/plans/{pid}").json()
    assert sorted(plan["sources"]) == ["son-ha-ban-quet.md", "son-ha.txt"]
    assert plan["ocr"] is False and plan["ocr_confidence"] is None
    assert client.get("/nap-tep").status_code == 200


def test_a_plan_copied_by_another_district_or_reissued_with_a_new_number_is_another_plan(archive, tmp_path):
    text = SAMPLES[1].read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "son-ha.txt").write_text(text, encoding="utf-8")
    # the same template, another district (one name changed: most shingles unchanged)
    (folder / "ba-to.txt").write_text(text.replace("SƠN HÀ", "BA TƠ").replace("Sơn Hà", "Ba Tơ"), encoding="utf-8")
    (folder / "so-45.txt").write_text(text.replace("Số: /KH-UBND", "Số: 45/KH-UBND", 1), encoding="utf-8")
    (folder / "so-46.txt").write_text(text.replace("Số: /KH-UBND", "Số: 46/KH-UBND", 1), encoding="utf-8")
    report = archive.ingest([folder], workers=1)
    assert report.ok
    ids = {Path(it.path).name: it.plan_id for it in report.items}
    # a number where the draft had none is the same plan signed; two numbers are two documents
    assert ids["son-ha.txt"] != ids["ba-to.txt"] and ids["so-45.txt"] != ids["so-46.txt"]
    assert archive.count() == 3
