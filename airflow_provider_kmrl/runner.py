"""Wire hooks, sources and the engine together from connection ids (used by the operators)."""

from __future__ import annotations

import re

from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext
from airflow_provider_kmrl.pipeline.engine import IngestEngine
from airflow_provider_kmrl.pipeline.settings import IngestSettings
from airflow_provider_kmrl.sources.base import build_source  # noqa: F401 (operators build sources here)


def postgres_dsn(conn_id: str) -> str:
    """A libpq URI for the documents database, from an Airflow ``postgres`` connection."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    uri = PostgresHook(postgres_conn_id=conn_id).get_uri()
    # The hook may name a SQLAlchemy driver (postgresql+psycopg://); libpq wants the plain scheme.
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", uri)


def build_engine(
    settings: IngestSettings, run: tuple[str | None, str | None, str | None] = (None, None, None)
) -> IngestEngine:
    """The engine with its parts built from the settings' Airflow connections."""
    from airflow_provider_kmrl.hooks.clamav import ClamAVHook
    from airflow_provider_kmrl.hooks.store import store_from_connection

    catalog = Catalog(postgres_dsn(settings.postgres_conn_id), max_connections=settings.concurrency + 2)
    catalog.migrate()
    return IngestEngine(
        catalog,
        ClamAVHook(clamav_conn_id=settings.clamav_conn_id).get_conn(),
        store_from_connection(settings.store_conn_id),
        settings=settings,
        context=RunContext(*run),
    )
