"""Maps people can read offline: outlines with names on every map, small overlays, export links
carrying the filters, a local .mbtiles basemap, exported titles that state the whole filter."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from tests.conftest import TEST_PASSWORD
from tests.world import BINH_SON, add_establishment, communes_of, locate, project, village

PAGES = ("/maps/coverage", "/maps/gaps", "/maps/establishments", "/maps/projects",
         "/maps/villages", "/maps/gaps?level=district&years=2023")
DISTRICTS_DRAWN = """() => Array.from(document.querySelectorAll(
    '.leaflet-tooltip.kc-label-district')).filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'
            && getComputedStyle(e).opacity !== '0';
    }).map(e => e.textContent)"""
OVERLAYS = """() => {
    const map = document.querySelector('.folium-map').getBoundingClientRect();
    const area = map.width * map.height;
    return Array.from(document.querySelectorAll('.folium-map .leaflet-control')).map(e => {
        const r = e.getBoundingClientRect();
        return [e.className, r.width * r.height / area];
    });
}"""


@pytest.fixture()
def mapped(boundaries: Any) -> dict[str, Any]:
    """Approximate boundaries and a few records in Bình Sơn."""
    conn = boundaries
    a, b = communes_of(conn, BINH_SON)[:2]
    locate(conn, "exact", project_id=project(conn, "P1", 400_000_000, source="KCDP",
                                             activity="training", year=2023), commune=a)
    locate(conn, "commune", project_id=project(conn, "P2", 250_000_000, source="KCQG",
                                               year=2022), commune=b)
    locate(conn, "exact", village_id=village(conn, "V1", "Làng nghề dệt chiếu"), commune=a)
    add_establishment(conn, "E1", BINH_SON)
    with conn.cursor() as cur:
        cur.execute("SELECT name, short_name FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'district' ORDER BY code")
        districts = cur.fetchall()
    return {"districts": districts, "commune": a}


def _open(offline_page: Any, url: str, width: int = 1280, height: int = 800) -> Any:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("[data-kc-context='1']", timeout=20000)
    page.wait_for_function("() => window.kcmapReady || document.querySelector('path.kc-unit')")
    return page


@pytest.mark.parametrize("path", PAGES)
def test_every_map_names_its_districts_offline_and_keeps_overlays_small(
        mapped: dict[str, Any], live_server: str, offline_page: Any, path: str) -> None:
    page = _open(offline_page, f"{live_server}{path}")
    shown = page.evaluate(DISTRICTS_DRAWN)
    short = {s or n for n, s in mapped["districts"]}
    assert "Bình Sơn" in " ".join(shown)
    assert any("Lý Sơn" in s for s in shown)  # the island district is named too
    assert len(shown) >= len(short) - 1, (shown, short)  # all (one may fall off a narrow view)
    assert page.locator(".leaflet-tooltip.kc-label img").count() == 0
    assert page.locator("path.leaflet-interactive, .kc-context path, svg path").count() > 0
    overlays = page.evaluate(OVERLAYS)
    assert overlays, "no controls measured"
    for name, share in overlays:
        assert share <= 0.10, (path, name, share)
    # Notes and review progress sit in the side panel, not on the map.
    assert page.locator(".folium-map .kc-notes").count() == 0
    assert page.locator(".folium-map .kc-review-progress").count() == 0
    assert offline_page.blocked == [] and offline_page.console_errors == []


def test_commune_names_appear_when_zoomed_in(mapped: dict[str, Any], live_server: str,
                                             offline_page: Any) -> None:
    page = _open(offline_page, f"{live_server}/maps/villages")
    assert page.locator(".leaflet-tooltip.kc-label-commune").count() == 0
    page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        map.setView([15.28, 108.75], 12, {animate: false});
    }""")
    page.wait_for_selector(".leaflet-tooltip.kc-label-commune")
    assert page.locator(".leaflet-tooltip.kc-label-commune").count() > 3
    assert page.locator(".leaflet-tooltip.kc-label-keep", has_text="Lý Sơn").count() == 1


def _links(page: Any) -> dict[str, dict[str, list[str]]]:
    out = {}
    for a in page.locator(".kc-aside a.kc-export").all():
        href = a.get_attribute("href") or ""
        out[a.inner_text()] = {"path": [urlparse(href).path], **parse_qs(urlparse(href).query)}
    return out


