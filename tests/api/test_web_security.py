"""Issue 11 web security: headers, trusted proxies, crafted input, address_raw, audit access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.web.app import create_app
from geo.core.db import SingleConnectionDatabase
from geo.core.settings import AuthSettings, MapSettings, ServerSettings
from tests.review_helpers import form_token
from tests.world import BINH_SON, SON_TINH, add_establishment, one

ADDRESS = "Thôn Bí Mật 77, nhà ông Chủ"


def _client(conn: Any, peer: str = "203.0.113.9", proxies: str = "",
            base_url: str = "https://testserver", **auth: Any) -> TestClient:
    app = create_app(database=SingleConnectionDatabase(conn),
                     map_settings=MapSettings(tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"),
                     auth_settings=AuthSettings(**{"public_maps": True, **auth}),
                     server_settings=ServerSettings(trusted_proxies=proxies))
    return TestClient(app, base_url=base_url, client=(peer, 40000))


# ------------------------------------------------------------------ headers


@pytest.mark.parametrize("path", ["/login", "/", "/healthz", "/maps/coverage?level=district",
                                  "/api/units?level=district", "/no-such-page",
                                  "/static/kcmap/kcmap.css", "/api/openapi.json"])
def test_security_headers_on_every_response(conn: Any, path: str) -> None:
    r = _client(conn).get(path)
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    script_src = policy.split("script-src ")[1].split(";")[0]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "img-src 'self' data: blob: https://*.tile.example.org" in policy
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")


def test_own_pages_have_no_inline_script_and_maps_hash_theirs(conn: Any) -> None:
    c = _client(conn)
    login = c.get("/login")
    assert "'sha256-" not in login.headers["content-security-policy"]
    assert "<script>" not in login.text
    page = c.get("/maps/coverage?level=district")
    assert page.headers["content-security-policy"].count("'sha256-") >= 1


def test_hsts_only_over_https(conn: Any) -> None:
    assert "strict-transport-security" not in _client(
        conn, base_url="http://testserver").get("/login").headers
    # a forwarded https is believed from a trusted proxy only
    claim = {"X-Forwarded-Proto": "https"}
    untrusted = _client(conn, peer="10.1.2.3", base_url="http://testserver")
    assert "strict-transport-security" not in untrusted.get("/login", headers=claim).headers
    trusted = _client(conn, peer="10.1.2.3", proxies="10.0.0.0/8", base_url="http://testserver")
    assert "strict-transport-security" in trusted.get("/login", headers=claim).headers


# ------------------------------------------------------------------ trusted proxies


def _wrong_login(c: TestClient, username: str, forwarded: str) -> int:
    page = c.get("/login")
    r = c.post("/login", data={"username": username, "password": "sai-mat-khau-123",
                               "csrf_token": form_token(page.text)},
               headers={"X-Forwarded-For": forwarded}, follow_redirects=False)
    return r.status_code


def test_rotating_forwarded_for_does_not_reset_the_login_limit(conn: Any,
                                                              make_user: Any) -> None:
    user = make_user("viewer")
    c = _client(conn, peer="127.0.0.1")  # loopback peer, no proxy configured
    codes = [_wrong_login(c, user.username, f"198.51.100.{i}") for i in range(100)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    assert one(conn, "SELECT count(DISTINCT ip) FROM login_failure WHERE username = %s",
               (user.username,)) == 1


def test_served_like_kcmap_serve_rotating_forwarded_for_is_refused(
        conn: Any, make_user: Any) -> None:
    """Real uvicorn with `kcmap serve`'s proxy options (nothing trusted), client on loopback."""
    import threading
    import time

    import httpx
    import uvicorn

    from api.web.proxies import uvicorn_proxy_options
    from tests.conftest import free_port

    user = make_user("viewer")
    app = create_app(database=SingleConnectionDatabase(conn),
                     map_settings=MapSettings(tiles="none"), auth_settings=AuthSettings())
    proxy_headers, allowed = uvicorn_proxy_options(ServerSettings().trusted_proxies)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", proxy_headers=proxy_headers,
                                           forwarded_allow_ips=allowed))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            codes = [_wrong_login(c, user.username, f"198.51.100.{i}")  # type: ignore[arg-type]
                     for i in range(100)]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    assert _column(conn, "SELECT DISTINCT ip FROM login_failure WHERE username = %s",
                   user.username) == ["127.0.0.1"]


def test_a_trusted_proxy_forwards_the_client_address(conn: Any, make_user: Any) -> None:
    user = make_user("viewer")
    c = _client(conn, peer="10.0.0.2", proxies="10.0.0.0/8, 192.0.2.1")
    assert _wrong_login(c, user.username, "198.51.100.7") == 401
    # spoofed entries left of the proxy's own are not believed: the rightmost untrusted wins
    assert _wrong_login(c, user.username, "1.2.3.4, 198.51.100.8, 10.9.9.9") == 401
    ips = {str(r) for r in _column(conn, "SELECT ip FROM login_failure WHERE username = %s",
                                   user.username)}
    assert ips == {"198.51.100.7", "198.51.100.8"}


