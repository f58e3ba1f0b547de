"""Run one source through the pipeline in batches, with bounded concurrency and crash safety.

Crash points and why each is safe (tested by killing the process at each):

1. Before a batch is claimed: nothing written; the items are listed again next run.
2. After the claim, before objects are written: ``pending`` rows; the next run's resume step
   (or the same items listed again) finishes them.
3. After an object is written, before its row is completed: the row is still ``pending`` and the
   object key is derived from the row (id, claim date, name), so the retry rewrites the same key.
4. After the batch's rows commit, before the checkpoint is saved: the checkpoint lags; the
   ledger says the items are final and they are skipped.
5. After the checkpoint, before ``after_ingest`` (move/delete): the next run sees the item is
   final and applies ``after_ingest`` then.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from airflow_provider_kmrl.classification.classifier import default_classifier
from airflow_provider_kmrl.exceptions import ScannerUnavailable, StoreUnavailable
from airflow_provider_kmrl.pipeline.catalog import Catalog, LedgerRow, RunContext
from airflow_provider_kmrl.pipeline.classify import Classifier, ClassifyInput
from airflow_provider_kmrl.pipeline.detect import check_type
from airflow_provider_kmrl.pipeline.keys import document_id, object_key
from airflow_provider_kmrl.pipeline.models import (
    Outcome,
    RunSummary,
    ScanStatus,
    SourceItem,
    Status,
    Window,
)
from airflow_provider_kmrl.pipeline.scan import Scanner
from airflow_provider_kmrl.pipeline.spool import Spooled, spool_stream
from airflow_provider_kmrl.pipeline.store import DocumentStore
from airflow_provider_kmrl.sources.base import DocumentSource

log = logging.getLogger(__name__)
T = TypeVar("T")
_INFRASTRUCTURE_ERRORS = (ScannerUnavailable, StoreUnavailable)
_LOOKUP_PAGE = 1000  # listed items looked up in the ledger with one query


class CheckpointStore(Protocol):
    """Where a source's cursor lives (an Airflow Variable in production)."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, value: dict[str, Any]) -> None: ...


@dataclass
class IngestSettings:
    raw_bucket: str = "kmrl-raw"
    quarantine_bucket: str = "kmrl-quarantine"
    max_file_size: int = 512 * 1024 * 1024
    batch_size: int = 100
    concurrency: int = 4
    max_retries: int = 3
    spool_dir: str = field(default_factory=lambda: os.path.join(tempfile.gettempdir(), "kmrl-spool"))
    allowed_types: dict[str, frozenset[str]] | None = None


@dataclass(frozen=True)
class _Work:
    item: SourceItem
    doc_id: str
    ingested_at: datetime
    resumed: bool


