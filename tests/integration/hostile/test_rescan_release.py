"""A document quarantined as "not scanned" is released by a re-scan that comes back clean."""

from __future__ import annotations

from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.maintenance.reprocess import rescan
from airflow_provider_kmrl.maintenance.selection import Selection
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.models import SourceItem
from tests import corpus
from tests.helpers import MemoryCheckpoint, events, rows
from tests.integration.hostile.test_engine_hostile import MemorySource
from tests.integration.hostile.test_scanner_hostile import FakeClamd, _drain


def _over_limit(conn, n):
    _drain(conn)
    conn.sendall(b"stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND\0")
    conn.close()


def test_rescan_releases_what_now_scans_clean_and_keeps_what_does_not(tmp_path, catalog, scanner, buckets):
    raw, quarantine = buckets
    store = LocalFolderStore(str(tmp_path / "store"))
    limited = FakeClamd(_over_limit)
    circular = corpus.CIRCULAR_EN.encode()
    items = [(SourceItem("circular", "circular.txt"), circular),
             (SourceItem("copy", "copy-of-circular.txt"), circular),
             (SourceItem("eicar", "eicar.txt"), corpus.EICAR),
             (SourceItem("script", "run.js"), b"plain words\n" * 40)]
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, spool_dir=str(tmp_path / "spool"))
    try:
        IngestEngine(catalog, limited.scanner(), store, settings=settings).run(MemorySource("lim", items),
                                                                              MemoryCheckpoint())
    finally:
        limited.close()
    before = {r["source_id"]: r for r in rows(catalog.dsn, "lim")}
    assert {r["status"] for r in before.values()} == {"quarantined"}
    assert all(r["rejection_reason"].startswith("not scanned") for r in before.values())

    counts = rescan(catalog, store, scanner, Selection(source="lim", statuses=("quarantined",)), quarantine,
                    raw_bucket=raw)

    after = {r["source_id"]: r for r in rows(catalog.dsn, "lim")}
    assert after["circular"]["status"] == "success" and after["circular"]["scan_status"] == "clean"
    assert store.locate(after["circular"]["object_uri"])[0] == raw
    assert store.sha256_of(*store.locate(after["circular"]["object_uri"])) == after["circular"]["checksum"]
    assert after["eicar"]["status"] == "quarantined", "malware is not released"
    assert after["script"]["status"] == "quarantined", "a type the allow-list bars is not released"
    assert "released" in events(catalog.dsn, after["circular"]["id"])
    copy = after["copy"]
    if before["copy"]["duplicate_of"] is None:  # quarantined with its own object: released as a copy of the original
        assert counts["released"] == 2
        assert copy["status"] == "duplicate" and copy["object_uri"] == after["circular"]["object_uri"]
    else:  # pointed at the original's quarantine object, which stays for it
        assert counts["released"] == 1, (counts, after)
        assert copy["status"] == "quarantined" and store.size_of(*store.locate(copy["object_uri"])) == len(circular)
