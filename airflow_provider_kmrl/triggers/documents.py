"""``DocumentsTrigger``: waits in the triggerer until enough matching documents are recorded.

The query is one indexed ``SELECT`` (``documents_status_idx`` on ``(source_system, status)``,
ingestion time as a range), run with psycopg 3's async connection so the triggerer's event
loop is never blocked.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

DEPARTMENTS = ("engineering", "finance", "safety", "hr", "operations", "executive", "unknown")
CATEGORIES = ("invoice", "purchase_order", "budget_report", "safety_circular", "incident_report", "hr_policy",
              "training_notice", "maintenance_report", "work_order", "operations_report", "board_minutes",
              "regulatory_notice", "other")
LANGUAGES = ("en", "ml", "bilingual", "unknown")
STATUSES = ("success", "quarantined", "rejected", "duplicate", "failed", "deleted", "pending")


@dataclass(frozen=True)
class DocumentCriteria:
    """Which documents count; each field a list of accepted values (empty = any)."""

    source: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    doc_category: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    status: tuple[str, ...] = ("success",)
    since: str | None = None  # ISO timestamp; documents ingested at or after it
    limit: int = 10_000

    @classmethod
    def build(cls, *, source: Any = None, department: Any = None, doc_category: Any = None, language: Any = None,
              status: Any = "success", since: datetime | str | None = None, limit: int = 10_000) -> DocumentCriteria:
        """Normalise and validate against the taxonomy; an unknown value is a clear error."""
        criteria = cls(_many(source), _many(department), _many(doc_category), _many(language), _many(status),
                       since.isoformat() if isinstance(since, datetime) else (since or None), int(limit))
        for name, allowed in (("department", DEPARTMENTS), ("doc_category", CATEGORIES), ("language", LANGUAGES),
                              ("status", STATUSES)):
            unknown = sorted(set(getattr(criteria, name)) - set(allowed))
            if unknown:
                raise ValueError(f"{name} {', '.join(unknown)} is not one of: {', '.join(allowed)}")
        return criteria

    def query(self) -> tuple[str, dict[str, Any]]:
        """A parameterised query for the matching ids, oldest first."""
        where: list[str] = []
        params: dict[str, Any] = {"limit": self.limit}
        for column in ("source", "department", "doc_category", "language", "status"):
            values = getattr(self, column)
            if values:
                name = "source_system" if column == "source" else column
                where.append(f"{name} = ANY(%({column})s)")
                params[column] = list(values)
        if self.since:
            where.append("ingestion_ts >= %(since)s")
            params["since"] = self.since
        sql = ("SELECT id::text FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY ingestion_ts, id LIMIT %(limit)s")
        return sql, params


def _many(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


class DocumentsTrigger(BaseTrigger):
    """Fires once ``min_count`` documents match ``criteria``; the event carries their ids.

    :param postgres_conn_id: the documents database (an Airflow ``postgres`` connection).
    :param criteria: a :class:`DocumentCriteria` as a dict (what ``serialize`` stores).
    :param poll_interval: seconds between queries.
    :param max_errors: consecutive database errors before the trigger gives up with an error event.
    """

    def __init__(self, postgres_conn_id: str, criteria: dict[str, Any], min_count: int = 1,
                 poll_interval: float = 30.0, max_errors: int = 5) -> None:
        super().__init__()
        self.postgres_conn_id = postgres_conn_id
        self.criteria = criteria
        self.min_count = min_count
        self.poll_interval = poll_interval
        self.max_errors = max_errors

    def serialize(self) -> tuple[str, dict[str, Any]]:
        """Classpath and arguments, as the triggerer rebuilds the trigger from them."""
        return (
            "airflow_provider_kmrl.triggers.documents.DocumentsTrigger",
            {"postgres_conn_id": self.postgres_conn_id, "criteria": self.criteria, "min_count": self.min_count,
             "poll_interval": self.poll_interval, "max_errors": self.max_errors},
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        """Poll until enough documents match; one event, then stop."""
        criteria = DocumentCriteria(**{**self.criteria, **{k: tuple(v) for k, v in self.criteria.items()
                                                          if isinstance(v, list)}})
        sql, params = criteria.query()
        errors = 0
        while True:
            try:
                ids = await self._matching(sql, params)
                errors = 0
            except Exception as err:  # the database may restart; give up only when it stays away
                errors += 1
                self.log.warning("documents query failed (%d/%d): %s", errors, self.max_errors, err)
                if errors >= self.max_errors:
                    yield TriggerEvent({"status": "error", "message": f"cannot query the documents database "
                                        f"({self.postgres_conn_id!r}): {type(err).__name__}: {err}"})
                    return
                ids = []
            if len(ids) >= self.min_count:
                yield TriggerEvent({"status": "success", "doc_ids": ids})
                return
            await asyncio.sleep(self.poll_interval)

    async def _matching(self, sql: str, params: dict[str, Any]) -> list[str]:
        import psycopg
        from airflow.sdk import BaseHook

        conn = await BaseHook.aget_connection(self.postgres_conn_id)
        conninfo = psycopg.conninfo.make_conninfo(
            host=conn.host or "127.0.0.1", port=conn.port or 5432, user=conn.login or None,
            password=conn.password or None, dbname=conn.schema or None)
        async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as db, db.cursor() as cur:
            await cur.execute(sql, params)
            return [row[0] for row in await cur.fetchall()]


def criteria_dict(criteria: DocumentCriteria) -> dict[str, Any]:
    """JSON-friendly form of the criteria for ``serialize``."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(criteria).items()}


__all__: Sequence[str] = ["DocumentCriteria", "DocumentsTrigger", "criteria_dict"]
