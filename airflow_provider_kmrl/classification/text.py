"""Normalise extracted text and split it into matching keys, for English and Malayalam alike.

Malayalam text arrives in several encodings of the same word (atomic chillu letters or the old
consonant + virama + ZWJ sequences) and PDF text layers often break it: pre-base vowel signs
come out before their consonant (visual order) and stray glyph codes sit inside words. Words
also inflect by suffix, and a final chillu or virama changes when they do (സർക്കുലർ →
സർക്കുലറിൽ, റിപ്പോർട്ട് → റിപ്പോർട്ടുകൾ). Matching therefore works on keys in which these
differences disappear, and Malayalam terms match as word prefixes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ML_FIRST, ML_LAST = "\u0d00", "\u0d7f"
VIRAMA = "\u0d4d"
ZWJ, ZWNJ = "\u200d", "\u200c"
# Old-style chillu (consonant + virama + ZWJ) -> atomic chillu letter (Unicode 5.1).
_OLD_CHILLU = {
    "\u0d23": "\u0d7a",
    "\u0d28": "\u0d7b",
    "\u0d30": "\u0d7c",
    "\u0d32": "\u0d7d",
    "\u0d33": "\u0d7e",
    "\u0d15": "\u0d7f",
}
_OLD_CHILLU_RE = re.compile("([" + "".join(_OLD_CHILLU) + "])" + VIRAMA + ZWJ)
# For matching keys: chillu -> its consonant, and RRA -> RA (സർക്കുലർ inflects to ...ലറിൽ).
_KEY_MAP = str.maketrans(
    {
        "\u0d7a": "\u0d23",
        "\u0d7b": "\u0d28",
        "\u0d7c": "\u0d30",
        "\u0d7d": "\u0d32",
        "\u0d7e": "\u0d33",
        "\u0d7f": "\u0d15",
        "\u0d31": "\u0d30",
        "\u0d54": "\u0d2e",
        "\u0d55": "\u0d2f",
        "\u0d56": "\u0d34",
    }
)
_DEPENDENT = "\u0d00-\u0d03\u0d3b\u0d3c\u0d3e-\u0d4d\u0d57\u0d62\u0d63"
_CONSONANT = "\u0d15-\u0d3a"
_PRE_BASE = "\u0d46\u0d47\u0d48"
# Glyph codes a PDF text layer left inside a word: "പരിശ1ോധന", "മെ?ട്രAോ". Separators that
# do occur between Malayalam words without spaces (- / . , : ; brackets) are kept.
_STRAY_IN_WORD = re.compile(
    f"(?<=[\u0d00-\u0d7f])(?:[^\\s\u0d00-\u0d7f]{{1,2}}(?=[{_DEPENDENT}])|[A-Za-z0-9?&\"'!#$%*+<=>@^_`|~]{{1,2}}(?=[\u0d00-\u0d7f]))"
)
# A pre-base vowel sign that does not follow a consonant is in visual order: move it after
# the consonant cluster it belongs to ("െക" -> "കെ", "േസ്റ്റ" -> "സ്റ്റേ").
_VISUAL_ORDER = re.compile(
    f"(?<![{_CONSONANT}{VIRAMA}\u0d3c])([{_PRE_BASE}])((?:[{_CONSONANT}]{VIRAMA})*[{_CONSONANT}])"
)
_INVISIBLE = re.compile("[\u00ad\ufeff\u200b" + ZWJ + ZWNJ + "]")
_MALAYALAM = re.compile("[\u0d00-\u0d7f]")
MAX_WORD = 48
_TOKEN = re.compile(r"[A-Za-z0-9]+|[\u0d00-\u0d7f]+")
# ASCII text splits faster on bytes: every byte but a letter or digit becomes a space.
_ASCII_SEPARATORS = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isalnum())
_TO_SPACES = bytes.maketrans(_ASCII_SEPARATORS, b" " * len(_ASCII_SEPARATORS))


def normalise(text: str) -> str:
    """NFC, atomic chillus, no zero-width characters, and repaired PDF-order Malayalam."""
    if text.isascii():
        return text
    return _normalise(text)


@lru_cache(maxsize=4)  # the scorer and the language check normalise the same body in turn
def _normalise(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    malayalam = _has_malayalam(text)
    if malayalam:
        text = _OLD_CHILLU_RE.sub(lambda m: _OLD_CHILLU[m.group(1)], text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if not malayalam:
        return text
    text = _STRAY_IN_WORD.sub("", text)
    text, moved = _VISUAL_ORDER.subn(r"\2\1", text)
    return unicodedata.normalize("NFC", text) if moved else text  # moved signs may compose (െ + ാ = ൊ)


def _has_malayalam(text: str) -> bool:
    return _MALAYALAM.search(text) is not None


def is_malayalam(token: str) -> bool:
    return bool(token) and ML_FIRST <= token[0] <= ML_LAST


def english_key(word: str) -> str:
    """Lower case and a light plural strip, applied alike to text and to rule terms."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def malayalam_key(word: str) -> str:
    """Chillus and RRA folded, a final virama dropped, so inflected forms share the term's prefix."""
    key = word.translate(_KEY_MAP)
    while key.endswith(VIRAMA):
        key = key[:-1]
    return key


@lru_cache(maxsize=100_000)
def key_of(token: str) -> str:
    return malayalam_key(token) if is_malayalam(token) else english_key(token)


@dataclass(frozen=True)
class Tokens:
    """Matching keys of a text, in order; Malayalam keys are matched by prefix."""

    keys: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        # No term is longer than MAX_WORD; longer runs are encoded data and would only fill the cache.
        tokens = words(normalise(text))
        if max(map(len, tokens), default=0) > MAX_WORD:
            tokens = [t for t in tokens if len(t) <= MAX_WORD]
        keys = {token: key_of(token) for token in set(tokens)}  # a text repeats its words
        return cls(tuple(map(keys.__getitem__, tokens)))


def words(text: str) -> list[str]:
    """Raw word tokens (Latin letters/digits or Malayalam runs) of already normalised text."""
    if text.isascii():
        return text.encode("ascii").translate(_TO_SPACES).decode("ascii").split()
    return _TOKEN.findall(text)
