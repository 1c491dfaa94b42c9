"""What a budget figure takes from the whole text, not from its own sentence (used by amounts).

- Kind of text: a portal or press page (no "Số: ...", no KẾ HOẠCH / QUYẾT ĐỊNH line, no issuer
  block) reports allocations in prose; its headline repeats, rounded, a figure of the body
  ("Phân bổ trên 92 tỷ đồng ..."), so figures count from the first real paragraph on, and the
  figures it reports, disbursed ones included, are its amounts.
- Capital of the title: "Phân bổ nguồn kinh phí sự nghiệp ...", "Giao kế hoạch chi tiết vốn đầu
  tư phát triển ...": when the title names one capital kind and the body never names the
  other, every figure of the text is of that kind.
- Source of the title or lead: "phân bổ chi tiết kế hoạch vốn sự nghiệp nguồn ngân sách Trung ương
  năm 2023 ...": when the title or the lead sentence names one source and the rest of the text
  never names it again, a figure that names no source of its own is of that source (the rest
  naming it again, "trong đó NSTW 90 tỷ, NSĐP 10 tỷ", means the figures say their own).
- Comma thousands: "1,941 tỷ" is 1.941 tỷ by the Vietnamese convention, but some pages write
  thousands with a comma. The sums of the text decide: when reading "X,ddd" as thousands makes
  a figure the sum of two others ("1,110 + 831 = 1,941") and the decimal reading makes fewer
  such sums, the text writes thousands with a comma.
- Several programs: a text that gives a figure for each of two or more programs ("trong đó
  Chương trình MTQG giảm nghèo bền vững là 356.393 triệu đồng; ...") scopes each program's
  figure `gnbv` / `ntm` / `dtts`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Optional

from . import programs
from .numbers import money_unit, parse_decimal

# a formal document's header: number line, doc-type line, issuer block or national motto
_FORMAL_RE = re.compile(
    r"^[ \t#*|>]*(?:Số\s*[:.]|SỐ\s*[:.]|CỘNG HÒA|CỘNG HOÀ|Độc lập\s*-|(?:ỦY|UỶ) BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|"
    r"(?:KẾ HOẠCH|QUYẾT ĐỊNH|BÁO CÁO|NGHỊ QUYẾT|TỜ TRÌNH|CÔNG VĂN|HƯỚNG DẪN|ĐỀ ÁN|THÔNG BÁO)\b)", re.M)
_DOC_LINE_RE = re.compile(
    r"^[ \t#*|]*(?:KẾ HOẠCH|QUYẾT ĐỊNH|BÁO CÁO|NGHỊ QUYẾT|TỜ TRÌNH|HƯỚNG DẪN|ĐỀ ÁN|CHƯƠNG TRÌNH)\b[^\n]*$", re.M)
_BASIS_RE = re.compile(r"^\s*(?:Căn cứ|Xét|Theo đề nghị|Thực hiện)\b", re.I)
# a paragraph of the page: a long line that ends a sentence
_PARAGRAPH_RE = re.compile(r"^[ \t]*(\S[^\n]{38,}?[.:;!?…])[ \t]*$", re.M)
_COMMA3_RE = re.compile(r"^\d{1,3},\s?\d{3}$")


@dataclass
class DocContext:
    is_page: bool = False
    body_start: int = 0
    title: str = ""
    capital: Optional[str] = None
    source: Optional[str] = None  # NSTW / NSĐP named once by the title or lead sentence
    comma_thousands: bool = False


def doc_context(text: str, header_end: int, money_matches: list, capital_rx: list, not_capital,
                source_rx: Optional[list] = None) -> DocContext:
    """`money_matches`: the money figures of the text (re.Match with groups num, unit)."""
    head = text[:1500]
    ctx = DocContext(body_start=header_end)
    if not _FORMAL_RE.search(head):
        ctx.is_page = True
        para = _PARAGRAPH_RE.search(text)
        ctx.body_start = para.start(1) if para else 0
        ctx.title = text[:ctx.body_start]
    else:
        ctx.title = _formal_title(text[:header_end])
    ctx.capital = _title_capital(ctx.title, text[ctx.body_start:], capital_rx, not_capital)
    if ctx.is_page and ctx.capital is None and not _kinds(ctx.title, capital_rx, not_capital):
        # "UBND tỉnh vừa ban hành Quyết định ... phân bổ vốn sự nghiệp năm 2023 ...": the lead paragraph
        # says what the page's figures are when the headline does not
        lead = text[ctx.body_start:text.find("\n", ctx.body_start) % (len(text) + 1)]
        ctx.capital = _title_capital(lead, text[ctx.body_start:], capital_rx, not_capital)
    if source_rx:
        lead_end = _lead_end(text, ctx.body_start)
        ctx.source = _title_source(ctx.title + "\n" + text[ctx.body_start:lead_end], text[lead_end:], source_rx)
    ctx.comma_thousands = _comma_thousands([m for m in money_matches if m.start() >= ctx.body_start])
    return ctx


def _formal_title(header: str) -> str:
    """The title lines under "KẾ HOẠCH" / "QUYẾT ĐỊNH" (up to the căn cứ or a blank line)."""
    m = _DOC_LINE_RE.search(header)
    if not m:
        return ""
    lines = [m.group(0)]
    for ln in header[m.end():].split("\n")[1:]:
        if not ln.strip():
            if len(lines) > 1:
                break
            continue
        if _BASIS_RE.match(ln) or len(lines) > 4:
            break
        lines.append(ln)
    return "\n".join(lines)


def _kinds(s: str, capital_rx: list, not_capital) -> set:
    s = not_capital.sub(lambda x: " " * len(x.group()), s)
    return {k for k, rx in capital_rx if rx.search(s)}


def _title_capital(title: str, body: str, capital_rx: list, not_capital) -> Optional[str]:
    named = _kinds(title, capital_rx, not_capital)
    if len(named) != 1:
        return None
    cap = next(iter(named))
    if _kinds(body, capital_rx, not_capital) - {cap}:
        return None  # the body names the other kind too: each figure says its own
    return cap


def _lead_end(text: str, start: int) -> int:
    """End of the first sentence of the body (lines are often hard-wrapped inside it)."""
    m = re.compile(r"[.!?…](?=\s)|\n\s*\n").search(text, start)
    return m.end() if m else len(text)


def _title_source(lead: str, rest: str, source_rx: list) -> Optional[str]:
    named = {k for k, rx in source_rx if k not in ("total", "khác") and rx.search(lead)}
    if len(named) != 1:
        return None
    src = next(iter(named))
    if dict(source_rx)[src].search(rest):
        return None  # the body names it again: each figure says its own
    return src


def _comma_thousands(ms: list) -> bool:
    figs = []  # (ambiguous, decimal reading, thousands reading) in đồng
    for m in ms:
        mult = money_unit(m.group("unit"))
        num = m.group("num")
        if not mult:
            continue
        amb = bool(_COMMA3_RE.match(num))
        d = parse_decimal(num)
        t = parse_decimal(num, comma_thousands=True) if amb else d
        if d is None or t is None:
            continue
        figs.append((amb, d * mult, t * mult))
    if not any(f[0] for f in figs):
        return False
    dec = thou = 0
    n = len(figs)
    for k in range(n):
        lo, hi = max(0, k - 8), min(n, k + 9)
        for i in range(lo, hi):
            for j in range(i + 1, hi):
                if k in (i, j) or not (figs[i][0] or figs[j][0] or figs[k][0]):
                    continue
                dec += _sums(figs[i][1], figs[j][1], figs[k][1])
                thou += _sums(figs[i][2], figs[j][2], figs[k][2])
    return thou > dec


def _sums(a: Decimal, b: Decimal, c: Decimal) -> bool:
    return c > 0 and abs(a + b - c) <= c * Decimal("0.0005")


@lru_cache(maxsize=4096)  # asked for every figure; the phrases recur (a plan's sums, a generator's sentences)
def program_of(phrase: str) -> Optional[str]:
    """The one program a phrase names ("Chương trình MTQG giảm nghèo bền vững là"), else None."""
    low = phrase.lower()
    named = {code for code in programs.codes() if any(p in low for p in programs.patterns(code))}
    return named.pop() if len(named) == 1 else None
