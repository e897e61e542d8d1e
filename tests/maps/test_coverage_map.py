"""The coverage choropleth (views.coverage, /maps/coverage): formats, classes, HTML, Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from geo.core.db import SingleConnectionDatabase
from geo.core.settings import AuthSettings, MapSettings
from maps.core.base import offline_map
from maps.core.format import format_int, format_vnd
from maps.views.choropleth import classify, color_for
from maps.views.coverage import coverage_map
from tests.world import (
    EVIL,
    JINJA,
    coverage_records,
)


@pytest.fixture()
def fixture_data(conn: Any) -> dict[str, str]:
    """world.coverage_records: projects and establishments of every precision."""
    return coverage_records(conn)


def _app_client(conn: Any, tiles: str = "none") -> TestClient:
    app = create_app(database=SingleConnectionDatabase(conn),
                     map_settings=MapSettings(tiles=tiles, tiles_attribution="© Ví dụ"),
                     auth_settings=AuthSettings(public_maps=True))
    return TestClient(app)


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["\']?([^"\' >]+)', html)


# ---------------------------------------------------------------- formatting, classes


def test_vnd_format() -> None:
    assert format_vnd(1_250_000_000) == "1.250.000.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(999.5) == "1.000 đ"
    assert format_int(1234) == "1.234"


def test_quantile_classes_cover_values_and_zero_is_grey() -> None:
    values = [0, 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]
    classes = classify(values)
    assert len(classes) == 5
    assert classes[0].lo == 1 and classes[-1].hi == 89
    assert all(x.hi < y.lo for x, y in zip(classes, classes[1:], strict=False))
    assert all(any(c.lo <= v <= c.hi for c in classes) for v in values if v > 0)
    assert color_for(0, classes) == "#cfcfcf"
    assert len({color_for(v, classes) for v in values if v}) == 5
    assert len(classify([7, 7, 7])) == 1 and classify([0, 0]) == []


# ---------------------------------------------------------------- HTML


def test_base_map_has_no_cdn_assets() -> None:
    html = offline_map(MapSettings(tiles="none")).get_root().render()
    urls = _asset_urls(html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert "http://" not in html and "https://" not in html
    assert "awesome-markers" not in html and "glyphicons" not in html
    assert "L.control.scale" in html and "L.tileLayer" not in html


def test_tiles_url_template_is_used() -> None:
    template = "https://tiles.example.org/{z}/{x}/{y}.png"
    m = coverage_map({"level": "district", "years": (2021, 2025),
                      "statuses": ("completed",), "units": [], "outlines": [], "missing": [],
                      "unallocated": [], "has_demo": False, "has_approximate": False,
                      "totals": {"kc_vnd": 0, "projects": 0, "split_projects": 0,
                                 "allocated_kc_vnd": 0, "unallocated_kc_vnd": 0}},
                     "district", "kc_vnd", MapSettings(tiles=template))
    html = m.get_root().render()
    assert template in html and "L.tileLayer" in html
    assert all(u.startswith("/static/") for u in _asset_urls(html))


def test_route_tiles_setting_and_bad_parameters(conn: Any) -> None:
    template = "https://tiles.example.org/{z}/{x}/{y}.png"
    with _app_client(conn, tiles=template) as client:
        r = client.get("/maps/coverage?level=district")
        assert r.status_code == 200 and template in r.text
        assert client.get("/maps/coverage?level=province").status_code == 422
        bad = client.get("/maps/coverage?level=commune&indicator=money")
        assert bad.status_code == 422 and "Traceback" not in bad.text


def test_commune_page_html(conn: Any, boundaries: Any, fixture_data: dict[str, str]) -> None:
    with conn.cursor() as cur:
        cur.execute("UPDATE admin_unit SET name = %s WHERE edition = 'legacy' AND code = %s",
                    (f"Xã {JINJA} {EVIL}", fixture_data["a"]))
    with _app_client(conn) as client:
        html = client.get("/maps/coverage?level=commune").text
        for indicator in ("projects", "establishments"):
            r = client.get(f"/maps/coverage?level=commune&indicator={indicator}")
            assert r.status_code == 200
    assert all(u.startswith("/static/") for u in _asset_urls(html))
    assert "http://" not in html and "https://" not in html
    assert EVIL not in html and "onerror=alert(1)>" not in html
    assert "Xã 49" not in html and "&#123;&#123; 7*7 &#125;&#125;" in html.replace(
        "\\u0026", "&")
    assert "Kinh phí khuyến công theo xã, 2021–2025" in html
    assert "Ranh giới gần đúng" in html and "dựng từ tâm xã" in html
    assert "Dữ liệu mẫu (tổng hợp), không phải số liệu thật" in html
    assert "Kinh phí chưa phân bổ được cho xã" in html and "493.333.333 đ" in html
    assert "Thành phố Quảng Ngãi: 340.000.000 đ" in html
    assert "chia đều" in html
    assert "1.033.333.334 đ" in html  # the top class bound in the legend


# ---------------------------------------------------------------- Chromium, offline


def _open(offline_page: Any, url: str) -> Any:
    page = offline_page.page
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => window.L && document.querySelector('path.kc-unit')")
    return page


def test_commune_map_in_chromium(conn: Any, boundaries: Any, fixture_data: dict[str, str],
                                 live_server: str, offline_page: Any) -> None:
    a = fixture_data["a"]
    with conn.cursor() as cur:
        cur.execute("UPDATE admin_unit SET name = %s WHERE edition = 'legacy' AND code = %s",
                    (EVIL, a))
        cur.execute("SELECT ST_Y(centroid), ST_X(centroid) FROM admin_unit "
                    "WHERE edition = 'legacy' AND code = %s", (a,))
        centroid = cur.fetchone()
    page = _open(offline_page, f"{live_server}/maps/coverage?level=commune")
    assert page.evaluate("typeof window.L") == "object"
    assert page.locator("path.kc-commune").count() == 170
    assert page.locator("path.kc-outline").count() == 13
    assert page.locator(".kc-notes .kc-warn", has_text="Ranh giới gần đúng").is_visible()
    assert page.get_by_text("Kinh phí khuyến công theo xã, 2021–2025").is_visible()
    assert page.locator(".kc-legend").is_visible()
    assert page.locator(".leaflet-control-scale").is_visible()
    assert page.locator(".leaflet-control-layers").count() == 1
    # Hover the unit named like an XSS payload: its name shows as text, no image, no alert.
    x, y = page.evaluate("""([lat, lon]) => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", centroid)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)
    tip = page.locator(".leaflet-tooltip.kc-tip")
    tip.wait_for()
    assert EVIL in tip.inner_text()
    assert page.locator(".leaflet-tooltip img").count() == 0
    page.wait_for_timeout(300)
    assert offline_page.dialogs == []
    assert offline_page.blocked == []
    assert offline_page.console_errors == []


def test_district_map_in_chromium(conn: Any, boundaries: Any, live_server: str,
                                  offline_page: Any) -> None:
    page = _open(offline_page, f"{live_server}/maps/coverage?level=district")
    assert page.locator("path.kc-district").count() == 13
    assert page.locator("path.kc-outline").count() == 0
    assert page.get_by_text("Kinh phí khuyến công theo huyện, 2021–2025").is_visible()
    assert offline_page.blocked == [] and offline_page.console_errors == []
