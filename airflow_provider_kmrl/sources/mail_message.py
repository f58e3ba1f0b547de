"""One message as listed (UID, INTERNALDATE, headers, structure) and its stable identity.

The identity must survive a UIDVALIDITY reset and Gmail's label folders (one message, many
UIDs), so it is never the UID: ``X-GM-MSGID`` when the server has it, else the Message-ID, else
a digest of the raw header block.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.parser import HeaderParser
from email.utils import getaddresses
from typing import Any

from airflow_provider_kmrl.hooks.imap_wire import as_int, parse_internaldate
from airflow_provider_kmrl.sources.mail_structure import MimePart, StructureError, parse_bodystructure

HEADER_FIELDS = ("MESSAGE-ID", "FROM", "TO", "CC", "SUBJECT", "DATE")
HEADER_ITEM = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
_MAX_ID_LENGTH = 250  # longer Message-IDs are hashed so source ids stay index-friendly


@dataclass(frozen=True)
class ListedMessage:
    """What one metadata FETCH says about a message; ``structure`` is None if it could not be parsed."""

    uid: int
    internaldate: datetime | None
    size: int
    structure: MimePart | None
    structure_error: str | None
    message_id: str | None
    gm_msgid: str | None
    subject: str | None
    sender: str | None
    to: list[str]
    cc: list[str]
    date: str | None
    header_digest: str | None = None

    def identity(self) -> str:
        """The message part of every source id; ``None`` never happens (a digest is the fallback)."""
        if self.gm_msgid:
            return f"gm:{self.gm_msgid}"
        if self.message_id:
            mid = self.message_id
            if len(mid) > _MAX_ID_LENGTH:
                mid = "sha256:" + hashlib.sha256(mid.encode("utf-8", "surrogateescape")).hexdigest()
            # A sender chooses its Message-ID, and could reuse another message's to have this one's
            # attachments taken for known ones. The server's size and arrival time of the message
            # are not the sender's to choose; they survive a UIDVALIDITY reset and re-listing.
            stamp = self.internaldate.isoformat() if self.internaldate else ""
            fingerprint = hashlib.sha256(f"{self.size}|{stamp}".encode()).hexdigest()[:12]
            return f"mid:{mid}#{fingerprint}"
        return f"hdr:{self.header_digest}"

    def metadata(self) -> dict[str, Any]:
        """Row metadata shared by all of the message's documents."""
        return {
            "message_id": self.message_id,
            "gm_msgid": self.gm_msgid,
            "subject": self.subject,
            "from": self.sender,
            "to": self.to,
            "cc": self.cc,
            "date": self.date,
            "internaldate": self.internaldate.isoformat() if self.internaldate else None,
            "message_size": self.size,
        }


def listed_message(record: dict[str, Any]) -> ListedMessage:
    """Build from one parsed FETCH record (UID, INTERNALDATE, RFC822.SIZE, BODYSTRUCTURE, headers)."""
    structure, error = None, None
    try:
        structure = parse_bodystructure(record.get("BODYSTRUCTURE"))
    except StructureError as err:
        error = str(err)
    headers = _headers(_header_bytes(record))
    gm = record.get("X-GM-MSGID")
    return ListedMessage(
        uid=int(record["UID"]),
        internaldate=parse_internaldate(record.get("INTERNALDATE")),
        size=as_int(record.get("RFC822.SIZE")),
        structure=structure,
        structure_error=error,
        message_id=headers.get("message_id"),
        gm_msgid=gm.decode("ascii", "replace") if isinstance(gm, bytes) else (str(gm) if gm else None),
        subject=headers.get("subject"),
        sender=headers.get("from"),
        to=headers.get("to") or [],
        cc=headers.get("cc") or [],
        date=headers.get("date"),
    )


def with_header_digest(message: ListedMessage, raw_header: bytes) -> ListedMessage:
    """Attach the digest of the full header block (identity of a message without Message-ID)."""
    from dataclasses import replace

    return replace(message, header_digest=hashlib.sha256(raw_header).hexdigest()[:40])


def _header_bytes(record: dict[str, Any]) -> bytes:
    for key, value in record.items():
        if key.startswith("BODY[HEADER") and isinstance(value, bytes):
            return value
    return b""


def _headers(raw: bytes) -> dict[str, Any]:
    """Decode the few headers we record; RFC 2047 words and raw 8-bit (UTF-8 or Windows-1252) both work.

    The compat32 parser plus ``decode_header`` is used on purpose: email's modern header registry
    costs about a millisecond per message, which is most of a 10,000-message listing.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    parsed = HeaderParser(policy=policy.compat32).parsestr(text)
    out: dict[str, Any] = {}
    for name, key in (("Message-ID", "message_id"), ("Subject", "subject"), ("Date", "date")):
        value = parsed.get(name)
        if value:
            out[key] = _clean(_decode_words(str(value)))
    sender = _addresses(parsed, "From")
    if sender:
        out["from"] = sender[0]
    for name, key in (("To", "to"), ("Cc", "cc")):
        out[key] = _addresses(parsed, name)
    if out.get("message_id"):
        out["message_id"] = "".join(out["message_id"].split())  # folded ids keep no whitespace
    return out


def _decode_words(value: str) -> str:
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # an invalid encoded word stays as the sender wrote it
        return value


def _addresses(parsed: Any, name: str) -> list[str]:
    values = [str(v) for v in parsed.get_all(name) or []]
    found = []
    for display, address in getaddresses(values):
        display = _decode_words(display)
        if address or display:
            found.append(_clean(f"{display} <{address}>" if display and address else address or display))
    return found


def _clean(value: str) -> str:
    return " ".join(value.replace("\x00", "").split())
