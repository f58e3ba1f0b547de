"""The ``documents`` ledger in Postgres: migrations, claims, completion and events.

A batch is claimed (committed ``pending`` rows) before any object is written, locked for the
time it is processed (``FOR UPDATE SKIP LOCKED``, so an overlapping run leaves it alone) and
completed in one transaction together with its events.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg2
import psycopg2.extras

from airflow_provider_kmrl.pipeline.models import Outcome, SourceItem, Status
from airflow_provider_kmrl.pipeline.pool import ConnectionPool

log = logging.getLogger(__name__)

FINAL_STATUSES = frozenset({"success", "quarantined", "rejected", "duplicate", "deleted"})
_MIGRATION_LOCK = 7_240_001  # pg_advisory_lock key shared by every process that migrates
_MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def sql_dir() -> str:
    """``include/sql`` in a checkout, or the copy packaged inside the wheel."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for candidate in (os.path.join(here, "sql"), os.path.join(os.path.dirname(here), "include", "sql")):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError("include/sql not found next to the package")


@dataclass(frozen=True)
class LedgerRow:
    """What the ledger already knows about one source item."""

    doc_id: str
    source_id: str
    status: str
    retry_count: int
    ingestion_ts: datetime
    file_name: str
    source_metadata: dict[str, Any]

    def is_final(self, max_retries: int) -> bool:
        return self.status in FINAL_STATUSES or (self.status == "failed" and self.retry_count >= max_retries)


@dataclass(frozen=True)
class RunContext:
    """Who is writing: recorded with every event."""

    dag_id: str | None = None
    run_id: str | None = None
    task_id: str | None = None


