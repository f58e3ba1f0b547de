"""IMAP wire format: parse FETCH/LIST responses as imaplib hands them over, and build arguments.

imaplib returns a FETCH response as bytes, with every literal (``{n}``) split out into a tuple.
Attachment names, subjects and 8-bit header values often travel as literals, so parsing must
put them back in place instead of decoding whole lines as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}\s*$")
_MARK = b"\x00"  # never appears in IMAP protocol text; brackets a literal's index


class WireError(ValueError):
    """A server response this parser cannot make sense of."""


# -- tokenising --------------------------------------------------------------------------------


def _flatten(data: Iterable[Any]) -> tuple[bytes, list[bytes]]:
    """Join imaplib's response items into one buffer where each literal is a marker."""
    text = bytearray()
    literals: list[bytes] = []
    for element in data:
        if element is None:
            continue
        if isinstance(element, tuple):
            head, literal = element[0], element[1]
            match = _LITERAL_AT_END.search(head)
            if match is None:
                raise WireError(f"literal without a {{n}} announcement: {head[-80:]!r}")
            text += head[: match.start()] + _MARK + str(len(literals)).encode() + _MARK + b" "
            literals.append(bytes(literal))
        else:
            text += element + b" "
    return bytes(text), literals


# One token: "(" | ")" | quoted string | literal marker | atom (a [section] may hold spaces).
_TOKEN = re.compile(
    rb'[ \t\r\n]*(?:(?P<open>\()|(?P<close>\))|"(?P<quoted>(?:[^"\\]|\\.)*)"'
    rb"|\x00(?P<literal>\d+)\x00|(?P<atom>(?:[^ \t\r\n()\x00\[\]]|\[[^\]]*\])+))",
    re.S,
)
_UNQUOTE = re.compile(rb"\\(.)", re.S)


class _Tokens:
    """The tokens of one flattened response, tokenised in one pass and read with a cursor."""

    def __init__(self, text: bytes, literals: list[bytes]) -> None:
        self.literals = literals
        self.items: list[tuple[str, bytes]] = []
        end = 0
        for match in _TOKEN.finditer(text):
            if match.start() != end:
                raise WireError(f"unexpected response text at {end}: {text[end : end + 40]!r}")
            end = match.end()
            kind = match.lastgroup or ""
            self.items.append((kind, match.group(kind)))
        if text[end:].strip():
            raise WireError(f"unexpected response text at {end}: {text[end : end + 40]!r}")
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.items)

    def _take(self) -> tuple[str, bytes]:
        if self.pos >= len(self.items):
            raise WireError("response ended early")
        item = self.items[self.pos]
        self.pos += 1
        return item

    def peek_close(self) -> bool:
        if self.pos >= len(self.items):
            raise WireError("response ended early")
        return self.items[self.pos][0] == "close"

    def expect(self, kind: str) -> None:
        found, text = self._take()
        if found != kind:
            raise WireError(f"expected {kind}, got {text!r}")

    def value(self) -> Any:
        """One value: list, string (bytes), NIL (None) or atom (bytes)."""
        kind, text = self._take()
        if kind == "open":
            items = []
            while not self.peek_close():
                items.append(self.value())
            self.pos += 1
            return items
        if kind == "quoted":
            return _UNQUOTE.sub(rb"\1", text) if b"\\" in text else text
        if kind == "literal":
            return self.literals[int(text)]
        if kind == "atom":
            return None if text.upper() == b"NIL" else text
        raise WireError("unexpected ')'")

    def atom(self) -> bytes:
        kind, text = self._take()
        if kind != "atom":
            raise WireError(f"expected an atom, got {text!r}")
        return text


# -- responses ---------------------------------------------------------------------------------


