"""Stage 3a, meta: what the plan is (type, number, issuer, place, date, title, signer, program).

Texts are PDF/Word conversions: the header table (issuer | Quốc hiệu) is often lost or
flattened and the signature block may sit anywhere. So each field has a chain of sources,
first hit wins:
- number and date: the header ("Số: 122/KH-UBND", "Đắk Nông, ngày 29 tháng 02 năm 2024"),
  else an appendix line "(Ban hành kèm theo Kế hoạch số 343/KH-UBND ngày 13/10/2023 ...)";
- issuer: the header ("ỦY BAN NHÂN DÂN / HUYỆN PHONG THỔ"), else the preamble's closing
  sentence ("Ủy ban nhân dân huyện Phong Thổ ban hành Kế hoạch ..."), else the recipient list
  ("CT, các PCT UBND huyện") with the place of issue as the name;
- plan_years: the title ("giai đoạn 2021-2025", "năm 2023"), else the preamble sentence;
- signer: the name after the last signing title (CHỦ TỊCH, PHÓ CHỦ TỊCH, ...), else a
  stand-alone personal name near the end.
Portals print the header table one cell a line or with `|` between cells: `flatten_header`
puts broken cells back together first. The title is found in titles.py. A page reporting a
document (basis.is_document) keeps its own meta: no type, number or date; its headline as title,
the province it names as locality.
Word lists are data (data/doc_types.json).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Optional

from . import basis, gazetteer
from .model import PROGRAMS, Locality, Meta
from .normalize import Normalized
from .doc_types import NUMBER_RE, _data, _type_by_word, doc_types, parse_date, type_from_symbol
from .textkeys import UPPER, fix_eth
from .textkeys import canonical_number
from .titles import (_cut_glued_issuer, _heading_lines, _lead_words, _level_alt, _levels,  # noqa: F401 (re-exported)
                     _sentence_case, _title_case, _type_heading, find_page_title, find_title)

_UPPER = UPPER
_NAME_WORD = rf"[{_UPPER}][^\s,.;:()]*"
_HEADER_CHARS = 3000

_DATE_LINE_RE = re.compile(
    # "<place>, ngày ..." or a line of its own; a citation's "số 10-NQ/TU ngày 05 tháng 7" has no comma
    r"(?:^|(?<=\n))(?P<before>[^\n]*?)(?:,[ \t]*|^[ \t]*)(?i:ngày)[ \t]*"
    r"(?:(?P<d>\d{1,2})?[ \t.…_]*(?i:tháng)[ \t]*(?P<m>\d{1,2})?[ \t.…_]*(?i:năm)[ \t]*\n?[ \t]*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})[ \t]*[/.-][ \t]*(?P<m2>\d{1,2})[ \t]*[/.-][ \t]*(?P<y2>\d{4}))",
    re.M,
)


def _header(text: str) -> str:
    """The part before the first citation ("Căn cứ Quyết định số 90/...") or heading."""
    lead = "|".join(re.escape(w) for w in _lead_words())
    m = re.search(
        rf"(?mi)^[ \t]*(?:{lead})\s+(?:các\s+)?(?:{_type_alt()})\s+(?:số\s*:?\s*)?\d|^[ \t]*(?:I|1)[ \t]*[.)][ \t]*\S",
        text)
    end = m.start() if m else _HEADER_CHARS
    return text[: min(end, _HEADER_CHARS)]


_JOIN_NEXT_RE = re.compile(
    r"(?i:số)[ \t]*:?"  # "Số:" / "257/KH-UBND"
    r"|.*(?:,|^)[ \t]*(?i:ngày)(?:[ \t]+\d{1,2})?(?:[ \t]+(?i:tháng)(?:[ \t]+\d{1,2})?)?"  # "..., ngày" / "18 tháng 8 năm 2022"
    r"|[^\W\d_]+")  # one word: "ỦY" / "BAN NHÂN DÂN", "Sơn" / "La, ngày 27 ..."


def flatten_header(header: str) -> str:
    """Header lines as portals and converters print them, put back together: each `|` cell a
    line of its own, "Số:" joined to the number and "..., ngày" to the date on the next line,
    a word broken off its cell ("ỦY" / "BAN NHÂN DÂN") joined to the next line."""
    lines: list[str] = []
    for raw in header.split("\n"):
        if "|" in raw:
            lines += [c.strip() for c in raw.split("|") if c.strip()]
        else:
            lines.append(raw)
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if out and s and s[:1].isalnum():
            prev = out[-1].strip()
            one_word = re.fullmatch(r"[^\W\d_]+", prev) is not None
            if _JOIN_NEXT_RE.fullmatch(prev) and (not one_word or prev[:1].isupper() and not s[:1].isdigit()):
                out[-1] = f"{prev} {s}"
                continue
        out.append(line)
    return "\n".join(out)


def _type_alt() -> str:
    return "|".join(re.escape(w) for w in sorted(_type_by_word(), key=len, reverse=True))


# ------------------------------------------------------------------ field extractors


def find_doc_type(header: str, number: Optional[str]) -> Optional[str]:
    """The type heading on a line of its own ("KẾ HOẠCH"), else the type of the own number."""
    for line in _heading_lines(header):
        hit = _type_heading(line)
        if hit:
            return hit[0]
    return type_from_symbol(number) if number else None


def find_number(header: str) -> tuple[Optional[str], bool]:
    """("122/KH-UBND", True) from "Số: 122/KH-UBND"; (None, True) for "Số: /KH-UBND";
    (None, False) when the header has no "Số" line."""
    # at a line start, or after other header text when a conversion joined the lines ("... Hạnh phúc Số: 45/KH-UBND")
    for m in re.finditer(r"(?m)(?:^[ \t]*(?i:Số)\s*:?|(?<!\w)Số\s*:)(?P<rest>[^\n]*)", header):
        rest = m.group("rest")
        n = NUMBER_RE.search(rest)
        if n and n.start() < 6:
            return re.sub(r"\s+", "", n.group(0)), True
        low = re.match(r"\s*(\d{1,5}[a-zđ]?(?:/\d{4})?\s*[/-]\s*[a-zđ][\w&/-]*)", rest)
        if low and canonical_number(low.group(1)):  # a portal's lower-cased "số: 1234/qđ-ubnd"
            return canonical_number(low.group(1)), True
        if re.match(r"\s*[/.…_ ]*/?\s*[A-ZĐ]", rest):
            return None, True
    return None, False


def find_issue_line(header: str) -> tuple[Optional[str], Optional[str], Optional[int]]:
    """(place, ISO date or None, year) from "Phong Thổ, ngày    tháng    năm 2022"."""
    for m in _DATE_LINE_RE.finditer(header):
        before = m.group("before")
        words = before.replace("Số:", " ").split()
        place: list[str] = []
        for w in reversed(words):
            if not re.fullmatch(_NAME_WORD, w) or NUMBER_RE.search(w):
                break
            place.insert(0, w)
        place = place[-5:]
        d, mo, y = m.group("d") or m.group("d2"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2")
        year = int(y)
        date = parse_date(f"{d}/{mo}/{y}") if d and mo else None
        return (" ".join(place) or None), date, year
    return None, None, None


def find_appendix_number(text: str, doc_type: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(number, ISO date) from "(Ban hành kèm theo Kế hoạch số 343 /KH-UBND ngày 13/10/2023 ...)"."""
    if not doc_type:
        return None, None
    words = [t.words for t in doc_types() if t.name == doc_type]
    alt = "|".join(re.escape(w) for w in (words[0] if words else [doc_type.lower()]))
    rx = re.compile(rf"(?mi)(?:^[ \t]*\(?|\()[ \t]*(?:ban hành\s+)?kèm theo\s+(?:{alt})\s+số\s*:?\s*")
    found = None, None
    for m in rx.finditer(text):  # the last one: appendices close the text
        n = NUMBER_RE.match(text, m.end())
        if not n:
            continue
        rest = text[n.end(): n.end() + 60]
        d = re.match(r"\s*,?\s*ngày\s+", rest)
        date = parse_date(rest[d.end():]) if d else None
        found = re.sub(r"\s+", "", n.group(0)), date
    return found


