-- kcmap 0002: deleting establishments (demo reload) must not scan project once per row.
CREATE INDEX project_beneficiary_idx ON project (beneficiary_establishment_id);
