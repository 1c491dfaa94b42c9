"""Stage 3b, references: the other documents a plan cites (Căn cứ Quyết định số 90/QĐ-TTg ...).

How it works, on the clean text:
1. every document number (`90/QĐ-TTg`, `10/2022/TT-BLĐTBXH`, `237-KH/HU`, `24/2021/QH15`,
   `343 /KH-UBND`) is found by one pattern;
2. what precedes it says what it is: a type word ("Quyết định số"), a list continuation
   ("..., số 652/QĐ-TTg"), or nothing (then the type comes from the symbol, and a bare number
   is kept only when its symbol names a type);
3. what follows gives the date ("ngày 05 tháng 7 năm 2022", "ngày 01/7/2022") and the issuer
   ("của Thủ tướng Chính phủ"); an issuer named before ("của Phòng ... tại Tờ trình số") is
   taken when none follows;
4. the relation: "thay thế" when the plan says it replaces the document, "căn cứ" inside the
   preamble (before the first heading), else "khác"; the strongest wins over all mentions.

`canonical_number` is the one spelling of a number used to match it anywhere (index, API).
Types, symbols and stop words are data (data/doc_types.json).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import basis, laws
from .doc_types import (_PART, NUMBER_RE, _DATA_PATH, _DATE_RE, _DATED_SUBJECT_RE, _data, _date_after,
                        _type_by_word, doc_types, parse_date, type_from_symbol)
from .model import Meta, Reference
from .normalize import Normalized
from .structure import Structure
from .textkeys import UPPER, fix_eth, is_symbol, number_key

RELATION_RANK = {"thay thế": 3, "căn cứ": 2, "khác": 1}

# ---------------------------------------------------------------- finding citations

@lru_cache(maxsize=1)
def _type_word_re() -> re.Pattern:
    words = sorted(_type_by_word(), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    # the type word, "các" plural, optional "số"/"số:", right before the number
    return re.compile(rf"(?:^|(?<=[^\w]))(?P<word>{alt})\s*:?\s+(?:số\s*:?\s*)?$", re.I)


@lru_cache(maxsize=1)
def _named_type_re() -> re.Pattern:
    # "Luật Ngân sách nhà nước số 83/2015/QH13": the law's name sits between type and number
    words = [w for t in doc_types() if t.capitalized for w in t.words]
    alt = "|".join(re.escape(w.capitalize()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[^\w]))(?P<word>{alt})(?:\s+[^\s;.,()]+){{1,10}}?\s+số\s*:?\s*$")


_LIST_GAP_RE = re.compile(
    r"^\s*(?:,?\s*(?:ban hành\s+)?ngày\s+\d{1,2}\s*(?:tháng\s*\d{1,2}\s*năm\s*\d{4}|[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}))?"
    r"\s*(?:,|và|;)\s*(?:số\s*:?\s*)?$",
    re.I,
)
_OWN_HEADER_RE = re.compile(r"(?:(?:^|\n)[ \t]*(?i:Số)\s*:?|(?<!\w)Số\s*:)\s*$")
_REPLACE_RE = re.compile(r"thay\s+thế\s+(?:cho\s+)?(?:các\s+)?$", re.I)
_SENT_START_RE = re.compile(r"[.;:!?\n]")


@dataclass
class _Cite:
    number: str
    start: int
    end: int  # end of the whole citation text (number, date, issuer)
    num_start: int
    num_end: int
    doc_type: Optional[str]
    type_from_word: bool
    date: Optional[str]
    issuer: Optional[str]
    relation: str
    group: int


@lru_cache(maxsize=1)
def _stop_words() -> tuple[frozenset, frozenset]:
    words = [w.casefold() for w in _data()["issuer_stop_words"]]
    return frozenset(w for w in words if " " not in w), frozenset(w for w in words if " " in w)


@lru_cache(maxsize=1)
def _level_words() -> frozenset:
    return frozenset(w for w in _data()["levels"] if " " not in w) | frozenset(
        w.split()[-1] for w in _data()["levels"] if " " in w)


def _is_cap(w: str) -> bool:
    return bool(w) and (w[0].isupper() or w[0].isdigit())


# after a comma inside a name: capitalized words, then "và" and a capitalized word
_ENUM_NAME_RE = re.compile(rf"\s*(?:[{UPPER}][^\s,]*(?:\s+[^\s,]+){{0,2}}\s+và\s+[{UPPER}]|Chủ nhiệm\s|Thủ trưởng\s)")


def parse_issuer(s: str) -> Optional[str]:
    """The body named at the start of s ("Thủ tướng Chính phủ về việc ..." -> "Thủ tướng Chính phủ").

    Words run until punctuation, a stop word (về, phê duyệt, thực hiện, ...), another citation,
    or, after a level word and a proper name ("huyện Phong Thổ"), the next lower-case word.
    """
    known = _known_body_prefix(s)
    m = re.match(r"[^;.:()\[\]\n\"“”]*", s)
    head = m.group(0) if m else ""
    # a comma ends the name unless an enumerated name goes on ("Bộ Văn hóa, Thể thao và Du lịch")
    cut = 0
    for c in re.finditer(",", head):
        if not _ENUM_NAME_RE.match(head, c.end()):
            break
        cut = c.end()
    else:
        cut = len(head)
    if cut < len(head):
        nxt = head.find(",", cut)
        head = head[: nxt if nxt >= 0 else len(head)]
    words = head.split()
    single, double = _stop_words()
    levels = _level_words()
    out: list[str] = []
    seen_level = named_after_level = False
    for i, w in enumerate(words[:16]):
        lw = w.casefold()
        pair = f"{lw} {words[i + 1].casefold()}" if i + 1 < len(words) else ""
        if out and (lw in single or pair in double) and not _sector_at(words, i):
            break
        if named_after_level and not _is_cap(w) and w != "-":
            break
        if NUMBER_RE.match(w):
            break
        if out and lw == "và" and _names_a_document(words[i + 1:i + 4]):
            break  # "của Quốc hội và Luật Ngân sách nhà nước": the next cited document
        out.append(w)
        if lw in levels:
            seen_level = True
        elif seen_level and _is_cap(w):
            named_after_level = True
    trailing = set(_data().get("issuer_trailing", ["và", "-"]))
    while out and (out[-1].casefold() in trailing or out[-1].casefold() in single):
        out.pop()
    if not out or not _is_cap(out[0]):
        return known
    parsed = " ".join(out)
    # a national body whose name holds a stop word ("Văn phòng Quốc gia về giảm nghèo")
    return known if known and len(known) > len(parsed) else parsed


def _names_a_document(words: list) -> bool:
    """The words begin a capitalised document type ("Luật ...", "Nghị quyết ...", "Quyết định ...")."""
    if not words or not words[0][:1].isupper():
        return False
    head = " ".join(words).casefold()
    return any(head == w or head.startswith(w + " ") for w in _type_by_word())


@lru_cache(maxsize=1)
def _sector_re() -> Optional[re.Pattern]:
    """Sector names of the agencies gazetteer ("Kế hoạch và Đầu tư", "Tài chính - Kế hoạch")."""
    path = _DATA_PATH.parent / "agencies.json"
    try:
        fields = json.loads(path.read_text(encoding="utf-8")).get("fields", [])
    except (OSError, ValueError):  # the agencies gazetteer is optional here
        return None
    names = sorted({v for f in fields for v in f.get("variants", []) + [f.get("name", "")] if v}, key=len, reverse=True)
    if not names:
        return None
    return re.compile("|".join(re.escape(n).replace(r"\ ", r"\s+").replace(r"\-", r"\s*-\s*") for n in names))


def _sector_at(words: list, i: int) -> bool:
    """A capitalised stop word that begins or continues a sector name after Bộ / Sở / Phòng
    ("Bộ Kế hoạch và Đầu tư", "Phòng Tài chính - Kế hoạch") is part of the name."""
    if not words[i][:1].isupper():
        return False
    j = i
    while j > 0 and not words[j - 1] in ("Bộ", "Sở", "Phòng"):
        if i - j >= 4:
            return False
        j -= 1
    if j == 0:
        return False
    rx = _sector_re()
    m = rx.match(" ".join(words[j:])) if rx else None
    return bool(m) and len(" ".join(words[j:i + 1])) <= m.end() + 1


@lru_cache(maxsize=1)
def _central_variants() -> tuple[str, ...]:
    """Names of national bodies from the agencies gazetteer (data/agencies.json), longest first."""
    path = _DATA_PATH.parent / "agencies.json"
    try:
        central = json.loads(path.read_text(encoding="utf-8")).get("central", [])
    except (OSError, ValueError):  # the agencies gazetteer is optional here
        return ()
    names = {v for c in central for v in c.get("variants", []) + [c.get("name", "")] if v}
    return tuple(sorted(names, key=len, reverse=True))


def _known_body_prefix(s: str) -> Optional[str]:
    for v in _central_variants():
        if s.startswith(v) and not re.match(r"\w", s[len(v): len(v) + 1]):
            return v
    return None


def _issuer_after(text: str, pos: int) -> tuple[Optional[str], int]:
    m = re.compile(r"\s*,?\s*của\s+", re.I).match(text, pos)
    if not m:
        return None, pos
    issuer = parse_issuer(text[m.end(): m.end() + 200])
    if not issuer:
        return None, pos
    return issuer, m.end() + len(issuer)


def _issuer_before(text: str, type_start: int) -> Optional[str]:
    """ "Xét đề nghị của Phòng LĐTBXH huyện tại Tờ trình số 77/...", "được Thủ tướng Chính phủ
    xem xét, quyết định hỗ trợ tại Quyết định số 880/...": the issuer named before "tại"."""
    lo = max(0, type_start - 300)
    window = text[lo:type_start]
    bh = re.search(r"\s(?:đã\s+|vừa\s+)?ban hành\s+(?:các\s+)?$", window, re.I)
    if bh:  # "Năm 2023, UBND huyện ban hành Kế hoạch số 58/KH-UBND": the subject issued it
        cut = max(window.rfind(c, 0, bh.start()) for c in ".;\n,")
        subj = window[cut + 1:bh.start()].strip()
        subj = _DATED_SUBJECT_RE.sub("", subj)  # "Ngày 25/3/2024 UBND tỉnh ... vừa ban hành"
        # the nearest body that runs to "ban hành" ("Sở LĐTBXH tham mưu UBND tỉnh ban hành ...")
        for k in [0] + [mm.end() for mm in re.finditer(r"\s+", subj)]:
            cand = subj[k:]
            if cand[:1].isupper() and parse_issuer(cand) == cand:
                return cand
        return None
    if not re.search(r"\btại\s+(?:các\s+)?$", window, re.I):
        return None
    # a line break inside the sentence ("của Ban Dân tộc tỉnh tại" / "Tờ trình số") is no cut
    body = window.rstrip()
    cut = max(max(body.rfind(c) for c in ".;"), body.rfind("\n\n"))
    seg = body[cut + 1:].replace("\n", " ")
    found = None
    for m in re.finditer(r"(?<!\S)(?:của|được|do)\s+(?=\S)", seg, re.I):  # "của của": a typo
        issuer = parse_issuer(seg[m.end():])
        if issuer:
            found = issuer
    return found


