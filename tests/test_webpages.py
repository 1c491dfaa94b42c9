"""Saved portal pages: only the main content reaches the text (trafilatura finds it, the
loader's own walker reads it), so menus, "Ý kiến bạn đọc", "Thống kê truy cập" and footer
lists never do; a letterhead laid out as a table becomes lines."""
from __future__ import annotations

import pytest

from corpus.loaders import load_bytes

LETTERHEAD = ("<table><tr><td><p>ỦY BAN NHÂN DÂN</p><p>HUYỆN PHONG THỔ</p><p>Số: 219a/KH-UBND</p></td>"
              "<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>"
              "<p>Phong Thổ, ngày 01 tháng 7 năm 2022</p></td></tr></table>")
BODY = """<p style="text-align:center"><b>KẾ HOẠCH</b></p>
<p>Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022</p>
<p>Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình
mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025;</p>
<p>I. MỤC ĐÍCH, YÊU CẦU</p>
<p>1. Mục đích: Triển khai thực hiện có hiệu quả các dự án, tiểu dự án của Chương trình.</p>
<p>II. KINH PHÍ THỰC HIỆN</p>
<table border="1"><tr><th>STT</th><th>Nội dung</th><th>Kinh phí (triệu đồng)</th></tr>
<tr><td>1</td><td>Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng</td><td>1.683</td></tr>
<tr><td>2</td><td>Dự án 4: Phát triển giáo dục nghề nghiệp</td><td>3.230,38</td></tr></table>
<p>Nơi nhận: UBND tỉnh Lai Châu; Lưu: VT.</p>
<p>TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH</p><p>Nguyễn Văn A</p>"""
MENU = """<header><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN PHONG THỔ</div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gt">Giới thiệu</a></li>
<li><a href="/tt">Tin tức - Sự kiện</a></li><li><a href="/vb">Văn bản chỉ đạo điều hành</a></li></ul></nav></header>"""
SIDE = """<div class="box"><h3>Liên kết website</h3><ul><li><a href="#">Chính phủ</a></li>
<li><a href="#">Tỉnh Lai Châu</a></li></ul></div>
<div class="box"><h3>Thống kê truy cập</h3><p>Đang truy cập: 25</p><p>Hôm nay: 1.234</p>
<p>Tổng lượt truy cập: 1.234.567</p></div>"""
COMMENTS = """<div class="binh-luan"><h3>Ý kiến bạn đọc</h3><form><textarea></textarea>
<button>Gửi ý kiến</button></form><p>Chưa có ý kiến nào về bài viết này.</p></div>
<div class="tin-khac"><h3>Tin liên quan</h3><ul><li><a href="#">Huyện Phong Thổ tổng kết công tác giảm
nghèo năm 2021</a></li><li><a href="#">Hội nghị triển khai nhiệm vụ năm 2022</a></li></ul></div>"""
FOOTER = """<footer><ul><li>Cơ quan chủ quản: UBND huyện Phong Thổ</li><li>Địa chỉ: Thị trấn Phong Thổ,
tỉnh Lai Châu</li><li>Điện thoại: 0213.3893.123</li><li>Bản quyền thuộc UBND huyện Phong Thổ</li></ul></footer>"""
GONE = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Liên kết website", "Thống kê truy cập",
        "Đang truy cập", "lượt truy cập", "Ý kiến bạn đọc", "Gửi ý kiến", "Chưa có ý kiến",
        "Tin liên quan", "tổng kết công tác", "Cơ quan chủ quản", "Điện thoại", "Bản quyền",
        "CỔNG THÔNG TIN"]


def page(layout: str) -> str:
    content = f'<div class="noi-dung">{LETTERHEAD}{BODY}</div>'
    if layout == "article":
        main = (f'<main><article><h1>Kế hoạch thực hiện Chương trình giảm nghèo năm 2022</h1>'
                f'<div class="ngay">Cập nhật: 05/07/2022</div>{content}</article>{COMMENTS}</main>')
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cổng TTĐT</title></head><body>'
                f'{MENU}<div class="container"><aside>{SIDE}</aside>{main}</div>{FOOTER}</body></html>')
    # an older portal: tables for layout, no HTML5 elements, comments inside the article cell
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
            f'<div id="top-menu">{MENU}</div><table width="100%"><tr><td id="left" width="200">{SIDE}</td>'
            f'<td id="main">{content}{COMMENTS}</td></tr></table><div id="footer">{FOOTER}</div></body></html>')


@pytest.mark.parametrize("layout", ["article", "tables"])
def test_portal_boilerplate_never_reaches_the_text(layout):
    got = load_bytes("trang.html", page(layout).encode("utf-8"))
    for gone in GONE:
        assert gone not in got.text, gone
    lines = got.text.split("\n")
    for kept in ("ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ", "Số: 219a/KH-UBND", "KẾ HOẠCH",
                 "2 | Dự án 4: Phát triển giáo dục nghề nghiệp | 3.230,38", "Nguyễn Văn A"):
        assert kept in lines, kept
    assert any("nội dung chính" in w for w in got.warnings)


def test_a_page_without_portal_marks_is_read_whole():
    html = f'<html><body>{LETTERHEAD}{BODY}</body></html>'
    got = load_bytes("kh.html", html.encode("utf-8"))
    assert got.text.split("\n")[:4] == ["ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ", "Số: 219a/KH-UBND",
                                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert not any("nội dung chính" in w for w in got.warnings)
