"""Targets, the word lists (data/target_units.json) compiled once: units, goal zones, budget
words, support and allocation verbs. Used by targets and its helpers.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA = Path(__file__).parent / "data" / "target_units.json"

NUM = r"\d+(?:[.,]\d+)*"


@dataclass
class Units:
    percent: list
    per_unit: list
    count: list
    zone_title_re: re.Pattern
    zone_word_re: re.Pattern
    budget_re: re.Pattern
    target_re: re.Pattern
    unit_of: dict = None  # casefolded matched count -> the unit it is reported in
    action_verbs: tuple = ()  # verbs of support: "hỗ trợ ... cho 35 hộ"
    allocation_re: Optional[re.Pattern] = None  # "Tập trung nguồn lực cho ..." opening the piece
    result_re: Optional[re.Pattern] = None  # "đạt", "giảm", "được": what a goal states
    money_goal_re: Optional[re.Pattern] = None  # "thu nhập", "GRDP": a money figure that is a goal
    zone_anywhere_re: Optional[re.Pattern] = None  # "chỉ tiêu chủ yếu" anywhere in a title or lead line
    not_zone_re: Optional[re.Pattern] = None  # "kết quả": a title of results, not goals
    zone_words: tuple = ()  # lower case, for a quick substring test before zone_word_re
    allocation_to_re: Optional[re.Pattern] = None  # "Nguồn vốn ... được phân bổ cho" ending the piece
    zone_hits: dict = field(default_factory=dict, repr=False, compare=False)  # text -> has_zone_word

    def has_zone_word(self, text: str) -> bool:
        """A goal word ("phấn đấu", "đặt mục tiêu") in the text; a substring test first (most clauses have none)."""
        hit = self.zone_hits.get(text)
        if hit is None:  # a clause is asked again by every figure in it: once
            if len(self.zone_hits) > 4096:
                self.zone_hits.clear()
            hit = self.zone_hits[text] = bool(self.zone_words) and bool(_any_of(self.zone_words).search(text.lower())) \
                and bool(self.zone_word_re.search(text))
        return hit


@lru_cache(maxsize=8)
def _any_of(words: tuple) -> re.Pattern:
    """Any of the words as a substring: one search in C instead of a Python step per word."""
    return re.compile("|".join(map(re.escape, words)))


def _unit_alt(units) -> str:
    out = []
    for u in sorted(units, key=len, reverse=True):
        parts = [re.escape(p) for p in re.split(r"\s+", u)]
        out.append(r"\s+".join(parts).replace(r"/", r"\s*/\s*"))
    return "|".join(out)


@lru_cache(maxsize=1)
def units() -> Units:
    try:
        d = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RuntimeError(f"{DATA}: cannot read target units: {e}") from e
    for k in ("percent", "per_unit", "count", "zone_titles", "zone_words", "budget_words"):
        if k not in d:
            raise RuntimeError(f"{DATA}: missing key {k!r}")
    zone_title_re = re.compile(
        r"^\W*(?:" + "|".join(re.escape(t) for t in sorted(d["zone_titles"], key=len, reverse=True)) + r")(?!\s+quốc gia)\b",
        re.I)
    zone_word_re = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["zone_words"]) + r")\b", re.I)
    budget_re = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["budget_words"]) + r")\b", re.I)
    pct = "|".join(re.escape(p) for p in d["percent"])
    target_re = re.compile(
        r"(?=\d)(?<![\w/.,])(?P<num>" + NUM + r")(?:/(?P<of>\d{1,3})(?=\s))?(?![\d/])"
        r"(?:\s*(?:%|phần trăm)?\s*(?:-|đến)\s*(?P<num2>" + NUM + r"))?"
        r"\s*(?:(?P<pct>" + pct + r")(?P<pct_year>\s*/\s*(?:năm|tháng))?"
        r"|(?P<per>" + _unit_alt(d["per_unit"]) + r")"
        + (r"|(?P<money>" + _unit_alt(d["money_units"]) + r")(?![\w/])" if d.get("money_units") else r"(?P<money>(?!))") +
        r"|(?P<count>" + _unit_alt(d["count"]) + r")(?![\w/]))",
        re.I)
    unit_of = {k.casefold(): v for k, v in d.get("unit_of", {}).items()}
    verbs = tuple(sorted(d.get("action_verbs", []), key=len, reverse=True))
    alloc = sorted(d.get("allocation_verbs", []), key=len, reverse=True)
    allocation_re = re.compile(r"^\W*(?:" + "|".join(map(re.escape, alloc)) + r")(?!\w)", re.I) if alloc else None
    results = sorted(d.get("result_verbs", []), key=len, reverse=True)
    result_re = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, results)) + r")(?!\w)", re.I) if results else None
    return Units(d["percent"], d["per_unit"], d["count"], zone_title_re, zone_word_re, budget_re, target_re, unit_of, verbs,
                 allocation_re, result_re, _alt(d.get("money_goal_words")), _alt(d.get("zone_title_words")),
                 _alt(d.get("not_zone_titles")), tuple(w.lower() for w in d["zone_words"]),
                 _allocation_to(d.get("resource_words"), d.get("allocation_to_verbs")))


def _allocation_to(resources, verbs) -> Optional[re.Pattern]:
    if not resources or not verbs:
        return None
    alt = lambda ws: "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))  # noqa: E731
    return re.compile(r"(?<!\w)(?:" + alt(resources) + r")(?!\w).*(?<!\w)(?:" + alt(verbs) + r")\s+(?:cho|về|tới)"
                      r"(?:\s+(?:các|mỗi))?\s*$", re.I | re.S)


def _alt(words) -> Optional[re.Pattern]:
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)", re.I)


def is_allocation(pre: str, u: Units) -> bool:
    """The sentence piece before a number opens with an allocation verb and states no result:
    "Tập trung nguồn lực cho 03 huyện nghèo" says where resources go, not what is reached."""
    if u.allocation_to_re is not None and u.allocation_to_re.search(pre):
        return True  # "Nguồn vốn đầu tư được phân bổ cho 9 huyện": who receives the money, no goal
    if u.allocation_re is None:
        return False
    pre = strip_label(pre)
    m = u.allocation_re.match(pre)
    if not m:
        return False
    rest = pre[m.end():]
    if u.result_re and u.result_re.search(rest):
        return False
    return not any(re.search(r"(?<!\w)" + re.escape(v) + r"(?!\w)", rest, re.I) for v in u.action_verbs)


_LABEL_RE = re.compile(r"^\s*(?:[-+•*]\s*|\(\d+\)\s*|[IVX]+\.\s+|\d+(?:\.\d+)*\.?\)?\s+|[a-zđ]\)\s*)")


def strip_label(s: str) -> str:
    return _LABEL_RE.sub("", s, count=1)
