"""Agencies: the state and political bodies a plan names as parties, each once.

Regex over the clean text, driven by the gazetteer extraction/data/agencies.json:
- a mention is [standing prefix] [branch prefix] CORE [level word [place name]] [khóa N];
  CORE is a central body ("Thủ tướng Chính phủ"), a head with a sector ("Sở" + "Kế hoạch và
  Đầu tư", "Phòng Lao động - TBXH"), a named body ("UBND", "Ngân hàng Chính sách xã hội"),
  an office of a body ("Văn phòng HĐND và UBND"), a steering committee ("Ban Chỉ đạo ..."),
  or an open head whose name runs to a level word ("Trung tâm ... huyện");
- the level and place are resolved against the plan's locality: "UBND huyện" in a huyện plan
  is the plan's own UBND; "UBND tỉnh" there is the province's; a lower level without a name
  ("UBND xã", "UBND cấp xã") means every such body and is not one agency, nor is a plural
  ("UBND các xã, thị trấn", "các Sở, Ban, ngành");
- mentions of one body (same core, level, place) are merged: the full form is `name`, the
  forms as written are `aliases`.
Roles ("chủ trì" / "phối hợp" / "thực hiện") come from the sentence around a mention, from
"Đơn vị chủ trì: ..." lines, from a section headed by the agency, and from task tables.
"""
from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from . import gazetteer as place_gazetteer
from .model import Agency, AgencyRole, Mention
from .textkeys import word_key

DATA = Path(__file__).parent / "data" / "agencies.json"

LEVEL_RANK = {"trung ương": 0, "tỉnh": 1, "huyện": 2, "xã": 3}

# Capitalised words that follow a level word but are not a place name ("UBND huyện Kế hoạch ...").
_NOT_PLACE = {
    "kế", "quyết", "nghị", "thông", "chỉ", "chương", "dự", "tiểu", "về", "theo", "trong", "tại", "để",
    "và", "khóa", "khoá", "lần", "giai", "năm", "ban", "sở", "phòng", "ủy", "uỷ", "hội", "công", "báo",
    "tờ", "văn", "đề", "trên", "đến", "từ", "cụ", "căn", "thực", "chủ", "phối", "đơn", "cơ", "các",
    "những", "tổ", "đảm", "xây", "triển", "hướng", "phê", "giao", "tham", "nơi", "lưu", "ngày", "số",
    "trước", "sau", "khi", "nếu", "đối", "với", "nhằm", "qua", "thông", "xem", "báo", "lãnh", "đồng",
    "ubnd", "hđnd", "mttq", "việt", "vn", "b/c", "đ/c", "ct", "pct", "cvp", "pcvp", "kt", "tm", "tl",
}

_LETTER = r"[^\W\d_]"
_WORD_CHAR = re.compile(r"[\w]")


# ---------------------------------------------------------------- gazetteer


# Old tone placement, also in capitals the normalizer leaves alone ("UỶ BAN", "THANH HOÁ").
_OLD_TONES = {"ủy": "uỷ", "ùy": "uỳ", "úy": "uý", "ũy": "uỹ", "ụy": "uỵ",
              "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ"}


def _tone_alt(literal: str) -> str:
    """An escaped literal where each new-style tone pair also matches the old style."""
    out, i = [], 0
    low = literal.lower()
    while i < len(literal):
        pair = low[i:i + 2]
        if pair in _OLD_TONES:
            out.append(f"(?:{literal[i:i + 2]}|{_OLD_TONES[pair]})")
            i += 2
        else:
            out.append(literal[i])
            i += 1
    return "".join(out)


def _flex(variant: str) -> str:
    """A variant as a regex: any spacing, '-'/',' and 'và'/'&' interchangeable."""
    parts = re.split(r"(\s+-\s+|\s*,\s+|\s+và\s+|\s+)", variant.strip())
    out = []
    for p in parts:
        if not p:
            continue
        if p.strip() in ("-", ",", "và"):
            # "Lao động - TBXH", "LĐ-TB&XH", "Văn hóa, Thể thao và Du lịch": separators vary
            out.append(r"\s*(?:[-,&]|và)\s*")
        elif p.isspace():
            out.append(r"\s+")
        else:
            out.append(_tone_alt(re.escape(p)))
    return "".join(out)


def _alt(variants) -> str:
    vs = sorted({v for v in variants}, key=len, reverse=True)
    return "(?:" + "|".join(_flex(v) for v in vs) + ")"


@dataclass
class Gazetteer:
    data: dict
    abbreviations: dict
    levels: dict
    level_re: str
    core_res: list  # (compiled regex, builder, first words or None) in priority order
    fields: list
    anchor: Optional[tuple] = None  # built on first use (_anchor)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    try:
        data = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # a broken data file must say which and why
        raise RuntimeError(f"{DATA}: cannot read agency gazetteer: {e}") from e
    for key in ("abbreviations", "levels", "fields", "field_heads", "central", "bodies"):
        if key not in data:
            raise RuntimeError(f"{DATA}: missing key {key!r}")
    levels = data["levels"]
    level_re = "(?:" + "|".join(_flex(w) for w in sorted(levels, key=len, reverse=True)) + ")"
    return Gazetteer(data=data, abbreviations=data["abbreviations"], levels=levels, level_re=level_re,
                     core_res=_core_patterns(data), fields=data["fields"])


_NEW_TONES = {old: new for new, old in _OLD_TONES.items()}
_OLD_TONE_RE = re.compile("|".join(_NEW_TONES))
_FIRST_WORD = re.compile(r"\w+")


