"""Saved web pages (.html/.htm): BeautifulSoup, block structure kept as lines, legacy fonts
converted; on a portal page only the main content (found by trafilatura) is read."""
from __future__ import annotations

import re
import unicodedata

from corpus import encodings
from corpus.loaded import LoadedText, LoadOptions, repair

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
                warnings.append(f"bảng mã {label!r} khai báo trong trang không có; tự nhận dạng")
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


def load_html(data: bytes, opts: LoadOptions) -> LoadedText:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, CData

    warnings: list[str] = []
    markup, encoding = _decode_html(data, warnings)
    soup = BeautifulSoup(markup, "html.parser")
    region = main_region(soup, markup)
    if region is not None:
        warnings.append("trang web: chỉ lấy phần nội dung chính (bỏ menu, liên kết, "
                        "ý kiến bạn đọc, thống kê truy cập, chân trang)")
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
            if in_region and _is_boilerplate(child):
                continue
            inner = _html_font_encoding(child, legacy)
            if name == "br":
                flush()
            elif name == "pre":
                flush()
                lines.extend(ln.rstrip() for ln in text_of(child.get_text(), inner).split("\n") if ln.strip())
            elif name == "tr" and _is_layout_row(child):
                # The letterhead ("ỦY BAN NHÂN DÂN ... Số: ... | CỘNG HÒA ...") and signature
                # are tables only for layout: each cell's paragraphs are lines of their own.
                flush()
                for cell in reversed(child.find_all(["td", "th"], recursive=False)):
                    stack.append((_FLUSH, None))
                    stack.extend((c, inner) for c in reversed(list(cell.children)))
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

    in_region = region is not None
    walk(region if region is not None else soup)
    flush()
    for legacy, n in sorted(converted.items()):
        warnings.append(f"đã chuyển {n} đoạn chữ phông {encodings.ENCODING_NAMES[legacy]} sang Unicode")
    if converted:
        encoding = max(converted, key=converted.get)
    text, encoding = repair("\n".join(lines), encoding, warnings)
    return LoadedText(text, "html", encoding, warnings)


_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;]+)", re.I)
# A page is a portal page, whose boilerplate must go, when it has any of these.
_PORTAL_MARKS = re.compile(
    r"<(?:nav|aside|footer|header)\b|\b(?:class|id)\s*=\s*[\"'][^\"']*\b(?:menu|navbar|nav|sidebar|footer|"
    r"breadcrumb|comment|related|widget)|ý kiến bạn đọc|thống kê truy cập|lượt truy cập|"
    r"tin liên quan|liên kết website|bản quyền thuộc", re.I)
# Below this share of the page's text, the main-content guess lost the document.
MIN_MAIN_SHARE = 0.2


def main_region(soup, markup: str):
    """The element holding a portal page's main content, or None to read the whole page.

    trafilatura finds the main content's paragraphs; the region is the smallest element of
    the page that holds its first and last paragraph, read by this module's own walker
    (tables, letterheads and legacy fonts as everywhere else; trafilatura's own output drops
    a leading heading, which is often "KẾ HOẠCH"). None for a page without portal marks, or
    when the guess kept too little of the page's text."""
    if not _PORTAL_MARKS.search(markup):
        return None
    try:
        import trafilatura
        main = trafilatura.extract(markup, output_format="txt", include_tables=False,
                                   include_comments=False, favor_recall=True,
                                   include_formatting=False, include_links=False,
                                   include_images=False, deduplicate=False)
    except Exception:  # noqa: BLE001 - a page trafilatura cannot parse is read whole
        return None
    # trafilatura writes tables as markdown rows: their cells are paragraphs too.
    paragraphs = [" ".join(c.split()) for p in (main or "").split("\n") for c in p.split("|")]
    paragraphs = [p for p in paragraphs if len(p) >= 12 and not _BOILERPLATE_TITLE.match(p)]
    if not paragraphs:
        return None
    # The page's text nodes, whitespace folded, with where each begins.
    nodes, starts, parts, at = [], [], [], 0
    for node in soup.find_all(string=True):
        if node.parent is None or node.parent.name in _HTML_DROP or type(node).__name__ != "NavigableString":
            continue
        piece = " ".join(str(node).split())
        if not piece:
            continue
        nodes.append(node)
        starts.append(at)
        parts.append(piece)
        at += len(piece) + 1
    flat = " ".join(parts)
    first = flat.find(paragraphs[0][:60])
    last = flat.rfind(paragraphs[-1][-60:])
    if first < 0 or last < 0:
        return None
    import bisect
    a = nodes[bisect.bisect_right(starts, first) - 1]
    b = nodes[bisect.bisect_right(starts, last + min(len(paragraphs[-1]), 60) - 1) - 1]
    ancestors = {id(x) for x in a.parents}
    region = next((x for x in b.parents if id(x) in ancestors), None)
    if region is None or region.name in ("[document]", "html", "body"):
        return None
    kept = len("".join(region.get_text(" ").split()))
    return region if kept >= MIN_MAIN_SHARE * len("".join(flat.split())) else None


# Blocks of a portal page inside the content's element: comments, related news, sharing.
_BOILERPLATE_CLASS = re.compile(r"comment|binh-?luan|y-?kien|related|tin-?khac|tin-?lien-?quan|share|"
                                r"social|chia-?se|breadcrumb|tags?\b|rating|print|footer|menu|navbar",
                                re.I)
_BOILERPLATE_TITLE = re.compile(r"^\s*(?:ý kiến bạn đọc|ý kiến của bạn|bình luận|gửi ý kiến|tin liên quan|"
                                r"(?:các )?tin khác|tin cùng chuyên mục|thống kê truy cập|lượt truy cập|"
                                r"liên kết website|chia sẻ|in bài|bản quyền thuộc)", re.I)
_CONTAINERS = frozenset({"div", "section", "aside", "ul", "ol", "form", "table", "nav", "footer"})


def _is_boilerplate(tag) -> bool:
    """A comment box, related-news list, share bar... by its class/id or its first words."""
    if tag.name in ("nav", "footer", "aside", "form"):
        return True
    if tag.name not in _CONTAINERS:
        return False
    marks = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    if marks.strip() and _BOILERPLATE_CLASS.search(marks):
        return True
    first = next((t for t in tag.find_all(string=True, limit=20) if t.strip()), None)
    return first is not None and bool(_BOILERPLATE_TITLE.match(first))


def _is_layout_row(tr) -> bool:
    """A row of a one- or two-row table of at most two cells, one of them several paragraphs:
    a letterhead or a signature block, as in the .docx reader."""
    table = tr.find_parent("table")
    if table is None:
        return False
    rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
    if len(rows) > 2:
        return False
    cells = tr.find_all(["td", "th"], recursive=False)
    if not cells or len(cells) > 2:
        return False
    return any(len([b for b in c.find_all(["p", "div", "br"]) if b.name == "br" or b.get_text(strip=True)]) >= 2
               for c in cells)



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


