"""Signed-in pages asked for anonymously: a 303 to the login page whose `next` brings the
visitor back (whether the access gate or the page's own check refuses), never a 401 page;
the API keeps its 401 JSON; `next` is a local path only (no open redirect)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi.routing import APIRoute

from api.web.auth import login_redirect, safe_next
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login

# Every page that needs a login, with a query where the page takes one. /maps/cycle and the
# needs indicator on /maps/coverage sit under the public maps: there the page refuses, not
# the gate.
SIGNED_IN_PAGES = (
    "/maps/cycle", "/maps/cycle?level=district&indicator=recognised_products",
    "/maps/coverage?indicator=unmet_requested_vnd", "/needs", "/needs?district=524&year=2026",
    "/plans/2026", "/products", "/products/1", "/collaborators?district=524",
    "/collaborators/1", "/progress?period=2021-2025", "/projects/1", "/imports", "/review",
    "/review/524?filter=conflict", "/review/524/history", "/review/524/establishments/1",
)
EVIL = ("https://evil.example", "//evil.example", "//evil.example/maps/cycle",
        "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "https:evil.example",
        "javascript:alert(1)", "evil.example")


def _page_routes() -> list[Any]:
    """The routes of every module of api/web/routes (each is included without a prefix)."""
    import api.web.routes as package

    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for info in pkgutil.iter_modules(package.__path__)]
    return [route for module in modules for route in module.router.routes]


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/login" and not parts.netloc, location
    return parse_qs(parts.query)["next"][0]


@pytest.mark.parametrize("public_maps", [True, False], ids=["public-maps", "closed"])
@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_anonymous_page_goes_to_login_and_back(conn: Any, path: str, public_maps: bool) -> None:
    c = auth_client(conn, public_maps=public_maps)
    r = c.get(path, follow_redirects=False)
    assert r.status_code == 303, (r.status_code, r.text[:200])
    assert r.headers["location"] == "/login?next=" + quote(path, safe="")
    assert safe_next(_next_of(r.headers["location"])) == path
    form = c.get(r.headers["location"])
    assert form.status_code == 200
    assert f'name="next" value="{path.replace("&", "&amp;")}"' in form.text


def test_every_page_route_answers_anonymous_callers_without_401(conn: Any) -> None:
    """No GET page of the app (API, OGC and tiles aside) answers an anonymous caller 401:
    a page is public or sends them to the login page."""
    c = auth_client(conn, public_maps=True)
    samples = {"year": "2026", "district_code": "524", "view": "coverage", "fmt": "csv"}
    checked = []
    for route in _page_routes():
        if not isinstance(route, APIRoute) or "GET" not in route.methods \
                or route.path.startswith(("/api", "/ogc", "/tiles", "/static")):
            continue
        path = route.path
        for name in route.param_convertors:
            path = path.replace("{" + name + "}", samples.get(name, "1"))
        r = c.get(path, follow_redirects=False)
        assert r.status_code != 401, path
        if r.status_code == 303 and r.headers["location"].startswith("/login"):
            assert safe_next(_next_of(r.headers["location"])) == path
        checked.append(path)
    assert {"/maps/cycle", "/needs", "/imports", "/progress", "/review"} <= set(checked)


@pytest.mark.parametrize("path", ["/api/needs", "/api/needs/unmet", "/api/plans/2026",
                                  "/api/review/progress"])
def test_the_api_keeps_401_json(conn: Any, path: str) -> None:
    for public_maps in (True, False):
        r = auth_client(conn, public_maps=public_maps).get(path, follow_redirects=False)
        assert r.status_code == 401 and r.headers["content-type"] == "application/json"
        assert r.json()["detail"] == "Cần đăng nhập"


def test_login_brings_the_visitor_back(conn: Any, make_user: Any) -> None:
    viewer = make_user("viewer")
    c = auth_client(conn, public_maps=True)
    path = "/maps/cycle?level=district&indicator=recognised_products"
    to_login = c.get(path, follow_redirects=False).headers["location"]
    page = c.get(to_login)
    r = c.post("/login", data={"username": viewer.username, "password": TEST_PASSWORD,
                               "next": _next_of(to_login), "csrf_token": form_token(page.text)},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == path
    assert c.get(path).status_code == 200


@pytest.mark.parametrize("target", EVIL)
def test_next_is_a_local_path_only(conn: Any, make_user: Any, target: str) -> None:
    assert safe_next(target) == ""
    viewer = make_user("viewer")
    c = auth_client(conn)
    page = c.get("/login", params={"next": target})
    assert page.status_code == 200 and 'name="next" value=""' in page.text
    r = c.post("/login", data={"username": viewer.username, "password": TEST_PASSWORD,
                               "next": target, "csrf_token": form_token(page.text)},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"  # a viewer's home
    again = c.get("/login", params={"next": target}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/"


def test_a_path_that_is_no_safe_target_is_not_carried() -> None:
    """The redirect itself never carries a `next` that login would refuse."""
    for path in ("//evil.example/needs", "/needs\\x"):
        r = login_redirect({"type": "http", "method": "GET", "path": path,
                            "query_string": b""})
        assert r.headers["location"] == "/login"
    r = login_redirect({"type": "http", "method": "GET", "path": "/needs",
                        "query_string": b"year=2026&x=%2F%2Fevil"})
    assert _next_of(r.headers["location"]) == "/needs?year=2026&x=%2F%2Fevil"


def test_a_failed_login_keeps_next(conn: Any, make_user: Any) -> None:
    viewer = make_user("viewer")
    c = auth_client(conn, public_maps=True)
    page = c.get("/login?next=%2Fmaps%2Fcycle")
    r = c.post("/login", data={"username": viewer.username, "password": "sai-mat-khau-123",
                               "next": "/maps/cycle", "csrf_token": form_token(page.text)})
    assert r.status_code == 401 and 'name="next" value="/maps/cycle"' in r.text
    assert login(c, viewer.username).status_code == 303


def test_login_round_trip_to_the_cycle_map_in_chromium(boundaries: Any, make_user: Any,
                                                       live_server: str,
                                                       offline_page: Any) -> None:
    viewer = make_user("viewer")
    page = offline_page.page
    page.goto(f"{live_server}/maps/cycle?level=district")
    assert urlsplit(page.url).path == "/login"
    assert _next_of(page.url[len(live_server):]) == "/maps/cycle?level=district"
    page.fill("input[name=username]", viewer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/maps/cycle?level=district")
    page.wait_for_selector(".leaflet-control-layers", state="attached", timeout=20000)
    page.wait_for_timeout(300)
    assert offline_page.console_errors == [] and offline_page.blocked == []
    page.goto(f"{live_server}/login?next=//evil.example")
    assert page.url == f"{live_server}/"  # signed in: home, not the other site
