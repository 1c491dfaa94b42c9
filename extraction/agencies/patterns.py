"""Agency gazetteer (extraction/data/agencies.json) compiled to patterns, and where to try them.

A variant becomes a regex with flexible spacing, '-'/','/'và'/'&' interchangeable, and either
tone placement; each core pattern (central body, named body, head + sector, office, steering
committee, open head) keeps what it means (`Core`) and the words a mention can start with.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Optional

from ..nlp import match_words, phrase_matcher
from ..textkeys import TONE_PAIRS, fold

DATA = Path(__file__).resolve().parent.parent / "data" / "agencies.json"

_WORD_CHAR = re.compile(r"[\w]")

# Old tone placement, also in capitals the normalizer leaves alone ("UỶ BAN", "THANH HOÁ").
_OLD_TONES = {new: old for old, new in TONE_PAIRS.items() if old.islower()}  # "ủy" -> "uỷ"


def _tone_alt(literal: str) -> str:
    """An escaped literal where each new-style tone pair also matches the old style."""
    out, i = [], 0
    low = literal.lower()
    while i < len(literal):
        pair = low[i:i + 2]
        if pair in _OLD_TONES:
            out.append(f"(?:{literal[i:i + 2]}|{_OLD_TONES[pair]})")
            i += 2
        else:
            out.append(literal[i])
            i += 1
    return "".join(out)


def _flex(variant: str) -> str:
    """A variant as a regex: any spacing, '-'/',' and 'và'/'&' interchangeable."""
    parts = re.split(r"(\s+-\s+|\s*,\s+|\s+và\s+|\s+)", variant.strip())
    out = []
    for p in parts:
        if not p:
            continue
        if p.strip() in ("-", ",", "và"):
            # "Lao động - TBXH", "LĐ-TB&XH", "Văn hóa, Thể thao và Du lịch": separators vary
            out.append(r"\s*(?:[-,&]|và)\s*")
        elif p.isspace():
            out.append(r"\s+")
        else:
            out.append(_tone_alt(re.escape(p)))
    return "".join(out)


def _alt(variants) -> str:
    vs = sorted({v for v in variants}, key=len, reverse=True)
    return "(?:" + "|".join(_flex(v) for v in vs) + ")"


@dataclass(frozen=True)
class Core:
    """What a core pattern means. type: central | steering | office | body | field | open."""
    type: str
    name: Optional[str] = None  # canonical name (central, body)
    kind: Optional[str] = None  # "UBND", "Sở", "Chính phủ", ...
    level: Optional[str] = None  # level the head implies (field heads, bodies)
    head: Optional[str] = None  # "Sở" of a field head, "Trung tâm" of an open head
    served: tuple = ()  # office: names of the bodies served, by group index
    any_case: bool = False  # a lower-case mention counts
    territorial: bool = False  # a body of a place: its level and place name it
    head_level: bool = False  # the head names the level: "Huyện ủy Phong Thổ", "Tỉnh đoàn"
    needs_level: bool = False  # only with a level or place after it
    basis_only: bool = False  # only in a legal-basis line ("Căn cứ Nghị quyết Đại hội ...")


@dataclass
class Gazetteer:
    data: dict
    abbreviations: dict
    levels: dict
    level_re: str
    core_res: list  # (compiled regex, Core, first words or None) in priority order
    fields: list
    anchor: Optional[object] = None  # spaCy PhraseMatcher, built on first use (_anchor)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    try:
        data = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # a broken data file must say which and why
        raise RuntimeError(f"{DATA}: cannot read agency gazetteer: {e}") from e
    for key in ("abbreviations", "levels", "level_words", "place_words", "fields", "field_heads", "central", "bodies"):
        if key not in data:
            raise RuntimeError(f"{DATA}: missing key {key!r}")
    levels = data["levels"]
    level_re = "(?:" + "|".join(_flex(w) for w in sorted(levels, key=len, reverse=True)) + ")"
    return Gazetteer(data=data, abbreviations=data["abbreviations"], levels=levels, level_re=level_re,
                     core_res=_core_patterns(data), fields=data["fields"])

_FIRST_WORD = re.compile(r"\w+")


def _word_key(word: str) -> str:
    """A word as the anchors see it: folded (the patterns then check case and diacritics)."""
    return fold(word)


def _first_words(variants) -> Optional[frozenset]:
    """The words a mention of these variants can start with; None when one starts with no word
    (its pattern must then be searched everywhere)."""
    out = set()
    for v in variants:
        m = _FIRST_WORD.match(v.strip())
        if not m:
            return None
        out.add(_word_key(m.group(0)))
    return frozenset(out)


def words_alt(words) -> str:
    """A list of words (data) as a regex alternation, longest first, any spacing inside."""
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)) + ")"


def level_words(kind: str) -> str:
    """The level words of agencies.json `level_words[kind]` ("unit", "all") as an alternation."""
    return words_alt(gazetteer().data["level_words"][kind])


def _body_core(b: dict) -> Core:
    return Core("body", name=b["name"], kind=b["kind"], level=b.get("level"), any_case=bool(b.get("any_case")),
                territorial=bool(b.get("territorial")), head_level=bool(b.get("head_level")),
                needs_level=bool(b.get("needs_level")), basis_only=bool(b.get("basis_only")))


def _core_patterns(data: dict) -> list:
    """Regexes for the CORE of a mention, each with what it means and the words it starts with."""
    pats = []
    # central bodies
    for c in data["central"]:
        pats.append((re.compile(_alt(c["variants"]), re.I), Core("central", name=c["name"], kind=c["kind"]),
                     _first_words(c["variants"])))
    # standing prefixes are handled around other cores; steering committees
    steer = data.get("steering", {}).get("heads", ["Ban Chỉ đạo", "BCĐ"])
    pats.append((re.compile(_alt(steer), re.I), Core("steering"), _first_words(steer)))
    # offices of a body
    office = data.get("office_of", {})
    if office:
        served = "|".join(
            f"(?P<s{i}>{_alt(s['variants'])})" for i, s in enumerate(office["served"])
        )
        pats.append((re.compile(_alt(office["heads"]) + r"\s+(?:" + served + ")", re.I),
                     Core("office", served=tuple(s["name"] for s in office["served"])), _first_words(office["heads"])))
    # named bodies (with optional branch prefix)
    for b in data["bodies"]:
        pre = ""
        if b.get("prefixes"):
            pre = r"(?P<prefix>" + _alt(b["prefixes"]) + r"\s+)?"
        pats.append((re.compile(pre + r"(?P<core>" + _alt(b["variants"]) + ")", re.I), _body_core(b),
                     _first_words(list(b["variants"]) + list(b.get("prefixes", [])))))
    # head + sector
    field_alt = "|".join(
        f"(?P<f{i}>{_alt(f['variants'])})" for i, f in enumerate(data["fields"])
    )
    for head, info in data["field_heads"].items():
        pats.append((re.compile(re.escape(head) + r"\s+(?:" + field_alt + ")", re.I),
                     Core("field", head=head, kind=info["kind"], level=info["level"]), _first_words([head])))
    # open heads: name runs to a level word
    for head, kind in data.get("open_heads", {}).get("heads", {}).items():
        pats.append((re.compile(re.escape(head) + r"\s+(?P<tail>(?:[^\W\d_][\w&]*(?:\s*-\s*|\s*,\s*|\s+)){1,8}?)(?=(?:cấp\s+)?" + words_alt(data["level_words"]["unit"]) + r"\b)", re.I),
                     Core("open", head=head, kind=kind), _first_words([head])))
    return pats


def _anchor(g: Gazetteer):
    """spaCy PhraseMatcher (folded NORM) for every word a core pattern can start with: one pass
    over the words of the text finds where to try the patterns."""
    if g.anchor is None:
        words = set().union(*(w for _, _, w in g.core_res if w is not None))
        g.anchor = phrase_matcher({w: [w] for w in words})
    return g.anchor


def _core_matches(text: str, g: Gazetteer):
    """(pattern info, match) for every core pattern, as each pattern's finditer would give them
    but tried only where a word it can start with begins (found by spaCy): 80 case-insensitive
    scans of the whole text were the largest cost of extraction."""
    starts = match_words(_anchor(g), text)
    for rx, info, words in g.core_res:
        if words is None:
            yield from ((info, m) for m in rx.finditer(text))
            continue
        keys = starts.keys() & words  # (set operations and chain: no Python step per position)
        if not keys:
            continue
        positions = sorted(chain.from_iterable(map(starts.__getitem__, keys)))
        last_end = 0
        for p in positions:
            if p < last_end:
                continue  # finditer's matches do not overlap
            m = rx.match(text, p)
            if m is not None:
                last_end = max(m.end(), p + 1)
                yield info, m
