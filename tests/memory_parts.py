"""In-memory ledger, scanner and store with the semantics of the real ones, for scenario tests.

The real-server suites prove the parts; these pin the engine's batching, cursor and failure rules
in milliseconds, with every outcome visible. They implement the same protocols the engine is
given in production (the Postgres catalog, clamd, an object store); nothing of the engine is
replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from airflow_provider_kmrl.exceptions import ScannerUnavailable, StoreUnavailable
from airflow_provider_kmrl.hooks.stores import StoredObject
from airflow_provider_kmrl.pipeline.catalog import LedgerRow, RunContext
from airflow_provider_kmrl.pipeline.models import Outcome, ScanResult, ScanStatus, SourceItem, Status


@dataclass
class Row:
    doc_id: str
    source_system: str
    source_id: str
    file_name: str
    status: str = "pending"
    retry_count: int = 0
    ingestion_ts: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    source_metadata: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    checksum: str | None = None
    object_uri: str | None = None
    duplicate_of: str | None = None
    scan_status: str | None = None
    events: list[str] = field(default_factory=list)

    def ledger(self) -> LedgerRow:
        return LedgerRow(self.doc_id, self.source_id, self.status, self.retry_count, self.ingestion_ts,
                         self.file_name, self.source_metadata)


class MemoryCatalog:
    """The ``documents`` table and its rules: one row per identity, claims, row locks, the success guard."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.lock = threading.Lock()
        self.claims = 0

    def by_source_id(self, source: str) -> dict[str, Row]:
        return {r.source_id: r for r in self.rows.values() if r.source_system == source}

    def known(self, source_system: str, source_ids: Sequence[str]) -> dict[str, LedgerRow]:
        wanted = set(source_ids)
        return {r.source_id: r.ledger() for r in self.rows.values()
                if r.source_system == source_system and r.source_id in wanted}

    def unfinished(self, source_system: str, max_retries: int, limit: int = 10_000) -> list[LedgerRow]:
        return [r.ledger() for r in self.rows.values() if r.source_system == source_system
                and (r.status == "pending" or (r.status == "failed" and r.retry_count < max_retries))][:limit]

    def originals(self, checksums, status: Status) -> dict[str, tuple[str, str]]:
        found = {}
        for r in self.rows.values():
            if r.checksum in checksums and r.status == status.value and r.duplicate_of is None and r.object_uri:
                found.setdefault(r.checksum, (r.doc_id, r.object_uri))
        return found

    def claim(self, source_system: str, claims: Sequence[tuple[str, SourceItem]]) -> None:
        for _doc_id, item in claims:
            if "\x00" in item.source_id:
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        self.claims += 1
        with self.lock:
            for doc_id, item in claims:
                if not any(r.source_system == source_system and r.source_id == item.source_id
                           for r in self.rows.values()):
                    self.rows[doc_id] = Row(doc_id, source_system, item.source_id, item.file_name,
                                            source_metadata=dict(item.metadata))

    @contextlib.contextmanager
    def locked_batch(self, doc_ids: Sequence[str], max_retries: int) -> Iterator[MemoryBatch]:
        locked = {d: (self.rows[d].ingestion_ts, self.rows[d].retry_count) for d in doc_ids
                  if d in self.rows and (self.rows[d].status == "pending"
                                         or (self.rows[d].status == "failed"
                                             and self.rows[d].retry_count < max_retries))}
        yield MemoryBatch(self, locked)

    def add_events(self, events, ctx: RunContext) -> None:
        for doc_id, name, _details in events:
            self.rows[doc_id].events.append(name)


class MemoryBatch:
    def __init__(self, catalog: MemoryCatalog, locked) -> None:
        self.catalog, self.locked = catalog, locked

    def complete(self, outcomes: Sequence[Outcome], ctx: RunContext) -> list[Outcome]:
        for o in outcomes:
            if o.status is Status.SUCCESS and not (o.scan and o.scan.status is ScanStatus.CLEAN):
                raise AssertionError("success without a clean scan")  # the database's CHECK
        for o in outcomes:
            row = self.catalog.rows[o.doc_id]
            row.status, row.reason, row.checksum = o.status.value, o.reason, o.checksum
            row.object_uri, row.duplicate_of = o.object_uri, o.duplicate_of
            row.scan_status = o.scan.status.value if o.scan else None
            row.retry_count += o.retry_increment
            row.events += [name for name, _ in o.events]
        return []


