"""What every operator needs from Airflow: the documents database and who is writing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airflow.sdk import Context

    from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext


def run_context(context: Context) -> RunContext:
    """The DAG, run and task recorded with every event a task writes."""
    from airflow_provider_kmrl.pipeline.catalog import RunContext

    ti = context["ti"]
    return RunContext(ti.dag_id, ti.run_id, ti.task_id)


def open_catalog(postgres_conn_id: str, max_connections: int = 4) -> Catalog:
    """The documents database of an Airflow ``postgres`` connection, migrated to the current schema."""
    from airflow_provider_kmrl.pipeline.catalog import Catalog
    from airflow_provider_kmrl.runner import postgres_dsn

    catalog = Catalog(postgres_dsn(postgres_conn_id), max_connections=max_connections)
    catalog.migrate()
    return catalog