class IngestEngine:
    """Fetch, check, scan, store, record and classify every item a source offers, exactly once."""

    def __init__(
        self,
        catalog: Catalog,
        scanner: Scanner,
        store: DocumentStore,
        classifier: Classifier | None = None,
        settings: IngestSettings | None = None,
        context: RunContext | None = None,
    ) -> None:
        self.catalog = catalog
        self.scanner = scanner
        self.store = store
        self.classifier = classifier or default_classifier()
        self.settings = settings or IngestSettings()
        self.context = context or RunContext()
        self._owners: dict[str, tuple[str, str]] = {}
        self._owners_lock = threading.Lock()

    # -- the run ----------------------------------------------------------------------------

    def run(
        self, source: DocumentSource, checkpoints: CheckpointStore | None = None, window: Window | None = None
    ) -> RunSummary:
        """Ingest what the source offers; incremental from the checkpoint, or the ``window``."""
        with self._running(source, "ingest") as (pool, spool, summary):
            log.info("source=%s window=%s", source.name, window)
            self._resume(source, pool, spool, summary)
            self._ingest_new(source, checkpoints, window, pool, spool, summary)
        log.info("source=%s summary=%s", source.name, summary.as_dict(max_ids=0))
        return summary

    def retry(self, source: DocumentSource, rows: Sequence[LedgerRow]) -> RunSummary:
        """Fetch ``rows`` (failed documents) again from their source and run them through the pipeline."""
        with self._running(source, "retry") as (pool, spool, summary):
            self._reprocess_rows(source, rows, pool, spool, summary, note=("reprocessed", {"action": "retry"}))
        return summary

    @contextlib.contextmanager
    def _running(self, source: DocumentSource, label: str) -> Iterator[tuple[ThreadPoolExecutor, str, RunSummary]]:
        """Check the scanner and buckets, then lend a worker pool and a private spool folder."""
        version = self.scanner.ping()  # fail before touching anything when clamd is down
        log.info("source=%s %s with scanner %s", source.name, label, version)
        for bucket in (self.settings.raw_bucket, self.settings.quarantine_bucket):
            self.store.ensure_bucket(bucket)
        self._source = source
        spool = os.path.join(self.settings.spool_dir, f"{source.name}-{label}-{uuid.uuid4().hex[:8]}")
        try:
            with ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix=f"kmrl-{label}") as pool:
                yield pool, spool, RunSummary(source.name)
        finally:
            shutil.rmtree(spool, ignore_errors=True)

    def _ingest_new(self, source, checkpoints, window, pool, spool, summary) -> None:
        incremental = window is None and checkpoints is not None
        checkpoint = checkpoints.load() if incremental else None
        complete = True
        for batch, known in self._known_batches(source.name, source.list_items(checkpoint, window)):
            summary.listed += len(batch)
            finished = [i for i in batch if (r := known.get(i.source_id)) and r.is_final(self.settings.max_retries)]
            summary.skipped_known += len(finished)
            finished_ids = {i.source_id for i in finished}
            todo = [i for i in batch if i.source_id not in finished_ids]
            self._process_batch(source, todo, known, pool, spool, summary)
            for item in finished:
                source.after_ingest(item)  # finishes a move/delete a crash interrupted
            if incremental:
                # A batch of known, final items is committed as a whole: no need to ask again.
                committed = self._committed_prefix(source.name, batch) if todo else batch
                before = json.dumps(checkpoint, sort_keys=True, default=str)
                checkpoint = source.next_checkpoint(checkpoint, committed)
                if checkpoint is not None:
                    if json.dumps(checkpoint, sort_keys=True, default=str) != before:
                        checkpoints.save(checkpoint)  # an unchanged cursor is not rewritten (a Variable write)
                    summary.checkpoint = checkpoint
                complete = complete and len(committed) == len(batch)
        if incremental and complete:
            # The whole listing is committed. A source may have scanned things that offered no
            # item (mail without attachments); an empty committed prefix lets it move past them.
            before = json.dumps(checkpoint, sort_keys=True, default=str)
            final = source.next_checkpoint(checkpoint, [])
            if final is not None and json.dumps(final, sort_keys=True, default=str) != before:
                checkpoints.save(final)
                summary.checkpoint = final

    def _known_batches(
        self, source_name: str, items: Iterable[SourceItem]
    ) -> Iterator[tuple[list[SourceItem], dict[str, LedgerRow]]]:
        """Batches of listed items with their ledger rows, asking the ledger once per page of items.

        A batch with anything left to do is looked up again just before it is claimed, so its rows
        are current; a batch whose rows are all final (most of an incremental run) costs no query.
        """
        for page in _chunks(items, max(self.settings.batch_size, _LOOKUP_PAGE)):
            page_rows = self.catalog.known(source_name, [i.source_id for i in page])
            for batch in _chunks(page, self.settings.batch_size):
                rows = {i.source_id: page_rows[i.source_id] for i in batch if i.source_id in page_rows}
                if len(rows) < len(batch) or not all(r.is_final(self.settings.max_retries) for r in rows.values()):
                    rows = self.catalog.known(source_name, [i.source_id for i in batch])
                yield batch, rows

    def _committed_prefix(self, source_name: str, batch: Sequence[SourceItem]) -> list[SourceItem]:
        """The leading items whose rows are committed; the cursor may only cover those."""
        rows = self.catalog.known(source_name, [i.source_id for i in batch])
        prefix = []
        for item in batch:
            row = rows.get(item.source_id)
            if row is None or row.status == Status.PENDING.value:
                break
            prefix.append(item)
        return prefix

    def _resume(self, source: DocumentSource, pool, spool: str, summary: RunSummary) -> None:
        """Finish rows a crashed run left ``pending`` and retry ``failed`` ones below the ceiling."""
        rows = self.catalog.unfinished(source.name, self.settings.max_retries)
        if rows:
            log.info("source=%s resuming %d unfinished documents", source.name, len(rows))
        self._reprocess_rows(source, rows, pool, spool, summary)

    def _reprocess_rows(self, source, rows, pool, spool, summary, note=None) -> None:
        for chunk in _chunks(rows, self.settings.batch_size):
            items, gone = [], []
            for row in chunk:
                item = source.reopen(row.source_id, row.file_name, row.source_metadata)
                (items.append(item) if item else gone.append(row))
            self._process_batch(
                source, items, {r.source_id: r for r in chunk}, pool, spool, summary, gone=gone, note=note
            )

    # -- one batch --------------------------------------------------------------------------

    def _process_batch(
        self,
        source: DocumentSource,
        items: Sequence[SourceItem],
        known: dict[str, LedgerRow],
        pool: ThreadPoolExecutor,
        spool: str,
        summary: RunSummary,
        gone: Sequence[LedgerRow] = (),
        note: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        if not items and not gone:
            return
        ids = {i.source_id: document_id(source.name, i.source_id) for i in items}
        self.catalog.claim(source.name, [(ids[i.source_id], i) for i in items if i.source_id not in known])
        all_ids = list(ids.values()) + [r.doc_id for r in gone]
        with self.catalog.locked_batch(all_ids, self.settings.max_retries) as lock:
            work = [
                _Work(i, ids[i.source_id], lock.locked[ids[i.source_id]][0], i.source_id in known)
                for i in items
                if ids[i.source_id] in lock.locked
            ]
            futures = [pool.submit(self._process_item, w, spool) for w in work]
            outcomes, failure = [], None
            for w, future in zip(work, futures):
                try:
                    outcomes.append(future.result())
                except _INFRASTRUCTURE_ERRORS as err:
                    failure = failure or err
                    outcomes.append(self._failed(w, f"not processed: {err}"))
                except Exception as err:  # one document's surprise must not abort the batch
                    log.exception("document %s failed", w.doc_id)
                    outcomes.append(self._failed(w, f"unexpected error: {type(err).__name__}: {err}"))
            outcomes += [self._vanished(r) for r in gone if r.doc_id in lock.locked]
            if note is not None:
                for outcome in outcomes:
                    outcome.events.insert(0, note)
            lock.complete(outcomes, self.context)
        self._after_commit(source, outcomes, summary)
        if failure is not None:
            raise failure

    def _after_commit(self, source: DocumentSource, outcomes: Iterable[Outcome], summary: RunSummary) -> None:
        for outcome in outcomes:
            for uri in outcome.cleanup:
                self._delete_quietly(uri)
            summary.processed += 1
            summary.count(outcome.status)
            if outcome.status is Status.SUCCESS:
                summary.new_doc_ids.append(outcome.doc_id)
            if outcome.status is not Status.FAILED:
                source.after_ingest(outcome.item)

    # -- one item ---------------------------------------------------------------------------

    def _process_item(self, work: _Work, spool_dir: str) -> Outcome:
        """Everything for one document except the database write; never raises for bad input."""
        item, s = work.item, self.settings
        if item.metadata.get("not_fetched"):  # e.g. a link to a web page: recorded, never downloaded
            return self._rejected(work, str(item.metadata["not_fetched"]))
        if item.size_hint is not None and item.size_hint > s.max_file_size:
            return self._rejected(work, f"file is {item.size_hint} bytes, over max_file_size ({s.max_file_size})")
        try:
            with self._source.open(item) as stream:
                spooled = spool_stream(stream, spool_dir, s.max_file_size)
        except _INFRASTRUCTURE_ERRORS:
            raise
        except Exception as err:  # a document the source cannot deliver is recorded, not fatal
            log.warning("source item %s could not be fetched: %s", item.source_id, err)
            return self._failed(work, f"cannot fetch from source: {err}")
        try:
            return self._check_and_store(work, spooled)
        finally:
            spooled.discard()

    def _check_and_store(self, work: _Work, spooled: Spooled) -> Outcome:
        s = self.settings
        outcome = Outcome(work.doc_id, work.item, Status.PENDING, file_size=spooled.size, checksum=spooled.sha256)
        outcome.events.append(("fetched", {"size": spooled.size, "sha256": spooled.sha256}))
        if spooled.too_large:
            return self._rejected(work, f"file is over max_file_size ({s.max_file_size} bytes)", outcome)
        if spooled.size == 0:
            return self._rejected(work, "empty file", outcome)
        type_check = check_type(spooled.path, spooled.head, work.item.file_name, s.allowed_types)
        outcome.mime_type = type_check.mime_type
        outcome.events.append(("type_checked", {"mime_type": type_check.mime_type, "allowed": type_check.allowed}))
        outcome.scan = self.scanner.scan_file(spooled.path)
        outcome.events.append(
            ("scanned", {"result": outcome.scan.status.value, "signature": outcome.scan.signature,
                         "detail": outcome.scan.detail})
        )
        if outcome.scan.status is ScanStatus.INFECTED:
            return self._quarantine(work, spooled, outcome, f"malware: {outcome.scan.signature}")
        if outcome.scan.status is not ScanStatus.CLEAN:
            return self._quarantine(work, spooled, outcome, f"not scanned: {outcome.scan.detail}")
        if not type_check.allowed:
            return self._quarantine(work, spooled, outcome, type_check.reason or "type not allowed")
        return self._store_clean(work, spooled, outcome)

    def _store_clean(self, work: _Work, spooled: Spooled, outcome: Outcome) -> Outcome:
        key = self._key(work.doc_id, work.ingested_at, work.item.file_name)
        own_uri = self.store.uri(self.settings.raw_bucket, key)
        first = self._first_copy(spooled.sha256 or "", work.doc_id, own_uri)
        if first is not None:
            outcome.status, outcome.duplicate_of, outcome.object_uri = Status.DUPLICATE, first[0], first[1]
            outcome.reason = f"same content as {first[0]}"
            outcome.events.append(("duplicate", {"duplicate_of": first[0]}))
            if work.resumed:  # a crashed attempt may have stored its own copy already
                outcome.cleanup.append(self._uri(self.settings.raw_bucket, key))
        else:
            outcome.object_uri = self.store.put_file(self.settings.raw_bucket, key, spooled.path, outcome.mime_type)
            outcome.status = Status.SUCCESS
            outcome.events.append(("stored", {"uri": outcome.object_uri}))
        if work.resumed:
            outcome.cleanup.append(self._uri(self.settings.quarantine_bucket, key))
        self._classify(work, spooled, outcome)
        return outcome

    def _first_copy(self, checksum: str, doc_id: str, own_uri: str) -> tuple[str, str] | None:
        """The stored original with this content, or ``None`` if this document becomes it.

        The database is asked outside the lock (holding it serialised every worker on one query);
        of two workers with the same new content, the first to record itself owns it.
        """
        with self._owners_lock:
            owner = self._owners.get(checksum)
        if owner is None:
            stored = self.catalog.originals([checksum], Status.SUCCESS).get(checksum)
            with self._owners_lock:
                owner = self._owners.setdefault(checksum, stored or (doc_id, own_uri))
        return None if owner[0] == doc_id else owner

    def _quarantine(self, work: _Work, spooled: Spooled, outcome: Outcome, reason: str) -> Outcome:
        key = self._key(work.doc_id, work.ingested_at, work.item.file_name)
        outcome.status, outcome.reason = Status.QUARANTINED, reason
        first = self.catalog.originals([spooled.sha256 or ""], Status.QUARANTINED).get(spooled.sha256 or "")
        if first is not None and first[0] != work.doc_id:
            outcome.duplicate_of, outcome.object_uri = first
            outcome.events.append(("quarantined", {"uri": first[1], "reason": reason, "duplicate_of": first[0]}))
        else:
            outcome.object_uri = self.store.put_file(
                self.settings.quarantine_bucket, key, spooled.path, "application/octet-stream"
            )
            outcome.events.append(("quarantined", {"uri": outcome.object_uri, "reason": reason}))
        if work.resumed:
            outcome.cleanup.append(self._uri(self.settings.raw_bucket, key))
        return outcome

    def _classify(self, work: _Work, spooled: Spooled, outcome: Outcome) -> None:
        try:
            outcome.classification = self.classifier.classify(
                ClassifyInput(spooled.path, outcome.mime_type or "", work.item.file_name,
                              {**work.item.metadata, **({"sender": work.item.sender} if work.item.sender else {})})
            )
        except Exception as err:  # classification is advisory: a crash here must not lose the document
            log.warning("classifier failed on %s: %s", work.doc_id, err)
            return
        c = outcome.classification
        fallback = work.item.metadata.get("default_department")
        if fallback and c.department == "unknown":  # the source knows better than an unsure classifier
            c = outcome.classification = dataclasses.replace(c, department=str(fallback))
        outcome.events.append(
            ("classified", {"department": c.department, "doc_category": c.doc_category, "language": c.language,
                            "confidence": c.confidence, "classifier_version": c.classifier_version})
        )

    # -- terminal outcomes ------------------------------------------------------------------

    def _rejected(self, work: _Work, reason: str, outcome: Outcome | None = None) -> Outcome:
        outcome = outcome or Outcome(work.doc_id, work.item, Status.PENDING)
        outcome.status, outcome.reason = Status.REJECTED, reason
        outcome.events.append(("rejected", {"reason": reason}))
        return outcome

    def _failed(self, work: _Work, reason: str) -> Outcome:
        outcome = Outcome(work.doc_id, work.item, Status.FAILED, reason=reason, retry_increment=1)
        outcome.events.append(("failed", {"reason": reason}))
        return outcome

    def _vanished(self, row: LedgerRow) -> Outcome:
        """A claimed item the source no longer has: failed for good, with any partial object removed."""
        item = SourceItem(row.source_id, row.file_name, metadata=row.source_metadata)
        reason = "item is no longer available at the source"
        outcome = Outcome(row.doc_id, item, Status.FAILED, reason=reason, retry_increment=self.settings.max_retries)
        outcome.events.append(("failed", {"reason": reason}))
        key = self._key(row.doc_id, row.ingestion_ts, row.file_name)
        outcome.cleanup += [self._uri(self.settings.raw_bucket, key), self._uri(self.settings.quarantine_bucket, key)]
        return outcome

    def _key(self, doc_id: str, ingested_at: datetime, file_name: str) -> str:
        return object_key(self._source.name, ingested_at, doc_id, file_name)

    def _uri(self, bucket: str, key: str) -> str:
        return self.store.uri(bucket, key)

    def _delete_quietly(self, uri: str) -> None:
        try:
            self.store.delete(*self.store.locate(uri))
        except Exception as err:
            log.warning("could not remove %s: %s", uri, err)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
