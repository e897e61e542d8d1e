-- kcmap 0014: needs (support_need) come in through the importer like records (batches,
-- import state, saved mappings), and plan lines are edited and removed while a plan is a
-- draft (audit actions 'edit_line' and 'remove_line').
-- (audit actions: those of 0010, plus 'edit_line' and 'remove_line')

ALTER TABLE import_batch DROP CONSTRAINT IF EXISTS import_batch_kind_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_kind_check
    CHECK (kind IN ('establishment', 'craft_village', 'project', 'support_need'));
ALTER TABLE import_state DROP CONSTRAINT IF EXISTS import_state_entity_check;
ALTER TABLE import_state ADD CONSTRAINT import_state_entity_check
    CHECK (entity IN ('establishment', 'craft_village', 'project', 'support_need'));
ALTER TABLE import_mapping DROP CONSTRAINT IF EXISTS import_mapping_kind_check;
ALTER TABLE import_mapping ADD CONSTRAINT import_mapping_kind_check
    CHECK (kind IN ('establishment', 'craft_village', 'project', 'support_need'));

ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('edit', 'confirm', 'revert', 'create', 'add_line', 'approve', 'import',
                      'import_undo', 'edit_line', 'remove_line'));

-- A re-import finds the needs of an establishment, activity and year quickly.
CREATE INDEX support_need_natural_idx ON support_need (establishment_id, activity_type,
                                                       desired_year);