def _agency_full(kind: str) -> str:
    abbr = _data()["abbreviations"]
    k = kind.strip()
    if k.upper() in abbr:
        return abbr[k.upper()]
    if k.isupper():
        return k[:1] + k[1:].lower()
    return k


def find_issuer_header(header: str, body: str = "") -> Optional[tuple[str, str, str]]:
    """(agency kind, level word, name) from the header lines "ỦY BAN NHÂN DÂN / HUYỆN PHONG THỔ",
    also when the conversion put the Quốc hiệu on the same lines ("... CỘNG HÒA XÃ HỘI ...")."""
    heads = "|".join(re.escape(h.upper()) for h in _data()["agency_heads"])
    levels = "|".join(re.escape(w.upper()) for w in sorted(_levels(), key=len, reverse=True))
    word = rf"[{_UPPER}]+(?![\w])"
    rx = re.compile(
        rf"(?P<kind>{heads})(?:[ \t]+(?:C[ỘO]NG H(?:ÒA|OÀ|OA)[ \t]+XÃ HỘI CHỦ NGHĨA VIỆT NAM[ \t]+)?|[^\n]*\n[ \t]*)(?P<level>{levels})[ \t]+(?P<name>{word}(?:[ \t]*-?[ \t]*{word}){{0,4}})")
    state = [(m, _agency_full(m.group("kind")), m.group("level").lower()) for m in rx.finditer(header)]
    party = _data().get("party_heads", {})
    prx = re.compile(
        rf"(?m)^[ \t*#]*(?P<kind>{'|'.join(re.escape(h.upper()) for h in party if not h.startswith('_'))})"
        rf"[ \t]*\n?[ \t]*(?P<name>{word}(?:[ \t]*-?[ \t]*{word}){{0,4}})")
    found = state + [(m, _title_case(m.group("kind")).replace(" Ủy", " ủy"), party[m.group("kind").lower()])
                     for m in prx.finditer(header.replace("UỶ", "ỦY"))]
    for m, parent, level in sorted(found, key=lambda f: f[0].start()):
        name = m.group("name")
        name = re.split(r"\s+(?:CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP)\b", name)[0].strip()
        name = _name_over_lines(name, header[m.end():], level)
        if name and not name.startswith("HỘI CHỦ NGHĨA"):
            kind = _sub_agency(header[m.end():], body) or parent
            return kind, level, _title_case(name)
    return None


