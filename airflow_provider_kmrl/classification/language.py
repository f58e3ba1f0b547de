"""English, Malayalam or bilingual, from the share of each script's letters in the content.

Only letters count: digits, punctuation, table rules and amounts do not sway the result. Lines
repeated across pages (letterheads, footers) count once, and tokens that say nothing about the
language of the prose — URLs, e-mail addresses, all-capital acronyms such as KMRL or GST —
are left out, so a Malayalam circular on an English letterhead stays Malayalam.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from airflow_provider_kmrl.classification.text import normalise

LANGUAGES = ("en", "ml", "bilingual", "unknown")
_NOISE = re.compile(
    r"\S+@\S+|(?:https?://|www\.)\S+|\b[A-Z][A-Z0-9&./-]{1,7}\b|\b(?:page|pg|no|ref|dt|dated)\b\.?",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&./-]{1,7}\b")


@dataclass(frozen=True)
class LanguageVerdict:
    language: str
    malayalam_letters: int
    latin_letters: int

    @property
    def malayalam_share(self) -> float:
        total = self.malayalam_letters + self.latin_letters
        return self.malayalam_letters / total if total else 0.0


def script_counts(text: str) -> tuple[int, int]:
    """(Malayalam letters incl. vowel signs, Latin letters) of ``text`` after removing noise."""
    malayalam = latin = 0
    seen: set[str] = set()
    for line in normalise(text).splitlines():
        line = line.strip()
        if not line or line in seen:
            continue
        seen.add(line)
        line = _ACRONYM.sub(" ", line)
        line = _NOISE.sub(" ", line)
        for ch in line:
            if "\u0d00" <= ch <= "\u0d7f":
                if ch.isalpha() or "\u0d3e" <= ch <= "\u0d4c" or ch == "\u0d57":
                    malayalam += 1
            elif ch.isascii() and ch.isalpha():
                latin += 1
    return malayalam, latin


def detect_language(text: str, bilingual_share: float = 0.2, min_letters: int = 12) -> LanguageVerdict:
    """``en``, ``ml``, ``bilingual`` or ``unknown`` (too few letters to tell).

    A document is bilingual when the minority script holds at least ``bilingual_share`` of the
    letters: a glossed term or an English heading in a Malayalam order does not make it so, a
    circular printed in both languages does.
    """
    malayalam, latin = script_counts(text)
    total = malayalam + latin
    if total < min_letters:
        return LanguageVerdict("unknown", malayalam, latin)
    share = malayalam / total
    if share >= 1 - bilingual_share:
        language = "ml"
    elif share <= bilingual_share:
        language = "en"
    else:
        language = "bilingual"
    return LanguageVerdict(language, malayalam, latin)
