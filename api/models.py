"""Request and response models of the HTTP API.

They mirror the dataclasses of extraction/model.py and index/base.py field for field, so
`/api/search` answers the same JSON as `kehoach search --json`. Descriptions and examples
are what /docs shows: written so a reader learns the API from that page alone.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# ---------------------------------------------------------------- errors, health

class ErrorDetail(_Model):
    code: str = Field(description="Mã lỗi máy đọc được: bad_request, invalid_request, unauthorized, "
                      "forbidden, not_found, too_large, unsupported_type, unprocessable.",
                      examples=["not_found"])
    message: str = Field(description="Giải thích bằng tiếng Việt cho người đọc: trường nào sai và sai thế nào.",
                         examples=["Không có kế hoạch mã 'abc123' trong kho"])


class ErrorBody(_Model):
    error: ErrorDetail


class Health(_Model):
    status: str = Field(description='"ok" khi kho và chỉ mục mở được.', examples=["ok"])
    backend: str = Field(description='Bộ máy tìm kiếm: "embedded" (tantivy) hoặc "elasticsearch".',
                         examples=["embedded"])
    plans: int = Field(description="Số kế hoạch đã lập chỉ mục.", examples=[5])
    writes_enabled: bool = Field(description="Có cấu hình KEHOACH_API_KEY hay không (POST/DELETE).")


# ---------------------------------------------------------------- search

class ClauseHitOut(_Model):
    id: str = Field(description="Mã điều khoản trong kế hoạch, theo thứ tự văn bản.", examples=["c0042"])
    text: str = Field(description="Nội dung điều khoản (đoạn văn hoặc gạch đầu dòng).",
                      examples=["Hỗ trợ xây mới 120 nhà ở cho hộ nghèo, hộ cận nghèo."])
    highlight: str = Field(description="Như text, đã escape HTML, các từ khớp được bọc trong <mark>…</mark>.",
                           examples=["<mark>Hỗ trợ</mark> xây mới 120 <mark>nhà ở</mark> cho hộ nghèo."])
    section: str = Field(description="Đường dẫn mục chứa điều khoản.",
                         examples=["III > 5. Dự án 5: Hỗ trợ nhà ở"])
    du_an: Optional[str] = Field(description="Dự án/Tiểu dự án chứa điều khoản.", examples=["DA5"])


class PlanHitOut(_Model):
    plan_id: str = Field(description="Mã kế hoạch, tính từ nội dung tệp (cùng tệp, cùng mã).",
                         examples=["700f213ea182e0e3"])
    doc: str = Field(description="Tên tệp nguồn (cho công cụ; người đọc thấy `identity`).", examples=["phong-tho-gnbv-2023.docx"])
    identity: Optional[str] = Field(None, description="Văn bản như cán bộ gọi: loại, số, ngày (dd/mm/yyyy), cơ quan ban hành.",
                                    examples=["Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"])
    doc_type: Optional[str] = Field(None, description="Loại văn bản.", examples=["Kế hoạch"])
    number: Optional[str] = Field(None, description="Số ký hiệu.", examples=["122/KH-UBND"])
    issue_date: Optional[str] = Field(None, description="Ngày ban hành (ISO).", examples=["2024-02-29"])
    title: Optional[str] = Field(description="Trích yếu.",
                                 examples=["Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023"])
    locality: Optional[str] = Field(description="Địa phương ban hành.", examples=["Phong Thổ"])
    province: Optional[str] = Field(description="Tỉnh.", examples=["Lai Châu"])
    year: Optional[int] = Field(description="Năm kế hoạch đầu tiên, nếu không có thì năm ban hành.",
                                examples=[2023])
    clauses: list[ClauseHitOut] = Field(default_factory=list, description="Các điều khoản khớp nhất.")
    more_clauses: int = Field(0, description="Số điều khoản khớp khác trong kế hoạch này (ngoài các điều khoản hiện ra).",
                              examples=[12])


class FacetValueOut(_Model):
    value: str = Field(description="Giá trị của bộ lọc.", examples=["Lai Châu"])
    count: int = Field(description="Số kế hoạch có giá trị này trong kết quả.", examples=[2])


class SearchResult(_Model):
    """Same JSON as `kehoach search --json`."""
    total: int = Field(description="Số kế hoạch khớp (mọi trang).", examples=[4])
    relaxed: bool = Field(False, description="true khi không kế hoạch nào chứa đủ mọi từ: kết quả chứa một phần các từ.")
    notice: Optional[str] = Field(None, description="Lời báo cho người dùng (tiếng Việt) khi relaxed.")
    hits: list[PlanHitOut] = Field(default_factory=list, description="Kết quả của trang, nhóm theo kế hoạch.")
    facets: dict[str, list[FacetValueOut]] = Field(
        default_factory=dict,
        description="Đếm theo từng bộ lọc (province, locality, level, year, program, doc_type, du_an, "
        "agency, cites, source), trên tập kết quả.",
        examples=[{"province": [{"value": "Lai Châu", "count": 2}, {"value": "Đắk Nông", "count": 1}]}],
    )


# ---------------------------------------------------------------- plans

class LocalityOut(_Model):
    name: Optional[str] = Field(None, examples=["Phong Thổ"])
    level: Optional[str] = Field(None, description='"tỉnh", "huyện" hoặc "xã".', examples=["huyện"])
    province: Optional[str] = Field(None, examples=["Lai Châu"])


class MetaOut(_Model):
    doc_type: Optional[str] = Field(None, description="Loại văn bản.", examples=["Kế hoạch"])
    number: Optional[str] = Field(None, description='Số ký hiệu; null khi để trống ("Số: /KH-UBND").',
                                  examples=["122/KH-UBND"])
    issuer: Optional[str] = Field(None, description="Cơ quan ban hành.", examples=["Ủy ban nhân dân huyện Phong Thổ"])
    locality: LocalityOut = Field(default_factory=LocalityOut)
    issue_place: Optional[str] = Field(None, examples=["Phong Thổ"])
    issue_date: Optional[str] = Field(None, description="Ngày ban hành (ISO), null khi ngày/tháng để trống.",
                                      examples=["2023-03-15"])
    issue_year: Optional[int] = Field(None, examples=[2023])
    plan_years: list[int] = Field(default_factory=list, description="Các năm kế hoạch áp dụng.", examples=[[2023]])
    title: Optional[str] = Field(None, description="Trích yếu.")
    signer: Optional[str] = Field(None, description="Người ký.", examples=["Mai Thị Hồng Sim"])
    program: Optional[str] = Field(None, description="Tên đầy đủ của chương trình MTQG.")
    program_code: Optional[str] = Field(None, description='"gnbv", "ntm" hoặc "dtts".', examples=["gnbv"])


class SpanOut(_Model):
    start: int = Field(-1, description="Vị trí bắt đầu (ký tự) trong văn bản gốc (/api/plans/{id}/text); -1 nếu không rõ.")
    end: int = Field(-1, description="Vị trí kết thúc (không gồm) trong văn bản gốc.")
    clause_id: Optional[str] = Field(None, description="Điều khoản chứa thực thể.", examples=["c0003"])


class ReferenceOut(SpanOut):
    number: str = Field(description="Số ký hiệu văn bản được trích dẫn, dạng chuẩn.", examples=["90/QĐ-TTg"])
    doc_type: Optional[str] = Field(None, examples=["Quyết định"])
    date: Optional[str] = Field(None, examples=["2022-01-18"])
    issuer: Optional[str] = Field(None, examples=["Thủ tướng Chính phủ"])
    relation: str = Field("khác", description='"thay thế", "căn cứ" hoặc "khác".', examples=["căn cứ"])
    text: str = Field("", description="Đoạn trích dẫn trong văn bản.", examples=["Quyết định số 90/QĐ-TTg"])
    mentions: int = Field(1, description="Số lần văn bản nhắc đến.")


class AmountOut(SpanOut):
    text: str = Field(description="Số tiền như được viết.", examples=["13.260 triệu đồng"])
    value_vnd: int = Field(description="Giá trị quy ra đồng.", examples=[13260000000])
    scope: str = Field("total", description='"total" hoặc Dự án/Tiểu dự án ("DA5", "DA1.TDA2").', examples=["DA5"])
    source: str = Field("total", description='Nguồn vốn: "total", "NSTW", "NSĐP", "khác".', examples=["NSTW"])
    capital: Optional[str] = Field(None, description='Loại vốn: "đầu tư", "sự nghiệp" hoặc null.', examples=["đầu tư"])


class AgencyRoleOut(_Model):
    role: str = Field(description='"chủ trì", "phối hợp" hoặc "thực hiện".', examples=["chủ trì"])
    section: Optional[str] = Field(None, description="Mục giao nhiệm vụ.")
    du_an: Optional[str] = Field(None, examples=["DA5"])
    clause_id: Optional[str] = None


class MentionOut(SpanOut):
    text: str = Field(description="Cách văn bản viết tên cơ quan ở chỗ này.", examples=["Phòng Lao động - TB&XH"])


class AgencyOut(_Model):
    name: str = Field(description="Tên đầy đủ.", examples=["Phòng Lao động - Thương binh và Xã hội"])
    level: Optional[str] = Field(None, description='"trung ương", "tỉnh", "huyện", "xã".', examples=["huyện"])
    aliases: list[str] = Field(default_factory=list, examples=[["Phòng LĐ-TB&XH"]])
    kind: Optional[str] = Field(None, examples=["Phòng"])
    roles: list[AgencyRoleOut] = Field(default_factory=list)
    mentions: list[MentionOut] = Field(default_factory=list, description="Mọi chỗ văn bản nhắc đến, có vị trí.")


class TargetOut(SpanOut):
    text: str = Field(examples=["tỷ lệ hộ nghèo toàn huyện còn 38,50%"])
    indicator: str = Field(examples=["tỷ lệ hộ nghèo"])
    value: float = Field(examples=[38.5])
    unit: str = Field(examples=["%"])
    year: Optional[int] = Field(None, examples=[2023])
    comparator: Optional[str] = Field(None, description='"<", ">=", ... khi văn bản viết "dưới", "trên", "trở lên".')
    scope: Optional[str] = Field(None, description="Dự án chứa chỉ tiêu.")


class DuAnOut(_Model):
    id: str = Field(examples=["DA1.TDA2"])
    number: int = Field(examples=[2])
    name: str = Field(examples=["Hỗ trợ nhà ở"])
    parent: Optional[str] = Field(None, examples=["DA1"])
    program: Optional[str] = Field(None, examples=["gnbv"])
    start: int = -1
    end: int = -1


class SectionOut(_Model):
    id: str = Field(examples=["s12"])
    label: str = Field(examples=["5"])
    title: str = Field(examples=["Dự án 5: Hỗ trợ nhà ở"])
    depth: int = Field(examples=[2])
    start: int
    end: int
    parent: Optional[str] = None
    du_an: Optional[str] = Field(None, examples=["DA5"])


class ClauseOut(_Model):
    id: str = Field(examples=["c0042"])
    start: int
    end: int
    text: str
    section: str = Field("", examples=["III > 5. Dự án 5: Hỗ trợ nhà ở"])
    section_id: Optional[str] = None
    du_an: Optional[str] = None
    kind: str = Field("paragraph", description='"heading", "paragraph" hoặc "item".')


class CheckOut(_Model):
    scope: str = Field(examples=["DA1.TDA1"])
    kind: str = Field(description='"sources" (NSTW + NSĐP + khác = tổng) hoặc "capital" (đầu tư + sự nghiệp = nguồn).')
    source: Optional[str] = Field(None, examples=["NSTW"])
    stated: int = Field(description="Số ghi trong văn bản, đồng.")
    computed: int = Field(description="Tổng các phần, đồng.")
    ok: bool
    message: str = Field(examples=["DA1.TDA1 NSTW: 45.500 + 4.550 = 50.050 triệu đồng"])


class PlanSummaryOut(_Model):
    plan_id: str = Field(examples=["700f213ea182e0e3"])
    doc: str = Field(examples=["phong-tho-gnbv-2023.docx"])
    identity: str = Field("", description="Văn bản như cán bộ gọi: loại, số, ngày (dd/mm/yyyy), cơ quan ban hành, địa phương.",
                          examples=["Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"])
    title: Optional[str] = None
    doc_type: Optional[str] = Field(None, examples=["Kế hoạch"])
    number: Optional[str] = None
    locality: Optional[str] = Field(None, examples=["Phong Thổ"])
    province: Optional[str] = Field(None, examples=["Lai Châu"])
    level: Optional[str] = Field(None, examples=["huyện"])
    year: Optional[int] = Field(None, description="Năm kế hoạch đầu tiên, nếu không có thì năm ban hành.", examples=[2023])
    years: list[int] = Field(default_factory=list, description="Các năm kế hoạch áp dụng.", examples=[[2023]])
    program: Optional[str] = Field(None, examples=["gnbv"])
    issue_date: Optional[str] = Field(None, description="Ngày ban hành (ISO).", examples=["2023-03-15"])
    total_vnd: Optional[int] = Field(None, description="Tổng kinh phí của kế hoạch, đồng.", examples=[162756000000])
    is_plan: bool = Field(True, description="false khi văn bản không giống một kế hoạch.")
    ingested_at: Optional[str] = Field(None, description="Thời điểm nạp (ISO 8601).")


class PlanList(_Model):
    total: int = Field(description="Số kế hoạch khớp bộ lọc.")
    page: int
    size: int
    plans: list[PlanSummaryOut] = Field(default_factory=list)


class PlanDetail(_Model):
    plan_id: str = Field(examples=["700f213ea182e0e3"])
    doc: str = Field(description="Tên tệp nguồn.")
    identity: str = Field("", description="Văn bản như cán bộ gọi: loại, số, ngày (dd/mm/yyyy), cơ quan ban hành, địa phương.",
                          examples=["Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"])
    ingested_at: Optional[str] = Field(None, description="Thời điểm nạp (ISO 8601).")
    text_length: int = Field(description="Độ dài văn bản gốc (ký tự); mọi start/end là vị trí trong văn bản này.")
    meta: MetaOut
    references: list[ReferenceOut] = Field(default_factory=list, description="Văn bản được trích dẫn.")
    amounts: list[AmountOut] = Field(default_factory=list, description="Số tiền, theo Dự án, nguồn và loại vốn.")
    agencies: list[AgencyOut] = Field(default_factory=list, description="Cơ quan, vai trò và các lần nhắc đến.")
    targets: list[TargetOut] = Field(default_factory=list, description="Chỉ tiêu định lượng.")
    du_an: list[DuAnOut] = Field(default_factory=list, description="Dự án, Tiểu dự án của chương trình.")
    sections: list[SectionOut] = Field(default_factory=list)
    clauses: list[ClauseOut] = Field(default_factory=list)
    checks: list[CheckOut] = Field(default_factory=list, description="Kiểm tra cộng dồn kinh phí; ok=false là cảnh báo.")
    is_plan: bool = Field(True, description="false khi văn bản không giống một kế hoạch hành chính.")
    warnings: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Các tệp có cùng văn bản này (một kế hoạch dù nạp "
                               "nhiều định dạng hoặc bản quét).")
    ocr: bool = Field(False, description="true khi chữ được đọc bằng OCR từ bản quét.")
    ocr_confidence: Optional[float] = Field(None, description="Độ tin cậy trung bình của OCR (0-100).", examples=[91.5])
    ocr_pages: list[int] = Field(default_factory=list, description="Các trang (từ 1) được đọc bằng OCR.")


# ---------------------------------------------------------------- writes

class UploadResult(_Model):
    plan_id: str = Field(description="Mã kế hoạch (tính từ nội dung).", examples=["700f213ea182e0e3"])
    doc: str = Field(description="Tên tệp.", examples=["phong-tho-gnbv-2023.docx"])
    status: str = Field(description='"ingested" (mới), "replaced" (tệp cùng tên, nội dung mới thay bản cũ) '
                        'hoặc "unchanged" (đã có cùng nội dung).', examples=["ingested"])
    is_plan: Optional[bool] = Field(None, description="false khi văn bản không giống một kế hoạch (vẫn được lưu).")
    replaced: Optional[str] = Field(None, description="Mã kế hoạch bị thay thế, nếu có.")
    note: Optional[str] = Field(None, description="Ghi chú của bộ nạp/trích xuất (cảnh báo, trùng nội dung).")


class DeleteResult(_Model):
    plan_id: str
    deleted: bool = True


# ---------------------------------------------------------------- similar

class SimilarRequest(_Model):
    text: str = Field(min_length=1, max_length=20000,
                      description="Đoạn văn đang soạn; trả về các điều khoản giống nhất trong kho.",
                      examples=["Hỗ trợ xây dựng mới và sửa chữa nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn huyện"])
    k: int = Field(10, ge=1, le=50, description="Số điều khoản trả về (1–50).", examples=[10])
    short: bool = Field(False, description="Cả đề mục và câu dưới 8 từ (mặc định chỉ điều khoản có nội dung).")
    province: list[str] = Field(default_factory=list, description="Chỉ điều khoản của các tỉnh này.", examples=[["Lai Châu"]])
    level: list[str] = Field(default_factory=list, description='"tỉnh", "huyện", "xã".', examples=[["huyện"]])
    program: list[str] = Field(default_factory=list, description='"gnbv", "ntm", "dtts".', examples=[["gnbv"]])
    du_an: list[str] = Field(default_factory=list, description='Dự án: "DA5", "gnbv:DA5", "DA1.TDA2".', examples=[["gnbv:DA5"]])


# ---------------------------------------------------------------- compare

class CompareAmountOut(_Model):
    scope: str = Field(description="Dự án hoặc Tiểu dự án của số tiền.", examples=["DA5"])
    source: str = Field(description='"total", "NSTW", "NSĐP", "khác".', examples=["NSTW"])
    capital: Optional[str] = Field(None, description='"đầu tư", "sự nghiệp" hoặc null.', examples=["sự nghiệp"])
    value_vnd: int = Field(examples=[13260000000])
    text: str = Field("", examples=["13.260 triệu đồng"])


class CompareTargetOut(_Model):
    text: str = Field(examples=["Hỗ trợ xây mới 120 nhà ở cho hộ nghèo"])
    indicator: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    year: Optional[int] = None


class CompareRowOut(_Model):
    model_config = ConfigDict(from_attributes=True, extra="ignore")
    plan_id: str = Field(examples=["700f213ea182e0e3"])
    doc: str = Field(examples=["phong-tho-gnbv-2023.docx"])
    identity: str = Field("", description="Văn bản như cán bộ gọi: loại, số, ngày, cơ quan ban hành, địa phương.",
                          examples=["Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"])
    doc_type: Optional[str] = Field(None, examples=["Kế hoạch"])
    number: Optional[str] = Field(None, description="Số ký hiệu của kế hoạch.", examples=["122/KH-UBND"])
    issue_date: Optional[str] = Field(None, description="Ngày ban hành (ISO).", examples=["2024-02-29"])
    locality: Optional[str] = Field(None, examples=["Phong Thổ"])
    province: Optional[str] = Field(None, examples=["Lai Châu"])
    level: Optional[str] = Field(None, examples=["huyện"])
    year: Optional[int] = Field(None, examples=[2023])
    years: list[int] = Field(default_factory=list, examples=[[2023]])
    program: str = Field(examples=["gnbv"])
    du_an: str = Field(examples=["DA5"])
    name: Optional[str] = Field(None, description="Tên Dự án như kế hoạch viết.", examples=["Hỗ trợ nhà ở"])
    total_vnd: Optional[int] = Field(None, description="Tổng kinh phí của Dự án (ghi trong văn bản, hoặc tổng các nguồn), đồng.",
                                     examples=[13260000000])
    sources: dict[str, Optional[int]] = Field(default_factory=dict,
                                              description='Kinh phí của Dự án theo nguồn ("NSTW", "NSĐP", "khác"), đồng.',
                                              examples=[{"NSTW": 12000000000, "NSĐP": 1260000000, "khác": None}])
    capitals: dict[str, Optional[int]] = Field(default_factory=dict,
                                               description='Kinh phí của Dự án theo loại vốn ("đầu tư", "sự nghiệp"), cộng mọi nguồn, đồng.',
                                               examples=[{"đầu tư": None, "sự nghiệp": 13260000000}])
    amounts: list[CompareAmountOut] = Field(default_factory=list, description="Mọi số tiền trong Dự án và các Tiểu dự án.")
    lead: list[str] = Field(default_factory=list, description="Cơ quan chủ trì.",
                            examples=[["Phòng Lao động - Thương binh và Xã hội"]])
    coordinating: list[str] = Field(default_factory=list, description="Cơ quan phối hợp.")
    targets: list[CompareTargetOut] = Field(default_factory=list, description="Chỉ tiêu trong Dự án.")
    main_target: str = Field("", description="Chỉ tiêu đầu tiên của Dự án, như văn bản viết.")
    text: str = Field("", description="Các điều khoản của mục Dự án.")


class CompareSumsOut(_Model):
    total_vnd: Optional[int] = Field(None, description="Tổng kinh phí của Dự án, cộng mọi kế hoạch khớp (mọi trang), đồng.",
                                     examples=[59049714000000])
    sources: dict[str, Optional[int]] = Field(default_factory=dict, description="Cộng theo nguồn, mọi kế hoạch khớp, đồng.",
                                              examples=[{"NSTW": 52000000000000, "NSĐP": 6000000000000, "khác": None}])
    capitals: dict[str, Optional[int]] = Field(default_factory=dict, description="Cộng theo loại vốn, mọi kế hoạch khớp, đồng.")
    bar_max_vnd: Optional[int] = Field(None, description="Kinh phí lớn nhất của một kế hoạch (tổng, hoặc cộng các nguồn): "
                                       "thang chung cho biểu đồ của mọi trang.", examples=[489337000000])
    with_total: int = Field(0, description="Số kế hoạch có ghi tổng kinh phí của Dự án.", examples=[3941])


class CompareResult(_Model):
    program: str = Field(examples=["gnbv"])
    du_an: str = Field(examples=["DA5"])
    total: int = Field(0, description="Số kế hoạch có Dự án này và khớp các bộ lọc (mọi trang).", examples=[4053])
    page: int = Field(1, description="Trang (từ 1).", examples=[1])
    size: int = Field(50, description="Số dòng mỗi trang.", examples=[50])
    sums: CompareSumsOut = Field(default_factory=CompareSumsOut, description="Cộng mọi kế hoạch khớp, không chỉ trang này.")
    rows: list[CompareRowOut] = Field(default_factory=list,
                                      description="Một dòng cho mỗi kế hoạch có Dự án này: các dòng của trang, theo tỉnh, địa phương, năm.")


class ProgramOut(_Model):
    code: str = Field(examples=["gnbv"])
    name: str = Field(examples=["Chương trình mục tiêu quốc gia giảm nghèo bền vững"])
    components: dict[str, str] = Field(description="Mã Dự án/Tiểu dự án -> tên chính thức, theo thứ tự quyết định.",
                                       examples=[{"DA5": "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo"}])


# ---------------------------------------------------------------- citations

class CitingPlanOut(_Model):
    plan_id: str
    doc: str
    title: Optional[str] = None
    locality: Optional[str] = Field(None, examples=["Phong Thổ"])
    province: Optional[str] = Field(None, examples=["Lai Châu"])
    year: Optional[int] = Field(None, examples=[2023])
    number: str = Field(description="Số ký hiệu như kế hoạch này viết.", examples=["90/QĐ-TTg"])
    relation: Optional[str] = Field(None, description='"thay thế", "căn cứ" hoặc "khác".', examples=["căn cứ"])
    doc_type: Optional[str] = Field(None, description="Loại văn bản được trích dẫn.", examples=["Quyết định"])
    date: Optional[str] = Field(None, examples=["2022-01-18"])
    mentions: int = Field(1, description="Số lần kế hoạch nhắc đến.")


class ReferenceCitations(_Model):
    number: str = Field(description="Số ký hiệu đã hỏi.", examples=["90/QĐ-TTg"])
    plans: list[CitingPlanOut] = Field(default_factory=list, description="Các kế hoạch trích dẫn văn bản này.")


class ChainNodeOut(_Model):
    identity: str = Field(description="Văn bản như cán bộ gọi.", examples=["Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"])
    plan_id: Optional[str] = Field(None, description="Kế hoạch trong kho; null khi văn bản không có trong kho.")
    number: Optional[str] = Field(None, examples=["122/KH-UBND"])
    level: Optional[str] = Field(None, description='"tỉnh", "huyện" hoặc "xã".', examples=["tỉnh"])
    province: Optional[str] = Field(None, examples=["Đắk Nông"])
    locality: Optional[str] = Field(None, examples=["Đắk Nông"])
    year: Optional[int] = Field(None, examples=[2024])
    relation: Optional[str] = Field(None, description="Cách văn bản này trích dẫn văn bản cha.", examples=["căn cứ"])
    children: list["ChainNodeOut"] = Field(default_factory=list, description="Các kế hoạch triển khai văn bản này.")


class CitedRefOut(_Model):
    number: str = Field(examples=["90/QĐ-TTg"])
    doc_type: Optional[str] = Field(None, examples=["Quyết định"])
    date: Optional[str] = Field(None, examples=["2022-01-18"])
    issuer: Optional[str] = Field(None, examples=["Thủ tướng Chính phủ"])
    relation: Optional[str] = Field(None, examples=["căn cứ"])
    archived: list[str] = Field(default_factory=list, description="Kế hoạch trong kho chính là văn bản được trích dẫn (cùng số và năm).")


class PlanCitationsOut(_Model):
    plan_id: str
    cites: list[CitedRefOut] = Field(default_factory=list, description="Văn bản kế hoạch này trích dẫn.")
    cited_by: list[CitingPlanOut] = Field(default_factory=list, description="Kế hoạch trong kho trích dẫn kế hoạch này.")


class CitedDocOut(_Model):
    number: str = Field(description="Cách viết phổ biến nhất.", examples=["90/QĐ-TTg"])
    key: str = Field(description="Khóa chuẩn hóa (mọi cách viết cùng một khóa).", examples=["90/QD-TTG"])
    count: int = Field(description="Số kế hoạch trích dẫn.", examples=[5])
    doc_type: Optional[str] = Field(None, examples=["Quyết định"])
    issuer: Optional[str] = Field(None, examples=["Thủ tướng Chính phủ"])
    date: Optional[str] = Field(None, description="Ngày ban hành, khi số ký hiệu không mang năm (hai văn bản "
                                "cùng số khác năm là hai dòng).", examples=["2016-08-16"])


class ReplacementOut(_Model):
    plan_id: str = Field(description="Kế hoạch thay thế.")
    doc: str
    number: Optional[str] = Field(None, description="Số ký hiệu của kế hoạch thay thế.")
    replaces: str = Field(description="Số ký hiệu văn bản bị thay thế.", examples=["219a/KH-UBND"])
    replaced_plan_id: Optional[str] = Field(None, description="Kế hoạch bị thay thế, nếu có trong kho.")
    replaced_doc: Optional[str] = None


# ---------------------------------------------------------------- similar clauses

class OccurrenceOut(_Model):
    plan_id: str
    clause_id: str
    doc: Optional[str] = None
    locality: Optional[str] = Field(None, examples=["Đắk Glong"])
    province: Optional[str] = Field(None, examples=["Đắk Nông"])
    section: Optional[str] = None
    du_an: Optional[str] = None


class SimilarHitOut(_Model):
    text: str = Field(description="Nội dung điều khoản.", examples=["Hỗ trợ xây mới 120 nhà ở cho hộ nghèo, hộ cận nghèo"])
    score: float = Field(description="Độ giống (cosine TF-IDF), 0..1.", examples=[0.82])
    count: int = Field(description="Số điều khoản trong kho nói giống hệt (hoặc gần như) điều này.", examples=[3])
    plans: int = Field(description="Trong bao nhiêu kế hoạch.", examples=[2])
    plan_id: str = Field(description="Kế hoạch có lần xuất hiện đầu tiên.")
    doc: Optional[str] = None
    locality: Optional[str] = Field(None, examples=["Phong Thổ"])
    province: Optional[str] = Field(None, examples=["Lai Châu"])
    section: Optional[str] = Field(None, examples=["III > 5. Dự án 5: Hỗ trợ nhà ở"])
    clause_id: str = Field(examples=["c0042"])
    examples: list[OccurrenceOut] = Field(default_factory=list, description="Vài nơi khác điều khoản xuất hiện.")
    identity: Optional[str] = Field(None, description="Văn bản có lần xuất hiện đầu tiên, như cán bộ gọi.",
                                    examples=["Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"])
    year: Optional[int] = Field(None, examples=[2024])
    repeated: Optional[str] = Field(None, description="Khi điều khoản là câu chữ lặp lại.", examples=["lặp lại ở 3 kế hoạch"])


class SimilarResult(_Model):
    hits: list[SimilarHitOut] = Field(default_factory=list, description="Các điều khoản giống nhất, giống nhất trước.")


def dump(obj: Any) -> Any:
    """A dataclass (or list/dict of them) as plain JSON-able data."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (list, tuple)):
        return [dump(x) for x in obj]
    if isinstance(obj, dict):
        return {k: dump(v) for k, v in obj.items()}
    return obj
