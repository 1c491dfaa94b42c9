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
from .model import Clause, DuAn, Section
from .normalize import Normalized

# ---------------------------------------------------------------- label patterns

_ROMAN = r"(?P<roman>(?:X{0,3})(?:IX|IV|V?I{0,3}))"
_LABEL_RE = re.compile(
    r"^(?:"
    r"(?P<part>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+(?P<part_n>[IVX]{1,5}|\d{1,2}|[A-Z])(?:\s*[.:\-]\s*|\s+(?=[A-ZĐÀ-Ỹ]))"
    r"|(?P<r>(?=[IVX])" + _ROMAN + r")\s*(?:[.)]|\s-|-|/)\s*(?=\S)"
    r"|\((?P<pnum>\d{1,2})\)\s*"
    r"|\((?P<plet>[a-zđ])\)\s*"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?\)?\s+"
    r"|(?P<num1>\d{1,2})(?:\.|\)|/)\s+"
    r"|(?P<letter>[a-zđ])(?:\)|\.(?=\s))\s+"
    r"|(?P<upper>[A-EĐ])[.)]\s+(?=\S)"
    r"|(?P<bullet>[-+•∙▪●◦*])\s*"
    r")"
)
# "Dự án 1:", "Tiểu dự án 2 - Dự án 1:", "Tiểu dự án:", "Nội dung số 3", "Nội dung thành phần số 03"
_KEYWORD_RE = re.compile(
    r"^(?:(?P<tda>Tiểu dự án)\s*(?:số\s*)?(?P<tda_n>\d{1,2})?(?:\s*(?:-|thuộc|của)\s*Dự án\s*(?:số\s*)?(?P<tda_parent>\d{1,2}))?"
    r"|(?P<da>Dự án)\s*(?:số\s*)?(?P<da_n>\d{1,2})(?![\d/])"
    r"|(?P<nd>Nội dung(?: thành phần)?)\s*(?:số\s*)?(?P<nd_n>\d{1,2})(?![\d/])"
    r")\s*(?P<sep>[:.\-]?)\s*",
    re.I,
)
_UPPER_RATIO = 0.8
_SIGNATURE_RE = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\.|^(?:PHÓ )?CHỦ TỊCH|^(?:GIÁM ĐỐC|TRƯỞNG PHÒNG|CHÁNH VĂN PHÒNG)\b|^NƠI NHẬN")  # an unlabelled line this upper-case is a heading written as a paragraph
_TITLE_MAX = 160

# Mentions in running text: "Tiểu dự án 2 - Dự án 1", "Dự án 7", "Tiểu dự án 1 thuộc Dự án 3".
# Capitalised as the plans write them: "dự án 3 công trình" in running text is not Dự án 3.
_MENTION_TDA_RE = re.compile(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2}(?:\s*(?:,|và)\s*\d{1,2})*)\s*(?:-|,|thuộc|của|THUỘC)\s*(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])")
# "Dự án 2, 3 và 4": the numbers after the first one
_MENTION_LIST_RE = re.compile(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?\d{1,2}((?:\s*,\s*\d{1,2}(?![\d/.,]\d))+(?:\s*và\s*\d{1,2}(?![\d/.,]\d))?|\s*và\s*\d{1,2}(?![\d/.,]\d))(?!\s*(?:%|tỷ|triệu|đồng|người|hộ|xã|công trình))")
# "Dự án 3, Tiểu dự án 1 (...)": the Dự án written first
_INLINE_DA_TDA_RE = re.compile(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(?P<da>\d{1,2})\s*:(?:(?!(?:Dự án|DỰ ÁN)\s*\d)[^\n:;]){3,300}?[,;]\s*(?P<tda>(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?\d{1,2})(?![\d/])")
_LINE_TDA_RE = re.compile(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])(?!\s*(?:-|thuộc|của)\s*(?:Dự án|DỰ ÁN))")
_NEXT_DA_RE = re.compile(r"(?<![Tt]iểu )(?<!TIỂU )(?:Dự án|DỰ ÁN)\s*(?:số\s*)?\d")
_MENTION_DA_TDA_RE = re.compile(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})\s*[,\-–]\s*(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])")
_MENTION_DA_RE = re.compile(r"(?<![Tt]iểu )(?<!TIỂU )\b(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/.,]\d)(?!\s+(?:công trình|hộ|xã|dự án|mô hình)\b)(?:\s*[:\-]\s*(?P<name>[^\n;:.()]{5,200}))?")
# A name ends where the text goes on about something else.
_NAME_END_RE = re.compile(
    r"\s*(?:[,;]?\s*(?:với )?(?:tổng )?(?:kinh phí|vốn|nguồn vốn|dự kiến)\b.*|\s+thuộc\s+Chương trình.*|\s+của Chương trình.*|\s+trên địa bàn (?:huyện|tỉnh|xã|thành phố|thị xã).*|\s*\(.*)$",
    re.I,
)


