"""Re-scoring of the clauses an engine returns, the same for every engine (done in Python).

The engines give BM25 over folded syllables; these factors then say what BM25 cannot:
- coordination: the share of the query's word groups a clause holds (its section path counts
  half: "vốn ngân sách trung ương dự án 4" for a line "Vốn NSTW: ..." under "Dự án 4");
- exact form: a query typed with diacritics prefers clauses with the same diacritics
  ("hỗ trợ nhà ở" above "hộ ... nhà nước");
- Dự án: a query or filter naming Dự án 4 prefers clauses under Dự án 4 over other Dự án;
- a heading holding every word of the query ranks a little higher (it names the section);
- nearness: the query's words together, in order (a run within PROXIMITY_SLOP extra
  positions), or a synonym form of several words as written, counts as the phrase queries the
  engines no longer run (they cost ten times the term queries over a million clauses);
- the document's frame (header, "Số:", place and date, signature, recipients) ranks below
  content (index/data/boilerplate.json);
- an agency typed by name is not another agency that ends the same way: "Phòng LĐTBXH" is
  not "Văn phòng ...", "Ban Dân tộc" is not "Ủy ban Dân tộc" (synonyms.Guard).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from . import analysis
from .analysis import ParsedQuery

if TYPE_CHECKING:  # pragma: no cover
    from .semantics import ClauseRow

SECTION_SHARE = 0.5  # a group found only in the clause's section path counts this much
EXACT_BONUS = 0.25  # score x (1 + bonus x share of the diacritic words found as typed)
DU_AN_SAME = 1.5
DU_AN_OTHER = 0.6
NUMBER_ELSEWHERE = 0.5  # a clause indexed with the number but not showing it
HEADING_ALL = 1.3  # a heading holding every word group names the section about the query
PROXIMITY_SLOP = 3  # the query's words within this many extra positions of each other are "together"
NEAR_BONUS = 1.0  # score x (1 + bonus x share of the typed runs found together ...
FORM_BONUS = 0.5  # ... + bonus x share of the groups found as a synonym form of several words)

_PATH = Path(__file__).with_name("data") / "boilerplate.json"


@lru_cache(maxsize=1)
def _frame() -> tuple[float, int, list[re.Pattern], list[re.Pattern]]:
    try:
        d = json.loads(_PATH.read_text(encoding="utf-8"))
        return (float(d["weight"]), int(d["max_chars"]), [re.compile(p) for p in d["patterns"]],
                [re.compile(p) for p in d.get("upper_patterns", [])])
    except (OSError, ValueError, KeyError, re.error) as e:
        raise RuntimeError(f"{_PATH}: unreadable frame patterns: {e}") from None


def is_frame(text: str) -> bool:
    """A header, number, place-and-date, signature or recipient line (not content)."""
    max_chars = _frame()[1]
    t = (text or "").strip()
    if not t or len(t) > max_chars:
        return False
    return _short_is_frame(t)


@lru_cache(maxsize=20_000)  # short lines, asked again by every search that ranks them
def _short_is_frame(t: str) -> bool:
    _, _, pats, upper = _frame()
    f = " ".join(analysis.fold(t).split())
    if any(p.fullmatch(f) for p in pats):
        return True
    return t.upper() == t and any(p.fullmatch(f) for p in upper)


@lru_cache(maxsize=20_000)
def _section_seq(section: str) -> str:
    """A section path's tokens, " "-padded (paths repeat across the clauses of a section)."""
    return f" {' '.join(analysis.analyse_text(section).tokens)} "


def _wrong_agency(pq: ParsedQuery, seq: str) -> bool:
    """Every mention of a typed agency name sits right after a word making it another agency."""
    for g in pq.groups:
        if g.guard is None:
            continue
        hits, tokens = [], None
        for form in g.forms:
            if f" {' '.join(form)} " not in seq:
                continue  # the usual case, at C speed
            tokens = tokens if tokens is not None else seq.split()
            n = len(form)
            hits += [i for i in range(len(tokens) - n + 1) if tuple(tokens[i:i + n]) == form]
        if hits and all(i > 0 and tokens[i - 1] in g.guard.not_after for i in hits):
            return True
    return False


def _in_du_an(scope: Optional[str], wanted: list[str]) -> Optional[bool]:
    if not scope:
        return None
    return any(scope == w or scope.startswith(w + ".") or w.startswith(scope + ".") for w in wanted)


def scoring_terms(pq: ParsedQuery) -> list[str]:
    """The syllables engines score on (should-match term queries)."""
    return list(pq.terms)


def match_forms(forms) -> list[tuple[str, ...]]:
    """A word group's forms as a must-match needs them: a form holding another form as a
    contiguous part ("dong bao dan toc thieu so" holds "dan toc thieu so", "dong bao dtts"
    holds "dtts") matches nothing more, and each phrase costs a pass over positions."""
    forms = [tuple(f) for f in forms]

    def holds(big, small) -> bool:
        n = len(small)
        return len(big) > n and any(big[i:i + n] == small for i in range(len(big) - n + 1))
    return [f for f in forms if not any(holds(f, g) for g in forms if g != f)]


