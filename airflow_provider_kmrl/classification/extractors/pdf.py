"""The text layer of a PDF, page by page, within the page and character bounds.

PDFium (``pypdfium2``) reads a page in a few milliseconds; pypdf, pure Python, takes tens of
milliseconds on pages whose text is positioned glyph by glyph, as shaped Malayalam is. pypdf is
the fallback when pypdfium2 is not installed. Either may choke on a hostile file; that is why
extraction runs in a worker process with a deadline and a memory cap.
"""

from __future__ import annotations

import logging

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget

logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs are common and not our error


def extract_pdf(path: str, limits: ExtractLimits, budget: TextBudget) -> bool:
    """Add the text of the first pages to ``budget``; returns whether pages were left unread."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return _with_pypdf(path, limits, budget)
    return _with_pdfium(path, limits, budget)


def _with_pdfium(path: str, limits: ExtractLimits, budget: TextBudget) -> bool:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)  # raises PdfiumError for encrypted or broken files
    try:
        count = len(document)
        for index in range(min(count, limits.max_pages)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
                finally:
                    textpage.close()
            finally:
                page.close()
            if not budget.add(text):
                return index + 1 < count
        return count > limits.max_pages
    finally:
        document.close()


def _with_pypdf(path: str, limits: ExtractLimits, budget: TextBudget) -> bool:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")  # many "protected" PDFs only restrict printing; others raise here
    pages = reader.pages
    for index, page in enumerate(pages):
        if index >= limits.max_pages:
            return True
        if not budget.add(page.extract_text() or ""):
            return index + 1 < len(pages)
    return False
