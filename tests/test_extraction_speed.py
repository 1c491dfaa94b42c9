"""Patterns rewritten for speed match exactly what their first forms matched.

A lookbehind, a `\\b` or an optional prefix at the start of a pattern makes Python's scanner try
every character; the fast forms test the same thing after their first literal. Each pair below
is (the pattern in use, its first form): both must give the same matches, spans and groups, on
edge strings (text start, a word character or "tiểu"/"q" before, line breaks) and on the
regression texts."""
import re
from pathlib import Path

import pytest

from extraction import nlp, normalize as N, scopes, textkeys
from extraction.agencies import candidates
from extraction.agencies.patterns import _anchor, gazetteer
from extraction.doc_types import NUMBER_RE, _PART

REGRESSION = sorted((Path(__file__).parent / "data" / "regression").glob("*.txt"))

EDGES = [
    "Dự án 3", "Tiểu dự án 2 của Dự án 3", "TIỂU DỰ ÁN 1 - DỰ ÁN 4", "xDự án 5", "Dựa án 6: Tên dự án đủ dài",
    "07 công trình thuộc dự án 4 và dự án 5", "athuộc dự án 2", "của các dự án 1, 2 và 3",
    "90/QĐ-TTg", "a90/QĐ-TTg", "/90/QĐ-TTg", "Số: 122/KH-UBND ngày", "-12/NQ-CP", "219a/QĐ-UBND",
    "hoà", "Hoà Bình", "quỳ", "Quý", "thuỷ lợi", "khoẻ", "oà",
    "hu-\nyện", "1-\nabc", "cấp huyện -\n  xã", "Giám đốc các Sở: Kế hoạch và Đầu tư, Tài chính",
    "các Phòng Tư pháp", "dòng một\ndòng hai", "a \n b", "\n\nabc", " \nabc", "A.\nbc", "dài dòng \n\n (1) mục",
    "tỉnh Lai Châu", "thành phố Cần Thơ", "xtỉnh Lai Châu", "Thành phố Huế",
]


def _texts():
    out = list(EDGES)
    for p in REGRESSION:
        out.append(N.normalize(p.read_text(encoding="utf-8")).text)
    return out


def _spans(rx, s):
    return [(m.span(), m.groups()) for m in rx.finditer(s)]


PAIRS = [
    ("words", nlp._SPLIT_RE, re.compile(r"(?<!\w)([^\W\d_]\w*)")),
    ("number", NUMBER_RE, re.compile(
        r"(?<![\w/.-])(?P<num>\d{1,5}[a-zđ]?)(?:\s*/\s*(?P<year>(?:19|20)\d\d))?[ ]?(?P<sep>[/-])[ ]?"
        rf"(?P<sym>{_PART}(?:[ ]?[-/]\n?[ ]?{_PART})*)")),
    ("tones", textkeys._TONE_RE, re.compile(
        r"(?<![qQ])(?:" + "|".join(map(re.escape, textkeys.TONE_PAIRS)) + r")(?![^\W\d_])")),
    ("hyphenated", N._HYPHENATED, re.compile(r"(?<=[^\W\d_])-[ ]*\n[ ]*(?=[" + N._LOWER + "])")),
    ("broken", N._BROKEN, re.compile(r"(?<=[^\n])[ ]*\n(?:[ ]*\n)?[ ]*(?=[" + N._LOWER + "(])")),
    ("wrapped", N._WRAPPED, re.compile(r"(?<=[^\n.:;!?\s])[ ]*\n[ ]*(?=[0-9A-ZĐÀ-Ỹ])")),
    ("markup", N._MARKUP_RE, re.compile(
        r"(?m)^[ \t]*#{1,6}[ \t]+|\*\*|__(?=\S)|(?<=\S)__|</?(?:sub|sup|b|i|u|strong|em|br)\s*/?>", re.I)),
    ("du_an", scopes._MENTION_DA_RE, re.compile(
        r"(?<![Tt]iểu )(?<!TIỂU )\b(?:Dự án|DỰ ÁN|Dựa án|DỰA ÁN)" + scopes._MENTION_DA_RE.pattern.split("(?:ự án|Ự ÁN|ựa án|ỰA ÁN)", 1)[1])),
    ("du_an_lower", scopes._MENTION_LOWER_DA_RE, re.compile(
        r"\b(?:thuộc|của|thực hiện|triển khai)" + scopes._MENTION_LOWER_DA_RE.pattern.split("(?<!\\wtriển khai)", 1)[1])),
]


@pytest.mark.parametrize("name, fast, first", PAIRS, ids=[p[0] for p in PAIRS])
def test_fast_pattern_matches_its_first_form(name, fast, first):
    for s in _texts():
        assert _spans(fast, s) == _spans(first, s), (name, s[:80])


def test_enumerated_lead_without_optional_prefix():
    lead, _ = candidates._enum_patterns()
    first = re.compile(r"(?:\bcác\s+)?" + lead.pattern)
    for s in _texts():
        assert [(m.span("head"), m.end()) for m in lead.finditer(s)] == \
               [(m.span("head"), m.end()) for m in first.finditer(s)]


def test_word_labels_cached_or_not_give_the_same_matches(monkeypatch):
    matcher = _anchor(gazetteer())
    texts = _texts()
    warm = [nlp.match_words(matcher, t) for t in texts]
    monkeypatch.setattr(nlp, "_WORD_LABELS", {})
    cold = [nlp.match_words(matcher, t) for t in texts]
    monkeypatch.setattr(nlp, "_WORD_LABELS_MAX", 50)  # the cache is cleared again and again
    tiny = [nlp.match_words(matcher, t) for t in texts]
    assert warm == cold == tiny
    assert any(warm)