def _word_key(word: str) -> str:
    """A word as the patterns see it (re.I, either tone placement): lower case, new tones."""
    w = word.lower()
    return _OLD_TONE_RE.sub(lambda m: _NEW_TONES[m.group(0)], w) if "u" in w or "o" in w else w


def _first_words(variants) -> Optional[frozenset]:
    """The words a mention of these variants can start with; None when one starts with no word
    (its pattern must then be searched everywhere)."""
    out = set()
    for v in variants:
        m = _FIRST_WORD.match(v.strip())
        if not m:
            return None
        out.add(_word_key(m.group(0)))
    return frozenset(out)


def _core_patterns(data: dict) -> list:
    """Regexes for the CORE of a mention, each with what it means and the words it starts with."""
    pats = []
    # central bodies
    for c in data["central"]:
        pats.append((re.compile(_alt(c["variants"]), re.I), {"type": "central", "name": c["name"], "kind": c["kind"]},
                     _first_words(c["variants"])))
    # standing prefixes are handled around other cores; steering committees
    steer = data.get("steering", {}).get("heads", ["Ban Chỉ đạo", "BCĐ"])
    pats.append((re.compile(_alt(steer), re.I), {"type": "steering"}, _first_words(steer)))
    # offices of a body
    office = data.get("office_of", {})
    if office:
        served = "|".join(
            f"(?P<s{i}>{_alt(s['variants'])})" for i, s in enumerate(office["served"])
        )
        pats.append((re.compile(_alt(office["heads"]) + r"\s+(?:" + served + ")", re.I),
                     {"type": "office", "served": [s["name"] for s in office["served"]]}, _first_words(office["heads"])))
    # named bodies (with optional branch prefix)
    for b in data["bodies"]:
        pre = ""
        if b.get("prefixes"):
            pre = r"(?P<prefix>" + _alt(b["prefixes"]) + r"\s+)?"
        pats.append((re.compile(pre + r"(?P<core>" + _alt(b["variants"]) + ")", re.I), {"type": "body", **b},
                     _first_words(list(b["variants"]) + list(b.get("prefixes", [])))))
    # head + sector
    field_alt = "|".join(
        f"(?P<f{i}>{_alt(f['variants'])})" for i, f in enumerate(data["fields"])
    )
    for head, info in data["field_heads"].items():
        pats.append((re.compile(re.escape(head) + r"\s+(?:" + field_alt + ")", re.I),
                     {"type": "field", "head": head, **info}, _first_words([head])))
    # open heads: name runs to a level word
    for head, kind in data.get("open_heads", {}).get("heads", {}).items():
        pats.append((re.compile(re.escape(head) + r"\s+(?P<tail>(?:[^\W\d_][\w&]*(?:\s*-\s*|\s*,\s*|\s+)){1,8}?)(?=(?:cấp\s+)?(?:tỉnh|huyện|xã|thị xã|thành phố|quận)\b)", re.I),
                     {"type": "open", "head": head, "kind": kind}, _first_words([head])))
    return pats


def _anchor(g: Gazetteer) -> tuple[re.Pattern, re.Pattern]:
    """Any whole word a core pattern can start with: one scan finds where to try them. The
    first form scans the lower-cased text (much faster than re.I), the second the text itself."""
    if g.anchor is None:
        words = set().union(*(w for _, _, w in g.core_res if w is not None))
        alt = "|".join(_tone_alt(re.escape(w)) for w in sorted(words, key=len, reverse=True))
        g.anchor = (re.compile(rf"(?<!\w)(?:{alt})(?!\w)"), re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.I))
    return g.anchor


def _core_matches(text: str, g: Gazetteer):
    """(pattern info, match) for every core pattern, as each pattern's finditer would give them
    but tried only where a word it can start with begins: 80 case-insensitive scans of the
    whole text were the largest cost of extraction."""
    starts: dict[str, list[int]] = {}
    low = text.lower()
    lower_rx, any_case_rx = _anchor(g)
    if len(low) == len(text):  # offsets hold (lower() can lengthen a few rare letters)
        found = lower_rx.finditer(low)
    else:
        found = any_case_rx.finditer(text)
    for w in found:
        starts.setdefault(_word_key(w.group(0)), []).append(w.start())
    for rx, info, words in g.core_res:
        if words is None:
            yield from ((info, m) for m in rx.finditer(text))
            continue
        positions = sorted(p for k in words for p in starts.get(k, ()))
        last_end = 0
        for p in positions:
            if p < last_end:
                continue  # finditer's matches do not overlap
            m = rx.match(text, p)
            if m is not None:
                last_end = max(m.end(), p + 1)
                yield info, m


# ---------------------------------------------------------------- candidates


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


def _is_upper_initial(s: str) -> bool:
    return bool(s) and s[0].isupper()


_SYL_RE = re.compile(r"[^\W_][\w']*")


def _place_after(text: str, pos: int, allow_number: bool = False) -> tuple[Optional[str], int]:
    """A place name starting at pos (after spaces): capitalised syllables, up to 5."""
    m = re.match(r"[ \t]+", text[pos:])
    i = pos + (m.end() if m else 0)
    words = []
    end = pos
    j = i
    while len(words) < 5:
        m = _SYL_RE.match(text, j)
        if not m:
            break
        w = m.group(0)
        if not (w[0].isupper() or (allow_number and not words and w.isdigit())):
            break
        if w.casefold() in _NOT_PLACE and not _known_place_through(text, j, words) \
                and not _place_start(text, m.end(), w, words) and not _place_end(text, m.end(), w, words):
            break
        if len(w) > 1 and w.isupper() and not text[i:j].isupper() and words:
            break
        words.append(w)
        end = m.end()
        # next syllable: separated by a space or a hyphen inside a name ("Phan Rang - Tháp Chàm")
        m2 = re.match(r"(?:[ \t]+|\s*-\s*(?=[^\W\d_]))", text[end:])
        if not m2:
            # a name wrapped onto the next line ("huyện Mường\nLát"): only a known place
            m2 = re.match(r"[ \t]*\n[ \t]*(?=([^\W\d_][\w']*))", text[end:])
            if not (m2 and _known_place(" ".join(words + [m2.group(1)]))):
                break
        j = end + m2.end()
    if not words:
        return None, pos
    name = text[i:end]
    if name.isupper() and len(name) > 3:  # header in capitals: "TỈNH ĐẮK NÔNG"
        name = name.title()
    return name, end


