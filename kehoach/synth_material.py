"""Material for synthetic plans: the sample plans cut once into blocks with slots.

The sample plans (corpus/samples/*.txt) are cut into blocks: căn cứ citations, the
roman-numbered sections, the content of each Dự án / Tiểu dự án, and the recipients list.
Locality names found by the gazetteer, the program phrase, the plan years and the agency
names are turned into slots, percentages into numbers to perturb (kehoach/synth.py fills them).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from random import Random
from typing import Optional

import corpus
from extraction import gazetteer as gz

SAMPLES = Path(corpus.__file__).resolve().parent / "samples"
VOCAB = Path(__file__).resolve().parent / "data" / "synth.json"
PROGRAMS_JSON = Path(gz.__file__).resolve().parent / "data" / "programs.json"

# slots in block templates: \x00NAME\x00
_SLOT = "\x00{}\x00"
_SLOT_RE = re.compile("\x00([^\x00]+)\x00")
_PCT_RE = re.compile(r"(?<![\d.,])(\d{1,2})(?:,(\d{1,2}))?(?=\s?%)")
_ROMAN_RE = re.compile(r"^([IVX]+)\.\s*(.+)$")
_MONEY_RE = re.compile(r"\d[\d.,]*\s*(?:triệu|tỷ)\s+đồng", re.I)
_DA_RE = re.compile(r"^(\d+)\.\s*Dự án\s+(\d+)\b", re.I)
_TDA_RE = re.compile(r"^(\d+)\.(\d+)\.\s*Tiểu dự án\s+(\d+)\b", re.I)
_FUND_LINE_RE = re.compile(r"^[a-zđ]\)\s*(?:Vốn|Kinh phí|Nguồn vốn)", re.I)


class SynthError(ValueError):
    pass


# ---------------------------------------------------------------- templates

@dataclass
class Template:
    """Text cut into literal parts, slots and perturbable percentages."""
    parts: list  # str | ("slot", name) | ("pct", int_part, decimals)

    def render(self, slots: dict, rng: Random) -> str:
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
            elif p[0] == "slot":
                v = slots.get(p[1])
                out.append(v(rng) if callable(v) else (v if v is not None else ""))
            else:
                out.append(_perturb_pct(p[1], p[2], rng))
        return "".join(out)


def _perturb_pct(value: float, decimals: int, rng: Random) -> str:
    if value >= 95 or value <= 0:  # "100%", "98%" of people stay near the ceiling
        return _fmt_dec(value, decimals)
    v = min(99.0, max(0.1, value * rng.uniform(0.7, 1.3)))
    return _fmt_dec(v, decimals)


def _fmt_dec(v: float, decimals: int) -> str:
    if decimals == 0:
        return str(int(round(v)))
    return f"{v:.{decimals}f}".replace(".", ",")


def _compile(text: str) -> Template:
    parts: list = []
    pos = 0
    for m in re.finditer(r"\x00([^\x00]+)\x00|" + _PCT_RE.pattern, text):
        parts.append(text[pos:m.start()])
        if m.group(1):
            parts.append(("slot", m.group(1)))
        else:
            ip, dp = m.group(2), m.group(3)
            parts.append(("pct", float(f"{ip}.{dp}" if dp else ip), len(dp or "")))
        pos = m.end()
    parts.append(text[pos:])
    return Template([p for p in parts if p != ""])


# ---------------------------------------------------------------- material from the samples

@dataclass
class Material:
    blocks: dict  # (kind, level) -> list[(title, Template)]
    du_an: dict  # scope ("DA3.TDA1") -> list[Template] (content lines, gnbv samples)
    can_cu: list  # Template of national citations (gnbv, 2021-2025)
    noi_nhan: dict  # level -> list[list[Template]]
    vocab: dict
    programs: dict


def _clean_line(line: str) -> str:
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    line = line.replace("**", "").replace("*", "")
    line = re.sub(r"</?\w+>[^<]*</\w+>|</?\w+>", "", line)
    return line.strip()


def _section_kind(title: str, body: str) -> Optional[str]:
    t = gz.fold(title)
    if "muc dich" in t or "yeu cau" in t:
        return "purpose"
    if "muc tieu" in t:
        return "targets"
    if "doi tuong" in t or "pham vi" in t:
        return "scope"
    if "to chuc thuc hien" in t:
        return "organization"
    if "giai phap" in t or "nhiem vu" in t:
        return "solutions"
    if ("noi dung" in t) and not _MONEY_RE.search(body):
        return "solutions"
    return None  # funding sections: regenerated, their figures must add up


def _slotify(text: str, names: dict[str, str], phrase_re: re.Pattern, years: dict[int, str]) -> str:
    """Replace sample localities, program phrase, plan years and agency names by slots."""
    if names:
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        text = re.sub(rf"(?<!\w)(?:{alt})(?!\w)", lambda m: _SLOT.format(names[m.group(0)]), text)
    text = phrase_re.sub(lambda m: _SLOT.format("PHRASE_CAP" if m.group(0)[0].isupper() else "PHRASE"), text)
    text = re.sub(r"\b20[12]\d\s?-\s?20[23]\d\b", _SLOT.format("PERIOD"), text)
    text = re.sub(r"\b(20[12]\d)\b", lambda m: _SLOT.format(years[int(m.group(1))])
                  if int(m.group(1)) in years else m.group(0), text)
    return text


def _agency_slots(text: str, agencies: list[dict]) -> str:
    for a in agencies:
        for level in ("tỉnh", "huyện"):
            forms = sorted(a[level], key=len, reverse=True)
            alt = "|".join(re.escape(f) for f in forms)
            text = re.sub(rf"(?<!\w)(?:{alt})(?!\w)", _SLOT.format(f"AG_{a['key']}_{level}"), text)
    return text


def _sample_localities(text: str) -> tuple[str, Optional[str], dict[str, str]]:
    """(level, main province, {written name: slot}) of a sample plan."""
    found = gz.find_localities(text)
    provs = Counter(m.province for m in found if m.level in ("tỉnh", "huyện") and m.province)
    province = provs.most_common(1)[0][0] if provs else None
    dists = Counter(m.name for m in found if m.level == "huyện")
    # who issues it: a district plan names its phòng, a provincial plan its sở
    level = "huyện" if text.count("Phòng ") > text.count("Sở ") else "tỉnh"
    names: dict[str, str] = {}
    if province:
        names[province] = "PROVINCE"
        for a in (gz.province(province).aliases if gz.province(province) else ()):
            names[a] = "PROVINCE"
    for i, (d, _) in enumerate(dists.most_common()):
        slot = "DISTRICT" if i == 0 else f"DISTRICT{i}"
        names[d] = slot
        for variant in {d.replace("Đắk", "Đăk"), d.replace("Đăk", "Đắk")} - {d}:
            names[variant] = slot
    return level, province, names


def _plan_year(text: str) -> int:
    head = text[:1500]
    m = re.search(r"năm\s+(20[12]\d)\b(?!\s*-)", head[head.find("KẾ HOẠCH"):] if "KẾ HOẠCH" in head else head)
    if m:
        return int(m.group(1))
    m = re.search(r"\b(20[12]\d)\b", head)
    return int(m.group(1)) if m else 2023


@lru_cache(maxsize=4)
def load_material(samples_dir: str = str(SAMPLES)) -> Material:
    vocab = _read_json(VOCAB)
    programs = _read_json(PROGRAMS_JSON)
    files = sorted(Path(samples_dir).glob("*.txt"))
    if not files:
        raise SynthError(f"{samples_dir}: no sample plans (*.txt) to build from")
    phrase_re = re.compile(r"giảm nghèo bền vững", re.I)
    blocks: dict = {}
    du_an: dict = {}
    can_cu: list = []
    noi_nhan: dict = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        level, province, names = _sample_localities(text)
        y = _plan_year(text)
        years = {y: "Y", y - 1: "Y-1", y + 1: "Y+1"}
        lines = [_clean_line(l) for l in text.splitlines()]
        lines = [l for l in lines if l]

        def prep(s: str) -> str:
            return _agency_slots(_slotify(s, names, phrase_re, years), vocab["agencies"])

        # cut: preamble | roman sections | closing
        idx = [i for i, l in enumerate(lines) if _ROMAN_RE.match(l)]
        end = next((i for i, l in enumerate(lines) if l.startswith(("Trên đây", "Nơi nhận"))), len(lines))
        for i in range(len(idx)):
            a = idx[i]
            b = idx[i + 1] if i + 1 < len(idx) else end
            title = _ROMAN_RE.match(lines[a]).group(2)
            body = lines[a + 1:b]
            kind = _section_kind(title, "\n".join(body))
            if kind:
                blocks.setdefault((kind, level), []).append((title, _compile(prep("\n\n".join(body)))))
            elif any(_DA_RE.match(l) for l in body):
                _collect_du_an(body, du_an, prep)
        # national citations of the preamble (gnbv, the samples' program)
        for l in lines[:idx[0] if idx else 0]:
            if l.startswith(("Căn cứ", "Thực hiện")) and " số " in l:
                for c in re.split(r";\s*", re.sub(r"^(Căn cứ|Thực hiện)\s+", "", l)):
                    if re.search(r"Thủ tướng|Quốc hội|Chính phủ|Bộ trưởng|Bộ Tài chính|Ban Bí thư", c):
                        can_cu.append(_compile(_slotify(c.rstrip(".;"), {}, phrase_re, {})))
        # recipients
        try:
            k = next(i for i, l in enumerate(lines) if l.startswith("Nơi nhận"))
            items = [prep(l) for l in lines[k + 1:] if l.startswith("-")]
            if items:
                noi_nhan.setdefault(level, []).append([_compile(i) for i in items])
        except StopIteration:
            pass
    return Material(blocks=blocks, du_an=du_an, can_cu=can_cu, noi_nhan=noi_nhan, vocab=vocab, programs=programs)


def _collect_du_an(body: list[str], du_an: dict, prep) -> None:
    scope = None
    for l in body:
        m = _TDA_RE.match(l)
        if m:
            scope = f"DA{m.group(1)}.TDA{m.group(3)}"
            continue
        m = _DA_RE.match(l)
        if m:
            scope = f"DA{m.group(2)}"
            continue
        if scope is None or _FUND_LINE_RE.match(l) or _MONEY_RE.search(l) or l.startswith("Tiểu dự án"):
            continue
        if l.startswith(("+ Ngân sách", "- Ngân sách", "+ Nguồn", "- Nguồn")):
            continue
        # the generator writes its own "a) Nội dung hỗ trợ:" label: keep content, drop sample labels
        l = re.sub(r"^[a-zđ]\)\s*", "", l)
        l = re.sub(r"^[-+]\s*(?:[-+]\s*)?", "", l)
        if not l or (l.endswith(":") and len(l) < 40):
            continue
        du_an.setdefault(scope, []).append(_compile(prep("- " + l)))


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SynthError(f"{path}: cannot read: {e}") from e
    except ValueError as e:
        raise SynthError(f"{path}: invalid JSON: {e}") from e

