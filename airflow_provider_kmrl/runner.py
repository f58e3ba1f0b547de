"""Wire hooks, sources and the engine together from connection ids (used by the operators)."""

from __future__ import annotations

import re

from airflow_provider_kmrl.core.protocols import Scanner
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
    from airflow_provider_kmrl.hooks.store import store_from_connection

    catalog = Catalog(postgres_dsn(settings.postgres_conn_id), max_connections=settings.concurrency + 2)
    catalog.migrate()
    return IngestEngine(
        catalog,
        scanner_from_connection(settings.clamav_conn_id),
        store_from_connection(settings.store_conn_id),
        settings=settings,
        context=RunContext(*run),
    )


SCANNER_ENTRY_POINTS = "airflow_provider_kmrl.scanners"


def scanner_from_connection(conn_id: str) -> Scanner:
    """The scanner for a connection, chosen by its type among the ``airflow_provider_kmrl.scanners``
    entry points (name = connection type, value = ``callable(conn_id) -> Scanner``).

    The built-in ``kmrl_clamav`` is registered the same way, so another scanner (a vendor's
    daemon, a scanning service) is plugged in by a package, with a connection of its own type.
    """
    import importlib.metadata

    from airflow.sdk import BaseHook

    conn_type = BaseHook.get_connection(conn_id).conn_type
    for entry in importlib.metadata.entry_points(group=SCANNER_ENTRY_POINTS):
        if entry.name == conn_type:
            scanner: Scanner = entry.load()(conn_id)
            return scanner
    known = sorted(e.name for e in importlib.metadata.entry_points(group=SCANNER_ENTRY_POINTS))
    raise ValueError(f"connection {conn_id!r} has type {conn_type!r}; no scanner is registered for it "
                     f"(installed: {', '.join(known)})")
