"""Accounts, CLI, login, sessions, API tokens, rate limit, cookies, CSRF and the access gate."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from geo.accounts import users as accounts
from geo.accounts.sessions import authenticate
from geo.core.db import SingleConnectionDatabase
from geo.core.errors import InvalidInput
from geo.core.settings import AuthSettings
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login
from tests.world import BINH_SON, add_establishment, one

LEAKS = ("Traceback", "SELECT", "psycopg2", "/work/", ".py\"", "File \"")


def _no_leak(text: str) -> None:
    for word in LEAKS:
        assert word not in text


@pytest.fixture()
def cli(conn: Any, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner whose commands use the test transaction."""
    monkeypatch.setattr("api.database.database_from_env",
                        lambda *a, **k: SingleConnectionDatabase(conn))
    return CliRunner()


# ---------------------------------------------------------------- accounts and the CLI


def test_no_user_exists_until_one_is_created(conn: Any) -> None:
    assert one(conn, "SELECT count(*) FROM app_user") == 0
    assert one(conn, "SELECT count(*) FROM api_token") == 0


def test_cli_add_reads_password_from_stdin_and_hashes_it(conn: Any, cli: CliRunner) -> None:
    r = cli.invoke(cli_app, ["users", "add", "Can.Bo-524", "--role", "district_officer",
                             "--district", BINH_SON], input="mot-mat-khau-dai\n")
    assert r.exit_code == 0, r.output
    assert "can.bo-524" in r.output
    stored = one(conn, "SELECT password_hash FROM app_user WHERE username = 'can.bo-524'")
    assert stored.startswith("$argon2id$") and "mot-mat-khau-dai" not in stored
    assert one(conn, "SELECT district_code FROM app_user WHERE username = 'can.bo-524'") \
        == BINH_SON
    s = AuthSettings()
    assert authenticate(conn, "can.bo-524", "mot-mat-khau-dai", "1.2.3.4", s).actor is not None
    assert authenticate(conn, "can.bo-524", "sai-mat-khau-roi", "1.2.3.4", s).actor is None


@pytest.mark.parametrize("args, stdin", [
    (["x-viewer", "--role", "viewer"], ""),                       # no password at all
    (["x-viewer", "--role", "viewer"], "short\n"),                # too short
    (["x-viewer", "--role", "viewer"], "a-long-password\nsecond line\n"),
    (["x-officer", "--role", "district_officer"], "mot-mat-khau-dai\n"),  # no district
    (["x-officer", "--role", "district_officer", "--district", "999"], "mot-mat-khau-dai\n"),
    (["x-planner", "--role", "planner", "--district", BINH_SON], "mot-mat-khau-dai\n"),
    (["x-boss", "--role", "superuser"], "mot-mat-khau-dai\n"),
    (["bad name!", "--role", "viewer"], "mot-mat-khau-dai\n"),
])
def test_cli_add_refuses_bad_input(conn: Any, cli: CliRunner, args: list[str],
                                   stdin: str) -> None:
    r = cli.invoke(cli_app, ["users", "add", *args], input=stdin)
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert one(conn, "SELECT count(*) FROM app_user") == 0


def test_cli_add_twice_is_refused(conn: Any, cli: CliRunner) -> None:
    args = ["users", "add", "plan", "--role", "planner"]
    assert cli.invoke(cli_app, args, input="mot-mat-khau-dai\n").exit_code == 0
    assert cli.invoke(cli_app, args, input="mot-mat-khau-khac\n").exit_code == 1


def test_cli_token_works_until_the_user_is_disabled(conn: Any, cli: CliRunner) -> None:
    assert cli.invoke(cli_app, ["users", "add", "script", "--role", "viewer"],
                      input="mot-mat-khau-dai\n").exit_code == 0
    r = cli.invoke(cli_app, ["users", "token", "script"])
    assert r.exit_code == 0
    token = r.output.strip()
    assert token.startswith("kcm_") and len(token) > 40
    assert one(conn, "SELECT count(*) FROM api_token WHERE token_hash = %s", (token,)) == 0
    c = auth_client(conn)
    headers = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/establishments", headers=headers).status_code == 200
    listing = cli.invoke(cli_app, ["users", "list"])
    assert "script\tviewer\t-\tđang hoạt động\ttoken=1" in listing.output
    assert cli.invoke(cli_app, ["users", "disable", "script"]).exit_code == 0
    assert c.get("/api/establishments", headers=headers).status_code == 401
    assert cli.invoke(cli_app, ["users", "token", "script"]).exit_code == 1
    assert cli.invoke(cli_app, ["users", "token", "nobody"]).exit_code == 1


