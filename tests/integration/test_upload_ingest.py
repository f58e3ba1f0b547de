"""The whole pipeline over the sample corpus in an upload folder, against real services."""

from __future__ import annotations

import os

import pytest

from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions
from tests import corpus
from tests.helpers import MemoryCheckpoint, assert_corpus_statuses, by_path, events, rows


def _stored_keys(store, bucket):
    return sorted(o.key for o in store.list_objects(bucket))


@pytest.fixture(params=["fs", "minio"])
def store(request, tmp_path):
    if request.param == "fs":
        return LocalFolderStore(str(tmp_path / "store"))
    return request.getfixturevalue("minio_store")


def test_corpus_lands_with_the_right_status_and_reason(tmp_path, catalog, scanner, store, buckets):
    uploads = tmp_path / "uploads"
    expected = corpus.write(str(uploads))
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, batch_size=7, concurrency=3,
                              spool_dir=str(tmp_path / "spool"))
    source = UploadFolderSource("uploads", UploadOptions(path=str(uploads)))
    checkpoint = MemoryCheckpoint()

    summary = IngestEngine(catalog, scanner, store, settings=settings).run(source, checkpoint)

    found = by_path(rows(catalog.dsn, "uploads"))
    assert_corpus_statuses(found, expected)
    assert all(r["file_name"] == os.path.basename(p) for p, r in found.items()), "original names kept verbatim"
    assert summary.by_status["success"] == sum(1 for v in expected.values() if v[1] == "success")
    assert not [r for r in found.values() if r["status"] == "pending"]

    # Clean objects under <source>/yyyy/mm/dd/<id>/ in the raw bucket; the rest in quarantine.
    raw_keys, q_keys = _stored_keys(store, raw), _stored_keys(store, quarantine)
    success = [r for r in found.values() if r["status"] == "success"]
    assert len(raw_keys) == len(success)
    for r in success:
        bucket, key = store.locate(r["object_uri"])
        assert bucket == raw and key in raw_keys
        parts = key.split("/")
        assert parts[0] == "uploads" and len(parts) == 6 and parts[4] == r["id"], key
        assert "/" not in parts[5] and parts[5] not in ("", ".", "..")
        assert store.sha256_of(bucket, key) == r["checksum"]
    quarantined = [r for r in found.values() if r["status"] == "quarantined"]
    assert len(q_keys) == len(quarantined)
    assert all(store.locate(r["object_uri"])[0] == quarantine for r in quarantined)

    assert found["safety/circular-14-en.txt"]["language"] == "en"
    assert found["safety/സുരക്ഷാ സർക്കുലർ 14.txt"]["language"] == "ml"
    assert found["safety/circular-14-bilingual.txt"]["language"] == "bilingual"
    assert found["inbox/eicar.txt"]["scan_signature"].startswith("Kmrl.Test.EICAR")
    assert events(catalog.dsn, found["engineering/inspection-report.docx"]["id"]) == [
        "fetched", "type_checked", "scanned", "stored", "classified"]
    assert checkpoint.value["path"] == list(expected)[-1]

    # A second run adds no row and no object, and leaves the cursor unwritten (in Airflow each
    # write is a Variable update).
    saves = checkpoint.saves
    again = IngestEngine(catalog, scanner, store, settings=settings).run(source, checkpoint)
    assert again.processed == 0 and again.skipped_known == len(expected)
    assert checkpoint.saves == saves
    assert len(rows(catalog.dsn, "uploads")) == len(expected)
    assert _stored_keys(store, raw) == raw_keys and _stored_keys(store, quarantine) == q_keys


def test_replaced_file_is_a_new_item_and_moves_after_ingest(tmp_path, catalog, scanner, buckets):
    uploads, processed = tmp_path / "uploads", tmp_path / "processed"
    uploads.mkdir()
    (uploads / "minutes.txt").write_text("Board minutes, first draft\n")
    store = LocalFolderStore(str(tmp_path / "store"))
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"))
    options = UploadOptions(path=str(uploads), after_ingest="move", processed_path=str(processed))
    engine = IngestEngine(catalog, scanner, store, settings=settings)

    engine.run(UploadFolderSource("minutes", options), MemoryCheckpoint())
    assert not (uploads / "minutes.txt").exists() and (processed / "minutes.txt").exists()
    (uploads / "minutes.txt").write_text("Board minutes, approved version\n")
    engine.run(UploadFolderSource("minutes", options), MemoryCheckpoint())

    found = rows(catalog.dsn, "minutes")
    assert [r["status"] for r in found] == ["success", "success"]
    assert len({r["checksum"] for r in found}) == 2
    assert (processed / "minutes.txt").exists() and (processed / "minutes.txt.1").exists()


def test_window_mode_takes_only_the_interval_and_keeps_the_checkpoint(tmp_path, catalog, scanner, buckets):
    from datetime import datetime, timezone

    from airflow_provider_kmrl.pipeline.models import Window

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for day in (1, 2, 3, 4):
        path = uploads / f"report-day{day}.txt"
        path.write_text(f"Operations report for day {day}\n")
        ts = datetime(2026, 3, day, 12, tzinfo=timezone.utc).timestamp()
        os.utime(path, (ts, ts))
    raw, quarantine = buckets
    store = LocalFolderStore(str(tmp_path / "store"))
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"))
    checkpoint = MemoryCheckpoint({"version": 1, "mtime_ns": 0, "path": ""})
    window = Window(datetime(2026, 3, 2, tzinfo=timezone.utc), datetime(2026, 3, 4, tzinfo=timezone.utc))

    IngestEngine(catalog, scanner, store, settings=settings).run(
        UploadFolderSource("ops", UploadOptions(path=str(uploads))), checkpoint, window)

    assert sorted(r["file_name"] for r in rows(catalog.dsn, "ops")) == ["report-day2.txt", "report-day3.txt"]
    assert checkpoint.saves == 0
