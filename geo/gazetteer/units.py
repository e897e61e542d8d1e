"""Administrative units with their current boundaries, as GeoJSON."""

from __future__ import annotations

import json
from typing import Any

from geo.core.db import Connection
from geo.core.errors import InvalidInput

LEVELS = ("district", "commune")
EDITIONS = ("legacy", "2025")


def check_level_edition(level: str, edition: str) -> None:
    """Raise InvalidInput for an unknown level or edition (or districts in 2025)."""
    if level not in LEVELS:
        raise InvalidInput(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if edition not in EDITIONS:
        raise InvalidInput(f"edition must be one of {', '.join(EDITIONS)}, not {edition!r}")
    if edition == "2025" and level == "district":
        raise InvalidInput("the 2025 edition has no district level (abolished 1 July 2025)")


def units_geojson(conn: Connection, level: str, edition: str = "legacy",
                  simplify: float = 0.0) -> dict[str, Any]:
    """FeatureCollection of the units of a level, with boundary geometry and its quality."""
    check_level_edition(level, edition)
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
            {"edition": edition, "level": level, "tol": simplify},
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
