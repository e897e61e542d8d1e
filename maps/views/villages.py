"""Craft villages map: points coloured by trade, loaded by the page's script."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium

from geo.core.settings import MapSettings
from maps.core.legend import legend, title_box
from maps.core.map_forms import ALL, Field, select, url_with
from maps.core.map_page import PageScript, add_context, map_page, side_panel
from maps.core.palette import OTHER_COLOR, trade_colors
from maps.core.panel import export_links, set_exports
from maps.views.points import (
    POINT_NOTE,
    bounds_of_bbox,
    category_entries,
    demo_box,
    point_config,
    points_panel,
)


def villages_map(villages: dict[str, Any], districts: Sequence[tuple[str, str]],
                 district: str | None = None, map_settings: MapSettings | None = None,
                 has_demo: bool = False, bbox: Sequence[float] | None = None) -> folium.Map:
    """The page: legend of trades, filter by district, search; points from /api/villages."""
    names = dict(districts)
    where = f" – {names[district]}" if district and district in names else ""
    title = f"Làng nghề{where}"
    url = url_with("/api/villages", {"district": district or ""})
    m = map_page(map_settings, title, bounds_of_bbox(bbox), preload=url)
    counts: dict[str, int] = {}
    drawn = 0
    for f in villages["features"]:
        if f["geometry"] is not None:
            drawn += 1
            trade = f["properties"]["trade"] or ""
            counts[trade] = counts.get(trade, 0) + 1
    colors = trade_colors(counts)
    fields: list[Field] = [select("district", "Huyện", [ALL, *districts], district or "")]
    side_panel(m, "villages", points_panel(
        "/maps/villages", fields, "Tìm làng nghề", "Ví dụ: bánh tráng", drawn,
        len(villages["features"]) - drawn, "làng nghề", has_demo))
    title_box(title, "Làng nghề được công nhận theo quyết định của UBND tỉnh").add_to(m)
    legend("Ngành nghề", category_entries(counts, colors), note=POINT_NOTE).add_to(m)
    if has_demo:
        demo_box(m)
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    add_context(m, control)
    set_exports(m, export_links("villages", {"district": district or ""}))
    config = point_config(
        url=url, cluster=False,
        layerName="Làng nghề", colorBy="trade", colors=colors, otherColor=OTHER_COLOR,
        recordUrl="/records/villages/", radius=8,
        fields=[["trade", "Ngành nghề", "text"], ["decision", "Quyết định công nhận", "text"],
                ["recognised_year", "Năm công nhận", "year"], ["households", "Số hộ", "int"],
                ["workers", "Số lao động", "int"], ["commune_name", "Xã", "text"],
                ["district_name", "Huyện", "text"], ["precision", "Vị trí", "precision"]],
        districts=names)
    PageScript("points", config, control).add_to(m)
    return m
