"""Citation identity in the product (issue 9): `kehoach cites`, /api/references and the
references list treat a law cited by title and by number as one document, and keep two
documents sharing one number (of different years) apart; the plan list, compare rows and
search read one identity line (issue 12)."""
from __future__ import annotations

import pytest

from archive.service import Archive
from index.base import SearchRequest

# real-style openings of four plans of four places; each cites one document in its own way
HEAD = ("ỦY BAN NHÂN DÂN\n{upper}\nSố: {number}\n{place}, ngày {day} tháng {month} năm {year}\n\nKẾ HOẠCH\n{title}\n\n"
        "{basis}\n\nI. MỤC ĐÍCH, YÊU CẦU\n1. {goal}\n2. {goal2}\n\nII. NHIỆM VỤ\n"
        "1. Dự án 1 của Chương trình mục tiêu quốc gia giảm nghèo bền vững: Hỗ trợ đầu tư phát triển hạ tầng "
        "kinh tế - xã hội các huyện nghèo.\n"
        "Cơ quan chủ trì: {lead}. Cơ quan phối hợp: Sở Tài chính.\n{extra}\n"
        "Nơi nhận:\n- Bộ Kế hoạch và Đầu tư;\n- Lưu: VT.\n")
PLANS = {
    "dau-tu-cong.txt": dict(
        upper="TỈNH LAI CHÂU", number="15/KH-UBND", place="Lai Châu", day=10, month=3, year=2022,
        title="Thực hiện kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025 trên địa bàn tỉnh",
        basis="Căn cứ Luật Đầu tư công ngày 13 tháng 6 năm 2019;",
        goal="Sử dụng vốn đầu tư công đúng mục đích, tập trung, không dàn trải.",
        goal2="Ưu tiên các công trình giao thông nông thôn và thủy lợi nhỏ ở vùng cao biên giới.",
        lead="Sở Kế hoạch và Đầu tư", extra="Các huyện Phong Thổ, Sìn Hồ rà soát danh mục công trình."),
    "luat-so.txt": dict(
        upper="TỈNH ĐẮK NÔNG", number="41/KH-UBND", place="Đắk Nông", day=2, month=4, year=2022,
        title="Triển khai giải ngân vốn đầu tư công năm 2022",
        basis="Căn cứ Luật số 39/2019/QH14 của Quốc hội;",
        goal="Đẩy nhanh tiến độ giải ngân, xử lý dứt điểm vướng mắc về giải phóng mặt bằng.",
        goal2="Người đứng đầu chịu trách nhiệm về kết quả giải ngân của đơn vị mình.",
        lead="Sở Tài chính", extra="Huyện Đắk Glong báo cáo tiến độ hằng tháng."),
    "qd-2016.txt": dict(
        upper="TỈNH HÀ GIANG", number="88/KH-UBND", place="Hà Giang", day=5, month=9, year=2016,
        title="Triển khai Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2016 - 2020",
        basis="Căn cứ Quyết định số 1600/QĐ-TTg ngày 16 tháng 8 năm 2016 của Thủ tướng Chính phủ;",
        goal="Huy động cộng đồng dân cư tham gia xây dựng nông thôn mới ở các xã vùng cao.",
        goal2="Mỗi xã đạt thêm ít nhất hai tiêu chí mỗi năm.",
        lead="Sở Nông nghiệp và Phát triển nông thôn", extra="Huyện Mèo Vạc lập danh sách xã đăng ký đạt chuẩn."),
    "qd-2023.txt": dict(
        upper="TỈNH CAO BẰNG", number="102/KH-UBND", place="Cao Bằng", day=15, month=1, year=2024,
        title="Thực hiện nhiệm vụ phát triển du lịch cộng đồng năm 2024",
        basis="Căn cứ Quyết định số 1600/QĐ-TTg ngày 10 tháng 12 năm 2023 của Thủ tướng Chính phủ;",
        goal="Phát triển các làng du lịch cộng đồng gắn với bảo tồn văn hóa dân tộc Tày, Nùng.",
        goal2="Đào tạo người dân làm dịch vụ lưu trú tại nhà.",
        lead="Sở Văn hóa, Thể thao và Du lịch", extra="Huyện Trùng Khánh xây dựng điểm đón khách gần thác Bản Giốc."),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("texts")
    for name, fields in PLANS.items():
        (folder / name).write_text(HEAD.format(**fields), encoding="utf-8")
    a = Archive.open(tmp_path_factory.mktemp("cite-identity"))
    rep = a.ingest(sorted(folder.glob("*.txt")), workers=1)
    assert not rep.failed, [it.error for it in rep.failed]
    assert a.count() == 4
    yield a
    a.close()


def _docs(rows) -> set[str]:
    return {r.doc for r in rows}


@pytest.mark.parametrize("query", ["39/2019/QH14", "Luật số 39/2019/QH14", "Luật Đầu tư công",
                                   "Luật Đầu tư công năm 2019", "Luật Đầu tư công ngày 13/6/2019"])
def test_a_law_by_title_and_by_number_is_one_document(archive, query):
    assert _docs(archive.cites(query)) == {"dau-tu-cong.txt", "luat-so.txt"}


@pytest.mark.parametrize("query, docs", [
    ("1600/QĐ-TTg ngày 16/8/2016", {"qd-2016.txt"}),
    ("1600/QĐ-TTg ngày 10 tháng 12 năm 2023", {"qd-2023.txt"}),
    ("1600/QĐ-TTg", {"qd-2016.txt", "qd-2023.txt"}),  # the number alone names both
])
def test_one_number_two_years_two_documents(archive, query, docs):
    assert _docs(archive.cites(query)) == docs


def test_most_cited_counts_by_identity(archive):
    top = {(c.number, c.date): c.count for c in archive.most_cited(50)}
    assert top[("39/2019/QH14", None)] == 2  # title and number: one document, two plans
    assert top[("1600/QĐ-TTg", "2016-08-16")] == 1 and top[("1600/QĐ-TTg", "2023-12-10")] == 1


def test_api_references_by_identity(archive):
    from fastapi.testclient import TestClient
    from api.app import create_app
    with TestClient(create_app(archive=archive)) as c:
        top = c.get("/api/references", params={"limit": 50}).json()
        rows = [(r["number"], r.get("date"), r["count"]) for r in top]
        assert ("39/2019/QH14", None, 2) in rows
        assert ("1600/QĐ-TTg", "2016-08-16", 1) in rows and ("1600/QĐ-TTg", "2023-12-10", 1) in rows
        r = c.get("/api/references/39/2019/QH14")
        assert r.status_code == 200, r.text
        body = r.json()
        assert {p["doc"] for p in body["plans"]} == {"dau-tu-cong.txt", "luat-so.txt"}


def test_one_identity_line_in_search_list_and_compare(archive):
    res = archive.search(SearchRequest(q="", size=10))
    by_search = {h.plan_id: h.identity for h in res.hits}
    _, plans = archive.list_plans(size=10)
    assert {p.plan_id: p.identity for p in plans} == by_search
    assert by_search[next(p.plan_id for p in plans if p.doc == "qd-2023.txt")] == \
        "Kế hoạch số 102/KH-UBND ngày 15/01/2024 của UBND tỉnh Cao Bằng"
    rows = archive.compare("DA1")
    assert rows and all(by_search[r.plan_id] == __import__("archive.compare", fromlist=["x"]).row_identity(r)
                        for r in rows)


def test_recipient_is_not_a_lead_or_an_agency_facet_value(archive):
    res = archive.search(SearchRequest(q="", size=10))
    agencies = {v.value for v in res.facets["agency"]}
    assert "Bộ Kế hoạch và Đầu tư" not in agencies  # only in "Nơi nhận"
    assert "Sở Tài chính" in agencies
    leads = {a for r in archive.compare("DA1") for a in r.lead}
    assert "Bộ Kế hoạch và Đầu tư" not in leads


def test_an_archive_of_an_earlier_schema_is_re_derived(tmp_path):
    """An archive written before schema 6 (no issuer column, laws cited by title not in refs)
    gets both when opened for writing, as the store did for number keys."""
    import sqlite3
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dau-tu-cong.txt").write_text(HEAD.format(**PLANS["dau-tu-cong.txt"]), encoding="utf-8")
    data = tmp_path / "data"
    a = Archive.open(data)
    a.ingest([folder / "dau-tu-cong.txt"], workers=1)
    a.close()
    db = sqlite3.connect(data / "archive.db")
    db.execute("DELETE FROM refs")
    db.execute("ALTER TABLE plans DROP COLUMN issuer")
    db.execute("UPDATE meta SET value='5' WHERE key='schema'")
    db.commit()
    db.close()
    a = Archive.open(data)
    try:
        assert _docs(a.cites("39/2019/QH14")) == {"dau-tu-cong.txt"}
        _, plans = a.list_plans()
        assert plans[0].issuer and plans[0].identity == "Kế hoạch số 15/KH-UBND ngày 10/03/2022 của UBND tỉnh Lai Châu"
    finally:
        a.close()
