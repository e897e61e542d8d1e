"""The one place where domain errors become HTTP statuses (no stack traces, SQL or paths)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from geo.core.errors import (
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    InvalidInput,
    KcmapError,
    NotFound,
    PayloadTooLarge,
    PreconditionRequired,
    Unauthorized,
    UnsupportedType,
)

log = logging.getLogger("kcmap")

STATUS: dict[type[KcmapError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    DatabaseUnavailable: 503,
    Unauthorized: 401,
    Forbidden: 403,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedType: 415,
    PreconditionRequired: 428,
}


def install(app: FastAPI) -> None:
    """Register handlers mapping KcmapError subclasses (and anything else) to responses."""

    @app.exception_handler(KcmapError)
    async def _domain(request: Request, exc: KcmapError) -> JSONResponse:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse({"error": "InternalError", "detail": "Lỗi máy chủ"}, status_code=500)
