"""Colours of categories on the maps: trades, activity types, geocoding status, sources."""

from __future__ import annotations

from collections.abc import Mapping

# Tableau 10 plus two more, distinguishable on a light basemap; grey is kept for "other".
CATEGORICAL = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
               "#ff9da7", "#9c755f", "#17becf", "#8c6d31", "#393b79")
OTHER_COLOR = "#9a9a9a"
OTHER_TRADES = "Ngành nghề khác"
NO_TRADE = "Chưa ghi ngành nghề"
ACTIVITY_COLORS = {
    "machinery": "#4e79a7", "demonstration": "#f28e2b", "training": "#59a14f",
    "capacity": "#76b7b2", "cleaner_production": "#17becf", "trade_fair": "#e15759",
    "product_award": "#b07aa1", "industrial_cluster": "#9c755f", "other": "#9a9a9a",
}
STATUS_COLORS = {"ok": "#59a14f", "ambiguous": "#edc948", "conflict": "#e15759",
                 "not_found": "#9a9a9a"}
STATUS_LABELS = {"ok": "Đã xác định", "ambiguous": "Chưa chắc chắn (cần rà soát)",
                 "conflict": "Tọa độ mâu thuẫn với địa chỉ (cần rà soát)",
                 "not_found": "Không tìm thấy địa chỉ"}
SOURCE_LABELS = {"KCQG": "Khuyến công quốc gia (KCQG)", "KCDP": "Khuyến công địa phương (KCĐP)"}


def trade_colors(counts: Mapping[str, int], limit: int = len(CATEGORICAL)) -> dict[str, str]:
    """Colour of each of the most frequent trades (by count, then name); others are grey."""
    named = sorted((t for t in counts if t), key=lambda t: (-counts[t], t))
    return {t: CATEGORICAL[i] for i, t in enumerate(named[:limit])}


def activity_color(code: str) -> str:
    """Colour of an activity type (grey for an unknown one)."""
    return ACTIVITY_COLORS.get(code, OTHER_COLOR)