def _known_place_through(text: str, pos: int, words: list) -> bool:
    """A stop word that is part of a known province or district name ("Lâm Đồng", "Đồng Tháp")."""
    tail = [m.group(0) for m in re.finditer(r"[^\W_][\w']*", text[pos:pos + 40])][:3]
    for k in range(1, len(tail) + 1):
        name = " ".join(words + tail[:k])
        if not all(w[:1].isupper() for w in tail[:k]):
            break
        if _known_place(name):
            return True
    return False


# Common words that also open place names ("xã Hướng Phùng", "Đồng Văn", "Văn Chấn", "Đơn Dương").
_PLACE_STARTS = {"hướng", "đồng", "văn", "giao", "từ", "đơn"}


def _place_start(text: str, pos: int, w: str, words: list) -> bool:
    """Such a word opens a name when a capitalised syllable that is no common word follows it."""
    if words or w.casefold() not in _PLACE_STARTS or not w[:1].isupper() or w.isupper():
        return False
    m = re.match(r"[ \t]+([^\W\d_][\w']*)", text[pos:])
    return bool(m) and m.group(1)[:1].isupper() and not m.group(1).isupper() and m.group(1).casefold() not in _NOT_PLACE


def _place_end(text: str, pos: int, w: str, words: list) -> bool:
    """Such a word closes a name when no capitalised word follows it ("xã Tân Hội xây dựng", "XÃ TÂN
    HỘI"), not when a body's name goes on ("xã Tân Hà Hội Nông dân")."""
    if not words or w.casefold() not in _PLACE_STARTS | {"hội", "công"}:
        return False
    nxt = re.match(r"[ \t]+([^\W\d_][\w']*)", text[pos:])
    return not (nxt and nxt.group(1)[:1].isupper())


@lru_cache(maxsize=64)
def _is_city_province(name: str) -> bool:
    """A centrally-run city ("Huế", "Cần Thơ"), not a province whose capital shares its name."""
    hits = [place_gazetteer.province(name, era=e) for e in place_gazetteer.ERAS]
    return any(p and p.kind.lower() == "thành phố" and word_key(p.name) == word_key(name) for p in hits)


@lru_cache(maxsize=512)
def _known_place(name: str) -> bool:
    if name.isupper():
        name = name.title()
    return bool(place_gazetteer.province(name) or place_gazetteer.district(name))


_KHU_VUC = re.compile(r"(?:\s*\([^()\n]{1,20}\))?\s+khu vực\s+(?=[A-ZĐÀ-Ỹ0-9])")


def _suffix(text: str, pos: int, g: Gazetteer) -> dict:
    """Level word, place name, 'khóa N' after a core ending at pos."""
    out = {"end": pos, "level": None, "level_word": None, "place": None, "generic": False}
    m = re.match(r"\s+(các|những|mỗi|từng)\s+(?=" + g.level_re + r"\b)", text[pos:], re.I)
    if m:
        out["generic"] = True
        return out
    m = re.match(r"\s+(?P<council>HĐND|Hội đồng nhân dân)\s+(?P<lvl>tỉnh|huyện|xã|thành phố|thị xã|quận)(?!\w)", text[pos:])
    if m:  # "Ban Dân tộc HĐND tỉnh": a committee of the council, not the provincial body
        out["of_body"] = "Hội đồng nhân dân"
        out["level"] = g.levels.get(m.group("lvl"))
        out["level_word"] = m.group("lvl")
        out["end"] = pos + m.end()
        place, pend = _place_after(text, out["end"])
        if place:
            out["place"], out["end"] = place, pend
        return out
    m = re.match(r"\s+(?P<party>Huyện ủy|Tỉnh ủy|Thành ủy|Thị ủy|Quận ủy|Đảng ủy)(?!\w)", text[pos:])
    if m:  # "Ban Tuyên giáo Huyện ủy": a body of the party committee of that level
        word = m.group("party")
        out["level"] = {"Huyện ủy": "huyện", "Tỉnh ủy": "tỉnh", "Thị ủy": "huyện", "Quận ủy": "huyện", "Đảng ủy": "xã"}.get(word)
        out["level_word"] = word
        out["end"] = pos + m.end()
        place, pend = _place_after(text, out["end"])
        if place:
            out["place"], out["end"] = place, pend
        return out
    m = re.match(r"\s+(?:cấp\s+)?(" + g.level_re + r")(?![\w])(?!\s+(?:ủy|Ủy|đoàn|Đoàn)\b)", text[pos:], re.I)
    if m:
        word = re.sub(r"\s+", " ", m.group(1)).lower()
        lvl = g.levels.get(word) or g.levels.get(m.group(0).strip().lower())
        out["level"], out["level_word"] = lvl, word
        end = pos + m.end()
        if "cấp" in m.group(0).lower():
            out["generic"] = True  # "UBND cấp xã": every UBND of that level
        else:
            place, pend = _place_after(text, end, allow_number=word in ("quận", "phường"))
            if place:
                out["place"], end = place, pend
            else:
                # "UBND xã, thị trấn" / "huyện, thành phố": lists of levels are generic
                if re.match(r"\s*,\s*(?:" + g.level_re + r")(?!\w)", text[end:]):
                    out["generic"] = True
        out["end"] = end
    m = _KHU_VUC.match(text, out["end"]) if not out["level"] else None
    if m:  # "Phòng giao dịch NHCSXH (NHCSXH) khu vực Vĩnh Thuận": a body named by its area (2025 on)
        place, pend = _place_after(text, m.end(), allow_number=True)
        if place:
            out["place"], out["end"] = place, pend
    m = re.match(r"\s+kh[oó]a\s+[IVXLC]+\b", text[out["end"]:], re.I)
    if m:
        out["end"] += m.end()
    return out


