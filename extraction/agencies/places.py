"""Place names after a level word ("UBND huyện Phong Thổ"), and the plan's own place.

A place name is up to five capitalised syllables; common capitalised words that follow a level
word but are no name (data: agencies.json `not_place`) end it, unless a known province or
district name goes on through them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .. import gazetteer as place_gazetteer
from ..model import Meta
from ..nlp import segment
from ..textkeys import word_key
from .patterns import gazetteer

LEVEL_RANK = {"trung ương": 0, "tỉnh": 1, "huyện": 2, "xã": 3}

@lru_cache(maxsize=1)
def _place_words() -> tuple[frozenset, frozenset]:
    """(words that open no place name, such words that may open one): agencies.json `place_words`."""
    words = gazetteer().data["place_words"]
    return frozenset(words["not_place"]), frozenset(words["place_starts"])


_SYL_RE = re.compile(r"[^\W_][\w']*")
_BLANKS = re.compile(r"[ \t]+")
_SYL_SEP = re.compile(r"(?:[ \t]+|\s*-\s*(?=[^\W\d_]))")  # a space, or a hyphen inside a name
_SYL_WRAP = re.compile(r"[ \t]*\n[ \t]*(?=([^\W\d_][\w']*))")
_NEXT_SYL = re.compile(r"[ \t]+([^\W\d_][\w']*)")


def _place_after(text: str, pos: int, allow_number: bool = False) -> tuple[Optional[str], int]:
    """A place name starting at pos (after spaces): capitalised syllables, up to 5."""
    m = _BLANKS.match(text, pos)  # (at a position: text[pos:] copied the rest of the text)
    i = m.end() if m else pos
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
        if w.casefold() in _place_words()[0] and not _known_place_through(text, j, words) \
                and not _place_start(text, m.end(), w, words) and not _place_end(text, m.end(), w, words):
            break
        if len(w) > 1 and w.isupper() and not text[i:j].isupper() and words:
            break
        words.append(w)
        end = m.end()
        # next syllable: separated by a space or a hyphen inside a name ("Phan Rang - Tháp Chàm")
        m2 = _SYL_SEP.match(text, end)
        if not m2:
            # a name wrapped onto the next line ("huyện Mường\nLát"): only a known place
            m2 = _SYL_WRAP.match(text, end)
            if not (m2 and _known_place(" ".join(words + [m2.group(1)]))):
                break
        j = m2.end()
    if not words or (len(words) == 1 and _opens_a_word(text, words[0], end)):
        return None, pos
    name = re.sub(r"[ \t]*\n[ \t]*", " ", text[i:end])  # a name wrapped onto the next line is one line
    if name.isupper() and len(name) > 3:  # header in capitals: "TỈNH ĐẮK NÔNG"
        name = name.title()
    return name, end


_NEXT_WORDS = re.compile(r"[ \t]+([^\W\d_]\w*)(?:[ \t]+[^\W\d_]\w*)?")


def _opens_a_word(text: str, syllable: str, end: int) -> bool:
    """A capitalised syllable that is the first half of a common word, not a name: "HĐND tỉnh
    Quy định mức hỗ trợ", "UBND huyện Hướng dẫn". Only a lone syllable followed by a lower-case
    one on its line is in doubt and no known place; underthesea's segmentation decides."""
    m = _NEXT_WORDS.match(text, end)
    if not m or not m.group(1)[0].islower() or syllable.isupper() or _known_place(syllable):
        return False
    words = segment(syllable + text[end:m.end()])
    return bool(words) and words[0].startswith(syllable + " ")


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


def _place_start(text: str, pos: int, w: str, words: list) -> bool:
    """Such a word opens a name when a capitalised syllable that is no common word follows it."""
    not_place, starts = _place_words()
    if words or w.casefold() not in starts or not w[:1].isupper() or w.isupper():
        return False
    m = _NEXT_SYL.match(text, pos)
    return bool(m) and m.group(1)[:1].isupper() and not m.group(1).isupper() and m.group(1).casefold() not in not_place


def _place_end(text: str, pos: int, w: str, words: list) -> bool:
    """Such a word closes a name when no capitalised word follows it ("xã Tân Hội xây dựng", "XÃ TÂN
    HỘI"), not when a body's name goes on ("xã Tân Hà Hội Nông dân")."""
    if not words or w.casefold() not in _place_words()[1] | {"hội", "công"}:
        return False
    nxt = _NEXT_SYL.match(text, pos)
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

# ---------------------------------------------------------------- resolution


@dataclass
class PlanPlace:
    level: Optional[str] = None
    name: Optional[str] = None
    province: Optional[str] = None
    city: bool = False  # a centrally-run city: its "thành phố" is the province level
    two_tier: bool = False  # from July 2025 a xã has its own Phòng (no district level)


def plan_place(meta: Optional[Meta]) -> PlanPlace:
    """The plan's own place and level, as agencies resolve against it (Meta may be None)."""
    meta = meta or Meta()
    loc = meta.locality
    level = loc.level
    if level in ("thành phố", "thị xã", "quận"):
        level = "huyện"
    if level in ("phường", "thị trấn"):
        level = "xã"
    name, province = loc.name, loc.province
    if level == "tỉnh" and not province:
        province = name
    issuer = (meta.issuer or "").lower()
    city = level == "tỉnh" and "thành phố" in issuer
    year = meta.issue_year or 0
    return PlanPlace(level, name, province, city, two_tier=level == "xã" and year >= 2025)
