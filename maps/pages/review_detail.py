"""One establishment under review: facts, a map with a draggable marker, the edit form, history."""

from __future__ import annotations

import json
from typing import Any

from geo.accounts.authz import Actor, can_edit, can_revert, can_see_personal
from geo.core.settings import MapSettings
from maps.core.assets import own_url
from maps.pages.history import history_rows
from maps.pages.layout import render_page
from maps.pages.record_page import archive_view
from maps.pages.review import map_config
from maps.pages.review_words import FLAGS, PRECISION, STATUS, local_time, word

TEXT_INPUTS = (("name", "Tên cơ sở", 300), ("owner_name", "Chủ cơ sở", 200),
               ("phone", "Điện thoại", 100), ("trade", "Ngành nghề", 200),
               ("address_raw", "Địa chỉ", 500))


def _facts(record: dict[str, Any]) -> list[tuple[str, object]]:
    """(label, value) of the record's location facts."""
    loc = record["location"] or {}
    flags = ", ".join(FLAGS[k] for k, on in record["flags"].items() if on) or "—"
    if record.get("archived"):  # off the review lists: nothing to review
        flags = "— (bản ghi đã lưu trữ)"
    coords = (f"{loc['lat']:.6f}, {loc['lon']:.6f}" if loc.get("lat") is not None
              else "—")
    return [("Mã bản ghi", record["record_key"]), ("Phiên bản", record["version"]),
            ("Xã", f"{loc.get('commune_name') or '—'} ({loc.get('commune_code') or '—'})"),
            ("Huyện", loc.get("district_name") or "—"),
            ("Độ chính xác", word(PRECISION, loc.get("precision") or "none")),
            ("Trạng thái vị trí", word(STATUS, loc.get("geocode_status"))),
            ("Tọa độ hiện tại (vĩ độ, kinh độ)", coords),
            ("Rà soát", f"{local_time(record['reviewed_at']) or 'chưa'} "
                        f"{record['reviewed_by'] or ''}"),
            ("Cần chú ý", flags)]


def _form_values(record: dict[str, Any], values: dict[str, str],
                 personal: bool) -> dict[str, Any]:
    """What the edit form shows: `values` (a refused save) or the record's own values."""
    def val(key: str) -> str:
        if key in values:
            return values[key]
        return "" if record.get(key) is None else str(record[key])

    return {"inputs": [(key, label, n, val(key)) for key, label, n in TEXT_INPUTS
                       if personal or key not in ("owner_name", "phone")],
            "version": values.get("version") or record["version"], "workers": val("workers"),
            "lat": values.get("lat", ""), "lon": values.get("lon", ""),
            "reason": values.get("reason", ""),
            "commune": values.get("commune_code") or (record["location"] or {}).get(
                "commune_code")}


def detail_page(record: dict[str, Any], district: dict[str, Any], changes: list[dict[str, Any]],
                actor: Actor, csrf: str, map_settings: MapSettings,
                message: str = "", error: str = "", values: dict[str, str] | None = None,
                current: dict[str, Any] | None = None, following: int | None = None,
                outside: bool = False) -> str:
    """The page of one establishment; `values` re-fills the form after a refused save;
    `outside`: the refused point lies outside the district (the form asks to confirm it)."""
    archived = archive_view(record)  # archived by an import: shown, not editable
    editable = can_edit(actor, "establishment", record["district_code"]) and not archived
    personal = can_see_personal(actor)
    loc = record["location"] or {}
    data = {**map_config(map_settings), "editable": editable,
            "district": json.loads(district["geojson"]) if district["geojson"] else None,
            "lon": loc.get("lon"), "lat": loc.get("lat"), "name": record["name"],
            "district_name": district["name"]}
    return render_page(
        "review/detail.html", record["name"], actor, csrf, leaflet=True,
        scripts=(own_url("kccontext.js"), own_url("review.js")), record=record, district=district,
        communes=district["communes"], message=message, error=error,
        current_facts=_facts(current) if current is not None else None,
        personal=personal, record_facts=_facts(record), editable=editable,
        history=history_rows(changes, actor), can_revert=can_revert(actor),
        following=following, outside=outside, archived=archived,
        here=f"/review/{district['code']}/establishments/{record['id']}", data=data,
        **_form_values(record, values or {}, personal))
