"""Targets: real goal sentences from plans and the chỉ tiêu they must give."""
from __future__ import annotations

import re

import pytest

from extraction import structure, targets
from extraction.model import Meta
from extraction.normalize import normalize


def run(body: str, years=(2023,), title: str = "II. MỤC TIÊU"):
    """The sentence under a goals heading of a plan covering `years`."""
    text = f"KẾ HOẠCH\n\n{title}\n\n{body}\n\nIII. TỔ CHỨC THỰC HIỆN\n\nPhòng Tư pháp thực hiện.\n"
    norm = normalize(text)
    return text, targets.find_targets(norm, structure.parse(norm), Meta(plan_years=list(years)))


def tokens(s):
    return set(re.findall(r"\w+", s.casefold()))


def similar(a, b):
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) >= 0.5


# (sentence, [(value, unit, comparator, indicator like)])
ONE = [
    ("- Tỷ lệ giảm nghèo 5,3%, tỷ lệ hộ nghèo toàn huyện còn 38,50%.",
     [(5.3, "%", None, "tỷ lệ giảm nghèo"), (38.5, "%", None, "tỷ lệ hộ nghèo")]),
    ("- Phân đầu thu nhập bình quân đầu người đạt 40 triệu đồng/người.",
     [(40, "triệu đồng/người", None, "thu nhập bình quân đầu người")]),
    ("- Duy trì các tiêu chí 4 xã đã đạt chuẩn nông thôn mới; bình quân toàn huyện đạt 10,81 tiêu chí/xã.",
     [(4, "xã", None, "số xã đạt chuẩn nông thôn mới"), (10.81, "tiêu chí/xã", None, "số tiêu chí nông thôn mới bình quân")]),
    ("giảm tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi suy dinh dưỡng thể cân nặng xuống <17,4%; suy dinh dưỡng thể thấp còi xuống <23,1%.",
     [(17.4, "%", "<", "tỷ lệ suy dinh dưỡng thể cân nặng ở trẻ em dưới 5 tuổi"),
      (23.1, "%", "<", "tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi")]),
    ("- Tỷ lệ huy động học sinh trong độ tuổi đến trường: Mẫu giáo 5 tuổi đạt 98,5%, Tiểu học đạt 99,5%, "
     "Trung học cơ sở đạt 96,5%, Trung học phổ thông đạt 54,2% trở lên.",
     [(98.5, "%", None, "tỷ lệ huy động trẻ mẫu giáo 5 tuổi đến trường"),
      (99.5, "%", None, "tỷ lệ huy động học sinh tiểu học đến trường"),
      (96.5, "%", None, "tỷ lệ huy động học sinh trung học cơ sở đến trường"),
      (54.2, "%", ">=", "tỷ lệ huy động học sinh trung học phổ thông đến trường")]),
    ("98% đồng bào dân tộc thiểu số tham gia bảo hiểm y tế. Trên 60,2% tỷ lệ phụ nữ đẻ được khám thai định kỳ.",
     [(98, "%", None, "tỷ lệ đồng bào dân tộc thiểu số tham gia bảo hiểm y tế"),
      (60.2, "%", ">", "tỷ lệ phụ nữ đẻ được khám thai định kỳ")]),
    ("- Bảo tồn văn hóa; 77,19% thôn, bản và 98% tỷ lệ cơ quan, đơn vị, trường học đạt chuẩn văn hóa; có 38 câu lạc bộ thể dục thể thao cơ sở.",
     [(77.19, "%", None, "tỷ lệ thôn, bản đạt chuẩn văn hóa"),
      (98, "%", None, "tỷ lệ cơ quan, đơn vị, trường học đạt chuẩn văn hóa"),
      (38, "câu lạc bộ", None, "số câu lạc bộ thể dục thể thao cơ sở")]),
    ("Tỷ lệ lao động qua đào tạo 51%. Hỗ trợ 60 lao động đi làm việc có thời hạn ở nước ngoài.",
     [(51, "%", None, "tỷ lệ lao động qua đào tạo"),
      (60, "lao động", None, "số lao động được hỗ trợ đi làm việc có thời hạn ở nước ngoài")]),
    ("- Thu nhập của hộ nghèo tham gia mô hình giảm nghèo tăng 15 % - 20%/năm; bình quân mỗi năm có 25 - 30 % hộ tham gia mô hình thoát nghèo.",
     [(15, "%", None, "mức tăng thu nhập hằng năm của hộ nghèo tham gia mô hình giảm nghèo"),
      (25, "%", None, "tỷ lệ hộ tham gia mô hình thoát nghèo mỗi năm")]),
    ("- Phân đầu tỷ lệ hộ nghèo chung toàn tỉnh giảm từ 2% trở lên, riêng đồng bào dân tộc thiểu số tại chỗ giảm từ 4% trở lên.",
     [(2, "%", ">=", "giảm tỷ lệ hộ nghèo"), (4, "%", ">=", "giảm tỷ lệ hộ nghèo đồng bào dân tộc thiểu số")]),
    ("a) Phấn đấu đến cuối năm 2023, tỷ lệ nghèo đa chiều giảm từ 52,9% (trong đó: tỷ lệ hộ nghèo là 38,2%; "
     "tỷ lệ hộ cận nghèo là 14,7%) xuống còn 36,91% (trong đó: tỷ lệ hộ nghèo là 24,91%, tỷ lệ hộ cận nghèo là 12,0%) "
     "hoặc tỷ lệ hộ nghèo giảm còn 24,91%; thu nhập bình quân đầu người đạt 33 triệu đồng/người/năm vào cuối năm 2023.",
     [(36.91, "%", None, "tỷ lệ nghèo đa chiều"), (24.91, "%", None, "tỷ lệ hộ nghèo"),
      (12.0, "%", None, "tỷ lệ hộ cận nghèo"), (33, "triệu đồng/người/năm", None, "thu nhập bình quân đầu người")]),
    ("b) Đến cuối năm 2023, tổng điểm đánh giá theo tiêu chí quy định tại Quyết định số 36/2021/QĐ-TTg ngày 13/12/2021 "
     "của Thủ tướng Chính phủ về tiêu chí xác định huyện nghèo giai đoạn 2021- 2025 huyện A Lưới là 34 điểm.",
     [(34, "điểm", None, "tổng điểm đánh giá theo tiêu chí huyện nghèo")]),
    # a count is reported in the counted noun ("sản phẩm"), the indicator keeps its qualifier ("OCOP")
    ("- Có ít nhất 150 sản phẩm OCOP đạt từ 3 sao trở lên.",
     [(150, "sản phẩm", ">=", "số sản phẩm OCOP đạt từ 3 sao trở lên")]),
    # a sibling settlement word after the counted noun: the phrase after it is the indicator's
    ("- Có thêm 02 thôn, buôn đạt chuẩn thôn nông thôn mới kiểu mẫu.",
     [(2, "thôn", None, "số thôn đạt chuẩn thôn nông thôn mới kiểu mẫu")]),
    # a classifier with its noun counts in the classifier; a deadline ends the indicator
    ("3. Hoàn thành xóa 2.548 căn nhà tạm, nhà dột nát cho hộ nghèo, hộ cận nghèo trước ngày 31/10/2025.",
     [(2548, "căn", None, "số căn nhà tạm, nhà dột nát được xóa")]),
    ("1. Phấn đấu đến cuối năm 2025 giảm 45 hộ nghèo, tỷ lệ hộ nghèo toàn xã giảm xuống còn 1,2%; tỷ lệ hộ cận nghèo dưới 2,5%.",
     [(45, "hộ", None, "số hộ nghèo giảm"), (1.2, "%", None, "tỷ lệ hộ nghèo"), (2.5, "%", "<", "tỷ lệ hộ cận nghèo")]),
    ("- Tỷ lệ hộ nghèo đa chiều giảm bình quân 3 - 4%/năm.",
     [(3, "%", None, "mức giảm tỷ lệ hộ nghèo đa chiều bình quân hằng năm")]),
    ("4. Thu nhập bình quân của hộ nghèo tăng 1,5 lần so với năm 2021.",
     [(1.5, "lần", None, "mức tăng thu nhập bình quân của hộ nghèo")]),
    # "<support> cho <N> <unit>": the count is of those who receive it; a list item keeps the verb
    ("- Hỗ trợ đất ở cho 35 hộ, nhà ở cho 120 hộ, nước sinh hoạt phân tán cho 450 hộ đồng bào dân tộc thiểu số nghèo.",
     [(35, "hộ", None, "số hộ được hỗ trợ đất ở"), (120, "hộ", None, "số hộ được hỗ trợ nhà ở"),
      (450, "hộ", None, "số hộ được hỗ trợ nước sinh hoạt phân tán")]),
    ("3. Hỗ trợ xây mới, sửa chữa nhà ở cho 12 hộ nghèo, hộ cận nghèo; giải quyết việc làm cho 150 lao động.",
     [(12, "hộ", None, "số hộ nghèo, hộ cận nghèo được hỗ trợ nhà ở"),
      (150, "lao động", None, "số lao động được giải quyết việc làm")]),
    # money per person in đồng; a count of a whole ("19/19 tiêu chí"); a threshold no unit may fall under
    ("1. Thu nhập bình quân của người dân tộc thiểu số tăng trên 2.500.000 đồng/người so với năm 2024.",
     [(2500000, "đồng/người", ">", "mức tăng thu nhập bình quân của người dân tộc thiểu số")]),
    ("a) Phấn đấu xã Tân Liên đạt chuẩn nông thôn mới (đạt 19/19 tiêu chí); xã Hướng Phùng đạt thêm 3 tiêu chí.",
     [(19, "tiêu chí", None, "số tiêu chí xã Tân Liên đạt chuẩn nông thôn mới"),
      (3, "tiêu chí", None, "số tiêu chí xã Hướng Phùng đạt thêm")]),
    ("b) Bình quân toàn huyện đạt 13,5 tiêu chí/xã; không có xã dưới 10 tiêu chí.",
     [(13.5, "tiêu chí/xã", None, "số tiêu chí bình quân"), (10, "tiêu chí", ">=", "số tiêu chí tối thiểu của mỗi xã")]),
    # a baseline after the indicator: "giảm <tỷ lệ ...> từ X% xuống còn Y%"
    ("- Phấn đấu giảm tỷ lệ hộ nghèo đa chiều từ 37,8% xuống còn 32,5% (giảm 5,3%); giảm 580 hộ nghèo.",
     [(32.5, "%", None, "tỷ lệ hộ nghèo đa chiều"), (5.3, "%", None, "mức giảm tỷ lệ hộ nghèo đa chiều"),
      (580, "hộ", None, "số hộ nghèo giảm")]),
    # the level an indicator falls to, after its fall: "giảm 4,5% trở lên, còn 18,7%"
    ("Phấn đấu năm 2024: (1) tỷ lệ hộ nghèo giảm 4,5% trở lên, còn 18,7%; (2) 70% lao động thuộc hộ nghèo có nhu cầu được tư vấn.",
     [(4.5, "%", ">=", "mức giảm tỷ lệ hộ nghèo"), (18.7, "%", None, "tỷ lệ hộ nghèo"),
      (70, "%", None, "tỷ lệ lao động thuộc hộ nghèo có nhu cầu được tư vấn")]),
    # the change of a goal in brackets after it
    ("1. Phấn đấu giảm 38 hộ nghèo, tỷ lệ hộ nghèo giảm còn 27,9% (giảm 3,9%).",
     [(38, "hộ", None, "số hộ nghèo giảm"), (27.9, "%", None, "tỷ lệ hộ nghèo"), (3.9, "%", None, "mức giảm tỷ lệ hộ nghèo")]),
]


