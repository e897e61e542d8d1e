"""Writing unit polygons to `boundary`: made valid, MultiPolygon 4326, area in EPSG:3406."""

from __future__ import annotations

import psycopg2
import shapely
from shapely.geometry.base import BaseGeometry

from geo.core.db import Connection
from geo.core.errors import InvalidInput

AREA_SRID = 3406  # VN-2000 / UTM zone 49N: the schema's reference for area_km2

_INSERT = """
WITH g AS (
  SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D(ST_GeomFromWKB(%s, 4326))), 3))
         AS geom
)
INSERT INTO boundary (edition, code, geom, source, quality, area_km2, method)
SELECT %s, %s, g.geom, %s, %s, ST_Area(ST_Transform(g.geom, 3406)) / 1e6, %s
FROM g WHERE NOT ST_IsEmpty(g.geom)
ON CONFLICT (edition, code) DO UPDATE SET
  geom = EXCLUDED.geom, source = EXCLUDED.source, quality = EXCLUDED.quality,
  area_km2 = EXCLUDED.area_km2, method = EXCLUDED.method, loaded_at = now()
"""
_REPLACE_ANY = _INSERT + " RETURNING area_km2"
_REPLACE_APPROXIMATE = _INSERT + " WHERE boundary.quality = 'approximate' RETURNING area_km2"


def polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """The polygonal part of a geometry, made valid; None when there is none."""
    if geom is None or geom.is_empty:
        return None
    parts = shapely.get_parts(shapely.make_valid(geom)).tolist()
    parts = [q for p in parts for q in shapely.get_parts(p).tolist() if q.geom_type == "Polygon"]
    return shapely.union_all(parts) if parts else None


def check_area_srid(conn: Connection) -> None:
    """Raise InvalidInput when PostGIS lacks EPSG:3406, needed to compute areas."""
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (AREA_SRID,))
        if cur.fetchone() is None:
            raise InvalidInput(
                f"Bảng spatial_ref_sys của PostGIS không có EPSG:{AREA_SRID} (VN-2000 / UTM 49N), "
                "cần để tính diện tích ranh giới"
            )


def write_boundary(conn: Connection, edition: str, code: str, geom: BaseGeometry, *,
                   source: str, quality: str, method: str, replace_official: bool) -> float | None:
    """Upsert one unit polygon (lon/lat); return its area in km², None if not written."""
    sql = _REPLACE_ANY if replace_official else _REPLACE_APPROXIMATE
    wkb = psycopg2.Binary(shapely.to_wkb(geom))
    with conn.cursor() as cur:
        cur.execute(sql, (wkb, edition, code, source, quality, method))
        row = cur.fetchone()
    return None if row is None else float(row[0])


def official_polygons(conn: Connection, edition: str, level: str) -> dict[str, BaseGeometry]:
    """Official polygons of one level and edition, by unit code."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT b.code, ST_AsBinary(b.geom) FROM boundary b JOIN admin_unit a"
            " USING (edition, code) WHERE b.edition = %s AND a.level = %s"
            " AND b.quality = 'official'",
            (edition, level),
        )
        return {code: shapely.from_wkb(bytes(wkb)) for code, wkb in cur.fetchall()}


def area_totals(conn: Connection, edition: str) -> list[tuple[str, str, int, float]]:
    """(level, quality, units, total km²) of the stored polygons of an edition."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT a.level, b.quality, count(*), sum(b.area_km2) FROM boundary b"
            " JOIN admin_unit a USING (edition, code) WHERE b.edition = %s"
            " GROUP BY a.level, b.quality ORDER BY a.level DESC, b.quality DESC",
            (edition,),
        )
        return [(lv, q, int(n), float(s)) for lv, q, n, s in cur.fetchall()]
