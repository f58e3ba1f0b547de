"""BODYSTRUCTURE -> a tree of MIME parts, and which of them are documents.

Working from the server's BODYSTRUCTURE means a message's bytes are never downloaded to find
its attachments: only the parts chosen here are fetched, one ``BODY.PEEK[<part>]`` at a time.
Part numbers follow RFC 3501 section 6.4.5 (``2.1`` is the first part inside a forwarded message
at ``2``).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.utils import collapse_rfc2231_value, decode_params, unquote
from typing import Any, Literal

from airflow_provider_kmrl.hooks.imap_wire import as_int, as_text

# Signatures are part of the mail, not documents: they would all land in quarantine as
# "type not allowed" and bury the real attachments' rows.
SIGNATURE_TYPES = frozenset(
    {"application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature"}
)
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
# Extensions mimetypes does not know, or gets wrong for mail.
_EXTENSIONS = {
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "text/plain": ".txt",
    "application/octet-stream": ".bin",
}


class StructureError(ValueError):
    """The server's BODYSTRUCTURE has a shape this parser does not understand."""


@dataclass(frozen=True)
class MimePart:
    """One node of a message's MIME tree, as the server describes it (nothing is downloaded).

    :param path: the IMAP part number (``"1"``, ``"2.3"``); ``""`` for the top-level multipart.
    :param size: size in bytes of the *encoded* body.
    """

    path: str
    content_type: str
    params: dict[str, str] = field(default_factory=dict)
    content_id: str | None = None
    encoding: str = "7bit"
    size: int = 0
    disposition: str | None = None
    disposition_params: dict[str, str] = field(default_factory=dict)
    children: tuple[MimePart, ...] = ()
    message: MimePart | None = None  # the body of a message/rfc822 part
    subject: str | None = None  # a forwarded message's subject, from its ENVELOPE

    @property
    def is_multipart(self) -> bool:
        return self.content_type.startswith("multipart/")

    @property
    def is_message(self) -> bool:
        return self.content_type in _MESSAGE_TYPES

    @property
    def filename(self) -> str | None:
        """The name the sender gave: Content-Disposition filename, else Content-Type name."""
        return self.disposition_params.get("filename") or self.params.get("name") or None


@dataclass(frozen=True)
class DocumentPart:
    """A part that becomes one document."""

    part: MimePart
    file_name: str
    inline: bool
    nested_in: str | None  # part number of the forwarded message it came from


# -- parsing -----------------------------------------------------------------------------------


def parse_bodystructure(node: Any) -> MimePart:
    """Parse the BODYSTRUCTURE value of one FETCH response (see :func:`mail_wire.parse_fetch`)."""
    try:
        return _message_body(node, prefix="")
    except (IndexError, TypeError, AttributeError) as err:
        raise StructureError(f"unexpected BODYSTRUCTURE shape: {type(err).__name__}: {err}") from err


def _message_body(node: Any, prefix: str) -> MimePart:
    """The body of a message: a multipart keeps ``prefix`` as its own path, a single part is ``.1``."""
    if _is_multipart(node):
        return _multipart(node, prefix)
    return _single(node, f"{prefix}.1" if prefix else "1")


def _is_multipart(node: Any) -> bool:
    return isinstance(node, list) and bool(node) and isinstance(node[0], list)


def _multipart(node: list[Any], path: str) -> MimePart:
    children = []
    index = 0
    while index < len(node) and isinstance(node[index], list):
        child_path = f"{path}.{index + 1}" if path else str(index + 1)
        child = node[index]
        children.append(_multipart(child, child_path) if _is_multipart(child) else _single(child, child_path))
        index += 1
    subtype = _lower(node[index]) if index < len(node) else "mixed"
    params = _params(node[index + 1]) if index + 1 < len(node) else {}
    disposition, disposition_params = _disposition(node[index + 2] if index + 2 < len(node) else None)
    return MimePart(
        path,
        f"multipart/{subtype}",
        params,
        disposition=disposition,
        disposition_params=disposition_params,
        children=tuple(children),
    )


def _single(node: list[Any], path: str) -> MimePart:
    maintype, subtype = _lower(node[0]) or "application", _lower(node[1]) or "octet-stream"
    content_type = f"{maintype}/{subtype}"
    extension_at = 7
    message = subject = None
    if maintype == "text":
        extension_at = 8  # + body lines
    elif content_type in _MESSAGE_TYPES and len(node) > 9 and isinstance(node[8], list):
        envelope = node[7]
        subject = (
            _decode_words(as_text(envelope[1])) if isinstance(envelope, list) and len(envelope) > 1 else None
        )
        message = _message_body(node[8], prefix=path)
        extension_at = 10  # + envelope, body, lines
    disposition_node = node[extension_at + 1] if len(node) > extension_at + 1 else None
    disposition, disposition_params = _disposition(disposition_node)
    return MimePart(
        path=path,
        content_type=content_type,
        params=_params(node[2]),
        content_id=as_text(node[3]),
        encoding=(_lower(node[5]) or "7bit"),
        size=as_int(node[6]),
        disposition=disposition,
        disposition_params=disposition_params,
        message=message,
        subject=subject,
    )


