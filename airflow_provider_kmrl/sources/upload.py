"""A local (or mounted) upload folder, walked recursively.

``source_id`` is ``<relative path>@<size>@<mtime_ns>``: stable for a file's identity and
content, so an untouched file is never ingested twice and a replaced file is a new item. The
documents table, not the cursor, decides what is new (files copied in with an old mtime are
still found); the cursor records how far the committed, mtime-ordered prefix has reached.

The folder is written by people we do not trust, so every path is resolved from the root one
component at a time, relative to the folder already opened, without following symbolic links
(``openat`` with ``O_NOFOLLOW``): a folder swapped for a link between listing and reading,
moving or deleting is refused, never followed out of the root, and so is a link planted in
``processed_path``. The opened file must also be the very file that was listed (device and
inode). Names are bytes on disk: one that is not valid UTF-8 is recorded escaped
(:func:`~airflow_provider_kmrl.names.escape_bytes`) and its raw bytes kept in hex.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timezone
from typing import Any, BinaryIO, Literal, NamedTuple

from pydantic import Field

from airflow_provider_kmrl.core.types import SourceItem, Window
from airflow_provider_kmrl.exceptions import SourceError
from airflow_provider_kmrl.names import escape_bytes
from airflow_provider_kmrl.sources.base import SourceKind
from airflow_provider_kmrl.sources.globs import GlobOptions, _matches

log = logging.getLogger(__name__)
CHECKPOINT_VERSION = 1
MAX_DEPTH = 64  # folders nested deeper are skipped (each level holds a descriptor while walked)

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in must not hang the open
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | _NONBLOCK
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | _NONBLOCK


class UploadOptions(GlobOptions):
    path: str = Field(description="Folder to ingest, walked recursively.")
    after_ingest: Literal["keep", "move", "delete"] = "keep"
    processed_path: str | None = Field(default=None, description="Where `move` puts ingested files.")
    include_hidden: bool = Field(default=False, description="Ingest dot-files (often partial uploads).")

    def model_post_init(self, __context: Any) -> None:
        if self.after_ingest == "move" and not self.processed_path:
            raise ValueError("after_ingest: move needs processed_path")
        if self.processed_path and os.path.abspath(self.processed_path) == os.path.abspath(self.path):
            raise ValueError("processed_path must not be the upload folder itself")


class _Listed(NamedTuple):
    rel: bytes  # the relative path as the filesystem spells it
    size: int
    mtime_ns: int
    dev: int
    ino: int


class UploadFolderSource:
    """Files under ``options.path``; symbolic links are never followed (they could point anywhere)."""

    def __init__(self, name: str, options: UploadOptions) -> None:
        self.name = name
        self.options = options
        self.root = os.path.abspath(options.path)
        self.processed = os.path.abspath(options.processed_path) if options.processed_path else None
        # processed_path inside the folder is resolved from the root like everything else there.
        self._processed_rel: bytes | None = None
        if self.processed and os.path.commonpath([self.root, self.processed]) == self.root:
            self._processed_rel = os.fsencode(os.path.relpath(self.processed, self.root))

    # -- listing ----------------------------------------------------------------------------

    def list_items(self, checkpoint: dict[str, Any] | None, window: Window | None) -> Iterator[SourceItem]:
        root_fd = self._open_root()
        try:
            entries = sorted(self._walk(root_fd, b"", 0), key=lambda e: (e.mtime_ns, e.rel))
        finally:
            os.close(root_fd)
        for entry in entries:
            item = self._item(entry)
            if window is None or window.contains(item.source_ts):
                yield item

    def _walk(self, dir_fd: int, rel: bytes, depth: int) -> Iterator[_Listed]:
        """Regular files under the opened folder; one folder that cannot be read is skipped, not fatal."""
        try:
            with os.scandir(dir_fd) as it:
                entries = list(it)
        except OSError as err:
            log.warning("source=%s cannot list folder %s (skipped): %s", self.name, self._show(rel), err.strerror)
            return
        folders = []
        for entry in entries:
            name = os.fsencode(entry.name)
            if name.startswith(b".") and not self.options.include_hidden:
                continue
            child = rel + b"/" + name if rel else name
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # vanished since the folder was read
            except OSError as err:
                log.warning("source=%s cannot stat %s (skipped): %s", self.name, self._show(child), err.strerror)
                continue
            if stat.S_ISDIR(st.st_mode):
                if not self._skip_folder(child):
                    folders.append((name, child))
            elif stat.S_ISREG(st.st_mode) and self._wanted(child):
                yield _Listed(child, st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino)
        for name, child in folders:
            if depth >= MAX_DEPTH:
                log.warning("source=%s folder %s is nested deeper than %d levels (skipped)", self.name,
                            self._show(child), MAX_DEPTH)
                continue
            try:
                sub = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError as err:  # gone, unreadable, or swapped for a link since it was read
                if not isinstance(err, FileNotFoundError):
                    log.warning("source=%s cannot open folder %s (skipped): %s", self.name, self._show(child),
                                err.strerror)
                continue
            try:
                yield from self._walk(sub, child, depth + 1)
            finally:
                os.close(sub)

    def _skip_folder(self, rel: bytes) -> bool:
        text = rel.decode("utf-8", "surrogateescape")
        return rel == self._processed_rel or any(_matches(p, text) for p in self.options.exclude)

    def _wanted(self, rel: bytes) -> bool:
        text = rel.decode("utf-8", "surrogateescape")
        return (any(_matches(p, text) for p in self.options.include)
                and not any(_matches(p, text) for p in self.options.exclude))

    def _item(self, entry: _Listed) -> SourceItem:
        path = escape_bytes(entry.rel)
        metadata: dict[str, Any] = {"path": path, "size": entry.size, "mtime_ns": entry.mtime_ns,
                                    "folder": self.root, "dev": entry.dev, "ino": entry.ino}
        if path.encode("utf-8") != entry.rel:
            metadata["raw_path_hex"] = entry.rel.hex()  # what the source opens; the row shows ``path``
        return SourceItem(
            source_id=f"{path}@{entry.size}@{entry.mtime_ns}",
            file_name=escape_bytes(os.path.basename(entry.rel)),
            source_ts=datetime.fromtimestamp(entry.mtime_ns / 1e9, tz=timezone.utc),
            size_hint=entry.size,
            metadata=metadata,
        )

    # -- reading ----------------------------------------------------------------------------

    def open(self, item: SourceItem) -> AbstractContextManager[BinaryIO]:
        rel = _raw_path(item.metadata)
        parent_fd, name = self._open_parent(rel)
        try:
            fd = _step(parent_fd, name, _FILE_FLAGS, self._show(rel))
        finally:
            os.close(parent_fd)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise SourceError(f"upload file {self._show(rel)} is no longer a regular file")
            if not _same_identity(item.metadata, st):
                raise SourceError(f"upload file {self._show(rel)} was replaced after it was listed")
            os.set_blocking(fd, True)
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def reopen(self, source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem | None:
        if not metadata.get("path"):
            return None
        rel = _raw_path(metadata)
        try:
            parent_fd, name = self._open_parent(rel)
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        finally:
            os.close(parent_fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        item = self._item(_Listed(rel, st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino))
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

    # -- after ingest -----------------------------------------------------------------------

    def after_ingest(self, item: SourceItem) -> None:
        """Move or delete the listed file; raises :class:`SourceError` naming it when that fails."""
        if self.options.after_ingest == "keep":
            return
        rel = _raw_path(item.metadata)
        try:
            parent_fd, name = self._open_parent(rel)
        except (FileNotFoundError, NotADirectoryError):
            return  # its folder is gone, and the file with it
        try:
            try:
                st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
            except FileNotFoundError:
                return  # already moved or deleted (a run interrupted after its commit)
            listed = (item.metadata.get("size"), item.metadata.get("mtime_ns"))
            if not (stat.S_ISREG(st.st_mode) and _same_identity(item.metadata, st)
                    and (st.st_size, st.st_mtime_ns) == listed):
                return  # another file has taken its place: not ours to move
            if self.options.after_ingest == "delete":
                os.unlink(name, dir_fd=parent_fd)
            else:
                self._move(parent_fd, name, rel)
        except OSError as err:
            action = "delete" if self.options.after_ingest == "delete" else f"move to {self.processed}"
            raise SourceError(f"cannot {action} upload file {self._show(rel)}: {err.strerror}") from err
        finally:
            os.close(parent_fd)

    def _move(self, parent_fd: int, name: bytes, rel: bytes) -> None:
        with self._processed_folder(rel.split(b"/")[:-1]) as target_fd:
            target, n = name, 1
            while _exists(target_fd, target):
                target, n = b"%s.%d" % (name, n), n + 1
            try:
                os.rename(name, target, src_dir_fd=parent_fd, dst_dir_fd=target_fd)
            except OSError as err:
                if err.errno != errno.EXDEV:
                    raise
                _copy_across(parent_fd, name, target_fd, target)
                os.unlink(name, dir_fd=parent_fd)

    @contextmanager
    def _processed_folder(self, folders: list[bytes]) -> Iterator[int]:
        """The processed folder for ``folders`` (created as needed), every level opened without links."""
        assert self.processed is not None
        if self._processed_rel is not None:
            fd = self._open_root()
            path = self._processed_rel.split(b"/") + folders
        else:
            # The configured folder's own parents are the administrator's; from there on, no link.
            parent = os.path.dirname(self.processed)
            os.makedirs(parent, exist_ok=True)
            fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            path = [os.fsencode(os.path.basename(self.processed))] + folders
        try:
            for i, part in enumerate(path):
                fd = _replace(fd, _step_or_create(fd, part, self._show_processed(path[: i + 1])))
            yield fd
        finally:
            os.close(fd)

    def close(self) -> None:
        pass

    # -- paths ------------------------------------------------------------------------------

    def _open_root(self) -> int:
        try:  # the configured root itself may be a link (a mount point): that is the administrator's choice
            return os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError):
            raise SourceError(f"upload folder {self.root} does not exist or is not a folder") from None

    def _open_parent(self, rel: bytes) -> tuple[int, bytes]:
        """The opened folder holding ``rel`` (the caller closes it) and the file's name in it.

        Resolved from the root one folder at a time, never through a link.
        """
        parts = rel.split(b"/")
        if any(p in (b"", b".", b"..") for p in parts):
            raise SourceError(f"upload path {escape_bytes(rel)!r} does not name a file inside the folder")
        fd = self._open_root()
        try:
            for i, part in enumerate(parts[:-1]):
                fd = _replace(fd, _step(fd, part, _DIR_FLAGS, self._show(b"/".join(parts[: i + 1]))))
        except BaseException:
            os.close(fd)
            raise
        return fd, parts[-1]

    def _show(self, rel: bytes) -> str:
        return os.path.join(self.root, escape_bytes(rel)) if rel else self.root

    def _show_processed(self, path: list[bytes]) -> str:
        base = self.root if self._processed_rel is not None else os.path.dirname(self.processed or "")
        return os.path.join(base, escape_bytes(b"/".join(path)))

def _raw_path(metadata: dict[str, Any]) -> bytes:
    """The relative path's bytes on disk: kept in hex when the recorded ``path`` had to be escaped."""
    raw = metadata.get("raw_path_hex")
    return bytes.fromhex(raw) if raw else str(metadata["path"]).encode("utf-8", "surrogateescape")


