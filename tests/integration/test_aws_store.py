"""The ``aws`` store (amazon provider's S3Hook) against the local S3 server, through the whole pipeline."""

from __future__ import annotations

import json
import uuid

from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions
from tests import corpus
from tests.helpers import MemoryCheckpoint, rows


def test_documents_land_through_an_aws_connection(tmp_path, services, monkeypatch, catalog, scanner, buckets):
    from airflow_provider_kmrl.hooks.store import store_from_connection

    conn_id = f"kmrl_aws_{uuid.uuid4().hex[:6]}"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({
        "conn_type": "aws", "login": services["KMRL_S3_ACCESS_KEY"], "password": services["KMRL_S3_SECRET_KEY"],
        "extra": {"endpoint_url": services["KMRL_S3_ENDPOINT"], "region_name": "us-east-1"}}))
    store = store_from_connection(conn_id)
    assert type(store).__name__ == "S3HookStore"
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "circular.txt").write_text(corpus.CIRCULAR_EN)
    (uploads / "big.pdf").write_bytes(corpus.minimal_pdf("Large") + b"%" + b"0" * (20 * 1024 * 1024))  # multipart
    (uploads / "eicar.txt").write_bytes(corpus.EICAR)
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"))

    IngestEngine(catalog, scanner, store, settings=settings).run(
        UploadFolderSource("aws", UploadOptions(path=str(uploads))), MemoryCheckpoint())

    found = {r["file_name"]: r for r in rows(catalog.dsn, "aws")}
    assert {n: r["status"] for n, r in found.items()} == {"circular.txt": "success", "big.pdf": "success",
                                                          "eicar.txt": "quarantined"}
    for row in found.values():
        assert store.sha256_of(*store.locate(row["object_uri"])) == row["checksum"]
    assert sorted(o.key.rsplit("/", 1)[1] for o in store.list_objects(raw)) == ["big.pdf", "circular.txt"]
