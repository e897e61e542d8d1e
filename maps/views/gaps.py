"""Underserved units (legacy communes or districts, 2025 communes): highlighted on the map,
ranked beside it, the score formula shown, switches for the level and the edition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from markupsafe import Markup

from geo.analytics.filters import ProjectFilter
from geo.analytics.gaps import PRIORITY_WEIGHT
from geo.analytics.report_types import IndicatorReport, Ranking
from geo.core.settings import MapSettings
from geo.core.vocab import Edition, Level
from maps.core.format import format_int, format_vnd
from maps.core.legend import LegendEntry, legend, title_box
from maps.core.map_forms import Field, Hidden, project_fields, select, url_with
from maps.core.map_page import PageScript, add_context, map_page, side_panel
from maps.core.panel import dock, export_links, set_exports
from maps.core.templates import render
from maps.views.choropleth import (
    ALLOCATION_WORDS,
    BOUNDARY_WORDS,
    LEVEL_WORD,
    ValueClass,
    bounds_of,
    class_label,
    classify,
)
from maps.views.coverage import filter_text
from maps.views.coverage2025 import LEGACY_SUBTITLE, NO_DATA_COLOR, NO_DATA_LABEL, SUBTITLE_2025

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


def _tooltip(unit: dict[str, Any], row: dict[str, Any] | None, level: str,
             edition: str) -> Markup:
    """The tooltip of a unit, rendered from a template."""
    former = ", ".join(dict.fromkeys(str(s["legacy_name"])
                                     for s in unit.get("legacy_sources") or ()))
    values = {
        "name": unit["name"], "district": unit.get("district_name") or "", "former": former,
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
    skip = {"district", "priority"} if level == "district" else (
        {"district"} if edition == "2025" else {"former"})
    if edition != "2025":
        skip.add("former")
    return render("tooltips/table.html",
                  rows=[(label, values[key]) for key, label in TOOLTIP_FIELDS
                        if key not in skip])


def unit_words(level: str, edition: str) -> tuple[str, str]:
    """(singular, heading) naming the ranked units: ('xã', 'Xã'), ('huyện', 'Huyện'),
    ('xã', 'Xã (từ 1/7/2025)')."""
    word = LEVEL_WORD[level]
    heading = word.capitalize() + (" (từ 1/7/2025)" if edition == "2025" else "")
    return word, heading


LEVEL_SWITCH = (("commune", "Cấp xã"), ("district", "Cấp huyện"))
EDITION_SWITCH = (("legacy", "Trước 1/7/2025"), ("2025", "Từ 1/7/2025 (xã mới)"))


def switches(query: dict[str, str], level: str, edition: str
             ) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Links switching level and edition that keep the other filters: [(label, [(text, url,
    current)])]. District level is legacy-only, so its link goes back to the legacy edition;
    the 2025 link goes to communes; the plan what-if (legacy communes) is kept only there."""
    def link(lv: str, ed: str) -> str:
        q = {**query, "level": lv, "edition": ed}
        if (lv, ed) != ("commune", "legacy"):
            q.pop("plan", None)
            q.pop("top", None)
        return url_with("/maps/gaps", q)

    return [("Cấp đơn vị", [(text, link(v, "legacy" if v == "district" else edition),
                             v == level) for v, text in LEVEL_SWITCH]),
            ("Đơn vị hành chính", [(text, link("commune" if v == "2025" else level, v),
                                    v == edition) for v, text in EDITION_SWITCH])]


TOOLTIP_FIELDS = (("name", "Đơn vị"), ("district", "Thuộc"), ("former", "Từ các đơn vị cũ"),
                  ("rank", "Hạng"),
                  ("score", "Điểm thiếu hỗ trợ"), ("establishments", "Số cơ sở CNNT"),
                  ("workers", "Số lao động"), ("villages", "Số làng nghề"),
                  ("kc", "Kinh phí khuyến công"), ("priority", "Xã ưu tiên"),
                  ("boundary", "Ranh giới"))


def page_query(ranking: Ranking) -> dict[str, str]:
    """The page's query parameters: filter, allocation, level, edition (and plan, top)."""
    query = {**ranking["filter"].query(), "allocation": ranking["allocation"],
             "level": ranking["level"], "edition": ranking["edition"]}
    plan = dict(ranking).get("plan")
    if isinstance(plan, dict):
        query.update(plan=str(plan["year"]), top=str(plan["top_n"]))
    return query


