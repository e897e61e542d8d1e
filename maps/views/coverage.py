"""Choropleth of khuyến công indicators per district or commune (analytics.indicators)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium

from geo.analytics.filters import ProjectFilter
from geo.core.errors import InvalidInput
from geo.core.settings import MapSettings
from maps.core.format import esc, format_int, format_vnd
from maps.core.legend import LegendEntry, MapBox, legend
from maps.core.map_forms import downloads_html, filter_form, project_fields, select, url_with
from maps.core.map_page import map_page, section, side_panel
from maps.core.palette import SOURCE_LABELS
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
    check_classification,
    check_indicator,
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
    """Escaped, formatted tooltip values of a unit (the tooltip shows them as HTML)."""
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
    return {key: esc(values[key]) for key, _ in tooltip_fields(level, indicator, allocation)}


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


def _names(items: Sequence[dict[str, Any]]) -> str:
    """Escaped comma list of names, cut after MAX_LISTED."""
    names = [esc(i["name"]) for i in items[:MAX_LISTED]]
    more = len(items) - MAX_LISTED
    return ", ".join(names) + (f" và {more} đơn vị khác" if more > 0 else "")


def _unallocated_item(row: dict[str, Any]) -> str:
    """Escaped list item: a district (or none) and the money not allocated to its communes."""
    name = row["district_name"] or "Không xác định huyện"
    why = ""
    if row["district_code"] and not row.get("district_has_communes", True):
        why = NO_COMMUNES
    elif row.get("reason") == "no_weights":
        why = NO_WEIGHTS
    return f"<li>{esc(name)}: {esc(format_vnd(row['kc_vnd']))}{esc(why)}</li>"


def _allocation_note(data: dict[str, Any]) -> str:
    """What happened to money known only at district level, in the commune view."""
    totals, allocation = data["totals"], data.get("allocation", "none")
    parts = []
    if allocation != "none":
        how = "chia đều cho các xã trong huyện" if allocation == "even" \
            else "chia cho các xã theo số cơ sở CNNT của từng xã"
        parts.append(f"<p>Kinh phí đề án chỉ xác định đến cấp huyện được {how}: "
                     f"{esc(format_vnd(totals.get('spread_kc_vnd', 0)))} "
                     "(phần chia này không phải địa điểm thật của đề án).</p>")
    parts.append("<p>Kinh phí chưa phân bổ được cho xã (đề án chỉ xác định đến cấp huyện "
                 f"hoặc tỉnh): {esc(format_vnd(totals['unallocated_kc_vnd']))}</p>")
    rows = [r for r in data.get("unallocated", []) if r["kc_vnd"] > 0]
    if rows:
        parts.append(f"<ul>{''.join(_unallocated_item(r) for r in rows)}</ul>")
    return "".join(parts)


def _notes_html(data: dict[str, Any], activity_types: Mapping[str, str] | None) -> str:
    """Escaped HTML of the notes: boundary quality, demo data, allocation rules, gaps."""
    level, totals = data["level"], data["totals"]
    flt: ProjectFilter = data.get("filter") or ProjectFilter(
        years=tuple(range(data["years"][0], data["years"][1] + 1)),
        statuses=tuple(data["statuses"]))
    parts: list[str] = []
    if data.get("has_approximate"):
        parts.append('<p class="kc-warn">Ranh giới gần đúng</p>'
                     "<p>Ranh giới trên bản đồ được dựng từ tâm xã, không phải ranh giới "
                     "chính thức; chỉ để minh họa, không dùng để đo diện tích hay xác định "
                     "địa giới.</p>")
    if data.get("has_demo"):
        parts.append('<p class="kc-warn">Dữ liệu mẫu (tổng hợp), không phải số liệu thật</p>')
    status_text = ", ".join(STATUS_WORDS.get(s, s) for s in flt.statuses)
    which = filter_text(flt, activity_types)
    parts.append(f"<p>Đề án năm {esc(flt.years_text())} ({esc(status_text)})"
                 f"{'; ' + esc(which) if which else ''}: "
                 f"{esc(format_int(totals['projects']))} đề án, tổng kinh phí khuyến công "
                 f"{esc(format_vnd(totals['kc_vnd']))}; đã phân bổ theo {LEVEL_WORD[level]}: "
                 f"{esc(format_vnd(totals['allocated_kc_vnd']))}.</p>")
    parts.append("<p>Đề án có nhiều địa điểm: kinh phí chia đều cho các địa điểm"
                 f" ({esc(format_int(totals['split_projects']))} đề án).</p>")
    if level == "commune":
        parts.append(_allocation_note(data))
    elif totals["unallocated_kc_vnd"] > 0:
        parts.append("<p>Kinh phí không xác định được huyện (đề án cấp tỉnh hoặc chưa có vị "
                     f"trí): {esc(format_vnd(totals['unallocated_kc_vnd']))}</p>")
    if totals.get("unallocated_establishments"):
        parts.append(f"<p>Cơ sở CNNT chưa xác định được {LEVEL_WORD[level]}: "
                     f"{esc(format_int(totals['unallocated_establishments']))}</p>")
    missing = data.get("missing", [])
    if missing:
        parts.append(f'<p class="kc-warn">Chưa có ranh giới, không vẽ được '
                     f"({esc(len(missing))} đơn vị):</p><p>{_names(missing)}</p>")
    return "".join(parts)


def _features(units: Sequence[dict[str, Any]], level: str, indicator: str, allocation: str,
              classes: Sequence[ValueClass]) -> list[dict[str, Any]]:
    """GeoJSON features of the drawn units; every string property is escaped."""
    return [
        {
            "type": "Feature",
            "id": esc(u["code"]),
            "geometry": u["geometry"],
            "properties": {
                "fill": color_for(indicator_value(u, indicator), classes),
                **_tooltip_properties(u, level, indicator, allocation),
            },
        }
        for u in units if u["geometry"] is not None
    ]


def _panel_html(data: dict[str, Any], level: str, indicator: str, method: str,
                activity_types: Mapping[str, str]) -> str:
    """Side panel: the filter form and the download links of the indicator table."""
    flt: ProjectFilter = data["filter"]
    allocation = data.get("allocation", "none")
    fields = [
        select("level", "Cấp đơn vị", LEVEL_CHOICES, level),
        select("indicator", "Chỉ số", [(k, v.label) for k, v in INDICATORS.items()], indicator),
        select("classes", "Cách phân lớp", [(k, v.capitalize())
                                            for k, v in CLASSIFICATIONS.items()], method),
        *project_fields(flt, activity_types),
        select("allocation", "Đề án cấp huyện (bản đồ cấp xã)", list(ALLOCATION_WORDS.items()),
               allocation),
        select("edition", "Đơn vị hành chính", EDITION_CHOICES, "legacy"),
    ]
    query = {"level": level, **flt.query(), "allocation": allocation}
    downloads = downloads_html([("CSV", url_with("/api/coverage.csv", query)),
                                ("XLSX", url_with("/api/coverage.xlsx", query)),
                                ("GeoJSON", url_with("/api/coverage", query))])
    return (section("Bộ lọc", filter_form("/maps/coverage", fields))
            + section("Bảng chỉ số", downloads))


def coverage_map(data: dict[str, Any], level: str = "commune", indicator: str = "kc_vnd",
                 map_settings: MapSettings | None = None, classes: str = "quantiles",
                 activity_types: Mapping[str, str] | None = None) -> folium.Map:
    """A choropleth of one indicator per unit, with legend, title, notes and (if activity
    types are given) the side panel with the filter form."""
    indicator = check_indicator(indicator)
    check_classification(classes)
    if level != data["level"]:
        raise InvalidInput(f"data is for level {data['level']!r}, not {level!r}")
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
        side_panel(m, "coverage", _panel_html(data, level, indicator, classes, activity_types))

    features = _features(units, level, indicator, allocation, value_classes)
    fields = tooltip_fields(level, indicator, allocation)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=f"{ind.label} theo {LEVEL_WORD[level]}",
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#555",
                                      "weight": 0.6, "fillOpacity": 0.8},
            highlight_function=lambda f: {"weight": 2.5, "color": "#111"},
            tooltip=folium.GeoJsonTooltip(
                fields=[k for k, _ in fields], aliases=[esc(label) for _, label in fields],
                sticky=True, class_name="kc-tip"),
            className=f"kc-unit kc-{level}",
        ).add_to(m)
    outlines = [o for o in data.get("outlines", []) if o["geometry"] is not None]
    if outlines:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "id": esc(o["code"]), "geometry": o["geometry"],
                 "properties": {"code": esc(o["code"])}} for o in outlines]},
            name="Ranh giới huyện",
            style_function=lambda f: {"fill": False, "color": "#222", "weight": 1.6},
            interactive=False,
            className="kc-outline",
        ).add_to(m)

    which = filter_text(flt, activity_types)
    subtitle = "Quảng Ngãi, đơn vị hành chính trước 1/7/2025" + (f"; {which}" if which else "")
    MapBox(f'<div>{esc(title)}</div><div class="kc-subtitle">{esc(subtitle)}</div>',
           "topright", "kc-title").add_to(m)
    entries = [LegendEntry(c.color, class_label(c, ind.fmt)) for c in value_classes]
    entries.append(LegendEntry(ZERO_COLOR, ZERO_LABEL))
    if any(v is None for v in values):
        entries.append(LegendEntry(NODATA_COLOR, NODATA_LABEL))
    note = f"Phân lớp theo {CLASSIFICATIONS[classes]} ({len(value_classes)} lớp)" \
        if value_classes else ""
    if allocation != "none" and level == "commune" and indicator in ("kc_vnd", "counterpart_vnd"):
        note += f". {ALLOCATION_WORDS[allocation]}."
    legend(ind.label, entries, note=note).add_to(m)
    MapBox(_notes_html(data, activity_types), "bottomleft", "kc-notes").add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
