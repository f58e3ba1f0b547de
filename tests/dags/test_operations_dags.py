"""kmrl_audit, kmrl_reprocess and kmrl_lineage, run by Airflow against the real services."""

from __future__ import annotations

import io
import json
import time
import uuid

import psycopg2

from tests import corpus
from tests.helpers import PrivateClamd, by_path, events, rows


def _dags(src):
    from airflow_provider_kmrl.dags import build_dags

    dags = build_dags(src["file"])
    for dag in dags.values():
        for task in dag.tasks:
            task.retries = 0  # a failing run must fail now, not after the production retry delays
    return dags


def _ingest(src, dags=None):
    dags = dags or _dags(src)
    run = dags[f"kmrl_ingest__{src['name']}"].test()
    assert run.state == "success"
    return by_path(rows(src["pg_dsn"], src["name"]))


def _audits(dsn):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT status, missing_objects, orphan_objects, size_mismatches, checksum_mismatches, repaired"
                    " FROM kmrl_audits ORDER BY id")
        return cur.fetchall()


def test_audit_reports_repairs_and_then_finds_a_clean_store(airflow_sources, minio_store):
    src = airflow_sources
    corpus.write(str(src["uploads"]))
    dags = _dags(src)
    found = _ingest(src, dags)
    audit = dags["kmrl_audit"]
    assert audit.test(run_conf={"sample_size": 1000}).state == "success"
    assert _audits(src["pg_dsn"])[-1] == ("clean", 0, 0, 0, 0, 0)

    deleted = found["engineering/inspection-report.docx"]
    minio_store.delete(*minio_store.locate(deleted["object_uri"]))
    corrupted = found["finance/budget-2026.xlsx"]
    bucket, key = minio_store.locate(corrupted["object_uri"])
    data = bytearray(minio_store.client.get_object(bucket, key).read())
    data[100] ^= 0xFF
    minio_store.client.put_object(bucket, key, io.BytesIO(bytes(data)), len(data))
    orphan_key = f"{src['name']}/2026/01/01/{uuid.uuid4()}/planted.txt"
    minio_store.client.put_object(src["raw"], orphan_key, io.BytesIO(b"nobody's"), 8)

    assert audit.test(run_conf={"sample_size": 1000}).state == "failed", "drift must fail the run visibly"
    assert _audits(src["pg_dsn"])[-1] == ("drift", 1, 1, 0, 1, 0)

    assert audit.test(run_conf={"repair": True, "sample_size": 1000}).state == "success"
    status, *counts, repaired = _audits(src["pg_dsn"])[-1]
    assert status == "repaired" and counts == [1, 1, 0, 1] and repaired >= 4
    after = by_path(rows(src["pg_dsn"], src["name"]))
    assert after["engineering/inspection-report.docx"]["status"] == "failed"
    assert after["finance/budget-2026.xlsx"]["status"] == "failed"
    aside = [o.key for o in minio_store.list_objects(src["raw"], "_orphaned/")]
    assert any(k.endswith(orphan_key) for k in aside) and any(k.endswith(key) for k in aside), aside
    assert "audited" in events(src["pg_dsn"], deleted["id"])

    # The dead-letter path brings both back from the source; the store is clean again.
    retry = dags["kmrl_reprocess"].test(run_conf={"action": "retry"})
    assert retry.state == "success"
    restored = by_path(rows(src["pg_dsn"], src["name"]))
    assert restored["engineering/inspection-report.docx"]["status"] == "success"
    assert restored["finance/budget-2026.xlsx"]["status"] == "success"
    assert audit.test(run_conf={"sample_size": 1000}).state == "success"
    assert _audits(src["pg_dsn"])[-1] == ("clean", 0, 0, 0, 0, 0)


def test_reprocess_retries_a_document_failed_by_an_injected_fault(airflow_sources, monkeypatch, tmp_path):
    src = airflow_sources
    store_root = tmp_path / "store"
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_STORE", json.dumps({"conn_type": "fs", "extra": {"path": str(store_root)}}))
    (src["uploads"] / "circular.txt").write_text(corpus.CIRCULAR_EN)
    # Fault: a file where the source's folder in the raw bucket must be, so every store write fails.
    (store_root / src["raw"]).mkdir(parents=True)
    blocker = store_root / src["raw"] / src["name"]
    blocker.write_text("in the way")
    dags = _dags(src)

    assert dags[f"kmrl_ingest__{src['name']}"].test().state == "failed"
    (row,) = rows(src["pg_dsn"], src["name"])
    # The store's fault, not the document's: no retry budget spent.
    assert row["status"] == "failed" and "cannot write" in row["rejection_reason"] and row["retry_count"] == 0

    blocker.unlink()
    run = dags["kmrl_reprocess"].test(run_conf={"action": "retry", "source": src["name"]})
    assert run.state == "success"
    (row,) = rows(src["pg_dsn"], src["name"])
    assert row["status"] == "success" and row["retry_count"] == 0
    # Stored by the retry, so announced by it (the failed ingest announced nothing).
    assert events(src["pg_dsn"], row["id"])[-7:] == ["reprocessed", "fetched", "type_checked", "scanned",
                                                      "stored", "classified", "announced"]


