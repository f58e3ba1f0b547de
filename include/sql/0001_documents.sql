-- One row per item a source offered; (source_system, source_id) is the ledger's identity.
CREATE TABLE IF NOT EXISTS documents (
    id                  uuid PRIMARY KEY,
    source_system       text        NOT NULL,
    source_id           text        NOT NULL,
    object_uri          text,
    file_name           text        NOT NULL,
    file_ext            text,
    mime_type           text,
    file_size           bigint,
    checksum            char(64),
    ingestion_ts        timestamptz NOT NULL DEFAULT now(),
    source_ts           timestamptz,
    department          text        NOT NULL DEFAULT 'unknown',
    doc_category        text        NOT NULL DEFAULT 'other',
    language            text        NOT NULL DEFAULT 'unknown',
    sender              text,
    status              text        NOT NULL,
    rejection_reason    text,
    retry_count         integer     NOT NULL DEFAULT 0,
    scan_status         text,
    scan_signature      text,
    duplicate_of        uuid REFERENCES documents (id),
    classifier_version  text,
    source_metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    tags                jsonb       NOT NULL DEFAULT '[]'::jsonb,
    deleted_at          timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT documents_source_identity UNIQUE (source_system, source_id),
    CONSTRAINT documents_status_check CHECK (status IN
        ('pending', 'success', 'quarantined', 'rejected', 'duplicate', 'failed', 'deleted')),
    CONSTRAINT documents_scan_status_check CHECK (scan_status IN ('clean', 'infected', 'unscanned')),
    CONSTRAINT documents_department_check CHECK (department IN
        ('engineering', 'finance', 'safety', 'hr', 'operations', 'executive', 'unknown')),
    CONSTRAINT documents_category_check CHECK (doc_category IN
        ('invoice', 'purchase_order', 'budget_report', 'safety_circular', 'incident_report',
         'hr_policy', 'training_notice', 'maintenance_report', 'work_order', 'operations_report',
         'board_minutes', 'regulatory_notice', 'other')),
    CONSTRAINT documents_language_check CHECK (language IN ('en', 'ml', 'bilingual', 'unknown')),
    -- Fail closed in the database too: a stored document must carry a clean scan.
    CONSTRAINT documents_success_is_clean CHECK (status <> 'success' OR scan_status = 'clean')
);

CREATE INDEX IF NOT EXISTS documents_checksum_idx ON documents (checksum);
CREATE INDEX IF NOT EXISTS documents_status_idx ON documents (source_system, status);
-- Dedupe's last line of defence: one stored original per content.
CREATE UNIQUE INDEX IF NOT EXISTS documents_one_original_per_checksum
    ON documents (checksum) WHERE status = 'success';
