"""The extension API: value types and protocols, importable without Airflow (semver-stable).

A new source kind needs :class:`DocumentSource`, :class:`SourceOptions`, :class:`SourceKind`,
:class:`SourceItem` and :class:`Window`; see "Writing a new source" in the docs.
"""

from airflow_provider_kmrl.core.protocols import (
    CheckpointStore,
    Classifier,
    DocumentSource,
    DocumentStore,
    Scanner,
    SourceKind,
    SourceOptions,
)
from airflow_provider_kmrl.core.types import (
    Classification,
    ClassifyInput,
    ScanResult,
    ScanStatus,
    SourceItem,
    Status,
    StoredObject,
    TypeCheck,
    Window,
)

__all__ = [
    "CheckpointStore", "Classification", "Classifier", "ClassifyInput", "DocumentSource", "DocumentStore",
    "ScanResult", "ScanStatus", "Scanner", "SourceItem", "SourceKind", "SourceOptions", "Status",
    "StoredObject", "TypeCheck", "Window",
]
