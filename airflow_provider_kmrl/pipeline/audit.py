"""Reconcile the ``documents`` ledger with the object store, and repair only when asked.

Checks: rows whose object is missing, objects no row accounts for, size drift, and a sample
of objects re-hashed against ``checksum``. Repairs: a row whose object is missing or corrupt goes
to ``failed`` (``kmrl_reprocess`` fetches it again from its source) and a corrupt object is moved
aside; an orphan object is moved aside under ``_orphaned/``. Nothing is ever deleted.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import psycopg2.extras

from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext
from airflow_provider_kmrl.pipeline.store import DocumentStore

log = logging.getLogger(__name__)
ASIDE_PREFIX = "_orphaned/"


@dataclass
class AuditReport:
    rows_checked: int = 0
    objects_checked: int = 0
    rehashed: int = 0
    missing_objects: list[str] = field(default_factory=list)  # document ids
    orphan_objects: list[str] = field(default_factory=list)  # bucket/key
    size_mismatches: list[str] = field(default_factory=list)  # document ids
    checksum_mismatches: list[str] = field(default_factory=list)  # document ids
    repaired: list[dict[str, Any]] = field(default_factory=list)

    @property
    def drift(self) -> int:
        return (len(self.missing_objects) + len(self.orphan_objects) + len(self.size_mismatches)
                + len(self.checksum_mismatches))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_checked": self.rows_checked, "objects_checked": self.objects_checked,
            "rehashed": self.rehashed, "drift": self.drift,
            "missing_objects": self.missing_objects, "orphan_objects": self.orphan_objects,
            "size_mismatches": self.size_mismatches, "checksum_mismatches": self.checksum_mismatches,
            "repaired": self.repaired,
        }


def audit_store(
    catalog: Catalog,
    store: DocumentStore,
    buckets: list[str],
    *,
    sample_size: int = 100,
    repair: bool = False,
    context: RunContext | None = None,
    seed: int | None = None,
) -> AuditReport:
    """Compare rows and objects in ``buckets``; record the audit; repair when ``repair`` is set."""
    context = context or RunContext()
    audit_id = _open_audit(catalog, context, repair)
    report = AuditReport()
    expected = _expected_objects(catalog, store, buckets)  # (bucket, key) -> (doc id, size, checksum)
    in_flight = _pending_ids(catalog)
    report.rows_checked = len(expected)
    present: dict[tuple[str, str], int] = {}
    for bucket in buckets:
        for obj in store.list_objects(bucket):
            if obj.key.startswith(ASIDE_PREFIX):
                continue
            present[(bucket, obj.key)] = obj.size
    report.objects_checked = len(present)
    for location, (doc_id, size, _checksum) in sorted(expected.items()):
        if location not in present:
            report.missing_objects.append(doc_id)
        elif size is not None and present[location] != size:
            report.size_mismatches.append(doc_id)
    for location in sorted(set(present) - set(expected)):
        parts = location[1].split("/")
        if len(parts) > 4 and parts[4] in in_flight:
            continue  # an ingest is writing it right now
        report.orphan_objects.append(f"{location[0]}/{location[1]}")
    candidates = sorted(loc for loc in expected if loc in present and expected[loc][1] == present[loc])
    for location in random.Random(seed).sample(candidates, min(sample_size, len(candidates))):
        report.rehashed += 1
        if store.sha256_of(*location) != expected[location][2]:
            report.checksum_mismatches.append(expected[location][0])
    if repair:
        _repair(catalog, store, report, expected, context)
    _close_audit(catalog, audit_id, report)
    log.info("audit %s: %s", audit_id, report.as_dict())
    return report


def _expected_objects(catalog: Catalog, store: DocumentStore, buckets: list[str]) -> dict:
    expected = {}
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id::text, object_uri, file_size, checksum FROM documents"
            " WHERE status IN ('success', 'quarantined') AND duplicate_of IS NULL AND object_uri IS NOT NULL"
        )
        for doc_id, uri, size, checksum in cur.fetchall():
            try:
                location = store.locate(uri)
            except ValueError:
                continue
            if location[0] in buckets:
                expected[location] = (doc_id, size, checksum)
        conn.rollback()
    return expected


def _pending_ids(catalog: Catalog) -> set[str]:
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute("SELECT id::text FROM documents WHERE status = 'pending'")
        ids = {r[0] for r in cur.fetchall()}
        conn.rollback()
    return ids


def _repair(catalog: Catalog, store: DocumentStore, report: AuditReport, expected: dict, ctx: RunContext) -> None:
    by_doc = {v[0]: loc for loc, v in expected.items()}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    to_fail: list[tuple[str, str]] = []
    for doc_id in report.missing_objects:
        to_fail.append((doc_id, "object missing from the store (audit); fetch it again with kmrl_reprocess"))
    for doc_id in report.size_mismatches + report.checksum_mismatches:
        bucket, key = by_doc[doc_id]
        moved = store.move(bucket, key, bucket, f"{ASIDE_PREFIX}{stamp}/{key}")
        report.repaired.append({"document_id": doc_id, "action": "moved corrupt object aside", "to": moved})
        to_fail.append((doc_id, "stored object does not match its checksum or size (audit); moved aside"))
    for location in report.orphan_objects:
        bucket, _, key = location.partition("/")
        moved = store.move(bucket, key, bucket, f"{ASIDE_PREFIX}{stamp}/{key}")
        report.repaired.append({"object": location, "action": "moved orphan aside", "to": moved})
    with catalog.connection() as conn, conn.cursor() as cur:
        for doc_id, reason in to_fail:
            # retry_count restarts so that the dead-letter ceiling does not block the refetch.
            cur.execute(
                "UPDATE documents SET status = 'failed', rejection_reason = %s, retry_count = 0, updated_at = now()"
                " WHERE id = %s::uuid", (reason, doc_id))
            report.repaired.append({"document_id": doc_id, "action": "row marked failed for reprocess"})
        events = [(doc_id, "audited", ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json({"problem": reason}))
                  for doc_id, reason in to_fail]
        psycopg2.extras.execute_values(
            cur, "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details) VALUES %s",
            events, template="(%s::uuid, %s, %s, %s, %s, %s)")
        conn.commit()


def _open_audit(catalog: Catalog, ctx: RunContext, repair: bool) -> int:
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO kmrl_audits (dag_id, run_id, repair) VALUES (%s, %s, %s) RETURNING id",
                    (ctx.dag_id, ctx.run_id, repair))
        audit_id = cur.fetchone()[0]
        conn.commit()
    return audit_id


def _close_audit(catalog: Catalog, audit_id: int, report: AuditReport) -> None:
    unrepaired = report.drift and not report.repaired
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "UPDATE kmrl_audits SET finished_at = now(), rows_checked = %s, objects_checked = %s, rehashed = %s,"
            " missing_objects = %s, orphan_objects = %s, size_mismatches = %s, checksum_mismatches = %s,"
            " repaired = %s, status = %s, details = %s WHERE id = %s",
            (report.rows_checked, report.objects_checked, report.rehashed, len(report.missing_objects),
             len(report.orphan_objects), len(report.size_mismatches), len(report.checksum_mismatches),
             len(report.repaired), "clean" if not report.drift else ("drift" if unrepaired else "repaired"),
             psycopg2.extras.Json(report.as_dict()), audit_id),
        )
        conn.commit()
