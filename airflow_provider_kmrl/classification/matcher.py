"""Find rule terms in a token sequence: English words whole (plural-tolerant), Malayalam by prefix.

Terms are compiled once into dictionaries, so matching costs a few lookups per token whatever
the number of terms: English keys are looked up directly, Malayalam tokens by each prefix length
that some term has, and phrases by their first word, then checked word by word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from airflow_provider_kmrl.classification.text import is_malayalam, key_of, normalise, words


@dataclass(frozen=True)
class Term:
    """One rule term: ``text`` as written in the rule file, its label and weight."""

    field: str  # "department" or "doc_category"
    label: str
    text: str
    weight: float


@dataclass(frozen=True)
class _Pattern:
    keys: tuple[str, ...]
    prefix: tuple[bool, ...]  # per word: match as a prefix (Malayalam, or English ending in *)
    terms: tuple[int, ...]


@dataclass(frozen=True)
class _Phrases:
    """Phrases starting at one key, by how they are found."""

    pairs: dict[str, tuple[int, ...]]  # two words: exact second word -> terms
    longer: dict[str, tuple[_Pattern, ...]]  # three or more words, by their exact second word
    stem_second: tuple[_Pattern, ...]  # a second word matched as a prefix (a Malayalam stem)


class TermMatcher:
    """Counts occurrences of many terms in a token sequence."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        grouped: dict[tuple[tuple[str, ...], tuple[bool, ...]], list[int]] = {}
        for index, term in enumerate(self.terms):
            keys, prefix = _compile(term.text)
            if keys:
                grouped.setdefault((keys, prefix), []).append(index)
        self._exact: dict[str, list[_Pattern]] = {}
        by_prefix: dict[str, list[_Pattern]] = {}
        for (keys, prefix), ids in grouped.items():
            pattern = _Pattern(keys, prefix, tuple(ids))
            (by_prefix if prefix[0] else self._exact).setdefault(keys[0], []).append(pattern)
        # Prefix patterns by script, so an English token never tries Malayalam stems and back.
        self._ml_prefix = {k: v for k, v in by_prefix.items() if is_malayalam(k)}
        self._en_prefix = {k: v for k, v in by_prefix.items() if not is_malayalam(k)}
        self._ml_lengths = sorted({len(k) for k in self._ml_prefix})
        self._en_lengths = sorted({len(k) for k in self._en_prefix})
        self._memo: dict[str, tuple[tuple[int, ...], _Phrases | None]] = {}
        # Numbers (amounts, dates, references) are most of a document's distinct words; unless a
        # term starts with a digit they match nothing, and are neither looked up nor remembered.
        self._numbers_match = any(k[:1].isdigit() for k in (*self._exact, *self._en_prefix, *self._ml_prefix))

    def count(self, keys: Sequence[str]) -> Counter[int]:
        """Occurrences of each term (by index in ``terms``) in the token keys.

        Texts repeat their words, so the patterns a key can start are looked up once per distinct
        key (and remembered across documents); one-word terms are then counted from the key
        counts, and only keys that start a phrase are visited where they occur.
        """
        found: Counter[int] = Counter()
        phrase_starts: dict[str, _Phrases] = {}
        skip_numbers = not self._numbers_match
        for key, n in Counter(keys).items():
            if skip_numbers and key.isdigit():
                continue
            single, phrases = self._candidates(key)
            for term in single:
                found[term] += n
            if phrases is not None:
                phrase_starts[key] = phrases
        if phrase_starts:
            # Two-word phrases (most of them) from the counts of adjacent pairs; only longer
            # phrases, and those ending in a Malayalam stem, are checked where their first word is.
            pairs = Counter(zip(keys, keys[1:]))
            checked = {k: p for k, p in phrase_starts.items() if p.longer or p.stem_second}
            for key, phrases in phrase_starts.items():
                for second, terms in phrases.pairs.items():
                    pair_count = pairs.get((key, second))
                    if pair_count:
                        for term in terms:
                            found[term] += pair_count
            if checked:
                last = len(keys) - 1
                for i in [i for i, key in enumerate(keys) if key in checked and i != last]:
                    phrases = checked[keys[i]]
                    for pattern in phrases.longer.get(keys[i + 1], ()) + phrases.stem_second:
                        if _rest_matches(pattern, keys, i):
                            for term in pattern.terms:
                                found[term] += 1
        return found

    def _candidates(self, key: str) -> tuple[tuple[int, ...], _Phrases | None]:
        """(one-word terms this key matches, phrases that may start at it); memoised."""
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        patterns = list(self._exact.get(key, ()))
        index, lengths = (
            (self._ml_prefix, self._ml_lengths) if is_malayalam(key) else (self._en_prefix, self._en_lengths)
        )
        for length in lengths:
            if length > len(key):
                break
            patterns.extend(index.get(key[:length], ()))
        single = tuple(t for p in patterns if len(p.keys) == 1 for t in p.terms)
        pairs: dict[str, tuple[int, ...]] = {}
        longer: dict[str, tuple[_Pattern, ...]] = {}
        stem_second: tuple[_Pattern, ...] = ()
        for p in patterns:
            if len(p.keys) == 1:
                continue
            if p.prefix[1]:
                stem_second += (p,)
            elif len(p.keys) == 2:
                pairs[p.keys[1]] = pairs.get(p.keys[1], ()) + p.terms
            else:
                longer[p.keys[1]] = longer.get(p.keys[1], ()) + (p,)
        has_phrases = pairs or longer or stem_second
        result = (single, _Phrases(pairs, longer, stem_second) if has_phrases else None)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = result
        return result


_MEMO_SIZE = 200_000


def _compile(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    wildcard = text.rstrip().endswith("*")
    raw = words(normalise(text.rstrip().rstrip("*")))
    keys, prefix = [], []
    for position, word in enumerate(raw):
        keys.append(key_of(word) if not (wildcard and position == len(raw) - 1) else word.lower())
        prefix.append(is_malayalam(word) or (wildcard and position == len(raw) - 1))
    return tuple(keys), tuple(prefix)


def compiled_key(text: str) -> tuple[str, ...]:
    """The matching form of a term: terms with equal keys match exactly the same words."""
    keys, prefix = _compile(text)
    return tuple(f"{k}*" if p else k for k, p in zip(keys, prefix, strict=True))


def _rest_matches(pattern: _Pattern, keys: Sequence[str], start: int) -> bool:
    if start + len(pattern.keys) > len(keys):
        return False
    if not any(pattern.prefix):
        return tuple(keys[start : start + len(pattern.keys)]) == pattern.keys
    for offset, (want, is_prefix) in enumerate(zip(pattern.keys, pattern.prefix, strict=True)):
        got = keys[start + offset]
        if not (got.startswith(want) if is_prefix else got == want):
            return False
    return True


def token_keys(texts: Iterable[str]) -> list[str]:
    """Matching keys of several texts, concatenated (a phrase never spans two texts' boundary)."""
    from airflow_provider_kmrl.classification.text import Tokens

    out: list[str] = []
    for text in texts:
        if text:
            out.extend(Tokens.of(text).keys)
            out.append("\x00")  # boundary: no phrase matches across it
    return out
