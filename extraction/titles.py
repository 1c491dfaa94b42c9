"""Titles: the line(s) that say what a document is about, as converters and portals print them.

A type heading ("KẾ HOẠCH") and the lines under it, else the capital line after the number and
date lines, else a Công văn's "V/v ..." line, else (a page reporting a document) its headline.
The issuer printed under or on a capital title is cut off it; a title in capitals or lower
case is put in sentence case with its proper nouns kept: words as the body writes them,
places the gazetteer knows, programs and bodies (data/doc_types.json "title_case"), document
numbers in their canonical form.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Optional

from . import gazetteer
from .doc_types import NUMBER_RE, _data, doc_types
from .textkeys import UPPER
from .textkeys import canonical_number

_UPPER = UPPER

def _levels() -> dict[str, str]:
    return _data()["levels"]


def _level_alt() -> str:
    return "|".join(sorted((re.escape(w) for w in _levels()), key=len, reverse=True))


def _lead_words() -> list[str]:
    return _data()["citation_lead"]


_MARKS = re.compile(r"[*#_]")  # markdown marks left around a heading


@lru_cache(maxsize=4096)  # pure; the same header lines are asked about by several stages
def _type_heading(line: str) -> Optional[tuple[str, str]]:
    """("Kế hoạch", rest) for a line "KẾ HOẠCH" or "KẾ HOẠCH Thực hiện ..." (the type in capitals)."""
    s = _MARKS.sub("", line).strip().rstrip(":")
    for name, head in _type_heads():
        if s == head or s.startswith(head + " "):
            return name, s[len(head):].strip()
    return None


@lru_cache(maxsize=1)
def _type_heads() -> tuple[tuple[str, str], ...]:
    """(name, name in capitals), longest first: once, not sorted again for every header line."""
    return tuple((t.name, t.name.upper()) for t in sorted(doc_types(), key=lambda t: len(t.name), reverse=True))


@lru_cache(maxsize=1)
def _joined_heading_re() -> re.Pattern:
    names = "|".join(re.escape(t.name.upper()) for t in sorted(doc_types(), key=lambda t: -len(t.name)))
    return re.compile(rf"năm\s+\d{{4}}\s+(?=(?:{names})\b)")


def _heading_lines(header: str) -> list[str]:
    """Header lines, with a type heading that a conversion joined to the date line split off
    ("Mường Tè, ngày 15 tháng 3 năm 2023 KẾ HOẠCH Thực hiện ...")."""
    joined = _joined_heading_re()
    out = []
    for line in header.splitlines():
        m = joined.search(line)
        if m:
            out += [line[: m.end()], line[m.end():]]
        else:
            out.append(line)
    return out


def _title_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


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
        start = _untyped_title_start(lines)  # "Số: ... | ngày ..." then the title, no type line
        if start is None:
            return None
    lead = tuple(w.capitalize() for w in _lead_words())
    for line in lines[start:]:
        s = re.sub(r"[*#]", "", line).strip()
        if not s:
            if out:
                break
            continue
        if s.startswith(lead) and out or re.match(r"(?:[IVX]+|\d+)[.)]\s|Điều\b|Kính gửi\b", s) or s.startswith("Căn cứ"):
            break
        if out and _NUMBER_OR_DATE_LINE.match(s):
            break  # a Công văn's "V/v ..." line, then its place and date
        if out and s.isupper() and not any(o.isupper() for o in out):
            break  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..." after a title in normal case
        if out and _issuer_line(s) and not re.search(r"(?i)(?:\b(?:của|và|cho|tại)|,)$", out[-1]):
            break  # the issuer printed under a capital title ("HỘI ĐỒNG NHÂN DÂN TỈNH ...")
        out.append(s)
        if len(out) >= 4:
            break
    if not out:
        return None
    title = re.sub(r"\s+", " ", " ".join(out)).strip(" -")
    title = _cut_glued_issuer(title)
    # the place and date line joined to the title by the conversion ("... năm 2023 Quảng Trị, ngày 05 tháng 7 năm 2023")
    title = re.sub(rf"\s+(?:[{_UPPER}][^\s,]*\s*){{1,4}},\s*(?i:ngày)\s[^,;]*?(?i:năm)\s+\d{{4}}\s*$", "", title)
    title = re.sub(r"^(?:V/v|V/V)\s*:?\s*", "Về việc ", title)
    letters = [c for c in title if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if letters and upper / len(letters) > 0.8:
        title = _sentence_case(title, body)
    elif letters and upper == 0:  # a portal's lower-cased title: names and numbers cased again
        title = _sentence_case(_restore_numbers(title), body)
    return title


def _restore_numbers(s: str) -> str:
    """Document numbers of a lower-cased string in their canonical form ("866/qđ-ubnd" -> "866/QĐ-UBND")."""
    return re.sub(r"\d{1,5}[a-zđ]?(?:/\d{4})?\s*[/-]\s*[a-zđ][\w&]*(?:\s*[-/]\s*[a-zđ][\w&]*)*",
                  lambda m: canonical_number(m.group(0)) or m.group(0), s)


def _cut_glued_issuer(title: str) -> str:
    """A capital title with the issuer printed on its line ("... TỈNH ĐIỆN BIÊN ỦY BAN NHÂN DÂN
    TỈNH ĐIỆN BIÊN", "... HỘI ĐỒNG NHÂN DÂN TỈNH X KHÓA XV, KỲ HỌP THỨ 8"): the issuer is cut
    off, unless the title names it ("... kèm theo Quyết định số 5/QĐ-UBND của ỦY BAN ...")."""
    if not title.isupper():
        return title
    heads = sorted({h.upper() for h in _data()["agency_heads"] + _data()["signer_titles"] if len(h) > 4}, key=len, reverse=True)
    alt = "|".join(re.escape(h) for h in heads)
    m = re.search(rf"\s(?:(?:TM|KT)\.\s*)?(?:{alt})\s+(?:{_level_alt().upper()})\s[^,;:]*(?:,?\s*KHÓA\s+[IVXLC]+.*)?$", title)
    if not m or re.search(r"(?:CỦA|VÀ|VỚI|CHO)$", title[:m.start()].rstrip()):
        return title
    return title[:m.start()].rstrip(" ,-") or title


def _issuer_line(s: str) -> bool:
    """A capital line naming the issuing body or its head ("ỦY BAN NHÂN DÂN TỈNH ...",
    "CHỦ TỊCH ỦY BAN NHÂN", "TM. ỦY BAN NHÂN DÂN")."""
    if not s.isupper():
        return False
    low = re.sub(r"^(?:TM|KT|Q|TL)\.\s*", "", s).lower()
    heads = _data()["agency_heads"] + _data()["signer_titles"] + [h for h in _data().get("party_heads", {}) if not h.startswith("_")]
    return any(low == h or low.startswith(h + " ") for h in heads)


_NUMBER_OR_DATE_LINE = re.compile(r"(?i)^(?:số\b|.*\bngày\b.*\bnăm\s+\d{4})")


def _untyped_title_start(lines: list[str]) -> Optional[int]:
    """Where the title starts in a header without a type line: the first line after the number
    and date lines that is a "V/v ..." subject (a Công văn) or a capital line of several words
    that is neither the motto nor the issuer."""
    last = None
    for i, line in enumerate(lines[:25]):
        if re.match(r"(?i)v/v\b", line.strip()):
            return i
        if _NUMBER_OR_DATE_LINE.match(line.strip()):
            last = i
    if last is None:
        return None
    for i in range(last + 1, min(len(lines), last + 4)):
        s = re.sub(r"[*#]", "", lines[i]).strip()
        if not s or re.fullmatch(r"[-_=.…\s]+", s):
            continue
        if re.match(r"(?i)v/v\b", s):
            return i
        if s.isupper() and len(s.split()) >= 3 and not _issuer_line(s) and not _MOTTO_RE.search(s):
            return i
        return None
    return None


_MOTTO_RE = re.compile(r"C[ỘO]NG\s+H[ÒO]A\s+XÃ\s+HỘI|ĐỘC LẬP\s*-\s*TỰ DO", re.I)


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
    return _proper_case("".join(out), s)


_LEVEL_NAME_RE = re.compile(r"(?<!\w)(tỉnh|thành phố|huyện|thị xã|quận)\s+(?=((?:[^\W\d_]+[ ]?){1,4}))")


def _proper_case(t: str, caps: str) -> str:
    """Proper nouns of a title put in sentence case: document numbers as printed ("866/QĐ-UBND"),
    places the gazetteer knows after their level word, programs and bodies, a document type
    named as a document ("Quyết định số", "ban hành Quy định"), acronyms, "giai đoạn I"."""
    if len(t) != len(caps):
        return t
    chars = list(t)
    for m in NUMBER_RE.finditer(caps):
        if "/" in m.group(0):  # a document number; "DỰ ÁN 7 - NÂNG CAO" is none
            chars[m.start():m.end()] = caps[m.start():m.end()]
    t = "".join(chars)
    for m in _LEVEL_NAME_RE.finditer(t):
        words = m.group(2).split()
        for k in range(len(words), 0, -1):
            name = " ".join(words[:k])
            cased = _title_case(name)
            if gazetteer.province(cased) is not None or gazetteer.district(f"{m.group(1)} {cased}"):
                t = t[:m.start(2)] + cased + t[m.start(2) + len(name):]  # same length
                break
    tc = _data().get("title_case", {})
    for ph in tc.get("phrases", []):
        t = re.sub(rf"(?<!\w){re.escape(ph)}(?!\w)", ph, t, flags=re.I)
    for ph in tc.get("numbered", []):
        t = re.sub(rf"(?<!\w){re.escape(ph)}(?=\s+\d)", ph, t, flags=re.I)
    types = "|".join(re.escape(n) for n in sorted((d.name for d in doc_types()), key=len, reverse=True))
    before = "|".join(re.escape(w) for w in tc.get("type_before", []))
    after = "|".join(re.escape(w) for w in tc.get("type_after", []))
    cap = lambda m: m.group(0)[:1].upper() + m.group(0)[1:]  # noqa: E731
    if before:
        t = re.sub(rf"(?i)(?<!\w)((?:{before}) )((?:{types})(?!\w))", lambda m: m.group(1) + cap(re.match(".*", m.group(2))), t)
    if after:
        t = re.sub(rf"(?i)(?<!\w)(?:{types})(?= (?:{after})\b)", cap, t)
    for a in tc.get("acronyms", []):
        t = re.sub(rf"(?<!\w){re.escape(a)}(?!\w)", a, t, flags=re.I)
    return re.sub(r"(?<=giai đoạn )([ivx]+)(?=\W)", lambda m: m.group(1).upper(), t)


_DATELINE_RE = re.compile(r"(?i)^(?:ngày đăng\b.*|[\d/:|\s.-]+|\(?[\w.]+\.(?:gov\.)?vn\)?\s*-?)$")


def find_page_title(text: str) -> Optional[str]:
    """The headline of a page that reports a document: its first line of several words that is
    not a date line ("26/04/2023 17:00", "Ngày đăng: 7:50 | 26/03/2024")."""
    for line in text.split("\n")[:8]:
        s = line.strip()
        if not s or _DATELINE_RE.match(s) or (re.search(r"\d{1,2}/\d{1,2}/\d{4}", s) and len(s.split()) < 8):
            continue  # "Thứ Hai, 15/05/2023 - 09:12"
        s = re.sub(r"\s*\([\w.]+\.vn\)\s*-?$", "", s)  # "(Mic.gov.vn) -": the site's byline
        return s if 4 <= len(s.split()) <= 60 and not s.endswith((".", ",", ";")) else None
    return None