def test_export_links_carry_the_page_filters(mapped: dict[str, Any], live_server: str,
                                             offline_page: Any) -> None:
    page = _open(offline_page, f"{live_server}/maps/coverage?years=2023&source=KCDP"
                               "&activity=training&allocation=even")
    links = _links(page)
    assert set(links) >= {"Báo cáo PDF", "Ảnh PNG", "Tải dữ liệu"}
    for label, q in links.items():
        assert q["years"] == ["2023"] and q["source"] == ["KCDP"], label
        assert q["activity"] == ["training"] and q["allocation"] == ["even"], label
    assert links["Báo cáo PDF"]["path"] == ["/reports/briefing.pdf"]
    assert links["Ảnh PNG"]["path"] == ["/maps/coverage.png"]
    assert links["Tải dữ liệu"]["path"] == ["/maps/coverage.xlsx"]
    assert links["PNG 16:9 (trình chiếu)"]["aspect"] == ["16:9"]
    for path, key in (("/maps/gaps?years=2022", "years"), ("/maps/projects?source=KCQG",
                                                           "source")):
        page = _open(offline_page, f"{live_server}{path}")
        value = path.split("=")[1]
        for label, q in _links(page).items():
            assert q.get(key) == [value], (path, label)
    page = _open(offline_page, f"{live_server}/maps/establishments?district={BINH_SON}")
    for label, q in _links(page).items():
        assert q.get("district") == [BINH_SON], label


def test_phone_gets_the_map_first_and_filters_in_a_drawer(mapped: dict[str, Any],
                                                          live_server: str,
                                                          offline_page: Any) -> None:
    page = _open(offline_page, f"{live_server}/maps/coverage", 390, 844)
    box = page.locator(".folium-map").bounding_box()
    assert box is not None and box["y"] == 0 and box["height"] >= 800 and box["width"] >= 389
    aside = page.locator(".kc-aside")
    assert not aside.is_visible() or (aside.bounding_box() or {"x": 0})["x"] < -300
    page.click(".kc-drawer-toggle")
    page.wait_for_timeout(400)
    shown = aside.bounding_box()
    assert shown is not None and shown["x"] >= -1
    assert page.locator(".kc-aside select[name=indicator]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_review_maps_draw_named_outlines(conn: Any, mapped: dict[str, Any], make_user: Any,
                                         live_server: str, offline_page: Any) -> None:
    eid = add_establishment(conn, "R1", BINH_SON)
    officer = make_user("district_officer", BINH_SON)
    page = offline_page.page
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server}/review/{BINH_SON}")
    page.wait_for_selector("[data-kc-context='1']")
    assert page.locator(".leaflet-tooltip.kc-label").count() > 0
    page.goto(f"{live_server}/review/{BINH_SON}/establishments/{eid}")
    page.wait_for_selector("[data-kc-context='1']")
    page.wait_for_selector(".leaflet-tooltip.kc-label-commune")  # zoom 15: commune names
    assert offline_page.blocked == [] and offline_page.console_errors == []


# ---------------------------------------------------------------- local .mbtiles basemap


def _mbtiles(path: Path) -> dict[tuple[int, int, int], bytes]:
    """A tiny .mbtiles: two PNG tiles at zoom 1 (TMS rows), format png."""
    tiles = {}
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
               "tile_row INTEGER, tile_data BLOB)")
    db.execute("INSERT INTO metadata VALUES ('format', 'png'), ('name', 'thử')")
    for (z, x, tms_row), color in (((1, 1, 1), "red"), ((1, 1, 0), "blue")):
        buf = io.BytesIO()
        Image.new("RGB", (256, 256), color).save(buf, "PNG")
        tiles[(z, x, tms_row)] = buf.getvalue()
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, tms_row, buf.getvalue()))
    db.commit()
    db.close()
    return tiles


