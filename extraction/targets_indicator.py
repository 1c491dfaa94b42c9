"""Targets, the indicator: what a quantified goal measures, read from the words around its number.

The subject before a verb ("tỷ lệ hộ nghèo toàn huyện còn 38,50%" -> "tỷ lệ hộ nghèo"), else the
noun phrase after the number ("98% đồng bào ... tham gia bảo hiểm y tế" -> "tỷ lệ đồng bào ...
tham gia bảo hiểm y tế"), with the lead of a list put in front, and the support a counted group
receives ("Hỗ trợ đất ở cho 35 hộ" -> "số hộ được hỗ trợ đất ở"). Used by targets.
"""
from __future__ import annotations

import re

from .targets_units import strip_label as _strip_label, units


_PHAN_DAU = r"(?:ph[âấầa]n\s+đ[ấầâa]u)"
_LEAD_JUNK = re.compile(
    r"^(?:\s|[,;:)(]|" + _PHAN_DAU + r"|riêng|trong đó|hoặc|và|duy trì|đảm bảo|bảo đảm|nâng cao|nâng|"
    r"(?:đến|vào|trong|tới)\s+(?:hết\s+|cuối\s+|đầu\s+)?năm\s+\d{4}|cuối\s+năm\s+\d{4}|năm\s+\d{4})+",
    re.I)
COPULA = re.compile(
    r"(?:^|\s)(?P<verb>đạt(?:\s+mức)?|là|xuống còn|giảm còn|giảm xuống còn|giảm xuống|còn|xuống|tăng lên|lên|ở mức|bằng|chiếm|"
    r"(?P<change>giảm|tăng)(?P<avg>\s+bình quân)?)"
    r"(?:\s+(?:bình quân|khoảng|từ|trên|dưới|tối thiểu|ít nhất|hơn|đạt|<|>|≤|≥|=))*\s*[<>≤≥]?\s*$",
    re.I)
CMP_BEFORE = [
    (re.compile(r"(?:<|dưới|thấp hơn)\s*$", re.I), "<"),
    (re.compile(r"(?:>|trên|cao hơn|hơn)\s*$", re.I), ">"),
    (re.compile(r"(?:≥|>=|tối thiểu|ít nhất|không dưới|không thấp hơn)\s*$", re.I), ">="),
    (re.compile(r"(?:≤|<=|tối đa|không quá|không vượt quá)\s*$", re.I), "<="),
]
_TRAILING_CMP = re.compile(r"(?:\s+(?:trên|dưới|khoảng|tối thiểu|ít nhất|hơn|đạt|từ|có|được)|\s*[<>≤≥])+\s*$", re.I)
_PLACE_QUAL = re.compile(
    r"\s+(?:của\s+|chung\s+)*(?:toàn\s+)(?:huyện|tỉnh|xã|thành phố|thị xã)\b(?:\s+[A-ZĐ][\w']*)*"
    r"|\s+(?:của|chung)\s+(?:toàn\s+)?(?:huyện|tỉnh|xã|thành phố|thị xã)\b(?:\s+[A-ZĐ][\w']*)*"
    r"|\s+(?:huyện|tỉnh)\s+[A-ZĐ][\w']*(?:\s+[A-ZĐ][\w']*)*"
)
_NP_CUT = re.compile(r"\s+(?:theo|thông qua|nhằm|để|góp phần|trong đó|gồm|bao gồm|vào\s+(?:cuối|năm)|đến\s+(?:cuối|hết|năm)|so với|trước\s+(?:ngày|năm|tháng|quý))\b|\s*[(:]", re.I)
# A citation in an indicator ends it: "tổng điểm đánh giá theo tiêu chí quy định tại Quyết định số ..."
_CITATION = re.compile(r"\s*(?:quy định\s+)?(?:tại|theo)\s+(?:Quyết định|Nghị quyết|Thông tư|Nghị định|Kế hoạch|Công văn|Chỉ thị|Luật)\b.*$", re.I)
NEXT_GOAL = re.compile(r",\s+(?=(?:t[ỷỉ] lệ|số|thu nhập|mức|tổng|chỉ số)\s)", re.I)
_HAS_NOUN = re.compile(r"\b(?:tỷ lệ|tỉ lệ|số|mức|thu nhập|chỉ số|tổng|bình quân)\b", re.I)


