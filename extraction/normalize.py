"""Stage 1, clean: make the loaded text regular, keeping a map back to original offsets.

Pure functions, no I/O. What is done and why:
- Unicode NFC: PDF and Word exports mix composed and decomposed diacritics.
- dash variants (– — ‒ − ‐) become "-": document numbers are written with all of them.
- tabs stay: they separate table cells; runs of spaces become one space.
- conversion leftovers: markdown heading marks ("## "), bold marks ("**"), <sub>/<sup>
  tags, non-breaking and zero-width spaces.
- lines broken inside a sentence (page breaks in the PDF) are joined when the next line
  starts in lower case and the previous line does not end a sentence; a lone page number
  ("3", "- 3 -", "Trang 3") between them is dropped with the break.

`Normalized.orig[i]` is the offset in the original text of normalized character i
(`orig[len(text)]` is the original length), so any span found on the clean text can be
shown on the original.

`fold_tones` (in textkeys.py) makes the two tone-mark placements equal (hoà/hòa, uỷ/ủy) for
matching; it keeps the string length, so it is applied to the clean text without a new map.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .textkeys import CHAR_TABLE as _CHAR_TABLE, DASHES, DROP as _DROP, clean_inline, fold_tones, nfc  # noqa: F401 (re-exported)

_CHAR_MAP = {chr(k): v for k, v in _CHAR_TABLE.items()}
_CHAR_RE = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")  # rare: a regex finds them faster than translate

# Markup left by PDF/Word to markdown conversion. Each is removed, not replaced.
# (a lookbehind after the literal, not before it: the scan then skips to candidate characters)
_MARKUP_RE = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+|\*\*|__(?=\S)|__(?<=\S__)|</?(?:sub|sup|b|i|u|strong|em|br)\s*/?>", re.I)
_MARKUP_MARKS = ("#", "**", "__", "<")  # a text without any of these has no markup: no scan
_SPACES = re.compile(r"[ ]{2,}")
_TAB_SPACES = re.compile(r"[ ]+(?=\t)|(?<=\t)[ ]+")

_SENT_END = set(".:;!?")


@dataclass
class Normalized:
    text: str  # clean text
    orig: list[int]  # orig[i]: offset in the original of clean char i; len(orig) == len(text) + 1
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the clean text to the original text."""
        n = len(self.text)  # (called for every clause, section and mention: written lean)
        start = 0 if start < 0 else n if start > n else start
        if end > n:
            end = n
        orig = self.orig
        if end <= start:
            return orig[start], orig[start]
        e = orig[end - 1] + 1
        original = self.original
        while e < len(original) and unicodedata.combining(original[e]):
            e += 1  # a composed character covers its base and all its marks
        return orig[start], e


_COMB = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# what needs more than a copy: CR, dropped characters, a base with combining marks
_SPECIAL_RE = re.compile("\r\n?|[" + "".join(_DROP) + "]|.?[" + _COMB + "]+", re.S)
_SPECIAL_CHAR = re.compile("[\r" + "".join(_DROP) + _COMB + "]")  # one character class: a fast scan


def _char_level(original: str) -> tuple[str, list[int]]:
    """NFC, CRLF -> LF, invisible characters dropped, dashes and spaces unified; with the
    original offset of every output character. Plain runs are copied whole (fast path)."""
    pieces: list[str] = []
    orig: list[int] = []
    pos = 0

    def plain(a: int, b: int) -> None:
        seg = original[a:b]
        if unicodedata.is_normalized("NFC", seg):
            pieces.append(seg)
            orig.extend(range(a, b))
            return
        for k, c in enumerate(seg):  # singleton decompositions (Ω sign, CJK compatibility)
            for d in unicodedata.normalize("NFC", c):
                pieces.append(d)
                orig.append(a + k)

    # most texts have nothing special: one fast search instead of trying ".?[marks]" everywhere
    specials = _SPECIAL_RE.finditer(original) if _SPECIAL_CHAR.search(original) else ()
    for m in specials:
        if m.start() > pos:
            plain(pos, m.start())
        s = m.group(0)
        if s[0] == "\r":
            pieces.append("\n")
            orig.append(m.end() - 1)  # CRLF: the LF; a lone CR: itself
        elif s in _DROP:
            pass
        else:
            if s[0] in _DROP:  # an invisible character carrying marks: drop it, keep the marks
                s = s[1:]
                start = m.start() + 1
            else:
                start = m.start()
            for c in unicodedata.normalize("NFC", s):
                pieces.append(c)
                orig.append(start)
        pos = m.end()
    if pos < len(original):
        plain(pos, len(original))
    text = _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group(0)], "".join(pieces))
    return text, orig