@dataclass
class Block:
    start: int  # clean offsets
    end: int
    text: str
    style: Optional[str] = None  # label style: "roman", "num1", "num2", "letter", "pnum", "bullet", "da", "tda", "nd", "caps"
    label: str = ""
    prefix: str = ""  # the printed label before a keyword heading: "1.1." of "1.1. Tiểu dự án 1"
    title: str = ""
    kind: str = "paragraph"
    da: Optional[int] = None  # "Dự án N" heading
    tda: Optional[int] = None  # "Tiểu dự án N" heading (0: unnumbered)
    tda_parent: Optional[int] = None
    nd: Optional[int] = None
    name: str = ""  # Dự án name as written


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

    def _clause_index(self, pos: int) -> int:
        i = bisect_right(self.clause_starts, pos) - 1
        if i < 0 or pos >= self.clause_ends[i]:
            return -1
        return i

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
        return self._sections_by_id.get(sid) if sid else None

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


# ---------------------------------------------------------------- blocks


def _blocks(text: str) -> list[Block]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        lead = len(line) - len(line.lstrip(" *#>|"))
        body = line.strip(" *#>|")
        if not body or not any(ch.isalnum() for ch in body):
            continue
        start = m.start() + lead
        out.append(_classify(Block(start=start, end=start + len(body.rstrip()), text=body.rstrip())))
    return out


def _classify(b: Block) -> Block:
    t = b.text
    rest = t
    m = _LABEL_RE.match(t)
    if m and m.group("r") is not None and not m.group("roman"):
        m = None
    if m:
        if m.group("part"):
            b.style, b.label = "part_" + m.group("part").lower(), m.group("part").capitalize() + " " + m.group("part_n")
        elif m.group("r") is not None:
            b.style, b.label = "roman", m.group("roman")
        elif m.group("pnum"):
            b.style, b.label = "pnum", "(" + m.group("pnum") + ")"
        elif m.group("plet"):
            b.style, b.label = "plet", "(" + m.group("plet") + ")"
        elif m.group("num"):
            lab = m.group("num")
            b.style, b.label = "num%d" % (lab.count(".") + 1), lab
        elif m.group("num1"):
            # "1)" and "1." are different styles: plans nest one under the other
            b.style = "num1" if t[len(m.group("num1"))] in "./" else "num1p"
            b.label = m.group("num1")
        elif m.group("letter"):
            b.style, b.label = "letter", m.group("letter")
        elif m.group("upper"):
            b.style, b.label = "upper", m.group("upper")
        else:
            b.style, b.label = "bullet", m.group("bullet")
            if b.label == "+":
                b.style = "plus"
        rest = t[m.end():]
    k = _KEYWORD_RE.match(rest)
    if k and (k.group("sep") or k.end() == len(rest) or k.group("tda")) and rest[:1].isupper():
        name = rest[k.end():]
        if k.group("tda"):
            b.tda = int(k.group("tda_n")) if k.group("tda_n") else 0
            if k.group("tda_parent"):
                b.tda_parent = int(k.group("tda_parent"))
            key = "Tiểu dự án" + (f" {b.tda}" if b.tda else "")
        elif k.group("da"):
            b.da = int(k.group("da_n"))
            key = f"Dự án {b.da}"
        else:
            b.nd = int(k.group("nd_n"))
            key = f"Nội dung {b.nd}"
        b.name = _clean_name(name)
        if b.style in ("bullet", "plus"):
            # "- Dự án 2: ..." a heading written as a bullet item: its own style, so that
            # the next such bullet closes it
            b.prefix, b.style = b.label, "b_" + ("tda" if b.tda is not None else "da" if b.da else "nd")
            b.label = key
        elif b.style is None:
            b.style, b.label = ("tda" if b.tda is not None else "da" if b.da else "nd"), key
        else:
            b.prefix, b.label = _printed(b.style, b.label), key
        b.title = (key + (": " + b.name if b.name else "")).strip()
        b.kind = "heading"
        return b
    if b.style is None:
        letters = [c for c in t if c.isalpha()] if len(t) <= 200 else []  # a long line is no heading
        if len(letters) >= 4 and sum(c.isupper() for c in letters) >= _UPPER_RATIO * len(letters) \
                and not _SIGNATURE_RE.match(t):
            b.style, b.label, b.title, b.kind = "caps", "", t, "heading"
        return b
    b.title = _short_title(rest)
    if b.style in ("bullet", "plus"):
        b.kind = "item"
    else:
        b.kind = "heading" if len(rest) <= _TITLE_MAX and not rest.rstrip().endswith((".", ";")) else "item"
    return b


