-- kcmap 0018: "the first location of a record" (WHERE establishment_id = r.id ORDER BY id
-- LIMIT 1, used by the importer's stored-record query, record views and the sums of 0016)
-- served by one index per owner on (owner, id). With only (establishment_id) the planner
-- preferred walking location_pkey in id order and filtering, which is quadratic: a re-import
-- of 20,000 establishments spent 18.8 s in that query (0.39 s with these indexes); at 100,000
-- rows it did not finish in 10 minutes. The composite indexes also answer the plain equality
-- lookups, so they replace the single-column ones of 0001.
CREATE INDEX location_establishment_first_idx ON location (establishment_id, id);
CREATE INDEX location_village_first_idx ON location (village_id, id);
CREATE INDEX location_project_first_idx ON location (project_id, id);
DROP INDEX location_establishment_idx;
DROP INDEX location_village_idx;
DROP INDEX location_project_idx;
