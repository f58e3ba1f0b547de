"""Decode a MIME part's transfer encoding incrementally, as its bytes arrive in chunks.

A part is fetched in ranges (``BODY.PEEK[2]<offset.length>``), so a base64 quantum or a
quoted-printable escape may be split between two chunks; each decoder keeps that tail for the
next chunk. Memory is bounded by one chunk whatever the attachment's size.
"""

from __future__ import annotations

import binascii
import io
import re
from collections.abc import Callable
from typing import Any, Protocol

_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_QP_MAX_PENDING = 64 * 1024


class Decoder(Protocol):
    def feed(self, data: bytes) -> bytes: ...

    def flush(self) -> bytes: ...


class Identity:
    """7bit, 8bit, binary (and unknown encodings: the bytes are kept as they are)."""

    def feed(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class Base64:
    """Lenient base64: line breaks and stray characters are skipped, as mail clients do."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> bytes:
        data = self._pending + _NOT_BASE64.sub(b"", data)
        whole = len(data) - len(data) % 4
        self._pending = data[whole:]
        return binascii.a2b_base64(data[:whole]) if whole else b""

    def flush(self) -> bytes:
        tail, self._pending = self._pending, b""
        if len(tail) < 2:  # a single leftover character carries no complete byte
            return b""
        return binascii.a2b_base64(tail + b"=" * (-len(tail) % 4))


class QuotedPrintable:
    """Quoted-printable, decoded a whole line at a time so soft breaks and escapes stay intact."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> bytes:
        data = self._pending + data
        cut = data.rfind(b"\n") + 1
        if cut == 0 and len(data) > _QP_MAX_PENDING:  # a huge line: decode up to a safe point
            escape = data.rfind(b"=", len(data) - 3)
            cut = escape if escape >= 0 else len(data)
        self._pending = data[cut:]
        return binascii.a2b_qp(data[:cut]) if cut else b""

    def flush(self) -> bytes:
        tail, self._pending = self._pending, b""
        return binascii.a2b_qp(tail) if tail else b""


def decoder_for(encoding: str | None) -> Decoder:
    encoding = (encoding or "").strip().lower()
    if encoding == "base64":
        return Base64()
    if encoding == "quoted-printable":
        return QuotedPrintable()
    return Identity()


class PartStream(io.RawIOBase):
    """A readable stream of one decoded MIME part, pulling encoded ranges on demand.

    :param fetch: ``fetch(offset, length)`` returns up to ``length`` encoded bytes from
        ``offset``; fewer than asked means the part ends there.
    """

    def __init__(self, fetch: Callable[[int, int], bytes], encoding: str | None, chunk_size: int) -> None:
        super().__init__()
        self._fetch = fetch
        self._decoder = decoder_for(encoding)
        self._chunk = chunk_size
        self._offset = 0
        self._buffer = bytearray()
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            self._pull()
        if size < 0 or size >= len(self._buffer):
            out, self._buffer = bytes(self._buffer), bytearray()
        else:
            out = bytes(self._buffer[:size])
            del self._buffer[:size]
        return out

    def readall(self) -> bytes:
        return self.read(-1)

    def _pull(self) -> None:
        raw = self._fetch(self._offset, self._chunk)
        self._offset += len(raw)
        self._buffer += self._decoder.feed(raw)
        if len(raw) < self._chunk:
            self._buffer += self._decoder.flush()
            self._eof = True
