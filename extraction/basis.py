"""The legal-basis block of a document: where its citations are relation "căn cứ".

The block opens at the first line that starts with a citation lead ("Căn cứ", "Thực hiện",
"Theo đề nghị", "Xét Tờ trình", ... : data/doc_types.json "citation_lead") before the body, and
runs over the following lead lines and the lines that continue them. Conversions break items
over lines ("Căn cứ Quyết định số" / "90/QĐ-TTg ...") and drop the lead of a list item
("Luật Ngân sách nhà nước ngày 25/6/2015;" after a "Căn cứ" line ending in ";"), so a line that
follows an unfinished line or a ";" stays in the block. The block ends at the body: "Điều 1",
"QUYẾT ĐỊNH:", a roman heading, or a line after a finished sentence ("... như sau:") that is no
citation.

A page that is not itself a document (a news page reporting a decision: no "Số:" line, no
national motto, no type heading) has no legal basis: what it cites is relation "khác".
"""
from __future__ import annotations

import re
from functools import lru_cache

from .textkeys import doc_type_data

_BODY_RE = re.compile(
    r"[ \t]*(?:Điều[ \t]*\d|Điều[ \t]*$|(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|KẾT LUẬN)[ \t]*:|"
    r"[IVX]+[ \t]*[.)][ \t]*\S|Phần[ \t]+(?:I|1|thứ nhất)\b|Chương[ \t]+I\b|(?i:Nơi nhận))")
_MOTTO_RE = re.compile(r"C[ỘO]NG\s+H[ÒO]A\s+XÃ\s+HỘI|Độc lập\s*-\s*Tự do|ĐỘC LẬP\s*-\s*TỰ DO")
_OWN_NUMBER_RE = re.compile(r"(?m)^[ \t|]*Số[ \t]*:")


@lru_cache(maxsize=1)
def _lead_re() -> re.Pattern:
    leads = sorted(doc_type_data()["citation_lead"], key=len, reverse=True)
    alt = "|".join(re.escape(w[:1].upper() + w[1:]) for w in leads)
    return re.compile(rf"[ \t]*(?:[-+•*][ \t]*)?(?:{alt})(?![\w])")


# lines only a document has: "Căn cứ ..." items, articles, roman headings, the recipients
_DOC_LINE_RE = re.compile(r"(?m)^[ \t]*(?:[-+•][ \t]*)?(?:Căn cứ\b|Điều[ \t]*\d|[IVX]+[ \t]*[.)][ \t]*\S|Nơi nhận"
                          r"|(?:Thực hiện|Theo|Xét)\b[^\n]*;[ \t]*$)")  # a basis item ends with ";", prose with "."


def is_document(text: str) -> bool:
    """The text reads like an administrative document (motto, "Số:" line, type heading, a
    "Căn cứ" line, articles or roman headings), not like a page that reports one."""
    head = text[:2500]
    if _MOTTO_RE.search(head) or _OWN_NUMBER_RE.search(head) or _DOC_LINE_RE.search(text):
        return True
    names = [t["name"].upper() for t in doc_type_data()["types"]]
    return any(re.search(rf"(?m)^[ \t]*{re.escape(n)}[ \t]*$", head) for n in names)


def basis_span(text: str) -> tuple[int, int]:
    """(start, end) of the legal-basis block in the clean text; (0, 0) when there is none."""
    lead = _lead_re()
    start = end = -1
    prev_end_char = ""
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        s = line.strip()
        if start < 0:
            if _BODY_RE.match(line) and not lead.match(line):
                if re.match(r"[ \t]*(?:Điều|[IVX]+[ \t]*[.)])", line):
                    return 0, 0  # the body began before any citation lead
                continue
            if lead.match(line):
                start, end, prev_end_char = line_start, line_start + len(line), s[-1:]
            continue
        if not s:
            continue
        if _BODY_RE.match(line):
            break
        if lead.match(line) or prev_end_char not in (".", "!", "?", "$"):
            end = line_start + len(line)
            # "... như sau:" closes the preamble; "Căn cứ các Nghị quyết của Quốc hội:" opens a list
            prev_end_char = "$" if re.search(r"(?:như sau|sau đây)[ \t]*:$", s) else s[-1:]
            continue
        break
    return (start, end) if start >= 0 else (0, 0)
