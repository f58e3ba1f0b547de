"""``DocumentsSensor``: wait for documents (by source, department, category, language, status)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseSensorOperator, PokeReturnValue

from airflow_provider_kmrl.triggers.documents import DocumentCriteria, DocumentsTrigger, criteria_dict

if TYPE_CHECKING:
    from airflow.sdk import Context


class DocumentsSensor(BaseSensorOperator):
    """Wait until at least ``min_count`` documents match, then return their ids (XCom).

    Deferrable by default: after one check in the worker it hands the waiting to
    :class:`~airflow_provider_kmrl.triggers.documents.DocumentsTrigger` in the triggerer, so no
    worker slot is held. Each criterion takes one value, a list, or a comma-separated string.

    :param source: ``documents.source_system`` (the source's name).
    :param department: e.g. ``finance``; ``doc_category``, ``language`` and ``status`` likewise
        (``status`` defaults to ``success``: stored, clean documents).
    :param since: count documents ingested at or after this time (templated). Default: the run's
        data interval start, or its logical date; ``None`` in a manual run without either = any time.
    :param min_count: how many must match.
    :param max_ids: at most this many ids are returned.
    :param postgres_conn_id: the documents database.
    :param deferrable: wait in the triggerer (default) instead of poking from a worker.
    """

    template_fields: Sequence[str] = ("source", "department", "doc_category", "language", "status", "since",
                                      "min_count")
    ui_color = "#d6e4f5"

    def __init__(self, *, source: Any = None, department: Any = None, doc_category: Any = None,
                 language: Any = None, status: Any = "success", since: datetime | str | None = None,
                 min_count: int = 1, max_ids: int = 10_000, postgres_conn_id: str = "kmrl_postgres",
                 deferrable: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source, self.department, self.doc_category = source, department, doc_category
        self.language, self.status, self.since = language, status, since
        self.min_count, self.max_ids = min_count, max_ids
        self.postgres_conn_id = postgres_conn_id
        self.deferrable = deferrable
        given = {"department": department, "doc_category": doc_category, "language": language, "status": status}
        literal = {k: v for k, v in given.items() if not (isinstance(v, str) and "{{" in v)}
        DocumentCriteria.build(**literal, limit=max_ids)  # an unknown value fails when the DAG is parsed

    def _criteria(self, context: Context) -> DocumentCriteria:
        since = self.since or context.get("data_interval_start") or context.get("logical_date")
        return DocumentCriteria.build(source=self.source, department=self.department,
                                      doc_category=self.doc_category, language=self.language,
                                      status=self.status, since=since, limit=self.max_ids)

    def _matching(self, criteria: DocumentCriteria) -> list[str]:
        import psycopg

        from airflow_provider_kmrl.runner import postgres_dsn

        sql, params = criteria.query()
        with psycopg.connect(postgres_dsn(self.postgres_conn_id), autocommit=True) as db, db.cursor() as cur:
            cur.execute(sql, params)
            return [row[0] for row in cur.fetchall()]

    def execute(self, context: Context) -> Any:
        """Check once; return the ids if enough match, else defer (or poke)."""
        if not self.deferrable:
            return super().execute(context)
        criteria = self._criteria(context)
        ids = self._matching(criteria)
        if len(ids) >= int(self.min_count):
            return ids
        self.log.info("%d of %s documents so far; deferring to the triggerer", len(ids), self.min_count)
        self.defer(
            trigger=DocumentsTrigger(self.postgres_conn_id, criteria_dict(criteria), int(self.min_count),
                                     poll_interval=float(self.poke_interval)),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout) if self.timeout else None,
        )

    def poke(self, context: Context) -> PokeReturnValue:
        """One check, for the non-deferrable mode."""
        ids = self._matching(self._criteria(context))
        return PokeReturnValue(is_done=len(ids) >= int(self.min_count), xcom_value=ids)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> list[str]:
        """Back from the triggerer: the ids, or the trigger's error."""
        if event.get("status") != "success":
            raise RuntimeError(event.get("message") or f"DocumentsTrigger failed: {event}")
        return list(event["doc_ids"])
