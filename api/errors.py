"""One error shape for every failure: {"error": {"code": ..., "message": ...}}.

`code` is English and stable (clients branch on it); `message` is Vietnamese, for the person
reading it (the web page shows it as is).

FastAPI's own handlers (404 for unknown routes, 422 for validation) answer in other shapes;
they are replaced here so clients parse one format. Parameter mistakes are 400 (the client
sent a bad query), 422 is kept for an uploaded file the loaders cannot read.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("kehoach.api")

# HTTP status -> default machine-readable code
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_type",
    422: "unprocessable",
    429: "busy",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """Raised by routes; becomes a JSON error with the given status."""

    def __init__(self, status: int, message: str, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.headers = headers


def error_response(status: int, message: str, code: str | None = None, headers=None) -> JSONResponse:
    body = {"error": {"code": code or _CODES.get(status, "error"), "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


_WHERE = {"query": "tham số", "path": "đường dẫn", "body": "thân yêu cầu", "header": "header"}


def _location(loc) -> str:
    """('query', 'size') -> 'size (tham số)', readable for a person; the English field name is kept."""
    parts = [str(p) for p in loc]
    where = parts[0] if parts and parts[0] in _WHERE else ""
    name = ".".join(parts[1:] if where else parts) or _WHERE.get(where, where)
    return f"{name} ({_WHERE[where]})" if where and name != _WHERE[where] else name


# pydantic's error types -> a Vietnamese reason (its own `msg` is English)
_REASONS = {
    "missing": "thiếu, cần có",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "float_parsing": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "greater_than": "phải lớn hơn {gt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "less_than": "phải nhỏ hơn {lt}",
    "string_too_long": "dài quá {max_length} ký tự",
    "string_too_short": "phải có ít nhất {min_length} ký tự",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "json_invalid": "không phải JSON hợp lệ",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "string_type": "phải là chuỗi ký tự",
    "list_type": "phải là danh sách",
    "extra_forbidden": "không được phép",
}


def _reason(err: dict) -> str:
    template = _REASONS.get(err.get("type", ""))
    if template is None:
        return "không hợp lệ"
    ctx = {k: str(v).replace(" or ", " hoặc ") for k, v in (err.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return "không hợp lệ"


def _validation_message(exc: RequestValidationError) -> str:
    msgs = [f"{_location(err.get('loc', ()))}: {_reason(err)}" for err in exc.errors()[:5]]
    return "Yêu cầu không hợp lệ: " + "; ".join(msgs) if msgs else "Yêu cầu không hợp lệ"


# Starlette's own English details for the statuses it raises itself
_HTTP_MESSAGES = {
    405: "Phương thức {method} không dùng được cho {path}",
    406: "Không trả lời được theo định dạng yêu cầu",
    413: "Yêu cầu quá lớn",
    415: "Loại nội dung không được hỗ trợ",
}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.code, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"Không có địa chỉ {request.method} {request.url.path}"
        elif exc.status_code in _HTTP_MESSAGES and message in ("Method Not Allowed", "Not Acceptable",
                                                                "Request Entity Too Large", "Unsupported Media Type"):
            message = _HTTP_MESSAGES[exc.status_code].format(method=request.method, path=request.url.path)
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_response(400, _validation_message(exc), "invalid_request")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, f"Lỗi trong máy chủ ({type(exc).__name__}); chi tiết trong nhật ký máy chủ")
