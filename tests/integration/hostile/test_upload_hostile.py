"""An upload folder whose uploaders try to stop the source or reach outside it."""

from __future__ import annotations

import os
import shutil

import pytest

from airflow_provider_kmrl.exceptions import SourceError
from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.names import unescape_to_bytes
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions
from tests import corpus
from tests.helpers import MemoryCheckpoint, rows


def _engine(catalog, scanner, buckets, tmp_path):
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"))
    return IngestEngine(catalog, scanner, LocalFolderStore(str(tmp_path / "store")), settings=settings)


def test_a_latin1_name_is_ingested_with_its_raw_bytes_recoverable(tmp_path, catalog, scanner, buckets):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    raw_name = b"caf\xe9 men\xfa.txt"
    with open(os.path.join(os.fsencode(uploads), raw_name), "wb") as fh:
        fh.write(b"Canteen menu for June\n" * 20)
    (uploads / "plain.txt").write_text(corpus.CIRCULAR_EN)
    processed = tmp_path / "processed"
    source = UploadFolderSource("up", UploadOptions(path=str(uploads), after_ingest="move",
                                                    processed_path=str(processed)))

    _engine(catalog, scanner, buckets, tmp_path).run(source, MemoryCheckpoint())

    found = {r["file_name"]: r for r in rows(catalog.dsn, "up")}
    assert sorted(found) == ["caf\\xe9 men\\xfa.txt", "plain.txt"]
    assert {r["status"] for r in found.values()} == {"success"}
    assert unescape_to_bytes(found["caf\\xe9 men\\xfa.txt"]["file_name"]) == raw_name
    assert os.path.exists(os.path.join(os.fsencode(processed), raw_name)), "moved by its real name"


def test_a_parent_folder_swapped_for_a_link_after_listing_is_never_followed(tmp_path, catalog, scanner, buckets):
    uploads, outside = tmp_path / "uploads", tmp_path / "outside"
    (uploads / "inbox").mkdir(parents=True)
    outside.mkdir()
    (uploads / "inbox" / "id_rsa").write_text("an innocent upload\n" * 5)
    (outside / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nnot for the store\n")
    source = UploadFolderSource("up", UploadOptions(path=str(uploads), after_ingest="delete"))
    (item,) = list(source.list_items(None, None))
    shutil.rmtree(uploads / "inbox")
    os.symlink(outside, uploads / "inbox")  # the swap, between listing and reading

    with pytest.raises((SourceError, OSError)):
        source.open(item)  # refused: the key outside is never read
    try:
        source.after_ingest(item)  # delete: refused, or finds nothing to delete
    except (SourceError, OSError):
        pass
    assert (outside / "id_rsa").exists(), "nothing outside the root is deleted"


def test_a_link_planted_in_processed_path_moves_nothing_out(tmp_path, catalog, scanner, buckets):
    uploads, processed, dags = tmp_path / "uploads", tmp_path / "processed", tmp_path / "dags"
    (uploads / "reports").mkdir(parents=True)
    processed.mkdir()
    dags.mkdir()
    (uploads / "reports" / "evil_dag.py").write_text("print('this must not land in the DAGs folder')\n" * 3)
    os.symlink(dags, processed / "reports")  # where the move would create "reports"
    source = UploadFolderSource("up", UploadOptions(path=str(uploads), after_ingest="move",
                                                    processed_path=str(processed), include=["*.py"]))
    allowed = {"text/plain": frozenset({"py"})}
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"),
                              allowed_types=allowed)
    summary = IngestEngine(catalog, scanner, LocalFolderStore(str(tmp_path / "store")),
                           settings=settings).run(source, MemoryCheckpoint())

    assert summary.after_ingest_failures == 1
    assert os.listdir(dags) == [], "nothing moved through the link"
    assert (uploads / "reports" / "evil_dag.py").exists()


def test_include_and_exclude_globs(tmp_path, catalog, scanner, buckets):
    uploads = tmp_path / "uploads"
    for rel in ("a/keep.pdf", "a/skip.tmp", "drafts/keep-not.pdf", "b/also.pdf"):
        path = uploads / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(corpus.minimal_pdf(rel))
    source = UploadFolderSource("up", UploadOptions(path=str(uploads), include=["*.pdf"], exclude=["drafts"]))
    listed = sorted(i.metadata["path"] for i in source.list_items(None, None))
    assert listed == ["a/keep.pdf", "b/also.pdf"]