class MemoryScanner:
    """clamd's answers: ``infected`` contents are malware; ``down`` makes it unreachable."""

    def __init__(self, infected: set[bytes] | None = None) -> None:
        self.infected = infected or set()
        self.down = False
        self.scans = 0

    def ping(self) -> str:
        if self.down:
            raise ScannerUnavailable("cannot reach clamd at memory: down")
        return "ClamAV memory"

    def scan_file(self, path: str) -> ScanResult:
        if self.down:
            raise ScannerUnavailable("clamd at memory failed: down")
        self.scans += 1
        with open(path, "rb") as fh:
            data = fh.read()
        if data in self.infected:
            return ScanResult(ScanStatus.INFECTED, "Test.Signature")
        return ScanResult(ScanStatus.CLEAN)


class MemoryStore:
    """Buckets of objects in a dict; ``fail_keys`` refuse their upload as a broken store would."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}
        self.fail_keys: set[str] = set()

    def ensure_bucket(self, bucket: str) -> None:
        pass

    def put_file(self, bucket: str, key: str, path: str, content_type: str | None = None) -> str:
        if any(key.endswith(k) for k in self.fail_keys):
            raise StoreUnavailable(f"cannot upload mem://{bucket}/{key}: refused")
        with open(path, "rb") as fh:
            self.objects[(bucket, key)] = fh.read()
        return self.uri(bucket, key)

    def size_of(self, bucket: str, key: str) -> int | None:
        data = self.objects.get((bucket, key))
        return None if data is None else len(data)

    def delete(self, bucket: str, key: str) -> None:
        self.objects.pop((bucket, key), None)

    def move(self, bucket, key, to_bucket, to_key) -> str:
        self.objects[(to_bucket, to_key)] = self.objects.pop((bucket, key))
        return self.uri(to_bucket, to_key)

    def download(self, bucket: str, key: str, path: str) -> None:
        with open(path, "wb") as out:
            shutil.copyfileobj(io.BytesIO(self.objects[(bucket, key)]), out)

    def list_objects(self, bucket: str, prefix: str = "") -> Iterator[StoredObject]:
        for (b, k), data in sorted(self.objects.items()):
            if b == bucket and k.startswith(prefix):
                yield StoredObject(b, k, len(data))

    def sha256_of(self, bucket: str, key: str) -> str:
        return hashlib.sha256(self.objects[(bucket, key)]).hexdigest()

    def uri(self, bucket: str, key: str) -> str:
        return f"mem://{bucket}/{key}"

    def locate(self, uri: str) -> tuple[str, str]:
        bucket, _, key = uri[len("mem://"):].partition("/")
        return bucket, key


class ListSource:
    """A source over a list of (item, bytes); the cursor is the index of the committed prefix."""

    def __init__(self, name: str, entries: list[tuple[SourceItem, bytes | Exception]]) -> None:
        self.name = name
        self.entries = entries
        self.moved: list[str] = []

    def list_items(self, checkpoint, window):
        start = (checkpoint or {}).get("next", 0)
        for item, _ in self.entries[start:]:
            yield item

    def open(self, item: SourceItem):
        payload = dict((i.source_id, p) for i, p in self.entries)[item.source_id]
        if isinstance(payload, Exception):
            raise payload
        return contextlib.closing(io.BytesIO(payload))

    def reopen(self, source_id, file_name, metadata):
        return next((i for i, _ in self.entries if i.source_id == source_id), None)

    def next_checkpoint(self, checkpoint, committed):
        if not committed:
            return checkpoint
        ids = [i.source_id for i, _ in self.entries]
        return {"next": max(ids.index(i.source_id) for i in committed) + 1}

    def after_ingest(self, item: SourceItem) -> None:
        self.moved.append(item.source_id)

    def close(self) -> None:
        pass


def item(n: int, **kw: Any) -> SourceItem:
    return replace(SourceItem(f"item-{n:03d}", f"doc-{n:03d}.txt"), **kw)
