"""Resolution and naming: which body a mention names (level and place against the plan's own
place), mentions of one body grouped, and the group's full name and short forms."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..textkeys import word_key
from .candidates import Cand
from .places import LEVEL_RANK, PlanPlace, _is_city_province

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


_SPACES = re.compile(r"\s+")


def _expand(s: str, abbr: dict) -> str:
    def rep(m):
        return abbr.get(m.group(0), m.group(0))
    s = _abbr_rx(tuple(abbr)).sub(rep, s)
    return _SPACES.sub(" ", s).strip()


def _display(g: Group, pp: PlanPlace, abbr: dict) -> tuple[str, list[str]]:
    """The full name (abbreviations expanded, the plan's place filled in) and the short forms."""
    c0 = g.cands[0]
    place = g.place
    forms = []
    for c in g.cands:
        forms.append(_SPACES.sub(" ", c.form or c.surface).strip(" ,;.:"))
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
        if c0.session:
            name += f" {c0.session}"  # "Đại hội Đảng bộ tỉnh Bắc Ninh lần thứ XX": one congress of many
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


@lru_cache(maxsize=8192)  # the same names recur through a plan
def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold()
    s = re.sub(r"\s*-\s*", " - ", s)
    s = s.replace("&", " và ")
    return re.sub(r"\s+", " ", s).strip(" .;,:")


def _core_key(c: Cand) -> str:
    if c.core == "Ban Chỉ đạo":
        return "ban chi dao"
    return word_key(c.core) + (f" {word_key(c.session)}" if c.session else "")


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
