"""Other word-processor files: Word 97-2003 .doc (Debian catdoc), .rtf (striprtf), .odt
(odfpy). Table rows become lines of ' | '-separated cells, as in the .docx reader; text typed
in TCVN3/VNI fonts is converted by the same legacy repair.

catdoc rather than antiword: antiword pads table cells to fixed widths, wraps long cells over
several lines and refuses small files ("text stream too small"); catdoc keeps one line per
paragraph and row (cells by tabs) and reads headers and footers. LibreOffice reads tables no
better here and is 300 MB and 5 s per file. catdoc's own character map drops U+00AD, which
is TCVN3's "ư": corpus/data/catdoc replaces that map.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from corpus.loaded import LoadedText, LoadOptions, Refused, repair
from corpus.zipguard import ODF_TEXT, open_zip, zip_kind

DOC_SECONDS = 60.0
_CATDOC_MAPS = Path(__file__).resolve().parent / "data" / "catdoc"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def ole_kind(data: bytes) -> str | None:
    """"doc" or "xls" for an OLE2 (Office 97-2003) file, from its stream names."""
    if not data.startswith(OLE_SIGNATURE):
        return None
    if _utf16("WordDocument") in data:
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    return None


def cells_to_pipes(line: str) -> str:
    """A table row (cells separated by tabs, two tabs or more) as ' | '-separated cells; a
    line with one tab (a letterhead's two columns, a tab stop) keeps it."""
    if line.count("\t") < 2:
        return line
    return " | ".join(" ".join(c.split()) for c in line.split("\t")).strip(" |")


# ---------------------------------------------------------------- .doc

def load_doc(data: bytes, opts: LoadOptions) -> LoadedText:
    if _utf16("EncryptedPackage") in data or _utf16("encryption") in data[:4096]:
        raise Refused("encrypted", "tài liệu Word có mật khẩu: hãy bỏ mật khẩu rồi gửi lại")
    if ole_kind(data) == "xls":
        raise Refused("unreadable", "tệp đặt tên .doc nhưng là bảng tính Excel 97-2003 (.xls)")
    catdoc = shutil.which("catdoc")
    if catdoc is None:
        raise Refused("tool-missing", "đọc tệp Word 97-2003 (.doc) cần gói Debian catdoc "
                                      "(apt-get install catdoc), hoặc lưu tệp thành .docx")
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as home:
        # catdoc reads its maps from ~/.catdocrc: ours keeps U+00AD (TCVN3's "ư").
        Path(home, ".catdocrc").write_text(f"charset_path=/usr/share/catdoc\nmap_path={_CATDOC_MAPS}\n")
        path = Path(home, "in.doc")
        path.write_bytes(data)
        try:
            run = subprocess.run([catdoc, "-d", "utf-8", "-w", str(path)], capture_output=True,
                                 env={"HOME": home}, timeout=DOC_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise Refused("timeout", f"đọc tệp .doc quá {DOC_SECONDS:.0f} giây: tệp hỏng") from None
    text = run.stdout.decode("utf-8", "replace")
    if run.returncode != 0 or not text.strip():
        err = run.stderr.decode("utf-8", "replace").strip()
        raise Refused("unreadable", "không đọc được tệp Word 97-2003 (.doc)"
                                    + (f": {err[:200]}" if err else ": tệp hỏng hoặc không phải Word"))
    lines = [cells_to_pipes(ln.rstrip()) for ln in text.replace("\x0c", "\n").split("\n")]
    warnings: list[str] = []
    text, encoding = repair("\n".join(lines).strip("\n"), None, warnings)
    return LoadedText(text, "doc", encoding, warnings)


# ---------------------------------------------------------------- .rtf

_ANSICPG = re.compile(rb"\\ansicpg(\d+)")


def load_rtf(data: bytes, opts: LoadOptions) -> LoadedText:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise Refused("unreadable", "không phải tệp RTF (thiếu phần đầu {\\rtf)")
    m = _ANSICPG.search(data[:4096])
    codepage = f"cp{m.group(1).decode()}" if m else "cp1252"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    # RTF is 7-bit: \'xx escapes carry the code page's bytes, \uN escapes Unicode.
    raw = data.decode("latin-1")
    text = unicodedata.normalize("NFC", rtf_to_text(raw, encoding=codepage, errors="replace"))
    lines = []
    for line in text.split("\n"):
        if "|" in line:   # striprtf ends each cell with '|'
            line = " | ".join(" ".join(c.split()) for c in line.rstrip().rstrip("|").split("|"))
        lines.append(line.rstrip())
    warnings: list[str] = []
    text, encoding = repair("\n".join(lines).strip("\n"), codepage if m else None, warnings)
    return LoadedText(text, "rtf", encoding, warnings)


# ---------------------------------------------------------------- .odt

def load_odt(data: bytes, opts: LoadOptions) -> LoadedText:
    z = open_zip(data, opts.max_bytes, ".odt")
    if zip_kind(z) != "odt":
        raise Refused("unreadable", f"không phải văn bản OpenDocument ({ODF_TEXT})")
    from odf import opendocument

    doc = opendocument.load(io.BytesIO(data))
    lines: list[str] = []
    _odf_blocks(doc.text, lines)
    warnings: list[str] = []
    text, encoding = repair("\n".join(lines), None, warnings)
    return LoadedText(text, "odt", encoding, warnings)


_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odf_text(node) -> str:
    """Visible text of a paragraph: spans, links, <text:s c=N/>, tabs and line breaks."""
    stack = [node]
    out: list[str] = []
    while stack:
        n = stack.pop()
        if isinstance(n, str):
            out.append(n)
            continue
        if n.nodeType == n.TEXT_NODE:
            out.append(str(n.data))
            continue
        if n.nodeType != n.ELEMENT_NODE:
            continue
        ns, name = n.qname
        if ns == _TEXT_NS and name == "s":
            out.append(" " * int(n.getAttrNS(_TEXT_NS, "c") or 1))
        elif ns == _TEXT_NS and name == "tab":
            out.append("\t")
        elif ns == _TEXT_NS and name == "line-break":
            out.append("\n")
        elif ns == _TEXT_NS and name in ("note", "tracked-changes"):
            continue
        else:
            stack.extend(reversed(n.childNodes))
    return "".join(out)


def _odf_blocks(node, lines: list[str]) -> None:
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        ns, name = child.qname
        if ns == _TEXT_NS and name in ("p", "h"):
            lines.append(_odf_text(child).rstrip())
        elif ns == _TABLE_NS and name == "table":
            for row in _odf_rows(child):
                cells = []
                for cell in row.childNodes:
                    if cell.nodeType == cell.ELEMENT_NODE and cell.qname[1] in ("table-cell", "covered-table-cell"):
                        inner: list[str] = []
                        _odf_blocks(cell, inner)
                        cells.append(" ".join(" ".join(ln.split()) for ln in inner if ln.strip()))
                while cells and not cells[-1]:
                    cells.pop()
                if any(cells):
                    lines.append(" | ".join(cells))
        else:   # lists, sections, frames: their paragraphs in order
            _odf_blocks(child, lines)


def _odf_rows(table):
    for child in table.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        name = child.qname[1]
        if name == "table-row":
            yield child
        elif name in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _odf_rows(child)
