"""Chromium takes the gzipped vendor and own assets: the map page works offline from them."""

from __future__ import annotations

from typing import Any

from api.web.static_files import MIN_BYTES
from tests.maps.test_map_pages import _clean, _open, hostile  # noqa: F401 - hostile is a fixture


def test_map_page_runs_on_gzipped_assets(hostile: dict[str, Any], live_server: str,  # noqa: F811
                                         offline_page: Any) -> None:
    encodings: dict[str, str] = {}
    sizes: dict[str, int] = {}

    def seen(response: Any) -> None:
        if "/static/" in response.url:
            name = response.url.split("/static/", 1)[1]
            encodings[name] = response.headers.get("content-encoding", "")
            sizes[name] = int(response.headers.get("content-length", "0"))

    offline_page.page.on("response", seen)
    page = _open(offline_page, live_server + "/maps/establishments")
    scripts = [k for k in encodings if k.endswith(".js")]
    styles = [k for k in encodings if k.endswith(".css")]
    assert "vendor/leaflet/leaflet.js" in scripts and styles
    # every script and style sheet gzipped, but those too small to gain from it
    plain = [k for k in scripts + styles if encodings[k] != "gzip"]
    assert all(0 < sizes[k] < MIN_BYTES for k in plain), (plain, sizes)
    assert len(plain) < len(scripts + styles) / 2
    # The decompressed script and style sheet are in effect: Leaflet's map and its CSS.
    assert page.evaluate("() => typeof L.map === 'function'")
    overflow = page.evaluate(
        "() => getComputedStyle(document.querySelector('.leaflet-container')).overflow")
    assert overflow == "hidden"
    _clean(offline_page)
