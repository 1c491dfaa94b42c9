"""Loaders: a file (or uploaded bytes) -> its text.

Formats: .txt/.md (encodings.decode_bytes: UTF-8, UTF-16, Windows-1258, TCVN3, VNI),
.docx (python-docx; paragraphs and tables in document order, legacy-font runs converted),
.pdf with a text layer (pypdf), .html/.htm (BeautifulSoup; block structure kept as lines).

Every failure is a `LoadError` naming the file, with a short `reason` code:
empty, binary, no-text-layer, encrypted, not-a-zip, zip-bomb, too-large, legacy-encoding,
unsupported-type, unreadable. Nothing else escapes `load_text`/`load_bytes`.
"""
from __future__ import annotations

import io
import logging
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from corpus import encodings
from corpus.encodings import DecodeError

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
FORMAT_BY_SUFFIX = {".txt": "txt", ".md": "md", ".docx": "docx", ".pdf": "pdf",
                    ".html": "html", ".htm": "html"}
# Suffixes people will try, with what to do instead.
_UNSUPPORTED_HINTS = {
    ".doc": "old Word 97-2003 format: save it as .docx",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".xls": "a spreadsheet, not a plan text",
    ".xlsx": "a spreadsheet, not a plan text",
    ".jpg": "an image: OCR it first",
    ".jpeg": "an image: OCR it first",
    ".png": "an image: OCR it first",
    ".tif": "an image: OCR it first",
    ".tiff": "an image: OCR it first",
}

MAX_FILE_ENV = "KEHOACH_MAX_FILE_MB"
DEFAULT_MAX_MB = 20
DEFAULT_MAX_BYTES = DEFAULT_MAX_MB * 1024 * 1024

# Zip-bomb limits for .docx, checked on the archive directory before anything is inflated.
DOCX_MAX_RATIO = 500            # uncompressed/compressed per entry (XML is ~5-50; deflate tops at ~1030)
DOCX_RATIO_MIN_SIZE = 1 << 20   # the ratio is only meaningful for entries above 1 MB
DOCX_SIZE_FACTOR = 5            # total uncompressed <= 5 x the file size limit
DOCX_MAX_ENTRIES = 10_000

# A page "has text" when it yields at least this many non-space characters.
MIN_PAGE_CHARS = 20
# A text layer with more than this share of non-characters is unreadable (needs OCR).
MAX_GARBLED_SHARE = 0.3

