"""References: real citation strings from Vietnamese plans and what they must give (eyecite style)."""
import pytest

from extraction.model import Meta
from extraction.normalize import normalize
from extraction.doc_types import type_from_symbol
from extraction.references import find_references, parse_issuer
from extraction.textkeys import canonical_number


def refs(text, own=None):
    return find_references(normalize(text), None, Meta(number=own))


# (text, number, doc_type, date, issuer)
CITATIONS = [
    ("Căn cứ Kế hoạch số 237-KH/HU ngày 14/11/2022 của Huyện ủy Phong Thổ thực hiện "
     "Nghị quyết số 10 –NQ/TU ngày 05 tháng 7 năm 2022 của Ban chấp hành Đảng bộ tỉnh Lai Châu về tăng cường",
     "10-NQ/TU", "Nghị quyết", "2022-07-05", "Ban chấp hành Đảng bộ tỉnh Lai Châu"),
    ("Căn cứ Kế hoạch số 219a/KH-UBND ngày 01/7/2022 của Ủy ban nhân dân huyện Phong Thổ kế hoạch thực hiện",
     "219a/KH-UBND", "Kế hoạch", "2022-07-01", "Ủy ban nhân dân huyện Phong Thổ"),
    ("Thông tư số 10/2022/TT-BLĐTBXH ngày 31/5/2022 của Bộ trưởng Bộ Lao động - Thương binh và Xã hội hướng dẫn giám sát",
     "10/2022/TT-BLĐTBXH", "Thông tư", "2022-05-31", "Bộ trưởng Bộ Lao động - Thương binh và Xã hội"),
    ("(Ban hành kèm theo Kế hoạch số 343 /KH-UBND ngày 13/10/2023 của Ủy ban nhân dân tỉnh)",
     "343/KH-UBND", "Kế hoạch", "2023-10-13", "Ủy ban nhân dân tỉnh"),
    ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ về Quyết định phê duyệt Chương trình",
     "90/QĐ-TTg", "Quyết định", "2022-01-18", "Thủ tướng Chính phủ"),
    ("Thực hiện Công văn số 4824/UBND-CV ngày 27/12/2022 của Ủy ban nhân dân tỉnh Lai Châu về việc xây dựng kế hoạch",
     "4824/UBND-CV", "Công văn", "2022-12-27", "Ủy ban nhân dân tỉnh Lai Châu"),
    ("Thực hiện Nghị quyết số 24/2021/QH15 ngày 28/7/2021 của Quốc hội phê duyệt chủ trương đầu tư",
     "24/2021/QH15", "Nghị quyết", "2021-07-28", "Quốc hội"),
    ("Kế hoạch thực hiện Chỉ thị số 05-CT/TW ngày 23/6/2021 của Ban Bí thư Trung ương Đảng khóa XIII về tăng cường",
     "05-CT/TW", "Chỉ thị", "2021-06-23", "Ban Bí thư Trung ương Đảng khóa XIII"),
    ("Căn cứ Quyết định số 1040-QĐ/HU ngày 13/6/2022 của Ban Thường vụ Huyện ủy Triệu Sơn về việc thành lập",
     "1040-QĐ/HU", "Quyết định", "2022-06-13", "Ban Thường vụ Huyện ủy Triệu Sơn"),
    ("Bộ Nông nghiệp: Thông tư số 04/2022/TT-BNNPTNT ngày 11/7/2022 của Bộ Nông nghiệp và Phát triển nông thôn về hướng dẫn",
     "04/2022/TT-BNNPTNT", "Thông tư", "2022-07-11", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("Điều tra hộ nghèo theo quy định tại Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ.",
     "07/2021/NĐ-CP", "Nghị định", "2021-01-27", "Chính phủ"),
    ("Nội dung của Kế hoạch phải bám sát Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ và "
     "Kế hoạch số 77/KH-UBND ngày 21/3/2022 của UBND tỉnh, đảm bảo",
     "90/QĐ-TTg", "Quyết định", "2022-01-18", "Thủ tướng Chính phủ"),
    # the issuer named before the citation
    ("Xét đề nghị của Phòng Lao động - Thương binh và Xã hội huyện tại Tờ trình số 77/TTr-LĐTBXH ngày 12/4/2024;",
     "77/TTr-LĐTBXH", "Tờ trình", "2024-04-12", "Phòng Lao động - Thương binh và Xã hội huyện"),
    ("được Thủ tướng Chính phủ xem xét, quyết định hỗ trợ tại Quyết định số 880/QĐ-TTg ngày 22/7/2022 phê duyệt",
     "880/QĐ-TTg", "Quyết định", "2022-07-22", "Thủ tướng Chính phủ"),
    # without "số", date without "ngày", no issuer named
    ("theo Quyết định 1719/QĐ-TTg 14/10/2021 về phê duyệt", "1719/QĐ-TTg", "Quyết định", "2021-10-14", None),
    ("Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13 ngày 25/6/2015;", "83/2015/QH13", "Luật", "2015-06-25", None),
    ("Căn cứ Thông tư liên tịch số 01/2016/TTLT-BNNPTNT-BTC ngày 12/01/2016",
     "01/2016/TTLT-BNNPTNT-BTC", "Thông tư liên tịch", "2016-01-12", None),
    ("Thực hiện Văn bản số 1234/UBND-VX ngày 05/5/2023 của UBND tỉnh Quảng Ngãi về việc",
     "1234/UBND-VX", "Công văn", "2023-05-05", "UBND tỉnh Quảng Ngãi"),
    # a bare number: the symbol gives the type
    ("hướng dẫn tại 1105/LĐTBXH-VPQGGN và theo 36/2021/QĐ-TTg", "36/2021/QĐ-TTg", "Quyết định", None, None),
]


