"""A local (or mounted) upload folder, walked recursively.

``source_id`` is ``<relative path>@<size>@<mtime_ns>``: stable for a file's identity and
content, so an untouched file is never ingested twice and a replaced file is a new item. The
documents table, not the cursor, decides what is new (files copied in with an old mtime are
still found); the cursor records how far the committed, mtime-ordered prefix has reached.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any, BinaryIO, Literal

from pydantic import Field

from airflow_provider_kmrl.core.types import SourceItem, Window
from airflow_provider_kmrl.sources.base import SourceKind, SourceOptions

log = logging.getLogger(__name__)
CHECKPOINT_VERSION = 1


class UploadOptions(SourceOptions):
    path: str = Field(description="Folder to ingest, walked recursively.")
    after_ingest: Literal["keep", "move", "delete"] = "keep"
    processed_path: str | None = Field(default=None, description="Where `move` puts ingested files.")
    include_hidden: bool = Field(default=False, description="Ingest dot-files (often partial uploads).")

    def model_post_init(self, __context: Any) -> None:
        if self.after_ingest == "move" and not self.processed_path:
            raise ValueError("after_ingest: move needs processed_path")


class UploadFolderSource:
    """Files under ``options.path``; symbolic links are never followed (they could point anywhere)."""

    def __init__(self, name: str, options: UploadOptions) -> None:
        self.name = name
        self.options = options
        self.root = os.path.abspath(options.path)

    def list_items(self, checkpoint: dict[str, Any] | None, window: Window | None) -> Iterator[SourceItem]:
        if not os.path.isdir(self.root):
            from airflow_provider_kmrl.exceptions import SourceError

            raise SourceError(f"upload folder {self.root} does not exist or is not a folder")
        entries = sorted(self._walk(), key=lambda e: (e[2], e[0]))
        for relpath, size, mtime_ns in entries:
            item = self._item(relpath, size, mtime_ns)
            if window is None or window.contains(item.source_ts):
                yield item

    def _walk(self) -> Iterator[tuple[str, int, int]]:
        processed = os.path.abspath(self.options.processed_path) if self.options.processed_path else None
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            if not self.options.include_hidden:
                dirs[:] = [d for d in dirs if not d.startswith(".")]
            if processed:
                dirs[:] = [d for d in dirs if os.path.join(folder, d) != processed]
            relfolder = os.path.relpath(folder, self.root)  # once per folder: relpath is slow per file
            for name in files:
                if name.startswith(".") and not self.options.include_hidden:
                    continue
                full = os.path.join(folder, name)
                try:
                    st = os.lstat(full)
                except FileNotFoundError:
                    continue
                if not _is_regular(st.st_mode):
                    continue
                yield (name if relfolder == "." else os.path.join(relfolder, name)), st.st_size, st.st_mtime_ns

    def _item(self, relpath: str, size: int, mtime_ns: int) -> SourceItem:
        ts = datetime.fromtimestamp(mtime_ns / 1e9, tz=timezone.utc)
        return SourceItem(
            source_id=f"{relpath}@{size}@{mtime_ns}",
            file_name=os.path.basename(relpath),
            source_ts=ts,
            size_hint=size,
            metadata={"path": relpath, "size": size, "mtime_ns": mtime_ns, "folder": self.root},
        )

    def open(self, item: SourceItem) -> AbstractContextManager[BinaryIO]:
        full = os.path.join(self.root, item.metadata["path"])
        # O_NOFOLLOW: a file swapped for a symlink after listing is refused, not followed.
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb")

    def reopen(self, source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem | None:
        relpath = metadata.get("path")
        if not relpath:
            return None
        try:
            st = os.lstat(os.path.join(self.root, relpath))
        except FileNotFoundError:
            return None
        item = self._item(relpath, st.st_size, st.st_mtime_ns)
        return item if item.source_id == source_id else None

    def next_checkpoint(
        self, checkpoint: dict[str, Any] | None, committed: Sequence[SourceItem]
    ) -> dict[str, Any] | None:
        marks = [(i.metadata["mtime_ns"], i.metadata["path"]) for i in committed]
        if checkpoint and checkpoint.get("version") == CHECKPOINT_VERSION:
            marks.append((checkpoint["mtime_ns"], checkpoint["path"]))
        if not marks:
            return checkpoint
        mtime_ns, path = max(marks)
        return {"version": CHECKPOINT_VERSION, "mtime_ns": mtime_ns, "path": path}

    def after_ingest(self, item: SourceItem) -> None:
        if self.options.after_ingest == "keep" or self.reopen(item.source_id, item.file_name, item.metadata) is None:
            return
        full = os.path.join(self.root, item.metadata["path"])
        if self.options.after_ingest == "delete":
            os.unlink(full)
            return
        target = os.path.join(os.path.abspath(self.options.processed_path or ""), item.metadata["path"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        base, n = target, 1
        while os.path.lexists(target):
            target, n = f"{base}.{n}", n + 1
        shutil.move(full, target)

    def close(self) -> None:
        pass


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


#: Registered through the entry point ``airflow_provider_kmrl.sources`` in ``pyproject.toml``.
KIND = SourceKind(
    kind="upload",
    options_model=UploadOptions,
    factory=lambda name, options, conn_id: UploadFolderSource(name, options),
    supports_window=True,
)
