"""An SFTP folder (e.g. Maximo's exports), walked recursively on every run.

Identity: ``source_id`` is ``<remote path>@<size>@<mtime>``, so an untouched file is never
ingested twice and a file replaced under the same name is a new item.

Checkpoint (entity tracking, not a timestamp): the Variable holds the files already committed,
``{"version": 1, "files": {<relative path>: [size, mtime], ...}}``. A listed file whose size and
mtime match its entry is skipped without asking the database; every other file goes to the engine,
whose documents table is the real dedupe. So a file that appears with an *older* mtime than
anything seen before (copied with ``cp -p``, ``rsync -t``, a late export) is still found -- a
single mtime watermark would miss it. Entries of files that are no longer on the server (moved to
the processed folder, deleted) are dropped, and the map is capped at ``max_tracked`` entries
(oldest mtimes go first); a dropped entry costs one database lookup, never a duplicate.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any, BinaryIO, Literal

from pydantic import Field

from airflow_provider_kmrl.core.types import SourceItem, Window
from airflow_provider_kmrl.sources.base import SourceKind
from airflow_provider_kmrl.sources.globs import GlobOptions, _matches

log = logging.getLogger(__name__)
CHECKPOINT_VERSION = 1
MIB = 1024 * 1024


class SFTPOptions(GlobOptions):
    path: str = Field(description="Remote folder to ingest, walked recursively.")
    after_ingest: Literal["keep", "move", "delete"] = "keep"
    processed_path: str | None = Field(default=None, description="Where `move` puts ingested files.")
    include_hidden: bool = Field(default=False, description="Ingest dot-files and dot-folders.")
    min_age_seconds: int = Field(default=0, ge=0, description="Skip files modified this recently.")
    max_connections: int = Field(default=4, ge=1, le=64, description="SFTP channels open at once.")
    read_ahead_mib: int = Field(default=16, ge=1, le=256, description="Bytes requested ahead per file.")
    max_tracked: int = Field(default=100_000, ge=0, description="Files remembered in the checkpoint.")
    follow_symlinks: bool = Field(default=False, description="Ingest the files symbolic links point at "
                                  "(off: each link is one rejected row).")

    def model_post_init(self, __context: Any) -> None:
        if self.after_ingest == "move" and not self.processed_path:
            raise ValueError("after_ingest: move needs processed_path")


class SFTPSource:
    """Regular files under ``options.path`` on an SFTP server; links only when the source opts in."""

    def __init__(self, name: str, options: SFTPOptions, conn_id: str | None = None, hook: Any = None) -> None:
        self.name = name
        self.options = options
        self.conn_id = conn_id or "sftp_default"
        self._hook = hook
        self._listed: set[str] | None = None
        self._files: dict[str, list[int]] | None = None  # the cursor's tracked files, updated in place

    @property
    def hook(self):
        if self._hook is None:
            from airflow_provider_kmrl.hooks.sftp import KmrlSFTPHook

            self._hook = KmrlSFTPHook(ssh_conn_id=self.conn_id, max_channels=self.options.max_connections)
        return self._hook

    @property
    def root(self) -> str:
        return posixpath.normpath(self.options.path)

    # -- listing ----------------------------------------------------------------------------

    def list_items(self, checkpoint: dict[str, Any] | None, window: Window | None) -> Iterator[SourceItem]:
        # With move/delete every file still present is checked against the database, so an
        # interrupted move (or a switch from keep to move) is finished on the next run.
        use_map = window is None and self.options.after_ingest == "keep"
        tracked = _tracked(checkpoint) if use_map else {}
        found = sorted(self._walk(), key=lambda f: (f.mtime, f.path))
        self._listed = {self._relpath(f.path) for f in found}
        self._files = None  # a new listing: the cursor map is rebuilt from the checkpoint once
        now = datetime.now(timezone.utc).timestamp()
        skipped = 0
        for remote in found:
            rel = self._relpath(remote.path)
            if tracked.get(rel) == (remote.size, remote.mtime):
                skipped += 1
                continue
            if self.options.min_age_seconds and now - remote.mtime < self.options.min_age_seconds:
                continue  # listed again next run, once the writer is done
            item = self._item(remote)
            if window is None or window.contains(item.source_ts):
                yield item
        log.info("source=%s listed %d files under %s, %d already in the checkpoint", self.name, len(found),
                 self.root, skipped)

    def _walk(self):
        processed = posixpath.normpath(self.options.processed_path) if self.options.processed_path else None
        hidden = self.options.include_hidden

        def skip_dir(path: str) -> bool:
            rel = self._relpath(path)
            return (path == processed or (not hidden and posixpath.basename(path).startswith("."))
                    or any(_matches(p, rel) for p in self.options.exclude))

        for remote in self.hook.walk_files(self.root, skip_dir=skip_dir, follow_links=self.options.follow_symlinks):
            rel = self._relpath(remote.path)
            if not hidden and posixpath.basename(rel).startswith("."):
                continue
            if not any(_matches(p, rel) for p in self.options.include):
                continue
            if any(_matches(p, rel) for p in self.options.exclude):
                continue
            yield remote

    def _relpath(self, path: str) -> str:
        return posixpath.relpath(path, self.root)

    def _item(self, remote) -> SourceItem:
        metadata = {"path": self._relpath(remote.path), "remote_path": remote.path, "size": remote.size,
                    "mtime": remote.mtime, "host": self.hook.remote_host, "root": self.root}
        if remote.raw is not None:  # the name is not UTF-8: the row shows it escaped, the bytes stay here
            metadata["raw_path_hex"] = remote.raw.hex()
        link = "symbolic link; set follow_symlinks: true on the source to ingest what links point at"
        return SourceItem(
            source_id=f"{remote.path}@{remote.size}@{remote.mtime}",
            file_name=posixpath.basename(remote.path),
            source_ts=datetime.fromtimestamp(remote.mtime, tz=timezone.utc),
            size_hint=remote.size,
            metadata=metadata,
            problem=link if remote.link else None,
        )

    # -- reading ----------------------------------------------------------------------------

    def open(self, item: SourceItem) -> AbstractContextManager[BinaryIO]:
        return self.hook.open_stream(_remote(item), read_ahead=self.options.read_ahead_mib * MIB,
                                     follow_links=self.options.follow_symlinks)

    def reopen(self, source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem | None:
        path = metadata.get("remote_path")
        if not path:
            return None
        raw = bytes.fromhex(metadata["raw_path_hex"]) if metadata.get("raw_path_hex") else None
        current = self.hook.stat_file(path, raw, follow_links=self.options.follow_symlinks)
        if current is None:
            return None
        item = self._item(current)
        return item if item.source_id == source_id else None

    # -- cursor -----------------------------------------------------------------------------

    def next_checkpoint(
        self, checkpoint: dict[str, Any] | None, committed: Sequence[SourceItem]
    ) -> dict[str, Any] | None:
        """The tracked files after ``committed``: O(batch) per call, not O(tracked).

        The map is built from the checkpoint once per run and then updated in place; each call
        returns a new outer dict over it (so the engine sees the change) without copying 100,000
        paths. Files that left the folder are forgotten once per listing; the map is trimmed to
        ``max_tracked`` (newest kept) only when it has grown 10% past it.
        """
        if self._files is None:
            files = {path: list(v) for path, v in _tracked(checkpoint).items()}
            if self._listed is not None:  # forget files that left the folder (moved, deleted)
                files = {p: v for p, v in files.items() if p in self._listed}
            self._files = files
        files = self._files
        for item in committed:
            files[item.metadata["path"]] = [item.metadata["size"], item.metadata["mtime"]]
        limit = self.options.max_tracked
        if len(files) > limit * 1.1 or (not committed and len(files) > limit):
            keep = sorted(files.items(), key=lambda kv: (kv[1][1], kv[0]))[-limit:] if limit else []
            files.clear()
            files.update(keep)
        if not committed and checkpoint is not None and checkpoint.get("files") is files:
            return checkpoint  # nothing moved
        return {"version": CHECKPOINT_VERSION, "files": files}

    # -- after the row is committed ---------------------------------------------------------

    def after_ingest(self, item: SourceItem) -> None:
        """Move or delete the file -- only if it is still the version that was ingested."""
        if self.options.after_ingest == "keep":
            return
        if self.reopen(item.source_id, item.file_name, item.metadata) is None:
            return  # already moved, deleted, or replaced by a newer version (which stays)
        remote = _remote(item)
        if self.options.after_ingest == "delete":
            self.hook.remove_file(remote.wire)
            log.info("source=%s deleted %s", self.name, remote.path)
            return
        relative = remote.raw[len(self.root.encode()):].lstrip(b"/") if remote.raw else item.metadata["path"].encode()
        target = posixpath.join(posixpath.normpath(self.options.processed_path or "").encode(), relative)
        moved = self.hook.move_file(remote.wire, target)
        log.info("source=%s moved %s to %s", self.name, remote.path, moved)

    def close(self) -> None:
        if self._hook is not None and hasattr(self._hook, "close_channels"):
            self._hook.close_channels()


def _remote(item: SourceItem):
    from airflow_provider_kmrl.hooks.sftp import RemoteFile

    m = item.metadata
    raw = bytes.fromhex(m["raw_path_hex"]) if m.get("raw_path_hex") else None
    return RemoteFile(m["remote_path"], int(m["size"]), int(m["mtime"]), raw)


def _tracked(checkpoint: dict[str, Any] | None) -> dict[str, tuple[int, int]]:
    if not checkpoint or checkpoint.get("version") != CHECKPOINT_VERSION:
        return {}
    return {path: (int(v[0]), int(v[1])) for path, v in (checkpoint.get("files") or {}).items()}


#: Registered through the entry point ``airflow_provider_kmrl.sources`` in ``pyproject.toml``.
KIND = SourceKind(
    kind="sftp",
    options_model=SFTPOptions,
    factory=lambda name, options, conn_id: SFTPSource(name, options, conn_id),
    supports_window=True,
    extra="sftp",
    requires=("airflow.providers.sftp", "paramiko"),
)
