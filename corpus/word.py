"""Word .docx (python-docx): paragraphs and tables in document order, automatic numbering
rendered, "caps" applied, runs in TCVN3/VNI fonts converted."""
from __future__ import annotations

import io
import re

from corpus import encodings
from corpus.loaded import LoadedText, LoadOptions, repair
from corpus.zipguard import check_zip

def load_docx(data: bytes, opts: LoadOptions) -> LoadedText:
    check_zip(data, opts.max_bytes)
    import docx  # python-docx, imported only when a .docx comes

    document = docx.Document(io.BytesIO(data))
    reader = _DocxReader(document)
    lines = list(reader.block_lines(document.element.body))
    # Page headers go before the body (a letterhead or motto is often put there), footers
    # after it; each once, page numbers left out.
    lines = _margin_lines(document, reader, "header") + lines + _margin_lines(document, reader, "footer")
    warnings: list[str] = []
    legacy = None
    if reader.legacy_runs:
        for enc, n in sorted(reader.legacy_runs.items()):
            warnings.append(f"đã chuyển {n} đoạn gõ bằng {encodings.ENCODING_NAMES[enc]} sang Unicode")
        legacy = max(reader.legacy_runs, key=reader.legacy_runs.get)
    text, encoding = repair("\n".join(lines), legacy, warnings)
    return LoadedText(text, "docx", encoding, warnings)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*)?\d{1,4}(?:\s*(?:/|trên)\s*\d{1,4})?\s*$", re.I)


def _margin_lines(document, reader, kind: str) -> list[str]:
    """Lines of the page headers (kind "header") or footers of every section, in order."""
    out: list[str] = []
    seen: set[str] = set()
    parts = document.part.related_parts
    for ref in document.element.body.iter(f"{_W}{kind}Reference"):
        part = parts.get(ref.get(_R_ID))
        if part is None:
            continue
        try:
            element = part.element
        except AttributeError:   # a part python-docx does not parse
            continue
        for line in reader.block_lines(element):
            key = " ".join(line.split())
            if key and key not in seen and not _PAGE_NUMBER.match(key):
                seen.add(key)
                out.append(line)
    return out
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


