"""OCR of scans (optional, off by default) with Debian's tesseract-ocr, English and Malayalam."""

from __future__ import annotations

import shutil

import pytest

from airflow_provider_kmrl.classification.classifier import RulesClassifier
from airflow_provider_kmrl.classification.extractors import ExtractLimits
from airflow_provider_kmrl.core.types import ClassifyInput

SOURCE = "tests/eval/docs/safety/circulars/സർക്കുലർ-ട്രാക്ക്-പ്രവേശനം.pdf"
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="apt-get install tesseract-ocr tesseract-ocr-mal for the OCR option",
)


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory) -> str:
    """The first page of a Malayalam circular as a picture in a PDF: no text layer, like a scan."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(SOURCE)
    try:
        image = document[0].render(scale=1.6).to_pil().convert("L")
    finally:
        document.close()
    path = str(tmp_path_factory.mktemp("scan") / "scanned-circular.pdf")
    image.save(path, resolution=115)
    return path


def test_without_ocr_a_scan_is_unknown(scanned_pdf):
    result = RulesClassifier().classify(ClassifyInput(scanned_pdf, "application/pdf", "scan-0001.pdf"))
    assert (result.department, result.doc_category, result.language) == ("unknown", "other", "unknown")


@needs_tesseract
def test_with_ocr_a_malayalam_scan_is_read_and_classified(scanned_pdf):
    classifier = RulesClassifier(limits=ExtractLimits(ocr=True, timeout=120))
    analysis = classifier.analyse(ClassifyInput(scanned_pdf, "application/pdf", "scan-0001.pdf"))
    assert analysis.extracted.method == "pdf+ocr", analysis.extracted.error
    c = analysis.classification
    assert (c.department, c.doc_category, c.language) == ("safety", "safety_circular", "ml")
