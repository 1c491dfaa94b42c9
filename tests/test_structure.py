"""Structure: heading tree, clauses, Dự án scopes, program, and 'is this a plan?'."""
from pathlib import Path

import pytest

from extraction import programs, structure
from extraction.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"

PLAN = """ỦY BAN NHÂN DÂN
HUYỆN PHONG THỔ

Số: 15/KH-UBND

KẾ HOẠCH
Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

- Cụ thể hóa mục tiêu.

II. NỘI DUNG

1. Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo

1.1. Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng

a) Nội dung thực hiện: Đầu tư 3 trường học.

b) Vốn: Ngân sách Trung ương 50.050 triệu đồng.

1.2. Tiểu dự án 2: Triển khai Đề án hỗ trợ huyện nghèo.

a) Nội dung: làm đường.

2. Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo, với tổng kinh phí 100 triệu đồng

Tiểu dự án: Hỗ trợ sửa nhà

- Sửa 10 căn nhà.

III. TỔ CHỨC THỰC HIỆN

1. Phòng Lao động - Thương binh và Xã hội chủ trì.
"""


@pytest.fixture(scope="module")
def parsed():
    n = normalize(PLAN)
    return n, structure.parse(n)


@pytest.mark.parametrize("needle, scope", [
    ("Cụ thể hóa mục tiêu", None),
    ("Đầu tư 3 trường học", "DA1.TDA1"),
    ("50.050 triệu đồng", "DA1.TDA1"),
    ("làm đường", "DA1.TDA2"),
    ("Hỗ trợ sửa nhà", "DA5"),  # an unnumbered Tiểu dự án stays in its Dự án
    ("Sửa 10 căn nhà", "DA5"),
    ("Phòng Lao động", None),  # a roman heading closes the Dự án
])
def test_scope_at(parsed, needle, scope):
    n, st = parsed
    assert st.scope_at(n.text.index(needle)) == scope


@pytest.mark.parametrize("needle, path_end", [
    ("Cụ thể hóa", "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích"),
    ("Đầu tư 3 trường học", "1.1. Tiểu dự án 1: Hỗ trợ đầu tư phát triển hạ tầng > a) Nội dung thực hiện"),
    ("Sửa 10 căn nhà", "Tiểu dự án: Hỗ trợ sửa nhà"),
])
def test_section_path(parsed, needle, path_end):
    n, st = parsed
    assert st.section_path_at(n.text.index(needle)).endswith(path_end)


def test_du_an_list(parsed):
    _, st = parsed
    got = {(d.id, d.parent, d.name) for d in st.du_an}
    assert ("DA1", None, "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo") in got
    assert ("DA1.TDA1", "DA1", "Hỗ trợ đầu tư phát triển hạ tầng") in got
    assert ("DA1.TDA2", "DA1", "Triển khai Đề án hỗ trợ huyện nghèo") in got
    # budget text after the name is not part of it
    assert ("DA5", None, "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo") in got
    assert st.program_code == "gnbv"


def test_clauses_have_ids_offsets_in_original(parsed):
    n, st = parsed
    ids = [c.id for c in st.clauses]
    assert ids == [f"c{i:04d}" for i in range(1, len(ids) + 1)]
    for c in st.clauses:
        assert normalize(PLAN[c.start:c.end]).text.replace("\n", " ") == c.text
    c = st.clause_at(n.text.index("50.050"))
    assert c.kind == "item" and c.du_an == "DA1.TDA1" and "50.050" in c.text


def test_sections_nest(parsed):
    _, st = parsed
    by_id = {s.id: s for s in st.sections}
    tda = next(s for s in st.sections if s.label == "Tiểu dự án 1")
    da = by_id[tda.parent]
    assert da.label == "Dự án 1" and da.du_an == "DA1"
    assert by_id[da.parent].label == "II"
    assert tda.start >= da.start and tda.end <= da.end


