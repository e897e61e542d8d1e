"""Underserved communes: highlighted on the map, ranked beside it, the score formula shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from markupsafe import Markup

from geo.analytics.filters import ProjectFilter
from geo.analytics.gaps import PRIORITY_WEIGHT
from geo.analytics.report_types import IndicatorReport, Ranking
from geo.core.settings import MapSettings
from maps.core.format import format_int, format_vnd
from maps.core.legend import LegendEntry, legend, title_box
from maps.core.map_forms import Field, project_fields, select, url_with
from maps.core.map_page import PageScript, add_context, map_page, side_panel
from maps.core.panel import dock, export_links, set_exports
from maps.core.templates import render
from maps.views.choropleth import (
    ALLOCATION_WORDS,
    BOUNDARY_WORDS,
    ValueClass,
    bounds_of,
    class_label,
    classify,
)
from maps.views.coverage import filter_text

# ColorBrewer Reds, 5 classes, for positive scores (more underserved = darker).
REDS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
SERVED_COLOR = "#d9ecf2"
NO_NEED_COLOR = "#eeeeee"
TOP_LABELED = 10
K_TEXT = f"{PRIORITY_WEIGHT:g}".replace(".", ",")


def _score_classes(rows: Sequence[dict[str, Any]]) -> list[ValueClass]:
    """Classes of positive scores (in hundredths), coloured in reds."""
    classes = classify([int(round(r["score"] * 100)) for r in rows])
    n = len(classes)
    return [ValueClass(c.lo, c.hi, REDS[round(i * (len(REDS) - 1) / (n - 1))] if n > 1
                       else REDS[2]) for i, c in enumerate(classes)]


def format_score(hundredths: int) -> str:
    """Score in hundredths as Vietnamese decimal text: 741 -> '7,41'."""
    return f"{hundredths / 100:.2f}".replace(".", ",")


def _fill(row: dict[str, Any] | None, classes: Sequence[ValueClass]) -> str:
    """Fill of a commune: red class for a positive score, blue-grey if served, grey if no need."""
    if row is None:
        return NO_NEED_COLOR
    value = int(round(row["score"] * 100))
    if value <= 0 or not classes:
        return SERVED_COLOR
    for c in classes:
        if value <= c.hi:
            return c.color
    return classes[-1].color


def _tooltip(unit: dict[str, Any], row: dict[str, Any] | None) -> Markup:
    """The tooltip of a commune, rendered from a template."""
    values = {
        "name": unit["name"], "district": unit.get("district_name") or "",
        "rank": f"{row['rank']}" if row else "không xếp hạng (không có cơ sở, làng nghề)",
        "score": format_score(int(round(row["score"] * 100))) if row else "–",
        "establishments": format_int(unit["establishments"]),
        "workers": format_int(unit["workers"]),
        "villages": format_int(unit["craft_villages"]),
        "kc": format_vnd(unit["kc_vnd"]),
        "priority": "có" + (f" ({unit['priority_note']})" if unit.get("priority_note") else "")
        if unit.get("priority") else "không",
        "boundary": BOUNDARY_WORDS.get(unit.get("boundary_quality") or "", ""),
    }
    return render("tooltips/table.html",
                  rows=[(label, values[key]) for key, label in TOOLTIP_FIELDS])


TOOLTIP_FIELDS = (("name", "Xã"), ("district", "Thuộc"), ("rank", "Hạng"),
                  ("score", "Điểm thiếu hỗ trợ"), ("establishments", "Số cơ sở CNNT"),
                  ("workers", "Số lao động"), ("villages", "Số làng nghề"),
                  ("kc", "Kinh phí khuyến công"), ("priority", "Xã ưu tiên"),
                  ("boundary", "Ranh giới"))


def _panel_html(ranking: Ranking, activity_types: Mapping[str, str]) -> Markup:
    """Side panel: filter form, formula, downloads and the ranked list (each item zooms the
    map to its commune)."""
    flt: ProjectFilter = ranking["filter"]
    allocation = ranking["allocation"]
    fields: list[Field] = [
        *project_fields(flt, activity_types),
        select("allocation", "Đề án cấp huyện", list(ALLOCATION_WORDS.items()), allocation)]
    query = {**flt.query(), "allocation": allocation}
    links = [("CSV", url_with("/api/gaps.csv", query)), ("XLSX", url_with("/api/gaps.xlsx", query)),
             ("JSON", url_with("/api/gaps", query))]
    rows = [{**r, "bbox": ",".join(f"{v:.5f}" for v in r["bbox"]) if r.get("bbox") else "",
             "district_name": r["district_name"] or "",
             "score": format_score(int(round(r["score"] * 100)))} for r in ranking["communes"]]
    return render("panels/gaps.html", action="/maps/gaps", fields=fields, links=links,
                  ranking=ranking, rows=rows, k_text=K_TEXT)


def gaps_map(report: IndicatorReport, ranking: Ranking,
             map_settings: MapSettings | None = None,
             activity_types: Mapping[str, str] | None = None) -> folium.Map:
    """Communes coloured by underserved score, the top ones numbered, the ranking beside."""
    flt: ProjectFilter = ranking["filter"]
    rows_by_code = {r["code"]: r for r in ranking["communes"]}
    classes = _score_classes([r for r in ranking["communes"] if r["score"] > 0])
    title = f"Xã thiếu hỗ trợ khuyến công, {flt.years_text()}"
    units = report["units"]
    m = map_page(map_settings, title,
                 bounds_of([u["geometry"] for u in units if u["geometry"] is not None]))
    side_panel(m, "gaps", _panel_html(ranking, activity_types or {}))
    features = []
    for u in units:
        if u["geometry"] is None:
            continue
        row = rows_by_code.get(u["code"])
        features.append({
            "type": "Feature", "id": u["code"], "geometry": u["geometry"],
            "properties": {"fill": _fill(row, classes),
                           "is_gap": bool(row and row["no_support"]),
                           "is_priority": bool(u.get("priority")),
                           "tip": _tooltip(u, row)}})
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="Điểm thiếu hỗ trợ theo xã",
            style_function=lambda f: {
                "fillColor": f["properties"]["fill"], "fillOpacity": 0.85,
                "color": "#7a0000" if f["properties"]["is_gap"] else "#666",
                "weight": 2.2 if f["properties"]["is_gap"] else 0.6,
                "dashArray": "4 3" if f["properties"]["is_priority"] else None},
            highlight_function=lambda f: {"weight": 3, "color": "#111"},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True,
                                          class_name="kc-tip"),
            className="kc-unit kc-gap",
        ).add_to(m)
    top = folium.FeatureGroup(name=f"Thứ hạng {TOP_LABELED} xã đầu")
    for r in ranking["communes"][:TOP_LABELED]:
        if r["score"] <= 0 or not r.get("bbox"):
            continue
        w, s, e, n = r["bbox"]
        folium.Marker(
            [(s + n) / 2, (w + e) / 2],
            icon=folium.DivIcon(html=render("boxes/rank_pin.html", rank=r["rank"]),
                                icon_size=(22, 22), icon_anchor=(11, 11),
                                class_name="kc-rank-icon"),
            interactive=False, keyboard=False,
        ).add_to(top)
    top.add_to(m)
    which = filter_text(flt, activity_types)
    subtitle = "Điểm = 100 × (k × N − S), cách tính ở bảng bên trái" + (f"; {which}" if which
                                                                         else "")
    title_box(title, subtitle).add_to(m)
    entries = [LegendEntry(c.color, class_label(c, format_score)) for c in classes]
    entries += [LegendEntry(SERVED_COLOR, "Được hỗ trợ tương xứng hoặc hơn (điểm ≤ 0)"),
                LegendEntry(NO_NEED_COLOR, "Không có cơ sở CNNT, làng nghề")]
    legend("Điểm thiếu hỗ trợ", entries,
           note="Viền đỏ đậm: chưa nhận hỗ trợ nào trong kỳ. Viền nét đứt: xã ưu tiên. "
                "Số: thứ hạng.").add_to(m)
    dock(m, "Ghi chú", render(
        "boxes/notes.html", has_approximate=report.get("has_approximate"),
        has_demo=report.get("has_demo"), placeholder_id="", lines=[
            f"{ALLOCATION_WORDS[ranking['allocation']]}; kinh phí chưa phân bổ cho "
            f"xã: {format_vnd(report['totals']['unallocated_kc_vnd'])}."]), "kc-notes", "notes")
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    add_context(m, control)
    set_exports(m, export_links("gaps", {**flt.query(), "allocation": ranking["allocation"]}))
    PageScript("gapsList", {"list": ".kc-gaplist"}, control).add_to(m)
    return m
