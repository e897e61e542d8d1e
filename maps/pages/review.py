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


def _page_links(base: dict[str, Any], page: int, pages: int) -> list[tuple[str, str, bool]]:
    """(label, url, current) of the page links: first, neighbours, last."""
    wanted = sorted({1, page - 1, page, page + 1, pages} & set(range(1, pages + 1)))
    return [(str(n), "?" + urlencode({**base, "page": n}, doseq=True), n == page)
            for n in wanted]


def empty_reason(chosen: list[str], q: str) -> str:
    """Why a filtered list is empty, in words."""
    parts = []
    if chosen:
        parts.append("có một trong các dấu hiệu: " + "; ".join(FLAGS[f] for f in chosen))
    if q:
        parts.append(f"có tên hoặc mã chứa “{q}”")
    if not parts:
        return "Huyện này chưa có cơ sở nào."
    return "Không có cơ sở nào " + " và ".join(parts) + "."


def _notice(notice: dict[str, Any] | None, cards: list[dict[str, Any]]
            ) -> dict[str, Any] | None:
    """What the last action did, shown on its card if the card is on this page, else on top."""
    if notice is None:
        return None
    named = next((c for c in cards if c["id"] == notice["id"]), None)
    text = notice["text"]
    if named is None and notice.get("name"):
        text = f"{text} ({notice['name']})"
    return {**notice, "text": text, "on_card": named is not None}


def district_page(district: dict[str, Any], listing: dict[str, Any],
                  progress: dict[str, Any] | None, actor: Actor, csrf: str,
                  map_settings: MapSettings, q: str = "", back: str = "", page: int = 1,
                  size: int = 50, attention: int | None = None,
                  notice: dict[str, Any] | None = None) -> str:
    """A district's establishments: filters, a map of (clustered) markers, a page of cards
    with actions, page links and the next record needing attention."""
    code = district["code"]
    items = listing["items"]
    pages = max(1, -(-len(items) // size))
    page = min(page, pages)
    cards = items[(page - 1) * size:page * size]
    data = {**map_config(map_settings), "district_code": code,
            "district": json.loads(district["geojson"]) if district["geojson"] else None,
            "items": [{"id": i["id"], "name": i["name"], "lon": (i["location"] or {}).get("lon"),
                       "lat": (i["location"] or {}).get("lat"),
                       "commune": (i["location"] or {}).get("commune_name") or "",
                       "flags": [k for k in FILTERS if i["flags"].get(k)]} for i in items]}
    base: dict[str, Any] = {"filter": listing["filters"], "q": q} if q else \
        {"filter": listing["filters"]}
    return render_page(
        "review/district.html", f"Rà soát {district['name']}", actor, csrf, leaflet=True,
        cluster=True, scripts=(own_url("kccontext.js"), own_url("review.js")),
        district=district, progress=progress,
        percent=percent_text(progress) if progress else "",
        json_query=urlencode({"district": code}), flags=[(k, FLAGS[k]) for k in FILTERS],
        chosen=listing["filters"], q=q, shown=len(cards), total=len(items),
        first=(page - 1) * size + 1, page=page, pages=pages,
        page_links=_page_links(base, page, pages) if pages > 1 else [],
        empty=empty_reason(listing["filters"], q) if not items else "",
        rows=[_row(i) for i in cards], editable=can_edit(actor, "establishment", code),
        back=back, data=data, attention=attention, notice=_notice(notice, cards))