@pytest.mark.parametrize("body,expected", ONE)
def test_targets(body, expected):
    text, found = run(body)
    got = [(t.value, t.unit, t.comparator) for t in found]
    assert got == [(v, u, c) for v, u, c, _ in expected]
    for t, (_, _, _, ind) in zip(found, expected):
        assert similar(t.indicator, ind), (t.indicator, ind)
        assert text[t.start:t.end] == t.text


# Numbers that are not goals even under a goals heading.
NOT_TARGETS = [
    "- Vốn đối ứng ngân sách địa phương (địa phương bố trí tối thiểu bằng 10% tổng ngân sách Trung ương hỗ trợ).",
    "- Phấn đấu hỗ trợ trẻ em dưới 5 tuổi và trẻ từ 5 đến dưới 16 tuổi; phòng học 4 cấp.",
    "- Căn cứ Quyết định số 36/2021/QĐ-TTg ngày 13/12/2021; giai đoạn 2021- 2025 huyện nghèo.",
    "- Phấn đấu giải ngân 100% kế hoạch vốn được giao.",
    # a support norm is neither a goal nor a budget
    "- Phấn đấu hỗ trợ xây mới với mức 40 triệu đồng/căn.",
    "- Phấn đấu báo cáo kết quả trước ngày 30/9 hằng năm.",
]


