"""Build the ``kmrl_ingest__<source>`` and ``kmrl_backfill__<source>`` DAGs from the sources file.

Parsing must stay cheap: this reads one YAML file and imports no client library.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG

from airflow_provider_kmrl.config import SourceConfig, SourcesFile, default_sources_path, load_sources
from airflow_provider_kmrl.operators.ingest import IngestDocumentsOperator
from airflow_provider_kmrl.sources.base import source_kind

START_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)
_SETTINGS = ("postgres_conn_id", "store_conn_id", "clamav_conn_id", "raw_bucket", "quarantine_bucket",
             "max_file_size", "batch_size", "concurrency", "max_retries")


def build_dags(sources_file: str | None = None, dag_folder: str | None = None) -> dict[str, DAG]:
    """Return ``{dag_id: DAG}`` for every enabled source; raises ``SourcesFileError`` when invalid.

    :param sources_file: path of ``kmrl_sources.yaml``; defaults to ``$KMRL_SOURCES_FILE`` or
        the file next to the calling DAG file (``dag_folder``).
    """
    config = load_sources(sources_file or default_sources_path(dag_folder))
    dags: dict[str, DAG] = {}
    for src in config.sources:
        if not src.enabled:
            continue
        dags[f"kmrl_ingest__{src.name}"] = _ingest_dag(config, src)
        if source_kind(src.kind).supports_window:
            dags[f"kmrl_backfill__{src.name}"] = _backfill_dag(config, src)
    return dags


def _operator_kwargs(config: SourcesFile, src: SourceConfig) -> dict:
    kwargs = {name: src.setting(config.defaults, name) for name in _SETTINGS}
    kwargs["max_file_size"] = int(kwargs["max_file_size"])
    return dict(source_name=src.name, source_kind=src.kind, source_options=src.options,
                source_conn_id=src.conn_id, **kwargs)


def _ingest_dag(config: SourcesFile, src: SourceConfig) -> DAG:
    with DAG(
        dag_id=f"kmrl_ingest__{src.name}",
        description=f"Incremental ingest of the {src.kind} source '{src.name}' from its checkpoint.",
        schedule=src.schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        tags=["kmrl", "ingest", src.kind],
        default_args={"retries": 2, "retry_delay": timedelta(minutes=1), "retry_exponential_backoff": True},
        doc_md=f"Ingests new documents of **{src.name}** (`{src.kind}`). See the provider README.",
    ) as dag:
        IngestDocumentsOperator(task_id="ingest", **_operator_kwargs(config, src))
    return dag


def _backfill_dag(config: SourcesFile, src: SourceConfig) -> DAG:
    from airflow.timetables.interval import CronDataIntervalTimetable

    with DAG(
        dag_id=f"kmrl_backfill__{src.name}",
        description=f"Re-ingest '{src.name}' items timestamped in each run's data interval.",
        schedule=CronDataIntervalTimetable(src.backfill_schedule, timezone="UTC"),
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        tags=["kmrl", "backfill", src.kind],
        default_args={"retries": 2, "retry_delay": timedelta(minutes=1)},
        doc_md="Run with `airflow backfill create --dag-id ... --from-date ... --to-date ... "
        "--max-active-runs 1`. Never moves the incremental checkpoint.",
    ) as dag:
        IngestDocumentsOperator(
            task_id="ingest_window",
            window_start="{{ data_interval_start.isoformat() if data_interval_start else '' }}",
            window_end="{{ data_interval_end.isoformat() if data_interval_end else '' }}",
            **_operator_kwargs(config, src),
        )
    return dag


def dag_folder_of(file: str) -> str:
    return os.path.dirname(os.path.abspath(file))
