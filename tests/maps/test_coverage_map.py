"""Coverage per unit (analytics.coverage), its choropleth (views.coverage, /maps/coverage)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from geo.analytics.coverage import coverage_by_unit, coverage_report
from geo.core.db import SingleConnectionDatabase
from geo.core.errors import InvalidInput
from geo.core.settings import AuthSettings, MapSettings
from maps.core.base import offline_map
from maps.core.format import format_int, format_vnd
from maps.views.choropleth import classify, color_for
from maps.views.coverage import coverage_map
from tests.world import (
    BINH_SON,
    EVIL,
    JINJA,
    TP_QNG,
    by_code,
    coverage_records,
    locate,
    one,
    project,
)


@pytest.fixture()
def fixture_data(conn: Any) -> dict[str, str]:
    """world.coverage_records: projects and establishments of every precision."""
    return coverage_records(conn)


TOTAL_KC = 2_160_000_000


def _app_client(conn: Any, tiles: str = "none") -> TestClient:
    app = create_app(database=SingleConnectionDatabase(conn),
                     map_settings=MapSettings(tiles=tiles, tiles_attribution="© Ví dụ"),
                     auth_settings=AuthSettings(public_maps=True))
    return TestClient(app)


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["\']?([^"\' >]+)', html)


# ---------------------------------------------------------------- geo.analytics.coverage


def test_commune_sums_are_precision_aware_and_reconcile(conn: Any,
                                                        fixture_data: dict[str, str]) -> None:
    a, b, c = fixture_data["a"], fixture_data["b"], fixture_data["c"]
    units = by_code(coverage_by_unit(conn, "commune"))
    assert len(units) == 170
    assert {k: units[a][k] for k in ("kc_vnd", "counterpart_vnd", "projects", "establishments")} \
        == {"kc_vnd": 1_033_333_334, "counterpart_vnd": 203_333_334, "projects": 2,
            "establishments": 2}
    assert (units[b]["kc_vnd"], units[b]["projects"], units[b]["establishments"]) \
        == (600_000_000, 1, 0)  # P9 (district precision) is not placed in b
    assert (units[c]["kc_vnd"], units[c]["counterpart_vnd"], units[c]["projects"],
            units[c]["establishments"]) == (33_333_333, 3_333_334, 1, 1)
    others = [u for code, u in units.items() if code not in (a, b, c)]
    assert all(u["kc_vnd"] == 0 and u["projects"] == 0 and u["establishments"] == 0
               for u in others)
    assert units[a]["district_code"] == TP_QNG and units[a]["district_name"]

    report = coverage_report(conn, "commune")
    unalloc = {r["district_code"]: r for r in report["unallocated"]}
    assert set(unalloc) == {TP_QNG, BINH_SON, None}
    assert (unalloc[TP_QNG]["kc_vnd"], unalloc[TP_QNG]["counterpart_vnd"],
            unalloc[TP_QNG]["projects"]) == (340_000_000, 90_000_000, 2)
    assert (unalloc[BINH_SON]["kc_vnd"], unalloc[BINH_SON]["counterpart_vnd"],
            unalloc[BINH_SON]["establishments"]) == (33_333_333, 3_333_333, 1)
    assert (unalloc[None]["kc_vnd"], unalloc[None]["projects"],
            unalloc[None]["establishments"]) == (120_000_000, 2, 1)
    assert unalloc[TP_QNG]["district_name"] == "Thành phố Quảng Ngãi"
    t = report["totals"]
    assert t["kc_vnd"] == TOTAL_KC and t["projects"] == 7 and t["split_projects"] == 1
    assert t["allocated_kc_vnd"] == 1_666_666_667
    assert t["unallocated_kc_vnd"] == 493_333_333
    assert t["allocated_kc_vnd"] + t["unallocated_kc_vnd"] == t["kc_vnd"]
    assert sum(u["kc_vnd"] for u in units.values()) + t["unallocated_kc_vnd"] == TOTAL_KC
    assert t["allocated_counterpart_vnd"] + t["unallocated_counterpart_vnd"] \
        == t["counterpart_vnd"] == 300_000_001
    assert t["unallocated_establishments"] == 2 and t["establishments"] == 5
    assert report["has_demo"] is True


def test_district_sums_reconcile(conn: Any, fixture_data: dict[str, str]) -> None:
    report = coverage_report(conn, "district")
    units = by_code(report["units"])
    assert len(units) == 13
    assert (units[TP_QNG]["kc_vnd"], units[TP_QNG]["projects"],
            units[TP_QNG]["establishments"]) == (1_973_333_334, 5, 2)
    assert (units[BINH_SON]["kc_vnd"], units[BINH_SON]["projects"],
            units[BINH_SON]["establishments"]) == (66_666_666, 1, 2)
    assert [(r["district_code"], r["kc_vnd"]) for r in report["unallocated"]] \
        == [(None, 120_000_000)]
    assert sum(u["kc_vnd"] for u in units.values()) + report["totals"]["unallocated_kc_vnd"] \
        == report["totals"]["kc_vnd"] == TOTAL_KC
    assert report["outlines"] == []


def test_years_statuses_and_flags(conn: Any) -> None:
    report = coverage_report(conn, "commune")
    assert report["has_demo"] is False and report["has_approximate"] is False
    assert len(report["missing"]) == 170 and report["totals"]["kc_vnd"] == 0
    p = project(conn, "OLD", 5_000, year=2019)
    locate(conn, "district", project_id=p, district=TP_QNG)
    assert coverage_report(conn, "district")["totals"]["kc_vnd"] == 0
    assert by_code(coverage_by_unit(conn, "district", years=(2019, 2019)))[TP_QNG]["kc_vnd"] \
        == 5_000
    with pytest.raises(InvalidInput):
        coverage_report(conn, "commune", statuses=("bogus",))


def test_geometry_is_geojson_and_approximate_is_flagged(conn: Any, boundaries: Any) -> None:
    report = coverage_report(conn, "commune")
    assert report["has_approximate"] is True
    drawn = [u for u in report["units"] if u["geometry"] is not None]
    assert len(drawn) + len(report["missing"]) == 170
    assert all(u["geometry"]["type"] in ("Polygon", "MultiPolygon") for u in drawn)
    assert len(report["outlines"]) == 13


def test_district_without_communes_is_unallocated_at_commune_level(conn: Any) -> None:
    ly_son = one(conn, "SELECT code FROM admin_unit WHERE edition = 'legacy' "
                        "AND level = 'district' AND name = 'Huyện Lý Sơn'")
    p = project(conn, "LS", 123_000_000)
    locate(conn, "exact", project_id=p, district=ly_son)
    report = coverage_report(conn, "commune")
    assert report["unallocated"] == [{
        "district_code": ly_son, "district_name": "Huyện Lý Sơn",
        "district_has_communes": False, "kc_vnd": 123_000_000, "counterpart_vnd": 0,
        "projects": 1, "establishments": 0}]
    html = coverage_map(report, "commune").get_root().render()
    assert "Huyện Lý Sơn: 123.000.000 đ (huyện không có đơn vị cấp xã)" in html
    assert by_code(coverage_by_unit(conn, "district"))[ly_son]["kc_vnd"] == 123_000_000


def test_units_without_polygon_are_listed(conn: Any, boundaries: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM boundary b USING admin_unit u WHERE u.edition = b.edition "
                    "AND u.code = b.code AND u.level = 'commune' AND u.parent_code = %s "
                    "RETURNING u.name", (BINH_SON,))
        gone = sorted(r[0] for r in cur.fetchall())
    report = coverage_report(conn, "commune")
    assert sorted(m["name"] for m in report["missing"]) == gone and len(gone) == 22
    html = coverage_map(report, "commune").get_root().render()
    assert "Chưa có ranh giới, không vẽ được (22 đơn vị)" in html
    listed = [m["name"] for m in report["missing"]][:15]
    assert all(name in html for name in listed) and "và 7 đơn vị khác" in html


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