@pytest.mark.parametrize("body", NOT_TARGETS)
def test_not_targets(body):
    assert run(body)[1] == []


def test_baseline_only_with_what_it_falls_to():
    _, found = run("Tỷ lệ hộ nghèo giảm từ 52,9% xuống còn 36,91%.")
    assert [t.value for t in found] == [36.91]


def test_outside_goal_sections_numbers_are_not_targets():
    text = ("KẾ HOẠCH\n\nII. NỘI DUNG\n\n3. Xây dựng kế hoạch trợ giúp 13 xã có tỷ lệ hộ nghèo cao trên 25% trên địa bàn huyện\n")
    norm = normalize(text)
    assert targets.find_targets(norm, structure.parse(norm), Meta(plan_years=[2023])) == []


YEARS = [
    # (heading, body, plan years, expected year)
    ("II. MỤC TIÊU NĂM 2023", "- Tỷ lệ lao động qua đào tạo 51%.", [2022], 2023),
    ("II. MỤC TIÊU", "- Tỷ lệ lao động qua đào tạo 51%.", [2024], 2024),
    ("II. MỤC TIÊU", "- Tỷ lệ lao động qua đào tạo 51%.", [2021, 2022, 2023, 2024, 2025], None),
    ("II. MỤC TIÊU", "Tỷ lệ hộ nghèo toàn huyện còn dưới 1,0 % cuối năm 2025.", [2021, 2022, 2023, 2024, 2025], 2025),
    ("II. MỤC TIÊU", "- Phấn đấu đến năm 2025 cụ thể như sau:\n\n+ 95 % dân cư nông thôn được dùng nước sinh hoạt hợp vệ sinh.",
     [2021, 2022, 2023, 2024, 2025], 2025),
    ("II. MỤC TIÊU", "- Phấn đấu đến năm 2025 cụ thể như sau:\n\n+ 95 % dân cư nông thôn được dùng nước.\n\n- 100 % hộ nghèo có nhu cầu vay vốn được vay ưu đãi.",
     [2021, 2022, 2023, 2024, 2025], None),
    ("II. MỤC TIÊU", "Theo Nghị quyết ngày 05 tháng 7 năm 2022, tỷ lệ lao động qua đào tạo đạt 51%.", [2023], 2023),
    # a yearly rate over a period is due every year, not in the heading's year
    ("2. Mục tiêu cụ thể đến năm 2025", "- Tỷ lệ hộ nghèo đa chiều giảm bình quân 3 - 4%/năm.", [2021, 2022, 2023, 2024, 2025], None),
    ("II. MỤC TIÊU NĂM 2024", "- Tỷ lệ hộ nghèo giảm 2%/năm.", [2024], 2024),
    # the year after "; " belongs to the next goal
    ("I. MỤC TIÊU ĐẾN NĂM 2025", "- Tỷ lệ hộ nghèo trong đồng bào dân tộc thiểu số mỗi năm giảm trên 3%; phấn đấu đến năm 2025 có 50% "
     "số xã thoát khỏi địa bàn đặc biệt khó khăn.", [2021, 2022, 2023, 2024, 2025], 2025),
    # a report's tasks for the rest of the year are its goals
    ("II. NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024", "- Hoàn thành giải ngân 100% kế hoạch vốn được giao; hỗ trợ xây mới 60 căn nhà cho hộ nghèo.",
     [2024], 2024),
]


