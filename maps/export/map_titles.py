"""Titles and source lines of the exported maps (PNG, PDF): what the picture shows, stated in
full — years, funding source, activity, allocation of district-level projects and edition."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from geo.core.vocab import IndicatorKey
from geo.publish.map_views import ViewData
from maps.core.palette import SOURCE_LABELS
from maps.views.choropleth import ALLOCATION_WORDS, INDICATORS

VIEW_TITLES = {"gaps": "Xã thiếu hỗ trợ khuyến công so với nhu cầu",
               "projects": "Đề án khuyến công theo loại hoạt động",
               "establishments": "Cơ sở công nghiệp nông thôn",
               "villages": "Làng nghề"}
EDITION_WORDS = {"2025": "đơn vị hành chính từ 1/7/2025 (gồm địa bàn Kon Tum cũ)",
                 "legacy": "đơn vị hành chính trước 1/7/2025"}


def _years(data: ViewData) -> str:
    flt = data.get("filter")
    return flt.years_text() if flt is not None else ""


def filter_caption(data: ViewData, activity_names: Mapping[str, str] | None = None) -> str:
    """'nguồn: …; hoạt động: …; đề án cấp huyện: …' of a view with a project filter ('' for
    the record views); every part is stated, 'tất cả' when not filtered."""
    flt = data.get("filter")
    if flt is None:
        return ""
    names = activity_names or {}
    sources = ", ".join(SOURCE_LABELS.get(s, s) for s in flt.sources) or "tất cả nguồn"
    activities = ", ".join(names.get(a, a) for a in flt.activities) or "tất cả hoạt động"
    parts = [f"năm {flt.years_text()}", f"nguồn: {sources}", f"hoạt động: {activities}"]
    allocation = data.get("allocation")
    if allocation is not None:
        parts.append(f"đề án cấp huyện: {ALLOCATION_WORDS[allocation].lower()}")
    return "; ".join(parts)


def view_title(data: ViewData, indicator: IndicatorKey = IndicatorKey.kc_vnd,
               activity_names: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(title, subtitle) of a view's map, in Vietnamese: the subtitle names the edition and
    the whole filter."""
    view = data["view"]
    if view == "coverage":
        ind = INDICATORS[indicator]
        level = "xã" if data.get("level", "commune") == "commune" else "huyện"
        title = f"{ind.label} theo {level}" + (f", {_years(data)}" if ind.per_period else "")
    else:
        title = VIEW_TITLES[view] + (f", {_years(data)}" if view in ("gaps", "projects") else "")
        if view == "gaps" and data.get("level") == "district":
            title = "Huyện" + title.removeprefix("Xã")
    edition = "2025" if data.get("edition") == "2025" else "legacy"
    subtitle = f"Tỉnh Quảng Ngãi, {EDITION_WORDS[edition]}"
    if data.get("district"):
        subtitle += f"; huyện mã {data['district']}"
    caption = filter_caption(data, activity_names)
    if caption:
        subtitle += f"\n{caption[0].upper()}{caption[1:]}"
    return title, subtitle


def source_note(data: ViewData) -> str:
    """The source line: data date, approximate boundaries, demo data, allocation method."""
    parts = ["Nguồn: kcmap – cơ sở dữ liệu khuyến công tỉnh Quảng Ngãi"]
    date_text = data.get("data_date")
    if date_text:
        y, m, d = date_text.split("-")
        parts.append(f"dữ liệu đến ngày {d}/{m}/{y}")
    if data.get("has_approximate"):
        parts.append("RANH GIỚI GẦN ĐÚNG (dựng từ tâm xã, không phải ranh giới chính thức)")
    if data.get("edition") == "2025":
        parts.append("số liệu xã mới chuyển từ xã cũ theo bảng chuyển đổi (xã cũ bị chia: "
                     "theo diện tích phần giao, hoặc tỷ lệ của bảng, cơ sở theo vị trí điểm)")
    if data.get("has_demo"):
        parts.append("DỮ LIỆU MẪU (tổng hợp), không phải số liệu thật")
    parts.append(f"bản đồ lập ngày {date.today().strftime('%d/%m/%Y')}")
    return "; ".join(parts) + "."
