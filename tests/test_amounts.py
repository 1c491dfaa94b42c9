"""Money figures: value in đồng, scope, source and capital, from real plan sentences."""
from decimal import Decimal

import pytest

from extraction import amounts, structure
from extraction.normalize import normalize
from extraction.numbers import parse_decimal, parse_number, to_vnd


@pytest.mark.parametrize("text, value", [
    ("162.756", Decimal(162756)),
    ("3.230,38", Decimal("3230.38")),
    ("1.683", Decimal(1683)),
    ("75.000", Decimal(75000)),
    ("5,3", Decimal("5.3")),
    ("10,81", Decimal("10.81")),
    ("1.234.567", Decimal(1234567)),
    ("1,234,567", Decimal(1234567)),
    ("1,234.5", Decimal("1234.5")),
    ("2.5", Decimal("2.5")),
    ("512", Decimal(512)),
    ("1.23.4", None),
    ("", None),
    ("abc", None),
])
def test_parse_decimal(text, value):
    assert parse_decimal(text) == value


def test_parse_number_float():
    assert parse_number("38,50") == 38.5


@pytest.mark.parametrize("number, unit, vnd", [
    ("162.756", "triệu đồng", 162_756_000_000),
    ("1.683", "triệu đồng", 1_683_000_000),
    ("75.000", "tỷ đồng", 75_000_000_000_000),
    ("3.230,38", "tỷ đồng", 3_230_380_000_000),
    ("9.850", "tr.đồng", 9_850_000_000),
    ("500.000", "đồng", 500_000),
    ("250", "nghìn đồng", 250_000),
    ("1,5", "tỉ đồng", 1_500_000_000),
    ("12", "trđ", 12_000_000),
    ("12", "người", None),
])
def test_to_vnd(number, unit, vnd):
    assert to_vnd(number, unit) == vnd


BODY = "KẾ HOẠCH thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững\n\nI. NỘI DUNG\n\n"


def run(text):
    n = normalize(BODY + text)
    return amounts.find_amounts(n, structure.parse(n))


def triples(text):
    return [(a.text, a.value_vnd, a.scope, a.source, a.capital) for a in run(text)]


