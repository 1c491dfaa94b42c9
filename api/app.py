"""The HTTP API and the web page. Routes are thin: every answer comes from archive.service.Archive.

The Archive is opened once per process (lifespan) from the settings in the environment.
Writes (upload, delete) need X-API-Key equal to KEHOACH_API_KEY; with no key configured
they are refused, so a server started without thinking about it is read-only.
"""
from __future__ import annotations

import hmac
import pathlib
import re
import threading
from contextlib import asynccontextmanager
from pathlib import PurePath
from typing import Annotated, Any, Literal, Optional
from urllib.parse import quote, unquote

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from archive.settings import Settings

from . import errors
from .errors import ApiError
from .models import (
    ChainNodeOut, CitedDocOut, CitedRefOut, CitingPlanOut, CompareResult, CompareRowOut, CompareSumsOut, DeleteResult,
    ErrorBody, Health, PlanCitationsOut, PlanDetail, PlanList, PlanSummaryOut, ProgramOut, ReferenceCitations, ReplacementOut, SearchResult,
    SimilarHitOut, SimilarRequest, SimilarResult, UploadResult, dump,
)
from .params import (FiltersDep, PlanFiltersDep, backend_call, check_range, clean_values,
                     du_an_param, engine_call, facet, plan_id_param)

STATIC_DIR = pathlib.Path(__file__).parent / "static"
MAX_SIZE = 100  # plans per page, ceiling
MAX_QUERY_CHARS = 1000
MAX_NAME_CHARS = 255  # an uploaded file's name (X-Filename, filename, multipart)

E400 = {400: {"model": ErrorBody, "description": "Tham số sai (tên tham số và lý do trong message)."}}
E404 = {404: {"model": ErrorBody, "description": "Không tìm thấy."}}
E503 = {503: {"model": ErrorBody, "description": "Bộ máy tìm kiếm không trả lời (message nêu lý do)."}}
EWRITE = {
    401: {"model": ErrorBody, "description": "Thiếu X-API-Key."},
    403: {"model": ErrorBody, "description": "Sai khóa, hoặc máy chủ không cấu hình KEHOACH_API_KEY (ghi bị tắt)."},
}

TAGS = [
    {"name": "tìm kiếm", "description": "Tìm toàn văn trong điều khoản các kế hoạch, lọc theo bộ lọc, đếm bộ lọc."},
    {"name": "kế hoạch", "description": "Danh sách, chi tiết (thực thể có vị trí), văn bản gốc; nạp và xóa."},
    {"name": "so sánh", "description": "Cùng một Dự án qua các kế hoạch: kinh phí theo nguồn và loại vốn, cơ quan, chỉ tiêu."},
    {"name": "soạn thảo", "description": "Điều khoản tương tự cho người soạn thảo."},
    {"name": "trích dẫn", "description": "Văn bản được trích dẫn, kế hoạch trích dẫn chúng, văn bản thay thế."},
    {"name": "hệ thống", "description": "Tình trạng dịch vụ."},
]


# ---------------------------------------------------------------- app and lifespan

