"""The loaders' shared result and error types: every format module returns a `LoadedText`
and refuses a file by raising `Refused(reason, message)`, which the entry points in
corpus.loaders turn into a `LoadError` naming the file."""
from __future__ import annotations

from dataclasses import dataclass, field

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


class Refused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


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