@pytest.mark.parametrize("text, expected", [
    ("Kế hoạch vốn thực hiện năm 2023 là 162.756 triệu đồng, trong đó: NSTW 161.044 triệu đồng; NSDP 512 triệu đồng; Nguồn huy động khác 1.200 triệu đồng, cụ thể:",
     [("162.756 triệu đồng", 162756000000, "total", "total", None),
      ("161.044 triệu đồng", 161044000000, "total", "NSTW", None),
      ("512 triệu đồng", 512000000, "total", "NSĐP", None),
      ("1.200 triệu đồng", 1200000000, "total", "khác", None)]),
    ("1. Dự án 1: Hỗ trợ đầu tư\n\nb) Vốn và nguồn vốn dự kiến: Ngân sách Trung ương 50.050 triệu đồng, trong đó vốn đầu tư 45.500 triệu đồng; vốn sự nghiệp 4.550 triệu đồng.",
     [("50.050 triệu đồng", 50050000000, "DA1", "NSTW", None),
      ("45.500 triệu đồng", 45500000000, "DA1", "NSTW", "đầu tư"),
      ("4.550 triệu đồng", 4550000000, "DA1", "NSTW", "sự nghiệp")]),
    ("4. Dự án 4: Giáo dục nghề nghiệp\n\n4.2. Tiểu dự án 2: Đi làm việc ở nước ngoài\n\ne) Kinh phí thực hiện năm 2024 là 1.683 triệu đồng, trong đó:\n\n- Ngân sách trung ương: 1.530 triệu đồng (vốn sự nghiệp);\n- Ngân sách địa phương: 153 triệu đồng (vốn sự nghiệp);",
     [("1.683 triệu đồng", 1683000000, "DA4.TDA2", "total", None),
      ("1.530 triệu đồng", 1530000000, "DA4.TDA2", "NSTW", "sự nghiệp"),
      ("153 triệu đồng", 153000000, "DA4.TDA2", "NSĐP", "sự nghiệp")]),
    ("- Ngân sách Trung ương: 111.687 triệu đồng (vốn đầu tư phát triển: 99.654 triệu đồng, vốn sự nghiệp: 12.033 triệu đồng);",
     [("111.687 triệu đồng", 111687000000, "total", "NSTW", None),
      ("99.654 triệu đồng", 99654000000, "total", "NSTW", "đầu tư"),
      ("12.033 triệu đồng", 12033000000, "total", "NSTW", "sự nghiệp")]),
    ("Tổng vốn Chương trình là 75.000 tỷ đồng.", [("75.000 tỷ đồng", 75000000000000, "total", "total", None)]),
    ("Tổng kinh phí 3.230,38 tỷ đồng, vốn đối ứng của tỉnh 230,38 tỷ đồng.",
     [("3.230,38 tỷ đồng", 3230380000000, "total", "total", None),
      ("230,38 tỷ đồng", 230380000000, "total", "NSĐP", None)]),
    ("Nguồn vốn lồng ghép các chương trình: 2.500.000.000 đồng; vốn xã hội hóa 300 triệu đồng.",
     [("2.500.000.000 đồng", 2500000000, "total", "khác", None),
      ("300 triệu đồng", 300000000, "total", "khác", None)]),
    # figures named by their Dự án in running text
    ("Kinh phí thực hiện: Dự án 1: 50.050 triệu đồng, trong đó vốn đầu tư 45.500 triệu đồng; Dự án 2: 10.881 triệu đồng.",
     [("50.050 triệu đồng", 50050000000, "DA1", "total", None),
      ("45.500 triệu đồng", 45500000000, "DA1", "total", "đầu tư"),
      ("10.881 triệu đồng", 10881000000, "DA2", "total", None)]),
    ("Vốn đầu tư phát triển thực hiện Tiểu dự án 2 - Dự án 1 là 26.197 triệu đồng.",
     [("26.197 triệu đồng", 26197000000, "DA1.TDA2", "total", "đầu tư")]),
    # a capital total split by source
    ("Vốn sự nghiệp: 500 triệu đồng (ngân sách trung ương 450 triệu đồng; ngân sách tỉnh 50 triệu đồng).",
     [("500 triệu đồng", 500000000, "total", "total", "sự nghiệp"),
      ("450 triệu đồng", 450000000, "total", "NSTW", "sự nghiệp"),
      ("50 triệu đồng", 50000000, "total", "NSĐP", "sự nghiệp")]),
    # a breakdown list under a figure
    ("e) Kinh phí thực hiện là 100 triệu đồng, trong đó:\n\n- Vốn đầu tư: 60 triệu đồng;\n\n- Vốn sự nghiệp: 40 triệu đồng.",
     [("100 triệu đồng", 100000000, "total", "total", None),
      ("60 triệu đồng", 60000000, "total", "total", "đầu tư"),
      ("40 triệu đồng", 40000000, "total", "total", "sự nghiệp")]),
    # source and capital written after the figure
    ("Tiểu dự án 1 - Dự án 4: 12.000 triệu đồng vốn đầu tư phát triển nguồn NSTW; 500 triệu đồng vốn sự nghiệp.",
     [("12.000 triệu đồng", 12000000000, "DA4.TDA1", "NSTW", "đầu tư"),
      ("500 triệu đồng", 500000000, "DA4.TDA1", "total", "sự nghiệp")]),
    ("Tổng kinh phí: 3.200 triệu đồng, trong đó vốn sự nghiệp NSTW 3.000 triệu đồng, vốn đối ứng ngân sách huyện 200 triệu đồng.",
     [("3.200 triệu đồng", 3200000000, "total", "total", None),
      ("3.000 triệu đồng", 3000000000, "total", "NSTW", "sự nghiệp"),
      ("200 triệu đồng", 200000000, "total", "NSĐP", None)]),
    ("Ngân sách trung ương 100 triệu đồng vốn đầu tư 60 triệu đồng",
     [("100 triệu đồng", 100000000, "total", "NSTW", None), ("60 triệu đồng", 60000000, "total", "NSTW", "đầu tư")]),
    ("Kinh phí duy tu: 200 triệu đ/năm.", [("200 triệu đ", 200000000, "total", "total", None)]),
    ("Tổng kinh phí: 1,5 tỷ; ngân sách trung ương 1,2 tỷ.",
     [("1,5 tỷ", 1500000000, "total", "total", None), ("1,2 tỷ", 1200000000, "total", "NSTW", None)]),
    # source and capital in brackets after the figure
    ("1. Dự án 1: Hạ tầng\n\nKinh phí: 98.500 triệu đồng (Vốn đầu tư phát triển NSTW), đầu tư 12 công trình.",
     [("98.500 triệu đồng", 98500000000, "DA1", "NSTW", "đầu tư")]),
    ("Tiểu dự án 3: Hỗ trợ việc làm bền vững. Kinh phí: 2.350.000.000 đồng (ngân sách trung ương, vốn sự nghiệp).",
     [("2.350.000.000 đồng", 2350000000, "total", "NSTW", "sự nghiệp")]),
    # a source written before a list of capitals leads them all
    ("Kinh phí: 21.600 triệu đồng, trong đó: NSTW vốn đầu tư 19.000 triệu đồng, vốn sự nghiệp 2.600 triệu đồng.",
     [("21.600 triệu đồng", 21600000000, "total", "total", None),
      ("19.000 triệu đồng", 19000000000, "total", "NSTW", "đầu tư"),
      ("2.600 triệu đồng", 2600000000, "total", "NSTW", "sự nghiệp")]),
    # the total of a source named before it
    ("Giao chi tiết kế hoạch vốn ngân sách trung ương năm 2024 thực hiện Chương trình với tổng số vốn là 658.742 triệu đồng "
     "(vốn đầu tư phát triển 452.310 triệu đồng; vốn sự nghiệp 206.432 triệu đồng).",
     [("658.742 triệu đồng", 658742000000, "total", "NSTW", None),
      ("452.310 triệu đồng", 452310000000, "total", "NSTW", "đầu tư"),
      ("206.432 triệu đồng", 206432000000, "total", "NSTW", "sự nghiệp")]),
    # bulleted Tiểu dự án under a new Dự án heading belong to that Dự án
    ("2. Dự án 4: Việc làm\n\nTiểu dự án 3: Hỗ trợ việc làm bền vững. Kinh phí: 2.350 triệu đồng.\n\n"
     "3. Dự án 6: Truyền thông và giảm nghèo về thông tin\n\n- Tiểu dự án 1: Giảm nghèo về thông tin. Kinh phí: 1.450 triệu đồng.",
     [("2.350 triệu đồng", 2350000000, "DA4.TDA3", "total", None),
      ("1.450 triệu đồng", 1450000000, "DA6.TDA1", "total", None)]),
    # one figure for two parts of two programs is no part's: the whole plan's
    ("Kinh phí kiểm tra, giám sát bố trí từ nguồn vốn sự nghiệp thực hiện Dự án 10 - Chương trình mục tiêu quốc gia "
     "phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi và Tiểu dự án 2 - Dự án 7 Chương trình mục "
     "tiêu quốc gia giảm nghèo bền vững đã giao cho Văn phòng Điều phối nông thôn mới tỉnh năm 2023 là 450 triệu đồng.",
     [("450 triệu đồng", 450000000, "total", "total", "sự nghiệp")]),
    ("Điều 1. Phân bổ chi tiết kế hoạch vốn sự nghiệp ngân sách trung ương năm 2024 cho các cơ quan, đơn vị với tổng số tiền "
     "12.450.000.000 đồng (Mười hai tỷ, bốn trăm năm mươi triệu đồng), chi tiết theo biểu đính kèm.",
     [("12.450.000.000 đồng", 12450000000, "total", "NSTW", "sự nghiệp")]),
    # the part a figure is for, written after it; a support norm in the phrase before does not matter
    ("Đề nghị Sở Tài chính sớm hướng dẫn định mức hỗ trợ nhà ở năm 2024; đề nghị UBND tỉnh bổ sung 1.500 triệu đồng "
     "vốn sự nghiệp để thực hiện Dự án 4.",
     [("1.500 triệu đồng", 1500000000, "DA4", "total", "sự nghiệp")]),
    # thousands grouped by spaces, as some conversions print them
    ("Tổng kinh phí thực hiện năm 2024 dự kiến là 8 640 triệu đồng, trong đó:\n- Ngân sách tỉnh: 1 250 triệu đồng;",
     [("8 640 triệu đồng", 8640000000, "total", "total", None),
      ("1 250 triệu đồng", 1250000000, "total", "NSĐP", None)]),
    # a lead figure "phân bổ như sau:" gives its source and capital to the parts listed under it, parts named
    # inline ("Dự án 3: ..., Tiểu dự án 1: ...: 4,8 tỷ đồng; Tiểu dự án 2: ...") and figures in bare "triệu"
    ("3. Vốn sự nghiệp ngân sách trung ương: 13,7 tỷ đồng, phân bổ như sau:\na) Dự án 1: Giải quyết tình trạng thiếu đất ở, "
     "nhà ở: 3,6 tỷ đồng.\nb) Dự án 3: Phát triển sản xuất nông, lâm nghiệp bền vững, Tiểu dự án 1: Phát triển kinh tế nông, "
     "lâm nghiệp gắn với bảo vệ rừng và nâng cao thu nhập cho người dân: 4,8 tỷ đồng; Tiểu dự án 2: Hỗ trợ phát triển sản xuất "
     "theo chuỗi giá trị: 1,2 tỷ đồng.\nc) Dự án 8: Thực hiện bình đẳng giới: 620 triệu.",
     [("13,7 tỷ đồng", 13700000000, "total", "NSTW", "sự nghiệp"),
      ("3,6 tỷ đồng", 3600000000, "DA1", "NSTW", "sự nghiệp"),
      ("4,8 tỷ đồng", 4800000000, "DA3.TDA1", "NSTW", "sự nghiệp"),
      ("1,2 tỷ đồng", 1200000000, "DA3.TDA2", "NSTW", "sự nghiệp"),
      ("620 triệu", 620000000, "DA8", "NSTW", "sự nghiệp")]),
    # numbered items of a source's total take that source; one item's capital words do not pass to the next item
    ("Điều 1. Giao kế hoạch vốn ngân sách trung ương năm 2024 với tổng số vốn 1.245.680 triệu đồng, trong đó:\n"
     "1. Chương trình mục tiêu quốc gia xây dựng nông thôn mới: 312.400 triệu đồng, gồm vốn đầu tư phát triển 268.000 triệu "
     "đồng và vốn sự nghiệp 44.400 triệu đồng.\n2. Chương trình mục tiêu quốc gia giảm nghèo bền vững: 286.150 triệu đồng.",
     # a figure for each of two programs: each program's own scope (SCHEMA.md), its split too
     [("1.245.680 triệu đồng", 1245680000000, "total", "NSTW", None),
      ("312.400 triệu đồng", 312400000000, "ntm", "NSTW", None),
      ("268.000 triệu đồng", 268000000000, "ntm", "NSTW", "đầu tư"),
      ("44.400 triệu đồng", 44400000000, "ntm", "NSTW", "sự nghiệp"),
      ("286.150 triệu đồng", 286150000000, "gnbv", "NSTW", None)]),
    # "đơn vị sự nghiệp công lập" in a part's name is no capital kind
    ("Dự án 4: Đầu tư cơ sở hạ tầng thiết yếu, Tiểu dự án 1: Đầu tư cơ sở hạ tầng thiết yếu và các đơn vị sự nghiệp công lập "
     "của lĩnh vực dân tộc: ngân sách trung ương 30,5 tỷ đồng.",
     [("30,5 tỷ đồng", 30500000000, "DA4.TDA1", "NSTW", None)]),
    # the capital kind named by the heading over the figures
    ("1. Vốn đầu tư phát triển\n\nDự án 4: Đầu tư cơ sở hạ tầng, Tiểu dự án 1: Đầu tư cơ sở hạ tầng thiết yếu: ngân sách "
     "trung ương 30,5 tỷ đồng, ngân sách huyện đối ứng 1,3 tỷ đồng.",
     [("30,5 tỷ đồng", 30500000000, "DA4.TDA1", "NSTW", "đầu tư"),
      ("1,3 tỷ đồng", 1300000000, "DA4.TDA1", "NSĐP", "đầu tư")]),
])
def test_amounts(text, expected):
    assert triples(text) == expected


