"""The rule file document teams edit: weighted terms per department and category, and hints.

The file is YAML (``rules/kmrl_rules.yaml`` is the default; ``$KMRL_RULES_FILE`` or an explicit
path overrides it). Loading validates it and names the offending entry, so a typo in an edit
fails loudly instead of silently classifying everything as ``unknown``. The classifier version
recorded on each document is the file's ``version`` plus a digest of its content, so any edit,
even one that forgets to bump ``version``, shows up as a new ``classifier_version``.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from airflow_provider_kmrl.classification.language import LANGUAGES

RULES_FILE_ENV = "KMRL_RULES_FILE"
DEFAULT_RULES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules", "kmrl_rules.yaml")
DEPARTMENTS = ("engineering", "finance", "safety", "hr", "operations", "executive")
CATEGORIES = (
    "invoice",
    "purchase_order",
    "budget_report",
    "safety_circular",
    "incident_report",
    "hr_policy",
    "training_notice",
    "maintenance_report",
    "work_order",
    "operations_report",
    "board_minutes",
    "regulatory_notice",
)
assert set(LANGUAGES) == {"en", "ml", "bilingual", "unknown"}


class RulesError(ValueError):
    """The rule file is missing or invalid; the message names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(_Strict):
    """When a field gets a label: enough evidence, and enough ahead of the runner-up."""

    min_score: float = Field(default=3.0, ge=0)
    min_confidence: float = Field(default=0.2, ge=0, le=1)


class Settings(_Strict):
    title_chars: int = Field(default=400, ge=0, description="Start of the text that counts as its title.")
    body_chars: int = Field(default=40_000, ge=100, description="Text scored for terms.")
    title_weight: float = Field(default=2.0, ge=0, description="Extra weight of a term in the title.")
    name_weight: float = Field(default=3.0, ge=0, description="Extra weight of a term in the file name.")
    hint_weight: float = Field(
        default=1.5, ge=0, description="Weight of a term in source metadata (folder, ...)."
    )
    max_repeats: int = Field(default=4, ge=1, description="Repeats of a term beyond this add nothing.")
    saturation: float = Field(
        default=4.0, gt=0, description="Score at which confidence is ~63% of its margin."
    )
    topic_cap: float = Field(default=20.0, gt=0, description="Topical and category evidence saturate here.")
    category_implies_department: float = Field(
        default=0.5, ge=0, description="Share of the chosen category's score its usual department gains."
    )
    department: Decision = Decision()
    doc_category: Decision = Decision()
    hint_keys: tuple[str, ...] = ("subject", "description", "title", "path", "folder", "mailbox", "worktype")
    sender_keys: tuple[str, ...] = ("sender", "from", "from_address", "email_from")


class LanguageSettings(_Strict):
    bilingual_share: float = Field(default=0.2, gt=0, lt=0.5)
    min_letters: int = Field(default=12, ge=1)


class Label(_Strict):
    """Terms (English or Malayalam words and phrases) with weights, and sender fragments."""

    terms: dict[str, float] = Field(default_factory=dict)
    senders: dict[str, float] = Field(default_factory=dict)


class DepartmentRule(Label):
    """Also ``issuers``: names and designations that say who wrote it ("Chief Safety Officer")."""

    issuers: dict[str, float] = Field(default_factory=dict)


class CategoryRule(Label):
    department: str | None = Field(
        default=None, description="The department this kind of document usually comes from."
    )

    @model_validator(mode="after")
    def _known_department(self) -> CategoryRule:
        if self.department is not None and self.department not in DEPARTMENTS:
            raise ValueError(f"department {self.department!r} is not one of {', '.join(DEPARTMENTS)}")
        return self


class MetadataRule(_Strict):
    """A prior from source metadata, e.g. Maximo's ``worktype`` or the presence of ``wonum``."""

    key: str
    values: tuple[str, ...] | None = Field(
        default=None, description="Match these values (any value if omitted)."
    )
    department: dict[str, float] = Field(default_factory=dict)
    doc_category: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_labels(self) -> MetadataRule:
        _check_labels(self.department, DEPARTMENTS, "department")
        _check_labels(self.doc_category, CATEGORIES, "doc_category")
        return self


class RuleFile(_Strict):
    version: str = Field(min_length=1, max_length=40)
    settings: Settings = Settings()
    language: LanguageSettings = LanguageSettings()
    departments: dict[str, DepartmentRule]
    categories: dict[str, CategoryRule]
    metadata: tuple[MetadataRule, ...] = ()

    @model_validator(mode="after")
    def _known_labels(self) -> RuleFile:
        _check_labels(self.departments, DEPARTMENTS, "departments")
        _check_labels(self.categories, CATEGORIES, "categories")
        return self


def _check_labels(mapping: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(mapping) - set(allowed))
    if unknown:
        raise ValueError(f"{what}: unknown label(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")


class Rules:
    """A validated rule file and the version string it gives the classifier."""

    def __init__(self, spec: RuleFile, digest: str, path: str | None) -> None:
        self.spec = spec
        self.digest = digest
        self.path = path

    @property
    def version(self) -> str:
        return f"rules-{self.spec.version}+{self.digest[:8]}"


def rules_path(path: str | None = None) -> str:
    return path or os.environ.get(RULES_FILE_ENV) or DEFAULT_RULES_FILE


def load_rules(path: str | None = None) -> Rules:
    """Read and validate a rule file (default: ``$KMRL_RULES_FILE`` or the packaged rules)."""
    path = rules_path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise RulesError(f"cannot read rule file {path}: {err}") from err
    return parse_rules(raw, path)


def parse_rules(raw: bytes | str, path: str | None = None) -> Rules:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    where = path or "<rules>"
    try:
        loaded = yaml.safe_load(data)
    except yaml.YAMLError as err:
        raise RulesError(f"{where}: not valid YAML: {err}") from err
    if not isinstance(loaded, dict):
        raise RulesError(f"{where}: expected a mapping with version, departments and categories")
    try:
        spec = RuleFile.model_validate(loaded)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in err.errors()
        )
        raise RulesError(f"{where}: {problems}") from err
    return Rules(spec, hashlib.sha256(data).hexdigest(), path)