def _field_name(m: re.Match, fields: list) -> Optional[str]:
    for k, v in m.groupdict().items():
        if v is not None and k.startswith("f") and k[1:].isdigit():
            return fields[int(k[1:])]["name"]
    return None


_STEER_TAIL = re.compile(
    r"(?P<lvl>\s+(?:cấp\s+)?(?:tỉnh|huyện|xã|thị xã|thành phố|trung ương)(?:\s*,\s*(?:tỉnh|huyện|xã|thị trấn|thành phố))*)?"
    r"(?P<prog>\s+(?:về\s+)?(?:thực hiện\s+)?(?:các\s+)?(?:(?:(?:Chương trình|CT)\s+(?:MTQG|mục tiêu quốc gia)|CTMTQG)"
    r"(?:\s+(?:giảm nghèo bền vững|xây dựng nông thôn mới|phát triển kinh tế\s*-\s*xã hội vùng đồng bào dân tộc thiểu số và miền núi))?"
    r"|giảm nghèo bền vững|giảm nghèo|xây dựng nông thôn mới|nông thôn mới))?"
    r"(?P<area>\s+trên địa bàn\s+(?:tỉnh|huyện|xã|thành phố|thị xã))?",
    re.I,
)
_STEER_END = re.compile(
    r"(?P<period>\s*,?\s*giai đoạn\s+\d{4}\s*-\s*\d{4})?"
    r"(?P<lvl2>\s+(?:cấp\s+)?(?:tỉnh|huyện|xã|thị xã|thành phố)(?![\w]))?",
    re.I,
)


def _steering(text: str, m: re.Match, g: Gazetteer) -> Optional[Cand]:
    t = _STEER_TAIL.match(text, m.end())
    end = t.end()
    place = None
    if t.group("area"):
        place, end = _place_after(text, end)
    t2 = _STEER_END.match(text, end)
    end = t2.end()
    if end == m.end():
        return None  # bare "Ban Chỉ đạo": the one named elsewhere, or any
    if re.match(r"\s+các cấp\b", text[end:], re.I):
        return None
    lvl_text = t.group("lvl") or t2.group("lvl2") or ""
    level = None
    lw = None
    mm = re.search(r"(tỉnh|huyện|xã|thị xã|thành phố|trung ương)", lvl_text, re.I)
    if mm:
        lw = mm.group(1).lower()
        level = "trung ương" if lw == "trung ương" else g.levels.get(lw)
    if t.group("area"):
        a = re.match(r"\s+trên địa bàn\s+(tỉnh|huyện|xã|thành phố|thị xã)", t.group("area"), re.I)
        lw = lw or a.group(1).lower()
        level = level or g.levels.get(a.group(1).lower())
    surface = text[m.start():end]
    return Cand(m.start(), end, surface, "Ban Chỉ đạo", "Ban Chỉ đạo", level, lw, place,
                territorial=True, core_start=m.start())


_ENUM_TAIL = re.compile(r",\s*(?!(?:Phòng|Sở|Ban|Trung tâm|UBND|HĐND|Hội|Đài|Chi cục|Hạt|Đoàn|Ủy ban)\b)[^,]*\svà\s[^,]*$")


