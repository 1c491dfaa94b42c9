"""Query parameters shared by the routes: the plan filters (described once), ids, Dự án, and
how a call to the archive maps its errors to HTTP answers."""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Query

from .errors import ApiError

MAX_FILTER_VALUES = 50
MAX_FILTER_CHARS = 300
DU_AN_RE = re.compile(r"^(DA\d{1,2}(\.TDA\d{1,2})?|ND\d{1,2})$")  # ND: nông thôn mới content groups
PLAN_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def clean_values(name: str, values: list[str]) -> list[str]:
    out = [v.strip() for v in values if v and v.strip()]
    if len(out) > MAX_FILTER_VALUES:
        raise ApiError(400, f"{name}: tối đa {MAX_FILTER_VALUES} giá trị", "invalid_request")
    for v in out:
        if len(v) > MAX_FILTER_CHARS:
            raise ApiError(400, f"{name}: giá trị dài quá {MAX_FILTER_CHARS} ký tự", "invalid_request")
    return out


def _no_values() -> list[str]:
    return []


def facet(desc: str, example: str):
    # default_factory=list made pydantic read the builtin's signature from its text (an AST
    # parse) for every absent filter of every request: 11 filters, ~4 ms a search over HTTP
    return Query(default_factory=_no_values, description=desc + " Lặp lại để chọn nhiều giá trị (HOẶC).",
                 examples=[[example]])


# The plan-metadata filters, described once: search and listing/comparison both take them.
_PROVINCE = facet("Tỉnh.", "Lai Châu")
_LOCALITY = facet("Địa phương (huyện, xã hoặc tỉnh ban hành).", "Phong Thổ")
_LEVEL = facet('Cấp: "tỉnh", "huyện", "xã".', "huyện")
_YEAR = facet("Năm thực hiện: mỗi năm kế hoạch áp dụng.", "2023")
_ISSUE_YEAR = facet("Năm ban hành văn bản.", "2022")
_DOC_TYPE = facet("Loại văn bản.", "Kế hoạch")


# async: a sync dependency is run in the thread pool, one more thread hop for every request
async def facet_filters(
    province: list[str] = _PROVINCE,
    locality: list[str] = _LOCALITY,
    level: list[str] = _LEVEL,
    year: list[str] = _YEAR,
    issue_year: list[str] = _ISSUE_YEAR,
    program: list[str] = facet('Chương trình: "gnbv", "ntm", "dtts".', "gnbv"),
    doc_type: list[str] = _DOC_TYPE,
    du_an: list[str] = facet('Dự án, dạng "chương trình:mã".', "gnbv:DA5"),
    agency: list[str] = facet("Tên đầy đủ của cơ quan.", "Phòng Lao động - Thương binh và Xã hội"),
    cites: list[str] = facet("Số ký hiệu văn bản được trích dẫn.", "90/QĐ-TTg"),
    source: list[str] = facet('Nguồn vốn có số tiền trong kế hoạch: "NSTW", "NSĐP", "khác".', "NSTW"),
) -> dict[str, list[str]]:
    raw = dict(province=province, locality=locality, level=level, year=year, issue_year=issue_year,
               program=program, doc_type=doc_type, du_an=du_an, agency=agency, cites=cites, source=source)
    # search matches a year as an exact term (never a pattern): any other value finds nothing
    return {k: vs for k, v in raw.items() if (vs := clean_values(k, v))}


FiltersDep = Annotated[dict[str, list[str]], Depends(facet_filters)]


async def plan_filters(
    province: list[str] = _PROVINCE,
    locality: list[str] = _LOCALITY,
    level: list[str] = _LEVEL,
    year: list[str] = _YEAR,
    doc_type: list[str] = _DOC_TYPE,
) -> dict[str, list[str]]:
    """Filters on a plan's own metadata (listing and comparison read them from the archive)."""
    raw = dict(province=province, locality=locality, level=level, year=year, doc_type=doc_type)
    return checked_years({k: vs for k, v in raw.items() if (vs := clean_values(k, v))})


def checked_years(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """A year is a number (1900-2200): never a pattern ('%' was a LIKE wildcard over the archive)."""
    for v in filters.get("year", []):
        if not (v.isascii() and v.isdigit() and 1900 <= int(v) <= 2200):
            raise ApiError(400, f"year={v!r}: năm phải là một số từ 1900 đến 2200", "invalid_request")
    return filters


PlanFiltersDep = Annotated[dict[str, list[str]], Depends(plan_filters)]


def check_range(lo_name: str, lo, hi_name: str, hi) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise ApiError(400, f"{lo_name}={lo} lớn hơn {hi_name}={hi}", "invalid_request")


def plan_id_param(plan_id: str) -> str:
    # Ids are content hashes; anything else cannot be a plan (and never reaches the store as a path).
    if not PLAN_ID_RE.match(plan_id):
        raise ApiError(404, f"Không có kế hoạch mã {plan_id!r} trong kho")
    return plan_id


def du_an_param(value: str, program: str) -> str:
    """Every written form the CLI takes ("Dự án 5", "da4.tda2", "4.2"); a Dự án the program does
    not have (DA99) is 404 unknown_du_an, not an empty comparison."""
    from archive.compare import du_an_label, known_du_an, parse_du_an

    try:
        v = parse_du_an(value, program)
    except ValueError as e:
        raise ApiError(400, f"du_an: {e}", "invalid_request") from e
    if not DU_AN_RE.match(v):
        raise ApiError(400, f"du_an={value!r}: viết như DA5, Dự án 5 hoặc DA1.TDA2", "invalid_request")
    if not known_du_an(program, v):
        from extraction import programs

        raise ApiError(404, f"Không có {du_an_label(program, v)} trong {programs.name(program) or program}",
                       "unknown_du_an")
    return v


def engine_call(fn, *args, **kwargs):
    """Call the layer below; BackendError is an outage (503). Its ValueError is a client mistake
    (the layer validates what the client sent: filters, Dự án, document number)."""
    from index.base import BackendError

    try:
        return fn(*args, **kwargs)
    except BackendError as e:
        raise ApiError(503, f"Bộ máy tìm kiếm không trả lời: {e}") from e
    except ValueError as e:
        raise ApiError(400, str(e), "invalid_request") from e


def backend_call(fn, *args, **kwargs):
    """Like _engine_call for calls whose input the API has fully validated: a ValueError there
    is a bug below, not the client's doing, and stays a 500."""
    from index.base import BackendError

    try:
        return fn(*args, **kwargs)
    except BackendError as e:
        raise ApiError(503, f"Bộ máy tìm kiếm không trả lời: {e}") from e
