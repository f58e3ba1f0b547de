"""Decide what a file really is from its magic bytes, and whether it may enter the raw store.

The extension is only a claim: content that contradicts it, or a type off the allow-list, is
quarantined with the reason.
"""

from __future__ import annotations

import os
import struct
import threading
from dataclasses import dataclass
from typing import BinaryIO

import magic

from airflow_provider_kmrl.pipeline.keys import file_extension, sanitise_file_name
from airflow_provider_kmrl.pipeline.models import TypeCheck

OOXML_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OOXML_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OOXML_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Detected MIME type -> extensions a file of that type may carry. Keys form the default allow-list.
DEFAULT_ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    OOXML_DOCX: frozenset({"docx", "dotx"}),
    OOXML_XLSX: frozenset({"xlsx", "xltx"}),
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
# Macro-enabled Office: the extensions that say so, and the part that holds the VBA project.
MACRO_EXTENSIONS = {
    OOXML_DOCX: frozenset({"docm", "dotm"}),
    OOXML_XLSX: frozenset({"xlsm", "xltm", "xlam"}),
    OOXML_PPTX: frozenset({"pptm", "potm", "ppsm", "ppam"}),
}
# A zip's central directory is read only within these bounds: an Office file has tens to a few
# thousand parts; 500,000 entries in 22 MiB used to cost 157 MiB and 2.2 s in ``ZipFile``.
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_DIRECTORY_BYTES = 8 * 1024 * 1024

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


@dataclass(frozen=True)
class _Zip:
    """What the central directory of a zip says, read within bounds."""

    ooxml: str | None = None
    has_macros: bool = False
    refused: str | None = None  # why it was not inspected (too many entries, malformed)


def sniff_mime(file: str | BinaryIO, head: bytes) -> str:
    """MIME type from the first bytes (at least 8 KB, as OOXML needs), looking inside zips."""
    return _sniff(file, head)[0]


def _sniff(file: str | BinaryIO, head: bytes) -> tuple[str, _Zip | None]:
    """libmagic's built-in tests first decide text or not over the whole head (fast). Binary content
    then gets the full magic database over the head; text gets it over its first
    ``TEXT_MAGIC_BYTES``, and keeps the built-in answer (plain, CSV, JSON) where the database
    names nothing more specific. A zip is recognised as OOXML from its central directory.
    """
    if not head:
        return "application/x-empty", None
    full, builtin = _handles()
    first = builtin.from_buffer(head)
    if first not in _BUILTIN_TEXT:
        mime = full.from_buffer(head)
    else:
        mime = full.from_buffer(head[:TEXT_MAGIC_BYTES])
        if mime in _BUILTIN_TEXT:
            mime = first
    if head[:2] == b"PK" and (mime in _ZIP_LIKE or mime in MACRO_EXTENSIONS):
        archive = _read_zip(file)  # libmagic may name OOXML itself; the macro check needs the parts
        return (archive.ooxml or mime), archive
    return mime, None


def _read_zip(file: str | BinaryIO) -> _Zip:
    if isinstance(file, (str, os.PathLike)):
        try:
            with open(file, "rb") as fh:
                return _zip_directory(fh)
        except OSError as err:
            return _Zip(refused=f"cannot read the archive: {err}")
    return _zip_directory(file)


def _zip_directory(fh: BinaryIO) -> _Zip:
    """Read the end-of-central-directory record, then the directory's file names, within bounds."""
    try:
        found = _end_of_directory(fh)
        if isinstance(found, str):
            return _Zip(refused=found)
        entries, size, offset = found
        if entries > MAX_ZIP_ENTRIES:
            return _Zip(refused=f"the archive lists {entries} entries (over {MAX_ZIP_ENTRIES}); not inspected")
        if size > MAX_ZIP_DIRECTORY_BYTES:
            return _Zip(refused=f"the archive's directory is {size} bytes (over {MAX_ZIP_DIRECTORY_BYTES}); "
                                "not inspected")
        fh.seek(offset)
        directory = fh.read(size)
    except (OSError, struct.error, ValueError) as err:
        return _Zip(refused=f"malformed archive: {err}")
    names, pos = [], 0
    for _ in range(entries):
        if directory[pos:pos + 4] != b"PK\x01\x02" or pos + 46 > len(directory):
            return _Zip(refused="malformed archive directory")
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", directory, pos + 28)
        names.append(directory[pos + 46:pos + 46 + name_len].decode("utf-8", "replace"))
        pos += 46 + name_len + extra_len + comment_len
    if "[Content_Types].xml" not in names:
        return _Zip()
    for folder, mime in _OOXML_BY_FOLDER:
        if any(name.startswith(folder) for name in names):
            macros = any(name.lower().endswith("vbaproject.bin") for name in names)
            return _Zip(ooxml=mime, has_macros=macros)
    return _Zip()


def _end_of_directory(fh: BinaryIO) -> tuple[int, int, int] | str:
    """(entries, directory size, directory offset) from the EOCD record (ZIP64 too), or why not."""
    end = fh.seek(0, os.SEEK_END)
    tail_len = min(end, 22 + 65535 + 20)
    fh.seek(end - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return "no zip end-of-directory record"
    entries, size, offset = struct.unpack_from("<HII", tail, at + 10)
    if 0xFFFF in (entries,) or 0xFFFFFFFF in (size, offset):
        locator = at - 20
        if locator < 0 or tail[locator:locator + 4] != b"PK\x06\x07":
            return "ZIP64 archive without its locator"
        (record_at,) = struct.unpack_from("<Q", tail, locator + 8)
        fh.seek(record_at)
        record = fh.read(56)
        if record[:4] != b"PK\x06\x06" or len(record) < 56:
            return "ZIP64 end-of-directory record missing"
        entries, size, offset = struct.unpack_from("<QQQ", record, 32)
    return entries, size, offset


def check_type(
    file: str | BinaryIO,
    head: bytes,
    file_name: str,
    allowed: dict[str, frozenset[str]] | None = None,
    *,
    allow_macros: bool = False,
) -> TypeCheck:
    """Detect the type and check it against the allow-list and the name's extension.

    The extension checked is the one the stored name ends with (``payload.js.`` and ``run.vbs ``
    are stored, and judged, as ``.js`` and ``.vbs``). Macro-enabled Office files are refused
    unless ``allow_macros``.
    """
    allowed = DEFAULT_ALLOWED_TYPES if allowed is None else allowed
    mime, archive = _sniff(file, head)
    ext = file_extension(sanitise_file_name(file_name))
    shown = f".{ext}" if ext else "no extension"
    if mime in _OLE_ALIASES:
        if ext in _OLE_EXTENSIONS:
            return TypeCheck(mime, True)
        return TypeCheck(mime, False, f"content is an OLE2 (old Office) file but the name has {shown}")
    if archive is not None and archive.ooxml:
        macro_exts = MACRO_EXTENSIONS.get(archive.ooxml, frozenset())
        if archive.has_macros or ext in macro_exts:
            if not allow_macros:
                why = "it carries a VBA project" if archive.has_macros else f"the name has {shown}"
                return TypeCheck(mime, False, f"macro-enabled Office file ({why}); set allow_macros: true on "
                                              "the source to accept")
            if ext in macro_exts and mime in allowed:
                return TypeCheck(mime, True)
    if mime not in allowed:
        note = f"; {archive.refused}" if archive is not None and archive.refused else ""
        return TypeCheck(mime, False, f"type {mime} is not on the allow-list (name has {shown}){note}")
    if ext not in allowed[mime]:
        return TypeCheck(mime, False, f"content is {mime} but the name has {shown}")
    return TypeCheck(mime, True)
