"""Meta: real header, preamble and signature strings and what they must give (eyecite style)."""
import pytest

from extraction import meta as M
from extraction.normalize import normalize


def meta_of(text):
    return M.extract_meta(normalize(text), None)


@pytest.mark.parametrize("header,number,has_line", [
    ("Số: /KH-UBND\n", None, True),
    ("Số: 122/KH-UBND\n", "122/KH-UBND", True),
    ("Số: 343 /KH-UBND\n", "343/KH-UBND", True),
    ("Số:     /KH-UBND          Phong Thổ, ngày   tháng   năm 2022\n", None, True),
    ("Số: 45/KH-UBND Mường Tè, ngày 15 tháng 3 năm 2023\n", "45/KH-UBND", True),
    ("KẾ HOẠCH\n", None, False),
])
def test_number(header, number, has_line):
    assert M.find_number(header) == (number, has_line)


@pytest.mark.parametrize("line,place,date,year", [
    ("Phong Thổ, ngày tháng năm 2022", "Phong Thổ", None, 2022),
    ("Sơn Hà, ngày tháng 4 năm 2024", "Sơn Hà", None, 2024),
    ("Đắk Nông, ngày 29 tháng 02 năm 2024", "Đắk Nông", "2024-02-29", 2024),
    ("Số: 45/KH-UBND Mường Tè, ngày 15 tháng 3 năm 2023", "Mường Tè", "2023-03-15", 2023),
    ("Triệu Sơn, ngày .... tháng 8 năm 2022", "Triệu Sơn", None, 2022),
    ("KẾ HOẠCH", None, None, None),
])
def test_issue_line(line, place, date, year):
    assert M.find_issue_line(line) == (place, date, year)


@pytest.mark.parametrize("title,sentence,years", [
    ("Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023", None, [2023]),
    ("Triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025 "
     "trên địa bàn huyện Triệu Sơn", None, [2021, 2022, 2023, 2024, 2025]),
    ("Thực hiện Chương trình giai đoạn 2021 - 2025", None, [2021, 2022, 2023, 2024, 2025]),
    ("Hỗ trợ huyện A Lưới tỉnh Thừa Thiên Huế thoát khỏi tình trạng nghèo, đặc biệt khó khăn vào cuối năm 2023",
     None, [2023]),
    ("Thực hiện Chương trình", "ban hành Kế hoạch thực hiện Chương trình năm 2024, cụ thể như sau:", [2024]),
])
def test_plan_years(title, sentence, years):
    assert M.find_plan_years(title, sentence) == years


@pytest.mark.parametrize("block,signer", [
    ("Nơi nhận:\n- Lưu: VT.\n\n**TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n\nMai Thị Hồng Sim", "Mai Thị Hồng Sim"),
    ("**KT. CHỦ TỊCH  \nPHÓ CHỦ TỊCH**\n\n**Trần Thanh Trung**", "Trần Thanh Trung"),
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n(Đã ký)\nNGUYỄN VĂN HÙNG\n", "Nguyễn Văn Hùng"),
    # shuffled conversion: the name ended up after the appendix heading
    ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nPhụ lục\nCHI TIẾT NHIỆM VỤ\n\nLê Quang Trung\n", "Lê Quang Trung"),
    ("Nơi nhận:\n- UBND các xã, thị trấn;\n- Lưu: VT.\n", None),
    # the signature block fell inside a sentence broken across pages
    ("Phối hợp với Ban Quản lý dự án triển khai các công trình vốn đầu tư,\n\n**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n\n**A Hiển**\n\n"
     "bảo đảm giải ngân 100% kế hoạch vốn trước ngày 31/01/2024.\n", "A Hiển"),
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrách nhiệm thi hành thuộc các phòng.\n", None),
])
def test_signer(block, signer):
    assert M.find_signer(normalize(block).text) == signer


