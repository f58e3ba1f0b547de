"""Deterministic document ids and object keys that no file name can escape."""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from datetime import datetime

# Fixed namespace: changing it would give every document a new id.
DOC_NAMESPACE = uuid.UUID("6f1c3f0e-3b7a-5d4e-9a51-6b6d726c0001")
_MAX_NAME_BYTES = 200
_KEEP_PUNCTUATION = frozenset("._- ()+,=@")


def document_id(source_system: str, source_id: str) -> str:
    """Derive the row id from the source identity, so a retry finds and finishes its own claim."""
    return str(uuid.uuid5(DOC_NAMESPACE, json.dumps([source_system, source_id])))


def sanitise_file_name(name: str) -> str:
    """Turn any name into one safe path segment (no separators, no dot-only names, bounded length).

    Letters of any script survive (Malayalam names stay readable); everything else becomes ``_``.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_safe_char(ch) for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"_{2,}", "_", name).strip(" .")
    if not name or set(name) <= {".", "_"}:
        name = "document"
    encoded = name.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and len(ext.encode()) <= 16 else ""
        budget = _MAX_NAME_BYTES - len(ext.encode()) - 1
        stem = (stem or name).encode("utf-8")[:budget].decode("utf-8", "ignore")
        name = f"{stem}.{ext}" if ext else stem
    return name


def _safe_char(ch: str) -> str:
    # Letters, combining marks (Malayalam vowel signs) and digits of any script are kept.
    return ch if unicodedata.category(ch)[0] in "LMN" or ch in _KEEP_PUNCTUATION else "_"


def file_extension(name: str) -> str:
    """Lower-case extension without the dot, or ``""``."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    return ext.lower() if dot and stem and len(ext) <= 16 else ""


def object_key(source_system: str, ingested_at: datetime, doc_id: str, file_name: str) -> str:
    """``<source>/<yyyy>/<mm>/<dd>/<doc_id>/<sanitised name>``; a retry reproduces it exactly."""
    return f"{source_system}/{ingested_at:%Y/%m/%d}/{doc_id}/{sanitise_file_name(file_name)}"