def _candidates(text: str, g: Gazetteer) -> list[Cand]:
    out: list[Cand] = []
    for info, m in _core_matches(text, g):
        s, e = m.start(), m.start() + len(m.group(0).rstrip())
        if not _boundary_ok(text, s, e):
            continue
        t = info["type"]
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
            if re.match(r"\s+(?:nước|điện tử|số)\b", text[e:]):  # a foreign government; "Chính phủ điện tử"
                continue
            sfx = re.match(r"\s+kh[oó]a\s+[IVXLC]+\b", text[e:], re.I)
            end = e + (sfx.end() if sfx else 0)
            out.append(Cand(s, end, text[s:end], info["name"], info["kind"], "trung ương", central=True, core_start=s))
            continue
        if not info.get("any_case") and not _is_upper_initial(m.group(0)):
            continue
        if t == "office":
            served = next(info["served"][int(k[1:])] for k, v in m.groupdict().items() if v is not None and k.startswith("s"))
            sx = _suffix(text, e, g)
            out.append(Cand(s, sx["end"], text[s:sx["end"]], "Văn phòng " + served, "Văn phòng", sx["level"],
                            sx["level_word"], sx["place"], territorial=True, generic=sx["generic"], core_start=s))
            continue
        if t == "field":
            fname = _field_name(m, g.fields)
            sx = _suffix(text, e, g)
            lvl = sx["level"] or info["level"]
            out.append(Cand(s, sx["end"], text[s:sx["end"]], f"{info['head']} {fname}", info["kind"], lvl,
                            sx["level_word"], sx["place"], default_level=info["level"], generic=sx["generic"],
                            core_start=s))
            continue
        if t == "body":
            core_s = m.start("core")
            if not info.get("any_case") and not _is_upper_initial(m.group("core")):
                continue
            prefix = (m.groupdict().get("prefix") or "").strip()
            sx = _suffix(text, e, g)
            place = sx["place"]
            end = sx["end"]
            if info.get("head_level") and not sx["level"] and not sx["place"]:
                place, pend = _place_after(text, e)
                if place:
                    end = pend
            if info.get("needs_level") and not sx["level"] and not place:
                continue
            level = sx["level"] or info.get("level")
            if prefix:
                p = word_key(prefix)
                if p in ("chi nhanh", "cn"):
                    level = sx["level"] or "tỉnh"
                elif p in ("phong giao dich", "pgd"):
                    level = sx["level"] or "huyện"
            if re.match(r"\s+(?:Việt Nam|VN)\b", text[end:]) and info["kind"] != "MTTQ":
                vm = re.match(r"\s+(?:Việt Nam|VN)\b", text[end:])
                end += vm.end()
                level = "trung ương"
            core_name = info["name"] + (" " + sx["of_body"] if sx.get("of_body") and info["kind"] == "Ban" else "")
            out.append(Cand(s, end, text[s:end], core_name, info["kind"], level, sx["level_word"], place,
                            default_level=info.get("level"), territorial=bool(info.get("territorial")),
                            generic=sx["generic"], core_start=core_s, head_level=bool(info.get("head_level"))))
            continue
        if t == "open":
            tail = m.group("tail").strip()
            # plural before the level ("Trung tâm Y tế các huyện") or a clause ("của"), not a name
            # holding "các" ("Ban Quản lý dự án các công trình huyện")
            if re.search(r"\bcủa\b|^(?:các|những)\b|\b(?:các|những)\s*$", tail, re.I):
                continue
            if "," in tail and not _ENUM_TAIL.search(tail):
                continue  # a comma inside a name only in "A, B và C" ("Văn hóa, Thông tin và Thể thao")
            if info["head"] not in ("Đài", "Ban Quản lý") and not tail[:1].isupper():
                continue  # "Trung tâm hành chính huyện" is a place; a body's name is capitalised
            sx = _suffix(text, m.start("tail") + len(m.group("tail").rstrip()), g)
            if not sx["level"]:
                continue
            out.append(Cand(s, sx["end"], text[s:sx["end"]], f"{info['head']} {tail}", info["kind"], sx["level"],
                            sx["level_word"], sx["place"], territorial=True, generic=sx["generic"], core_start=s))
    return out


@lru_cache(maxsize=1)
def _enum_patterns() -> tuple[re.Pattern, list]:
    g = gazetteer()
    heads = "|".join(re.escape(h) for h in g.data["field_heads"])
    lead = re.compile(r"(?:\bcác\s+)?(?P<head>" + heads + r")\s*:?\s+(?=[A-ZĐÀ-Ỹ])")
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
            if items and re.match(r"\s+(?:tỉnh|huyện|xã|thành phố)\b", text[end:]):
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
_LEVEL_AFTER = re.compile(r"\s+(?:cấp\s+|các\s+)?(?:tỉnh|huyện|xã(?!\s+hội)|thành phố|thị xã|quận|phường|thị trấn)(?!\w)", re.I)


def _issuer_has_units(meta, units: dict) -> bool:
    issuer = (getattr(meta, "issuer", None) or "").strip()
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
            if w.lower() in stops or two in stops or m.group(1) or _LEVEL_AFTER.match(text, end):
                break
        elif w in ("Phòng", "Sở", "Ban", "Văn", "Thanh") and n:
            break  # the next body
        end, n = m.end(), n + 1
    return end


def _internal_units(text: str, meta, g: Gazetteer) -> list[Cand]:
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
        if end == m.end() or _LEVEL_AFTER.match(text, end):
            continue  # no name, or a body of a place ("Phòng Dân tộc huyện")
        name = re.sub(r"\s+", " ", text[m.start():end])
        out.append(Cand(m.start(), end, text[m.start():end], name, m.group(0), level, core_start=m.start()))
    of_parent = "|".join(re.escape(h) for h in units.get("of_parent", []))
    for m in re.finditer(rf"(?<![\w/&-])(?:{of_parent})\s+{re.escape(parent_head)}(?!\w)", text):
        if _LEVEL_AFTER.match(text, m.end()):
            continue
        name = re.sub(r"\s+", " ", m.group(0))
        kind = name[: -len(parent_head)].strip()  # "Văn phòng", "Thanh tra"
        out.append(Cand(m.start(), m.end(), m.group(0), name, kind, level, core_start=m.start()))
    return out


_PLACE_LIST_RE = re.compile(
    r"(?P<body>UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Hội đồng nhân dân)\s+các\s+(?P<lvl>huyện|thị xã|thành phố|quận|xã|phường|tỉnh)"
    r"(?:\s+(?:nghèo|miền núi|vùng cao|biên giới|đặc biệt khó khăn|được kiểm tra))?\s*:?\s+(?=[A-ZĐÀ-Ỹ])")
_LIST_AND = re.compile(r"\s*,\s*(?:và\s+)?|\s+và\s+")


def _places_listed(text: str, g: Gazetteer) -> list[Cand]:
    """ "UBND các huyện Nam Trà My, Bắc Trà My, Tây Giang": one body of each place named."""
    out: list[Cand] = []
    for m in _PLACE_LIST_RE.finditer(text):
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


# ---------------------------------------------------------------- resolution