@pytest.mark.parametrize("text,number,doc_type,date,issuer", CITATIONS)
def test_citation(text, number, doc_type, date, issuer):
    found = {r.number: r for r in refs(text)}
    assert number in found, f"{number} not in {list(found)}"
    r = found[number]
    assert (r.doc_type, r.date, r.issuer) == (doc_type, date, issuer)


@pytest.mark.parametrize("text,numbers", [
    ("Căn cứ các Quyết định số 90/QĐ-TTg, 652/QĐ-TTg của Thủ tướng Chính phủ;", ["90/QĐ-TTg", "652/QĐ-TTg"]),
    ("Căn cứ các Quyết định số 90/QĐ-TTg ngày 18/01/2022, số 652/QĐ-TTg ngày 28/5/2022 của Thủ tướng Chính phủ;",
     ["90/QĐ-TTg", "652/QĐ-TTg"]),
    ("Căn cứ Quyết định số 263/QĐ-TTg ngày 22/02/2022 và 318/QĐ-TTg ngày 08/3/2022 của Thủ tướng Chính phủ",
     ["263/QĐ-TTg", "318/QĐ-TTg"]),
])
def test_several_numbers_in_one_citation(text, numbers):
    rs = refs(text)
    assert [r.number for r in rs] == numbers
    assert all(r.doc_type == "Quyết định" and r.issuer == "Thủ tướng Chính phủ" for r in rs)


def test_list_keeps_each_date():
    rs = refs("Căn cứ các Quyết định số 90/QĐ-TTg ngày 18/01/2022, số 652/QĐ-TTg ngày 28/5/2022 của Thủ tướng Chính phủ;")
    assert [r.date for r in rs] == ["2022-01-18", "2022-05-28"]


PLAN = """Số: 122/KH-UBND

Đắk Nông, ngày 29 tháng 02 năm 2024

KẾ HOẠCH
Thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình;
Thực hiện Nghị quyết số 28-NQ/TU ngày 30/12/2023 của Ban chấp hành Đảng bộ tỉnh Khóa XII về nhiệm vụ năm 2024.

Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện Chương trình năm 2024, cụ thể như sau:

I. MỤC ĐÍCH, YÊU CẦU

- Cụ thể hóa Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ.
- Các huyện nghèo (theo Quyết định số 353/QĐ-TTg ngày 15/3/2022 của Thủ tướng Chính phủ).

(Kế hoạch này thay thế Kế hoạch số 528/KH-UBND ngày 14/8/2023 của Ủy ban nhân dân tỉnh Đắk Nông)

(Ban hành kèm theo Kế hoạch số 122/KH-UBND ngày 29/02/2024 của Ủy ban nhân dân tỉnh)
"""


def test_relations_and_own_number():
    rs = {r.number: r for r in refs(PLAN, own="122/KH-UBND")}
    assert set(rs) == {"90/QĐ-TTg", "28-NQ/TU", "353/QĐ-TTg", "528/KH-UBND"}
    assert rs["90/QĐ-TTg"].relation == "căn cứ"  # preamble wins over the later body mention
    assert rs["90/QĐ-TTg"].mentions == 2
    assert rs["28-NQ/TU"].relation == "căn cứ"
    assert rs["28-NQ/TU"].issuer == "Ban chấp hành Đảng bộ tỉnh Khóa XII"
    assert rs["353/QĐ-TTg"].relation == "khác"
    assert rs["528/KH-UBND"].relation == "thay thế"


