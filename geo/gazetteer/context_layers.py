"""Outlines and label points of districts and communes: the context every map draws beneath its
data (names readable offline, with no basemap)."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from geo.core.db import Connection
from geo.core.vocab import Edition

# Degrees: outlines for context only (thin lines), lighter than the choropleth's.
TOLERANCE = {"district": 0.001, "commune": 0.0004}

_SQL = """
SELECT u.code, u.name, COALESCE(NULLIF(u.short_name, ''), u.name), u.level,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, CASE u.level WHEN 'district'
           THEN %(district_tol)s ELSE %(commune_tol)s END), 5),
       ST_X(ST_PointOnSurface(b.geom)), ST_Y(ST_PointOnSurface(b.geom))
FROM admin_unit u
JOIN boundary b ON b.edition = u.edition AND b.code = u.code
WHERE u.edition = %(edition)s AND u.level IN ('district', 'commune')
ORDER BY u.level, u.code
"""


class ContextLayers(TypedDict):
    """District and commune outlines (GeoJSON FeatureCollections) of one edition; each feature
    has properties code, name, short_name and label ([lon, lat] inside the unit)."""

    edition: Edition
    districts: dict[str, Any]
    communes: dict[str, Any]


def context_layers(conn: Connection, edition: Edition = Edition.legacy) -> ContextLayers:
    """The outlines with names of the districts and communes of EDITION that have a boundary
    (the 2025 edition has communes only)."""
    with conn.cursor() as cur:
        cur.execute(_SQL, {"edition": str(edition), "district_tol": TOLERANCE["district"],
                           "commune_tol": TOLERANCE["commune"]})
        rows = cur.fetchall()
    layers: dict[str, list[dict[str, Any]]] = {"district": [], "commune": []}
    for code, name, short, level, geom, x, y in rows:
        layers[level].append({
            "type": "Feature", "id": code, "geometry": json.loads(geom),
            "properties": {"code": code, "name": name, "short_name": short,
                           "label": [round(x, 5), round(y, 5)]}})
    return {"edition": edition,
            "districts": {"type": "FeatureCollection", "features": layers["district"]},
            "communes": {"type": "FeatureCollection", "features": layers["commune"]}}