def test_rescan_quarantines_a_stored_document_that_new_signatures_match(airflow_sources, monkeypatch, tmp_path,
                                                                        minio_store):
    src = airflow_sources
    clamd = PrivateClamd(str(tmp_path / "clamd-state"))
    clamd.start()
    try:
        monkeypatch.setenv("AIRFLOW_CONN_KMRL_CLAMAV", json.dumps({"conn_type": "kmrl_clamav", "host": "127.0.0.1",
                                                                   "port": clamd.port}))
        marker = f"KMRL-NEW-THREAT-{uuid.uuid4().hex}".encode()
        (src["uploads"] / "vendor-report.txt").write_bytes(b"Vendor report\n" + marker + b"\n")
        dags = _dags(src)
        (doc,) = _ingest(src, dags).values()
        assert doc["status"] == "success"

        clamd.add_signature("Kmrl.Test.NewThreat", marker)
        probe = tmp_path / "probe.txt"
        probe.write_bytes(marker)
        deadline = time.monotonic() + 60
        while clamd.scanner().scan_file(str(probe)).signature is None:
            assert time.monotonic() < deadline, "clamd did not load the new signature"
            time.sleep(0.5)

        run = dags["kmrl_reprocess"].test(run_conf={"action": "rescan"})
        assert run.state == "success"
        (after,) = rows(src["pg_dsn"], src["name"])
        assert after["status"] == "quarantined" and after["scan_signature"].startswith("Kmrl.Test.NewThreat")
        assert "re-scan" in after["rejection_reason"]
        assert minio_store.locate(after["object_uri"])[0] == src["quarantine"]
        assert not list(minio_store.list_objects(src["raw"], src["name"]))
        assert events(src["pg_dsn"], doc["id"])[-2:] == ["rescanned", "quarantined"]
    finally:
        clamd.stop()


def test_lineage_follows_ingest_reprocess_and_a_downstream_consumer(airflow_sources):

    src = airflow_sources
    (src["uploads"] / "minutes.txt").write_text("Minutes of the 42nd board meeting\n")
    dags = _dags(src)
    (doc,) = _ingest(src, dags).values()
    with psycopg2.connect(src["pg_dsn"]) as conn, conn.cursor() as cur:
        cur.execute("UPDATE documents SET classifier_version = 'rules-2025-old'")
    assert dags["kmrl_reprocess"].test(run_conf={"action": "reclassify"}).state == "success"
    (row,) = rows(src["pg_dsn"], src["name"])
    with psycopg2.connect(src["pg_dsn"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT classifier_version FROM documents WHERE id = %s", (doc["id"],))
        version = cur.fetchone()[0]
        assert version.startswith("rules-") and version != "rules-2025-old", "re-classify updates classifier_version"

    from airflow.dag_processing.dagbag import DagBag

    consumer = DagBag("dags/kmrl_example_consumer.py").get_dag("kmrl_example_consumer")
    assert consumer.test(run_conf={"doc_ids": [doc["id"]]}).state == "success"

    run = dags["kmrl_lineage"].test(run_conf={"doc_id": doc["id"]})
    assert run.state == "success"
    report = run.get_task_instance("report").xcom_pull(task_ids="report")
    assert report["events"] == ["fetched", "type_checked", "scanned", "stored", "classified", "announced",
                                "reclassified", "consumed"]
    assert report["consumers"] == ["kmrl_example_consumer"]
    with psycopg2.connect(src["pg_dsn"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT event, dag_id FROM document_lineage WHERE document_id = %s ORDER BY event_id",
                    (doc["id"],))
        trail = cur.fetchall()
    assert trail[0] == ("fetched", f"kmrl_ingest__{src['name']}")
    assert trail[-2][1] == "kmrl_reprocess" and trail[-1] == ("consumed", consumer.dag_id)


def test_ingest_operator_describes_its_lineage_to_openlineage():
    from airflow_provider_kmrl.operators.ingest import IngestDocumentsOperator

    op = IngestDocumentsOperator(task_id="t", source_name="mail", source_kind="imap")
    facets = op.get_openlineage_facets_on_complete(None)
    assert [(d.namespace, d.name) for d in facets.inputs] == [("kmrl-imap", "mail")]
    assert [d.name for d in facets.outputs] == ["kmrl-raw", "public.documents"]