@dataclass
class PlanPlace:
    level: Optional[str] = None
    name: Optional[str] = None
    province: Optional[str] = None
    city: bool = False  # a centrally-run city: its "thành phố" is the province level
    two_tier: bool = False  # from July 2025 a xã has its own Phòng (no district level)


def plan_place(meta) -> PlanPlace:
    loc = getattr(meta, "locality", None)
    level = getattr(loc, "level", None) if loc else None
    if level in ("thành phố", "thị xã", "quận"):
        level = "huyện"
    if level in ("phường", "thị trấn"):
        level = "xã"
    name = getattr(loc, "name", None) if loc else None
    province = getattr(loc, "province", None) if loc else None
    if level == "tỉnh" and not province:
        province = name
    issuer = (getattr(meta, "issuer", None) or "").lower()
    city = level == "tỉnh" and "thành phố" in issuer
    year = getattr(meta, "issue_year", None) or 0
    return PlanPlace(level, name, province, city, two_tier=level == "xã" and year >= 2025)


def _resolve(c: Cand, pp: PlanPlace) -> Optional[tuple[str, Optional[str]]]:
    """(level, place) of the body a mention names, or None when it names no single body."""
    if c.generic:
        return None
    if c.central:
        return "trung ương", None
    level = c.level or c.default_level or pp.level
    if pp.two_tier and (c.kind == "Phòng" or level == "huyện") and not c.level_word:
        level = "xã"  # from July 2025 there is no district level: a local body is the xã's
    if pp.city and c.level_word == "thành phố" and not c.place:
        level = "tỉnh"  # "UBND thành phố" in a plan of Cần Thơ
    if c.level_word == "thành phố" and c.place and _is_city_province(c.place):
        level = "tỉnh"  # "UBND thành phố Huế", "Sở Y tế thành phố Hà Nội": a centrally-run city
    if c.place:
        return level, c.place
    if level == "trung ương":
        return level, None
    if pp.level and level == pp.level:
        return level, pp.name
    if level == "tỉnh" and pp.province:
        return level, pp.province
    if c.territorial and pp.level and level and LEVEL_RANK.get(level, 9) > LEVEL_RANK.get(pp.level, 9):
        return None  # "UBND xã" in a huyện plan: any of them
    return level, None


@dataclass
class Group:
    key: tuple
    cands: list = field(default_factory=list)
    level: Optional[str] = None
    place: Optional[str] = None


@lru_cache(maxsize=8)
def _abbr_rx(keys: tuple) -> re.Pattern:
    keys = sorted(keys, key=len, reverse=True)
    return re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w&])")


def _expand(s: str, abbr: dict) -> str:
    def rep(m):
        return abbr.get(m.group(0), m.group(0))
    s = _abbr_rx(tuple(abbr)).sub(rep, s)
    return re.sub(r"\s+", " ", s).strip()


def _display(g: Group, pp: PlanPlace, abbr: dict) -> tuple[str, list[str]]:
    """The full name (abbreviations expanded, the plan's place filled in) and the short forms."""
    c0 = g.cands[0]
    place = g.place
    forms = []
    for c in g.cands:
        forms.append(re.sub(r"\s+", " ", c.form or c.surface).strip(" ,;.:"))
    expanded = [_expand(f, abbr) for f in forms]
    if c0.core == "Ban Chỉ đạo":
        written = [f for f in expanded if not f.isupper()] or expanded  # a header in capitals is no name
        name = max(written, key=len)
    else:
        core = c0.core
        if c0.standing:
            core = f"{c0.standing} {core}"
        has_level_word = any(c.level_word for c in g.cands)
        name = core
        if place and pp.name and word_key(place) == word_key(pp.name):
            place = pp.name
        elif place and pp.province and word_key(place) == word_key(pp.province):
            place = pp.province
        if c0.standing:
            # the standing part of a body: its canonical prefix and the body as written
            bodies = [_expand(re.sub(r"\s+", " ", c.surface[c.core_start - c.start:]), abbr) for c in g.cands]
            name = f"{c0.standing} {max(bodies, key=len)}"
        elif c0.territorial and g.level != "trung ương":
            lw = next((c.level_word for c in g.cands if c.level_word), None)
            if c0.head_level:
                area = place and any(re.search(r"khu vực\s+" + re.escape(place), c.surface) for c in g.cands)
                name = (f"{core} khu vực {place}" if area else f"{core} {place}") if place else core
            else:
                lw = lw or (g.level if g.level in ("tỉnh", "huyện", "xã") else None)
                name = core
                if lw:
                    name += f" {lw}"
                    if place:
                        name += f" {place}"
        elif has_level_word:
            lw = next(c.level_word for c in g.cands if c.level_word)
            name = f"{core} {lw}"
            pl = next((c.place for c in g.cands if c.place), None)
            if pl:
                name += f" {pl}"
    aliases = []
    seen = {_norm(name)}
    for f in forms + expanded:
        if f.isupper() and len(f) > 6:  # a header in capitals is not a form of the name
            continue
        k = _norm(f)
        if k and k not in seen:
            seen.add(k)
            aliases.append(f)
    # the body without its level and place ("Sở Y tế" of "Sở Y tế tỉnh Quảng Ngãi") is a short form
    if c0.kind in ("Sở", "Phòng", "Bộ") and not c0.standing and _norm(c0.core) not in seen:
        seen.add(_norm(c0.core))
        aliases.append(c0.core)
    # the full form without the place name ("Ủy ban nhân dân huyện") is a short form too
    if place and name.endswith(" " + place):
        short = name[: -len(place) - 1]
        if _norm(short) not in seen and c0.core != "Ban Chỉ đạo":
            seen.add(_norm(short))
            aliases.append(short)
    return name, aliases


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold()
    s = re.sub(r"\s*-\s*", " - ", s)
    s = s.replace("&", " và ")
    return re.sub(r"\s+", " ", s).strip(" .;,:")


