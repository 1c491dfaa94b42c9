"""Stage 2, structure: heading tree, clauses, Dự án scopes and the program.

Works on `Normalized.text` (clean text). Every line is a block; a block that starts with a
label (I., 1., 1.1., a), (1), 1), -, +) or with "Dự án N" / "Tiểu dự án N" / "Nội dung số N"
is a heading or an item. The nesting of label styles is learnt from the order in which they
appear (a plan may put "a)" under "1." or "1)" under "IV."), with a stack: a style already on
the stack closes everything below it, a new style opens a child.

Lookups (`clause_at`, `section_at`, `scope_at`, `section_path_at`) take CLEAN-text offsets
and use bisect. The `Clause` / `Section` objects handed to the Plan carry ORIGINAL-text
offsets (via `norm.span`), as model.py says.

PDF conversions shuffle pages: a block that starts in lower case continues the sentence of
the block that ends without punctuation elsewhere; `_repair_scopes` gives such a displaced
run the scope of the place it came from (see there).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from . import programs
from .blocks import _BASIS_RE, Block, _blocks, _printed
from .model import Clause, DuAn, Section
from .normalize import Normalized
from .scopes import RawSection, _du_an, _plan_scope, _repair_scopes, _scopes

# ---------------------------------------------------------------- the structure of a plan


@dataclass
class Structure:
    sections: list[Section] = field(default_factory=list)  # original offsets
    clauses: list[Clause] = field(default_factory=list)  # original offsets
    du_an: list[DuAn] = field(default_factory=list)
    program_code: Optional[str] = None
    # clean-text offsets, parallel to clauses / sections
    clause_starts: list[int] = field(default_factory=list)
    clause_ends: list[int] = field(default_factory=list)
    clause_scopes: list[Optional[str]] = field(default_factory=list)
    section_starts: list[int] = field(default_factory=list)
    section_ends: list[int] = field(default_factory=list)
    header_end: int = 0  # clean offset where the body (first labelled heading) starts
    plan_scope: Optional[str] = None  # the Dự án a whole plan is about ("Kế hoạch thực hiện Dự án 7")
    _sections_by_id: dict = field(default_factory=dict, repr=False)
    _clause_section: list = field(default_factory=list, repr=False)

    def clause_index(self, pos: int) -> int:
        """Index of the clause containing clean offset pos, -1 when pos is between clauses."""
        i = bisect_right(self.clause_starts, pos) - 1
        if i < 0 or pos >= self.clause_ends[i]:
            return -1
        return i

    _clause_index = clause_index  # the older name, still used by amounts.py

    def section(self, section_id: Optional[str]) -> Optional[Section]:
        """The section with this id ("s3"), None for None or an unknown id."""
        return self._sections_by_id.get(section_id) if section_id else None

    def parent(self, sec: Section) -> Optional[Section]:
        return self.section(sec.parent)

    def section_end(self, sec: Section) -> int:
        """Clean end offset of a section's body."""
        return self.section_ends[int(sec.id[1:]) - 1]

    def clause_at(self, pos: int) -> Optional[Clause]:
        """The clause containing clean-text offset pos."""
        i = self._clause_index(pos)
        return self.clauses[i] if i >= 0 else None

    def clause_id_at(self, pos: int) -> Optional[str]:
        c = self.clause_at(pos)
        return c.id if c else None

    def section_at(self, pos: int) -> Optional[Section]:
        """The innermost section whose body contains clean offset pos."""
        i = bisect_right(self.clause_starts, pos) - 1
        if i < 0:
            return None
        sid = self._clause_section[i]
        return self.section(sid)

    def scope_at(self, pos: int) -> Optional[str]:
        """The Dự án scope id ("DA5", "DA1.TDA2") in force at clean offset pos, or None."""
        i = bisect_right(self.clause_starts, pos) - 1
        if i < 0:
            return None
        return self.clause_scopes[i]

    def section_path_at(self, pos: int) -> str:
        i = bisect_right(self.clause_starts, pos) - 1
        return self.clauses[i].section if i >= 0 else ""

    def body_start(self) -> int:
        return self.header_end