def test_spans_point_at_the_original():
    text = "I. Nội dung\n**Căn cứ** Nghị quyết số 10 –NQ/TU ngày 05 tháng 7 năm 2022 của Ban chấp hành Đảng bộ tỉnh Lai Châu."
    (r,) = refs(text)
    assert text[r.start:r.end].startswith("Nghị quyết số 10 –NQ/TU")
    assert text[r.start:r.end].endswith("Lai Châu")


@pytest.mark.parametrize("text", [
    "Số: /KH-UBND",
    "Phong Thổ, ngày 18/01/2022",
    "Tỷ lệ hộ nghèo giảm 2-3%/năm, 1.683 triệu đồng",
    "Số: 45/KH-UBND",  # the header number is the plan's own
    "theo 12/2023 và 15/3",
])
def test_not_references(text):
    assert refs(text) == []


@pytest.mark.parametrize("written,canonical", [
    ("90/QD-TTG", "90/QĐ-TTg"),
    ("90/qđ-ttg", "90/QĐ-TTg"),
    ("QĐ 90/QĐ-TTg", "90/QĐ-TTg"),
    ("số 90 / QĐ - TTg", "90/QĐ-TTg"),
    ("Quyết định số 90/QĐ-TTg", "90/QĐ-TTg"),
    ("10 –NQ/TU", "10-NQ/TU"),
    ("343 /KH-UBND", "343/KH-UBND"),
    ("10/2022/tt-bldtbxh", "10/2022/TT-BLĐTBXH"),
    ("24/2021/qh15", "24/2021/QH15"),
    ("1040-qd/hu", "1040-QĐ/HU"),
    ("219A/KH-UBND", "219a/KH-UBND"),
    ("09/2022/NQ-HDND", "09/2022/NQ-HĐND"),
    ("07/2021/nd-cp", "07/2021/NĐ-CP"),
    ("77/TTR-LĐTBXH", "77/TTr-LĐTBXH"),
    ("12/HD-UBND", "12/HD-UBND"),  # Hướng dẫn keeps D (HĐ is another symbol)
])
def test_canonical_number(written, canonical):
    assert canonical_number(written) == canonical


@pytest.mark.parametrize("s", ["", "abc", "ngày 18/01/2022", "Số: /KH-UBND"])
def test_canonical_number_none(s):
    assert canonical_number(s) is None


@pytest.mark.parametrize("number,doc_type", [
    ("90/QĐ-TTg", "Quyết định"), ("237-KH/HU", "Kế hoạch"), ("4824/UBND-VX", "Công văn"),
    ("10/2022/TT-BLĐTBXH", "Thông tư"), ("24/2021/QH15", None), ("05-CT/TW", "Chỉ thị"),
])
def test_type_from_symbol(number, doc_type):
    assert type_from_symbol(number) == doc_type


@pytest.mark.parametrize("s,issuer", [
    ("Thủ tướng Chính phủ về việc ban hành", "Thủ tướng Chính phủ"),
    ("Huyện ủy Phong Thổ thực hiện Nghị quyết", "Huyện ủy Phong Thổ"),
    ("UBND huyện thực hiện Chương trình", "UBND huyện"),
    ("Hội đồng nhân dân tỉnh để thực hiện Chương trình.", "Hội đồng nhân dân tỉnh"),
    ("mình về việc", None),
    # a sector name holding a stop word ("Kế hoạch") is still the name
    ("Bộ Kế hoạch và Đầu tư về việc hướng dẫn", "Bộ Kế hoạch và Đầu tư"),
    ("Giám đốc Sở Kế hoạch và Đầu tư tại Tờ trình", "Giám đốc Sở Kế hoạch và Đầu tư"),
    ("Phòng Tài chính - Kế hoạch huyện về việc", "Phòng Tài chính - Kế hoạch huyện"),
    ("UBND huyện Kế hoạch thực hiện", "UBND huyện"),
])
def test_parse_issuer(s, issuer):
    assert parse_issuer(s) == issuer


