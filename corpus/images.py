"""Scanned pages saved as images (.png, .jpg/.jpeg, .tif/.tiff; a multi-page TIFF is one
page per frame), read by OCR. Runs inside corpus.isolated's child."""
from __future__ import annotations

import unicodedata

from corpus.loaded import LoadedText, Refused, page_list, page_starts, tidy

IMAGE_FORMATS = {".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image",
                 ".tiff": "image"}
# Pillow refuses larger images (a decompression bomb); an A3 page at 600 dpi is 70 M pixels.
MAX_PIXELS = 120_000_000


def sniff_image(data: bytes) -> bool:
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def read_image_file(data: bytes, *, ocr: bool = True, page_seconds: float = 120.0,
                    progress=None) -> LoadedText:
    from PIL import Image, UnidentifiedImageError

    from corpus import ocr as tess
    if not ocr:
        raise Refused("no-text-layer", "tệp ảnh cần nhận dạng chữ (OCR), nhưng OCR đang tắt")
    missing = tess.unavailable()
    if missing:
        raise Refused("ocr-unavailable", missing)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        frames = list(tess.image_frames(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as e:
        raise Refused("unreadable", f"không đọc được ảnh: {type(e).__name__}: {e}") from None
    pages = []
    warnings: list[str] = []
    for k, frame in enumerate(frames, 1):
        page = tess.read_image(frame, k, timeout=page_seconds)
        pages.append(page)
        if page.error:
            warnings.append(page.error)
        if progress:
            progress(k, len(frames), True)
    read = [p for p in pages if p.text.strip()]
    if not read:
        raise Refused("no-text-layer", "ảnh không có chữ đọc được: OCR không nhận ra chữ nào")
    confidence = tess.mean_confidence(pages)
    warnings.append(f"đã nhận dạng chữ (OCR) {len(read)}/{len(pages)} trang ảnh: "
                    f"{page_list([p.number for p in read])}; độ tin cậy trung bình {confidence or 0:.0f}%")
    texts = [tidy(unicodedata.normalize("NFC", p.text)) for p in pages]
    return LoadedText("\n".join(t for t in texts if t), "image", None, warnings, pages=len(pages),
                      page_starts=page_starts(texts), ocr=True, ocr_pages=[p.number for p in read],
                      ocr_confidence=confidence)