# ---------------------------------------------------------------- program


def detect_program(text: str, header_end: int) -> Optional[str]:
    """gnbv | ntm | dtts from the title and căn cứ (header counts more than the body)."""
    head = text[: max(header_end, 1500)].lower()
    body = text[max(header_end, 1500):].lower()
    best, best_score = None, 0.0
    for code in programs.codes():
        score = 0.0
        for p in programs.patterns(code):
            score += 3 * head.count(p) + 0.2 * body.count(p)
        if score > best_score:
            best, best_score = code, score
    return best


# ---------------------------------------------------------------- parse


def parse(norm: Normalized) -> Structure:
    text = norm.text
    blocks = _blocks(text)
    st = Structure()
    # header: everything before the first roman / numbered heading
    # "Điều 1. Giao kế hoạch vốn ... 1.245.680 triệu đồng": an article starts the body even when it is a paragraph
    first_body = next((b.start for b in blocks if (b.style in ("roman", "num1", "da", "upper") and b.kind == "heading")
                       or ((b.style or "").startswith("part_") and b.kind in ("heading", "item"))), None)
    if first_body is None:
        first_body = next((b.start for b in blocks if b.style in ("roman", "num1", "num1p", "letter", "da", "caps")
                           and b.start > _basis_end(blocks)), None)
    if first_body is None:
        first_body = _basis_end(blocks)  # no headings at all: the body starts after the căn cứ
    st.header_end = first_body
    st.program_code = detect_program(text, first_body)
    st.plan_scope = _plan_scope(text[:first_body], st.program_code)

    # heading tree with a style stack; each entry: (style, section index)
    stack: list[tuple[str, int]] = []
    raw_sections: list[RawSection] = []
    clause_sec: list[Optional[int]] = []
    for b in blocks:
        if b.start < first_body and b.style != "da":
            clause_sec.append(None)
            continue
        if b.style in ("bullet", "plus") and stack and stack[-1][0].startswith("b_") \
                and raw_sections[stack[-1][1]].block.prefix == b.label:
            # "- Dự án 4: 35.600 ...;" then "- Các dự án còn lại: ...": a sibling bullet closes the
            # Dự án written as a bullet (its own content is written one level down, "+")
            stack.pop()
        if b.style in (None, "bullet", "plus"):
            clause_sec.append(stack[-1][1] if stack else None)
            continue
        # close what this style closes
        styles = [s for s, _ in stack]
        if b.style in styles:
            del stack[styles.index(b.style):]
        elif b.style in ("da", "tda", "nd"):
            # an unlabelled "Dự án" heading closes deeper keyword headings
            for s in (("da", "tda") if b.style == "da" else ("tda",) if b.style == "tda" else ("nd",)):
                ss = [x for x, _ in stack]
                if s in ss:
                    del stack[ss.index(s):]
        elif b.style == "caps":
            stack.clear()
        # a Dự án heading closes the open Dự án whatever its label style; a Tiểu dự án the open Tiểu dự án
        if b.da or b.tda is not None:
            for pos, (_, si) in enumerate(stack):
                ob = raw_sections[si].block
                if (b.da and (ob.da or ob.tda is not None)) or (b.tda is not None and ob.tda is not None):
                    del stack[pos:]
                    break
        parent = stack[-1][1] if stack else None
        idx = len(raw_sections)
        raw_sections.append(RawSection(block=b, parent=parent, depth=len(stack) + 1, end=len(text)))
        stack.append((b.style, idx))
        clause_sec.append(idx)

    # section ends: next section at the same or a shallower depth
    open_: list[int] = []
    for i, s in enumerate(raw_sections):
        while open_ and raw_sections[open_[-1]].depth >= s.depth:
            raw_sections[open_.pop()].end = s.block.start
        open_.append(i)

    # scopes
    scopes = _scopes(raw_sections, st.plan_scope, st.program_code)
    clause_scope = [scopes[i] if i is not None else None for i in clause_sec]
    clause_scope = _repair_scopes(blocks, clause_sec, clause_scope, raw_sections)

    # build Sections
    def sid(i):
        return f"s{i + 1}"

    paths: list[str] = []
    for i, s in enumerate(raw_sections):
        b = s.block
        if b.prefix or b.style in ("da", "tda", "nd", "caps"):
            head = b.prefix + " " + b.title if b.prefix else b.title
        else:
            head = _printed(b.style, b.label) + " " + b.title
        head = head.strip()
        paths.append((paths[s.parent] + " > " if s.parent is not None else "") + head)
        o_start, _ = norm.span(b.start, b.start)
        _, o_end = norm.span(b.start, s.end)
        sec = Section(id=sid(i), label=b.label, title=b.title, depth=s.depth, start=o_start,
                      end=max(o_end, o_start), parent=sid(s.parent) if s.parent is not None else None,
                      du_an=scopes[i])
        st.sections.append(sec)
        st.section_starts.append(b.start)
        st.section_ends.append(s.end)
    st._sections_by_id = {s.id: s for s in st.sections}

    for n, (b, si, sc) in enumerate(zip(blocks, clause_sec, clause_scope)):
        o_start, o_end = norm.span(b.start, b.end)
        kind = b.kind if si is None or raw_sections[si].block is b else ("item" if b.style else "paragraph")
        st.clauses.append(Clause(id=f"c{n + 1:04d}", start=o_start, end=o_end, text=b.text,
                                 section=paths[si] if si is not None else "", section_id=sid(si) if si is not None else None,
                                 du_an=sc, kind=kind))
        st.clause_starts.append(b.start)
        st.clause_ends.append(b.end)
        st.clause_scopes.append(sc)
        st._clause_section.append(sid(si) if si is not None else None)

    st.du_an = _du_an(norm, blocks, raw_sections, scopes, st.program_code, st.plan_scope)
    return st