class Catalog:
    """Postgres access for the pipeline, over a small thread-safe pool of kept connections."""

    def __init__(self, dsn: str, max_connections: int = 8) -> None:
        self.dsn = dsn
        self._pool = ConnectionPool(dsn, max_connections)

    def close(self) -> None:
        self._pool.closeall()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg2.extensions.connection]:
        conn = self._pool.getconn()
        try:
            yield conn
        except BaseException:
            if not conn.closed:
                conn.rollback()
            raise
        finally:
            self._pool.putconn(conn, close=bool(conn.closed))

    @contextlib.contextmanager
    def _reading(self) -> Iterator[psycopg2.extensions.cursor]:
        """A cursor for one read-only statement, in autocommit: one round trip, not BEGIN/query/ROLLBACK.

        The dedupe lookup runs once per document; under CPU contention every extra round trip costs
        a scheduling delay on each side.
        """
        with self.connection() as conn:
            conn.autocommit = True
            try:
                with conn.cursor() as cur:
                    yield cur
            finally:
                if not conn.closed:
                    conn.autocommit = False

    # -- schema -----------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply numbered ``include/sql`` files not yet applied; safe when many tasks start at once."""
        applied: list[str] = []
        with self.connection() as conn:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
                try:
                    cur.execute(
                        "CREATE TABLE IF NOT EXISTS kmrl_schema_migrations ("
                        " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
                        " applied_at timestamptz NOT NULL DEFAULT now())"
                    )
                    cur.execute("SELECT version FROM kmrl_schema_migrations")
                    done = {row[0] for row in cur.fetchall()}
                    for version, name, sql in _migration_files():
                        if version in done:
                            continue
                        conn.autocommit = False
                        cur.execute(sql)
                        cur.execute(
                            "INSERT INTO kmrl_schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                            (version, name, hashlib.sha256(sql.encode()).hexdigest()),
                        )
                        conn.commit()
                        conn.autocommit = True
                        applied.append(f"{version:04d}_{name}")
                finally:
                    conn.rollback()
                    conn.autocommit = True
                    cur.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
            conn.autocommit = False
        for name in applied:
            log.info("Applied migration %s", name)
        return applied

    # -- reading ----------------------------------------------------------------------------

    def known(self, source_system: str, source_ids: Sequence[str]) -> dict[str, LedgerRow]:
        """Rows already recorded for these source ids (one query per call)."""
        if not source_ids:
            return {}
        with self._reading() as cur:
            cur.execute(
                "SELECT id::text, source_id, status, retry_count, ingestion_ts, file_name, source_metadata"
                " FROM documents WHERE source_system = %s AND source_id = ANY(%s)",
                (source_system, list(source_ids)),
            )
            rows = {r[1]: LedgerRow(*r) for r in cur.fetchall()}
        return rows

    def unfinished(self, source_system: str, max_retries: int, limit: int = 10_000) -> list[LedgerRow]:
        """Claimed-but-unfinished and retryable failed rows of a source: the resume set."""
        with self._reading() as cur:
            cur.execute(
                "SELECT id::text, source_id, status, retry_count, ingestion_ts, file_name, source_metadata"
                " FROM documents WHERE source_system = %s"
                " AND (status = 'pending' OR (status = 'failed' AND retry_count < %s))"
                " ORDER BY ingestion_ts, id LIMIT %s",
                (source_system, max_retries, limit),
            )
            rows = [LedgerRow(*r) for r in cur.fetchall()]
        return rows

    def originals(self, checksums: Iterable[str], status: Status) -> dict[str, tuple[str, str]]:
        """checksum -> (doc id, object uri) of the first stored copy with ``status``."""
        wanted = sorted(set(checksums))
        if not wanted:
            return {}
        with self._reading() as cur:
            cur.execute(
                "SELECT DISTINCT ON (checksum) checksum, id::text, object_uri FROM documents"
                # checksum is char(64): a text[] parameter would cast the column and scan every row
                " WHERE checksum = ANY(%s::bpchar[]) AND status = %s"
                " AND duplicate_of IS NULL AND object_uri IS NOT NULL ORDER BY checksum, ingestion_ts, id",
                (wanted, status.value),
            )
            found = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
        return found

    # -- writing ----------------------------------------------------------------------------

    def add_events(self, events: Sequence[tuple[str, str, dict[str, Any]]], ctx: RunContext) -> None:
        """Append ``(doc id, event, details)`` rows to the trail in one transaction."""
        if not events:
            return
        with self.connection() as conn, conn.cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details) VALUES %s",
                [(doc_id, name, ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json(details))
                 for doc_id, name, details in events],
                template="(%s::uuid, %s, %s, %s, %s, %s)",
            )
            conn.commit()

    def unannounced(self, source_system: str | None = None, limit: int = 100_000) -> dict[str, list[str]]:
        """source -> ids of ``success`` documents no Asset event has announced yet (any run's)."""
        with self._reading() as cur:
            cur.execute(
                "SELECT source_system, id::text FROM documents WHERE status = 'success' AND announced_at IS NULL"
                + (" AND source_system = %s" if source_system else "")
                + " ORDER BY source_system, ingestion_ts, id LIMIT %s",
                ((source_system, limit) if source_system else (limit,)),
            )
            found: dict[str, list[str]] = {}
            for source, doc_id in cur.fetchall():
                found.setdefault(source, []).append(doc_id)
            return found

    def mark_announced(self, doc_ids: Sequence[str], ctx: RunContext) -> None:
        """Record that ``doc_ids`` were announced by this run (one event each, for lineage)."""
        if not doc_ids:
            return
        with self.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "UPDATE documents SET announced_at = now() WHERE id = ANY(%s::uuid[]) AND announced_at IS NULL",
                (list(doc_ids),),
            )
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details) VALUES %s",
                [(d, "announced", ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json({}))
                 for d in doc_ids],
                template="(%s::uuid, %s, %s, %s, %s, %s)",
                page_size=1000,
            )
            conn.commit()

    def claim(self, source_system: str, claims: Sequence[tuple[str, SourceItem]]) -> None:
        """Insert ``pending`` rows (committed at once) so every later object has its row first."""
        if not claims:
            return
        values = [
            (
                doc_id, source_system, item.source_id, item.file_name, item.source_ts, item.sender,
                psycopg2.extras.Json(item.metadata),
            )
            for doc_id, item in claims
        ]
        with self.connection() as conn, conn.cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO documents (id, source_system, source_id, file_name, source_ts, sender,"
                " source_metadata, status) VALUES %s ON CONFLICT (source_system, source_id) DO NOTHING",
                values,
                template="(%s, %s, %s, %s, %s, %s, %s, 'pending')",
                page_size=1000,
            )
            conn.commit()

    @contextlib.contextmanager
    def locked_batch(self, doc_ids: Sequence[str], max_retries: int) -> Iterator[BatchLock]:
        """Lock the batch's unfinished rows for this run; rows another run holds are skipped."""
        with self.connection() as conn:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT id::text, ingestion_ts, retry_count FROM documents WHERE id = ANY(%s::uuid[])"
                    " AND (status = 'pending' OR (status = 'failed' AND retry_count < %s))"
                    " FOR UPDATE SKIP LOCKED",
                    (list(doc_ids), max_retries),
                )
                locked = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
            lock = BatchLock(conn, locked)
            try:
                yield lock
            finally:
                conn.rollback()  # no-op after a commit; releases locks if the batch failed


