"""Normalization: clean text for matching, with a map back to the original offsets."""
import pytest

from extraction.normalize import clean_inline, fold_tones, normalize


@pytest.mark.parametrize("raw, folded", [
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("hoà bình", "hòa bình"),
    ("Thanh Hoá", "Thanh Hóa"),
    ("khoẻ mạnh", "khỏe mạnh"),
    ("thuỷ lợi", "thủy lợi"),
    # one spelling only: a final consonant or "qu" fixes where the mark goes
    ("thoát nghèo", "thoát nghèo"),
    ("hoàn thành", "hoàn thành"),
    ("quý IV", "quý IV"),
    ("hoạt động", "hoạt động"),
])
def test_fold_tones(raw, folded):
    assert fold_tones(raw) == folded
    assert len(fold_tones(raw)) == len(raw)


@pytest.mark.parametrize("raw, clean", [
    ("10 –NQ/TU", "10 -NQ/TU"),
    ("Lao động — Thương binh", "Lao động - Thương binh"),
    ("Sở\u00a0Tài chính", "Sở Tài chính"),
    ("Quyết định số 90/QĐ‑TTg", "Quyết định số 90/QĐ-TTg"),
])
def test_clean_inline(raw, clean):
    assert clean_inline(raw) == clean


@pytest.mark.parametrize("raw, clean", [
    ("## I. MỤC ĐÍCH", "I. MỤC ĐÍCH"),
    ("## **2. Yêu cầu**", "2. Yêu cầu"),
    ("CO<sub>2</sub> thải", "CO2 thải"),
    # a sentence broken across a page goes on in lower case: joined
    ("ưu tiên người lao động thuộc hộ nghèo, hộ cận\n\nnghèo, hộ mới thoát nghèo.", "ưu tiên người lao động thuộc hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo."),
    # a heading in capitals, a finished sentence or a "(1)" label is not joined
    ("II. MỤC TIÊU NĂM 2023\n\n(1) Về kinh tế - xã hội", "II. MỤC TIÊU NĂM 2023\n\n(1) Về kinh tế - xã hội"),
    ("c) Nội dung hỗ trợ:\n- Về cơ sở vật chất", "c) Nội dung hỗ trợ:\n- Về cơ sở vật chất"),
    ("Nội dung:\na) Mục tiêu", "Nội dung:\na) Mục tiêu"),
    ("dòng một\r\ndòng hai", "dòng một dòng hai"),
    # a word hyphenated at a line end is one word again; a dash between words stays
    ("Văn phòng Điều phối nông thôn mới hu-\nyện trước ngày 15", "Văn phòng Điều phối nông thôn mới huyện trước ngày 15"),
    ("dự kiến là 8 640 tr-\niệu đồng", "dự kiến là 8 640 triệu đồng"),
    ("phát triển kinh tế -\nxã hội", "phát triển kinh tế - xã hội"),
    # table cells keep their tabs, empty cells too
    ("1 \t Dự án 1\t\t50.050", "1\tDự án 1\t\t50.050"),
])
def test_normalize_text(raw, clean):
    assert normalize(raw).text == clean


@pytest.mark.parametrize("raw, needle", [
    ("## **KẾ HOẠCH** Uỷ ban nhân dân huyện", "Ủy ban nhân dân"),
    ("Nghị quyết số 10 –NQ/TU ngày 05 tháng 7 năm 2022", "10 -NQ/TU"),
    ("Xã hộ\u0301i (decomposed) và 162.756 triệu đồng", "162.756 triệu đồng"),
    ("hộ cận\n\nnghèo, hộ mới thoát nghèo", "cận nghèo"),
])
def test_span_maps_back_to_original(raw, needle):
    n = normalize(raw)
    i = n.text.index(needle)
    s, e = n.span(i, i + len(needle))
    back = normalize(raw[s:e]).text
    assert back.replace("\n", " ").replace("  ", " ") == needle or fold_tones(back) == needle


def test_orig_has_one_entry_per_char_plus_end():
    raw = "## Căn cứ **Luật** Ngân sách\r\nnhà nước"
    n = normalize(raw)
    assert len(n.orig) == len(n.text) + 1
    assert n.orig[-1] == len(raw)
    assert all(a <= b for a, b in zip(n.orig, n.orig[1:]))


from hypothesis import given, settings, strategies as st  # noqa: E402
import unicodedata  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aoueyAOUĐđ \n\r\t-–*#<>/.,:()12") + ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323", "\u0302", "\u0306", "\u031b", "\u200b", "\ufeff", "\u00a0", "\u2126"]), max_size=80))
def test_offsets_are_monotone(raw):
    n = normalize(raw)
    assert len(n.orig) == len(n.text) + 1 and n.orig[-1] == len(raw)
    assert all(0 <= a <= b <= len(raw) for a, b in zip(n.orig, n.orig[1:]))
    for i in range(len(n.text)):
        s, e = n.span(i, i + 1)
        assert 0 <= s < e <= len(raw)


def test_decomposed_text_composes():
    raw = unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Phong Thổ\r\nKẾ HOẠCH")
    n = normalize(raw)
    assert n.text == "Ủy ban nhân dân huyện Phong Thổ\nKẾ HOẠCH"
    i = n.text.index("Phong Thổ")
    s, e = n.span(i, i + len("Phong Thổ"))
    assert unicodedata.normalize("NFC", raw[s:e]) == "Phong Thổ"


