"""``kmrl_sources.yaml``: load and validate it cheaply (no network, no database).

Every error names the file, the source and the field, because it surfaces as a DAG import error
in the Airflow UI and that message is all a user sees.
"""

from __future__ import annotations

import os
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from airflow_provider_kmrl.exceptions import SourcesFileError
from airflow_provider_kmrl.pipeline.settings import IngestSettings, SettingOverrides
from airflow_provider_kmrl.sources.base import known_kinds, source_kind

SOURCES_FILE_ENV = "KMRL_SOURCES_FILE"
SOURCES_FILE_NAME = "kmrl_sources.yaml"


#: The ``defaults:`` block: every setting of :class:`IngestSettings`, nothing else.
Defaults = IngestSettings


class SourceConfig(SettingOverrides):
    """One entry of ``sources:``; any setting of ``defaults`` may be overridden here."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]+$", max_length=60)
    kind: str
    conn_id: str | None = None
    schedule: str | None = "@hourly"
    backfill_schedule: str = "0 0 * * *"
    enabled: bool = True
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in known_kinds():
            raise ValueError(f"unknown kind {kind!r}; available here: {', '.join(known_kinds())}")
        return kind

    def settings(self, defaults: IngestSettings) -> IngestSettings:
        """``defaults`` with this source's overrides applied."""
        return defaults.merged(self)

    def setting(self, defaults: IngestSettings, name: str) -> Any:
        value = getattr(self, name)
        return getattr(defaults, name) if value is None else value


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: Defaults = Field(default_factory=Defaults)
    sources: list[SourceConfig] = Field(default_factory=list)

    def source(self, name: str) -> SourceConfig:
        for src in self.sources:
            if src.name == name:
                return src
        raise KeyError(name)


def default_sources_path(dag_folder: str | None = None) -> str:
    return os.environ.get(SOURCES_FILE_ENV) or os.path.join(dag_folder or os.getcwd(), SOURCES_FILE_NAME)


# libyaml's loader when PyYAML has it: the sources file is read at every DAG parse, and the
# pure-Python loader took 30 ms of a 50-source file's 0.4 s parse.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_sources(path: str) -> SourcesFile:
    """Parse and validate the sources file, including each source's ``options``."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=_YAML_LOADER) or {}
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: sources file not found (set {SOURCES_FILE_ENV} or put "
                               f"{SOURCES_FILE_NAME} next to the DAG file)") from None
    except yaml.YAMLError as err:
        raise SourcesFileError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(raw, dict):
        raise SourcesFileError(f"{path}: expected a mapping with 'defaults' and 'sources'")
    try:
        parsed = SourcesFile.model_validate(raw)
    except ValidationError as err:
        raise SourcesFileError(_describe(path, raw, err)) from None
    seen: set[str] = set()
    for index, src in enumerate(parsed.sources):
        where = f"{path}: source {src.name!r} (sources[{index}])"
        if src.name in seen:
            raise SourcesFileError(f"{where}: name is used twice; names must be unique")
        seen.add(src.name)
        try:
            source_kind(src.kind).options_model.model_validate(src.options)
        except ValidationError as err:
            raise SourcesFileError(f"{where}, kind {src.kind}: " + _fields(err, prefix="options.")) from None
    return parsed


def _describe(path: str, raw: dict[str, Any], err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = list(e["loc"])
        if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
            entry = (raw.get("sources") or [])[loc[1]]
            name = entry.get("name", "?") if isinstance(entry, dict) else "?"
            field = ".".join(str(x) for x in loc[2:]) or "(entry)"
            parts.append(f"source {name!r} (sources[{loc[1]}]): {field}: {_message(e)}")
        else:
            parts.append(f"{'.'.join(str(x) for x in loc)}: {_message(e)}")
    return f"{path}: " + "; ".join(parts)


def _fields(err: ValidationError, prefix: str) -> str:
    return "; ".join(
        f"{prefix}{'.'.join(str(x) for x in e['loc']) or '(options)'}: {_message(e)}" for e in err.errors()
    )


def _message(e: Any) -> str:
    if e["type"] == "extra_forbidden":
        return "unknown key (check its spelling against the README)"
    return str(e["msg"]).removeprefix("Value error, ")
