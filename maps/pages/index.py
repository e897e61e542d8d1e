"""The Vietnamese index page (plain HTML, no external assets): maps/templates/pages/index.html."""

from __future__ import annotations

from typing import Any

from maps.core.templates import render

_LABELS = {
    "legacy_districts": "Đơn vị cấp huyện (trước 1/7/2025)",
    "legacy_communes": "Đơn vị cấp xã (trước 1/7/2025)",
    "communes_2025": "Đơn vị cấp xã (từ 1/7/2025)",
    "official_boundaries": "Ranh giới chính thức",
    "approximate_boundaries": "Ranh giới gần đúng",
    "establishments": "Cơ sở công nghiệp nông thôn",
    "craft_villages": "Làng nghề",
    "projects": "Đề án khuyến công",
}


def render_index(status: dict[str, Any]) -> str:
    """HTML of the index page."""
    return render("pages/index.html",
                  rows=[(label, status.get(key, 0)) for key, label in _LABELS.items()])
