"""Options of the sftp and maximo kinds: globs, validation, and how a bad sources file reads (no server)."""

from __future__ import annotations

import pytest

from airflow_provider_kmrl.config import load_sources
from airflow_provider_kmrl.exceptions import SourcesFileError
from airflow_provider_kmrl.sources.sftp import SFTPOptions, _matches


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        ("**", "a/b/c.pdf", True),
        ("*.pdf", "a/b/c.pdf", True),  # no slash: the name, at any depth
        ("*.pdf", "a/b/c.pdfx", False),
        ("reports/*.pdf", "reports/q1.pdf", True),
        ("reports/*.pdf", "reports/2026/q1.pdf", False),  # * stays inside one folder
        ("exports/**/*.csv", "exports/x/y/z.csv", True),
        ("exports/**/*.csv", "exports/z.csv", True),  # ** also matches no folder at all
        ("**/archive/**", "x/archive/y.pdf", True),
        ("[!a]*.txt", "b.txt", True),
        ("[!a]*.txt", "a.txt", False),
        ("WO-100?.txt", "WO-1001.txt", True),
        ("*.part", "deep/upload.pdf.part", True),
        ("നിർദ്ദേശം*", "dir/നിർദ്ദേശം സുരക്ഷ.txt", True),
    ],
)
def test_globs_match_like_gitignore(pattern, path, expected):
    assert _matches(pattern, path) is expected


def test_options_accept_one_glob_or_many_and_check_move():
    assert SFTPOptions(path="/x", include="*.pdf").include == ["*.pdf"]
    with pytest.raises(ValueError, match="unclosed"):
        SFTPOptions(path="/x", exclude=["[abc"])
    with pytest.raises(ValueError, match="move needs processed_path"):
        SFTPOptions(path="/x", after_ingest="move")


def test_a_bad_option_is_an_import_error_naming_source_and_field(tmp_path):
    bad = tmp_path / "kmrl_sources.yaml"
    bad.write_text(
        "sources:\n"
        "  - name: exports\n    kind: sftp\n    options: {path: /exports, after_ingest: shred}\n"
    )
    where = r"source 'exports' \(sources\[0\]\), kind sftp: options.after_ingest"
    with pytest.raises(SourcesFileError, match=where):
        load_sources(str(bad))
    bad.write_text("sources:\n  - name: wo\n    kind: maximo\n"
                   "    options: {object_structure: MXAPIWODETAIL, sites: X}\n")
    with pytest.raises(SourcesFileError, match=r"kind maximo: options.sites: unknown key"):
        load_sources(str(bad))


def test_valid_sources_file_parses_without_touching_any_server(tmp_path):
    good = tmp_path / "kmrl_sources.yaml"
    good.write_text(
        "sources:\n"
        "  - {name: exports, kind: sftp, conn_id: kmrl_sftp, options: {path: /exports, exclude: '*.tmp'}}\n"
        "  - {name: maximo, kind: maximo, conn_id: kmrl_maximo, options: {site: [MUTTOM, ALUVA]}}\n"
    )
    parsed = load_sources(str(good))
    assert [s.kind for s in parsed.sources] == ["sftp", "maximo"]
