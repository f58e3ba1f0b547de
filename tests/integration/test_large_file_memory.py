"""Memory stays flat: a 1 GiB upload streamed into the MinIO store by a task-like process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import rows

pytestmark = pytest.mark.slow
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GIB = 1024**3


def write_big_pdf(path, size: int) -> None:
    """A file libmagic calls a PDF, of ``size`` bytes, written in 4 MiB blocks."""
    block = os.urandom(4 * 1024 * 1024)
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        written = fh.tell()
        while written < size:
            chunk = block[: size - written]
            fh.write(chunk)
            written += len(chunk)


def _ingest(tmp_path, dsn, buckets, folder) -> dict:
    args = ["--dsn", dsn, "--folder", str(folder), "--store", "minio", "--raw", buckets[0],
            "--quarantine", buckets[1], "--checkpoint", str(tmp_path / f"cp-{folder.name}.json"),
            "--max-file-size", str(2 * GIB), "--spool", str(tmp_path / "spool"), "--like-a-task"]
    done = subprocess.run([sys.executable, "-m", "tests.ingest_runner", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_gib_file_into_minio_with_flat_memory(tmp_path, pg_dsn, services, minio_store, buckets):
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    write_big_pdf(small / "drawing.pdf", GIB // 4)
    write_big_pdf(big / "tunnel-survey.pdf", GIB)

    baseline = _ingest(tmp_path, pg_dsn, buckets, small)["peak_rss_bytes"]
    result = _ingest(tmp_path, pg_dsn, buckets, big)
    peak = result["peak_rss_bytes"]
    print(f"task peak RSS: 256 MiB file {baseline / 2**20:.0f} MiB, 1 GiB file {peak / 2**20:.0f} MiB")

    assert result["by_status"] == {"success": 1}
    row = next(r for r in rows(pg_dsn) if r["file_name"] == "tunnel-survey.pdf")
    assert row["file_size"] == GIB and row["scan_status"] == "clean"
    assert minio_store.size_of(*minio_store.locate(row["object_uri"])) == GIB
    assert peak < 256 * 2**20, f"peak RSS {peak / 2**20:.0f} MiB"
    assert peak - baseline < 24 * 2**20, "memory must not grow with file size (4x the file, same peak)"
