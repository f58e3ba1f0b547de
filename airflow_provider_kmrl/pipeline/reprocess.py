"""Second chances for stored documents: retry the dead-letter set and re-scan.

Re-classification lives in :mod:`airflow_provider_kmrl.classification.reclassify`.

All three act on a selection (source, status, ingestion-date range) and leave an event on every
document they touch, so the lineage shows what happened and why.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg2.extras

from airflow_provider_kmrl.pipeline.catalog import Catalog, LedgerRow, RunContext
from airflow_provider_kmrl.pipeline.models import ScanStatus
from airflow_provider_kmrl.pipeline.scan import Scanner
from airflow_provider_kmrl.pipeline.store import DocumentStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Selection:
    """Which documents an action applies to; ``None`` means "any"."""

    source: str | None = None
    statuses: tuple[str, ...] = ("failed",)
    ingested_from: datetime | None = None
    ingested_to: datetime | None = None
    limit: int = 10_000

    def where(self) -> tuple[str, dict[str, Any]]:
        sql = ["status = ANY(%(statuses)s)"]
        params: dict[str, Any] = {"statuses": list(self.statuses), "limit": self.limit}
        if self.source:
            sql.append("source_system = %(source)s")
            params["source"] = self.source
        if self.ingested_from:
            sql.append("ingestion_ts >= %(from)s")
            params["from"] = self.ingested_from
        if self.ingested_to:
            sql.append("ingestion_ts < %(to)s")
            params["to"] = self.ingested_to
        return " AND ".join(sql), params


def failed_rows(catalog: Catalog, selection: Selection, ceiling: int) -> dict[str, list[LedgerRow]]:
    """Failed documents below the retry ceiling, grouped by source (the dead-letter set)."""
    where, params = Selection(selection.source, ("failed",), selection.ingested_from,
                              selection.ingested_to, selection.limit).where()
    params["ceiling"] = ceiling
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT source_system, id::text, source_id, status, retry_count, ingestion_ts, file_name, source_metadata"
            f" FROM documents WHERE {where} AND retry_count < %(ceiling)s ORDER BY ingestion_ts, id LIMIT %(limit)s",
            params,
        )
        grouped: dict[str, list[LedgerRow]] = {}
        for source, *rest in cur.fetchall():
            grouped.setdefault(source, []).append(LedgerRow(*rest))
        conn.rollback()
    return grouped


def _stored(catalog: Catalog, selection: Selection) -> list[dict[str, Any]]:
    where, params = selection.where()
    with catalog.connection() as conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT id::text, status, object_uri, file_name, mime_type, source_metadata, department, doc_category,"
            " language, classifier_version, rejection_reason FROM documents"
            f" WHERE {where} AND duplicate_of IS NULL AND object_uri IS NOT NULL ORDER BY ingestion_ts, id"
            " LIMIT %(limit)s",
            params,
        )
        rows = [dict(r) for r in cur.fetchall()]
        conn.rollback()
    return rows


def rescan(
    catalog: Catalog, store: DocumentStore, scanner: Scanner, selection: Selection, quarantine_bucket: str,
    context: RunContext | None = None,
) -> dict[str, int]:
    """Scan stored documents again with today's signatures; newly infected ones go to quarantine."""
    context = context or RunContext()
    scanner.ping()
    counts = {"rescanned": 0, "newly_infected": 0, "unscanned": 0}
    with tempfile.TemporaryDirectory(prefix="kmrl-rescan-") as spool:
        for row in _stored(catalog, selection):
            bucket, key = store.locate(row["object_uri"])
            path = os.path.join(spool, "object")
            store.download(bucket, key, path)
            result = scanner.scan_file(path)
            counts["rescanned"] += 1
            events = [("rescanned", {"result": result.status.value, "signature": result.signature})]
            if result.status is ScanStatus.UNSCANNED:
                counts["unscanned"] += 1
            if result.status is ScanStatus.INFECTED and row["status"] == "success":
                new_uri = store.move(bucket, key, quarantine_bucket, key)
                reason = f"malware found on re-scan: {result.signature}"
                _quarantine(catalog, row["id"], new_uri, reason, result.signature, events, context)
                counts["newly_infected"] += 1
            else:
                _events(catalog, [(row["id"], e) for e in events], context)
    return counts


def _quarantine(catalog, doc_id, new_uri, reason, signature, events, ctx) -> None:
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "UPDATE documents SET status = 'quarantined', rejection_reason = %(reason)s, object_uri = %(uri)s,"
            " scan_status = 'infected', scan_signature = %(sig)s, updated_at = now()"
            " WHERE id = %(id)s::uuid OR (duplicate_of = %(id)s::uuid AND status = 'duplicate')"
            " RETURNING id::text",
            {"reason": reason, "uri": new_uri, "sig": signature, "id": doc_id},
        )
        touched = [r[0] for r in cur.fetchall()]
        conn.commit()
    _events(catalog, [(doc_id, e) for e in events]
            + [(t, ("quarantined", {"uri": new_uri, "reason": reason})) for t in touched], ctx)


def _events(catalog: Catalog, events: list[tuple[str, tuple[str, dict[str, Any]]]], ctx: RunContext) -> None:
    with catalog.connection() as conn, conn.cursor() as cur:
        psycopg2.extras.execute_values(
            cur, "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details) VALUES %s",
            [(doc_id, name, ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json(details))
             for doc_id, (name, details) in events],
            template="(%s::uuid, %s, %s, %s, %s, %s)",
        )
        conn.commit()
