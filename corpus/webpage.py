"""Saved web pages (.html/.htm): BeautifulSoup, block structure kept as lines, legacy fonts
converted."""
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


def load_html(data: bytes, opts: LoadOptions) -> LoadedText:
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
    text, encoding = repair("\n".join(lines), encoding, warnings)
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


