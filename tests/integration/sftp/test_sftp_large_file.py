"""A 2 GiB file from sshd into the S3 store by a task-like process whose peak RSS stays under 256 MB."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from tests.helpers import rows

pytestmark = pytest.mark.slow
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MIB = 1024**2
# clamd cannot scan a stream of MaxFileSize (capped at 2 GiB - 3 bytes) or more: such a file comes back
# "Heuristics.Limits.Exceeded" and is quarantined unscanned. 2 GiB - 4 KiB is the largest size that
# travels the whole clean path: SFTP -> spool -> clamd -> raw bucket.
SIZE = 2 * 1024**3 - 4096


def _write_pdf(path, size: int, uid: int, gid: int) -> str:
    """A file libmagic calls a PDF, written in 4 MiB blocks (never held whole); returns its SHA-256."""
    block, digest = os.urandom(4 * MIB), hashlib.sha256()
    with open(path, "wb") as fh:
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        written = fh.write(head)
        digest.update(head)
        while written < size:
            chunk = block[: size - written]
            written += fh.write(chunk)
            digest.update(chunk)
    os.chown(path, uid, gid)
    return digest.hexdigest()


def _ingest(folder, conn_id, dsn, buckets, tmp_path, name) -> dict:
    args = ["--conn-id", conn_id, "--path", folder, "--source", name, "--dsn", dsn, "--raw", buckets[0],
            "--quarantine", buckets[1], "--max-file-size", str(3 * 1024**3),
            "--spool", str(tmp_path / "spool")]
    # Two malloc arenas: with one per thread, glibc keeps 1 MiB buffers that paramiko's transport
    # thread allocates and a worker frees in the allocating thread's arena, and the peak then
    # varied from run to run (199 MiB, once 341 MiB) for the same streamed 2 GiB. What is measured
    # here is that the provider streams; production workers may set the same variable.
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    done = subprocess.run([sys.executable, "-m", "tests.integration.sftp.sftp_runner", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=1200, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_gib_file_over_sftp_into_s3_with_flat_memory(
    sftp_folder, sftp_conn_id, pg_dsn, services, minio_store, buckets, tmp_path
):
    small, big = sftp_folder.mkdir("small"), sftp_folder.mkdir("big")
    _write_pdf(small / "drawing.pdf", 64 * MIB, sftp_folder.uid, sftp_folder.gid)
    sha256 = _write_pdf(big / "tunnel survey 2026.pdf", SIZE, sftp_folder.uid, sftp_folder.gid)

    baseline = _ingest(f"{sftp_folder.remote}/small", sftp_conn_id, pg_dsn, buckets, tmp_path, "sftp_small")
    result = _ingest(f"{sftp_folder.remote}/big", sftp_conn_id, pg_dsn, buckets, tmp_path, "sftp_big")
    peak, base = result["peak_rss_bytes"], baseline["peak_rss_bytes"]
    print(f"task peak RSS: 64 MiB file {base / MIB:.0f} MiB, 2 GiB - 4 KiB file {peak / MIB:.0f} MiB")

    assert result["by_status"] == {"success": 1}
    (row,) = rows(pg_dsn, "sftp_big")
    assert row["file_size"] == SIZE and row["scan_status"] == "clean"
    assert row["file_name"] == "tunnel survey 2026.pdf"
    assert row["checksum"] == sha256
    assert minio_store.size_of(*minio_store.locate(row["object_uri"])) == SIZE
    assert peak < 256 * 10**6, f"peak RSS {peak / MIB:.0f} MiB"
    assert peak - base < 32 * MIB, "memory must not grow with file size"