class BatchLock:
    """An open transaction holding row locks on the documents being processed."""

    def __init__(self, conn: psycopg2.extensions.connection, locked: dict[str, tuple[datetime, int]]) -> None:
        self.conn = conn
        self.locked = locked

    def complete(self, outcomes: Sequence[Outcome], ctx: RunContext) -> list[Outcome]:
        """Write outcomes and their events in this transaction and commit.

        Under an advisory lock per checksum, a document that was about to become the stored
        original is turned into a duplicate if another run stored the same content meanwhile.
        Returns the outcomes whose status changed that way (their own objects must be removed).
        """
        demoted = self._settle_races(outcomes)
        with self.conn.cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "UPDATE documents d SET status = v.status, rejection_reason = v.reason,"
                " object_uri = v.object_uri, file_ext = v.file_ext, mime_type = v.mime_type,"
                " file_size = v.file_size, checksum = v.checksum, scan_status = v.scan_status,"
                " scan_signature = v.scan_signature, duplicate_of = v.duplicate_of::uuid,"
                " department = v.department, doc_category = v.doc_category, language = v.language,"
                " classifier_version = v.classifier_version, retry_count = d.retry_count + v.retry_inc,"
                " updated_at = now()"
                " FROM (VALUES %s) AS v(id, status, reason, object_uri, file_ext, mime_type, file_size,"
                " checksum, scan_status, scan_signature, duplicate_of, department, doc_category, language,"
                " classifier_version, retry_inc) WHERE d.id = v.id::uuid",
                [_row_values(o) for o in outcomes],
                template="(%s, %s, %s, %s, %s, %s, %s::bigint, %s, %s, %s, %s, %s, %s, %s, %s, %s::int)",
                page_size=1000,
            )
            events = [
                (o.doc_id, name, ctx.dag_id, ctx.run_id, ctx.task_id, psycopg2.extras.Json(details))
                for o in outcomes
                for name, details in o.events
            ]
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO document_events (document_id, event, dag_id, run_id, task_id, details) VALUES %s",
                events,
                template="(%s::uuid, %s, %s, %s, %s, %s)",
                page_size=1000,
            )
        self.conn.commit()
        return demoted

    def _settle_races(self, outcomes: Sequence[Outcome]) -> list[Outcome]:
        originals = {o.checksum: o for o in outcomes if o.status is Status.SUCCESS and o.checksum}
        if not originals:
            return []
        with self.conn.cursor() as cur:
            # One statement, locks taken in sorted order (no deadlock between runs); a statement per
            # checksum made the batch's commit one round trip per document.
            cur.execute(
                "SELECT count(pg_advisory_xact_lock(hashtextextended(c, 7240)))"
                " FROM unnest(%s::text[]) AS c",
                (sorted(originals),),
            )
            cur.execute(
                "SELECT DISTINCT ON (checksum) checksum, id::text, object_uri FROM documents"
                " WHERE checksum = ANY(%s::bpchar[]) AND status = 'success' AND NOT (id = ANY(%s::uuid[]))"
                " ORDER BY checksum, ingestion_ts, id",
                (sorted(originals), [o.doc_id for o in originals.values()]),
            )
            earlier = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
        demoted = []
        for checksum, (first_id, first_uri) in earlier.items():
            outcome = originals[checksum]
            if outcome.object_uri:
                outcome.cleanup.append(outcome.object_uri)  # its own copy, written before the race was seen
            lost_id = outcome.doc_id
            outcome.status, outcome.duplicate_of, outcome.object_uri = Status.DUPLICATE, first_id, first_uri
            outcome.reason = f"same content as {first_id}"
            outcome.events.append(("duplicate", {"duplicate_of": first_id, "late": True}))
            demoted.append(outcome)
            for copy in outcomes:  # its copies in this batch now point at the original that won
                if copy.duplicate_of == lost_id and copy.status is Status.DUPLICATE:
                    copy.duplicate_of, copy.object_uri = first_id, first_uri
                    copy.reason = f"same content as {first_id}"
                    copy.events.append(("duplicate", {"duplicate_of": first_id, "late": True}))
        return demoted


def _row_values(o: Outcome) -> tuple:
    from airflow_provider_kmrl.pipeline.keys import file_extension

    c = o.classification
    return (
        o.doc_id, o.status.value, o.reason, o.object_uri, file_extension(o.item.file_name), o.mime_type,
        o.file_size, o.checksum, o.scan.status.value if o.scan else None, o.scan.signature if o.scan else None,
        o.duplicate_of, c.department if c else "unknown", c.doc_category if c else "other",
        c.language if c else "unknown", c.classifier_version if c else None, o.retry_increment,
    )


def _migration_files() -> list[tuple[int, str, str]]:
    folder = sql_dir()
    found = []
    for name in sorted(os.listdir(folder)):
        match = _MIGRATION_FILE.match(name)
        if match:
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                found.append((int(match.group(1)), match.group(2), fh.read()))
    return found
