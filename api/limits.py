"""A body-size limit on every route, checked on the declared length and on the bytes streamed.

The upload route may take KEHOACH_MAX_UPLOAD_MB (plus multipart framing); every other route
KEHOACH_MAX_BODY_KB. A declared Content-Length over the limit is answered 413 before a byte is
read; a chunked body (no length) is counted as it streams and stopped at the limit, so neither
memory nor the multipart parser's temporary file ever holds more than the limit.
"""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file


class BodyTooLarge(HTTPException):
    """Raised from receive() when the streamed body passes the limit: an HTTPException, so
    FastAPI's body parsing lets it through and the app answers 413."""

    def __init__(self, message: str):
        super().__init__(413, message)


class BodyLimit:
    def __init__(self, app: ASGIApp, upload_bytes: int, upload_mb: float, other_bytes: int):
        self.app = app
        self.upload_bytes, self.upload_mb, self.other_bytes = upload_bytes + MULTIPART_SLACK, upload_mb, other_bytes

    def _limit(self, scope: Scope) -> tuple[int, str]:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == "/api/plans":
            return self.upload_bytes, f"Tệp lớn hơn {self.upload_mb:g} MB (KEHOACH_MAX_UPLOAD_MB)"
        return self.other_bytes, f"Thân yêu cầu lớn hơn {self.other_bytes // 1024} KB (KEHOACH_MAX_BODY_KB)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, message = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False  # the server (h11) refuses a malformed length itself
            if too_big:
                await error_response(413, message, "too_large", headers={"Connection": "close"})(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(message)
            return msg

        await self.app(scope, counted, send)