@pytest.mark.parametrize("title,body,years,year", YEARS)
def test_years(title, body, years, year):
    _, found = run(body, years=years, title=title)
    assert found and found[-1].year == year


def test_goals_of_a_du_an_item_carry_its_scope():
    text = ("KẾ HOẠCH\n\nIV. TRIỂN KHAI CÁC DỰ ÁN\n\n5. Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo\n\n"
            "a) Mục tiêu: Hỗ trợ nhà ở cho khoảng 100% hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo có nhà ở an toàn.\n\n"
            "b) Đối tượng: hộ nghèo có 30 người.\n")
    norm = normalize(text)
    st = structure.parse(norm)
    found = targets.find_targets(norm, st, Meta(plan_years=[2024]))
    assert [(t.value, t.unit, t.year) for t in found] == [(100, "%", 2024)]
    assert found[0].scope == "DA5"
    assert found[0].clause_id


def test_without_structure_lines_are_used():
    norm = normalize("Phấn đấu tỷ lệ hộ nghèo còn 3,5% vào cuối năm 2025.\nHuyện có 13 xã.")
    found = targets.find_targets(norm, None, None)
    assert [(t.value, t.unit, t.year) for t in found] == [(3.5, "%", 2025)]


def test_goal_table_rows():
    text = ("KẾ HOẠCH\n\nPhụ lục\nCÁC CHỈ TIÊU CHỦ YẾU NĂM 2024\n\n"
            "STT\tChỉ tiêu\tĐVT\tThực hiện năm 2023\tKế hoạch năm 2024\tGhi chú\n"
            "1\tTỷ lệ hộ nghèo\t%\t5,2\t3,5\t\n"
            "2\tSố xã đạt chuẩn nông thôn mới\tXã\t10\t12\t\n"
            "3\tTổng vốn đầu tư\tTriệu đồng\t1.000\t2.000\t\n")
    norm = normalize(text)
    found = targets.find_targets(norm, structure.parse(norm), Meta(plan_years=[2024]))
    assert [(t.indicator, t.value, t.unit, t.year) for t in found] == [
        ("tỷ lệ hộ nghèo", 3.5, "%", 2024), ("số xã đạt chuẩn nông thôn mới", 12, "xã", 2024)]
    assert text[found[0].start:found[0].end] == "3,5"