def test_disabling_ends_page_sessions(conn: Any, make_user: Any) -> None:
    user = make_user("planner")
    c = auth_client(conn)
    assert login(c, user.username).status_code == 303
    assert c.get("/review").status_code == 200
    accounts.disable_user(conn, user.username)
    r = c.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_password_rules() -> None:
    from geo.accounts.passwords import hash_password

    for bad in ("", "short", "x" * 2000, "có\x00nul-dài-đủ"):
        with pytest.raises(InvalidInput):
            hash_password(bad)


# ---------------------------------------------------------------- the access gate


def test_no_credentials_is_401_on_the_api(conn: Any) -> None:
    eid = add_establishment(conn, "E-401", BINH_SON)
    c = auth_client(conn, public_maps=False)
    for method, url in [("GET", "/api/establishments"), ("GET", f"/api/establishments/{eid}"),
                        ("PATCH", f"/api/establishments/{eid}"),
                        ("GET", f"/api/establishments/{eid}/history"),
                        ("GET", "/api/review/progress"), ("POST", "/api/audit/1/revert")]:
        r = c.request(method, url, json={"name": "x"}, headers={"If-Match": "1"})
        assert r.status_code == 401, (method, url)
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["error"] == "Unauthorized"
        _no_leak(r.text)
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (eid,)) == "Cơ sở E-401"
    # with public maps, the record a map popup links to is readable, without personal fields
    opened = auth_client(conn, public_maps=True)
    r = opened.get(f"/api/establishments/{eid}")
    assert r.status_code == 200 and r.json()["version"] == 1 and r.json()["projects"] == []
    assert "phone" not in r.json() and "owner_name" not in r.json()
    for method, url in [("PATCH", f"/api/establishments/{eid}"), ("GET", "/api/establishments"),
                        ("GET", f"/api/establishments/{eid}/history"),
                        ("GET", "/api/review/progress")]:
        assert opened.request(method, url, json={"name": "x"},
                              headers={"If-Match": "1"}).status_code == 401, (method, url)


def test_bad_tokens_are_401(conn: Any) -> None:
    c = auth_client(conn)
    for value in ("Bearer kcm_not-a-real-token", "Bearer ", "Basic dXNlcjpwdw==", "kcm_x"):
        r = c.get("/api/establishments", headers={"Authorization": value})
        assert r.status_code == 401
        _no_leak(r.text)