def _core_key(c: Cand) -> str:
    if c.core == "Ban Chỉ đạo":
        return "ban chi dao"
    return word_key(c.core)


def _merge_unnamed(groups: list[Group], pp: PlanPlace) -> list[Group]:
    """ "UBND huyện" in a xã plan that names "UBND huyện Đăk Hà" once is that body."""
    out = []
    for g in groups:
        core, standing, level, place = g.key
        target = None
        if not place and level and level != "trung ương" and level != pp.level:
            named = [h for h in groups if h is not g and h.key[:3] == (core, standing, level) and h.key[3]]
            if len(named) == 1:
                target = named[0]
        if target is not None:
            target.cands.extend(g.cands)
        else:
            out.append(g)
    return out


def _merge_prefixed(groups: list[Group]) -> list[Group]:
    """'Phòng Văn hóa' is a short form of 'Phòng Văn hóa - Thông tin' when both occur."""
    out = []
    for g in groups:
        core = g.key[0]
        target = None
        for h in groups:
            if h is g or h.key[1:] != g.key[1:] or h.key[0] == core:
                continue
            if h.key[0].startswith(core + " ") and g.cands[0].kind in ("Sở", "Phòng", "Bộ") and not g.cands[0].standing:
                target = h
                break
        if target is not None:
            target.cands.extend(g.cands)
        else:
            out.append(g)
    return out


# ---------------------------------------------------------------- roles


_CHU_TRI_LINE = re.compile(r"(?:Đơn vị|Cơ quan)\s+chủ trì\s*:[^\n;]*$", re.I)
_PHOI_HOP_LINE = re.compile(r"(?:Đơn vị|Cơ quan)\s+phối hợp\s*:[^\n]*$", re.I)
_AFTER_CHU_TRI = re.compile(r"^\s*(?:\([^)]*\)\s*)?[:,]?\s*(?:là\s+)?(?:cơ quan\s+|đơn vị\s+)?(?:thường trực,?\s+)?chủ trì", re.I)
_PHOI_HOP_BEFORE = re.compile(r"phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\b(?P<between>[^.;:\n]*)$", re.I)
# Words that end the list of partners after "phối hợp với": what follows is the task.
_TASK_WORDS = re.compile(
    r"\b(?:tham mưu|trình|báo cáo|gửi|hướng dẫn|tổ chức|xây dựng|triển khai|thực hiện|giám sát|kiểm tra|"
    r"đề xuất|tổng hợp|chỉ đạo|cho|về|để|nhằm|theo|trong|tại|phân bổ|rà soát|đánh giá|vận động)\b", re.I)


def _sentence_before(text: str, pos: int) -> str:
    i = max(text.rfind("\n", 0, pos), text.rfind(". ", 0, pos), text.rfind(";", 0, pos))
    return text[i + 1:pos]


def _role_of(text: str, c: Cand) -> Optional[str]:
    before_line = text[text.rfind("\n", 0, c.start) + 1:c.start]
    if _CHU_TRI_LINE.search(before_line):
        return "chủ trì"
    if _PHOI_HOP_LINE.search(before_line):
        return "phối hợp"
    if _AFTER_CHU_TRI.match(text[c.end:c.end + 60]):
        return "chủ trì"
    if re.match(r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:có trách nhiệm\s+)?phối hợp\b", text[c.end:c.end + 60], re.I):
        return "phối hợp"
    m = _PHOI_HOP_BEFORE.search(_sentence_before(text, c.start))
    if m and not _TASK_WORDS.search(m.group("between")):
        return "phối hợp"
    return None


def _heading_role(text: str, c: Cand, struct) -> Optional[tuple[str, object, Optional[int]]]:
    """A section headed by the agency ("1. Phòng Lao động - Thương binh và Xã hội") assigns it
    the tasks below: "chủ trì" when they say so, else "thực hiện"."""
    sec = _call(struct, "section_at", c.start)
    if sec is None:
        return None
    line_start = text.rfind("\n", 0, c.start) + 1
    prefix = text[line_start:c.start]
    if not re.fullmatch(r"\s*(?:[IVX]+\.|\d+(?:\.\d+)*\.?\)?|[a-zđ]\)|\(\d+\))?\s*(?:Đề nghị\s+|Giao\s+)?", prefix):
        return None
    cl = _call(struct, "clause_at", c.start)
    if cl is None:
        return None
    # a heading, or an item that opens with the agency and a colon: "2. Sở Y tế: hướng dẫn ..."
    if getattr(cl, "kind", "") != "heading":
        if not re.match(r"\s*:", text[c.end:c.end + 3]):
            return None
        nl = text.find("\n", c.end)
        return "thực hiện", sec, (nl if nl >= 0 else len(text))
    return "thực hiện", sec, None


def _call(obj, name, *args):
    f = getattr(obj, name, None)
    if not callable(f):
        return None
    try:
        return f(*args)
    except Exception:  # structure is best effort for roles and clause ids
        return None


