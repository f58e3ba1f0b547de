"""Classification inside the real pipeline (clamd, Postgres, the store) and re-classification.

Documents of the labeled set go through an upload source into the ingest engine with its
default classifier; their rows must carry the labels. Re-classification then applies the rule
file, and a changed one, to the stored objects read back through the store.
"""

from __future__ import annotations

import csv
import json
import os
import shutil

import psycopg2
import pytest

from airflow_provider_kmrl.classification.classifier import RulesClassifier
from airflow_provider_kmrl.classification.rules import DEFAULT_RULES_FILE
from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.maintenance.reclassify import reclassify_documents
from airflow_provider_kmrl.pipeline.catalog import RunContext
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions
from tests.corpus import EICAR
from tests.helpers import MemoryCheckpoint


class ScriptRatioClassifier:
    """An earlier classifier's decisions (language only), for re-classification to replace."""

    version = "script-ratio-1"

    def classify(self, doc):
        from airflow_provider_kmrl.core.types import Classification

        return Classification(classifier_version=self.version)

EVAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "eval")
# One of each format and language, Malayalam PDFs included (relative to tests/eval/docs).
SAMPLE = [
    "finance/invoices/ഇൻവോയ്സ്_കേബിൾ_വിതരണം.pdf",
    "finance/purchase/PO-2026-0193-lighting.pdf",
    "finance/budget/BE-2026-27_vs_RE-2025-26.xlsx",
    "safety/circulars/സുരക്ഷാ_സർക്കുലർ_അഗ്നി.docx",
    "safety/incidents/near-miss-report-vyttila.eml",
    "hr/policies/hr-policy-posh-bilingual.pdf",
    "hr/training/training-calendar-2026-27.pptx",
    "engineering/maintenance/transformer-oil-test-results.csv",
    "engineering/work-orders/പ്രവൃത്തി-ഉത്തരവ്-ഡ്രെയിനേജ്.pdf",
    "operations/reports/ops-report-onam-special-services.eml",
    "executive/board/AGM-minutes-2025.txt",
    "executive/regulatory/ഗസറ്റ്_വിജ്ഞാപനം_യാത്രാനിരക്ക്.pdf",
]
CANTEEN = "misc/canteen-menu-june.xlsx"  # "other"; the rule edit below files it under HR


def _labels() -> dict[str, dict[str, str]]:
    with open(os.path.join(EVAL, "labels.csv"), encoding="utf-8") as fh:
        return {row["path"][len("docs/") :]: row for row in csv.DictReader(fh)}


def _rows(dsn: str) -> dict[str, dict]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id::text, source_metadata->>'path', status, department, doc_category, language,"
            " classifier_version, duplicate_of::text FROM documents"
        )
        names = (
            "id",
            "path",
            "status",
            "department",
            "doc_category",
            "language",
            "classifier_version",
            "duplicate_of",
        )
        return {r[1]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _events(dsn: str, name: str) -> list[tuple[str, dict]]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT document_id::text, details FROM document_events WHERE event = %s ORDER BY id", (name,)
        )
        return cur.fetchall()


@pytest.fixture(params=["fs", "minio"])
def store(request, tmp_path, buckets):
    if request.param == "fs":
        yield LocalFolderStore(str(tmp_path / "store"))
        return
    minio_store = request.getfixturevalue("minio_store")
    yield minio_store
    for bucket in buckets:  # leave the shared S3 server as we found it
        if minio_store.client.bucket_exists(bucket):
            for obj in minio_store.list_objects(bucket):
                minio_store.delete(bucket, obj.key)
            minio_store.client.remove_bucket(bucket)


def _ingest(
    tmp_path, catalog, scanner, store, buckets, classifier=None, extra: dict[str, bytes] | None = None
):
    uploads = tmp_path / "uploads"
    for rel in [*SAMPLE, CANTEEN]:
        target = uploads / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(os.path.join(EVAL, "docs", rel), target)
    for rel, data in (extra or {}).items():
        (uploads / rel).parent.mkdir(parents=True, exist_ok=True)
        (uploads / rel).write_bytes(data)
    settings = IngestSettings(
        raw_bucket=buckets[0], quarantine_bucket=buckets[1], concurrency=3, spool_dir=str(tmp_path / "spool")
    )
    engine = IngestEngine(catalog, scanner, store, classifier=classifier, settings=settings)
    return engine, engine.run(
        UploadFolderSource("uploads", UploadOptions(path=str(uploads))), MemoryCheckpoint()
    )


def test_ingest_classifies_every_format_and_language(tmp_path, catalog, scanner, store, buckets):
    engine, summary = _ingest(tmp_path, catalog, scanner, store, buckets)

    assert isinstance(engine.classifier, RulesClassifier)  # the engine's default
    assert summary.by_status == {"success": len(SAMPLE) + 1}
    labels, rows = _labels(), _rows(catalog.dsn)
    for rel in SAMPLE:
        row, want = rows[rel], labels[rel]
        got = (row["department"], row["doc_category"], row["language"])
        assert got == (want["department"], want["doc_category"], want["language"]), rel
        assert row["classifier_version"] == engine.classifier.version
    assert rows[CANTEEN]["doc_category"] == "other"
    classified = _events(catalog.dsn, "classified")
    assert len(classified) == len(SAMPLE) + 1
    assert all(
        0 <= d["confidence"] <= 1 and d["classifier_version"] == engine.classifier.version
        for _, d in classified
    )


