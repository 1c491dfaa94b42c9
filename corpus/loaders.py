"""Loaders: a file (or uploaded bytes) -> its text. The public entry of corpus/.

Formats, each in its own module: .txt/.md (encodings: UTF-8, UTF-16, Windows-1258, TCVN3, VNI,
VISCII; VIQR refused by name), .docx (word: body, tables, headers and footers), .doc/.rtf/.odt
(office), .xlsx/.xls/.ods (spreadsheet), .pdf (pdf: text layer, scanned pages by OCR),
.png/.jpg/.tif (images: OCR), .html/.htm (webpage: a portal page's main content). PDFs,
images and spreadsheets are read in a child process with time and memory limits (isolated).

Every failure is a `LoadError` naming the file, with a short `reason` code and a Vietnamese
message: empty, binary, no-text-layer, ocr-unavailable, encrypted, not-a-zip, zip-bomb,
too-large, timeout, legacy-encoding, tool-missing, unsupported-type, unreadable. Nothing else
escapes `load_text`/`load_bytes`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from corpus import encodings, isolated, office
from corpus.detect import looks_like_suffixless, sniff_container, sniff_text
from corpus.encodings import DecodeError
from corpus.images import IMAGE_FORMATS
from corpus.loaded import LoadedText, LoadError, LoadOptions, Refused, mb, page_of, tidy
from corpus.pdf import load_pdf
from corpus.spreadsheet import SHEET_FORMATS, load_sheet
from corpus.webpage import load_html
from corpus.word import load_docx

__all__ = ["load_text", "load_bytes", "LoadedText", "LoadError", "LoadOptions", "page_of",
           "SUPPORTED_SUFFIXES", "FORMAT_BY_SUFFIX", "DEFAULT_MAX_BYTES", "MAX_FILE_ENV"]

FORMAT_BY_SUFFIX = {".txt": "txt", ".md": "md", ".docx": "docx", ".pdf": "pdf",
                    ".html": "html", ".htm": "html", ".doc": "doc", ".rtf": "rtf", ".odt": "odt",
                    **SHEET_FORMATS, **IMAGE_FORMATS}
SUPPORTED_SUFFIXES = tuple(FORMAT_BY_SUFFIX)
# Suffixes people will try, with what to do instead.
_UNSUPPORTED_HINTS = {
    ".ppt": "tệp trình chiếu: hãy lưu văn bản thành .docx hoặc .pdf",
    ".pptx": "tệp trình chiếu: hãy lưu văn bản thành .docx hoặc .pdf",
}

MAX_FILE_ENV = "KEHOACH_MAX_FILE_MB"
DEFAULT_MAX_MB = 20
DEFAULT_MAX_BYTES = DEFAULT_MAX_MB * 1024 * 1024


def _too_large(size: int, limit: int) -> Refused:
    return Refused("too-large", f"tệp {mb(size)}, quá giới hạn {mb(limit)} "
                                 f"(tăng giới hạn bằng {MAX_FILE_ENV})")


def _unsupported(suffix: str) -> Refused:
    hint = _UNSUPPORTED_HINTS.get(suffix)
    what = (f"không hỗ trợ loại tệp {suffix!r}" if suffix
            else "tệp không có phần mở rộng và không nhận ra nội dung")
    return Refused("unsupported-type", f"{what}{' (' + hint + ')' if hint else ''}; "
                                        f"các loại được hỗ trợ: {', '.join(SUPPORTED_SUFFIXES)}")


# ---------------------------------------------------------------- entry points

def load_text(path: str | Path, *, max_bytes: int | None = None, ocr: bool = True,
              page_seconds: float = 120.0,
              on_progress: Callable[[int, int], None] | None = None) -> LoadedText:
    """Read the file at `path` and return its text; LoadError on any problem.
    Scanned pages are read by OCR unless `ocr` is False (each page within `page_seconds`);
    `on_progress(done, total)` follows the pages of a PDF or image."""
    name = str(path)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes  # settings pass KEHOACH_MAX_FILE_MB
    try:
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix and suffix not in FORMAT_BY_SUFFIX:
            raise _unsupported(suffix)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise Refused("unreadable", "không có tệp này") from None
        if p.is_dir():
            raise Refused("unreadable", "là thư mục, không phải tệp")
        if not p.is_file():  # a FIFO or device would block or never end
            raise Refused("unreadable", "không phải tệp thông thường")
        if st.st_size > limit:
            raise _too_large(st.st_size, limit)
        try:
            data = p.read_bytes()
        except PermissionError:
            raise Refused("unreadable", "không có quyền đọc tệp") from None
        except OSError as e:
            raise Refused("unreadable", f"không đọc được: {e.strerror or e}") from None
    except Refused as r:
        raise LoadError(name, r.reason, r.message) from None
    return _load(name, data, LoadOptions(limit, ocr, page_seconds, on_progress=on_progress))


def load_bytes(name: str, data: bytes, *, max_bytes: int | None = None, ocr: bool = True,
               page_seconds: float = 120.0,
               on_progress: Callable[[int, int], None] | None = None) -> LoadedText:
    """Text of an uploaded file: the format comes from `name`'s suffix, or from the content
    when the name has none (or the content is plainly another supported format)."""
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes  # settings pass KEHOACH_MAX_FILE_MB
    return _load(name, data, LoadOptions(limit, ocr, page_seconds, on_progress=on_progress))


def _load(name: str, data: bytes, opts: LoadOptions) -> LoadedText:
    limit = opts.max_bytes
    try:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise Refused("unreadable", f"cần dữ liệu bytes, nhận được {type(data).__name__}")
        data = bytes(data)
        if len(data) > limit:
            raise _too_large(len(data), limit)
        suffix = Path(str(name)).suffix.lower()
        if suffix and suffix not in FORMAT_BY_SUFFIX and not looks_like_suffixless(suffix):
            raise _unsupported(suffix)
        if not data.strip():
            raise Refused("empty", "tệp rỗng (0 byte)" if not data else "tệp rỗng (chỉ có khoảng trắng)")
        fmt, warnings = _choose_format(name, data)
        loaded = _LOADERS[fmt](data, opts)
        loaded.warnings[:0] = warnings
        loaded.text = tidy(loaded.text)
        if not loaded.text.strip():
            raise Refused("empty", f"tệp {fmt} này không có chữ")
        return loaded
    except (Refused, DecodeError) as r:
        raise LoadError(name, r.reason, r.message) from None
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(name, "too-large", "hết bộ nhớ khi đọc tệp") from None
    except RecursionError:
        raise LoadError(name, "unreadable", "cấu trúc lồng nhau quá sâu") from None
    except Exception as e:  # noqa: BLE001 - any library failure on a malformed file
        raise LoadError(name, "unreadable", f"không đọc được: {type(e).__name__}: {e}") from e


def _choose_format(name: str, data: bytes) -> tuple[str, list[str]]:
    suffix = Path(str(name)).suffix.lower()
    container = sniff_container(data)
    if suffix in FORMAT_BY_SUFFIX:
        fmt = FORMAT_BY_SUFFIX[suffix]
        # A PDF or Word file under another supported name is read as what it is.
        if container and container != fmt and container in _LOADERS:
            return container, [f"tệp mang đuôi {suffix} nhưng nội dung là {container}; đọc như {container}"]
        return fmt, []
    if suffix and not looks_like_suffixless(suffix):
        raise _unsupported(suffix)
    sniffed = (container if container in _LOADERS else None) or sniff_text(data)
    if sniffed:
        return sniffed, [f"nhận ra định dạng {sniffed} từ nội dung tệp"]
    raise _unsupported(suffix)


# ---------------------------------------------------------------- txt / md

def _sheet(kind: str):
    def load(data: bytes, opts: LoadOptions) -> LoadedText:
        loaded = load_sheet(data, opts)
        loaded.format = kind
        return loaded
    return load


def _load_plain(fmt: str):
    def load(data: bytes, opts: LoadOptions) -> LoadedText:
        decoded = encodings.decode_bytes(data)
        return LoadedText(decoded.text, fmt, decoded.encoding, list(decoded.warnings))
    return load


_LOADERS = {
    "txt": _load_plain("txt"),
    "md": _load_plain("md"),
    "docx": load_docx,
    "pdf": load_pdf,
    "html": load_html,
    "image": lambda data, opts: isolated.run("image", data, opts),
    "doc": office.load_doc,
    "rtf": office.load_rtf,
    "odt": office.load_odt,
    **{kind: _sheet(kind) for kind in ("xlsx", "xls", "ods")},
}

