"""An offline Folium map: local Leaflet/jQuery/Bootstrap/Font Awesome, optional basemap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from branca.element import Figure

from geo.core.settings import MapSettings
from maps.core.assets import own_url, vendor_url
from maps.core.templates import render

# Quảng Ngãi (legacy extent, islands included): south-west and north-east corners.
QUANG_NGAI_BOUNDS = ((14.53, 108.23), (15.45, 109.17))
QUANG_NGAI_CENTER = (15.0, 108.75)

# Folium's defaults minus the CDN-only extras (awesome-markers, glyphicons, rotate css).
LOCAL_JS = [
    ("leaflet", vendor_url("leaflet", "leaflet.js")),
    ("jquery", vendor_url("jquery", "jquery.min.js")),
    ("bootstrap", vendor_url("bootstrap", "js/bootstrap.bundle.min.js")),
]
LOCAL_CSS = [
    ("leaflet_css", vendor_url("leaflet", "leaflet.css")),
    ("bootstrap_css", vendor_url("bootstrap", "css/bootstrap.min.css")),
    ("font_awesome_css", vendor_url("font-awesome", "css/all.min.css")),
    ("kcmap_css", own_url("kcmap.css")),  # last: overrides Leaflet's defaults
]


def has_tiles(map_settings: MapSettings) -> bool:
    """Whether a basemap URL template is configured (anything but empty or 'none')."""
    return map_settings.tiles.strip().lower() not in ("", "none")


def offline_map(map_settings: MapSettings, title: str = "Bản đồ khuyến công tỉnh Quảng Ngãi",
                bounds: Sequence[Sequence[float]] | None = None, **kwargs: Any) -> folium.Map:
    """A folium.Map that loads nothing from a CDN; a tile layer only if one is configured."""
    m = folium.Map(location=list(QUANG_NGAI_CENTER), zoom_start=9, tiles=None,
                   control_scale=True, **kwargs)
    # Per instance: the class attributes (CDN URLs) stay untouched for other code.
    m.default_js = list(LOCAL_JS)
    m.default_css = list(LOCAL_CSS)
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(folium.Element(render("map/head.html", title=title)), name="kc_head")
    if has_tiles(map_settings):
        folium.TileLayer(tiles=map_settings.tiles.strip(), attr=map_settings.tiles_attribution,
                         name="Bản đồ nền", overlay=False, control=True).add_to(m)
    m.fit_bounds([list(p) for p in (bounds or QUANG_NGAI_BOUNDS)])
    return m