def _name_over_lines(name: str, after: str, level: str) -> str:
    """A place name broken over the header's cell lines ("TỈNH BÌNH" / "PHƯỚC"): the next line
    continues it when the two together, not the first alone, are a place the gazetteer knows."""
    m = re.match(rf"[ \t]*(-?)[ \t]*\n[ \t]*([{_UPPER}]+(?:[ \t]+[{_UPPER}]+)?)[ \t]*(?:\n|$)", after)
    if not m:
        return name
    def known(n: str) -> bool:
        n = _title_case(n)
        if level in ("tỉnh", "thành phố") and gazetteer.province(n) is not None:
            return True
        return level in ("huyện", "thành phố", "thị xã", "quận") and bool(gazetteer.district(f"{level} {n}"))
    longer = f"{name} - {m.group(2)}" if m.group(1) else f"{name} {m.group(2)}"  # "BÀ RỊA -" / "VŨNG TÀU"
    return longer if known(longer) and not known(name) else name


def issuer_name(kind: str, level: Optional[str], name: Optional[str]) -> str:
    """"Ban Chỉ đạo ... tỉnh Quảng Nam"; a party committee names its level itself ("Tỉnh ủy Quảng Nam")."""
    if level and kind.lower().startswith(level + " ") and kind.lower().endswith(" ủy"):
        level = None
    return " ".join(p for p in (kind, level, name) if p)


