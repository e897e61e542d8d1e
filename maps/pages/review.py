"""The review pages: districts with their progress, and one district's establishments on a map."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from geo.accounts.authz import Actor, can_edit
from geo.core.settings import MapSettings
from geo.records.establishment_read import FILTERS
from maps.core.assets import own_url
from maps.core.base import has_tiles, tile_url
from maps.pages.layout import render_page
from maps.pages.review_progress import percent_text, progress_rows
from maps.pages.review_words import FLAGS, PRECISION, STATUS, word


def districts_page(rows: list[dict[str, Any]], linked: set[str], actor: Actor,
                   csrf: str) -> str:
    """All districts with review progress; links to those the user may review."""
    return render_page("review/districts.html", "Rà soát vị trí", actor, csrf,
                       rows=progress_rows(rows), linked=linked)


def _row(item: dict[str, Any]) -> dict[str, Any]:
    """One table row: name, commune, precision, status, flags (actions in the template)."""
    loc = item["location"] or {}
    return {"id": item["id"], "name": item["name"], "record_key": item["record_key"],
            "version": item["version"], "located": bool(item["location"]),
            "commune": loc.get("commune_name") or "—",
            "precision": word(PRECISION, loc.get("precision") or "none"),
            "status": word(STATUS, loc.get("geocode_status")),
            "flags": [(k, FLAGS[k]) for k in FILTERS if item["flags"].get(k)]}


def map_config(map_settings: MapSettings) -> dict[str, str]:
    """Basemap settings for the page scripts (no tiles when 'none')."""
    if not has_tiles(map_settings):
        return {"tiles": "", "attribution": ""}
    return {"tiles": tile_url(map_settings), "attribution": map_settings.tiles_attribution}


def district_page(district: dict[str, Any], listing: dict[str, Any],
                  progress: dict[str, Any] | None, actor: Actor, csrf: str,
                  map_settings: MapSettings, q: str = "", back: str = "") -> str:
    """A district's establishments: filters, a map of markers and a table with actions."""
    code = district["code"]
    items = listing["items"]
    data = {**map_config(map_settings), "district_code": code,
            "district": json.loads(district["geojson"]) if district["geojson"] else None,
            "items": [{"id": i["id"], "name": i["name"], "lon": (i["location"] or {}).get("lon"),
                       "lat": (i["location"] or {}).get("lat"),
                       "flags": [k for k in FILTERS if i["flags"].get(k)]} for i in items]}
    return render_page(
        "review/district.html", f"Rà soát {district['name']}", actor, csrf, leaflet=True,
        scripts=(own_url("kccontext.js"), own_url("review.js")), district=district,
        progress=progress,
        percent=percent_text(progress) if progress else "",
        json_query=urlencode({"district": code}), flags=[(k, FLAGS[k]) for k in FILTERS],
        chosen=listing["filters"], q=q, shown=len(items), total=listing["total"] or len(items),
        rows=[_row(i) for i in items], editable=can_edit(actor, "establishment", code),
        back=back, data=data)
