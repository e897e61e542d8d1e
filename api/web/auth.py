"""Who is asking, and may they: credentials, the access gate, CSRF and body-size checks.

One ASGI middleware runs before every route:
- identifies the caller from `Authorization: Bearer <token>` or the session cookie;
- lets anyone reach the always-public paths, anonymous visitors the public maps only when
  KCMAP_PUBLIC_MAPS is on, and sends everyone else to the login page (pages) or 401 (API);
- refuses request bodies over KCMAP_UPLOAD_MAX_BYTES (413);
- for unsafe methods authenticated by the session cookie, requires the session's CSRF token
  (form field `csrf_token` or header `X-CSRF-Token`), else 403. Bearer requests need none.
Routes read the caller with `actor_of(request)` and authorise writes in geo/.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from geo.accounts.authz import Actor
from geo.accounts.passwords import same
from geo.accounts.sessions import Session, session_for, token_actor
from geo.core.db import TransactionSource
from geo.core.errors import DatabaseUnavailable, InvalidInput
from geo.core.settings import AuthSettings
from maps.pages.error_page import error_page

Scope = MutableMapping[str, Any]
OUTAGE = ("Không kết nối được cơ sở dữ liệu nên chưa kiểm tra được phiên đăng nhập của bạn. "
          "Dữ liệu đã lưu không bị ảnh hưởng; trang sẽ hoạt động lại khi cơ sở dữ liệu "
          "trở lại.")
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SESSION_COOKIE = "kcmap_session"
LOGIN_CSRF_COOKIE = "kcmap_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ALWAYS_PUBLIC = ("/", "/api", "/healthz", "/login", "/favicon.ico")  # /api: a list of links
ALWAYS_PUBLIC_PREFIXES = ("/static/",)
# Public maps and the read-only data they are drawn from (personal fields are removed in
# geo/ for anonymous callers): pages under /maps/, their GeoJSON/CSV/XLSX, record JSON, and
# the gazetteer look-ups (/api/units, /api/geocode), the vector tiles (/tiles/) and the record
# pages (/records/…).
PUBLIC_MAP_PATHS = re.compile(
    r"^/maps/|^/api/(?:units|geocode|coverage|gaps|projects|villages|products|collaborators|progress)"
    r"(?:[./?]|$)"
    r"|^/api/establishments(?:\.geojson|/\d+)$|^/api/openapi\.json$"
    r"|^/ogc(?:/|$)|^/reports/|^/tiles/"
    r"|^/records/(?:establishments|villages|projects)/\d+$")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def actor_of(request: Request) -> Actor | None:
    """The authenticated caller of a request, or None."""
    actor: Actor | None = request.scope.get("state", {}).get("kcmap_actor")
    return actor


def session_of(request: Request) -> Session | None:
    """The page session of a request (None for API tokens and anonymous callers)."""
    session: Session | None = request.scope.get("state", {}).get("kcmap_session")
    return session


def csrf_token(request: Request) -> str:
    """The CSRF token to put into forms of this request's session ('' without one)."""
    session = session_of(request)
    return session.csrf_token if session else ""


def secure_cookies(request: Request, settings: AuthSettings) -> bool:
    """Whether cookies get the Secure flag: as configured, else all but plain http loopback."""
    if settings.secure_cookies is not None:
        return settings.secure_cookies
    host = request.url.hostname or ""
    local = host in LOOPBACK or host.endswith(".localhost")
    return not (request.url.scheme == "http" and local)


def is_public(path: str, public_maps: bool) -> bool:
    """Whether an anonymous visitor may read this path."""
    if path in ALWAYS_PUBLIC or path.startswith(ALWAYS_PUBLIC_PREFIXES):
        return True
    return public_maps and PUBLIC_MAP_PATHS.search(path) is not None


def _is_api(path: str) -> bool:
    return path.startswith(("/api/", "/ogc", "/tiles/"))


def _deny(scope: Scope, status: int, detail: str) -> Response:
    """A generic 401/403/413/503 answer: JSON for the API, the Vietnamese error page
    (what happened, what to do next, the request id) otherwise."""
    headers = {"Retry-After": "30"} if status == 503 else None
    if _is_api(scope["path"]):
        if status == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        error = {401: "Unauthorized", 403: "Forbidden", 413: "PayloadTooLarge",
                 503: "DatabaseUnavailable"}.get(status, "Error")
        return JSONResponse({"error": error, "detail": detail}, status_code=status,
                            headers=headers)
    rid = str(scope.get("state", {}).get("request_id", ""))
    return HTMLResponse(error_page(status, detail, rid), status_code=status, headers=headers)


