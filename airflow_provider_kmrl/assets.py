"""Assets the provider emits; downstream DAGs schedule on them."""

from __future__ import annotations

from airflow.sdk import Asset, AssetAlias

#: One event per ingest or backfill run that stored new documents; ``extra["doc_ids"]`` lists them.
READY_FOR_EXTRACTION = Asset(name="kmrl_ready_for_extraction", uri="kmrl://ready_for_extraction")

#: Declared as the operator's outlet so that a run with nothing new emits no event at all.
INGEST_ANNOUNCEMENTS = AssetAlias(name="kmrl_ingest_announcements")

#: Downstream DAGs emit this (``extra={"doc_ids": [...], "consumer": "ocr"}``) after using documents;
#: ``kmrl_lineage`` records a ``consumed`` event on each of them.
DOCUMENTS_CONSUMED = Asset(name="kmrl_documents_consumed", uri="kmrl://documents_consumed")


def report_consumption(doc_ids: list[str], consumer: str, postgres_conn_id: str = "kmrl_postgres") -> int:
    """Record right now that ``consumer`` used ``doc_ids`` (call it from a downstream task).

    The alternative to emitting :data:`DOCUMENTS_CONSUMED`: it writes the ``consumed`` events directly,
    tagged with the calling task's DAG and run.
    """
    from airflow.sdk import get_current_context

    from airflow_provider_kmrl.maintenance.lineage import record_consumption
    from airflow_provider_kmrl.operators.common import open_catalog, run_context

    catalog = open_catalog(postgres_conn_id)
    try:
        return record_consumption(catalog, doc_ids, consumer, run_context(get_current_context()))
    finally:
        catalog.close()