def _basis_end(blocks: list[Block]) -> int:
    """End of the last "Căn cứ ..." paragraph in the first half of the text (0 if none)."""
    half = blocks[-1].end // 2 if blocks else 0
    ends = [b.end for b in blocks if b.start <= half and _BASIS_RE.match(b.text)]
    return ends[-1] if ends else 0



_PLAN_HEAD_RE = re.compile(r"^[ \t#*]*(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|ĐỀ ÁN|BÁO CÁO|TỜ TRÌNH|NGHỊ QUYẾT|CÔNG VĂN|HƯỚNG DẪN)\b", re.M)
# the number may carry its year: "Số: 15/2022/NQ-HĐND"
_NUMBER_RE = re.compile(r"^[ \t#*]*Số\s*:?\s*[\w.\-]*\s*/\s*(?:(?:19|20)\d\d\s*/\s*)?[\w.\-]*(?:KH|QĐ|BC|CTr|ĐA|TTr|NQ|CV|HD|UBND)", re.M | re.I)


def looks_like_plan(norm: Normalized, struct: Structure) -> tuple[bool, str]:
    """An administrative document has a header (Số: .../KH-..., KẾ HOẠCH, Căn cứ ...) and a
    heading structure. A news article about a plan has neither its header nor its numbering."""
    text = norm.text
    if len(text.strip()) < 200:
        return False, "văn bản quá ngắn để là một kế hoạch"
    head = text[: max(struct.header_end, 3000)]
    header_signals = sum(bool(rx.search(head)) for rx in (_PLAN_HEAD_RE, _BASIS_RE, _NUMBER_RE))
    body_signals = int(sum(1 for s in struct.sections if s.depth <= 2 and s.label) >= 3) + int(bool(struct.du_an))
    if header_signals >= 2 or (header_signals == 1 and body_signals >= 1):
        return True, ""
    missing = []
    if not _PLAN_HEAD_RE.search(head):
        missing.append("không có dòng tên loại KẾ HOẠCH/QUYẾT ĐỊNH")
    if not _BASIS_RE.search(head):
        missing.append("không có phần Căn cứ")
    if not _NUMBER_RE.search(head):
        missing.append("không có dòng 'Số: .../KH-...'")
    if not body_signals:
        missing.append("không có đề mục đánh số hay Dự án")
    return False, "không giống văn bản kế hoạch: " + ", ".join(missing)
