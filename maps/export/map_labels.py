"""Place names and rank numbers on the exported maps (PNG, PDF): district names at province
scale, commune names when the map shows one district; Lý Sơn always named. Text has a white
halo so it reads over any fill."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
from matplotlib import patheffects
from matplotlib.axes import Axes
from shapely.geometry import shape

from geo.publish.map_views import ViewData

PROJECTED = "EPSG:32649"
LY_SON = re.compile(r"l[yý]\s*s[oơ]n", re.IGNORECASE)
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def _props(item: Mapping[str, Any]) -> Mapping[str, Any]:
    props = item.get("properties")
    return props if isinstance(props, Mapping) else item


def _points(items: Sequence[Mapping[str, Any]]) -> list[tuple[float, float, Mapping[str, Any]]]:
    """(x, y) in PROJECTED of a point inside each item's geometry, with its properties."""
    kept = [i for i in items if i.get("geometry")]
    if not kept:
        return []
    series = gpd.GeoSeries([shape(i["geometry"]) for i in kept], crs="EPSG:4326")
    inside = series.representative_point().to_crs(PROJECTED)
    return [(p.x, p.y, _props(i)) for p, i in zip(inside, kept, strict=True)]


def _name(props: Mapping[str, Any]) -> str:
    return str(props.get("short_name") or props.get("name") or "")


def label_units(data: ViewData) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(districts, communes) to name: district outlines at province scale; the communes of
    the district the map is limited to; in the 2025 edition (no districts) Lý Sơn only."""
    outlines: list[Mapping[str, Any]] = list(data.get("outlines") or [])
    features = [f for f in data.get("features") or [] if f.get("geometry")]
    district = data.get("district")
    polygons = [f for f in features
                if (f.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")]
    if data.get("level") == "district":
        outlines = list(polygons)
    communes: list[Mapping[str, Any]] = []
    if district:
        background = [b for b in data.get("background") or [] if b.get("geometry")]
        pool = background or polygons
        communes = [c for c in pool if str(_props(c).get("district_code")) == str(district)]
        outlines = [o for o in outlines if str(_props(o).get("code")) == str(district)]
    elif not outlines:
        communes = [f for f in polygons if LY_SON.search(str(_props(f).get("name") or ""))]
    return outlines, communes


def draw_names(ax: Axes, data: ViewData, scale: float = 1.0) -> None:
    """District (bold) and commune names at a point inside each unit."""
    districts, communes = label_units(data)
    for x, y, props in _points(districts):
        ax.text(x, y, _name(props), ha="center", va="center", fontsize=7.5 * scale,
                fontweight="bold", color="#1d1d1d", zorder=16, path_effects=HALO, clip_on=True)
    for x, y, props in _points(communes):
        ax.text(x, y, _name(props), ha="center", va="center", fontsize=5.5 * scale,
                color="#333333", zorder=16, path_effects=HALO, clip_on=True)


def draw_ranks(ax: Axes, data: ViewData, ranks: Mapping[str, int]) -> int:
    """Rank numbers in circles on the communes of RANKS (code -> rank); how many were drawn."""
    ranked = [f for f in data.get("features") or [] if str(f.get("id")) in ranks]
    drawn = 0
    for (x, y, _), f in zip(_points(ranked), [f for f in ranked if f.get("geometry")],
                            strict=True):
        ax.annotate(str(ranks[str(f.get("id"))]), (x, y), ha="center", va="center",
                    fontsize=6.5, fontweight="bold", color="#a50f15", zorder=18,
                    bbox={"boxstyle": "circle,pad=0.25", "facecolor": "white",
                          "edgecolor": "#a50f15", "linewidth": 0.9})
        drawn += 1
    return drawn


def leave_room(ax: Axes) -> None:
    """Widen the view so the north arrow (upper right) and the scale bar (lower left) sit on
    empty margins, never on the data (Lý Sơn, in the north-east, included)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    h = y1 - y0
    ax.set_ylim(y0 - 0.10 * h, y1 + 0.16 * h)
    ax.set_xlim(x0 - 0.02 * (x1 - x0), x1 + 0.04 * (x1 - x0))
