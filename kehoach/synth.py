"""Synthetic plans for scale tests: the sample plans' sections recombined with real variety.

How a plan is made (all choices from `random.Random(f"{seed}:{i}")`, so plan i is the same
for a seed whatever N is, and no global random state is touched):

- the sample plans (corpus/samples/*.txt) are cut once into blocks: căn cứ citations,
  the roman-numbered sections (mục đích / mục tiêu / đối tượng / giải pháp / tổ chức thực
  hiện), the content of each Dự án / Tiểu dự án, and the recipients list. Locality names
  found by the gazetteer, the program phrase, the plan years and the agency names are
  turned into slots, percentages into numbers to perturb;
- a plan picks an issuer (UBND of a real province, or of a real district of it, from
  extraction/data/provinces.json; after 1 July 2025 only provinces of the 34), a program
  (gnbv, ntm, dtts) and a year 2016-2025, then fills the slots consistently;
- the funding section is generated from the program's components (extraction/data/
  programs.json): each leaf gets NSTW (đầu tư + sự nghiệp), NSĐP and khác that add up,
  every Dự án and the plan total are the sums, written the Vietnamese way ("12.060 triệu
  đồng");
- agencies are written in their different forms ("UBND huyện X" / "Ủy ban nhân dân huyện
  X", "Phòng Lao động - TBXH" / "Phòng Lao động - Thương binh và Xã hội"); about a third of
  the plans have a blank number ("Số: /KH-UBND") and a blank day.

A `manifest.jsonl` next to the plans records what each plan was made with (province,
district, program, years, total), for benchmarks and tests.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from random import Random
from typing import Optional

from extraction import gazetteer as gz

ROOT = Path(__file__).resolve().parent
SAMPLES = ROOT / "samples"
VOCAB = ROOT / "data" / "synth.json"
PROGRAMS_JSON = ROOT.parent / "extraction" / "data" / "programs.json"
MERGER_DATE = (2025, 7, 1)

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


# ---------------------------------------------------------------- numbers and names

def vn_number(n: int) -> str:
    """12060 -> "12.060" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_decimal(v: float, decimals: int = 2) -> str:
    """3230.38 -> "3.230,38"."""
    whole, frac = f"{v:.{decimals}f}".split(".")
    return f"{vn_number(int(whole))},{frac}"


@dataclass
class Funds:
    """One scope's money in triệu đồng: NSTW = đầu tư + sự nghiệp; total = NSTW + NSĐP + khác."""
    dau_tu: int = 0
    su_nghiep: int = 0
    nsdp: int = 0
    khac: int = 0

    @property
    def nstw(self) -> int:
        return self.dau_tu + self.su_nghiep

    @property
    def total(self) -> int:
        return self.nstw + self.nsdp + self.khac

    def __add__(self, o: "Funds") -> "Funds":
        return Funds(self.dau_tu + o.dau_tu, self.su_nghiep + o.su_nghiep, self.nsdp + o.nsdp, self.khac + o.khac)


def _random_funds(rng: Random, scale: int, invest: bool) -> Funds:
    base = max(50, int(rng.lognormvariate(0, 0.8) * scale))
    dau_tu = int(base * rng.uniform(0.75, 0.92)) if invest else 0
    su_nghiep = base - dau_tu
    nsdp = int(base * rng.choice((0, 0, 0.03, 0.05, 0.1))) if rng.random() < 0.7 else 0
    khac = int(base * rng.choice((0.01, 0.02, 0.05))) if rng.random() < 0.2 else 0
    return Funds(dau_tu, su_nghiep, nsdp, khac)


def _money(v: int) -> str:
    return f"{vn_number(v)} triệu đồng"


