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
Word lists are data (data/doc_types.json).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from . import gazetteer
from .model import PROGRAMS, Locality, Meta
from .normalize import Normalized
from .references import NUMBER_RE, UPPER, _data, _type_by_word, doc_types, fix_eth, parse_date, type_from_symbol

_UPPER = UPPER
_NAME_WORD = rf"[{_UPPER}][^\s,.;:()]*"
_HEADER_CHARS = 3000

_DATE_LINE_RE = re.compile(
    # "<place>, ngày ..." or a line of its own; a citation's "số 10-NQ/TU ngày 05 tháng 7" has no comma
    r"(?:^|(?<=\n))(?P<before>[^\n]*?)(?:,[ \t]*|^[ \t]*)(?i:ngày)[ \t]*"
    r"(?:(?P<d>\d{1,2})?[ \t.…_]*(?i:tháng)[ \t]*(?P<m>\d{1,2})?[ \t.…_]*(?i:năm)[ \t]*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})[ \t]*[/.-][ \t]*(?P<m2>\d{1,2})[ \t]*[/.-][ \t]*(?P<y2>\d{4}))",
    re.M,
)


def _levels() -> dict[str, str]:
    return _data()["levels"]


def _level_alt() -> str:
    return "|".join(sorted((re.escape(w) for w in _levels()), key=len, reverse=True))


def _lead_words() -> list[str]:
    return _data()["citation_lead"]


def _header(text: str) -> str:
    """The part before the first citation ("Căn cứ Quyết định số 90/...") or heading."""
    lead = "|".join(re.escape(w) for w in _lead_words())
    m = re.search(
        rf"(?mi)^[ \t]*(?:{lead})\s+(?:các\s+)?(?:{_type_alt()})\s+(?:số\s*:?\s*)?\d|^[ \t]*(?:I|1)[ \t]*[.)][ \t]*\S",
        text)
    end = m.start() if m else _HEADER_CHARS
    return text[: min(end, _HEADER_CHARS)]


def _type_alt() -> str:
    return "|".join(re.escape(w) for w in sorted(_type_by_word(), key=len, reverse=True))


# ------------------------------------------------------------------ field extractors

def _type_heading(line: str) -> Optional[tuple[str, str]]:
    """("Kế hoạch", rest) for a line "KẾ HOẠCH" or "KẾ HOẠCH Thực hiện ..." (the type in capitals)."""
    s = re.sub(r"[*#_]", "", line).strip().rstrip(":")
    for t in sorted(doc_types(), key=lambda t: len(t.name), reverse=True):
        head = t.name.upper()
        if s == head or s.startswith(head + " "):
            return t.name, s[len(head):].strip()
    return None


def _heading_lines(header: str) -> list[str]:
    """Header lines, with a type heading that a conversion joined to the date line split off
    ("Mường Tè, ngày 15 tháng 3 năm 2023 KẾ HOẠCH Thực hiện ...")."""
    names = "|".join(re.escape(t.name.upper()) for t in sorted(doc_types(), key=lambda t: -len(t.name)))
    out = []
    for line in header.splitlines():
        m = re.search(rf"năm\s+\d{{4}}\s+(?=(?:{names})\b)", line)
        if m:
            out += [line[: m.end()], line[m.end():]]
        else:
            out.append(line)
    return out


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


