-- kcmap 0015: writes to recognised products, collaborators, project outputs, money status and
-- inspection visits are audited in audit_log like record edits (who, when, before/after).
-- entity_id: the product or collaborator id; for project_output, project_finance and
-- project_inspection the project's id (the inspection's own id is in `after`). Those three
-- tables have no version column: their rows are written with version_before = version_after = 0.
-- The allowed entities are extended, keeping whatever earlier migrations allowed.
DO $$
DECLARE
    current_def text;
    allowed text[];
BEGIN
    SELECT pg_get_constraintdef(oid) INTO current_def FROM pg_constraint
    WHERE conrelid = 'audit_log'::regclass AND conname = 'audit_log_entity_check';
    SELECT array_agg(DISTINCT m[1]) INTO allowed
    FROM regexp_matches(COALESCE(current_def, ''), '''([a-z_0-9]+)''', 'g') AS m;
    allowed := ARRAY(SELECT DISTINCT unnest(COALESCE(allowed, ARRAY[]::text[]) || ARRAY[
        'establishment', 'craft_village', 'project', 'recognised_product', 'collaborator',
        'project_output', 'project_finance', 'project_inspection']) ORDER BY 1);
    ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_entity_check;
    EXECUTE format('ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check '
                   'CHECK (entity IN (%s))',
                   (SELECT string_agg(quote_literal(a), ', ') FROM unnest(allowed) AS a));
END;
$$;
