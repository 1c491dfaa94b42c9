"""Synthetic plans for scale tests: the sample plans' sections recombined with real variety.

How a plan is made (all choices from `random.Random(f"{seed}:{i}")`, so plan i is the same
for a seed whatever N is, and no global random state is touched):

- the sample plans (corpus/samples/*.txt) are cut once into blocks (kehoach/synth_material.py): căn cứ citations,
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
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Optional

from extraction import gazetteer as gz

from .synth_material import Material, SynthError, _fmt_dec, load_material  # noqa: F401 (load_material: public here)

MERGER_DATE = (2025, 7, 1)

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