def _clean_subject(s: str) -> str:
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"\s*\([^()]*$", "", s)  # "đạt chuẩn nông thôn mới (đạt 19/19 tiêu chí)": the bracket opens the goal
    s = re.sub(r"\s+", " ", s).strip()
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_JUNK.sub("", s).strip()
        s = re.sub(r"^giảm\s+(?=t[ỷỉ] lệ)", "", s, flags=re.I)
    s = _TRAILING_CMP.sub("", s).strip()
    s = re.sub(r"\s+(?:cho|của|với|tại|ở)$", "", s)
    s = _PLACE_QUAL.sub("", s)
    m = _CITATION.search(s)
    if m and m.start() > 0:
        s = s[:m.start()]
    elif m:  # a citation opening the sentence: the subject comes after it
        s = s.split(",", 1)[1] if "," in s else ""
    s = re.sub(r"\s*,?\s*giai đoạn\s+\d{4}\s*-\s*\d{4}", "", s)
    return s.strip(" ,;:-")


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not (len(s) > 1 and s[1].isupper()) else s


def _unit_head(unit: str) -> str:
    """The counted noun: "nghìn tấn" counts tấn, "triệu lượt khách" lượt khách."""
    return re.sub(r"^(?:nghìn|ngàn|triệu|vạn)\s+", "", unit.split("/")[0].strip())


# a subject that is already a quantity ("sản lượng lương thực", "diện tích trồng rừng"): no "số ..." in front
_QUANTITY_RE = re.compile(r"^(?:tổng\s+)?(?:sản lượng|diện tích|giá trị|tốc độ|khối lượng|chiều dài|lượng|quy mô)\b", re.I)


def list_lead(s: str, pos: int, prev_end: int) -> str:
    """The lead of a list the number is in: "Tỷ lệ huy động học sinh ... đến trường: Mẫu giáo ..."."""
    a = max(s.rfind(";", 0, pos), s.rfind(". ", 0, pos), s.rfind("\n", 0, pos))
    colon = s.rfind(":", a + 1, pos)
    if colon < 0:
        return ""
    lead = _strip_label(s[a + 1:colon]).strip()
    if re.search(r"\d", lead) or re.search(r"\b(?:trong đó|cụ thể|gồm|như sau)\s*$", lead, re.I) or len(lead) > 120:
        return ""
    if re.match(r"^(?:các\s+)?(?:mục tiêu|chỉ tiêu)\b", lead, re.I):
        return ""
    return lead


# "02 thôn, buôn đạt chuẩn ...": a sibling settlement word after the counted one, then the phrase
_SIBLING_UNIT_RE = re.compile(r"\s*,\s*(?:buôn|bản|làng|ấp|sóc|tổ dân phố|phường|thị trấn)\b", re.I)


def noun_phrase_after(post_raw: str) -> str:
    p = post_raw
    sib = _SIBLING_UNIT_RE.match(p)
    if sib:
        p = p[sib.end():]
    if not re.match(r"\s*[^\W\d_]", p):
        return ""
    stop = re.search(r"[;.\n]", p)
    if stop:
        p = p[:stop.start()]
    cut = _NP_CUT.search(p)
    if cut:
        p = p[:cut.start()]
    nxt = NEXT_GOAL.search(p)  # "giảm 45 hộ nghèo, tỷ lệ hộ nghèo ... còn 1,2%": the next goal begins
    if nxt:
        p = p[:nxt.start()]
    p = re.sub(r"(?:,|\s+và|\s+hoặc)\s*$", "", p.rstrip())
    p = p.strip()
    # a bare time phrase is no noun phrase
    if re.fullmatch(r"(?:vào\s+)?(?:cuối\s+|hết\s+)?(?:năm\s+\d{4})?", p, re.I):
        return ""
    return p


