"""Security headers on every response: CSP, no framing, nosniff, Referrer-Policy, HSTS.

The Content-Security-Policy allows scripts from this origin only. kcmap's own pages carry no
inline script (data goes in `<script type="application/json">`, which is never executed).
Folium map pages end in one generated inline script: `map_page_response` renders them and
allows exactly those scripts by their SHA-256 hashes in that response's policy (no
'unsafe-inline', so an injected event handler or script still does not run).
Strict-Transport-Security is sent only when the request came over https (directly, or via a
trusted proxy's X-Forwarded-Proto, see api/web/proxies.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlparse

from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
App = Callable[..., Awaitable[None]]
CSP = "Content-Security-Policy"
HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def tile_source(tiles: str) -> str | None:
    """The CSP source of a basemap URL template ('https://*.tile.example' for {s} hosts)."""
    parts = urlparse(tiles)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = re.sub(r"\{[a-z]\}", "*", parts.netloc)
    return f"{parts.scheme}://{host}"


def policy(tiles: str = "none", script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy: own scripts (plus the given hashes), basemap tiles."""
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)])
    images = " ".join(filter(None, ["'self'", "data:", "blob:", tile_source(tiles)]))
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            # Folium and Leaflet put style attributes and <style> blocks into map pages.
            "style-src 'self' 'unsafe-inline'; "
            f"img-src {images}; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def inline_script_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of every executable inline script of a page (not JSON data blocks)."""
    out: list[str] = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs").lower()
        if re.search(r"\bsrc\s*=", attrs) or "application/json" in attrs:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        out.append(base64.b64encode(digest).decode("ascii"))
    return list(dict.fromkeys(out))


def page_policy(html: str, tiles: str) -> str:
    """The policy of a rendered Folium page: its generated inline scripts allowed by hash."""
    return policy(tiles, inline_script_hashes(html))


_BY_TAG: dict[tuple[str, str], str] = {}


def cached_page_policy(tag: str, html: str, tiles: str) -> str:
    """page_policy of a cached page, computed once per payload tag."""
    key = (tag, tiles)
    found = _BY_TAG.get(key)
    if found is None:
        found = page_policy(html, tiles)
        if len(_BY_TAG) >= 256:
            _BY_TAG.clear()
        _BY_TAG[key] = found
    return found


def map_page_response(html: str, tiles: str) -> HTMLResponse:
    """A rendered Folium page whose generated inline scripts the policy allows by hash."""
    return HTMLResponse(html, headers={CSP: page_policy(html, tiles)})


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response (a route's own CSP is kept)."""

    def __init__(self, app: App, tiles: str) -> None:
        self.app = app
        self.default_policy = policy(tiles)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Run the app with a send that adds the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault(CSP, self.default_policy)
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, wrapped)