def _panel_html(ranking: Ranking, activity_types: Mapping[str, str]) -> Markup:
    """Side panel: level and edition switches, filter form, formula, downloads and the ranked
    list (each item zooms the map to its unit)."""
    flt: ProjectFilter = ranking["filter"]
    allocation = ranking["allocation"]
    level, edition = str(ranking["level"]), str(ranking["edition"])
    query = page_query(ranking)
    fields: list[Field] = [
        *project_fields(flt, activity_types),
        select("allocation", "Đề án cấp huyện", list(ALLOCATION_WORDS.items()), allocation),
        *(Hidden(k, query[k]) for k in ("level", "edition", "plan", "top") if k in query)]
    data_query = {k: v for k, v in query.items() if k not in ("plan", "top")}
    links = [(fmt, url_with(f"/api/gaps{ext}", data_query))
             for fmt, ext in (("CSV", ".csv"), ("XLSX", ".xlsx"), ("JSON", ""))]
    rows = [{**r, "bbox": ",".join(f"{v:.5f}" for v in r["bbox"]) if r.get("bbox") else "",
             "where": (r.get("former") or "") if edition == "2025"
             else (r["district_name"] or "") if level == "commune" else "",
             "score": format_score(int(round(r["score"] * 100)))} for r in ranking["communes"]]
    word, heading = unit_words(level, edition)
    return render("panels/gaps.html", action="/maps/gaps", fields=fields, links=links,
                  ranking=ranking, rows=rows, k_text=K_TEXT, word=word, heading=heading,
                  level=level, edition=edition, switches=switches(query, level, edition))


def gaps_map(report: IndicatorReport, ranking: Ranking,
             map_settings: MapSettings | None = None,
             activity_types: Mapping[str, str] | None = None) -> folium.Map:
    """Units coloured by underserved score, the top ones numbered, the ranking beside."""
    flt: ProjectFilter = ranking["filter"]
    level, edition = str(ranking["level"]), str(ranking["edition"])
    word, _ = unit_words(level, edition)
    rows_by_code = {r["code"]: r for r in ranking["communes"]}
    classes = _score_classes([r for r in ranking["communes"] if r["score"] > 0])
    title = f"{word.capitalize()} thiếu hỗ trợ khuyến công, {flt.years_text()}"
    units = report["units"]
    m = map_page(map_settings, title,
                 bounds_of([u["geometry"] for u in units if u["geometry"] is not None]))
    side_panel(m, "gaps", _panel_html(ranking, activity_types or {}))
    features = []
    for u in units:
        if u["geometry"] is None:
            continue
        row = rows_by_code.get(u["code"])
        no_data = u.get("data_status", "ok") != "ok"
        features.append({
            "type": "Feature", "id": u["code"], "geometry": u["geometry"],
            "properties": {"fill": NO_DATA_COLOR if no_data else _fill(row, classes),
                           "is_gap": bool(row and row["no_support"]),
                           "is_priority": bool(u.get("priority")),
                           "tip": render("tooltips/table.html", rows=[
                               ("Đơn vị", u["name"]), ("Số liệu", NO_DATA_LABEL)])
                           if no_data else _tooltip(u, row, level, edition)}})
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=f"Điểm thiếu hỗ trợ theo {word}",
            style_function=lambda f: {
                "fillColor": f["properties"]["fill"], "fillOpacity": 0.85,
                "color": "#7a0000" if f["properties"]["is_gap"] else "#666",
                "weight": 2.2 if f["properties"]["is_gap"] else 0.6,
                "dashArray": "4 3" if f["properties"]["is_priority"] else None},
            highlight_function=lambda f: {"weight": 3, "color": "#111"},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True,
                                          class_name="kc-tip"),
            className=f"kc-unit kc-gap kc-{level}",
        ).add_to(m)
    top = folium.FeatureGroup(name=f"Thứ hạng {TOP_LABELED} {word} đầu")
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
    where = SUBTITLE_2025 if edition == Edition.e2025 else LEGACY_SUBTITLE
    subtitle = f"{where}. Điểm = 100 × (k × N − S), cách tính ở bảng bên trái" + (
        f"; {which}" if which else "")
    title_box(title, subtitle).add_to(m)
    entries = [LegendEntry(c.color, class_label(c, format_score)) for c in classes]
    entries += [LegendEntry(SERVED_COLOR, "Được hỗ trợ tương xứng hoặc hơn (điểm ≤ 0)"),
                LegendEntry(NO_NEED_COLOR, "Không có cơ sở CNNT, làng nghề")]
    if any(u.get("data_status", "ok") != "ok" for u in units):
        entries.append(LegendEntry(NO_DATA_COLOR, NO_DATA_LABEL))
    legend("Điểm thiếu hỗ trợ", entries,
           note="Viền đỏ đậm: chưa nhận hỗ trợ nào trong kỳ. "
                + ("" if level == Level.district else "Viền nét đứt: xã ưu tiên. ")
                + "Số: thứ hạng.").add_to(m)
    dock(m, "Ghi chú", render(
        "boxes/notes.html", has_approximate=report.get("has_approximate"),
        has_demo=report.get("has_demo"), placeholder_id="", lines=[
            f"{ALLOCATION_WORDS[ranking['allocation']]}; kinh phí chưa phân bổ cho "
            f"{word}: {format_vnd(report['totals']['unallocated_kc_vnd'])}."]), "kc-notes",
        "notes")
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    add_context(m, control, edition)
    set_exports(m, export_links("gaps", {k: v for k, v in page_query(ranking).items()
                                         if k not in ("plan", "top")}))
    PageScript("gapsList", {"list": ".kc-gaplist"}, control).add_to(m)
    return m