def _column(conn: Any, sql: str, *params: Any) -> list[Any]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return [r[0] for r in cur.fetchall()]


def test_serve_trusts_no_proxy_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli.main import app as cli_app

    seen: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: seen.update(kw))
    class _Database:
        def close(self) -> None:
            pass

    monkeypatch.setattr("api.cli.main.database_from_env", lambda *a, **k: _Database())
    monkeypatch.setattr("api.web.app.create_app", lambda **kw: object())
    monkeypatch.delenv("KCMAP_TRUSTED_PROXIES", raising=False)
    assert CliRunner().invoke(cli_app, ["serve"]).exit_code == 0
    assert seen["proxy_headers"] is False and seen["forwarded_allow_ips"] == ""
    monkeypatch.setenv("KCMAP_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert CliRunner().invoke(cli_app, ["serve"]).exit_code == 0
    assert seen["proxy_headers"] is True
    assert seen["forwarded_allow_ips"] == "127.0.0.1/32,10.0.0.0/8"
    monkeypatch.setenv("KCMAP_TRUSTED_PROXIES", "not-an-ip")
    bad = CliRunner().invoke(cli_app, ["serve"])
    assert bad.exit_code != 0 and "not-an-ip" in bad.output and "Traceback" not in bad.output


# ------------------------------------------------------------------ crafted input


@pytest.mark.parametrize("url, status", [
    ("/ogc/collections/establishments/items/%C2%B2", 400),
    ("/api/establishments/%D9%A3", 400),  # ARABIC-INDIC DIGIT THREE
    ("/api/establishments?q=a%00b", 400),
    ("/ogc/collections/establishments/items?trade=M%00c", 400),
    ("/maps/coverage?years=202%C2%B3", 400),
    ("/api/establishments/99999999999999999999", 422),
    ("/api/establishments/2147483648", 422),
    ("/api/establishments/0", 422),
    ("/api/establishments?offset=99999999999999999999", 422),
    ("/api/establishments?offset=2147483648", 422),
    ("/api/establishments?limit=99999999999999999999", 422),
    ("/api/establishments/1/history?limit=9223372036854775808", 422),
    ("/api/villages/9223372036854775808", 422),
    ("/ogc/collections/establishments/items?offset=99999999999999999999", 400),
    ("/ogc/collections/establishments/items?limit=99999999999999999999", 200),  # cut to max
    ("/ogc/collections/establishments/items/99999999999999999999", 404),
    ("/api/establishments?q=Bình Sơn", 200),  # Vietnamese text is fine
])
def test_crafted_ids_offsets_and_characters(conn: Any, bearer: Any, url: str,
                                            status: int) -> None:
    r = _client(conn).get(url, headers=bearer("admin"))
    assert r.status_code == status, r.text
    if status == 400 and not url.startswith("/maps/"):
        body = r.json()
        assert body.get("detail") or body.get("description")


def test_crafted_write_targets(conn: Any, bearer: Any) -> None:
    c, admin = _client(conn), bearer("admin")
    assert c.post("/api/audit/9223372036854775808/revert", headers=admin).status_code == 422
    assert c.patch("/api/establishments/%C2%B2", json={}, headers=admin).status_code == 400


# ------------------------------------------------------------------ address_raw


@pytest.fixture()
def addressed(conn: Any) -> int:
    eid = add_establishment(conn, "ADDR-1", BINH_SON)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET address_raw = %s WHERE id = %s", (ADDRESS, eid))
    return eid


def _texts(r: Any) -> str:
    """A response as text; workbooks and GeoPackages read cell by cell."""
    kind = r.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(r.content), read_only=True)
        return " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                        for v in row)
    if "geopackage" in kind:
        import tempfile

        import pyogrio

        with tempfile.NamedTemporaryFile(suffix=".gpkg") as f:
            f.write(r.content)
            f.flush()
            frame = pyogrio.read_dataframe(f.name)
        return " ".join([" ".join(map(str, frame.columns)),
                         *(str(v) for v in frame.drop(columns="geometry").to_numpy().ravel())])
    return str(r.text)


