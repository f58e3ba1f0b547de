"""Example: wait for new finance documents, then use them (copy it for your own pipeline).

``DocumentsSensor`` defers to the triggerer until ``min_count`` documents match, then hands
their ids to the next task. Triggered by hand, the params choose what to wait for.
"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, Param, task

from airflow_provider_kmrl.sensors.documents import DocumentsSensor

with DAG(
    dag_id="kmrl_example_sensor",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["kmrl", "example"],
    params={
        "source": Param("", type="string", description="Source name; empty = any source"),
        "department": Param("finance", type="string"),
        "min_count": Param(1, type="integer", minimum=1),
        "since": Param("", type="string", description="ISO time; empty = this run's logical date"),
    },
) as dag:
    wait = DocumentsSensor(
        task_id="wait_for_documents",
        source="{{ params.source }}",
        department="{{ params.department }}",
        min_count="{{ params.min_count }}",
        since="{{ params.since }}",
        poke_interval=5,
        timeout=3600,
    )

    @task
    def use(doc_ids: list[str]) -> int:
        print(f"{len(doc_ids)} documents to process: {doc_ids[:10]}")
        return len(doc_ids)

    use(wait.output)
