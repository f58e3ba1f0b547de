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
        """The cursor saved by the last run, or ``None``."""
        raw = Variable.get(self.key, default=None)
        return json.loads(raw) if raw else None

    def save(self, value: dict[str, Any]) -> None:
        """Store the cursor as JSON."""
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
    :param settings: any field of :class:`~airflow_provider_kmrl.pipeline.settings.IngestSettings`
        (connection ids, buckets, ``max_file_size``, ``batch_size``, ``concurrency``,
        ``max_retries``, ``allow_macros``, ...), the same names as the sources file's ``defaults``;
        validated when the operator is created, so a typo is a DAG import error.
    :param window_start: with ``window_end``, ingest that interval instead (templated).
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
        settings: dict[str, Any] | None = None,
        window_start: str | datetime | None = None,
        window_end: str | datetime | None = None,
        **kwargs: Any,
    ) -> None:
        from airflow_provider_kmrl.pipeline.settings import IngestSettings

        kwargs.setdefault("outlets", [INGEST_ANNOUNCEMENTS])
        super().__init__(**kwargs)
        self.source_name = source_name
        self.source_kind = source_kind
        self.source_options = dict(source_options or {})
        self.source_conn_id = source_conn_id
        self.settings = IngestSettings(**(settings or {})).operator_dict()
        self.window_start = window_start
        self.window_end = window_end

    def execute(self, context: Context) -> dict[str, Any]:
        """Run the source through the pipeline and announce what is stored; returns the run summary."""
        from airflow_provider_kmrl.pipeline.settings import IngestSettings
        from airflow_provider_kmrl.runner import build_engine, build_source

        source = build_source(self.source_name, self.source_kind, self.source_options, self.source_conn_id)
        ti = context["ti"]
        engine = build_engine(IngestSettings(**self.settings), run=(ti.dag_id, ti.run_id, ti.task_id))
        window = self._window()
        try:
            summary = engine.run(source, None if window else VariableCheckpoint(self.source_name), window)
            announced = announce_stored(engine.catalog, context, engine.context, list(self.outlets or []),
                                        self.source_name)
        except ScannerUnavailable as err:
            raise ScannerUnavailable(
                f"{err}. Nothing is ingested without a virus scan: start clamd or fix the "
                f"{engine.settings.clamav_conn_id!r} connection, then rerun (unfinished documents are resumed)."
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
        from airflow_provider_kmrl.pipeline.settings import IngestSettings

        settings = IngestSettings(**self.settings)
        return OperatorLineage(
            inputs=[Dataset(namespace=f"kmrl-{self.source_kind}", name=self.source_name)],
            outputs=[
                Dataset(namespace=f"kmrl-store://{settings.store_conn_id}", name=settings.raw_bucket),
                Dataset(namespace=f"postgres://{settings.postgres_conn_id}", name="public.documents"),
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