def _funds_sentence(label: str, f: Funds, rng: Random, year: int) -> str:
    """One of the ways plans state a scope's money; the figures always add up."""
    style = rng.randrange(3)
    if f.nsdp == 0 and f.khac == 0 and f.dau_tu == 0 and style != 1:
        return f"{label} Vốn và nguồn vốn dự kiến: Ngân sách Trung ương: {_money(f.nstw)} (Vốn sự nghiệp)."
    if style == 0:
        parts = [f"ngân sách trung ương {_money(f.nstw)}"
                 + (f" (vốn đầu tư {_money(f.dau_tu)}, vốn sự nghiệp {_money(f.su_nghiep)})" if f.dau_tu else " (vốn sự nghiệp)")]
        if f.nsdp:
            parts.append(f"ngân sách địa phương {_money(f.nsdp)}")
        if f.khac:
            parts.append(f"vốn huy động khác {_money(f.khac)}")
        return f"{label} Vốn và nguồn vốn dự kiến: {_money(f.total)}, trong đó: " + "; ".join(parts) + "."
    lines = [f"{label} Kinh phí thực hiện năm {year} là {_money(f.total)}, trong đó:"]
    mark = "-" if style == 1 else "+"
    if f.dau_tu:
        lines.append(f"{mark} Ngân sách Trung ương: {_money(f.nstw)} (vốn đầu tư phát triển: {_money(f.dau_tu)}, "
                     f"vốn sự nghiệp: {_money(f.su_nghiep)});")
    else:
        lines.append(f"{mark} Ngân sách Trung ương: {_money(f.nstw)} (Vốn sự nghiệp);")
    if f.nsdp:
        lines.append(f"{mark} Ngân sách địa phương: {_money(f.nsdp)};")
    if f.khac:
        lines.append(f"{mark} Nguồn vốn huy động khác: {_money(f.khac)}.")
    return "\n\n".join(lines)


def _person(rng: Random, vocab: dict) -> str:
    return f"{rng.choice(vocab['family_names'])} {rng.choice(vocab['middle_names'])} {rng.choice(vocab['given_names'])}"


# ---------------------------------------------------------------- one plan

@dataclass
class SynthPlan:
    name: str
    text: str
    meta: dict = field(default_factory=dict)