def _date_before(text: str, type_start: int) -> Optional[str]:
    """ "Ngày 25/3/2024, UBND tỉnh ... vừa ban hành Quyết định số 654/...": a page reporting a
    decision gives its date before it, at the head of the sentence."""
    window = text[max(0, type_start - 200):type_start]
    if "ban hành" not in window[-30:].casefold() or not re.search(r"\s(?:đã\s+|vừa\s+)?ban hành\s+(?:các\s+)?$", window, re.I):
        return None
    cut = max(window.rfind(c) for c in ".;\n")
    m = _DATED_SUBJECT_RE.match(window[cut + 1:].strip())
    d = _DATE_RE.search(m.group(0)) if m else None
    return parse_date(m.group(0)[d.start():]) if d else None


def _preamble_end(text: str, struct) -> int:
    """Clean offset where the body starts (the preamble's citations are the legal basis): the
    structure's first heading; else the first "I." / "1." / "Điều 1" line; else the end of the
    first run of lines that open with "Căn cứ", "Thực hiện", ... ."""
    header_end = getattr(struct, "header_end", 0) or 0
    if header_end > 0:
        return header_end
    h = re.search(r"(?m)^[ \t]*(?:(?:[IVX]+|1)[ \t]*[.)]|Điều[ \t]+1\b|Phần[ \t]+(?:I|1|thứ nhất)\b)[ \t]*\S", text)
    if h:
        return h.start()
    lead = "|".join(re.escape(w) for w in _data()["citation_lead"])
    end = 0
    for m in re.finditer(r"(?m)^[^\n]*$", text):
        line = m.group(0).strip()
        if re.match(rf"(?i)(?:-\s*)?(?:{lead})\b", line):
            end = m.end()
        elif line and end:
            break
    return end


