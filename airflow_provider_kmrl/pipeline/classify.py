"""Classification step: an interface and a first, simple version.

The first version decides the language from the share of Malayalam letters in whatever text is
cheaply available (plain-text files for now); department and category stay ``unknown``
and ``other`` until rule-based classification lands. A trained model can replace it later by
implementing :class:`Classifier`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any, Protocol

from airflow_provider_kmrl.pipeline.models import Classification

_TEXT_BYTES = 256 * 1024
# Malayalam letters and vowel signs (U+0D3E-U+0D4D); digits and other signs of the block are not counted.
_MALAYALAM_LETTERS = "".join(
    ch for ch in map(chr, range(0x0D00, 0x0D80)) if ch.isalpha() or "\u0d3e" <= ch <= "\u0d4d"
)
_MALAYALAM_RUN = re.compile(f"[{re.escape(_MALAYALAM_LETTERS)}]+")
_LATIN_LETTERS = string.ascii_letters.encode()


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
    # Counted in C (a regex over runs of Malayalam letters, a byte translate for Latin ones): a
    # Python loop over every character cost ~4 ms per 20 KB text, more than its virus scan.
    malayalam = sum(map(len, _MALAYALAM_RUN.findall(text)))
    raw = text.encode("utf-8", "ignore")
    latin = len(raw) - len(raw.translate(None, _LATIN_LETTERS))
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
