"""Login and logout pages (session cookie: HttpOnly, SameSite=Lax, Secure as configured)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    actor_of,
    login_csrf_ok,
    read_form,
    safe_next,
    secure_cookies,
    session_of,
)
from geo.accounts.authz import Actor
from geo.accounts.passwords import new_token
from geo.accounts.sessions import authenticate, end_session, start_session
from geo.core.settings import AuthSettings
from maps.pages.auth import login_page

router = APIRouter()


def _settings(request: Request) -> AuthSettings:
    settings: AuthSettings = request.app.state.auth_settings
    return settings


def home_of(actor: Actor) -> str:
    """Where a user lands after login: their district's review page, or the index."""
    return f"/review/{actor.district_code}" if actor.role == "district_officer" else "/"


def _login_form(request: Request, status: int = 200, error: str = "", username: str = "",
                next_path: str = "") -> Response:
    """The login page with a fresh double-submit CSRF cookie."""
    csrf = new_token()
    response = HTMLResponse(login_page(csrf, next_path, error, username), status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, max_age=3600, path="/login", httponly=True,
                        samesite="strict", secure=secure_cookies(request, _settings(request)))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_get(request: Request, next: str = "") -> Response:
    """The login form."""
    actor = actor_of(request)
    if actor is not None:
        return RedirectResponse(safe_next(next) or home_of(actor), status_code=303)
    return _login_form(request, next_path=safe_next(next))


@router.post("/login", include_in_schema=False)
async def login_post(request: Request) -> Response:
    """Check the password (rate-limited), start a session, go back where the user was."""
    form = await read_form(request)
    username, next_path = form.get("username", "")[:200], safe_next(form.get("next"))
    if not login_csrf_ok(request, form.get("csrf_token")):
        return _login_form(request, 403, "Phiên đăng nhập đã hết hạn, hãy thử lại.", username,
                           next_path)
    settings = _settings(request)
    ip = request.client.host if request.client else "unknown"
    with request.app.state.database.transaction() as conn:
        result = authenticate(conn, username, form.get("password", ""), ip, settings)
        session = start_session(conn, result.actor, settings) if result.actor else None
    if session is None:
        if result.reason == "limited":
            return _login_form(request, 429, "Đăng nhập sai quá nhiều lần. Hãy thử lại sau "
                               f"{settings.login_window_minutes} phút.", username, next_path)
        return _login_form(request, 401, "Tên đăng nhập hoặc mật khẩu không đúng.", username,
                           next_path)
    response = RedirectResponse(next_path or home_of(session.actor), status_code=303)
    response.set_cookie(SESSION_COOKIE, session.token, max_age=settings.session_hours * 3600,
                        path="/", httponly=True, samesite="lax",
                        secure=secure_cookies(request, settings))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """End the session (the CSRF token was checked by the middleware)."""
    session = session_of(request)
    if session is not None:
        with request.app.state.database.transaction() as conn:
            end_session(conn, session.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=secure_cookies(request, _settings(request)))
    return response
