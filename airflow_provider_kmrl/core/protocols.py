"""The protocols the pipeline is built from; each part is injected, none is imported by the pipeline.

- :class:`DocumentSource` (with :class:`SourceOptions` and :class:`SourceKind`): one kind of place
  documents come from. Third-party kinds register a :class:`SourceKind` under the entry-point
  group ``airflow_provider_kmrl.sources``.
- :class:`CheckpointStore`: where a source's cursor lives (an Airflow Variable in production).
- :class:`Scanner`: tells clean from infected, failing closed (clamd in production).
- :class:`DocumentStore`: buckets of immutable objects (MinIO/S3, AWS S3, a folder).
- :class:`Classifier`: department, category and language of a stored document.

Part of the extension API (semver-stable); importable without Airflow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from pydantic import BaseModel, ConfigDict

from airflow_provider_kmrl.core.types import (
    Classification,
    ClassifyInput,
    ScanResult,
    SourceItem,
    StoredObject,
    Window,
)


class SourceOptions(BaseModel):
    """Base for each kind's ``options:`` block; unknown keys are an error that names them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentSource(Protocol):
    """Lists and opens the documents of one configured source."""

    name: str

    def list_items(self, checkpoint: dict[str, Any] | None, window: Window | None) -> Iterator[SourceItem]:
        """Items after ``checkpoint`` (incremental) or with timestamps in ``window`` (backfill).

        Yield in the order the checkpoint advances, so a committed prefix maps to a cursor.
        """
        ...

    def open(self, item: SourceItem) -> AbstractContextManager[BinaryIO]:
        """A binary stream of the item's bytes; read in chunks, never whole."""
        ...

    def reopen(self, source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem | None:
        """Rebuild an item from its row, to finish or retry it; ``None`` when the source lost it."""
        ...

    def next_checkpoint(
        self, checkpoint: dict[str, Any] | None, committed: Sequence[SourceItem]
    ) -> dict[str, Any] | None:
        """The cursor after ``committed`` (a prefix of what was listed, all with final rows).

        Called once more with an empty ``committed`` after a complete incremental listing, so a
        source can move past what it scanned without offering items; return ``checkpoint``
        unchanged when that means nothing to the source. Return a new object whenever the cursor
        moved: the very object passed in means "unchanged" and is not saved.
        """
        ...

    def after_ingest(self, item: SourceItem) -> None:
        """Act on the source once the item's row is committed (move, delete, or nothing)."""
        ...

    def close(self) -> None:

        """Release connections; called once when the task ends."""

        ...


@dataclass(frozen=True)
class SourceKind:
    """How to validate a kind's options and build its source at run time.

    :param kind: the name used in the sources file (``kind: upload``).
    :param options_model: validates the source's ``options:`` block when the file is parsed.
    :param factory: ``factory(name, options, conn_id)`` builds the source when a task runs.
    :param supports_window: whether ``list_items`` honours a backfill window (a backfill DAG is
        generated only then).
    :param extra: the pip extra that brings the kind's client library, named when it is missing.
    :param requires: modules the kind needs at run time (checked before the factory is called).
    """

    kind: str
    options_model: type[SourceOptions]
    factory: Callable[[str, Any, str | None], DocumentSource]
    supports_window: bool = False
    extra: str | None = None
    requires: tuple[str, ...] = ()


class CheckpointStore(Protocol):
    """Where a source's cursor lives (an Airflow Variable in production)."""

    def load(self) -> dict[str, Any] | None:

        """The saved cursor, or ``None`` before the first run."""

        ...

    def save(self, value: dict[str, Any]) -> None:

        """Replace the cursor; called only with cursors over committed rows."""

        ...


class Scanner(Protocol):
    """Anything that can tell clean from infected; implementations must fail closed.

    Unreachable or hanging means raising ``ScannerUnavailable``; any answer that is not an
    explicit "clean" is ``INFECTED`` or ``UNSCANNED``.
    """

    def scan_file(self, path: str) -> ScanResult:

        """Scan the file at ``path``; raise ``ScannerUnavailable`` rather than guess."""

        ...

    def ping(self) -> str:

        """The scanner's version; raises ``ScannerUnavailable`` when it does not answer."""

        ...


class DocumentStore(Protocol):
    """Buckets of immutable objects addressed by key; URIs are what rows record."""

    def ensure_bucket(self, bucket: str) -> None:

        """Create ``bucket`` if it does not exist."""

        ...

    def put_file(self, bucket: str, key: str, path: str, content_type: str | None = None) -> str:
        """Upload the file at ``path`` (streamed) and return the object's URI."""
        ...

    def size_of(self, bucket: str, key: str) -> int | None:
        """Size of the object, or ``None`` when it does not exist."""
        ...

    def delete(self, bucket: str, key: str) -> None:

        """Remove an object; a missing one is not an error."""

        ...

    def move(self, bucket: str, key: str, to_bucket: str, to_key: str) -> str:
        """Move an object (copy, then delete the source) and return its new URI."""
        ...

    def download(self, bucket: str, key: str, path: str) -> None:
        """Stream an object to a local file."""
        ...

    def list_objects(self, bucket: str, prefix: str = "") -> Iterator[StoredObject]:

        """Every object under ``prefix``, streamed."""

        ...

    def sha256_of(self, bucket: str, key: str) -> str:

        """SHA-256 (hex) of an object's bytes, read in chunks."""

        ...

    def uri(self, bucket: str, key: str) -> str:

        """The URI a row records for this object."""

        ...

    def locate(self, uri: str) -> tuple[str, str]:
        """The (bucket, key) of a URI this store produced."""
        ...


class Classifier(Protocol):
    """Decides department, category and language; ``version`` is recorded with each decision."""

    version: str

    def classify(self, doc: ClassifyInput) -> Classification:

        """Decide department, category and language of one document."""

        ...
