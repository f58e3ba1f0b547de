"""Run one source through the pipeline in batches, with bounded concurrency and crash safety.

Crash points and why each is safe (tested by killing the process at each):

1. Before a batch is claimed: nothing written; the items are listed again next run.
2. After the claim, before objects are written: ``pending`` rows; the next run's resume step
   (or the same items listed again) finishes them.
3. After an object is written, before its row is completed: the row is still ``pending`` and the
   object key is derived from the row (id, claim date, name), so the retry rewrites the same key,
   or removes it when the retry records the document as a copy of an earlier object.
4. After the batch's rows commit, before the checkpoint is saved: the checkpoint lags; the
   ledger says the items are final and they are skipped.
5. After the checkpoint, before ``after_ingest`` (move/delete): the next run sees the item is
   final and applies ``after_ingest`` then.

Hostile input never stops the source: an item whose identity Postgres cannot store is escaped
(:mod:`airflow_provider_kmrl.names`), an item the source flags with ``problem`` is one
``rejected`` row, a claim the database refuses costs that item alone, and a failing
``after_ingest`` is logged and recorded on the document. Only infrastructure (scanner, store,
database) fails the run, and then without spending any document's retry budget.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from airflow_provider_kmrl.classification.classifier import default_classifier
from airflow_provider_kmrl.core.protocols import CheckpointStore, Classifier, DocumentSource, DocumentStore, Scanner
from airflow_provider_kmrl.core.types import ClassifyInput
from airflow_provider_kmrl.exceptions import ScannerUnavailable, StoreUnavailable
from airflow_provider_kmrl.names import storable
from airflow_provider_kmrl.pipeline.catalog import Catalog, LedgerRow, RunContext
from airflow_provider_kmrl.pipeline.detect import check_type
from airflow_provider_kmrl.pipeline.keys import document_id, object_key
from airflow_provider_kmrl.pipeline.models import (
    Outcome,
    RunSummary,
    ScanResult,
    ScanStatus,
    SourceItem,
    Status,
    Window,
)
from airflow_provider_kmrl.pipeline.settings import IngestSettings
from airflow_provider_kmrl.pipeline.spool import Spooled, SpoolFolder, spool_stream

log = logging.getLogger(__name__)
T = TypeVar("T")
_INFRASTRUCTURE_ERRORS = (ScannerUnavailable, StoreUnavailable)
_LOOKUP_PAGE = 1000  # listed items looked up in the ledger with one query
_STORED = frozenset({Status.SUCCESS, Status.DUPLICATE, Status.QUARANTINED})
_SCAN_ATTEMPTS = 3  # a transient scanner answer (load, memory) is asked again before quarantine
_MAX_CHECKPOINT_IN_SUMMARY = 2048  # bytes of JSON; a larger cursor stays in its Variable only


@dataclass(frozen=True)
class _Work:
    item: SourceItem  # as recorded (storable)
    doc_id: str
    ingested_at: datetime
    resumed: bool


class _Owner:
    """The document that stores one content in this run; others with that content wait for it."""

    def __init__(self, doc_id: str, uri: str, stored: bool) -> None:
        self.doc_id, self.uri = doc_id, uri
        self.done: Future[bool] = Future()
        if stored:
            self.done.set_result(True)


@dataclass
class _Run:
    """What one run of the engine keeps between batches (the engine itself holds no run state)."""

    source: DocumentSource
    pool: ThreadPoolExecutor
    spool: SpoolFolder
    summary: RunSummary
    owners: dict[str, _Owner] = field(default_factory=dict)
    originals: dict[str, SourceItem] = field(default_factory=dict)  # storable source_id -> as listed
    reopen_errors: dict[str, str] = field(default_factory=dict)  # source_id -> why reopen() raised

    def fetchable(self, item: SourceItem) -> SourceItem:
        """The item as the source listed it (before escaping), for the source's own calls."""
        return self.originals.get(item.source_id, item)


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
        self._owners_lock = threading.Lock()

    # -- the run ----------------------------------------------------------------------------

    def run(
        self, source: DocumentSource, checkpoints: CheckpointStore | None = None, window: Window | None = None
    ) -> RunSummary:
        """Ingest what the source offers; incremental from the checkpoint, or the ``window``."""
        with self._running(source, "ingest") as run:
            log.info("source=%s window=%s", source.name, window)
            self._resume(run)
            self._ingest_new(run, checkpoints, window)
        log.info("source=%s summary=%s", source.name, run.summary.as_dict(max_ids=0))
        return run.summary

    def retry(self, source: DocumentSource, rows: Sequence[LedgerRow]) -> RunSummary:
        """Fetch ``rows`` (failed documents) again from their source and run them through the pipeline."""
        with self._running(source, "retry") as run:
            self._reprocess_rows(run, rows, note=("reprocessed", {"action": "retry"}))
        return run.summary

    @contextlib.contextmanager
    def _running(self, source: DocumentSource, label: str) -> Iterator[_Run]:
        """Check the scanner and buckets, then lend a worker pool and a private spool folder."""
        version = self.scanner.ping()  # fail before touching anything when clamd is down
        log.info("source=%s %s with scanner %s", source.name, label, version)
        for bucket in (self.settings.raw_bucket, self.settings.quarantine_bucket):
            self.store.ensure_bucket(bucket)
        with (
            SpoolFolder.create(self.settings.spool_dir, f"{source.name}-{label}") as spool,
            ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix=f"kmrl-{label}") as pool,
        ):
            yield _Run(source, pool, spool, RunSummary(source.name))

    def _ingest_new(self, run: _Run, checkpoints: CheckpointStore | None, window: Window | None) -> None:
        source, summary = run.source, run.summary
        incremental = window is None and checkpoints is not None
        cursor = (_Cursor(checkpoints, summary, self.settings.checkpoint_seconds)
                  if incremental and checkpoints is not None else None)
        checkpoint = cursor.value if cursor else None
        complete = True
        listed = (self._recordable(run, i) for i in source.list_items(checkpoint, window))
        try:
            for batch, known in self._known_batches(source.name, listed):
                summary.listed += len(batch)
                finished = [i for i in batch
                            if (r := known.get(i.source_id)) and r.is_final(self.settings.max_retries)]
                summary.skipped_known += len(finished)
                finished_ids = {i.source_id for i in finished}
                todo = [i for i in batch if i.source_id not in finished_ids]
                self._process_batch(run, todo, known)
                for item in finished:  # finishes a move/delete a crash interrupted
                    if Status(known[item.source_id].status) in _STORED:
                        self._after_ingest(run, item, known[item.source_id].doc_id, record=False)
                if cursor is not None:
                    # A batch of known, final items is committed as a whole: no need to ask again.
                    committed = self._committed_prefix(source.name, batch) if todo else batch
                    cursor.advance(source, [run.fetchable(i) for i in committed])
                    complete = complete and len(committed) == len(batch)
            if cursor is not None and complete:
                # The whole listing is committed. A source may have scanned things that offered no
                # item (mail without attachments); an empty committed prefix lets it move past them.
                cursor.advance(source, [])
        finally:
            if cursor is not None:
                cursor.flush()  # only ever covers committed rows, so it is saved even on failure

    def _recordable(self, run: _Run, item: SourceItem) -> SourceItem:
        """The item with every string Postgres can store; the original is kept for the source."""
        fields = (item.source_id, item.file_name, item.sender, item.metadata, item.problem)
        safe = storable(list(fields))
        if safe == list(fields):
            return item
        recorded = dataclasses.replace(
            item, source_id=safe[0], file_name=safe[1], sender=safe[2], metadata=safe[3], problem=safe[4]
        )
        run.originals[recorded.source_id] = item
        log.warning("source=%s item %r has characters Postgres cannot store; recorded escaped",
                    run.source.name, recorded.source_id)
        return recorded

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

    def _resume(self, run: _Run) -> None:
        """Finish rows a crashed run left ``pending`` and retry ``failed`` ones below the ceiling."""
        rows = self.catalog.unfinished(run.source.name, self.settings.max_retries)
        if rows:
            log.info("source=%s resuming %d unfinished documents", run.source.name, len(rows))
        self._reprocess_rows(run, rows)

    def _reprocess_rows(self, run: _Run, rows: Sequence[LedgerRow], note=None) -> None:
        for chunk in _chunks(rows, self.settings.batch_size):
            items, gone = [], []
            for row in chunk:
                try:
                    item = run.source.reopen(row.source_id, row.file_name, row.source_metadata)
                except Exception as err:  # one row the source cannot look up is that row's failure
                    log.warning("source=%s cannot look up %s again: %s", run.source.name, row.source_id, err)
                    run.reopen_errors[row.source_id] = f"{type(err).__name__}: {err}"
                    item = SourceItem(row.source_id, row.file_name, metadata=row.source_metadata)
                if item is None:
                    gone.append(row)
                else:
                    items.append(self._recordable(run, item))
            self._process_batch(run, items, {r.source_id: r for r in chunk}, gone=gone, note=note)

    # -- one batch --------------------------------------------------------------------------

    def _process_batch(
        self,
        run: _Run,
        items: Sequence[SourceItem],
        known: dict[str, LedgerRow],
        gone: Sequence[LedgerRow] = (),
        note: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        if not items and not gone:
            return
        source = run.source
        ids = {i.source_id: document_id(source.name, i.source_id) for i in items}
        refused = self._claim(source.name, [(ids[i.source_id], i) for i in items if i.source_id not in known])
        all_ids = list(ids.values()) + [r.doc_id for r in gone]
        with self.catalog.locked_batch(all_ids, self.settings.max_retries) as lock:
            work = [
                _Work(i, ids[i.source_id], lock.locked[ids[i.source_id]][0], i.source_id in known)
                for i in items
                if ids[i.source_id] in lock.locked
            ]
            futures = [run.pool.submit(self._process_item, run, w) for w in work]
            outcomes, failure = [], None
            for w, future in zip(work, futures):
                try:
                    outcomes.append(future.result())
                except _INFRASTRUCTURE_ERRORS as err:
                    failure = failure or err
                    # Not the document's fault: no retry budget spent, resumed by the next run.
                    outcomes.append(self._failed(w, f"not processed: {err}", retry_increment=0))
                except Exception as err:  # one document's surprise must not abort the batch
                    log.exception("document %s failed", w.doc_id)
                    outcomes.append(self._failed(w, f"unexpected error: {type(err).__name__}: {err}"))
            outcomes += [self._vanished(run, r) for r in gone if r.doc_id in lock.locked]
            if note is not None:
                for outcome in outcomes:
                    outcome.events.insert(0, note)
            demoted = lock.complete(outcomes, self.context)
        self._forget_demoted(run, demoted)
        self._after_commit(run, outcomes)
        if refused:
            self._record_refused(run, refused)
        if failure is not None:
            raise failure

    def _claim(self, source_name: str, claims: list[tuple[str, SourceItem]]) -> list[tuple[str, SourceItem, str]]:
        """Claim rows; when the database refuses the batch, claim one by one and return the refused."""
        try:
            self.catalog.claim(source_name, claims)
            return []
        except Exception as batch_error:
            log.warning("source=%s batch claim refused (%s); claiming one by one", source_name, batch_error)
            refused = []
            for doc_id, item in claims:
                try:
                    self.catalog.claim(source_name, [(doc_id, item)])
                except Exception as err:  # this item's identity cannot be recorded as it is
                    refused.append((doc_id, item, f"{type(err).__name__}: {err}".strip()))
            if len(refused) == len(claims):
                raise  # every item refused: the database is the problem, not the items
            return refused

    def _record_refused(self, run: _Run, refused: list[tuple[str, SourceItem, str]]) -> None:
        """One ``rejected`` row per item whose own identity the database refused, under a safe identity."""
        for _doc_id, item, error in refused:
            digest = hashlib.sha256(repr(item.source_id).encode("utf-8", "backslashreplace")).hexdigest()
            substitute = SourceItem(
                source_id=f"unrecordable:{digest}", file_name=ascii(item.file_name)[1:-1][:200] or "document",
                source_ts=item.source_ts, metadata={"original_source_id": ascii(item.source_id)[:1000]},
                problem=f"the database refused this item's identity ({error[:300]})",
            )
            log.warning("source=%s item %s recorded under %s", run.source.name, ascii(item.source_id),
                        substitute.source_id)
            known = self.catalog.known(run.source.name, [substitute.source_id])
            if not known:
                self._process_batch(run, [substitute], {})

    def _forget_demoted(self, run: _Run, demoted: Iterable[Outcome]) -> None:
        """A document that lost a race to another run no longer owns its content in this run."""
        with self._owners_lock:
            for outcome in demoted:
                if outcome.checksum and outcome.duplicate_of and outcome.object_uri:
                    owner = _Owner(outcome.duplicate_of, outcome.object_uri, stored=True)
                    run.owners[outcome.checksum] = owner

    def _after_commit(self, run: _Run, outcomes: Iterable[Outcome]) -> None:
        summary = run.summary
        for outcome in outcomes:
            for uri in outcome.cleanup:
                self._delete_quietly(uri)
            summary.processed += 1
            summary.count(outcome.status)
            if outcome.status is Status.SUCCESS:
                summary.new_doc_ids.append(outcome.doc_id)
            if outcome.status in _STORED:  # only what is safely stored may leave the source
                self._after_ingest(run, outcome.item, outcome.doc_id, record=True)

    def _after_ingest(self, run: _Run, item: SourceItem, doc_id: str, record: bool) -> None:
        """Move or delete the item at the source; a failure is logged and noted on the document."""
        try:
            run.source.after_ingest(run.fetchable(item))
        except Exception as err:
            reason = f"{type(err).__name__}: {err}"
            log.warning("source=%s after_ingest failed for %s: %s", run.source.name, item.source_id, reason)
            run.summary.after_ingest_failures += 1
            if record:
                with contextlib.suppress(Exception):
                    self.catalog.add_events([(doc_id, "after_ingest_failed", {"reason": reason[:500]})],
                                            self.context)

    # -- one item ---------------------------------------------------------------------------

    def _process_item(self, run: _Run, work: _Work) -> Outcome:
        """Everything for one document except the database write; never raises for bad input."""
        item, s = work.item, self.settings
        problem = item.problem or item.metadata.get("not_fetched")  # e.g. a link to a web page
        if problem:
            return self._rejected(work, str(problem))
        if item.source_id in run.reopen_errors:
            return self._failed(work, f"cannot look the item up at the source: {run.reopen_errors[item.source_id]}")
        if item.size_hint is not None and item.size_hint > s.max_file_size:
            return self._rejected(work, f"file is {item.size_hint} bytes, over max_file_size ({s.max_file_size})")
        try:
            with run.source.open(run.fetchable(item)) as stream:
                spooled = spool_stream(stream, run.spool.path, s.max_file_size)
        except _INFRASTRUCTURE_ERRORS:
            raise
        except Exception as err:  # a document the source cannot deliver is recorded, not fatal
            log.warning("source item %s could not be fetched: %s", item.source_id, err)
            return self._failed(work, f"cannot fetch from source: {err}")
        try:
            return self._check_and_store(run, work, spooled)
        finally:
            spooled.discard()

    def _check_and_store(self, run: _Run, work: _Work, spooled: Spooled) -> Outcome:
        s = self.settings
        outcome = Outcome(work.doc_id, work.item, Status.PENDING, file_size=spooled.size, checksum=spooled.sha256)
        outcome.events.append(("fetched", {"size": spooled.size, "sha256": spooled.sha256}))
        if spooled.too_large:
            return self._rejected(work, f"file is over max_file_size ({s.max_file_size} bytes)", outcome)
        if spooled.size == 0:
            return self._rejected(work, "empty file", outcome)
        type_check = check_type(spooled.path, spooled.head, work.item.file_name, s.allowed_types,
                                allow_macros=s.allow_macros)
        outcome.mime_type = type_check.mime_type
        outcome.events.append(("type_checked", {"mime_type": type_check.mime_type, "allowed": type_check.allowed}))
        outcome.scan = self._scan(spooled.path)
        outcome.events.append(
            ("scanned", {"result": outcome.scan.status.value, "signature": outcome.scan.signature,
                         "detail": outcome.scan.detail})
        )
        if outcome.scan.status is ScanStatus.INFECTED:
            return self._quarantine(run, work, spooled, outcome, f"malware: {outcome.scan.signature}")
        if outcome.scan.status is not ScanStatus.CLEAN:
            return self._quarantine(run, work, spooled, outcome, f"not scanned: {outcome.scan.detail}")
        if not type_check.allowed:
            return self._quarantine(run, work, spooled, outcome, type_check.reason or "type not allowed")
        return self._store_clean(run, work, spooled, outcome)

    def _scan(self, path: str) -> ScanResult:
        """Scan, asking again when clamd's answer was transient (load, memory) rather than final."""
        result = self.scanner.scan_file(path)
        for attempt in range(1, _SCAN_ATTEMPTS):
            if result.status is not ScanStatus.UNSCANNED or not getattr(result, "transient", False):
                break
            time.sleep(0.5 * attempt)
            result = self.scanner.scan_file(path)
        return result

    def _store_clean(self, run: _Run, work: _Work, spooled: Spooled, outcome: Outcome) -> Outcome:
        key = object_key(run.source.name, work.ingested_at, work.doc_id, work.item.file_name)
        own_uri = self.store.uri(self.settings.raw_bucket, key)
        first = self._first_copy(run, spooled.sha256 or "", work.doc_id, own_uri)
        if first is not None:
            outcome.status, outcome.duplicate_of, outcome.object_uri = Status.DUPLICATE, first[0], first[1]
            outcome.reason = f"same content as {first[0]}"
            outcome.events.append(("duplicate", {"duplicate_of": first[0]}))
            if work.resumed:  # a crashed attempt may have stored its own copy already
                outcome.cleanup.append(own_uri)
        else:
            owner = run.owners[spooled.sha256 or ""]
            try:
                outcome.object_uri = self.store.put_file(self.settings.raw_bucket, key, spooled.path,
                                                         outcome.mime_type)
            except BaseException as err:
                with self._owners_lock:  # copies waiting on this one try again themselves
                    if run.owners.get(spooled.sha256 or "") is owner:
                        del run.owners[spooled.sha256 or ""]
                owner.done.set_exception(err)
                raise
            owner.done.set_result(True)
            outcome.status = Status.SUCCESS
            outcome.events.append(("stored", {"uri": outcome.object_uri}))
        if work.resumed:
            outcome.cleanup.append(self.store.uri(self.settings.quarantine_bucket, key))
        self._classify(work, spooled, outcome)
        return outcome

    def _first_copy(self, run: _Run, checksum: str, doc_id: str, own_uri: str) -> tuple[str, str] | None:
        """The stored original with this content, or ``None`` if this document becomes it.

        The database is asked outside the lock (holding it serialised every worker on one query);
        of two workers with the same new content, the first to register owns it and the others
        wait until its object is written: a copy never points at an object that failed to upload.
        """
        while True:
            with self._owners_lock:
                owner = run.owners.get(checksum)
            if owner is None:
                stored = self.catalog.originals([checksum], Status.SUCCESS).get(checksum)
                candidate = _Owner(*stored, stored=True) if stored else _Owner(doc_id, own_uri, stored=False)
                with self._owners_lock:
                    owner = run.owners.setdefault(checksum, candidate)
            if owner.doc_id == doc_id:
                return None
            try:
                owner.done.result()
            except BaseException:
                continue  # its upload failed and it gave up ownership: look again
            return owner.doc_id, owner.uri

    def _quarantine(self, run: _Run, work: _Work, spooled: Spooled, outcome: Outcome, reason: str) -> Outcome:
        key = object_key(run.source.name, work.ingested_at, work.doc_id, work.item.file_name)
        own_uri = self.store.uri(self.settings.quarantine_bucket, key)
        outcome.status, outcome.reason = Status.QUARANTINED, reason
        first = self.catalog.originals([spooled.sha256 or ""], Status.QUARANTINED).get(spooled.sha256 or "")
        if first is not None and first[0] != work.doc_id and self.store.size_of(*self.store.locate(first[1])):
            outcome.duplicate_of, outcome.object_uri = first
            outcome.events.append(("quarantined", {"uri": first[1], "reason": reason, "duplicate_of": first[0]}))
            if work.resumed:  # a killed attempt may have written its own quarantine copy
                outcome.cleanup.append(own_uri)
        else:
            outcome.object_uri = self.store.put_file(
                self.settings.quarantine_bucket, key, spooled.path, "application/octet-stream"
            )
            outcome.events.append(("quarantined", {"uri": outcome.object_uri, "reason": reason}))
        if work.resumed:
            outcome.cleanup.append(self.store.uri(self.settings.raw_bucket, key))
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

    def _failed(self, work: _Work, reason: str, retry_increment: int = 1) -> Outcome:
        outcome = Outcome(work.doc_id, work.item, Status.FAILED, reason=reason, retry_increment=retry_increment)
        outcome.events.append(("failed", {"reason": reason}))
        return outcome

    def _vanished(self, run: _Run, row: LedgerRow) -> Outcome:
        """A claimed item the source no longer has: failed for good, with any partial object removed."""
        item = SourceItem(row.source_id, row.file_name, metadata=row.source_metadata)
        reason = "item is no longer available at the source"
        outcome = Outcome(row.doc_id, item, Status.FAILED, reason=reason, retry_increment=self.settings.max_retries)
        outcome.events.append(("failed", {"reason": reason}))
        key = object_key(run.source.name, row.ingestion_ts, row.doc_id, row.file_name)
        outcome.cleanup += [self.store.uri(self.settings.raw_bucket, key),
                            self.store.uri(self.settings.quarantine_bucket, key)]
        return outcome

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


class _Cursor:
    """The source's checkpoint, advanced in one place and saved at most every few seconds.

    Saving less often than the cursor moves is safe (a lagging cursor costs a re-listing of known
    items, never a loss); saving a 100,000-path SFTP cursor after every batch was quadratic. The
    last value is always flushed when the run ends, also when it fails. A large cursor is kept out
    of the run summary, which goes to XCom and the task log; its size is reported instead.
    """

    def __init__(self, store: CheckpointStore, summary: RunSummary, interval: float) -> None:
        self.store, self.summary, self.interval = store, summary, interval
        self.value = store.load()
        self._saved = _dump(self.value)
        self._dirty = False
        self._last_save = time.monotonic()

    def advance(self, source: DocumentSource, committed: Sequence[SourceItem]) -> None:
        new = source.next_checkpoint(self.value, committed)
        if new is None or new is self.value:
            return
        self.value, self._dirty = new, True
        if time.monotonic() - self._last_save >= self.interval:
            self.flush()

    def flush(self) -> None:
        """Save the cursor if it changed since the last save (a Variable write is not free)."""
        if not self._dirty:
            return
        dumped = _dump(self.value)
        if dumped != self._saved:
            assert self.value is not None
            self.store.save(self.value)
            self._saved = dumped
        self._dirty = False
        self._last_save = time.monotonic()
        self.summary.checkpoint = (
            self.value if len(dumped) <= _MAX_CHECKPOINT_IN_SUMMARY
            else {"size_bytes": len(dumped), "kept_in": "checkpoint store"}
        )


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
