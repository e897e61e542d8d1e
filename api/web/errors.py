"""The one place where domain errors become HTTP statuses (no stack traces, SQL or paths).

Web pages get an HTML error page (Vietnamese, what to do next); the API, OGC, tiles,
health and file downloads get JSON. An anonymous GET refused for want of a login
(Unauthorized) outside the API is a 303 to the login page that comes back afterwards, by the
same rule as the access gate (api/web/auth.py: goes_to_login, login_redirect). A request
FastAPI refuses (RequestValidationError, 422) keeps FastAPI's declared JSON shape there,
`{"detail": [{"loc", "msg", "type"}]}`, with the `msg` in Vietnamese
(api/web/validation_words.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

import psycopg2
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web.auth import actor_of, goes_to_login, login_redirect
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
from maps.pages.auth import message_page
from maps.pages.error_page import error_page

log = logging.getLogger("kcmap")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

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


def request_id(request: Request) -> str:
    """The id the request log gave this request (shown on error pages)."""
    return str(request.scope.get("state", {}).get("request_id", ""))


def error_response(request: Request, status: int, error: str, detail: str) -> Response:
    """An error answer in the form the path calls for."""
    headers = {"Retry-After": RETRY_AFTER[status]} \
        if status in RETRY_AFTER and error.startswith("Database") else None
    if wants_html(request.url.path):
        return HTMLResponse(error_page(status, detail, request_id(request)),
                            status_code=status, headers=headers)
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


# What the router's own refusals (no such route, method not allowed) say on a page.
ROUTER_DETAILS = {404: "Không có trang nào ở địa chỉ này.",
                  405: "Trang này không nhận kiểu yêu cầu này."}


def accepts_html(request: Request) -> bool:
    """Whether the client (a browser) asks for HTML."""
    return "text/html" in request.headers.get("accept", "").lower()


def to_login(request: Request, exc: KcmapError) -> Response | None:
    """The 303 to the login page (back here afterwards) when an anonymous caller is refused
    for want of a login on a page (auth.goes_to_login: the gate's own rule); else None."""
    if isinstance(exc, Unauthorized) and actor_of(request) is None \
            and goes_to_login(request.scope):
        return login_redirect(request.scope)
    return None


def page_refusal(request: Request, exc: KcmapError, back: str) -> Response:
    """A page route's answer to a domain error it caught: the login redirect for an
    anonymous caller, else a short Vietnamese page with a link back, with the error's status."""
    return to_login(request, exc) or HTMLResponse(
        message_page(str(exc), "Không thực hiện được", back), status_code=status_of(exc))


async def domain_error(request: Request, exc: KcmapError) -> Response:
    """The answer to a domain error (an anonymous caller of a page goes to the login)."""
    return to_login(request, exc) or \
        error_response(request, status_of(exc), type(exc).__name__, str(exc))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """The answer to an exception no route handled: a domain or database error raised
    outside the routes (a middleware) is still mapped; anything else is a logged 500."""
    known = exc if isinstance(exc, KcmapError) else \
        classify(exc) if isinstance(exc, psycopg2.Error) else None
    if known is not None:
        return await domain_error(request, known)
    log.exception("unhandled error on %s", request.url.path)
    return error_response(request, 500, "InternalError", "Lỗi máy chủ")


class UnexpectedErrorMiddleware:
    """Turns an exception that escaped the routes and the gate into the error answer here,
    inside the request log and the security headers, so that even a 500 carries
    X-Request-ID, the Content-Security-Policy and the other headers (Starlette's own
    last-resort handler answers outside every middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Run the app; an exception before the answer started becomes the error answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise
            response = await unexpected_error(Request(scope, receive), exc)
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """Register handlers mapping KcmapError subclasses (and anything else) to responses."""
    app.add_exception_handler(KcmapError, domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_error)

    @app.exception_handler(StarletteHTTPException)
    async def _router(request: Request, exc: StarletteHTTPException) -> Response:
        # An unknown page asked for by a browser gets the HTML page; API clients keep
        # FastAPI's JSON ({"detail": "Not Found"}).
        if exc.status_code in ROUTER_DETAILS and wants_html(request.url.path) \
                and accepts_html(request):
            return HTMLResponse(error_page(exc.status_code, ROUTER_DETAILS[exc.status_code],
                                           request_id(request)),
                                status_code=exc.status_code, headers=exc.headers)
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        items = validation_items(exc.errors())
        if not wants_html(request.url.path):  # the API keeps FastAPI's documented 422 body
            return JSONResponse({"detail": items}, status_code=422)
        detail = "; ".join(_line(i) for i in items) or "Yêu cầu không hợp lệ"
        return error_response(request, 422, "InvalidInput", detail)
