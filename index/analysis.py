"""Vietnamese analysis, done once in Python for every engine.

Engines only see space-separated tokens made here (a whitespace tokenizer on their side), so
tantivy and Elasticsearch index and query exactly the same terms.

- Folding: NFC, tone placement (hoà/hòa), diacritics removed, đ -> d, lower case. A query with
  or without diacritics gives the same tokens: "hỗ trợ nhà ở" == "ho tro nha o".
- Syllables are the unigram tokens ("tokens" field). Words of several syllables are matched as
  words through adjacent-syllable bigrams ("nha_o") in a second field; a bigram never spans
  punctuation. Word segmentation (underthesea) is not used: too slow for ingest, and bigrams
  rank "nhà ở" above "nhà ... ở" just as well.
- Document numbers ("90/QĐ-TTg", "90/QD-TTG", "10 -NQ/TU") give one key each in a third field
  ("numbers": "90/qd-ttg"); their parts stay ordinary tokens.
- Queries are parsed into a ParsedQuery (terms, bigrams, "quoted phrases", numbers), never into
  engine syntax; sizes are capped so any input is safe.
- Highlights are computed here, on the original text with its diacritics, from token spans.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from extraction.textkeys import fold as _fold, fold_tones, number_key  # noqa: F401 (number_key re-exported)

from .synonyms import Group, du_an_scopes, groups_of

MAX_TOKEN_LEN = 40  # tantivy drops longer tokens; drop them for every engine alike
MAX_QUERY_CHARS = 2000
MAX_TERMS = 32
MAX_BIGRAMS = 32
MAX_PHRASES = 8
MAX_PHRASE_TOKENS = 16
MAX_NUMBERS = 8
BIGRAM_JOINER = "_"
CLAUSE_SEPARATOR = "|"  # put between clauses in a plan's body so phrases do not cross them

# A token: a number with thousands/decimal separators ("13.260", "1,5"), else a run of letters
# and digits (combining marks included for text that is not NFC).
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|(?:[^\W_]|[\u0300-\u036f])+")

# A document number: digits (+ a letter: "219a"), optional year, then symbol parts starting
# with a letter ("90/QĐ-TTg", "10/2022/TT-BLĐTBXH", "237-KH/HU", "24/2021/QH15"). Case-insensitive
# for queries typed in lower case; single spaces around separators occur in PDF conversions.
_PART = r"[A-Za-zĐđ][A-Za-zĐđ&]*\d*"
# The look-behind comes after the first digit (the same matches): a pattern that starts with
# a character class lets re skip to the digits, one starting with a look-behind tries every
# position (numbers() was 0.9 ms of a 20,000-character plan, now 0.3).
_NUMBER_RE = re.compile(
    r"\d(?<![\w/.-]\d)\d{0,4}[a-zA-Zđ]?(?:[ ]?/[ ]?(?:19|20)\d\d)?[ ]?[/-][ ]?"
    rf"{_PART}(?:[ ]?[-/][ ]?{_PART})*(?![\w])"
)
_QUOTE_RE = re.compile(r"[\"“”„«»]")


# extraction.textkeys.fold, cached: the same syllables come back all the time
fold = lru_cache(maxsize=200_000)(_fold)


@dataclass(frozen=True)
class Token:
    term: str  # folded
    start: int  # offsets in the analysed string
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens with their spans in `text` (for highlights and bigrams)."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        t = fold(m.group(0))
        if t and len(t) <= MAX_TOKEN_LEN:
            out.append(Token(t, m.start(), m.end()))
    return out


def analyze(text: str) -> list[str]:
    """Unigram tokens for indexing: folded syllables (and numbers) in text order."""
    return [t.term for t in tokenize(text or "")]


def _bigrams_of(text: str, tokens: list[Token]) -> list[str]:
    out = []
    for a, b in zip(tokens, tokens[1:]):
        gap = text[a.end:b.start]
        if not gap or gap.isspace():  # adjacent, nothing but spaces between
            out.append(a.term + BIGRAM_JOINER + b.term)
    return out


def bigrams(text: str) -> list[str]:
    """Adjacent-syllable bigrams ("nha_o"), never across punctuation."""
    text = text or ""
    return _bigrams_of(text, tokenize(text))


def numbers(text: str) -> list[str]:
    """Document number keys found in text, in order."""
    return [number_key(m.group(0)) for m in _NUMBER_RE.finditer(text or "")]


@dataclass
class Analysed:
    tokens: list[str]
    bigrams: list[str]
    numbers: list[str]


def _fold_table() -> dict[int, str | int]:
    """Per-character fold for the fast path: every char whose fold differs from itself, the
    other chars below U+3000 to themselves. str.translate raises and clears a KeyError for every
    char its dict lacks (most of a text): a hit on every one halved its time."""
    table: dict[int, str | int] = {cp: cp for cp in range(0x3000)}
    for cp in range(0x80, 0x3000):
        c = chr(cp)
        if unicodedata.combining(c):
            if 0x300 <= cp <= 0x36F:  # the marks a token may hold (see _TOKEN_RE)
                table[cp] = ""
            continue
        f = fold(c)
        if f != c and len(f) == 1:
            table[cp] = f
    fold.cache_clear()
    return table


_FOLD_TABLE = _fold_table()
# a token (group 1) or a punctuation mark (breaks bigrams)
_SCAN_RE = re.compile(r"(\d+(?:[.,]\d+)+|[^\W_]+)|[^\w\s]|_")


def analyse_text(text: str) -> Analysed:
    """Everything an engine indexes for one text, in one pass.

    Fast path (no spans): the whole text is folded with one str.translate, then scanned once;
    gives the same tokens as tokenize() (tests check it).
    """
    text = text or ""
    folded = unicodedata.normalize("NFC", text).translate(_FOLD_TABLE).lower()
    scan = _SCAN_RE.findall(folded)  # "" marks punctuation
    if max(map(len, scan), default=0) > MAX_TOKEN_LEN:
        scan = [t if len(t) <= MAX_TOKEN_LEN else "" for t in scan]
    toks = [t for t in scan if t]
    bgs = [a + BIGRAM_JOINER + b for a, b in zip(scan, scan[1:]) if a and b]
    return Analysed(toks, bgs, numbers(text))


@dataclass
class ParsedQuery:
    """A user query, analysed: what engines match on, built into their query objects."""

    raw: str = ""
    terms: list[str] = field(default_factory=list)  # unique folded syllables, should-match
    bigrams: list[str] = field(default_factory=list)  # unique, should-match (rank words higher)
    phrases: list[list[str]] = field(default_factory=list)  # "quoted": must match in order
    numbers: list[str] = field(default_factory=list)  # document number keys: must match
    # every word outside quotes, as required groups (synonyms.py): each must match, by any form
    groups: list[Group] = field(default_factory=list)
    runs: list[list[str]] = field(default_factory=list)  # runs of plain words: proximity boost
    exact: list[str] = field(default_factory=list)  # syllables typed with diacritics (tone-normalised)
    du_an: list[str] = field(default_factory=list)  # Dự án scopes the query names ("DA4")
    relaxed: bool = False  # best-match: groups only score (the fallback when all-words finds nothing)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.numbers)

    def loose(self) -> "ParsedQuery":
        """The same query, best-match: any word may match (clause ranking, the fallback)."""
        return replace(self, relaxed=True)

    @property
    def forms(self) -> list[list[str]]:
        """Synonym forms of several words, matched and highlighted as phrases."""
        return [list(f) for g in self.groups for f in g.forms if len(f) > 1]


def _unique(items, limit: int) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
            if len(out) >= limit:
                break
    return out


def analyze_query(q: str) -> ParsedQuery:
    """Parse a query: "quoted phrases", document numbers, then terms and their bigrams.

    An unbalanced quote is ignored; any length is accepted (only the first MAX_QUERY_CHARS
    characters are read, and each kind of clause is capped).
    """
    raw = unicodedata.normalize("NFC", q or "")[:MAX_QUERY_CHARS]
    pieces = _QUOTE_RE.split(raw)
    if len(pieces) % 2 == 0:  # an odd number of quotes: the last one is ignored
        pieces = pieces[:-2] + [pieces[-2] + " " + pieces[-1]]
    quoted = pieces[1::2]
    plain_parts = pieces[0::2]

    phrases: list[list[str]] = []
    nums: list[str] = []
    for p in quoted:
        toks = analyze(p)[:MAX_PHRASE_TOKENS]
        if len(toks) > 0 and toks not in phrases and len(phrases) < MAX_PHRASES:
            phrases.append(toks)

    terms: list[str] = []
    bgs: list[str] = []
    groups: list[Group] = []
    runs: list[list[str]] = []
    exact: list[str] = []
    for part in plain_parts:
        rest = []
        pos = 0
        for m in _NUMBER_RE.finditer(part):
            nums.append(number_key(m.group(0)))
            rest.append(part[pos:m.start()])
            pos = m.end()
        rest.append(part[pos:])
        for chunk in rest:
            toks = tokenize(chunk)
            at_start = not terms
            terms.extend(t.term for t in toks)
            bgs.extend(_bigrams_of(chunk, toks))
            if len(groups) < MAX_TERMS:
                typed = [(t.term, chunk[t.start:t.start + 1].isupper()) for t in toks]
                groups += groups_of(typed, at_start=at_start)
            if len(toks) > 1:
                runs.append([t.term for t in toks][:MAX_PHRASE_TOKENS])
            exact += [w for w in (exact_key(chunk[t.start:t.end]) for t in toks) if not w.isascii()]
    return ParsedQuery(
        raw=raw,
        terms=_unique(terms, MAX_TERMS),
        bigrams=_unique(bgs, MAX_BIGRAMS),
        phrases=phrases,
        numbers=_unique(nums, MAX_NUMBERS),
        groups=list(dict.fromkeys(groups))[:MAX_TERMS],
        runs=runs[:MAX_PHRASES],
        exact=_unique(exact, MAX_TERMS),
        du_an=du_an_scopes(terms),
    )


def exact_key(word: str) -> str:
    """A syllable as typed, case and tone placement aside ("Hoà" = "hòa"): diacritics kept."""
    return fold_tones(unicodedata.normalize("NFC", word).lower())


def exact_count(text: str, words: list[str]) -> int:
    """How many of words (exact_key forms) are syllables of text as typed, by a search for each
    word rather than tokenizing the whole text (rescore asks it of every clause in its window)."""
    t = exact_key(text or "")
    n = 0
    for w in words:
        i, k = t.find(w), len(w)
        while i >= 0:
            if (i == 0 or not t[i - 1].isalnum()) and (i + k == len(t) or not t[i + k].isalnum()):
                n += 1
                break
            i = t.find(w, i + 1)
    return n


@lru_cache(maxsize=1)
def common_terms() -> frozenset[str]:
    """Folded syllables too common to highlight alone (index/data/common_terms.json)."""
    path = Path(__file__).with_name("data") / "common_terms.json"
    try:
        return frozenset(json.loads(path.read_text(encoding="utf-8"))["terms"])
    except (OSError, ValueError, KeyError) as e:
        raise RuntimeError(f"{path}: unreadable common terms list: {e}") from None


def is_weak(term: str) -> bool:
    """A query term that alone says little: one letter ("o" of "nhà ở" folded) or very common."""
    return (len(term) < 2 and not term.isdigit()) or term in common_terms()


def highlight(text: str, pq: ParsedQuery) -> str:
    """text, HTML-escaped, with the words the query matched wrapped in <mark>…</mark>.

    Marked: adjacent pairs of query syllables found as a pair ("nhà ở"), "quoted phrases",
    document numbers, and single terms of two letters or more that are not very common. A
    one-letter or common term ("o", "số") is marked alone only when the query has nothing
    else to mark, so "ho tro nha o" does not mark every ở, ô and ơ of a clause.
    Adjacent marked words separated by spaces only are wrapped together ("<mark>hỗ trợ nhà
    ở</mark>"). Works on the original text (diacritics kept), from token spans.
    """
    text = text or ""
    toks = tokenize(text)
    marked = [False] * len(toks)
    weak = {t for t in pq.terms if is_weak(t)}
    strong = set(pq.terms) - weak
    strong |= {f[0] for g in pq.groups for f in g.forms[1:] if len(f) == 1 and not is_weak(f[0])}
    alone = strong or pq.bigrams or pq.phrases or pq.numbers or pq.forms
    terms = strong if alone else weak
    typed = set(pq.exact)  # typed with diacritics: a lone word is marked only in that form
    for i, t in enumerate(toks):
        if t.term in terms:
            word = text[t.start:t.end]
            marked[i] = not typed or word.isascii() or exact_key(word) in typed or t.term not in pq.terms
    pairs = set(pq.bigrams)
    if pairs:
        for i, (a, b) in enumerate(zip(toks, toks[1:])):
            gap = text[a.end:b.start]
            if (not gap or gap.isspace()) and a.term + BIGRAM_JOINER + b.term in pairs:
                marked[i] = marked[i + 1] = True
    seq = [t.term for t in toks]
    starts: dict[str, list[int]] = {}
    for i, t in enumerate(seq):
        starts.setdefault(t, []).append(i)
    for ph in pq.phrases + pq.forms:
        n = len(ph)
        for i in starts.get(ph[0], ()):  # only where the phrase's first word is
            if seq[i:i + n] == ph:
                for j in range(i, i + n):
                    marked[j] = True
    spans = [(t.start, t.end) for t, m in zip(toks, marked) if m]
    if pq.numbers:
        keys = set(pq.numbers)
        spans += [(m.start(), m.end()) for m in _NUMBER_RE.finditer(text) if number_key(m.group(0)) in keys]
    if not spans:
        return html.escape(text, quote=False)
    spans.sort()
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and (s <= merged[-1][1] or text[merged[-1][1]:s].isspace()):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(html.escape(text[pos:s], quote=False))
        out.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)
