"""Value objects passed between the pipeline's steps."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Status(str, enum.Enum):
    """Final (and one transient) state of a ``documents`` row."""

    PENDING = "pending"
    SUCCESS = "success"
    QUARANTINED = "quarantined"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    DELETED = "deleted"


class ScanStatus(str, enum.Enum):
    CLEAN = "clean"
    INFECTED = "infected"
    UNSCANNED = "unscanned"


@dataclass(frozen=True)
class SourceItem:
    """One document a source offers: identity and metadata, never its bytes.

    :param source_id: stable across re-syncs; unique per source together with the source name.
    :param file_name: the original name, kept verbatim in the row (sanitised only for object keys).
    :param size_hint: the size the source reports, used to reject huge files before fetching.
    :param metadata: JSON-serialisable facts from the source (path, subject, work order, ...).
    :param problem: set when the source can list the item but cannot offer its bytes (a link to
        a web page, a message too large to describe, a name it cannot address): the item is
        recorded as ``rejected`` with this reason instead of stopping the listing.
    """

    source_id: str
    file_name: str
    source_ts: datetime | None = None
    size_hint: int | None = None
    sender: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None


@dataclass(frozen=True)
class Window:
    """A half-open interval ``[start, end)`` of source timestamps, for backfill runs."""

    start: datetime
    end: datetime

    def contains(self, ts: datetime | None) -> bool:
        return ts is not None and self.start <= ts < self.end


@dataclass(frozen=True)
class ScanResult:
    """clamd's verdict on one document.

    :param transient: an "unscanned" answer that may differ if asked again (clamd out of memory,
        ``MaxScanTime`` under load); a permanent one (size limits, encrypted) will not.
    """

    status: ScanStatus
    signature: str | None = None
    detail: str | None = None
    transient: bool = False


@dataclass(frozen=True)
class TypeCheck:
    """What the magic bytes say the file is, and whether that may enter the raw store."""

    mime_type: str
    allowed: bool
    reason: str | None = None


@dataclass(frozen=True)
class Classification:
    department: str = "unknown"
    doc_category: str = "other"
    language: str = "unknown"
    confidence: float = 0.0
    classifier_version: str = "none"


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
