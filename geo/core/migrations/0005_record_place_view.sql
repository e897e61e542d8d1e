-- Where a record is: every location (of an establishment, craft village or project) with its
-- legacy commune and district, codes and names, and the point a map may draw.
--   commune_code/commune_name: the location's commune when it is a known legacy commune;
--   district_code/district_name: that commune's district, else the location's district code
--     when it is a known legacy district;
--   location_commune_code/location_district_code: the codes as stored on the location;
--   point: exact or commune precision only (never a district's), a point on a polygon.
-- A record's first location is the one with the smallest location_id (callers pick it with
-- ORDER BY location_id LIMIT 1 or DISTINCT ON, so the planner keeps using the indexes).
CREATE VIEW record_place AS
SELECT l.id AS location_id, l.establishment_id, l.village_id, l.project_id,
       l.precision, l.geocode_status, l.method, l.score, l.geom,
       l.commune_code AS location_commune_code, l.district_code AS location_district_code,
       cu.code AS commune_code, cu.name AS commune_name,
       du.code AS district_code, du.name AS district_name,
       CASE WHEN l.precision IN ('exact', 'commune') AND l.geom IS NOT NULL THEN
            CASE WHEN GeometryType(l.geom) = 'POINT' THEN l.geom
                 ELSE ST_PointOnSurface(l.geom) END END AS point
FROM location l
LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                        AND cu.code = l.commune_code
LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                        AND du.code = COALESCE(cu.parent_code, l.district_code);
