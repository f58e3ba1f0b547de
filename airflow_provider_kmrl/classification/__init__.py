"""Understanding documents: text extraction, language, department and category.

``RulesClassifier`` is the pipeline's classify step; ``rules/kmrl_rules.yaml`` holds the terms a
document team edits; ``evaluate`` measures it on a labeled set and ``reclassify`` applies a new
rule file to documents already stored. Nothing here imports Airflow, and the names below are
imported lazily so the extraction worker process starts with only what it needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Analysis": "classifier",
    "RulesClassifier": "classifier",
    "default_classifier": "classifier",
    "ExtractLimits": "extractors",
    "Extracted": "extractors",
    "extract_file": "extractors",
    "detect_language": "language",
    "RulesError": "rules",
    "load_rules": "rules",
    "reclassify_documents": "reclassify",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