def safe_next(target: str | None) -> str:
    """A local path to return to after login ('' for anything else: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or any(ord(c) < 32 for c in target) or len(target) > 500:
        return ""
    return target


def goes_to_login(scope: Scope) -> bool:
    """Whether an anonymous caller refused here is sent to the login page (303) rather than
    answered 401: a GET or HEAD of a page or file, not of the API (JSON 401). The gate and
    the error map (api/web/errors.py) both decide with this."""
    return scope["method"].upper() in SAFE_METHODS and not _is_api(scope["path"])


def login_redirect(scope: Scope) -> Response:
    """303 to the login page, coming back to this path (and query) afterwards; a path that
    is not a safe local target (safe_next) is not carried."""
    query = scope.get("query_string") or b""
    target = safe_next(scope["path"] + ("?" + query.decode("latin-1") if query else ""))
    return RedirectResponse("/login?next=" + quote(target, safe="") if target else "/login",
                            status_code=303)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is over the limit."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _form_token(scope: Scope, body: bytes) -> str | None:
    """The csrf_token field of a urlencoded or multipart body, if any."""
    ctype = Request(scope).headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        try:
            values = parse_qs(body.decode("utf-8", "replace"), max_num_fields=1000)
        except ValueError:
            return None
        found = values.get(CSRF_FIELD)
        return found[0] if found else None
    if ctype == "multipart/form-data":
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(scope, replay).form()
        except Exception:  # python-multipart missing or a malformed body: no token
            return None
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def _with_headers(send: Send, private: bool) -> Send:
    """A send adding nosniff, and for logged-in callers no caching and no framing."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.setdefault("X-Content-Type-Options", "nosniff")
            if private:
                headers.setdefault("Cache-Control", "private, no-store")
                headers.setdefault("X-Frame-Options", "DENY")
        await send(message)

    return wrapped


class AuthMiddleware:
    """Identify the caller, gate anonymous access, enforce CSRF and the body-size limit."""

    def __init__(self, app: Callable[..., Awaitable[None]], database: TransactionSource,
                 settings: AuthSettings) -> None:
        self.app = app
        self.database = database
        self.settings = settings

    def _lookup(self, token: str | None, cookie: str | None
                ) -> tuple[Actor | None, Session | None]:
        """The actor of a bearer token or a session cookie (database look-up)."""
        with self.database.transaction() as conn:
            if token is not None:
                return token_actor(conn, token), None
            session = session_for(conn, cookie) if cookie else None
            return (session.actor if session else None), session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the checks, then the app (with the buffered body replayed)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path, method = scope["path"], scope["method"].upper()
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.settings.upload_max_bytes:
            await _deny(scope, 413, self._too_large())(scope, receive, send)
            return
        auth = request.headers.get("authorization")
        token = None
        if auth is not None:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                await _deny(scope, 401, "Cần mã truy cập (Bearer)")(scope, receive, send)
                return
            token = value.strip()
        cookie = request.cookies.get(SESSION_COOKIE) if token is None else None
        try:
            actor, session = (await run_in_threadpool(self._lookup, token, cookie)
                              if token or cookie else (None, None))
        except DatabaseUnavailable:
            await _deny(scope, 503, OUTAGE)(scope, receive, send)
            return
        if token is not None and actor is None:
            await _deny(scope, 401, "Mã truy cập không hợp lệ")(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["kcmap_actor"], state["kcmap_session"] = actor, session
        safe = method in SAFE_METHODS
        if actor is None and not (is_public(path, self.settings.public_maps)
                                  and (safe or path == "/login")):
            deny = login_redirect(scope) if goes_to_login(scope) else \
                _deny(scope, 401, "Cần đăng nhập")
            await deny(scope, receive, send)
            return
        send = _with_headers(send, actor is not None)
        if safe:
            await self.app(scope, receive, send)
            return
        await self._unsafe(scope, receive, send, session)

    def _too_large(self) -> str:
        """The 413 message, with the limit (the body is refused before its file is known)."""
        mb = self.settings.upload_max_bytes / (1024 * 1024)
        return f"Dữ liệu gửi lên quá lớn: tối đa {mb:g} MB cho một tệp hoặc một yêu cầu"

    async def _unsafe(self, scope: Scope, receive: Receive, send: Send,
                      session: Session | None) -> None:
        """Buffer the body (size limit), check CSRF for cookie sessions, run the app."""
        body = await _read_body(receive, self.settings.upload_max_bytes)
        if body is None:
            await _deny(scope, 413, self._too_large())(scope, receive, send)
            return
        if session is not None:
            sent = Request(scope).headers.get(CSRF_HEADER) or await _form_token(scope, body)
            if not sent or not same(sent, session.csrf_token):
                await _deny(scope, 403, "Thiếu hoặc sai mã chống giả mạo (CSRF); tải lại trang")(
                    scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def login_csrf_ok(request: Request, submitted: str | None) -> bool:
    """Whether the login form's token matches its cookie (double submit, before a session)."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    return bool(cookie and submitted and same(cookie, submitted))


async def read_form(request: Request, max_fields: int = 100) -> dict[str, str]:
    """The fields of a urlencoded form body (first value of each)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        return {}
    try:
        values = parse_qs((await request.body()).decode("utf-8", "replace"),
                          keep_blank_values=True, max_num_fields=max_fields)
    except ValueError as exc:
        raise InvalidInput("Biểu mẫu có quá nhiều trường") from exc
    return {k: v[0] for k, v in values.items()}
