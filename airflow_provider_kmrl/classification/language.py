"""English, Malayalam or bilingual, from the share of each script's letters in the content.

Only letters count: digits, punctuation, table rules and amounts do not sway the result. Lines
repeated across pages (letterheads, footers) count once, and tokens that say nothing about the
language of the prose — URLs, e-mail addresses, all-capital acronyms such as KMRL or GST —
are left out, so a Malayalam circular on an English letterhead stays Malayalam. Runs of 64 or
more non-space characters (encoded data, not prose) are left out too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from airflow_provider_kmrl.classification.text import normalise

LANGUAGES = ("en", "ml", "bilingual", "unknown")
# Every pattern here is linear in the text: extracted text can hold megabyte-long "words"
# (base64, hex dumps), on which an unbounded ``\S+@\S+`` backtracks quadratically.
_LONG_RUN = re.compile(r"\S{64,}")
_NOISE = re.compile(
    r"[^\s@]{1,64}@[^\s@]{1,255}|(?:https?://|www\.)\S+|\b(?:page|pg|no|ref|dt|dated|of)\b\.?", re.IGNORECASE
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,4}\b")
# Malayalam letters and the vowel signs that complete them (not digits, virama or other marks).
_MALAYALAM_LETTERS = re.compile(
    "["
    + "".join(
        ch
        for ch in map(chr, range(0x0D00, 0x0D80))
        if ch.isalpha() or "\u0d3e" <= ch <= "\u0d4c" or ch == "\u0d57"
    )
    + "]+"
)
_NOT_LATIN = re.compile(r"[^A-Za-z]+")


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
    lines = dict.fromkeys(line.strip() for line in normalise(text).splitlines())  # repeats count once
    body = _NOISE.sub(" ", _ACRONYM.sub(" ", _LONG_RUN.sub(" ", "\n".join(lines))))
    malayalam = sum(map(len, _MALAYALAM_LETTERS.findall(body)))
    latin = len(_NOT_LATIN.sub("", body))
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
