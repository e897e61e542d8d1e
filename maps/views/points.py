"""Shared parts of the point maps (establishments, craft villages): words, legend, panel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from markupsafe import Markup

from maps.core.format import format_int
from maps.core.legend import LegendEntry
from maps.core.map_forms import Field
from maps.core.palette import NO_TRADE, OTHER_COLOR, OTHER_TRADES
from maps.core.panel import dock
from maps.core.templates import render

PRECISION_LABELS = {"exact": "Chính xác", "commune": "Gần đúng (tâm xã)",
                    "district": "Cấp huyện", "province": "Cấp tỉnh", "none": "Không có"}
POINT_NOTE = ("Chấm đặc: vị trí chính xác; chấm rỗng: vị trí gần đúng, đặt ở tâm xã. "
              "Bản ghi chỉ xác định đến cấp huyện, tỉnh không được vẽ thành điểm.")


def bounds_of_bbox(bbox: Sequence[float] | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of a [west, south, east, north] box."""
    if not bbox:
        return None
    w, s, e, n = bbox
    return [[s, w], [n, e]]


def category_entries(counts: Mapping[str, int], colors: Mapping[str, str],
                     labels: Mapping[str, str] | None = None) -> list[LegendEntry]:
    """Legend rows: each coloured category with its count, then the grey rest."""
    names = labels or {}
    entries = [LegendEntry(color, f"{names.get(key, key)} ({format_int(counts.get(key, 0))})")
               for key, color in colors.items()]
    rest = sum(n for k, n in counts.items() if k not in colors)
    if rest:
        word = OTHER_TRADES if labels is None else "Khác"
        if labels is None and set(counts) - set(colors) == {""}:
            word = NO_TRADE
        entries.append(LegendEntry(OTHER_COLOR, f"{word} ({format_int(rest)})"))
    return entries


def points_panel(action: str, fields: list[Field], search_title: str, placeholder: str,
                 drawn: int, not_drawn: int, noun: str, has_demo: bool) -> Markup:
    """Side panel of a point map: filter form, search box and result list, counts, warning."""
    return render("panels/points.html", action=action, fields=fields,
                  search_title=search_title, placeholder=placeholder, drawn=drawn,
                  not_drawn=not_drawn, noun=noun, has_demo=has_demo)


def demo_box(m: folium.Map) -> None:
    """The demo-data warning, in the side panel."""
    dock(m, "Ghi chú", render("boxes/notes.html", has_approximate=False, has_demo=True,
                              lines=[], placeholder_id=""), "kc-notes", "notes")


def point_config(**extra: Any) -> dict[str, Any]:
    """The config of kcmap.points shared by the point pages."""
    return {"precisionLabels": PRECISION_LABELS, "search": "#kc-search",
            "results": "#kc-results", "searchCount": "#kc-search-count", **extra}