def _printed(style: Optional[str], label: str) -> str:
    if style in ("roman", "num1", "num2", "num3", "num4"):
        return label + "."
    if style in ("letter", "num1p"):
        return label + ")"
    return label


def _short_title(s: str) -> str:
    s = s.strip()
    cut = s.find(":")
    if 0 < cut <= _TITLE_MAX:
        return s[:cut].strip()
    if len(s) <= _TITLE_MAX:
        return s.rstrip(" .;")
    return s[:_TITLE_MAX].rsplit(" ", 1)[0] + "…"


_NAME_MONEY_RE = re.compile(r"[\s:,;(-]*\d[\d.,]*\s*(?:triệu|tỷ|tỉ|nghìn|ngàn|đồng|trđ)\b.*$", re.I)


def _clean_name(s: str) -> str:
    s = s.strip().strip("*").strip()
    s = _NAME_MONEY_RE.sub("", s)
    s = _NAME_END_RE.sub("", s)
    if s and not s[0].isalpha():
        return ""
    s = s.strip(" .:;,-")
    if len(s) > 300:
        s = s[:300].rsplit(" ", 1)[0]
    return s


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
    raw_sections: list[dict] = []
    clause_sec: list[Optional[int]] = []
    for b in blocks:
        if b.start < first_body and b.style != "da":
            clause_sec.append(None)
            continue
        if b.style in ("bullet", "plus") and stack and stack[-1][0].startswith("b_") \
                and raw_sections[stack[-1][1]]["block"].prefix == b.label:
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
                ob = raw_sections[si]["block"]
                if (b.da and (ob.da or ob.tda is not None)) or (b.tda is not None and ob.tda is not None):
                    del stack[pos:]
                    break
        parent = stack[-1][1] if stack else None
        idx = len(raw_sections)
        raw_sections.append({"block": b, "parent": parent, "depth": len(stack) + 1, "end": len(text)})
        stack.append((b.style, idx))
        clause_sec.append(idx)

    # section ends: next section at the same or a shallower depth
    open_: list[int] = []
    for i, s in enumerate(raw_sections):
        while open_ and raw_sections[open_[-1]]["depth"] >= s["depth"]:
            raw_sections[open_.pop()]["end"] = s["block"].start
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
        b = s["block"]
        if b.prefix or b.style in ("da", "tda", "nd", "caps"):
            head = b.prefix + " " + b.title if b.prefix else b.title
        else:
            head = _printed(b.style, b.label) + " " + b.title
        head = head.strip()
        paths.append((paths[s["parent"]] + " > " if s["parent"] is not None else "") + head)
        o_start, _ = norm.span(b.start, b.start)
        _, o_end = norm.span(b.start, s["end"])
        sec = Section(id=sid(i), label=b.label, title=b.title, depth=s["depth"], start=o_start,
                      end=max(o_end, o_start), parent=sid(s["parent"]) if s["parent"] is not None else None,
                      du_an=scopes[i])
        st.sections.append(sec)
        st.section_starts.append(b.start)
        st.section_ends.append(s["end"])
    st._sections_by_id = {s.id: s for s in st.sections}

    for n, (b, si, sc) in enumerate(zip(blocks, clause_sec, clause_scope)):
        o_start, o_end = norm.span(b.start, b.end)
        kind = b.kind if si is None or raw_sections[si]["block"] is b else ("item" if b.style else "paragraph")
        st.clauses.append(Clause(id=f"c{n + 1:04d}", start=o_start, end=o_end, text=b.text,
                                 section=paths[si] if si is not None else "", section_id=sid(si) if si is not None else None,
                                 du_an=sc, kind=kind))
        st.clause_starts.append(b.start)
        st.clause_ends.append(b.end)
        st.clause_scopes.append(sc)
        st._clause_section.append(sid(si) if si is not None else None)

    st.du_an = _du_an(norm, blocks, raw_sections, scopes, st)
    return st


