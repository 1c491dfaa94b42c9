"""Documents cited by title, and the identity key of any cited document.

About a third of real citations name a law by title and date with no number ("Căn cứ Luật
Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"), and party resolutions by their
congress ("Căn cứ Nghị quyết Đại hội Đảng bộ tỉnh ... lần thứ XX, nhiệm kỳ 2021-2025").
They are references with number None, a title and a date (../shared/gold/SCHEMA.md).

A small gazetteer (data/laws.json: title + date -> number) gives a law cited by title the
number it has, so `citation_key` gives "Luật Đầu tư công ngày 13/6/2019" and "39/2019/QH14"
one key. A number alone is not an identity either: 1600/QĐ-TTg of 2016 and 1600/QĐ-TTg of
2023 are two documents, so a number without a year in its symbol is keyed with the year of
its date.

For the archive (`cites`, /api/references): store `citation_key(ref)` for every reference (a
law by title too: `ref.number` is None, show `ref.title`), and look a query up with
`query_keys(text)`; a stored key matches a query key when `same_document(stored, query)`, in
SQL: `key = :q OR key LIKE :q || '@%'` for a query key without "@", and
`key = :q OR key = <q without its @year>` for one with it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .textkeys import doc_type_data, number_key, word_key

_LAWS_PATH = Path(__file__).parent / "data" / "laws.json"


@lru_cache(maxsize=1)
def _laws_data() -> dict:
    try:
        return json.loads(_LAWS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RuntimeError(f"{_LAWS_PATH}: cannot read the laws gazetteer: {e}") from e


def title_key(title: str) -> str:
    """Key of a law's title: abbreviations spelled out, accents, case and punctuation gone
    ("Luật Tổ chức HĐND và UBND" = "Luật tổ chức Hội đồng nhân dân và Ủy ban nhân dân")."""
    s = title
    for abbr, full in _laws_data().get("abbreviations", {}).items():
        s = re.sub(rf"(?<!\w){re.escape(abbr)}(?!\w)", full, s)
    return word_key(s)


@lru_cache(maxsize=1)
def _by_title() -> dict[str, list[tuple[str, str]]]:
    """title key -> [(date, number)], one per version of the law."""
    out: dict[str, list[tuple[str, str]]] = {}
    for law in _laws_data()["laws"]:
        for t in [law["title"], *law.get("aliases", [])]:
            out.setdefault(title_key(t), []).append((law["date"], law["number"]))
    return out


def law_number(title: Optional[str], date: Optional[str] = None, year: Optional[int] = None) -> Optional[str]:
    """The number of the law with this title and date ("Luật Đầu tư công", "2019-06-13" ->
    "39/2019/QH14"); with no date, only a title with one version, or the version of that year."""
    if not title:
        return None
    versions = _by_title().get(title_key(title))
    if not versions:
        return None
    if date:
        hit = [n for d, n in versions if d == date]
        return hit[0] if hit else None
    if year:
        hit = [n for d, n in versions if int(d[:4]) == year]
        return hit[0] if len(hit) == 1 else None
    return versions[0][1] if len(versions) == 1 else None


def is_known_law(title: str) -> bool:
    return title_key(title) in _by_title()


# ---------------------------------------------------------------- citation identity

YEAR_IN_NUMBER = re.compile(r"^\d+[a-zđ]?/((?:19|20)\d\d)/")


def citation_key(ref) -> str:
    """The identity of a cited document, the same in every plan that cites it.

    - a number with its year ("24/2021/QH15", "10/2022/TT-BLĐTBXH"): the number key;
    - a number without one ("90/QĐ-TTg"): the number key and the year of the date,
      "90/qd-ttg@2022" (two 1600/QĐ-TTg of 2016 and 2023 are two documents), or the number
      key alone when the text gives no date (see `same_document`);
    - a law by title: the key of its number from data/laws.json ("Luật Đầu tư công" of
      13/6/2019 -> "39/2019/qh14", as "39/2019/QH14" cited by number);
    - any other document by title: "<type>:<title words>@<year>".
    `ref` is an extraction.model.Reference or a dict with the same keys.
    """
    get = ref.get if isinstance(ref, dict) else (lambda k: getattr(ref, k, None))
    number = get("number") or get("known_number")
    date = get("date")
    year = date[:4] if date else None
    if not number and get("title"):
        number = law_number(get("title"), date) if (get("doc_type") or "") == "Luật" else None
    if number:
        key = number_key(number)
        if YEAR_IN_NUMBER.match(key) or not year:
            return key
        return f"{key}@{year}"
    title = get("title") or ""
    kind = word_key(get("doc_type") or "").replace(" ", "-")
    return f"{kind}:{title_key(title)}" + (f"@{year}" if year else "")


def same_document(key_a: str, key_b: str) -> bool:
    """Two citation keys name one document: equal, or the same number (or title) where one
    side has no year (a citation without a date cannot be told apart from a dated one)."""
    if key_a == key_b:
        return True
    a, _, ya = key_a.partition("@")
    b, _, yb = key_b.partition("@")
    return a == b and (not ya or not yb)


_QUERY_DATE = re.compile(r"(?:ngày\s+)?(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*((?:19|20)\d\d)")
_QUERY_YEAR = re.compile(r"(?:năm\s+)((?:19|20)\d\d)\b")


def query_keys(text: str) -> list[str]:
    """The citation keys a user's query names, for `cites` and /api/references:
    "39/2019/QH14" and "Luật Đầu tư công 2019" -> ["39/2019/qh14"]; "Luật Đầu tư công" ->
    the keys of each version the gazetteer knows; "90/QĐ-TTg" -> ["90/qd-ttg"] (matches every
    year of that number, see `same_document`), "90/QĐ-TTg ngày 18/01/2022" -> ["90/qd-ttg@2022"].
    [] when the text names no document."""
    from .textkeys import canonical_number
    text = (text or "").strip()
    d = _QUERY_DATE.search(text)
    date = _iso(*d.groups()) if d else None
    y = _QUERY_YEAR.search(text)
    year = int(date[:4]) if date else (int(y.group(1)) if y else None)
    number = canonical_number(text)
    if number:
        return [citation_key({"number": number, "date": date})]
    m = _head_re().match(text + " ")
    if not m:
        return []
    kind = _type_of(m.group("word"))
    title = re.split(r"\s+(?:ngày|năm|số)\s+\d|\s+(?:19|20)\d\d\b|[;,(]", text)[0].strip()
    if kind["type"] == "Luật" and is_known_law(title):
        versions = _by_title()[title_key(title)]
        hits = [n for dd, n in versions if (date and dd == date) or (not date and year and int(dd[:4]) == year)]
        return [number_key(n) for n in (hits or ([] if (date or year) else [n for _, n in versions]))]
    return [citation_key({"number": None, "doc_type": kind["type"], "title": title,
                          "date": date or (f"{year}-01-01" if year else None)})]


# ---------------------------------------------------------------- finding titled citations

@dataclass
class TitledCite:
    start: int
    end: int  # end of the citation (title and date)
    doc_type: str
    title: str
    date: Optional[str]
    year: Optional[int]
    issuer: Optional[str]
    known_number: Optional[str]


@lru_cache(maxsize=1)
def _titled_types() -> list[dict]:
    return doc_type_data().get("titled_types", [])


@lru_cache(maxsize=1)
def _head_re() -> re.Pattern:
    words = sorted({w for t in _titled_types() for w in t["words"]}, key=len, reverse=True)
    return re.compile(r"(?<![\w/])(?P<word>" + "|".join(re.escape(w) for w in words) + r")[ \t]+(?=\S)")


def _head_matches(text: str) -> list[re.Match]:
    """Where a titled citation may start: the type words found by str.find (a regex tried at
    every offset of a long text costs milliseconds), then checked by the head pattern."""
    rx = _head_re()
    starts: set[int] = set()
    for w in {w for t in _titled_types() for w in t["words"]}:
        i = text.find(w)
        while i >= 0:
            starts.add(i)
            i = text.find(w, i + 1)
    out = [rx.match(text, i) for i in sorted(starts)]
    return [m for m in out if m and (m.start() == 0 or not re.match(r"[\w/]", text[m.start() - 1]))]


def _type_of(word: str) -> dict:
    return next(t for t in _titled_types() if word in t["words"])


_LEAD = re.compile(r"(?:^|[;:\n]|(?<!\w)(?:Căn cứ|căn cứ|Thực hiện|Theo|Xét|và|,))[ \t]*(?:các[ \t]+)?$")
_ITEM_START = re.compile(r"(?:^|[;:\n]|(?<!\w)(?:Căn cứ|căn cứ|Thực hiện|Theo))[ \t]*(?:các[ \t]+)?$")
# where a title ends: its date, its number, the end of the item or sentence
_TITLE_END = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:ngày[ \t\n]+\d|ngày[ \t]*$|số[ \t]*:?[ \t]*\d|năm[ \t]+(?:19|20)\d\d\b|(?:đã|được)[ \t]+(?:sửa đổi|Quốc hội)"
    r"|(?:của|do)[ \t]+Quốc hội|và[ \t]+(?:các|những)[ \t]+văn bản|hướng dẫn[ \t]+thi hành)"
    r"|[;(\n\"“”]|\.(?:\s|$)|:"
)
_DATE_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:ngày\s+)?(?P<d>\d{1,2})\s*(?:tháng\s*(?P<m1>\d{1,2})\s*năm\s*(?P<y1>\d{4})"
    r"|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))")
_YEAR_AFTER = re.compile(r"[ \t]*,?[ \t]*năm[ \t]+(?P<y>(?:19|20)\d\d)\b")
# "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương": two laws, unless the title
# is an amending law that names both
_AND_LAW = re.compile(r"[ \t]+và[ \t]+(?=Luật[ \t])")


def _iso(d: str, m: str, y: str) -> Optional[str]:
    import datetime as _dt
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def find_titled(text: str) -> list[TitledCite]:
    """Documents cited by title without a number, in text order."""
    out: list[TitledCite] = []
    pos = 0
    for m in _head_matches(text):
        if m.start() < pos:
            continue  # inside the previous title ("Luật sửa đổi ... của Luật Tổ chức Chính phủ")
        word = m.group("word")
        kind = _type_of(word)
        before = text[max(0, m.start() - 20): m.start()]
        item_start = bool(_ITEM_START.search(before))
        if kind.get("needs_lead") and not item_start:
            continue
        first = text[m.end(): m.end() + 12]
        if not (first[:1].isupper() or re.match(r"sửa đổi|hợp nhất", first) or kind.get("needs_lead") or kind.get("any_case")):
            continue  # "Luật này", "luật số ...": not a title
        end_m = _TITLE_END.search(text, m.end())
        t_end = end_m.start() if end_m else min(len(text), m.end() + 200)
        title = re.sub(r"\s+", " ", text[m.start(): t_end]).strip(" ,-")
        if len(title.split()) < 2 or len(title.split()) > 30:
            continue
        if re.match(r"[ \t]*,?[ \t]*số[ \t]*:?[ \t]*\d", text[t_end: t_end + 12]):
            continue  # "Luật Ngân sách nhà nước số 83/2015/QH13": a numbered citation
        parts = [title]
        if word.startswith("Luật") and not re.match(r"Luật sửa đổi", title, re.I) and _AND_LAW.search(title):
            parts = _AND_LAW.split(title)
        d = _DATE_AFTER.match(text, t_end)
        y = None if d else _YEAR_AFTER.match(text, t_end)
        date = _iso(d.group("d"), d.group("m1") or d.group("m2"), d.group("y1") or d.group("y2")) if d else None
        year = int(date[:4]) if date else (int(y.group("y")) if y else None)
        end = d.end() if d else (y.end() if y else t_end)
        for k, part in enumerate(parts):
            known = kind["type"] == "Luật" and is_known_law(part)
            # a title with nothing after it is a citation only where a citation begins, or
            # when it names a law the gazetteer knows
            if not (date or year or item_start or known):
                continue
            issuer = None
            if kind.get("issuer_from_title"):
                issuer = part.split(" ", len(kind["type"].split()))[-1].split(",")[0].strip() or None
            out.append(TitledCite(
                start=m.start() if k == 0 else m.start() + title.find(part),
                end=end, doc_type=kind["type"], title=part,
                date=date, year=year, issuer=issuer,
                known_number=law_number(part, date, year) if kind["type"] == "Luật" else None))
        pos = end
    return out