def normalize(original: str) -> Normalized:
    # 1. character level: NFC per character cluster, keeping offsets. NFC can change the
    #    length, so compose cluster by cluster (a base char and its combining marks).
    text, orig = _char_level(original)

    # 2. markup leftovers and 3. line joins, as deletions/replacements on (text, orig).
    if any(k in text for k in _MARKUP_MARKS):
        text, orig = _apply(text, orig, _MARKUP_RE, lambda m: "")
    if "  " in text:
        text, orig = _apply(text, orig, _SPACES, lambda m: " ")
    # tabs separate table cells (docx/pdf tables): kept, empty cells too; spaces around them go
    if " \t" in text or "\t " in text:
        text, orig = _apply(text, orig, _TAB_SPACES, lambda m: "")
    # a word hyphenated at a line end ("hu-" / "yện"): one word again
    text, orig = _apply(text, orig, _HYPHENATED, lambda m: "")
    text, orig = _join_broken_lines(text, orig)
    text = fold_tones(text)
    orig.append(len(original))
    return Normalized(text=text, orig=orig, original=original)


def _apply(text: str, orig: list[int], pattern: re.Pattern, repl) -> tuple[str, list[int]]:
    matches = list(pattern.finditer(text))
    if not matches:
        return text, orig  # the usual case for most passes: no copy
    out: list[str] = []
    out_orig: list[int] = []
    pos = 0
    for m in matches:
        out.append(text[pos:m.start()])
        out_orig.extend(orig[pos:m.start()])
        r = repl(m)
        out.append(r)
        if r == m.group(0):
            out_orig.extend(orig[m.start():m.end()])
            pos = m.end()
            continue
        # a replacement points at the start of what it replaces
        out_orig.extend([orig[m.start()] if m.start() < len(orig) else (orig[-1] if orig else 0)] * len(r))
        pos = m.end()
    out.append(text[pos:])
    out_orig.extend(orig[pos:])
    return "".join(out), out_orig


_LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_HYPHENATED = re.compile(r"-(?<=[^\W\d_]-)[ ]*\n[ ]*(?=[" + _LOWER + "])")  # lookbehind after the "-": a fast scan
# _BROKEN and _WRAPPED: "(?<=X)[ ]*\n" written as its two cases, a space or the newline first, each
# tested against X after it: the scan then jumps to spaces and newlines (same matches)
_BROKEN = re.compile(r"(?: (?<=[^\n] )[ ]*\n|\n(?<=[^\n]\n))(?:[ ]*\n)?[ ]*(?=[" + _LOWER + "(])")
# a page number alone on its line ("3", "- 3 -", "Trang 3") inside a broken sentence: the page
# break of a PDF; it goes with the break when the sentence goes on in lower case
_PAGE_BREAK = re.compile(
    r"(?<=[^\n])[ ]*\n(?:[ ]*\n)*[ ]*(?:-[ ]*\d{1,3}[ ]*-|(?:Trang|trang)[ ]+\d{1,3}|\d{1,3})[ ]*\n(?:[ ]*\n)*[ ]*(?=[" + _LOWER + "])")
