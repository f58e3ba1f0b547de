"""Turn matched terms and hints into per-label scores, decisions and a confidence.

Score of a label = sum over its terms of ``weight x (name_weight if in the file name +
title_weight if in the title + (1 + ln n) for n body occurrences, n capped at max_repeats +
hint_weight if in the source hints)``, plus
sender and metadata priors. A department's score adds three kinds of evidence: who issued the
document (``issuers`` terms such as "Chief Safety Officer", senders, metadata), what it is
about (topical ``terms``, with diminishing returns past ``topic_cap``), and what kind of
document it is (the chosen category's usual department gains ``category_implies_department``
times the category's score, with the same diminishing returns). A field gets its best label
only when that label scores at least ``min_score`` and its confidence — the lead over the
runner-up, as a share of the best score, damped for small scores — reaches ``min_confidence``;
otherwise it is ``unknown``/``other``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from airflow_provider_kmrl.classification.matcher import Term, TermMatcher, compiled_key, token_keys
from airflow_provider_kmrl.classification.rules import Decision, RuleFile


@dataclass(frozen=True)
class Evidence:
    """The texts a document offers, by zone."""

    title: Sequence[str]
    body: str
    name: str = ""
    hints: Sequence[str] = ()
    senders: Sequence[str] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class FieldResult:
    label: str
    confidence: float
    scores: dict[str, float]
    reasons: dict[str, list[str]]


class Scorer:
    def __init__(self, spec: RuleFile) -> None:
        self.spec = spec
        terms = [
            Term(kind, label, text, w)
            for label, rule in spec.departments.items()
            for kind, mapping in (("department", rule.terms), ("issuer", rule.issuers))
            for text, w in mapping.items()
        ]
        terms += [
            Term("doc_category", label, text, w)
            for label, rule in spec.categories.items()
            for text, w in rule.terms.items()
        ]
        self.matcher = TermMatcher(_distinct(terms))

    def score(self, evidence: Evidence) -> tuple[FieldResult, FieldResult]:
        s = self.spec.settings
        name = self.matcher.count(token_keys([evidence.name]))
        title = self.matcher.count(token_keys(evidence.title))
        body = self.matcher.count(token_keys([evidence.body[: s.body_chars]]))
        hints = self.matcher.count(token_keys(evidence.hints))
        # Counter's arithmetic on float weights (typeshed types Counter values as int).
        scores: dict[str, Counter[str]] = {
            "department": Counter(),
            "issuer": Counter(),
            "doc_category": Counter(),
        }
        reasons: dict[str, dict[str, list[str]]] = {"department": {}, "doc_category": {}}
        for index in set(name) | set(title) | set(body) | set(hints):
            term = self.matcher.terms[index]
            n = min(body.get(index, 0), s.max_repeats)
            factor = (s.title_weight if index in title else 0) + (1 + math.log(n) if n else 0)
            factor += s.name_weight if index in name else 0
            factor += s.hint_weight if index in hints else 0
            scores[term.field][term.label] += term.weight * factor  # type: ignore[assignment]
            shown = "department" if term.field == "issuer" else term.field
            reasons[shown].setdefault(term.label, []).append(f"{term.text} x{factor:.1f}")
        self._priors(evidence, scores, reasons)
        category = self._decide(scores["doc_category"], reasons["doc_category"], s.doc_category, "other")
        return self._department(scores, reasons, category), category

    def _department(self, scores, reasons, category: FieldResult) -> FieldResult:
        """Who issued it (issuers, senders), what it is about (saturating), what kind it is."""
        s = self.spec.settings
        combined: Counter[str] = Counter()
        for label, topical in scores["department"].items():
            combined[label] += saturate(topical, s.topic_cap)  # type: ignore[assignment]
        combined.update(scores["issuer"])
        implied = self.spec.categories.get(category.label)
        if implied is not None and implied.department:
            bonus = s.category_implies_department * saturate(
                category.scores.get(category.label, 0.0), s.topic_cap
            )
            combined[implied.department] += bonus  # type: ignore[assignment]
            reasons["department"].setdefault(implied.department, []).append(f"category {category.label}")
        return self._decide(combined, reasons["department"], s.department, "unknown")

    def _priors(self, evidence: Evidence, scores, reasons) -> None:
        senders = " ".join(evidence.senders).lower()
        if senders:
            for fieldname, labels in (
                ("department", self.spec.departments),
                ("doc_category", self.spec.categories),
            ):
                for label, rule in labels.items():
                    for fragment, weight in rule.senders.items():
                        if fragment.lower() in senders:
                            scores["issuer" if fieldname == "department" else fieldname][label] += weight
                            reasons[fieldname].setdefault(label, []).append(f"sender {fragment}")
        # Priors count as issuer evidence: they say who sent the document, not what it mentions.
        for prior in self.spec.metadata:
            value = evidence.metadata.get(prior.key)
            if value in (None, "") or (
                prior.values is not None and str(value).upper() not in {v.upper() for v in prior.values}
            ):
                continue
            for fieldname, priors in (("department", prior.department), ("doc_category", prior.doc_category)):
                for label, weight in (priors or {}).items():
                    scores["issuer" if fieldname == "department" else fieldname][label] += weight
                    reasons[fieldname].setdefault(label, []).append(f"{prior.key}={value}")

    def _decide(self, scores: Counter[str], reasons, decision: Decision, fallback: str) -> FieldResult:
        ranked = sorted(((v, k) for k, v in scores.items() if v > 0), reverse=True)
        best, label = ranked[0] if ranked else (0.0, fallback)
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        confidence = confidence_of(best, second, self.spec.settings.saturation)
        if best < decision.min_score or confidence < decision.min_confidence:
            label = fallback
        return FieldResult(label, round(confidence, 3), {k: round(v, 2) for k, v in scores.items()}, reasons)


def _distinct(terms: list[Term]) -> list[Term]:
    """One term per label and matching key: "director" and "directors" are the same word here."""
    best: dict[tuple[str, str, tuple[str, ...]], Term] = {}
    for term in terms:
        key = (term.field, term.label, compiled_key(term.text))
        if key not in best or abs(term.weight) > abs(best[key].weight):
            best[key] = term
    return list(best.values())


def saturate(score: float, cap: float) -> float:
    """Diminishing returns: a long list of engineering terms is not endless evidence."""
    return score * cap / (score + cap) if score > 0 else score


def confidence_of(best: float, second: float, saturation: float) -> float:
    """Lead over the runner-up as a share of the best score, damped while the best is small."""
    if best <= 0:
        return 0.0
    return (best - max(second, 0.0)) / best * (1 - math.exp(-best / saturation))
