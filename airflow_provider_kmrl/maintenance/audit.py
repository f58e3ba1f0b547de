"""Reconcile the ``documents`` ledger with the object store, and repair only when asked.

Checks: rows whose object is missing, objects no row accounts for, size drift, a sample of
objects re-hashed against ``checksum``, and every copy (``duplicate``, and quarantined copies)
whose original is gone or whose object does not exist. Repairs: a row whose object is missing or
corrupt, and a copy pointing at nothing, go to ``failed`` (``kmrl_reprocess`` fetches them again
from their source) and a corrupt object is moved aside; an orphan object is moved aside under
``_orphaned/``. Nothing is ever deleted.

Finding and repairing are two steps (:func:`find_drift`, :func:`repair_drift`): ingest runs keep
committing in between, so each candidate is checked again just before it is acted on.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import psycopg2.extras

from airflow_provider_kmrl.core.protocols import DocumentStore
from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext

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
    broken_copies: list[str] = field(default_factory=list)  # document ids of copies pointing at nothing
    repaired: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # found, but fine when re-checked
    expected: dict = field(default_factory=dict, repr=False)  # (bucket, key) -> (doc id, size, checksum)

    @property
    def drift(self) -> int:
        return (len(self.missing_objects) + len(self.orphan_objects) + len(self.size_mismatches)
                + len(self.checksum_mismatches) + len(self.broken_copies))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_checked": self.rows_checked, "objects_checked": self.objects_checked,
            "rehashed": self.rehashed, "drift": self.drift,
            "missing_objects": self.missing_objects, "orphan_objects": self.orphan_objects,
            "size_mismatches": self.size_mismatches, "checksum_mismatches": self.checksum_mismatches,
            "broken_copies": self.broken_copies, "repaired": self.repaired, "skipped": self.skipped,
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
    report = find_drift(catalog, store, buckets, sample_size=sample_size, seed=seed)
    if repair:
        repair_drift(catalog, store, report, context)
    _close_audit(catalog, audit_id, report)
    log.info("audit %s: %s", audit_id, report.as_dict())
    return report


def find_drift(
    catalog: Catalog, store: DocumentStore, buckets: list[str], *, sample_size: int = 100, seed: int | None = None
) -> AuditReport:
    """Read rows, then list the buckets, and report what disagrees (nothing is changed)."""
    report = AuditReport()
    expected = _expected_objects(catalog, store, buckets)  # (bucket, key) -> (doc id, size, checksum)
    report.expected = expected
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
    report.broken_copies = _broken_copies(catalog, store, buckets, present)
    return report


def repair_drift(catalog: Catalog, store: DocumentStore, report: AuditReport, ctx: RunContext | None = None) -> None:
    """Act on what :func:`find_drift` reported, re-checking each candidate first."""
    _repair(catalog, store, report, report.expected, ctx or RunContext())


def _broken_copies(catalog: Catalog, store: DocumentStore, buckets: list[str],
                   present: dict[tuple[str, str], int]) -> list[str]:
    """Copies whose original is not stored (any more) with the same object, or whose object is gone."""
    broken = []
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT d.id::text, d.status, d.object_uri, o.status, o.object_uri FROM documents d"
            " LEFT JOIN documents o ON o.id = d.duplicate_of"
            " WHERE d.duplicate_of IS NOT NULL AND d.status IN ('duplicate', 'quarantined')"
        )
        for doc_id, status, uri, original_status, original_uri in cur.fetchall():
            wanted = "success" if status == "duplicate" else "quarantined"
            if original_status != wanted or original_uri != uri or not uri:
                broken.append(doc_id)
                continue
            try:
                location = store.locate(uri)
            except ValueError:
                continue
            if location[0] in buckets and location not in present:
                broken.append(doc_id)
        conn.rollback()
    return sorted(broken)


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
        bucket, key = by_doc[doc_id]
        if store.size_of(bucket, key) is not None or not _row_points_at(catalog, doc_id, store.uri(bucket, key)):
            report.skipped.append({"document_id": doc_id, "why": "object present or row changed on re-check"})
            continue
        to_fail.append((doc_id, "object missing from the store (audit); fetch it again with kmrl_reprocess"))
    for doc_id in report.size_mismatches + report.checksum_mismatches:
        bucket, key = by_doc[doc_id]
        moved = store.move(bucket, key, bucket, f"{ASIDE_PREFIX}{stamp}/{key}")
        report.repaired.append({"document_id": doc_id, "action": "moved corrupt object aside", "to": moved})
        to_fail.append((doc_id, "stored object does not match its checksum or size (audit); moved aside"))
    for location in report.orphan_objects:
        bucket, _, key = location.partition("/")
        if _accounted_for(catalog, store.uri(bucket, key), key):
            report.skipped.append({"object": location, "why": "a row accounts for it on re-check"})
            continue
        moved = store.move(bucket, key, bucket, f"{ASIDE_PREFIX}{stamp}/{key}")
        report.repaired.append({"object": location, "action": "moved orphan aside", "to": moved})
    for doc_id in report.broken_copies:
        to_fail.append((doc_id, "its original's object does not exist (audit); fetch it again with kmrl_reprocess"))
    with catalog.connection() as conn, conn.cursor() as cur:
        for doc_id, reason in to_fail:
            # retry_count restarts so that the dead-letter ceiling does not block the refetch.
            cur.execute(
                "UPDATE documents SET status = 'failed', rejection_reason = %s, retry_count = 0,"
                " duplicate_of = NULL, object_uri = NULL, updated_at = now()"
                " WHERE id = %s::uuid", (reason, doc_id))
            report.repaired.append({"document_id": doc_id, "action": "row marked failed for reprocess"})
        events = [(doc_id, "audited", ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json({"problem": reason}))
                  for doc_id, reason in to_fail]
        psycopg2.extras.execute_values(
            cur, "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details) VALUES %s",
            events, template="(%s::uuid, %s, %s, %s, %s, %s)")
        conn.commit()


def _row_points_at(catalog: Catalog, doc_id: str, uri: str) -> bool:
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM documents WHERE id = %s::uuid AND object_uri = %s", (doc_id, uri))
        found = cur.fetchone() is not None
        conn.rollback()
    return found


def _accounted_for(catalog: Catalog, uri: str, key: str) -> bool:
    """A row now records this object, or the document that owns its key is being ingested."""
    parts = key.split("/")
    doc_id = parts[4] if len(parts) > 4 else None
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT 1 FROM documents WHERE object_uri = %s"
            " OR (id::text = %s AND status = 'pending') LIMIT 1", (uri, doc_id))
        found = cur.fetchone() is not None
        conn.rollback()
    return found


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