def _type_before(text: str, num_start: int) -> tuple[Optional[str], int]:
    lo = max(0, num_start - 120)
    window = text[lo:num_start]
    m = _type_word_re().search(window)
    if not m:
        m = _named_type_re().search(window)
    if not m:
        return None, num_start
    word = m.group("word")
    if any(t.capitalized and word.casefold() in t.words for t in doc_types()) and not word[0].isupper():
        return None, num_start
    return _type_by_word()[word.casefold()], lo + m.start("word")


def _number_text(m: re.Match) -> tuple[str, int]:
    """The number as printed with spaces removed; symbol parts that are not symbols (a following
    word caught by a spaced dash) are dropped. Returns the text and its end offset."""
    sym_start = m.start("sym")
    pieces = list(re.finditer(r"[ ]?([-/])[ ]?|" + _PART, m.group("sym")))
    kept_end = sym_start
    for i, p in enumerate(pieces):
        tok = p.group(0)
        if tok.strip() in "-/":
            continue
        letters = re.sub(r"\d+$", "", tok)
        upper = sum(c.isupper() for c in letters)
        if i > 0 and upper < 2 and not is_symbol(letters):
            break
        kept_end = sym_start + p.end()
    text = m.string[m.start(): kept_end]
    return re.sub(r"\s+", "", text), kept_end


