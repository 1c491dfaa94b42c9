"""What extraction finds: plain dataclasses, the contract between extraction, index and API.

`Plan.to_dict()` is the JSON of `kehoach extract --format json`: the keys of
../shared/gold/SCHEMA.md (meta, references, amounts, agencies, targets, du_an) plus
spans, clauses, sections, checks and program. `Plan.from_dict()` reads it back, so the
archive (JSONL) can rebuild any index without extracting again.

Offsets (`start`, `end`) are character offsets into `Plan.text`, the text as loaded
(before normalization), so a UI can highlight the original.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any, Optional

# Program codes used across the project (CLI, API, index facets).
PROGRAMS = {
    "gnbv": "Chương trình mục tiêu quốc gia giảm nghèo bền vững",
    "ntm": "Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "dtts": "Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi",
}



# The closed sets of values. StrEnums are str subclasses: a member equals its value, and the
# JSON is the same as with plain strings.
class Source(StrEnum):
    """Who funds a figure; TOTAL is the figure of all sources together."""
    TOTAL = "total"
    NSTW = "NSTW"  # ngân sách trung ương
    NSDP = "NSĐP"  # ngân sách địa phương
    KHAC = "khác"  # lồng ghép, tín dụng, doanh nghiệp, người dân ...


class Capital(StrEnum):
    """The kind of capital; an Amount without a kind has capital None."""
    DAU_TU = "đầu tư"
    SU_NGHIEP = "sự nghiệp"


class Relation(StrEnum):
    """How the plan relates to a document it cites, strongest first."""
    THAY_THE = "thay thế"
    CAN_CU = "căn cứ"
    KHAC = "khác"


class Role(StrEnum):
    """What a section or sentence gives an agency to do."""
    CHU_TRI = "chủ trì"
    PHOI_HOP = "phối hợp"
    THUC_HIEN = "thực hiện"


class Party(StrEnum):
    """The part an agency plays in the plan, strongest first. Only the first five make it a
    party: a body that issued a cited document, or that only receives the plan ("Nơi nhận"), is not one."""
    ISSUER = "issuer"  # ban hành: issues this plan
    LEAD = "lead"  # chủ trì
    COORDINATING = "coordinating"  # phối hợp
    IMPLEMENTING = "implementing"  # thực hiện: heads a section of tasks
    NAMED = "named"  # named in the text, no task given it
    CITED_ISSUER = "cited_issuer"  # issued a document the plan cites (Căn cứ ... của Thủ tướng Chính phủ)
    RECIPIENT = "recipient"  # only in "Nơi nhận"


PARTIES = (Party.ISSUER, Party.LEAD, Party.COORDINATING, Party.IMPLEMENTING, Party.NAMED)


class Level(StrEnum):
    TRUNG_UONG = "trung ương"
    TINH = "tỉnh"
    HUYEN = "huyện"
    XA = "xã"


class CheckKind(StrEnum):
    SOURCES = "sources"  # NSTW + NSĐP + khác = total
    CAPITAL = "capital"  # đầu tư + sự nghiệp = its source


SOURCES = tuple(Source)
CAPITALS = (None, *Capital)
RELATIONS = tuple(Relation)
ROLES = tuple(Role)
LEVELS = tuple(Level)


@dataclass
class Locality:
    name: Optional[str] = None
    level: Optional[str] = None  # "tỉnh", "huyện", "xã" (also "thành phố", "thị xã" are huyện-level names)
    province: Optional[str] = None


@dataclass
class Meta:
    doc_type: Optional[str] = None  # "Kế hoạch", "Quyết định", "Báo cáo", ...
    number: Optional[str] = None  # "122/KH-UBND"; None for "Số: /KH-UBND"
    issuer: Optional[str] = None
    locality: Locality = field(default_factory=Locality)
    issue_place: Optional[str] = None
    issue_date: Optional[str] = None  # ISO date, None when day or month is blank
    issue_year: Optional[int] = None
    plan_years: list[int] = field(default_factory=list)
    title: Optional[str] = None
    signer: Optional[str] = None
    program: Optional[str] = None  # full name, e.g. PROGRAMS["gnbv"]
    program_code: Optional[str] = None  # "gnbv" | "ntm" | "dtts" | None


@dataclass
class Reference:
    number: Optional[str]  # "90/QĐ-TTg", as printed with spaces removed and dashes unified; None for a law cited by title
    doc_type: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    relation: str = Relation.KHAC  # Relation: "thay thế" > "căn cứ" > "khác"
    text: str = ""  # the matched citation text
    start: int = -1
    end: int = -1
    clause_id: Optional[str] = None
    mentions: int = 1  # how many times the text cites it
    title: Optional[str] = None  # "Luật Đầu tư công" when cited by title (number None)
    known_number: Optional[str] = None  # the number a law cited by title has (data/laws.json), else None


@dataclass
class Amount:
    text: str  # "162.756 triệu đồng"
    value_vnd: int
    scope: str = "total"  # "total", "DA1", "DA1.TDA2"
    source: str = Source.TOTAL  # Source
    capital: Optional[str] = None  # Capital or None
    start: int = -1
    end: int = -1
    clause_id: Optional[str] = None


@dataclass
class AgencyRole:
    role: str  # Role: "chủ trì" | "phối hợp" | "thực hiện"
    section: Optional[str] = None  # section path where the role is given
    du_an: Optional[str] = None  # scope id ("DA5") when the section is under a Dự án
    clause_id: Optional[str] = None


@dataclass
class Mention:
    text: str
    start: int
    end: int
    clause_id: Optional[str] = None


@dataclass
class Agency:
    name: str  # full form: "Phòng Lao động - Thương binh và Xã hội"
    level: Optional[str] = None  # Level: "trung ương", "tỉnh", "huyện", "xã"
    aliases: list[str] = field(default_factory=list)
    kind: Optional[str] = None  # "UBND", "HĐND", "Sở", "Phòng", "Bộ", "Đảng", "MTTQ", ...
    roles: list[AgencyRole] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    party: str = Party.NAMED  # Party: its strongest part in the plan
    is_party: bool = True  # party in PARTIES: False for a cited issuer or a recipient only


@dataclass
class Target:
    text: str
    indicator: str
    value: float
    unit: str
    year: Optional[int] = None
    start: int = -1
    end: int = -1
    clause_id: Optional[str] = None
    comparator: Optional[str] = None  # "<", ">=", ... when the text says "dưới", "trên", "trở lên"
    scope: Optional[str] = None  # Dự án scope when the target sits under one


@dataclass
class DuAn:
    id: str  # "DA1", "DA1.TDA2"
    number: int
    name: str
    parent: Optional[str] = None
    program: Optional[str] = None  # program code the numbering belongs to
    start: int = -1
    end: int = -1


@dataclass
class Section:
    id: str  # stable within a plan: "s3"
    label: str  # "I", "1", "a", "Dự án 5", "Tiểu dự án 2"
    title: str
    depth: int
    start: int
    end: int  # end of the section's body in the text
    parent: Optional[str] = None
    du_an: Optional[str] = None  # scope id ("DA5", "DA1.TDA2") this section is, or falls under


@dataclass
class Clause:
    id: str  # stable: "c0007" (order in the text)
    start: int
    end: int
    text: str  # normalized text of the paragraph / bullet item
    section: str = ""  # readable path: "III > 5. Dự án 5: Hỗ trợ nhà ở"
    section_id: Optional[str] = None
    du_an: Optional[str] = None  # scope id
    kind: str = "paragraph"  # "heading" | "paragraph" | "item"


@dataclass
class Check:
    scope: str
    kind: str  # CheckKind: "sources" (NSTW + NSĐP + khác = total) | "capital" (đầu tư + sự nghiệp = source)
    source: Optional[str]  # the source whose capital split is checked ("NSTW"), None for "sources"
    stated: int  # the stated figure, VND
    computed: int  # the sum of the parts, VND
    ok: bool
    message: str


@dataclass
class Plan:
    doc: str  # source file name
    text: str  # the text as loaded
    meta: Meta = field(default_factory=Meta)
    references: list[Reference] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    du_an: list[DuAn] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    is_plan: bool = True  # False when the text does not look like an administrative plan
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d = asdict(self)
        if not include_text:
            d.pop("text")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Plan":
        meta = dict(d.get("meta") or {})
        meta["locality"] = _build(Locality, meta.get("locality") or {})
        agencies = []
        for a in d.get("agencies") or []:
            a = dict(a)
            a["roles"] = [_build(AgencyRole, r) for r in a.get("roles") or []]
            a["mentions"] = [_build(Mention, m) for m in a.get("mentions") or []]
            agencies.append(_build(Agency, a))
        return cls(
            doc=d.get("doc", ""),
            text=d.get("text", ""),
            meta=_build(Meta, meta),
            references=[_build(Reference, x) for x in d.get("references") or []],
            amounts=[_build(Amount, x) for x in d.get("amounts") or []],
            agencies=agencies,
            targets=[_build(Target, x) for x in d.get("targets") or []],
            du_an=[_build(DuAn, x) for x in d.get("du_an") or []],
            sections=[_build(Section, x) for x in d.get("sections") or []],
            clauses=[_build(Clause, x) for x in d.get("clauses") or []],
            checks=[_build(Check, x) for x in d.get("checks") or []],
            is_plan=d.get("is_plan", True),
            warnings=list(d.get("warnings") or []),
        )


def _build(cls, data: dict[str, Any]):
    """Build a dataclass from a dict, ignoring keys it does not know (forward compatible)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