def test_local_mbtiles_basemap(database: Any, mapped: dict[str, Any], tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from geo.core.settings import AuthSettings, MapSettings

    path = tmp_path / "nen.mbtiles"
    tiles = _mbtiles(path)
    app = create_app(database=database, map_settings=MapSettings(tiles=str(path)),
                     auth_settings=AuthSettings(public_maps=True))
    with TestClient(app) as client:
        # XYZ row 0 at zoom 1 is TMS row 1 (flipped), and the other way round.
        r = client.get("/tiles/basemap/1/1/0.png")
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert r.content == tiles[(1, 1, 1)]
        assert client.get("/tiles/basemap/1/1/1.png").content == tiles[(1, 1, 0)]
        empty = client.get("/tiles/basemap/5/3/3.png")
        assert empty.status_code == 200
        assert Image.open(io.BytesIO(empty.content)).getpixel((0, 0))[3] == 0  # transparent
        html = client.get("/maps/villages").text
        assert "/tiles/basemap/{z}/{x}/{y}.png" in html
        for name in ("Không có bản đồ nền", "OpenStreetMap (cần Internet)",
                     "Bản đồ nền (tệp trên máy chủ)"):  # base layers of the layer control
            assert json.dumps(name)[1:-1] in html, name
        assert str(path) not in html  # the server's file path is not shown
    with TestClient(create_app(database=database, map_settings=MapSettings(tiles="none"),
                               auth_settings=AuthSettings(public_maps=True))) as client:
        r = client.get("/tiles/basemap/1/1/0.png")
        assert r.status_code == 404


# ---------------------------------------------------------------- exports state the filter


def test_briefing_pdf_names_the_source_and_filter(mapped: dict[str, Any], client: Any,
                                                  tmp_path: Path) -> None:
    r = client.get("/reports/briefing.pdf?source=KCDP&activity=training&years=2023")
    assert r.status_code == 200
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Khuyến công địa phương (KCĐP)" in flat
    assert "Đào tạo nghề" in flat
    assert "trước 1/7/2025" in flat and "đề án cấp huyện" in flat.lower()
    both = subprocess.run(["pdftotext", "-", "-"], input=client.get(
        "/reports/briefing.pdf?source=KCQG").content, capture_output=True, check=True).stdout
    assert "Khuyến công quốc gia (KCQG)" in " ".join(both.decode().split())


def test_png_titles_state_the_filter_and_16_9(mapped: dict[str, Any], client: Any) -> None:
    from geo.core.vocab import Allocation, Edition, MapView
    from maps.export.map_titles import view_title

    r = client.get("/maps/coverage.png?years=2023&source=KCDP&activity=training&aspect=16:9")
    assert r.status_code == 200
    w, h = Image.open(io.BytesIO(r.content)).size
    assert abs(w / h - 16 / 9) < 0.01
    r = client.get("/maps/gaps.png?years=2023")
    w, h = Image.open(io.BytesIO(r.content)).size
    assert abs(w / h - 16 / 9) > 0.1
    assert client.get("/maps/coverage.png?aspect=4:3").status_code == 422

    class Flt:
        sources = ("KCDP",)
        activities = ("training",)

        def years_text(self) -> str:
            return "2023"

    data: Any = {"view": MapView.coverage, "filter": Flt(), "allocation": Allocation.even,
                 "edition": Edition.legacy, "level": "commune"}
    title, subtitle = view_title(data, activity_names={"training": "Đào tạo nghề"})
    assert "2023" in title
    for part in ("Khuyến công địa phương (KCĐP)", "Đào tạo nghề", "chia đều",
                 "trước 1/7/2025"):
        assert part in subtitle, part


def test_xlsx_notes_state_what_the_table_shows(mapped: dict[str, Any], client: Any) -> None:
    from openpyxl import load_workbook

    body = client.get("/maps/coverage.xlsx?years=2023&source=KCDP&allocation=even").content
    notes = {r[0]: r[1] for r in load_workbook(io.BytesIO(body))["Ghi chú"].iter_rows(
        values_only=True)}
    for part in ("2023", "Khuyến công địa phương (KCĐP)", "chia đều", "trước 1/7/2025"):
        assert part in notes["Nội dung"], part


def test_fullscreen_refits_the_province_with_larger_names(mapped: dict[str, Any],
                                                          live_server: str,
                                                          offline_page: Any) -> None:
    page = _open(offline_page, f"{live_server}/maps/villages", 1920, 1080)
    size = "() => parseFloat(getComputedStyle(document.querySelector('.kc-label-district'))" \
           ".fontSize)"
    before = page.evaluate(size)
    page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        map.setView([15.28, 108.75], 13, {animate: false});
    }""")
    page.click(".kc-fullscreen a")
    page.wait_for_timeout(600)
    zoom, contains = page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        return [map.getZoom(), map.getBounds().pad(0.01).contains(map.kcProvinceBounds)];
    }""")
    assert zoom <= 10 and contains  # the whole province again, Lý Sơn included
    assert page.evaluate(size) > before
    assert page.locator(".leaflet-tooltip.kc-label", has_text="Lý Sơn").first.is_visible()