def _trusted_bare(number: str, text: str, pos: int) -> bool:
    """A number with no type word before it ("theo 90/QĐ-TTg"): needs a full symbol (two parts
    or a year) and must not be a form or annex number ("Biểu số 01/KH")."""
    parts = [p for p in re.split(r"[/-]", number) if p]
    if len(parts) < 3:
        return False
    before = text[max(0, pos - 25): pos].casefold()
    return not any(re.search(rf"\b{re.escape(w)}\s*(?:số\s*:?\s*)?$", before) for w in _data().get("not_citation_words", []))


def _replaces(text: str, start: int) -> bool:
    """ "Kế hoạch này thay thế Kế hoạch số 528/...": the plan itself is the subject; "Quyết định
    số X thay thế Quyết định số Y" (another document replacing one) does not count."""
    m = _REPLACE_RE.search(text[max(0, start - 40): start])
    if not m:
        return False
    at = max(0, start - 40) + m.start()
    sent_start = max(text.rfind(c, 0, at) for c in ".;\n(") + 1
    subject = text[sent_start:at]
    return "này" in subject.casefold() or not NUMBER_RE.search(subject)


def _in_basis_section(text: str, struct: Optional[Structure], pos: int) -> bool:
    """Inside a section titled as the legal basis ("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH")."""
    rx = re.compile(_data().get("basis_section_re", r"căn cứ|cơ sở pháp lý"), re.I)
    if struct is not None:
        sec = struct.section_at(pos)
        while sec is not None:
            if rx.search(f"{sec.label} {sec.title}"):
                return True
            sec = struct.parent(sec)
        return False
    head = None
    for h in re.finditer(r"(?m)^[ \t]*(?:[IVX]+|\d+)[ \t]*[.)][ \t]*(?P<title>[^\n]*)$", text[:pos]):
        head = h
    return bool(head and rx.search(head.group("title")) and len(head.group("title")) < 120)


@lru_cache(maxsize=1)
def _list_head_re() -> re.Pattern:
    """ "Căn cứ các Nghị quyết của Quốc hội: số 88/2019/QH14 ...": a type (and its issuer)
    said once before a colon, for every item of the list."""
    words = sorted(_type_by_word(), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?i:các\s+)?(?P<word>(?i:{alt}))(?:\s+(?:của|do)\s+(?P<issuer>[^:;\n]{{2,90}}?))?"
                      rf"\s*:\s*(?:[-+•]\s*)?(?:(?i:số)\s*:?\s*)?$")


_ITEM_RE = re.compile(r"(?:[;,]|\bvà)\s*(?:[-+•]\s*)?(?i:số)\s*:?\s*$")


def _list_item(text: str, pos: int, head: Optional[tuple[str, Optional[str], int]]) -> bool:
    """A "; số 120/2020/QH14" item of the list the head opened, in the same item of the basis."""
    if head is None or not _ITEM_RE.search(text[max(0, pos - 12): pos]):
        return False
    between = text[head[2]: pos]
    return not re.search(r"\.\s|\n[ \t]*(?:[-+•][ \t]*)?(?:Căn cứ|Thực hiện|Theo|Xét)\b", between)