def _basis_end(blocks: list[Block]) -> int:
    """End of the last "Căn cứ ..." paragraph in the first half of the text (0 if none)."""
    half = blocks[-1].end // 2 if blocks else 0
    ends = [b.end for b in blocks if b.start <= half and _BASIS_RE.match(b.text)]
    return ends[-1] if ends else 0


def _plan_scope(header: str, program: Optional[str]) -> Optional[str]:
    """A plan for one Dự án ("Kế hoạch thực hiện Dự án 7 - ...") puts its whole body under it."""
    header = "\n".join(ln for ln in header.split("\n") if not _BASIS_RE.match(ln.strip(" *#")))
    m = list(re.finditer(r"(?<![Tt]iểu )\b(?:Dự án|DỰ ÁN)\s*(\d{1,2})(?![\d/])", header))
    nums = {int(x.group(1)) for x in m}
    if len(nums) == 1:
        mt = re.search(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(\d{1,2})\s*(?:-|,|thuộc|THUỘC|của)\s*(?:Dự án|DỰ ÁN)\s*(\d{1,2})", header)
        n = nums.pop()
        if mt and int(mt.group(2)) == n:
            return f"DA{n}.TDA{int(mt.group(1))}"
        return f"DA{n}"
    return None


def _scopes(raw_sections: list[dict], plan_scope: Optional[str], program: Optional[str] = None) -> list[Optional[str]]:
    out: list[Optional[str]] = []
    for s in raw_sections:
        b = s["block"]
        parent_scope = out[s["parent"]] if s["parent"] is not None else None
        if b.da:
            scope = f"DA{b.da}"
        elif b.nd and program == "ntm":
            scope = f"ND{b.nd}"  # the content groups of nông thôn mới; elsewhere "Nội dung" is a sub-heading
        elif b.tda is not None:
            base = f"DA{b.tda_parent}" if b.tda_parent else (parent_scope or plan_scope)
            base = base.split(".")[0] if base else None
            if base and b.tda:
                scope = f"{base}.TDA{b.tda}"
            else:
                scope = base  # "Tiểu dự án: ..." without a number stays in its Dự án
        elif parent_scope and "." not in parent_scope and b.kind == "heading" and b.style not in ("bullet", "plus") \
                and (tda := programs.match(program, b.title, within=parent_scope, min_score=0.8)):
            scope = tda  # "1.1. Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp" under Dự án 3
        else:
            scope = parent_scope
        out.append(scope)
    # Outside Dự án headings the scope stays None, also in a plan for one Dự án: its
    # figures there are the plan's total ("total"), as in any plan.
    return out


def _repair_scopes(blocks: list[Block], clause_sec, clause_scope, raw_sections) -> list[Optional[str]]:
    """Undo page shuffles of PDF conversions, for scopes only (offsets are not moved).

    1. A block starting in lower case continues a sentence: if the block it continues (one
       ending without sentence punctuation, not the previous block) has a different scope,
       the displaced run (up to the next heading) takes that scope.
    2. Letter items: when a section's letter sequence restarts (… e), then d) again), the
       repeated run belongs to a sibling of the same Dự án whose sequence stopped before that
       letter; with exactly one such sibling, the run takes its scope.
    """
    scope = list(clause_scope)
    n = len(blocks)
    is_heading = [b.kind == "heading" and b.style not in (None, "letter", "bullet", "plus", "caps") for b in blocks]
    moved = [False] * n

    def run_end(i: int) -> int:
        j = i + 1
        while j < n and not is_heading[j] and not (blocks[j].style == "letter" and blocks[j].label == "a"):
            j += 1
        return j

    # a block cut in mid-phrase: long, ends in a letter, and the next block is a heading
    # (the page ended there and the next page was put elsewhere)
    dangling = [i for i in range(n - 1) if blocks[i].text[-1:].isalpha() and blocks[i].style not in ("caps",)
                and not is_heading[i] and blocks[i].kind != "heading" and len(blocks[i].text) > 60
                and is_heading[i + 1]]
    dangling_set = set(dangling)
    by_scope: dict = {}
    for d in dangling:
        if scope[d] is not None:
            by_scope.setdefault(scope[d], []).append(d)
    n_scoped = sum(len(v) for v in by_scope.values())
    for i in range(1, n):
        t = blocks[i].text
        if not t[:1].islower() or blocks[i].style is not None:
            continue
        if i - 1 in dangling_set:
            continue  # continues the block right before it
        if n_scoped - len(by_scope.get(scope[i], ())) != 1:
            continue
        cands = [d for sc, ds in by_scope.items() if sc != scope[i] for d in ds]
        end = run_end(i)
        if len(cands) != 1 or end - i > _MAX_DISPLACED:
            continue
        d = cands[0]
        for j in range(i, end):
            scope[j] = scope[d]
            moved[j] = True

    # 2. letter sequences per scope: which letters each scope has, and where one repeats
    letters: dict[str, set] = {}
    repeats: list[tuple[int, str]] = []
    prev: dict[str, str] = {}
    for i, b in enumerate(blocks):
        if b.style != "letter" or not scope[i]:
            continue
        sc = scope[i]
        if not moved[i] and sc in prev and b.label != "a" and _letter_ord(b.label) <= _letter_ord(prev[sc]) \
                and b.label in letters.get(sc, ()):
            repeats.append((i, sc))
            continue
        letters.setdefault(sc, set()).add(b.label)
        if not moved[i]:
            prev[sc] = b.label
    for i, sc in repeats:
        run = [i]
        k = i + 1
        while k < n and not is_heading[k] and not (blocks[k].style == "letter" and _letter_ord(blocks[k].label) <= _letter_ord(blocks[i].label)):
            run.append(k)
            k += 1
        run_letters = {blocks[j].label for j in run if blocks[j].style == "letter"}
        before = _LETTERS[_letter_ord(blocks[i].label) - 1] if 0 < _letter_ord(blocks[i].label) < 99 else None
        fam = sc.split(".")[0]
        sibs = [s for s, have in letters.items() if s != sc and s.split(".")[0] == fam and before in have
                and not (have & run_letters)]
        if len(sibs) != 1:
            continue
        for j in run:
            scope[j] = sibs[0]
        letters[sibs[0]] |= run_letters
    return scope


_LETTERS = "abcdđefghiklmnopqrstuvxy"
_MAX_DISPLACED = 8  # blocks in a displaced page fragment


def _letter_ord(s: str) -> int:
    return _LETTERS.index(s) if s in _LETTERS else 99


def _du_an(norm: Normalized, blocks: list[Block], raw_sections, scopes, st: Structure) -> list[DuAn]:
    """Dự án and Tiểu dự án the plan numbers: headings first, then mentions in the text."""
    program = st.program_code
    found: dict[str, DuAn] = {}

    def add(scope_id: str, name: str, start: int, end: int):
        if not scope_id:
            return
        parts = scope_id.split(".")
        if len(parts) == 2 and parts[0] not in found:
            add(parts[0], "", start, end)
        name = name.strip()
        if name and name.isupper():
            name = programs.component(program, scope_id) or name.capitalize()
        o_start, o_end = norm.span(start, end)
        cur = found.get(scope_id)
        if cur is None:
            num = int(re.sub(r"\D", "", parts[-1]) or 0)
            found[scope_id] = DuAn(id=scope_id, number=num, name=name or "", parent=parts[0] if len(parts) == 2 else None,
                                   program=program, start=o_start, end=o_end)
        elif not cur.name and name:
            cur.name = name

    for i, s in enumerate(raw_sections):
        b = s["block"]
        if scopes[i] and (b.da or (b.tda is not None and b.tda) or b.nd):
            add(scopes[i], b.name, b.start, b.end)
        elif scopes[i] and s["parent"] is not None and scopes[i] != scopes[s["parent"]]:
            add(scopes[i], _clean_name(b.title), b.start, b.end)  # a Tiểu dự án known by its name
    # mentions inside a "Căn cứ ..." citation name the cited document's subject, not what
    # this plan budgets or assigns: blanked out (same length, offsets kept)
    pieces, pos = [], 0
    for b in blocks:
        if b.start >= pos and _BASIS_RE.match(b.text):
            pieces += [norm.text[pos:b.start], " " * (b.end - b.start)]
            pos = b.end
    text = "".join(pieces) + norm.text[pos:]
    # a report's "Tồn tại, hạn chế" / "Khó khăn, vướng mắc" section names parts that lag, not
    # parts the plan budgets or assigns: blanked out too
    for s in raw_sections:
        b = s["block"]
        if _SHORTCOMINGS_RE.match(b.title or ""):
            text = text[:b.start] + " " * (s["end"] - b.start) + text[s["end"]:]
    limit = programs.max_number(program)
    for m in _MENTION_TDA_RE.finditer(text):
        if _other_program(text, m.end(), program):
            continue
        for k in re.findall(r"\d{1,2}", m.group(1)):
            add(f"DA{int(m.group(2))}.TDA{int(k)}", "", m.start(), m.end())
    for tda_id, a, b in _table_tda_rows(text):  # "2 | Dự án 3: ..." then "2.1 | Tiểu dự án 1 | ..."
        add(tda_id, "", a, b)
    for m in _MENTION_DA_TDA_RE.finditer(text):
        if not _other_program(text, m.end(), program):
            add(f"DA{int(m.group(1))}.TDA{int(m.group(2))}", "", m.start(), m.end())
    for m in _INLINE_DA_TDA_RE.finditer(text):
        # "Dự án 3: Phát triển sản xuất ..., Tiểu dự án 1: ...: 4,8 tỷ đồng; Tiểu dự án 2: ...": each
        # Tiểu dự án on that line, up to another Dự án, belongs to the Dự án named first
        if _other_program(text, m.end(), program):
            continue
        stop = text.find("\n", m.start("tda")) % (len(text) + 1)
        nxt = _NEXT_DA_RE.search(text, m.start("tda"), stop)
        for k in _LINE_TDA_RE.finditer(text, m.start("tda"), nxt.start() if nxt else stop):
            add(f"DA{int(m.group('da'))}.TDA{int(k.group(1))}", "", m.start(), k.end())
    for m in _MENTION_DA_RE.finditer(text):
        n = int(m.group(1))
        if limit and n > limit or _other_program(text, m.end(), program):
            continue
        name = _clean_name(m.group("name") or "") if m.group("name") else ""
        add(f"DA{n}", name if len(name.split()) >= 2 else "", m.start(), m.end())
    for m in _MENTION_LIST_RE.finditer(text):
        if _other_program(text, m.end(), program):
            continue
        for k in map(int, re.findall(r"\d{1,2}", m.group(1))):
            if not limit or k <= limit:
                add(f"DA{k}", "", m.start(), m.end())
    if st.plan_scope:
        add(st.plan_scope, "", 0, 0)
    # fill names the text does not give from the program's decision
    for d in found.values():
        if not d.name:
            d.name = programs.component(program, d.id) or ""
    return sorted(found.values(), key=_scope_key)


_SHORTCOMINGS_RE = re.compile(r"\s*(?:những\s+)?(?:tồn tại|hạn chế|khó khăn|vướng mắc)(?:\s*[,;và]+\s*(?:tồn tại|hạn chế|khó khăn|vướng mắc|nguyên nhân))*\s*[:.]?\s*$", re.I)


def _table_tda_rows(text: str) -> list[tuple[str, int, int]]:
    """Tiểu dự án rows of a table (cells split by tabs or " | "), each under the Dự án row above it."""
    out, da, pos = [], None, 0
    for line in text.split("\n"):
        cells = line.split("\t") if "\t" in line else (line.split(" | ") if line.count(" | ") >= 2 else None)
        if cells is None:
            da = None if line.strip() else da  # prose ends the table
        else:
            for c in cells:
                c = c.strip()
                md = re.match(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])", c)
                mt = re.match(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])(?!\s*(?:-|,|thuộc|của)\s*(?:Dự án|DỰ ÁN))", c)
                if md:
                    da = int(md.group(1))
                    break
                if mt and da is not None:
                    out.append((f"DA{da}.TDA{int(mt.group(1))}", pos, pos + len(line)))
                    break
        pos += len(line) + 1
    return out


