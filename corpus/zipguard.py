"""Zip containers (.docx, .xlsx, .odt, .ods): the zip-bomb guard, checked on the archive
directory before anything is inflated, and what kind of document a zip holds."""
from __future__ import annotations

import io
import zipfile

from corpus import encodings
from corpus.loaded import Refused, mb

ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"

# Zip-bomb limits, checked on the archive directory before anything is inflated.
DOCX_MAX_RATIO = 500            # uncompressed/compressed per entry (XML is ~5-50; deflate tops at ~1030)
DOCX_RATIO_MIN_SIZE = 1 << 20   # the ratio is only meaningful for entries above 1 MB
DOCX_SIZE_FACTOR = 5            # total uncompressed <= 5 x the file size limit
DOCX_MAX_ENTRIES = 10_000


def check_zip(data: bytes, limit: int) -> zipfile.ZipFile:
    """A .docx opened after the zip-bomb guard; Refused when it is no Word document."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise Refused("encrypted", "tài liệu Word có mật khẩu: hãy bỏ mật khẩu rồi gửi lại")
        raise Refused("not-a-zip", "không phải tệp .docx (zip): đây là định dạng Word 97-2003 (.doc) "
                                    "cũ; hãy đặt đuôi .doc hoặc lưu thành .docx")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        what = encodings.sniff_binary(data)
        raise Refused("not-a-zip", "không phải tệp .docx (zip)" + (f": có vẻ là {what}" if what else
                                                                   "; tệp hỏng hoặc không phải Word")) from None
    guard(z, limit)
    names = set(z.namelist())
    if not has_word_document(names):
        if "xl/workbook.xml" in names:
            what = "bảng tính Excel (.xlsx)"
        elif "ppt/presentation.xml" in names:
            what = "tệp trình chiếu PowerPoint (.pptx)"
        elif "content.xml" in names:
            what = "tệp OpenDocument; hãy đặt đuôi .odt"
        else:
            what = "tệp nén zip không có word/document.xml"
        raise Refused("unreadable", f"không phải tài liệu Word: {what}")
    return z


def open_zip(data: bytes, limit: int, kind: str) -> zipfile.ZipFile:
    """Any zip container (.xlsx, .odt, .ods) opened after the zip-bomb guard."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Refused("not-a-zip", f"tệp {kind} hỏng: không phải tệp nén zip như định dạng này "
                                   "phải có") from None
    guard(z, limit)
    return z


def guard(z: zipfile.ZipFile, limit: int) -> None:
    """Refuse a zip bomb from the archive directory, before anything is inflated."""
    infos = z.infolist()
    if len(infos) > DOCX_MAX_ENTRIES:
        raise Refused("zip-bomb", f"tệp nén có {len(infos)} mục (giới hạn {DOCX_MAX_ENTRIES})")
    total = 0
    max_total = DOCX_SIZE_FACTOR * limit
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused("encrypted", f"mục {info.filename} trong tệp nén có mật khẩu")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > DOCX_RATIO_MIN_SIZE and ratio > DOCX_MAX_RATIO:
            raise Refused("zip-bomb", f"bom nén (zip bomb): {info.filename} bung ra {ratio:.0f} lần, thành "
                                       f"{mb(info.file_size)} (giới hạn {DOCX_MAX_RATIO} lần)")
        if total > max_total:
            raise Refused("zip-bomb", f"bom nén (zip bomb): bung ra hơn {mb(max_total)} "
                                       f"(giới hạn {DOCX_SIZE_FACTOR} x {mb(limit)})")


def has_word_document(names) -> bool:
    # Word writes word/document.xml; some converters name the main part word/document2.xml.
    return any(n.startswith("word/document") and n.endswith(".xml") for n in names)


def zip_kind(z: zipfile.ZipFile) -> str | None:
    """"docx", "xlsx", "odt" or "ods" from a zip's directory, else None."""
    names = set(z.namelist())
    if has_word_document(names):
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and "content.xml" in names:
        mime = z.read("mimetype")[:100].decode("ascii", "replace").strip()
        return {ODF_TEXT: "odt", ODF_SHEET: "ods"}.get(mime)
    return None
