"""What a file is, from its content: the container signature (PDF, Word) or text/HTML."""
from __future__ import annotations

import io
import re
import zipfile

from corpus import encodings
from corpus.encodings import DecodeError
from corpus.images import sniff_image
from corpus.office import OLE_SIGNATURE, ole_kind
from corpus.zipguard import zip_kind

def looks_like_suffixless(suffix: str) -> bool:
    # "Ke hoach so 12.2023" has a dot but no real suffix.
    return not re.fullmatch(r"\.[a-z][a-z0-9]{0,4}", suffix)


def sniff_container(data: bytes) -> str | None:
    """"pdf", "docx", "xlsx", "odt", "ods", "doc", "xls", "rtf" or "image" from the content's
    signature, else None."""
    if sniff_image(data):
        return "image"
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return zip_kind(z)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return None
    if data.startswith(OLE_SIGNATURE):
        return ole_kind(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
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

