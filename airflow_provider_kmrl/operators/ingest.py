"""``IngestDocumentsOperator``: one task ingests a batch-wise stream of a source's documents."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator, Variable

from airflow_provider_kmrl.assets import INGEST_ANNOUNCEMENTS
from airflow_provider_kmrl.exceptions import ScannerUnavailable
from airflow_provider_kmrl.operators.announcements import announce_stored

if TYPE_CHECKING:
    from airflow.sdk import Context

    from airflow_provider_kmrl.pipeline.models import Window


class VariableCheckpoint:
    """A source's cursor in the Airflow Variable ``kmrl_checkpoint__<source>`` (JSON)."""

    def __init__(self, source_name: str) -> None:
        self.key = f"kmrl_checkpoint__{source_name}"

    def load(self) -> dict[str, Any] | None:
        raw = Variable.get(self.key, default=None)
        return json.loads(raw) if raw else None

    def save(self, value: dict[str, Any]) -> None:
        Variable.set(self.key, json.dumps(value, sort_keys=True))


class IngestDocumentsOperator(BaseOperator):
    """Ingest every new document of one source: fetch, check, scan, store, record, classify.

    Incremental by default (from the source's checkpoint); with ``window_start`` and
    ``window_end`` it ingests the source items timestamped in ``[start, end)`` and leaves the
    checkpoint alone (backfill). Returns a small summary; emits ``kmrl_ready_for_extraction``
    with the ids of every stored document of the source not yet announced (this run's, and those
    of earlier runs that failed after committing them).

    :param source_name: the source's name in ``kmrl_sources.yaml`` (also ``documents.source_system``).
    :param source_kind: ``upload``, ``imap``, ``sftp``, ...
    :param source_options: the kind's options, validated before anything runs.
    :param source_conn_id: the source's own Airflow connection, for kinds that have one.
    :param concurrency: documents processed at once (threads); bounds load on every service.
    :param allow_macros: accept macro-enabled Office files (quarantined by default).
    """

    template_fields: Sequence[str] = ("window_start", "window_end")
    ui_color = "#d7ecd9"

    def __init__(
        self,
        *,
        source_name: str,
        source_kind: str,
        source_options: dict[str, Any] | None = None,
        source_conn_id: str | None = None,
        postgres_conn_id: str = "kmrl_postgres",
        store_conn_id: str = "kmrl_store",
        clamav_conn_id: str = "kmrl_clamav",
        raw_bucket: str = "kmrl-raw",
        quarantine_bucket: str = "kmrl-quarantine",
        max_file_size: int = 512 * 1024 * 1024,
        batch_size: int = 100,
        concurrency: int = 4,
        max_retries: int = 3,
        allow_macros: bool = False,
        window_start: str | datetime | None = None,
        window_end: str | datetime | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("outlets", [INGEST_ANNOUNCEMENTS])
        super().__init__(**kwargs)
        self.source_name = source_name
        self.source_kind = source_kind
        self.source_options = dict(source_options or {})
        self.source_conn_id = source_conn_id
        self.postgres_conn_id = postgres_conn_id
        self.store_conn_id = store_conn_id
        self.clamav_conn_id = clamav_conn_id
        self.raw_bucket = raw_bucket
        self.quarantine_bucket = quarantine_bucket
        self.max_file_size = max_file_size
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.max_retries = max_retries
        self.allow_macros = allow_macros
        self.window_start = window_start
        self.window_end = window_end

    def execute(self, context: Context) -> dict[str, Any]:
        from airflow_provider_kmrl.runner import build_engine, build_source

        source = build_source(self.source_name, self.source_kind, self.source_options, self.source_conn_id)
        ti = context["ti"]
        engine = build_engine(
            postgres_conn_id=self.postgres_conn_id,
            store_conn_id=self.store_conn_id,
            clamav_conn_id=self.clamav_conn_id,
            settings=dict(
                raw_bucket=self.raw_bucket, quarantine_bucket=self.quarantine_bucket,
                max_file_size=self.max_file_size, batch_size=self.batch_size,
                concurrency=self.concurrency, max_retries=self.max_retries, allow_macros=self.allow_macros,
            ),
            run=(ti.dag_id, ti.run_id, ti.task_id),
        )
        window = self._window()
        try:
            summary = engine.run(source, None if window else VariableCheckpoint(self.source_name), window)
            announced = announce_stored(engine.catalog, context, engine.context, list(self.outlets or []),
                                        self.source_name)
        except ScannerUnavailable as err:
            raise ScannerUnavailable(
                f"{err}. Nothing is ingested without a virus scan: start clamd or fix the "
                f"{self.clamav_conn_id!r} connection, then rerun (unfinished documents are resumed)."
            ) from err
        finally:
            engine.catalog.close()
            source.close()
        result = {**summary.as_dict(), "announced": announced}
        self.log.info("Ingested %s: %s", self.source_name, {k: v for k, v in result.items() if k != "new_doc_ids"})
        return result

    def get_openlineage_facets_on_complete(self, task_instance: Any) -> Any:
        """Inputs: the source; outputs: the raw bucket and the documents table (OpenLineage is optional)."""
        try:
            from airflow.providers.openlineage.extractors import OperatorLineage
            from openlineage.client.event_v2 import Dataset
        except ImportError:
            return None
        return OperatorLineage(
            inputs=[Dataset(namespace=f"kmrl-{self.source_kind}", name=self.source_name)],
            outputs=[
                Dataset(namespace=f"kmrl-store://{self.store_conn_id}", name=self.raw_bucket),
                Dataset(namespace=f"postgres://{self.postgres_conn_id}", name="public.documents"),
            ],
        )

    def _window(self) -> Window | None:
        from airflow_provider_kmrl.pipeline.models import Window

        if not self.window_start and not self.window_end:
            return None
        if not (self.window_start and self.window_end):
            raise ValueError("window_start and window_end go together")
        return Window(_as_datetime(self.window_start), _as_datetime(self.window_end))


def _as_datetime(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