def create_app(settings: Settings | None = None, archive: Any = None) -> FastAPI:
    """Build the app. `archive` may be given (tests); otherwise it is opened at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        owned = app.state.archive is None
        if owned:  # once per process, from the settings
            from archive.service import Archive

            app.state.archive = Archive.open(settings=app.state.settings)
            # a server killed mid-upload left a plan in the store the engine lacks: repaired
            # now, in the background (searches are served meanwhile)
            app.state.archive.repair_in_background()
        try:
            yield
        finally:
            if owned:
                app.state.archive.close()
                app.state.archive = None

    app = FastAPI(
        title="kehoach",
        version="0.1.0",
        summary="Tìm kiếm, so sánh và trích dẫn các kế hoạch thực hiện Chương trình MTQG "
        "(giảm nghèo bền vững, nông thôn mới, vùng đồng bào DTTS và miền núi).",
        description="Mọi lỗi trả về JSON `{\"error\": {\"code\", \"message\"}}`. Các thao tác ghi "
        "(POST/DELETE `/api/plans`) cần header `X-API-Key` bằng `KEHOACH_API_KEY` của máy chủ.",
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,  # served below from local files: no CDN
        redoc_url=None,
    )
    app.state.settings = settings or Settings.from_env()
    app.state.archive = archive
    app.state.write_lock = threading.Lock()
    errors.install(app)
    from archive.store import StoreError

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):  # full disk, read-only folder: one clear line
        return errors.error_response(503, f"Kho kế hoạch: {exc}", "storage_unavailable")

    from .limits import BodyLimit

    st = app.state.settings
    app.add_middleware(BodyLimit, upload_bytes=st.max_upload_bytes, upload_mb=st.max_upload_mb,
                       other_bytes=st.max_body_kb * 1024)
    _routes(app)
    app.openapi = lambda: _openapi(app)
    _docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _docs(app: FastAPI) -> None:
    """/docs with Swagger UI from the swagger-ui-py package's files, so it works offline."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from swagger_ui import core as swagger_ui_core

    assets = pathlib.Path(swagger_ui_core.__file__).parent / "static"
    app.mount("/static/swagger", StaticFiles(directory=assets), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="kehoach API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")