@pytest.mark.parametrize("text,number,date,issuer", [
    ("Căn cứ Quyết định số 2248/QĐ-BVHTTDL ngày 10/8/2022 của Bộ Văn hóa, Thể thao và Du lịch về việc ban hành",
     "2248/QĐ-BVHTTDL", "2022-08-10", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("Căn cứ Quyết định số 90/QĐ-TTg của Thủ tướng Chính phủ ngày 18/01/2022 phê duyệt",
     "90/QĐ-TTg", "2022-01-18", "Thủ tướng Chính phủ"),
    ("Thực hiện Kế hoạch số 120/KH-UBND ngày 10/02/2023 của UBND tỉnh Lai Châu, về việc",
     "120/KH-UBND", "2023-02-10", "UBND tỉnh Lai Châu"),
])
def test_issuer_and_date_forms(text, number, date, issuer):
    (r,) = refs(text)
    assert (r.number, r.date, r.issuer) == (number, date, issuer)


@pytest.mark.parametrize("text", [
    "Báo cáo theo Biểu số 01/BC-LĐTBXH kèm theo",
    "Tổng hợp theo mẫu 02/KH",
    "đạt 12/KH trên",
])
def test_forms_and_short_bare_numbers_are_not_references(text):
    assert refs(text) == []


@pytest.mark.parametrize("text,relations", [
    ("I. NỘI DUNG\nKế hoạch này thay thế Kế hoạch số 12/KH-UBND ngày 5/1/2023 của UBND huyện và Kế hoạch số 15/KH-UBND.",
     {"12/KH-UBND": "thay thế", "15/KH-UBND": "thay thế"}),
    ("I. NỘI DUNG\nQuyết định số 38/2023/QĐ-TTg thay thế Quyết định số 12/2019/QĐ-TTg.",
     {"38/2023/QĐ-TTg": "khác", "12/2019/QĐ-TTg": "khác"}),
    ("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n- Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;\n"
     "II. MỤC TIÊU\n- Theo Quyết định số 353/QĐ-TTg.",
     {"90/QĐ-TTg": "căn cứ", "353/QĐ-TTg": "khác"}),
    ("Căn cứ Quyết định số 90/QĐ-TTg;\nThực hiện Kế hoạch số 77/KH-UBND của UBND tỉnh;\nXét đề nghị tại Tờ trình số 5/TTr-LĐTBXH;",
     {"90/QĐ-TTg": "căn cứ", "77/KH-UBND": "căn cứ", "5/TTr-LĐTBXH": "căn cứ"}),
])
def test_relations(text, relations):
    assert {r.number: r.relation for r in refs(text)} == relations


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.text(alphabet="Số: 0123456789/-–QĐKHUBNDTTgcủaThủtướngngàytháng năm\n;.,()", max_size=300))
def test_never_raises_on_arbitrary_text(s):
    for r in refs(s):
        assert (r.number or r.title) and r.relation in ("thay thế", "căn cứ", "khác")  # a law by title has no number
    canonical_number(s)


@pytest.mark.parametrize("text,types", [
    ("Căn cứ các Nghị quyết: số 24/2021/QH15, số 25/2021/QH15 của Quốc hội;",
     {"24/2021/QH15": "Nghị quyết", "25/2021/QH15": "Nghị quyết"}),
    ("Căn cứ Quyết định số 90/QĐ-TTg, 10/2022/TT-BLĐTBXH;",
     {"90/QĐ-TTg": "Quyết định", "10/2022/TT-BLĐTBXH": "Thông tư"}),
])
def test_list_types(text, types):
    assert {r.number: r.doc_type for r in refs(text)} == types


@pytest.mark.parametrize("text,number,issuer", [
    # PDF fonts give the eth Ð (U+00D0) for Đ
    ("Căn cứ Quyết định số 90/Q\u00d0-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;", "90/QĐ-TTg", "Thủ tướng Chính phủ"),
    ("Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc về việc",
     "1719/QĐ-TTg", "Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc"),
    ("QĐ số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ", "90/QĐ-TTg", "Thủ tướng Chính phủ"),
])
def test_written_variants(text, number, issuer):
    (r,) = refs(text)
    assert (r.number, r.issuer) == (number, issuer)


