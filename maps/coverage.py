"""Choropleth of khuyến công coverage per district or commune (data from geo.coverage)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import mapclassify
import numpy as np

from geo.errors import InvalidInput
from geo.settings import MapSettings
from maps.base import offline_map
from maps.format import esc, format_int, format_vnd
from maps.legend import LegendEntry, MapBox, legend

INDICATORS: dict[str, tuple[str, Callable[[int], str]]] = {
    "kc_vnd": ("Kinh phí khuyến công", format_vnd),
    "projects": ("Số đề án khuyến công", format_int),
    "establishments": ("Số cơ sở công nghiệp nông thôn", format_int),
}
LEVEL_WORD = {"commune": "xã", "district": "huyện"}
# ColorBrewer YlOrRd, 5 classes; fewer classes take evenly spaced colours from it.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
ZERO_COLOR = "#cfcfcf"
ZERO_LABEL = "Không có"
STATUS_WORDS = {"planned": "dự kiến", "approved": "đã phê duyệt", "in_progress": "đang thực hiện",
                "completed": "hoàn thành", "cancelled": "đã hủy"}
MAX_LISTED = 15
NO_COMMUNES = " (huyện không có đơn vị cấp xã)"
BOUNDARY_WORDS = {"approximate": "gần đúng (dựng từ tâm xã)", "official": "chính thức"}


def check_indicator(indicator: str) -> None:
    """Raise InvalidInput for an indicator the map cannot show."""
    if indicator not in INDICATORS:
        raise InvalidInput(f"indicator must be one of {', '.join(INDICATORS)}, not {indicator!r}")


@dataclass(frozen=True)
class ValueClass:
    """A class of whole-number values lo..hi (inclusive) and its fill colour."""

    lo: int
    hi: int
    color: str


def classify(values: Sequence[int], k: int = 5) -> list[ValueClass]:
    """Quantile classes (mapclassify) of the non-zero values; zero gets its own grey class."""
    positive = sorted(int(v) for v in values if v > 0)
    if not positive:
        return []
    k = min(k, len(set(positive)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bins = mapclassify.Quantiles(np.array(positive, dtype=float), k=k).bins
    uppers = sorted({min(math.floor(b), positive[-1]) for b in bins} | {positive[-1]})
    classes: list[tuple[int, int]] = []
    lo = positive[0]
    for hi in uppers:
        if hi >= lo and any(lo <= v <= hi for v in positive):
            classes.append((lo, hi))
            lo = hi + 1
    n = len(classes)
    colors = [PALETTE[round(i * (len(PALETTE) - 1) / (n - 1))] for i in range(n)] if n > 1 \
        else [PALETTE[2]]
    return [ValueClass(lo, hi, c) for (lo, hi), c in zip(classes, colors, strict=True)]


def color_for(value: int, classes: Sequence[ValueClass]) -> str:
    """Fill colour of a value: grey for zero, else its class colour."""
    if value <= 0:
        return ZERO_COLOR
    for c in classes:
        if value <= c.hi:
            return c.color
    return classes[-1].color if classes else ZERO_COLOR


def class_label(c: ValueClass, fmt: Callable[[int], str]) -> str:
    """'a – b' (or 'a' when the class holds one value), formatted."""
    return fmt(c.lo) if c.lo == c.hi else f"{fmt(c.lo)} – {fmt(c.hi)}"


def tooltip_fields(level: str) -> list[tuple[str, str]]:
    """(property, label) of the tooltip rows of a level."""
    rows = [("name", "Đơn vị"), ("type", "Loại")]
    if level == "commune":
        rows.append(("district", "Thuộc"))
    return rows + [("kc", "Kinh phí khuyến công"), ("cp", "Vốn đối ứng"),
                   ("projects", "Số đề án"), ("establishments", "Số cơ sở CNNT"),
                   ("boundary", "Ranh giới")]


def _tooltip_properties(unit: dict[str, Any], level: str) -> dict[str, str]:
    """Escaped, formatted tooltip values of a unit (the tooltip shows them as HTML)."""
    values = {
        "name": unit["name"], "type": unit["type"], "district": unit.get("district_name") or "",
        "kc": format_vnd(unit["kc_vnd"]), "cp": format_vnd(unit["counterpart_vnd"]),
        "projects": format_int(unit["projects"]),
        "establishments": format_int(unit["establishments"]),
        "boundary": BOUNDARY_WORDS.get(unit.get("boundary_quality") or "", ""),
    }
    return {key: esc(values[key]) for key, _ in tooltip_fields(level)}


def _coords(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    """All (lon, lat) positions of a Polygon or MultiPolygon."""
    rings = geometry["coordinates"]
    polys = [rings] if geometry["type"] == "Polygon" else rings
    for poly in polys:
        for ring in poly:
            for x, y, *_ in ring:
                yield x, y


def _bounds(geometries: Sequence[dict[str, Any]]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the geometries, or None without any."""
    xs, ys = [], []
    for g in geometries:
        for x, y in _coords(g):
            xs.append(x)
            ys.append(y)
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _title(level: str, indicator: str, years: Sequence[int]) -> str:
    """Vietnamese map title, e.g. 'Kinh phí khuyến công theo xã, 2021–2025'."""
    label = INDICATORS[indicator][0]
    period = "" if indicator == "establishments" else f", {years[0]}–{years[1]}"
    return f"{label} theo {LEVEL_WORD[level]}{period}"


