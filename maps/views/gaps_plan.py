"""The what-if additions to the gaps map: the plan's reach box and the needs layer."""

from __future__ import annotations

from typing import Any

import folium

from maps.core.format import format_vnd
from maps.core.legend import MapBox
from maps.pages.cycle_env import environment

NEED_COLOR = "#6a3d9a"


def _no_braces(html: str) -> str:
    """Folium renders element output again as a Jinja template: braces stay text."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def add_plan_layers(m: folium.Map, ranking: dict[str, Any],
                    needs: list[dict[str, Any]]) -> folium.Map:
    """Add the plan's reached/missed box and the needs of the year as a layer."""
    box = environment().get_template("cycle/gaps_plan_box.html").render(plan=ranking["plan"])
    MapBox(_no_braces(box), "bottomright", "kc-plan-box").add_to(m)
    layer = folium.FeatureGroup(name="Nhu cầu hỗ trợ đã đăng ký", show=True)
    for n in needs:
        if n.get("lat") is None or n.get("lon") is None:
            continue
        text = environment().from_string(
            "{{ n.establishment_name }} – {{ n.activity_name }}: đề nghị {{ money }}"
        ).render(n=n, money=format_vnd(n["requested_vnd"]))
        folium.CircleMarker([n["lat"], n["lon"]], radius=5, color=NEED_COLOR, weight=1,
                            fill=True, fill_opacity=0.8,
                            tooltip=folium.Tooltip(_no_braces(text))).add_to(layer)
    layer.add_to(m)
    return m