def _sub_agency(after: str, body: str) -> Optional[str]:
    """The body under the parent in the header ("UBND TỈNH QUẢNG NAM / BAN DÂN TỘC"): it is the
    issuer. Cased as the body writes it ("Ban Dân tộc"), else in sentence case."""
    m = re.match(r"[^\n]*\n[ \t]*([^\n]+)((?:\n[ \t]*[^\n]+){0,2})", after)
    if not m:
        return None
    line = _cut_quoc_hieu(m.group(1))
    for more in m.group(2).split("\n")[1:]:  # the name broken over header lines
        more = _cut_quoc_hieu(more)
        if not more or not more.isupper() or re.match(r"(?:SỐ|KẾ HOẠCH|QUYẾT ĐỊNH|NGHỊ QUYẾT|BÁO CÁO|V/V)\b", more) \
                or not line.isupper() or len(line) + len(more) > 100:
            break
        line = f"{line} {more}"
    heads = tuple(h.upper() + " " for h in _data().get("sub_agency_heads", []))
    if not line.isupper() or not line.startswith(heads) or len(line) > 80:
        return None
    rx = re.compile(r"\s*".join(re.escape(w) for w in line.split()), re.I)
    forms = Counter(f.group(0) for f in rx.finditer(body) if not f.group(0).isupper())
    if forms:
        return re.sub(r"\s+", " ", forms.most_common(1)[0][0])
    return line[:1] + line[1:].lower()


def _cut_quoc_hieu(line: str) -> str:
    return re.split(r"\s+(?:C[ỘO]NG H(?:ÒA|OÀ|OA)|ĐỘC LẬP|Độc lập)\b|^(?:C[ỘO]NG H(?:ÒA|OÀ|OA)|ĐỘC LẬP)\b", line)[0].strip(" *#\t")


def find_issuer_sentence(text: str) -> Optional[tuple[tuple[str, str, Optional[str]], re.Match]]:
    """((kind, level, name or None), match) from the preamble's closing sentence
    "Ủy ban nhân dân huyện Phong Thổ ban hành Kế hoạch ..." (it starts a line or follows ";")."""
    heads = "|".join(re.escape(h) for h in _data()["agency_heads"])
    rx = re.compile(
        rf"(?:^|(?<=[;.])[ \t]*)[ \t]*(?P<kind>(?i:{heads}))\s+(?P<level>(?i:{_level_alt()}))"
        rf"(?P<name>(?:\s+{_NAME_WORD}){{0,5}}?)\s+"
        r"(?i:ban hành|xây dựng|triển khai)\s+(?i:kế hoạch|quyết định|chương trình)\b[^\n]*",
        re.M,
    )
    m = rx.search(text)
    if not m:
        return None
    name = m.group("name").strip() or None
    return (_agency_full(m.group("kind")), m.group("level").lower(), name), m