SAMPLE_000 = """

Số: /KH-UBND

Phong Thổ, ngày tháng năm 2022

KẾ HOẠCH
Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ về Quyết định phê duyệt Chương trình mục tiêu Quốc gia giảm nghèo bền vững, giai đoạn 2021-2025;

Thực hiện Công văn số 4824/UBND-CV ngày 27/12/2022 của Ủy ban nhân dân tỉnh Lai Châu về việc xây dựng kế hoạch thực hiện các chương trình mục tiêu quốc gia năm 2023;

Ủy ban nhân dân huyện Phong Thổ ban hành Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023, với các nội dung sau:

I. MỤC ĐÍCH, YÊU CẦU
"""


def test_district_plan_without_issuer_header():
    m = meta_of(SAMPLE_000)
    assert (m.doc_type, m.number, m.issue_place, m.issue_date, m.issue_year) == ("Kế hoạch", None, "Phong Thổ", None, 2022)
    assert m.issuer == "Ủy ban nhân dân huyện Phong Thổ"
    assert (m.locality.name, m.locality.level, m.locality.province) == ("Phong Thổ", "huyện", "Lai Châu")
    assert m.title == "Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023"
    assert m.plan_years == [2023]
    assert (m.program_code, m.program) == ("gnbv", "Chương trình mục tiêu quốc gia giảm nghèo bền vững")


SAMPLE_HEADER = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN MƯỜNG TÈ Độc lập - Tự do - Hạnh phúc
Số: 45/KH-UBND Mường Tè, ngày 15 tháng 3 năm 2023

KẾ HOẠCH
Thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi
năm 2023

Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;
Thực hiện Kế hoạch số 120/KH-UBND ngày 10/02/2023 của UBND tỉnh Lai Châu;

I. MỤC TIÊU
"""


def test_flattened_header_table():
    m = meta_of(SAMPLE_HEADER)
    assert m.number == "45/KH-UBND"
    assert m.issue_date == "2023-03-15"
    assert m.issuer == "Ủy ban nhân dân huyện Mường Tè"
    assert (m.locality.name, m.locality.level, m.locality.province) == ("Mường Tè", "huyện", "Lai Châu")
    assert m.title.endswith("miền núi năm 2023")
    assert m.program_code == "dtts"


SAMPLE_APPENDIX = """KẾ HOẠCH

Hỗ trợ huyện A Lưới tỉnh Thừa Thiên Huế thoát khỏi tình trạng nghèo, đặc biệt khó khăn vào cuối năm 2023

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025;

Ủy ban nhân dân tỉnh Thừa Thiên Huế xây dựng Kế hoạch hỗ trợ huyện A Lưới tỉnh Thừa Thiên Huế thoát khỏi tình trạng nghèo, đặc biệt khó khăn giai đoạn 2022-2025 với các nội dung như sau:

I. MỤC TIÊU

TM. ỦY BAN NHÂN DÂN

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH



Nguyễn Thanh Bình

Phụ lục