def candidate_query(pq: ParsedQuery) -> ParsedQuery:
    """pq for finding candidate plans cheaply: its bigrams, and only the syllables that are in
    none of them. Common syllables ("dan", "so", "ho") each match most of a million clauses and
    the union of their postings was most of a query's cost; the bigrams find the clauses about
    the query. The plans found are then ranked with the whole query (semantics._rank_plans)."""
    phrase_bigrams = [analysis.BIGRAM_JOINER.join(p) for ph in pq.phrases for p in zip(ph, ph[1:])]
    bigrams = list(dict.fromkeys(scoring_bigrams(pq) + phrase_bigrams))
    if not bigrams:
        return pq
    covered = {w for b in bigrams for w in b.split(analysis.BIGRAM_JOINER)}
    # a "quoted phrase" scores by its bigrams here; the plans found are then checked to hold it
    # (semantics._rank_plans): a phrase query over a million clauses cost ten times the rest
    return replace(pq, terms=[t for t in pq.terms if t not in covered], bigrams=bigrams,
                   phrases=[ph for ph in pq.phrases if len(ph) < 2])


def scoring_bigrams(pq: ParsedQuery) -> list[str]:
    """The bigrams engines score on: the query's, then those of its synonym forms of several
    words ("dtts" typed: "dan_toc", "toc_thieu", "thieu_so"), each once."""
    out = list(pq.bigrams)
    for form in pq.forms:
        out += [b for b in (analysis.BIGRAM_JOINER.join(p) for p in zip(form, form[1:])) if b not in out]
    return out[:2 * analysis.MAX_BIGRAMS]


def _padded(words) -> str:
    return f" {' '.join(words)} "


def _scan(tokens: list[str], words: list[str], slop: int) -> bool:
    """words occur in order in tokens with at most `slop` other tokens between them in all."""
    first = words[0]
    for i, t in enumerate(tokens):
        if t != first:
            continue
        pos, spare = i, slop
        for w in words[1:]:
            nxt = next((j for j in range(pos + 1, min(len(tokens), pos + 2 + spare)) if tokens[j] == w), None)
            if nxt is None:
                break
            spare -= nxt - pos - 1
            pos = nxt
        else:
            return True
    return False


@dataclass
class _Shape:
    """What rescore looks for in every clause, the query's strings joined once."""

    groups: list[list[str]]  # per counted word group: its forms, padded
    runs: list[tuple[list[str], str]]  # typed runs of several words, and padded
    multi: list[list[str]]  # per group with forms of several words: those forms, padded

    @classmethod
    def of(cls, groups, pq: ParsedQuery) -> "_Shape":
        return cls([[_padded(f) for f in g.forms] for g in groups],
                   [(list(r), _padded(r)) for r in pq.runs if len(r) > 1],
                   [fs for fs in ([_padded(f) for f in g.forms if len(f) > 1] for g in pq.groups) if fs])


def _run_share(seq: str, run: list[str], padded: str) -> float:
    """How much of a typed run of words the clause holds together: 1 when all of it is there
    in order within PROXIMITY_SLOP, else the longest stretch of it whose word pairs the
    clause holds side by side, as a share of the run (two words of six: 1/3). Substring tests
    on the padded token string first: a clause may be a table of thousands of tokens."""
    if padded in seq:
        return 1.0
    if all(f" {w} " in seq for w in run) and _scan(seq.split(), run, PROXIMITY_SLOP):
        return 1.0
    best = cur = 0
    for a, b in zip(run, run[1:]):
        cur = cur + 1 if f" {a} {b} " in seq else 0
        best = max(best, cur)
    return (best + 1) / len(run) if best else 0.0


def _near(seq: str, shape: _Shape) -> float:
    """The factor for nearness: runs as typed (_run_share), then word groups with synonym
    forms of several words, found by any such form written out (a smaller bonus)."""
    factor = 1.0
    if shape.runs:
        factor += NEAR_BONUS * sum(_run_share(seq, r, p) for r, p in shape.runs) / len(shape.runs)
    if shape.multi:
        factor += FORM_BONUS * sum(any(p in seq for p in fs) for fs in shape.multi) / len(shape.multi)
    return factor


def rescore(rows: list["ClauseRow"], pq: Optional[ParsedQuery]) -> list["ClauseRow"]:
    """Scale each clause's score by the factors above; drop clauses naming the wrong agency."""
    if pq is None:
        return rows
    groups = [g for g in pq.groups if not all(len(f) == 1 and analysis.is_weak(f[0]) for f in g.forms)]
    guarded = any(g.guard is not None for g in pq.groups)
    shape = _Shape.of(groups, pq)
    near = bool(shape.runs or shape.multi)
    weight, *_ = _frame()
    out = []
    for r in rows:
        r.loaded()
        seq = ""
        if guarded or near or len(groups) >= 2:  # tokens as indexed (stored with the clause), else analysed here
            seq = f" {r.tokens if r.tokens is not None else ' '.join(analysis.analyse_text(r.text).tokens)} "
        if guarded and _wrong_agency(pq, seq):
            continue
        if near:
            r.score *= _near(seq, shape)
        if len(groups) >= 2:
            sect = _section_seq(r.section) if r.section else ""
            have = 0.0
            for forms in shape.groups:
                if any(f in seq for f in forms):
                    have += 1
                elif sect and any(f in sect for f in forms):
                    have += SECTION_SHARE
            r.score *= have / len(groups)
            if r.kind == "heading" and have == len(groups):
                r.score *= HEADING_ALL
        if pq.exact:
            r.score *= 1 + EXACT_BONUS * analysis.exact_count(r.text, pq.exact) / len(pq.exact)
        if pq.du_an:
            same = _in_du_an(r.du_an, pq.du_an)
            r.score *= 1.0 if same is None else (DU_AN_SAME if same else DU_AN_OTHER)
        if is_frame(r.text):
            r.score *= weight
        if pq.numbers and not set(pq.numbers) & set(analysis.numbers(r.text)):
            r.score *= NUMBER_ELSEWHERE  # the clause cites it, its text was cut before the number
        out.append(r)
    return out
