"""The annual (periodic) report in Vietnamese: PDF (A4 landscape, DejaVu fonts, the coverage
map) and XLSX: results of the year against the plan and the programme's targets, by district
and by activity."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.core.vocab import IndicatorKey
from maps.core.format import format_int, format_vnd
from maps.export.briefing import A4_LANDSCAPE, _table
from maps.export.map_titles import source_note
from maps.export.static_map import draw_view, use_fonts
from maps.export.tables import Column, to_xlsx

TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC KHUYẾN CÔNG"
FIGURES: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("projects", "Số đề án khuyến công", format_int),
    ("budget_vnd", "Kinh phí khuyến công", format_vnd),
    ("disbursed_vnd", "Kinh phí đã giải ngân", format_vnd),
    ("settled_vnd", "Kinh phí đã quyết toán", format_vnd),
    ("models", "Mô hình trình diễn kỹ thuật", format_int),
    ("trainees", "Số người được đào tạo, tập huấn", format_int),
    ("machines", "Máy móc thiết bị được hỗ trợ", format_int),
    ("products", "Sản phẩm được công nhận (kết quả đề án)", format_int),
    ("fairs", "Hội chợ, triển lãm", format_int),
    ("establishments", "Cơ sở được hỗ trợ", format_int),
)
MONEY = ("budget_vnd", "disbursed_vnd")


def _value(indicator: str, value: int | None) -> str:
    if value is None:
        return "—"
    return format_vnd(value) if indicator in MONEY else format_int(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def target_rows(data: dict[str, Any]) -> list[list[str]]:
    """Rows of the targets table: indicator, activity, district, period, target, year, total, %."""
    rows = []
    for t in data["targets"]:
        rows.append([t["indicator_name"] + (" (mẫu)" if t["is_demo"] else ""),
                     t["activity_name"] or "Tất cả", t["district_name"] or "Toàn tỉnh",
                     f"{t['period_start']}–{t['period_end']}" if t["period_end"] > t[
                         "period_start"] else str(t["period_start"]),
                     _value(t["indicator"], t["target"]),
                     _value(t["indicator"], t["year_achieved"]),
                     _value(t["indicator"], t["cumulative"]), _percent(t["cumulative_percent"])])
    return rows or [["Chưa nhập chỉ tiêu nào", "", "", "", "", "", "", ""]]


def _header(fig: Figure, data: dict[str, Any], page: int, pages: int, today: date) -> None:
    fig.text(0.04, 0.955, TITLE, fontsize=16, fontweight="bold", va="top")
    fig.text(0.04, 0.91, f"Tỉnh Quảng Ngãi – năm {data['year']}", fontsize=12, va="top")
    fig.text(0.96, 0.955, f"Ngày lập: {today.strftime('%d/%m/%Y')}", fontsize=9, ha="right",
             va="top")
    fig.text(0.96, 0.02, f"Trang {page}/{pages}", fontsize=8, ha="right", va="bottom")
    if data["has_demo"]:
        fig.text(0.96, 0.925, "DỮ LIỆU MẪU – không phải số liệu thật", fontsize=9,
                 color="#b2182b", fontweight="bold", ha="right", va="top")


def _page_one(pdf: PdfPages, data: dict[str, Any], today: date) -> None:
    fig = Figure(figsize=A4_LANDSCAPE)
    FigureCanvasAgg(fig)
    _header(fig, data, 1, 3, today)
    fig.text(0.04, 0.845, f"Kinh phí khuyến công năm {data['year']} theo xã", fontsize=11,
             fontweight="bold", va="bottom")
    draw_view(fig.add_axes((0.04, 0.1, 0.48, 0.73)), data["map"], IndicatorKey.kc_vnd,
              legend_outside=False)
    totals = dict(data["totals"], settled_vnd=data["settled_vnd"])
    rows = [[label, fmt(totals[key])] for key, label, fmt in FIGURES]
    rows.append(["Sản phẩm OCOP, CNNT tiêu biểu được công nhận trong năm",
                 f"{format_int(data['products']['total'])} (OCOP {data['products']['ocop']},"
                 f" CNNT {data['products']['cnnt']})"])
    rows.append(["Số xã chưa có cộng tác viên khuyến công",
                 format_int(data["communes_without_collaborator"])])
    plan = data["plan"]
    if plan:
        rows.insert(0, [f"Kế hoạch khuyến công năm {data['year']} ({plan['lines']} nội dung)",
                        format_vnd(plan["total_vnd"])])
    fig.text(0.56, 0.845, "Kết quả thực hiện trong năm", fontsize=11, fontweight="bold",
             va="bottom")
    _table(fig.add_axes((0.56, 0.2, 0.4, 0.63)), rows, None, [0.62, 0.38], 1, 8.5)
    if not plan:
        fig.text(0.56, 0.17, f"Chưa có kế hoạch khuyến công năm {data['year']} trong hệ thống.",
                 fontsize=8, va="top")
    fig.text(0.04, 0.035, source_note(data["map"]), fontsize=7, va="bottom", wrap=True,
             color="#333333")
    pdf.savefig(fig)


def _page_two(pdf: PdfPages, data: dict[str, Any], today: date) -> None:
    fig = Figure(figsize=A4_LANDSCAPE)
    FigureCanvasAgg(fig)
    _header(fig, data, 2, 3, today)
    fig.text(0.04, 0.855, "Kết quả so với chỉ tiêu của chương trình", fontsize=12,
             fontweight="bold", va="bottom")
    header = ("Chỉ tiêu", "Hoạt động", "Địa bàn", "Giai đoạn", "Mục tiêu",
              f"Thực hiện năm {data['year']}", "Lũy kế đến năm", "Tỷ lệ")
    _table(fig.add_axes((0.04, 0.25, 0.92, 0.59)), target_rows(data)[:22], header,
           [0.25, 0.17, 0.11, 0.07, 0.12, 0.1, 0.11, 0.06], 4, 7.5)
    note = data["formula"]
    if data["has_demo_targets"]:
        note += (" Các chỉ tiêu ghi (mẫu) là số liệu mẫu để minh họa, không phải chỉ tiêu "
                 "do tỉnh giao.")
    fig.text(0.04, 0.2, note, fontsize=8, va="top", wrap=True)
    pdf.savefig(fig)


def _breakdown_rows(rows: list[dict[str, Any]], name_key: str) -> list[list[str]]:
    return [[str(r[name_key]), format_int(r["projects"]),
             "—" if r.get("plan_vnd") is None else format_vnd(r["plan_vnd"]),
             format_vnd(r["budget_vnd"]), format_vnd(r["disbursed_vnd"]),
             format_int(r["trainees"]), format_int(r["machines"]), format_int(r["models"])]
            for r in rows]


def _page_three(pdf: PdfPages, data: dict[str, Any], today: date) -> None:
    fig = Figure(figsize=A4_LANDSCAPE)
    FigureCanvasAgg(fig)
    _header(fig, data, 3, 3, today)
    header = ("", "Số đề án", "Kế hoạch", "Kinh phí", "Đã giải ngân", "Người đào tạo",
              "Máy móc", "Mô hình")
    widths = [0.24, 0.08, 0.15, 0.15, 0.15, 0.08, 0.07, 0.08]
    fig.text(0.04, 0.865, "Theo huyện", fontsize=11, fontweight="bold", va="bottom")
    districts = [r for r in data["by_district"] if r["projects"] or r.get("plan_vnd")]
    _table(fig.add_axes((0.04, 0.47, 0.92, 0.39)),
           _breakdown_rows(districts, "name") or [["Không có đề án"] + [""] * 7],
           ("Huyện", *header[1:]), widths, 1, 7.5)
    fig.text(0.04, 0.43, "Theo loại hoạt động", fontsize=11, fontweight="bold", va="bottom")
    _table(fig.add_axes((0.04, 0.06, 0.92, 0.36)),
           _breakdown_rows(data["by_activity"], "name") or [["Không có đề án"] + [""] * 7],
           ("Hoạt động", *header[1:]), widths, 1, 7.5)
    pdf.savefig(fig)


def annual_pdf(data: dict[str, Any], today: date | None = None) -> bytes:
    """The three-page annual report as PDF bytes."""
    use_fonts()
    today = today or date.today()
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": f"{TITLE} năm {data['year']}", "Author": "kcmap",
                                 "Subject": "Khuyến công"}) as pdf:
        _page_one(pdf, data, today)
        _page_two(pdf, data, today)
        _page_three(pdf, data, today)
    return buf.getvalue()


TARGET_COLUMNS = (
    Column("indicator_name", "Chỉ tiêu"), Column("activity_name", "Hoạt động"),
    Column("district_name", "Huyện"), Column("period_start", "Từ năm", "int"),
    Column("period_end", "Đến năm", "int"), Column("unit", "Đơn vị tính"),
    Column("target", "Mục tiêu", "int"), Column("year_achieved", "Thực hiện trong năm", "int"),
    Column("cumulative", "Lũy kế", "int"), Column("share", "Tỷ lệ hoàn thành", "share"),
    Column("is_demo", "Số liệu mẫu", "bool"),
)
BREAKDOWN = (Column("projects", "Số đề án", "int"), Column("plan_vnd", "Kế hoạch (đ)", "vnd"),
             Column("budget_vnd", "Kinh phí khuyến công (đ)", "vnd"),
             Column("disbursed_vnd", "Đã giải ngân (đ)", "vnd"),
             Column("models", "Mô hình", "int"), Column("trainees", "Người được đào tạo", "int"),
             Column("machines", "Máy móc", "int"), Column("products", "Sản phẩm", "int"),
             Column("fairs", "Hội chợ", "int"), Column("establishments", "Cơ sở", "int"))


def annual_xlsx(data: dict[str, Any]) -> bytes:
    """The annual report as a workbook: targets, by district, by activity, notes."""
    targets = [dict(t, activity_name=t["activity_name"] or "Tất cả",
                    district_name=t["district_name"] or "Toàn tỉnh",
                    share=None if t["cumulative_percent"] is None
                    else t["cumulative_percent"] / 100) for t in data["targets"]]
    totals = dict(data["totals"], settled_vnd=data["settled_vnd"])
    notes: list[tuple[str, Any]] = [("Báo cáo", f"{TITLE} năm {data['year']}"),
                                    *[(label, totals[key]) for key, label, _ in FIGURES],
                                    ("Công thức", data["formula"])]
    if data["plan"]:
        notes.insert(1, ("Kế hoạch khuyến công (đ)", data["plan"]["total_vnd"]))
    if data["has_demo"]:
        notes.append(("Lưu ý", "DỮ LIỆU MẪU – không phải số liệu thật"))
    return to_xlsx([("Chỉ tiêu", TARGET_COLUMNS, targets),
                    ("Theo huyện", (Column("code", "Mã huyện"), Column("name", "Huyện"),
                                    *BREAKDOWN), data["by_district"]),
                    ("Theo hoạt động", (Column("code", "Mã hoạt động"),
                                        Column("name", "Hoạt động"), *BREAKDOWN),
                     data["by_activity"])], ("Tổng hợp", notes))