def find_level_of_place(text: str, place: str) -> Optional[str]:
    """The level the text gives the place of issue: "UBND huyện Triệu Sơn", "trên địa bàn huyện
    Triệu Sơn" -> "huyện" (the most frequent when several)."""
    rx = re.compile(rf"(?:(?i:ủy ban nhân dân|ubnd)|(?i:trên địa bàn))\s+(?P<level>(?i:{_level_alt()}))\s+{re.escape(place)}(?![\w])")
    counts = Counter(m.group("level").lower() for m in rx.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


def find_issuer_level_from_recipients(text: str) -> Optional[str]:
    """The issuer's level from its own leaders in "Nơi nhận" ("CT, các PCT UBND huyện")."""
    m = re.search(rf"(?:CT|Chủ tịch)\s*,\s*(?:các\s+)?PCT\s+(?:UBND|Ủy ban nhân dân)\s+(?P<level>{_level_alt()})\b", text)
    return m.group("level").lower() if m else None


_CITED_RE = re.compile(
    r"\d{1,5}[a-zđ]?(?:/(?:19|20)\d\d)?\s*[/-]\s*[A-ZĐ][\w&/-]*"  # a cited number (10/2022/TT-BTC)
    r"|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"  # a date 05/7/2022
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
)
_RANGE_RE = re.compile(r"(?:từ\s+)?(?:năm\s+)?((?:19|20)\d\d)\s*(?:-|đến|÷)\s*(?:năm\s+)?((?:19|20)\d\d)")
_HORIZON_RE = re.compile(r"[,;]?\s*(?:định hướng|tầm nhìn)\s+(?:đến\s+)?(?:năm\s+)?(?:19|20)\d\d")


def find_plan_years(title: Optional[str], sentence: Optional[str]) -> list[int]:
    """Years the plan covers: a range "giai đoạn 2021-2025" / "từ năm 2021 đến năm 2025", else the
    single years; cited numbers and dates ("Nghị quyết số 10-NQ/TU ngày 05/7/2022") and a
    horizon ("định hướng đến năm 2030") are not years of the plan."""
    def years(s: str) -> list[int]:
        s = _CITED_RE.sub(" ", s)
        ranges = [(int(r.group(1)), int(r.group(2)), r.span()) for r in _RANGE_RE.finditer(s)]
        ranges = [r for r in ranges if r[0] <= r[1] <= r[0] + 15]
        if ranges:
            # "giai đoạn 2021 - 2030, giai đoạn I: từ năm 2021 đến năm 2025": the narrowest;
            # "vốn năm 2023 thực hiện Chương trình ... giai đoạn 2021-2025": the plan's own year,
            # the range is the program's
            a, b, _ = min(ranges, key=lambda r: r[1] - r[0])
            singles = {int(y.group(1)) for y in re.finditer(r"(?<![\w-])năm\s+((?:19|20)\d\d)(?!\d)", s)
                       if not any(sp[0] <= y.start() < sp[1] for _, _, sp in ranges)}
            inside = sorted(y for y in singles if a <= y <= b)
            return inside or list(range(a, b + 1))
        found = sorted({int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", s)})
        short = sorted({int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", _HORIZON_RE.sub(" ", s))})
        return short or found
    if title:
        y = years(title)
        if y:
            return y
    return years(sentence) if sentence else []


# "(Đã ký)", "[daky]", "(ký, đóng dấu)": what the conversion leaves between title and name
_SIGNED_RE = re.compile(r"^[(\[]?\s*(?:đã\s*ký|daky|ký|ký tên|ký,? đóng dấu|đã ký và đóng dấu)[^)\]]*[)\]]?\s*$", re.I)


def find_signer(text: str) -> Optional[str]:
    """The name under the last signing title; else a stand-alone personal name near the end."""
    titles = sorted(_data()["signer_titles"], key=len, reverse=True)
    alt = "|".join(re.escape(t.upper()) for t in titles)
    # the title may follow other capitals on a flattened line ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH")
    title_line = re.compile(rf"(?m)^[^\na-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]*?(?<![^\W\d_])(?:{alt})(?![^\W\d_])[^\n]*$")
    hits = list(title_line.finditer(text))
    for h in reversed(hits):
        # a flattened block keeps the name on the title's line: "PHÓ CHỦ TỊCH Nguyễn Thanh Bình"
        toks = h.group(0).split()
        while toks and toks[0].upper() == toks[0]:
            toks.pop(0)
        rest = " ".join(toks)
        if rest and _as_person_name(rest):
            return _as_person_name(rest)
        following = [ln.strip() for ln in text[h.end():].split("\n")[1:12]]
        for ln in following:
            if not ln or _SIGNED_RE.match(ln):
                continue
            name = _as_person_name(ln) or _name_then_text(ln)
            if name:
                return name
            if title_line.match(ln) or re.match(r"(?:TM|KT|Q|TL)\.", ln):
                continue
            break
    # shuffled conversions: a line that is only a personal name, last in the text
    surnames = set(_data().get("surnames", []))
    for ln in reversed(text.splitlines()[-80:] if text else []):
        name = _as_person_name(ln.strip())
        if name and name.split()[0] in surnames:
            return name
    return None


def _name_then_text(line: str) -> Optional[str]:
    """A signature block dropped inside a sentence broken across pages: the rest of the sentence
    is joined to the name ("A Hiển bảo đảm giải ngân 100% ..."). The name is the capitalised words
    before the first lower-case one."""
    m = re.match(r"[*_]*((?:[^\W\d_][\w']*\s+){1,5}?)(?=[a-zđ\u00e0-\u1ef9][\w']*\s)", line)
    if not m:
        return None
    head = m.group(1).strip()
    if not all(w[:1].isupper() for w in head.split()):
        return None
    return _as_person_name(head)


def _as_person_name(line: str) -> Optional[str]:
    s = re.sub(r"[*_#]", "", line).strip().strip(".")
    words = s.split()
    if not 2 <= len(words) <= 6 or re.search(r"[\d:;,()/]", s):
        return None
    if s.isupper():
        s = _title_case(s)
        words = s.split()
    if not all(re.fullmatch(rf"[{_UPPER}][a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ']*", w) for w in words):
        return None
    low = s.lower()
    if any(t in low for t in _data()["signer_titles"]) or any(w.lower() in _levels() for w in words):
        return None
    if any(low.startswith(h) for h in _data()["agency_heads"]) or low.split()[0] in {"ban", "phòng", "sở", "bộ", "văn", "trung", "kế", "nơi"}:
        return None
    return s


def find_program(title: Optional[str], text: str, struct) -> Optional[str]:
    code = getattr(struct, "program_code", None)
    if code in PROGRAMS:
        return code
    try:
        from . import programs
        pats = {c: programs.patterns(c) for c in programs.codes()}
    except Exception:  # programs gazetteer missing: fall back to the program names
        pats = {c: [n.lower().split("quốc gia ", 1)[-1]] for c, n in PROGRAMS.items()}
    for source in (title or "", text):
        low = source.lower()
        counts = Counter({c: sum(low.count(p) for p in ps) for c, ps in pats.items()})
        if counts and counts.most_common(1)[0][1] > 0:
            return counts.most_common(1)[0][0]
    return None


def _provinces_in_text(text: str) -> list[str]:
    """Provinces the text names ("tỉnh Lai Châu", "thành phố Cần Thơ"), most frequent first,
    each the longest run of capitalized words after the keyword that the gazetteer knows
    ("tỉnh Khóa XII" names none)."""
    found: Counter = Counter()
    # (the \b before the keyword is tested after it: a pattern that starts with a letter is scanned fast)
    for m in re.finditer(rf"(?P<kw>tỉnh(?<!\wtỉnh)|thành phố(?<!\wthành phố))\s+(?P<name>{_NAME_WORD}(?:\s*-?\s*{_NAME_WORD}){{0,4}})", text):
        words = m.group("name").split()
        for k in range(len(words), 0, -1):
            name = " ".join(words[:k])
            # "thành phố Sơn La" is the province's capital, "thành phố Cần Thơ" a centrally-run city
            p = _city_province(name) if m.group("kw") == "thành phố" else gazetteer.province(name)
            if p is not None:
                found[p.name] += 1
                break
    return [n for n, _ in found.most_common()]


def _city_province(name: str):
    """The centrally-run city (a province-level "Thành phố") of this name, else None."""
    for era in gazetteer.ERAS:
        p = gazetteer.province(name, era=era)
        if p is not None and p.kind.lower() == "thành phố":
            return p
    return None


def find_locality(kind_level_name: Optional[tuple[str, str, Optional[str]]], text: str) -> Locality:
    """Name and level from the issuer; the province is the issuer's own for a tỉnh, else the
    province the text names (the one holding the district when the gazetteer knows it), else
    the district's province from the gazetteer."""
    if not kind_level_name:
        return Locality()
    _, level_word, name = kind_level_name
    level = _levels().get(level_word, level_word)
    if level_word == "thành phố" and name and _city_province(name) is not None:
        level = "tỉnh"  # "Ủy ban nhân dân thành phố Cần Thơ"; "thành phố Sơn La" stays a district
    loc = Locality(name=name, level=level)
    if level == "tỉnh":
        loc.province = name
    elif name:
        named = [p for p in _provinces_in_text(text) if p != name]
        of_district = gazetteer.province_of_district(name) if level == "huyện" else None
        if of_district and of_district in named:
            loc.province = of_district
        else:
            loc.province = named[0] if named else of_district
    return loc


def _lead_paragraph(text: str, title: Optional[str]) -> Optional[str]:
    """The first paragraph of a page after its headline."""
    start = text.find(title) + len(title) if title and title in text else 0
    for para in re.split(r"\n[ \t]*\n|\n", text[start:]):
        if len(para.split()) >= 12:
            return para
    return None


@lru_cache(maxsize=1)
def _bare_province_re() -> re.Pattern:
    names = sorted({p.name for era in gazetteer.ERAS for p in gazetteer.provinces(era)}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _bare_provinces(text: str) -> list[str]:
    """Provinces named without a level word ("Nghệ An đẩy nhanh ..."), most frequent first."""
    return [n for n, _ in Counter(m.group(0) for m in _bare_province_re().finditer(text)).most_common()]


def extract_meta(norm: Normalized, struct=None) -> Meta:
    text = fix_eth(norm.text)
    raw_header = _header(text)
    header = flatten_header(raw_header)
    meta = Meta()
    meta.number, _has_number_line = find_number(header)
    meta.doc_type = find_doc_type(header, meta.number)
    is_doc = basis.is_document(text)
    if meta.doc_type is None and is_doc:
        # "UBND huyện ban hành Kế hoạch ..." names this document; "... ban hành Quyết định số 654/..." another
        m = re.search(rf"(?i)ban hành\s+({_type_alt()})\b(?!\s+số)", text)
        meta.doc_type = _type_by_word().get(m.group(1).lower()) if m else None
    if is_doc:  # a page reporting a document has no place or date of issue of its own
        meta.issue_place, meta.issue_date, meta.issue_year = find_issue_line(header)
    if not _has_number_line:  # the header lost its "Số:" line: the appendix names the plan
        n, d = find_appendix_number(text, meta.doc_type)
        if meta.number is None and n and d:
            meta.number = n
        if meta.issue_date is None and d and (meta.issue_year is None or int(d[:4]) == meta.issue_year) and n:
            meta.issue_date = d
            meta.issue_year = int(d[:4])
    meta.title = find_title(header, meta.doc_type, text[len(raw_header):])
    if meta.title is None and not is_doc:
        meta.title = find_page_title(text)

    issuer = find_issuer_header(header, text)
    found = find_issuer_sentence(text)
    sentence = found[1].group(0) if found else None
    if issuer is None and found is not None:
        kind, level, name = found[0]
        if name is None and meta.issue_place:
            name = meta.issue_place
        issuer = (kind, level, name)
    if issuer is None and meta.issue_place:
        level = find_level_of_place(text, meta.issue_place) or find_issuer_level_from_recipients(text)
        if level:
            issuer = ("Ủy ban nhân dân", level, meta.issue_place)
    if issuer is not None:
        meta.issuer = issuer_name(*issuer)
    meta.locality = find_locality(issuer, text)
    if issuer is None:  # a page reporting a decision, a header lost: the province the text names
        named = _provinces_in_text(text) or _bare_provinces(text)
        if named:
            meta.locality = Locality(name=named[0], level="tỉnh", province=named[0])

    meta.plan_years = find_plan_years(meta.title, sentence)
    if not meta.plan_years:  # the closing line names the plan again: "Trên đây là Kế hoạch ... năm 2023"
        closing = re.search(r"(?i)trên đây là\s+(?:kế hoạch|quyết định|chương trình)[^\n.;]*", text)
        meta.plan_years = find_plan_years(None, closing.group(0)) if closing else []
    if not meta.plan_years:  # no title line: "Điều 1. Phê duyệt Đề án ... giai đoạn 2011 - 2015"; a page's lead paragraph
        first = re.search(r"(?m)^[ \t]*Điều\s*1[ \t]*[.:][^\n]*", text) if is_doc else _lead_paragraph(text, meta.title)
        meta.plan_years = find_plan_years(None, first.group(0) if hasattr(first, "group") else first) if first else []
    meta.signer = find_signer(text)
    meta.program_code = find_program(meta.title, text, struct)
    meta.program = PROGRAMS.get(meta.program_code) if meta.program_code else None
    return meta