def _same_identity(metadata: dict[str, Any], st: os.stat_result) -> bool:
    """The file is the one listed (rows written before ``dev``/``ino`` were recorded match any)."""
    dev, ino = metadata.get("dev"), metadata.get("ino")
    return dev is None or ino is None or (st.st_dev, st.st_ino) == (dev, ino)


def _step(dir_fd: int, name: bytes, flags: int, show: str) -> int:
    """Open ``name`` in ``dir_fd`` without following a link; a link is a clear :class:`SourceError`."""
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) and _is_link(dir_fd, name):
            raise SourceError(f"refused {show}: a symlink was found in the path (links are never followed)") from None
        raise


def _step_or_create(dir_fd: int, name: bytes, show: str) -> int:
    try:
        return _step(dir_fd, name, _DIR_FLAGS, show)
    except FileNotFoundError:
        pass
    try:
        os.mkdir(name, dir_fd=dir_fd)
    except FileExistsError:
        pass  # made meanwhile; opened below like any other (a link is refused there)
    return _step(dir_fd, name, _DIR_FLAGS, show)


def _replace(old_fd: int, new_fd: int) -> int:
    os.close(old_fd)
    return new_fd


def _is_link(dir_fd: int, name: bytes) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _exists(dir_fd: int, name: bytes) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _copy_across(src_dir_fd: int, name: bytes, dst_dir_fd: int, target: bytes) -> None:
    """Copy to another filesystem (where rename cannot go), never writing through a link."""
    src = os.open(name, _FILE_FLAGS, dir_fd=src_dir_fd)
    try:
        st = os.fstat(src)
        os.set_blocking(src, True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        dst = os.open(target, flags, stat.S_IMODE(st.st_mode), dir_fd=dst_dir_fd)
        try:
            with os.fdopen(src, "rb", closefd=False) as reader, os.fdopen(dst, "wb", closefd=False) as writer:
                shutil.copyfileobj(reader, writer, 1024 * 1024)
            os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
            os.fsync(dst)
        except BaseException:
            os.unlink(target, dir_fd=dst_dir_fd)
            raise
        finally:
            os.close(dst)
    finally:
        os.close(src)


#: Registered through the entry point ``airflow_provider_kmrl.sources`` in ``pyproject.toml``.
KIND = SourceKind(
    kind="upload",
    options_model=UploadOptions,
    factory=lambda name, options, conn_id: UploadFolderSource(name, options),
    supports_window=True,
)