@pytest.mark.parametrize("text", [
    "- Phấn đấu thu nhập bình quân đầu người đạt 40 triệu đồng/người.",
    "Hỗ trợ tối đa 40 triệu đồng/hộ để xây mới nhà ở.",
    "Mức hỗ trợ 3 triệu đồng cho mỗi hộ.",
    "Hỗ trợ tiền ăn 1,5 triệu đồng/năm/người.",
    "Quyết định số 90/QĐ-TTg ngày 18/01/2022 phê duyệt Chương trình, tỷ lệ hộ nghèo 5,3%.",
    "Dân số toàn huyện là 1,2 triệu; có 38 câu lạc bộ.",
    "Hỗ trợ xây dựng 3 dự án, 12 công trình, đạt 98,5%.",
    "Đến ngày 30/11/2023, đã giải ngân 71.238 triệu đồng, đạt 81,5% kế hoạch.",  # spent, not budgeted
    "Đã hỗ trợ 142 hộ nghèo vay vốn với tổng dư nợ 7,1 tỷ đồng.",  # loans outstanding
    "Giá trị giải ngân đến ngày 30/11/2025 đạt 6 912 triệu đồng, bằng 80% kế hoạch.",  # spent, not budgeted
    # a remainder over several parts is the figure of no scope
    "- Các dự án còn lại: 10.870 tr.đồng.",
    "5. Các dự án, tiểu dự án còn lại: 4.900 triệu đồng vốn sự nghiệp NSTW.",
    "- Các nội dung khác: 350 triệu đồng.",
    "Vốn các dự án còn lại (Dự án 2, 3, 6, 7, 8, 9, 10) phân bổ theo Phụ lục số 02 kèm theo, tổng cộng 411,812 tỷ đồng.",
])
def test_not_budget_figures(text):
    assert run(text) == []


