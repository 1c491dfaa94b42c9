"""Extraction never raises, whatever the text: arbitrary Unicode and shuffled plan fragments."""
from hypothesis import HealthCheck, given, settings, strategies as st

from extraction.model import PARTIES, Party, Plan
from extraction.pipeline import extract

FRAGMENTS = [
    "KẾ HOẠCH", "Số: /KH-UBND", "Số: 122/KH-UBND", "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;",
    "I. MỤC ĐÍCH", "II.", "1.", "1.1.", "2.3.1. ", "a)", "đ) ", "(1)", "- ", "+ ", "## ", "**", "<sub>", "\n", "\n\n", " ",
    "Dự án 1:", "Dự án", "Tiểu dự án 2 - Dự án 1", "Tiểu dự án:", "Nội dung số 03", "Dự án 99",
    "162.756 triệu đồng", "3.230,38 tỷ đồng", "1.683", "triệu đồng", "75.000 tỷ", "(vốn sự nghiệp)", "trong đó:",
    "Ngân sách Trung ương:", "NSĐP", "vốn đầu tư", "40 triệu đồng/người", "<17,4%", "15 % - 20%/năm", "10,81 tiêu chí/xã",
    "Ủy ban nhân dân tỉnh Lai Châu", "UBND huyện", "ỦY BAN NHÂN DÂN", "TỈNH", "Luật Tổ chức Chính phủ", "Nơi nhận:",
    "HĐND tỉnh Quy định", "Thường trực, các Ban", "Đại hội Đảng bộ tỉnh", "lần thứ XX", "Sở Lao động - Thương binh và Xã hội", "chủ trì, phối hợp",
    "ngày tháng năm 2022", "ngày 31/5/2022", "Nghị quyết số 10 –NQ/TU ngày 05 tháng 7 năm 2022", "Kế hoạch số 343 /KH-UBND",
    "hoà", "Uỷ", "\u0301", "\u200b", "\ufeff", "\r\n", "\t", "–", "nghèo,", "giảm nghèo bền vững", "nông thôn mới",
]

settings.register_profile("kehoach", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kehoach")


def _check(plan: Plan, text: str):
    assert isinstance(plan, Plan)
    n = len(text)
    for c in plan.clauses:
        assert 0 <= c.start <= c.end <= n
    for a in plan.amounts:
        assert 0 <= a.start <= a.end <= n and a.value_vnd > 0
    for s in plan.sections:
        assert 0 <= s.start <= s.end <= n
    for ag in plan.agencies:
        assert ag.party in tuple(Party) and ag.is_party == (ag.party in PARTIES)
        assert "\n" not in ag.name and all(0 <= m.start <= m.end <= n for m in ag.mentions)
    plan.to_dict(include_text=False)


@settings(max_examples=200)
@given(st.text(max_size=400))
def test_arbitrary_unicode(text):
    _check(extract(text, doc="x.txt"), text)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join))
def test_shuffled_plan_fragments(text):
    _check(extract(text, doc="x.txt"), text)