def _openapi(app: FastAPI) -> dict:
    """FastAPI's schema, with its 422 validation answers replaced by our 400 (errors.py)."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                         routes=app.routes, tags=app.openapi_tags)
    err_ref = {"$ref": "#/components/schemas/ErrorBody"}
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            responses = op.get("responses", {})
            for code, resp in responses.items():  # errors are JSON whatever the route's own type
                if code[0] in "45" and "ErrorBody" in str(resp.get("content", "")):
                    resp["content"] = {"application/json": {"schema": err_ref}}
            r422 = responses.get("422")
            if r422 and "HTTPValidationError" in str(r422):
                del responses["422"]
                responses.setdefault("400", {"description": "Tham số sai (tên tham số và lý do trong message).",
                                             "content": {"application/json": {"schema": err_ref}}})
    comps = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        comps.pop(name, None)
    app.openapi_schema = schema
    return schema


async def get_archive(request: Request):  # async: no thread hop for a lookup
    archive = request.app.state.archive
    if archive is None:  # served without the lifespan having run
        raise ApiError(503, "Kho kế hoạch chưa mở")
    return archive


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ArchiveDep = Annotated[Any, Depends(get_archive)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


# ---------------------------------------------------------------- routes

def _routes(app: FastAPI) -> None:
    index_html = STATIC_DIR / "index.html"

    # Web page: one HTML shell for every UI path; app.js renders the view from the URL.
    for ui_path in ("/", "/tim-kiem", "/so-sanh", "/soan-thao", "/trich-dan", "/nap-tep"):
        app.add_api_route(ui_path, lambda: FileResponse(index_html), include_in_schema=False)

    @app.get("/ke-hoach/{plan_id}", include_in_schema=False)
    def ui_plan(plan_id: str):
        return FileResponse(index_html)

    @app.get("/trich-dan/{number:path}", include_in_schema=False)
    def ui_reference(number: str):
        return FileResponse(index_html)

    @app.get("/health", response_model=Health, tags=["hệ thống"], summary="Tình trạng dịch vụ")
    def health(archive: ArchiveDep, settings: SettingsDep) -> Health:
        name = backend_call(lambda: archive.backend.name)
        return Health(status="ok", backend=name, plans=archive.count(), writes_enabled=settings.writes_enabled)

    @app.get("/api/search", response_model=SearchResult, tags=["tìm kiếm"], responses={**E400, **E503},
             summary="Tìm kiếm điều khoản, nhóm theo kế hoạch")
    def search(
        archive: ArchiveDep,
        filters: FiltersDep,
        q: str = Query("", max_length=MAX_QUERY_CHARS,
                       description='Câu tìm kiếm, có dấu hoặc không dấu; "cụm từ trong ngoặc kép" tìm đúng cụm. '
                       "Không có cú pháp nào khác: mọi ký tự được coi là chữ.",
                       examples=["hỗ trợ nhà ở", "ho tro nha o", '"nhà ở" hộ nghèo', "90/QĐ-TTg"]),
        year_from: Optional[int] = Query(None, ge=1900, le=2200, description="Kế hoạch áp dụng cho một năm ≥ year_from.", examples=[2022]),
        year_to: Optional[int] = Query(None, ge=1900, le=2200, description="Kế hoạch áp dụng cho một năm ≤ year_to.", examples=[2025]),
        amount_min: Optional[int] = Query(None, ge=0, le=10**16, description="Tổng kinh phí tối thiểu, đồng.", examples=[1_000_000_000]),
        amount_max: Optional[int] = Query(None, ge=0, le=10**16, description="Tổng kinh phí tối đa, đồng.", examples=[100_000_000_000]),
        sort: Literal["relevance", "date"] = Query("relevance", description='"relevance" (BM25) hoặc "date" (mới nhất trước).'),
        page: int = Query(1, ge=1, le=1000, description="Trang, bắt đầu từ 1."),
        size: int = Query(10, ge=1, le=MAX_SIZE, description=f"Số kế hoạch mỗi trang (tối đa {MAX_SIZE})."),
        clauses: int = Query(1, ge=1, le=20, description="Số điều khoản tốt nhất dưới mỗi kế hoạch (như `kehoach search --clauses`); more_clauses đếm phần còn lại."),
    ) -> SearchResult:
        from index.base import SearchRequest

        check_range("year_from", year_from, "year_to", year_to)
        check_range("amount_min", amount_min, "amount_max", amount_max)
        req = SearchRequest(q=q.strip(), filters=filters, year_from=year_from, year_to=year_to,
                            amount_min=amount_min, amount_max=amount_max, sort=sort, page=page,
                            size=size, clauses_per_plan=clauses)
        from archive.results import search_json  # one output contract for CLI and API

        # validated and written once (returning the model, FastAPI validates it again by
        # response_model before serialising: about a tenth of a search over HTTP)
        result = SearchResult.model_validate(search_json(engine_call(archive.search, req)))
        return Response(result.model_dump_json(), media_type="application/json")

    @app.get("/api/plans", response_model=PlanList, tags=["kế hoạch"], responses=E400,
             summary="Danh sách kế hoạch (lọc, phân trang)")
    def list_plans(
        archive: ArchiveDep,
        filters: PlanFiltersDep,
        program: list[str] = facet('Chương trình: "gnbv", "ntm", "dtts".', "gnbv"),
        year_from: Optional[int] = Query(None, ge=1900, le=2200, description="Kế hoạch áp dụng cho một năm ≥ year_from.", examples=[2022]),
        year_to: Optional[int] = Query(None, ge=1900, le=2200, description="Kế hoạch áp dụng cho một năm ≤ year_to.", examples=[2025]),
        page: int = Query(1, ge=1, le=10000, description="Trang, bắt đầu từ 1."),
        size: int = Query(20, ge=1, le=MAX_SIZE, description=f"Số kế hoạch mỗi trang (tối đa {MAX_SIZE})."),
    ) -> PlanList:
        check_range("year_from", year_from, "year_to", year_to)
        if programs := clean_values("program", program):
            filters = {**filters, "program": programs}
        total, plans = engine_call(archive.list_plans, filters, page, size, year_from=year_from, year_to=year_to)
        return PlanList(total=total, page=page, size=size, plans=[PlanSummaryOut.model_validate({
            **dump(p), "identity": p.identity}) for p in plans])

    @app.get("/api/plans/{plan_id}", response_model=PlanDetail, tags=["kế hoạch"], responses=E404,
             summary="Chi tiết kế hoạch: thông tin, thực thể có vị trí, mục, điều khoản, kiểm tra kinh phí")
    def get_plan(archive: ArchiveDep, plan_id: str = Path(description="Mã kế hoạch.", examples=["700f213ea182e0e3"])) -> PlanDetail:
        stored = _get_stored(archive, plan_id)
        d = stored.plan.to_dict(include_text=False)
        ingested = stored.ingested_at
        from archive.identity import identity

        return PlanDetail.model_validate({
            **d, "plan_id": stored.plan_id, "doc": stored.doc or d.get("doc", ""), "identity": identity(stored.plan.meta),
            "ingested_at": ingested if isinstance(ingested, (str, type(None))) else ingested.isoformat(),
            "text_length": len(stored.plan.text),
            # file names only, never server paths; an upload's "name (plan id)" shown as its name
            "sources": [re.sub(r" \([0-9a-f]{16}\)$", "", PurePath(x).name) for x in getattr(stored, "sources", [])],
            "ocr": bool(getattr(stored, "load", {}).get("ocr")),
            "ocr_confidence": getattr(stored, "load", {}).get("ocr_confidence"),
            "ocr_pages": getattr(stored, "load", {}).get("ocr_pages") or [],
        })

    @app.get("/api/plans/{plan_id}/text", response_class=PlainTextResponse, tags=["kế hoạch"],
             responses={**E404, 200: {"content": {"text/plain": {}}, "description": "Văn bản gốc, UTF-8."}},
             summary="Văn bản gốc (các vị trí start/end trỏ vào đây)")
    def get_plan_text(archive: ArchiveDep, plan_id: str = Path(description="Mã kế hoạch.")):
        stored = _get_stored(archive, plan_id)
        return PlainTextResponse(stored.plan.text, media_type="text/plain; charset=utf-8")

    @app.post("/api/plans", tags=["kế hoạch"], status_code=201, response_model=UploadResult,
              summary="Nạp một tệp (multipart, hoặc thân yêu cầu thô kèm tên tệp)",
              responses={200: {"model": UploadResult, "description": "Đã có kế hoạch cùng nội dung: không đổi."},
                         400: E400[400], **EWRITE,
                         413: {"model": ErrorBody, "description": "Tệp vượt KEHOACH_MAX_UPLOAD_MB."},
                         415: {"model": ErrorBody, "description": "Loại tệp không nằm trong KEHOACH_ALLOWED_TYPES."},
                         422: {"model": ErrorBody, "description": "Không đọc được tệp; message nêu lý do của bộ nạp."}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                      "file": {"type": "string", "format": "binary", "description": "Tệp kế hoạch (.txt, .docx, .pdf, ...)."}}}},
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary",
                                                          "description": "Nội dung tệp; tên tệp trong header X-Filename hoặc tham số filename."}},
              }}})
    async def upload_plan(
        request: Request,
        settings: SettingsDep,
        archive: ArchiveDep,
        x_api_key: Optional[str] = Header(None, description="Khóa ghi (KEHOACH_API_KEY)."),
        x_filename: Optional[str] = Header(None, description="Tên tệp khi gửi thân thô; tên có dấu thì mã hóa phần trăm (UTF-8).",
                                           examples=["k%E1%BA%BF-ho%E1%BA%A1ch-2023.docx"]),
        filename: Optional[str] = Query(None, max_length=MAX_NAME_CHARS, description="Tên tệp khi gửi thân thô (thay cho X-Filename).",
                                        examples=["phong-tho-2023.txt"]),
        replace: Optional[str] = Query(None, max_length=128, description="Mã kế hoạch mà tệp này thay thế. Không có: "
                                       "tệp là một kế hoạch mới, dù trùng tên với tệp đã nạp.", examples=["700f213ea182e0e3"]),
    ):
        _require_key(settings, x_api_key)
        if x_filename is not None and len(x_filename) > 3 * MAX_NAME_CHARS:  # percent-encoded UTF-8: 3 bytes a letter
            raise ApiError(400, f"X-Filename dài quá {MAX_NAME_CHARS} ký tự", "invalid_request")
        if replace is not None:
            plan_id_param(replace)
        # header values are Latin-1: a Vietnamese name comes percent-encoded (UTF-8)
        name, data = await _read_upload(request, settings, unquote(x_filename) if x_filename else filename)
        item = await _run_upload(archive.add_bytes, name, data, replace)
        result = _upload_result(item, name)
        return JSONResponse(result.model_dump(), status_code=200 if result.status == "unchanged" else 201)

    @app.delete("/api/plans/{plan_id}", response_model=DeleteResult, tags=["kế hoạch"],
                responses={**EWRITE, **E404}, summary="Xóa một kế hoạch khỏi kho và chỉ mục")
    async def delete_plan(
        request: Request, settings: SettingsDep, archive: ArchiveDep,
        plan_id: str = Path(description="Mã kế hoạch."),
        x_api_key: Optional[str] = Header(None, description="Khóa ghi (KEHOACH_API_KEY)."),
    ) -> DeleteResult:
        _require_key(settings, x_api_key)
        plan_id_param(plan_id)
        if not await _run_write(request, archive.delete, plan_id):
            raise ApiError(404, f"Không có kế hoạch mã {plan_id!r} trong kho")
        return DeleteResult(plan_id=plan_id, deleted=True)

    @app.get("/api/compare", tags=["so sánh"], response_model=CompareResult,
             responses={**E400, 200: {"content": {"text/csv": {}}, "description":
                                      "JSON; hoặc CSV (UTF-8 có BOM, dòng tiêu đề) khi format=csv."}},
             summary="So sánh một Dự án giữa các kế hoạch")
    def compare(
        archive: ArchiveDep,
        filters: PlanFiltersDep,
        du_an: str = Query(..., max_length=40, alias="du_an", description='Mã Dự án: "DA5", "DA1.TDA2", hoặc như văn bản viết: "Dự án 5", "4.2". Dự án chương trình không có: 404 unknown_du_an.', examples=["DA5"]),
        program: Literal["gnbv", "ntm", "dtts"] = Query("gnbv", description="Chương trình."),
        year_from: Optional[int] = Query(None, ge=1900, le=2200, description="Kế hoạch áp dụng cho một năm ≥ year_from.", examples=[2022]),
        year_to: Optional[int] = Query(None, ge=1900, le=2200, description="Kế hoạch áp dụng cho một năm ≤ year_to.", examples=[2025]),
        format: Literal["json", "csv"] = Query("json", description='"csv" để tải về bảng tính: mọi dòng, không theo trang.'),
        page: int = Query(1, ge=1, le=100000, description="Trang (từ 1).", examples=[1]),
        size: int = Query(50, ge=1, le=500, description="Số dòng mỗi trang (1–500).", examples=[50]),
        text: bool = Query(True, description="false: bỏ nội dung mục (trường text) của mỗi dòng, trả lời nhẹ hơn."),
    ):
        code = du_an_param(du_an, program)
        check_range("year_from", year_from, "year_to", year_to)
        if format == "csv":
            from archive.compare import csv_filename

            chunks = engine_call(archive.compare_csv, code, program=program, filters=filters or None,
                                 year_from=year_from, year_to=year_to)
            fname = csv_filename(program, code)
            return StreamingResponse(chunks, media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": f"attachment; filename=\"{fname}\"; filename*=UTF-8''{quote(fname)}"})
        got = engine_call(archive.compare_page, code, program=program, filters=filters or None,
                          year_from=year_from, year_to=year_to, page=page, size=size, with_text=text)
        return CompareResult(program=program, du_an=code, total=got.total, page=got.page, size=got.size,
                             sums=CompareSumsOut.model_validate(dump(got.sums)), rows=[_compare_row(r) for r in got.rows])

    @app.get("/api/programs", response_model=list[ProgramOut], tags=["so sánh"],
             summary="Các chương trình MTQG và tên Dự án, Tiểu dự án của chúng")
    def list_programs() -> list[ProgramOut]:
        from extraction import programs

        return [ProgramOut(code=c, name=programs.name(c) or c, components=programs.components(c)) for c in programs.codes()]

    @app.post("/api/similar", response_model=SimilarResult, tags=["soạn thảo"], responses={**E400, **E503},
              summary="Điều khoản tương tự đoạn văn đang soạn")
    def similar(archive: ArchiveDep, body: SimilarRequest) -> SimilarResult:
        if not body.text.strip():
            raise ApiError(400, "text: đoạn văn trống", "invalid_request")
        filters = {k: v for k, v in (("province", body.province), ("level", body.level), ("program", body.program),
                                     ("du_an", body.du_an)) if v}
        hits = backend_call(archive.similar, body.text, k=body.k, filters=filters, short=body.short)
        return SimilarResult(hits=[SimilarHitOut.model_validate(dump(h)) for h in hits])

    @app.get("/api/references", response_model=list[CitedDocOut], tags=["trích dẫn"], responses=E400,
             summary="Văn bản được trích dẫn nhiều nhất")
    def most_cited(archive: ArchiveDep, limit: int = Query(20, ge=1, le=200, description="Số văn bản.")):
        return [CitedDocOut.model_validate(dump(c)) for c in backend_call(archive.most_cited, limit)]

    @app.get("/api/references/{number:path}", response_model=ReferenceCitations, tags=["trích dẫn"],
             responses=E400, summary="Các kế hoạch trích dẫn một văn bản")
    def cites(archive: ArchiveDep,
              number: str = Path(description='Số ký hiệu, mã hóa URL; mọi cách viết: "90/QĐ-TTg", "90/QD-TTG", "QĐ 90/QĐ-TTg".',
                                 examples=["90/QĐ-TTg"])) -> ReferenceCitations:
        number = number.strip()
        if not number or len(number) > 200:
            raise ApiError(400, "number: cần một số ký hiệu văn bản, ví dụ 90/QĐ-TTg", "invalid_request")
        plans = engine_call(archive.cites, number)
        return ReferenceCitations(number=number, plans=[CitingPlanOut.model_validate(dump(p)) for p in plans])

    @app.get("/api/chain", response_model=ChainNodeOut, tags=["trích dẫn"], responses=E400,
             summary="Chuỗi thực hiện: các kế hoạch tỉnh, huyện, xã triển khai một văn bản")
    def chain(archive: ArchiveDep,
              number: str = Query(..., max_length=200, description='Số ký hiệu, mọi cách viết: "90/QĐ-TTg", "90/QD-TTG".',
                                  examples=["90/QĐ-TTg"])) -> ChainNodeOut:
        if not number.strip():
            raise ApiError(400, "number: cần một số ký hiệu văn bản, ví dụ 90/QĐ-TTg", "invalid_request")
        return ChainNodeOut.model_validate(dump(engine_call(archive.chain, number.strip())))

    @app.get("/api/plans/{plan_id}/citations", response_model=PlanCitationsOut, tags=["trích dẫn"], responses=E404,
             summary="Văn bản kế hoạch trích dẫn (nối với bản trong kho) và các kế hoạch trích dẫn nó")
    def plan_citations(archive: ArchiveDep, plan_id: str = Path(description="Mã kế hoạch.")) -> PlanCitationsOut:
        stored = _get_stored(archive, plan_id)
        return PlanCitationsOut(plan_id=stored.plan_id,
                                cites=[CitedRefOut.model_validate(dump(c)) for c in backend_call(archive.cites_of, stored.plan_id)],
                                cited_by=[CitingPlanOut.model_validate(dump(c)) for c in backend_call(archive.cited_by, stored.plan_id)])

    @app.get("/api/replacements", response_model=list[ReplacementOut], tags=["trích dẫn"],
             summary="Kế hoạch thay thế văn bản khác")
    def replacements(archive: ArchiveDep):
        return [ReplacementOut.model_validate(dump(r)) for r in backend_call(archive.replacements)]


# ---------------------------------------------------------------- helpers of the routes

def _get_stored(archive, plan_id: str):
    stored = archive.get(plan_id_param(plan_id))
    if stored is None:
        raise ApiError(404, f"Không có kế hoạch mã {plan_id!r} trong kho")
    return stored


def _require_key(settings: Settings, given: Optional[str]) -> None:
    if not settings.writes_enabled:
        raise ApiError(403, "Không cho ghi: máy chủ không cấu hình KEHOACH_API_KEY", "writes_disabled")
    if not given:
        raise ApiError(401, "Thiếu header X-API-Key")
    if not hmac.compare_digest(given.encode(), settings.api_key.encode()):
        raise ApiError(403, "Sai X-API-Key")


def _check_name(name: Optional[str], settings: Settings) -> str:
    if not name or not name.strip():
        raise ApiError(400, "Thiếu tên tệp: gửi trường multipart 'file', hoặc header X-Filename / tham số filename",
                       "invalid_request")
    base = PurePath(name.replace("\\", "/")).name.strip()  # never a path on the server
    if not base or base in (".", ".."):
        raise ApiError(400, f"Tên tệp không hợp lệ: {name!r}", "invalid_request")
    if len(base) > MAX_NAME_CHARS:
        raise ApiError(400, f"Tên tệp dài quá {MAX_NAME_CHARS} ký tự", "invalid_request")
    suffix = PurePath(base).suffix.lower()
    if suffix not in settings.allowed_types:
        raise ApiError(415, f"{base}: không nhận loại tệp {suffix or '(không có đuôi)'}; được phép: {', '.join(settings.allowed_types)}")
    return base


async def _read_upload(request: Request, settings: Settings, raw_name: Optional[str]) -> tuple[str, bytes]:
    limit = settings.max_upload_bytes
    too_large = ApiError(413, f"Tệp lớn hơn {settings.max_upload_mb:g} MB (KEHOACH_MAX_UPLOAD_MB)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:  # multipart framing slack
        raise too_large
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=1, max_fields=10)
        except HTTPException:  # the body limit (api/limits.py): 413
            raise
        except Exception as e:  # malformed multipart body
            raise ApiError(400, f"Thân multipart hỏng: {e}", "invalid_request") from e
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(400, "Thân multipart không có trường tệp 'file'", "invalid_request")
        name = _check_name(upload.filename, settings)
        data = await upload.read(limit + 1)
        await form.close()
    else:
        name = _check_name(raw_name, settings)
        chunks, n = [], 0
        async for chunk in request.stream():
            n += len(chunk)
            if n > limit:
                raise too_large
            chunks.append(chunk)
        data = b"".join(chunks)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ApiError(422, f"{name}: tệp rỗng")
    return name, data


async def _run_upload(fn, name: str, data: bytes, replace: Optional[str]):
    """An upload: extracted in a child process (the archive's upload pool), off the event loop
    and outside the write lock, so reads and deletes never wait on an extraction."""
    from starlette.concurrency import run_in_threadpool

    from archive.workers_upload import QueueFull
    from index.base import BackendError

    try:
        return await run_in_threadpool(fn, name, data, replace=replace)
    except QueueFull as e:
        raise ApiError(429, f"Máy chủ đang đọc nhiều tệp, {e}", "busy", headers={"Retry-After": str(e.retry_after)}) from e
    except KeyError as e:
        raise ApiError(404, f"Không có kế hoạch mã {replace!r} trong kho để thay thế") from e
    except BackendError as e:
        raise ApiError(503, f"Bộ máy tìm kiếm không trả lời: {e}") from e


async def _run_write(request: Request, fn, *args):
    """Writes go one at a time, off the event loop."""
    from starlette.concurrency import run_in_threadpool

    lock: threading.Lock = request.app.state.write_lock

    def locked():
        with lock:
            return fn(*args)

    from index.base import BackendError

    try:
        return await run_in_threadpool(locked)
    except BackendError as e:
        raise ApiError(503, f"Bộ máy tìm kiếm không trả lời: {e}") from e


def _compare_row(row) -> CompareRowOut:
    from archive.compare import CAPITALS, SOURCES, capital_amount, main_target, row_identity, source_amount

    sources = {s: source_amount(row, s) for s in SOURCES}
    capitals = {c: capital_amount(row, c) for c in CAPITALS}
    # the row's own fields, not dump()'s deep copy: its lists are plain JSON values read for this
    # request (asdict of a page of 50 rows: 8 ms of the 11 this took)
    return CompareRowOut.model_validate({**vars(row), "sources": sources, "capitals": capitals,
                                         "identity": row_identity(row), "main_target": main_target(row)})


def _upload_result(item, name: str) -> UploadResult:
    d = dump(item)
    error = d.get("error")
    if error or d.get("ok") is False or d.get("status") in ("failed", "error"):
        error = error or "không đọc được"
        raise ApiError(422, error if error.startswith(f"{name}: ") else f"{name}: {error}")  # the file named once
    return UploadResult.model_validate({**d, "doc": d.get("doc") or name})