_SUBJECT_AFTER_RE = re.compile(
    r"\s*,\s*(?P<subj>(?P<kind>UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)\s+(?:tỉnh|huyện|xã|thành phố|thị xã)"
    rf"(?:\s+[{UPPER}][^\s,.;]*){{0,3}})")
_KIND_SYMBOL = {"ubnd": "UBND", "ủy ban nhân dân": "UBND", "hđnd": "HĐND", "hội đồng nhân dân": "HĐND"}


def _issuer_subject_after(text: str, pos: int, number: str) -> Optional[str]:
    """ "Theo Quyết định số 450/QĐ-UBND ban hành ngày 22/3/2023, UBND tỉnh phân bổ ...": the body
    that acts on the document, of the kind its symbol names, issued it."""
    m = _SUBJECT_AFTER_RE.match(text, pos)
    if not m or _KIND_SYMBOL[m.group("kind").casefold()] not in re.split(r"[/-]", number):
        return None
    return m.group("subj")


def _list_head_issuer(text: str, start: int) -> Optional[str]:
    """ "Căn cứ các Quyết định của Thủ tướng Chính phủ: Quyết định số 90/...; Quyết định số
    652/...": the issuer said once in the head of the item's list."""
    item = text[max(0, start - 600):start]
    item = item[item.rfind("\n") + 1:]
    if ":" not in item or "các" not in item.casefold():
        return None
    h = _list_head_issuer_re().search(item)
    return parse_issuer(h.group(1)) if h else None


@lru_cache(maxsize=1)
def _list_head_issuer_re() -> re.Pattern:
    alt = "|".join(re.escape(w) for w in sorted(_type_by_word(), key=len, reverse=True))
    return re.compile(rf"các\s+(?:{alt})\s+(?:của|do)\s+([^:;\n]{{2,90}}?)\s*:", re.I)


def _relation_area(text: str, struct) -> tuple[tuple[int, int], bool]:
    """The legal-basis block and whether the text is a document at all (a news page is not)."""
    return basis.basis_span(text), basis.is_document(text)


def _cites(text: str, struct, area: Optional[tuple[tuple[int, int], bool]] = None) -> list[_Cite]:
    (b_start, b_end), is_doc = area or _relation_area(text, struct)
    pre_end = _preamble_end(text, struct) if b_end == 0 else 0
    out: list[_Cite] = []
    prev: Optional[_Cite] = None
    group = 0
    head: Optional[tuple[str, Optional[str], int]] = None  # (type, issuer, end) of a list head
    for m in NUMBER_RE.finditer(text):
        number, num_end = _number_text(m)
        if not re.search(r"[A-Za-zĐđ]", number.split("/", 1)[-1]):
            continue
        if _OWN_HEADER_RE.search(text[max(0, m.start() - 12): m.start()]):
            continue  # "Số: 122/KH-UBND" in the header is the plan's own number
        doc_type, start = _type_before(text, m.start())
        from_word = doc_type is not None
        in_list = prev is not None and (
            bool(_LIST_GAP_RE.match(text[prev.num_end: m.start()]))
            or bool(_LIST_GAP_RE.match(text[prev.end: m.start()])))
        head_issuer = None
        if not from_word:
            # a list head ends in a colon right before the number: test that cheaply first
            h = _list_head_re().search(text, max(0, m.start() - 160), m.start()) \
                if ":" in text[max(0, m.start() - 14): m.start()] else None
            if h:
                head = (_type_by_word()[h.group("word").casefold()],
                        parse_issuer(h.group("issuer")) if h.group("issuer") else None, m.start())
            if h or _list_item(text, m.start(), head):
                doc_type, from_word, head_issuer = head[0], True, head[1]
                in_list = False
                start = m.start()
        if not from_word:
            if in_list and prev is not None:
                # "Quyết định số 90/QĐ-TTg, 10/2022/TT-BLĐTBXH": the symbol beats the list's type
                own_type = type_from_symbol(number)
                doc_type, from_word, start = own_type or prev.doc_type, prev.type_from_word, m.start()
            else:
                doc_type, start = type_from_symbol(number), m.start()
                if doc_type is None or not _trusted_bare(number, text, m.start()):
                    continue  # a bare number is kept only when it looks like a document number
        else:
            in_list = False
        if not in_list:
            group += 1
        date, pos = _date_after(text, num_end)
        issuer, pos = _issuer_after(text, pos)
        if date is None and issuer is not None:  # "... của Thủ tướng Chính phủ ngày 18/01/2022"
            date, pos = _date_after(text, pos)
        if issuer is None and from_word:
            issuer = head_issuer or _issuer_before(text, start) or _list_head_issuer(text, start)
        if date is None and from_word:
            date = _date_before(text, start)
        if issuer is None and from_word:
            issuer = _issuer_subject_after(text, pos, number)
        chained = prev is not None and prev.relation == "thay thế" and (
            in_list or bool(re.fullmatch(r"\s*(?:,|và|;)\s*(?:các\s+)?", text[prev.end: start])))
        if _replaces(text, start) or chained:
            relation = "thay thế"
        elif is_doc and (b_start <= start < b_end or start < pre_end or _in_basis_section(text, struct, start)):
            relation = "căn cứ"
        else:
            relation = "khác"
        cite = _Cite(number, start, pos, m.start(), num_end, doc_type, from_word, date, issuer, relation, group)
        if in_list and prev is not None and issuer:
            # "các Quyết định số 90/QĐ-TTg, 652/QĐ-TTg của Thủ tướng Chính phủ": one issuer for all
            for c in reversed(out):
                if c.group != group:
                    break
                c.issuer = c.issuer or issuer
        out.append(cite)
        prev = cite
    return out


