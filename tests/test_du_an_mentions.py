"""Dự án and Tiểu dự án named in the openings of plans and on allocation pages (real-style strings)."""
import pytest

from extraction import structure
from extraction.normalize import normalize


def ids(text):
    n = normalize(text)
    return [d.id for d in structure.parse(n).du_an]


DTTS = "thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi"


@pytest.mark.parametrize("text, expected", [
    # a list of Tiểu dự án, each written out, of one Dự án; in an upper-case title too
    (f"KẾ HOẠCH\n\nTRIỂN KHAI TIỂU DỰ ÁN 1 VÀ TIỂU DỰ ÁN 3 CỦA DỰ ÁN 4 {DTTS.upper()} NĂM 2024\n\nI. MỤC ĐÍCH\n",
     ["DA4", "DA4.TDA1", "DA4.TDA3"]),
    (f"Ủy ban nhân dân tỉnh xây dựng Kế hoạch thực hiện Tiểu dự án 2 và Tiểu dự án 4 của Dự án 5 {DTTS}.\n",
     ["DA5", "DA5.TDA2", "DA5.TDA4"]),
    # the Dự án in brackets after its Tiểu dự án
    (f"Giao vốn năm 2024 {DTTS}\n\nUBND tỉnh giao 3.500 triệu đồng để thực hiện Tiểu dự án 1 (Dự án 4).\n",
     ["DA4", "DA4.TDA1"]),
    # an allocation page writes the parts in lower case after "thuộc"
    (f"Giao vốn năm 2024 {DTTS}\n\nDanh mục, mức vốn phân bổ: 05 công trình thuộc dự án 1 và dự án 4.\n",
     ["DA1", "DA4"]),
    # "dự án 3 công trình" counts works: no part
    (f"Giao vốn năm 2024 {DTTS}\n\nTỉnh giao vốn cho các công trình thuộc dự án 3 công trình khởi công mới.\n", []),
    # a typo in a heading
    (f"KẾ HOẠCH\n\nThực hiện Chương trình {DTTS} năm 2024\n\nI. NHIỆM VỤ\n\n1. Dựa án 3: Phát triển sản xuất nông, lâm "
     "nghiệp bền vững\n\nHỗ trợ các hộ phát triển sản xuất.\n", ["DA3"]),
    # a bare Tiểu dự án in the list item of its Dự án, up to ";" (not into the next Dự án's item)
    ("Phân bổ vốn sự nghiệp thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024\n\nTheo đó, Dự án 1 hỗ trợ đầu tư "
     "phát triển hạ tầng 12.400 triệu đồng, trong đó thực hiện Tiểu dự án 2 là 3.100 triệu đồng; Dự án 4 là 8.000 triệu "
     "đồng.\n", ["DA1", "DA1.TDA2", "DA4"]),
    ("Phân bổ vốn sự nghiệp thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024\n\nDự án 2 là 5.000 triệu đồng; "
     "Tiểu dự án 1 của Dự án 3 là 2.000 triệu đồng.\n", ["DA2", "DA3", "DA3.TDA1"]),
])
def test_du_an_mentions(text, expected):
    assert ids(text) == expected
