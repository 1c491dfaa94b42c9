"""Gazetteer: real names as written in plans -> what the lookups give."""
import pytest

from extraction import gazetteer as gz


@pytest.mark.parametrize("written, name, kind", [
    ("tỉnh Lai Châu", "Lai Châu", "Tỉnh"),
    ("Lai Chau", "Lai Châu", "Tỉnh"),
    ("TP. Hồ Chí Minh", "Hồ Chí Minh", "Thành phố"),
    ("TP.HCM", "Hồ Chí Minh", "Thành phố"),
    ("Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Thành phố"),
    ("Đăk Nông", "Đắk Nông", "Tỉnh"),
    ("Thừa Thiên - Huế", "Thừa Thiên Huế", "Tỉnh"),
    ("Hoà Bình", "Hòa Bình", "Tỉnh"),
    ("thanh hoa", "Thanh Hóa", "Tỉnh"),
    ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu", "Tỉnh"),
    ("UBND tỉnh Quảng Ngãi", "Quảng Ngãi", "Tỉnh"),
    ("thành phố Hà Nội", "Hà Nội", "Thành phố"),
    ("Thành phố Huế", "Huế", "Thành phố"),  # 2025-only name
])
def test_province(written, name, kind):
    p = gz.province(written)
    assert p is not None and (p.name, p.kind) == (name, kind)


@pytest.mark.parametrize("written", ["", "   ", "Phong Thổ", "Atlantis"])
def test_province_unknown(written):
    assert gz.province(written) is None


def test_counts():
    assert len(gz.provinces("2024")) == 63
    assert len(gz.provinces("2025")) == 34
    merged = [old for p in gz.provinces("2025") for old in p.merged_from]
    assert sorted(merged) == sorted(p.name for p in gz.provinces("2024"))
    assert sum(p.kind == "Thành phố" for p in gz.provinces("2024")) == 5
    assert sum(p.kind == "Thành phố" for p in gz.provinces("2025")) == 6
    for p in gz.provinces("2024"):  # every tỉnh has its capital city among its districts
        if p.kind == "Tỉnh":
            assert any(d.name == p.capital for d in p.districts), p.name
    with pytest.raises(ValueError):
        gz.provinces("2030")


@pytest.mark.parametrize("old, new", [
    ("Lai Châu", "Lai Châu"),
    ("Đắk Nông", "Lâm Đồng"),
    ("Bình Thuận", "Lâm Đồng"),
    ("Thừa Thiên Huế", "Huế"),
    ("Kon Tum", "Quảng Ngãi"),
    ("Quảng Ngãi", "Quảng Ngãi"),
    ("Hà Giang", "Tuyên Quang"),
    ("Yên Bái", "Lào Cai"),
    ("Bình Định", "Gia Lai"),
    ("Hải Dương", "Hải Phòng"),
    ("Quảng Nam", "Đà Nẵng"),
    ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    ("Bạc Liêu", "Cà Mau"),
    ("Kiên Giang", "An Giang"),
    ("Hậu Giang", "Cần Thơ"),
    ("tinh Thanh Hoa", "Thanh Hóa"),
])
def test_successor(old, new):
    assert gz.successor(old) == new


def test_successor_unknown():
    with pytest.raises(KeyError, match="Atlantis"):
        gz.successor("Atlantis")


@pytest.mark.parametrize("written, expected", [
    ("Phong Thổ", [("Phong Thổ", "huyện", "Lai Châu")]),
    ("huyện Sơn Hà", [("Sơn Hà", "huyện", "Quảng Ngãi")]),
    ("Dak Rlap", [("Đắk R'lấp", "huyện", "Đắk Nông")]),
    ("Đăk Glong", [("Đắk Glong", "huyện", "Đắk Nông")]),
    ("Krông Ana", [("Krông A Na", "huyện", "Đắk Lắk")]),
    ("thị xã Kỳ Anh", [("Kỳ Anh", "thị xã", "Hà Tĩnh")]),
    ("huyện Kỳ Anh", [("Kỳ Anh", "huyện", "Hà Tĩnh")]),
    ("Quận 1", [("1", "quận", "Hồ Chí Minh")]),
    ("thành phố Điện Biên Phủ", [("Điện Biên Phủ", "thành phố", "Điện Biên")]),
    ("Mường Tè", [("Mường Tè", "huyện", "Lai Châu")]),
    ("Ia H'Drai", [("Ia H'Drai", "huyện", "Kon Tum")]),
])
def test_district(written, expected):
    assert [(d.name, d.kind, d.province) for d in gz.district(written)] == expected