@pytest.mark.parametrize("text,number,issuer", [
    ("Quyết định số 70/2014/QĐ- TTg Điều lệ trường đại học", "70/2014/QĐ-TTg", None),
    ("Chỉ thị số 1725/BTTTT-ƯDCNTT ngày 4/6/2010 của Bộ Thông tin và Truyền thông về việc", "1725/BTTTT-ƯDCNTT",
     "Bộ Thông tin và Truyền thông"),
    ("Kế hoạch của Ủy ban nhân dân tỉnh Bạc Liêu (tại Quyết định số 1701/QĐ-UBND ngày 07/10/2016), sáng",
     "1701/QĐ-UBND", "Ủy ban nhân dân tỉnh Bạc Liêu"),
    ("Thông tư số 21/2017/TT-BNNPTNT ngày 15/11/2017 của Bộ Nông nghiệp và Phát triển nông thôn Hướng dẫn thực hiện",
     "21/2017/TT-BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
])
def test_real_strings_from_other_documents(text, number, issuer):
    r = refs(text)[0]
    assert (r.number, r.issuer) == (number, issuer)


@pytest.mark.parametrize("text,number,issuer", [
    # the body that issued it is the subject of "ban hành"
    ("Năm 2023, UBND huyện ban hành Kế hoạch số 58/KH-UBND ngày 20/02/2023 triển khai thực hiện Chương trình.",
     "58/KH-UBND", "UBND huyện"),
    ("Sở LĐTBXH đã tham mưu UBND tỉnh ban hành Kế hoạch số 77/KH-UBND ngày 21/3/2022 về giảm nghèo.",
     "77/KH-UBND", "UBND tỉnh"),
    ("Đã ban hành Kế hoạch số 12/KH-UBND ngày 21/3/2022 về giảm nghèo.", "12/KH-UBND", None),
])
def test_issuer_as_subject_of_ban_hanh(text, number, issuer):
    r = refs(text)[0]
    assert (r.number, r.issuer) == (number, issuer)


# The strings issue 2 names, alone, and what each must give.
@pytest.mark.parametrize("text,number,doc_type,date", [
    ("Nghị quyết số 10 –NQ/TU ngày 05 tháng 7 năm 2022", "10-NQ/TU", "Nghị quyết", "2022-07-05"),
    ("Kế hoạch số 219a/KH-UBND ngày 01/7/2022", "219a/KH-UBND", "Kế hoạch", "2022-07-01"),
    ("Thông tư số 10/2022/TT-BLĐTBXH ngày 31/5/2022", "10/2022/TT-BLĐTBXH", "Thông tư", "2022-05-31"),
    ("Kế hoạch số 343 /KH-UBND", "343/KH-UBND", "Kế hoạch", None),
])
def test_issue_strings(text, number, doc_type, date):
    (r,) = refs(text)
    assert (r.number, r.doc_type, r.date, r.issuer) == (number, doc_type, date, None)
    assert canonical_number(text) == number


@pytest.mark.parametrize("s,issuer", [
    ("Văn phòng Quốc gia về giảm nghèo về việc hướng dẫn", "Văn phòng Quốc gia về giảm nghèo"),
    ("Ban Chấp hành Trung ương Đảng (khóa XIII) về", "Ban Chấp hành Trung ương Đảng"),
])
def test_parse_issuer_known_bodies(s, issuer):
    assert parse_issuer(s) == issuer


# ---------------------------------------------------------------- laws and documents cited by title

from extraction.laws import citation_key, find_titled, law_number, same_document  # noqa: E402
from extraction.model import Reference  # noqa: E402

HEADER = "ỦY BAN NHÂN DÂN\nTỈNH KIÊN TRUNG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nSố: 15/QĐ-UBND\n\nQUYẾT ĐỊNH\nVỀ VIỆC PHÊ DUYỆT KẾ HOẠCH\n\n"

# (text, [(title, date, known number)])
TITLED = [
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
     [("Luật Tổ chức chính quyền địa phương", "2015-06-19", "77/2015/QH13")]),
    ("Căn cứ Luật Tổ chức chính\nquyền địa phương ngày 19/6/2015; Luật Sửa đổi, bổ sung một số điều của Luật Tổ\n"
     "chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22/11/2019;",
     [("Luật Tổ chức chính quyền địa phương", "2015-06-19", "77/2015/QH13"),
      ("Luật Sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
       "2019-11-22", "47/2019/QH14")]),
    ("Căn cứ Luật Tổ chức HĐND và UBND ngày\n26/11/2003;",
     [("Luật Tổ chức HĐND và UBND", "2003-11-26", "11/2003/QH11")]),
    ("Căn cứ Luật Đầu tư công năm 2019;", [("Luật Đầu tư công", None, "39/2019/QH14")]),
    ("Căn cứ Luật Tổ chức Chính phủ ngày 19/6/2015 và Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
     [("Luật Tổ chức Chính phủ", "2015-06-19", "76/2015/QH13"),
      ("Luật Tổ chức chính quyền địa phương", "2015-06-19", "77/2015/QH13")]),
    ("Căn cứ Luật Phí và lệ phí ngày 25 tháng 11 năm 2015;", [("Luật Phí và lệ phí", "2015-11-25", "97/2015/QH13")]),
    ("Căn cứ Luật Quản lý thuế ngày 13 tháng 6 năm 2019;", [("Luật Quản lý thuế", "2019-06-13", None)]),
    ("Căn cứ Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ XXII, nhiệm kỳ 2020-2025;",
     [("Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ XXII, nhiệm kỳ 2020-2025", None, None)]),
]