ESTABLISHMENT_URLS = [
    "/api/establishments", "/api/establishments?district=524", "/api/establishments/{id}",
    "/api/establishments/{id}/history", "/api/audit", "/api/establishments.geojson",
    "/ogc/collections/establishments/items", "/ogc/collections/establishments/items/{id}",
    "/maps/establishments.csv", "/maps/establishments.xlsx", "/maps/establishments.geojson",
    "/maps/establishments.gpkg", "/maps/establishments",
]


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_street_address_never_reaches_anonymous_or_viewers(conn: Any, addressed: int,
                                                           bearer: Any, who: str) -> None:
    c, admin = _client(conn), bearer("admin")
    # an edit puts the address into the audit trail's before/after as well
    r = c.patch(f"/api/establishments/{addressed}", headers={**admin, "If-Match": "1"},
                json={"address_raw": ADDRESS + " (mới)", "reason": "kiểm thử"})
    assert r.status_code == 200 and r.json()["address_raw"] == ADDRESS + " (mới)"
    headers = bearer("viewer") if who == "viewer" else {}
    answered = 0
    for url in ESTABLISHMENT_URLS:
        r = c.get(url.format(id=addressed), headers=headers)
        assert r.status_code in (200, 401, 403), (url, r.status_code)
        answered += r.status_code == 200
        text = _texts(r)
        assert "Bí Mật 77" not in text and "address_raw" not in text, url
    assert answered >= 9
    # those who may see personal fields still do
    planner = c.get(f"/api/establishments/{addressed}", headers=bearer("planner")).json()
    assert planner["address_raw"].startswith(ADDRESS)


# ------------------------------------------------------------------ audit trail access


def test_audit_trail_by_role_and_district(conn: Any, bearer: Any) -> None:
    c, admin = _client(conn), bearer("admin")
    here = add_establishment(conn, "AUD-BS", BINH_SON)
    there = add_establishment(conn, "AUD-ST", SON_TINH)
    for eid in (here, there):
        assert c.patch(f"/api/establishments/{eid}", headers={**admin, "If-Match": "1"},
                       json={"workers": 40, "reason": "r"}).status_code == 200
    for role in ("admin", "planner"):
        rows = c.get("/api/audit", headers=bearer(role)).json()
        assert {r["entity_id"] for r in rows} == {here, there}
    officer = bearer("district_officer", BINH_SON)
    assert [r["entity_id"] for r in c.get("/api/audit", headers=officer).json()] == [here]
    assert len(c.get(f"/api/audit?district={BINH_SON}", headers=officer).json()) == 1
    assert c.get(f"/api/audit?district={SON_TINH}", headers=officer).status_code == 403
    assert c.get(f"/api/establishments/{there}/history", headers=officer).json() == []
    assert len(c.get(f"/api/establishments/{here}/history", headers=officer).json()) == 1
    viewer = bearer("viewer")
    for url in ("/api/audit", f"/api/establishments/{here}/history"):
        assert c.get(url, headers=viewer).status_code == 403
        assert c.get(url).status_code == 401


# ------------------------------------------------------------------ methods and the document


def test_undeclared_methods_are_405_before_authentication(conn: Any) -> None:
    c = _client(conn, public_maps=False)
    r = c.request("TRACE", "/api/establishments")
    assert r.status_code == 405 and r.headers["allow"] == "GET"
    r = c.request("DELETE", "/api/establishments/1")
    assert r.status_code == 405 and r.headers["allow"] == "GET, PATCH"
    assert r.json()["error"] == "MethodNotAllowed" and "DELETE" in r.json()["detail"]
    assert c.request("TRACE", "/login").status_code == 405
    assert c.get("/api/establishments").status_code == 401  # declared methods still gated
    assert c.request("TRACE", "/no-such-path").status_code in (401, 404, 303)


def test_validation_errors_use_the_declared_error_body(conn: Any, bearer: Any) -> None:
    c = _client(conn)
    body = c.get("/api/establishments?limit=abc", headers=bearer("admin")).json()
    assert body["detail"][0]["loc"] == ["query", "limit"]  # FastAPI's list, declared as such
    body = c.get("/api/establishments/1", headers=bearer("admin")).json()
    assert body["error"] == "NotFound" and isinstance(body["detail"], str)
    doc = c.get("/api/openapi.json").json()
    patch = doc["paths"]["/api/establishments/{establishment_id}"]["patch"]["responses"]
    for status in ("401", "403", "404", "409", "422", "428"):
        schema = patch[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}
    ogc = doc["paths"]["/ogc/collections/{collection_id}/items/{fid}"]["get"]["responses"]
    assert ogc["404"]["content"]["application/json"]["schema"]["$ref"].endswith("OgcException")
    assert "text/csv" in doc["paths"]["/api/coverage.csv"]["get"]["responses"]["200"]["content"]


def test_a_named_path_beside_a_numbered_one_is_405_for_other_methods(conn: Any) -> None:
    c = _client(conn, public_maps=False)
    r = c.request("DELETE", "/api/establishments/abc")  # not /api/establishments/{id}
    assert r.status_code in (401, 404)  # no route owns this path: the usual gate
    r = c.request("PUT", "/api/establishments/12")
    assert r.status_code == 405 and r.headers["allow"] == "GET, PATCH"
    r = c.request("PATCH", "/api/needs/unmet")  # GET only; PATCH is /api/needs/{need_id}
    assert r.status_code == 405 and r.headers["allow"] == "GET"