def test_anonymous_pages_redirect_to_login(conn: Any) -> None:
    c = auth_client(conn)
    r = c.get("/review/524?filter=conflict", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Freview%2F524%3Ffilter%3Dconflict"


def test_public_maps_only_when_enabled(conn: Any, make_user: Any) -> None:
    closed = auth_client(conn, public_maps=False)
    assert closed.get("/maps/coverage", follow_redirects=False).status_code == 303
    assert closed.get("/api/units?level=district").status_code == 401
    for path in ("/", "/healthz", "/login", "/static/kcmap/kcpages.css"):
        assert closed.get(path).status_code == 200, path
    viewer = make_user("viewer")
    assert login(closed, viewer.username).status_code == 303
    assert closed.get("/api/units?level=district").status_code == 200
    assert closed.get("/maps/coverage?level=district").status_code == 200
    opened = auth_client(conn, public_maps=True)
    assert opened.get("/api/units?level=district").status_code == 200
    assert opened.get("/maps/coverage?level=district").status_code == 200
    assert opened.get("/api/establishments").status_code == 401
    assert opened.post("/maps/coverage").status_code == 405  # no such method, before the gate
    assert opened.patch("/api/establishments/1", json={}).status_code == 401


def test_public_maps_default_is_off() -> None:
    assert AuthSettings.model_fields["public_maps"].default is False


# ---------------------------------------------------------------- login, cookies, CSRF


def test_login_sets_a_secure_httponly_samesite_session(conn: Any, make_user: Any) -> None:
    officer = make_user("district_officer", BINH_SON)
    c = auth_client(conn)
    page = c.get("/login")
    assert page.status_code == 200 and 'lang="vi"' in page.text and "Đăng nhập" in page.text
    r = login(c, officer.username)
    assert r.status_code == 303 and r.headers["location"] == f"/review/{BINH_SON}"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("kcmap_session="))
    flags = {f.strip().lower() for f in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
    token = cookie.split(";")[0].split("=", 1)[1]
    assert one(conn, "SELECT count(*) FROM user_session WHERE token_hash = %s", (token,)) == 0
    assert c.get(f"/review/{BINH_SON}").status_code == 200


@pytest.mark.parametrize("base_url, setting, secure", [
    ("http://127.0.0.1", None, False),       # plain http on loopback (make run): no Secure
    ("http://localhost", None, False),
    ("http://testserver", None, True),        # any other host: Secure
    ("https://testserver", None, True),
    ("http://127.0.0.1", True, True),         # KCMAP_SECURE_COOKIES=1
    ("https://testserver", False, False),     # KCMAP_SECURE_COOKIES=0
])
def test_secure_flag_auto_and_configured(conn: Any, make_user: Any, base_url: str,
                                         setting: bool | None, secure: bool) -> None:
    user = make_user("viewer")
    c = auth_client(conn, base_url=base_url, secure_cookies=setting)
    r = login(c, user.username) if not secure or base_url.startswith("https") else None
    if r is None:  # a Secure login-form cookie is not sent back over http: read it directly
        page = c.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()
        return
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("kcmap_session="))
    assert ("secure" in cookie.lower()) == secure


def test_login_needs_the_form_token(conn: Any, make_user: Any) -> None:
    user = make_user("viewer")
    c = auth_client(conn)
    r = c.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
               follow_redirects=False)
    assert r.status_code == 403
    c.get("/login")
    r = c.post("/login", data={"username": user.username, "password": TEST_PASSWORD,
                               "csrf_token": "guessed"}, follow_redirects=False)
    assert r.status_code == 403
    assert "kcmap_session" not in r.headers.get("set-cookie", "")


def test_wrong_password_and_unknown_user_look_the_same(conn: Any, make_user: Any) -> None:
    user = make_user("viewer")
    c = auth_client(conn)
    a = login(c, user.username, "wrong-password-x")
    b = login(c, "no-such-user", "wrong-password-x")
    assert a.status_code == b.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in a.text and "Tên đăng nhập" in b.text


def test_login_rate_limit_per_user_and_address(conn: Any, make_user: Any) -> None:
    user = make_user("viewer")
    c = auth_client(conn, login_max_failures=3)
    for _ in range(3):
        assert login(c, user.username, "wrong-password-x").status_code == 401
    limited = login(c, user.username)  # even the right password is refused now
    assert limited.status_code == 429
    assert "quá nhiều lần" in limited.text
    settings = AuthSettings(login_max_failures=3)
    assert authenticate(conn, user.username, TEST_PASSWORD, "10.0.0.9",
                        settings).actor is not None  # another address is not blocked
    other = make_user("viewer")
    assert login(c, other.username).status_code == 303  # nor another user


def test_login_rate_limit_per_address(conn: Any, make_user: Any) -> None:
    settings = AuthSettings(login_max_failures_per_ip=4)
    for i in range(4):
        assert authenticate(conn, f"guess{i}", "wrong-password-x", "10.1.1.1",
                            settings).reason == "invalid"
    user = make_user("viewer")
    assert authenticate(conn, user.username, TEST_PASSWORD, "10.1.1.1",
                        settings).reason == "limited"
    assert authenticate(conn, user.username, TEST_PASSWORD, "10.1.1.2",
                        settings).actor is not None


