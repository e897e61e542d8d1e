"""The review pages: districts with their progress, and one district's establishments on a map."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from geo.accounts.authz import Actor, can_edit
from geo.core.settings import MapSettings
from geo.records.establishment_read import FILTERS
from maps.core.assets import own_url
from maps.core.base import has_tiles
from maps.core.format import esc, format_int
from maps.pages.layout import hidden_csrf, json_island, layout
from maps.pages.review_progress import percent_text, progress_table_html
from maps.pages.review_words import FLAGS, PRECISION, STATUS, word


def districts_page(rows: list[dict[str, Any]], linked: set[str], actor: Actor,
                   csrf: str) -> str:
    """All districts with review progress; links to those the user may review."""
    body = ("<h1>Rà soát vị trí cơ sở công nghiệp nông thôn</h1>"
            "<p>Tỷ lệ cơ sở đã được cán bộ huyện xác nhận hoặc sửa vị trí.</p>"
            + progress_table_html(rows, linked)
            + '<p><a href="/api/review/progress">Dữ liệu (JSON)</a></p>')
    return layout("Rà soát vị trí", body, actor, csrf)


def _flags(item: dict[str, Any]) -> str:
    """Escaped badges of the flags raised on an establishment."""
    return " ".join(f'<span class="kc-flag kc-flag-{esc(k)}">{esc(FLAGS[k])}</span>'
                    for k in FILTERS if item["flags"].get(k))


def _confirm_form(district: str, item: dict[str, Any], csrf: str, back: str) -> str:
    """A one-button form confirming an establishment's location as it is."""
    return (f'<form method="post" action="/review/{esc(district)}/establishments/'
            f'{esc(item["id"])}" class="kc-inline">{hidden_csrf(csrf)}'
            f'<input type="hidden" name="version" value="{esc(item["version"])}">'
            f'<input type="hidden" name="back" value="{esc(back)}">'
            '<button type="submit" name="action" value="confirm">Xác nhận đúng</button></form>')


def _row(district: str, item: dict[str, Any], editable: bool, csrf: str, back: str) -> str:
    """One table row: name, commune, precision, status, flags, actions."""
    loc = item["location"] or {}
    url = f"/review/{esc(district)}/establishments/{esc(item['id'])}"
    actions = f'<a href="{url}">{"Sửa / di chuyển" if editable else "Xem"}</a>'
    if editable and item["location"]:
        actions += " " + _confirm_form(district, item, csrf, back)
    return (f'<tr id="est-{esc(item["id"])}"><td><a href="{url}">{esc(item["name"])}</a>'
            f'<div class="kc-sub">{esc(item["record_key"])}</div></td>'
            f'<td>{esc(loc.get("commune_name") or "—")}</td>'
            f'<td>{esc(word(PRECISION, loc.get("precision") or "none"))}</td>'
            f'<td>{esc(word(STATUS, loc.get("geocode_status")))}</td>'
            f"<td>{_flags(item)}</td><td>{actions}</td></tr>")


def _filter_form(district: str, chosen: list[str], q: str) -> str:
    """The GET form choosing what needs attention."""
    boxes = "".join(
        f'<label><input type="checkbox" name="filter" value="{esc(k)}"'
        f'{" checked" if k in chosen else ""}> {esc(FLAGS[k])}</label>' for k in FILTERS)
    return (f'<form method="get" action="/review/{esc(district)}" class="kc-filters">{boxes}'
            f'<label>Tìm tên <input name="q" value="{esc(q)}" maxlength="200"></label>'
            '<button type="submit">Lọc</button></form>')


def map_config(map_settings: MapSettings) -> dict[str, str]:
    """Basemap settings for the page scripts (no tiles when 'none')."""
    if not has_tiles(map_settings):
        return {"tiles": "", "attribution": ""}
    return {"tiles": map_settings.tiles.strip(), "attribution": map_settings.tiles_attribution}


def district_page(district: dict[str, Any], listing: dict[str, Any],
                  progress: dict[str, Any] | None, actor: Actor, csrf: str,
                  map_settings: MapSettings, q: str = "", back: str = "") -> str:
    """A district's establishments: filters, a map of markers and a table with actions."""
    code = district["code"]
    editable = can_edit(actor, "establishment", code)
    items = listing["items"]
    rows = "".join(_row(code, i, editable, csrf, back) for i in items)
    shown = (f"Hiển thị {esc(format_int(len(items)))} / "
             f"{esc(format_int(listing['total'] or len(items)))} cơ sở")
    box = ""
    if progress:
        box = (f'<p class="kc-progress-box">Đã xác nhận {esc(format_int(progress["confirmed"]))}'
               f' / {esc(format_int(progress["total"]))} cơ sở '
               f'(<strong>{esc(percent_text(progress))}</strong>)</p>')
    approx = ('<p class="kc-warn">Ranh giới gần đúng: cờ "ngoài ranh giới huyện" chỉ để tham '
              "khảo.</p>" if district.get("boundary_quality") == "approximate" else "")
    data = {**map_config(map_settings), "district_code": code,
            "district": json.loads(district["geojson"]) if district["geojson"] else None,
            "items": [{"id": i["id"], "name": i["name"], "lon": (i["location"] or {}).get("lon"),
                       "lat": (i["location"] or {}).get("lat"),
                       "flags": [k for k in FILTERS if i["flags"].get(k)]} for i in items]}
    body = f"""<h1>Rà soát vị trí cơ sở CNNT – {esc(district['name'])}</h1>
{box}{approx}
<p><a href="/review/{esc(code)}/history">Lịch sử thay đổi</a> ·
<a href="/api/establishments?{esc(urlencode({'district': code}))}">Dữ liệu (JSON)</a></p>
{_filter_form(code, listing['filters'], q)}
<div id="kc-review-map" class="kc-map"></div>
<p>{shown}</p>
<table class="kc-table kc-review"><thead><tr><th>Cơ sở</th><th>Xã</th><th>Độ chính xác</th>
<th>Trạng thái</th><th>Cần chú ý</th><th></th></tr></thead><tbody>{rows}</tbody></table>
{json_island("kc-review-data", data)}"""
    return layout(f"Rà soát {district['name']}", body, actor, csrf, leaflet=True,
                  scripts=(own_url("review.js"),))
