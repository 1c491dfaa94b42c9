"""Bad input: every problem is a LoadError naming the file and its reason; nothing else
escapes the loaders."""
from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import encodings as enc
from corpus.loaders import (DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, LoadError, load_bytes,
                            load_text)

SENTENCE = ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt "
            "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025;\n")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def refused(path: Path, reason: str, **kw) -> LoadError:
    with pytest.raises(LoadError) as err:
        load_text(path, **kw)
    e = err.value
    assert e.reason == reason, str(e)
    assert e.path == str(path)
    assert str(e) == f"{path}: {e.message}"
    return e


def docx_bytes(text: str = SENTENCE) -> bytes:
    import docx
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(40, 800, "Ke hoach so 219a/KH-UBND ngay 01/7/2022 cua UBND huyen Phong Tho")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("name", ["rong.txt", "rong.md", "rong.docx", "rong.pdf", "rong.html"])
def test_empty_file(tmp_path, name):
    e = refused(write(tmp_path, name, b""), "empty")
    assert "rỗng" in e.message or "không có chữ" in e.message


@pytest.mark.parametrize("data", [b"   \r\n\t\n", "\ufeff \n".encode("utf-8"), "  \n".encode("utf-16")])
def test_whitespace_only_is_empty(tmp_path, data):
    refused(write(tmp_path, "trang.txt", data), "empty")


def test_random_bytes_named_txt(tmp_path):
    data = random.Random(5).randbytes(64 * 1024)
    e = refused(write(tmp_path, "ngaunhien.txt", data), "binary")
    assert "không phải văn bản" in e.message


@pytest.mark.parametrize("data, what", [
    (b"\x1f\x8b\x08\x00" + bytes(200), "gzip"),
])
def test_binary_formats_named_txt_say_what_they_are(tmp_path, data, what):
    e = refused(write(tmp_path, "anh.txt", data), "binary")
    assert what in e.message


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(200), b"\xff\xd8\xff\xe0" + bytes(200)])
def test_a_broken_image_named_txt_is_read_as_an_image_and_refused(tmp_path, data):
    e = refused(write(tmp_path, "anh.txt", data), "unreadable")
    assert "ảnh" in e.message


def test_docx_that_is_not_a_zip(tmp_path):
    e = refused(write(tmp_path, "kehoach.docx", SENTENCE.encode("utf-8")), "not-a-zip")
    assert "không phải tệp .docx (zip)" in e.message


def test_old_doc_renamed_docx(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    e = refused(write(tmp_path, "cu.docx", ole), "not-a-zip")
    assert "Word 97-2003" in e.message


def test_password_protected_docx(tmp_path):
    # Word saves a password-protected .docx as an OLE2 container with an EncryptedPackage stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    refused(write(tmp_path, "mat.docx", ole), "encrypted")


def test_zip_bomb_in_docx_by_ratio(tmp_path):
    # A real .docx whose document.xml is replaced by 30 MB of zeros compressing ~1000:1.
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with z.open("word/document.xml", "w") as f:
                    chunk = b"\0" * (1 << 20)
                    for _ in range(30):
                        f.write(chunk)
            else:
                z.writestr(info, src.read(info))
    e = refused(write(tmp_path, "bom.docx", buf.getvalue()), "zip-bomb")
    assert "word/document.xml" in e.message


def test_zip_bomb_in_docx_by_total_size(tmp_path):
    # Many moderately compressed entries: each ratio is plausible, the total is not.
    rng = random.Random(3)
    words = SENTENCE.split()
    text = " ".join(rng.choice(words) for _ in range(800_000)).encode("utf-8")  # ~5 MB, ~5:1
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, src.read(info))
        for i in range(3):
            z.writestr(f"word/media/part{i}.xml", text)
    data = buf.getvalue()
    # The file itself is within the limit; what it inflates to (> 5 x the limit) is not.
    e = refused(write(tmp_path, "bom2.docx", data), "zip-bomb", max_bytes=len(data) + 1)
    assert "bom nén" in e.message and "bung ra hơn" in e.message


@pytest.mark.parametrize("inner, what", [
    ({"xl/workbook.xml": b"<workbook/>"}, "Excel"),
    ({"readme.txt": b"hello"}, "không có word/document.xml"),
])
def test_zip_that_is_not_word(tmp_path, inner, what):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in inner.items():
            z.writestr(name, data)
    e = refused(write(tmp_path, "bang.docx", buf.getvalue()), "unreadable")
    assert what in e.message