def find_references(norm: Normalized, struct: Optional[Structure] = None, meta: Optional[Meta] = None) -> list[Reference]:
    """Every other document the text cites, once each, in order of first mention: by number,
    and by title (laws, congress resolutions; extraction/laws.py)."""
    text = fix_eth(norm.text)
    own = number_key(meta.number) if meta is not None and meta.number else None
    refs: dict[str, Reference] = {}
    typed_by_word: dict[str, bool] = {}  # a type read from a type word beats one from the symbol
    area = _relation_area(text, struct)
    (b_start, b_end), is_doc = area
    for c in _cites(text, struct, area):
        key = number_key(c.number)
        if own and key == own:
            continue
        ref = refs.get(key)
        if ref is not None and c.date and ref.date and c.date[:4] != ref.date[:4] \
                and not laws.YEAR_IN_NUMBER.match(key):
            # one number, two years: 1600/QĐ-TTg of 2016 and of 2023 are two documents
            key = f"{key}@{c.date[:4]}"
            ref = refs.get(key)
        if ref is None:
            s, e = norm.span(c.start, c.end)
            ref = refs[key] = Reference(
                number=c.number, doc_type=c.doc_type, date=c.date, issuer=c.issuer,
                relation=c.relation, text=text[c.start:c.end], start=s, end=e,
                clause_id=_clause_id(struct, c.start), mentions=0,
            )
            typed_by_word[key] = c.type_from_word
        ref.mentions += 1
        if RELATION_RANK[c.relation] > RELATION_RANK.get(ref.relation, 0):
            ref.relation = c.relation
        ref.date = ref.date or c.date
        ref.issuer = ref.issuer or c.issuer
        if c.type_from_word and not typed_by_word[key]:
            ref.doc_type, typed_by_word[key] = c.doc_type, True
        ref.doc_type = ref.doc_type or c.doc_type
    by_key = {laws.citation_key(r): r for r in refs.values()}
    for t in laws.find_titled(text):
        relation = "căn cứ" if is_doc and (b_start <= t.start < b_end or _in_basis_section(text, struct, t.start)) \
            else "khác"
        probe = Reference(number=None, doc_type=t.doc_type, date=t.date, title=t.title, known_number=t.known_number)
        key = laws.citation_key(probe)
        ref = by_key.get(key)
        if ref is None:
            s, e = norm.span(t.start, t.end)
            ref = by_key[key] = Reference(
                number=None, doc_type=t.doc_type, date=t.date, issuer=t.issuer, relation=relation,
                text=text[t.start:t.end], start=s, end=e, clause_id=_clause_id(struct, t.start),
                mentions=0, title=t.title, known_number=t.known_number)
        ref.mentions += 1
        ref.title = ref.title or t.title
        if RELATION_RANK[relation] > RELATION_RANK.get(ref.relation, 0):
            ref.relation = relation
    return sorted(by_key.values(), key=lambda r: r.start)


def citation_key(ref) -> str:
    """The identity of a cited document across plans (see extraction.laws.citation_key)."""
    return laws.citation_key(ref)


def _clause_id(struct: Optional[Structure], pos: int) -> Optional[str]:
    return struct.clause_id_at(pos) if struct is not None else None