def test_reclassify_applies_the_rules_and_a_changed_rule_file(tmp_path, catalog, scanner, store, buckets):
    first = SAMPLE[0]
    with open(os.path.join(EVAL, "docs", first), "rb") as fh:
        copy = fh.read()
    extra = {"copies/invoice-copy.pdf": copy, "inbox/eicar.txt": EICAR}
    _ingest(tmp_path, catalog, scanner, store, buckets, classifier=ScriptRatioClassifier(), extra=extra)
    before = _rows(catalog.dsn)
    assert before["copies/invoice-copy.pdf"]["status"] == "duplicate"
    assert before["inbox/eicar.txt"]["status"] == "quarantined"
    assert {r["department"] for r in before.values()} == {"unknown"}

    # 1. The packaged rules, applied to what is stored.
    ctx = RunContext("kmrl_reprocess", "manual__1", "reclassify")
    summary = reclassify_documents(catalog, store, context=ctx)
    rules_version = RulesClassifier().version
    assert summary.selected == summary.reclassified == len(SAMPLE) + 2 and summary.failed == 0
    labels, rows = _labels(), _rows(catalog.dsn)
    for rel in SAMPLE:
        want = labels[rel]
        assert (rows[rel]["department"], rows[rel]["doc_category"]) == (
            want["department"],
            want["doc_category"],
        ), rel
        assert rows[rel]["classifier_version"] == rules_version
    dup = rows["copies/invoice-copy.pdf"]
    assert (dup["department"], dup["doc_category"], dup["language"]) == ("finance", "invoice", "ml")
    assert rows["inbox/eicar.txt"] == before["inbox/eicar.txt"]  # quarantined: never read or touched
    events = dict(_events(catalog.dsn, "reclassified"))
    details = events[rows[SAMPLE[2]]["id"]]
    assert details["action"] == "reclassify" and details["previous"]["classifier_version"] == "script-ratio-1"
    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT dag_id, run_id FROM document_events WHERE details->>'action' = 'reclassify'"
        )
        assert cur.fetchall() == [("kmrl_reprocess", "manual__1")]

    # 2. Nothing to do with the same rules again.
    assert reclassify_documents(catalog, store).selected == 0

    # 3. A document team edits the rules: canteen menus are now filed under HR policy.
    with open(DEFAULT_RULES_FILE, encoding="utf-8") as fh:
        text = fh.read()
    edited = (
        text.replace('version: "', 'version: "edited-', 1)
        .replace(
            "  hr_policy:\n    department: hr\n    terms:\n",
            "  hr_policy:\n    department: hr\n    terms:\n      canteen: 10\n",
        )
        .replace(
            '    issuers:\n      "hr department": 4\n',
            '    issuers:\n      canteen: 10\n      "hr department": 4\n',
        )
    )
    assert edited.count("canteen: 10") == 2
    rules_file = tmp_path / "team-rules.yaml"
    rules_file.write_text(edited, "utf-8")
    changed = reclassify_documents(catalog, store, rules_file=str(rules_file), source="uploads")
    after = _rows(catalog.dsn)
    assert changed.reclassified == len(SAMPLE) + 2 and changed.changed == 1
    assert changed.changes == {"department": 1, "doc_category": 1}
    assert (after[CANTEEN]["department"], after[CANTEEN]["doc_category"]) == ("hr", "hr_policy")
    assert {r["classifier_version"] for p, r in after.items() if p != "inbox/eicar.txt"} == {
        changed.classifier_version
    }
    assert changed.classifier_version.startswith("rules-edited-2026")


def test_reclassify_refuses_a_drifted_object(tmp_path, catalog, scanner, buckets):
    store = LocalFolderStore(str(tmp_path / "store"))
    _ingest(tmp_path, catalog, scanner, store, buckets, classifier=ScriptRatioClassifier())
    row = _rows(catalog.dsn)[SAMPLE[1]]
    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT object_uri FROM documents WHERE id = %s", (row["id"],))
        bucket, key = store.locate(cur.fetchone()[0])
    with open(os.path.join(store.root, bucket, key), "wb") as fh:
        fh.write(b"%PDF-1.4 replaced behind the pipeline's back")

    summary = reclassify_documents(catalog, store, doc_ids=[row["id"]])

    assert (summary.selected, summary.reclassified, summary.failed) == (1, 0, 1)
    assert "does not match" in summary.failures[0]["reason"]
    assert _rows(catalog.dsn)[SAMPLE[1]]["classifier_version"] == "script-ratio-1"
    failed = _events(catalog.dsn, "classify_failed")
    assert [d for d, _ in failed] == [row["id"]] and "SHA-256" in failed[0][1]["reason"]
    with pytest.raises(ValueError, match="quarantined"):
        reclassify_documents(catalog, store, statuses=("quarantined",))
    assert json.dumps(summary.as_dict())  # small and serialisable, for XCom
