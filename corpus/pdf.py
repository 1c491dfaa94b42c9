"""PDF: the text layer of each page (pypdf); scanned pages read by OCR (corpus.ocr). Both
run in a child process with time and memory limits (corpus.isolated)."""
from __future__ import annotations

import io
import logging
import unicodedata

from corpus import encodings
from corpus.loaded import LoadedText, LoadOptions, Refused, page_list, page_starts, repair, tidy

# A page "has text" when it yields at least this many non-space characters.
MIN_PAGE_CHARS = 20
# A text layer with more than this share of non-characters is unreadable (needs OCR).
MAX_GARBLED_SHARE = 0.3

# pypdf logs every oddity of a malformed file; failures are reported through LoadError.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def load_pdf(data: bytes, opts: LoadOptions) -> LoadedText:
    """Parsing and OCR happen in a child process with time and memory limits."""
    from corpus import isolated
    return isolated.run("pdf", data, opts)


def read_pdf(data: bytes, *, ocr: bool = True, page_seconds: float = 120.0,
             progress=None) -> LoadedText:
    """The text layer of each page (pypdf); pages without one are read by OCR when `ocr`.
    `progress(done, total, ocr)` after each page. Runs inside corpus.isolated's child."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except PdfReadError as e:
        raise Refused("unreadable", f"tệp PDF hỏng hoặc không phải PDF: {e}") from None
    warnings: list[str] = []
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as e:
            raise Refused("encrypted", f"PDF mã hóa mà máy chủ này không mở được ({e})") from None
        if not opened:
            raise Refused("encrypted", "PDF có mật khẩu: cần mật khẩu để mở")
        warnings.append("PDF mã hóa, đã mở bằng mật khẩu rỗng")
    try:
        pages = reader.pages
        n = len(pages)
    except FileNotDecryptedError:
        raise Refused("encrypted", "PDF có mật khẩu: cần mật khẩu để mở") from None
    if n == 0:
        raise Refused("empty", "PDF không có trang nào")
    texts: list[str] = []
    empty_pages: list[int] = []
    scanned_pages: list[int] = []   # little text but images: scans needing OCR
    failed_pages: list[int] = []
    first_error = None
    for i in range(n):
        try:
            page_text = pages[i].extract_text() or ""
        except Exception as e:  # noqa: BLE001 - one broken page must not lose the others
            page_text = ""
            failed_pages.append(i + 1)
            first_error = first_error or f"{type(e).__name__}: {e}"
        if len("".join(page_text.split())) < MIN_PAGE_CHARS:
            empty_pages.append(i + 1)
            if _page_has_images(pages[i]):
                scanned_pages.append(i + 1)
        texts.append(page_text.strip("\n"))
        if progress:
            progress(i + 1, n, False)
    if len(failed_pages) == n:
        raise Refused("unreadable", f"không lấy được chữ của trang nào ({first_error})")
    garbled = garbled_share("".join(texts)) > MAX_GARBLED_SHARE
    # Which pages are scans: those drawing an image; every page when none has text (a scan
    # may be drawn as inline images) or when the text layer is unreadable.
    to_ocr = list(range(1, n + 1)) if garbled or len(empty_pages) == n else scanned_pages
    loaded = LoadedText("", "pdf", None, warnings, pages=n)
    if to_ocr and ocr:
        _ocr_pages(data, to_ocr, texts, loaded, page_seconds, progress)
    elif garbled or len(empty_pages) == n:   # OCR switched off
        detail = (" (lớp chữ không đọc được: phông chữ không có bảng mã Unicode)" if garbled
                  else "")
        raise Refused("no-text-layer", f"không có lớp chữ: cần nhận dạng chữ (OCR){detail}")
    elif scanned_pages:
        warnings.append(f"{len(scanned_pages)}/{n} trang là ảnh không có lớp chữ "
                        f"(cần OCR): {page_list(scanned_pages)}")
    if failed_pages:
        warnings.append(f"không lấy được chữ của trang {page_list(failed_pages)}")
    # Pages are joined by one newline: a sentence running over a page break is one line
    # break for the normalization stage, which joins it.
    texts = [tidy(t) for t in texts]
    joined = "\n".join(t for t in texts if t)
    if loaded.ocr:
        loaded.text, loaded.encoding = joined, None
    else:
        loaded.text, loaded.encoding = repair(joined, None, warnings)
        if len(loaded.text) != len(joined):   # a legacy font of varying width: page by page
            texts = [encodings.repair_legacy(t).text for t in texts]
    loaded.page_starts = page_starts(texts)
    return loaded


def _ocr_pages(data: bytes, numbers: list[int], texts: list[str], loaded: LoadedText,
               page_seconds: float, progress) -> None:
    """OCR the pages `numbers` into `texts`; without Tesseract, refuse by name."""
    from corpus import ocr
    missing = ocr.unavailable()
    if missing:
        raise Refused("ocr-unavailable", missing)
    read = []
    for k, (number, image) in enumerate(ocr.render_pdf_pages(data, numbers)):
        page = ocr.read_image(image, number, timeout=page_seconds)
        read.append(page)
        if page.error:
            loaded.warnings.append(page.error)
        texts[number - 1] = unicodedata.normalize("NFC", page.text)
        if progress:
            progress(k + 1, len(numbers), True)
    loaded.ocr = True
    loaded.ocr_pages = [p.number for p in read if p.text]
    loaded.ocr_confidence = ocr.mean_confidence(read)
    loaded.warnings.append(
        f"đã nhận dạng chữ (OCR) {len(loaded.ocr_pages)}/{len(numbers)} trang quét: "
        f"{page_list(numbers)}; độ tin cậy trung bình {loaded.ocr_confidence or 0:.0f}%")
    if not loaded.ocr_pages and len(numbers) == loaded.pages:
        raise Refused("no-text-layer", "bản quét không có chữ đọc được: OCR không nhận ra chữ nào")


def _page_has_images(page) -> bool:
    """Whether the page draws an image (a scanned page is one big image)."""
    try:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject")
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:  # noqa: BLE001 - a damaged resource dictionary is no evidence either way
        return False


def garbled_share(text: str) -> float:
    """Share of non-space characters that are no text: private-use glyph codes, controls,
    U+FFFD. Fonts without a Unicode map give text layers made of these."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc", "Cs", "Cn"))
    return bad / len(chars)
