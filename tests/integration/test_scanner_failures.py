"""Fail closed: clamd down, clamd dying mid-run, and files beyond clamd's limits."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from airflow_provider_kmrl.exceptions import ScannerUnavailable
from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner
from airflow_provider_kmrl.pipeline.models import ScanStatus
from tests import corpus
from tests.helpers import PrivateClamd, _free_port, rows

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = os.path.join(REPO, "scripts", "services.sh")


@pytest.fixture()
def private_clamd(tmp_path_factory):
    clamd = PrivateClamd(str(tmp_path_factory.mktemp("clamd-state")))
    clamd.start()
    yield clamd
    clamd.stop()


def _runner(folder, dsn, buckets, clamd_port, tmp_path, *extra) -> subprocess.CompletedProcess:
    raw, quarantine = buckets
    args = ["--dsn", dsn, "--folder", str(folder), "--store", f"fs:{tmp_path / 'store'}", "--raw", raw,
            "--quarantine", quarantine, "--checkpoint", str(tmp_path / "checkpoint.json"),
            "--clamd-port", str(clamd_port), *extra]
    return subprocess.run([sys.executable, "-m", "tests.ingest_runner", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def test_clamd_down_fails_clearly_and_records_nothing_then_rerun_completes(tmp_path, pg_dsn, private_clamd, buckets):
    folder = tmp_path / "uploads"
    expected = corpus.write(str(folder))
    private_clamd.stop()

    failed = _runner(folder, pg_dsn, buckets, private_clamd.port, tmp_path)
    assert failed.returncode != 0
    assert f"cannot reach clamd at 127.0.0.1:{private_clamd.port}" in failed.stderr
    assert rows(pg_dsn) == []
    assert not os.path.exists(tmp_path / "checkpoint.json")

    private_clamd.start()
    done = _runner(folder, pg_dsn, buckets, private_clamd.port, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(rows(pg_dsn)) == len(expected)
    assert "pending" not in {r["status"] for r in rows(pg_dsn)}


def test_clamd_dying_mid_run_leaves_nothing_clean_unscanned(tmp_path, pg_dsn, private_clamd, buckets):
    folder = tmp_path / "uploads"
    for i in range(400):
        (folder / f"d{i // 100}").mkdir(parents=True, exist_ok=True)
        (folder / f"d{i // 100}" / f"note-{i:03d}.txt").write_bytes(os.urandom(20_000).hex().encode())
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.ingest_runner", "--dsn", pg_dsn, "--folder", str(folder), "--store",
         f"fs:{tmp_path / 'store'}", "--raw", buckets[0], "--quarantine", buckets[1], "--checkpoint",
         str(tmp_path / "checkpoint.json"), "--clamd-port", str(private_clamd.port), "--batch-size", "10"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    import time

    while len([r for r in rows(pg_dsn) if r["status"] == "success"]) < 30:
        assert proc.poll() is None, proc.stderr.read()[-2000:]
        time.sleep(0.02)
    private_clamd.stop()
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "clamd" in err

    found = rows(pg_dsn)
    assert all(r["scan_status"] == "clean" for r in found if r["status"] == "success")
    assert {r["status"] for r in found} <= {"success", "failed", "pending"}
    failed = [r for r in found if r["status"] == "failed"]
    assert failed and all("clamd" in r["rejection_reason"] for r in failed)

    private_clamd.start()
    rerun = subprocess.run(proc.args, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    final = rows(pg_dsn)
    assert len(final) == 400 and {r["status"] for r in final} == {"success"}
    assert max(r["retry_count"] for r in final) == 0, "a scanner outage costs no retry budget"


def test_files_beyond_clamd_limits_are_unscanned_never_clean(tmp_path_factory):
    clamd = PrivateClamd(str(tmp_path_factory.mktemp("small-clamd")), KMRL_CLAMD_STREAM_MAX="2M",
                         KMRL_CLAMD_MAX_FILESIZE="1M", KMRL_CLAMD_MAX_SCANSIZE="1M")
    clamd.start()
    try:
        scanner = clamd.scanner()
        folder = tmp_path_factory.mktemp("big")
        over_file_limit = folder / "over-file-limit.txt"
        over_file_limit.write_bytes(b"a" * 1_500_000 + corpus.EICAR)
        over_stream_limit = folder / "over-stream-limit.txt"
        over_stream_limit.write_bytes(b"b" * 6_000_000)

        result = scanner.scan_file(str(over_file_limit))
        assert result.status is ScanStatus.UNSCANNED and result.signature.startswith("Heuristics.Limits")
        result = scanner.scan_file(str(over_stream_limit))
        assert result.status is ScanStatus.UNSCANNED
        assert "StreamMaxLength" in result.detail
        assert scanner.scan_file(str(folder / "over-file-limit.txt")).status is not ScanStatus.CLEAN
    finally:
        clamd.stop()


def test_nothing_listening_is_scanner_unavailable():
    scanner = ClamdScanner(ClamdAddress(host="127.0.0.1", port=_free_port(), timeout=2))
    with pytest.raises(ScannerUnavailable, match="cannot reach clamd"):
        scanner.ping()


def test_eicar_plain_zipped_and_marker_are_found(scanner, tmp_path):
    for name, payload in [("e.txt", corpus.EICAR), ("e.zip", corpus.zipped("x.txt", corpus.EICAR)),
                          ("m.txt", b"hello " + corpus.MALWARE_MARKER)]:
        path = tmp_path / name
        path.write_bytes(payload)
        result = scanner.scan_file(str(path))
        assert result.status is ScanStatus.INFECTED and result.signature.startswith("Kmrl.Test."), (name, result)
    clean = tmp_path / "clean.txt"
    clean.write_text(corpus.CIRCULAR_EN)
    assert scanner.scan_file(str(clean)).status is ScanStatus.CLEAN