# pypdf logs every oddity of a malformed file; failures are reported through LoadError.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class LoadError(Exception):
    """A file that cannot be turned into text. str(e) == f"{path}: {message}"."""

    def __init__(self, path: str | Path, reason: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = reason
        self.message = message


@dataclass
class LoadedText:
    text: str
    format: str                 # "txt", "md", "docx", "pdf", "html"
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def max_file_bytes() -> int:
    """The file size limit: KEHOACH_MAX_FILE_MB (megabytes, may be fractional) or 20 MB."""
    return _env_limit()[0]


def _env_limit() -> tuple[int, str | None]:
    """(limit, warning): a malformed KEHOACH_MAX_FILE_MB falls back to the default, and
    every loaded file says so rather than the setting being silently ignored."""
    raw = os.environ.get(MAX_FILE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES, None
    try:
        mb = float(raw)
    except ValueError:
        mb = 0.0
    if math.isfinite(mb) and mb > 0:
        return int(mb * 1024 * 1024), None
    return DEFAULT_MAX_BYTES, (f"{MAX_FILE_ENV}={raw!r} is not a positive number of megabytes; "
                               f"using {_mb(DEFAULT_MAX_BYTES)}")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def _too_large(size: int, limit: int) -> _Refused:
    return _Refused("too-large", f"file is {_mb(size)}, over the {_mb(limit)} limit "
                                 f"(raise it with {MAX_FILE_ENV} or max_bytes)")


def _unsupported(suffix: str) -> _Refused:
    hint = _UNSUPPORTED_HINTS.get(suffix)
    what = f"unsupported file type {suffix!r}" if suffix else "no file suffix and content not recognised"
    return _Refused("unsupported-type", f"{what}{' (' + hint + ')' if hint else ''}; "
                                        f"supported: {', '.join(SUPPORTED_SUFFIXES)}")


# ---------------------------------------------------------------- entry points

def load_text(path: str | Path, *, max_bytes: int | None = None) -> LoadedText:
    """Read the file at `path` and return its text; LoadError on any problem."""
    name = str(path)
    limit, env_warning = (max_bytes, None) if max_bytes is not None else _env_limit()
    try:
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix and suffix not in FORMAT_BY_SUFFIX:
            raise _unsupported(suffix)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise _Refused("unreadable", "no such file") from None
        if p.is_dir():
            raise _Refused("unreadable", "is a directory, not a file")
        if not p.is_file():  # a FIFO or device would block or never end
            raise _Refused("unreadable", "not a regular file")
        if st.st_size > limit:
            raise _too_large(st.st_size, limit)
        try:
            data = p.read_bytes()
        except PermissionError:
            raise _Refused("unreadable", "permission denied") from None
        except OSError as e:
            raise _Refused("unreadable", f"cannot read: {e.strerror or e}") from None
    except _Refused as r:
        raise LoadError(name, r.reason, r.message) from None
    return _load(name, data, limit, env_warning)


def load_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> LoadedText:
    """Text of an uploaded file: the format comes from `name`'s suffix, or from the content
    when the name has none (or the content is plainly another supported format)."""
    limit, env_warning = (max_bytes, None) if max_bytes is not None else _env_limit()
    return _load(name, data, limit, env_warning)


def _load(name: str, data: bytes, limit: int, env_warning: str | None) -> LoadedText:
    try:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise _Refused("unreadable", f"expected bytes, got {type(data).__name__}")
        data = bytes(data)
        if len(data) > limit:
            raise _too_large(len(data), limit)
        suffix = Path(str(name)).suffix.lower()
        if suffix and suffix not in FORMAT_BY_SUFFIX and not _looks_like_suffixless(suffix):
            raise _unsupported(suffix)
        if not data.strip():
            raise _Refused("empty", "empty file (0 bytes)" if not data else "empty file (only whitespace)")
        fmt, warnings = _choose_format(name, data)
        loaded = _LOADERS[fmt](data, limit)
        loaded.warnings[:0] = warnings + ([env_warning] if env_warning else [])
        loaded.text = _tidy(loaded.text)
        if not loaded.text.strip():
            raise _Refused("empty", f"no text in this {fmt} file")
        return loaded
    except (_Refused, DecodeError) as r:
        raise LoadError(name, r.reason, r.message) from None
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(name, "too-large", "out of memory while reading") from None
    except RecursionError:
        raise LoadError(name, "unreadable", "structure nested too deeply") from None
    except Exception as e:  # noqa: BLE001 - any library failure on a malformed file
        raise LoadError(name, "unreadable", f"cannot read: {type(e).__name__}: {e}") from e


def _choose_format(name: str, data: bytes) -> tuple[str, list[str]]:
    suffix = Path(str(name)).suffix.lower()
    container = _sniff_container(data)
    if suffix in FORMAT_BY_SUFFIX:
        fmt = FORMAT_BY_SUFFIX[suffix]
        # A PDF or Word file under another supported name is read as what it is.
        if container and container != fmt:
            return container, [f"named {suffix} but the content is {container}; read as {container}"]
        return fmt, []
    if suffix and not _looks_like_suffixless(suffix):
        raise _unsupported(suffix)
    sniffed = container or _sniff_text(data)
    if sniffed:
        return sniffed, [f"format {sniffed} recognised from the content"]
    raise _unsupported(suffix)


def _looks_like_suffixless(suffix: str) -> bool:
    # "Ke hoach so 12.2023" has a dot but no real suffix.
    return not re.fullmatch(r"\.[a-z][a-z0-9]{0,4}", suffix)


def _sniff_container(data: bytes) -> str | None:
    """"pdf" or "docx" from the content's signature, else None."""
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if _has_word_document(z.namelist()):
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def _sniff_text(data: bytes) -> str | None:
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


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _tidy(text: str) -> str:
    """One newline convention for every format, and no control characters (Word and PDF
    exports leave vertical tabs for manual line breaks, NULs from broken fonts)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _CONTROL_CHARS.sub("", text)


# ---------------------------------------------------------------- txt / md

def _load_plain(fmt: str):
    def load(data: bytes, limit: int) -> LoadedText:
        decoded = encodings.decode_bytes(data)
        return LoadedText(decoded.text, fmt, decoded.encoding, list(decoded.warnings))
    return load


def _repair(text: str, encoding: str | None, warnings: list[str]) -> tuple[str, str | None]:
    """Legacy-font mojibake inside an otherwise Unicode document (Word, PDF, HTML)."""
    fixed = encodings.repair_legacy(text)
    warnings.extend(fixed.warnings)
    return fixed.text, fixed.encoding or encoding


# ---------------------------------------------------------------- docx

def _check_zip(data: bytes, limit: int) -> zipfile.ZipFile:
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise _Refused("encrypted", "password-protected Word document: remove the password and retry")
        raise _Refused("not-a-zip", "not a .docx (zip) file: this is the old Word 97-2003 .doc "
                                    "format; save it as .docx")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        what = encodings.sniff_binary(data)
        raise _Refused("not-a-zip", "not a .docx (zip) file" + (f": looks like {what}" if what else
                                                                "; the file is damaged or not Word")) from None
    infos = z.infolist()
    if len(infos) > DOCX_MAX_ENTRIES:
        raise _Refused("zip-bomb", f"zip archive with {len(infos)} entries (limit {DOCX_MAX_ENTRIES})")
    total = 0
    max_total = DOCX_SIZE_FACTOR * limit
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Refused("encrypted", f"zip entry {info.filename} is encrypted")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > DOCX_RATIO_MIN_SIZE and ratio > DOCX_MAX_RATIO:
            raise _Refused("zip-bomb", f"zip bomb: {info.filename} inflates {ratio:.0f}x to "
                                       f"{_mb(info.file_size)} (limit {DOCX_MAX_RATIO}x)")
        if total > max_total:
            raise _Refused("zip-bomb", f"zip bomb: more than {_mb(max_total)} uncompressed "
                                       f"(limit {DOCX_SIZE_FACTOR} x {_mb(limit)})")
    names = set(z.namelist())
    if not _has_word_document(names):
        if "xl/workbook.xml" in names:
            what = "an Excel workbook (.xlsx)"
        elif "ppt/presentation.xml" in names:
            what = "a PowerPoint presentation (.pptx)"
        elif "content.xml" in names:
            what = "an OpenDocument file (.odt); save it as .docx"
        else:
            what = "a zip archive without word/document.xml"
        raise _Refused("unreadable", f"not a Word document: {what}")
    return z


def _has_word_document(names) -> bool:
    # Word writes word/document.xml; some converters name the main part word/document2.xml.
    return any(n.startswith("word/document") and n.endswith(".xml") for n in names)


def _load_docx(data: bytes, limit: int) -> LoadedText:
    _check_zip(data, limit)
    import docx  # python-docx, imported only when a .docx comes

    document = docx.Document(io.BytesIO(data))
    reader = _DocxReader(document)
    lines = list(reader.block_lines(document.element.body))
    warnings: list[str] = []
    legacy = None
    if reader.legacy_runs:
        for enc, n in sorted(reader.legacy_runs.items()):
            warnings.append(f"converted {n} run(s) typed in {encodings.ENCODING_NAMES[enc]} to Unicode")
        legacy = max(reader.legacy_runs, key=reader.legacy_runs.get)
    text, encoding = _repair("\n".join(lines), legacy, warnings)
    return LoadedText(text, "docx", encoding, warnings)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Elements whose w:r children are part of the paragraph's visible text (w:del is not).
_RUN_CONTAINERS = frozenset(_W + t for t in (
    "hyperlink", "ins", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml", "moveTo",
    "dir", "bdo"))
_BLOCK_CONTAINERS = frozenset(_W + t for t in ("sdt", "sdtContent", "customXml"))
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_BULLETS_KEPT = {"-", "+", "*", "•"}


def _wval(el, default=None):
    return el.get(_W + "val", default) if el is not None else default


def _on(el) -> bool:
    """A w:b / w:caps style toggle: present and not switched off."""
    return el is not None and _wval(el, "1").lower() not in ("0", "false", "off")


def _roman(n: int) -> str:
    out = []
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                          (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                          (4, "IV"), (1, "I")):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


_NUM_FORMATS = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}", "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(), "upperLetter": lambda n: _letters(n).upper(),
    "lowerLetter": _letters,
}


class _DocxReader:
    """Text of a Word body in document order, as Word shows it: automatic numbering
    rendered, "caps" formatting applied, runs in TCVN3/VNI fonts converted."""

    def __init__(self, document):
        self.legacy_runs: dict[str, int] = {}
        self._styles = self._read_styles(document.styles.element)
        self._default_pstyle = next((sid for sid, st in self._styles.items()
                                     if st["type"] == "paragraph" and st["default"]), None)
        defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
        self._default_font = self._font_attr(defaults)
        self._levels, self._nums = self._read_numbering(document)
        self._counters: dict[str, dict[int, int]] = {}

    # -- styles and numbering definitions
    @staticmethod
    def _font_attr(rfonts) -> str | None:
        if rfonts is None:
            return None
        return rfonts.get(_W + "hAnsi") or rfonts.get(_W + "ascii")

    def _read_styles(self, root) -> dict[str, dict]:
        styles = {}
        for st in root.iter(_W + "style"):
            sid = st.get(_W + "styleId")
            if not sid:
                continue
            rpr = st.find(_W + "rPr")
            numpr = st.find(f"{_W}pPr/{_W}numPr")
            styles[sid] = {
                "type": st.get(_W + "type"),
                "default": st.get(_W + "default") in ("1", "true"),
                "based_on": _wval(st.find(_W + "basedOn")),
                "font": self._font_attr(rpr.find(_W + "rFonts")) if rpr is not None else None,
                "caps": _on(rpr.find(_W + "caps")) if rpr is not None else False,
                "num": (_wval(numpr.find(_W + "numId")), int(_wval(numpr.find(_W + "ilvl"), "0") or 0))
                if numpr is not None else None,
            }
        return styles

    def _style_chain(self, sid):
        seen = set()
        while sid and sid in self._styles and sid not in seen:
            seen.add(sid)
            yield self._styles[sid]
            sid = self._styles[sid]["based_on"]

    def _style_get(self, sid, key):
        for st in self._style_chain(sid):
            if st[key]:
                return st[key]
        return None

    @staticmethod
    def _read_numbering(document):
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no or broken numbering part: no labels
            return {}, {}
        levels: dict[str, dict[int, dict]] = {}
        for absn in root.iter(_W + "abstractNum"):
            aid = absn.get(_W + "abstractNumId")
            lv = {}
            for lvl in absn.iter(_W + "lvl"):
                try:
                    ilvl = int(lvl.get(_W + "ilvl", "0"))
                    start = int(_wval(lvl.find(_W + "start"), "1") or 1)
                except ValueError:
                    continue
                lv[ilvl] = {"start": start, "fmt": _wval(lvl.find(_W + "numFmt"), "decimal"),
                            "text": _wval(lvl.find(_W + "lvlText"), ""),
                            "legal": _on(lvl.find(_W + "isLgl"))}
            levels[aid] = lv
        nums = {}
        for num in root.iter(_W + "num"):
            overrides = {}
            for ov in num.iter(_W + "lvlOverride"):
                start = _wval(ov.find(_W + "startOverride"))
                if start is not None and start.isdigit():
                    overrides[int(ov.get(_W + "ilvl", "0"))] = int(start)
            nums[num.get(_W + "numId")] = (_wval(num.find(_W + "abstractNumId")), overrides)
        return levels, nums

    def _label(self, num_id: str | None, ilvl: int) -> str:
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        # Lists sharing an abstract definition continue one count unless a num restarts it.
        key = f"num:{num_id}" if overrides else f"abs:{abstract_id}"
        counters = self._counters.setdefault(key, {})
        start = overrides.get(ilvl, levels[ilvl]["start"])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels[ilvl]
        if lvl["fmt"] == "none":
            return ""
        if lvl["fmt"] == "bullet":
            mark = lvl["text"].strip()
            return (mark if mark in _BULLETS_KEPT else "-") + " "

        def fill(m):
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counters.get(k, overrides.get(k, levels[k]["start"]))
            # Legal numbering shows every level in Arabic digits ("1.2." under "I.").
            fmt = "decimal" if lvl["legal"] else levels[k]["fmt"]
            return _NUM_FORMATS.get(fmt, str)(value)

        label = re.sub(r"%(\d)", fill, lvl["text"]).strip()
        return label + " " if label else ""

    # -- text
    def block_lines(self, parent):
        for el in parent:
            if el.tag == _W + "p":
                yield self.paragraph(el)
                # Text boxes anchored in the paragraph (letterheads, signature blocks).
                for box in self._text_boxes(el):
                    yield from self.block_lines(box)
            elif el.tag == _W + "tbl":
                yield from self.table_lines(el)
            elif el.tag in _BLOCK_CONTAINERS:
                yield from self.block_lines(el)

    @staticmethod
    def _text_boxes(p):
        # Word writes a text box twice (DrawingML in mc:Choice, VML in mc:Fallback): one copy.
        for box in p.iter(_W + "txbxContent"):
            if not any(a.tag == _MC_FALLBACK for a in box.iterancestors()) and \
                    not any(a.tag == _W + "txbxContent" for a in box.iterancestors()):
                yield box

    def table_lines(self, tbl):
        rows = [[[ln for ln in self.block_lines(tc) if ln.strip()] for tc in self._children(tr, _W + "tc")]
                for tr in self._children(tbl, _W + "tr")]
        if self._is_layout(rows):
            # The letterhead ("ỦY BAN NHÂN DÂN ... Số: ... | CỘNG HÒA ...") and signature
            # blocks are tables only for layout: their paragraphs are lines of their own.
            for row in rows:
                for cell in row:
                    yield from cell
            return
        for row in rows:
            cells = [" ".join(" ".join(ln.split()) for ln in cell) for cell in row]
            if any(cells):
                yield " | ".join(cells)

    @staticmethod
    def _is_layout(rows) -> bool:
        # Letterhead and signature tables have one or two rows of two columns.
        if not rows or len(rows) > 2 or max(len(r) for r in rows) > 2:
            return False
        return any(len(cell) >= 2 for row in rows for cell in row)

    def _children(self, parent, tag):
        for el in parent:
            if el.tag == tag:
                yield el
            elif el.tag in _BLOCK_CONTAINERS:
                yield from self._children(el, tag)

    def _runs(self, parent):
        for el in parent:
            if el.tag == _W + "r":
                yield el
            elif el.tag in _RUN_CONTAINERS:
                yield from self._runs(el)

    @staticmethod
    def _run_text(r) -> str:
        parts = []
        for el in r:
            tag = el.tag
            if tag == _W + "t":
                parts.append(el.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
        return "".join(parts)

    def paragraph(self, p) -> str:
        ppr = p.find(_W + "pPr")
        pstyle = _wval(ppr.find(_W + "pStyle")) if ppr is not None else None
        pstyle = pstyle or self._default_pstyle
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        if numpr is not None:
            num = (_wval(numpr.find(_W + "numId")), int(_wval(numpr.find(_W + "ilvl"), "0") or 0))
        else:
            num = self._style_get(pstyle, "num")
        label = self._label(*num) if num else ""
        segments: list[list] = []   # [encoding, caps, text]
        for r in self._runs(p):
            text = self._run_text(r)
            if not text:
                continue
            rpr = r.find(_W + "rPr")
            rstyle = _wval(rpr.find(_W + "rStyle")) if rpr is not None else None
            font = (self._font_attr(rpr.find(_W + "rFonts")) if rpr is not None else None) \
                or self._style_get(rstyle, "font") or self._style_get(pstyle, "font") \
                or self._default_font
            caps_el = rpr.find(_W + "caps") if rpr is not None else None
            caps = _on(caps_el) if caps_el is not None else bool(
                self._style_get(rstyle, "caps") or self._style_get(pstyle, "caps"))
            enc = encodings.font_encoding(font)
            caps = caps or encodings.font_is_all_caps(font)
            if enc:
                self.legacy_runs[enc] = self.legacy_runs.get(enc, 0) + 1
            if segments and segments[-1][0] == enc and segments[-1][1] == caps:
                segments[-1][2] += text
            else:
                segments.append([enc, caps, text])
        out = []
        for enc, caps, text in segments:
            if enc == encodings.TCVN3:
                text = encodings.tcvn3_to_unicode(text)
            elif enc == encodings.VNI:
                text = encodings.vni_to_unicode(text)
            out.append(text.upper() if caps else text)
        return label + "".join(out)


# ---------------------------------------------------------------- pdf

def _load_pdf(data: bytes, limit: int) -> LoadedText:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except PdfReadError as e:
        raise _Refused("unreadable", f"damaged or not a PDF: {e}") from None
    warnings: list[str] = []
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as e:
            raise _Refused("encrypted", f"encrypted PDF that this installation cannot open ({e})") from None
        if not opened:
            raise _Refused("encrypted", "encrypted PDF: it needs a password to open")
        warnings.append("encrypted PDF opened with an empty password")
    try:
        pages = reader.pages
        n = len(pages)
    except FileNotDecryptedError:
        raise _Refused("encrypted", "encrypted PDF: it needs a password to open") from None
    if n == 0:
        raise _Refused("empty", "PDF without pages")
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
    if len(failed_pages) == n:
        raise _Refused("unreadable", f"cannot extract the text of any page ({first_error})")
    if len(empty_pages) == n:
        raise _Refused("no-text-layer", "no text layer: OCR needed")
    if _garbled_share("".join(texts)) > MAX_GARBLED_SHARE:
        raise _Refused("no-text-layer", "no text layer: OCR needed (the text layer is unreadable: "
                                        "its fonts have no Unicode mapping)")
    if scanned_pages:
        warnings.append(f"{len(scanned_pages)} of {n} page(s) are images without a text layer "
                        f"(OCR needed): {_page_list(scanned_pages)}")
    if failed_pages:
        warnings.append(f"text of page(s) {_page_list(failed_pages)} could not be extracted")
    # Pages are joined by one newline: a sentence running over a page break is one line
    # break for the normalization stage, which joins it.
    text, encoding = _repair("\n".join(t for t in texts if t), None, warnings)
    return LoadedText(text, "pdf", encoding, warnings)


def _page_has_images(page) -> bool:
    """Whether the page draws an image (a scanned page is one big image)."""
    try:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject")
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:  # noqa: BLE001 - a damaged resource dictionary is no evidence either way
        return False


def _garbled_share(text: str) -> float:
    """Share of non-space characters that are no text: private-use glyph codes, controls,
    U+FFFD. Fonts without a Unicode map give text layers made of these."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc", "Cs", "Cn"))
    return bad / len(chars)


