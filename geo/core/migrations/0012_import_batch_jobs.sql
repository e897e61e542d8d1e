-- kcmap 0012: committing and undoing a batch run as background jobs.
-- A batch asked to commit is `committing` (undo: `undoing`) until its job has written it in
-- one transaction; `request` keeps who asked and with which options, so a job interrupted by
-- a restart is run again (or the batch is put back with a message), never left half-written.

ALTER TABLE import_batch DROP CONSTRAINT IF EXISTS import_batch_status_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_status_check
    CHECK (status IN ('running', 'ready', 'committing', 'committed', 'undoing', 'undone',
                      'failed'));
ALTER TABLE import_batch ADD COLUMN request jsonb;
