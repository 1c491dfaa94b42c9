"""Budget checks: per scope, NSTW + NSĐP + khác = total, and đầu tư + sự nghiệp = its source.

Only figures the text states are compared; a check needs the stated whole and at least two
parts (one part alone is often an unitemized remainder, not an error), except that a single
part larger than its whole is always reported.
"""
from __future__ import annotations

from typing import Iterable, Optional

from .model import Amount, Capital, Check, CheckKind, Source

_PARTS = (Source.NSTW, Source.NSDP, Source.KHAC)


def _fmt(vnd: int) -> str:
    """VND as the plans write it: 162.756 triệu đồng."""
    if vnd % 10**6 == 0:
        return f"{vnd // 10**6:,}".replace(",", ".") + " triệu đồng"
    return f"{vnd:,}".replace(",", ".") + " đồng"


def check_budget(amounts: Iterable[Amount]) -> list[Check]:
    # first stated figure per (scope, source, capital): the plan's own figure comes first;
    # "khác" is a catch-all: its items (lồng ghép, tín dụng, doanh nghiệp ...) add up
    figs: dict[tuple[str, str, Optional[str]], int] = {}
    scopes: list[str] = []
    for a in amounts:
        k = (a.scope, a.source, a.capital)
        if a.source == Source.KHAC and k in figs:
            figs[k] += a.value_vnd
        else:
            figs.setdefault(k, a.value_vnd)
        if a.scope not in scopes:
            scopes.append(a.scope)
    out: list[Check] = []
    for scope in scopes:
        # a source stated only as its capital split counts as the sum of the split
        src_value: dict[str, int] = {}
        for src in (Source.TOTAL,) + _PARTS:
            whole = figs.get((scope, src, None))
            inv, rec = figs.get((scope, src, Capital.DAU_TU)), figs.get((scope, src, Capital.SU_NGHIEP))
            if whole is not None:
                src_value[src] = whole
                if inv is not None and rec is not None:
                    out.append(_check(scope, CheckKind.CAPITAL, src, whole, inv + rec,
                                      f"{scope} {src}: đầu tư {_fmt(inv)} + sự nghiệp {_fmt(rec)}"))
            elif inv is not None or rec is not None:
                src_value[src] = (inv or 0) + (rec or 0)
        total = figs.get((scope, Source.TOTAL, None))
        parts = {s: src_value[s] for s in _PARTS if s in src_value}
        if total is None or not parts:
            continue
        computed = sum(parts.values())
        if len(parts) >= 2 or computed > total:
            detail = " + ".join(f"{s} {_fmt(v)}" for s, v in parts.items())
            out.append(_check(scope, CheckKind.SOURCES, None, total, computed, f"{scope}: {detail}"))
    return out


def _check(scope: str, kind: CheckKind, source: Optional[str], stated: int, computed: int, parts: str) -> Check:
    ok = stated == computed
    if ok:
        msg = f"{parts} = {_fmt(stated)}"
    else:
        msg = f"{parts} = {_fmt(computed)}, but the text states {_fmt(stated)} (difference {_fmt(abs(stated - computed))})"
    return Check(scope=scope, kind=kind, source=source, stated=stated, computed=computed, ok=ok, message=msg)
