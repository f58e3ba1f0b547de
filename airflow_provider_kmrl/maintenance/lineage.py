"""Follow a document from its source to its object, its row and whoever consumed it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg2.extras

from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext


def record_consumption(
    catalog: Catalog, doc_ids: Iterable[str], consumer: str, context: RunContext | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Write a ``consumed`` event for each known document; returns how many were recorded."""
    context = context or RunContext()
    ids = sorted(set(doc_ids))
    if not ids:
        return 0
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details)"
            " SELECT id, 'consumed', %s, %s, %s, %s FROM documents WHERE id = ANY(%s::uuid[])",
            (context.dag_id, context.run_id, context.task_id,
             psycopg2.extras.Json({"consumer": consumer, **(details or {})}), ids),
        )
        count = cur.rowcount
        conn.commit()
    return count


def lineage(catalog: Catalog, doc_id: str) -> dict[str, Any]:
    """Where a document came from and what used it: its row and every event, in order.

    The same answer in SQL: ``SELECT * FROM document_lineage WHERE document_id = … ORDER BY event_id``.
    """
    with catalog.connection() as conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT id::text, source_system, source_id, file_name, object_uri, status, duplicate_of::text,"
            " checksum, source_metadata, ingestion_ts FROM documents WHERE id = %s::uuid", (doc_id,))
        document = cur.fetchone()
        cur.execute(
            "SELECT event, at, dag_id, run_id, task_id, details FROM document_lineage"
            " WHERE document_id = %s::uuid ORDER BY event_id", (doc_id,))
        steps = [dict(r) for r in cur.fetchall()]
        conn.rollback()
    if document is None:
        raise KeyError(f"no document {doc_id}")
    consumers = sorted({s["details"].get("consumer") for s in steps if s["event"] == "consumed"} - {None})
    return {"document": dict(document), "steps": steps, "consumers": consumers}