@pytest.mark.parametrize("text,expected", TITLED)
def test_documents_cited_by_title(text, expected):
    found = find_titled(normalize(text).text)
    assert [(t.title, t.date, t.known_number) for t in found] == expected


@pytest.mark.parametrize("text", [
    "Tổ chức thực hiện theo đúng quy định của pháp luật hiện hành.",
    "phấn đấu theo tinh thần Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVI, UBND tỉnh xây dựng",
    "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020.",
    "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13 ngày 25/6/2015;",  # cited by its number
])
def test_not_cited_by_title(text):
    assert find_titled(normalize(text).text) == []


def test_law_by_title_is_a_reference_with_no_number():
    (r,) = refs(HEADER + "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;\n\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt")
    assert (r.number, r.doc_type, r.title, r.date, r.relation, r.known_number) == (
        None, "Luật", "Luật Ngân sách nhà nước", "2015-06-25", "căn cứ", "83/2015/QH13")


def test_party_congress_resolution_names_its_issuer():
    (r,) = refs(HEADER + "Căn cứ Nghị quyết Đại hội Đảng bộ tỉnh Kiên Trung lần thứ XV, nhiệm kỳ 2020-2025;")
    assert (r.doc_type, r.issuer, r.date) == ("Nghị quyết", "Đại hội Đảng bộ tỉnh Kiên Trung lần thứ XV", None)


# ---------------------------------------------------------------- citation identity

def _ref(**kw):
    return Reference(number=kw.pop("number", None), **kw)


@pytest.mark.parametrize("a,b,same", [
    # a law by title and the same law by number
    (_ref(doc_type="Luật", title="Luật Đầu tư công", date="2019-06-13"), _ref(number="39/2019/QH14"), True),
    (_ref(doc_type="Luật", title="Luật Tổ chức HĐND và UBND", date="2003-11-26"),
     _ref(number="11/2003/QH11", doc_type="Luật", date="2003-11-26"), True),
    # two versions of one title are two laws
    (_ref(doc_type="Luật", title="Luật Đầu tư công", date="2019-06-13"),
     _ref(doc_type="Luật", title="Luật Đầu tư công", date="2014-06-18"), False),
    # one number, two years: two documents
    (_ref(number="1600/QĐ-TTg", date="2016-08-16"), _ref(number="1600/QĐ-TTg", date="2023-12-10"), False),
    (_ref(number="1600/QĐ-TTg", date="2016-08-16"), _ref(number="1600/QD-TTG", date="2016-08-16"), True),
    # a citation with no date cannot be told apart from a dated one
    (_ref(number="90/QĐ-TTg"), _ref(number="90/QĐ-TTg", date="2022-01-18"), True),
    # the year inside the number is the identity; the date adds nothing
    (_ref(number="24/2021/QH15", date="2021-07-28"), _ref(number="24/2021/QH15"), True),
    # a law not in the gazetteer: by title and year
    (_ref(doc_type="Luật", title="Luật Quản lý thuế", date="2019-06-13"),
     _ref(doc_type="Luật", title="Luật quản lý thuế", date="2019-06-13"), True),
])
def test_citation_identity(a, b, same):
    assert same_document(citation_key(a), citation_key(b)) is same


def test_citation_key_forms():
    assert citation_key(_ref(number="90/QĐ-TTg", date="2022-01-18")) == "90/qd-ttg@2022"
    assert citation_key(_ref(number="24/2021/QH15", date="2021-07-28")) == "24/2021/qh15"
    assert citation_key({"number": None, "doc_type": "Luật", "title": "Luật Ngân sách nhà nước",
                         "date": "2015-06-25"}) == "83/2015/qh13"
    assert law_number("Luật Ngân sách Nhà nước", year=2015) == "83/2015/QH13"
    assert law_number("Luật Ngân sách nhà nước") is None  # two versions, no date


def test_one_number_two_years_are_two_references():
    text = ("Căn cứ Quyết định số 1600/QĐ-TTg ngày 16/8/2016 của Thủ tướng Chính phủ;\n"
            "Căn cứ Quyết định số 1600/QĐ-TTg ngày 10/12/2023 của Thủ tướng Chính phủ;")
    assert [(r.number, r.date) for r in refs(text)] == [
        ("1600/QĐ-TTg", "2016-08-16"), ("1600/QĐ-TTg", "2023-12-10")]


# ---------------------------------------------------------------- legal-basis blocks

