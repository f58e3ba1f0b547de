-- Append-only trail of every step of every document; audit, reprocess and lineage read it.
CREATE TABLE IF NOT EXISTS document_events (
    id           bigserial   PRIMARY KEY,
    document_id  uuid        NOT NULL REFERENCES documents (id),
    event        text        NOT NULL,
    dag_id       text,
    run_id       text,
    task_id      text,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    details      jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX IF NOT EXISTS document_events_document_idx ON document_events (document_id, id);
CREATE INDEX IF NOT EXISTS document_events_event_idx ON document_events (event, at);