def _other_program(text: str, pos: int, program: Optional[str]) -> bool:
    """'Dự án 1 thuộc Chương trình ... nông thôn mới' in a gnbv plan names another program's project."""
    after = text[pos:pos + 160].lower()
    m = re.match(r"[^.;\n]{0,60}?(?:thuộc|của) chương trình (?:mục tiêu quốc gia|mtqg)?\s*([^.;\n]{0,90})", after)
    if not m or not program:
        return False
    for code in programs.codes():
        if code != program and any(p in m.group(1) for p in programs.patterns(code)):
            return True
    return False


def _scope_key(d: DuAn):
    parts = d.id.split(".")
    return tuple(int(re.sub(r"\D", "", p) or 0) for p in parts) + ((0,) if len(parts) == 1 else ())


# ---------------------------------------------------------------- is it a plan?

_PLAN_HEAD_RE = re.compile(r"^[ \t#*]*(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|ĐỀ ÁN|BÁO CÁO|TỜ TRÌNH|NGHỊ QUYẾT|CÔNG VĂN|HƯỚNG DẪN)\b", re.M)
_BASIS_RE = re.compile(r"^[ \t#*]*(?:Căn cứ|Xét đề nghị|(?:Thực hiện|Theo) (?:Quyết định|Kế hoạch|Công văn|Nghị quyết|Chỉ thị|Thông tư|Nghị định|Văn bản|Hướng dẫn) số)\b", re.M)
_NUMBER_RE = re.compile(r"^[ \t#*]*Số\s*:?\s*[\w.\-]*\s*/\s*[\w.\-]*(?:KH|QĐ|BC|CTr|ĐA|TTr|NQ|CV|HD|UBND)", re.M | re.I)


