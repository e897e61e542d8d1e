"""The what-if additions to the gaps map: the plan's reach box and the needs layer."""

from __future__ import annotations

from typing import Any

import folium

from geo.cycle.whatif import PlanRanking
from maps.core.legend import MapBox
from maps.core.templates import render

NEED_COLOR = "#6a3d9a"


def add_plan_layers(m: folium.Map, ranking: PlanRanking,
                    needs: list[dict[str, Any]]) -> folium.Map:
    """Add the plan's reached/missed box and the needs of the year as a point layer."""
    MapBox(render("cycle/gaps_plan_box.html", plan=ranking["plan"]), "bottomright",
           "kc-plan-box").add_to(m)
    features = [{"type": "Feature", "geometry": {"type": "Point",
                                                 "coordinates": [n["lon"], n["lat"]]},
                 "properties": {"tip": str(render("cycle/need_tip.html", n=n))}}
                for n in needs if n.get("lat") is not None and n.get("lon") is not None]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="Nhu cầu hỗ trợ đã đăng ký",
            marker=folium.CircleMarker(radius=5, color=NEED_COLOR, weight=1, fill=True,
                                       fill_color=NEED_COLOR, fill_opacity=0.8),
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True,
                                          class_name="kc-tip"),
            className="kc-needs",
        ).add_to(m)
    return m
