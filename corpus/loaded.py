"""The loaders' shared result and error types: every format module returns a `LoadedText`
and refuses a file by raising `Refused(reason, message)`, which the entry points in
corpus.loaders turn into a `LoadError` naming the file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from corpus import encodings


class LoadError(Exception):
    """A file that cannot be turned into text. str(e) == f"{path}: {message}"."""

    def __init__(self, path, reason: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = reason
        self.message = message


@dataclass
class LoadedText:
    text: str
    format: str                 # "txt", "md", "docx", "pdf", "html", ...
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None            # PDF pages, image frames, spreadsheet sheets
    # Offset in `text` where each page begins (pages are joined by one newline, which the
    # normalization stage joins across; a form feed would cost extraction).
    page_starts: list[int] = field(default_factory=list)
    ocr: bool = False                   # some or all of the text was read by OCR
    ocr_pages: list[int] = field(default_factory=list)   # 1-based pages read by OCR
    ocr_confidence: float | None = None  # Tesseract's mean word confidence (0-100) on them


# Defaults of the limits for hostile files (corpus.isolated).
PARSE_SECONDS = 30.0     # the text layer of a whole PDF (pypdf reads ~50 pages/s)
MEMORY_MB = 2048         # address space of the child reading a PDF or image


@dataclass(frozen=True)
class LoadOptions:
    """How to read: the size limit, whether scans are OCR'd, and the child's limits.
    `on_progress(done, total)` is called as pages are read (OCR pages are the slow ones)."""
    max_bytes: int
    ocr: bool = True
    page_seconds: float = 120.0
    parse_seconds: float = PARSE_SECONDS
    memory_mb: int = MEMORY_MB
    on_progress: Callable[[int, int], None] | None = None


class Refused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def tidy(text: str) -> str:
    """One newline convention for every format, and no control characters (Word and PDF
    exports leave vertical tabs for manual line breaks, NULs from broken fonts)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _CONTROL_CHARS.sub("", text)


def page_starts(texts: list[str]) -> list[int]:
    """Offsets of each page in "\n".join(t for t in texts if t); an empty page starts where
    the next text would."""
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        if t:
            at += len(t) + 1
    return starts


def page_of(loaded: "LoadedText", offset: int) -> int | None:
    """1-based page holding the character at `offset` of `loaded.text`, when pages are known."""
    import bisect
    if not loaded.page_starts:
        return None
    return max(1, bisect.bisect_right(loaded.page_starts, offset))


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def repair(text: str, encoding: str | None, warnings: list[str]) -> tuple[str, str | None]:
    """Legacy-font mojibake inside an otherwise Unicode document (Word, PDF, HTML)."""
    fixed = encodings.repair_legacy(text)
    warnings.extend(fixed.warnings)
    return fixed.text, fixed.encoding or encoding


def page_list(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:20]))
    return shown + (", ..." if len(pages) > 20 else "")
