"""The five map pages in Chromium, offline: controls, filters, popups, lists, escaping."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from maps.core.panel import NAV
from tests.world import (
    BINH_SON,
    EVIL,
    JINJA,
    TP_QNG,
    communes_of,
    establishment,
    locate,
    project,
    village,
)

OWNER, PHONE = "Chủ Cơ Sở Bí Mật", "0912345678"
HOSTILE_TRADE = f"Nghề <b>đậm</b> {JINJA}"
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"


@pytest.fixture()
def hostile(conn: Any, boundaries: Any) -> dict[str, Any]:
    """Boundaries and records whose names are HTML/JS/Jinja payloads, plus normal ones."""
    a = communes_of(conn, TP_QNG)[0]
    b, c = communes_of(conn, BINH_SON)[:2]
    with conn.cursor() as cur:
        cur.execute("UPDATE admin_unit SET name = %s WHERE edition = 'legacy' AND code = %s",
                    (f"{EVIL} {JINJA}", a))
    evil_est = establishment(conn, "EVIL", EVIL, workers=9, trade=HOSTILE_TRADE, owner=OWNER,
                             phone=PHONE)
    locate(conn, "exact", establishment_id=evil_est, commune=a)
    for i in range(12):
        e = establishment(conn, f"N{i}", f"Cơ sở mộc Bình Sơn {i}", workers=3 + i)
        locate(conn, "exact" if i % 3 else "commune", establishment_id=e, commune=b)
    locate(conn, "district", establishment_id=establishment(conn, "D1", "Cơ sở cấp huyện"),
           district=BINH_SON)
    locate(conn, "exact", village_id=village(conn, "VE", EVIL), commune=a)
    locate(conn, "commune", village_id=village(conn, "VB", "Làng nghề bánh tráng Bình Sơn",
                                               "Bánh tráng"), commune=c)
    evil_project = project(conn, "PE", 500_000_000, source="KCQG", title=EVIL,
                           beneficiary=EVIL, year=2022)
    locate(conn, "exact", project_id=evil_project, commune=a)
    normal = project(conn, "PN", 200_000_000, activity="training", year=2023)
    locate(conn, "commune", project_id=normal, commune=c)
    district_project = project(conn, "PD", 300_000_000, activity="capacity", year=2022,
                               title="Tập huấn cấp huyện Bình Sơn")
    locate(conn, "district", project_id=district_project, district=BINH_SON)
    centroid = {}
    for code in (a, BINH_SON):
        with conn.cursor() as cur:
            cur.execute("SELECT ST_Y(centroid), ST_X(centroid) FROM admin_unit "
                        "WHERE edition = 'legacy' AND code = %s", (code,))
            centroid[code] = cur.fetchone()
    return {"a": a, "b": b, "establishment": evil_est, "project": evil_project,
            "district_project": district_project, "centroid_a": centroid[a],
            "centroid_district": centroid[BINH_SON]}


def _open(offline_page: Any, url: str) -> Any:
    page = offline_page.page
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => window.L && (window.kcmapReady "
                           "|| document.querySelector('path.kc-unit'))", timeout=20000)
    return page


def _clean(offline_page: Any) -> None:
    offline_page.page.wait_for_timeout(200)
    assert offline_page.blocked == []
    assert offline_page.console_errors == []
    assert offline_page.dialogs == []


def _screen_point(page: Any, latlng: tuple[float, float]) -> tuple[float, float]:
    x, y = page.evaluate(f"""([lat, lon]) => {{
        const map = {FIND_MAP};
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }}""", list(latlng))
    return float(x), float(y)


PAGES = [
    "/maps/coverage?level=commune",
    "/maps/coverage?level=district&indicator=beneficiary_share&classes=jenks",
    "/maps/coverage?level=commune&indicator=vnd_per_worker&allocation=even&source=KCQG",
    "/maps/gaps",
    "/maps/gaps?allocation=establishments&years=2022",
    "/maps/establishments",
    "/maps/establishments?district=524&color=status",
    "/maps/projects",
    "/maps/projects?years=2022&source=KCQG&activity=machinery",
    "/maps/villages",
    "/maps/villages?district=522",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_with_controls(hostile: dict[str, Any], live_server: str,
                                          offline_page: Any, path: str) -> None:
    page = _open(offline_page, live_server + path)
    assert page.locator(".leaflet-control-scale").is_visible()
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".kc-fullscreen a").is_visible()
    assert page.locator(".kc-legend").is_visible()
    assert page.locator(".kc-title").is_visible()
    assert page.locator("form.kc-filter button[type=submit]").is_visible()
    assert page.locator(".kc-mapnav a").count() == len(NAV) + 1  # the home link, every map
    assert page.locator("img").count() == 0  # no payload became an element
    _clean(offline_page)


def test_index_links_every_map(client: TestClient) -> None:
    html = client.get("/").text
    for target in ("/maps/coverage", "/maps/gaps", "/maps/establishments", "/maps/projects",
                   "/maps/villages", "/maps/cycle", "/reports/briefing.pdf", "/login",
                   "/api"):
        assert f'href="{target}' in html, target
    assert '<html lang="vi">' in html and 'href="#kc-main"' in html  # skip link
    assert "/api/coverage" not in html  # the API list moved to /api
    api = client.get("/api").text
    for target in ("/api/coverage", "/api/gaps", "/api/projects", "/api/openapi.json"):
        assert f'href="{target}' in api, target


def test_fullscreen_control(hostile: dict[str, Any], live_server: str,
                            offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/establishments")
    state = ("() => { const c = " + FIND_MAP + ".getContainer(); return "
             "document.fullscreenElement === c || c.classList.contains('kc-pseudo-fullscreen'); }")
    assert page.evaluate(state) is False
    page.locator(".kc-fullscreen a").click()
    page.wait_for_function(state)
    pressed = "document.querySelector('.kc-fullscreen a').getAttribute('aria-pressed')"
    page.wait_for_function(f"() => {pressed} === 'true'")
    page.locator(".kc-fullscreen a").click()
    page.wait_for_function("() => !(" + state + ")()")
    page.wait_for_function(f"() => {pressed} === 'false'")
    _clean(offline_page)


def test_establishments_search_popup_tooltip(hostile: dict[str, Any], live_server: str,
                                             offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/establishments")
    assert page.locator(".marker-cluster").count() >= 1  # clustered, not one block per point
    page.locator("#kc-search").fill("onerror")
    result = page.locator("#kc-results .kc-result-name")
    result.first.wait_for()
    assert result.count() == 1 and result.first.inner_text() == EVIL
    assert page.locator("#kc-results img").count() == 0
    page.locator("#kc-results .kc-result").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".kc-popup-title").inner_text() == EVIL
    assert HOSTILE_TRADE in popup.inner_text()
    link = popup.locator("a.kc-json")
    assert link.get_attribute("href") == f"/records/establishments/{hostile['establishment']}"
    assert link.inner_text() == "Xem trang bản ghi"  # the record's page, not its JSON
    assert popup.locator("img, b").count() == 0
    page.keyboard.press("Escape")
    page.evaluate(f"{FIND_MAP}.closePopup()")
    x, y = _screen_point(page, hostile["centroid_a"])
    page.mouse.move(x - 8, y - 8)
    page.mouse.move(x, y)
    tip = page.locator(".leaflet-tooltip.kc-tip")
    tip.wait_for()
    assert EVIL in tip.inner_text() and page.locator(".leaflet-tooltip img").count() == 0
    # Search is diacritic-insensitive.
    page.locator("#kc-search").fill("co so moc binh son")
    page.wait_for_function("() => document.querySelectorAll('#kc-results li').length === 12")
    _clean(offline_page)


def test_establishment_data_is_public_only(hostile: dict[str, Any],
                                           client: TestClient) -> None:
    points = client.get("/api/establishments.geojson")
    assert points.headers["content-type"].startswith("application/geo+json")
    data = points.json()
    names = {f["properties"]["name"] for f in data["features"]}
    assert EVIL in names and "Cơ sở cấp huyện" not in names  # district level: not a point
    assert data["not_drawn"] == 1
    assert set(data["features"][0]["properties"]) == {
        "name", "trade", "workers", "precision", "status", "district", "commune"}
    page = client.get("/maps/establishments").text
    for text in (points.text, page, client.get("/api/villages").text,
                 client.get("/api/projects").text):
        assert OWNER not in text and PHONE not in text
    only = client.get(f"/api/establishments.geojson?district={BINH_SON}").json()
    assert len(only["features"]) == 12


def test_server_side_escaping(hostile: dict[str, Any], client: TestClient) -> None:
    for path in ("/maps/establishments", "/maps/gaps", "/maps/coverage?level=commune",
                 "/maps/villages", "/maps/projects"):
        html = client.get(path).text
        assert EVIL not in html and "onerror=alert(1)>" not in html, path
        assert "<b>đậm</b>" not in html and "đậm</b> 49" not in html, path
    page = client.get("/maps/establishments").text
    assert "Nghề &lt;b&gt;đậm&lt;/b&gt; &#123;&#123; 7*7 &#125;&#125;" in page  # legend
    assert "Nghề \\u003cb\\u003eđậm\\u003c/b\\u003e {\\u007b 7*7 }}" in page  # script data


def test_projects_points_and_district_outlines(hostile: dict[str, Any], live_server: str,
                                               offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/projects")
    counts = page.evaluate(f"""() => {{
        const map = {FIND_MAP};
        const out = {{points: [], outlines: 0}};
        map.eachLayer(l => {{
            const at = l.getLatLng ? l.getLatLng() : null;
            if (l instanceof L.CircleMarker) out.points.push([at.lat, at.lng]);
            else if (l instanceof L.Polygon && l.options.dashArray === '8 5') out.outlines += 1;
        }});
        return out;
    }}""")
    assert len(counts["points"]) == 2 and counts["outlines"] == 1
    lat, lon = hostile["centroid_district"]
    assert all(abs(p[0] - lat) > 1e-6 or abs(p[1] - lon) > 1e-6 for p in counts["points"])
    summary = page.locator("#kc-project-summary").inner_text()
    assert "3 đề án" in summary and "1.000.000.000 đ" in summary

    x, y = _screen_point(page, hostile["centroid_a"])
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    tip = page.locator(".leaflet-tooltip.kc-tip")
    tip.wait_for()
    assert EVIL in tip.inner_text()
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".kc-popup-title").inner_text() == EVIL
    assert "500.000.000 đ" in popup.inner_text() and EVIL in popup.inner_text()
    assert popup.locator("a.kc-json").get_attribute("href") \
        == f"/records/projects/{hostile['project']}"
    assert page.locator(".leaflet-popup img").count() == 0
    page.evaluate(f"{FIND_MAP}.closePopup()")

    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    x, y = _screen_point(page, hostile["centroid_district"])
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content", has_text="chỉ xác định đến cấp huyện")
    popup.wait_for()
    assert "Tập huấn cấp huyện Bình Sơn" in popup.inner_text()
    _clean(offline_page)


def test_projects_filter_form_reloads(hostile: dict[str, Any], live_server: str,
                                      offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/projects")
    page.locator("input[name=years]").fill("2023")
    page.locator("form.kc-filter button[type=submit]").click()
    page.wait_for_url("**/maps/projects?years=2023*")
    page.wait_for_function("() => window.kcmapReady")
    assert page.get_by_text("Đề án khuyến công, 2023").first.is_visible()
    assert "1 đề án" in page.locator("#kc-project-summary").inner_text()
    _clean(offline_page)


def test_villages_search_and_popup(hostile: dict[str, Any], live_server: str,
                                   offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/villages")
    page.locator("#kc-search").fill("img src")
    page.locator("#kc-results .kc-result").first.wait_for()
    assert page.locator("#kc-results .kc-result-name").first.inner_text() == EVIL
    page.locator("#kc-results .kc-result").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".kc-popup-title").inner_text() == EVIL
    assert popup.locator("a.kc-json").get_attribute("href").startswith("/records/villages/")
    assert page.locator(".leaflet-popup img, #kc-results img").count() == 0
    _clean(offline_page)


def test_gaps_list_escapes_and_zooms(hostile: dict[str, Any], live_server: str,
                                     offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/gaps")
    item = page.locator(f'.kc-gaplist li[data-code="{hostile["a"]}"]')
    assert EVIL in item.inner_text() and JINJA in item.inner_text()
    assert page.locator(".kc-gaplist img").count() == 0
    assert page.get_by_text("Điểm thiếu hỗ trợ = 100 × (k × N − S)").first.is_visible()
    x, y = _screen_point(page, hostile["centroid_a"])
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)
    tip = page.locator(".leaflet-tooltip.kc-tip")
    tip.wait_for()
    assert EVIL in tip.inner_text() and page.locator(".leaflet-tooltip img").count() == 0
    before = page.evaluate(f"{FIND_MAP}.getZoom()")
    page.locator(f'.kc-gaplist li[data-code="{hostile["b"]}"]').click()
    page.wait_for_function(f"() => {FIND_MAP}.getZoom() > {before}")
    assert "kc-selected" in (page.locator(f'.kc-gaplist li[data-code="{hostile["b"]}"]')
                             .get_attribute("class") or "")
    _clean(offline_page)


def test_coverage_form_changes_indicator(hostile: dict[str, Any], live_server: str,
                                         offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/coverage")
    page.locator("select[name=indicator]").select_option("workers")
    page.locator("select[name=classes]").select_option("jenks")
    page.locator("form.kc-filter button[type=submit]").click()
    page.wait_for_url("**indicator=workers*")
    page.wait_for_function("() => document.querySelector('path.kc-unit')")
    assert page.get_by_text("Số lao động của cơ sở CNNT theo xã").first.is_visible()
    assert "khoảng tự nhiên (Jenks)" in page.locator(".kc-legend .kc-legend-note").inner_text()
    _clean(offline_page)


def test_bad_page_parameters(client: TestClient) -> None:
    for path in ("/maps/coverage?classes=x", "/maps/coverage?indicator=money",
                 "/maps/coverage?allocation=area", "/maps/establishments?color=x",
                 "/maps/establishments?district=999", "/maps/villages?district=x",
                 "/maps/projects?years=20x", "/maps/gaps?source=ODA"):
        r = client.get(path)
        assert r.status_code == 422 and "Traceback" not in r.text, path


def test_the_map_view_is_kept_in_the_url(hostile: dict[str, Any], live_server: str,
                                         offline_page: Any) -> None:
    page = _open(offline_page, live_server + "/maps/coverage?level=district")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.evaluate(f"{FIND_MAP}.setView([15.1, 108.8], 12)")
    page.wait_for_function("() => location.hash === '#map=12/15.10000/108.80000'")
    link = page.url
    assert "level=district" in link
    other = page.context.new_page()
    other.goto(link, wait_until="networkidle")
    other.wait_for_function("() => window.L && Object.values(window).find(v => v instanceof L.Map)")
    view = other.evaluate(f"() => {{ const m = {FIND_MAP}; const c = m.getCenter(); "
                          "return [m.getZoom(), c.lat, c.lng]; }")
    assert view == [12, pytest.approx(15.1, abs=1e-4), pytest.approx(108.8, abs=1e-4)]
    other.close()
    _clean(offline_page)
