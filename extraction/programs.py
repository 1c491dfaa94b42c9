"""The national target programs and their component projects (data/programs.json).

A Dự án is identified by program and number: `component("gnbv", "DA5")` is housing,
`component("dtts", "DA5")` is education. Used by structure (names, validation) and by
compare / synth (labels).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Optional

_PATH = Path(__file__).parent / "data" / "programs.json"


@lru_cache(maxsize=1)
def load() -> dict:
    data = json.loads(_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def codes() -> list[str]:
    return list(load())


def name(program: str) -> Optional[str]:
    p = load().get(program)
    return p["name"] if p else None


def components(program: str) -> dict[str, str]:
    """scope id -> official name, in the decision's order."""
    p = load().get(program)
    return dict(p["components"]) if p else {}


def component(program: Optional[str], scope_id: str) -> Optional[str]:
    """Official name of a component ("DA5", "DA1.TDA2") of a program, or None if unknown."""
    if not program:
        return None
    return components(program).get(scope_id)


def patterns(program: str) -> list[str]:
    p = load().get(program)
    return list(p.get("patterns", [])) if p else []


def max_number(program: Optional[str]) -> Optional[int]:
    """Highest Dự án number of a program (7 for gnbv, 10 for dtts), None if unknown."""
    comps = components(program) if program else {}
    nums = [int(k[2:]) for k in comps if k.startswith("DA") and "." not in k]
    return max(nums) if nums else None


def _words(s: str) -> set:
    import re

    return set(re.findall(r"\w+", s.lower()))


def match(program: Optional[str], label: str, within: Optional[str] = None, min_score: float = 0.6) -> Optional[str]:
    """The component whose official name the label repeats ("Cải thiện dinh dưỡng" -> "DA3.TDA2").

    Share of the name's words in the label; with `within` ("DA3") only that Dự án's Tiểu dự án
    are candidates. None when nothing is close enough."""
    import re

    words = _words(re.sub(r"^\s*[\dIVX.)]+\s*", "", label))
    if not program or len(words) < 2:
        return None
    best, best_score = None, 0.0
    for sid, name in components(program).items():
        if within and not sid.startswith(within + "."):
            continue
        nw = _words(name)
        # how much of the official name the label repeats; a label much longer than the
        # name is scored by overlap of both (Jaccard)
        score = len(words & nw) / len(nw) if len(words) <= 2 * len(nw) else len(words & nw) / len(words | nw)
        if score > best_score:
            best, best_score = sid, score
    return best if best_score >= min_score else None
