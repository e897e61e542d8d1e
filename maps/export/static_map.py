"""Server-side static maps (matplotlib + geopandas): PNG for slides, figures for the PDF.

No tiles and no network: units and records are drawn from the view's data alone, projected
to WGS 84 / UTM 49N, with a legend, a north arrow, a scale bar and a source note that flags
approximate boundaries and demo data. Text uses DejaVu Sans (full Vietnamese glyphs).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from shapely.geometry import shape

from geo.core.vocab import Classification, IndicatorKey
from geo.publish.map_views import ViewData
from maps.core.format import format_int, format_vnd
from maps.core.palette import ACTIVITY_COLORS, OTHER_COLOR, OTHER_TRADES, trade_colors
from maps.export.map_labels import draw_names, draw_ranks, leave_room
from maps.export.map_titles import source_note, view_title
from maps.views.choropleth import (
    INDICATORS,
    NODATA_COLOR,
    ZERO_COLOR,
    ZERO_LABEL,
    class_label,
    classify,
    color_for,
    indicator_value,
)

PROJECTED = "EPSG:32649"  # WGS 84 / UTM zone 49N: metres, for the scale bar
PNG_DPI = 300
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu Sans"
NO_DATA_2025 = "#e9e4f0"
NO_DATA_2025_LABEL = "Chưa có dữ liệu (xã, phường thuộc tỉnh Kon Tum cũ)"
TOP_RANKS = 10


@cache
def use_fonts() -> None:
    """DejaVu Sans for all text (the system copy if installed), fonts embedded as TrueType."""
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        path = FONT_DIR / name
        if path.exists():
            font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({"font.family": FONT, "pdf.fonttype": 42, "ps.fonttype": 42,
                                "svg.fonttype": "none"})


def _frame(items: Sequence[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Features (GeoJSON dicts, or unit rows with a top-level geometry) in PROJECTED."""
    kept = [f for f in items if f.get("geometry")]
    props = [dict(f.get("properties") or f) for f in kept]
    for p in props:
        p.pop("geometry", None)
    frame = gpd.GeoDataFrame(props, geometry=[shape(f["geometry"]) for f in kept],
                             crs="EPSG:4326")
    return frame.to_crs(PROJECTED) if len(frame) else frame


def _nice(length_m: float) -> float:
    """A round length (1, 2 or 5 × 10^k metres) not above LENGTH_M."""
    k = 10 ** math.floor(math.log10(length_m))
    return float(max(m * k for m in (1, 2, 5) if m * k <= length_m))


