"""Budget checks: per scope, NSTW + NSĐP + khác = total, and đầu tư + sự nghiệp = its source.

Only figures the text states are compared; a check needs the stated whole and at least two
parts (one part alone is often an unitemized remainder, not an error), except that a single
part larger than its whole is always reported.

A whole the text splits into named parts that are not sources ("5.050 tỷ đồng, trong đó vốn
trong nước 3.000 tỷ đồng, vốn nước ngoài 2.050 tỷ đồng"; the words are data in
data/budget_parts.json) is checked against those parts, and the sources are then checked
against the domestic part (NSTW and NSĐP are domestic money) rather than the whole. A mismatch
that no named part explains is still reported. Messages are Vietnamese: an officer reads them.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from .model import Amount, Capital, Check, CheckKind, Source
from .textkeys import fold

_PARTS = (Source.NSTW, Source.NSDP, Source.KHAC)
_DATA = Path(__file__).parent / "data" / "budget_parts.json"
_BEFORE, _AFTER = 60, 30  # characters read around a figure for the words naming its part
_CUT = re.compile(r"[;.\n:(]|\d")  # the words of a part stay inside its own clause


def _fmt(vnd: int) -> str:
    """VND as the plans write it: 162.756 triệu đồng."""
    if vnd % 10**6 == 0:
        return f"{vnd // 10**6:,}".replace(",", ".") + " triệu đồng"
    return f"{vnd:,}".replace(",", ".") + " đồng"


def _scope_label(scope: str) -> str:
    return "Toàn kế hoạch" if scope == "total" else scope


@lru_cache(maxsize=1)
def _named_parts() -> list[tuple[str, bool, tuple[str, ...]]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return [(p["label"], bool(p["domestic"]), tuple(sorted((fold(w) for w in p["words"]), key=len, reverse=True)))
            for p in data["parts"]]


def part_of(text: str, a: Amount) -> Optional[tuple[str, bool]]:
    """(label, domestic) of the named part a figure is, from the words in its clause, or None."""
    if not text or a.start < 0 or a.end > len(text):
        return None
    before = fold(text[max(0, a.start - _BEFORE):a.start])
    cuts = list(_CUT.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    after = fold(text[a.end:a.end + _AFTER])
    m = _CUT.search(after)
    after = after[:m.start()] if m else after
    after = after.lstrip(" ")  # "3.000 tỷ đồng vốn trong nước": the words right after name it first;
    for label, domestic, words in _named_parts():  # after a comma they belong to the next figure
        if any(after.startswith(w) for w in words):
            return label, domestic
    best: Optional[tuple[int, str, bool]] = None
    for label, domestic, words in _named_parts():
        for w in words:
            i = before.rfind(w)
            if i >= 0 and (best is None or i > best[0]):
                best = (i, label, domestic)
    return (best[1], best[2]) if best else None


def check_budget(amounts: Iterable[Amount], text: str = "") -> list[Check]:
    # first stated figure per (scope, source, capital): the plan's own figure comes first;
    # "khác" is a catch-all: its items (lồng ghép, tín dụng, doanh nghiệp ...) add up
    figs: dict[tuple[str, str, Optional[str]], int] = {}
    named: dict[str, dict[str, tuple[int, bool]]] = {}  # scope -> label -> (value, domestic)
    scopes: list[str] = []
    for a in amounts:
        k = (a.scope, a.source, a.capital)
        part = part_of(text, a) if (text and a.source == Source.TOTAL and a.capital is None) else None
        if part is not None:
            named.setdefault(a.scope, {}).setdefault(part[0], (a.value_vnd, part[1]))
        elif a.source == Source.KHAC and k in figs:
            figs[k] += a.value_vnd
        else:
            figs.setdefault(k, a.value_vnd)
        if a.scope not in scopes:
            scopes.append(a.scope)
    out: list[Check] = []
    for scope in scopes:
        label = _scope_label(scope)
        # a source stated only as its capital split counts as the sum of the split
        src_value: dict[str, int] = {}
        for src in (Source.TOTAL,) + _PARTS:
            whole = figs.get((scope, src, None))
            inv, rec = figs.get((scope, src, Capital.DAU_TU)), figs.get((scope, src, Capital.SU_NGHIEP))
            if whole is not None:
                src_value[src] = whole
                if inv is not None and rec is not None:
                    out.append(_check(scope, CheckKind.CAPITAL, src, whole, inv + rec,
                                      f"{label} {src}: đầu tư {_fmt(inv)} + sự nghiệp {_fmt(rec)}"))
            elif inv is not None or rec is not None:
                src_value[src] = (inv or 0) + (rec or 0)
        total = figs.get((scope, Source.TOTAL, None))
        split = named.get(scope, {})
        if total is not None and len(split) >= 2:
            detail = " + ".join(f"{n} {_fmt(v)}" for n, (v, _) in split.items())
            out.append(_check(scope, CheckKind.SOURCES, None, total, sum(v for v, _ in split.values()),
                              f"{label}: {detail}"))
        parts = {s: src_value[s] for s in _PARTS if s in src_value}
        if total is None or not parts:
            continue
        computed = sum(parts.values())
        if len(parts) >= 2 or computed > total:
            detail = " + ".join(f"{s} {_fmt(v)}" for s, v in parts.items())
            stated, whole_name = total, ""
            domestic = [(n, v) for n, (v, d) in split.items() if d]
            foreign = sum(v for v, d in split.values() if not d)
            if computed != total and domestic:  # NSTW + NSĐP + khác make the domestic part
                (whole_name, stated), = domestic[:1]
            elif computed != total and foreign and not domestic and total - foreign == computed:
                whole_name, stated = "phần vốn trong nước (tổng trừ vốn nước ngoài)", computed
            if whole_name:
                out.append(_check(scope, CheckKind.SOURCES, None, stated, computed,
                                  f"{label}: {detail}", whole=f"{whole_name} {_fmt(stated)}"))
            else:
                out.append(_check(scope, CheckKind.SOURCES, None, total, computed, f"{label}: {detail}"))
    return out


def _check(scope: str, kind: CheckKind, source: Optional[str], stated: int, computed: int, parts: str,
           whole: str = "") -> Check:
    ok = stated == computed
    if ok:
        msg = f"{parts} = {whole or _fmt(stated)}"
    else:
        msg = (f"{parts} = {_fmt(computed)}, nhưng văn bản ghi {whole or _fmt(stated)} "
               f"(chênh lệch {_fmt(abs(stated - computed))})")
    return Check(scope=scope, kind=kind, source=source, stated=stated, computed=computed, ok=ok, message=msg)