def test_repeated_figure_listed_once():
    got = run("1. Dự án 5: Nhà ở\n\nKinh phí: 13.260 triệu đồng.\n\nTổng hợp: Dự án 5 có kinh phí 13.260 triệu đồng.")
    assert [(a.scope, a.value_vnd) for a in got] == [("DA5", 13260000000)]


def test_equal_other_sources_in_one_list_kept():
    got = triples("Tổng nguồn vốn: 3.500 triệu đồng, gồm:\n\n- Vốn lồng ghép: 1.500 triệu đồng;\n- Vốn tín dụng: 1.000 triệu đồng;\n- Vốn doanh nghiệp, nhân dân đóng góp: 1.000 triệu đồng.")
    assert [g[1:4] for g in got] == [(3500000000, "total", "total"), (1500000000, "total", "khác"),
                                     (1000000000, "total", "khác"), (1000000000, "total", "khác")]


def test_same_figure_different_scope_kept():
    got = triples("Nguồn huy động khác 1.200 triệu đồng.\n\n1. Dự án 5: Nhà ở\n\n- Nguồn huy động khác: 1.200 triệu đồng.")
    assert [(g[2], g[3]) for g in got] == [("total", "khác"), ("DA5", "khác")]


def test_spans_point_at_the_original():
    raw = BODY + "## **Tổng kinh phí**: 1.683 triệu   đồng."
    n = normalize(raw)
    (a,) = amounts.find_amounts(n, structure.parse(n))
    assert raw[a.start:a.end] == a.text == "1.683 triệu   đồng"
    assert a.clause_id and a.clause_id.startswith("c")


def test_header_figures_are_not_the_plan_budget():
    raw = ("KẾ HOẠCH\n\nCăn cứ Nghị quyết số 24/2021/QH15 phê duyệt Chương trình với tổng vốn 75.000 tỷ đồng;\n\n"
           "I. KINH PHÍ\n\nTổng kinh phí 1.000 triệu đồng.")
    n = normalize(raw)
    assert [a.value_vnd for a in amounts.find_amounts(n, structure.parse(n))] == [1_000_000_000]


TABLE = """I. KINH PHÍ

Phụ lục: Kế hoạch vốn năm 2024
Đơn vị tính: triệu đồng

TT\tNội dung\tTổng cộng\tNgân sách trung ương\t\tNgân sách địa phương
\t\t\tVốn đầu tư\tVốn sự nghiệp\t
\tTổng cộng\t350.190\t200.000\t119.642\t30.548
1\tDự án 1: Hỗ trợ đầu tư phát triển hạ tầng\t154.553\t125.851\t14.653\t14.049
1.1\tTiểu dự án 1\t122.854\t99.654\t12.033\t11.167
3\tHỗ trợ phát triển sản xuất, cải thiện dinh dưỡng\t7.726\t\t7.024\t702
\tXã Đắk Som\t100\t\t100\t
"""


@pytest.mark.parametrize("value, scope, source, capital", [
    (350_190_000_000, "total", "total", None),
    (200_000_000_000, "total", "NSTW", "đầu tư"),
    (119_642_000_000, "total", "NSTW", "sự nghiệp"),
    (30_548_000_000, "total", "NSĐP", None),
    (125_851_000_000, "DA1", "NSTW", "đầu tư"),
    (11_167_000_000, "DA1.TDA1", "NSĐP", None),
    (7_024_000_000, "DA3", "NSTW", "sự nghiệp"),  # row named like the program's Dự án 3
])
def test_budget_table(value, scope, source, capital):
    got = {(a.value_vnd, a.scope, a.source, a.capital) for a in run(TABLE)}
    assert (value, scope, source, capital) in got


def test_budget_table_rows_without_a_scope_and_tables_without_unit_are_skipped():
    got = run(TABLE)
    assert 100_000_000 not in {a.value_vnd for a in got}  # a commune's row
    assert run(TABLE.replace("Đơn vị tính: triệu đồng", "")) == []


def test_budget_table_from_docx_loader_cells():
    table = TABLE.replace("\t", " | ")
    got = {(a.value_vnd, a.scope, a.source, a.capital) for a in run(table)}
    assert (125_851_000_000, "DA1", "NSTW", "đầu tư") in got
    assert (350_190_000_000, "total", "total", None) in got


@pytest.mark.parametrize("text", [
    # headings in capitals only, no numbers
    "KẾ HOẠCH\n\nCăn cứ Quyết định số 90/QĐ-TTg;\n\nMỤC ĐÍCH\n\nTổng kinh phí 1.000 triệu đồng.\n",
    # no headings at all
    "KẾ HOẠCH\n\nCăn cứ Quyết định số 90/QĐ-TTg;\n\nTổng kinh phí 1.000 triệu đồng.\n",
])
def test_body_without_numbered_headings(text):
    n = normalize(text)
    assert [a.value_vnd for a in amounts.find_amounts(n, structure.parse(n))] == [1_000_000_000]


