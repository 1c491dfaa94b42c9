"""looks_like_admin_text: a Vietnamese administrative text is kept, anything else refused as
"không phải văn bản kế hoạch" (the fingerprints that make copies one plan: tests/test_duplicates.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.admin_text import NOT_A_PLAN, admin_signs, looks_like_admin_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
REGRESSION = sorted((ROOT / "tests" / "data" / "regression").rglob("*.txt"))


@pytest.mark.parametrize("path", SAMPLES + REGRESSION, ids=lambda p: p.name)
def test_every_real_plan_is_admin_text(path):
    ok, why = looks_like_admin_text(path.read_text(encoding="utf-8", errors="replace"))
    assert ok, why


@pytest.mark.parametrize("text", [
    "hello world\n",
    "Hello world!\nThis is a test file for the upload form.",
    "Danh sách học sinh lớp 5A: Nguyễn Văn An, Trần Thị Bình, Lê Văn Cường.",
    "Công thức nấu phở bò: 500g thịt bò, 1kg xương ống, hành nướng, gừng, quế, hồi.",
    # program words alone: a news item is no plan
    "Tin tức: Năm 2023 huyện đã giảm nghèo được 3,5%, hỗ trợ 120 triệu đồng cho hộ nghèo ăn Tết.",
    "",
])
def test_non_plans_are_refused_by_name(text):
    ok, why = looks_like_admin_text(text)
    assert not ok and why.startswith(NOT_A_PLAN)


@pytest.mark.parametrize("text, kinds", [
    # a short but real opening: number, date, Căn cứ
    ("Số: 12/KH-UBND\nSơn Hà, ngày 05 tháng 3 năm 2024\nCăn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 "
     "của Thủ tướng Chính phủ;", {"number", "date", "basis"}),
    ("KẾ HOẠCH\nThực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024",
     {"doc_type", "program"}),
    # a budget Phụ lục read from a spreadsheet
    ("Phụ lục 01\nKẾ HOẠCH VỐN THỰC HIỆN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG NĂM 2023\n"
     "Đơn vị tính: triệu đồng\nSTT | Nội dung | Tổng số", {"doc_type", "program"}),
    # OCR of a scan keeps the motto even with a lost tone mark
    ("ỦY BAN NHÂN DÂN\nHUYỆN PHONG THỔ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
     {"header"}),
])
def test_short_real_openings_are_kept(text, kinds):
    ok, why = looks_like_admin_text(text)
    assert kinds <= set(admin_signs(text)), admin_signs(text)
    if len(kinds) >= 2:
        assert ok, why

