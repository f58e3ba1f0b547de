"""Small helpers shared by tests (no fixtures here)."""

from __future__ import annotations

import json
from typing import Any

import psycopg2


class MemoryCheckpoint:
    """A checkpoint store that keeps the cursor in memory (the operator uses a Variable)."""

    def __init__(self, value: dict[str, Any] | None = None) -> None:
        self.value = value
        self.saves = 0

    def load(self) -> dict[str, Any] | None:
        return self.value

    def save(self, value: dict[str, Any]) -> None:
        self.value = json.loads(json.dumps(value))
        self.saves += 1


def rows(dsn: str, source: str | None = None) -> list[dict[str, Any]]:
    """All documents rows (optionally of one source) as dicts."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id::text, source_system, source_id, object_uri, file_name, status, rejection_reason,"
            " scan_status, scan_signature, duplicate_of::text, checksum, file_size, mime_type, language,"
            " source_metadata, retry_count FROM documents"
            + (" WHERE source_system = %s" if source else "") + " ORDER BY ingestion_ts, id",
            (source,) if source else None,
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def events(dsn: str, doc_id: str) -> list[str]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT event FROM document_events WHERE document_id = %s ORDER BY id", (doc_id,))
        return [r[0] for r in cur.fetchall()]


def by_path(all_rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["source_metadata"]["path"]: r for r in all_rows}
