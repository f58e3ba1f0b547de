"""Apply a (changed) rule file to documents already stored: the re-classify action of reprocess.

Each selected document's object is read back through the ``DocumentStore`` interface, checked
against the row's SHA-256 (a drifted object is reported, not classified), classified, and its
row updated — ``department``, ``doc_category``, ``language``, ``classifier_version`` — together
with a ``reclassified`` event carrying the previous values, one transaction per batch. Documents
already classified with this classifier version are skipped unless ``force``; quarantined
objects are never read. Duplicates share their original's object, so its text is extracted once
and each row is classified with its own file name and metadata.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg2.extras

from airflow_provider_kmrl.core.protocols import Classifier, DocumentStore
from airflow_provider_kmrl.core.types import Classification, ClassifyInput
from airflow_provider_kmrl.maintenance.selection import Selection
from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext

log = logging.getLogger(__name__)
RECLASSIFIABLE = ("success", "duplicate")
_FIRST_ID = "00000000-0000-0000-0000-000000000000"
CHUNK_SIZE = 1024 * 1024


@dataclass
class ReclassifySummary:
    """What a re-classification did; ``changes`` counts changed values per field."""

    classifier_version: str
    selected: int = 0
    reclassified: int = 0
    changed: int = 0
    failed: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "classifier_version": self.classifier_version,
            "selected": self.selected,
            "reclassified": self.reclassified,
            "changed": self.changed,
            "failed": self.failed,
            "changes": dict(sorted(self.changes.items())),
            "failures": self.failures[:100],
        }


def reclassify_documents(
    catalog: Catalog,
    store: DocumentStore,
    classifier: Classifier | None = None,
    *,
    rules_file: str | None = None,
    source: str | None = None,
    statuses: Sequence[str] = RECLASSIFIABLE,
    ingested_from: datetime | None = None,
    ingested_to: datetime | None = None,
    doc_ids: Sequence[str] | None = None,
    force: bool = False,
    limit: int | None = None,
    batch_size: int = 100,
    context: RunContext | None = None,
) -> ReclassifySummary:
    """Classify stored documents again with ``classifier`` (default: a ``RulesClassifier`` on ``rules_file``).

    :param source: only this ``source_system``.
    :param statuses: rows in these statuses (``success`` and ``duplicate``; never ``quarantined``).
    :param ingested_from: only rows ingested at or after this time; ``ingested_to``: before it.
    :param doc_ids: only these documents.
    :param force: also documents already classified with this classifier version.
    :param limit: at most this many documents (the rest are left for a later run).
    """
    if classifier is None:
        from airflow_provider_kmrl.classification.classifier import RulesClassifier

        classifier = RulesClassifier(rules_file)
    bad = sorted(set(statuses) - set(RECLASSIFIABLE))
    if bad:
        raise ValueError(
            f"cannot re-classify documents in status {', '.join(bad)}: their objects are not read"
        )
    summary = ReclassifySummary(classifier.version)
    selection = Selection(
        source=source, statuses=tuple(statuses), ingested_from=ingested_from, ingested_to=ingested_to,
        doc_ids=tuple(doc_ids) if doc_ids is not None else None, not_version=None if force else classifier.version,
    )
    spool = tempfile.mkdtemp(prefix="kmrl-reclassify-")
    try:
        after = _FIRST_ID
        while limit is None or summary.selected < limit:
            size = batch_size if limit is None else min(batch_size, limit - summary.selected)
            rows = _select(catalog, selection, after, size)
            if not rows:
                break
            after = rows[-1]["id"]
            summary.selected += len(rows)
            results = _classify_rows(rows, store, classifier, spool, summary)
            _write(catalog, results, statuses, context or RunContext(), summary)
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    log.info("re-classified with %s: %s", summary.classifier_version, summary.as_dict())
    return summary


def _select(catalog: Catalog, sel: Selection, after: str, size: int) -> list[dict[str, Any]]:
    clause, params = sel.where()
    where = [clause, "object_uri IS NOT NULL", "deleted_at IS NULL", "id > %(after)s::uuid"]
    params.update(after=after, size=size)
    with catalog.connection() as conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT id::text, object_uri, file_name, mime_type, sender, source_metadata, checksum,"
            " department, doc_category, language, classifier_version FROM documents"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY id LIMIT %(size)s",
            params,
        )
        rows = [dict(r) for r in cur.fetchall()]
        conn.rollback()
    return rows


def _classify_rows(
    rows, store, classifier, spool, summary
) -> list[tuple[dict[str, Any], Classification | None, str | None]]:
    """Classify each row; the object of a checksum is fetched and extracted once per batch."""
    extracted: dict[str, Any] = {}
    results: list[tuple[dict[str, Any], Classification | None, str | None]] = []
    for row in rows:
        metadata = dict(row["source_metadata"] or {})
        if row["sender"] and "sender" not in metadata:
            metadata["sender"] = row["sender"]
        try:
            result = _classify_one(row, metadata, store, classifier, spool, extracted)
        except Exception as err:  # one unreadable object is reported; the others go on
            log.warning("cannot re-classify %s: %s", row["id"], err)
            summary.failed += 1
            summary.failures.append({"id": row["id"], "reason": str(err)[:300]})
            results.append((row, None, str(err)[:300]))
            continue
        results.append((row, result, None))
    return results


def _classify_one(row, metadata, store, classifier, spool, extracted) -> Classification:
    key = row["checksum"] or row["object_uri"]
    reuse = hasattr(classifier, "analyse_extracted") and hasattr(classifier, "extract")
    if reuse and key in extracted:
        return classifier.analyse_extracted(extracted[key], row["file_name"], metadata).classification
    path = os.path.join(spool, "object")
    try:
        digest = fetch_object(store, row["object_uri"], path)
        if row["checksum"] and digest != row["checksum"].strip():
            raise ValueError(f"stored object's SHA-256 {digest} does not match the row's {row['checksum']}")
        doc = ClassifyInput(path, row["mime_type"] or "", row["file_name"], metadata)
        if not reuse:
            return classifier.classify(doc)
        extracted[key] = classifier.extract(doc)
        return classifier.analyse_extracted(extracted[key], row["file_name"], metadata).classification
    finally:
        if os.path.exists(path):
            os.unlink(path)


def fetch_object(store: DocumentStore, uri: str, path: str) -> str:
    """Copy the object at ``uri`` to ``path`` through the store; return its SHA-256."""
    bucket, key = store.locate(uri)
    store.download(bucket, key, path)
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _write(catalog: Catalog, results, statuses, ctx: RunContext, summary: ReclassifySummary) -> None:
    """Update rows (only if still in ``statuses``) and append their events, in one transaction."""
    with catalog.connection() as conn, conn.cursor() as cur:
        for row, result, error in results:
            if result is None:
                _event(cur, row["id"], "classify_failed", {"reason": error, "action": "reclassify"}, ctx)
                continue
            cur.execute(
                "UPDATE documents SET department = %s, doc_category = %s, language = %s,"
                " classifier_version = %s, updated_at = now() WHERE id = %s::uuid AND status = ANY(%s)",
                (
                    result.department,
                    result.doc_category,
                    result.language,
                    result.classifier_version,
                    row["id"],
                    list(statuses),
                ),
            )
            if cur.rowcount == 0:
                continue  # moved on meanwhile (re-scan quarantined it, ...): leave it alone
            previous = {k: row[k] for k in ("department", "doc_category", "language", "classifier_version")}
            details = {
                "department": result.department,
                "doc_category": result.doc_category,
                "language": result.language,
                "confidence": result.confidence,
                "classifier_version": result.classifier_version,
                "previous": previous,
                "action": "reclassify",
            }
            _event(cur, row["id"], "reclassified", details, ctx)
            summary.reclassified += 1
            changed = [f for f in ("department", "doc_category", "language") if previous[f] != details[f]]
            summary.changed += bool(changed)
            for name in changed:
                summary.changes[name] = summary.changes.get(name, 0) + 1
        conn.commit()


def _event(cur, doc_id: str, name: str, details: dict[str, Any], ctx: RunContext) -> None:
    cur.execute(
        "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details)"
        " VALUES (%s::uuid, %s, %s, %s, %s, %s)",
        (doc_id, name, ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json(details)),
    )
