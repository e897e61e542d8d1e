"""Refuse crafted requests before the access gate or any route sees them (never a 500).

- A path or query string holding a NUL character (raw or %00) or a non-ASCII digit such as
  '²' or '٣' (which Python's str.isdigit() accepts but int() or PostgreSQL may not) is
  answered 400 with a Vietnamese message: JSON for the API (an OGC exception under /ogc),
  a short page otherwise.
- A method no route has for an existing path (TRACE, DELETE…) is answered 405 with an Allow
  header listing every method of that path, before authentication (not 401).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match

from maps.pages.auth import message_page

Scope = MutableMapping[str, Any]
App = Callable[..., Awaitable[None]]
MAX_INT = 2**31 - 1  # the largest id, offset or limit any route accepts
DETAIL = "Địa chỉ yêu cầu chứa ký tự không hợp lệ (ký tự NUL hoặc chữ số không phải ASCII)"


def bad_text(text: str) -> bool:
    """Whether a decoded path or query holds a NUL or a non-ASCII digit."""
    return any(c == "\x00" or (not c.isascii() and c.isdigit()) for c in text)


def _refusal(path: str) -> Response:
    if path.startswith("/ogc"):
        return JSONResponse({"code": "InvalidParameterValue", "description": DETAIL},
                            status_code=400)
    if path.startswith("/api/"):
        return JSONResponse({"error": "InvalidInput", "detail": DETAIL}, status_code=400)
    return HTMLResponse(message_page(DETAIL), status_code=400)


def _numbers_fit(route: Any, values: dict[str, str]) -> bool:
    """Whether the segments taken by a route's whole-number path parameters are numbers
    (/api/needs/unmet is not /api/needs/{need_id}: another method there is 405, not 422)."""
    for param in getattr(getattr(route, "dependant", None), "path_params", ()):
        annotation = getattr(getattr(param, "field_info", None), "annotation", None)
        value = values.get(getattr(param, "name", ""))
        if annotation is int and value is not None and not (value.isascii()
                                                             and value.isdigit()):
            return False
    return True


def _route_methods(routes: Any, path: str, scope: Scope) -> set[str] | None:
    """Methods of the routes whose path matches (None: a mount or static files take it)."""
    methods: set[str] = set()
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        if included is not None:
            prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            if path.startswith(prefix):
                inner = _route_methods(included.routes, path[len(prefix):] or "/", scope)
                if inner is None:
                    return None
                methods |= inner
        elif hasattr(route, "path_regex") and getattr(route, "methods", None):
            found = route.path_regex.match(path)
            if found and _numbers_fit(route, found.groupdict()):
                methods |= set(route.methods)
        elif route.matches(scope)[0] != Match.NONE:
            return None
    return methods


def allowed_methods(scope: Scope) -> set[str] | None:
    """The methods of the path when the request's method is not among them (else None;
    None too when no route has this path: the router answers 404)."""
    router = getattr(scope.get("app"), "router", None)
    methods = _route_methods(getattr(router, "routes", ()), scope.get("path", ""), scope)
    if not methods or scope["method"] in methods \
            or (scope["method"] == "HEAD" and "GET" in methods):
        return None
    return methods


def _not_allowed(path: str, method: str, methods: set[str]) -> Response:
    detail = f"Phương thức {method} không dùng được cho địa chỉ này"
    headers = {"Allow": ", ".join(sorted(methods))}
    if path.startswith(("/api/", "/ogc")):
        return JSONResponse({"error": "MethodNotAllowed", "detail": detail}, status_code=405,
                            headers=headers)
    return HTMLResponse(message_page(detail), status_code=405, headers=headers)


class RequestGuardMiddleware:
    """Answer 400 to a request whose path or query string is refused by bad_text."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Check the target, then run the app."""
        if scope["type"] == "http":
            path = scope.get("path", "")
            query = unquote(scope.get("query_string", b"").decode("latin-1"),
                            encoding="utf-8", errors="replace")
            if bad_text(path) or bad_text(query):
                await _refusal(path)(scope, receive, send)
                return
            methods = allowed_methods(scope)
            if methods is not None:
                await _not_allowed(path, scope["method"], methods)(scope, receive, send)
                return
        await self.app(scope, receive, send)
