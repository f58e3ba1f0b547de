"""The contract every source kind implements, and the registry the DAG builder resolves kinds in.

A source only lists and opens documents and manages its own cursor; hashing, scanning, storing
and recording are the engine's job. To add a kind, implement :class:`DocumentSource`, describe
its options with a pydantic model, and register both with :func:`register_source`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from pydantic import BaseModel, ConfigDict

from airflow_provider_kmrl.pipeline.models import SourceItem, Window


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

    def close(self) -> None: ...


@dataclass(frozen=True)
class SourceKind:
    """How to validate a kind's options and build its source at run time."""

    kind: str
    options_model: type[SourceOptions]
    factory: Callable[..., DocumentSource]
    supports_window: bool = False


_REGISTRY: dict[str, SourceKind] = {}


def register_source(kind: SourceKind) -> None:
    _REGISTRY[kind.kind] = kind


def source_kind(kind: str) -> SourceKind:
    _load_builtin_kinds()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown source kind {kind!r}; known kinds: {', '.join(sorted(_REGISTRY))}") from None


def known_kinds() -> list[str]:
    _load_builtin_kinds()
    return sorted(_REGISTRY)


def _load_builtin_kinds() -> None:
    # Imported lazily so that parsing the sources file imports no client library.
    from airflow_provider_kmrl.sources import upload  # noqa: F401
    from airflow_provider_kmrl.sources import imap  # noqa: F401
    from airflow_provider_kmrl.sources import sftp, maximo  # noqa: F401
