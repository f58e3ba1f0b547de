-- "Where did this document come from and what used it": one row per step, in order.
CREATE OR REPLACE VIEW document_lineage AS
SELECT d.id            AS document_id,
       d.source_system,
       d.source_id,
       d.file_name,
       d.object_uri,
       d.status,
       d.duplicate_of,
       e.id            AS event_id,
       e.event,
       e.at,
       e.dag_id,
       e.run_id,
       e.task_id,
       e.details
FROM documents d
JOIN document_events e ON e.document_id = d.id;
