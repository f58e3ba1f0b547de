"""What the pipeline passes between its own steps; the shared value types live in ``core``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airflow_provider_kmrl.core.types import (  # noqa: F401 (re-exported for the pipeline's modules)
    Classification,
    ScanResult,
    ScanStatus,
    SourceItem,
    Status,
    TypeCheck,
    Window,
)


@dataclass
class Outcome:
    """Everything learned about one item, ready to be written to its row in one transaction."""

    doc_id: str
    item: SourceItem
    status: Status
    reason: str | None = None
    object_uri: str | None = None
    mime_type: str | None = None
    file_size: int | None = None
    checksum: str | None = None
    scan: ScanResult | None = None
    duplicate_of: str | None = None
    classification: Classification | None = None
    retry_increment: int = 0
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # URIs of objects to remove once the row is committed (a duplicate found late, a stale retry).
    cleanup: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    """The small dictionary an ingest run returns to XCom."""

    source: str
    listed: int = 0
    skipped_known: int = 0
    processed: int = 0
    after_ingest_failures: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    new_doc_ids: list[str] = field(default_factory=list)
    checkpoint: dict[str, Any] | None = None

    def count(self, status: Status) -> None:
        self.by_status[status.value] = self.by_status.get(status.value, 0) + 1

    def as_dict(self, max_ids: int = 1000) -> dict[str, Any]:
        return {
            "source": self.source,
            "listed": self.listed,
            "skipped_known": self.skipped_known,
            "processed": self.processed,
            "after_ingest_failures": self.after_ingest_failures,
            "by_status": dict(sorted(self.by_status.items())),
            "new_doc_ids": self.new_doc_ids[:max_ids],
            "new_doc_ids_truncated": len(self.new_doc_ids) > max_ids,
            "checkpoint": self.checkpoint,
        }
