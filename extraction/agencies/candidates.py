"""Candidates: every mention of a body in the clean text, as a `Cand`.

A mention is [standing prefix] [branch prefix] CORE [level word [place name]] [khóa N]; lists
name several bodies ("Giám đốc các Sở: Kế hoạch và Đầu tư, Tài chính", "UBND các huyện A, B");
a department's own plan names its internal units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import Meta
from ..textkeys import word_key
from .patterns import (_FIRST_WORD, _WORD_CHAR, Gazetteer, _alt, _core_matches, _first_words, _word_key, gazetteer,
                       level_words, words_alt)
from .places import _place_after, plan_place

@dataclass
class Cand:
    start: int  # clean offsets of the whole mention
    end: int
    surface: str
    core: str  # canonical core name: "Sở Kế hoạch và Đầu tư", "Ủy ban nhân dân"
    kind: str
    level: Optional[str]  # level written or implied by the head; None: unknown
    level_word: Optional[str] = None  # the level word as written ("huyện")
    place: Optional[str] = None  # place name as written
    default_level: Optional[str] = None
    territorial: bool = False
    generic: bool = False
    standing: Optional[str] = None  # "Thường trực" / "Ban Thường vụ"
    central: bool = False
    core_start: int = 0
    head_level: bool = False  # the head names the level: "Huyện ủy Phong Thổ", "Tỉnh đoàn"
    form: Optional[str] = None  # the name as a reader completes it, when the surface is a list item
    session: Optional[str] = None  # "lần thứ XX" of a congress


def _is_upper_initial(s: str) -> bool:
    return bool(s) and s[0].isupper()

# patterns matched at a position of the text (compiled once; never on text[pos:], a copy of the rest)
_SPACES = re.compile(r"\s+")
_EVERY_LEVEL = re.compile(r"\s+các cấp\b", re.I)
_NOT_OURS = re.compile(r"\s+(?:nước|điện tử|số)\b")
_TERM_ONLY = re.compile(r"\s+kh[oó]a\s+[IVXLC]+\b", re.I)
_VIETNAM = re.compile(r"\s+(?:Việt Nam|VN)\b")
_KHU_VUC = re.compile(r"(?:\s*\([^()\n]{1,20}\))?\s+khu vực\s+(?=[A-ZĐÀ-Ỹ0-9])")


# a line of the legal basis: "Căn cứ ...", "Thực hiện Nghị quyết ..." (not "Thực hiện mục tiêu ...")
_BASIS_LINE = re.compile(r"[ \t#*+-]*(?:Căn cứ|(?:Thực hiện|Theo)\s+(?:các\s+)?(?:Nghị quyết|Quyết định|Kết luận|Chỉ thị|Chương trình|Kế hoạch))\b")
# "khóa XIV" of a council or committee; "lần thứ XX" of a congress (one congress of many)
_TERM = re.compile(r"\s+(?:kh[oó]a\s+[IVXLC]+|lần thứ\s+(?P<session>[IVXLC]+))\b", re.I)


@dataclass
class Suffix:
    """What follows a core: level word, place name, "khóa N" (clean offsets)."""
    end: int
    level: Optional[str] = None
    level_word: Optional[str] = None  # as written ("huyện")
    place: Optional[str] = None
    generic: bool = False  # "UBND cấp xã", "UBND các xã", "UBND xã, thị trấn": every such body
    of_body: Optional[str] = None  # "Ban Dân tộc HĐND tỉnh": the council the committee belongs to
    session: Optional[str] = None  # "lần thứ XX" of a congress: part of its name


def _suffix(text: str, pos: int, g: Gazetteer) -> Suffix:
    """Level word, place name, 'khóa N' after a core ending at pos."""
    out = Suffix(end=pos)
    council_rx, party_rx, generic_rx, level_rx, level_list_rx = _suffix_res()
    # "UBND các xã", "UBND 8 huyện, thành phố": every such body, not one
    if generic_rx.match(text, pos):
        out.generic = True
        return out
    m = council_rx.match(text, pos)
    if m:  # "Ban Dân tộc HĐND tỉnh": a committee of the council, not the provincial body
        out.of_body = "Hội đồng nhân dân"
        out.level = g.levels.get(m.group("lvl"))
        out.level_word = m.group("lvl")
        out.end = m.end()
        place, pend = _place_after(text, out.end)
        if place:
            out.place, out.end = place, pend
        return out
    m = party_rx.match(text, pos)
    if m:  # "Ban Tuyên giáo Huyện ủy": a body of the party committee of that level
        word = m.group("party")
        out.level = g.data["level_words"]["party_committees"].get(word)
        out.level_word = word
        out.end = m.end()
        place, pend = _place_after(text, out.end)
        if place:
            out.place, out.end = place, pend
        return out
    m = level_rx.match(text, pos)
    if m:
        word = _SPACES.sub(" ", m.group(1)).lower()
        lvl = g.levels.get(word) or g.levels.get(m.group(0).strip().lower())
        out.level, out.level_word = lvl, word
        end = m.end()
        if "cấp" in m.group(0).lower():
            out.generic = True  # "UBND cấp xã": every UBND of that level
        else:
            place, pend = _place_after(text, end, allow_number=word in ("quận", "phường"))
            if place:
                out.place, end = place, pend
            else:
                # "UBND xã, thị trấn" / "huyện, thành phố": lists of levels are generic
                if level_list_rx.match(text, end):
                    out.generic = True
        out.end = end
    m = _KHU_VUC.match(text, out.end) if not out.level else None
    if m:  # "Phòng giao dịch NHCSXH (NHCSXH) khu vực Vĩnh Thuận": a body named by its area (2025 on)
        place, pend = _place_after(text, m.end(), allow_number=True)
        if place:
            out.place, out.end = place, pend
    m = _TERM.match(text, out.end)
    if m:
        out.end = m.end()
        if m.group("session"):
            out.session = "lần thứ " + m.group("session")
    return out


def _field_name(m: re.Match, fields: list) -> Optional[str]:
    for k, v in m.groupdict().items():
        if v is not None and k.startswith("f") and k[1:].isdigit():
            return fields[int(k[1:])]["name"]
    return None


@lru_cache(maxsize=1)
def _suffix_res() -> tuple[re.Pattern, ...]:
    """ "HĐND tỉnh" after a committee ("Ban Dân tộc HĐND tỉnh"); a party committee after a body;
    "các xã" (every such body); a level word; "xã, thị trấn" (a list of levels). Matched at a
    position (pattern.match(text, pos)), never on text[pos:]: that copied the rest of the text."""
    g = gazetteer()
    council = re.compile(r"\s+(?P<council>HĐND|Hội đồng nhân dân)\s+(?P<lvl>" + level_words("unit") + r")(?!\w)")
    party = re.compile(r"\s+(?P<party>" + words_alt(g.data["level_words"]["party_committees"]) + r")(?!\w)")
    generic = re.compile(r"\s+(các|những|mỗi|từng|\d{1,3})\s+(?=" + g.level_re + r"\b)", re.I)
    level = re.compile(r"\s+(?:cấp\s+)?(" + g.level_re + r")(?![\w])(?!\s+(?:ủy|Ủy|đoàn|Đoàn)\b)", re.I)
    level_list = re.compile(r"\s*,\s*(?:" + g.level_re + r")(?!\w)")
    return council, party, generic, level, level_list


@lru_cache(maxsize=1)
def _steer_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """What follows "Ban Chỉ đạo": its level, the programs it steers, its area, its period."""
    unit, every = level_words("unit"), level_words("all")
    tail = re.compile(
        r"(?P<lvl>\s+(?:cấp\s+)?(?:" + unit + r"|trung ương)(?:\s*,\s*" + every + r")*)?"
        + _STEER_PROGRAMS + r"(?P<area>\s+trên địa bàn\s+" + unit + r")?", re.I)
    end = re.compile(r"(?P<period>\s*,?\s*giai đoạn\s+\d{4}\s*-\s*\d{4})?"
                     r"(?P<lvl2>\s+(?:cấp\s+)?" + unit + r"(?![\w]))?", re.I)
    level = re.compile(r"(" + unit + r"|trung ương)", re.I)
    area = re.compile(r"\s+trên địa bàn\s+(" + unit + r")", re.I)
    return tail, end, level, area


_STEER_PROGRAMS = (
    r"(?P<prog>\s+(?:về\s+)?(?:thực hiện\s+)?(?:các\s+)?(?:(?:(?:Chương trình|CT)\s+(?:MTQG|mục tiêu quốc gia)|CTMTQG)"
    r"(?:\s+(?:giảm nghèo bền vững|xây dựng nông thôn mới|phát triển kinh tế\s*-\s*xã hội vùng đồng bào dân tộc thiểu số và miền núi))?"
    r"|giảm nghèo bền vững|giảm nghèo|xây dựng nông thôn mới|nông thôn mới))?"
)


def _steering(text: str, m: re.Match, g: Gazetteer) -> Optional[Cand]:
    tail_rx, end_rx, level_rx, area_rx = _steer_res()
    t = tail_rx.match(text, m.end())
    end = t.end()
    place = None
    if t.group("area"):
        place, end = _place_after(text, end)
    t2 = end_rx.match(text, end)
    end = t2.end()
    if end == m.end():
        return None  # bare "Ban Chỉ đạo": the one named elsewhere, or any
    if _EVERY_LEVEL.match(text, end):
        return None
    lvl_text = t.group("lvl") or t2.group("lvl2") or ""
    level = None
    lw = None
    mm = level_rx.search(lvl_text)
    if mm:
        lw = mm.group(1).lower()
        level = "trung ương" if lw == "trung ương" else g.levels.get(lw)
    if t.group("area"):
        a = area_rx.match(t.group("area"))
        lw = lw or a.group(1).lower()
        level = level or g.levels.get(a.group(1).lower())
    surface = text[m.start():end]
    return Cand(m.start(), end, surface, "Ban Chỉ đạo", "Ban Chỉ đạo", level, lw, place,
                territorial=True, core_start=m.start())


_ENUM_TAIL = re.compile(r",\s*(?!(?:Phòng|Sở|Ban|Trung tâm|UBND|HĐND|Hội|Đài|Chi cục|Hạt|Đoàn|Ủy ban)\b)[^,]*\svà\s[^,]*$")


# A law or ordinance cited by its title: the title runs from the type word to the date, the
# number or the issuer ("Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015 của Quốc hội").
_LAW_TITLE = re.compile(r"(?:Bộ\s+luật|Luật|Pháp lệnh)\s+(?P<rest>(?:(?!Luật\s|Pháp lệnh\s)[^\n;:.()\d])*)$")
_TITLE_END = re.compile(r"\b(?:ngày|số|của|do|năm|tại|theo|đã|được)\b")


def _in_law_title(text: str, pos: int) -> bool:
    """ "Luật Tổ chức Chính phủ", "Luật Mặt trận Tổ quốc Việt Nam": the title names no party."""
    m = _LAW_TITLE.search(text, max(0, pos - 120), pos)
    return bool(m) and not _TITLE_END.search(m.group("rest"))


def _split_by_line(text: str, m: re.Match, starts: set[int]) -> bool:
    """A match glued across a line break from two cells of a header ("NGÂN SÁCH TỈNH" /
    "ỦY BAN NHÂN DÂN" is no "Tỉnh ủy"): after the break, another body begins."""
    nl = m.group(0).rfind("\n")
    if nl < 0:
        return False
    q = m.start() + nl + 1
    while q < m.end() and text[q] in " \t":
        q += 1
    return q in starts


def _candidates(text: str, g: Gazetteer) -> list[Cand]:
    out: list[Cand] = []
    matches = list(_core_matches(text, g))
    starts = {m.start() for _, m in matches}
    for info, m in matches:
        s, e = m.start(), m.start() + len(m.group(0).rstrip())
        if not _boundary_ok(text, s, e) or _split_by_line(text, m, starts) or _in_law_title(text, s):
            continue
        t = info.type
        if t == "steering":
            if not _is_upper_initial(m.group(0)) and m.group(0)[:3].lower() != "bcđ":
                continue
            c = _steering(text, m, g)
            if c:
                out.append(c)
            continue
        if t == "central":
            if m.group(0)[0].islower():
                continue
            if _NOT_OURS.match(text, e):  # a foreign government; "Chính phủ điện tử"
                continue
            sfx = _TERM_ONLY.match(text, e)
            end = sfx.end() if sfx else e
            out.append(Cand(s, end, text[s:end], info.name, info.kind, "trung ương", central=True, core_start=s))
            continue
        if not info.any_case and not _is_upper_initial(m.group(0)):
            continue
        if t == "office":
            served = next(info.served[int(k[1:])] for k, v in m.groupdict().items() if v is not None and k.startswith("s"))
            sx = _suffix(text, e, g)
            out.append(Cand(s, sx.end, text[s:sx.end], "Văn phòng " + served, "Văn phòng", sx.level,
                            sx.level_word, sx.place, territorial=True, generic=sx.generic, core_start=s))
            continue
        if t == "field":
            fname = _field_name(m, g.fields)
            sx = _suffix(text, e, g)
            lvl = sx.level or info.level
            out.append(Cand(s, sx.end, text[s:sx.end], f"{info.head} {fname}", info.kind, lvl,
                            sx.level_word, sx.place, default_level=info.level, generic=sx.generic,
                            core_start=s))
            continue
        if t == "body":
            core_s = m.start("core")
            if not info.any_case and not _is_upper_initial(m.group("core")):
                continue
            prefix = (m.groupdict().get("prefix") or "").strip()
            sx = _suffix(text, e, g)
            place = sx.place
            end = sx.end
            if info.head_level and not sx.level and not sx.place:
                place, pend = _place_after(text, e)
                if place:
                    end = pend
            if info.needs_level and not sx.level and not place:
                continue
            if info.basis_only and not _BASIS_LINE.match(text, text.rfind("\n", 0, s) + 1):
                continue
            level = sx.level or info.level
            if prefix:
                p = word_key(prefix)
                if p in ("chi nhanh", "cn"):
                    level = sx.level or "tỉnh"
                elif p in ("phong giao dich", "pgd"):
                    level = sx.level or "huyện"
            vm = _VIETNAM.match(text, end)
            if vm and info.kind != "MTTQ":
                end = vm.end()
                level = "trung ương"
            core_name = info.name + (" " + sx.of_body if sx.of_body and info.kind == "Ban" else "")
            out.append(Cand(s, end, text[s:end], core_name, info.kind, level, sx.level_word, place,
                            default_level=info.level, territorial=info.territorial,
                            generic=sx.generic, core_start=core_s, head_level=info.head_level, session=sx.session))
            continue
        if t == "open":
            tail = m.group("tail").strip()
            # plural before the level ("Trung tâm Y tế các huyện") or a clause ("của"), not a name
            # holding "các" ("Ban Quản lý dự án các công trình huyện")
            if re.search(r"\bcủa\b|^(?:các|những)\b|\b(?:các|những)\s*$", tail, re.I):
                continue
            if "," in tail and not _ENUM_TAIL.search(tail):
                continue  # a comma inside a name only in "A, B và C" ("Văn hóa, Thông tin và Thể thao")
            if info.head not in ("Đài", "Ban Quản lý") and not tail[:1].isupper():
                continue  # "Trung tâm hành chính huyện" is a place; a body's name is capitalised
            sx = _suffix(text, m.start("tail") + len(m.group("tail").rstrip()), g)
            if not sx.level:
                continue
            out.append(Cand(s, sx.end, text[s:sx.end], f"{info.head} {tail}", info.kind, sx.level,
                            sx.level_word, sx.place, territorial=True, generic=sx.generic, core_start=s))
    return out


@lru_cache(maxsize=1)
def _enum_patterns() -> tuple[re.Pattern, list]:
    g = gazetteer()
    heads = "|".join(re.escape(h) for h in g.data["field_heads"])
    # an optional "các " before the head changes no match's head or end (and the start is not
    # read), and made the scan try every character
    lead = re.compile(r"(?P<head>" + heads + r")\s*:?\s+(?=[A-ZĐÀ-Ỹ])")
    fields = [(f["name"], re.compile(_alt(f["variants"]) + r"(?![\w&])", re.I), _first_words(f["variants"])) for f in g.fields]
    return lead, fields


_LIST_SEP = re.compile(r"\s*(?:,|;|và)\s*(?=[A-ZĐÀ-Ỹ])")


def _sectors_at(text: str, pos: int, fields: list) -> list[tuple[str, int]]:
    """(sector name, end) of every sector written at pos, longest first."""
    out = []
    w = _FIRST_WORD.match(text, pos)
    key = _word_key(w.group(0)) if w else None
    for name, rx, words in fields:
        if words is not None and key not in words:
            continue  # cannot start here: skip the case-insensitive match
        m = rx.match(text, pos)
        if m and m.group(0)[:1].isupper():
            out.append((name, pos + len(m.group(0).rstrip())))
    return sorted(out, key=lambda x: -x[1])


def _enumerated(text: str, g: Gazetteer) -> list[Cand]:
    """One head over a list of sectors: "Giám đốc các Sở: Kế hoạch và Đầu tư, Tài chính, Y tế"
    names Sở Kế hoạch và Đầu tư, Sở Tài chính and Sở Y tế."""
    lead_re, fields = _enum_patterns()
    unit_after = re.compile(r"\s+" + level_words("unit") + r"\b")
    out: list[Cand] = []
    for lm in lead_re.finditer(text):
        if not _boundary_ok(text, lm.start("head"), lm.end("head")):
            continue
        head = lm.group("head")
        info = g.data["field_heads"][head]
        items, pos = [], lm.end()
        while True:
            opts = _sectors_at(text, pos, fields)
            if not opts:
                break
            # "Tài chính, Kế hoạch và Đầu tư" is two sectors, not "Tài chính - Kế hoạch" and a stray
            # "Đầu tư": take the longest reading after which the list goes on or ends
            pick = opts[0]
            for name, end in opts:
                sep = _LIST_SEP.match(text, end)
                if not sep or _sectors_at(text, sep.end(), fields):
                    pick = (name, end)
                    break
            name, end = pick
            if items and unit_after.match(text, end):
                break  # "Sở Y tế, Công an tỉnh": a body of its own, not one more Sở
            items.append((pos, end, name))
            sep = _LIST_SEP.match(text, end)
            if not sep:
                break
            pos = sep.end()
        if len(items) < 2:
            continue  # a single sector is an ordinary mention
        for s, e, name in items:
            out.append(Cand(s, e, text[s:e], f"{head} {name}", info["kind"], info["level"],
                            default_level=info["level"], core_start=s, form=f"{head} {text[s:e]}"))
    return out


_UNIT_WORD = re.compile(r"\s*(-\s*)?([^\W\d_][\w&]*)")
@lru_cache(maxsize=1)
def _level_after() -> re.Pattern:
    """A level word after a name: "Phòng Dân tộc huyện" is a body of a place, no internal unit."""
    return re.compile(r"\s+(?:cấp\s+|các\s+)?" + level_words("all") + r"(?!\s+hội)(?!\w)", re.I)


def _issuer_has_units(meta: Optional[Meta], units: dict) -> bool:
    issuer = ((meta.issuer if meta else None) or "").strip()
    return any(issuer == p or issuer.startswith(p + " ") for p in units.get("parents", []))


def _unit_name_end(text: str, pos: int, stops: set) -> int:
    """End of a unit's name starting at pos: capitalised words, lower-case words that are not what
    the unit does ("chủ trì", "phối hợp"), "-" before a capitalised word; at most 8 words."""
    end, n = pos, 0
    while n < 8:
        m = _UNIT_WORD.match(text, end)
        if not m:
            break
        w = m.group(2)
        if n == 0 and not w[0].isupper():
            return pos
        if w[0].islower():
            two = " ".join(text[m.start(2):m.start(2) + 30].split()[:2]).lower()
            if w.lower() in stops or two in stops or m.group(1) or _level_after().match(text, end):
                break
        elif w in ("Phòng", "Sở", "Ban", "Văn", "Thanh") and n:
            break  # the next body
        end, n = m.end(), n + 1
    return end


def _internal_units(text: str, meta: Optional[Meta], g: Gazetteer) -> list[Cand]:
    """In a department's own plan ("Sở Lao động - TBXH" issues it), its units are parties too:
    "Phòng Giáo dục nghề nghiệp", "Phòng Lao động - Việc làm", "Văn phòng Sở" (its level)."""
    units = g.data.get("internal_units") or {}
    if not _issuer_has_units(meta, units):
        return []
    level = plan_place(meta).level
    parent = next(p for p in units["parents"] if meta.issuer.strip().startswith(p))
    parent_head = parent.split()[0]
    stops = {w.lower() for w in units.get("stops", [])}
    out: list[Cand] = []
    heads = "|".join(re.escape(h) for h in units.get("heads", []))
    for m in re.finditer(rf"(?<![\w/&-])(?:{heads})(?=\s)", text):  # capitalised as a name: not "phòng"
        end = _unit_name_end(text, m.end(), stops)
        if end == m.end() or _level_after().match(text, end):
            continue  # no name, or a body of a place ("Phòng Dân tộc huyện")
        name = re.sub(r"\s+", " ", text[m.start():end])
        out.append(Cand(m.start(), end, text[m.start():end], name, m.group(0), level, core_start=m.start()))
    of_parent = "|".join(re.escape(h) for h in units.get("of_parent", []))
    for m in re.finditer(rf"(?<![\w/&-])(?:{of_parent})\s+{re.escape(parent_head)}(?!\w)", text):
        if _level_after().match(text, m.end()):
            continue
        name = re.sub(r"\s+", " ", m.group(0))
        kind = name[: -len(parent_head)].strip()  # "Văn phòng", "Thanh tra"
        out.append(Cand(m.start(), m.end(), m.group(0), name, kind, level, core_start=m.start()))
    return out


@lru_cache(maxsize=1)
def _place_list_re() -> re.Pattern:
    return re.compile(
        r"(?P<body>UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Hội đồng nhân dân)\s+các\s+(?P<lvl>" + level_words("all") + ")"
        r"(?:\s+(?:nghèo|miền núi|vùng cao|biên giới|đặc biệt khó khăn|được kiểm tra))?\s*:?\s+(?=[A-ZĐÀ-Ỹ])")
_LIST_AND = re.compile(r"\s*,\s*(?:và\s+)?|\s+và\s+")


def _places_listed(text: str, g: Gazetteer) -> list[Cand]:
    """ "UBND các huyện Nam Trà My, Bắc Trà My, Tây Giang": one body of each place named."""
    out: list[Cand] = []
    for m in _place_list_re().finditer(text):
        council = m.group("body") in ("HĐND", "Hội đồng nhân dân")
        core = "Hội đồng nhân dân" if council else "Ủy ban nhân dân"
        lvl = m.group("lvl")
        items, pos = [], m.end()
        while True:
            place, end = _place_after(text, pos, allow_number=lvl in ("quận", "phường"))
            if not place:
                break
            items.append((pos, end, place))
            sep = _LIST_AND.match(text, end)
            if not sep or not re.match(r"[A-ZĐÀ-Ỹ0-9]", text[sep.end():sep.end() + 1]):
                break
            pos = sep.end()
        if len(items) < 2:
            continue
        for s, e, place in items:
            out.append(Cand(s, e, text[s:e], core, "HĐND" if council else "UBND", g.levels.get(lvl), lvl, place,
                            territorial=True, core_start=s, form=f"{m.group('body')} {lvl} {place}"))
    return out


def _boundary_ok(text: str, s: int, e: int) -> bool:
    """Not inside a word or a document symbol ("KH-UBND", "UBND-CV", "TT-BLĐTBXH")."""
    if s > 0 and (_WORD_CHAR.match(text[s - 1]) or text[s - 1] in "/-&"):
        return False
    if e < len(text) and _WORD_CHAR.match(text[e]):
        return False
    if e < len(text) and text[e] in "/-&" and e + 1 < len(text) and _WORD_CHAR.match(text[e + 1]):
        return False
    return True


_STANDING_RE = re.compile(r"(?:(?P<co>cơ quan)\s+)?(?P<p>Thường trực|TTr|TT|Ban Thường vụ|BTV)(?:\s+|\.\s*)$", re.I)


def _standing(text: str, c: Cand, g: Gazetteer) -> None:
    """'Thường trực Huyện ủy', 'TTr HĐND': the standing part is its own party."""
    before = text[max(0, c.start - 30):c.start]
    m = _STANDING_RE.search(before)
    if not m or m.group("co"):
        return
    prefixes = g.data.get("standing", {}).get("prefixes", {})
    c.standing = prefixes.get(m.group("p"), m.group("p"))
    c.start = c.start - (len(before) - m.start("p"))
    c.surface = text[c.start:c.end]


# "Thường trực, các Ban, Tổ đại biểu và các đại biểu HĐND tỉnh": the standing part named first
# in a list of the council's parts, the council at the end of the list
_STANDING_LIST_RE = re.compile(
    r"(?<![\w])(?P<p>Thường trực)\s*(?:,|và)\s*(?:các\s+)?(?:Ban|Tổ đại biểu|đại biểu)\b[^.;:\n]{0,60}?\s+$")


def _standing_of_list(text: str, c: Cand, g: Gazetteer) -> Optional[Cand]:
    """The standing part of the council a list of its parts ends with, as a body of its own (the
    council itself stays a party too)."""
    if c.standing or c.kind not in ("HĐND", "Đảng"):
        return None
    before = text[max(0, c.start - 90):c.start]
    m = _STANDING_LIST_RE.search(before)
    if not m:
        return None
    prefixes = g.data.get("standing", {}).get("prefixes", {})
    start = c.start - (len(before) - m.start("p"))
    return Cand(start, c.end, text[start:c.end], c.core, c.kind, c.level, c.level_word, c.place,
                default_level=c.default_level, territorial=c.territorial, standing=prefixes.get("Thường trực", "Thường trực"),
                core_start=c.start, head_level=c.head_level, form=f"Thường trực {text[c.start:c.end]}")


def _select(cands: list[Cand]) -> list[Cand]:
    """Longest-leftmost, non-overlapping."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Cand] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            out.append(c)
            last_end = c.end
        elif out and c.end > out[-1].end and c.start == out[-1].start:
            out[-1] = c
            last_end = c.end
    return out