def test_ntm_content_group_in_running_text():
    text = ("KẾ HOẠCH thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2024\n\nI. KINH PHÍ\n\n"
            "Kinh phí thực hiện Nội dung số 02 là 5.000 triệu đồng; Nội dung số 03: 800 triệu đồng.")
    n = normalize(text)
    got = [(a.scope, a.value_vnd) for a in amounts.find_amounts(n, structure.parse(n))]
    assert got == [("ND2", 5_000_000_000), ("ND3", 800_000_000)]


def test_budget_table_under_a_title_naming_one_source():
    text = ("I. KINH PHÍ\n\nPHỤ LỤC\n\nKẾ HOẠCH VỐN NGÂN SÁCH TRUNG ƯƠNG NĂM 2024\n\nĐơn vị tính: triệu đồng\n\n"
            "TT | Nội dung | Tổng số | Vốn đầu tư phát triển | Vốn sự nghiệp\n"
            " | TỔNG SỐ | 658.742 | 452.310 | 206.432\n"
            "2 | Dự án 2: Quy hoạch, sắp xếp, bố trí, ổn định dân cư | 25.300 | 25.300 | -\n")
    got = {(a.value_vnd, a.scope, a.source, a.capital) for a in run(text)}
    assert {(658_742_000_000, "total", "NSTW", None), (452_310_000_000, "total", "NSTW", "đầu tư"),
            (25_300_000_000, "DA2", "NSTW", None), (25_300_000_000, "DA2", "NSTW", "đầu tư")} <= got


def test_a_source_note_after_a_list_is_the_source_of_its_figures():
    got = triples("III. KINH PHÍ\n\nTổng kinh phí: 865.400.000 đồng. Trong đó:\n\n"
                  "- Dự án 2 (Đa dạng hóa sinh kế): 420.000.000 đồng;\n\n- Dự án 6 (Truyền thông): 70.000.000 đồng.\n\n"
                  "Nguồn: ngân sách trung ương do UBND huyện phân bổ.\n\nIV. TỔ CHỨC THỰC HIỆN\n\nKinh phí khác 5 triệu đồng.")
    assert [(g[1], g[2], g[3]) for g in got] == [(865400000, "total", "NSTW"), (420000000, "DA2", "NSTW"),
                                                 (70000000, "DA6", "NSTW"), (5000000, "total", "total")]


def test_a_source_note_leaves_figures_that_name_their_sources():
    got = triples("III. KINH PHÍ\n\nTổng kinh phí 100 triệu đồng, trong đó ngân sách tỉnh 40 triệu đồng.\n\n"
                  "Nguồn: ngân sách trung ương và ngân sách tỉnh.")
    assert [g[3] for g in got] == ["total", "NSĐP"]


def test_total_of_a_source_in_brackets_and_its_lettered_split():
    got = triples("II. NỘI DUNG VÀ KINH PHÍ\n\nTổng kinh phí thực hiện: 9.876,5 triệu đồng (ngân sách trung ương), gồm:\n\n"
                  "1. Vốn đầu tư phát triển: 7.200 triệu đồng, đầu tư cải tạo nhà ở bán trú.\n\n"
                  "2. Vốn sự nghiệp: 2.676.500.000đ, trong đó:\n\na) Mua sắm trang thiết bị: 1.850.000.000đ;\n\n"
                  "b) Tổ chức các lớp xóa mù chữ: 618.500.000đ;\n\nIII. TỔ CHỨC THỰC HIỆN\n\nKinh phí khác 5 triệu đồng.")
    assert [(g[1], g[3], g[4]) for g in got] == [
        (9876500000, "NSTW", None), (7200000000, "NSTW", "đầu tư"), (2676500000, "NSTW", "sự nghiệp"),
        (1850000000, "NSTW", "sự nghiệp"), (618500000, "NSTW", "sự nghiệp"), (5000000, "total", None)]


def test_a_numbered_sibling_does_not_inherit_the_part_named_in_the_item_before():
    got = triples("II. KINH PHÍ\n\n1. Dự án 1: 100 triệu đồng.\n\n2. Hỗ trợ khác: 50 triệu đồng.")
    assert [(g[1], g[2]) for g in got] == [(100000000, "DA1"), (50000000, "total")]


def test_the_remaining_projects_are_not_the_project_before():
    got = triples("II. KINH PHÍ\n\nTổng kinh phí 46 tỷ đồng, ngân sách tỉnh đối ứng 6 tỷ.\n\nPhân bổ theo dự án:\n\n"
                  "- Dự án 4: 35.600 tr.đồng;\n\n- Các dự án còn lại: 10.870 tr.đồng.")
    # the remainder is no scope's figure (held-out convention: not listed), nor the project before's
    assert [(g[1], g[2], g[3]) for g in got][2:] == [(35600000000, "DA4", "total")]


def test_budget_table_in_thousands_with_a_row_per_source():
    text = ("II. KINH PHÍ THỰC HIỆN\n\nBiểu tổng hợp nguồn vốn\nĐơn vị tính: 1.000 đồng\n\nTT\tNguồn vốn\tSố tiền\n"
            "1\tNgân sách trung ương\t2.850.000\n2\tNgân sách tỉnh\t1.200.000\n3\tHuy động nhân dân đóng góp\t1.480.000\n"
            "\tTổng cộng\t5.530.000\n")
    got = {(a.value_vnd, a.scope, a.source) for a in run(text)}
    assert got == {(2_850_000_000, "total", "NSTW"), (1_200_000_000, "total", "NSĐP"), (1_480_000_000, "total", "khác"),
                   (5_530_000_000, "total", "total")}


