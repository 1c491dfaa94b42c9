"""Vietnamese analysis: tables of real strings and what they must give."""
from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from index.analysis import (MAX_TERMS, ParsedQuery, analyse_text, analyze, analyze_query, bigrams, fold,
                            highlight, number_key, numbers, tokenize)


@pytest.mark.parametrize("text, folded", [
    ("Hỗ trợ nhà ở", "ho tro nha o"),
    ("Đắk Glong", "dak glong"),
    ("ĐẮK NÔNG", "dak nong"),
    ("Uỷ ban", "uy ban"),
    ("Ủy ban", "uy ban"),
    ("hoà bình", "hoa binh"),
    ("Thừa Thiên Huế", "thua thien hue"),
    ("Nậm Sỏ", "nam so"),
    (unicodedata.normalize("NFD", "Hỗ trợ nhà ở"), "ho tro nha o"),  # decomposed input
])
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text, tokens", [
    ("Hỗ trợ nhà ở cho hộ nghèo", ["ho", "tro", "nha", "o", "cho", "ho", "ngheo"]),
    ("Dự án 5: Hỗ trợ nhà ở", ["du", "an", "5", "ho", "tro", "nha", "o"]),
    ("tổng kinh phí 13.260 triệu đồng", ["tong", "kinh", "phi", "13.260", "trieu", "dong"]),
    ("90/QĐ-TTg", ["90", "qd", "ttg"]),
    ("Kế hoạch số 219a/KH-UBND", ["ke", "hoach", "so", "219a", "kh", "ubnd"]),
    ("snake_case under_score", ["snake", "case", "under", "score"]),
    ("", []),
])
def test_analyze(text, tokens):
    assert analyze(text) == tokens


@pytest.mark.parametrize("text, expected", [
    ("hỗ trợ nhà ở", ["ho_tro", "tro_nha", "nha_o"]),
    ("hộ nghèo, hộ cận nghèo", ["ho_ngheo", "ho_can", "can_ngheo"]),  # not across the comma
    ("Dự án 5: Hỗ trợ", ["du_an", "an_5", "ho_tro"]),
])
def test_bigrams_never_cross_punctuation(text, expected):
    assert bigrams(text) == expected


@pytest.mark.parametrize("text, keys", [
    ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022", ["90/qd-ttg"]),
    ("90/QD-TTG", ["90/qd-ttg"]),
    ("QĐ 90/QĐ-TTg", ["90/qd-ttg"]),
    ("Nghị quyết số 10 -NQ/TU ngày 05 tháng 7", ["10-nq/tu"]),
    ("Kế hoạch số 237-KH/HU", ["237-kh/hu"]),
    ("Thông tư 10/2022/TT-BLĐTBXH", ["10/2022/tt-bldtbxh"]),
    ("Nghị quyết số 24/2021/QH15", ["24/2021/qh15"]),
    ("Kế hoạch số 219a/KH-UBND", ["219a/kh-ubnd"]),
    ("Công văn 4824/UBND-CV", ["4824/ubnd-cv"]),
    ("Số: /KH-UBND", []),  # blank number
    ("ngày 18/01/2022", []),  # a date is not a number
    ("giai đoạn 2021-2025", []),
    ("4 m2/người, 30 triệu đồng/hộ", []),
    ("1/3 số hộ", []),
])
def test_document_numbers(text, keys):
    assert numbers(text) == keys


def test_number_key_forms_agree():
    forms = ["90/QĐ-TTg", "90/QD-TTG", "90/qđ-ttg", "90 / QĐ - TTg", "90/QĐ–TTg"]
    assert {number_key(f) for f in forms} == {"90/qd-ttg"}


@pytest.mark.parametrize("q, terms, phrases, nums", [
    ("hỗ trợ nhà ở", ["ho", "tro", "nha", "o"], [], []),
    ("ho tro nha o", ["ho", "tro", "nha", "o"], [], []),
    ('"nhà ở" hộ nghèo', ["ho", "ngheo"], [["nha", "o"]], []),
    ('“nhà ở” hộ nghèo', ["ho", "ngheo"], [["nha", "o"]], []),  # typographic quotes
    ('"hỗ trợ nhà ở', ["ho", "tro", "nha", "o"], [], []),  # unbalanced: plain words
    ('a "b c" d "e', ["a", "d", "e"], [["b", "c"]], []),
    ("QĐ 90/QĐ-TTg", ["qd"], [], ["90/qd-ttg"]),
    ("số 90/QD-TTG", ["so"], [], ["90/qd-ttg"]),
    ("90/QĐ-TTg", [], [], ["90/qd-ttg"]),
    ("", [], [], []),
    ('"""', [], [], []),
])
def test_analyze_query(q, terms, phrases, nums):
    pq = analyze_query(q)
    assert (pq.terms, pq.phrases, pq.numbers) == (terms, phrases, nums)


