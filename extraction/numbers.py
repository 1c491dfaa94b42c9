"""Vietnamese numbers: "162.756" is 162756, "3.230,38" is 3230.38, "5,3" is 5.3.

Vietnamese writes "." between thousands and "," before decimals. A few documents use the
English convention ("1,234,567" or "1,234.5"); it is recognised when unambiguous (several
"," groups of three digits, or "," groups followed by a "." decimal). Values are Decimal so
that money is exact: 3.230,38 tỷ đồng is exactly 3 230 380 000 000 đồng.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Optional

# A number as printed: thousands groups with "." (or "," or a space in tables), optional decimals.
NUMBER = r"(?<![\w/.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d/])|(?<![\w/.,])\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?(?![\d/])|(?<![\w/.,])\d+(?:[,.]\d+)?(?![\d/])"
NUMBER_RE = re.compile(NUMBER)

# Multipliers of the money words (lower case, tone-folded forms included).
MONEY_UNITS = {
    "đồng": 1, "đ": 1, "vnđ": 1, "vnd": 1,
    "nghìn đồng": 10**3, "ngàn đồng": 10**3, "ngđ": 10**3,
    "triệu đồng": 10**6, "triệu": 10**6, "triệu đ": 10**6, "trđ": 10**6, "tr.đ": 10**6, "tr đồng": 10**6, "tr. đồng": 10**6, "tr.đồng": 10**6,
    "tỷ đồng": 10**9, "tỉ đồng": 10**9, "tỷ": 10**9, "tỉ": 10**9, "tỷ đ": 10**9,
    "nghìn tỷ đồng": 10**12, "ngàn tỷ đồng": 10**12, "nghìn tỷ": 10**12, "ngàn tỷ": 10**12,
}


@lru_cache(maxsize=8192)  # the same figures and units recur through a plan (Decimal is immutable)
def parse_decimal(s: str, comma_thousands: bool = False) -> Optional[Decimal]:
    """'162.756' -> 162756, '3.230,38' -> 3230.38, '5,3' -> 5.3, '1,234,567' -> 1234567.

    A lone '.' followed by exactly three digits is a thousands separator ("1.683");
    otherwise it is a decimal point ("2.5"). A lone ',' is a decimal comma ("24,876" is
    24.876) unless `comma_thousands` says the text writes thousands that way ("1,941" is
    1941: see amounts, where the sums of the text decide). "24, 876" (a space typed after
    the comma) is 24,876. Returns None for what is not a number."""
    s = (s or "").strip().replace(" ", "").replace("\u00a0", "")
    if comma_thousands and re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return Decimal(s.replace(",", ""))
    if not s or not re.fullmatch(r"\d[\d.,]*", s) or s.endswith((".", ",")):
        return None
    dots, commas = s.count("."), s.count(",")
    try:
        if dots and commas:
            if s.rfind(",") > s.rfind("."):  # 3.230,38
                return Decimal(s.replace(".", "").replace(",", "."))
            return Decimal(s.replace(",", ""))  # 1,234.5
        if dots:
            groups = s.split(".")
            if dots > 1 or (len(groups[1]) == 3 and len(groups[0]) <= 3):
                if all(len(g) == 3 for g in groups[1:]):
                    return Decimal(s.replace(".", ""))
                return None
            return Decimal(s)
        if commas:
            groups = s.split(",")
            if commas > 1:
                if all(len(g) == 3 for g in groups[1:]):
                    return Decimal(s.replace(",", ""))
                return None
            return Decimal(s.replace(",", "."))
        return Decimal(s)
    except InvalidOperation:
        return None


def parse_number(s: str) -> Optional[float]:
    d = parse_decimal(s)
    return float(d) if d is not None else None


@lru_cache(maxsize=1024)
def money_unit(word: str) -> Optional[int]:
    """Multiplier of a money unit as written ("triệu đồng" -> 10**6), None if not money."""
    w = re.sub(r"\s+", " ", (word or "").strip().lower())
    return MONEY_UNITS.get(w)


def to_vnd(number: str, unit: str, comma_thousands: bool = False) -> Optional[int]:
    """'162.756', 'triệu đồng' -> 162756000000 (exact, rounded to the đồng)."""
    d = parse_decimal(number, comma_thousands)
    mult = money_unit(unit)
    if d is None or mult is None:
        return None
    return int((d * mult).to_integral_value())
