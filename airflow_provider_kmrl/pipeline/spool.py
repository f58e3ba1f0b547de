"""Stream a source's bytes to a local spool file, hashing as they pass, in bounded memory.

Each run spools into a private folder (mode 0700, under a per-user root that must not be a
link) and holds an exclusive ``flock`` on a lock file inside it for as long as it runs. A run
killed with SIGKILL leaves its folder behind; the next run removes every folder whose lock it can
take, i.e. every folder no live run owns.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

log = logging.getLogger(__name__)
_LOCK_NAME = ".owner.lock"
_FOLDER_PREFIX = "run-"

CHUNK_SIZE = 1024 * 1024
HEAD_SIZE = 64 * 1024


@dataclass
class Spooled:
    """A fetched document on local disk; ``head`` keeps the first bytes for type detection."""

    path: str
    sha256: str | None
    size: int
    head: bytes
    too_large: bool = False

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def spool_stream(stream: BinaryIO, spool_dir: str, max_size: int | None) -> Spooled:
    """Copy ``stream`` to a new file under ``spool_dir`` while computing SHA-256 and size.

    Reading stops one byte past ``max_size`` so a huge file costs no more than the limit; the result
    then has ``too_large=True`` and no checksum.
    """
    if not os.path.isdir(spool_dir):  # a stat, not a failing mkdir per document
        os.makedirs(spool_dir, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = bytearray()
    fd, path = tempfile.mkstemp(prefix="doc-", suffix=".spool", dir=spool_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK_SIZE)
                if not chunk:
                    break
                size += len(chunk)
                if max_size is not None and size > max_size:
                    return Spooled(path, None, size, bytes(head), too_large=True)
                if len(head) < HEAD_SIZE:
                    head += chunk[: HEAD_SIZE - len(head)]
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return Spooled(path, digest.hexdigest(), size, bytes(head))


def default_spool_root() -> str:
    """A per-user folder under the system temp dir (not one shared, predictable path for all)."""
    return os.path.join(tempfile.gettempdir(), f"kmrl-spool-{os.getuid()}")


class SpoolFolder:
    """A run's private spool folder, locked while the run lives."""

    def __init__(self, path: str, lock_fd: int) -> None:
        self.path = path
        self._lock_fd = lock_fd

    @classmethod
    @contextlib.contextmanager
    def create(cls, root: str, label: str) -> Iterator[SpoolFolder]:
        """Make ``root`` safe, clear folders of dead runs, and lend a new private folder."""
        _safe_root(root)
        clear_abandoned(root)
        safe_label = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in label)[:60]
        path = tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{safe_label}-", dir=root)  # mode 0700
        fd = os.open(os.path.join(path, _LOCK_NAME), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield cls(path, fd)
        finally:
            shutil.rmtree(path, ignore_errors=True)
            os.close(fd)


def clear_abandoned(root: str) -> list[str]:
    """Remove run folders under ``root`` whose owner is gone (their lock is free); return them."""
    removed: list[str] = []
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return removed
    for name in names:
        if not name.startswith(_FOLDER_PREFIX):
            continue
        folder = os.path.join(root, name)
        try:
            fd = os.open(os.path.join(folder, _LOCK_NAME), os.O_RDWR | os.O_NOFOLLOW)
        except FileNotFoundError:
            # Killed between creating the folder and locking it, or a run starting right now:
            # only a folder older than a minute is taken to be abandoned.
            fd = None
            with contextlib.suppress(OSError):
                if time.time() - os.lstat(folder).st_mtime < 60:
                    continue
        except OSError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a live run owns it
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            if fd is not None:
                os.close(fd)
    if removed:
        log.info("removed %d spool folders left by killed runs", len(removed))
    return removed


def _safe_root(root: str) -> None:
    """Create ``root`` 0700, or refuse it when it is a link or someone else's folder."""
    try:
        os.mkdir(root, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(root)
    if not stat.S_ISDIR(st.st_mode):
        raise RuntimeError(f"spool folder {root} is not a folder (a symbolic link?); refusing to use it")
    if st.st_uid != os.getuid():
        raise RuntimeError(f"spool folder {root} belongs to another user; refusing to use it")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(root, 0o700)
