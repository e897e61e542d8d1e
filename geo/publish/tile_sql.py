"""SQL of the vector tiles: one query per layer, each answering one Mapbox Vector Tile.

Rows are selected by the GiST indexes on the EPSG:3857 columns of migration 0011
(`location.point_3857`, `boundary.geom_3857`) against the tile's envelope; only public fields
are selected (geo.publish.tiles checks them against the record spec). Parameters:
  z, x, y       the tile;
  margin        the envelope's margin, as a share of the tile (points near an edge are drawn
                by both tiles, so a symbol is never cut);
  buffer        the same margin in tile units (of EXTENT);
  cell          clustering: the grid cell in metres (EPSG:3857), 0 = no clustering;
  district      a legacy district code or NULL; trade: a trade or NULL (establishments);
  gx0.., shift, size   establishment clusters below POINTS_ZOOM: see _KEPT_CELLS.
"""

from __future__ import annotations

EXTENT = 4096
WORLD_ORIGIN = -20037508.342789244  # west and south edge of EPSG:3857

# Locations of establishments in the (widened) tile that are their establishment's first
# location (the one record_place and the GeoJSON use), with the filters applied.
_ESTABLISHMENT_POINTS = """
SELECT l.establishment_id AS id, l.point_3857 AS pt, l.id AS lid
FROM location l
WHERE l.point_3857 && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s)
  AND l.establishment_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM location o
                  WHERE o.establishment_id = l.establishment_id AND o.id < l.id)
  AND NOT EXISTS (SELECT 1 FROM establishment a WHERE a.archived_at IS NOT NULL
                  AND a.id = l.establishment_id)
  AND (%(trade)s::text IS NULL OR EXISTS (
        SELECT 1 FROM establishment t WHERE t.id = l.establishment_id
        AND t.trade = %(trade)s))
  AND (%(district)s::text IS NULL OR %(district)s = COALESCE(
        (SELECT cu.parent_code FROM admin_unit cu WHERE cu.edition = 'legacy'
         AND cu.level = 'commune' AND cu.code = l.commune_code), l.district_code))
"""

# Drawable points of craft villages and of filtered projects (all their locations).
_VILLAGE_POINTS = """
SELECT l.village_id AS id, l.point_3857 AS pt, l.id AS lid
FROM location l
WHERE l.point_3857 && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s)
  AND l.village_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM location o WHERE o.village_id = l.village_id AND o.id < l.id)
  AND NOT EXISTS (SELECT 1 FROM craft_village a WHERE a.archived_at IS NOT NULL
                  AND a.id = l.village_id)
  AND (%(district)s::text IS NULL OR %(district)s = COALESCE(
        (SELECT cu.parent_code FROM admin_unit cu WHERE cu.edition = 'legacy'
         AND cu.level = 'commune' AND cu.code = l.commune_code), l.district_code))
"""

_PROJECT_POINTS = """
SELECT l.project_id AS id, l.point_3857 AS pt, l.id AS lid
FROM location l
JOIN project p ON p.id = l.project_id
WHERE l.point_3857 && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s)
  AND l.project_id IS NOT NULL AND @FILTER@
  AND (%(district)s::text IS NULL OR %(district)s = COALESCE(
        (SELECT cu.parent_code FROM admin_unit cu WHERE cu.edition = 'legacy'
         AND cu.level = 'commune' AND cu.code = l.commune_code), l.district_code))
"""

# The public fields of a lone point's record (RID) and of its location (LID), with the
# location's legacy district as record_place gives it; one row looked up by primary keys (a
# LATERAL with LIMIT, so the planner never hashes whole tables for a few points).
_PROPS = """
LEFT JOIN LATERAL (
    SELECT @FIELDS@
    FROM @TABLE@ r
    JOIN location loc ON loc.id = q.lid
    LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                            AND cu.code = loc.commune_code
    LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                            AND du.code = COALESCE(cu.parent_code, loc.district_code)
    WHERE r.id = q.rid
    LIMIT 1) p ON true
"""

# The tile of clusters and lone points Q (count, rid, lid, geom) with their public fields.
_TILE_OF = """
f AS (SELECT q.geom, q.count, p.* FROM q @PROPS@ WHERE q.geom IS NOT NULL)
SELECT ST_AsMVT(f, %(layer)s, @EXTENT@, 'geom') FROM f
"""

# Points grouped in grid cells of %(cell)s metres (clusters: count > 1, placed at the mean of
# their points), or one cell per point when cell = 0. Single points carry their record's
# public fields; clusters carry their count only.
_CLUSTERED = """
WITH pts AS (@POINTS@),
cells AS (
    SELECT count(*) AS n, min(id) AS one_id, min(lid) AS one_lid,
           avg(ST_X(pt)) AS cx, avg(ST_Y(pt)) AS cy
    FROM pts
    GROUP BY CASE WHEN %(cell)s > 0 THEN floor((ST_X(pt) - (@ORIGIN@)) / %(cell)s) END,
             CASE WHEN %(cell)s > 0 THEN floor((ST_Y(pt) - (@ORIGIN@)) / %(cell)s) END,
             CASE WHEN %(cell)s > 0 THEN 0 ELSE id END,
             CASE WHEN %(cell)s > 0 THEN 0 ELSE lid END
),
q AS (
    SELECT c.n AS count, CASE WHEN c.n = 1 THEN c.one_id END AS rid,
           CASE WHEN c.n = 1 THEN c.one_lid END AS lid,
           ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(c.cx, c.cy), 3857),
                        ST_TileEnvelope(%(z)s, %(x)s, %(y)s), @EXTENT@, %(buffer)s, true) AS geom
    FROM cells c
),
@TILE_OF@"""

