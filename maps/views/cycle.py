"""The khuyến công year's map (/maps/cycle): a choropleth of a cycle indicator (unmet requested
money, recognised products, communes without a collaborator, or any other) with four overlays
the layer control switches on and off: recognised products, communes with a collaborator,
communes without one, unmet support needs. Tooltips and popups are template-rendered
(autoescaped): names people typed reach the page as text."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium

from geo.analytics.report_types import IndicatorReport
from geo.core.settings import MapSettings
from geo.core.vocab import Classification, IndicatorKey, Level
from geo.cycle.layers import CycleLayers
from geo.cycle.words import NEED_STATUS_VI
from maps.core.format import format_int, format_vnd
from maps.core.legend import legend_box
from maps.core.templates import render
from maps.views.coverage import coverage_map

OCOP_COLOR, CNNT_COLOR = "#e7298a", "#1f78b4"
WITH_COLOR, WITHOUT_COLOR, NEED_COLOR = "#1a9641", "#d7191c", "#6a3d9a"
LEVEL_RADIUS = {"provincial": 6, "regional": 7, "national": 9}
# Need circles: area proportional to the money asked, as the projects map sizes its points.
RADIUS_PER_SQRT_MILLION, MIN_RADIUS = 0.7, 3.0


def need_radius(vnd: int) -> float:
    """Radius in pixels of a need asking VND đồng."""
    return max(MIN_RADIUS, RADIUS_PER_SQRT_MILLION * math.sqrt(max(vnd, 0) / 1_000_000))


def _tip(rows: Sequence[tuple[str, object]]) -> str:
    return str(render("tooltips/table.html", rows=[(k, "—" if v in (None, "") else str(v))
                                                   for k, v in rows]))


def _point(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


def _layer(name: str, css: str, features: list[dict[str, Any]]) -> folium.GeoJson:
    """One overlay: circles styled per feature, tooltip and popup from its `tip` (an empty
    layer stays in the layer control, with its count 0)."""
    tips: dict[str, Any] = {}
    if features:
        tips = {"tooltip": folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True,
                                                 class_name="kc-tip"),
                "popup": folium.GeoJsonPopup(fields=["tip"], labels=False, class_name="kc-tip")}
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=f"{name} ({format_int(len(features))})",
        marker=folium.CircleMarker(radius=6, weight=1.5, fill=True, fill_opacity=0.8,
                                   className=css),
        style_function=lambda f: f["properties"]["style"],
        className=css, overlay=True, show=True, **tips)


def _products(products: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for p in products:
        if p["lon"] is None or p["lat"] is None:
            continue
        ocop = p["kind"] == "ocop"
        grade = f"{p['stars']} sao" if ocop else p["level_name"]
        color = OCOP_COLOR if ocop else CNNT_COLOR
        radius = 4 + int(p["stars"] or 0) if ocop else LEVEL_RADIUS.get(p["level"], 6)
        out.append(_point(p["lon"], p["lat"], {
            "style": {"color": "#333", "fillColor": color, "radius": radius},
            "tip": _tip([("Sản phẩm", p["name"]), ("Loại", f"{p['kind_name']}, {grade}"),
                         ("Năm công nhận", p["year"]), ("Cơ sở", p["establishment_name"]),
                         ("Xã", p["commune_name"])])}))
    return out


def _collaborators(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Communes with an active collaborator: place, position, since when (never a name)."""
    return [_point(k["lon"], k["lat"], {
        "style": {"color": WITH_COLOR, "fillColor": WITH_COLOR, "radius": 5},
        "tip": _tip([("Xã có cộng tác viên", k["commune_name"]), ("Huyện", k["district_name"]),
                     ("Chức vụ", k.get("position")), ("Từ năm", k.get("since_year"))])})
        for k in rows if k["lon"] is not None and k["lat"] is not None]


def _missing(rows: Sequence[dict[str, Any]],
             shapes: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Communes without one: their polygon when the map has it, else their centroid."""
    out = []
    for c in rows:
        props = {"style": {"color": WITHOUT_COLOR, "fillColor": WITHOUT_COLOR, "radius": 5,
                           "weight": 2, "dashArray": "4 3", "fillOpacity": 0.15},
                 "tip": _tip([("Xã chưa có cộng tác viên", c["name"]),
                              ("Huyện", c["district_name"])])}
        if c["code"] in shapes:
            out.append({"type": "Feature", "geometry": shapes[c["code"]], "properties": props})
        elif c["lon"] is not None and c["lat"] is not None:
            out.append(_point(c["lon"], c["lat"], props))
    return out


def _needs(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_point(n["lon"], n["lat"], {
        "style": {"color": NEED_COLOR, "fillColor": NEED_COLOR, "fillOpacity": 0.55,
                  "radius": round(need_radius(int(n["requested_vnd"])), 1)},
        "tip": _tip([("Nhu cầu của cơ sở", n["establishment_name"]),
                     ("Hoạt động", n["activity_name"]),
                     ("Đề nghị hỗ trợ", format_vnd(int(n["requested_vnd"]))),
                     ("Trạng thái", NEED_STATUS_VI.get(n["status"], n["status"])),
                     ("Năm mong muốn", n["desired_year"]), ("Xã", n["commune_name"])])})
        for n in rows if n["lon"] is not None and n["lat"] is not None]


def cycle_overlays(layers: CycleLayers, data: IndicatorReport) -> list[folium.GeoJson]:
    """The four overlays, in the layer control's order."""
    shapes = {u["code"]: u["geometry"] for u in data["units"]
              if data["level"] == Level.commune and u["geometry"] is not None}
    return [
        _layer("Sản phẩm được công nhận (OCOP, CNNT tiêu biểu)", "kc-cycle-products",
               _products(layers["products"])),
        _layer("Xã có cộng tác viên khuyến công", "kc-cycle-collaborators",
               _collaborators(layers["collaborators"])),
        _layer("Xã chưa có cộng tác viên", "kc-cycle-missing",
               _missing(layers["missing"], shapes)),
        _layer("Nhu cầu hỗ trợ chưa đáp ứng", "kc-cycle-needs", _needs(layers["needs"])),
    ]


def cycle_map(data: IndicatorReport, layers: CycleLayers, level: Level = Level.commune,
              indicator: IndicatorKey = IndicatorKey.unmet_requested_vnd,
              map_settings: MapSettings | None = None,
              classes: Classification = Classification.quantiles,
              activity_types: Mapping[str, str] | None = None) -> folium.Map:
    """The page: the choropleth of INDICATOR, the overlays and their legend."""
    m = coverage_map(data, level, indicator, map_settings, classes, activity_types,
                     page="cycle", overlays=cycle_overlays(layers, data))
    counts = {"products": len(layers["products"]), "needs": len(layers["needs"]),
              "collaborators": len(layers["collaborators"]), "missing": len(layers["missing"])}
    legend_box(render("cycle/layers_legend.html", ocop=OCOP_COLOR, cnnt=CNNT_COLOR,
                      with_color=WITH_COLOR, without=WITHOUT_COLOR, need=NEED_COLOR,
                      counts=counts),
               "bottomleft", "kc-cycle-legend", "cycle-legend").add_to(m)
    return m
