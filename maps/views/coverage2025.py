"""The coverage choropleth on the 2025 communes: maps.views.coverage plus 'no data' and methods."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
from markupsafe import Markup

from geo.analytics.filters import ProjectFilter
from geo.analytics.report_types import IndicatorReport
from geo.core.settings import MapSettings
from geo.core.vocab import Allocation, Classification, IndicatorKey, Level
from maps.core.legend import MapBox
from maps.core.map_forms import Field, project_fields, select, url_with
from maps.core.map_page import MapContext, side_panel
from maps.core.panel import export_links, set_exports
from maps.core.templates import render
from maps.views.choropleth import (
    ALLOCATION_WORDS,
    CLASSIFICATIONS,
    EDITION_CHOICES,
    INDICATORS,
    bounds_of,
)
from maps.views.coverage import coverage_map

LEGACY_SUBTITLE = "Quảng Ngãi, đơn vị hành chính trước 1/7/2025"
SUBTITLE_2025 = "Quảng Ngãi, đơn vị hành chính từ 1/7/2025 (gồm địa bàn Kon Tum cũ)"
NO_DATA_COLOR = "#e9e4f0"
NO_DATA_LABEL = "Chưa có dữ liệu"
PAGE = "/maps/coverage"


def query_of(flt: ProjectFilter, indicator: IndicatorKey, classes: Classification,
             allocation: Allocation) -> dict[str, str]:
    """The page's query parameters (to keep them when switching edition or downloading)."""
    return {**flt.query(), "indicator": indicator, "classes": classes,
            "allocation": allocation}


def _fields(report: IndicatorReport, indicator: IndicatorKey, classes: Classification,
            activity_types: Mapping[str, str]) -> tuple[list[Field], list[tuple[str, str]]]:
    """Filter form fields (edition switch included) and download links of the 2025 view."""
    flt: ProjectFilter = report["filter"]
    allocation = report["allocation"]
    fields: list[Field] = [
        select("edition", "Đơn vị hành chính", EDITION_CHOICES, "2025"),
        select("indicator", "Chỉ số", [(k, v.label) for k, v in INDICATORS.items()], indicator),
        select("classes", "Cách phân lớp", [(k, v.capitalize())
                                            for k, v in CLASSIFICATIONS.items()], classes),
        *project_fields(flt, activity_types),
        select("allocation", "Đề án cấp huyện", list(ALLOCATION_WORDS.items()), allocation),
    ]
    query = {**query_of(flt, indicator, classes, allocation), "edition": "2025"}
    links = [(fmt.upper(), url_with(f"/maps/coverage.{fmt}", query))
             for fmt in ("csv", "xlsx", "gpkg", "geojson", "png")]
    return fields, links


def _splits(report: IndicatorReport) -> list[dict[str, Any]]:
    """How each split legacy commune's values were carried to the new communes."""
    out = []
    for s in report["split_communes"]:
        how = ("theo diện tích phần giao" + (" (ranh giới gần đúng)"
                                             if s["polygons"] == "approximate" else "")
               if s["method"] == "area" else "theo tỷ lệ của bảng chuyển đổi")
        out.append({"legacy_name": s["legacy_name"], "how": how,
                    "targets": [(x["name"], round(100 * (x["share"] or 0)))
                                for x in s["targets"]]})
    return out


def _panel(report: IndicatorReport, indicator: IndicatorKey, classes: Classification,
           activity_types: Mapping[str, str] | None) -> Markup:
    """Filter form and downloads (with activity types), and how values were carried over."""
    fields, links = _fields(report, indicator, classes, activity_types) \
        if activity_types is not None else ([], [])
    return render("panels/coverage2025.html", action=PAGE, fields=fields, links=links,
                  splits=_splits(report), totals=report["totals"],
                  no_data_units=report["no_data_units"], no_data_color=NO_DATA_COLOR,
                  no_data_label=NO_DATA_LABEL)


def _layer_control_last(m: folium.Map) -> None:
    """Move the layer control after every layer (its script names the layers it lists)."""
    for key, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            del m._children[key]
            m.add_child(child, name=key)


def coverage_2025_map(report: IndicatorReport, indicator: IndicatorKey = IndicatorKey.kc_vnd,
                      map_settings: MapSettings | None = None,
                      classes: Classification = Classification.quantiles,
                      activity_types: Mapping[str, str] | None = None) -> folium.Map:
    """The 2025 coverage choropleth: data units coloured, Kon Tum units 'no data'."""
    ok = [u for u in report["units"] if u["data_status"] == "ok"]
    no_data = [u for u in report["units"] if u["data_status"] != "ok" and u["geometry"]]
    m = coverage_map({**report, "units": ok}, Level.commune, indicator, map_settings, classes)
    for child in m._children.values():  # stopgap until coverage_map takes a subtitle
        if isinstance(child, MapBox) and "kc-title" in child.css_class:
            child.content = child.content.replace(LEGACY_SUBTITLE, SUBTITLE_2025)
        if isinstance(child, MapContext):
            child.set_edition("2025")
    set_exports(m, export_links("coverage", {
        **query_of(report["filter"], indicator, classes, report["allocation"]),
        "edition": "2025"}))
    if no_data:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "id": u["code"], "geometry": u["geometry"],
                 "properties": {"tip": render("tooltips/table.html", rows=[
                     ("Đơn vị", u["name"]), ("Số liệu", NO_DATA_LABEL)])}}
                for u in no_data]},
            name=NO_DATA_LABEL,
            style_function=lambda f: {"fillColor": NO_DATA_COLOR, "color": "#8c7fa3",
                                      "weight": 0.6, "fillOpacity": 0.7},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, class_name="kc-tip"),
            className="kc-unit kc-nodata",
        ).add_to(m)
        _layer_control_last(m)
    bounds = bounds_of([u["geometry"] for u in report["units"] if u["geometry"]])
    if bounds:
        m.fit_bounds(bounds)
    side_panel(m, "coverage", _panel(report, indicator, classes, activity_types))
    return m