def parse_fetch(data: Sequence[Any]) -> list[dict[str, Any]]:
    """``imaplib`` FETCH data -> one dict per message: item name (upper case) -> value.

    Values keep their wire types: bytes for atoms and strings, lists, ``None`` for NIL. The
    message sequence number is under ``"SEQ"``. Unsolicited FETCH responses (flag changes pushed by
    the server) come back too; callers pick the records that carry what they asked for.
    """
    text, literals = _flatten(data)
    tokens = _Tokens(text, literals)
    records = []
    while not tokens.at_end():
        seq = tokens.atom()
        if not seq.isdigit():
            raise WireError(f"expected a message number, got {seq!r}")
        tokens.expect("open")
        record: dict[str, Any] = {"SEQ": int(seq)}
        while not tokens.peek_close():
            name = tokens.atom().decode("ascii", "replace").upper()
            record[name] = tokens.value()
        tokens.expect("close")
        records.append(record)
    return records


def parse_list(data: Sequence[Any]) -> list[tuple[list[str], str]]:
    """LIST responses -> ``[(flags, mailbox name)]`` (names decoded from modified UTF-7)."""
    out = []
    for element in data:
        if element is None:
            continue
        text, literals = _flatten([element])
        tokens = _Tokens(text, literals)
        flags = [f.decode("ascii", "replace") for f in tokens.value() or []]
        tokens.value()  # hierarchy delimiter
        name = tokens.value()
        out.append(
            (flags, decode_mailbox(name.decode("ascii", "replace") if isinstance(name, bytes) else ""))
        )
    return out


def parse_status(line: bytes) -> dict[str, int]:
    """``b'INBOX (MESSAGES 3 UIDNEXT 4)'`` -> ``{"MESSAGES": 3, "UIDNEXT": 4}``."""
    open_at = line.rfind(b"(")
    if open_at < 0 or not line.rstrip().endswith(b")"):
        raise WireError(f"unexpected STATUS response {line!r}")
    words = line[open_at + 1 : line.rstrip().rfind(b")")].split()
    return {words[i].decode().upper(): int(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def parse_internaldate(value: bytes | str | None) -> datetime | None:
    """``"17-Jul-1996 02:44:25 -0700"`` -> an aware UTC datetime."""
    if value is None:
        return None
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    try:
        return datetime.strptime(text.strip(), "%d-%b-%Y %H:%M:%S %z").astimezone(timezone.utc)
    except ValueError:
        return None


def as_text(value: Any) -> str | None:
    """A wire string as text: UTF-8 when it is valid UTF-8, else Latin-1 (never fails)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")
    return str(value)


def as_int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# -- arguments ---------------------------------------------------------------------------------


def uid_set(uids: Sequence[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` -> ``"1:3,7,9:10"`` (sorted input keeps the command short)."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}:{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def search_date(value: datetime) -> str:
    """IMAP SEARCH date (``1-Mar-2026``); month names are fixed English, not the locale's."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{value.day}-{months[value.month - 1]}-{value.year}"


def quote(value: str) -> str:
    """An IMAP quoted string (ASCII only; non-ASCII mailbox names go through :func:`encode_mailbox`)."""
    if any(ch in value for ch in "\r\n\x00"):
        raise ValueError(f"cannot quote {value!r}: line breaks and NUL are not allowed")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_mailbox(name: str) -> str:
    """Mailbox name in IMAP's modified UTF-7 (RFC 3501 section 5.1.3), quoted for a command."""
    import base64

    out: list[Any] = []
    pending: list[Any] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode("ascii").rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return quote("".join(out))


def decode_mailbox(name: str) -> str:
    """Modified UTF-7 -> text (names that are not valid modified UTF-7 are returned as they are)."""
    import base64

    def repl(match: re.Match[str]) -> str:
        body = match.group(1)
        if not body:
            return "&"
        data = body.replace(",", "/")
        data += "=" * (-len(data) % 4)
        try:
            return base64.b64decode(data).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            return match.group(0)

    return re.sub(r"&([A-Za-z0-9+,]*)-", repl, name)
