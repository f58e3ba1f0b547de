-- Every success is announced on kmrl_ready_for_extraction exactly once, whichever run stored it:
-- announced_at is set by the run that sent the Asset event. Rows from before this column existed
-- were announced by the run that stored them.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS announced_at timestamptz;
UPDATE documents SET announced_at = ingestion_ts WHERE status = 'success' AND announced_at IS NULL;
CREATE INDEX IF NOT EXISTS documents_unannounced_idx
    ON documents (source_system, ingestion_ts) WHERE status = 'success' AND announced_at IS NULL;

-- A CHECK passes when it evaluates to NULL: `status <> 'success' OR scan_status = 'clean'` let a
-- success row with no scan_status through. IS NOT DISTINCT FROM never yields NULL.
ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_success_is_clean;
ALTER TABLE documents ADD CONSTRAINT documents_success_is_clean
    CHECK (status <> 'success' OR scan_status IS NOT DISTINCT FROM 'clean');
