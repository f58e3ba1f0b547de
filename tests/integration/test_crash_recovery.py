"""Kill the ingest process with SIGKILL at several points, rerun, and check nothing is lost or doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import psycopg2
import pytest

from airflow_provider_kmrl.pipeline.keys import document_id
from tests import corpus
from tests.helpers import rows

pytestmark = pytest.mark.slow
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _make_folder(folder, count: int) -> list[str]:
    """``count`` files: mostly unique text, some duplicates, some EICAR, in mtime order."""
    rng = random.Random(7)
    first = int(time.time()) - 10_000
    paths = []
    for i in range(count):
        rel = f"batch{i % 7}/doc-{i:04d}.txt"
        if i % 23 == 5:
            payload = corpus.EICAR
        elif i % 11 == 3:
            payload = b"the same circular, sent again\n" * 100
        else:
            payload = (f"Document {i}\n".encode() + rng.randbytes(30_000).hex().encode())
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        os.utime(path, (first + i, first + i))
        paths.append(rel)
    return paths


def _status_counts(dsn: str) -> dict[str, int]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        try:
            cur.execute("SELECT status, count(*) FROM documents GROUP BY status")
        except psycopg2.errors.UndefinedTable:
            return {}
        return dict(cur.fetchall())


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.ingest_runner", *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when(proc: subprocess.Popen, dsn: str, condition, timeout: float = 120) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = _status_counts(dsn)
        if condition(counts):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return counts
        if proc.poll() is not None:
            pytest.fail(f"runner ended before the kill point: {proc.stderr.read()[-2000:]}")
        time.sleep(0.01)
    proc.kill()
    pytest.fail("kill point never reached")


def _check_invariants(dsn, store, raw, quarantine, checkpoint_file, paths, source="uploads"):
    found = rows(dsn, source)
    by_id = {r["id"]: r for r in found}
    assert len({r["source_id"] for r in found}) == len(found), "no item recorded twice"
    # No object without a row: every key's document id has a row.
    for bucket in (raw, quarantine):
        for obj in store.list_objects(bucket):
            assert obj.key.split("/")[4] in by_id, f"object without a row: {bucket}/{obj.key}"
    # The checkpoint never runs ahead of committed rows.
    if os.path.exists(checkpoint_file):
        import json

        with open(checkpoint_file) as fh:
            mark = json.load(fh)
        final = {r["source_metadata"]["path"] for r in found if r["status"] != "pending"}
        covered = paths[: paths.index(mark["path"]) + 1]
        assert set(covered) <= final, f"checkpoint ahead of committed rows: {set(covered) - final}"
    return found


def test_sigkill_at_several_points_loses_and_doubles_nothing(tmp_path, pg_dsn, services, minio_store, buckets):
    folder = tmp_path / "uploads"
    paths = _make_folder(folder, 240)
    raw, quarantine = buckets
    checkpoint_file = str(tmp_path / "checkpoint.json")
    args = ["--dsn", pg_dsn, "--folder", str(folder), "--store", "minio", "--raw", raw,
            "--quarantine", quarantine, "--checkpoint", checkpoint_file, "--batch-size", "20",
            "--concurrency", "2", "--spool", str(tmp_path / "spool")]
    kill_points = [
        ("claimed, nothing finished", lambda c: c.get("pending", 0) > 0 and sum(c.values()) == c["pending"]),
        ("a few batches committed", lambda c: sum(v for k, v in c.items() if k != "pending") >= 40),
        ("mid-run, rows pending", lambda c: sum(v for k, v in c.items() if k != "pending") >= 100
         and c.get("pending", 0) > 0),
        ("late in the run", lambda c: sum(v for k, v in c.items() if k != "pending") >= 200),
    ]
    for label, condition in kill_points:
        counts = _kill_when(_start(args), pg_dsn, condition)
        _check_invariants(pg_dsn, minio_store, raw, quarantine, checkpoint_file, paths)
        print(f"killed at '{label}': {counts}")

    done = _start(args)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err[-3000:]

    found = _check_invariants(pg_dsn, minio_store, raw, quarantine, checkpoint_file, paths)
    assert sorted(r["source_metadata"]["path"] for r in found) == sorted(paths), "no file lost"
    assert {r["id"] for r in found} == {document_id("uploads", r["source_id"]) for r in found}
    statuses = [r["status"] for r in found]
    assert "pending" not in statuses and "failed" not in statuses
    assert statuses.count("quarantined") == sum(1 for i in range(240) if i % 23 == 5)
    assert statuses.count("success") == sum(1 for i in range(240) if i % 23 != 5 and i % 11 != 3) + 1
    # Every stored row has its object and every object belongs to exactly one stored row.
    stored = {minio_store.locate(r["object_uri"]) for r in found
              if r["status"] in ("success", "quarantined") and r["duplicate_of"] is None}
    objects = {(b, o.key) for b in (raw, quarantine) for o in minio_store.list_objects(b)}
    assert objects == stored
    # And the next run adds nothing.
    again = _start(args)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0 and '"processed": 0' in out, out + err[-2000:]
