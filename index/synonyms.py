"""Query words into required groups: synonyms and abbreviations, agency names, Dự án numbers.

A query is matched word by word (every group must match, folded), and a group may have
several forms: "DTTS" is the group {dtts | dân tộc thiểu số}, and so is "đồng bào dân tộc
thiểu số" minus its "đồng bào", so both queries find the same plans. The forms are data
(index/data/synonyms.json), applied at query time only: the index holds the text as written.

An agency name typed in a query ("Phòng LĐTBXH huyện", "Ủy ban Dân tộc") binds its head to
the next word or abbreviation as one phrase, and remembers the words that, just before the
head, make another agency ("Văn phòng", "Ủy ban"): a clause naming only that other agency is
not a match for this one (semantics.rescore drops it).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extraction.textkeys import fold

_PATH = Path(__file__).with_name("data") / "synonyms.json"
_WORD_RE = re.compile(r"\d+(?:[.,]\d+)+|(?:[^\W_]|[\u0300-\u036f])+")

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Guard:
    """A clause matching `phrase` only right after one of `not_after` names another agency."""

    phrase: Phrase
    not_after: frozenset[str]


@dataclass(frozen=True)
class Group:
    """One required unit of a query: any of `forms` (each a phrase of folded syllables)."""

    forms: tuple[Phrase, ...]
    guard: Guard | None = None

    @property
    def words(self) -> Phrase:
        return self.forms[0]


def words(text: str) -> list[str]:
    return [t for t in (fold(m.group(0)) for m in _WORD_RE.finditer(text or "")) if t]


@lru_cache(maxsize=1)
def _data() -> dict:
    try:
        return json.loads(_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RuntimeError(f"{_PATH}: unreadable synonyms: {e}") from None


@lru_cache(maxsize=1)
def _forms() -> dict[Phrase, tuple[Phrase, ...]]:
    """Every form -> all the forms of its group (itself first)."""
    out: dict[Phrase, tuple[Phrase, ...]] = {}
    for group in _data()["groups"]:
        forms = list(dict.fromkeys(tuple(words(f)) for f in group if words(f)))
        for f in forms:
            out[f] = (f, *[g for g in forms if g != f])
    return out


@lru_cache(maxsize=1)
def _heads() -> list[Phrase]:
    return sorted({tuple(words(h)) for h in _data()["agency_heads"]}, key=len, reverse=True)


@lru_cache(maxsize=1)
def _not_after() -> dict[Phrase, frozenset[str]]:
    return {tuple(words(h)): frozenset(fold(w) for w in ws) for h, ws in _data()["not_after"].items()}


@lru_cache(maxsize=1)
def _places() -> frozenset[Phrase]:
    """Province and district names of several syllables (extraction's gazetteer): a place typed
    in a query is matched as a whole name, so "Quảng Nam" is not "Quảng Ngãi ... năm"."""
    from extraction import gazetteer

    out = set()
    for era in gazetteer.ERAS:
        for p in gazetteer.provinces(era):
            for name in (p.name, *p.aliases, *(d.name for d in p.districts)):
                w = tuple(words(name))
                if len(w) >= 2:
                    out.add(w)
    return frozenset(out)


def _place_at(terms: list[str], i: int) -> int:
    for n in (4, 3, 2):
        if tuple(terms[i:i + n]) in _places():
            return n
    return 0


def identity_issuers() -> dict[str, str]:
    return dict(_data().get("identity_issuers", {}))


def _synonym_at(terms: list[str], i: int) -> tuple[int, tuple[Phrase, ...]]:
    """Longest form starting at terms[i]: (its length, the forms of its group); (0, ()) if none."""
    forms = _forms()
    for n in range(min(8, len(terms) - i), 0, -1):
        hit = forms.get(tuple(terms[i:i + n]))
        if hit:
            return n, hit
    return 0, ()


def _head_at(terms: list[str], i: int) -> Phrase:
    for h in _heads():
        if tuple(terms[i:i + len(h)]) == h:
            return h
    return ()


def groups_of(tokens: list[tuple[str, bool]], at_start: bool) -> list[Group]:
    """Groups of one run of query words; tokens are (folded word, typed with a capital).

    An agency head opens a name when it is capitalized or opens the query."""
    terms = [t for t, _ in tokens]
    out: list[Group] = []
    i = 0
    while i < len(terms):
        n, forms = _synonym_at(terms, i)
        head = _head_at(terms, i)
        if head and len(head) >= n and (tokens[i][1] or (at_start and i == 0)) and i + len(head) < len(terms):
            j = i + len(head)
            m, nxt = _synonym_at(terms, j)
            if not m:
                m, nxt = 1, ((terms[j],),)
            phrases = tuple(head + f for f in nxt)
            guard = Guard(head, _not_after().get(head, frozenset()))
            out.append(Group(phrases, guard if guard.not_after else None))
            i = j + m
        elif n:
            out.append(Group(forms))
            i += n
        elif p := _place_at(terms, i):
            out.append(Group((tuple(terms[i:i + p]),)))
            i += p
        else:
            out.append(Group(((terms[i],),)))
            i += 1
    return out


_DU_AN_RE = re.compile(r"(?<!tieu )du an (\d{1,2})(?: tieu du an (\d{1,2}))?|tieu du an (\d{1,2})(?: (?:cua |thuoc )?du an (\d{1,2}))?")


def du_an_scopes(terms: list[str]) -> list[str]:
    """Dự án scope ids a query names: "dự án 4" -> DA4, "tiểu dự án 2 dự án 1" -> DA1.TDA2."""
    out = []
    for m in _DU_AN_RE.finditer(" ".join(terms)):
        if m.group(1):
            out.append(f"DA{int(m.group(1))}" + (f".TDA{int(m.group(2))}" if m.group(2) else ""))
        elif m.group(4):
            out.append(f"DA{int(m.group(4))}.TDA{int(m.group(3))}")
    return list(dict.fromkeys(out))