def test_goal_table_ends_where_the_next_table_begins():
    text = ("KẾ HOẠCH\n\nI. MỤC TIÊU\n\nBiểu 1. CÁC CHỈ TIÊU CHỦ YẾU NĂM 2024\n\n"
            "STT\tChỉ tiêu\tĐVT\tThực hiện năm 2023\tKế hoạch năm 2024\n"
            "1\tTỷ lệ hộ nghèo đồng bào Khmer\t%\t4,85\t3,5\n"
            "A\tNHÓM CHỈ TIÊU XÃ HỘI\t\t\t\n"
            "4\tSố ấp đặc biệt khó khăn được đầu tư đường giao thông\tẤp\t6\t8\n\n"
            "II. KINH PHÍ THỰC HIỆN\n\nBiểu 2. KẾ HOẠCH VỐN NĂM 2024\nĐơn vị tính: triệu đồng\n\n"
            "STT\tNội dung\tTổng cộng\tNgân sách trung ương\tNgân sách địa phương\n"
            "\tTổng cộng\t45.210\t41.100\t4.110\n"
            "1\tDự án 1: Giải quyết tình trạng thiếu đất ở\t5.720\t5.200\t520\n")
    norm = normalize(text)
    found = targets.find_targets(norm, structure.parse(norm), Meta(plan_years=[2024]))
    assert [(t.value, t.unit) for t in found] == [(3.5, "%"), (8, "ấp")]


def test_goal_table_with_pipe_cells():
    text = ("KẾ HOẠCH\n\nI. MỤC TIÊU\n\nBiểu 01. CHỈ TIÊU GIẢM NGHÈO NĂM 2023\n\nSTT | Chỉ tiêu | ĐVT | Kế hoạch năm 2023\n"
            "1 | Giảm tỷ lệ hộ nghèo | % | 4\n2 | Số hộ thoát nghèo | Hộ | 5.800\n\nII. KINH PHÍ\n")
    norm = normalize(text)
    found = targets.find_targets(norm, structure.parse(norm), Meta(plan_years=[2023]))
    assert [(t.indicator, t.value, t.unit, t.year) for t in found] == [
        ("giảm tỷ lệ hộ nghèo", 4, "%", 2023), ("số hộ thoát nghèo", 5800, "hộ", 2023)]
    assert text[found[1].start:found[1].end] == "5.800"


