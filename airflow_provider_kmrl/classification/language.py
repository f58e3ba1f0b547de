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
LONG_RUN = 64
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN},}}")
_ADDRESS = re.compile(r"[^\s@]{1,64}@[^\s@]{1,255}|(?:https?://|www\.)\S+", re.IGNORECASE)
_NOISE_WORDS = (b"page", b"pg", b"no", b"ref", b"dt", b"dated", b"of")
_ACRONYM = re.compile(rb"\b[A-Z][A-Z0-9&]{1,4}\b")
_ASCII_NOT_LETTER = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
_LETTERS_AND_SPACES = bytes.maketrans(_ASCII_NOT_LETTER, b" " * len(_ASCII_NOT_LETTER))
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
    lines = dict.fromkeys(map(str.strip, normalise(text).splitlines()))  # repeats count once
    body = "\n".join(lines)
    # Each cleaning pass runs only when a cheap test says it has something to remove.
    words = body.encode("ascii").split() if body.isascii() else body.split()
    if max(map(len, words), default=0) >= LONG_RUN:
        body = _LONG_RUN.sub(" ", body)
    if "@" in body or "://" in body or "www." in body.lower():
        body = _ADDRESS.sub(" ", body)
    malayalam = 0 if body.isascii() else sum(map(len, _MALAYALAM_LETTERS.findall(body)))
    return malayalam, _latin_letters(body)


def _latin_letters(body: str) -> int:
    """Latin letters outside acronyms (KMRL, GST, R&D) and page furniture (page, no., ref, dated).

    Counted on the ASCII bytes of the text with C-speed byte operations: a regular expression
    over every word cost more than the rest of the classification.
    """
    ascii_text = _ACRONYM.sub(b" ", body.encode("ascii", "ignore"))
    letters = len(ascii_text.translate(None, _ASCII_NOT_LETTER))
    words = b" " + ascii_text.lower().translate(_LETTERS_AND_SPACES) + b" "
    furniture = sum(len(word) * words.count(b" " + word + b" ") for word in _NOISE_WORDS)
    return letters - furniture


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