def scale_bar(ax: Axes) -> None:
    """A two-tone scale bar in km at the lower left of projected axes."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice((x1 - x0) / 5)
    left, bottom, height = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04, (y1 - y0) * 0.012
    for i in range(4):
        ax.add_patch(Rectangle((left + i * length / 4, bottom), length / 4, height,
                               facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.6, zorder=20))
    for frac in (0, 0.5, 1):
        km = length * frac / 1000
        text = f"{km:g}".replace(".", ",")
        ax.text(left + length * frac, bottom + height * 1.6, text, ha="center", va="bottom",
                fontsize=7, zorder=20)
    ax.text(left + length + (x1 - x0) * 0.01, bottom, "km", ha="left", va="bottom",
            fontsize=7, zorder=20)


def north_arrow(ax: Axes) -> None:
    """A north arrow ('B', Bắc) at the upper right of the axes."""
    ax.annotate("B", xy=(0.955, 0.965), xytext=(0.955, 0.86), xycoords="axes fraction",
                ha="center", va="center", fontsize=11, fontweight="bold", zorder=20,
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3,
                            "headwidth": 10, "headlength": 10})


def _limits(ax: Axes, frame: gpd.GeoDataFrame, bbox: Sequence[float] | None = None) -> None:
    """Zoom to a lon/lat bbox or the frame, with a margin, keeping the aspect."""
    if bbox:
        b = gpd.GeoSeries([shape({"type": "Polygon", "coordinates": [[
            (bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[2], bbox[3]), (bbox[0], bbox[3]),
            (bbox[0], bbox[1])]]})], crs="EPSG:4326").to_crs(PROJECTED).total_bounds
    elif len(frame):
        b = frame.total_bounds
    else:
        return
    mx, my = (b[2] - b[0]) * 0.05 + 500, (b[3] - b[1]) * 0.05 + 500
    ax.set_xlim(b[0] - mx, b[2] + mx)
    ax.set_ylim(b[1] - my, b[3] + my)


def _base(ax: Axes, data: ViewData) -> gpd.GeoDataFrame:
    """Commune polygons in light grey and district outlines beneath point layers."""
    base = _frame(data.get("background", []))
    if len(base):
        base.plot(ax=ax, facecolor="#f4f4f1", edgecolor="#c8c8c8", linewidth=0.3)
    _outlines(ax, data)
    return base


def _outlines(ax: Axes, data: ViewData) -> None:
    lines = _frame(data.get("outlines", []))
    if len(lines):
        lines.plot(ax=ax, facecolor="none", edgecolor="#555555", linewidth=0.8, zorder=5)


def _coverage(ax: Axes, data: ViewData, indicator: IndicatorKey,
              classes: Classification) -> tuple[list[Any], str]:
    """Choropleth of one indicator; returns legend handles and title."""
    ind = INDICATORS[indicator]
    feats = [{**f, "properties": {**f["properties"],
                                  "kc_vnd": f["properties"].get("support_vnd")}}
             for f in data["features"] if f.get("geometry")]
    frame = _frame(feats)
    values = [indicator_value(f["properties"], indicator) for f in feats]
    value_classes = classify(values, method=classes)
    no_data = [f["properties"].get("data_status") == "no_data" for f in feats]
    colors = [NO_DATA_2025 if nd else color_for(v, value_classes)
              for v, nd in zip(values, no_data, strict=True)]
    if len(frame):
        frame.plot(ax=ax, color=colors, edgecolor="#777777", linewidth=0.3)
    _outlines(ax, data)
    handles: list[Any] = [Patch(facecolor=c.color, edgecolor="#777", label=class_label(c, ind.fmt))
                          for c in value_classes]
    handles.append(Patch(facecolor=ZERO_COLOR, edgecolor="#777", label=ZERO_LABEL))
    if any(v is None and not nd for v, nd in zip(values, no_data, strict=True)):
        handles.append(Patch(facecolor=NODATA_COLOR, edgecolor="#777",
                             label="Không tính được"))
    if any(no_data):
        handles.append(Patch(facecolor=NO_DATA_2025, edgecolor="#777", label=NO_DATA_2025_LABEL))
    _limits(ax, frame)
    return handles, ind.label


def _gaps(ax: Axes, data: ViewData) -> tuple[list[Any], str]:
    """Communes by underserved rank: the ten first dark, next twenty lighter, numbered."""
    frame = _frame(data["features"])
    shades = [("#b2182b", f"Hạng 1–{TOP_RANKS}"), ("#ef8a62", f"Hạng {TOP_RANKS + 1}–30"),
              ("#fddbc7", "Hạng sau 30"), ("#e0e0e0", "Không có cơ sở CNNT, làng nghề"),
              (NO_DATA_2025, NO_DATA_2025_LABEL)]

    def shade(p: dict[str, Any]) -> str:
        rank = p.get("rank")
        if p.get("data_status") == "no_data":
            return shades[4][0]
        if rank is None or (isinstance(rank, float) and math.isnan(rank)):
            return shades[3][0]
        return shades[0][0] if rank <= TOP_RANKS else shades[1][0] if rank <= 30 \
            else shades[2][0]

    records = frame.to_dict("records") if len(frame) else []
    if len(frame):
        frame.plot(ax=ax, color=[shade(p) for p in records], edgecolor="#777777",
                   linewidth=0.3)
        for p in records:
            rank = p.get("rank")
            if rank is not None and not math.isnan(rank) and rank <= TOP_RANKS:
                pt = p["geometry"].representative_point()
                ax.text(pt.x, pt.y, str(int(rank)), ha="center", va="center", fontsize=7,
                        fontweight="bold", color="white", zorder=15)
    _outlines(ax, data)
    used = {shade(p) for p in records}
    _limits(ax, frame)
    return [Patch(facecolor=c, edgecolor="#777", label=t) for c, t in shades if c in used], \
        "Mức thiếu hỗ trợ (điểm càng cao càng thiếu)"


def _size(budget: float, biggest: float) -> float:
    return 8 + 260 * math.sqrt(max(budget, 0) / biggest) if biggest > 0 else 20


def _projects(ax: Axes, data: ViewData, activity_names: dict[str, str]
              ) -> tuple[list[Any], str]:
    """Project points sized by budget, by activity; district-only projects as outlines."""
    base = _base(ax, data)
    points = _frame(data["features"])
    biggest = max([f["properties"]["budget_vnd"] for f in data["features"]] or [0])
    if len(points):
        points = points.explode(index_parts=False)
        points.plot(ax=ax, color=[ACTIVITY_COLORS.get(a, OTHER_COLOR)
                                  for a in points["activity_type"]],
                    markersize=[_size(b, biggest) for b in points["budget_vnd"]],
                    alpha=0.75, edgecolor="white", linewidth=0.4, zorder=10)
    districts = {c for f in data["features"] for c in
                 str(f["properties"].get("district_precision_districts") or "").split(",") if c}
    hatched = [o for o in data.get("outlines", []) if o.get("code") in districts]
    if hatched:
        _frame(hatched).plot(ax=ax, facecolor="none", edgecolor="#6a3d9a", linestyle="--",
                             linewidth=1.3, zorder=6)
    present = sorted({f["properties"]["activity_type"] for f in data["features"]})
    handles: list[Any] = [Line2D([], [], marker="o", linestyle="", markersize=7,
                                 color=ACTIVITY_COLORS.get(a, OTHER_COLOR),
                                 label=activity_names.get(a, a)) for a in present]
    if biggest:
        handles.append(Line2D([], [], marker="o", linestyle="", color="#888",
                              markersize=math.sqrt(_size(biggest, biggest)),
                              label=f"Kinh phí lớn nhất: {format_vnd(biggest)}"))
    if hatched:
        handles.append(Line2D([], [], color="#6a3d9a", linestyle="--", linewidth=1.3,
                              label="Huyện có đề án chỉ xác định đến cấp huyện "
                                    "(không vẽ thành điểm)"))
    _limits(ax, base)
    return handles, "Loại hoạt động (kích thước: kinh phí)"


def _records(ax: Axes, data: ViewData, marker: str) -> tuple[list[Any], str]:
    """Establishment or village points coloured by trade."""
    base = _base(ax, data)
    points = _frame(data["features"])
    counts: dict[str, int] = {}
    for f in data["features"]:
        if f.get("geometry"):
            t = f["properties"].get("trade") or ""
            counts[t] = counts.get(t, 0) + 1
    colors = trade_colors(counts, limit=8)
    if len(points):
        points.plot(ax=ax, color=[colors.get(t or "", OTHER_COLOR) for t in points["trade"]],
                    markersize=14 if marker == "o" else 60, marker=marker, alpha=0.8,
                    edgecolor="white", linewidth=0.3, zorder=10)
    handles: list[Any] = [Line2D([], [], marker=marker, linestyle="", markersize=7, color=c,
                                 label=f"{t} ({format_int(counts[t])})")
                          for t, c in colors.items()]
    if any(t not in colors for t in counts):
        handles.append(Line2D([], [], marker=marker, linestyle="", markersize=7,
                              color=OTHER_COLOR, label=OTHER_TRADES))
    _limits(ax, base, data.get("bbox"))
    return handles, "Ngành nghề"


def draw_view(ax: Axes, data: ViewData, indicator: IndicatorKey = IndicatorKey.kc_vnd,
              classes: Classification = Classification.quantiles,
              activity_names: dict[str, str] | None = None,
              legend_outside: bool = True, ranks: Mapping[str, int] | None = None,
              legend_ax: Axes | None = None) -> None:
    """Draw a view's map into AX: layers, place names, (if given) rank numbers of communes,
    legend (beside the map, or in LEGEND_AX), north arrow and scale bar on empty margins."""
    view = data["view"]
    if view == "coverage":
        handles, title = _coverage(ax, data, indicator, classes)
    elif view == "gaps":
        handles, title = _gaps(ax, data)
    elif view == "projects":
        handles, title = _projects(ax, data, activity_names or {})
    else:
        handles, title = _records(ax, data, "o" if view == "establishments" else "*")
    leave_room(ax)
    draw_names(ax, data)
    if ranks and draw_ranks(ax, data, ranks):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=8,
                              markerfacecolor="white", markeredgecolor="#a50f15",
                              label="Số: hạng xã thiếu\nhỗ trợ (bảng trang 2)"))
    ax.set_aspect("equal")
    ax.set_anchor("NW" if legend_ax is not None else "W")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
    if handles and legend_ax is not None:
        legend_ax.axis("off")
        legend_ax.legend(handles=handles, title=title, fontsize=7, title_fontsize=8,
                         loc="upper left", frameon=False, alignment="left")
    elif handles:
        where = {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0)} if legend_outside \
            else {"loc": "lower right"}
        ax.legend(handles=handles, title=title, fontsize=7, title_fontsize=8,
                  framealpha=0.92, borderpad=0.6, alignment="left", **where)
    north_arrow(ax)
    scale_bar(ax)


SIZES = {"3:2": (11.0, 7.5), "16:9": (13.333, 7.5)}


def map_figure(data: ViewData, indicator: IndicatorKey = IndicatorKey.kc_vnd,
               classes: Classification = Classification.quantiles,
               activity_names: dict[str, str] | None = None,
               aspect: str = "3:2") -> Figure:
    """A figure of one view: title, subtitle (edition and whole filter), the map, its legend
    beside it and the source note; 16:9 for slides."""
    use_fonts()
    fig = Figure(figsize=SIZES.get(aspect, SIZES["3:2"]))
    FigureCanvasAgg(fig)
    title, subtitle = view_title(data, indicator, activity_names)
    fig.text(0.02, 0.965, title, fontsize=15, fontweight="bold", va="top")
    fig.text(0.02, 0.915, subtitle, fontsize=9.5, va="top", color="#333333", linespacing=1.4)
    ax = fig.add_axes((0.02, 0.09, 0.62 if aspect == "3:2" else 0.6, 0.74))
    draw_view(ax, data, indicator, classes, activity_names)
    fig.text(0.02, 0.02, source_note(data), fontsize=7, va="bottom", color="#333333",
             wrap=True)
    return fig


def render_png(data: ViewData, indicator: IndicatorKey = IndicatorKey.kc_vnd,
               classes: Classification = Classification.quantiles,
               activity_names: dict[str, str] | None = None, dpi: int = PNG_DPI,
               aspect: str = "3:2") -> bytes:
    """The view's map as a PNG at DPI (300 by default: 3300 × 2250 pixels; 16:9 for slides:
    4000 × 2250)."""
    fig = map_figure(data, indicator, classes, activity_names, aspect)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
