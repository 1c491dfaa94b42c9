"""How an officer names a document: "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông".

One function for web cards, the plan page, compare rows, CSV, CLI and the API's `identity`
field, so a plan reads the same everywhere. Built from the extracted meta (or the plan columns
of the store, which have no issuer: the number's suffix, KH-UBND, names the issuing body).
The file name is not part of it: it is shown only on the plan page's source line.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional

# long issuer names officers abbreviate; longest first
_SHORT = (
    ("Ủy ban nhân dân", "UBND"), ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"), ("Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQ Việt Nam"),
)
# the issuing body a number's last part names ("122/KH-UBND" -> UBND)
_SUFFIX_BODY = {"UBND": "UBND", "HĐND": "HĐND", "HDND": "HĐND", "BCĐ": "Ban Chỉ đạo", "TTG": "Thủ tướng Chính phủ",
                "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ"}
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_LEVEL_WORDS = ("tỉnh", "huyện", "xã", "thành phố", "thị xã", "quận", "thị trấn", "phường")


def vn_date(iso: Optional[str]) -> Optional[str]:
    """'2024-02-29' -> '29/02/2024'; anything else unchanged (None stays None)."""
    if not iso:
        return None
    m = _ISO_RE.match(str(iso))
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else str(iso)


def short_issuer(issuer: Optional[str]) -> Optional[str]:
    """'Ủy ban nhân dân huyện Phong Thổ' -> 'UBND huyện Phong Thổ'."""
    if not issuer:
        return None
    out = " ".join(issuer.split())
    for long, short in _SHORT:
        if out.lower().startswith(long.lower()):
            return short + out[len(long):]
    return out


def place_name(name: Optional[str], level: Optional[str]) -> Optional[str]:
    """'Phong Thổ', 'huyện' -> 'huyện Phong Thổ'; a name already carrying its level stays as it is."""
    if not name:
        return None
    if level and not any(name.lower().startswith(w + " ") for w in _LEVEL_WORDS):
        return f"{level} {name}"
    return name


def _body_from_number(number: Optional[str]) -> Optional[str]:
    if not number or "-" not in number:
        return None
    return _SUFFIX_BODY.get(number.rsplit("-", 1)[-1].strip())


def _own(doc_type, number, issue_date, issue_year, issuer, locality, level, province) -> str:
    """The line from loose fields, when the engines' builder has too little to say."""
    parts = [doc_type or "Văn bản"]
    if number:
        parts.append(f"số {number}")
    if issue_date:
        parts.append(f"ngày {vn_date(issue_date)}")
    where = place_name(locality, level)
    body = short_issuer(issuer)
    if not body:
        kind = _body_from_number(number)
        body = f"{kind} {where}" if kind and where and kind in ("UBND", "HĐND") else (where or kind)
    if body:
        parts.append(f"của {body}")
    # a huyện or xã is named with its province, unless the issuer already says it
    if province and province != locality and (body is None or province not in body):
        parts[-1] += f", tỉnh {province}" if not province.lower().startswith(("tỉnh ", "thành phố ")) else f", {province}"
    if not issue_date and issue_year:
        parts.append(f"năm {issue_year}")
    return " ".join(parts)


def identity_of(doc_type: Optional[str] = None, number: Optional[str] = None, issue_date: Optional[str] = None,
                issue_year: Optional[int] = None, issuer: Optional[str] = None, locality: Optional[str] = None,
                level: Optional[str] = None, province: Optional[str] = None) -> str:
    """The identity string from loose fields (any may be None). Search hits get theirs from
    index.documents.identity (the engines cannot import this layer): with an issuer this asks
    it, so a plan reads the same in a search card and on its page."""
    if not issuer:
        kind = _body_from_number(number)
        where = place_name(locality, level)
        issuer = f"{kind} {where}" if kind in ("UBND", "HĐND") and where else None
    if issuer:
        try:
            from extraction.model import Locality, Meta
            from index.documents import identity as engine_identity

            line = engine_identity(Meta(doc_type=doc_type, number=number, issue_date=issue_date, issue_year=issue_year,
                                        issuer=issuer, locality=Locality(locality, level, province)))
            if line:
                return line
        except ImportError:  # the engines' builder moved: ours says the same
            pass
    return _own(doc_type, number, issue_date, issue_year, issuer, locality, level, province)


def identity(meta: Any) -> str:
    """From extraction.model.Meta or its dict (`plan.to_dict()["meta"]`)."""
    m = meta if isinstance(meta, Mapping) else getattr(meta, "__dict__", {})
    loc = m.get("locality") or {}
    loc = loc if isinstance(loc, Mapping) else getattr(loc, "__dict__", {})
    return identity_of(doc_type=m.get("doc_type"), number=m.get("number"), issue_date=m.get("issue_date"),
                       issue_year=m.get("issue_year"), issuer=m.get("issuer"), locality=loc.get("name"),
                       level=loc.get("level"), province=loc.get("province"))