def _names(items: Sequence[dict[str, Any]]) -> str:
    """Escaped comma list of names, cut after MAX_LISTED."""
    names = [esc(i["name"]) for i in items[:MAX_LISTED]]
    more = len(items) - MAX_LISTED
    return ", ".join(names) + (f" và {more} đơn vị khác" if more > 0 else "")


def _unallocated_item(row: dict[str, Any]) -> str:
    """Escaped list item: a district (or none) and the money not allocated to its communes."""
    name = row["district_name"] or "Không xác định huyện"
    why = NO_COMMUNES if row["district_code"] and not row.get("district_has_communes", True) \
        else ""
    return f"<li>{esc(name)}: {esc(format_vnd(row['kc_vnd']))}{esc(why)}</li>"


def _notes_html(data: dict[str, Any]) -> str:
    """Escaped HTML of the notes: boundary quality, demo data, allocation rules, gaps."""
    level, totals = data["level"], data["totals"]
    years, statuses = data["years"], data["statuses"]
    parts: list[str] = []
    if data.get("has_approximate"):
        parts.append('<p class="kc-warn">Ranh giới gần đúng</p>'
                     "<p>Ranh giới trên bản đồ được dựng từ tâm xã, không phải ranh giới "
                     "chính thức; chỉ để minh họa, không dùng để đo diện tích hay xác định "
                     "địa giới.</p>")
    if data.get("has_demo"):
        parts.append('<p class="kc-warn">Dữ liệu mẫu (tổng hợp), không phải số liệu thật</p>')
    status_text = ", ".join(STATUS_WORDS.get(s, s) for s in statuses)
    parts.append(f"<p>Đề án năm {esc(years[0])}–{esc(years[1])} ({esc(status_text)}): "
                 f"{esc(format_int(totals['projects']))} đề án, tổng kinh phí khuyến công "
                 f"{esc(format_vnd(totals['kc_vnd']))}; đã phân bổ theo {LEVEL_WORD[level]}: "
                 f"{esc(format_vnd(totals['allocated_kc_vnd']))}.</p>")
    parts.append("<p>Đề án có nhiều địa điểm: kinh phí chia đều cho các địa điểm"
                 f" ({esc(format_int(totals['split_projects']))} đề án).</p>")
    unallocated = data.get("unallocated", [])
    if level == "commune":
        parts.append("<p>Kinh phí chưa phân bổ được cho xã (đề án chỉ xác định đến cấp huyện "
                     f"hoặc tỉnh): {esc(format_vnd(totals['unallocated_kc_vnd']))}</p>")
        rows = [r for r in unallocated if r["kc_vnd"] > 0]
        if rows:
            items = "".join(_unallocated_item(r) for r in rows)
            parts.append(f"<ul>{items}</ul>")
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


def _features(units: Sequence[dict[str, Any]], level: str, indicator: str,
              classes: Sequence[ValueClass]) -> list[dict[str, Any]]:
    """GeoJSON features of the drawn units; every string property is escaped."""
    return [
        {
            "type": "Feature",
            "id": esc(u["code"]),
            "geometry": u["geometry"],
            "properties": {
                "fill": color_for(int(u[indicator]), classes),
                **_tooltip_properties(u, level),
            },
        }
        for u in units if u["geometry"] is not None
    ]


def coverage_map(data: dict[str, Any], level: str = "commune", indicator: str = "kc_vnd",
                 map_settings: MapSettings | None = None) -> folium.Map:
    """A choropleth of one indicator per unit, with legend, title and data caveats."""
    check_indicator(indicator)
    if level != data["level"]:
        raise InvalidInput(f"data is for level {data['level']!r}, not {level!r}")
    label, fmt = INDICATORS[indicator]
    units = data["units"]
    classes = classify([int(u[indicator]) for u in units])
    title = _title(level, indicator, data["years"])
    drawn = [u["geometry"] for u in units if u["geometry"] is not None]
    m = offline_map(map_settings or MapSettings(), title=title, bounds=_bounds(drawn))

    features = _features(units, level, indicator, classes)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=f"{label} theo {LEVEL_WORD[level]}",
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#555",
                                      "weight": 0.6, "fillOpacity": 0.8},
            highlight_function=lambda f: {"weight": 2.5, "color": "#111"},
            tooltip=folium.GeoJsonTooltip(
                fields=[k for k, _ in tooltip_fields(level)],
                aliases=[esc(label) for _, label in tooltip_fields(level)],
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

    subtitle = "Quảng Ngãi, đơn vị hành chính trước 1/7/2025"
    MapBox(f'<div>{esc(title)}</div><div class="kc-subtitle">{esc(subtitle)}</div>',
           "topright", "kc-title").add_to(m)
    entries = [LegendEntry(c.color, class_label(c, fmt)) for c in classes]
    entries.append(LegendEntry(ZERO_COLOR, ZERO_LABEL))
    legend(label, entries, note=f"Phân lớp theo phân vị ({len(classes)} lớp)"
           if classes else "").add_to(m)
    MapBox(_notes_html(data), "bottomleft", "kc-notes").add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
