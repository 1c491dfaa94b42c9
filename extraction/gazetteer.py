"""Provinces and districts of Vietnam: small pure lookups over extraction/data/provinces.json.

Two eras: "2024" holds the 63 provinces / centrally-run cities before the 2025 merger with
their district-level units (huyện, thị xã, thành phố thuộc tỉnh, quận); "2025" holds the 34
units of Nghị quyết 202/2025/QH15 (effective 1 July 2025), each with the provinces merged
into it. From that date there is no district level (two-level local government), so
districts only resolve for the 2024 era; older plans (2016-2025) name them all the time.

Matching is accent-insensitive: names are compared after NFC, tone placement folding
(hoà/hòa), lower-casing, and without punctuation or spaces ("Đắk R'lấp" = "Dak Rlap",
"Krông A Na" = "Krông Ana"). An exact match with diacritics wins over a folded one, so
"Bắc Hà" does not silently become "Bạc Hà" when both exist.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

from extraction.textkeys import fold, fold_tones  # noqa: F401 (fold re-exported: gz.fold)

DATA = Path(__file__).parent / "data" / "provinces.json"
ERAS = ("2024", "2025")


@dataclass(frozen=True)
class District:
    name: str  # "Phong Thổ", "Ia H'Drai", "1" (Quận 1)
    kind: str  # "huyện" | "thị xã" | "thành phố" | "quận"
    province: str  # 2024-era province name
    merged_into: Optional[str] = None  # set when the unit was merged away (still cited by older plans)
    note: Optional[str] = None

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Province:
    name: str  # "Lai Châu", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu"
    kind: str  # "Tỉnh" | "Thành phố"
    era: str  # "2024" | "2025"
    capital: Optional[str] = None  # 2024: the district-level city holding the seat
    region: Optional[str] = None
    successor: Optional[str] = None  # 2024 -> the 2025 unit it became part of
    merged_from: tuple[str, ...] = ()  # 2025 <- the 2024 provinces it was formed from
    seat: Optional[str] = None  # 2025: the old province whose capital is the seat
    aliases: tuple[str, ...] = ()
    districts: tuple[District, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


class LocalityMention(NamedTuple):
    name: str  # gazetteer name ("Phong Thổ"); for xã/phường the name as written
    level: str  # "tỉnh" | "huyện" | "xã"
    province: Optional[str]  # 2024-era province (or 2025 unit for a 2025-only name); None if ambiguous
    start: int
    end: int


# ---------------------------------------------------------------- keys

def _exact_key(s: str) -> str:
    s = fold_tones(unicodedata.normalize("NFC", s)).lower()
    return re.sub(r"[\W_]+", "", s)


def _loose_key(s: str) -> str:
    return re.sub(r"[\W_]+", "", fold(s))


_PROVINCE_PREFIX = re.compile(
    r"^\s*(?:(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+)?(?:tỉnh|thành phố|thanh pho|tinh|t\.?\s?p\.?)(?=[\s.]|(?<=\.))\s*\.?\s*",
    re.I)
_DISTRICT_PREFIX = re.compile(
    r"^\s*(huyện|huyen|thị xã|thi xa|thành phố|thanh pho|quận|quan|t\.?\s?x\.?|t\.?\s?p\.?)(?=[\s.\d]|(?<=\.))\s*\.?\s*",
    re.I)
_KIND_OF_PREFIX = {"huyen": "huyện", "thixa": "thị xã", "tx": "thị xã", "thanhpho": "thành phố",
                   "tp": "thành phố", "quan": "quận"}


# ---------------------------------------------------------------- loading

@lru_cache(maxsize=1)
def _load() -> dict:
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # a broken data file must say which one
        raise RuntimeError(f"{DATA}: cannot read gazetteer: {e}") from e
    by_era: dict[str, list[Province]] = {}
    by_era["2024"] = [
        Province(
            name=p["name"], kind=p["kind"], era="2024", capital=p.get("capital"), region=p.get("region"),
            successor=p.get("successor"), aliases=tuple(p.get("aliases", ())),
            districts=tuple(District(name=d["name"], kind=d["kind"], province=p["name"],
                                     merged_into=d.get("merged_into"), note=d.get("note"))
                            for d in p.get("districts", ())))
        for p in raw["provinces_2024"]]
    by_era["2025"] = [
        Province(name=p["name"], kind=p["kind"], era="2025", merged_from=tuple(p["merged_from"]),
                 seat=p.get("seat"), aliases=tuple(p.get("aliases", ())),
                 districts=tuple(d for old in by_era["2024"] if old.name in p["merged_from"]
                                 for d in old.districts))
        for p in raw["provinces_2025"]]
    # key -> provinces, per era and per key kind
    pindex: dict[tuple[str, str, str], list[Province]] = {}
    for era, ps in by_era.items():
        for p in ps:
            for nm in (p.name, *p.aliases):
                for kk, key in (("x", _exact_key(nm)), ("l", _loose_key(nm))):
                    lst = pindex.setdefault((era, kk, key), [])
                    if p not in lst:
                        lst.append(p)
    dindex: dict[tuple[str, str], list[District]] = {}
    for p in by_era["2024"]:
        for d in p.districts:
            for kk, key in (("x", _exact_key(d.name)), ("l", _loose_key(d.name))):
                dindex.setdefault((kk, key), []).append(d)
    return {"eras": by_era, "pindex": pindex, "dindex": dindex, "raw": raw}


# ---------------------------------------------------------------- lookups

def provinces(era: str = "2024") -> list[Province]:
    """The 63 provinces (era "2024") or the 34 units after the 2025 merger (era "2025")."""
    if era not in ERAS:
        raise ValueError(f"era must be one of {ERAS}, got {era!r}")
    return list(_load()["eras"][era])


def _province_lookup(key_x: str, key_l: str, era: Optional[str]) -> Optional[Province]:
    idx = _load()["pindex"]
    for e in ((era,) if era else ERAS):
        for kk, key in (("x", key_x), ("l", key_l)):
            hits = idx.get((e, kk, key))
            if hits:
                return hits[0]
    return None


def province(name: str, era: Optional[str] = None) -> Optional[Province]:
    """"tỉnh Lai Châu", "Lai Chau", "TP. Hồ Chí Minh", "TP.HCM" -> Province; unknown -> None.

    Without `era`, a 2024 province wins and 2025-only names ("Huế") come from era 2025.
    """
    if not name or not name.strip():
        return None
    if era is not None and era not in ERAS:
        raise ValueError(f"era must be one of {ERAS}, got {era!r}")
    for candidate in (name, _PROVINCE_PREFIX.sub("", name, count=1)):
        hit = _province_lookup(_exact_key(candidate), _loose_key(candidate), era)
        if hit:
            return hit
    return None


def district(name: str, province: Optional[str] = None) -> list[District]:
    """All district-level units with this name ("Châu Thành" exists in 8 provinces).

    A written kind ("thị xã Kỳ Anh", "huyện Kỳ Anh", "Quận 1") restricts the kind; `province`
    (any era, any written form) restricts to that province (or the provinces merged into it).
    """
    if not name or not name.strip():
        return []
    kind = None
    m = _DISTRICT_PREFIX.match(name)
    bare = name
    if m:
        kind = _KIND_OF_PREFIX.get(_loose_key(m.group(1)))
        bare = name[m.end():]
    idx = _load()["dindex"]
    hits: list[District] = []
    for kk, key in (("x", _exact_key(bare)), ("l", _loose_key(bare))):
        hits = [d for d in idx.get((kk, key), []) if kind is None or d.kind == kind]
        if hits:
            break
    if not hits and m:  # "Thành phố Lai Châu" when the prefix is part of no name: retry whole
        hits = [d for kk, key in (("x", _exact_key(name)),) for d in idx.get((kk, key), [])]
    if province is not None:
        p = globals()["province"](province)
        if p is None:
            return []
        # "Lâm Đồng" may mean the 2024 province or the 2025 unit that took in Đắk Nông
        new = globals()["province"](province, era="2025")
        allowed = ({p.name} if p.era == "2024" else set()) | (set(new.merged_from) if new else set())
        hits = [d for d in hits if d.province in allowed]
    return hits


def province_of_district(name: str) -> Optional[str]:
    """The (2024-era) province of a district name, only when the name is unambiguous."""
    provs = {d.province for d in district(name)}
    return provs.pop() if len(provs) == 1 else None


def successor(province_name: str) -> str:
    """The post-merger (2025) unit of a province: "Đắk Nông" -> "Lâm Đồng", "Thừa Thiên Huế" -> "Huế"."""
    p = province(province_name)
    if p is None:
        raise KeyError(f"unknown province: {province_name!r}")
    return p.name if p.era == "2025" else p.successor


# ---------------------------------------------------------------- scanning text

_UPPER_START = re.compile(r"[A-ZĐÀ-ỹ0-9]")
# abbreviations may be followed by "." ("TP.HCM"); full words only by spaces ("hợp tác xã. Đào" is no xã)
_KEYWORD = re.compile(
    r"(?<!\w)(?:(?P<abbr>t\.p\.|tp\.|tx\.)[ ]*|(?P<kw>tỉnh|thành phố|tp|thị xã|tx|huyện|quận|thị trấn|phường|xã)[ ]+)",
    re.I)
# a candidate name: up to 6 words on the same line, words joined by spaces or " - "
_NAME_WORDS = re.compile(r"[^\W_][\w'’]*(?:(?:[ ]+|[ ]*-[ ]*)[^\W_][\w'’]*){0,5}")
_KW_KIND = {"tỉnh": "tỉnh", "thành phố": "thành phố", "t.p.": "thành phố", "tp.": "thành phố",
            "tp": "thành phố", "thị xã": "thị xã", "tx.": "thị xã", "tx": "thị xã", "huyện": "huyện",
            "quận": "quận", "thị trấn": "thị trấn", "phường": "phường", "xã": "xã"}


def _is_upper_word(w: str) -> bool:
    return bool(w) and (w[0].isupper() or w[0].isdigit())


def _match_name(s: str, lookup) -> tuple[int, object] | None:
    """Longest prefix of s (by words, all capitalized) that `lookup` resolves."""
    words = list(re.finditer(r"[\w'’]+", s))
    n_upper = 0
    for w in words:
        if not _is_upper_word(w.group(0)) and not (n_upper and w.group(0)[0] in "'’"):
            break
        n_upper += 1
    for k in range(n_upper, 0, -1):
        end = words[k - 1].end()
        hit = lookup(s[:end])
        if hit:
            return end, hit
    return None


def find_localities(text: str) -> list[LocalityMention]:
    """Mentions of "tỉnh X", "thành phố X", "huyện Y", "thị xã", "quận", "xã Z", "phường", "thị trấn".

    Provinces and districts must be in the gazetteer; communes are taken as written (the
    capitalized words after the keyword). A district name shared by several provinces gets
    the province the text mentions (nearest mention among the candidates), else None.
    """
    raw: list[tuple[str, str, object, int, int]] = []  # (name, level, hit, start, end)
    for m in _KEYWORD.finditer(text):
        kw = _KW_KIND[(m.group("abbr") or m.group("kw")).lower()]
        rest_end = text.find("\n", m.end())
        rest = text[m.end(): rest_end if rest_end != -1 else len(text)][:80]
        m2 = _NAME_WORDS.match(rest)
        if not m2 or not _is_upper_word(rest):
            continue
        cand = m2.group(0)
        start = m.start()
        if kw == "tỉnh":
            r = _match_name(cand, lambda s: province(s))
            if r:
                raw.append((r[1].name, "tỉnh", r[1], start, m.end() + r[0]))
        elif kw in ("thành phố", "thị xã", "quận", "huyện"):
            def lookup(s, kw=kw):
                p = province(s)
                if kw == "thành phố" and p is not None and p.kind == "Thành phố" and p.era == "2024":
                    return p
                ds = district(f"{kw} {s}")
                if ds:
                    return ds
                if kw == "thành phố" and p is not None and p.kind == "Thành phố":
                    return p
                return None
            r = _match_name(cand, lookup)
            if r:
                hit = r[1]
                if isinstance(hit, Province):
                    raw.append((hit.name, "tỉnh", hit, start, m.end() + r[0]))
                else:
                    raw.append((hit[0].name, "huyện", hit, start, m.end() + r[0]))
        else:  # xã, phường, thị trấn: as written, capitalized words (digits for "Phường 3")
            words = []
            for w in re.finditer(r"[\w'’]+|[ ]*-[ ]*|[ ]+", cand):
                t = w.group(0)
                if t.strip() in ("", "-"):
                    words.append(w)
                    continue
                if not _is_upper_word(t) or len([x for x in words if x.group(0).strip() not in ("", "-")]) >= 4:
                    break
                if len(t) > 1 and t.isupper() and not m.group(0).isupper():  # "các xã ĐBKK": an acronym
                    break
                words.append(w)
            while words and words[-1].group(0).strip() in ("", "-"):
                words.pop()
            if words:
                end = words[-1].end()
                raw.append((cand[:end], "xã", None, start, m.end() + end))
    return _resolve(raw)


def _resolve(raw: list[tuple[str, str, object, int, int]]) -> list[LocalityMention]:
    """Give each mention its province: districts by the text's province mentions."""
    prov_mentions = [(s, hit.name) for _, lvl, hit, s, _ in raw if lvl == "tỉnh"]
    out: list[LocalityMention] = []
    last_province: Optional[str] = None
    for name, level, hit, start, end in raw:
        if level == "tỉnh":
            last_province = hit.name
            out.append(LocalityMention(name, level, hit.name, start, end))
        elif level == "huyện":
            provs = sorted({d.province for d in hit})
            prov = provs[0] if len(provs) == 1 else None
            if prov is None:
                cands = [(abs(s - start), p) for s, p in prov_mentions if p in provs]
                if cands:
                    prov = min(cands)[1]
            if prov is not None:
                last_province = prov
            out.append(LocalityMention(name, level, prov, start, end))
        else:
            # a commune lies in the province most recently named before it
            out.append(LocalityMention(name, level, last_province, start, end))
    # "xã Mường So, huyện Phong Thổ": with nothing named before, the unit right after it
    for i, m in enumerate(out):
        if m.level == "xã" and m.province is None:
            nxt = next((n for n in out[i + 1:] if n.level != "xã"), None)
            if nxt is not None and nxt.province and nxt.start - m.end <= 40:
                out[i] = m._replace(province=nxt.province)
    return out
