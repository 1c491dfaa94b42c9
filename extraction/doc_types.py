"""Document types, numbers and dates as plans cite them: the vocabulary of the references stage.

Types and symbols are data (data/doc_types.json); the number pattern allows the spaces and
line breaks that PDF conversions put around separators.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .textkeys import UPPER, LOOSE_NUMBER_RE, canonical_part, doc_type_data

# A number: digits (+ letter: "219a"), optional year, then the symbol parts. Spaces around the
# separators occur in PDF conversions ("343 /KH-UBND", "10 -NQ/TU").
# symbol parts: capitals (Vietnamese ones too: "ƯDCNTT"), lower case only ASCII and đ ("TTg",
# "QĐi"), so a following word ("Về") is never taken for a part
_PART = rf"[{UPPER}][{UPPER}a-zđ&]*\d*"
NUMBER_RE = re.compile(
    r"(?P<num>\d(?<![\w/.-]\d)\d{0,4}[a-zđ]?)"  # what precedes is tested after the first digit: a fast scan
    r"(?:\s*/\s*(?P<year>(?:19|20)\d\d))?"
    r"[ ]?(?P<sep>[/-])[ ]?"
    rf"(?P<sym>{_PART}(?:[ ]?[-/]\n?[ ]?{_PART})*)"  # a symbol broken after its dash: "90/QĐ-" / "TTg"
)
_LOOSE_RE = LOOSE_NUMBER_RE
_DATA_PATH = Path(__file__).parent / "data" / "doc_types.json"

_DATE_RE = re.compile(
    r"(?P<d>\d{1,2})\s*(?:tháng\s*(?P<m1>\d{1,2})\s*năm\s*(?P<y1>\d{4})"
    r"|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))"
)
_AFTER_DATE_RE = re.compile(r"\s*,?\s*(?:(?:ban hành\s+)?ngày\s+)?(?=\d)", re.I)


@dataclass(frozen=True)
class DocType:
    name: str
    words: tuple[str, ...]
    symbols: tuple[str, ...]
    capitalized: bool = False


_data = doc_type_data


@lru_cache(maxsize=1)
def doc_types() -> tuple[DocType, ...]:
    return tuple(
        DocType(t["name"], tuple(t["words"]), tuple(t.get("symbols", [])), bool(t.get("capitalized")))
        for t in _data()["types"]
    )


@lru_cache(maxsize=1)
def _type_by_symbol() -> dict[str, str]:
    out: dict[str, str] = {}
    for t in doc_types():
        for s in t.symbols:
            out.setdefault(s, t.name)
    return out


@lru_cache(maxsize=1)
def _type_by_word() -> dict[str, str]:
    return {w: t.name for t in doc_types() for w in t.words}


def type_from_symbol(number: str) -> Optional[str]:
    """Document type a number's symbol gives: 90/QĐ-TTg -> Quyết định, 237-KH/HU -> Kế hoạch,
    4824/UBND-VX (issuer first, the công văn form) -> Công văn; None when it says nothing."""
    m = _LOOSE_RE.search(number)
    if not m:
        return None
    parts = [p for p in re.split(r"\s*[-/]\s*", m.group("sym")) if p]
    by_symbol = _type_by_symbol()
    first = canonical_part(parts[0])
    if first in by_symbol:
        return by_symbol[first]
    letters = re.sub(r"\d+$", "", first)
    if letters in _data()["issuers"] and m.group("sep") == "/" and not m.group("year") and len(parts) >= 2:
        for p in parts[1:]:
            if canonical_part(p) in by_symbol:
                return by_symbol[canonical_part(p)]
        return _type_by_symbol().get("CV")
    return None


def _iso(day: str, month: str, year: str) -> Optional[str]:
    try:
        d = _dt.date(int(year), int(month), int(day))
    except ValueError:  # "31 tháng 02": a typo, not a date
        return None
    return d.isoformat() if 1900 <= d.year <= 2100 else None


def parse_date(s: str) -> Optional[str]:
    """ "05 tháng 7 năm 2022", "01/7/2022", "18-01-2022" at the start of s -> ISO, else None."""
    m = _DATE_RE.match(s)
    if not m:
        return None
    return _iso(m.group("d"), m.group("m1") or m.group("m2"), m.group("y1") or m.group("y2"))


def _date_after(text: str, pos: int) -> tuple[Optional[str], int]:
    m = _AFTER_DATE_RE.match(text, pos)
    if not m:
        return None, pos
    d = _DATE_RE.match(text, m.end())
    if not d:
        return None, pos
    # a bare "18/01/2022" must follow directly, "ngày" may introduce either form
    return _iso(d.group("d"), d.group("m1") or d.group("m2"), d.group("y1") or d.group("y2")), d.end()


_DATED_SUBJECT_RE = re.compile(r"^(?:(?:Vào|Hôm nay,?)\s+)?(?i:ngày)\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*\d{4}|tháng\s*\d{1,2}\s*năm\s*\d{4})\s*,?\s*")
