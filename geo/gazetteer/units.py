"""Administrative units with their current boundaries, as GeoJSON."""

from __future__ import annotations

import json
from typing import Any

from geo.core.db import Connection
from geo.core.vocab import Edition, Level


def units_geojson(conn: Connection, level: Level, edition: Edition = Edition.legacy,
                  simplify: float = 0.0) -> dict[str, Any]:
    """FeatureCollection of the units of a level, with boundary geometry and its quality."""
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT u.code, u.name, u.type, u.parent_code, b.quality, b.source, b.area_km2,
                   CASE WHEN b.geom IS NULL THEN NULL
                        WHEN %(tol)s > 0 THEN ST_AsGeoJSON(
                            ST_SimplifyPreserveTopology(b.geom, %(tol)s), 6)
                        ELSE ST_AsGeoJSON(b.geom, 6) END
            FROM admin_unit u
            LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
            WHERE u.edition = %(edition)s AND u.level = %(level)s
            ORDER BY u.code
            """,
            {"edition": str(edition), "level": str(level), "tol": simplify},
        )
        rows = cur.fetchall()
    features = [
        {
            "type": "Feature",
            "id": code,
            "geometry": json.loads(geom) if geom else None,
            "properties": {
                "code": code, "name": name, "type": typ, "parent_code": parent,
                "quality": quality, "boundary_source": source,
                "area_km2": round(area, 3) if area is not None else None,
            },
        }
        for code, name, typ, parent, quality, source, area, geom in rows
    ]
    return {"type": "FeatureCollection", "features": features}
