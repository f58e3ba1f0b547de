"""The registry of source kinds, filled from the entry-point group ``airflow_provider_kmrl.sources``.

Every kind, built-in or from another pip-installed package, is one entry point: name = the kind,
value = a :class:`~airflow_provider_kmrl.core.protocols.SourceKind`. The contract a kind
implements (``DocumentSource``, ``SourceOptions``, ``SourceKind``) lives in
:mod:`airflow_provider_kmrl.core.protocols` and is re-exported here for sources to import.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import threading
from typing import Any

from airflow_provider_kmrl.core.protocols import DocumentSource, SourceKind, SourceOptions

__all__ = ["ENTRY_POINT_GROUP", "DocumentSource", "SourceKind", "SourceOptions", "build_source", "known_kinds",
           "register_source", "source_kind"]

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "airflow_provider_kmrl.sources"

_registry: dict[str, SourceKind] = {}
_broken: dict[str, str] = {}  # kind -> why its entry point could not be loaded
_loaded = False
_lock = threading.Lock()


def register_source(kind: SourceKind) -> None:
    """Add a kind by hand (tests, notebooks); installed packages use the entry point instead."""
    _registry[kind.kind] = kind


def source_kind(kind: str) -> SourceKind:
    """The kind registered under ``kind``; the error lists the kinds that are installed."""
    _load_entry_points()
    try:
        return _registry[kind]
    except KeyError:
        if kind in _broken:
            raise KeyError(f"source kind {kind!r} is installed but cannot be loaded: {_broken[kind]}") from None
        raise KeyError(f"unknown source kind {kind!r}; known kinds: {', '.join(sorted(_registry))}") from None


def known_kinds() -> list[str]:
    _load_entry_points()
    return sorted(_registry)


def build_source(name: str, kind: str, options: dict[str, Any], conn_id: str | None) -> DocumentSource:
    """Validate ``options`` and build the source, or say which extra is missing."""
    spec = source_kind(kind)
    missing = [module for module in spec.requires if importlib.util.find_spec(module.split(".")[0]) is None
               or not _importable(module)]
    if missing:
        hint = f'pip install "airflow-provider-kmrl[{spec.extra}]"' if spec.extra else "install it"
        raise ImportError(f"source kind {kind!r} needs {', '.join(missing)}, which is not installed: {hint}")
    return spec.factory(name, spec.options_model(**options), conn_id)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _load_entry_points() -> None:
    """Load every kind once per process (it imports each kind's module, not its client library)."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                value = entry.load()
                if not isinstance(value, SourceKind):
                    raise TypeError(f"{entry.value} is a {type(value).__name__}, not a SourceKind")
                if value.kind != entry.name:
                    raise ValueError(f"entry point {entry.name!r} names a SourceKind of kind {value.kind!r}")
            except Exception as err:  # one broken plugin must not hide the others
                _broken[entry.name] = f"{type(err).__name__}: {err}"
                log.warning("source kind %r (%s) cannot be loaded: %s", entry.name, entry.value, err)
                continue
            _registry.setdefault(entry.name, value)
        _loaded = True
