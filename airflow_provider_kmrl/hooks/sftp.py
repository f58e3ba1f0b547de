"""The sftp provider's ``SFTPHook``, extended with what a document source needs.

Three additions, none of which the upstream hook offers:

- a bounded pool of SFTP channels over one SSH connection, because the engine reads several
  documents at once from worker threads and a paramiko ``SFTPClient`` must not be shared between
  threads mid-request;
- a recursive walk that returns size and mtime with each file and never follows symbolic links;
- a streamed read with bounded read-ahead: ``SFTPFile.readv`` over windows of 32 KiB requests, so
  throughput comes from pipelining while memory (client and server) stays bounded. paramiko's own
  ``prefetch`` either queues every request of the file at once or, when bounded, busy-waits in
  10 ms sleeps; a window of ``readv`` does neither.
"""

from __future__ import annotations

import logging
import posixpath
import queue
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airflow.providers.sftp.hooks.sftp import SFTPHook
from airflow.providers.ssh.hooks.ssh import SSHHook

from airflow_provider_kmrl.exceptions import SourceError
from airflow_provider_kmrl.names import escape_bytes

if TYPE_CHECKING:
    import paramiko

log = logging.getLogger(__name__)
REQUEST_SIZE = 32 * 1024  # what OpenSSH's sftp-server answers per READ at most


@dataclass(frozen=True)
class RemoteFile:
    """A regular file on the server: absolute path, size in bytes, mtime in whole seconds (SFTPv3).

    ``path`` is always valid text: a name that is not UTF-8 is escaped (``\\xNN``) and ``raw``
    keeps the bytes the server knows it by. ``link`` marks a symbolic link (size and mtime are
    then the link's own unless it was followed).
    """

    path: str
    size: int
    mtime: int
    raw: bytes | None = None
    link: bool = False

    @property
    def wire(self) -> str | bytes:
        """The path as the server must be asked for it."""
        return self.raw if self.raw is not None else self.path


class FileChangedError(SourceError):
    """The file's size or mtime differs from what was listed: it is being written or was replaced."""