def test_login_returns_only_to_local_paths(conn: Any, make_user: Any) -> None:
    user = make_user("planner")
    for target, expected in [("/review/527", "/review/527"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")]:
        c = auth_client(conn)
        page = c.get("/login", params={"next": target})
        r = c.post("/login", data={"username": user.username, "password": TEST_PASSWORD,
                                   "csrf_token": form_token(page.text), "next": target},
                   follow_redirects=False)
        assert r.headers["location"] == expected


def test_form_post_without_csrf_token_is_403(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "E-CSRF", BINH_SON)
    officer = make_user("district_officer", BINH_SON)
    c = auth_client(conn)
    login(c, officer.username)
    url = f"/review/{BINH_SON}/establishments/{eid}"
    data = {"version": "1", "action": "confirm"}
    r = c.post(url, data=data, follow_redirects=False)
    assert r.status_code == 403
    assert "CSRF" in r.text
    _no_leak(r.text)
    r = c.post(url, data={**data, "csrf_token": "not-the-token"}, follow_redirects=False)
    assert r.status_code == 403
    r = c.patch(f"/api/establishments/{eid}", json={"confirm": True}, headers={"If-Match": "1"})
    assert r.status_code == 403  # a cookie session needs the token on the API too
    assert one(conn, "SELECT reviewed_at FROM establishment WHERE id = %s", (eid,)) is None
    token = form_token(c.get(url).text)
    r = c.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert one(conn, "SELECT reviewed_at FROM establishment WHERE id = %s", (eid,)) is not None
    r = c.post("/logout", follow_redirects=False)
    assert r.status_code == 403  # logout is a form too
    r = c.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get(url, follow_redirects=False).status_code == 303  # session gone


def test_request_bodies_are_size_limited(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "E-BIG", BINH_SON)
    c = auth_client(conn, upload_max_bytes=2048)
    headers = {**bearer("district_officer", BINH_SON), "If-Match": "1"}
    r = c.patch(f"/api/establishments/{eid}", json={"name": "x" * 5000}, headers=headers)
    assert r.status_code == 413
    _no_leak(r.text)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"x" * 1000

    r = c.patch(f"/api/establishments/{eid}", content=chunks(),
                headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_error_bodies_are_generic(conn: Any, bearer: Any) -> None:
    c = auth_client(conn)
    headers = bearer("admin")
    for r in (c.get("/api/establishments/999999999", headers=headers),
              c.get("/api/establishments?filter=nonsense", headers=headers),
              c.patch("/api/establishments/1", content=b"{not json",
                      headers={**headers, "If-Match": "1",
                               "Content-Type": "application/json"}),
              c.get("/api/establishments?limit=0", headers=headers)):
        assert r.status_code in (404, 422)
        _no_leak(r.text)


# ---------------------------------------------------------------- uploads


def test_upload_check_by_size_and_content(tmp_path: Any) -> None:
    import io
    import zipfile

    from openpyxl import Workbook

    from geo.core.errors import PayloadTooLarge, UnsupportedType
    from geo.intake.upload_check import check_upload

    book = io.BytesIO()
    Workbook().save(book)
    xlsx = book.getvalue()
    assert check_upload("co-so.xlsx", xlsx, 10**7) == "xlsx"
    assert check_upload("co-so.csv", "tên,xã\nA,B\n".encode(), 10**7) == "csv"
    assert check_upload("ranh-gioi.geojson", b' {"type": "FeatureCollection"}', 10**7) \
        == "geojson"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("a.txt", "x")
    for name, data in [("co-so.xlsx", plain_zip.getvalue()), ("co-so.xlsx", b"MZ\x90\x00"),
                       ("co-so.csv", b"a,b\x00c"), ("co-so.csv", b"\xff\xfe\xfa"),
                       ("x.exe", b"MZ"), ("x.gpkg", b"not sqlite"), ("noext", b"a,b"),
                       ("x.xlsx", b"")]:
        with pytest.raises(UnsupportedType):
            check_upload(name, data, 10**7)
    with pytest.raises(PayloadTooLarge):
        check_upload("co-so.xlsx", xlsx, 100)


def test_logged_in_pages_are_not_cached_or_framed(conn: Any, make_user: Any) -> None:
    c = auth_client(conn, public_maps=True)
    anonymous = c.get("/maps/coverage?level=district")
    assert anonymous.headers["x-content-type-options"] == "nosniff"
    assert anonymous.headers["x-frame-options"] == "DENY"  # issue 11: no page is framed
    login(c, make_user("planner").username)
    r = c.get(f"/review/{BINH_SON}")
    assert r.headers["cache-control"] == "private, no-store"
    assert r.headers["x-frame-options"] == "DENY"