@pytest.mark.parametrize("line, label, scope", [
    ("Dự án 3: Hỗ trợ phát triển sản xuất", "Dự án 3", "DA3"),
    ("4.2. Tiểu dự án 2: Hỗ trợ người lao động đi làm việc ở nước ngoài", "Tiểu dự án 2", "DA4.TDA2"),
    ("Tiểu dự án 2 - Dự án 1: Triển khai Đề án", "Tiểu dự án 2", "DA1.TDA2"),
    # outside nông thôn mới, "Nội dung số N" is a sub-heading of its Dự án
    ("Nội dung số 02: Hỗ trợ phát triển sản xuất theo chuỗi giá trị", "Nội dung 2", "DA4"),
    ("- Tiểu dự án 3: Hỗ trợ việc làm bền vững", "Tiểu dự án 3", "DA4.TDA3"),
    ("DỰ ÁN 6: TRUYỀN THÔNG VÀ GIẢM NGHÈO VỀ THÔNG TIN", "Dự án 6", "DA6"),
    ("Dự án số 5. Hỗ trợ nhà ở", "Dự án 5", "DA5"),
    ("## 2) Tiểu dự án 2: Giám sát, đánh giá", "Tiểu dự án 2", "DA4.TDA2"),
])
def test_keyword_headings(line, label, scope):
    text = "I. NỘI DUNG\n\n4. Dự án 4: Phát triển giáo dục nghề nghiệp\n\n" + line + "\n\nNội dung chi tiết.\n"
    n = normalize(text)
    st = structure.parse(n)
    assert any(s.label == label for s in st.sections)
    assert st.scope_at(n.text.index("Nội dung chi tiết")) == scope


@pytest.mark.parametrize("heading, name", [
    ("1. Dự án 1: 50.050 triệu đồng", "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo"),
    ("1. Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng: 50.050 triệu đồng", "Hỗ trợ đầu tư phát triển hạ tầng"),
    ("1. Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng (kinh phí 50 tỷ đồng)", "Hỗ trợ đầu tư phát triển hạ tầng"),
    ("1. DỰ ÁN 1: HỖ TRỢ ĐẦU TƯ", "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo"),
])
def test_du_an_names_are_clean(heading, name):
    text = "KẾ HOẠCH giảm nghèo bền vững\n\nI. KINH PHÍ\n\n" + heading + "\n"
    st = structure.parse(normalize(text))
    assert [(d.id, d.name) for d in st.du_an] == [("DA1", name)]