def test_list_after_a_colon_carries_type_and_issuer():
    text = (HEADER + "Căn cứ các Nghị quyết của Quốc hội: Số 25/2019/QH14 ngày 18 tháng 11 năm 2019 phê duyệt Đề án "
            "tổng thể; số 140/2020/QH14 ngày 19 tháng 6 năm 2020 phê duyệt chủ trương đầu tư;\n"
            "Căn cứ các Nghị định của Chính phủ: số 12/2022/NĐ-CP ngày 19/4/2022 quy định cơ chế; "
            "số 44/2023/NĐ-CP ngày 24/6/2023 sửa đổi, bổ sung;")
    got = [(r.number, r.doc_type, r.issuer, r.relation) for r in refs(text)]
    assert got == [
        ("25/2019/QH14", "Nghị quyết", "Quốc hội", "căn cứ"),
        ("140/2020/QH14", "Nghị quyết", "Quốc hội", "căn cứ"),
        ("12/2022/NĐ-CP", "Nghị định", "Chính phủ", "căn cứ"),
        ("44/2023/NĐ-CP", "Nghị định", "Chính phủ", "căn cứ"),
    ]


@pytest.mark.parametrize("text,relations", [
    # "Thực hiện", "Xét", "Theo đề nghị" and a lead-less list item are the legal basis
    (HEADER + "Căn cứ Nghị định số 27/2022/NĐ-CP ngày 19/4/2022 của Chính phủ;\n\n"
     "Thực hiện Quyết định số 90/QĐ-TTg ngày 18 tháng 01 năm 2022 của Thủ tướng Chính phủ;\n\n"
     "Xét Tờ trình số 73/TTr-UBND ngày 08 tháng 10 năm 2021 của Ủy ban nhân dân tỉnh;\n"
     "Theo đề\nnghị của Sở Lao động - Thương binh và Xã hội tại Tờ trình số 982/TTr-SLĐTBXH\nngày 10/8/2011,\n"
     "QUYẾT ĐỊNH:\nĐiều 1. Phê duyệt theo Quyết định số 12/QĐ-UBND ngày 2/2/2022.",
     {"27/2022/NĐ-CP": "căn cứ", "90/QĐ-TTg": "căn cứ", "73/TTr-UBND": "căn cứ", "982/TTr-SLĐTBXH": "căn cứ",
      "12/QĐ-UBND": "khác"}),
    # the title names the document it amends: not its legal basis
    ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 70/QĐ-UBND | Kiên Trung, ngày 2 tháng 3 năm 2024 |\n"
     "QUYẾT ĐỊNH\nVỀ VIỆC SỬA ĐỔI KẾ HOẠCH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 61/QĐ-UBND NGÀY 08/8/2022\n"
     "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;",
     {"61/QĐ-UBND": "khác", "90/QĐ-TTg": "căn cứ"}),
    # a news page reporting a decision: what it cites is no legal basis
    ("Phân bổ kinh phí sự nghiệp năm 2024\n\nNgày 25/3/2024 UBND tỉnh Kiên Trung vừa ban hành Quyết định số "
     "54/QĐ-UBND về việc phân bổ kinh phí.\nTheo Quyết định số 54/QĐ-UBND, tổng kinh phí là 10 tỷ đồng.",
     {"54/QĐ-UBND": "khác"}),
])
def test_basis_relations(text, relations):
    assert {r.number: r.relation for r in refs(text)} == relations


def test_news_page_dates_the_reported_decision():
    (r,) = refs("Ngày 25/4/2023, Ủy ban nhân dân tỉnh đã ban hành Quyết định số 849/QĐ-UBND giao kế hoạch vốn.")
    assert (r.date, r.issuer, r.relation) == ("2023-04-25", "Ủy ban nhân dân tỉnh", "khác")


def test_issuer_named_before_a_broken_line():
    (r,) = refs("Căn cứ Quyết định số 9/QĐ-TTg;\nTheo đề nghị của Ban Dân tộc tỉnh tại\nTờ trình số 89/TTr-BDT ngày 25/10/2022, "
                "Ủy ban nhân dân tỉnh ban hành Kế hoạch", own="9/QĐ-TTg")
    assert (r.number, r.issuer) == ("89/TTr-BDT", "Ban Dân tộc tỉnh")


def test_list_head_issuer_carried_to_typed_items():
    text = ("Căn cứ các Quyết định của Thủ tướng Chính phủ: Quyết định số 90/QĐ-TTg ngày 18/01/2022 phê duyệt "
            "Chương trình; Quyết định số 652/QĐ-TTg ngày 28/5/2022 về việc giao kế hoạch;")
    assert [(r.number, r.issuer) for r in refs(text)] == [("90/QĐ-TTg", "Thủ tướng Chính phủ"),
                                                          ("652/QĐ-TTg", "Thủ tướng Chính phủ")]


