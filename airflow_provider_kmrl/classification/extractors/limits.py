"""The bounds every extractor works within, and the text buffer that enforces the size bound."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractLimits:
    """Per-document bounds; the defaults keep a classification in the tens of milliseconds.

    :param max_chars: characters of text kept (the rules need the title and the first pages).
    :param max_pages: PDF pages read.
    :param max_read_bytes: bytes read from plain-text files and e-mail messages.
    :param max_unpacked_bytes: largest uncompressed member read from an Office/ODF zip (zip bombs).
    :param max_file_bytes: PDFs and Office/ODF files larger than this are not parsed at all (their
        structure sits at the end, so a prefix will not do); they are classified by name and hints.
    :param timeout: seconds one document may take in the worker process before it is killed.
    :param memory_mb: address-space limit of the worker process.
    :param ocr: run tesseract on images and on PDFs without a text layer (off by default).
    """

    max_chars: int = 60_000
    max_pages: int = 30
    max_read_bytes: int = 2 * 1024 * 1024
    max_unpacked_bytes: int = 64 * 1024 * 1024
    max_file_bytes: int = 256 * 1024 * 1024
    timeout: float = 20.0
    memory_mb: int = 1024
    ocr: bool = False
    ocr_languages: str = "eng+mal"
    ocr_min_chars: int = 40
    ocr_max_pages: int = 5


class TextBudget:
    """Collects text up to ``max_chars``; extractors stop when ``full`` turns true."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._parts: list[str] = []
        self._size = 0
        self.full = False

    def add(self, text: str, sep: str = "\n") -> bool:
        """Append ``text`` (and ``sep``); returns ``False`` once the budget is spent."""
        if self.full:
            return False
        if not text:
            return True
        room = self.max_chars - self._size
        if len(text) >= room:
            text, self.full = text[:room], True
        self._parts.append(text + sep)
        self._size += len(text) + len(sep)
        return not self.full

    def text(self) -> str:
        return "".join(self._parts)