def test_budget_table_columns_named_source_dash_capital():
    text = ("II. KINH PHÍ\n\nĐơn vị tính: triệu đồng\n\nSTT | Nội dung | Tổng cộng | NSTW - Đầu tư | NSTW - Sự nghiệp | NSĐP\n"
            " | Tổng cộng | 512.640 | 350.200 | 125.840 | 36.600\n"
            "1 | Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo | 385.020 | 350.200 | | 34.820\n")
    got = {(a.value_vnd, a.scope, a.source, a.capital) for a in run(text)}
    assert {(350_200_000_000, "total", "NSTW", "đầu tư"), (125_840_000_000, "total", "NSTW", "sự nghiệp"),
            (350_200_000_000, "DA1", "NSTW", "đầu tư"), (34_820_000_000, "DA1", "NSĐP", None)} <= got


def test_numbered_items_under_a_capital_total_are_of_that_capital():
    got = triples("II. DANH MỤC CÔNG TRÌNH VÀ KINH PHÍ\n\nTổng vốn đầu tư phát triển năm 2024 là 28.600 triệu đồng (ngân sách trung ương "
                  "26.000 triệu đồng, ngân sách tỉnh đối ứng 2.600 triệu đồng), đầu tư các công trình:\n\n"
                  "1. Đường giao thông liên thôn Bản Mế - Nàn Vái: 9.800 triệu đồng.\n\n2. Nhà văn hóa xã Bản Mế: 2.500 triệu đồng.")
    assert [(g[1], g[3], g[4]) for g in got] == [
        (28600000000, "total", "đầu tư"), (26000000000, "NSTW", "đầu tư"), (2600000000, "NSĐP", "đầu tư"),
        (9800000000, "total", "đầu tư"), (2500000000, "total", "đầu tư")]


def test_a_figure_split_by_year_keeps_its_source():
    got = triples("III. KINH PHÍ\n\nTổng kinh phí giai đoạn 2024 - 2025: 1.286,4 tỷ đồng, trong đó:\n\n"
                  "a) Ngân sách trung ương: 1.169,5 tỷ đồng (năm 2024: 612,3 tỷ đồng; năm 2025: 557,2 tỷ đồng);\n\n"
                  "b) Ngân sách địa phương: 116,9 tỷ đồng.")
    assert [(g[1], g[3]) for g in got] == [(1286400000000, "total"), (1169500000000, "NSTW"), (612300000000, "NSTW"),
                                           (557200000000, "NSTW"), (116900000000, "NSĐP")]


def test_figures_around_a_remainder_are_kept():
    got = triples("- Dự án 4: 35.600 tr.đồng;\n- Các dự án còn lại: 10.870 tr.đồng.\n- Tổng cộng: 46.470 tr.đồng.")
    assert [(t[1], t[2]) for t in got] == [(35600000000, "DA4"), (46470000000, "total")]


def run_text(text):
    n = normalize(text)
    return [(a.text, a.value_vnd, a.scope, a.source, a.capital) for a in amounts.find_amounts(n, structure.parse(n))]


# Press and portal pages that report allocations: no formal header, a headline that names the
# capital kind, figures whose source is said once at a sentence start.
PAGE_HEAD = "Phân bổ kinh phí sự nghiệp thực hiện Chương trình MTQG giảm nghèo bền vững năm 2025\n\n14:20 | 12/03/2025\n\n"
DTTS_BODY = ("KẾ HOẠCH thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số "
             "và miền núi năm 2024\n\nI. NỘI DUNG\n\n")


