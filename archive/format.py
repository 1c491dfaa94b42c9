"""Numbers as a Vietnamese reader writes them: 13.260 (thousands with dots), 5,3 (decimal comma).

"13,260" reads as thirteen point two six to an officer, so every figure a person reads goes
through here (CLI tables, messages). CSV cells stay plain ("13260", "5.3") for spreadsheets.
"""
from __future__ import annotations

from typing import Optional


def vn_number(x: Optional[float], decimals: int = 3) -> str:
    """13260 -> '13.260'; 5.3 -> '5,3'; 1234.5 -> '1.234,5'; None -> '–'. Trailing zeros dropped."""
    if x is None:
        return "–"
    s = f"{x:,.{decimals}f}" if decimals else f"{x:,.0f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vn_million(vnd: Optional[int]) -> str:
    """đồng -> million đồng in Vietnamese notation: 13260000000 -> '13.260'."""
    return "–" if vnd is None else vn_number(vnd / 1_000_000)


def vn_percent(x: Optional[float], decimals: int = 1) -> str:
    """5.3 -> '5,3%'."""
    return "–" if x is None else vn_number(x, decimals) + "%"


def plain_million(vnd: Optional[int]) -> str:
    """đồng -> million đồng for a CSV cell: no thousands separator, a dot for decimals ('13260', '4.55')."""
    if vnd is None:
        return ""
    m = vnd / 1_000_000
    return str(int(m)) if m == int(m) else f"{m:.3f}".rstrip("0").rstrip(".")
