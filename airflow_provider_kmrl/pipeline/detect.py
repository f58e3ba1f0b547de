"""Decide what a file really is from its magic bytes, and whether it may enter the raw store.

The extension is only a claim: content that contradicts it, or a type off the allow-list, is
quarantined with the reason.
"""

from __future__ import annotations

import threading
import zipfile

import magic

from airflow_provider_kmrl.pipeline.keys import file_extension
from airflow_provider_kmrl.pipeline.models import TypeCheck

OOXML_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OOXML_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OOXML_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Detected MIME type -> extensions a file of that type may carry. Keys form the default allow-list.
DEFAULT_ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    OOXML_DOCX: frozenset({"docx", "docm", "dotx"}),
    OOXML_XLSX: frozenset({"xlsx", "xlsm", "xltx"}),
    OOXML_PPTX: frozenset({"pptx", "ppsx", "potx"}),
    "application/msword": frozenset({"doc", "dot"}),
    "application/vnd.ms-excel": frozenset({"xls", "xlt"}),
    "application/vnd.ms-powerpoint": frozenset({"ppt", "pps"}),
    "application/vnd.oasis.opendocument.text": frozenset({"odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": frozenset({"ods"}),
    "application/rtf": frozenset({"rtf", "doc"}),
    "text/rtf": frozenset({"rtf", "doc"}),
    "text/plain": frozenset({"txt", "text", "csv", "tsv", "log", "md", "json", "xml", ""}),
    "text/csv": frozenset({"csv", "txt", "tsv"}),
    "application/csv": frozenset({"csv", "txt"}),
    "application/json": frozenset({"json", "txt"}),
    "text/xml": frozenset({"xml"}),
    "application/xml": frozenset({"xml"}),
    "message/rfc822": frozenset({"eml", "msg", "txt"}),
    "image/jpeg": frozenset({"jpg", "jpeg", "jpe"}),
    "image/png": frozenset({"png"}),
    "image/tiff": frozenset({"tif", "tiff"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
}

# Old Office formats are all OLE2 containers; libmagic names them in several ways.
_OLE_ALIASES = {"application/x-ole-storage", "application/vnd.ms-office", "application/CDFV2"}
_OLE_EXTENSIONS = frozenset({"doc", "dot", "xls", "xlt", "ppt", "pps", "msg"})
_ZIP_LIKE = {"application/zip", "application/octet-stream", "application/x-zip-compressed"}
_OOXML_BY_FOLDER = (("word/", OOXML_DOCX), ("xl/", OOXML_XLSX), ("ppt/", OOXML_PPTX))

# What libmagic's built-in tests (no magic database) call text. Only these take the short path.
_BUILTIN_TEXT = {"text/plain", "text/csv", "application/json"}
# Bytes of a text that the magic database reads. Its text rules (mail headers, ``#!``, ``<?xml``,
# ``{\rtf``, ``<html``) look at the first lines, but each costs about 1 ms per KB it is given
# (libmagic 5.44): the whole 64 KB head made the type check of a 20 KB text cost more than its
# virus scan.
TEXT_MAGIC_BYTES = 1024

_local = threading.local()


def _handles() -> tuple[magic.Magic, magic.Magic]:
    """(full, builtin-only) libmagic handles of this thread; each is locked inside python-magic."""
    if not hasattr(_local, "handles"):
        builtin = magic.Magic(mime=True)
        magic.magic_setflags(builtin.cookie, magic.MAGIC_MIME_TYPE | magic.MAGIC_NO_CHECK_SOFT)
        _local.handles = (magic.Magic(mime=True), builtin)
    return _local.handles


def sniff_mime(path: str, head: bytes) -> str:
    """MIME type from the first bytes (at least 8 KB, as OOXML needs), looking inside zips.

    libmagic's built-in tests first decide text or not over the whole head (fast). Binary content
    then gets the full magic database over the head; text gets it over its first
    ``TEXT_MAGIC_BYTES``, and keeps the built-in answer (plain, CSV, JSON) where the database
    names nothing more specific.
    """
    if not head:
        return "application/x-empty"
    full, builtin = _handles()
    first = builtin.from_buffer(head)
    if first not in _BUILTIN_TEXT:
        mime = full.from_buffer(head)
    else:
        mime = full.from_buffer(head[:TEXT_MAGIC_BYTES])
        if mime in _BUILTIN_TEXT:
            mime = first
    if mime in _ZIP_LIKE and head[:2] == b"PK":
        mime = _ooxml_type(path) or mime
    return mime


def _ooxml_type(path: str) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for folder, mime in _OOXML_BY_FOLDER:
        if any(name.startswith(folder) for name in names):
            return mime
    return None


def check_type(
    path: str, head: bytes, file_name: str, allowed: dict[str, frozenset[str]] | None = None
) -> TypeCheck:
    """Detect the type and check it against the allow-list and the name's extension."""
    allowed = DEFAULT_ALLOWED_TYPES if allowed is None else allowed
    mime = sniff_mime(path, head)
    ext = file_extension(file_name)
    if mime in _OLE_ALIASES:
        if ext in _OLE_EXTENSIONS:
            return TypeCheck(mime, True)
        return TypeCheck(mime, False, f"content is an OLE2 (old Office) file but the name says .{ext or '(none)'}")
    if mime not in allowed:
        shown = f".{ext}" if ext else "no extension"
        return TypeCheck(mime, False, f"type {mime} is not on the allow-list (name has {shown})")
    if ext not in allowed[mime]:
        shown = f".{ext}" if ext else "no extension"
        return TypeCheck(mime, False, f"content is {mime} but the name has {shown}")
    return TypeCheck(mime, True)