def _lower(value: Any) -> str:
    return (as_text(value) or "").strip().lower()


def _disposition(node: Any) -> tuple[str | None, dict[str, str]]:
    if not isinstance(node, list) or not node:
        return None, {}
    return (_lower(node[0]) or None), _params(node[1] if len(node) > 1 else None)


def _params(node: Any) -> dict[str, str]:
    """A BODYSTRUCTURE parameter list, with RFC 2231 (``name*0*=utf-8''...``) and RFC 2047 decoded."""
    if not isinstance(node, list):
        return {}
    pairs = [(as_text(node[i]) or "", as_text(node[i + 1]) or "") for i in range(0, len(node) - 1, 2)]
    try:
        decoded = decode_params([("", "")] + [(k.lower(), v) for k, v in pairs])[1:]
    except Exception:  # a broken RFC 2231 section must not cost the attachment its other params
        decoded = [(k.lower(), v) for k, v in pairs]
    out: dict[str, str] = {}
    for key, value in decoded:
        if isinstance(value, tuple):
            text = collapse_rfc2231_value(value, errors="replace", fallback_charset="utf-8")
        else:
            text = value
        out.setdefault(key, _clean(_decode_words(unquote(text))))
    return out


def _decode_words(value: str | None) -> str:
    """Decode RFC 2047 encoded words (``=?utf-8?b?...?=``), which many mailers put in file names."""
    if not value:
        return ""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # an invalid encoded word stays as the sender wrote it
        return value


def _clean(name: str) -> str:
    # Folded header lines leave line breaks and tabs inside values; NUL cannot go into jsonb.
    return (
        " ".join(name.replace("\x00", "").split()) if any(c in name for c in "\r\n\t\x00") else name.strip()
    )


# -- selecting documents -----------------------------------------------------------------------


def document_parts(
    root: MimePart,
    include_inline: bool = False,
    forwarded: Literal["attachments", "message"] = "attachments",
) -> list[DocumentPart]:
    """The parts of a message that become documents, in part-number order.

    Attachments always; inline parts that carry a name (typically images in an HTML body) only
    with ``include_inline``; message bodies never. A forwarded message (``message/rfc822``)
    contributes its own attachments (``forwarded="attachments"``) or becomes one ``.eml``
    document (``"message"``).
    """
    return list(_walk(root, include_inline, forwarded, nested_in=None))


def _walk(
    part: MimePart, include_inline: bool, forwarded: str, nested_in: str | None, related: bool = False
) -> Iterator[DocumentPart]:
    if part.is_multipart:
        for index, child in enumerate(part.children):
            # multipart/related: the first part is the HTML, the others are what it embeds.
            embedded = part.content_type == "multipart/related" and index > 0
            yield from _walk(child, include_inline, forwarded, nested_in, related=embedded)
        return
    if part.is_message and part.message is not None and forwarded == "attachments":
        yield from _walk(part.message, include_inline, forwarded, nested_in=part.path)
        return
    # A cid: resource of an HTML body is inline, whatever disposition the mailer gave it.
    role = "inline" if related and part.content_id else _role(part)
    if role == "attachment" or (role == "inline" and include_inline):
        yield DocumentPart(part, _file_name(part), inline=role == "inline", nested_in=nested_in)


def _role(part: MimePart) -> Literal["attachment", "inline", "body"]:
    maintype = part.content_type.split("/", 1)[0]
    if part.content_type in SIGNATURE_TYPES:
        return "body"
    if part.is_message:
        return "attachment"
    if part.disposition == "attachment":
        return "attachment"
    if part.disposition == "inline":
        if part.filename or maintype not in ("text", "message"):
            return "inline"
        return "body"
    if part.filename:  # no disposition: a named part is an attachment unless it is a cid: image
        return "inline" if part.content_id and maintype == "image" else "attachment"
    if maintype in ("text", "message", "multipart"):
        return "body"
    return "inline" if maintype == "image" else "attachment"


def _file_name(part: MimePart) -> str:
    if part.filename:
        return part.filename
    extension = _EXTENSIONS.get(part.content_type) or mimetypes.guess_extension(part.content_type) or ".bin"
    if part.is_message and part.subject:
        return f"{part.subject[:150]}{extension}"
    return f"part-{part.path or '1'}{extension}"