(Ban hành kèm theo Kế hoạch số 343 /KH-UBND ngày 13/10/2023 của Ủy ban nhân dân tỉnh)
"""


def test_number_and_date_from_the_appendix():
    m = meta_of(SAMPLE_APPENDIX)
    assert (m.number, m.issue_date, m.issue_year, m.issue_place) == ("343/KH-UBND", "2023-10-13", 2023, None)
    assert m.issuer == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    assert (m.locality.name, m.locality.level, m.locality.province) == ("Thừa Thiên Huế", "tỉnh", "Thừa Thiên Huế")
    assert m.plan_years == [2023]
    assert m.signer == "Nguyễn Thanh Bình"


def test_all_caps_title_in_sentence_case():
    text = ("Số: /KH-UBND\n\nSơn Hà, ngày tháng 4 năm 2024\n\n## KẾ HOẠCH\n\n"
            "### VỀ VIỆC TRIỂN KHAI THỰC HIỆN DỰ ÁN 7 TRÊN ĐỊA BÀN HUYỆN SƠN HÀ NĂM 2024\n\n"
            "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ; UBND huyện Sơn Hà ban hành "
            "Kế hoạch thực hiện Dự án 7 trên địa bàn huyện Sơn Hà năm 2024, cụ thể như sau:\n\nI. MỤC ĐÍCH\n")
    m = meta_of(text)
    assert m.title == "Về việc triển khai thực hiện Dự án 7 trên địa bàn huyện Sơn Hà năm 2024"
    assert m.issuer == "Ủy ban nhân dân huyện Sơn Hà"
    assert (m.issue_date, m.issue_year, m.plan_years) == (None, 2024, [2024])


@pytest.mark.parametrize("text", ["", "\n\n", "Số:", "ngày tháng năm", "KẾ HOẠCH\n", "Căn cứ\n" * 5])
def test_degenerate_text_gives_empty_meta(text):
    m = meta_of(text)
    assert m.number is None and m.signer is None


@pytest.mark.parametrize("header,doc_type,title", [
    ("KẾ HOẠCH\nThực hiện Chương trình năm 2024\n\nCăn cứ Quyết định số 90/QĐ-TTg;", "Kế hoạch", "Thực hiện Chương trình năm 2024"),
    ("KẾ HOẠCH Thực hiện Chương trình năm 2024\n", "Kế hoạch", "Thực hiện Chương trình năm 2024"),
    ("QUYẾT ĐỊNH\nVề việc ban hành Kế hoạch thực hiện Chương trình\n", "Quyết định", "Về việc ban hành Kế hoạch thực hiện Chương trình"),
    ("**KẾ HOẠCH**\nV/v triển khai Dự án 4 năm 2023\n", "Kế hoạch", "Về việc triển khai Dự án 4 năm 2023"),
])
def test_doc_type_and_title(header, doc_type, title):
    assert M.find_doc_type(header, None) == doc_type
    assert M.find_title(header, doc_type) == title


def test_commune_plan():
    text = ("ỦY BAN NHÂN DÂN\nXÃ TÂN LẬP\nSố: 17/KH-UBND\nTân Lập, ngày 02 tháng 3 năm 2023\n\nKẾ HOẠCH\n"
            "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2023\n\n"
            "Thực hiện Kế hoạch số 30/KH-UBND ngày 20/02/2023 của UBND huyện Mộc Châu, tỉnh Sơn La;\n\nI. MỤC TIÊU\n")
    m = meta_of(text)
    assert (m.number, m.issue_date, m.issuer) == ("17/KH-UBND", "2023-03-02", "Ủy ban nhân dân xã Tân Lập")
    assert (m.locality.name, m.locality.level, m.locality.province) == ("Tân Lập", "xã", "Sơn La")
    assert (m.program_code, m.plan_years) == ("ntm", [2023])


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.text(alphabet="ỦY BAN NHÂN DÂN HUYỆN Số:12/KH-UBND ngày tháng năm 2022\nCHỦ TỊCH Nguyễn Văn", max_size=300))
def test_never_raises_on_arbitrary_text(s):
    m = meta_of(s)
    assert m.issue_date is None or len(m.issue_date) == 10


@pytest.mark.parametrize("title,years", [
    ("Thực hiện Nghị quyết số 10-NQ/TU ngày 05/7/2022 của Ban chấp hành Đảng bộ tỉnh năm 2023", [2023]),
    ("Giảm nghèo bền vững từ năm 2021 đến năm 2025", [2021, 2022, 2023, 2024, 2025]),
    ("Giảm nghèo bền vững năm 2024, định hướng đến năm 2030", [2024]),
    ("Xây dựng nông thôn mới giai đoạn 2021 - 2025, tầm nhìn đến năm 2030", [2021, 2022, 2023, 2024, 2025]),
])
def test_plan_years_ignore_citations_and_horizon(title, years):
    assert M.find_plan_years(title, None) == years


def test_title_stops_at_the_enacting_authority_line():
    header = ("QUYẾT ĐỊNH\nVề việc ban hành Kế hoạch thực hiện Chương trình năm 2023\n"
              "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    assert M.find_title(header, "Quyết định") == "Về việc ban hành Kế hoạch thực hiện Chương trình năm 2023"


@pytest.mark.parametrize("block,signer", [
    ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thanh Bình\n", "Nguyễn Thanh Bình"),
    ("TM. BAN CHỈ ĐẠO\nTRƯỞNG BAN\n\n[daky]\n\nLò Văn Cương\n", "Lò Văn Cương"),
    ("TM. HỘI ĐỒNG NHÂN DÂN\nCHỦ TỊCH\n\nGiàng A Tông", "Giàng A Tông"),
])
def test_signer_variants(block, signer):
    assert M.find_signer(normalize(block).text) == signer


def test_header_lines_joined_by_the_conversion():
    text = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM HUYỆN MƯỜNG TÈ Độc lập - Tự do - Hạnh phúc "
            "Số: 45/KH-UBND Mường Tè, ngày 15 tháng 3 năm 2023 KẾ HOẠCH Thực hiện Chương trình năm 2023\n"
            "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;\n")
    m = meta_of(text)
    assert (m.doc_type, m.number, m.issue_date, m.issue_place) == ("Kế hoạch", "45/KH-UBND", "2023-03-15", "Mường Tè")
    assert m.title == "Thực hiện Chương trình năm 2023"
    assert m.issuer == "Ủy ban nhân dân huyện Mường Tè"


@pytest.mark.parametrize("text,place,level", [
    ("Triển khai thực hiện Chương trình trên địa bàn huyện Triệu Sơn", "Triệu Sơn", "huyện"),
    ("báo cáo UBND huyện Sơn Hà và UBND tỉnh", "Sơn Hà", "huyện"),
    ("Ủy ban nhân dân thị xã Kỳ Anh", "Kỳ Anh", "thị xã"),
    ("huyện Sơn Hàm", "Sơn Hà", None),
])
def test_level_of_place(text, place, level):
    assert M.find_level_of_place(text, place) == level


def test_a_cited_date_in_the_title_is_not_the_issue_date():
    header = "KẾ HOẠCH\nThực hiện Nghị quyết số 10-NQ/TU ngày 05 tháng 7 năm 2022 của Tỉnh ủy\n"
    assert M.find_issue_line(header) == (None, None, None)


def test_body_under_its_parent_in_the_header_is_the_issuer():
    text = ("UBND TỈNH QUẢNG NAM\nBAN DÂN TỘC\nSố: 85/KH-BDT\n\nQuảng Nam, ngày 20 tháng 4 năm 2022\n\nKẾ HOẠCH\n"
            "Triển khai thực hiện Chương trình năm 2022\n\n"
            "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;\n"
            "Ban Dân tộc tỉnh xây dựng Kế hoạch triển khai thực hiện như sau:\n\nI. MỤC TIÊU\n")
    m = meta_of(text)
    assert m.issuer == "Ban Dân tộc tỉnh Quảng Nam"
    assert (m.locality.name, m.locality.level) == ("Quảng Nam", "tỉnh")


@pytest.mark.parametrize("line,expected", [
    ("Hà Nội, ngày 05/6/2023", ("Hà Nội", "2023-06-05", 2023)),
    ("Lai Châu, ngày 31 tháng 02 năm 2023", ("Lai Châu", None, 2023)),  # no such day
    ("Số: 31/2022/NQ-HĐND | Kon Tum, ngày 19 tháng 8 năm\n2022", ("Kon Tum", "2022-08-19", 2022)),  # year on the next line
])
def test_issue_line_more_forms(line, expected):
    assert M.find_issue_line(line) == expected


def test_plan_years_from_the_closing_line():
    text = ("KẾ HOẠCH\nThực hiện Chương trình giảm nghèo bền vững\n\nI. MỤC TIÊU\n- Giảm tỷ lệ hộ nghèo.\n"
            "Trên đây là Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023 của huyện./.\n")
    assert meta_of(text).plan_years == [2023]


@pytest.mark.parametrize("issuer,level,province", [
    (("Ủy ban nhân dân", "thành phố", "Cần Thơ"), "tỉnh", "Cần Thơ"),
    (("Ủy ban nhân dân", "thành phố", "Sơn La"), "huyện", "Sơn La"),  # the capital city of tỉnh Sơn La
    (("Ủy ban nhân dân", "thị xã", "Kỳ Anh"), "huyện", "Hà Tĩnh"),
])
def test_locality_of_cities(issuer, level, province):
    loc = M.find_locality(issuer, "")
    assert (loc.level, loc.province) == (level, province)


# a body under a party or state parent in the header, its name possibly broken over lines
_BCD_BODY = ("Căn cứ Quyết định số 1920/QĐ-TTg ngày 05/11/2021 của Thủ tướng Chính phủ;\n"
             "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\n")


@pytest.mark.parametrize("header,issuer,level,name", [
    ("TỈNH ỦY QUẢNG NAM\nBAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA\n",
     "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh Quảng Nam", "tỉnh", "Quảng Nam"),
    ("TỈNH UỶ QUẢNG NAM\nBAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH\nMỤC TIÊU QUỐC GIA\n",
     "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh Quảng Nam", "tỉnh", "Quảng Nam"),
    ("UBND TỈNH QUẢNG NAM\nBAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH\nMỤC TIÊU QUỐC GIA\n",
     "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh Quảng Nam", "tỉnh", "Quảng Nam"),
    ("HUYỆN ỦY BẢO LẠC\nBAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH\nMỤC TIÊU QUỐC GIA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
     "Ban Chỉ đạo các Chương trình mục tiêu quốc gia huyện Bảo Lạc", "huyện", "Bảo Lạc"),
    ("HUYỆN ỦY BẢO LẠC\n\n", "Huyện ủy Bảo Lạc", "huyện", "Bảo Lạc"),
])
def test_body_under_a_party_or_state_parent(header, issuer, level, name):
    text = header + "\nSố: 05/KH-BCĐ\n\nQuảng Nam, ngày 14/02/2023\n\nKẾ HOẠCH\nKiểm tra, giám sát năm 2023\n\n" + _BCD_BODY
    m = meta_of(text)
    assert m.issuer == issuer
    assert (m.locality.name, m.locality.level) == (name, level)


def test_a_party_committee_inside_a_capital_title_is_not_the_issuer():
    text = ("KẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT CỦA BAN THƯỜNG VỤ TỈNH ỦY QUẢNG NAM VỀ GIẢM NGHÈO\n\n"
            "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;\n"
            "Ủy ban nhân dân tỉnh Quảng Nam ban hành Kế hoạch thực hiện như sau:\n\nI. MỤC TIÊU\n")
    assert meta_of(text).issuer == "Ủy ban nhân dân tỉnh Quảng Nam"


# ---------------------------------------------------------------- headers as portals and converters print them

PORTAL_HEADERS = [
    # table cells broken over lines, "Số:" and the number apart, "ngày" and the date apart, `|` separators
    ("ỦY\nBAN NHÂN DÂN\nTỈNH THANH HÓA\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "---------------\n|\nSố:\n118/KH-UBND\n|\nThanh\nHóa, ngày\n03 tháng 5 năm 2023\n|\nKẾ HOẠCH\nTHỰC\n"
     "HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA XÂY DỰNG NÔNG THÔN MỚI NĂM 2023\nCăn cứ Quyết định số 263/QĐ-TTg;",
     {"number": "118/KH-UBND", "issue_date": "2023-05-03", "issuer": "Ủy ban nhân dân tỉnh Thanh Hóa",
      "locality": "Thanh Hóa", "plan_years": [2023],
      "title": "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2023"}),
    # the province name broken over two cell lines
    ("ỦY BAN NHÂN DÂN\nTỈNH BÀ RỊA -\nVŨNG TÀU\n--------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n"
     "Số: 12/2012/QĐ-UBND\n|\nBà Rịa, ngày 02\ntháng 3 năm 2012\n|\nCăn cứ Luật Tổ chức HĐND và UBND ngày 26/11/2003;\n"
     "QUYẾT ĐỊNH:\nĐiều\n1. Phê duyệt Đề án giảm nghèo giai đoạn 2012 - 2015 (kèm theo).",
     {"number": "12/2012/QĐ-UBND", "issuer": "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "locality": "Bà Rịa - Vũng Tàu",
      "plan_years": [2012, 2013, 2014, 2015], "title": None}),
    # one row per table line with `|`, no type line: the capital line after the date is the title
    ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 51/KH-UBND | Nam Định, ngày 02 tháng 3 năm 2022 |\n"
     "THỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG TỈNH NAM ĐỊNH GIAI ĐOẠN 2021 - 2025\n"
     "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;",
     {"number": "51/KH-UBND", "doc_type": "Kế hoạch", "issue_date": "2022-03-02", "plan_years": [2021, 2022, 2023, 2024, 2025],
      "title": "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững tỉnh Nam Định giai đoạn 2021 - 2025"}),
    # the issuer printed under a capital title is not part of it
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 20/2022/NQ-HĐND |\nThái Bình, ngày 8 tháng 7 năm 2022 |\nNGHỊ QUYẾT\n"
     "QUY ĐỊNH MỨC HỖ TRỢ XÂY DỰNG NÔNG THÔN MỚI NĂM 2022 TRÊN ĐỊA BÀN TỈNH THÁI BÌNH\nHỘI ĐỒNG NHÂN DÂN TỈNH THÁI BÌNH\n"
     "KHÓA XVII, KỲ HỌP THỨ NĂM\nCăn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
     {"number": "20/2022/NQ-HĐND", "doc_type": "Nghị quyết", "plan_years": [2022],
      "title": "Quy định mức hỗ trợ xây dựng nông thôn mới năm 2022 trên địa bàn tỉnh Thái Bình"}),
    ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\nSố: 9/QĐ-UBND\n|\nGia Lai, ngày 5 tháng 1 năm 2023\n"
     "QUYẾT ĐỊNH\nVỀ VIỆC SỬA ĐỔI KẾ HOẠCH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 86/QĐ-UBND NGÀY 08/8/2022 CỦA\n"
     "ỦY BAN NHÂN DÂN TỈNH GIA LAI\nCHỦ TỊCH ỦY BAN NHÂN\nDÂN TỈNH\nCăn cứ Quyết định số 1719/QĐ-TTg;",
     {"title": "Về việc sửa đổi Kế hoạch ban hành kèm theo Quyết định số 86/QĐ-UBND ngày 08/8/2022 của "
               "Ủy ban nhân dân tỉnh Gia Lai"}),
    # a Công văn: its "V/v" line is its title
    ("ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG LÁT\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nSố: 412/UBND-LĐTBXH\n"
     "V/v triển khai thực hiện Dự án 4 năm 2024\n\nMường Lát, ngày 12 tháng 4 năm 2024\n\nKính gửi: Các phòng, ban",
     {"number": "412/UBND-LĐTBXH", "doc_type": "Công văn", "title": "Về việc triển khai thực hiện Dự án 4 năm 2024",
      "locality": "Mường Lát", "plan_years": [2024]}),
]


@pytest.mark.parametrize("text,expected", PORTAL_HEADERS)
def test_headers_as_portals_print_them(text, expected):
    m = meta_of(text)
    got = {"number": m.number, "doc_type": m.doc_type, "issue_date": m.issue_date, "issuer": m.issuer,
           "locality": m.locality.name, "plan_years": m.plan_years, "title": m.title}
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("title,years", [
    # the plan's own year beats the program's period it names
    ("Giao kế hoạch vốn năm 2023 thực hiện Chương trình mục tiêu quốc gia giai đoạn 2021 - 2025", [2023]),
    # two periods: the narrower one
    ("Kế hoạch thực hiện Chương trình giai đoạn 2021 - 2030, giai đoạn I: từ năm 2021 đến năm 2025",
     [2021, 2022, 2023, 2024, 2025]),
    ("Triển khai Nội dung 1 giai đoạn từ năm 2022 - 2025", [2022, 2023, 2024, 2025]),
])
def test_plan_years_of_titles_with_two_periods(title, years):
    assert M.find_plan_years(title, None) == years


def test_news_page_keeps_its_own_meta():
    text = ("Phân bổ kinh phí sự nghiệp thực hiện Chương trình MTQG giảm nghèo bền vững (đợt 2 năm 2023)\n\n"
            "Ngày đăng: 8:15 | 12/09/2023\n\n"
            "Ngày 10/9/2023 UBND tỉnh Quảng Trị vừa ban hành Quyết định số 1820/QĐ-UBND về việc phân bổ kinh phí "
            "sự nghiệp thực hiện Chương trình trên địa bàn tỉnh với tổng số tiền 120 tỷ đồng.")
    m = meta_of(text)
    assert (m.doc_type, m.number, m.issue_date, m.issuer) == (None, None, None, None)
    assert m.title.startswith("Phân bổ kinh phí sự nghiệp") and m.plan_years == [2023]
    assert (m.locality.name, m.locality.level) == ("Quảng Trị", "tỉnh")


def test_page_names_its_province_bare():
    text = ("Toàn cảnh kỳ họp\n\nTheo đó, tổng nguồn vốn được phân bổ là 800.000 triệu đồng cho các chương trình.\n\n"
            "Hà Tĩnh đẩy nhanh tiến độ thực hiện các Chương trình mục tiêu quốc gia\n\nHĐND tỉnh giao UBND tỉnh tổ chức thực hiện.")
    assert meta_of(text).locality.name == "Hà Tĩnh"


@pytest.mark.parametrize("header,expected", [
    ("Số:\n257/KH-UBND\n", "Số: 257/KH-UBND"),
    ("Quảng Trị, ngày\n18 tháng 8 năm 2022\n", "Quảng Trị, ngày 18 tháng 8 năm 2022"),
    ("ỦY\nBAN NHÂN DÂN\n", "ỦY BAN NHÂN DÂN"),
    ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n", "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Điều\n1. Phê duyệt", "Điều\n1. Phê duyệt"),  # a word before a number: not a broken cell
])
def test_flatten_header(header, expected):
    assert M.flatten_header(header).strip() == expected


@pytest.mark.parametrize("title,expected", [
    ("PHÊ DUYỆT KẾ HOẠCH GIẢM NGHÈO NĂM 2023 TRÊN ĐỊA BÀN TỈNH ĐIỆN BIÊN ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN",
     "PHÊ DUYỆT KẾ HOẠCH GIẢM NGHÈO NĂM 2023 TRÊN ĐỊA BÀN TỈNH ĐIỆN BIÊN"),
    ("QUY ĐỊNH MỨC HỖ TRỢ NĂM 2022 HỘI ĐỒNG NHÂN DÂN TỈNH YÊN BÁI KHÓA XIX, KỲ HỌP THỨ SÁU",
     "QUY ĐỊNH MỨC HỖ TRỢ NĂM 2022"),
    ("SỬA ĐỔI KẾ HOẠCH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 5/QĐ-UBND CỦA ỦY BAN NHÂN DÂN TỈNH YÊN BÁI",
     "SỬA ĐỔI KẾ HOẠCH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 5/QĐ-UBND CỦA ỦY BAN NHÂN DÂN TỈNH YÊN BÁI"),
])
def test_issuer_glued_to_a_capital_title(title, expected):
    assert M._cut_glued_issuer(title) == expected


def test_lower_cased_number_line():
    assert M.find_number("số: 1234/qđ-ubnd\n") == ("1234/QĐ-UBND", True)


def test_resolution_without_a_title_line_is_a_document():
    from extraction.pipeline import extract
    text = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH LÀO CAI\n\nSố: 15/2022/NQ-HĐND\n\nLào Cai, ngày 3 tháng 4 năm 2022\n\n"
            "HỘI ĐỒNG NHÂN DÂN TỈNH LÀO CAI\nKHÓA XVI - KỲ HỌP THỨ TƯ\n\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "Xét Tờ trình số 56/TTr-UBND ngày 20/3/2022 của Ủy ban nhân dân tỉnh;\n\nQUYẾT NGHỊ:\n\n"
            "Điều 1. Phân bổ vốn thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2022.")
    p = extract(text)
    assert p.is_plan
    assert (p.meta.doc_type, p.meta.number, p.meta.issue_date, p.meta.plan_years) == (
        "Nghị quyết", "15/2022/NQ-HĐND", "2022-04-03", [2022])


def test_capital_title_keeps_numbers_not_words_after_a_dash():
    t = M._sentence_case("TRIỂN KHAI DỰ ÁN 7 - NÂNG CAO NĂNG LỰC THEO QUYẾT ĐỊNH SỐ 86/QĐ-UBND", "")
    assert t == "Triển khai Dự án 7 - nâng cao năng lực theo Quyết định số 86/QĐ-UBND"


def test_cong_van_subject_line_joined_to_its_date_line():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 3120/UBND-VX\nV/v triển khai thực hiện Dự án 4 thuộc Chương trình MTQG giảm nghèo bền vững năm 2023 "
            "Quảng Trị, ngày 05 tháng 7 năm 2023\nKính gửi:\n- Sở Lao động - Thương binh và Xã hội;\n")
    m = meta_of(text)
    assert (m.doc_type, m.issue_date, m.plan_years) == ("Công văn", "2023-07-05", [2023])
    assert m.title == "Về việc triển khai thực hiện Dự án 4 thuộc Chương trình MTQG giảm nghèo bền vững năm 2023"


@pytest.mark.parametrize("text,title", [
    ("Thứ Hai, 15/05/2023 - 09:12\nLào Cai giao vốn thực hiện 3 Chương trình mục tiêu quốc gia năm 2023\n"
     "Ngày 12/5/2023, UBND tỉnh Lào Cai ban hành Quyết định số 1020/QĐ-UBND về việc giao vốn.",
     "Lào Cai giao vốn thực hiện 3 Chương trình mục tiêu quốc gia năm 2023"),
])
def test_page_headline_after_a_date_line(text, title):
    assert meta_of(text).title == title


def test_title_in_normal_case_ends_before_the_legal_basis_of_a_wrapped_text():
    text = ("UBND HUYỆN BẢO LẠC\nSố: 56/KH-UBND\nBảo Lạc, ngày 02 tháng 3 năm 2023\nKẾ HOẠCH\n"
            "Triển khai thực hiện Tiểu dự án 1, Dự án 5 thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội "
            "vùng đồng bào dân tộc thiểu số và miền núi năm 2023\n"
            "Thực hiện Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ;\n"
            "Thực hiện Kế hoạch số 45/KH-UBND ngày 20/01/2023 của UBND tỉnh Cao Bằng;\n"
            "Ủy ban nhân dân huyện Bảo Lạc xây dựng Kế hoạch như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n")
    m = meta_of(text)
    assert m.title.endswith("miền núi năm 2023") and m.plan_years == [2023]
    assert (m.issuer, m.locality.name) == ("Ủy ban nhân dân huyện Bảo Lạc", "Bảo Lạc")


def test_lower_cased_title_cased_again():
    t = M.find_title("KẾ HOẠCH\nthực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện mường nhé "
                     "năm 2024 theo quyết định số 90/qđ-ttg\n", "Kế hoạch")
    assert t == ("Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện Mường Nhé năm 2024 "
                 "theo Quyết định số 90/QĐ-TTg")
