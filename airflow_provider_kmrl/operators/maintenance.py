"""Operators for the supervisory DAGs: audit the store, reprocess documents, record lineage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator

from airflow_provider_kmrl.operators.common import open_catalog, run_context

if TYPE_CHECKING:
    from airflow.sdk import Context

ACTIONS = ("retry", "rescan", "reclassify")


class AuditStoreOperator(BaseOperator):
    """Reconcile ``documents`` with the raw and quarantine buckets; fail the run on unrepaired drift.

    DAG params ``repair`` (bool) and ``sample_size`` (objects re-hashed) override the arguments.
    """

    ui_color = "#f6e3c6"

    def __init__(
        self, *, postgres_conn_id: str = "kmrl_postgres", store_conn_id: str = "kmrl_store",
        buckets: Sequence[str] = ("kmrl-raw", "kmrl-quarantine"), sample_size: int = 100, repair: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.postgres_conn_id = postgres_conn_id
        self.store_conn_id = store_conn_id
        self.buckets = list(buckets)
        self.sample_size = sample_size
        self.repair = repair

    def execute(self, context: Context) -> dict[str, Any]:
        """Audit the buckets; fail on drift unless repairing."""
        from airflow_provider_kmrl.hooks.store import store_from_connection
        from airflow_provider_kmrl.maintenance.audit import audit_store

        params = context.get("params") or {}
        repair = _as_bool(params.get("repair", self.repair))
        sample_size = int(params.get("sample_size", self.sample_size))
        catalog = open_catalog(self.postgres_conn_id)
        try:
            report = audit_store(catalog, store_from_connection(self.store_conn_id), self.buckets,
                                 sample_size=sample_size, repair=repair, context=run_context(context))
        finally:
            catalog.close()
        result = report.as_dict()
        if report.drift:
            self.log.warning("Audit found drift: %s", result)
            if not repair:
                raise RuntimeError(
                    f"audit found drift: {len(report.missing_objects)} rows without objects, "
                    f"{len(report.orphan_objects)} objects without rows, {len(report.size_mismatches)} size and "
                    f"{len(report.checksum_mismatches)} checksum mismatches (see kmrl_audits); "
                    "trigger kmrl_audit with repair=true to fix what can be fixed"
                )
        return result


class ReprocessDocumentsOperator(BaseOperator):
    """Retry failed documents from their source, re-scan, or re-classify stored documents.

    DAG params: ``action`` (retry | rescan | reclassify), ``source``, ``status`` (comma-separated),
    ``ingested_from`` / ``ingested_to`` (ISO dates), ``limit``, ``max_retries`` (the retry ceiling).
    """

    ui_color = "#e3d7f6"

    def __init__(self, *, sources_file: str | None = None, **kwargs: Any) -> None:
        from airflow_provider_kmrl.assets import INGEST_ANNOUNCEMENTS

        kwargs.setdefault("outlets", [INGEST_ANNOUNCEMENTS])  # retried and released documents are announced
        super().__init__(**kwargs)
        self.sources_file = sources_file

    def execute(self, context: Context) -> dict[str, Any]:
        """Apply the action in the params to the selected documents."""
        from airflow_provider_kmrl.config import default_sources_path, load_sources
        from airflow_provider_kmrl.maintenance.selection import Selection

        params = dict(context.get("params") or {})
        action = params.get("action", "retry")
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
        config = load_sources(self.sources_file or default_sources_path())
        default_status = {"retry": "failed", "rescan": "success,quarantined", "reclassify": "success,duplicate"}[action]
        selection = Selection(
            source=params.get("source") or None,
            statuses=tuple(s.strip() for s in (params.get("status") or default_status).split(",") if s.strip()),
            ingested_from=_as_datetime(params.get("ingested_from")),
            ingested_to=_as_datetime(params.get("ingested_to")),
            limit=int(params.get("limit") or 10_000),
        )
        ceiling = int(params.get("max_retries") or config.defaults.max_retries * 2)
        result = getattr(self, f"_{action}")(config, selection, ceiling, context)
        result["announced"] = self._announce(config, selection, context)
        self.log.info("Reprocess %s: %s", action, result)
        return {"action": action, **result}

    def _announce(self, config, selection, context: Context) -> int:
        """Announce what this action stored (retried or released documents), and anything missed."""
        from airflow_provider_kmrl.operators.announcements import announce_stored

        catalog = open_catalog(config.defaults.postgres_conn_id)
        try:
            return announce_stored(catalog, context, run_context(context), list(self.outlets or []),
                                   selection.source)
        finally:
            catalog.close()

    def _engine(self, config, source_name: str | None, ceiling: int, context: Context):
        from airflow_provider_kmrl.runner import build_engine

        settings = config.source(source_name).settings(config.defaults) if source_name else config.defaults
        settings = settings.model_copy(update={"max_retries": ceiling})
        return build_engine(settings, run=(context["ti"].dag_id, context["ti"].run_id, context["ti"].task_id))

    def _retry(self, config, selection, ceiling, context) -> dict[str, Any]:
        from airflow_provider_kmrl.maintenance.reprocess import failed_rows
        from airflow_provider_kmrl.runner import build_source

        probe = open_catalog(config.defaults.postgres_conn_id)
        try:
            grouped = failed_rows(probe, selection, ceiling)
        finally:
            probe.close()
        by_status: dict[str, int] = {}
        for source_name, rows in grouped.items():
            src = config.source(source_name)
            engine = self._engine(config, source_name, ceiling, context)
            source = build_source(src.name, src.kind, src.options, src.conn_id)
            try:
                summary = engine.retry(source, rows)
            finally:
                engine.catalog.close()
                source.close()
            for status, count in summary.by_status.items():
                by_status[status] = by_status.get(status, 0) + count
        return {"retried": sum(len(r) for r in grouped.values()), "by_status": by_status}

    def _rescan(self, config, selection, ceiling, context) -> dict[str, Any]:
        from airflow_provider_kmrl.maintenance.reprocess import rescan

        engine = self._engine(config, selection.source, ceiling, context)
        try:
            return rescan(engine.catalog, engine.store, engine.scanner, selection,
                          engine.settings.quarantine_bucket, engine.context, raw_bucket=engine.settings.raw_bucket,
                          allow_macros=engine.settings.allow_macros)
        finally:
            engine.catalog.close()

    def _reclassify(self, config, selection, ceiling, context) -> dict[str, Any]:
        from airflow_provider_kmrl.maintenance.reclassify import reclassify_documents

        engine = self._engine(config, selection.source, ceiling, context)
        params = context.get("params") or {}
        try:
            return reclassify_documents(
                engine.catalog, engine.store, rules_file=params.get("rules_file") or None,
                source=selection.source, statuses=selection.statuses, ingested_from=selection.ingested_from,
                ingested_to=selection.ingested_to, force=bool(params.get("force")), limit=selection.limit,
                context=engine.context,
            ).as_dict()
        finally:
            engine.catalog.close()


class RecordConsumptionOperator(BaseOperator):
    """Turn ``kmrl_documents_consumed`` Asset events into ``consumed`` events on each document."""

    def __init__(self, *, postgres_conn_id: str = "kmrl_postgres", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.postgres_conn_id = postgres_conn_id

    def execute(self, context: Context) -> dict[str, Any]:
        """Record a ``consumed`` event for each document the triggering events name."""
        from airflow_provider_kmrl.maintenance.lineage import record_consumption
        from airflow_provider_kmrl.pipeline.catalog import RunContext

        recorded = 0
        catalog = open_catalog(self.postgres_conn_id)
        try:
            for events in (context.get("triggering_asset_events") or {}).values():
                for event in events:
                    extra = event.extra or {}
                    source_run = RunContext(extra.get("dag_id") or getattr(event, "source_dag_id", None),
                                            extra.get("run_id") or getattr(event, "source_run_id", None),
                                            extra.get("task_id") or getattr(event, "source_task_id", None))
                    recorded += record_consumption(catalog, extra.get("doc_ids") or [],
                                                   extra.get("consumer") or "unknown", source_run)
        finally:
            catalog.close()
        return {"recorded": recorded}


class LineageReportOperator(BaseOperator):
    """Log (and return) the lineage of the document in the ``doc_id`` param, when one is given."""

    def __init__(self, *, postgres_conn_id: str = "kmrl_postgres", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.postgres_conn_id = postgres_conn_id

    def execute(self, context: Context) -> dict[str, Any] | None:
        """Log and return the lineage of the ``doc_id`` param."""
        from airflow_provider_kmrl.maintenance.lineage import lineage

        doc_id = (context.get("params") or {}).get("doc_id")
        if not doc_id:
            return None
        catalog = open_catalog(self.postgres_conn_id)
        try:
            found = lineage(catalog, doc_id)
        finally:
            catalog.close()
        doc = found["document"]
        self.log.info("%s (%s) from %s:%s -> %s", doc["file_name"], doc["status"], doc["source_system"],
                      doc["source_id"], doc["object_uri"])
        for step in found["steps"]:
            self.log.info("  %s  %-13s %s/%s %s", step["at"], step["event"], step["dag_id"], step["run_id"],
                          step["details"])
        return {"document_id": doc_id, "events": [s["event"] for s in found["steps"]],
                "consumers": found["consumers"]}


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")


def _as_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
