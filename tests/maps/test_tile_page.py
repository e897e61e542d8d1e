"""The establishments map over its tile threshold: drawn from vector tiles, in Chromium, offline."""

from __future__ import annotations

from typing import Any

import pytest

from tests.maps.test_map_pages import (  # noqa: F401 - hostile is a fixture
    EVIL,
    FIND_MAP,
    HOSTILE_TRADE,
    _clean,
    _screen_point,
    hostile,
)

THRESHOLD = 5  # the hostile records have 13 drawable establishments


@pytest.fixture()
def app(database):  # type: ignore[no-untyped-def]
    """The app with a tile threshold below the number of points."""
    from api.web.app import create_app
    from geo.core.settings import AuthSettings, MapSettings

    return create_app(database=database,
                      map_settings=MapSettings(tiles="none", tile_threshold=THRESHOLD),
                      auth_settings=AuthSettings(public_maps=True))


def test_page_over_threshold_uses_tiles(hostile: dict[str, Any], live_server: str,  # noqa: F811
                                        offline_page: Any, client: Any) -> None:
    html = client.get("/maps/establishments").text
    assert "Leaflet.VectorGrid.bundled.min.js" in html
    assert "/api/establishments.geojson" not in html
    assert client.get("/static/kcmap/vendor/vectorgrid/LICENCE").status_code == 200

    page = offline_page.page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server + "/maps/establishments", wait_until="networkidle")
    page.wait_for_function("() => window.kcmapReady === true", timeout=20000)
    assert any("/tiles/establishments/" in u and "v=" in u for u in requests)
    assert not any("establishments.geojson" in u for u in requests)
    page.wait_for_function("() => document.querySelectorAll('.marker-cluster').length > 0")
    assert page.locator(".marker-cluster img, .marker-cluster b").count() == 0

    # Zoomed in on the hostile establishment: a point, with the same popup as the GeoJSON map.
    lat, lon = hostile["centroid_a"]
    page.evaluate(f"([lat, lon]) => {FIND_MAP}.setView([lat, lon], 17, {{animate: false}})",
                  [lat, lon])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    x, y = _screen_point(page, (lat, lon))
    page.mouse.move(x - 10, y - 10)
    page.wait_for_timeout(100)  # the canvas handles one mouse move per 32 ms
    page.mouse.move(x, y)
    tip = page.locator(".leaflet-tooltip.kc-tip")
    tip.wait_for()
    assert EVIL in tip.inner_text() and page.locator(".leaflet-tooltip img").count() == 0
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".kc-popup-title").inner_text() == EVIL
    assert HOSTILE_TRADE in popup.inner_text()
    link = popup.locator("a.kc-json")
    assert link.get_attribute("href") == f"/records/establishments/{hostile['establishment']}"
    assert popup.locator("img, b").count() == 0
    _clean(offline_page)
