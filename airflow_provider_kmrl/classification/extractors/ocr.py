"""Optional OCR with Debian's ``tesseract-ocr`` (``eng`` and ``mal`` languages), off by default.

Used for images and for PDFs without a text layer (scans): the page images a scan embeds are
handed to ``tesseract`` one at a time, each within what is left of the document's time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_image(path: str, limits: ExtractLimits, budget: TextBudget, deadline: float | None = None) -> None:
    """Add the OCR text of one image file to ``budget``."""
    if not tesseract_available():
        raise RuntimeError(
            "OCR is on but tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-mal)"
        )
    left = (deadline or time.monotonic() + limits.timeout) - time.monotonic()
    if left <= 0:
        raise TimeoutError("no time left for OCR")
    done = subprocess.run(
        ["tesseract", path, "stdout", "-l", limits.ocr_languages],
        capture_output=True,
        timeout=left,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed: {done.stderr.decode('utf-8', 'replace').strip()[:200]}")
    budget.add(done.stdout.decode("utf-8", "replace"))


def ocr_pdf(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    """OCR the images embedded in the first pages of a PDF that has no usable text layer."""
    from pypdf import PdfReader

    deadline = time.monotonic() + limits.timeout * 0.9
    reader = PdfReader(path)
    with tempfile.TemporaryDirectory(prefix="kmrl-ocr-") as folder:
        for index, page in enumerate(reader.pages[: limits.ocr_max_pages]):
            for number, image in enumerate(page.images):
                target = os.path.join(folder, f"p{index}-{number}{os.path.splitext(image.name)[1] or '.png'}")
                with open(target, "wb") as out:
                    out.write(image.data)
                ocr_image(target, limits, budget, deadline)
                if budget.full:
                    return