def test_tieu_du_an_heading_by_its_official_name():
    text = ("KẾ HOẠCH giảm nghèo bền vững\n\nI. NỘI DUNG\n\n3. Dự án 3: Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng\n\n"
            "3.1. Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp\n\nNội dung A.\n\n3.2. Cải thiện dinh dưỡng cho trẻ em\n\nNội dung B.\n\n"
            "3.3. Tổ chức thực hiện\n\nNội dung C.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.scope_at(n.text.index("Nội dung A")) == "DA3.TDA1"
    assert st.scope_at(n.text.index("Nội dung B")) == "DA3.TDA2"
    assert st.scope_at(n.text.index("Nội dung C")) == "DA3"
    assert [d.id for d in st.du_an] == ["DA3", "DA3.TDA1", "DA3.TDA2"]


def test_ntm_content_groups():
    text = ("KẾ HOẠCH\nThực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2024\n\nI. NỘI DUNG\n\n"
            "1. Nội dung số 02: Phát triển hạ tầng kinh tế - xã hội\n\n- Kinh phí 500 triệu đồng.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.program_code == "ntm"
    assert st.scope_at(n.text.index("Kinh phí")) == "ND2"
    assert [d.id for d in st.du_an] == ["ND2"]


@pytest.mark.parametrize("headings, needle_scope", [
    # mixed label styles: a Dự án heading closes the open one whatever its label
    ("Dự án 1: Hạ tầng\n\na) Tiểu dự án 1: Đường\n\nNội dung A.\n\n2. Dự án 2: Sinh kế\n\nNội dung B.\n", {"Nội dung A": "DA1.TDA1", "Nội dung B": "DA2"}),
    ("A. KẾT QUẢ\n\nI. Dự án 3\n\nNội dung A.\n\nB. NHIỆM VỤ\n\nNội dung B.\n", {"Nội dung A": "DA3", "Nội dung B": None}),
    ("Phần I. KẾT QUẢ\n\n1. Dự án 3: Sản xuất\n\nNội dung A.\n\nPhần II. NHIỆM VỤ\n\nNội dung B.\n", {"Nội dung A": "DA3", "Nội dung B": None}),
    ("I- MỤC TIÊU\n\n1/ Dự án 3: Sản xuất\n\nNội dung A.\n\nII- NHIỆM VỤ\n\nNội dung B.\n", {"Nội dung A": "DA3", "Nội dung B": None}),
])
def test_heading_styles(headings, needle_scope):
    n = normalize("KẾ HOẠCH giảm nghèo bền vững\n\n" + headings)
    st = structure.parse(n)
    for needle, scope in needle_scope.items():
        assert st.scope_at(n.text.index(needle)) == scope, needle


def test_plan_about_one_du_an():
    text = ("KẾ HOẠCH\nVỀ VIỆC TRIỂN KHAI THỰC HIỆN DỰ ÁN 7 - NÂNG CAO NĂNG LỰC THUỘC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG\n\n"
            "I. NỘI DUNG\n\n1) Tiểu dự án 1: Nâng cao năng lực thực hiện Chương trình\n\na) Tập huấn cán bộ.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.scope_at(n.text.index("Tập huấn")) == "DA7.TDA1"
    assert {d.id for d in st.du_an} == {"DA7", "DA7.TDA1"}


@pytest.mark.parametrize("text, ids", [
    ("I. GIAO NHIỆM VỤ\n\n1. Sở Kế hoạch và Đầu tư quản lý dự án của Tiểu dự án 2 - Dự án 1 theo Luật đầu tư công.\n", {"DA1", "DA1.TDA2"}),
    ("I. GIAO NHIỆM VỤ\n\n1. Phòng Lao động tổ chức thực hiện Dự án 7 đạt kết quả.\n", {"DA7"}),
    ("I. GIAO NHIỆM VỤ\n\n1. Phòng Nông nghiệp thực hiện các Dự án 2, 3 và 4 theo kế hoạch.\n", {"DA2", "DA3", "DA4"}),
    ("Căn cứ Quyết định số 12/QĐ-UBND phê duyệt kinh phí Dự án 5 năm 2023;\n\nI. NỘI DUNG\n\n1. Thực hiện Dự án 2.\n", {"DA2"}),
    ("I. GIAO NHIỆM VỤ\n\n1. Phòng Lao động thực hiện Tiểu dự án 1, 2 thuộc Dự án 4.\n", {"DA4", "DA4.TDA1", "DA4.TDA2"}),
    ("I. GIAO NHIỆM VỤ\n\n1. Kinh phí Dự án 2, 500 triệu đồng.\n", {"DA2"}),
    ("I. GIAO NHIỆM VỤ\n\n1. Phòng Giáo dục chủ trì Tiểu dự án 1, Dự án 5 năm 2023.\n", {"DA5", "DA5.TDA1"}),
    # the Dự án written before its Tiểu dự án
    ("III. KINH PHÍ\n\n- Dự án 3, Tiểu dự án 1 (Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp): 375.400.000 đồng;\n",
     {"DA3", "DA3.TDA1"}),
    # a Dự án named inline, its Tiểu dự án after a comma, a second Tiểu dự án after a semicolon
    ("III. KINH PHÍ\n\nb) Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững, Tiểu dự án 1: Phát triển giáo dục nghề "
     "nghiệp vùng nghèo, vùng khó khăn: 4,8 tỷ đồng; Tiểu dự án 2: Hỗ trợ người lao động đi làm việc ở nước ngoài: 1,2 tỷ đồng.\n",
     {"DA4", "DA4.TDA1", "DA4.TDA2"}),
    ("I. GIAO NHIỆM VỤ\n\n1. Thực hiện Dự án 1 thuộc Chương trình mục tiêu quốc gia xây dựng nông thôn mới.\n", set()),
    # a number beyond the program's Dự án is not one of its Dự án
    ("I. GIAO NHIỆM VỤ\n\n1. Giảm nghèo bền vững: thực hiện Dự án 12 của tỉnh.\n", set()),
    # a report's shortcomings section names what lags, not what is budgeted or assigned
    ("I. KẾT QUẢ\n\n1. Dự án 4: mở 52 lớp đào tạo nghề.\n\nII. TỒN TẠI, HẠN CHẾ\n\n- Giải ngân chậm, nhất là Tiểu dự án 1 của Dự án 5.\n\n"
     "III. NHIỆM VỤ\n\n- Thực hiện Dự án 2.\n", {"DA2", "DA4"}),
])
def test_du_an_mentions(text, ids):
    text = "KẾ HOẠCH thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững\n\n" + text
    st = structure.parse(normalize(text))
    assert {d.id for d in st.du_an} == ids


def test_an_article_paragraph_starts_the_body():
    # "Điều 1. Giao ... 1.245.680 triệu đồng" is an article, not part of the header, though not a heading
    text = ("QUYẾT ĐỊNH\nVề việc giao kế hoạch vốn năm 2024\n\nCăn cứ Luật Ngân sách nhà nước số 83/2015/QH13 ngày 25/6/2015;\n\n"
            "QUYẾT ĐỊNH:\n\nĐiều 1. Giao kế hoạch vốn ngân sách trung ương năm 2024 với tổng số vốn 1.245.680 triệu đồng.\n\n"
            "Điều 2. Tổ chức thực hiện\n\n1. Sở Tài chính hướng dẫn.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.header_end == n.text.index("Điều 1.")


@pytest.mark.parametrize("title, code", [
    ("KẾ HOẠCH\nThực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023", "gnbv"),
    ("KẾ HOẠCH\nThực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2024", "ntm"),
    ("KẾ HOẠCH\nThực hiện Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi năm 2023", "dtts"),
    ("THÔNG BÁO\nLịch tiếp công dân tháng 5", None),
])
def test_program(title, code):
    st = structure.parse(normalize(title + "\n\nI. MỤC ĐÍCH\n\n1. Nội dung.\n"))
    assert st.program_code == code


def test_programs_gazetteer():
    assert programs.component("gnbv", "DA5").startswith("Hỗ trợ nhà ở")
    assert programs.component("dtts", "DA5").startswith("Phát triển giáo dục")
    assert programs.max_number("gnbv") == 7 and programs.max_number("dtts") == 10
    assert programs.component("ntm", "ND11")
    assert programs.component(None, "DA1") is None


def test_shuffled_pages_keep_their_scope():
    """Sample 002 is a PDF conversion whose pages were reordered inside Dự án 4."""
    n = normalize((SAMPLES / "002_0c1849cd82c7d5e1.txt").read_text(encoding="utf-8"))
    st = structure.parse(n)
    assert st.scope_at(n.text.index("1.683 triệu đồng")) == "DA4.TDA2"  # displaced after a broken sentence
    assert st.scope_at(n.text.index("51.276 triệu đồng")) == "DA4.TDA1"  # a repeated d), e) run
    assert st.scope_at(n.text.index("12.609 triệu đồng")) == "DA4.TDA3"


def test_ordinary_text_is_not_repaired():
    """A paragraph without a final period and a line starting in lower case elsewhere are not a page shuffle."""
    text = ("KẾ HOẠCH giảm nghèo bền vững\n\nI. NỘI DUNG\n\n1. Dự án 1: Hạ tầng\n\n"
            "a) Nội dung: Đầu tư các công trình giao thông nông thôn phục vụ sản xuất và dân sinh trên địa bàn\n\n"
            "b) Kinh phí: 100 triệu đồng.\n\n2. Dự án 2: Sinh kế\n\na) Nội dung hỗ trợ:\n\n"
            "- Hỗ trợ giống cây trồng;\n\nvà các nội dung khác theo quy định.\n\nb) Kinh phí: 50 triệu đồng.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.scope_at(n.text.index("và các nội dung")) == "DA2"
    assert st.scope_at(n.text.index("50 triệu")) == "DA2"
    assert st.scope_at(n.text.index("100 triệu")) == "DA1"


@pytest.mark.parametrize("text, is_plan", [
    (PLAN, True),
    ("Sáng nay, tại Hà Nội, trời mưa to. Nhiều tuyến phố bị ngập, người dân đi lại khó khăn. " * 5, False),
    # a news article about a plan: it names the plan but has none of its header or numbering
    ("UBND tỉnh Lai Châu vừa ban hành Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023.\n\n"
     "Theo kế hoạch, tổng kinh phí thực hiện là 162.756 triệu đồng. Căn cứ tình hình thực tế, tỉnh sẽ ưu tiên các huyện nghèo.\n\n"
     "Ông Nguyễn Văn A, Giám đốc Sở Lao động - Thương binh và Xã hội cho biết, năm 2023 tỉnh phấn đấu giảm 4% hộ nghèo.", False),
    ("", False),
])
def test_looks_like_plan(text, is_plan):
    n = normalize(text)
    ok, why = structure.looks_like_plan(n, structure.parse(n))
    assert ok == is_plan
    assert ok or why


def test_lookups_outside_text(parsed):
    n, st = parsed
    assert st.clause_at(-1) is None
    assert st.scope_at(10**9) is None or isinstance(st.scope_at(10**9), str)
    assert structure.parse(normalize("")).clauses == []


def test_plan_for_one_tieu_du_an_written_with_a_comma():
    text = ("KẾ HOẠCH\nTriển khai thực hiện Tiểu dự án 1, Dự án 5 thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội "
            "vùng đồng bào dân tộc thiểu số và miền núi năm 2023\n\nI. MỤC TIÊU\n\nXóa mù chữ.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.plan_scope == "DA5.TDA1"
    assert {d.id for d in st.du_an} == {"DA5", "DA5.TDA1"}


def test_tieu_du_an_rows_of_a_table_belong_to_the_du_an_row_above():
    text = ("QUYẾT ĐỊNH phân bổ vốn Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi\n\n"
            "Điều 1. Phân bổ vốn.\n\nĐơn vị tính: đồng\n\nTT\tNội dung\tVốn sự nghiệp NSTW\n\tTổng cộng\t12.450.000.000\n"
            "2\tDự án 3: Phát triển sản xuất nông, lâm nghiệp bền vững\t3.985.000.000\n"
            "2.1\tTiểu dự án 1\t1.285.000.000\n2.2\tTiểu dự án 2\t2.700.000.000\n")
    st = structure.parse(normalize(text))
    assert {"DA3", "DA3.TDA1", "DA3.TDA2"} <= {d.id for d in st.du_an}


def test_a_sibling_bullet_closes_a_du_an_written_as_a_bullet():
    text = ("KẾ HOẠCH thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững\n\nII. KINH PHÍ\n\nPhân bổ theo dự án:\n\n"
            "- Dự án 4: 35.600 triệu đồng;\n\n- Các dự án còn lại: 10.870 triệu đồng.\n\n+ Chi tiết: theo phụ lục.\n\n"
            "- Dự án 5: 100 triệu đồng;\n\n+ Hỗ trợ nhà ở.\n")
    n = normalize(text)
    st = structure.parse(n)
    assert st.scope_at(n.text.index("Dự án 4")) == "DA4"
    assert st.scope_at(n.text.index("Các dự án còn lại")) is None
    assert st.scope_at(n.text.index("Hỗ trợ nhà ở")) == "DA5"  # its own content, one level down
