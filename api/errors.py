"""One error shape for every failure: {"error": {"code": ..., "message": ...}}.

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
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """Raised by routes; becomes a JSON error with the given status."""

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message


def error_response(status: int, message: str, code: str | None = None, headers=None) -> JSONResponse:
    body = {"error": {"code": code or _CODES.get(status, "error"), "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def _location(loc) -> str:
    """('query', 'size') -> 'size' (query), readable for a person."""
    parts = [str(p) for p in loc]
    where = parts[0] if parts and parts[0] in ("query", "path", "body", "header") else ""
    name = ".".join(parts[1:] if where else parts) or where
    return f"{name} ({where})" if where and name != where else name


def _validation_message(exc: RequestValidationError) -> str:
    msgs = []
    for err in exc.errors()[:5]:
        msgs.append(f"{_location(err.get('loc', ()))}: {err.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(msgs) if msgs else "Invalid request"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"No route {request.method} {request.url.path}"
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_response(400, _validation_message(exc), "invalid_request")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, f"Internal error: {type(exc).__name__}")
