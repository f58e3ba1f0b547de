"""The engine's batching, cursor and failure rules as scenarios: given items, faults and a
checkpoint, the expected rows and next checkpoint. No servers: the parts are in-memory
implementations of the same protocols (``tests/memory_parts.py``)."""

from __future__ import annotations

import pytest

from airflow_provider_kmrl.exceptions import ScannerUnavailable, StoreUnavailable
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.models import Classification
from tests.helpers import MemoryCheckpoint
from tests.memory_parts import ListSource, MemoryCatalog, MemoryScanner, MemoryStore, item

EICAR_LIKE = b"pretend this is malware\n"


class FixedClassifier:
    version = "fixed"

    def classify(self, doc):
        return Classification(classifier_version="fixed")


@pytest.fixture()
def parts(tmp_path):
    catalog, scanner, store = MemoryCatalog(), MemoryScanner({EICAR_LIKE}), MemoryStore()

    def engine(**settings):
        options = {"batch_size": 3, "concurrency": 2, "spool_dir": str(tmp_path / "spool"), **settings}
        return IngestEngine(catalog, scanner, store, classifier=FixedClassifier(),  # type: ignore[arg-type]
                            settings=IngestSettings(raw_bucket="raw", quarantine_bucket="q", **options))

    return catalog, scanner, store, engine


def _text(n: int) -> bytes:
    return f"circular number {n}\n".encode() * 20


def _statuses(catalog, source="s"):
    return {sid: r.status for sid, r in sorted(catalog.by_source_id(source).items())}


def test_every_item_one_row_and_the_cursor_after_the_listing(parts):
    catalog, _, store, engine = parts
    source = ListSource("s", [(item(n), _text(n)) for n in range(7)] + [(item(7), EICAR_LIKE), (item(8), b"")])
    checkpoint = MemoryCheckpoint()

    summary = engine().run(source, checkpoint)

    assert _statuses(catalog) == {**{f"item-{n:03d}": "success" for n in range(7)},
                                  "item-007": "quarantined", "item-008": "rejected"}
    assert checkpoint.value == {"next": 9}
    assert summary.by_status == {"success": 7, "quarantined": 1, "rejected": 1}
    assert len(store.objects) == 8  # 7 raw + 1 quarantine
    assert source.moved == [f"item-{n:03d}" for n in range(8)], "the rejected (empty) item stays"


def test_a_rerun_from_a_lost_checkpoint_records_nothing_twice(parts):
    catalog, scanner, _, engine = parts
    source = ListSource("s", [(item(n), _text(n)) for n in range(5)])
    engine().run(source, MemoryCheckpoint())
    scans = scanner.scans

    rerun = engine().run(source, MemoryCheckpoint())  # checkpoint lost: everything listed again

    assert rerun.skipped_known == 5 and rerun.processed == 0 and scanner.scans == scans
    assert len(catalog.rows) == 5


def test_a_document_the_source_cannot_deliver_is_failed_and_retried_up_to_the_ceiling(parts):
    catalog, _, _, engine = parts
    source = ListSource("s", [(item(0), _text(0)), (item(1), OSError("connection reset")), (item(2), _text(2))])
    checkpoint = MemoryCheckpoint()

    for _ in range(4):
        engine(max_retries=3).run(source, checkpoint)

    row = catalog.by_source_id("s")["item-001"]
    assert row.status == "failed" and row.retry_count == 3 and "cannot fetch" in row.reason
    assert checkpoint.value == {"next": 3}, "a final failed row is committed: the cursor passes it"
    assert _statuses(catalog)["item-002"] == "success"


