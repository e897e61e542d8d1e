"""The briefing PDF (A4 landscape, Vietnamese): map, key figures, the ten most underserved."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import cast

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.core.vocab import IndicatorKey
from geo.publish.briefing_data import Briefing
from maps.core.format import format_int, format_vnd
from maps.export.map_titles import EDITION_WORDS, filter_caption, source_note
from maps.export.static_map import draw_view, use_fonts
from maps.views.choropleth import ALLOCATION_WORDS

A4_LANDSCAPE = (11.69, 8.27)
TITLE = "BÁO CÁO TÓM TẮT KẾT QUẢ KHUYẾN CÔNG"
FIGURE_ROWS = (
    ("projects", "Số đề án khuyến công", format_int),
    ("kc_vnd", "Kinh phí khuyến công", format_vnd),
    ("counterpart_vnd", "Vốn đối ứng của cơ sở", format_vnd),
    ("allocated_vnd", "– trong đó xác định được xã", format_vnd),
    ("unallocated_vnd", "– chỉ xác định đến cấp huyện, tỉnh", format_vnd),
    ("establishments", "Số cơ sở công nghiệp nông thôn", format_int),
    ("workers", "Số lao động của các cơ sở", format_int),
    ("craft_villages", "Số làng nghề", format_int),
    ("communes", "Số xã, phường, thị trấn", format_int),
    ("communes_supported", "Số xã có đề án khuyến công", format_int),
    ("communes_with_need", "Số xã có cơ sở CNNT hoặc làng nghề", format_int),
    ("communes_no_support", "– trong đó chưa được hỗ trợ", format_int),
)
TOP_HEADER = ("Hạng", "Xã, phường, thị trấn", "Huyện", "Cơ sở CNNT", "Lao động", "Làng nghề",
              "Kinh phí khuyến công", "Điểm")
FORMULA_VI = ("Điểm thiếu hỗ trợ = 100 × (k × N − S): N là tỷ trọng của xã trong toàn tỉnh về "
              "số cơ sở CNNT, lao động và làng nghề (trung bình); S là tỷ trọng kinh phí khuyến "
              "công phân bổ cho xã; k = 1,5 với xã ưu tiên (miền núi, khó khăn), còn lại k = 1.")


def _day(iso: str | None) -> str:
    if not iso:
        return "chưa có dữ liệu"
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def place_name(data: Briefing) -> str:
    """'tỉnh Quảng Ngãi' or 'Huyện Bình Sơn, tỉnh Quảng Ngãi'."""
    if data.get("district_name"):
        return f"{data['district_name']}, tỉnh Quảng Ngãi"
    return "tỉnh Quảng Ngãi"


def _header(fig: Figure, data: Briefing, page: int, today: date,
            activity_names: Mapping[str, str] | None = None) -> None:
    years = data["filter"].years_text()
    caption = filter_caption({**data["map"], "filter": data["filter"],
                              "allocation": data["allocation"]}, activity_names)
    caption = caption.split("; ", 1)[1] if "; " in caption else caption  # years are above
    edition = EDITION_WORDS["2025" if data["map"].get("edition") == "2025" else "legacy"]
    fig.text(0.04, 0.868, f"{caption[0].upper()}{caption[1:]}; {edition}", fontsize=8.5,
             va="top", color="#333333")
    fig.text(0.04, 0.955, TITLE, fontsize=17, fontweight="bold", va="top")
    fig.text(0.04, 0.905, f"{place_name(data)[0].upper()}{place_name(data)[1:]} – "
                          f"giai đoạn {years}", fontsize=12, va="top")
    fig.text(0.96, 0.955, f"Ngày lập: {today.strftime('%d/%m/%Y')}", fontsize=9, ha="right",
             va="top")
    fig.text(0.96, 0.925, f"Dữ liệu đến ngày: {_day(data.get('data_date'))}", fontsize=9,
             ha="right", va="top")
    fig.text(0.96, 0.02, f"Trang {page}/2", fontsize=8, ha="right", va="bottom")
    if data.get("has_demo"):
        fig.text(0.96, 0.895, "DỮ LIỆU MẪU – không phải số liệu thật", fontsize=9,
                 color="#b2182b", fontweight="bold", ha="right", va="top")


def _table(ax: Axes, rows: list[list[str]], header: tuple[str, ...] | None,
           widths: list[float], right_from: int, font: float = 9.0) -> None:
    """A plain table filling AX; columns from RIGHT_FROM on are right-aligned."""
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=list(header) if header else None,
                     colWidths=widths, loc="upper left", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(font)
    table.scale(1, 1.45)
    for (r, c), cell in table.get_celld().items():
        cell.set_edgecolor("#bbbbbb")
        cell.set_linewidth(0.5)
        if c >= right_from:
            cell.get_text().set_horizontalalignment("right")
        if header and r == 0:
            cell.set_facecolor("#e8eef5")
            cell.get_text().set_fontweight("bold")


def _page_one(pdf: PdfPages, data: Briefing, today: date,
              activity_names: Mapping[str, str] | None = None) -> None:
    fig = Figure(figsize=A4_LANDSCAPE)
    FigureCanvasAgg(fig)
    _header(fig, data, 1, today, activity_names)
    # The map on the left, its legend in a column of its own beside it (never on the data),
    # the communes of the ten-row table on page 2 numbered like it.
    ax = fig.add_axes((0.04, 0.08, 0.37, 0.72))
    draw_view(ax, data["map"], IndicatorKey.kc_vnd, ranks={
        str(r["code"]): int(r["rank"]) for r in data["top"]},
        legend_ax=fig.add_axes((0.415, 0.3, 0.155, 0.5)))
    fig.text(0.04, 0.81, "Kinh phí khuyến công theo xã", fontsize=11, fontweight="bold",
             va="bottom")
    f = cast(Mapping[str, int], data["figures"])
    fig.text(0.58, 0.81, "Số liệu chính", fontsize=11, fontweight="bold", va="bottom")
    _table(fig.add_axes((0.58, 0.26, 0.38, 0.54)),
           [[label, fmt(f[key])] for key, label, fmt in FIGURE_ROWS],
           None, [0.66, 0.34], 1, 9.5)
    notes = [f"Đề án cấp huyện trên bản đồ xã: {ALLOCATION_WORDS[data['allocation']].lower()}."]
    if data.get("has_approximate"):
        notes.append("Ranh giới trên bản đồ là ranh giới gần đúng (dựng từ tâm xã), "
                     "không phải ranh giới chính thức.")
    fig.text(0.58, 0.24, "\n".join(notes), fontsize=8, va="top", wrap=True)
    fig.text(0.04, 0.035, source_note(data["map"]), fontsize=7, va="bottom", wrap=True,
             color="#333333")
    pdf.savefig(fig)


def _page_two(pdf: PdfPages, data: Briefing, today: date,
              activity_names: Mapping[str, str] | None = None) -> None:
    fig = Figure(figsize=A4_LANDSCAPE)
    FigureCanvasAgg(fig)
    _header(fig, data, 2, today, activity_names)
    fig.text(0.04, 0.855, "Mười xã thiếu hỗ trợ khuyến công nhất so với nhu cầu", fontsize=12,
             fontweight="bold", va="bottom")
    rows = [[str(r["rank"]), str(r["name"]), str(r["district_name"] or ""),
             format_int(r["establishments"]), format_int(r["workers"]),
             format_int(r["craft_villages"]), format_vnd(r["support_vnd"]),
             f"{r['score']:.2f}".replace(".", ",")] for r in data["top"]]
    if not rows:
        rows = [["", "Không có xã nào có cơ sở CNNT hoặc làng nghề", "", "", "", "", "", ""]]
    header = TOP_HEADER if not data.get("district") else ("Hạng (toàn tỉnh)", *TOP_HEADER[1:])
    _table(fig.add_axes((0.04, 0.3, 0.92, 0.54)), rows, header,
           [0.08, 0.21, 0.18, 0.09, 0.09, 0.09, 0.17, 0.09], 3, 9.5)
    fig.text(0.04, 0.25, FORMULA_VI, fontsize=8.5, va="top", wrap=True)
    fig.text(0.04, 0.035, source_note(data["map"]), fontsize=7, va="bottom", wrap=True,
             color="#333333")
    pdf.savefig(fig)


def briefing_pdf(data: Briefing, today: date | None = None,
                 activity_names: Mapping[str, str] | None = None) -> bytes:
    """The two-page briefing as PDF bytes (fonts embedded as TrueType subsets)."""
    use_fonts()
    today = today or date.today()
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": f"{TITLE} – {place_name(data)}",
                                 "Author": "kcmap", "Subject": "Khuyến công"}) as pdf:
        _page_one(pdf, data, today, activity_names)
        _page_two(pdf, data, today, activity_names)
    return buf.getvalue()