# Establishment clusters below POINTS_ZOOM from the level-16 cells kept by migration 0016: the
# tile's cells are columns %(gx0)s..%(gx1)s and rows %(gy0)s..%(gy1)s (end exclusive, rows from
# the north); shifting them right by %(shift)s bits gives their cluster cell, %(size)s metres
# wide. A cluster sits at the mean of its points; a lone point at its own place, with its record
# (RID) and first location (LID), found through the location index inside its cluster cell.
_KEPT_CELLS = """
WITH k AS (
    SELECT c.gx >> %(shift)s AS kx, c.gy >> %(shift)s AS ky, sum(c.n)::int AS n,
           sum(c.sx) AS sx, sum(c.sy) AS sy
    FROM establishment_cell c
    LEFT JOIN admin_unit cu ON %(district)s::text IS NOT NULL AND cu.edition = 'legacy'
                           AND cu.level = 'commune' AND cu.code = c.commune_code
    WHERE c.gx >= %(gx0)s AND c.gx < %(gx1)s AND c.gy >= %(gy0)s AND c.gy < %(gy1)s
      AND (%(trade)s::text IS NULL OR c.trade = %(trade)s)
      AND (%(district)s::text IS NULL
           OR %(district)s = COALESCE(cu.parent_code, NULLIF(c.district_code, '')))
    GROUP BY 1, 2 HAVING sum(c.n) > 0
),
q AS (
    SELECT k.n AS count, one.establishment_id AS rid, one.location_id AS lid,
           ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(COALESCE(one.x, k.sx / k.n),
                                                COALESCE(one.y, k.sy / k.n)), 3857),
                        ST_TileEnvelope(%(z)s, %(x)s, %(y)s), @EXTENT@, %(buffer)s, true) AS geom
    FROM k
    LEFT JOIN LATERAL (
        SELECT p.establishment_id, p.location_id, p.x, p.y
        FROM location l
        JOIN establishment_point p ON p.location_id = l.id
        WHERE k.n = 1
          AND l.point_3857 && ST_Expand(ST_MakeEnvelope(
                (@ORIGIN@) + k.kx * %(size)s, -(@ORIGIN@) - (k.ky + 1) * %(size)s,
                (@ORIGIN@) + (k.kx + 1) * %(size)s, -(@ORIGIN@) - k.ky * %(size)s, 3857), 1)
          AND p.gx >> %(shift)s = k.kx AND p.gy >> %(shift)s = k.ky
          AND (%(trade)s::text IS NULL OR p.trade = %(trade)s)
          AND (%(district)s::text IS NULL OR %(district)s = COALESCE(
                (SELECT cu.parent_code FROM admin_unit cu WHERE cu.edition = 'legacy'
                 AND cu.level = 'commune' AND cu.code = p.commune_code),
                NULLIF(p.district_code, '')))
        LIMIT 1) one ON true
),
@TILE_OF@"""

_ESTABLISHMENT_FIELDS = ("r.id, r.name, r.trade, r.workers, loc.precision, "
                         "loc.geocode_status AS status, du.code AS district")
_VILLAGE_FIELDS = ("r.id, r.name, r.trade, r.workers, r.households, r.recognised_year, "
                   "loc.precision, du.code AS district")
_PROJECT_FIELDS = ("r.id, r.title, r.year, r.funding_source, r.activity_type, r.kc_vnd, "
                   "r.status, loc.precision, du.code AS district")


def _fill(sql: str, table: str, fields: str) -> str:
    props = _PROPS.replace("@FIELDS@", fields).replace("@TABLE@", table)
    return (sql.replace("@TILE_OF@", _TILE_OF).replace("@PROPS@", props)
            .replace("@ORIGIN@", repr(WORLD_ORIGIN))
            .replace("@EXTENT@", str(EXTENT)))


ESTABLISHMENTS = _fill(_CLUSTERED.replace("@POINTS@", _ESTABLISHMENT_POINTS), "establishment",
                       _ESTABLISHMENT_FIELDS)
ESTABLISHMENT_CELLS = _fill(_KEPT_CELLS, "establishment", _ESTABLISHMENT_FIELDS)
VILLAGES = _fill(_CLUSTERED.replace("@POINTS@", _VILLAGE_POINTS), "craft_village",
                 _VILLAGE_FIELDS)


def projects(filter_sql: str) -> str:
    """The project layer's query with the project filter's WHERE clause (of `p`)."""
    points = _PROJECT_POINTS.replace("@FILTER@", filter_sql)
    return _fill(_CLUSTERED.replace("@POINTS@", points), "project", _PROJECT_FIELDS)


# Unit polygons of one edition and level, simplified to the tile's resolution by
# ST_AsMVTGeom; quality tells approximate polygons from official ones.
UNITS = """
WITH f AS (
    SELECT u.code, u.name, u.parent_code AS parent, b.quality,
           ST_AsMVTGeom(b.geom_3857, ST_TileEnvelope(%(z)s, %(x)s, %(y)s), @EXTENT@,
                        %(buffer)s, true) AS geom
    FROM boundary b
    JOIN admin_unit u ON u.edition = b.edition AND u.code = b.code
    WHERE b.geom_3857 && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s)
      AND b.edition = %(edition)s AND u.level = %(level)s
      AND (%(district)s::text IS NULL OR u.code = %(district)s
           OR u.parent_code = %(district)s)
)
SELECT ST_AsMVT(f, %(layer)s, @EXTENT@, 'geom') FROM f WHERE geom IS NOT NULL
""".replace("@EXTENT@", str(EXTENT))

# The extent of the data of a layer in WGS 84 (TileJSON bounds).
BOUNDS = """
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT ST_Extent(geom)::geometry AS e FROM boundary WHERE edition = %(edition)s) b
"""