def test_query_bigrams_rank_words():
    assert analyze_query("hỗ trợ nhà ở").bigrams == ["ho_tro", "tro_nha", "nha_o"]
    assert analyze_query("hộ nghèo, nhà ở").bigrams == ["ho_ngheo", "nha_o"]


def test_query_with_and_without_diacritics_is_the_same():
    a, b = analyze_query("hỗ trợ nhà ở cho hộ nghèo"), analyze_query("ho tro nha o cho ho ngheo")
    assert (a.terms, a.bigrams) == (b.terms, b.bigrams)


def test_long_queries_are_capped():
    pq = analyze_query(" ".join(f"w{i}" for i in range(5000)))
    assert len(pq.terms) == MAX_TERMS
    assert analyze_query("x" * 10_000).is_empty  # one over-long token: nothing to match


@pytest.mark.parametrize("text, q, expected", [
    ("Hỗ trợ nhà ở cho hộ nghèo", "ho tro nha o", "<mark>Hỗ trợ nhà ở</mark> cho <mark>hộ</mark> nghèo"),  # folded: hộ is ho
    ("Căn cứ Quyết định số 90/QĐ-TTg ngày", "90/QD-TTG", "Căn cứ Quyết định số <mark>90/QĐ-TTg</mark> ngày"),
    ("nhà văn hóa và nhà ở", '"nhà ở"', "nhà văn hóa và <mark>nhà ở</mark>"),
    ("hộ nghèo, hộ cận nghèo", "hộ nghèo", "<mark>hộ nghèo</mark>, <mark>hộ</mark> cận <mark>nghèo</mark>"),
    ("a < b & nhà", "nhà", "a &lt; b &amp; <mark>nhà</mark>"),
    ("không có gì", "nhà ở", "không có gì"),
    # a one-letter or very common term is marked only inside a matched pair, or when alone
    ("Hỗ trợ nhà ở cho hộ nghèo ở xã, ô tô, cơ sở", "ho tro nha o",
     "<mark>Hỗ trợ nhà ở</mark> cho <mark>hộ</mark> nghèo ở xã, ô tô, cơ sở"),
    ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18, số hộ", "Quyết định số 90/QĐ-TTg",
     "Căn cứ <mark>Quyết định số 90/QĐ-TTg</mark> ngày 18, số hộ"),
    ("số hộ nghèo, số liệu", "số hộ", "<mark>số hộ</mark> nghèo, số liệu"),
    ("ở xã, ô tô", "o", "<mark>ở</mark> xã, <mark>ô</mark> tô"),
    ("tổ chức tập huấn cho cán bộ và người dân", "tập huấn cán bộ",
     "tổ chức <mark>tập huấn</mark> cho <mark>cán bộ</mark> và người dân"),
])
def test_highlight(text, q, expected):
    assert highlight(text, analyze_query(q)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_highlight_only_adds_marks(text):
    out = highlight(text, analyze_query(text[:40]))
    assert html.unescape(re.sub(r"</?mark>", "", out)) == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_query_parses(q):
    pq = analyze_query(q)
    assert isinstance(pq, ParsedQuery)
    for t in pq.terms + pq.bigrams + pq.numbers:
        assert t and not any(c.isspace() for c in t)


def test_analyse_text_spans_are_offsets_of_the_text():
    text = "Phòng Lao động - Thương binh và Xã hội"
    for t in tokenize(text):
        assert fold(text[t.start:t.end]) == t.term
    a = analyse_text(text)
    assert a.tokens == analyze(text)
    assert "lao_dong" in a.bigrams and "dong_thuong" not in a.bigrams


_VI = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÂĂÊÔƠƯ 0123456789.,;:-/_()\"\n")),
              max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_VI, st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=200)))  # Latin scripts
def test_fast_indexing_path_equals_the_token_path(text):
    a = analyse_text(text)
    assert a.tokens == analyze(text)
    assert a.bigrams == bigrams(text)