class KmrlSFTPHook(SFTPHook):
    """SFTP with a channel pool, a recursive walk and streamed reads (connection type ``sftp``).

    Uses the sftp provider's connection handling (host, port, login, password,
    ``key_file``/``private_key``, ``host_key``/``no_host_key_check`` extras) with one change:
    SSH compression is off unless the connection's extra says ``"compress": true`` -- documents
    are mostly compressed already, and zlib on the server would cap throughput.

    :param ssh_conn_id: the Airflow ``sftp`` connection.
    :param max_channels: SFTP channels open at once; bounds the load one task puts on the server
        (OpenSSH allows 10 sessions per connection unless ``MaxSessions`` says otherwise).
    """

    def __init__(
        self, ssh_conn_id: str | None = "sftp_default", max_channels: int = 4, **kwargs: Any
    ) -> None:
        super().__init__(ssh_conn_id=ssh_conn_id, **kwargs)
        if ssh_conn_id:
            asked = self.get_connection(ssh_conn_id).extra_dejson.get("compress")
            self.compress = str(asked).lower() == "true"
        self.max_channels = max(1, int(max_channels))
        self._ssh: paramiko.SSHClient | None = None
        self._idle: queue.LifoQueue[paramiko.SFTPClient] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(self.max_channels)
        self._lock = threading.Lock()

    # -- channels ---------------------------------------------------------------------------

    def _ssh_client(self) -> paramiko.SSHClient:
        with self._lock:
            transport = self._ssh.get_transport() if self._ssh is not None else None
            if transport is None or not transport.is_active():
                self._ssh = SSHHook.get_conn(self)  # one authenticated SSH connection for every channel
            return self._ssh

    @contextmanager
    def channel(self, timeout: float = 600) -> Iterator[paramiko.SFTPClient]:
        """An SFTP channel for this thread's exclusive use; waits while ``max_channels`` are busy."""
        if not self._slots.acquire(timeout=timeout):
            raise SourceError(f"no free SFTP channel to {self.remote_host} within {timeout:.0f}s")
        sftp, healthy = None, False
        try:
            try:
                sftp = self._idle.get_nowait()
            except queue.Empty:
                sftp = self._ssh_client().open_sftp()
            yield sftp
            healthy = True
        finally:
            if sftp is not None:
                if healthy and not sftp.sock.closed:
                    self._idle.put(sftp)
                else:  # an interrupted transfer may leave replies in flight: never reuse the channel
                    _close_quietly(sftp)
            self._slots.release()

    def close_channels(self) -> None:
        """Close every idle channel and the SSH connection."""
        while True:
            try:
                _close_quietly(self._idle.get_nowait())
            except queue.Empty:
                break
        with self._lock:
            if self._ssh is not None:
                _close_quietly(self._ssh)
                self._ssh = None

    # -- listing ----------------------------------------------------------------------------

    def walk_files(self, root: str, skip_dir: Any = None, follow_links: bool = False) -> Iterator[RemoteFile]:
        """Every regular file below ``root`` (depth first), and every link to a file, marked as such.

        Names arrive as bytes (paramiko would refuse a name that is not UTF-8, and with it the
        whole folder); a folder that cannot be read is skipped with a warning. Links to folders
        are never entered; a link to a file is reported with ``link=True`` unless ``follow_links``
        (then it is the target's size and mtime, still at the link's path).

        :param skip_dir: optional ``callable(path) -> bool``; a folder it accepts is not entered.
        """
        with self.channel() as sftp:
            try:
                top = sftp.stat(root)
            except OSError as err:
                raise SourceError(f"cannot read remote folder {root!r} on {self.remote_host}: {err}") from err
            if not stat.S_ISDIR(top.st_mode or 0):
                raise SourceError(f"remote path {root!r} on {self.remote_host} is not a folder")
            pending: list[tuple[str, bytes]] = [(root, root.encode())]
            while pending:
                folder, folder_raw = pending.pop()
                try:
                    entries = _listdir_raw(sftp, folder_raw)
                except FileNotFoundError:
                    continue  # removed while we walked
                except OSError as err:
                    log.warning("cannot read remote folder %r on %s (%s); skipped", folder, self.remote_host, err)
                    continue
                for name_raw, entry in entries:
                    if name_raw in (b".", b".."):
                        continue
                    raw = folder_raw.rstrip(b"/") + b"/" + name_raw
                    path = posixpath.join(folder, escape_bytes(name_raw))
                    keep_raw = None if path.encode() == raw else raw
                    mode = entry.st_mode or 0
                    if stat.S_ISDIR(mode):
                        if not (skip_dir and skip_dir(path)):
                            pending.append((path, raw))
                    elif stat.S_ISREG(mode):
                        yield RemoteFile(path, int(entry.st_size or 0), int(entry.st_mtime or 0), keep_raw)
                    elif stat.S_ISLNK(mode):
                        found = _link_target(sftp, raw) if follow_links else None
                        if found is not None:
                            yield RemoteFile(path, int(found.st_size or 0), int(found.st_mtime or 0), keep_raw)
                        elif not follow_links:
                            yield RemoteFile(path, 0, int(entry.st_mtime or 0), keep_raw, link=True)

    def stat_file(self, path: str, raw: bytes | None = None, follow_links: bool = False) -> RemoteFile | None:
        """The file's current size and mtime, or ``None`` if it is gone (or not a regular file)."""
        with self.channel() as sftp:
            try:
                st = sftp.stat(raw or path) if follow_links else sftp.lstat(raw or path)
            except FileNotFoundError:
                return None
        if not stat.S_ISREG(st.st_mode or 0):
            return None
        return RemoteFile(path, int(st.st_size or 0), int(st.st_mtime or 0), raw)

    # -- reading ----------------------------------------------------------------------------

    @contextmanager
    def open_stream(
        self, expected: RemoteFile, read_ahead: int = 16 * 1024 * 1024, follow_links: bool = False
    ) -> Iterator[RemoteStream]:
        """A binary stream of ``expected``; raises :class:`FileChangedError` if it is not that version.

        The file is checked against the listed size and mtime when opened and again at the end,
        so a file still being written, or replaced meanwhile, is never taken for the listed one.
        """
        with self.channel() as sftp:
            if not follow_links:
                try:
                    now = sftp.lstat(expected.wire)
                except FileNotFoundError as err:
                    raise FileChangedError(f"{expected.path} is gone") from err
                if not stat.S_ISREG(now.st_mode or 0):
                    raise SourceError(f"{expected.path} is no longer a regular file (a symbolic link?); not read")
            handle = sftp.open(expected.wire, "rb")
            try:
                _check_same(expected, handle.stat())
                stream = RemoteStream(handle, expected, read_ahead)
                yield stream
            finally:
                handle.close()

    # -- changing the server (after a committed ingest) -------------------------------------

    def move_file(self, path: str | bytes, target: str | bytes) -> str:
        """Rename ``path`` to ``target``, creating folders; a taken name gets ``.1``, ``.2``, ... appended."""
        shown = path if isinstance(path, str) else escape_bytes(path)
        try:
            with self.channel() as sftp:
                target_b = target if isinstance(target, bytes) else target.encode()
                _makedirs(sftp, posixpath.dirname(target_b))
                candidate, n = target_b, 1
                while _exists(sftp, candidate):
                    candidate, n = target_b + f".{n}".encode(), n + 1
                sftp.rename(path, candidate)
                return escape_bytes(candidate)
        except OSError as err:
            raise SourceError(f"cannot move {shown!r} on {self.remote_host}: {err}") from err

    def remove_file(self, path: str | bytes) -> None:
        """Delete one file; a failure names it."""
        shown = path if isinstance(path, str) else escape_bytes(path)
        try:
            with self.channel() as sftp:
                sftp.remove(path)
        except OSError as err:
            raise SourceError(f"cannot delete {shown!r} on {self.remote_host}: {err}") from err