def test_scanner_outage_fails_the_run_spends_no_retry_budget_and_the_cursor_stops_before_it(parts):
    catalog, scanner, _, engine = parts
    entries = [(item(n), _text(n)) for n in range(9)]

    class DiesAfterFirstBatch(ListSource):
        def open(self, it):
            if it.source_id >= "item-003":
                scanner.down = True
            return super().open(it)

    checkpoint = MemoryCheckpoint()
    with pytest.raises(ScannerUnavailable):
        engine(concurrency=1).run(DiesAfterFirstBatch("s", entries), checkpoint)

    assert checkpoint.value == {"next": 3}, "the cursor covers the committed first batch only"
    failed = [r for r in catalog.rows.values() if r.status == "failed"]
    assert failed and all(r.retry_count == 0 for r in failed)
    assert not any(r.status == "success" and r.scan_status != "clean" for r in catalog.rows.values())

    scanner.down = False
    engine().run(ListSource("s", entries), checkpoint)
    assert set(_statuses(catalog).values()) == {"success"} and checkpoint.value == {"next": 9}


def test_a_store_outage_leaves_copies_pointing_only_at_stored_objects(parts):
    catalog, _, store, engine = parts
    same = _text(42)
    store.fail_keys = {"doc-000.txt"}
    source = ListSource("s", [(item(n), same) for n in range(3)])

    with pytest.raises(StoreUnavailable):
        engine(concurrency=1).run(source, MemoryCheckpoint())

    rows = catalog.by_source_id("s")
    for r in rows.values():
        if r.status in ("success", "duplicate"):
            assert store.size_of(*store.locate(r.object_uri)) == len(same)
    assert rows["item-000"].status == "failed" and rows["item-000"].retry_count == 0
    assert "item-000" not in source.moved

    store.fail_keys = set()
    engine().run(source, MemoryCheckpoint())
    assert sorted(r.status for r in catalog.rows.values()) == ["duplicate", "duplicate", "success"]


def test_identical_content_is_stored_once_with_duplicates_pointing_at_it(parts):
    catalog, _, store, engine = parts
    same = _text(1)
    engine(concurrency=4, batch_size=10).run(ListSource("s", [(item(n), same) for n in range(6)]), None)
    rows = list(catalog.rows.values())
    (original,) = [r for r in rows if r.status == "success"]
    assert all(r.duplicate_of == original.doc_id and r.object_uri == original.object_uri
               for r in rows if r.status == "duplicate")
    assert len([k for k in store.objects if k[0] == "raw"]) == 1


def test_problem_items_are_rejected_unfetched_and_do_not_hold_the_cursor(parts):
    catalog, _, _, engine = parts
    source = ListSource("s", [(item(0, problem="a link to a web page"), RuntimeError("must not be opened")),
                              (item(1), _text(1))])
    checkpoint = MemoryCheckpoint()
    engine().run(source, checkpoint)
    assert _statuses(catalog) == {"item-000": "rejected", "item-001": "success"}
    assert checkpoint.value == {"next": 2}


def test_a_claim_the_database_refuses_costs_that_item_alone(parts):
    catalog, _, _, engine = parts
    # The in-memory ledger refuses NUL like Postgres; the engine escapes it before claiming.
    source = ListSource("s", [(item(0, source_id="bad\x00id"), _text(0)), (item(1), _text(1))])
    engine().run(source, MemoryCheckpoint())
    assert _statuses(catalog) == {"bad\\x00id": "success", "item-001": "success"}


def test_backfill_window_leaves_the_checkpoint_alone(parts):
    from datetime import datetime, timedelta, timezone

    from airflow_provider_kmrl.pipeline.models import Window

    catalog, _, _, engine = parts
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    entries = [(item(n, source_ts=t0 + timedelta(days=n)), _text(n)) for n in range(5)]

    class Windowed(ListSource):
        def list_items(self, checkpoint, window):
            return (i for i, _ in self.entries if window is None or window.contains(i.source_ts))

    checkpoint = MemoryCheckpoint({"next": 0})
    engine().run(Windowed("s", entries), checkpoint, Window(t0 + timedelta(days=1), t0 + timedelta(days=3)))
    assert sorted(_statuses(catalog)) == ["item-001", "item-002"]
    assert checkpoint.value == {"next": 0} and checkpoint.saves == 0