# hard-wrapped text: a single newline inside a long line that has not ended, before a line
# that is not a label, a heading or a new citation
# every page break holds a line of 1-3 digits: a text without one (most) is not scanned with the
# slow pattern above (its lookbehind is tried at every character)
_PAGE_NUMBER_LINE = re.compile(r"\n[ \n]*(?:-[ ]*\d{1,3}[ ]*-|(?:Trang|trang)[ ]+\d{1,3}|\d{1,3})[ ]*\n")
_WRAPPED = re.compile(r"(?: (?<=[^\n.:;!?\s] )[ ]*\n|\n(?<=[^\n.:;!?\s]\n))[ ]*(?=[0-9A-ZĐÀ-Ỹ])")
_NEW_LINE_START = re.compile(
    r"(?:[IVX]+\s*[.)\-/]|\d{1,2}(?:\.\d{1,2})*\s*[.)/]\s|[A-ZĐ][.)]\s|(?:Tiểu dự án|Dự án|Nội dung|Căn cứ|Điều|Phần|Chương|Mục|Xét|Thực hiện|Theo đề nghị|Trên cơ sở|Nơi nhận|Kính gửi|TM\.|KT\.)\b"
    # the header's place and date line ("Quảng Trị, ngày 05 tháng 7 năm 2023")
    r"|(?:[A-ZĐ]\S*[ ]){0,3}[A-ZĐ]\S*,[ ]*ngày\b)")
_PAGE_LINE_MIN = 40  # the line before a bare page number is a full line of prose
_WRAP_MIN = 40  # shorter lines are headings or list items, not wrapped prose


def _wrap_width(text: str) -> int | None:
    """The line width of a hard-wrapped text (most lines end mid-sentence and are followed by
    another line), None when paragraphs are lines, as in most conversions."""
    lines = text.split("\n")
    nonblank = [ln for ln in lines if ln.strip()]
    cont = [len(a) for a, b in zip(lines, lines[1:]) if a.strip() and b.strip() and a.rstrip()[-1:] not in ".:;!?"]
    if len(cont) < 5 or len(cont) < 0.3 * len(nonblank):
        return None
    cont.sort()
    return cont[int(0.9 * (len(cont) - 1))]


def _join_broken_lines(text: str, orig: list[int]) -> tuple[str, list[int]]:
    """Join a line to the next when the sentence obviously goes on.

    - the next line starts in lower case (a list item never does in these texts; "a)" is
      followed by ")" and is a heading, so it is kept);
    - hard-wrapped text (single newlines): a long line without final punctuation goes on
      into a next line that starts with a capital or a digit and is not a label or heading.
    """
    def repl(m: re.Match) -> str:
        prev = text[m.start() - 1] if m.start() else ""
        nxt = text[m.end(): m.end() + 4]
        if prev in _SENT_END:
            return m.group(0)
        if re.match(r"[a-zđ]\)|[a-zđ]\.\s|\(\w{1,3}\)", nxt):  # "a) ..." "b. ..." "(1) ..." headings
            return m.group(0)
        line = text[text.rfind("\n", 0, m.start()) + 1: m.start()]
        letters = list(filter(str.isalpha, line))
        if letters and sum(map(str.isupper, letters)) >= 0.8 * len(letters):
            return m.group(0)  # a heading in capitals ends its line
        return " "

    width = _wrap_width(text)  # measured before the lower-case joins make lines longer
    def repl_page(m: re.Match) -> str:
        # a page ends on a full line; after a short one a bare number may be the sentence's own
        # ("- 3 -" and "Trang 3" are page numbers wherever they stand)
        line = text[text.rfind("\n", 0, m.start()) + 1: m.start()]
        bare = re.fullmatch(r"\s*\d+\s*", m.group(0))
        return repl(m) if len(line) >= _PAGE_LINE_MIN or not bare else m.group(0)

    if _PAGE_NUMBER_LINE.search(text):
        text, orig = _apply(text, orig, _PAGE_BREAK, repl_page)
    text, orig = _apply(text, orig, _BROKEN, repl)
    if width is None:
        return text, orig
    min_len = max(_WRAP_MIN, int(0.7 * width))

    def repl_wrapped(m: re.Match) -> str:
        line = text[text.rfind("\n", 0, m.start()) + 1: m.start()]
        end = text.find("\n", m.end())
        nxt_line = text[m.end(): end if end >= 0 else len(text)]
        if len(line) < min_len or any("\t" in x or x.count(" | ") >= 2 for x in (line, nxt_line)):  # table rows
            return m.group(0)
        if _NEW_LINE_START.match(nxt_line):
            return m.group(0)
        for s in (line, nxt_line):
            letters = list(filter(str.isalpha, s))
            if letters and sum(map(str.isupper, letters)) >= 0.8 * len(letters):
                return m.group(0)
        return " "

    return _apply(text, orig, _WRAPPED, repl_wrapped)