class RemoteStream:
    """File-like ``read(n)`` over a remote file, pipelining ``read_ahead`` bytes of requests."""

    def __init__(self, handle: paramiko.SFTPFile, expected: RemoteFile, read_ahead: int) -> None:
        self._handle = handle
        self._expected = expected
        self._window = max(1, read_ahead // REQUEST_SIZE)
        self._offset = 0  # next byte to request
        self._blocks: Iterator[bytes] = iter(())
        self._pending = b""
        self._done = False
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise ValueError("read the remote file in chunks, never whole")
        out = bytearray()
        while len(out) < size:
            if not self._pending:
                self._pending = self._next_block()
                if not self._pending:
                    break
            take = self._pending[: size - len(out)]
            self._pending = self._pending[len(take):]
            out += take
        self.bytes_read += len(out)
        return bytes(out)

    def _next_block(self) -> bytes:
        block = next(self._blocks, None)
        if block is not None:
            return block
        if self._offset < self._expected.size:
            chunks: list[Any] = []
            while self._offset < self._expected.size and len(chunks) < self._window:
                length = min(REQUEST_SIZE, self._expected.size - self._offset)
                chunks.append((self._offset, length))
                self._offset += length
            self._blocks = self._handle.readv(chunks)
            return self._next_block()
        if not self._done:
            self._done = True
            self._finish()
        return b""

    def _finish(self) -> None:
        """At the listed end: the file must not go on, nor have changed while it was read."""
        self._handle.seek(self._expected.size)
        if self._handle.read(1):
            raise FileChangedError(
                f"{self._expected.path} grew beyond the listed {self._expected.size} bytes while it was read"
            )
        _check_same(self._expected, self._handle.stat())


def _check_same(expected: RemoteFile, st: Any) -> None:
    size, mtime = int(st.st_size or 0), int(st.st_mtime or 0)
    if (size, mtime) != (expected.size, expected.mtime):
        raise FileChangedError(
            f"{expected.path} changed since it was listed (size {expected.size} -> {size}, "
            f"mtime {expected.mtime} -> {mtime}); its new version is ingested on a later run"
        )


def _exists(sftp: paramiko.SFTPClient, path: str | bytes) -> bool:
    try:
        sftp.lstat(path)
    except FileNotFoundError:
        return False
    return True


def _makedirs(sftp: paramiko.SFTPClient, folder: bytes) -> None:
    """Create ``folder`` and its parents; an existing part that is a symbolic link is refused."""
    parts = [p for p in folder.split(b"/") if p]
    path = b"/" if folder.startswith(b"/") else b""
    for part in parts:
        path = posixpath.join(path, part) if path else part
        try:
            st = sftp.lstat(path)
        except FileNotFoundError:
            try:
                sftp.mkdir(path)
            except OSError:
                if not _exists(sftp, path):  # another worker may have created it meanwhile
                    raise
            continue
        if stat.S_ISLNK(st.st_mode or 0):
            raise SourceError(f"{escape_bytes(path)} is a symbolic link; refusing to move files through it")
        if not stat.S_ISDIR(st.st_mode or 0):
            raise SourceError(f"{escape_bytes(path)} is not a folder")


def _close_quietly(thing: Any) -> None:
    try:
        thing.close()
    except Exception:  # closing a broken channel or connection must not mask the real error
        pass


def _listdir_raw(sftp: paramiko.SFTPClient, folder: bytes) -> list[tuple[bytes, Any]]:
    """``listdir_attr`` with names as bytes: paramiko decodes them as strict UTF-8, and one Latin-1
    name used to fail the whole folder (and, listed again every run, the whole source)."""
    from paramiko.sftp import CMD_CLOSE, CMD_HANDLE, CMD_NAME, CMD_OPENDIR, CMD_READDIR, SFTPError
    from paramiko.sftp_attr import SFTPAttributes

    kind, msg = sftp._request(CMD_OPENDIR, folder)
    if kind != CMD_HANDLE:
        raise SFTPError("expected a handle")
    handle = msg.get_binary()
    found: list[tuple[bytes, Any]] = []
    try:
        while True:
            try:
                kind, msg = sftp._request(CMD_READDIR, handle)
            except EOFError:
                break
            if kind != CMD_NAME:
                raise SFTPError("expected a name response")
            for _ in range(msg.get_int()):
                name = msg.get_string()
                msg.get_string()  # the ls -l style long name
                found.append((name, SFTPAttributes._from_msg(msg)))
    finally:
        sftp._request(CMD_CLOSE, handle)
    return found


def _link_target(sftp: paramiko.SFTPClient, raw: bytes) -> Any:
    """The attributes of a link's target when it is a regular file, else ``None``."""
    try:
        st = sftp.stat(raw)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode or 0) else None
