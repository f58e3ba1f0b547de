"""Which documents a maintenance action applies to: one selection for retry, rescan and reclassify."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Selection:
    """Rows of ``documents`` to act on; ``None`` means "any".

    :param not_version: only rows not classified by this classifier version (reclassify).
    :param doc_ids: only these documents.
    """

    source: str | None = None
    statuses: tuple[str, ...] = ("failed",)
    ingested_from: datetime | None = None
    ingested_to: datetime | None = None
    doc_ids: tuple[str, ...] | None = None
    not_version: str | None = None
    limit: int = 10_000

    def where(self) -> tuple[str, dict[str, Any]]:
        """A parameterised ``WHERE`` clause (no values in the SQL text) and its parameters."""
        sql = ["status = ANY(%(statuses)s)"]
        params: dict[str, Any] = {"statuses": list(self.statuses), "limit": self.limit}
        for clause, key, value in (
            ("source_system = %(source)s", "source", self.source),
            ("ingestion_ts >= %(from)s", "from", self.ingested_from),
            ("ingestion_ts < %(to)s", "to", self.ingested_to),
            ("classifier_version IS DISTINCT FROM %(version)s", "version", self.not_version),
        ):
            if value is not None:
                sql.append(clause)
                params[key] = value
        if self.doc_ids is not None:
            sql.append("id = ANY(%(ids)s::uuid[])")
            params["ids"] = list(self.doc_ids)
        return " AND ".join(sql), params
