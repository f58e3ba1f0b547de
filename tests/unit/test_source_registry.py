"""The source-kind registry: entry points, and a missing client library named with its extra."""

from __future__ import annotations

import pytest

from airflow_provider_kmrl.core.protocols import SourceKind, SourceOptions
from airflow_provider_kmrl.sources.base import build_source, known_kinds, register_source, source_kind


def test_built_in_kinds_come_from_entry_points():
    assert {"upload", "imap", "sftp", "maximo"} <= set(known_kinds())
    assert source_kind("upload").supports_window


def test_an_unknown_kind_lists_the_known_ones():
    with pytest.raises(KeyError, match="known kinds: .*upload"):
        source_kind("gopher")


def test_a_kind_whose_client_library_is_missing_names_the_extra():
    register_source(SourceKind(kind="needs_missing_lib", options_model=SourceOptions,
                               factory=lambda name, options, conn_id: None,  # type: ignore[arg-type,return-value]
                               extra="example", requires=("kmrl_library_that_is_not_installed",)))
    with pytest.raises(ImportError, match=r'pip install "airflow-provider-kmrl\[example\]"'):
        build_source("s", "needs_missing_lib", {}, None)