@pytest.mark.parametrize("text, expected", [
    # the capital of the headline applies to every figure; "10, 250 tỷ" (a space after the comma) is 10,25 tỷ
    (PAGE_HEAD + "Ngày 11/3/2025, UBND tỉnh ban hành Quyết định số 512/QĐ-UBND phân bổ kinh phí thực hiện Chương trình "
     "với tổng số tiền là 120,450 tỷ đồng, trong đó ngân sách trung ương 110,2 tỷ đồng, ngân sách tỉnh: 10, 250 tỷ đồng.\n",
     [("120,450 tỷ đồng", 120_450_000_000, "total", "total", "sự nghiệp"),
      ("110,2 tỷ đồng", 110_200_000_000, "total", "NSTW", "sự nghiệp"),
      ("10, 250 tỷ đồng", 10_250_000_000, "total", "NSĐP", "sự nghiệp")]),
    # comma thousands, decided by the sums (2,020 + 920 = 2,940); the source a sentence opens on carries to the
    # figures after it, across sentences; a page's disbursed figure is one of its amounts; "trên", "gần", "khoảng"
    ("Lào Cai: đẩy nhanh giải ngân vốn các chương trình\n\nTheo báo cáo của Sở Tài chính, tổng số vốn bố trí thực hiện "
     "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025 là trên 3,260 tỷ đồng.\n\n"
     "Trong đó, vốn ngân sách trung ương là 2,940 tỷ đồng (vốn đầu tư phát triển 2,020 tỷ đồng và vốn sự nghiệp gần 920 tỷ "
     "đồng).\n\nĐối với vốn ngân sách địa phương, tỉnh đã bố trí khoảng 320 tỷ đồng. Đến ngày 30/6/2025, đã giải ngân 210 tỷ "
     "đồng, đạt 65% kế hoạch.\n",
     [("3,260 tỷ đồng", 3_260_000_000_000, "total", "total", None),
      ("2,940 tỷ đồng", 2_940_000_000_000, "total", "NSTW", None),
      ("2,020 tỷ đồng", 2_020_000_000_000, "total", "NSTW", "đầu tư"),
      ("920 tỷ đồng", 920_000_000_000, "total", "NSTW", "sự nghiệp"),
      ("320 tỷ đồng", 320_000_000_000, "total", "NSĐP", None),
      ("210 tỷ đồng", 210_000_000_000, "total", "NSĐP", None)]),
    # a sentence that opens on one source and names another sets no topic for the next paragraph
    ("Phân bổ vốn thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024\n\nNgày 5/3/2024, UBND tỉnh phân bổ vốn "
     "thực hiện Chương trình năm 2024.\n\nTrong đó, ngân sách trung ương 100 tỷ đồng, ngân sách địa phương 20 tỷ đồng."
     "\n\nTỉnh đã phân bổ cho 10 huyện 80 tỷ đồng.\n",
     [("100 tỷ đồng", 100_000_000_000, "total", "NSTW", None),
      ("20 tỷ đồng", 20_000_000_000, "total", "NSĐP", None),
      ("80 tỷ đồng", 80_000_000_000, "total", "total", None)]),
    # a list of sources after "trong đó:" is no topic: the next sentence's figures are the total's parts
    ("Giao vốn đầu tư phát triển thực hiện Chương trình năm 2024\n\nNgày 2/4/2024, UBND tỉnh giao kế hoạch vốn cho các "
     "công trình đủ điều kiện như sau:\n\nSố vốn giao là 8.800 triệu đồng, trong đó: vốn ngân sách trung ương là 8.000 triệu "
     "đồng; vốn ngân sách tỉnh là 800 triệu đồng. Trong đó: Sở Y tế 3.300 triệu đồng.\n",
     [("8.800 triệu đồng", 8_800_000_000, "total", "total", "đầu tư"),
      ("8.000 triệu đồng", 8_000_000_000, "total", "NSTW", "đầu tư"),
      ("800 triệu đồng", 800_000_000, "total", "NSĐP", "đầu tư"),
      ("3.300 triệu đồng", 3_300_000_000, "total", "total", "đầu tư")]),
    # several programs: each program's own figure takes the program as scope
    ("Toàn cảnh phiên họp\n\nTheo đó, tổng nguồn vốn được giao là 905.300 triệu đồng, trong đó Chương trình mục tiêu quốc "
     "gia xây dựng nông thôn mới là 410.000 triệu đồng; Chương trình mục tiêu quốc gia giảm nghèo bền vững là 295.300 triệu "
     "đồng; Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi là "
     "200.000 triệu đồng.\n",
     [("905.300 triệu đồng", 905_300_000_000, "total", "total", None),
      ("410.000 triệu đồng", 410_000_000_000, "ntm", "total", None),
      ("295.300 triệu đồng", 295_300_000_000, "gnbv", "total", None),
      ("200.000 triệu đồng", 200_000_000_000, "dtts", "total", None)]),
    # the capital the lead paragraph names, when the headline names none; Dự án and a Tiểu dự án of a Dự án
    ("Cao Bằng phân bổ hơn 420 tỷ đồng thực hiện Chương trình MTQG vùng đồng bào DTTS&MN\n\nThứ Ba, 14/03/2023 09:12\n\n"
     "UBND tỉnh vừa ban hành Quyết định số 312/QĐ-UBND về việc phân bổ vốn sự nghiệp năm 2023 thực hiện Chương trình.\n\n"
     "Theo đó, tổng vốn phân bổ là 420.560 triệu đồng. Cụ thể: Dự án 1 giải quyết tình trạng thiếu đất ở, nhà ở 35.200 triệu "
     "đồng; Tiểu dự án 1 thuộc Dự án 5 là 120.000 triệu đồng.\n",
     [("420.560 triệu đồng", 420_560_000_000, "total", "total", "sự nghiệp"),
      ("35.200 triệu đồng", 35_200_000_000, "DA1", "total", "sự nghiệp"),
      ("120.000 triệu đồng", 120_000_000_000, "DA5.TDA1", "total", "sự nghiệp")]),
    # a source in a new sentence does not take the capital of the sentence before
    ("Quảng Trị giao dự toán Chương trình MTQG giảm nghèo bền vững năm 2024\n\nNgày 10/4/2024, UBND tỉnh giao dự toán năm "
     "2024 với tổng kinh phí hơn 185 tỷ đồng.\n\nTrong đó, vốn đầu tư phát triển 120,4 tỷ đồng; vốn sự nghiệp 64,8 tỷ đồng. "
     "Nguồn vốn ngân sách địa phương đối ứng là 9,2 tỷ đồng.\n",
     [("185 tỷ đồng", 185_000_000_000, "total", "total", None),
      ("120,4 tỷ đồng", 120_400_000_000, "total", "total", "đầu tư"),
      ("64,8 tỷ đồng", 64_800_000_000, "total", "total", "sự nghiệp"),
      ("9,2 tỷ đồng", 9_200_000_000, "total", "NSĐP", None)]),
    # the part named after each figure, "Tiểu dự án 1 (Dự án 4)", "Tiểu dự án 2, Dự án 3": that figure's, not the next's
    ("Giao vốn năm 2024 thực hiện Chương trình MTQG giảm nghèo bền vững\n\nNgày 1/3/2024, UBND tỉnh giao 3.500 triệu đồng "
     "để thực hiện Tiểu dự án 1 (Dự án 4) và 1.200 triệu đồng để thực hiện Tiểu dự án 2, Dự án 3.\n",
     [("3.500 triệu đồng", 3_500_000_000, "DA4.TDA1", "total", None),
      ("1.200 triệu đồng", 1_200_000_000, "DA3.TDA2", "total", None)]),
    # a Dự án's own name is no capital kind
    (DTTS_BODY + "3. Dự án 9: Đầu tư phát triển nhóm dân tộc thiểu số rất ít người và nhóm dân tộc còn nhiều khó khăn: "
     "2.500 triệu đồng.\n",
     [("2.500 triệu đồng", 2_500_000_000, "DA9", "total", None)]),
    # a socio-economic figure is not the plan's budget
    (DTTS_BODY + "1. Tình hình kinh tế: quy mô GRDP đạt 43,5 nghìn tỷ đồng, tăng 7,2%.\n"
     "2. Kinh phí thực hiện năm 2024: 12.000 triệu đồng.\n",
     [("12.000 triệu đồng", 12_000_000_000, "total", "total", None)]),
    # a Tiểu dự án named in running text, in a plan for one Dự án, scopes its figure
    ("KẾ HOẠCH\nThực hiện Dự án 5 thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc "
     "thiểu số và miền núi năm 2024\n\nI. KINH PHÍ\n\nNăm 2024 bố trí 1.200 triệu đồng vốn sự nghiệp để thực hiện Tiểu dự án 1; "
     "ngân sách tỉnh hỗ trợ 300 triệu đồng thực hiện Tiểu dự án 3.\n",
     [("1.200 triệu đồng", 1_200_000_000, "DA5.TDA1", "total", "sự nghiệp"),
      ("300 triệu đồng", 300_000_000, "DA5.TDA3", "NSĐP", None)]),
    # the one source the lead sentence names (hard-wrapped over lines) is the source of figures naming none,
    # when the body never names it again; a figure naming its own source keeps it
    ("Điện Biên phân bổ kinh phí thực hiện Chương trình MTQG giảm nghèo bền vững\n\n09:30 | 05/04/2024\n\n"
     "UBND tỉnh ban hành Quyết định số 45/QĐ-UBND phân bổ dự toán kinh phí sự nghiệp\nnguồn ngân sách trung ương năm 2024 "
     "thực hiện Chương trình.\n\nTổng kinh phí là 50.000 triệu đồng; Dự án 4 là 20.000 triệu đồng.\n\nNgoài ra, ngân sách "
     "tỉnh đối ứng 5.000 triệu đồng.\n",
     [("50.000 triệu đồng", 50_000_000_000, "total", "NSTW", "sự nghiệp"),
      ("20.000 triệu đồng", 20_000_000_000, "DA4", "NSTW", "sự nghiệp"),
      ("5.000 triệu đồng", 5_000_000_000, "total", "NSĐP", "sự nghiệp")]),
    # ... but when the body names that source again, the total is the total of all sources
    ("Phân bổ vốn ngân sách trung ương thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2024\n\n10/01/2024\n\n"
     "Ngày 9/1/2024, UBND tỉnh phân bổ vốn thực hiện Chương trình năm 2024.\n\nTổng vốn 100 tỷ đồng, trong đó ngân sách "
     "trung ương 90 tỷ đồng, ngân sách tỉnh 10 tỷ đồng.\n",
     [("100 tỷ đồng", 100_000_000_000, "total", "total", None),
      ("90 tỷ đồng", 90_000_000_000, "total", "NSTW", None),
      ("10 tỷ đồng", 10_000_000_000, "total", "NSĐP", None)]),
    # the capital of a figure in the sentence before does not pass to a source's figure in a list of the next
    ("Giao kế hoạch vốn các chương trình năm 2025\n\n08/01/2025\n\nNgày 7/1/2025, UBND tỉnh giao kế hoạch vốn năm 2025.\n\n"
     "Tổng vốn 300 tỷ đồng, trong đó vốn đầu tư 200 tỷ đồng, vốn sự nghiệp 100 tỷ đồng. Theo nguồn vốn, ngân sách trung "
     "ương 270 tỷ đồng, ngân sách tỉnh đối ứng 30 tỷ đồng.\n",
     [("300 tỷ đồng", 300_000_000_000, "total", "total", None),
      ("200 tỷ đồng", 200_000_000_000, "total", "total", "đầu tư"),
      ("100 tỷ đồng", 100_000_000_000, "total", "total", "sự nghiệp"),
      ("270 tỷ đồng", 270_000_000_000, "total", "NSTW", None),
      ("30 tỷ đồng", 30_000_000_000, "total", "NSĐP", None)]),
])
def test_amounts_in_context(text, expected):
    assert run_text(text) == expected


