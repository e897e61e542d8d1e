"""Choropleth of khuyến công indicators per district or commune (analytics.indicators)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from markupsafe import Markup

from geo.analytics.filters import ProjectFilter
from geo.analytics.report_types import IndicatorReport
from geo.core.errors import InvalidInput
from geo.core.settings import MapSettings
from geo.core.vocab import Classification, IndicatorKey, Level
from maps.core.format import format_int, format_vnd
from maps.core.legend import LegendEntry, legend, title_box
from maps.core.map_forms import Field, project_fields, select, url_with
from maps.core.map_page import add_context, map_page, side_panel
from maps.core.palette import SOURCE_LABELS
from maps.core.panel import dock, export_links, set_exports
from maps.core.templates import render
from maps.views.choropleth import (
    ALLOCATION_WORDS,
    BOUNDARY_WORDS,
    CLASSIFICATIONS,
    EDITION_CHOICES,
    INDICATORS,
    LEVEL_CHOICES,
    LEVEL_WORD,
    MAX_LISTED,
    NO_COMMUNES,
    NO_WEIGHTS,
    NODATA_COLOR,
    NODATA_LABEL,
    STATUS_WORDS,
    ZERO_COLOR,
    ZERO_LABEL,
    ValueClass,
    bounds_of,
    class_label,
    classify,
    color_for,
    indicator_value,
)


def tooltip_fields(level: str, indicator: str = "kc_vnd",
                   allocation: str = "none") -> list[tuple[str, str]]:
    """(property, label) of the tooltip rows of a level."""
    rows = [("name", "Đơn vị"), ("type", "Loại")]
    if level == "commune":
        rows.append(("district", "Thuộc"))
    rows += [("kc", "Kinh phí khuyến công")]
    if allocation != "none" and level == "commune":
        rows.append(("spread", "trong đó chia từ cấp huyện"))
    rows += [("cp", "Vốn đối ứng"), ("projects", "Số đề án"),
             ("establishments", "Số cơ sở CNNT"), ("workers", "Số lao động"),
             ("villages", "Số làng nghề")]
    if indicator not in ("kc_vnd", "counterpart_vnd", "projects", "establishments", "workers",
                         "craft_villages"):
        rows.append(("value", INDICATORS[indicator].label))
    return rows + [("boundary", "Ranh giới")]


def _tooltip_properties(unit: dict[str, Any], level: str, indicator: str,
                        allocation: str) -> dict[str, str]:
    """The tooltip of a unit: its formatted values as a table rendered from a template."""
    value = indicator_value(unit, indicator)
    values = {
        "name": unit["name"], "type": unit["type"], "district": unit.get("district_name") or "",
        "kc": format_vnd(unit["kc_vnd"]), "cp": format_vnd(unit["counterpart_vnd"]),
        "spread": format_vnd(unit.get("spread_kc_vnd", 0)),
        "projects": format_int(unit["projects"]),
        "establishments": format_int(unit["establishments"]),
        "workers": format_int(unit.get("workers", 0)),
        "villages": format_int(unit.get("craft_villages", 0)),
        "value": "–" if value is None else INDICATORS[indicator].fmt(value),
        "boundary": BOUNDARY_WORDS.get(unit.get("boundary_quality") or "", ""),
    }
    rows = [(label, values[key]) for key, label in tooltip_fields(level, indicator, allocation)]
    former = list(dict.fromkeys(s["legacy_name"] for s in unit.get("legacy_sources") or ()))
    if former:  # a 2025 commune: the units before 1/7/2025 it was formed from (or got a share of)
        rows.insert(2, ("Từ các đơn vị cũ", ", ".join(former)))
    return {"tip": render("tooltips/table.html", rows=rows)}


def filter_text(flt: ProjectFilter, activity_types: Mapping[str, str] | None = None) -> str:
    """'nguồn KCQG; hoạt động Đào tạo nghề' for the non-default parts of a filter ('' if none)."""
    parts = []
    if flt.sources:
        parts.append("nguồn " + ", ".join(SOURCE_LABELS.get(s, s) for s in flt.sources))
    if flt.activities:
        names = activity_types or {}
        parts.append("hoạt động " + ", ".join(names.get(a, a) for a in flt.activities))
    return "; ".join(parts)


def _title(level: str, indicator: str, flt: ProjectFilter) -> str:
    """Vietnamese map title, e.g. 'Kinh phí khuyến công theo xã, 2021–2025'."""
    ind = INDICATORS[indicator]
    period = f", {flt.years_text()}" if ind.per_period else ""
    return f"{ind.label} theo {LEVEL_WORD[level]}{period}"


def _unallocated_rows(data: IndicatorReport) -> list[tuple[str, int, str]]:
    """(district or none, money not allocated to its communes, why) of the commune view."""
    out = []
    for row in data.get("unallocated", []):
        if row["kc_vnd"] <= 0:
            continue
        why = ""
        if row["district_code"] and not row.get("district_has_communes", True):
            why = NO_COMMUNES
        elif row.get("reason") == "no_weights":
            why = NO_WEIGHTS
        out.append((row["district_name"] or "Không xác định huyện", row["kc_vnd"], why))
    return out


def _notes_html(data: IndicatorReport, activity_types: Mapping[str, str] | None) -> Markup:
    """The notes: boundary quality, demo data, allocation rules, units not drawn."""
    flt: ProjectFilter = data.get("filter") or ProjectFilter(
        years=tuple(range(data["years"][0], data["years"][1] + 1)),
        statuses=tuple(data["statuses"]))
    return render(
        "boxes/coverage_notes.html", has_approximate=data.get("has_approximate"),
        has_demo=data.get("has_demo"), years=flt.years_text(),
        statuses=", ".join(STATUS_WORDS.get(s, s) for s in flt.statuses),
        which=filter_text(flt, activity_types), totals=data["totals"], level=data["level"],
        level_word=LEVEL_WORD[data["level"]], allocation=data.get("allocation", "none"),
        unallocated=_unallocated_rows(data), missing=data.get("missing", []),
        max_listed=MAX_LISTED)


def _features(units: Sequence[dict[str, Any]], level: str, indicator: str, allocation: str,
              classes: Sequence[ValueClass]) -> list[dict[str, Any]]:
    """GeoJSON features of the drawn units: fill and tooltip (template-rendered HTML)."""
    return [
        {
            "type": "Feature",
            "id": u["code"],
            "geometry": u["geometry"],
            "properties": {
                "fill": color_for(indicator_value(u, indicator), classes),
                **_tooltip_properties(u, level, indicator, allocation),
            },
        }
        for u in units if u["geometry"] is not None
    ]


def _panel_html(data: IndicatorReport, level: str, indicator: str, method: str,
                activity_types: Mapping[str, str], page: str = "coverage") -> Markup:
    """Side panel: the filter form (sent to the PAGE: coverage or cycle, the latter without
    the 2025 edition) and the download links of the indicator table."""
    flt: ProjectFilter = data["filter"]
    allocation = data.get("allocation", "none")
    fields: list[Field] = [
        select("level", "Cấp đơn vị", LEVEL_CHOICES, level),
        select("indicator", "Chỉ số", [(k, v.label) for k, v in INDICATORS.items()], indicator),
        select("classes", "Cách phân lớp", [(k, v.capitalize())
                                            for k, v in CLASSIFICATIONS.items()], method),
        *project_fields(flt, activity_types),
        select("allocation", "Đề án cấp huyện (bản đồ cấp xã)", list(ALLOCATION_WORDS.items()),
               allocation),
    ]
    if page == "coverage":
        fields.append(select("edition", "Đơn vị hành chính", EDITION_CHOICES, "legacy"))
    query = {"level": level, **flt.query(), "allocation": allocation}
    links = [("CSV", url_with("/api/coverage.csv", query)),
             ("XLSX", url_with("/api/coverage.xlsx", query)),
             ("GeoJSON", url_with("/api/coverage", query))]
    return render("panels/coverage.html", action=f"/maps/{page}", fields=fields, links=links)


def coverage_map(data: IndicatorReport, level: Level = Level.commune,
                 indicator: IndicatorKey = IndicatorKey.kc_vnd,
                 map_settings: MapSettings | None = None,
                 classes: Classification = Classification.quantiles,
                 activity_types: Mapping[str, str] | None = None, page: str = "coverage",
                 overlays: Sequence[folium.map.Layer] = ()) -> folium.Map:
    """A choropleth of one indicator per unit, with legend, title, notes and (if activity
    types are given) the side panel with the filter form of the PAGE (coverage, cycle);
    OVERLAYS are added above it, each a layer the layer control can switch on and off."""
    if level != data["level"]:
        raise InvalidInput(f"Dữ liệu là của cấp {data['level']!r}, không phải cấp {level!r}")
    ind = INDICATORS[indicator]
    allocation = data.get("allocation", "none")
    flt: ProjectFilter = data.get("filter") or ProjectFilter(
        years=tuple(range(data["years"][0], data["years"][1] + 1)),
        statuses=tuple(data["statuses"]))
    units = data["units"]
    values = [indicator_value(u, indicator) for u in units]
    value_classes = classify(values, method=classes)
    title = _title(level, indicator, flt)
    drawn = [u["geometry"] for u in units if u["geometry"] is not None]
    m = map_page(map_settings, title, bounds_of(drawn))
    if activity_types is not None:
        side_panel(m, page, _panel_html(data, level, indicator, classes, activity_types, page))

    features = _features(units, level, indicator, allocation, value_classes)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=f"{ind.label} theo {LEVEL_WORD[level]}",
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#555",
                                      "weight": 0.6, "fillOpacity": 0.8},
            highlight_function=lambda f: {"weight": 2.5, "color": "#111"},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True,
                                          class_name="kc-tip"),
            className=f"kc-unit kc-{level}",
        ).add_to(m)
    outlines = [o for o in data.get("outlines", []) if o["geometry"] is not None]
    if outlines:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "id": o["code"], "geometry": o["geometry"],
                 "properties": {"code": o["code"]}} for o in outlines]},
            name="Ranh giới huyện",
            style_function=lambda f: {"fill": False, "color": "#222", "weight": 1.6},
            interactive=False,
            className="kc-outline",
        ).add_to(m)
    for layer in overlays:
        layer.add_to(m)

    which = filter_text(flt, activity_types)
    subtitle = "Quảng Ngãi, đơn vị hành chính trước 1/7/2025" + (f"; {which}" if which else "")
    title_box(title, subtitle).add_to(m)
    entries = [LegendEntry(c.color, class_label(c, ind.fmt)) for c in value_classes]
    entries.append(LegendEntry(ZERO_COLOR, ZERO_LABEL))
    if any(v is None for v in values):
        entries.append(LegendEntry(NODATA_COLOR, NODATA_LABEL))
    note = f"Phân lớp theo {CLASSIFICATIONS[classes]} ({len(value_classes)} lớp)" \
        if value_classes else ""
    if allocation != "none" and level == "commune" and indicator in ("kc_vnd", "counterpart_vnd"):
        note += f". {ALLOCATION_WORDS[allocation]}."
    legend(ind.label, entries, note=note).add_to(m)
    dock(m, "Ghi chú", _notes_html(data, activity_types), "kc-notes", "notes")
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    add_context(m, control)
    set_exports(m, export_links("coverage", {"level": level, "indicator": indicator,
                                              "classes": classes, **flt.query(),
                                              "allocation": allocation}))
    return m
