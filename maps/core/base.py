"""An offline Folium map: local Leaflet/jQuery/Bootstrap/Font Awesome, optional basemap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from branca.element import Figure
from jinja2 import Template as JinjaTemplate

from geo.core.settings import MapSettings
from geo.publish.basemap_tiles import is_mbtiles
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
    ("kccontext_css", own_url("kccontext.css")),
    ("kcmap_css", own_url("kcmap.css")),  # last: overrides Leaflet's defaults
]


MBTILES_URL = "/tiles/basemap/{z}/{x}/{y}.png"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                   'contributors')
NO_BASEMAP = "Không có bản đồ nền"


def has_tiles(map_settings: MapSettings) -> bool:
    """Whether a basemap is configured (anything but empty or 'none')."""
    return map_settings.tiles.strip().lower() not in ("", "none")


def tile_url(map_settings: MapSettings) -> str:
    """The URL template of the basemap ('' without one; the app's own tile route for a local
    .mbtiles file)."""
    if not has_tiles(map_settings):
        return ""
    return MBTILES_URL if is_mbtiles(map_settings.tiles) else map_settings.tiles.strip()


def add_basemaps(m: folium.Map, map_settings: MapSettings) -> None:
    """The configured basemap, 'no basemap' and, beside a local .mbtiles file, OpenStreetMap
    (used only when chosen, so offline nothing is fetched)."""
    if not has_tiles(map_settings):
        return
    local = is_mbtiles(map_settings.tiles)
    folium.TileLayer(tiles=tile_url(map_settings), name="Bản đồ nền" + (
        " (tệp trên máy chủ)" if local else ""), attr=map_settings.tiles_attribution,
        overlay=False, control=True, max_zoom=19).add_to(m)
    folium.FeatureGroup(name=NO_BASEMAP, overlay=False, control=True, show=False).add_to(m)
    if local:
        folium.TileLayer(tiles=OSM_URL, name="OpenStreetMap (cần Internet)",
                         attr=OSM_ATTRIBUTION, overlay=False, control=True, show=False,
                         max_zoom=19).add_to(m)


# The whole map page (branca's Figure renders header, html and script into it), lang="vi".
VIETNAMESE_PAGE = JinjaTemplate(
    "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
    "{% if this.title %}<title>{{ this.title }}</title>{% endif %}"
    "{{ this.header.render(**kwargs) }}\n</head>\n<body>\n{{ this.html.render(**kwargs) }}\n"
    "</body>\n<script>\n{{ this.script.render(**kwargs) }}\n</script>\n</html>\n")


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
    root._template = VIETNAMESE_PAGE  # the page declares its language
    root.header.add_child(folium.Element(render("map/head.html", title=title)), name="kc_head")
    add_basemaps(m, map_settings)
    m.fit_bounds([list(p) for p in (bounds or QUANG_NGAI_BOUNDS)])
    return m
