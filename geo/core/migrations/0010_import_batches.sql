-- kcmap 0010: import batches, per-field import state of records, saved column mappings.
-- (audit actions: those of 0004 and 0008, plus 'import' and 'import_undo')
-- A batch is one file sent in (CLI or /imports): previewed (ready), then committed or left;
-- a committed batch can be undone. Every change an import makes is audited with its batch.

CREATE TABLE import_batch (
    id            bigserial PRIMARY KEY,
    user_id       bigint REFERENCES app_user (id) ON DELETE SET NULL,
    username      text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('establishment', 'craft_village', 'project')),
    file_name     text NOT NULL,
    sheet         text,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'ready', 'committed', 'undone', 'failed')),
    progress      real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    message       text,
    district_code text,  -- a district officer's batch covers this district only
    summary       jsonb NOT NULL DEFAULT '{}',
    report        jsonb NOT NULL DEFAULT '{}',  -- columns, header rows, conversions, absent
    counts_before jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    committed_at  timestamptz,
    undone_at     timestamptz
);
CREATE INDEX import_batch_created_idx ON import_batch (created_at DESC);

-- One sheet row of a batch: its status, issues, what the import plans for it and decisions.
CREATE TABLE import_batch_row (
    batch_id    bigint NOT NULL REFERENCES import_batch (id) ON DELETE CASCADE,
    row_number  integer NOT NULL,
    status      text NOT NULL,
    report      jsonb NOT NULL,            -- the row as the JSON report shows it
    record_key  text,
    place_key   text,
    record_id   bigint,                    -- the matched record (re-import), if any
    "values"    jsonb,                     -- the record's values from the file
    location    jsonb,                     -- its location from the file
    decisions   jsonb NOT NULL DEFAULT '{}',  -- field -> 'file' | 'keep'
    prev_state  jsonb,                     -- import_state before commit (for undo)
    PRIMARY KEY (batch_id, row_number)
);

-- Per record: the values of its last import and the fields a person changed since.
CREATE TABLE import_state (
    entity      text NOT NULL CHECK (entity IN ('establishment', 'craft_village', 'project')),
    entity_id   bigint NOT NULL,
    imported    jsonb NOT NULL DEFAULT '{}',
    edited      text[] NOT NULL DEFAULT '{}',
    place_key   text,
    source_row  integer,
    batch_id    bigint REFERENCES import_batch (id) ON DELETE SET NULL,
    PRIMARY KEY (entity, entity_id)
);

-- Column mappings saved under a name on the import page, reusable.
CREATE TABLE import_mapping (
    name        text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
    kind        text NOT NULL CHECK (kind IN ('establishment', 'craft_village', 'project')),
    mapping     jsonb NOT NULL,
    username    text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE audit_log ADD COLUMN batch_id bigint REFERENCES import_batch (id) ON DELETE SET NULL;
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('edit', 'confirm', 'revert', 'create', 'add_line', 'approve', 'import',
                      'import_undo'));
CREATE INDEX audit_log_batch_idx ON audit_log (batch_id) WHERE batch_id IS NOT NULL;

-- Records imported before this migration: their current values count as imported, except
-- fields a person changed (audit trail), whose imported value is the one before the first edit.
WITH attrs (entity, names) AS (VALUES
    ('establishment', ARRAY['name', 'owner_name', 'trade', 'phone', 'workers', 'address_raw']),
    ('craft_village', ARRAY['name', 'trade', 'decision', 'recognised_year', 'households',
                            'workers']),
    ('project', ARRAY['title', 'year', 'funding_source', 'activity_type', 'kc_vnd',
                      'counterpart_vnd', 'status', 'beneficiary'])),
records (entity, entity_id, doc) AS (
    SELECT 'establishment', id, to_jsonb(r) FROM establishment r
    WHERE NOT is_demo AND record_key LIKE 'import:%'
    UNION ALL SELECT 'craft_village', id, to_jsonb(r) FROM craft_village r
    WHERE NOT is_demo AND record_key LIKE 'import:%'
    UNION ALL SELECT 'project', id, to_jsonb(r) FROM project r
    WHERE NOT is_demo AND record_key LIKE 'import:%'),
changed AS (
    SELECT DISTINCT ON (a.entity, a.entity_id, k.key) a.entity, a.entity_id, k.key,
           a.before -> k.key AS first_before
    FROM audit_log a, jsonb_each(a.after) k
    WHERE a.before -> k.key IS DISTINCT FROM k.value AND a.reverted_by_id IS NULL
    ORDER BY a.entity, a.entity_id, k.key, a.id)
INSERT INTO import_state (entity, entity_id, imported, edited)
SELECT r.entity, r.entity_id,
       (SELECT jsonb_object_agg(f.key, COALESCE(
                   (SELECT c.first_before FROM changed c WHERE c.entity = r.entity
                    AND c.entity_id = r.entity_id AND c.key = f.key), f.value))
        FROM jsonb_each(r.doc) f WHERE f.key = ANY(t.names)),
       ARRAY(SELECT DISTINCT CASE WHEN c.key = ANY(t.names) THEN c.key ELSE 'location' END
             FROM changed c WHERE c.entity = r.entity AND c.entity_id = r.entity_id
             AND (c.key = ANY(t.names) OR c.key IN ('lon', 'lat', 'commune_code')))
FROM records r JOIN attrs t ON t.entity = r.entity;
