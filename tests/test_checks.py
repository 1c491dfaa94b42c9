"""Budget checks: parts against the stated whole, each mismatch with both figures."""
import pytest

from extraction.checks import check_budget
from extraction.model import Amount


def A(value_m, scope="total", source="total", capital=None):
    return Amount(text=f"{value_m} triệu đồng", value_vnd=value_m * 10**6, scope=scope, source=source, capital=capital)


def test_sources_add_up():
    (c,) = check_budget([A(162756), A(161044, source="NSTW"), A(512, source="NSĐP"), A(1200, source="khác")])
    assert c.ok and c.kind == "sources" and c.stated == c.computed == 162756 * 10**6


def test_sources_mismatch_reports_both_figures():
    (c,) = check_budget([A(100), A(60, source="NSTW"), A(30, source="NSĐP")])
    assert not c.ok
    assert (c.stated, c.computed) == (100 * 10**6, 90 * 10**6)
    assert "100 triệu đồng" in c.message and "90 triệu đồng" in c.message


@pytest.mark.parametrize("whole, inv, rec, ok", [(50050, 45500, 4550, True), (77770, 70700, 7000, False)])
def test_capital_split(whole, inv, rec, ok):
    checks = check_budget([A(whole, "DA1.TDA1", "NSTW"), A(inv, "DA1.TDA1", "NSTW", "đầu tư"), A(rec, "DA1.TDA1", "NSTW", "sự nghiệp")])
    (c,) = checks
    assert (c.kind, c.source, c.scope, c.ok) == ("capital", "NSTW", "DA1.TDA1", ok)
    assert c.computed == (inv + rec) * 10**6 and c.stated == whole * 10**6


def test_source_given_only_by_its_capital_split_counts():
    # DA2 of sample 000: total 10.881 = NSTW 10.515 (sự nghiệp) + NSĐP 366
    (c,) = check_budget([A(10881, "DA2"), A(10515, "DA2", "NSTW", "sự nghiệp"), A(366, "DA2", "NSĐP")])
    assert c.ok and c.kind == "sources"


def test_single_part_is_not_checked_unless_too_big():
    assert check_budget([A(100), A(60, source="NSTW")]) == []
    (c,) = check_budget([A(100), A(160, source="NSTW")])
    assert not c.ok


def test_no_figures_no_checks():
    assert check_budget([]) == []


def test_other_sources_add_up():
    # "Vốn lồng ghép 1.500; vốn tín dụng 1.000; vốn doanh nghiệp 1.000" are all "khác"
    (c,) = check_budget([A(15500), A(10000, source="NSTW"), A(2000, source="NSĐP"),
                         A(1500, source="khác"), A(1000, source="khác"), A(1000, source="khác")])
    assert c.ok, c.message


def test_messages_are_vietnamese():
    (c,) = check_budget([A(100), A(60, source="NSTW"), A(30, source="NSĐP")])
    assert "nhưng văn bản ghi 100 triệu đồng" in c.message and "chênh lệch 10 triệu đồng" in c.message
    assert c.message.startswith("Toàn kế hoạch:")


# A whole split into named parts that are not sources (vốn trong nước / vốn nước ngoài): the
# split is checked, and the sources against the domestic part; a real mismatch still warns.
SPLIT_TEXTS = [
    # (text, every check ok?, the checks' messages must name)
    ("Tổng vốn thực hiện: 5.050 tỷ đồng, trong đó: vốn trong nước 3.000 tỷ đồng; vốn nước ngoài 2.050 tỷ đồng. "
     "Ngân sách trung ương 2.000 tỷ đồng; ngân sách địa phương 1.000 tỷ đồng.", True, "vốn trong nước 3.000.000"),
    ("Tổng kinh phí: 5.050 tỷ đồng, gồm 3.000 tỷ đồng vốn trong nước và 2.050 tỷ đồng vốn nước ngoài. "
     "Ngân sách trung ương 2.000 tỷ đồng; ngân sách địa phương 1.000 tỷ đồng.", True, "vốn nước ngoài 2.050.000"),
    ("Tổng kinh phí: 5.050 tỷ đồng, trong đó vốn ODA 2.050 tỷ đồng. "
     "Ngân sách trung ương 2.000 tỷ đồng; ngân sách địa phương 1.000 tỷ đồng.", True, "tổng trừ vốn nước ngoài"),
    # the parts do not make the whole: 3.000 + 2.000 != 5.050
    ("Tổng vốn: 5.050 tỷ đồng, trong đó: vốn trong nước 3.000 tỷ đồng; vốn nước ngoài 2.000 tỷ đồng. "
     "Ngân sách trung ương 2.000 tỷ đồng; ngân sách địa phương 1.000 tỷ đồng.", False, "chênh lệch 50.000 triệu đồng"),
    # the sources do not make the domestic part: 2.000 + 900 != 3.000
    ("Tổng vốn: 5.050 tỷ đồng, trong đó: vốn trong nước 3.000 tỷ đồng; vốn nước ngoài 2.050 tỷ đồng. "
     "Ngân sách trung ương 2.000 tỷ đồng; ngân sách địa phương 900 tỷ đồng.", False, "nhưng văn bản ghi vốn trong nước"),
    # no named part: the sources against the whole, as before
    ("Tổng kinh phí: 5.050 tỷ đồng. Ngân sách trung ương 2.000 tỷ đồng; ngân sách địa phương 1.000 tỷ đồng.",
     False, "chênh lệch 2.050.000 triệu đồng"),
]


@pytest.mark.parametrize("body, ok, says", SPLIT_TEXTS)
def test_named_split_of_the_whole(body, ok, says):
    from extraction.pipeline import extract
    text = ("ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nSố: 12/KH-UBND\nLai Châu, ngày 10 tháng 3 năm 2022\n\nKẾ HOẠCH\n"
            "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững\n\nI. KINH PHÍ\n" + body + "\n")
    checks = extract(text, "t.txt").checks
    assert checks, text
    assert all(c.ok for c in checks) == ok, [c.message for c in checks]
    assert any(says in c.message for c in checks), [c.message for c in checks]
