"""Craft villages (làng nghề) for public maps and JSON."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import NotFound
from geo.records.archived import with_archive
from geo.records.spec import CRAFT_VILLAGE

_VILLAGES = """
SELECT DISTINCT ON (v.id) v.id, v.record_key, v.name, v.trade, v.decision, v.recognised_year,
       v.households, v.workers, v.is_demo, v.version, v.created_at, v.updated_at,
       l.precision, l.geocode_status, l.commune_code, l.commune_name, l.district_code,
       l.district_name, ST_X(l.point) AS lon, ST_Y(l.point) AS lat
FROM craft_village v
LEFT JOIN record_place l ON l.village_id = v.id
WHERE (%(id)s::bigint IS NULL AND v.archived_at IS NULL OR v.id = %(id)s)
ORDER BY v.id, l.location_id
"""

_PUBLIC = ("id", "record_key", *(f.name for f in CRAFT_VILLAGE.public_fields), "is_demo",
           "precision", "commune_code", "commune_name", "district_code", "district_name")


def _rows(conn: Connection, village_id: int | None) -> list[dict[str, Any]]:
    with dict_cursor(conn) as cur:
        cur.execute(_VILLAGES, {"id": village_id})
        return [dict(r) for r in cur.fetchall()]


def village_features(conn: Connection, district: str | None = None) -> dict[str, Any]:
    """FeatureCollection of craft villages (points only at exact/commune precision)."""
    rows = [r for r in _rows(conn, None) if district is None or r["district_code"] == district]
    features = [{
        "type": "Feature", "id": r["id"],
        "geometry": None if r["lon"] is None else {
            "type": "Point", "coordinates": [round(r["lon"], 5), round(r["lat"], 5)]},
        "properties": {k: r[k] for k in _PUBLIC},
    } for r in rows]
    return {"type": "FeatureCollection", "features": features,
            "not_drawn": sum(1 for f in features if f["geometry"] is None)}


def village_detail(conn: Connection, village_id: int,
                   actor: Actor | None = None) -> dict[str, Any]:
    """One craft village's record and location, and whether an import archived it."""
    rows = _rows(conn, village_id)
    if not rows:
        raise NotFound(f"Không có làng nghề số {village_id}")
    r = rows[0]
    return with_archive(conn, CRAFT_VILLAGE, {
        **{k: r[k] for k in _PUBLIC}, "version": r["version"],
        "geocode_status": r["geocode_status"], "lon": r["lon"], "lat": r["lat"],
        "created_at": r["created_at"].isoformat(), "updated_at": r["updated_at"].isoformat()},
        actor)
