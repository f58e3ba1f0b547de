-- One row per kmrl_audit run: what was compared, what drifted, what was repaired.
CREATE TABLE IF NOT EXISTS kmrl_audits (
    id                   bigserial   PRIMARY KEY,
    started_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz,
    dag_id               text,
    run_id               text,
    repair               boolean     NOT NULL DEFAULT false,
    rows_checked         integer     NOT NULL DEFAULT 0,
    objects_checked      integer     NOT NULL DEFAULT 0,
    rehashed             integer     NOT NULL DEFAULT 0,
    missing_objects      integer     NOT NULL DEFAULT 0,
    orphan_objects       integer     NOT NULL DEFAULT 0,
    size_mismatches      integer     NOT NULL DEFAULT 0,
    checksum_mismatches  integer     NOT NULL DEFAULT 0,
    repaired             integer     NOT NULL DEFAULT 0,
    status               text        NOT NULL DEFAULT 'running',
    details              jsonb       NOT NULL DEFAULT '{}'::jsonb
);
