"""Refuse crafted request targets before any route sees them (400, never a 500).

A path or query string holding a NUL character (raw or %00) or a non-ASCII digit such as
'²' or '٣' (which Python's str.isdigit() accepts but int() or PostgreSQL may not) is
answered 400 with a Vietnamese message: JSON for the API, a short page otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote

from starlette.responses import HTMLResponse, JSONResponse, Response

from maps.pages.auth import message_page

Scope = MutableMapping[str, Any]
App = Callable[..., Awaitable[None]]
MAX_INT = 2**31 - 1  # the largest id, offset or limit any route accepts
DETAIL = "Địa chỉ yêu cầu chứa ký tự không hợp lệ (ký tự NUL hoặc chữ số không phải ASCII)"


def bad_text(text: str) -> bool:
    """Whether a decoded path or query holds a NUL or a non-ASCII digit."""
    return any(c == "\x00" or (not c.isascii() and c.isdigit()) for c in text)


def _refusal(path: str) -> Response:
    if path.startswith(("/api/", "/ogc")):
        return JSONResponse({"error": "InvalidInput", "detail": DETAIL}, status_code=400)
    return HTMLResponse(message_page(DETAIL), status_code=400)


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
        await self.app(scope, receive, send)