@pytest.mark.parametrize("number, thousands, value", [
    ("1,941", True, Decimal(1941)),
    ("1,941", False, Decimal("1.941")),
    ("24, 876", False, Decimal("24.876")),
    ("95,3", True, Decimal("95.3")),  # not a thousands group: a decimal whatever the text
])
def test_comma_thousands(number, thousands, value):
    assert parse_decimal(number, comma_thousands=thousands) == value


def test_two_column_table_under_a_lead_naming_the_capital():
    # "Nội dung | Số tiền (triệu đồng)": a run of lines with one " | " each is a table; its rows take the capital
    # the lead names. A header of two cells ("ỦY BAN NHÂN DÂN ... | CỘNG HÒA ...") is no table: no figures under it.
    text = ("Lào Cai giao dự toán kinh phí sự nghiệp Chương trình MTQG giảm nghèo bền vững năm 2025\n\n08:00 | 12/02/2025\n\n"
            "Ngày 10/2/2025, UBND tỉnh giao dự toán kinh phí sự nghiệp năm 2025 thực hiện Chương trình, chi tiết như sau:\n"
            "Nội dung | Số tiền (triệu đồng)\n"
            "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng | 9.400\n"
            "Dự án 5: Hỗ trợ nhà ở | 6.250\n"
            "Tiểu dự án 2 thuộc Dự án 6 | 1.120\n\n"
            "Các đơn vị triển khai thực hiện theo quy định.\n")
    got = {(v, sc, src, cap) for _, v, sc, src, cap in run_text(text)}
    assert got == {(9_400_000_000, "DA1", "total", "sự nghiệp"), (6_250_000_000, "DA5", "total", "sự nghiệp"),
                   (1_120_000_000, "DA6.TDA2", "total", "sự nghiệp")}
    head = ("ỦY BAN NHÂN DÂN TỈNH TRÀ VINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND | Trà Vinh, ngày 05 tháng 7 "
            "năm 2024\nKẾ HOẠCH | Thực hiện Chương trình năm 2024\n\nI. KINH PHÍ\n\nTổng kinh phí 1.200 triệu đồng.\n")
    assert [(v, sc) for _, v, sc, _, _ in run_text(head)] == [(1_200_000_000, "total")]
