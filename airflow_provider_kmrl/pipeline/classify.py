"""Classification step: an interface and a first, simple version.

The first version decides the language from the share of Malayalam letters in whatever text is
cheaply available (plain-text files for now); department and category stay ``unknown``
and ``other`` until rule-based classification lands. A trained model can replace it later by
implementing :class:`Classifier`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from airflow_provider_kmrl.pipeline.models import Classification

_TEXT_BYTES = 256 * 1024


@dataclass(frozen=True)
class ClassifyInput:
    path: str
    mime_type: str
    file_name: str
    metadata: dict[str, Any] = field(default_factory=dict)


class Classifier(Protocol):
    version: str

    def classify(self, doc: ClassifyInput) -> Classification: ...


def language_of(text: str, bilingual_share: float = 0.15) -> str:
    """``en``, ``ml``, ``bilingual`` or ``unknown`` from counts of Malayalam and Latin letters.

    Digits, punctuation and whitespace are ignored, so numbers and tables do not sway it; a
    document is bilingual when the minority script holds at least ``bilingual_share`` of letters.
    """
    malayalam = latin = 0
    for ch in text:
        if "\u0d00" <= ch <= "\u0d7f":
            if ch.isalpha() or "\u0d3e" <= ch <= "\u0d4d":  # letters and vowel signs
                malayalam += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
    letters = malayalam + latin
    if letters < 3:
        return "unknown"
    share = malayalam / letters
    if share >= 1 - bilingual_share:
        return "ml"
    if share <= bilingual_share:
        return "en"
    return "bilingual"


class ScriptRatioClassifier:
    """Language from the text of plain-text files; other types wait for text extraction."""

    version = "script-ratio-1"

    def classify(self, doc: ClassifyInput) -> Classification:
        text = ""
        if doc.mime_type.startswith("text/"):
            with open(doc.path, "rb") as fh:
                text = fh.read(_TEXT_BYTES).decode("utf-8", "ignore")
        return Classification(language=language_of(text), classifier_version=self.version)