def test_number_broken_after_its_dash():
    (r,) = refs("Căn cứ Quyết định số 90/QĐ-\nTTg ngày 18/01/2022 của Thủ tướng Chính phủ;")
    assert (r.number, r.date, r.issuer) == ("90/QĐ-TTg", "2022-01-18", "Thủ tướng Chính phủ")


@pytest.mark.parametrize("text,title,doc_type,date", [
    ("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013;",
     "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Hiến pháp", None),
    ("Căn cứ Pháp lệnh Ưu đãi người có công với cách mạng ngày 09 tháng 12 năm 2020;",
     "Pháp lệnh Ưu đãi người có công với cách mạng", "Pháp lệnh", "2020-12-09"),
    ("Căn cứ Bộ luật Lao động ngày 20 tháng 11 năm 2019;", "Bộ luật Lao động", "Luật", "2019-11-20"),
])
def test_other_documents_cited_by_title(text, title, doc_type, date):
    (r,) = refs(text)
    assert (r.number, r.title, r.doc_type, r.date) == (None, title, doc_type, date)


@pytest.mark.parametrize("query,keys", [
    ("39/2019/QH14", ["39/2019/qh14"]),
    ("Luật Đầu tư công ngày 13/6/2019", ["39/2019/qh14"]),
    ("Luật Đầu tư công năm 2019", ["39/2019/qh14"]),
    ("Luật Đầu tư công", ["49/2014/qh13", "39/2019/qh14"]),  # each version the gazetteer knows
    ("90/QĐ-TTg", ["90/qd-ttg"]),
    ("QĐ 90/QD-TTG ngày 18/01/2022", ["90/qd-ttg@2022"]),
    ("Luật Quản lý thuế năm 2019", ["luat:luat quan ly thue@2019"]),
    ("giảm nghèo", []),
])
def test_query_keys(query, keys):
    from extraction.laws import query_keys
    assert query_keys(query) == keys


def test_query_key_meets_every_written_form():
    from extraction.laws import query_keys
    cited = [_ref(doc_type="Luật", title="Luật Đầu tư công", date="2019-06-13"), _ref(number="39/2019/QH14"),
             _ref(number="90/QĐ-TTg", date="2022-01-18"), _ref(number="90/QĐ-TTg")]
    for q, expected in [("Luật Đầu tư công năm 2019", [True, True, False, False]),
                        ("90/QĐ-TTg", [False, False, True, True])]:
        assert [any(same_document(k, citation_key(r)) for k in query_keys(q)) for r in cited] == expected


@pytest.mark.parametrize("text,is_doc", [
    ("Thực hiện Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;\nUBND huyện ban hành Kế hoạch như sau:", True),
    ("ỦY BAN NHÂN DÂN\nHUYỆN BẢO LẠC\nSố: 12/KH-UBND\n", True),
    ("Theo Quyết định số 450/QĐ-UBND ban hành ngày 22/3/2023, UBND tỉnh phân bổ kinh phí sự nghiệp.", False),
    ("22/03/2023\nPhân bổ trên 90 tỷ đồng kinh phí sự nghiệp\nNgày 20/3, UBND tỉnh đã ban hành Quyết định số 4/QĐ-UBND.", False),
])
def test_document_or_page_reporting_one(text, is_doc):
    from extraction.basis import is_document
    assert is_document(text) is is_doc


def test_issuer_stops_before_the_next_cited_document():
    got = {r.number or r.title: r.issuer for r in refs(
        "1. Mục đích\nThực hiện các mục tiêu theo Nghị quyết số 24/2021/QH15 của Quốc hội và Luật Ngân sách nhà nước.")}
    assert got == {"24/2021/QH15": "Quốc hội", "Luật Ngân sách nhà nước": None}


@pytest.mark.parametrize("text,issuer", [
    ("Theo Quyết định số 450/QĐ-UBND ban hành ngày 22/3/2023, UBND tỉnh phân bổ và giao dự toán kinh phí.", "UBND tỉnh"),
    # the acting body is not of the kind the symbol names: no issuer
    ("Theo Quyết định số 90/QĐ-TTg ngày 18/01/2022, UBND tỉnh phân bổ kinh phí.", None),
])
def test_issuer_acting_on_its_own_decision(text, issuer):
    (r,) = refs(text)
    assert r.issuer == issuer
