"""One establishment under review: facts, a map with a draggable marker, the edit form, history."""

from __future__ import annotations

import json
from typing import Any

from geo.accounts.authz import Actor, can_edit, can_see_personal
from geo.core.settings import MapSettings
from maps.core.assets import own_url
from maps.core.format import esc
from maps.pages.history import history_table
from maps.pages.layout import hidden_csrf, json_island, layout
from maps.pages.review import map_config
from maps.pages.review_words import FLAGS, PRECISION, STATUS, local_time, word

TEXT_INPUTS = (("name", "Tên cơ sở", 300), ("owner_name", "Chủ cơ sở", 200),
               ("phone", "Điện thoại", 100), ("trade", "Ngành nghề", 200),
               ("address_raw", "Địa chỉ", 500))


def _facts(record: dict[str, Any]) -> str:
    """A definition list of the record's location facts."""
    loc = record["location"] or {}
    flags = ", ".join(FLAGS[k] for k, on in record["flags"].items() if on) or "—"
    coords = (f"{loc['lat']:.6f}, {loc['lon']:.6f}" if loc.get("lat") is not None
              else "—")
    rows = [("Mã bản ghi", record["record_key"]), ("Phiên bản", record["version"]),
            ("Xã", f"{loc.get('commune_name') or '—'} ({loc.get('commune_code') or '—'})"),
            ("Huyện", loc.get("district_name") or "—"),
            ("Độ chính xác", word(PRECISION, loc.get("precision") or "none")),
            ("Trạng thái vị trí", word(STATUS, loc.get("geocode_status"))),
            ("Tọa độ hiện tại (vĩ độ, kinh độ)", coords),
            ("Rà soát", f"{local_time(record['reviewed_at']) or 'chưa'} "
                        f"{record['reviewed_by'] or ''}"),
            ("Cần chú ý", flags)]
    return '<dl class="kc-facts">' + "".join(
        f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def _commune_select(communes: list[dict[str, str]], current: str | None) -> str:
    """A select of the district's communes, the current one chosen."""
    opts = ['<option value="">— giữ nguyên / chưa xác định —</option>'] + [
        f'<option value="{esc(c["code"])}"{" selected" if c["code"] == current else ""}>'
        f'{esc(c["name"])} ({esc(c["code"])})</option>' for c in communes]
    return f'<select name="commune_code" id="kc-commune">{"".join(opts)}</select>'


def _form(record: dict[str, Any], district_code: str, communes: list[dict[str, str]],
          csrf: str, values: dict[str, str], personal: bool) -> str:
    """The edit form: attributes, typed or dragged coordinates, commune, reason, buttons."""
    def val(key: str) -> str:
        if key in values:
            return values[key]
        return "" if record.get(key) is None else str(record[key])

    inputs = "".join(
        f'<label>{esc(label)} <input name="{key}" value="{esc(val(key))}" maxlength="{n}"'
        f'{" required" if key == "name" else ""}></label>'
        for key, label, n in TEXT_INPUTS if personal or key not in ("owner_name", "phone"))
    commune = values.get("commune_code") or (record["location"] or {}).get("commune_code")
    return f"""<form method="post" class="kc-form kc-edit" id="kc-edit-form"
 action="/review/{esc(district_code)}/establishments/{esc(record['id'])}">
{hidden_csrf(csrf)}
<input type="hidden" name="version" value="{esc(values.get('version') or record['version'])}">
{inputs}
<label>Số lao động <input name="workers" value="{esc(val('workers'))}" inputmode="numeric"
 maxlength="8"></label>
<fieldset><legend>Vị trí mới (kéo điểm trên bản đồ, bấm vào bản đồ, hoặc gõ tọa độ)</legend>
<p class="kc-note">Nhận số thập phân (15,1234), độ-phút-giây (15°07'25"N) hoặc mét VN-2000
(TM-3 108°, gõ tọa độ Y vào ô vĩ độ và X vào ô kinh độ). Để trống nếu không đổi vị trí.</p>
<label>Vĩ độ <input name="lat" id="kc-lat" value="{esc(values.get('lat', ''))}"
 maxlength="60"></label>
<label>Kinh độ <input name="lon" id="kc-lon" value="{esc(values.get('lon', ''))}"
 maxlength="60"></label>
<label>Xã {_commune_select(communes, commune)}</label>
</fieldset>
<label>Lý do / ghi chú <input name="reason" value="{esc(values.get('reason', ''))}"
 maxlength="1000"></label>
<button type="submit" name="action" value="save" id="kc-save">Lưu thay đổi</button>
<button type="submit" name="action" value="confirm" id="kc-confirm">Xác nhận vị trí đúng
</button>
</form>"""


def detail_page(record: dict[str, Any], district: dict[str, Any], changes: list[dict[str, Any]],
                actor: Actor, csrf: str, map_settings: MapSettings,
                message: str = "", error: str = "", values: dict[str, str] | None = None,
                current: dict[str, Any] | None = None) -> str:
    """The page of one establishment; `values` re-fills the form after a refused save."""
    editable = can_edit(actor, "establishment", record["district_code"])
    personal = can_see_personal(actor)
    notes = ""
    if message:
        notes += f'<p class="kc-ok" role="status">{esc(message)}</p>'
    if error:
        notes += f'<p class="kc-error" role="alert">{esc(error)}</p>'
    if current is not None:
        notes += ('<p class="kc-warn">Giá trị hiện tại trong cơ sở dữ liệu (người khác vừa sửa); '
                  "các giá trị bạn đã nhập vẫn còn trong biểu mẫu, bấm Lưu để ghi đè:</p>"
                  + _facts(current))
    personal_html = ""
    if personal:
        personal_html = (f"<p>Chủ cơ sở: {esc(record.get('owner_name') or '—')} · Điện thoại: "
                         f"{esc(record.get('phone') or '—')}</p>")
    form = _form(record, district["code"], district["communes"], csrf, values or {},
                 personal) if editable else \
        '<p class="kc-note">Tài khoản này chỉ được xem, không sửa cơ sở này.</p>'
    loc = record["location"] or {}
    here = f"/review/{district['code']}/establishments/{record['id']}"
    data = {**map_config(map_settings), "editable": editable,
            "district": json.loads(district["geojson"]) if district["geojson"] else None,
            "lon": loc.get("lon"), "lat": loc.get("lat"), "name": record["name"]}
    body = f"""<p><a href="/review/{esc(district['code'])}">← {esc(district['name'])}</a></p>
<h1>{esc(record['name'])}</h1>
{notes}{personal_html}{_facts(record)}
<div id="kc-edit-map" class="kc-map"></div>
<p id="kc-new-pos" class="kc-note"></p>
{form}
<h2>Lịch sử thay đổi</h2>
{history_table(changes, actor, csrf, district['code'], here)}
{json_island("kc-edit-data", data)}"""
    return layout(record["name"], body, actor, csrf, leaflet=True,
                  scripts=(own_url("review.js"),))