def test_task_table_is_not_a_goal_table():
    text = ("STT\tNội dung, nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n"
            "8\tXây dựng kế hoạch trợ giúp 13 xã có tỷ lệ hộ nghèo cao trên 25%\tSở LĐTBXH\tCác sở\tTrong tháng 10/2023\n")
    norm = normalize(text)
    assert targets.find_targets(norm, structure.parse(norm), Meta(plan_years=[2023])) == []


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(["MỤC TIÊU\n", "Phấn đấu ", "giảm từ ", "xuống còn ", "5,3", "%", " - ", "20", "%/năm",
                           " triệu đồng/người", " xã", "năm 2025", "; ", ". ", "\n", "+ ", "- ", "(", ")", ":", "<"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30))
def test_never_raises(parts):
    text = "".join(parts)
    norm = normalize(text)
    for t in targets.find_targets(norm, structure.parse(norm), Meta(plan_years=[2024])):
        assert 0 <= t.start <= t.end <= len(text)
        assert t.unit


def test_yearly_rate_before_a_dated_goal_has_no_year():
    _, found = run("- Tỷ lệ hộ nghèo trong đồng bào dân tộc thiểu số mỗi năm giảm trên 3%; phấn đấu đến năm 2025 có 50% số xã "
                   "thoát khỏi địa bàn đặc biệt khó khăn.", years=[2021, 2022, 2023, 2024, 2025], title="I. MỤC TIÊU ĐẾN NĂM 2025")
    assert [(t.value, t.year) for t in found] == [(3, None), (50, 2025)]


# Under a goals heading, an allocation says where resources go: no goal. A goal states a result.
@pytest.mark.parametrize("body,values", [
    ("Tập trung nguồn lực cho 03 huyện nghèo và các xã đặc biệt khó khăn; chi tiết các chỉ tiêu tại Biểu 01.", []),
    ("- Ưu tiên bố trí vốn cho 12 xã đặc biệt khó khăn vùng đồng bào dân tộc thiểu số.", []),
    ("- Bố trí nguồn lực thực hiện 05 dự án thành phần.", []),
    ("- Ưu tiên nguồn lực để 02 xã đạt chuẩn nông thôn mới.", [2.0]),
    ("- Tập trung chỉ đạo để giảm 38 hộ nghèo trong năm.", [38.0]),
    ("- Phấn đấu có thêm 02 xã đạt chuẩn nông thôn mới.", [2.0]),
    ("- Bố trí ổn định dân cư cho 1.580 hộ di cư tự do, hộ sống ở khu vực có nguy cơ sạt lở.", [1580.0]),
    ("- Ưu tiên hỗ trợ nhà ở cho 50 hộ nghèo.", [50.0]),
    # money as the subject, allocated "cho" the number: who receives it
    ("Năm 2024, nguồn vốn sự nghiệp được phân bổ cho 14 xã đặc biệt khó khăn; phấn đấu có thêm 03 xã đạt chuẩn nông thôn mới.",
     [3.0]),
    ("- Kinh phí hỗ trợ phát triển sản xuất giao cho 7 hợp tác xã.", []),
    ("- Hỗ trợ vốn cho 120 hộ nghèo phát triển sản xuất.", [120.0]),
])
def test_allocation_is_not_a_goal(body, values):
    assert [t.value for t in run(body)[1]] == values


# "<support> cho N <unit>": the indicator is the count that receives the support
@pytest.mark.parametrize("body,indicator", [
    ("- Cơ bản giải quyết tình trạng thiếu đất ở, nhà ở cho 4.200 hộ đồng bào dân tộc thiểu số nghèo.",
     "số hộ đồng bào dân tộc thiểu số nghèo được giải quyết tình trạng thiếu đất ở, nhà ở"),
    ("- Xóa mù chữ cho 250 người trong độ tuổi từ 15 - 60.", "số người trong độ tuổi từ 15 - 60 được xóa mù chữ"),
])
def test_support_given_to_a_count(body, indicator):
    found = run(body)[1]
    assert [t.indicator for t in found] == [indicator]


