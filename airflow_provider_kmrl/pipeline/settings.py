"""Every per-source setting, declared once.

The sources file's ``defaults:`` block is an :class:`IngestSettings`; a source overrides any of
its fields (:data:`SettingOverrides`); the DAG builder hands the merged settings to the operator
as one ``settings`` dict; the operator and the maintenance operators build the engine from it.
Adding a setting means adding one field here.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import BaseModel, ByteSize, ConfigDict, Field, create_model

from airflow_provider_kmrl.pipeline.spool import default_spool_root


class IngestSettings(BaseModel):
    """How one source is ingested: where, how much at once, how often retried."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    postgres_conn_id: str = Field(default="kmrl_postgres", description="The documents database.")
    store_conn_id: str = Field(default="kmrl_store", description="The object store (kmrl_minio, fs or aws).")
    clamav_conn_id: str = Field(default="kmrl_clamav", description="clamd; nothing is ingested without it.")
    raw_bucket: str = Field(default="kmrl-raw", description="Where clean documents are stored.")
    quarantine_bucket: str = Field(default="kmrl-quarantine", description="Where everything else is kept.")
    max_file_size: ByteSize = Field(default=ByteSize(512 * 1024 * 1024), description="Larger items are rejected.")
    batch_size: int = Field(default=100, ge=1, le=10_000, description="Items claimed and committed together.")
    concurrency: int = Field(default=4, ge=1, le=64, description="Documents processed at once (threads).")
    max_retries: int = Field(default=3, ge=1, description="Attempts before a document is dead-lettered.")
    allow_macros: bool = Field(default=False, description="Accept macro-enabled Office files (docm, xlsm, pptm).")
    backfill_pool_slots: int = Field(default=2, ge=1, description="Concurrent backfill runs per source.")
    checkpoint_seconds: float = Field(default=5.0, ge=0, description="Save a moving cursor at most this often "
                                      "(and when the run ends); 0 saves it after every batch.")
    spool_dir: str = Field(default_factory=default_spool_root,
                           description="Root of the spool; each run gets a private 0700 folder below it.")
    allowed_types: Optional[dict[str, frozenset[str]]] = Field(  # noqa: UP045 (pydantic evaluates it)
        default=None, description="Detected MIME type -> allowed extensions; default: the built-in list.")

    def merged(self, overrides: BaseModel) -> IngestSettings:
        """These settings with every field ``overrides`` sets (``None`` means "inherit")."""
        changed = {k: v for k, v in overrides.model_dump(include=set(type(self).model_fields)).items()
                   if v is not None}
        return type(self).model_validate({**self.model_dump(exclude_unset=True), **changed})

    def operator_dict(self) -> dict[str, Any]:
        """The settings given explicitly, JSON-friendly (sizes in bytes), for an operator argument.

        Defaults are left out so that machine-dependent ones (the spool folder) are decided where
        the task runs, not where the DAG file was parsed.
        """
        return self.model_dump(mode="json", exclude_unset=True)


def _bounded(field: Any) -> Any:
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


#: The same fields, each optional with ``None`` = inherit from ``defaults``: what a source may set.
SettingOverrides: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "SettingOverrides",
    __config__=ConfigDict(extra="forbid"),
    **{
        # The field's own bounds (ge, le) apply to an override too, so errors name the source's field.
        name: (Optional[_bounded(field)], Field(default=None))  # noqa: UP045
        for name, field in IngestSettings.model_fields.items()
    },
)