def _components(programs: dict, code: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(scope "DA1", name, [(sub scope "DA1.TDA1", name), ...]), ...] in program order."""
    comps = programs.get(code, {}).get("components", {})
    out: list = []
    for scope, name in comps.items():
        if "." in scope:
            parent = scope.split(".")[0]
            for e in out:
                if e[0] == parent:
                    e[2].append((scope, name))
        else:
            out.append((scope, name, []))
    return out


def _num(scope: str) -> int:
    return int(re.sub(r"\D", "", scope.split(".")[-1]))


def _pick_issuer(rng: Random, issue: tuple[int, int, int]) -> dict:
    if issue >= MERGER_DATE:  # two-level government: provinces (or communes) only
        p = rng.choice(gz.provinces("2025"))
        return {"level": "tỉnh", "province": p.name, "province_kind": p.kind, "district": None,
                "districts": [d.name for d in p.districts if d.kind == "huyện" and not d.merged_into]}
    p = rng.choice(gz.provinces("2024"))
    live = [d for d in p.districts if not d.merged_into and d.kind in ("huyện", "thị xã", "thành phố")]
    huyen = [d for d in live if d.kind == "huyện"] or live
    if rng.random() < 0.62 and huyen:
        d = rng.choice(huyen)
        return {"level": "huyện", "province": p.name, "province_kind": p.kind, "district": d.name,
                "district_kind": d.kind, "districts": [x.name for x in huyen if x.name != d.name]}
    return {"level": "tỉnh", "province": p.name, "province_kind": p.kind, "district": None,
            "districts": [x.name for x in huyen]}


def synth_plan(i: int, seed: int = 0, material: Optional[Material] = None) -> SynthPlan:
    """Plan number i of the corpus for `seed`."""
    mat = material or load_material()
    rng = Random(f"{seed}:{i}")
    vocab, programs = mat.vocab, mat.programs
    code = rng.choices(("gnbv", "ntm", "dtts"), weights=(5, 3, 3))[0]
    year = rng.randint(max(2016, vocab["first_year"][code]), 2025)  # plan year
    annual = rng.random() < 0.8
    period = "2016-2020" if year <= 2020 else "2021-2025"
    issue_year = year - 1 if annual and rng.random() < 0.5 else year
    issue_month = rng.randint(9, 12) if issue_year < year else rng.randint(1, 9)
    issue_day = rng.randint(1, 28)
    iss = _pick_issuer(rng, (issue_year, issue_month, issue_day))
    level = iss["level"]
    blank = rng.random() < 0.33
    phrase = vocab["program_phrase"][code]
    prog_full = f"Chương trình mục tiêu quốc gia {phrase}"
    pkind = iss["province_kind"]
    province_written = iss["province"] if iss["province"] != "Hồ Chí Minh" or rng.random() < 0.5 else "TP. Hồ Chí Minh"
    others = list(iss["districts"])
    rng.shuffle(others)
    where = f"huyện {iss['district']}" if level == "huyện" else f"{pkind.lower()} {province_written}"
    place_name = iss["district"] if level == "huyện" else iss["province"]

    def ubnd(rng_: Random, lvl: str = level) -> str:
        form = rng_.choice(vocab["ubnd_forms"])
        if lvl == "huyện":
            return form.format(level="huyện", name=iss["district"])
        return form.format(level=pkind.lower(), name=province_written)

    ag = {a["key"]: a for a in vocab["agencies"]}

    def agency(key: str, lvl: str):
        return lambda r: r.choice(ag[key][lvl])

    slots: dict = {
        "PROVINCE": province_written, "DISTRICT": iss["district"] or (others[0] if others else iss["province"]),
        "PHRASE": phrase, "PHRASE_CAP": phrase[0].upper() + phrase[1:],
        "PERIOD": period if rng.random() < 0.7 else period.replace("-", " - "),
        "Y": str(year), "Y-1": str(year - 1), "Y+1": str(year + 1),
    }
    for k in range(1, 8):
        slots[f"DISTRICT{k}"] = others[k % len(others)] if others else slots["DISTRICT"]
    for a in vocab["agencies"]:
        for lvl in ("tỉnh", "huyện"):
            # a district plan names district agencies even where the sample was provincial, and back
            slots[f"AG_{a['key']}_{lvl}"] = agency(a["key"], lvl if level == "tỉnh" else "huyện") \
                if lvl == level else agency(a["key"], lvl)

    old_comps = vocab.get("components_2016_2020", {}).get(code)
    comps = _components({code: {"components": old_comps}} if period == "2016-2020" and old_comps else programs, code)
    word = vocab["component_word"][code]
    single = None
    if comps and rng.random() < 0.15:  # a plan for one Dự án only, like sample 001
        single = rng.choice(comps)
        comps = [single]
    elif code == "ntm" and comps:
        comps = sorted(rng.sample(comps, rng.randint(4, len(comps))), key=lambda c: _num(c[0]))

    # ---- header
    out: list[str] = []
    issuer_line = f"ỦY BAN NHÂN DÂN\n{(('HUYỆN ' + iss['district']) if level == 'huyện' else (pkind.upper() + ' ' + iss['province'])).upper()}"
    if rng.random() < 0.6:
        out.append(issuer_line + "\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    number = None if blank else f"{rng.randint(1, 480)}{rng.choice(['', '', '', '', 'a'])}/KH-UBND"
    out.append(f"Số: {number}" if number else "Số: /KH-UBND")
    if blank:
        date = f"{place_name}, ngày    tháng {issue_month if rng.random() < 0.5 else '   '} năm {issue_year}"
    else:
        date = f"{place_name}, ngày {issue_day:02d} tháng {issue_month:02d} năm {issue_year}"
    out.append(date)
    out.append("KẾ HOẠCH")
    span = f"năm {year}" if annual else f"giai đoạn {period}"
    if single:
        title = (f"Triển khai thực hiện {word} {_num(single[0])} - {single[1]} thuộc {prog_full} "
                 f"trên địa bàn {where} {span}")
        title = title.upper() if rng.random() < 0.5 else title
    else:
        title = rng.choice([
            f"Thực hiện Chương trình MTQG {phrase} {span}",
            f"Thực hiện {prog_full} {span} trên địa bàn {where}",
            f"Triển khai thực hiện {prog_full} {span}",
        ])
    out.append(title)

    # ---- căn cứ
    refs = list(vocab["national_refs"][code].get(period) or next(iter(vocab["national_refs"][code].values())))
    if code == "gnbv" and period == "2021-2025" and mat.can_cu:
        refs += [t.render(slots, rng) for t in rng.sample(mat.can_cu, min(2, len(mat.can_cu)))]
    issued = (issue_year, issue_month, issue_day)
    refs = [r for r in dict.fromkeys(refs) if _ref_date(r) < issued] or refs[:1]  # cite only the past
    chosen = sorted(rng.sample(refs, min(len(refs), rng.randint(2, 4))), key=refs.index)
    lm = rng.randint(1, issue_month)
    ld = rng.randint(1, max(1, issue_day - 1) if lm == issue_month else 28)
    local = (f"Kế hoạch số {rng.randint(10, 400)}/KH-UBND ngày {ld}/{lm}/{issue_year} "
             f"của {'UBND' if rng.random() < 0.5 else 'Ủy ban nhân dân'} {pkind.lower()} {province_written} "
             f"về thực hiện {prog_full} {span}")
    cites = chosen + ([local] if level == "huyện" or rng.random() < 0.5 else [])
    if rng.random() < 0.5:
        out.extend(f"Căn cứ {c};" for c in cites)
    else:
        out.append("Căn cứ " + "; ".join(cites) + ".")
    out.append(f"{ubnd(rng)} ban hành Kế hoạch thực hiện {prog_full} {span}, với các nội dung sau:")

    # ---- sections
    roman = iter(["I", "II", "III", "IV", "V", "VI", "VII", "VIII"])

    def block(kind: str) -> Optional[tuple[str, str]]:
        pool = mat.blocks.get((kind, level)) or mat.blocks.get((kind, "tỉnh" if level == "huyện" else "huyện"))
        if not pool:
            return None
        title_, t = rng.choice(pool)
        return title_, t.render(slots, rng)

    for kind in ("purpose", "scope", "targets"):
        if kind == "scope" and rng.random() < 0.5:
            continue
        b = block(kind)
        if kind == "targets" and (b is None or rng.random() < 0.3):
            b = ("MỤC TIÊU", _targets(rng, vocab, year))
        if b:
            t, body = b
            if kind == "targets":
                t = f"MỤC TIÊU {span.upper()}" if rng.random() < 0.5 else "MỤC TIÊU"
            out.append(f"{next(roman)}. {t}")
            out.append(body)

    fund_title = rng.choice(["NỘI DUNG VÀ KẾ HOẠCH VỐN THỰC HIỆN", "NỘI DUNG THỰC HIỆN VÀ KINH PHÍ",
                             "TRIỂN KHAI CÁC DỰ ÁN, NỘI DUNG CỤ THỂ"])
    out.append(f"{next(roman)}. {fund_title}{(' ' + span.upper()) if rng.random() < 0.5 else ''}")
    total, fund_text = _funding(rng, mat, comps, code, word, level, year, slots, prog_full, span)
    out.append(fund_text)

    for kind in ("solutions", "organization"):
        b = block(kind)
        if b:
            out.append(f"{next(roman)}. {b[0].upper().rstrip('.')}")
            out.append(b[1])

    # ---- closing
    out.append(f"Trên đây là Kế hoạch thực hiện {prog_full} {span} trên địa bàn {where}. Yêu cầu các cơ quan, "
               f"đơn vị có liên quan nghiêm túc triển khai thực hiện./.")
    nn = mat.noi_nhan.get(level) or next(iter(mat.noi_nhan.values()), [])
    if nn:
        items = rng.choice(nn)
        out.append("Nơi nhận:\n" + "\n".join(t.render(slots, rng) for t in items))
    out.append("\n".join(rng.choice(vocab["signer_titles"])) + "\n\n" + _person(rng, vocab))
    text = "\n\n".join(out) + "\n"
    meta = {"i": i, "seed": seed, "program": code, "level": level, "province": iss["province"],
            "district": iss["district"], "year": year, "issue_year": issue_year, "annual": annual,
            "number": number, "total_trieu": total.total, "nstw_trieu": total.nstw,
            "single_du_an": single[0] if single else None, "chars": len(text)}
    return SynthPlan(name=f"plan_{i:06d}.txt", text=text, meta=meta)


def _ref_date(ref: str) -> tuple[int, int, int]:
    m = re.search(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", ref)
    return (int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else (0, 0, 0)


def _targets(rng: Random, vocab: dict, year: int) -> str:
    lines = []
    for t in rng.sample(vocab["target_templates"], rng.randint(3, len(vocab["target_templates"]))):
        lines.append("- " + t.format(
            Y=year, p1=_fmt_dec(rng.uniform(1, 5), 1), p2=_fmt_dec(rng.uniform(2, 6), 1),
            p3=_fmt_dec(rng.uniform(2, 40), 2), p4=rng.choice((80, 90, 95, 100)), p5=rng.randint(40, 75),
            m=rng.randint(25, 70), n=rng.randint(1, 6), t=_fmt_dec(rng.uniform(9, 18), 2),
            h=rng.randint(20, 900)) + ".")
    return "\n\n".join(lines)


def _funding(rng: Random, mat: Material, comps, code: str, word: str, level: str, year: int,
             slots: dict, prog_full: str, span: str) -> tuple[Funds, str]:
    scale = rng.choice((300, 800, 2000, 6000)) * (3 if level == "tỉnh" else 1)
    invest_scopes = {"gnbv": ("DA1",) if slots["PERIOD"].startswith("2021") else ("DA1", "DA2"),  # 30a, 135
                     "dtts": ("DA1", "DA2", "DA4"), "ntm": ("ND2",)}[code]
    sections: list[str] = []
    total = Funds()
    for n_da, (scope, name, subs) in enumerate(comps, 1):
        num = _num(scope)
        lines = [f"{n_da}. {word} {num}: {name}"]
        da_funds = Funds()
        leaves = subs if subs and rng.random() < 0.85 else [(scope, None)]
        for k, (sub, sub_name) in enumerate(leaves, 1):
            f = _random_funds(rng, scale, sub.split(".")[0] in invest_scopes)
            da_funds = da_funds + f
            if sub_name:
                lines.append(f"{n_da}.{k}. Tiểu dự án {_num(sub)}: {sub_name}")
            lines.append("a) Nội dung hỗ trợ:")
            lines.append(_content(rng, mat, code, sub, sub_name or name, slots))
            lines.append(_funds_sentence("b)", f, rng, year))
        total = total + da_funds
        sections.append("\n\n".join(lines))
    head = (f"Tổng kinh phí thực hiện {prog_full} {span} là "
            + (f"{vn_decimal(total.total / 1000, 3)} tỷ đồng" if rng.random() < 0.15 else _money(total.total))
            + f", trong đó: NSTW {_money(total.nstw)}"
            + (f" (vốn đầu tư {_money(total.dau_tu)}, vốn sự nghiệp {_money(total.su_nghiep)})" if total.dau_tu else "")
            + (f"; NSĐP {_money(total.nsdp)}" if total.nsdp else "")
            + (f"; nguồn huy động khác {_money(total.khac)}" if total.khac else "")
            + ", cụ thể:")
    return total, head + "\n\n" + "\n\n".join(sections)


def _content(rng: Random, mat: Material, code: str, scope: str, name: str, slots: dict) -> str:
    pool = mat.du_an.get(scope) if code == "gnbv" and slots["PERIOD"].startswith("2021") else None
    if pool:
        k = min(len(pool), rng.randint(1, 3))
        start = rng.randrange(len(pool) - k + 1)
        return "\n\n".join(t.render(slots, rng) for t in pool[start:start + k])
    d = slots["DISTRICT"]
    return rng.choice([
        f"- Triển khai thực hiện nội dung {name[0].lower() + name[1:]} trên địa bàn, ưu tiên các xã đặc biệt "
        f"khó khăn, thôn, bản đặc biệt khó khăn.\n\n- Lồng ghép các nguồn vốn hợp pháp khác để thực hiện, bảo đảm "
        f"công khai, minh bạch, đúng đối tượng.",
        f"{name}: tổ chức rà soát nhu cầu, xây dựng danh mục và triển khai thực hiện theo hướng dẫn của các bộ, "
        f"ngành trung ương; ưu tiên các xã, thôn thuộc huyện {d}.",
        f"- Tổ chức thực hiện nội dung {name[0].lower() + name[1:]} đúng đối tượng, định mức hỗ trợ.\n\n"
        f"- Kiểm tra, giám sát, đánh giá kết quả thực hiện "
        f"và báo cáo định kỳ theo quy định.",
    ])


# ---------------------------------------------------------------- corpus

def synth_corpus(n: int, out_dir: Path | str, seed: int = 0) -> list[Path]:
    """Write N plans and manifest.jsonl into out_dir; returns the plan paths in order."""
    if n < 0:
        raise SynthError(f"--plans must be >= 0, got {n}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    mat = load_material()
    paths = []
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as man:
        for i in range(n):
            p = synth_plan(i, seed, mat)
            path = out / p.name
            path.write_text(p.text, encoding="utf-8")
            man.write(json.dumps(p.meta, ensure_ascii=False) + "\n")
            paths.append(path)
    return paths
