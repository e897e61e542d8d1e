"""The Vietnamese index page (plain HTML, no external assets)."""

from __future__ import annotations

from html import escape
from typing import Any

from maps.core.assets import own_url

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
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>{escape(str(status.get(key, 0)))}</td></tr>"
        for key, label in _LABELS.items()
    )
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kcmap – Bản đồ khuyến công tỉnh Quảng Ngãi</title>
<link rel="stylesheet" href="{own_url('kcmap.css')}"></head>
<body class="kc-index">
<h1>Bản đồ khuyến công tỉnh Quảng Ngãi</h1>
<p>Hỗ trợ khuyến công cho công nghiệp nông thôn theo xã, huyện: nơi đã hỗ trợ và nơi còn thiếu.</p>
<h2>Bản đồ</h2>
<ul>
<li><a href="/maps/coverage?level=district">Kinh phí khuyến công theo huyện</a></li>
<li><a href="/maps/coverage?level=commune">Kinh phí khuyến công theo xã</a>
 (chọn chỉ số, năm, nguồn kinh phí, hoạt động)</li>
<li><a href="/maps/gaps">Xã thiếu hỗ trợ khuyến công</a> – xếp hạng, công thức tính điểm</li>
<li><a href="/maps/establishments">Cơ sở công nghiệp nông thôn</a> – theo ngành nghề, tìm theo
 tên</li>
<li><a href="/maps/projects">Đề án khuyến công</a> – theo hoạt động, nguồn kinh phí, năm</li>
<li><a href="/maps/villages">Làng nghề</a></li>
</ul>
<h2>Dữ liệu (API)</h2>
<ul>
<li><a href="/api/units?level=district">/api/units?level=district</a> – ranh giới cấp huyện</li>
<li><a href="/api/units?level=commune">/api/units?level=commune</a> – ranh giới cấp xã</li>
<li><a href="/api/units?level=commune&amp;edition=2025">
/api/units?level=commune&amp;edition=2025</a> – xã, phường sau sắp xếp 2025</li>
<li><a href="/api/coverage?level=commune">/api/coverage</a> – chỉ số theo xã, huyện
 (GeoJSON; tải <a href="/api/coverage.csv?level=commune">CSV</a>,
 <a href="/api/coverage.xlsx?level=commune">XLSX</a>)</li>
<li><a href="/api/gaps">/api/gaps</a> – xếp hạng xã thiếu hỗ trợ (tải
 <a href="/api/gaps.csv">CSV</a>, <a href="/api/gaps.xlsx">XLSX</a>)</li>
<li><a href="/api/projects">/api/projects</a> – đề án khuyến công và kinh phí</li>
<li><a href="/api/villages">/api/villages</a> – làng nghề</li>
<li><a href="/api/openapi.json">Mô tả API (OpenAPI)</a> · <a href="/healthz">/healthz</a></li>
</ul>
<h2>Cơ sở dữ liệu</h2>
<table>{rows}</table>
</body></html>"""