def _table_roles(text: str) -> dict[int, str]:
    """Tab tables with 'Đơn vị chủ trì' / 'Đơn vị phối hợp' columns: clean offset -> role."""
    roles: dict[int, str] = {}
    cols: Optional[dict[int, str]] = None
    pos = 0
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            head = {i: ("chủ trì" if re.search(r"chủ trì", cell, re.I) else "phối hợp")
                    for i, cell in enumerate(cells) if re.search(r"(?:chủ trì|phối hợp)", cell, re.I) and len(cell) < 40}
            if head and any(re.search(r"đơn vị|cơ quan", cells[i], re.I) for i in head):
                cols = head
            elif cols:
                off = pos
                for i, cell in enumerate(cells):
                    if i in cols:
                        roles[off] = cols[i]
                        roles[off + len(cell)] = ""
                    off += len(cell) + 1
        elif cols and len(line) > 200:
            cols = None  # prose again: the table is over
        pos += len(line) + 1
    return roles


def _table_role_at(table: dict[int, str], keys: list[int], pos: int) -> Optional[str]:
    """Role of the table cell holding pos (keys: the sorted cell boundaries of `table`)."""
    i = bisect_right(keys, pos) - 1
    return (table[keys[i]] or None) if i >= 0 else None


# ---------------------------------------------------------------- main


def find_agencies(norm, struct=None, meta=None) -> list[Agency]:
    text = norm.text
    g = gazetteer()
    pp = plan_place(meta)
    cands = _candidates(text, g)
    cands = _select(cands)
    for c in cands:
        _standing(text, c, g)
    units = [u for u in _internal_units(text, meta, g) if not any(u.start < c.end and c.start < u.end for c in cands)]
    if units:
        cands = sorted(cands + units, key=lambda c: c.start)
    # drop plurals: "các Sở Lao động ...", "những UBND ..."
    cands = [c for c in cands if not re.search(r"(?:^|\s)(?:các|những|mỗi|từng)\s+$", text[max(0, c.start - 8):c.start], re.I)]
    listed = _enumerated(text, g) + _places_listed(text, g)
    if listed:
        cands = [c for c in cands if not any(c.start < x.end and x.start < c.end for x in listed)] + listed
        cands.sort(key=lambda c: c.start)
    table = _table_roles(text)
    table_keys = sorted(table)

    groups: dict[tuple, Group] = {}
    order: list[tuple] = []
    for c in cands:
        r = _resolve(c, pp)
        if r is None:
            continue
        level, place = r
        key = (_core_key(c), c.standing or "", level or "", word_key(place) if place else "")
        if key not in groups:
            groups[key] = Group(key=key, level=level, place=place)
            order.append(key)
        grp = groups[key]
        grp.cands.append(c)
        if place and not grp.place:
            grp.place = place
    merged = _merge_prefixed(_merge_unnamed([groups[k] for k in order], pp))

    media = set((g.data.get("publication_kinds") or {}).get("kinds", []))
    recipients = _recipient_spans(text) if media else []
    out: list[Agency] = []
    for grp in merged:
        if _kind(grp) in media and recipients and all(
                any(a <= c.start < b for a, b in recipients) for c in grp.cands):
            continue  # a paper or station that only receives the plan to publish it
        name, aliases = _display(grp, pp, g.abbreviations)
        a = Agency(name=name, level=grp.level, aliases=aliases, kind=_kind(grp))
        seen_roles = set()
        for c in sorted(grp.cands, key=lambda c: c.start):
            s, e = norm.span(c.start, c.end)
            cid = _clause_id(struct, c.start)
            a.mentions.append(Mention(text=c.surface, start=s, end=e, clause_id=cid))
            role = _role_of(text, c) or _table_role_at(table, table_keys, c.start)
            sec_path = _call(struct, "section_path_at", c.start) or None
            if not role:
                hr = _heading_role(text, c, struct)
                if hr:
                    role = hr[0]
                    sec = hr[1]
                    body_end = hr[2] if hr[2] is not None else _section_end_clean(struct, sec, c.end, text)
                    body = text[c.end:body_end]
                    if re.search(r"(?:^|\n|[-+]\s|\)\s|là cơ quan\s)chủ trì", body, re.I):
                        role = "chủ trì"
            if role:
                du_an = _call(struct, "scope_at", c.start)
                k = (role, sec_path, du_an)
                if k not in seen_roles:
                    seen_roles.add(k)
                    a.roles.append(AgencyRole(role=role, section=sec_path, du_an=du_an, clause_id=cid))
        out.append(a)
    return out


_RECIPIENTS = re.compile(r"(?m)^[ \t*#]*Nơi nhận\s*:")
_RECIPIENT_LINE = re.compile(r"[ \t]*(?:[-+•*][^\n]*|[^\n]*;[ \t*]*)?(?:\n|$)")


def _recipient_spans(text: str) -> list[tuple[int, int]]:
    """The "Nơi nhận:" lists: the label's line and the list items (or lines ending in ";")
    under it, blank lines between them included."""
    spans = []
    for m in _RECIPIENTS.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end + 1
        while end < len(text):
            ln = _RECIPIENT_LINE.match(text, end)
            if not ln or ln.end() == end:
                break
            end = ln.end()
        spans.append((m.start(), end))
    return spans


def _kind(grp: Group) -> str:
    return grp.cands[0].kind


def _clause_id(struct, pos: int) -> Optional[str]:
    cid = _call(struct, "clause_id_at", pos)
    if cid:
        return cid
    cl = _call(struct, "clause_at", pos)
    return getattr(cl, "id", None) if cl else None


def _section_end_clean(struct, sec, pos: int, text: str) -> int:
    """Clean end of the section sec (struct keeps clean section ends parallel to sections)."""
    try:
        i = struct.sections.index(sec)
        return struct.section_ends[i]
    except Exception:
        nxt = re.search(r"\n\s*(?:[IVX]+\.|\d+\.)\s", text[pos:])
        return pos + (nxt.start() if nxt else min(len(text) - pos, 2000))
