"""What a file is, from its content: the container signature (PDF, Word) or text/HTML."""
from __future__ import annotations

import io
import re
import zipfile

from corpus import encodings
from corpus.encodings import DecodeError
from corpus.images import sniff_image
from corpus.zipguard import has_word_document

def looks_like_suffixless(suffix: str) -> bool:
    # "Ke hoach so 12.2023" has a dot but no real suffix.
    return not re.fullmatch(r"\.[a-z][a-z0-9]{0,4}", suffix)


def sniff_container(data: bytes) -> str | None:
    """"pdf", "docx" or "image" from the content's signature, else None."""
    if sniff_image(data):
        return "image"
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if has_word_document(z.namelist()):
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def sniff_text(data: bytes) -> str | None:
    """"html" or "txt" for content without a suffix, else None."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:1024]:
        return "html"
    if encodings.sniff_binary(data):
        return None
    try:
        encodings.decode_bytes(data)
        return "txt"
    except DecodeError:
        return None

