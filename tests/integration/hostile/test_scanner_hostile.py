"""A scanner that hangs, vanishes or stumbles never lets a document through and never dead-letters it.

The scanners here are small clamd look-alikes on real sockets, each misbehaving one way.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from airflow_provider_kmrl.exceptions import ScannerUnavailable
from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner
from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.models import ScanStatus, SourceItem
from tests.helpers import MemoryCheckpoint, rows
from tests.integration.hostile.test_engine_hostile import MemorySource


class FakeClamd:
    """Answers PING and VERSION like clamd; ``on_instream(sock, n)`` decides the n-th scan's fate."""

    def __init__(self, on_instream) -> None:
        self.on_instream = on_instream
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.scans = 0
        self.open: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.open.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        command = b""
        while not command.endswith(b"\0"):
            part = conn.recv(1)
            if not part:
                return
            command += part
        if command == b"zPING\0":
            conn.sendall(b"PONG\0")
        elif command == b"zVERSION\0":
            conn.sendall(b"ClamAV 1.4.6/fake\0")
        elif command == b"zINSTREAM\0":
            self.scans += 1
            self.on_instream(conn, self.scans)
            return  # the handler owns the socket now
        conn.close()

    def scanner(self, timeout: float = 2) -> ClamdScanner:
        return ClamdScanner(ClamdAddress(host="127.0.0.1", port=self.port, timeout=timeout))

    def close(self) -> None:
        self.server.close()
        for conn in self.open:
            conn.close()


def _drain(conn: socket.socket) -> None:
    """Read the whole INSTREAM (length-prefixed chunks up to the zero chunk)."""
    while True:
        header = b""
        while len(header) < 4:
            header += conn.recv(4 - len(header))
        size = int.from_bytes(header, "big")
        if size == 0:
            return
        left = size
        while left:
            left -= len(conn.recv(min(left, 65536)))


@pytest.fixture()
def fake(request):
    made = []

    def make(on_instream):
        clamd = FakeClamd(on_instream)
        made.append(clamd)
        return clamd

    yield make
    for clamd in made:
        clamd.close()


def test_a_clamd_that_never_answers_instream_is_unavailable(tmp_path, fake):
    clamd = fake(lambda conn, n: _drain(conn))  # reads everything, never replies
    path = tmp_path / "doc.txt"
    path.write_bytes(b"hello\n" * 100)
    started = time.monotonic()
    with pytest.raises(ScannerUnavailable, match="did not reply"):
        clamd.scanner(timeout=2).scan_file(str(path))
    assert time.monotonic() - started < 10


def test_a_clamd_that_stops_reading_mid_stream_is_unavailable(tmp_path, fake):
    clamd = fake(lambda conn, n: time.sleep(30))  # never reads: the send blocks, then times out
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * (32 * 1024 * 1024))
    with pytest.raises(ScannerUnavailable, match="stopped reading"):
        clamd.scanner(timeout=2).scan_file(str(path))


def test_a_clamd_that_hangs_up_without_a_verdict_is_unavailable_not_unscanned(tmp_path, fake):
    def hang_up(conn, n):
        conn.recv(1024)
        conn.close()

    clamd = fake(hang_up)
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * (8 * 1024 * 1024))
    with pytest.raises(ScannerUnavailable):
        clamd.scanner(timeout=5).scan_file(str(path))


def test_the_stream_limit_reply_is_a_permanent_not_scanned(tmp_path, fake):
    def limit(conn, n):
        conn.recv(1024 * 1024)
        conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        conn.close()

    clamd = fake(limit)
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * (8 * 1024 * 1024))
    result = clamd.scanner(timeout=5).scan_file(str(path))
    assert result.status is ScanStatus.UNSCANNED and not result.transient


def _engine(catalog, scanner, buckets, tmp_path):
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, batch_size=4, concurrency=2,
                              spool_dir=str(tmp_path / "spool"))
    return IngestEngine(catalog, scanner, LocalFolderStore(str(tmp_path / "store")), settings=settings)


def test_a_hanging_scanner_fails_the_run_and_spends_no_retry_budget(tmp_path, catalog, buckets, fake):
    clamd = fake(lambda conn, n: _drain(conn))
    items = [(SourceItem(f"d{n}", f"d{n}.txt"), f"document {n}\n".encode() * 30) for n in range(3)]
    with pytest.raises(ScannerUnavailable):
        _engine(catalog, clamd.scanner(timeout=2), buckets, tmp_path).run(MemorySource("hang", items),
                                                                           MemoryCheckpoint())
    found = rows(catalog.dsn, "hang")
    assert {r["status"] for r in found} == {"failed"} and {r["retry_count"] for r in found} == {0}


def test_a_transient_scanner_error_is_asked_again_before_quarantine(tmp_path, catalog, buckets, fake):
    def flaky(conn, n):
        _drain(conn)
        conn.sendall(b"stream: Can't allocate memory ERROR\0" if n % 2 == 1 else b"stream: OK\0")
        conn.close()

    clamd = fake(flaky)
    items = [(SourceItem("d0", "d0.txt"), b"a document\n" * 30)]
    _engine(catalog, clamd.scanner(), buckets, tmp_path).run(MemorySource("flaky", items), MemoryCheckpoint())
    (row,) = rows(catalog.dsn, "flaky")
    assert row["status"] == "success" and row["scan_status"] == "clean"
    assert clamd.scans == 2
