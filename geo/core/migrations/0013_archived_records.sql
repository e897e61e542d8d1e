-- kcmap 0013: archived records. An import run with the explicit "archive absent records"
-- option archives the records its file no longer carries (never deletes them):
--   archived_at: when (NULL = live record); archived_batch_id: the import batch that did it.
-- Archived records drop out of maps, tiles, OGC collections and indicators (record_place
-- leaves out their locations; the queries on the record tables test archived_at IS NULL).
-- Archiving is audited (action 'import', before/after {archived_at, archived_batch_id}, with
-- the user and the batch) and undone by the batch's undo. import_batch.archive_absent: the
-- option was asked for at upload.
ALTER TABLE establishment ADD COLUMN archived_at timestamptz,
    ADD COLUMN archived_batch_id bigint REFERENCES import_batch (id) ON DELETE SET NULL;
ALTER TABLE craft_village ADD COLUMN archived_at timestamptz,
    ADD COLUMN archived_batch_id bigint REFERENCES import_batch (id) ON DELETE SET NULL;
ALTER TABLE project ADD COLUMN archived_at timestamptz,
    ADD COLUMN archived_batch_id bigint REFERENCES import_batch (id) ON DELETE SET NULL;
-- few records are archived: these keep the anti-joins below small
CREATE INDEX establishment_archived_idx ON establishment (id) WHERE archived_at IS NOT NULL;
CREATE INDEX craft_village_archived_idx ON craft_village (id) WHERE archived_at IS NOT NULL;
CREATE INDEX project_archived_idx ON project (id) WHERE archived_at IS NOT NULL;

ALTER TABLE import_batch ADD COLUMN archive_absent boolean NOT NULL DEFAULT false;

-- record_place: the locations of live records only (same columns as 0005).
CREATE OR REPLACE VIEW record_place AS
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
                        AND du.code = COALESCE(cu.parent_code, l.district_code)
WHERE NOT EXISTS (SELECT 1 FROM establishment a WHERE a.archived_at IS NOT NULL
                  AND a.id = l.establishment_id)
  AND NOT EXISTS (SELECT 1 FROM craft_village a WHERE a.archived_at IS NOT NULL
                  AND a.id = l.village_id)
  AND NOT EXISTS (SELECT 1 FROM project a WHERE a.archived_at IS NOT NULL
                  AND a.id = l.project_id);