def run_text(text: str, years=()):
    norm = normalize(text)
    found = targets.find_targets(norm, structure.parse(norm), Meta(plan_years=list(years)))
    return [(t.value, t.unit, t.year, t.indicator) for t in found]


PLAN_2024 = ("ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ\n\nSố: 85/KH-UBND\n\nKẾ HOẠCH\nThực hiện Chương trình mục tiêu quốc gia xây dựng "
             "nông thôn mới năm 2024\n\nCăn cứ Quyết định số 263/QĐ-TTg ngày 22/02/2022 của Thủ tướng Chính phủ;\n\n")


# Real "chỉ tiêu" lists: (text, years of the plan, [(value, unit, year, indicator)])
LISTS = [
    # "Các chỉ tiêu chủ yếu" with (n) items; a lead "...: 3.830 ha"; a structure split by ";"; indicators kept whole
    (PLAN_2024 + "I. MỤC TIÊU\n\n1. Mục tiêu chung\n\nNâng cao đời sống của người dân.\n\n2. Các chỉ tiêu chủ yếu\n\n"
     "(1) Tổng diện tích gieo trồng hằng năm: 3.830 ha.\n"
     "(2) Cơ cấu kinh tế: Nông - lâm nghiệp 80%; thương mại - dịch vụ 15%; công nghiệp - xây dựng 5%.\n"
     "(3) Tỷ lệ thôn, bản đạt chuẩn văn hóa: 75%.\n"
     "(4) Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm xuống còn 22%.\n",
     [2024],
     [(3830, "ha", 2024, "tổng diện tích gieo trồng hằng năm"),
      (80, "%", 2024, "tỷ lệ cơ cấu kinh tế Nông - lâm nghiệp"),
      (15, "%", 2024, "tỷ lệ thương mại - dịch vụ"),
      (5, "%", 2024, "tỷ lệ công nghiệp - xây dựng"),
      (75, "%", 2024, "tỷ lệ thôn, bản đạt chuẩn văn hóa"),
      (22, "%", 2024, "tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi")]),
    # the year from the heading ("đến năm 2025") over the list, not the plan's year
    (PLAN_2024 + "II. MỤC TIÊU CỤ THỂ ĐẾN NĂM 2025\n\n- Tỷ lệ lao động qua đào tạo đạt 60%.\n"
     "- Số xã đạt chuẩn nông thôn mới: 8 xã.\n",
     [2024],
     [(60, "%", 2025, "tỷ lệ lao động qua đào tạo"), (8, "xã", 2025, "số xã đạt chuẩn nông thôn mới")]),
    # the year of the lead of a list inside one sentence; an income in money units is a goal
    (PLAN_2024 + "I. MỤC TIÊU\n\n2. Chỉ tiêu cụ thể: Phấn đấu đến năm 2025: thu nhập bình quân đầu người đạt 45 triệu "
     "đồng; tỷ lệ che phủ rừng đạt 52%.\n",
     [2024],
     [(45, "triệu đồng", 2025, "thu nhập bình quân đầu người"), (52, "%", 2025, "tỷ lệ che phủ rừng")]),
    # a resolution's article titled "... các chỉ tiêu chủ yếu ..." with numbered items; money output figures are goals
    ("HỘI ĐỒNG NHÂN DÂN\nHUYỆN BẮC YÊN\nSố: 30/NQ-HĐND\nNGHỊ QUYẾT\nVề nhiệm vụ phát triển kinh tế - xã hội năm 2025\n"
     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nQUYẾT NGHỊ:\n"
     "Điều 1. Thông qua các chỉ tiêu chủ yếu năm 2025 như sau:\n"
     "1. Tổng giá trị sản xuất đạt 4.250 tỷ đồng.\n2. Tỷ lệ che phủ rừng đạt 48,5%.\n",
     [2025],
     [(4250, "tỷ đồng", 2025, "tổng giá trị sản xuất"), (48.5, "%", 2025, "tỷ lệ che phủ rừng")]),
    # a press page: a lead line "Các chỉ tiêu chủ yếu:" makes the items under it goals
    ("Sơn La triển khai Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024\n\n08:15 | 12/01/2024\n\n"
     "UBND tỉnh vừa ban hành Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024 trên địa bàn tỉnh.\n\n"
     "Các chỉ tiêu chủ yếu năm 2024:\n\n- Tỷ lệ hộ nghèo giảm 3,5%.\n- Tỷ lệ lao động qua đào tạo đạt 58%.\n\n"
     "Kế hoạch cũng giao nhiệm vụ cho các sở, ngành.\n",
     [],
     [(3.5, "%", 2024, "mức giảm tỷ lệ hộ nghèo"), (58, "%", 2024, "tỷ lệ lao động qua đào tạo")]),
    # a resolution's lists under sub-leads ("a) Chỉ tiêu kinh tế:"); units with a magnitude ("285 nghìn tấn")
    ("HỘI ĐỒNG NHÂN DÂN\nTỈNH ĐIỆN BIÊN\nSố: 12/NQ-HĐND\n\nNGHỊ QUYẾT\nVề kế hoạch phát triển kinh tế - xã hội năm 2024\n\n"
     "QUYẾT NGHỊ:\n\nĐiều 1. Mục tiêu, các chỉ tiêu chủ yếu năm 2024\n\n2. Các chỉ tiêu chủ yếu\n\na) Chỉ tiêu kinh tế:\n\n"
     "- Sản lượng lương thực có hạt đạt 285 nghìn tấn.\n- Thu hút trên 1,2 triệu lượt khách du lịch.\n"
     "b) Chỉ tiêu xã hội:\n\n- Số bác sĩ/vạn dân đạt 11,5 bác sĩ.\n",
     [2024],
     [(285, "nghìn tấn", 2024, "sản lượng lương thực có hạt"), (1.2, "triệu lượt khách", 2024, "số lượt khách du lịch"),
      (11.5, "bác sĩ", 2024, "số bác sĩ/vạn dân")]),
    # a press page states the goals in prose: "đặt mục tiêu đến năm 2025, ..."
    ("Hà Giang: nâng cao chất lượng xây dựng nông thôn mới\n\n10:05 | 03/05/2023\n\n"
     "Kế hoạch của tỉnh đặt mục tiêu đến năm 2025, tỷ lệ hộ nghèo giảm còn dưới 10%; 80 xã đạt chuẩn nông thôn mới.\n",
     [],
     [(10, "%", 2025, "tỷ lệ hộ nghèo"), (80, "xã", 2025, "số xã đạt chuẩn nông thôn mới")]),
]


