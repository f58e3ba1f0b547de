"""Malware scanning through clamd's INSTREAM command, failing closed.

A small client of our own rather than pyclamd: pyclamd writes with ``socket.send`` (partial writes
go unnoticed), turns a broken pipe at clamd's stream limit into a generic socket error, and opens
a connection per call without ``TCP_NODELAY``. Here every outcome that is not an explicit
``stream: OK`` is either "infected", "unscanned" (with the reason) or :class:`ScannerUnavailable`.
"""

from __future__ import annotations

import os
import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO

from airflow_provider_kmrl.core.protocols import Scanner  # noqa: F401 (re-exported)
from airflow_provider_kmrl.core.types import ScanResult, ScanStatus
from airflow_provider_kmrl.exceptions import ScannerUnavailable

CHUNK_SIZE = 1024 * 1024
_LIMITS_PREFIX = "Heuristics.Limits."


@dataclass(frozen=True)
class ClamdAddress:
    """Where clamd listens (TCP or a unix socket) and how long one exchange may take."""

    host: str | None = "127.0.0.1"
    port: int | None = 3310
    socket_path: str | None = None
    timeout: float = 120.0

    def describe(self) -> str:
        """The address as people write it, for messages."""
        return f"unix:{self.socket_path}" if self.socket_path else f"{self.host}:{self.port}"


class ClamdScanner:
    """Scan files with a clamd daemon over TCP or a unix socket (one connection per scan)."""

    def __init__(self, address: ClamdAddress) -> None:
        self.address = address

    def _connect(self) -> socket.socket:
        addr = self.address
        try:
            if addr.socket_path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(addr.timeout)
                sock.connect(addr.socket_path)
            else:
                sock = socket.create_connection((addr.host, addr.port), timeout=addr.timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as err:
            raise ScannerUnavailable(f"cannot reach clamd at {addr.describe()}: {err}") from err
        return sock

    def _command(self, command: bytes) -> str:
        sock = self._connect()
        try:
            sock.sendall(b"z" + command + b"\0")
            return _read_reply(sock)
        except OSError as err:
            raise ScannerUnavailable(f"clamd at {self.address.describe()} failed: {err}") from err
        finally:
            sock.close()

    def ping(self) -> str:
        """Return clamd's version string; raises :class:`ScannerUnavailable` when it does not answer."""
        if self._command(b"PING") != "PONG":
            raise ScannerUnavailable(f"clamd at {self.address.describe()} did not answer PING")
        return self._command(b"VERSION")

    def scan_file(self, path: str) -> ScanResult:
        """Scan the file at ``path`` (streamed with INSTREAM)."""
        with open(path, "rb") as stream:
            return self.scan_stream(stream, os.fstat(stream.fileno()).st_size)

    def scan_stream(self, stream: BinaryIO, size: int | None = None) -> ScanResult:
        """Send ``stream`` with INSTREAM and interpret the reply, failing closed.

        clamd that vanishes, hangs or stops reading raises :class:`ScannerUnavailable` (the run
        fails and is retried); only clamd's own "size limit exceeded" reply before it closes the
        stream is a per-document "not scanned".
        """
        where = self.address.describe()
        sock = self._connect()
        try:
            try:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK_SIZE):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError) as err:
                # clamd closes the socket when StreamMaxLength is reached, after saying so.
                reply = _try_read_reply(sock)
                if reply is None or "size limit" not in reply.lower():
                    raise ScannerUnavailable(f"clamd at {where} closed the stream without a verdict "
                                             f"({reply or err})") from err
                return ScanResult(ScanStatus.UNSCANNED,
                                  detail=f"clamd stopped reading the stream ({reply}); larger than StreamMaxLength")
            except OSError as err:  # a timeout while sending: clamd stopped reading or hangs
                raise ScannerUnavailable(f"clamd at {where} stopped reading: {err}") from err
            try:
                reply = _read_reply(sock)
            except OSError as err:
                raise ScannerUnavailable(f"clamd at {where} did not reply: {err}") from err
        finally:
            sock.close()
        return interpret_reply(reply)


# clamd answers that can change when asked again: resources and time under load.
_TRANSIENT_HINTS = ("maxscantime", "can't allocate", "cannot allocate", "out of memory", "timeout",
                    "lstat() failed", "temporary", "try again")


def interpret_reply(reply: str) -> ScanResult:
    """Map one INSTREAM reply line to a result; only an explicit ``OK`` is clean."""
    body = reply.split(":", 1)[1].strip() if reply.startswith("stream:") else reply.strip()
    if body == "OK":
        return ScanResult(ScanStatus.CLEAN)
    if body.endswith(" FOUND"):
        signature = body[: -len(" FOUND")].strip()
        if signature.startswith(_LIMITS_PREFIX):
            return ScanResult(ScanStatus.UNSCANNED, signature, f"clamd could not scan it fully: {signature}",
                              transient=_is_transient(signature))
        return ScanResult(ScanStatus.INFECTED, signature)
    return ScanResult(ScanStatus.UNSCANNED, detail=f"clamd error: {body or 'empty reply'}",
                      transient=_is_transient(body) or not body)


def _is_transient(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _TRANSIENT_HINTS)


def _read_reply(sock: socket.socket) -> str:
    data = bytearray()
    while not data.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            if data:
                break
            raise ConnectionResetError("clamd closed the connection without a reply")
        data += part
    return data.rstrip(b"\0\n").decode("utf-8", "replace")


def _try_read_reply(sock: socket.socket) -> str | None:
    try:
        sock.settimeout(2)
        return _read_reply(sock)
    except OSError:
        return None
