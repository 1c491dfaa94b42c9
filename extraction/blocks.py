"""Stage 2a, blocks: every line of the clean text as a block, with its label and kind.

A block that starts with a label (I., 1., 1.1., a), (1), 1), -, +) or with "Dự án N" /
"Tiểu dự án N" / "Nội dung số N" is a heading or an item; an unlabelled line in capitals is a
heading written as a paragraph. structure.py builds the heading tree from these blocks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

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
# "Dự án 1:", "Tiểu dự án 2 - Dự án 1:", "Tiểu dự án:", "Nội dung số 3", "Nội dung thành phần số 03"; "Dựa án 3" (a typo kept)
_KEYWORD_RE = re.compile(
    r"^(?:(?P<tda>Tiểu dựa? án)\s*(?:số\s*)?(?P<tda_n>\d{1,2})?(?:\s*(?:-|thuộc|của)\s*Dự án\s*(?:số\s*)?(?P<tda_parent>\d{1,2}))?"
    r"|(?P<da>Dựa? án)\s*(?:số\s*)?(?P<da_n>\d{1,2})(?![\d/])"
    r"|(?P<nd>Nội dung(?: thành phần)?)\s*(?:số\s*)?(?P<nd_n>\d{1,2})(?![\d/])"
    r")\s*(?P<sep>[:.\-]?)\s*",
    re.I,
)
_UPPER_RATIO = 0.8
_SIGNATURE_RE = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\.|^(?:PHÓ )?CHỦ TỊCH|^(?:GIÁM ĐỐC|TRƯỞNG PHÒNG|CHÁNH VĂN PHÒNG)\b|^NƠI NHẬN")  # an unlabelled line this upper-case is a heading written as a paragraph
_TITLE_MAX = 160
# A name ends where the text goes on about something else.
_NAME_END_RE = re.compile(
    r"\s*(?:[,;]?\s*(?:với )?(?:tổng )?(?:kinh phí|vốn|nguồn vốn|dự kiến)\b.*|\s+thuộc\s+Chương trình.*|\s+của Chương trình.*|\s+trên địa bàn (?:huyện|tỉnh|xã|thành phố|thị xã).*|\s*\(.*)$",
    re.I,
)

# every match of _NAME_END_RE holds one of these (same flags)
_NAME_END_HINT = re.compile(r"vốn|kinh phí|dự kiến|chương trình|trên địa bàn|\(", re.I)


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



# ---------------------------------------------------------------- blocks


def _blocks(text: str) -> list[Block]:
    out = []
    pos = 0
    for line in text.split("\n"):  # (one split: no match object per line)
        line_start, pos = pos, pos + len(line) + 1
        lead = len(line) - len(line.lstrip(" *#>|"))
        body = line.strip(" *#>|")
        if not body or not any(map(str.isalnum, body)):  # map/filter: no Python step per character
            continue
        start = line_start + lead
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
        letters = list(filter(str.isalpha, t)) if len(t) <= 200 else []  # a long line is no heading
        if len(letters) >= 4 and sum(map(str.isupper, letters)) >= _UPPER_RATIO * len(letters) \
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


@lru_cache(maxsize=4096)  # pure; a Dự án's name is cleaned again for each mention
def _clean_name(s: str) -> str:
    s = s.strip().strip("*").strip()
    s = _NAME_MONEY_RE.sub("", s)
    if _NAME_END_HINT.search(s):  # most names have no tail to cut: one quick search instead
        s = _NAME_END_RE.sub("", s)
    if s and not s[0].isalpha():
        return ""
    s = s.strip(" .:;,-")
    if len(s) > 300:
        s = s[:300].rsplit(" ", 1)[0]
    return s



# a paragraph of the legal basis: "Căn cứ ...", "Xét đề nghị ...", "Thực hiện Quyết định số ..."
_BASIS_RE = re.compile(r"^[ \t#*]*(?:Căn cứ|Xét đề nghị|(?:Thực hiện|Theo) (?:Quyết định|Kế hoạch|Công văn|Nghị quyết|Chỉ thị|Thông tư|Nghị định|Văn bản|Hướng dẫn) số)\b", re.M)
