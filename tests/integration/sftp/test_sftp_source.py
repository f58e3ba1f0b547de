"""The SFTP source against a real OpenSSH sshd, through the whole pipeline (clamd, S3, Postgres)."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.models import Window
from airflow_provider_kmrl.sources.sftp import SFTPOptions, SFTPSource
from tests import corpus
from tests.helpers import MemoryCheckpoint, by_path, rows

DAY = 86400
T0 = time.time() - 30 * DAY  # "an export from a month ago"


def _engine(catalog, scanner, store, buckets, tmp_path, **overrides):
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, batch_size=4, concurrency=3,
                              spool_dir=str(tmp_path / "spool"), **overrides)
    return IngestEngine(catalog, scanner, store, settings=settings)


def _source(folder, conn_id, name="maximo_exports", **options):
    return SFTPSource(name, SFTPOptions(path=folder.remote, **options), conn_id=conn_id)


def _keys(store, bucket):
    return sorted(o.key for o in store.list_objects(bucket))


def test_nested_folders_spaces_malayalam_and_a_rerun_that_adds_nothing(
    sftp_folder, sftp_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    files = {
        "wo/2026/03/WO-1001 pump inspection.pdf": corpus.minimal_pdf("Pump inspection WO-1001"),
        "wo/2026/03/നിർദ്ദേശം സുരക്ഷ.txt": corpus.CIRCULAR_ML.encode(),
        "wo/2026/04/deep/deeper/drawing rev B.docx": corpus.minimal_docx(["Drawing revision B"]),
        "readme.txt": b"Maximo export of 2026-04-01\n",
        "wo/2026/04/eicar.txt": corpus.EICAR,
        "wo/2026/04/copy of pump inspection.pdf": corpus.minimal_pdf("Pump inspection WO-1001"),
    }
    for i, (rel, data) in enumerate(files.items()):
        sftp_folder.put(rel, data, mtime=T0 + i * 60)
    sftp_folder.put("wo/2026/04/partial.pdf.part", b"%PDF-1.4 half", mtime=T0)
    sftp_folder.put(".hidden/secret.txt", b"not for us", mtime=T0)
    sftp_folder.put("wo/.~lock.drawing#", b"lock", mtime=T0)
    os.symlink("readme.txt", sftp_folder.local / "link to readme.txt")  # a link is one rejected row
    os.symlink("wo", sftp_folder.local / "linked folder")  # never entered; one rejected row too
    source = _source(sftp_folder, sftp_conn_id, exclude=["*.part"])
    checkpoint = MemoryCheckpoint()

    try:
        summary = _engine(catalog, scanner, minio_store, buckets, tmp_path).run(source, checkpoint)
    finally:
        source.close()

    found = by_path(rows(catalog.dsn, "maximo_exports"))
    for name in ("link to readme.txt", "linked folder"):
        link = found.pop(name)
        assert link["status"] == "rejected" and "symbolic link" in link["rejection_reason"]
    assert sorted(found) == sorted(files), "every file, and only the wanted ones, ends as one row"
    assert found["wo/2026/04/eicar.txt"]["status"] == "quarantined"
    assert found["wo/2026/04/copy of pump inspection.pdf"]["status"] == "duplicate"
    clean = [p for p in files if p not in ("wo/2026/04/eicar.txt", "wo/2026/04/copy of pump inspection.pdf")]
    for rel in clean:
        row = found[rel]
        assert row["status"] == "success" and row["scan_status"] == "clean", (rel, row["rejection_reason"])
        assert row["file_name"] == os.path.basename(rel), "original names kept verbatim"
        assert row["checksum"] == hashlib.sha256(files[rel]).hexdigest()
        assert minio_store.sha256_of(*minio_store.locate(row["object_uri"])) == row["checksum"]
        assert row["source_metadata"]["remote_path"] == f"{sftp_folder.remote}/{rel}"
        mtime = int(T0) + list(files).index(rel) * 60
        assert row["source_id"] == f"{sftp_folder.remote}/{rel}@{len(files[rel])}@{mtime}"
    assert found["wo/2026/03/നിർദ്ദേശം സുരക്ഷ.txt"]["language"] == "ml"
    assert summary.by_status == {"success": 4, "quarantined": 1, "duplicate": 1, "rejected": 2}
    assert sorted(checkpoint.value["files"]) == sorted([*files, "link to readme.txt", "linked folder"])
    objects = {b: _keys(minio_store, b) for b in buckets}

    again = _source(sftp_folder, sftp_conn_id, exclude=["*.part"])
    try:
        rerun = _engine(catalog, scanner, minio_store, buckets, tmp_path).run(again, checkpoint)
    finally:
        again.close()
    assert (rerun.listed, rerun.processed) == (0, 0), "the checkpoint already covers every file"
    assert len(rows(catalog.dsn, "maximo_exports")) == len(files) + 2  # and the two links
    assert {b: _keys(minio_store, b) for b in buckets} == objects


class _WriterDuringRun(MemoryCheckpoint):
    """A checkpoint store that, when the run saves its first cursor, lets an export job drop files."""

    def __init__(self, on_first_save):
        super().__init__()
        self.on_first_save = on_first_save

    def save(self, value):
        super().save(value)
        if self.on_first_save:
            self.on_first_save()
            self.on_first_save = None


def test_files_appearing_with_older_mtimes_during_a_run_are_ingested_next_run(
    sftp_folder, sftp_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    for i in range(6):
        sftp_folder.put(f"exports/day-{i}.txt", f"Daily export {i}\n".encode(), mtime=T0 + DAY * (i + 10))

    def late_arrivals():  # older than anything already listed: a watermark would never see them
        sftp_folder.put("exports/backdated/old-report.txt", b"Report from last year\n", mtime=T0 - 300 * DAY)
        sftp_folder.put("exports/day-0-resend.txt", b"Resent daily export 0\n", mtime=T0 + 10 * DAY)

    checkpoint = _WriterDuringRun(late_arrivals)
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path, checkpoint_seconds=0)
    source = _source(sftp_folder, sftp_conn_id)
    try:
        first = engine.run(source, checkpoint)
        assert first.by_status == {"success": 6}
        assert checkpoint.saves >= 2, "the cursor advances batch by batch, behind the commits"
        second = engine.run(source, checkpoint)
        third = engine.run(source, checkpoint)
    finally:
        source.close()

    assert second.by_status == {"success": 2} and second.listed == 2
    assert (third.listed, third.processed) == (0, 0)
    paths = sorted(by_path(rows(catalog.dsn, "maximo_exports")))
    assert paths == sorted([f"exports/day-{i}.txt" for i in range(6)]
                           + ["exports/backdated/old-report.txt", "exports/day-0-resend.txt"])


def test_a_file_replaced_under_the_same_name_is_a_new_version(
    sftp_folder, sftp_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    sftp_folder.put("wo/WO-2002.txt", b"Work order 2002, first issue\n", mtime=T0)
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    source = _source(sftp_folder, sftp_conn_id)
    try:
        engine.run(source, checkpoint)
        sftp_folder.put("wo/WO-2002.txt", b"Work order 2002, revised after inspection\n", mtime=T0 + DAY)
        second = engine.run(source, checkpoint)
        third = engine.run(source, checkpoint)
    finally:
        source.close()

    assert second.by_status == {"success": 1} and (third.listed, third.processed) == (0, 0)
    versions = rows(catalog.dsn, "maximo_exports")
    assert [r["file_name"] for r in versions] == ["WO-2002.txt", "WO-2002.txt"]
    assert [r["source_metadata"]["mtime"] for r in versions] == [int(T0), int(T0 + DAY)]
    assert len({r["checksum"] for r in versions}) == 2 and {r["status"] for r in versions} == {"success"}
    revised = len(b"Work order 2002, revised after inspection\n")
    assert checkpoint.value["files"] == {"wo/WO-2002.txt": [revised, int(T0 + DAY)]}


def test_processed_folder_moves_after_commit_and_delete_mode(
    sftp_folder, sftp_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    sftp_folder.put("inbox/a/WO-3001.txt", b"Work order 3001\n", mtime=T0)
    sftp_folder.put("inbox/b/WO-3002 ഫോട്ടോ.txt", b"Work order 3002\n", mtime=T0 + 60)
    sftp_folder.put("inbox/eicar.txt", corpus.EICAR, mtime=T0 + 120)
    sftp_folder.mkdir("inbox/.processed")
    processed = f"{sftp_folder.remote}/inbox/.processed"
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    source = SFTPSource("maximo_exports", SFTPOptions(path=f"{sftp_folder.remote}/inbox", after_ingest="move",
                                                       processed_path=processed, include_hidden=True),
                        conn_id=sftp_conn_id)
    try:
        first = engine.run(source, checkpoint)
        assert first.by_status == {"success": 2, "quarantined": 1}
        assert sftp_folder.files("inbox") == sorted(
            [".processed/a/WO-3001.txt", ".processed/b/WO-3002 ഫോട്ടോ.txt", ".processed/eicar.txt"]
        ), "every file with a final row is moved (same relative path); the processed folder is not walked"
        # The same name arrives again with new content: a new version, moved beside the first.
        sftp_folder.put("inbox/a/WO-3001.txt", b"Work order 3001, closed\n", mtime=T0 + DAY)
        second = engine.run(source, checkpoint)
        assert list(checkpoint.value["files"]) == ["a/WO-3001.txt"], "files that left are forgotten"
        third = engine.run(source, checkpoint)
    finally:
        source.close()
    assert second.by_status == {"success": 1} and (third.listed, third.processed) == (0, 0)
    second_version = sftp_folder.local / "inbox/.processed/a/WO-3001.txt.1"
    assert second_version.read_bytes() == b"Work order 3001, closed\n"
    assert len(rows(catalog.dsn, "maximo_exports")) == 4

    sftp_folder.put("drop/WO-4001.txt", b"Work order 4001\n", mtime=T0)
    deleting = SFTPSource("drop_box", SFTPOptions(path=f"{sftp_folder.remote}/drop", after_ingest="delete"),
                          conn_id=sftp_conn_id)
    try:
        assert engine.run(deleting, MemoryCheckpoint()).by_status == {"success": 1}
    finally:
        deleting.close()
    assert sftp_folder.files("drop") == []


class _ConcurrentWriter:
    """Wraps the real source; rewrites a file on the server right after it was listed (a live export)."""

    def __init__(self, source, folder, rel):
        self.source, self.folder, self.rel = source, folder, rel
        self.name = source.name

    def list_items(self, checkpoint, window):
        for item in self.source.list_items(checkpoint, window):
            if item.metadata["path"] == self.rel:
                finished = b"Work order 5001, still being written ... now complete\n"
                self.folder.put(self.rel, finished, mtime=T0 + 5)
            yield item

    def __getattr__(self, name):
        return getattr(self.source, name)


def test_a_file_changed_after_listing_is_never_taken_for_the_listed_version(
    sftp_folder, sftp_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    sftp_folder.put("live/WO-5001.txt", b"Work order 5001, still being wri", mtime=T0)
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    source = _source(sftp_folder, sftp_conn_id)
    try:
        first = engine.run(_ConcurrentWriter(source, sftp_folder, "live/WO-5001.txt"), checkpoint)
        assert first.by_status == {"failed": 1}
        row = rows(catalog.dsn, "maximo_exports")[0]
        assert "changed since it was listed" in row["rejection_reason"]
        second = engine.run(source, checkpoint)
    finally:
        source.close()
    # The listed version is gone for good; the finished file is a new item with its own row.
    assert second.by_status == {"failed": 1, "success": 1}
    final = {r["source_metadata"]["size"]: r for r in rows(catalog.dsn, "maximo_exports")}
    assert final[32]["status"] == "failed" and "no longer available" in final[32]["rejection_reason"]
    assert final[54]["status"] == "success"


def test_backfill_window_selects_by_mtime_and_leaves_the_checkpoint(
    sftp_folder, sftp_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    from datetime import datetime, timezone

    for day in (1, 2, 3):
        ts = datetime(2026, 3, day, 9, tzinfo=timezone.utc).timestamp()
        sftp_folder.put(f"reports/report-2026-03-0{day}.txt", f"Operations report {day}\n".encode(), mtime=ts)
    window = Window(datetime(2026, 3, 2, tzinfo=timezone.utc), datetime(2026, 3, 3, tzinfo=timezone.utc))
    source = _source(sftp_folder, sftp_conn_id)
    try:
        engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
        summary = engine.run(source, MemoryCheckpoint(), window)
    finally:
        source.close()
    assert [r["file_name"] for r in rows(catalog.dsn, "maximo_exports")] == ["report-2026-03-02.txt"]
    assert summary.checkpoint is None


def test_hook_connection_test_and_password_login(sshd, monkeypatch):
    from airflow_provider_kmrl.hooks.sftp import KmrlSFTPHook
    from tests.integration.sftp.conftest import sftp_connection

    password = sshd["KMRL_SFTP_PASSWORD"]
    monkeypatch.setenv("AIRFLOW_CONN_SFTP_PW", sftp_connection(sshd, password=password, key=False))
    monkeypatch.setenv("AIRFLOW_CONN_SFTP_BAD", sftp_connection(sshd, password="wrong", key=False))
    ok, message = KmrlSFTPHook(ssh_conn_id="sftp_pw").test_connection()
    assert ok, message
    ok, message = KmrlSFTPHook(ssh_conn_id="sftp_bad").test_connection()
    assert not ok and "Authentication failed" in message


def test_streamed_read_is_exact_and_checks_the_version(sftp_folder, sftp_conn_id):
    from airflow_provider_kmrl.hooks.sftp import FileChangedError, KmrlSFTPHook, RemoteFile

    payload = os.urandom(5 * 1024 * 1024 + 12345)
    sftp_folder.put("big/blob.bin", payload, mtime=T0)
    hook = KmrlSFTPHook(ssh_conn_id=sftp_conn_id, max_channels=2)
    try:
        (listed,) = list(hook.walk_files(sftp_folder.remote))
        assert listed == RemoteFile(f"{sftp_folder.remote}/big/blob.bin", len(payload), int(T0))
        digest = hashlib.sha256()
        with hook.open_stream(listed, read_ahead=1024 * 1024) as stream:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
        assert digest.hexdigest() == hashlib.sha256(payload).hexdigest()
        stale = RemoteFile(listed.path, listed.size, listed.mtime - 1)
        with pytest.raises(FileChangedError, match="changed since it was listed"):
            with hook.open_stream(stale):
                pass
    finally:
        hook.close_channels()