def _title_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


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
        if name and not name.startswith("HỘI CHỦ NGHĨA"):
            kind = _sub_agency(header[m.end():], body) or parent
            return kind, level, _title_case(name)
    return None


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
        r = _RANGE_RE.search(s)
        if r:
            a, b = int(r.group(1)), int(r.group(2))
            if a <= b <= a + 15:
                return list(range(a, b + 1))
        found = sorted({int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", s)})
        short = sorted({int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", _HORIZON_RE.sub(" ", s))})
        return short or found
    if title:
        y = years(title)
        if y:
            return y
    return years(sentence) if sentence else []


def find_title(header: str, doc_type: Optional[str], body: str = "") -> Optional[str]:
    lines = _heading_lines(header)
    start = None
    out: list[str] = []
    for i, line in enumerate(lines):
        hit = _type_heading(line)
        if doc_type and hit and hit[0] == doc_type:
            start = i + 1
            if hit[1]:
                out.append(hit[1])
            break
    if start is None:
        return None
    lead = tuple(w.capitalize() for w in _lead_words())
    for line in lines[start:]:
        s = re.sub(r"[*#]", "", line).strip()
        if not s:
            if out:
                break
            continue
        if s.startswith(lead) and out or re.match(r"(?:[IVX]+|\d+)[.)]\s", s) or s.startswith("Căn cứ"):
            break
        if out and s.isupper() and not any(o.isupper() for o in out):
            break  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..." after a title in normal case
        out.append(s)
        if len(out) >= 4:
            break
    if not out:
        return None
    title = re.sub(r"\s+", " ", " ".join(out)).strip(" -")
    title = re.sub(r"^(?:V/v|V/V)\s*:?\s*", "Về việc ", title)
    letters = [c for c in title if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        title = _sentence_case(title, body)
    return title


def _sentence_case(s: str, body: str) -> str:
    """An all-caps title in sentence case, each word cased as the body writes it after the
    same previous word ("huyện SƠN HÀ" -> "huyện Sơn Hà" when the body says so)."""
    seen: dict[tuple[str, str], Counter] = {}
    wanted = set(re.findall(r"[\w']+|-", s.lower()))  # only the title's words are looked up
    prev = ""
    for w in re.findall(r"[\w']+|-", body):
        lw = w.lower()
        if lw in wanted and not (w.isupper() and len(w) > 1):
            seen.setdefault((prev.lower(), lw), Counter())[w] += 1
        prev = w
    out: list[str] = []
    prev = ""
    for tok in re.split(r"([\w']+|-)", s.lower()):
        if re.fullmatch(r"[\w']+|-", tok):
            forms = seen.get((prev, tok))
            word = forms.most_common(1)[0][0] if forms else tok
            out.append(word if prev else word[:1].upper() + word[1:])
            prev = tok
        else:
            out.append(tok)
    return "".join(out)


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
    for m in re.finditer(rf"\b(?P<kw>tỉnh|thành phố)\s+(?P<name>{_NAME_WORD}(?:\s*-?\s*{_NAME_WORD}){{0,4}})", text):
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


def extract_meta(norm: Normalized, struct=None) -> Meta:
    text = fix_eth(norm.text)
    header = _header(text)
    meta = Meta()
    meta.number, _has_number_line = find_number(header)
    meta.doc_type = find_doc_type(header, meta.number)
    if meta.doc_type is None:
        m = re.search(rf"(?i)ban hành\s+({_type_alt()})\b", text)
        meta.doc_type = _type_by_word().get(m.group(1).lower()) if m else None
    meta.issue_place, meta.issue_date, meta.issue_year = find_issue_line(header)
    if not _has_number_line:  # the header lost its "Số:" line: the appendix names the plan
        n, d = find_appendix_number(text, meta.doc_type)
        if meta.number is None and n and d:
            meta.number = n
        if meta.issue_date is None and d and (meta.issue_year is None or int(d[:4]) == meta.issue_year) and n:
            meta.issue_date = d
            meta.issue_year = int(d[:4])
    meta.title = find_title(header, meta.doc_type, text[len(header):])

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

    meta.plan_years = find_plan_years(meta.title, sentence)
    if not meta.plan_years:  # the closing line names the plan again: "Trên đây là Kế hoạch ... năm 2023"
        closing = re.search(r"(?i)trên đây là\s+(?:kế hoạch|quyết định|chương trình)[^\n.;]*", text)
        meta.plan_years = find_plan_years(None, closing.group(0)) if closing else []
    meta.signer = find_signer(text)
    meta.program_code = find_program(meta.title, text, struct)
    meta.program = PROGRAMS.get(meta.program_code) if meta.program_code else None
    return meta
