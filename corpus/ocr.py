"""OCR of scans: Tesseract with its Vietnamese model, through pytesseract.

pytesseract rather than ocrmypdf, measured on the same six 200 dpi pages (one process):
ocrmypdf --deskew --clean --sidecar took 3.3 s/page and gives text without confidences (and
a new PDF to read back, Ghostscript for most outputs); one `tesseract` run per page here
takes 2.0 s/page and gives the words with their confidences. Deskew: Tesseract's own layout
analysis follows text lines over the few degrees of skew a scanner leaves (the rotated test
seed reads at CER 1.6%); unpaper's cleaning was not needed on clean office scans.

Pages are images (Pillow); PDF pages are rendered with pypdfium2. Everything here runs in
the isolated child process (corpus.isolated) with its time and memory limits.
"""
from __future__ import annotations

import functools
import re
import shutil
import time
from dataclasses import dataclass

LANG = "vie"
DEBIAN_PACKAGES = ("tesseract-ocr", "tesseract-ocr-vie")
# 300 dpi is Tesseract's recommended resolution; 200 dpi scans are read as they are.
RENDER_DPI = 300
# Images below this resolution are enlarged: Tesseract loses diacritics under ~20 px x-height.
MIN_DPI = 200
PAGE_SECONDS = 120.0
# Words Tesseract marks with conf -1 are layout, not text.
_NO_CONF = -1.0


@dataclass
class OcrPage:
    number: int                 # 1-based page (or TIFF frame) number
    text: str
    confidence: float | None    # mean word confidence, 0-100 as Tesseract gives it
    seconds: float
    error: str | None = None    # Vietnamese message when the page could not be read


def missing_message() -> str:
    return ("Tệp là bản quét (ảnh), cần nhận dạng chữ (OCR) nhưng máy chủ chưa cài Tesseract "
            "và mô hình tiếng Việt: cài các gói Debian " + ", ".join(DEBIAN_PACKAGES) +
            f" (apt-get install {' '.join(DEBIAN_PACKAGES)})")


@functools.lru_cache(maxsize=1)
def unavailable() -> str | None:
    """None when Tesseract and its Vietnamese model can be used, else why not (Vietnamese)."""
    if shutil.which("tesseract") is None:
        return missing_message()
    try:
        import pytesseract
        if LANG not in pytesseract.get_languages(config=""):
            return missing_message()
    except Exception:  # noqa: BLE001 - a broken install is the same as none
        return missing_message()
    return None


def mean_confidence(pages: list[OcrPage]) -> float | None:
    """Mean over the pages that were read, weighted by their length."""
    read = [(p.confidence, len(p.text)) for p in pages if p.confidence is not None and p.text]
    total = sum(n for _, n in read)
    return round(sum(c * n for c, n in read) / total, 1) if total else None


def prepare(image):
    """Grey, upright (EXIF), and at least MIN_DPI."""
    from PIL import ImageOps
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    image = image.convert("L")
    dpi = image.info.get("dpi", (0, 0))[0] or 0
    if 0 < dpi < MIN_DPI:
        scale = MIN_DPI / dpi
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    return image


def read_image(image, number: int, *, timeout: float = PAGE_SECONDS) -> OcrPage:
    """One page image -> its text (lines as Tesseract finds them) and mean confidence."""
    import pytesseract

    start = time.monotonic()
    try:
        data = pytesseract.image_to_data(prepare(image), lang=LANG, config="--psm 3",
                                         output_type=pytesseract.Output.DICT, timeout=timeout)
    except RuntimeError as e:   # pytesseract's timeout
        if "timeout" in str(e).lower():
            return OcrPage(number, "", None, time.monotonic() - start,
                           f"trang {number}: nhận dạng chữ quá {timeout:.0f} giây, bỏ qua")
        raise
    except pytesseract.TesseractError as e:
        return OcrPage(number, "", None, time.monotonic() - start,
                       f"trang {number}: Tesseract không đọc được ảnh ({e.message.strip()[:200]})")
    text, confidence = lines_of(data)
    return OcrPage(number, clean(text), confidence, round(time.monotonic() - start, 2))


# Tesseract's Vietnamese model knows the Icelandic eth "Ð" (U+00D0), which Vietnamese never
# uses, and reads a bold "Đ" as "ĐÐ" or "Ð" now and then ("90/QĐÐ-TTg").
_ETH = re.compile("[ĐÐ]Ð|Ð")


def clean(text: str) -> str:
    return _ETH.sub("Đ", text).replace("ð", "đ")


def lines_of(data: dict) -> tuple[str, float | None]:
    """Tesseract's word table -> text (one line per recognised line, a blank line between
    blocks) and the mean word confidence."""
    lines: list[str] = []
    words: list[str] = []
    confs: list[float] = []
    key = None
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        conf = float(data["conf"][i])
        if not word or conf == _NO_CONF:
            continue
        k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if key is not None and k != key:
            lines.append(" ".join(words))
            words = []
        key = k
        words.append(word)
        confs.append(conf)
    if words:
        lines.append(" ".join(words))
    return "\n".join(lines), (round(sum(confs) / len(confs), 1) if confs else None)


def image_frames(data: bytes):
    """The pages of an image file (a multi-page TIFF has several), as Pillow images."""
    import io

    from PIL import Image, ImageSequence
    image = Image.open(io.BytesIO(data))
    for frame in ImageSequence.Iterator(image):
        yield frame.copy()


def render_pdf_pages(data: bytes, numbers: list[int]):
    """(number, image) for the given 1-based pages of a PDF, rendered by pypdfium2 at the
    resolution of the scan they hold (resampling a 200 dpi scan to 300 dpi costs Tesseract
    digits: "90" read as "900"), else at RENDER_DPI."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    try:
        for n in numbers:
            page = pdf[n - 1]
            try:
                dpi = scan_dpi(page) or RENDER_DPI
                yield n, page.render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
    finally:
        pdf.close()


def scan_dpi(page) -> int | None:
    """The resolution of the largest image on the page, when it covers most of the page."""
    import pypdfium2.raw as raw
    width, height = page.get_size()
    best = None
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) < 0.5 * width * height:
            continue
        px_w, _ = obj.get_px_size()
        dpi = px_w / ((right - left) / 72)
        best = max(best or 0, dpi)
    return int(min(max(best, MIN_DPI), 2 * RENDER_DPI)) if best else None