def _page_list(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:20]))
    return shown + (", ..." if len(pages) > 20 else "")


# ---------------------------------------------------------------- html

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HTML_DROP = frozenset({"script", "style", "noscript", "template", "head", "svg", "math",
                        "iframe", "object", "canvas", "button", "select", "option"})
_HTML_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "ul", "html",
    "td", "th",  # only met outside a <tr> in broken markup
})


def _decode_html(data: bytes, warnings: list[str]) -> tuple[str, str | None]:
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            import codecs
            label = m.group(1).decode("ascii", "replace").lower()
            try:
                codec = codecs.lookup(label).name
            except LookupError:
                warnings.append(f"unknown charset {label!r} declared; detected instead")
            else:
                if codec not in ("utf-8", "ascii") and codec != "cp1252" and codec != "latin-1":
                    text = data.decode(codec, errors="replace")
                    if codec == "cp1258":  # tone marks are combining characters
                        text = unicodedata.normalize("NFC", text)
                    return text, codec
                # utf-8 and Western labels are often wrong on Vietnamese pages: detect.
    decoded = encodings.decode_bytes(data, repair=False)
    warnings.extend(decoded.warnings)
    return decoded.text, decoded.encoding


def _load_html(data: bytes, limit: int) -> LoadedText:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, CData

    warnings: list[str] = []
    markup, encoding = _decode_html(data, warnings)
    soup = BeautifulSoup(markup, "html.parser")
    skip_types = (Comment, Declaration, Doctype, ProcessingInstruction, CData)
    lines: list[str] = []
    current: list[str] = []

    def flush():
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    converted: dict[str, int] = {}

    def text_of(string, legacy: str | None) -> str:
        if legacy:
            converted[legacy] = converted.get(legacy, 0) + 1
            return (encodings.tcvn3_to_unicode if legacy == encodings.TCVN3
                    else encodings.vni_to_unicode)(str(string))
        return str(string)

    _SPACE = object()   # marker: a space between block-level pieces of a cell

    def cell_text(node, legacy) -> str:
        parts: list[str] = []
        stack = [(c, _html_font_encoding(node, legacy)) for c in reversed(list(node.children))]
        while stack:   # iterative: deeply nested markup must not exhaust the recursion limit
            child, enc_ = stack.pop()
            if child is _SPACE:
                parts.append(" ")
            elif isinstance(child, skip_types):
                continue
            elif isinstance(child, str):
                parts.append(text_of(child, enc_))
            elif child.name not in _HTML_DROP:
                inner = _html_font_encoding(child, enc_)
                spaced = child.name in _HTML_BLOCK or child.name == "br"
                if spaced:
                    parts.append(" ")
                    stack.append((_SPACE, None))
                stack.extend((c, inner) for c in reversed(list(child.children)))
        return " ".join("".join(parts).split())

    _FLUSH = object()

    def walk(root):
        stack = [(c, None) for c in reversed(list(root.children))]
        while stack:
            child, legacy = stack.pop()
            if child is _FLUSH:
                flush()
                continue
            if isinstance(child, skip_types):
                continue
            if isinstance(child, str):
                current.append(text_of(child, legacy))
                continue
            name = child.name
            if name in _HTML_DROP:
                continue
            inner = _html_font_encoding(child, legacy)
            if name == "br":
                flush()
            elif name == "pre":
                flush()
                lines.extend(ln.rstrip() for ln in text_of(child.get_text(), inner).split("\n") if ln.strip())
            elif name == "tr":
                flush()
                cells = [cell_text(c, inner) for c in child.find_all(["td", "th"], recursive=False)]
                if any(cells):
                    lines.append(" | ".join(cells))
            else:
                if name in _HTML_BLOCK:
                    flush()
                    stack.append((_FLUSH, None))
                stack.extend((c, inner) for c in reversed(list(child.children)))

    walk(soup)
    flush()
    for legacy, n in sorted(converted.items()):
        warnings.append(f"converted {n} text(s) in {encodings.ENCODING_NAMES[legacy]} fonts to Unicode")
    if converted:
        encoding = max(converted, key=converted.get)
    text, encoding = _repair("\n".join(lines), encoding, warnings)
    return LoadedText(text, "html", encoding, warnings)


_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;]+)", re.I)


def _html_font_encoding(tag, inherited: str | None) -> str | None:
    """Legacy encoding of an element's font (Word's "save as web page" keeps
    font-family:".VnTime"); a font that is not legacy ends an inherited one."""
    family = tag.get("face") if tag.name == "font" else None
    if family is None:
        m = _FONT_FAMILY.search(tag.get("style") or "")
        family = m.group(1) if m else None
    if not family:
        return inherited
    return encodings.font_encoding(family.split(",")[0].strip().strip("'\""))


_LOADERS = {
    "txt": _load_plain("txt"),
    "md": _load_plain("md"),
    "docx": _load_docx,
    "pdf": _load_pdf,
    "html": _load_html,
}
