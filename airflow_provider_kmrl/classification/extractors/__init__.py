"""Text out of the document types that arrive, within fixed bounds, in this process.

Each format has its own small module; :func:`extract_file` picks one from the detected MIME type
(falling back to the extension) and never raises for a bad file: what cannot be read comes back
with ``error`` set and whatever text was recovered. Time and memory are bounded by running this
in a worker process (``classification.isolation``); the limits here bound the work itself
(pages, characters, bytes read, unpacked sizes) so a normal large file stays cheap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget

__all__ = ["ExtractLimits", "Extracted", "extract_file", "format_of"]

OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
_BY_MIME = {
    "application/pdf": "pdf",
    **OOXML,
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "message/rfc822": "eml",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
}
_BY_EXTENSION = {
    "pdf": "pdf",
    "docx": "docx",
    "docm": "docx",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "pptx": "pptx",
    "odt": "odt",
    "ods": "ods",
    "odp": "odp",
    "eml": "eml",
    "rtf": "rtf",
    "txt": "text",
    "text": "text",
    "csv": "text",
    "tsv": "text",
    "md": "text",
    "log": "text",
    "json": "text",
    "xml": "text",
    "png": "image",
    "jpg": "image",
    "jpeg": "image",
    "tif": "image",
    "tiff": "image",
    "gif": "image",
    "webp": "image",
}
_TEXTUAL = ("text/", "application/json", "application/csv", "application/xml")


@dataclass(frozen=True)
class Extracted:
    """What a document says: its text, plus fields the format itself carries (e-mail subject)."""

    text: str = ""
    method: str = "none"
    error: str | None = None
    truncated: bool = False
    fields: dict[str, str] = field(default_factory=dict)


def format_of(mime_type: str, file_name: str) -> str:
    """The extractor to use: the detected type decides; the extension only breaks ties."""
    ext = os.path.splitext(file_name or "")[1].lower().lstrip(".")
    fmt = _BY_MIME.get(mime_type)
    if fmt:
        return fmt
    if mime_type.startswith("image/"):
        return "image"
    if mime_type.startswith(_TEXTUAL):
        # libmagic calls many e-mails and RTF files plain text; the extension refines that.
        guess = _BY_EXTENSION.get(ext)
        return guess if guess in ("eml", "rtf") else "text"
    if not mime_type or mime_type in ("application/octet-stream", "application/zip"):
        return _BY_EXTENSION.get(ext, "none")
    return "none"


def extract_file(path: str, mime_type: str, file_name: str, limits: ExtractLimits | None = None) -> Extracted:
    """Text of the file at ``path``; never raises for a damaged or hostile file."""
    limits = limits or ExtractLimits()
    fmt = format_of(mime_type, file_name)
    budget = TextBudget(limits.max_chars)
    try:
        return _run(fmt, path, limits, budget)
    except MemoryError:
        return Extracted(budget.text(), fmt, "out of memory while extracting", True)
    except Exception as err:  # a file that cannot be read is "unknown", never a crash
        return Extracted(budget.text(), fmt, f"{type(err).__name__}: {err}"[:300], budget.full)


_WHOLE_FILE_FORMATS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp")


def _run(fmt: str, path: str, limits: ExtractLimits, budget: TextBudget) -> Extracted:
    if fmt in _WHOLE_FILE_FORMATS and os.path.getsize(path) > limits.max_file_bytes:
        return Extracted("", fmt, f"file is over max_file_bytes ({limits.max_file_bytes}); not parsed")
    if fmt == "pdf":
        from airflow_provider_kmrl.classification.extractors.pdf import extract_pdf

        truncated = extract_pdf(path, limits, budget)
        if limits.ocr and len(budget.text().strip()) < limits.ocr_min_chars:
            from airflow_provider_kmrl.classification.extractors.ocr import ocr_pdf

            ocr_pdf(path, limits, budget)
            return Extracted(budget.text(), "pdf+ocr", None, budget.full)
        return Extracted(budget.text(), fmt, None, truncated or budget.full)
    if fmt in ("docx", "xlsx", "pptx"):
        from airflow_provider_kmrl.classification.extractors import ooxml

        ooxml.EXTRACTORS[fmt](path, limits, budget)
    elif fmt in ("odt", "ods", "odp"):
        from airflow_provider_kmrl.classification.extractors.opendocument import extract_opendocument

        extract_opendocument(path, limits, budget)
    elif fmt == "eml":
        from airflow_provider_kmrl.classification.extractors.mail import extract_mail

        fields = extract_mail(path, limits, budget)
        return Extracted(budget.text(), fmt, None, budget.full, fields)
    elif fmt == "rtf":
        from airflow_provider_kmrl.classification.extractors.plain import extract_rtf

        extract_rtf(path, limits, budget)
    elif fmt == "text":
        from airflow_provider_kmrl.classification.extractors.plain import extract_plain

        extract_plain(path, limits, budget)
    elif fmt == "image":
        if not limits.ocr:
            return Extracted("", fmt, "image: OCR is off")
        from airflow_provider_kmrl.classification.extractors.ocr import ocr_image

        ocr_image(path, limits, budget)
    else:
        return Extracted("", fmt, "no text extractor for this type")
    return Extracted(budget.text(), fmt, None, budget.full)
