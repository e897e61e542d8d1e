"""Establishments map: clustered points loaded by the page's script from a GeoJSON endpoint,
or, when there are more than a page can carry, drawn from vector tiles (/tiles/...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium

from geo.core.settings import MapSettings
from geo.core.vocab import ColorBy
from geo.publish.tiles import POINTS_ZOOM
from maps.core.assets import own_url
from maps.core.legend import legend, title_box
from maps.core.map_forms import ALL, Field, select, url_with
from maps.core.map_page import PageScript, add_context, map_page, side_panel
from maps.core.palette import OTHER_COLOR, STATUS_COLORS, STATUS_LABELS, trade_colors
from maps.core.panel import export_links, set_exports
from maps.views.points import (
    POINT_NOTE,
    bounds_of_bbox,
    category_entries,
    demo_box,
    point_config,
    points_panel,
)

VECTORGRID = "vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js"  # with its LICENCE
COLOR_BY = {ColorBy.trade: "Ngành nghề", ColorBy.status: "Trạng thái định vị (rà soát)"}


def establishments_map(counts: dict[str, Any], districts: Sequence[tuple[str, str]],
                       district: str | None = None, color_by: ColorBy = ColorBy.trade,
                       map_settings: MapSettings | None = None, has_demo: bool = False,
                       bbox: Sequence[float] | None = None,
                       tiles: str | None = None) -> folium.Map:
    """The page: legend from COUNTS, filter form, search; points come from the endpoint, or
    from the vector tile URL template TILES ({z}/{x}/{y}) when given."""
    names = dict(districts)
    where = f" – {names[district]}" if district and district in names else ""
    title = f"Cơ sở công nghiệp nông thôn{where}"
    url = url_with("/api/establishments.geojson", {"district": district or ""})
    m = map_page(map_settings, title, bounds_of_bbox(bbox), cluster=True,
                 preload=None if tiles else url)
    if tiles:
        m.default_js = [*m.default_js, ("vectorgrid", own_url(VECTORGRID)),
                        ("kcmap_tiles_js", own_url("kcmap_tiles.js"))]
    if color_by == "trade":
        colors = trade_colors(counts["trades"])
        entries = category_entries(counts["trades"], colors)
    else:
        colors = dict(STATUS_COLORS)
        entries = category_entries(counts["statuses"], colors, STATUS_LABELS)
    fields: list[Field] = [select("district", "Huyện", [ALL, *districts], district or ""),
                           select("color", "Tô màu theo", list(COLOR_BY.items()), color_by)]
    side_panel(m, "establishments", points_panel(
        "/maps/establishments", fields, "Tìm cơ sở", "Ví dụ: mộc, Minh Phát", counts["drawn"],
        counts["not_drawn"], "cơ sở", has_demo))
    title_box(title, "Tô màu theo " + COLOR_BY[color_by].lower()).add_to(m)
    legend(COLOR_BY[color_by], entries, note=POINT_NOTE).add_to(m)
    if has_demo:
        demo_box(m)
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    add_context(m, control)
    set_exports(m, export_links("establishments", {"district": district or ""}))
    config = point_config(
        url=None if tiles else url, cluster=True, layerName="Cơ sở CNNT", colorBy=color_by,
        colors=colors,
        otherColor=OTHER_COLOR, recordUrl="/records/establishments/",
        fields=[["trade", "Ngành nghề", "text"], ["workers", "Số lao động", "int"],
                ["commune", "Xã", "text"], ["district", "Huyện", "district"],
                ["precision", "Vị trí", "precision"], ["status", "Trạng thái định vị", "status"]],
        districts=names, statusLabels=STATUS_LABELS, tiles=tiles, pointsZoom=POINTS_ZOOM)
    PageScript("points", config, control).add_to(m)
    return m
