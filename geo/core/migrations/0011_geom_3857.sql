-- kcmap 0011: geometries in Web Mercator (EPSG:3857) for vector tiles, stored and indexed, so a
-- tile request selects rows by index instead of transforming every row.
--   location.point_3857: the drawable point of a location as record_place defines it (exact or
--     commune precision only, a polygon's point on surface), NULL otherwise;
--   boundary.geom_3857: the unit's polygon.
-- Both are generated columns: every write to geom keeps them in step, nothing else writes them.
ALTER TABLE location ADD COLUMN point_3857 geometry(Point, 3857)
    GENERATED ALWAYS AS (
        CASE WHEN precision IN ('exact', 'commune') AND geom IS NOT NULL THEN
            ST_Transform(CASE WHEN GeometryType(geom) = 'POINT' THEN geom
                              ELSE ST_PointOnSurface(geom) END, 3857) END) STORED;
CREATE INDEX location_point_3857_gix ON location USING gist (point_3857);

ALTER TABLE boundary ADD COLUMN geom_3857 geometry(MultiPolygon, 3857)
    GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED;
CREATE INDEX boundary_geom_3857_gix ON boundary USING gist (geom_3857);
