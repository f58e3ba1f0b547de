"""Names from hostile places made safe to record, reversibly.

A file name is whatever bytes a filesystem, an SFTP server or a mail header hands us. Postgres
``text`` refuses NUL and anything that is not valid UTF-8 (lone surrogates included), so one such
name used to fail a whole batch's lookup or claim. These helpers turn any name into valid text,
keeping the original recoverable: undecodable bytes become ``\\xNN`` escapes (a literal backslash
is doubled, so the escaping is reversible) and the raw bytes can be kept in hex beside it.

This module imports nothing from the package: sources, hooks and the pipeline all use it.
"""

from __future__ import annotations

import re
from typing import Any

_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def escape_bytes(raw: bytes) -> str:
    """Decode ``raw`` as UTF-8; each byte that is not valid UTF-8 (and NUL) becomes ``\\xNN``.

    A valid UTF-8 name without backslashes comes back unchanged, so ordinary names look the
    same in the row and in the source.
    """
    text = raw.decode("utf-8", "surrogateescape")
    return escape_text(text)


def escape_text(text: str) -> str:
    """Make ``text`` storable in Postgres: NUL, lone surrogates and backslashes escaped.

    Surrogates produced by ``surrogateescape`` (U+DC80..U+DCFF) stand for one raw byte and become
    ``\\xNN``; other lone surrogates become ``\\uXXXX``; NUL becomes ``\\x00``.
    """
    if "\\" not in text and "\x00" not in text and not _has_surrogate(text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\x00":
            out.append("\\x00")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def unescape_to_bytes(escaped: str) -> bytes:
    """The inverse of :func:`escape_bytes`: the original raw bytes of an escaped name."""

    def one(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "\\":
            return "\\"
        if token[0] == "x":
            value = int(token[1:], 16)
            return "\x00" if value == 0 else chr(0xDC00 + value) if value >= 0x80 else chr(value)
        return chr(int(token[1:], 16))

    return _ESCAPE.sub(one, escaped).encode("utf-8", "surrogateescape")


def is_storable(text: str) -> bool:
    """True when Postgres ``text`` accepts ``text`` as it is."""
    return "\x00" not in text and not _has_surrogate(text)


def storable(value: Any) -> Any:
    """``value`` (str, or JSON-like dict/list) with every string made storable; keys too."""
    if isinstance(value, str):
        return value if is_storable(value) else escape_text(value)
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable(v) for v in value]
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