@pytest.mark.parametrize("text, years, expected", LISTS)
def test_goal_lists(text, years, expected):
    found = run_text(text, years)
    assert [(v, u, y) for v, u, y, _ in found] == [(float(v), u, y) for v, u, y, _ in expected]
    for (_, _, _, got), (_, _, _, want) in zip(found, expected):
        assert similar(got, want), (got, want)


@pytest.mark.parametrize("text", [
    # a budget in a goals list is an amount, not a target
    PLAN_2024 + "I. MỤC TIÊU\n\n2. Các chỉ tiêu chủ yếu\n\n- Kinh phí thực hiện năm 2024 là 12.000 triệu đồng.\n",
    # a results section is no goal zone, though it names the chỉ tiêu
    PLAN_2024 + "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU NĂM 2023\n\n- Tỷ lệ hộ nghèo còn 8,2%.\n",
    # a lead that names the program ("Chương trình mục tiêu quốc gia ..."), not goals
    PLAN_2024 + "II. NỘI DUNG\n\n2. Lồng ghép các nguồn lực vào Chương trình mục tiêu quốc gia giảm nghèo bền vững:\n\n"
    "- Hỗ trợ 13 xã có tỷ lệ hộ nghèo cao trên 25%.\n",
    # a disbursement goal is no target
    PLAN_2024 + "I. MỤC TIÊU\n\n- Phấn đấu giải ngân đạt 100% kế hoạch vốn được giao.\n",
])
def test_not_goals_in_lists(text):
    assert run_text(text, [2024]) == []
