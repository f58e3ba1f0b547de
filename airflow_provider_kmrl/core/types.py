"""Value types every layer shares: what a source offers, what the checks say.

Part of the extension API (semver-stable); importable without Airflow.
"""

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
    """What the scanner said: clean, infected, or could not scan."""

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
        """Whether ``ts`` falls in the window (an item without a timestamp never does)."""
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
    """A classifier's decision, recorded on the row with its version."""

    department: str = "unknown"
    doc_category: str = "other"
    language: str = "unknown"
    confidence: float = 0.0
    classifier_version: str = "none"


@dataclass(frozen=True)
class ClassifyInput:
    """One stored document as a classifier sees it."""

    path: str
    mime_type: str
    file_name: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredObject:
    """One object in a store's bucket."""

    bucket: str
    key: str
    size: int
