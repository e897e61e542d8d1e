"""Projects map: points by activity type and source, sized by budget; district-level projects
as district outlines (never as points). Data come from /api/projects, loaded by the script."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
from markupsafe import Markup

from geo.analytics.filters import ProjectFilter
from geo.core.settings import MapSettings
from maps.core.legend import LegendEntry, legend_box, title_box
from maps.core.map_forms import project_fields, url_with
from maps.core.map_page import PageScript, add_context, map_page, side_panel
from maps.core.palette import ACTIVITY_COLORS, OTHER_COLOR, SOURCE_LABELS
from maps.core.panel import dock, export_links, set_exports
from maps.core.templates import render
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


def _legend(activity_types: Mapping[str, str]) -> Markup:
    """Legend: activity colours, source strokes, sizes, district outlines."""
    return render(
        "boxes/projects_legend.html", sources=SOURCE_LABELS,
        activities=[LegendEntry(ACTIVITY_COLORS.get(code, OTHER_COLOR), name)
                    for code, name in activity_types.items()],
        sizes=[(vnd, round(2 * radius_for(vnd))) for vnd in SIZE_EXAMPLES])


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
    side_panel(m, "projects", render(
        "panels/projects.html", action="/maps/projects",
        fields=project_fields(flt, activity_types), links=[("GeoJSON", data_url)],
        has_demo=has_demo))
    subtitle = "Quảng Ngãi, đơn vị hành chính trước 1/7/2025" + (f"; {which}" if which else "")
    title_box(title, subtitle).add_to(m)
    legend_box(_legend(activity_types)).add_to(m)
    dock(m, "Ghi chú", render("boxes/notes.html", has_approximate=has_approximate,
                              has_demo=has_demo, lines=[], placeholder_id="kc-project-notes"),
         "kc-notes", "notes")
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    add_context(m, control)
    set_exports(m, export_links("projects", flt.query()))
    config = {
        "url": data_url, "recordUrl": "/records/projects/",
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
