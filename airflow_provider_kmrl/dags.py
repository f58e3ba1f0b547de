"""Build the ``kmrl_ingest__<source>`` and ``kmrl_backfill__<source>`` DAGs from the sources file.

Parsing must stay cheap: this reads one YAML file and imports no client library.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG

from airflow_provider_kmrl.config import SourceConfig, SourcesFile, default_sources_path, load_sources
from airflow_provider_kmrl.operators.ingest import IngestDocumentsOperator
from airflow_provider_kmrl.pools import pool_name
from airflow_provider_kmrl.sources.base import source_kind

START_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)


def build_dags(sources_file: str | None = None, dag_folder: str | None = None) -> dict[str, DAG]:
    """Return ``{dag_id: DAG}`` for every enabled source; raises ``SourcesFileError`` when invalid.

    :param sources_file: path of ``kmrl_sources.yaml``; defaults to ``$KMRL_SOURCES_FILE`` or
        the file next to the calling DAG file (``dag_folder``).
    """
    path = sources_file or default_sources_path(dag_folder)
    config = load_sources(path)
    dags: dict[str, DAG] = {
        "kmrl_audit": _audit_dag(config),
        "kmrl_reprocess": _reprocess_dag(path),
        "kmrl_lineage": _lineage_dag(config),
    }
    for src in config.sources:
        if not src.enabled:
            continue
        dags[f"kmrl_ingest__{src.name}"] = _ingest_dag(config, src)
        if source_kind(src.kind).supports_window:
            dags[f"kmrl_backfill__{src.name}"] = _backfill_dag(config, src)
    return dags


def _operator_kwargs(config: SourcesFile, src: SourceConfig) -> dict:
    return dict(source_name=src.name, source_kind=src.kind, source_options=src.options,
                source_conn_id=src.conn_id, settings=src.settings(config.defaults).operator_dict())


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
        "--max-active-runs 1`. Never moves the incremental checkpoint. Its task runs in the pool "
        f"`{pool_name(src.name)}`; create the pools with `python -m airflow_provider_kmrl.pools`.",
    ) as dag:
        IngestDocumentsOperator(
            task_id="ingest_window",
            window_start="{{ data_interval_start.isoformat() if data_interval_start else '' }}",
            window_end="{{ data_interval_end.isoformat() if data_interval_end else '' }}",
            pool=pool_name(src.name),
            **_operator_kwargs(config, src),
        )
    return dag


def _audit_dag(config: SourcesFile) -> DAG:
    from airflow.sdk import Param

    from airflow_provider_kmrl.operators.maintenance import AuditStoreOperator

    d = config.defaults
    buckets = sorted({b for s in config.sources for b in (s.setting(d, "raw_bucket"), s.setting(d, "quarantine_bucket"))}
                     or {d.raw_bucket, d.quarantine_bucket})
    with DAG(
        dag_id="kmrl_audit",
        description="Reconcile the documents table with the object store; repairs only when asked.",
        schedule="@daily",
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        tags=["kmrl", "audit"],
        params={"repair": Param(False, type="boolean", description="Fix what can be fixed"),
                "sample_size": Param(100, type="integer", minimum=0, description="Objects re-hashed")},
        doc_md="Fails visibly when rows and objects drift apart; every audit is a row in `kmrl_audits`.",
    ) as dag:
        AuditStoreOperator(task_id="audit", postgres_conn_id=d.postgres_conn_id, store_conn_id=d.store_conn_id,
                           buckets=buckets)
    return dag


def _reprocess_dag(sources_file: str) -> DAG:
    from airflow.sdk import Param

    from airflow_provider_kmrl.operators.maintenance import ACTIONS, ReprocessDocumentsOperator

    with DAG(
        dag_id="kmrl_reprocess",
        description="Retry failed documents, re-scan with new signatures, or re-classify after rule changes.",
        schedule=None,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        tags=["kmrl", "reprocess"],
        params={
            "action": Param("retry", enum=list(ACTIONS)),
            "source": Param("", type="string", description="Source name; empty = all"),
            "status": Param("", type="string", description="Comma-separated statuses; empty = action default"),
            "ingested_from": Param("", type="string", description="ISO date, inclusive"),
            "ingested_to": Param("", type="string", description="ISO date, exclusive"),
            "limit": Param(10000, type="integer", minimum=1),
            "max_retries": Param(0, type="integer", minimum=0, description="Retry ceiling; 0 = 2 x max_retries"),
            "rules_file": Param("", type="string", description="reclassify: rule file; empty = $KMRL_RULES_FILE or packaged"),
            "force": Param(False, type="boolean", description="reclassify: also documents already at this rules version"),
        },
    ) as dag:
        ReprocessDocumentsOperator(task_id="reprocess", sources_file=sources_file)
    return dag


def _lineage_dag(config: SourcesFile) -> DAG:
    from airflow.sdk import Param

    from airflow_provider_kmrl.assets import DOCUMENTS_CONSUMED
    from airflow_provider_kmrl.operators.maintenance import LineageReportOperator, RecordConsumptionOperator

    conn_id = config.defaults.postgres_conn_id
    with DAG(
        dag_id="kmrl_lineage",
        description="Record downstream consumption and report a document's path from source to consumers.",
        schedule=[DOCUMENTS_CONSUMED],
        start_date=START_DATE,
        catchup=False,
        tags=["kmrl", "lineage"],
        params={"doc_id": Param("", type="string", description="Document id to report on")},
        doc_md="Query it directly: `SELECT * FROM document_lineage WHERE document_id = ... ORDER BY event_id`.",
    ) as dag:
        RecordConsumptionOperator(task_id="record_consumers", postgres_conn_id=conn_id) >> LineageReportOperator(
            task_id="report", postgres_conn_id=conn_id)
    return dag


def dag_folder_of(file: str) -> str:
    return os.path.dirname(os.path.abspath(file))
