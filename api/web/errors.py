"""The one place where domain errors become HTTP statuses (no stack traces, SQL or paths).

Web pages get an HTML error page (Vietnamese, what to do next); the API, OGC, tiles,
health and file downloads get JSON. A request FastAPI refuses (RequestValidationError, 422)
keeps FastAPI's declared JSON shape there, `{"detail": [{"loc", "msg", "type"}]}`, with the
`msg` in Vietnamese (api/web/validation_words.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import psycopg2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.web.validation_words import LOCATION_WORDS, message_of
from geo.core.db_errors import classify
from geo.core.errors import (
    Conflict,
    DatabaseBusy,
    DatabaseDiskFull,
    DatabasePermission,
    DatabaseReadOnly,
    DatabaseRetry,
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
from maps.pages.error_page import error_page

log = logging.getLogger("kcmap")

# Subclasses before their base class: the first match wins.
STATUS: dict[type[KcmapError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    DatabaseDiskFull: 503,
    DatabaseReadOnly: 503,
    DatabaseBusy: 503,
    DatabaseUnavailable: 503,
    DatabasePermission: 500,
    DatabaseRetry: 409,
    Unauthorized: 401,
    Forbidden: 403,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedType: 415,
    PreconditionRequired: 428,
}
RETRY_AFTER = {503: "30", 409: "1"}
_MACHINE_PREFIXES = ("/api/", "/ogc", "/tiles", "/healthz", "/static/")


def wants_html(path: str) -> bool:
    """Whether a path is a web page (HTML errors) rather than an API or a file (JSON)."""
    if path.startswith(_MACHINE_PREFIXES) or path == "/api":
        return False
    last = path.rsplit("/", 1)[-1]
    return "." not in last or last.endswith(".html")


def status_of(exc: KcmapError) -> int:
    """The HTTP status of a domain error."""
    return next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)


def validation_items(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """FastAPI's validation errors with Vietnamese messages (loc and type kept)."""
    return [{"loc": list(e.get("loc", ())), "msg": message_of(e), "type": e.get("type", "")}
            for e in errors]


def _line(item: dict[str, Any]) -> str:
    """One validation error as a sentence naming the parameter: 'Năm (years): …'."""
    loc = [str(p) for p in item["loc"] if p not in ("query", "path", "body", "header")]
    name = loc[-1] if loc else ""
    label = LOCATION_WORDS.get(name, "")
    named = f"{label} ({name})" if label else name
    return f"{named}: {item['msg']}" if named else str(item["msg"])


def error_response(request: Request, status: int, error: str, detail: str) -> Response:
    """An error answer in the form the path calls for."""
    headers = {"Retry-After": RETRY_AFTER[status]} \
        if status in RETRY_AFTER and error.startswith("Database") else None
    if wants_html(request.url.path):
        rid = str(request.scope.get("state", {}).get("request_id", ""))
        return HTMLResponse(error_page(status, detail, rid), status_code=status,
                            headers=headers)
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Register handlers mapping KcmapError subclasses (and anything else) to responses."""

    @app.exception_handler(KcmapError)
    async def _domain(request: Request, exc: KcmapError) -> Response:
        return error_response(request, status_of(exc), type(exc).__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        items = validation_items(exc.errors())
        if not wants_html(request.url.path):  # the API keeps FastAPI's documented 422 body
            return JSONResponse({"detail": items}, status_code=422)
        detail = "; ".join(_line(i) for i in items) or "Yêu cầu không hợp lệ"
        return error_response(request, 422, "InvalidInput", detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Raised outside the routes (a middleware): still mapped, not a 500.
        known = exc if isinstance(exc, KcmapError) else \
            classify(exc) if isinstance(exc, psycopg2.Error) else None
        if known is not None:
            return await _domain(request, known)
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "InternalError", "Lỗi máy chủ")
