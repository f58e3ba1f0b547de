"""Example downstream DAG: woken by new documents, it reports what it used so lineage shows it.

Copy and adapt it for OCR, NLP or embedding pipelines. It runs on every ``kmrl_ready_for_extraction``
event; triggered by hand, it takes the ids from the ``doc_ids`` param.
"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, Param, task

from airflow_provider_kmrl.assets import READY_FOR_EXTRACTION, report_consumption

with DAG(
    dag_id="kmrl_example_consumer",
    schedule=[READY_FOR_EXTRACTION],
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["kmrl", "example"],
    params={"doc_ids": Param([], type="array", description="Document ids, when triggered by hand")},
):

    @task
    def use_documents(*, triggering_asset_events=None, params=None) -> int:
        doc_ids = list(params.get("doc_ids") or [])
        for events in (triggering_asset_events or {}).values():
            for event in events:
                doc_ids += (event.extra or {}).get("doc_ids") or []
        # ... read the objects and do the real work here ...
        return report_consumption(doc_ids, consumer="kmrl_example_consumer")

    use_documents()
