"""The audit against a store that keeps changing under it, and copies that point at nothing."""

from __future__ import annotations

import psycopg2

from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.maintenance.audit import audit_store, find_drift, repair_drift
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.keys import document_id, object_key
from airflow_provider_kmrl.pipeline.models import SourceItem
from tests.helpers import MemoryCheckpoint, rows
from tests.integration.hostile.test_engine_hostile import MemorySource


def _ingest(catalog, scanner, store, buckets, tmp_path, name, items):
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"),
                              concurrency=1)
    IngestEngine(catalog, scanner, store, settings=settings).run(MemorySource(name, items), MemoryCheckpoint())


def test_repair_leaves_alone_an_object_committed_after_the_audit_looked(tmp_path, catalog, scanner, buckets):
    raw, quarantine = buckets
    store = LocalFolderStore(str(tmp_path / "store"))
    _ingest(catalog, scanner, store, buckets, tmp_path, "a", [(SourceItem("one", "one.txt"), b"first\n" * 50)])
    # An ingest has written its object but not yet committed its row (no claim visible either).
    late = SourceItem("late", "late.txt")
    staged = tmp_path / "late.txt"
    staged.write_bytes(b"committed while the audit ran\n" * 20)
    (row,) = rows(catalog.dsn, "a")

    report = find_drift(catalog, store, [raw, quarantine])
    assert report.orphan_objects == [], "nothing to find yet"
    doc_id = document_id("a", "late")
    from datetime import datetime, timezone

    key = object_key("a", datetime.now(timezone.utc), doc_id, "late.txt")
    uri = store.put_file(raw, key, str(staged))
    report = find_drift(catalog, store, [raw, quarantine])
    assert report.orphan_objects == [f"{raw}/{key}"]
    # ... and now the ingest commits its row, between the audit's finding and its repair.
    catalog.claim("a", [(doc_id, late)])
    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:
        cur.execute("UPDATE documents SET status = 'success', scan_status = 'clean', object_uri = %s,"
                    " checksum = %s WHERE id = %s", (uri, "f" * 64, doc_id))

    repair_drift(catalog, store, report)

    assert store.size_of(raw, key) is not None, "a live object is never moved aside"
    assert report.skipped and not report.repaired


def test_repair_does_not_fail_a_row_whose_object_came_back(tmp_path, catalog, scanner, buckets):
    raw, quarantine = buckets
    store = LocalFolderStore(str(tmp_path / "store"))
    _ingest(catalog, scanner, store, buckets, tmp_path, "b", [(SourceItem("one", "one.txt"), b"first\n" * 50)])
    (row,) = rows(catalog.dsn, "b")
    bucket, key = store.locate(row["object_uri"])
    saved = tmp_path / "saved"
    store.download(bucket, key, str(saved))
    store.delete(bucket, key)
    report = find_drift(catalog, store, [raw, quarantine])
    assert report.missing_objects == [row["id"]]
    store.put_file(bucket, key, str(saved))  # a retry rewrote it meanwhile

    repair_drift(catalog, store, report)

    assert rows(catalog.dsn, "b")[0]["status"] == "success"


def test_copies_pointing_at_nothing_are_found_and_sent_back_for_reprocess(tmp_path, catalog, scanner, buckets):
    raw, quarantine = buckets
    store = LocalFolderStore(str(tmp_path / "store"))
    same = b"the same content three times\n" * 30
    _ingest(catalog, scanner, store, buckets, tmp_path, "c",
            [(SourceItem(f"c{n}", f"c{n}.txt"), same) for n in range(3)])
    found = {r["source_id"]: r for r in rows(catalog.dsn, "c")}
    original = next(r for r in found.values() if r["status"] == "success")
    copies = sorted(r["id"] for r in found.values() if r["status"] == "duplicate")
    assert len(copies) == 2 and find_drift(catalog, store, [raw, quarantine]).drift == 0
    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:  # the original lost its object
        cur.execute("UPDATE documents SET status = 'failed', object_uri = NULL WHERE id = %s", (original["id"],))

    report = audit_store(catalog, store, [raw, quarantine], repair=True)

    assert report.broken_copies == copies
    after = {r["id"]: r for r in rows(catalog.dsn, "c")}
    assert all(after[c]["status"] == "failed" and after[c]["retry_count"] == 0 for c in copies)
