"""Errors of web pages are Vietnamese HTML pages; the API keeps JSON. Unknown pages, the
database outage met by the login check, and the last-resort 500 (which still carries the
security headers and X-Request-ID)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from geo.core.db import Database
from geo.core.settings import AuthSettings, MapSettings
from tests.conftest import free_port

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
HOSTILE = "<img src=x onerror=alert(1)>"


def _security_headers(r: Any) -> None:
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert len(r.headers["X-Request-ID"]) >= 8


@pytest.mark.parametrize("path", ["/khong-co", "/maps/nope", "/reports/khong-co/x",
                                  f"/maps/{HOSTILE}"])
def test_unknown_page_is_a_vietnamese_html_404(client: Any, bearer: Any, path: str) -> None:
    r = client.get(path, headers={**BROWSER, **bearer("viewer")})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert 'lang="vi"' in r.text and "Không tìm thấy" in r.text
    assert "Không có trang nào ở địa chỉ này." in r.text and "Nên làm gì tiếp" in r.text
    assert r.headers["X-Request-ID"] in r.text
    assert HOSTILE not in r.text and "Not Found" not in r.text
    _security_headers(r)


@pytest.mark.parametrize(("path", "headers"), [
    ("/api/khong-co", BROWSER), ("/ogc/khong-co", BROWSER), ("/tiles/khong-co", BROWSER),
    ("/static/kcmap/khong-co.js", BROWSER), ("/khong-co", {"Accept": "application/json"}),
    ("/maps/nope", {}),
])
def test_unknown_path_for_machines_stays_json(client: Any, bearer: Any, path: str,
                                              headers: dict[str, str]) -> None:
    r = client.get(path, headers={**headers, **bearer("viewer")})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"detail": "Not Found"}


def test_auth_outage_is_the_error_page_with_503() -> None:
    """The login check cannot reach PostGIS (nothing listens on the port): a page says so in
    Vietnamese, with what to do next, 503 and Retry-After; the API answers JSON."""
    down = Database(f"postgresql://kcmap@127.0.0.1:{free_port()}/kcmap", pool_size=1,
                    connect_timeout=1)
    from api.web.app import create_app

    app = create_app(database=down, map_settings=MapSettings(tiles="none"),
                     auth_settings=AuthSettings(public_maps=True))
    with TestClient(app) as c:
        c.cookies.set("kcmap_session", "phien-cu-con-trong-trinh-duyet")
        page = c.get("/maps/coverage", headers=BROWSER)
        assert page.status_code == 503 and page.headers["Retry-After"] == "30"
        assert page.headers["content-type"].startswith("text/html")
        assert 'lang="vi"' in page.text and "Tạm thời không phục vụ được" in page.text
        assert "Không kết nối được cơ sở dữ liệu" in page.text
        assert "Nên làm gì tiếp" in page.text and "Chờ vài phút" in page.text
        assert page.headers["X-Request-ID"] in page.text
        _security_headers(page)
        api = c.get("/api/units?level=district", headers={"Authorization": "Bearer abc"})
        assert api.status_code == 503
        assert api.json()["error"] == "DatabaseUnavailable"
        assert "Không kết nối được" in api.json()["detail"]
    down.close()


def _app_with_a_bug(database: Any) -> Any:
    from api.web.app import create_app

    app = create_app(database=database, map_settings=MapSettings(tiles="none"),
                     auth_settings=AuthSettings(public_maps=True))

    @app.get("/thu-loi")
    def _page() -> None:
        raise RuntimeError("bí mật nội bộ: /etc/kcmap")

    @app.get("/api/thu-loi")
    def _api() -> None:
        raise ZeroDivisionError("bí mật nội bộ: /etc/kcmap")

    return app


def test_unexpected_exception_is_a_500_with_headers_and_request_id(
        database: Any, bearer: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(_app_with_a_bug(database)) as c:
        page = c.get("/thu-loi", headers={**BROWSER, **bearer("viewer"),
                                          "X-Request-ID": "loi-trang-12345"})
        assert page.status_code == 500
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["X-Request-ID"] == "loi-trang-12345"
        assert "Lỗi máy chủ" in page.text and "loi-trang-12345" in page.text
        assert "bí mật" not in page.text and "Traceback" not in page.text
        _security_headers(page)
        api = c.get("/api/thu-loi", headers=bearer("viewer"))
        assert api.status_code == 500
        assert api.json() == {"error": "InternalError", "detail": "Lỗi máy chủ"}
        _security_headers(api)
    logged = [r for r in caplog.records if r.name == "kcmap.request"]
    assert any("rid=loi-trang-12345" in r.getMessage() and " 500 " in r.getMessage()
               for r in logged)
    assert any(r.name == "kcmap" and r.exc_info and isinstance(r.exc_info[1], RuntimeError)
               for r in caplog.records)
