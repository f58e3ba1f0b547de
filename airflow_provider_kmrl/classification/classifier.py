"""``RulesClassifier``: the pipeline's classify step, driven by the editable rule file.

It implements :class:`airflow_provider_kmrl.core.protocols.Classifier`, so a trained model
can replace it later by implementing the same one method. Extraction — and for ``classify`` the
scoring as well — runs in bounded worker processes by default (``isolate=True``); ``analyse``
returns the scores and the matched terms behind each decision, for the evaluation report and
for rule authors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from airflow_provider_kmrl.classification.extractors import Extracted, ExtractLimits, extract_file
from airflow_provider_kmrl.classification.hints import build_evidence
from airflow_provider_kmrl.classification.language import LanguageVerdict, detect_language
from airflow_provider_kmrl.classification.rules import Rules, load_rules
from airflow_provider_kmrl.classification.scoring import FieldResult, Scorer
from airflow_provider_kmrl.core.types import Classification, ClassifyInput


@dataclass(frozen=True)
class Analysis:
    """A classification with the evidence behind it."""

    classification: Classification
    department: FieldResult
    category: FieldResult
    language: LanguageVerdict
    extracted: Extracted


class RulesClassifier:
    """Department, category and language from weighted terms, hints and script shares.

    :param rules_file: a rule file; default ``$KMRL_RULES_FILE`` or the packaged ``kmrl_rules.yaml``.
    :param limits: extraction bounds (time, memory, pages, characters; OCR on or off).
    :param isolate: extract in worker processes (bounded in time and memory), and make the
        ``classify`` decision there too; ``False`` runs everything in this process, for tests and
        tools that trust their input.
    """

    def __init__(
        self,
        rules_file: str | None = None,
        *,
        rules: Rules | None = None,
        limits: ExtractLimits | None = None,
        isolate: bool = True,
    ) -> None:
        self.rules = rules or load_rules(rules_file)
        self.version = self.rules.version
        self.limits = limits or ExtractLimits()
        self.isolate = isolate
        self._scorer = Scorer(self.rules.spec)

    def classify(self, doc: ClassifyInput) -> Classification:
        """The decision alone; with ``isolate`` it is made in the worker that extracted the text."""
        if not self.isolate:
            return self.analyse(doc).classification
        from airflow_provider_kmrl.classification.isolation import shared_pool

        found, extracted = shared_pool(self.limits).classify(
            doc.path, doc.mime_type, doc.file_name, doc.metadata, self.rules
        )
        if found is not None:
            return found
        return self.analyse_extracted(extracted, doc.file_name, doc.metadata).classification

    def analyse(self, doc: ClassifyInput) -> Analysis:
        return self.analyse_extracted(self.extract(doc), doc.file_name, doc.metadata)

    def extract(self, doc: ClassifyInput) -> Extracted:
        if self.isolate:
            from airflow_provider_kmrl.classification.isolation import shared_pool

            return shared_pool(self.limits).extract(doc.path, doc.mime_type, doc.file_name)
        return extract_file(doc.path, doc.mime_type, doc.file_name, self.limits)

    def analyse_extracted(
        self, extracted: Extracted, file_name: str, metadata: dict | None = None
    ) -> Analysis:
        """Classify already extracted text (no file access): the part the rules decide."""
        spec = self.rules.spec
        evidence = build_evidence(extracted, file_name, metadata or {}, spec.settings)
        language = detect_language(extracted.text, spec.language.bilingual_share, spec.language.min_letters)
        department, category = self._scorer.score(evidence)
        confidence = round(min(department.confidence, category.confidence), 3)
        result = Classification(department.label, category.label, language.language, confidence, self.version)
        return Analysis(result, department, category, language, extracted)


OCR_ENV = "KMRL_CLASSIFY_OCR"


def default_classifier() -> RulesClassifier:
    """The ingest engine's classifier, configured from the environment of the task.

    Rules come from ``$KMRL_RULES_FILE`` (or the packaged file); images and scanned PDFs are
    OCRed when ``$KMRL_CLASSIFY_OCR`` is ``true`` (needs Debian's tesseract-ocr and -mal).
    """
    ocr = os.environ.get(OCR_ENV, "").strip().lower() in ("1", "true", "yes", "on")
    return RulesClassifier(limits=ExtractLimits(ocr=ocr))