def test_district_shared_name():
    provs = {d.province for d in gz.district("Châu Thành")}
    assert {"Long An", "Tiền Giang", "Bến Tre", "An Giang", "Sóc Trăng"} <= provs
    assert gz.province_of_district("Châu Thành") is None
    assert [d.province for d in gz.district("Châu Thành", province="tỉnh Long An")] == ["Long An"]
    # a 2025 unit covers the districts of the provinces merged into it
    assert [d.province for d in gz.district("Đắk Glong", province="Lâm Đồng")] == ["Đắk Nông"]
    assert gz.district("Đắk Glong", province="Lai Châu") == []


@pytest.mark.parametrize("name, province", [
    ("Phong Thổ", "Lai Châu"), ("A Lưới", "Thừa Thiên Huế"), ("Triệu Sơn", "Thanh Hóa"),
    ("Tuy Đức", "Đắk Nông"), ("Mù Cang Chải", "Yên Bái"), ("Kỳ Sơn", "Nghệ An"),  # Kỳ Sơn of Hòa Bình merged away
    ("Châu Thành", None), ("Nowhere", None),
])
def test_province_of_district(name, province):
    if name == "Kỳ Sơn":  # two: the live one in Nghệ An and the merged one in Hòa Bình
        assert {d.province for d in gz.district(name)} == {"Nghệ An", "Hòa Bình"}
        return
    assert gz.province_of_district(name) == province


@pytest.mark.parametrize("text, expected", [
    ("Ủy ban nhân dân huyện Phong Thổ, tỉnh Lai Châu",
     [("Phong Thổ", "huyện", "Lai Châu"), ("Lai Châu", "tỉnh", "Lai Châu")]),
    ("UBND huyện Châu Thành, tỉnh Long An; xã Tân Lập",
     [("Châu Thành", "huyện", "Long An"), ("Long An", "tỉnh", "Long An"), ("Tân Lập", "xã", "Long An")]),
    ("trên địa bàn TP. Hồ Chí Minh", [("Hồ Chí Minh", "tỉnh", "Hồ Chí Minh")]),
    ("thành phố Điện Biên Phủ và thị xã Mường Lay", [("Điện Biên Phủ", "huyện", "Điện Biên"),
                                                   ("Mường Lay", "huyện", "Điện Biên")]),
    ("Hỗ trợ huyện A Lưới tỉnh Thừa Thiên Huế thoát nghèo",
     [("A Lưới", "huyện", "Thừa Thiên Huế"), ("Thừa Thiên Huế", "tỉnh", "Thừa Thiên Huế")]),
    ("các xã ĐBKK vùng bãi ngang; hợp tác xã. Đào tạo nghề", []),
    ("xã Mường So, huyện Phong Thổ", [("Mường So", "xã", "Lai Châu"), ("Phong Thổ", "huyện", "Lai Châu")]),
    ("ỦY BAN NHÂN DÂN\nHUYỆN PHONG THỔ", [("Phong Thổ", "huyện", "Lai Châu")]),
    ("Thành phố Cần Thơ; quận Ninh Kiều", [("Cần Thơ", "tỉnh", "Cần Thơ"), ("Ninh Kiều", "huyện", "Cần Thơ")]),
    ("thị xã Sa Pa, tỉnh Lào Cai", [("Sa Pa", "huyện", "Lào Cai"), ("Lào Cai", "tỉnh", "Lào Cai")]),
    ("UBND các xã, thị trấn", []),
    ("Tỉnh ủy Lai Châu; UBND các huyện, thành phố", []),
])
def test_find_localities(text, expected):
    got = gz.find_localities(text)
    assert [(m.name, m.level, m.province) for m in got] == expected
    for m in got:
        assert gz.fold(text[m.start:m.end]).endswith(gz.fold(m.name))


def test_find_localities_spans():
    text = "Căn cứ Kế hoạch của UBND huyện Sơn Hà năm 2024"
    (m,) = gz.find_localities(text)
    assert text[m.start:m.end] == "huyện Sơn Hà"
