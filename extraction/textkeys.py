"""Text keys: the one place where strings are made comparable, for every layer.

Extraction, the index, the archive and the API must build the same key from the same
string, or a filter, a search and a citation look-up disagree. So:

- `nfc`, `unify_dashes`, `fold_tones` (hoà -> hòa, uỷ -> ủy; same length, offsets kept),
  `clean_inline` (a short string normalized the way the text is);
- `fold`: accent-free lower case ("Đắk Lắk" -> "dak lak"); the variants callers need are
  named keys built on it: `name_key` (spaces collapsed, None -> ""), `word_key` (every run of
  punctuation a single space);
- `canonical_number` (any written form of a document number -> its one spelling, symbol parts
  spelled as in data/doc_types.json) and `number_key` (the key two numbers compare by).
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional

_DOC_TYPES_PATH = Path(__file__).parent / "data" / "doc_types.json"

# ---------------------------------------------------------------- characters

# Old and new tone-mark placement both occur in official texts ("Uỷ ban", "Ủy ban").
# Each pair has the same length, so folding keeps offsets.
TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
    "Oà": "Òa", "Oá": "Óa", "Oả": "Ỏa", "Oã": "Õa", "Oạ": "Ọa",
    "Uỳ": "Ùy", "Uý": "Úy", "Uỷ": "Ủy", "Uỹ": "Ũy", "Uỵ": "Ụy",
}
# Only in an open syllable ("hoà", "thuỷ"): "hoàn", "thoát", "quý" have one spelling and
# must stay as they are ("qu" is a consonant; a final consonant fixes the mark's place).
# (the "q" test looks back from after the pair: a lookbehind first is tried at every character)
_TONE_RE = re.compile(r"(?:" + "|".join(map(re.escape, TONE_PAIRS)) + r")(?<![qQ]..)(?![^\W\d_])")

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASH_TABLE = {ord(c): "-" for c in DASHES}
SPACE_TABLE = {ord(c): " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"}
DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"}  # invisible: removed
CHAR_TABLE = str.maketrans({**DASH_TABLE, **SPACE_TABLE})  # one pass, same length


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def unify_dashes(s: str) -> str:
    """– — ‒ − ‐ ... -> "-" (document numbers are written with all of them)."""
    return s.translate(DASH_TABLE)


def fold_tones(s: str) -> str:
    """hoà -> hòa, uỷ -> ủy (same length: offsets are kept)."""
    return _TONE_RE.sub(lambda m: TONE_PAIRS[m.group(0)], s)


def clean_inline(s: str) -> str:
    """Normalize a short string (a name, a number) the same way as the text."""
    s = nfc(s).translate(CHAR_TABLE)
    s = "".join(c for c in s if c not in DROP)
    return re.sub(r"\s+", " ", fold_tones(s)).strip()


# PDF fonts often give the Icelandic eth (Ð U+00D0) for Đ; Vietnamese has no eth, and the
# swap keeps the length, so offsets stay valid.
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})


def fix_eth(s: str) -> str:
    if "\u00d0" not in s and "\u00f0" not in s:
        return s  # the usual case; translate walks every character
    return s.translate(_ETH)


# ---------------------------------------------------------------- folding

class _FoldChars(dict):
    """Code point -> its fold before lower-casing (filled on first sight): đ/Đ -> d/D, else its
    canonical decomposition without combining marks. NFD decomposes each character on its own
    and only reorders the combining marks, which are all dropped, so folding character by
    character is the same as folding the NFD of the whole string (one str.translate instead of
    a Python step per character: fold was a tenth of an ingest worker's time)."""

    def __missing__(self, cp: int):
        c = chr(cp)
        f = {"đ": "d", "Đ": "D"}.get(c) or "".join(
            x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
        v = cp if f == c else (f or None)
        if len(self) < 65536:  # bounded: a hostile text cannot grow it past a few MB
            self[cp] = v
        return v


_FOLD_CHARS = _FoldChars()


def fold(s: str) -> str:
    """Accent-free lower-case form: "Đắk Lắk" -> "dak lak", "Uỷ ban" -> "uy ban".

    Length is kept for text that is NFC and has no decomposable capitals beyond Vietnamese
    letters; spaces and punctuation are kept as they are (see the named keys below).
    The same as "".join(c for c in NFD(s with đ -> d) if not combining(c)).lower()."""
    return s.translate(_FOLD_CHARS).lower()


def name_key(s: Optional[str]) -> str:
    """Key for names typed with or without diacritics, any spacing: ' Đắk  Nông' -> 'dak nong'."""
    if not s:
        return ""
    return " ".join(fold(s).split())


@lru_cache(maxsize=8192)
def word_key(s: str) -> str:
    """Key of the words only: every run of punctuation and spaces is one space
    ("Đăk Glong" = "Đắk-Glong" -> "dak glong")."""
    return re.sub(r"[^a-z0-9]+", " ", fold(s)).strip()


# ---------------------------------------------------------------- document numbers

UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# Lenient form: any case, spaces anywhere around separators.
LOOSE_NUMBER_RE = re.compile(
    r"(?P<num>\d{1,5}[a-zđ]?)(?:\s*/\s*(?P<year>(?:19|20)\d\d))?\s*(?P<sep>[/-])\s*"
    rf"(?P<sym>[{UPPER}a-zđ&]+\d*(?:\s*[-/]\s*[{UPPER}a-zđ&]+\d*)*)",
    re.I,
)


@lru_cache(maxsize=1)
def doc_type_data() -> dict:
    """data/doc_types.json: types with their words and symbols, issuers, stop words."""
    try:
        return json.loads(_DOC_TYPES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RuntimeError(f"{_DOC_TYPES_PATH}: cannot read document types: {e}") from e


@lru_cache(maxsize=1)
def _symbol_maps() -> tuple[dict[str, str], dict[str, str]]:
    """casefold -> canonical symbol, and ascii fold -> canonical when the fold is unambiguous."""
    data = doc_type_data()
    symbols: set[str] = set()
    for t in data["types"]:
        symbols.update(t.get("symbols", []))
    for key in data["issuers"]:
        symbols.add(key)
        symbols.update(p for p in re.split(r"[&/-]", key) if p)
    exact = {s.casefold(): s for s in symbols}
    folded: dict[str, set[str]] = {}
    for s in symbols:
        folded.setdefault(fold(s), set()).add(s)
    loose = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1}
    return exact, loose


def is_symbol(letters: str) -> bool:
    """A symbol part of data/doc_types.json, any case ("ttg", "QĐ", "UBND")."""
    return letters.casefold() in _symbol_maps()[0]


def canonical_part(part: str) -> str:
    """One symbol part ("qd", "QD", "QĐ") in its data spelling ("QĐ")."""
    m = re.fullmatch(r"((?:[^\W\d_]|&)+)(\d*)", part)
    if not m:
        return part
    letters, digits = m.groups()
    exact, loose = _symbol_maps()
    if letters.casefold() in exact:
        return exact[letters.casefold()] + digits
    if fold(letters) in loose and not any(c in "Đđ" for c in letters):
        return loose[fold(letters)] + digits
    if letters.islower() or letters.isupper():
        return letters.upper() + digits
    return letters + digits


def canonical_number(s: Optional[str]) -> Optional[str]:
    """Any written form of a document number -> its canonical form, or None if s has none.

    "90/QD-TTG", "90/qđ-ttg", "QĐ 90/QĐ-TTg", "số 90 / QĐ - TTg" -> "90/QĐ-TTg".
    Symbol parts are spelled as in data/doc_types.json (Đ restored from D when unambiguous).
    """
    if not s:
        return None
    m = LOOSE_NUMBER_RE.search(fix_eth(clean_inline(s)))
    if not m:
        return None
    parts = re.split(r"\s*([-/])\s*", m.group("sym"))
    sym = "".join(p if p in "-/" else canonical_part(p) for p in parts)
    year = f"/{m.group('year')}" if m.group("year") else ""
    return f"{m.group('num').lower()}{year}{m.group('sep')}{sym}"


@lru_cache(maxsize=65536)
def number_key(s: Optional[str]) -> str:
    """Key to compare two written numbers: canonical, folded, no spaces
    ("90/QĐ-TTg", "90/QD-TTG", "90 / QĐ – TTg" -> "90/qd-ttg"); "" for none.

    The key of the whole string: a value that holds more than a number ("90/QĐ-TTg OR *", a
    filter typed by a client) keeps the rest and meets no document; finding the number inside a
    longer text is canonical_number's job."""
    if not s:
        return ""
    c = fix_eth(clean_inline(s))
    if LOOSE_NUMBER_RE.fullmatch(c):
        c = canonical_number(c) or c
    return re.sub(r"\s+", "", fold(c))