WRAPPED = """I. MỤC ĐÍCH
1. Đánh giá công tác quản lý chương trình trong năm thực hiện gồm: Kết quả xây
dựng chính sách quản lý, tổ chức thực hiện chương trình; công tác điều phối, phối
hợp trong quản lý. Căn cứ Nghị định số 27/2022/NĐ-CP ngày
19/4/2022 của Chính phủ quy định cơ chế quản lý, tổ chức thực hiện các chương
trình mục tiêu quốc gia. Kinh phí thực hiện Dự án 1 từ nguồn Ngân sách Trung ương là
50.050 triệu đồng.
2. Dự án 2: Đa dạng hóa sinh kế
a) Nội dung hỗ trợ
"""


@pytest.mark.parametrize("joined", [
    "ngày 19/4/2022 của Chính phủ",
    "Ngân sách Trung ương là 50.050 triệu đồng.",
    "Kết quả xây dựng chính sách",
])
def test_hard_wrapped_lines_are_joined(joined):
    assert joined in normalize(WRAPPED).text


@pytest.mark.parametrize("kept", ["\n2. Dự án 2: Đa dạng hóa sinh kế\na) Nội dung hỗ trợ", "I. MỤC ĐÍCH\n1. Đánh giá"])
def test_hard_wrapped_headings_stay_lines(kept):
    assert kept in normalize(WRAPPED).text


# a lone page number inside a broken sentence is the PDF's page break: dropped, sentence joined
@pytest.mark.parametrize("raw, clean", [
    ("Kinh phí: 980.000.000 đồng (ngân sách trung ương, vốn sự\n\n3\n\nnghiệp).",
     "Kinh phí: 980.000.000 đồng (ngân sách trung ương, vốn sự nghiệp)."),
    ("hỗ trợ phát triển sản xuất cho hộ\n- 12 -\nnghèo, hộ cận nghèo", "hỗ trợ phát triển sản xuất cho hộ nghèo, hộ cận nghèo"),
    ("các xã đặc biệt khó\n\nTrang 4\n\nkhăn vùng bãi ngang", "các xã đặc biệt khó khăn vùng bãi ngang"),
])
def test_page_number_inside_sentence_is_dropped(raw, clean):
    assert normalize(raw).text == clean


# a number line that is not a page break stays: the sentence ended, or the next line is not prose
@pytest.mark.parametrize("raw", [
    "Số hộ thoát nghèo:\n3\nhộ",
    "1. Mục tiêu chung.\n\n3\n\nnăm 2025",
    "Số xã đạt chuẩn\n3\nXã Tân Hội",
    "tổng số xã là\n\n3\n\nxã",  # a short line: the number is the sentence's own
])
def test_number_line_outside_broken_sentence_stays(raw):
    assert "3" in normalize(raw).text


# One set of text keys for every layer (extraction/textkeys.py).
@pytest.mark.parametrize("raw,folded,name,word", [
    ("Đắk Lắk", "dak lak", "dak lak", "dak lak"),
    ("Uỷ ban nhân dân", "uy ban nhan dan", "uy ban nhan dan", "uy ban nhan dan"),
    ("  Đăk  Glong ", "  dak  glong ", "dak glong", "dak glong"),
    ("Phan Rang - Tháp Chàm", "phan rang - thap cham", "phan rang - thap cham", "phan rang thap cham"),
    ("KRÔNG A NA", "krong a na", "krong a na", "krong a na"),
])
def test_fold_and_its_named_keys(raw, folded, name, word):
    from extraction.textkeys import fold, name_key, word_key

    assert (fold(raw), name_key(raw), word_key(raw)) == (folded, name, word)


@pytest.mark.parametrize("written,canonical,key", [
    ("90/QĐ-TTg", "90/QĐ-TTg", "90/qd-ttg"),
    ("90/QD-TTG", "90/QĐ-TTg", "90/qd-ttg"),
    ("90 / QĐ – TTg", "90/QĐ-TTg", "90/qd-ttg"),
    ("10/2022/TT-BLĐTBXH", "10/2022/TT-BLĐTBXH", "10/2022/tt-bldtbxh"),
    ("237 -KH/HU", "237-KH/HU", "237-kh/hu"),
    ("90/QÐ-TTg", "90/QĐ-TTg", "90/qd-ttg"),  # the Icelandic eth of some PDF fonts
])
def test_number_key_is_one_for_every_written_form(written, canonical, key):
    from extraction.textkeys import canonical_number, number_key

    assert canonical_number(written) == canonical
    assert number_key(written) == key


def test_number_key_is_the_key_of_the_whole_value():
    from extraction.textkeys import canonical_number, number_key

    assert canonical_number("số 90/QĐ-TTg ngày 18/01/2022") == "90/QĐ-TTg"  # found inside a text
    assert number_key("90/QĐ-TTg OR *") != number_key("90/QĐ-TTg")  # a filter value is a value


def test_layers_share_the_keys():
    from archive.store import fold as store_fold, number_key as store_key
    from extraction import textkeys
    from index.analysis import fold as index_fold, number_key as index_key

    assert index_key is store_key is textkeys.number_key
    assert index_fold("Đắk Nông") == textkeys.fold("Đắk Nông") and store_fold(" Đắk  Nông") == "dak nong"
