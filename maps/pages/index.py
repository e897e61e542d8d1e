"""The Vietnamese index page for people (maps/templates/pages/index.html) and the list of data
services at /api (pages/api.html); plain HTML, no external assets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from maps.core.format import format_int
from maps.core.templates import render
from maps.pages.review_words import local_time

_LABELS = {
    "legacy_districts": "Đơn vị cấp huyện (trước 1/7/2025)",
    "legacy_communes": "Đơn vị cấp xã (trước 1/7/2025)",
    "communes_2025": "Đơn vị cấp xã (từ 1/7/2025)",
    "official_boundaries": "Ranh giới chính thức",
    "approximate_boundaries": "Ranh giới gần đúng",
    "establishments": "Cơ sở công nghiệp nông thôn",
    "craft_villages": "Làng nghề",
    "projects": "Đề án khuyến công",
    "archived_records": "Bản ghi đã lưu trữ khi nhập tệp (không tính ở trên)",
}


def render_index(status: dict[str, Any], user: str | None = None) -> str:
    """HTML of the index page for people: what this is, the maps, review, briefing, login,
    the data date and the demo notice; counts with dot thousands."""
    moment = status.get("data_date")
    date = local_time(moment.isoformat()) if isinstance(moment, datetime) else ""
    return render("pages/index.html", user=user, data_date=date,
                  has_demo=bool(status.get("has_demo")),
                  rows=[(label, format_int(int(str(status.get(key) or 0))))
                        for key, label in _LABELS.items()
                        if key != "archived_records" or status.get(key)])


def render_api_index() -> str:
    """HTML of /api: the data services for scripts and GIS programs."""
    return render("pages/api.html")