def looks_like_plan(norm: Normalized, struct: Structure, plan=None) -> tuple[bool, str]:
    """An administrative document has a header (Số: .../KH-..., KẾ HOẠCH, Căn cứ ...) and a
    heading structure. A news article about a plan has neither its header nor its numbering."""
    text = norm.text
    if len(text.strip()) < 200:
        return False, "text too short to be a plan"
    head = text[: max(struct.header_end, 3000)]
    header_signals = sum(bool(rx.search(head)) for rx in (_PLAN_HEAD_RE, _BASIS_RE, _NUMBER_RE))
    body_signals = int(sum(1 for s in struct.sections if s.depth <= 2 and s.label) >= 3) + int(bool(struct.du_an))
    if header_signals >= 2 or (header_signals == 1 and body_signals >= 1):
        return True, ""
    missing = []
    if not _PLAN_HEAD_RE.search(head):
        missing.append("no KẾ HOẠCH/QUYẾT ĐỊNH title line")
    if not _BASIS_RE.search(head):
        missing.append("no Căn cứ")
    if not _NUMBER_RE.search(head):
        missing.append("no 'Số: .../KH-...'")
    if not body_signals:
        missing.append("no numbered headings or Dự án")
    return False, "does not look like a plan: " + ", ".join(missing)
