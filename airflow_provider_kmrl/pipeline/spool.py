"""Stream a source's bytes to a local spool file, hashing as they pass, in bounded memory."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

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
