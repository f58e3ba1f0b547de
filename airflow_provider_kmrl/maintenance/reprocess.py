"""Second chances for stored documents: retry the dead-letter set and re-scan.

Re-classification lives in :mod:`airflow_provider_kmrl.maintenance.reclassify`.

All three act on a selection (source, status, ingestion-date range) and leave an event on every
document they touch, so the lineage shows what happened and why.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
from typing import Any

import psycopg2.extras

from airflow_provider_kmrl.core.protocols import DocumentStore, Scanner
from airflow_provider_kmrl.maintenance.selection import Selection
from airflow_provider_kmrl.pipeline.catalog import Catalog, LedgerRow, RunContext
from airflow_provider_kmrl.pipeline.models import ScanStatus, Status

log = logging.getLogger(__name__)


def failed_rows(catalog: Catalog, selection: Selection, ceiling: int) -> dict[str, list[LedgerRow]]:
    """Failed documents below the retry ceiling, grouped by source (the dead-letter set)."""
    where, params = dataclasses.replace(selection, statuses=("failed",)).where()
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
            " language, classifier_version, rejection_reason, scan_status, checksum FROM documents"
            f" WHERE {where} AND duplicate_of IS NULL AND object_uri IS NOT NULL ORDER BY ingestion_ts, id"
            " LIMIT %(limit)s",
            params,
        )
        rows = [dict(r) for r in cur.fetchall()]
        conn.rollback()
    return rows


def rescan(
    catalog: Catalog, store: DocumentStore, scanner: Scanner, selection: Selection, quarantine_bucket: str,
    context: RunContext | None = None, *, raw_bucket: str | None = None, allow_macros: bool = False,
) -> dict[str, int]:
    """Scan stored documents again with today's signatures.

    Newly infected ones go to quarantine. A document quarantined as "not scanned" (a transient
    scanner failure, a limit since raised) that now scans clean and passes the type check is
    released into ``raw_bucket``: ``success``, or ``duplicate`` when the same content is stored.
    """
    context = context or RunContext()
    scanner.ping()
    counts = {"rescanned": 0, "newly_infected": 0, "unscanned": 0, "released": 0}
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
            elif (result.status is ScanStatus.CLEAN and raw_bucket and row["status"] == "quarantined"
                  and row["scan_status"] == "unscanned"
                  and _release(catalog, store, row, path, (bucket, key), raw_bucket, allow_macros, events, context)):
                counts["released"] += 1
            else:
                _events(catalog, [(row["id"], e) for e in events], context)
    return counts


def _release(catalog, store, row, path, location, raw_bucket, allow_macros, events, ctx) -> bool:
    """Move a "not scanned" document that now scans clean into the raw store; False if its type still bars it."""
    from airflow_provider_kmrl.pipeline.detect import check_type

    with open(path, "rb") as fh:
        type_check = check_type(fh, fh.read(64 * 1024), row["file_name"], allow_macros=allow_macros)
    if not type_check.allowed:
        events.append(("release_refused", {"reason": type_check.reason}))
        return False
    bucket, key = location
    stored = catalog.originals([row["checksum"]], Status.SUCCESS).get(row["checksum"]) if row["checksum"] else None
    with catalog.connection() as conn, conn.cursor() as cur:
        if stored:
            uri, status, duplicate_of = stored[1], "duplicate", stored[0]
            reason = f"same content as {stored[0]}"
        else:
            uri = store.put_file(raw_bucket, key, path, type_check.mime_type)
            status, duplicate_of, reason = "success", None, None
        cur.execute(
            "UPDATE documents SET status = %s, scan_status = 'clean', scan_signature = NULL, rejection_reason = %s,"
            " object_uri = %s, duplicate_of = %s::uuid, mime_type = %s, updated_at = now() WHERE id = %s::uuid",
            (status, reason, uri, duplicate_of, type_check.mime_type, row["id"]),
        )
        # Quarantined copies of it keep the quarantine object; without any, it goes.
        cur.execute("SELECT count(*) FROM documents WHERE object_uri = %s AND status = 'quarantined'",
                    (row["object_uri"],))
        still_used = cur.fetchone()[0]
        conn.commit()
    if not still_used:
        store.delete(bucket, key)
    events.append(("released", {"uri": uri, "status": status, "duplicate_of": duplicate_of}))
    _events(catalog, [(row["id"], e) for e in events], ctx)
    return True


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
