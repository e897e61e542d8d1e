"""Projects map: points by activity type and source, sized by budget; district-level projects
as district outlines (never as points). Data come from /api/projects, loaded by the script."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium

from geo.analytics.filters import ProjectFilter
from geo.core.settings import MapSettings
from maps.core.format import esc, format_vnd
from maps.core.legend import LegendEntry, MapBox, legend_html
from maps.core.map_forms import downloads_html, filter_form, project_fields, url_with
from maps.core.map_page import PageScript, map_page, section, side_panel
from maps.core.palette import ACTIVITY_COLORS, OTHER_COLOR, SOURCE_LABELS
from maps.views.choropleth import bounds_of
from maps.views.coverage import filter_text

# Circle radius in pixels = RADIUS_PER_SQRT_MILLION × √(đồng / 1.000.000), at least MIN_RADIUS:
# the area of a circle is proportional to the money placed there.
RADIUS_PER_SQRT_MILLION = 0.7
MIN_RADIUS = 3.0
SIZE_EXAMPLES = (100_000_000, 500_000_000, 1_500_000_000)
DISTRICT_COLOR = "#6a3d9a"


def radius_for(vnd: int) -> float:
    """Radius in pixels of a project point holding VND đồng."""
    return max(MIN_RADIUS, RADIUS_PER_SQRT_MILLION * math.sqrt(max(vnd, 0) / 1_000_000))


def _sizes_html() -> str:
    """Legend block of reference circle sizes."""
    items = []
    for vnd in SIZE_EXAMPLES:
        d = round(2 * radius_for(vnd))
        items.append(f'<li><span class="kc-size" style="width:{d}px;height:{d}px"></span>'
                     f"{esc(format_vnd(vnd))}</li>")
    return f'<ul class="kc-legend-list kc-sizes">{"".join(items)}</ul>'


def _legend(activity_types: Mapping[str, str]) -> str:
    """Legend: activity colours, source strokes, sizes, district outlines."""
    acts = legend_html("Hoạt động khuyến công", [
        LegendEntry(ACTIVITY_COLORS.get(code, OTHER_COLOR), name)
        for code, name in activity_types.items()])
    sources = (
        '<div class="kc-legend-title">Nguồn kinh phí</div><ul class="kc-legend-list">'
        f'<li><span class="kc-dot kc-dot-kcqg"></span>{esc(SOURCE_LABELS["KCQG"])}: viền đen'
        f'</li><li><span class="kc-dot kc-dot-kcdp"></span>{esc(SOURCE_LABELS["KCDP"])}: '
        "viền trắng</li></ul>")
    sizes = ('<div class="kc-legend-title">Kinh phí khuyến công tại địa điểm</div>'
             + _sizes_html())
    district = (
        '<ul class="kc-legend-list"><li><span class="kc-swatch kc-swatch-district"></span>'
        "Đề án chỉ xác định đến cấp huyện: tô viền cả huyện, không đặt điểm</li></ul>")
    note = ('<p class="kc-legend-note">Đề án có nhiều địa điểm: kinh phí chia đều cho các '
            "địa điểm. Điểm nét đứt: vị trí gần đúng (tâm xã).</p>")
    return acts + sources + sizes + district + note


def projects_map(flt: ProjectFilter, districts: Sequence[dict[str, Any]],
                 activity_types: Mapping[str, str], map_settings: MapSettings | None = None,
                 has_demo: bool = False, has_approximate: bool = False) -> folium.Map:
    """The page: legend, filter form and district outlines; projects come from /api/projects."""
    which = filter_text(flt, activity_types)
    title = f"Đề án khuyến công, {flt.years_text()}"
    outlines = [d for d in districts if d["geometry"] is not None]
    data_url = url_with("/api/projects", flt.query())
    m = map_page(map_settings, title, bounds_of([d["geometry"] for d in outlines]),
                 preload=data_url)
    side_panel(m, "projects",
               section("Bộ lọc", filter_form("/maps/projects", project_fields(flt,
                                                                           activity_types)))
               + section("Số liệu", '<p id="kc-project-summary" aria-live="polite">'
                         "Đang tải đề án…</p>"
                         + downloads_html([("GeoJSON", data_url)])
                         + ('<p class="kc-warn">Dữ liệu mẫu (tổng hợp), không phải số liệu '
                            "thật</p>" if has_demo else "")))
    subtitle = "Quảng Ngãi, đơn vị hành chính trước 1/7/2025" + (f"; {which}" if which else "")
    MapBox(f'<div>{esc(title)}</div><div class="kc-subtitle">{esc(subtitle)}</div>',
           "topright", "kc-title").add_to(m)
    MapBox(_legend(activity_types), "bottomright", "kc-legend").add_to(m)
    notes = []
    if has_approximate:
        notes.append('<p class="kc-warn">Ranh giới gần đúng</p>')
    if has_demo:
        notes.append('<p class="kc-warn">Dữ liệu mẫu (tổng hợp), không phải số liệu thật</p>')
    notes.append('<p id="kc-project-notes"></p>')
    MapBox("".join(notes), "bottomleft", "kc-notes").add_to(m)
    control = folium.LayerControl(collapsed=False)
    control.add_to(m)
    config = {
        "url": data_url, "recordUrl": "/api/projects/",
        "colors": ACTIVITY_COLORS, "otherColor": OTHER_COLOR,
        "activityNames": dict(activity_types), "sourceLabels": SOURCE_LABELS,
        "radiusPerSqrtMillion": RADIUS_PER_SQRT_MILLION, "minRadius": MIN_RADIUS,
        "districtColor": DISTRICT_COLOR,
        "districts": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": d["code"], "geometry": d["geometry"],
             "properties": {"code": d["code"], "name": d["name"]}} for d in outlines]},
        "summary": "#kc-project-summary", "notes": "#kc-project-notes",
    }
    PageScript("projects", config, control).add_to(m)
    return m
