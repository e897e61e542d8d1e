"""Shared parts of the point maps (establishments, craft villages): words, legend, panel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from maps.core.format import esc, format_int
from maps.core.legend import LegendEntry
from maps.core.palette import NO_TRADE, OTHER_COLOR, OTHER_TRADES

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


def search_html(placeholder: str) -> str:
    """A search box and its (script-filled) result list."""
    return ('<label class="kc-field"><span>Tìm theo tên</span>'
            f'<input type="search" id="kc-search" placeholder="{esc(placeholder)}" '
            'autocomplete="off"></label>'
            '<p class="kc-hint" id="kc-search-count" aria-live="polite"></p>'
            '<ul class="kc-results" id="kc-results"></ul>')


def counts_html(drawn: int, not_drawn: int, noun: str) -> str:
    """'1.234 cơ sở trên bản đồ; 56 không vẽ được (chỉ có huyện, tỉnh hoặc chưa có vị trí)'."""
    text = f"{format_int(drawn)} {noun} trên bản đồ"
    if not_drawn:
        text += (f"; {format_int(not_drawn)} {noun} không vẽ thành điểm (chỉ xác định đến "
                 "cấp huyện, tỉnh hoặc chưa có vị trí)")
    return f"<p>{esc(text)}.</p>"


def warnings_html(has_demo: bool) -> str:
    """The demo-data warning, if any."""
    return ('<p class="kc-warn">Dữ liệu mẫu (tổng hợp), không phải số liệu thật</p>'
            if has_demo else "")


def point_config(**extra: Any) -> dict[str, Any]:
    """The config of kcmap.points shared by the point pages."""
    return {"precisionLabels": PRECISION_LABELS, "search": "#kc-search",
            "results": "#kc-results", "searchCount": "#kc-search-count", **extra}