def test_docx_with_broken_xml(tmp_path):
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            z.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    refused(write(tmp_path, "hong.docx", buf.getvalue()), "unreadable")


def test_truncated_docx(tmp_path):
    data = docx_bytes()
    refused(write(tmp_path, "cut.docx", data[: len(data) // 2]), "not-a-zip")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_pdf(tmp_path, cut):
    data = pdf_bytes()
    path = write(tmp_path, "cut.pdf", data[: int(len(data) * cut)])
    try:
        got = load_text(path)          # pypdf may recover the text of a cut file
        assert "Ke hoach" in got.text
    except LoadError as e:
        assert e.path == str(path) and e.reason in ("unreadable", "no-text-layer", "empty")


def test_pdf_suffix_on_text(tmp_path):
    refused(write(tmp_path, "gia.pdf", SENTENCE.encode("utf-8")), "unreadable")


def test_50_mb_text_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "lon.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)   # sparse: 50 MB without writing them
    e = refused(path, "too-large")
    assert "giới hạn 20 MB" in e.message and "50 MB" in e.message
    assert "KEHOACH_MAX_FILE_MB" in e.message
    with pytest.raises(LoadError) as err:
        load_bytes("upload.txt", b"a" * (DEFAULT_MAX_BYTES + 1))
    assert err.value.reason == "too-large"


def test_size_limit_is_a_parameter_not_the_environment(tmp_path, monkeypatch):
    path = write(tmp_path, "vua.txt", SENTENCE.encode("utf-8") * 8000)   # ~1.3 MB
    monkeypatch.setenv("KEHOACH_MAX_FILE_MB", "1")  # read by archive/settings.py, which passes max_bytes
    assert load_text(path).text.startswith("Căn cứ")
    e = refused(path, "too-large", max_bytes=1 << 20)
    assert "quá giới hạn 1 MB" in e.message and "KEHOACH_MAX_FILE_MB" in e.message
    assert load_text(path, max_bytes=2 << 20).text.startswith("Căn cứ")


@pytest.mark.parametrize("name, hint", [
    ("trinh_chieu.pptx", "trình chiếu"),
    ("du_lieu.exe", None),
])
def test_unknown_suffix(tmp_path, name, hint):
    e = refused(write(tmp_path, name, SENTENCE.encode("utf-8")), "unsupported-type")
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in e.message
    if hint:
        assert hint in e.message


def test_missing_file_and_directory(tmp_path):
    refused(tmp_path / "khong_co.txt", "unreadable")
    (tmp_path / "thu_muc.txt").mkdir()
    e = refused(tmp_path / "thu_muc.txt", "unreadable")
    assert "thư mục" in e.message


def test_unknown_upload_content():
    with pytest.raises(LoadError) as err:
        load_bytes("upload", random.Random(1).randbytes(4096))
    assert err.value.reason == "unsupported-type" and err.value.path == "upload"


# Accepted odd encodings (issue: UTF-16, Windows-1258 and TCVN3 text).
@pytest.mark.parametrize("data, encoding", [
    (SENTENCE.encode("utf-16"), "utf-16-le"),
    (SENTENCE.encode("utf-16-le"), "utf-16-le"),      # no BOM: recognised, with a warning
    (enc.encode_cp1258(SENTENCE), "cp1258"),
    (enc.encode_tcvn3(SENTENCE), "tcvn3"),
    (enc.encode_vni(SENTENCE), "vni"),
])
def test_odd_encodings_are_read(tmp_path, data, encoding):
    got = load_text(write(tmp_path, "cu.txt", data))
    assert got.encoding == encoding
    assert got.text == SENTENCE


def test_invalid_utf8_bytes_in_a_utf8_text_are_replaced(tmp_path):
    data = (SENTENCE * 5).encode("utf-8")[:-3] + b"\xff\xfe ok\n"
    got = load_text(write(tmp_path, "hong.txt", data))
    assert got.encoding == "utf-8" and "\ufffd" in got.text
    assert any("UTF-8 không hợp lệ" in w for w in got.warnings)


def test_uncertain_legacy_text_is_refused(tmp_path):
    words = SENTENCE.split()
    data = b" ".join(enc.encode_tcvn3(w) if i % 2 else enc.encode_vni(w) for i, w in enumerate(words))
    e = refused(write(tmp_path, "tron.txt", data), "legacy-encoding")
    assert "có vẻ là" in e.message


# Nothing but LoadError, whatever the bytes and the suffix.
@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUPPORTED_SUFFIXES + ("", ".xyz")))
def test_arbitrary_bytes_never_crash(data, suffix):
    try:
        got = load_bytes("x" + suffix, data)
    except LoadError as e:
        assert e.reason and str(e).startswith("x" + suffix + ": ")
    else:
        assert isinstance(got.text, str) and got.text.strip()


def _corruptions(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(12):
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out.append(bytes(b))
    out += [data[: rng.randrange(len(data))] for _ in range(6)]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("suffix, make", [(".docx", docx_bytes), (".pdf", pdf_bytes)])
def test_corrupted_files_never_crash(suffix, make):
    for i, data in enumerate(_corruptions(make(), seed=len(suffix))):
        try:
            load_bytes(f"hong{i}{suffix}", data)
        except LoadError as e:
            assert e.path == f"hong{i}{suffix}"


@pytest.mark.parametrize("data, text", [
    (SENTENCE.encode("utf-32"), SENTENCE),
    (SENTENCE.encode("utf-8") + bytes(4096), SENTENCE),     # NUL padding after the text
])
def test_more_odd_text_files(tmp_path, data, text):
    assert load_text(write(tmp_path, "cu.txt", data)).text == text


def test_only_nul_bytes_is_empty(tmp_path):
    refused(write(tmp_path, "nul.txt", bytes(1000)), "empty")


def test_device_is_not_read(tmp_path):
    import os
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    e = refused(fifo, "unreadable")
    assert "tệp thông thường" in e.message


@pytest.mark.parametrize("raw", ["abc", "-5", "0", "nan", "inf"])
def test_malformed_size_setting_is_reported_not_ignored(raw):
    from archive.settings import Settings, SettingsError  # reads it for the loaders

    with pytest.raises(SettingsError, match=f"KEHOACH_MAX_FILE_MB={raw!r}"):
        Settings.from_env({"KEHOACH_MAX_FILE_MB": raw})


@pytest.mark.parametrize("depth", [2000, 20000])
def test_deeply_nested_html(depth):
    data = ("<div><span>" * depth + SENTENCE + "</span></div>" * depth).encode("utf-8")
    assert load_bytes("sau.html", data).text == SENTENCE.strip()


# ---- hostile PDFs: parsing runs in a child process with time and memory limits ----

def flate_bomb_pdf(mb: int = 40) -> bytes:
    """One page whose 80 KB content stream inflates to `mb` MB of drawing operators: pypdf
    spends about 30 s and all the memory it may take on it."""
    import zlib
    content = b"BT /F1 12 Tf 40 800 Td (Ke hoach) Tj ET\n" + b"0 0 m 1 1 l S\n" * (mb * 1024 * 1024 // 14)
    stream = zlib.compress(content, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def test_a_pdf_that_takes_too_long_is_stopped_by_name():
    import time

    from corpus import isolated
    from corpus.loaded import LoadOptions, Refused
    start = time.monotonic()
    with pytest.raises(Refused) as err:
        isolated.run("pdf", flate_bomb_pdf(), LoadOptions(DEFAULT_MAX_BYTES, parse_seconds=1))
    assert err.value.reason == "timeout" and "quá 1 giây" in err.value.message
    assert time.monotonic() - start < 5


def test_a_pdf_over_the_memory_limit_is_refused_and_the_caller_lives():
    from corpus import isolated
    from corpus.loaded import LoadOptions, Refused
    with pytest.raises(Refused) as err:
        isolated.run("pdf", flate_bomb_pdf(), LoadOptions(DEFAULT_MAX_BYTES, memory_mb=64,
                                                          parse_seconds=10))
    # Out of memory, or (when the forked child finds room in the heap it inherited) out of time.
    assert err.value.reason in ("too-large", "unreadable", "timeout")
    assert any(w in err.value.message for w in ("MemoryError", "bộ nhớ", "giây")), err.value.message
    assert load_bytes("kh.pdf", pdf_bytes()).text.startswith("Ke hoach so 219a")


def test_a_threaded_caller_reads_pdfs_in_a_fresh_interpreter():
    # A server has threads and must not fork: the child is a new Python process.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        got = pool.submit(load_bytes, "kh.pdf", pdf_bytes()).result()
    assert got.text.startswith("Ke hoach so 219a") and got.pages == 1