def indicator_of(s, pre, seg_a, post, unit, kind, lead, num_start, base) -> tuple[str, int]:
    """(indicator, clean start of the target text within s)."""
    # a goal after a baseline: the subject is what stands before "giảm từ"
    for a, b, subj_end in base:
        if b <= num_start and not s[b:num_start].strip(" <>"):
            seg = s[:subj_end]
            k = max(seg.rfind(";"), seg.rfind(". "), seg.rfind("\n"), seg.rfind(":"))
            subj = _clean_subject(_strip_label(seg[k + 1:]))
            if subj:
                return lower_first(_with_noun(subj, unit, kind)), k + 1 + (len(seg[k + 1:]) - len(seg[k + 1:].lstrip()))
    cop = COPULA.search(pre)
    head = pre[:cop.start()] if cop else pre
    subj = _clean_subject(_strip_label(head))
    sub_start = seg_a + (len(pre) - len(pre.lstrip()))
    if cop and cop.group("change") and subj:
        avg = " bình quân" if cop.group("avg") or re.search(r"bình quân", cop.group(0), re.I) else ""
        return lower_first(f"mức {cop.group('change').lower()}{avg} {lower_first(subj)}"), sub_start
    if cop and subj and not (post and re.fullmatch(r"(?:có|được)", cop.group("verb") or "", re.I)):
        if lead:
            subj = f"{lead} {subj}"
        return lower_first(_with_noun(subj, unit, kind, post_form=False)), sub_start
    neg = re.search(r"không\s+(?:có|còn)\s+(?P<noun>[^\W\d][\w ]{0,20}?)\s+(?:dưới|thấp hơn)\s*$", pre, re.I)
    if neg and kind == "count":  # "không còn xã dưới 10 tiêu chí": every xã reaches 10
        return f"số {unit} tối thiểu của mỗi {neg.group('noun')}", seg_a + neg.start()
    act = _action_for(s, pre, seg_a) if kind == "count" else ""
    if act:  # "Hỗ trợ xây mới, sửa chữa nhà ở cho 12 hộ nghèo" -> "số hộ nghèo được hỗ trợ xây mới, ..."
        return lower_first(f"số {unit} {post} được {act}" if post else f"số {unit} được {act}"), num_start
    if post:
        if kind == "pct":
            ind = post if re.match(r"t[ỷỉ] lệ\b", post, re.I) else f"tỷ lệ {post}"
        elif kind == "count":
            ind = f"số {_unit_head(unit)} {post}"
        else:
            ind = post
        pre_cmp = re.search(r"(?:trên|dưới|khoảng|tối thiểu|ít nhất|<|>)\s*$", pre, re.I)
        return lower_first(ind), (seg_a + pre_cmp.start() if pre_cmp else num_start)
    if subj:
        if lead:
            subj = f"{lead} {subj}"
        return lower_first(_with_noun(subj, unit, kind, post_form=False)), sub_start
    if lead:
        return lower_first(lead), num_start
    return "", num_start


_ADVERB_RE = re.compile(r"^(?:cơ bản|tiếp tục|từng bước|kịp thời)\s+", re.I)


def _action_for(s: str, pre: str, seg_a: int) -> str:
    """The support a count receives when the goal reads "<action> cho <N> <unit>": the action
    before "cho", with the verb that opens the sentence when a list item leaves it out
    ("Hỗ trợ đất ở cho 35 hộ, nhà ở cho 120 hộ")."""
    m = re.search(r"^(?P<act>.*?)\s+cho\s*$", pre, re.S)
    if not m:
        return ""
    act = _strip_label(m.group("act")).strip(" ,;:-")
    act = re.sub(r"^(?:" + _PHAN_DAU + r"|đến\s+(?:cuối\s+)?năm\s+\d{4},?)\s*", "", act, flags=re.I).strip(" ,")
    act = _ADVERB_RE.sub("", act)  # "Cơ bản giải quyết ... cho 4.200 hộ": the action is "giải quyết ..."
    if not act or len(act) > 80 or re.search(r"\d", act):
        return ""
    verbs = units().action_verbs
    if not any(re.match(re.escape(v) + r"\b", act, re.I) for v in verbs):
        start = max(s.rfind(". ", 0, seg_a) + 1, s.rfind("\n", 0, seg_a) + 1, s.rfind(";", 0, seg_a) + 1)
        lead = _strip_label(s[start:seg_a]).strip()
        verb = next((v for v in verbs if re.match(re.escape(v) + r"\b", lead, re.I)), None)
        if not verb:
            return ""
        act = f"{verb} {act}"
    return act[:1].lower() + act[1:]


def _with_noun(subj: str, unit: str, kind: str, post_form: bool = False) -> str:
    if kind == "pct" and not re.search(r"t[ỷỉ] lệ|mức|chỉ số|thu nhập", subj, re.I):
        return f"tỷ lệ {lower_first(subj)}"
    if kind in ("count", "per"):
        head = _unit_head(unit)
        if head.lower() not in subj.lower() and not re.search(r"thu nhập|mức|số\b", subj, re.I) \
                and not _QUANTITY_RE.match(subj):
            return f"số {head} {lower_first(subj)}"
    return subj
